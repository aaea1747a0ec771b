#pragma once
// Recording what happened: the one place where an event — an entry, a request, an appointment, an
// invoice or a payment — is added to a book. Every writer goes through it (imports, the live
// balance, Python, the store's append, the write commands), so an event is checked by the same
// rules of a valid book (docs/formats.md), with the same messages, as the book readers check it: the message names the place
// the event would have had (`engagements[2].entries[41]: starts 2026-07-01, after the engagement's
// end 2026-06-30`). A refused event leaves the book exactly as it was.
//
// Each check costs what the event touches, not what the book holds: recording an entry into an
// engagement of 10^7 entries costs the same as into an empty one.
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "kontingent/book.hpp"

namespace kontingent {

/// A time entry for the engagement `engagement`; `request` is a request id (revision and change
/// entries) or empty.
struct NewEntry {
  std::string engagement;
  Time start;
  Seconds seconds = 0;
  EntryKind kind = EntryKind::scope;
  std::string request;
  std::string note;
  bool written_as_minutes = true;  ///< saved as `minutes` (else as `end`)
  friend bool operator==(const NewEntry&, const NewEntry&) = default;
};

/// A request by the client; its id must be new in the engagement.
struct NewRequest {
  std::string engagement;
  Request request;
  friend bool operator==(const NewRequest&, const NewRequest&) = default;
};

struct NewAppointment {
  std::string engagement;
  Appointment appointment;
  friend bool operator==(const NewAppointment&, const NewAppointment&) = default;
};

/// An invoice; its id must be new in the book.
struct NewInvoice {
  std::string engagement;
  Invoice invoice;
  friend bool operator==(const NewInvoice&, const NewInvoice&) = default;
};

/// A payment of an invoice of the same engagement.
struct NewPayment {
  std::string engagement;
  Payment payment;
  friend bool operator==(const NewPayment&, const NewPayment&) = default;
};

/// A timer started for work on an engagement and not stopped yet; stopping it records the entry.
/// The store keeps it (one per book), so it survives the process and a reboot.
struct RunningTimer {
  std::string engagement;
  Time start;
  EntryKind kind = EntryKind::scope;
  std::string request;
  std::string note;
  /// The entry from the start to `end`, written with `end` as a tracker would.
  NewEntry entry_until(Time end) const {
    return {engagement, start, (end - start).total_seconds(), kind, request, note, false};
  }
  friend bool operator==(const RunningTimer&, const RunningTimer&) = default;
};

/// Anything that can happen in an engagement.
using Event = std::variant<NewEntry, NewRequest, NewAppointment, NewInvoice, NewPayment>;

/// The id of the engagement an event happens in.
inline const std::string& engagement_of(const Event& event) {
  return std::visit([](const auto& e) -> const std::string& { return e.engagement; }, event);
}

/// Adds `event` to its engagement in `book` and returns the place it got (`engagements[2].entries[41]`).
/// Throws validation_error, and leaves `book` as it was, when the book has no such engagement or
/// the event breaks a rule of a valid book (docs/formats.md).
std::string record(Book& book, const Event& event);

/// record() for many events into one book: finds engagements by id once, not once per event.
/// Each event is checked and added in turn; one that is refused throws, after the ones before it
/// were added (record into a copy to keep all or nothing).
class Recorder {
 public:
  explicit Recorder(Book& book);
  std::string record(const Event& event);

 private:
  Book& book_;
  std::unordered_map<std::string, std::size_t> engagements_;  ///< id → index in the book
  std::unordered_set<std::string> invoice_ids_;               ///< of the whole book
};

/// The first request id of a kind that `engagement` does not use yet: R1, R2, … for revision
/// rounds, C1, C2, … for change requests.
std::string next_request_id(const Engagement& engagement, RequestKind kind);

/// record() of several events, all or nothing: when one is refused, none is recorded.
std::vector<std::string> record_all(Book& book, std::span<const Event> events);

namespace detail {
/// What record() needs to know of an engagement's place in its book.
struct EventContext {
  std::string path;           ///< the engagement's place, `engagements[2]`
  std::size_t entries = 0;    ///< how many entries it has: a new one's index
  std::function<bool(const std::string&)> invoice_id_taken;  ///< by any invoice of the book
};
/// The checks of record() (the rules of a valid book, docs/formats.md) without the recording: throws validation_error, or returns the
/// place the event will get. Reads the engagement's requests and invoices, never its entries, so a
/// store can check an event without loading them.
std::string check_event(const Engagement& engagement, const EventContext& context, const Event& event);
/// Adds a checked event to the engagement.
void append_event(Engagement& engagement, const Event& event);

/// A copy of `book` to record into and evaluate, as cheap as the checks allow: the engagements at
/// `whole` complete, the others without their entries (record() checks ids across the book, never
/// another engagement's entries).
Book book_to_record_in(const Book& book, const std::vector<std::size_t>& whole);
}  // namespace detail

/// The engagement-level step of record() for an entry, for callers that hold one engagement rather
/// than a book (LiveBalance): checks the entry against `engagement` and appends it. `request` is
/// the index of a request of the engagement, or no_request. `path` is the engagement's place in its
/// book (`engagements[2]`, or empty), for messages.
void record_entry(Engagement& engagement, ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request,
                  std::string_view note, bool written_as_minutes, const std::string& path = {});

/// record_entry() for many entries at once: all are checked before any is added, so either all
/// of them are added or none.
void record_entries(Engagement& engagement, const Entries& entries, const std::string& path = {});

}  // namespace kontingent
