#pragma once
// The rules of a valid book (docs/formats.md) for one item of an engagement (an entry, a request, …), each written once in
// validate.cpp: validate() checks every item of a book with them, record() the one item it adds.
// Each throws validation_error at `place`, the path the item has (or will have) in the book.
#include <span>
#include <string>
#include <string_view>

#include "kontingent/book.hpp"

namespace kontingent::detail {

/// True when the entry breaks no rule: the cheap test validate() makes for every entry.
bool entry_is_valid(const Engagement& e, ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request) noexcept;
/// The entry's rules (duration, the engagement's dates, its request), with the message for the first one broken.
void check_entry(const Engagement& e, ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request,
                 bool written_as_minutes, const std::string& place);
/// A request's own rules; that its id is new in the engagement is the caller's (duplicate_id).
void check_request(const Engagement& e, const Request& request, const std::string& place);
void check_appointment(const Appointment& appointment, const std::string& place);
/// An invoice's own rules; that its id is new in the book is the caller's (duplicate_id).
void check_invoice(const Engagement& e, const Invoice& invoice, const std::string& place);
/// `invoice`: the invoice of `e` the payment names, null when it names none.
void check_payment(const Engagement& e, const Payment& payment, const Invoice* invoice, const std::string& place);
/// Every text a book holds is UTF-8 (what the JSON writer can write and every reader reads).
void check_text(std::string_view text, const std::string& place);
/// A request id with the leading zeros of its numbers dropped: "R07" and "R7" are one request
/// written twice, which a book refuses as a duplicate.
std::string request_key(std::string_view id);
/// Throws for `id` when `others` holds an id of the same request_key (a duplicate, or the same
/// number with other leading zeros).
void check_request_id_is_new(const std::string& id, std::span<const Request> others, const std::string& place);
/// Throws the duplicate-id error: `duplicate request id "R1" in this engagement` (scope " in this engagement").
[[noreturn]] void duplicate_id(std::string_view what, const std::string& id, std::string_view scope, const std::string& place);

}  // namespace kontingent::detail
