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

/// An entry list as read_plain_entry_list() reads it. A reader keeps one from list to list, so
/// that its columns are filled in place, warm in the cache, rather than allocated for each list.
struct PlainEntryList {
  /// The entries, each on request request_ids[r] where the column says r: the journal's requests
  /// are read after its entries, and numbered then (Entries::append).
  Entries entries;
  /// The requests the entries name, each once, in the order first named; they point into the text read.
  std::vector<std::string_view> request_ids;
  std::string decoded;  ///< room to decode a note with escapes into: the note is its first bytes
};

/// Where, in the text of one engagement (an object), its "entries" list starts: the offset of the
/// `[` after the first `"entries"` followed by a colon. Whether that is the engagement's own key is
/// for the full parser of the rest of the engagement to confirm (no other object has that field).
std::optional<std::size_t> find_entry_list(std::string_view engagement);

/// Reads the entry list that `text` starts with (its `[` first) into `list` and returns the list's
/// length up to and including its `]` — when every entry is an object of the fields of an entry
/// (docs/formats.md) written plainly: each at most once, strings other than notes without escapes, control
/// characters or bytes beyond ASCII, notes as any JSON string of UTF-8, minutes as digits from 1 to
/// 10000000, times and kinds that parse, "start" and "kind" given, and "end" or "minutes" but not both.
/// Otherwise nullopt.
std::optional<std::size_t> read_plain_entry_list(std::string_view text, PlainEntryList& list);

}  // namespace kontingent::detail
