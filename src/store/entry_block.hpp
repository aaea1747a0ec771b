#pragma once
// An engagement's entries packed into one value, as the `.kdb` table `entry_blocks` keeps them
// beside the rows of `entries` (docs/formats.md). Reading 10^6 rows costs SQLite ~1,500
// instructions each; a block is read as one value and its columns copied. The rows stay the book:
// a block is a copy that triggers drop when a row it copies changes, and one that does not unpack
// is read from the rows instead.
#include <cstddef>
#include <string>
#include <string_view>

#include "kontingent/journal.hpp"

namespace kontingent::detail {

/// The entries at positions `first` to `first + count - 1` of `entries`, packed: a format byte, the
/// count, then each column in turn (little-endian), the notes' lengths and their texts last.
std::string pack_entries(const Entries& entries, std::size_t first, std::size_t count);

/// Appends to `into` the entries of `block`, which must pack exactly `count` entries of a journal
/// with `requests` requests, each within the limits every reader keeps (a start in the years the
/// book knows, a duration of at most limits::longest_entry_seconds). False, and `into` unchanged,
/// for a block that is not so.
bool unpack_entries(std::string_view block, std::size_t count, std::size_t requests, Entries& into);

}  // namespace kontingent::detail
