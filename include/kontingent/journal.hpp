#pragma once
// The journal: everything that happened in an engagement (docs/formats.md, book). Entries are the bulk of a book
// (up to 10^8), so they are kept as contiguous columns — 26 bytes an entry plus notes — that the
// evaluation streams through and Python hands to numpy without copying. The other records are few
// and are plain structs with Boost times.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/money.hpp"
#include "kontingent/names.hpp"
#include "kontingent/time.hpp"

namespace kontingent {

enum class EntryKind : std::uint8_t { scope, revision, change, call, internal };
enum class RequestKind : std::uint8_t { revision, change };
enum class AppointmentStatus : std::uint8_t { kept, no_show, cancelled };
/// The billing categories (docs/formats.md), in report order.
enum class Category : std::uint8_t { base, overage, revision, change, call, rush, no_show };

inline constexpr std::size_t entry_kind_count = 5;
inline constexpr std::size_t category_count = 7;

template <>
struct enum_names<EntryKind> {
  static constexpr std::array<std::string_view, entry_kind_count> values{"scope", "revision", "change", "call", "internal"};
};
template <>
struct enum_names<RequestKind> {
  static constexpr std::array<std::string_view, 2> values{"revision", "change"};
};
/// The kind of the entries that work on a request of this kind.
constexpr EntryKind entry_kind_of(RequestKind kind) noexcept {
  return kind == RequestKind::revision ? EntryKind::revision : EntryKind::change;
}

template <>
struct enum_names<AppointmentStatus> {
  static constexpr std::array<std::string_view, 3> values{"kept", "no_show", "cancelled"};
};
template <>
struct enum_names<Category> {
  static constexpr std::array<std::string_view, category_count> values{"base", "overage", "revision", "change",
                                                                       "call", "rush",     "no_show"};
};

/// A revision round or change request by the client.
struct Request {
  std::string id;
  RequestKind kind = RequestKind::revision;
  Time received;
  std::optional<Time> due;
  std::optional<Money> quote;  ///< change requests only
  bool declined = false;
  friend bool operator==(const Request&, const Request&) = default;
};

/// Index of a request in its journal; entries without a request hold `no_request`.
using RequestIndex = std::int32_t;
inline constexpr RequestIndex no_request = -1;

/// One time entry, as a value (the journal stores it in columns).
struct Entry {
  Time start;
  Seconds seconds = 0;
  EntryKind kind = EntryKind::scope;
  RequestIndex request = no_request;
  std::string note;
  /// The book gave `minutes` rather than `end`; kept so a saved book reads like the original.
  /// Entries keeps it only for whole minutes: an entry of 90 seconds can only be written with `end`.
  bool written_as_minutes = true;
  Time end() const { return start + boost::posix_time::seconds(static_cast<long>(seconds)); }
  friend bool operator==(const Entry&, const Entry&) = default;
};

namespace detail {
struct EntriesAccess;  // formats/serialize.hpp: archives the columns in bulk
}

/// Texts one after another in one buffer, each followed by a line feed: a text is a view of the
/// buffer, not an allocation of its own (a book may have a note on every entry), and the whole
/// buffer is valid UTF-8 exactly if every text is, since no UTF-8 sequence spans an ASCII byte.
class NoteTexts {
 public:
  std::size_t size() const noexcept { return ends_.size(); }
  bool empty() const noexcept { return ends_.empty(); }
  std::string_view operator[](std::size_t k) const noexcept {
    const std::size_t begin = k == 0 ? 0 : ends_[k - 1] + 1;
    return std::string_view(bytes_).substr(begin, ends_[k] - begin);
  }
  /// Every text, each followed by a line feed.
  std::string_view joined() const noexcept { return bytes_; }
  void push_back(std::string_view text) {
    bytes_.append(text).push_back('\n');
    ends_.push_back(bytes_.size() - 1);
  }
  /// Room for `texts` texts of `bytes` bytes in all.
  void reserve(std::size_t texts, std::size_t bytes = 0) { ends_.reserve(texts), bytes_.reserve(bytes + texts); }
  /// Appends `other`'s texts, in order.
  void append(const NoteTexts& other) {
    const std::size_t offset = bytes_.size();
    bytes_.append(other.bytes_);
    ends_.reserve(ends_.size() + other.ends_.size());
    for (const std::size_t end : other.ends_) ends_.push_back(offset + end);
  }
  void clear() noexcept { bytes_.clear(), ends_.clear(); }
  friend bool operator==(const NoteTexts&, const NoteTexts&) = default;

 private:
  std::string bytes_;
  std::vector<std::size_t> ends_;  ///< where each text's line feed is
};

/// Time entries in columns: start, seconds, kind, request, note, form.
class Entries {
 public:
  std::size_t size() const noexcept { return starts_.size(); }
  bool empty() const noexcept { return starts_.empty(); }
  /// Room for `n` entries, `with_notes` of them with a note.
  void reserve(std::size_t n, std::size_t with_notes = 0) {
    starts_.reserve(n), seconds_.reserve(n), kinds_.reserve(n), requests_.reserve(n), notes_.reserve(n);
    as_minutes_.reserve(n), note_texts_.reserve(with_notes);
  }

  void push_back(ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request = no_request,
                 std::string_view note = {}, bool written_as_minutes = true) {
    starts_.push_back(start);
    latest_start_ = std::max(latest_start_, start);
    seconds_.push_back(seconds);
    kinds_.push_back(kind);
    requests_.push_back(request);
    as_minutes_.push_back(minutes_form(written_as_minutes, seconds));
    notes_.push_back(add_note(note));
  }
  void push_back(const Entry& e) {
    push_back(clock_seconds(e.start), e.seconds, e.kind, e.request, e.note, e.written_as_minutes);
  }
  /// One entry as the columns hold it, for append().
  struct Row {
    ClockSeconds start = 0;
    Seconds seconds = 0;
    EntryKind kind = EntryKind::scope;
    RequestIndex request = no_request;
    std::string_view note;
    bool written_as_minutes = true;
  };
  /// Appends `count` entries, the i-th being `row(i)`: a reader's bulk path, which sizes the
  /// columns once rather than growing six of them entry by entry.
  template <class RowAt>
  void append(std::size_t count, RowAt&& row) {
    const std::size_t from = size();
    starts_.resize(from + count), seconds_.resize(from + count), kinds_.resize(from + count);
    requests_.resize(from + count), as_minutes_.resize(from + count), notes_.resize(from + count);
    for (std::size_t i = 0; i < count; ++i) {
      const Row r = row(i);
      const std::size_t at = from + i;
      starts_[at] = r.start, seconds_[at] = r.seconds, kinds_[at] = r.kind, requests_[at] = r.request;
      latest_start_ = std::max(latest_start_, r.start);
      as_minutes_[at] = minutes_form(r.written_as_minutes, r.seconds), notes_[at] = add_note(r.note);
    }
  }

  /// Appends `from`'s entries, each on request `request(r)` where it was on request r in `from`
  /// (no_request too: `request` says what it becomes, so that no entry takes a branch of its own):
  /// a reader that read entries before their requests numbers them afterwards.
  template <class Renumber = std::identity>
  void append(const Entries& from, Renumber&& request = {}) {
    if (&from == this) return append(Entries(from), request);  // the columns it reads would move as they grow
    const std::size_t at = size(), n = from.size();
    const auto notes_before = static_cast<std::uint32_t>(note_texts_.size());
    starts_.insert(starts_.end(), from.starts_.begin(), from.starts_.end());
    latest_start_ = std::max(latest_start_, from.latest_start_);
    seconds_.insert(seconds_.end(), from.seconds_.begin(), from.seconds_.end());
    kinds_.insert(kinds_.end(), from.kinds_.begin(), from.kinds_.end());
    as_minutes_.insert(as_minutes_.end(), from.as_minutes_.begin(), from.as_minutes_.end());
    requests_.resize(at + n), notes_.resize(at + n);
    for (std::size_t i = 0; i < n; ++i) {
      requests_[at + i] = static_cast<RequestIndex>(request(from.requests_[i]));
      notes_[at + i] = from.notes_[i] + (from.notes_[i] != 0) * notes_before;  // 0 stays: no note
    }
    note_texts_.append(from.note_texts_);
  }
  /// No entries, with the room they took kept for the next.
  void clear() noexcept {
    starts_.clear(), seconds_.clear(), kinds_.clear(), requests_.clear(), as_minutes_.clear(), notes_.clear();
    note_texts_.clear();
    latest_start_ = no_start;
  }

  Entry operator[](std::size_t i) const {
    return {to_time(starts_[i]), seconds_[i], kinds_[i], requests_[i], std::string(note(i)), as_minutes_[i] != 0};
  }

  std::span<const ClockSeconds> starts() const noexcept { return starts_; }
  /// The latest start of any entry (none without entries), kept as entries are added: the default
  /// as-of date looks for it in every engagement, and the columns may no longer be in the cache.
  std::optional<ClockSeconds> latest_start() const noexcept { return empty() ? std::nullopt : std::optional(latest_start_); }
  std::span<const Seconds> seconds() const noexcept { return seconds_; }
  std::span<const EntryKind> kinds() const noexcept { return kinds_; }
  std::span<const RequestIndex> requests() const noexcept { return requests_; }
  std::string_view note(std::size_t i) const noexcept {
    return notes_[i] == 0 ? std::string_view{} : note_texts_[notes_[i] - 1];
  }
  bool written_as_minutes(std::size_t i) const noexcept { return as_minutes_[i] != 0; }
  /// The notes' texts, each kept once however many entries carry it.
  const NoteTexts& note_texts() const noexcept { return note_texts_; }

  friend bool operator==(const Entries& a, const Entries& b) {
    if (a.starts_ != b.starts_ || a.seconds_ != b.seconds_ || a.kinds_ != b.kinds_ || a.requests_ != b.requests_ ||
        a.as_minutes_ != b.as_minutes_)
      return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a.note(i) != b.note(i)) return false;
    return true;
  }

 private:
  friend struct detail::EntriesAccess;
  /// What the as_minutes column holds: whether the entry is written as `minutes`, which only an
  /// entry of whole minutes can be. So every reader gives the same entries as the book it writes.
  static std::uint8_t minutes_form(bool written_as_minutes, Seconds seconds) noexcept {
    return written_as_minutes && seconds % 60 == 0;
  }
  /// What the notes column holds for an entry with `note`, its text kept if it has one.
  std::uint32_t add_note(std::string_view note) {
    if (note.empty()) return 0;
    note_texts_.push_back(note);
    return static_cast<std::uint32_t>(note_texts_.size());
  }
  std::vector<ClockSeconds> starts_;
  std::vector<Seconds> seconds_;
  std::vector<EntryKind> kinds_;
  std::vector<RequestIndex> requests_;
  std::vector<std::uint8_t> as_minutes_;
  std::vector<std::uint32_t> notes_;  // 0 = no note, else 1 + index into note_texts_
  NoteTexts note_texts_;
  static constexpr ClockSeconds no_start = std::numeric_limits<ClockSeconds>::min();
  ClockSeconds latest_start_ = no_start;  // of starts_: every change of it keeps this
};

struct Appointment {
  Time at;
  AppointmentStatus status = AppointmentStatus::kept;
  std::optional<Time> cancelled;  ///< when it was called off; status cancelled only
  friend bool operator==(const Appointment&, const Appointment&) = default;
};

struct InvoiceLine {
  Category category = Category::base;
  Money amount;
  friend bool operator==(const InvoiceLine&, const InvoiceLine&) = default;
};

/// An invoice, or (book version 2) a credit note: lines of positive amounts that take back what
/// the invoice `refers_to` charged.
struct Invoice {
  std::string id;
  Date date;
  std::vector<InvoiceLine> lines;
  bool credit_note = false;
  std::string refers_to;    ///< credit notes only: an invoice of the same engagement
  std::optional<Date> due;  ///< absent: `date` + the client's payment days
  friend bool operator==(const Invoice&, const Invoice&) = default;
};

struct Payment {
  std::string invoice;  ///< id of an invoice of the same engagement
  Date date;
  Money amount;
  friend bool operator==(const Payment&, const Payment&) = default;
};

/// The date an event belongs to (docs/formats.md, report): a request the day it was received, an appointment the
/// day of its `at`, an invoice or a payment its `date`. An entry belongs to the day it starts
/// (entries_cut_off).
inline Date event_date(const Request& r) { return r.received.date(); }
inline Date event_date(const Appointment& a) { return a.at.date(); }
inline Date event_date(const Invoice& i) { return i.date; }
inline Date event_date(const Payment& p) { return p.date; }

/// True when an event counts at the as-of date: events of later dates are ignored (docs/formats.md, report), in
/// the report, the triage and everything else that looks back from a date.
template <class Event>
bool happened_by(const Event& event, Date as_of) {
  return event_date(event) <= as_of;
}
/// The first second after the as-of date: entries that start at or after it are dated later.
inline ClockSeconds entries_cut_off(Date as_of) { return Seconds{clock_days(as_of) + 1} * seconds_per_day; }

struct Journal {
  std::vector<Request> requests;
  Entries entries;
  std::vector<Appointment> appointments;
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;

  /// Index of the request with `id`, or no_request.
  RequestIndex find_request(std::string_view id) const noexcept {
    for (std::size_t i = 0; i < requests.size(); ++i)
      if (requests[i].id == id) return static_cast<RequestIndex>(i);
    return no_request;
  }
  friend bool operator==(const Journal&, const Journal&) = default;
};

}  // namespace kontingent
