#pragma once
// The rules of a valid book (docs/formats.md) for one item of an engagement (an entry, a request, …), each written once in
// validate.cpp: validate() checks every item of a book with them, record() the one item it adds.
// Each throws validation_error at `place`, the path the item has (or will have) in the book.
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "kontingent/book.hpp"

namespace kontingent::detail {

/// Where an item is in the book, "engagements[2].invoices[0].lines[1].amount", put together only
/// when a message needs it: validating a book does not build a text for each of its items. A place
/// refers to the places and texts it is made from, so it lives no longer than they do (pass
/// `place / "id"` to a call; do not keep it).
class Place {
 public:
  Place(const std::string& text) : text_(&text) {}  // NOLINT: a place written out converts
  Place(const char* text) : field_(text) {}          // NOLINT
  /// `list[index]` at the top of the book: "engagements[2]".
  Place(std::string_view list, std::size_t index) : field_(list), index_(index) {}

  /// This place's field: "….amount".
  Place operator/(std::string_view field) const { return Place(this, field, none); }
  /// An item of this place's list: "….lines[1]".
  Place at(std::string_view list, std::size_t index) const { return Place(this, list, index); }

  std::string text() const {
    std::string out = parent_ ? parent_->text() : text_ ? *text_ : std::string();
    if (!field_.empty()) out.append(out.empty() ? "" : ".").append(field_);
    if (index_ != none) out.append("[").append(std::to_string(index_)).append("]");
    return out;
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  Place(const Place* parent, std::string_view field, std::size_t index) : parent_(parent), field_(field), index_(index) {}

  const Place* parent_ = nullptr;
  const std::string* text_ = nullptr;
  std::string_view field_;
  std::size_t index_ = none;
};

/// The cheap test validate() makes for every entry: true when it breaks no rule. Made once per
/// engagement, so that a loop over 10^6 entries does not convert the engagement's dates each time.
class EntryTest {
 public:
  explicit EntryTest(const Engagement& e)
      : requests_(e.journal.requests),
        first_(Seconds{clock_days(e.start)} * seconds_per_day),
        after_last_(e.end ? Seconds{clock_days(*e.end) + 1} * seconds_per_day : std::numeric_limits<ClockSeconds>::max()) {}

  bool operator()(ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request) const noexcept {
    if (seconds <= 0 || seconds > limits::longest_entry_seconds || start < first_ || start >= after_last_ ||
        seconds > last_second - start)
      return false;
    const bool wants_request = kind == EntryKind::revision || kind == EntryKind::change;
    return wants_request ? request >= 0 && static_cast<std::size_t>(request) < requests_.size() &&
                               entry_kind_of(requests_[static_cast<std::size_t>(request)].kind) == kind
                         : request == no_request;
  }

 private:
  std::span<const Request> requests_;
  ClockSeconds first_, after_last_;
};
/// The entry's rules (duration, the engagement's dates, its request), with the message for the first one broken.
void check_entry(const Engagement& e, ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request,
                 bool written_as_minutes, const Place& place);
/// A request's own rules; that its id is new in the engagement is the caller's (duplicate_id).
void check_request(const Engagement& e, const Request& request, const Place& place);
void check_appointment(const Appointment& appointment, const Place& place);
/// An invoice's own rules; that its id is new in the book is the caller's (duplicate_id).
void check_invoice(const Engagement& e, const Invoice& invoice, const Place& place);
/// `invoice`: the invoice of `e` the payment names, null when it names none.
void check_payment(const Engagement& e, const Payment& payment, const Invoice* invoice, const Place& place);
/// check_entry() for each of `entries`, then their notes' UTF-8: entries of `e`, the first at
/// `engagement.entries[first]` (so `first` is where they stand, or will, in e's entries).
void check_entries(const Engagement& e, const Entries& entries, const Place& engagement, std::size_t first);
/// Every text a book holds is UTF-8 (what the JSON writer can write and every reader reads).
void check_text(std::string_view text, const Place& place);
/// A request id with the leading zeros of its numbers dropped: "R07" and "R7" are one request
/// written twice, which a book refuses as a duplicate.
std::string request_key(std::string_view id);
/// Throws for `id` when `others` holds an id of the same request_key (a duplicate, or the same
/// number with other leading zeros).
void check_request_id_is_new(const std::string& id, std::span<const Request> others, const Place& place);
/// Throws the duplicate-id error: `duplicate request id "R1" in this engagement` (scope " in this engagement").
[[noreturn]] void duplicate_id(std::string_view what, const std::string& id, std::string_view scope, const Place& place);

}  // namespace kontingent::detail
