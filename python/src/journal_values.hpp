#pragma once
// Python's view of the journal: an Entry names its request by id (the journal stores an index),
// and an engagement's entries are a live, column-backed sequence.
#include "common.hpp"

namespace kontingent::python {

/// One time entry as Python sees it: like kontingent::Entry, with the request named by its id.
struct EntryValue {
  Time start;
  Seconds seconds = 0;
  EntryKind kind = EntryKind::scope;
  std::string request;  ///< id of a request of the engagement; empty for none
  std::string note;
  bool written_as_minutes = true;  ///< how a saved book writes it; not part of equality
  friend bool operator==(const EntryValue& a, const EntryValue& b) {
    return a.start == b.start && a.seconds == b.seconds && a.kind == b.kind && a.request == b.request && a.note == b.note;
  }
};

/// The entries of an engagement (kept alive by the Python object that handed the view out).
struct EntriesView {
  Engagement* engagement;
};

/// Entry i of `e` with its request's id.
EntryValue entry_value(const Engagement& e, std::size_t i);

/// Appends entries to `e` through record_entries (kontingent/record.hpp): each is checked against
/// its terms, requests and dates (docs/formats.md), and nothing is appended when one of them breaks a rule.
/// Their request column holds indices into `e`'s requests (see request_index). A change: call it
/// with the GIL held (it takes changing(e)).
void append_entries(Engagement& e, const Entries& entries);

/// Entries from an iterable of Entry, requests resolved by id against `e` (messages count from `first`).
Entries resolved_entries(const Engagement& e, const py::iterable& values, std::size_t first);

/// Resolves a request id of `e` to its index, or throws validation_error at `path`.
RequestIndex request_index(const Engagement& e, std::string_view id, const std::string& path);

}  // namespace kontingent::python
