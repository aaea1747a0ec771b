#pragma once
// An engagement's entry list read straight from the book's text. Entries are nearly all of a big
// book, and through simdjson's DOM each costs an index of its text, a walk of that index and a
// lookup per field; read here, each costs one pass over its bytes. Only a list written plainly is
// read — the way kontingent writes it, or any JSON writer would, in any key order and white
// space, with notes in any form — and anything else is left to the full parser, which accepts it
// or names the problem: this reader never rejects a book, it only declines to read it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/journal.hpp"

namespace kontingent::detail {

/// One entry as the book writes it, its request still named by its id.
struct WrittenEntry {
  ClockSeconds start = 0;
  Seconds seconds = 0;
  std::optional<std::string_view> request;
  std::string_view note;
  EntryKind kind = EntryKind::scope;
  bool written_as_minutes = true;
};

/// Notes with escapes, decoded into one text (not one allocation each): `at` holds, in order, the
/// entry of each and where in `text` it starts; it ends where the next one starts.
struct DecodedNotes {
  std::string text;
  std::vector<std::pair<std::size_t, std::size_t>> at;
};

/// Where, in the text of one engagement (an object), its "entries" list starts: the offset of the
/// `[` after the first `"entries"` followed by a colon. Whether that is the engagement's own key is
/// for the full parser of the rest of the engagement to confirm (no other object has that field).
std::optional<std::size_t> find_entry_list(std::string_view engagement);

/// Reads the entry list that `text` starts with (its `[` first) into `entries` and returns the
/// list's length up to and including its `]` — when every entry is an object of the fields of an
/// entry (docs/formats.md) written plainly: each at most once, strings other than notes without escapes, control
/// characters or bytes beyond ASCII, notes as any JSON string of UTF-8 (with escapes: decoded into `notes`, which
/// WrittenEntry::note then points into), minutes as digits from 1 to 10000000, times and kinds that parse, "start"
/// and "kind" given, and "end" or "minutes" but not both. Otherwise nullopt.
std::optional<std::size_t> read_plain_entry_list(std::string_view text, std::vector<WrittenEntry>& entries,
                                                 DecodedNotes& notes);

}  // namespace kontingent::detail
