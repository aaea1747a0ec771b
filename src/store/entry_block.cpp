#include "store/entry_block.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kontingent/limits.hpp"
#include "kontingent/time.hpp"

namespace kontingent::detail {
namespace {

/// The first byte of a block: a block of another layout is not unpacked but read from the rows.
constexpr char layout_1 = 1;

/// Bytes one entry takes in the fixed-width columns: start, seconds, kind, request, as minutes, note length.
constexpr std::size_t entry_bytes = 8 + 8 + 1 + 4 + 1 + 4;
constexpr std::size_t header_bytes = 1 + 4;

// The numbers are stored as the processor holds them, which must be the documented little-endian
// layout: as for binary archives (formats/archive.cpp), kontingent builds on little-endian processors only.
static_assert(std::endian::native == std::endian::little, "entry blocks are little-endian only");

template <class Int>
void put(std::string& out, Int v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

/// The `i`-th number of the column of `Int` that begins at `column`.
template <class Int>
Int get(const char* column, std::size_t i) {
  Int v;
  std::memcpy(&v, column + i * sizeof(Int), sizeof v);
  return v;
}

}  // namespace

std::string pack_entries(const Entries& entries, std::size_t first, std::size_t count) {
  std::size_t note_bytes = 0;
  for (std::size_t i = first; i < first + count; ++i) note_bytes += entries.note(i).size();
  std::string out;
  out.reserve(header_bytes + count * entry_bytes + note_bytes);
  out.push_back(layout_1);
  put(out, static_cast<std::uint32_t>(count));
  for (std::size_t i = first; i < first + count; ++i) put(out, std::int64_t{entries.starts()[i]});
  for (std::size_t i = first; i < first + count; ++i) put(out, std::int64_t{entries.seconds()[i]});
  for (std::size_t i = first; i < first + count; ++i) out.push_back(static_cast<char>(entries.kinds()[i]));
  for (std::size_t i = first; i < first + count; ++i) put(out, std::int32_t{entries.requests()[i]});
  for (std::size_t i = first; i < first + count; ++i) out.push_back(entries.written_as_minutes(i) ? 1 : 0);
  for (std::size_t i = first; i < first + count; ++i) put(out, static_cast<std::uint32_t>(entries.note(i).size()));
  for (std::size_t i = first; i < first + count; ++i) out.append(entries.note(i));
  return out;
}

bool unpack_entries(std::string_view block, std::size_t count, std::size_t requests, Entries& into) {
  if (block.size() < header_bytes || block[0] != layout_1 || get<std::uint32_t>(block.data() + 1, 0) != count ||
      (block.size() - header_bytes) / entry_bytes < count)
    return false;
  const char* starts = block.data() + header_bytes;
  const char* seconds = starts + 8 * count;
  const char* kinds = seconds + 8 * count;
  const char* request = kinds + count;
  const char* as_minutes = request + 4 * count;
  const char* note_lengths = as_minutes + count;
  const char* notes = note_lengths + 4 * count;
  // Every value is checked before the first entry is added: a block is used whole or not at all.
  std::uint64_t note_bytes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const auto start = get<std::int64_t>(starts, i), duration = get<std::int64_t>(seconds, i);
    const auto r = get<std::int32_t>(request, i);
    if (start < first_second || start > last_second || duration > limits::longest_entry_seconds ||
        duration < -limits::longest_entry_seconds || static_cast<std::uint8_t>(kinds[i]) >= entry_kind_count ||
        static_cast<std::uint8_t>(as_minutes[i]) > 1 || r < no_request || (r != no_request && static_cast<std::size_t>(r) >= requests))
      return false;
    note_bytes += get<std::uint32_t>(note_lengths, i);
  }
  if (note_bytes != static_cast<std::uint64_t>(block.data() + block.size() - notes)) return false;
  into.append(count, [&, note = notes](std::size_t i) mutable {
    const std::size_t length = get<std::uint32_t>(note_lengths, i);
    const Entries::Row row{get<std::int64_t>(starts, i), get<std::int64_t>(seconds, i), static_cast<EntryKind>(kinds[i]),
                           get<std::int32_t>(request, i), std::string_view(note, length), as_minutes[i] != 0};
    note += length;
    return row;
  });
  return true;
}

}  // namespace kontingent::detail
