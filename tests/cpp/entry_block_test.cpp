// Entries packed into one value (src/store/entry_block.cpp), as .kdb books keep them beside their
// rows: what packs unpacks to the same entries, and a block that is not exactly one pack_entries
// made is declined whole, leaving the entries it was to extend as they were.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "kontingent/limits.hpp"
#include "store/entry_block.hpp"

using namespace kontingent;
using detail::pack_entries;
using detail::unpack_entries;

namespace {

constexpr std::size_t sampled = 5;

/// Five entries: every kind, with and without a request, note and seconds, the first and last second a book may hold.
Entries sample() {
  Entries e;
  e.push_back(first_second, 60, EntryKind::scope);
  e.push_back(clock_seconds(parse_time("2026-03-02T09:00")), 5400, EntryKind::revision, 1, "Runde 2 – \"Logo\"\nmit Umlaut äöü", false);
  e.push_back(clock_seconds(parse_time("2026-03-02T10:30:15")), limits::longest_entry_seconds, EntryKind::change, 0, "", true);
  e.push_back(clock_seconds(parse_time("2026-03-03T08:00")), -limits::longest_entry_seconds, EntryKind::call, no_request, "x", true);
  e.push_back(last_second, 1, EntryKind::internal, no_request, "", false);
  return e;
}

/// The entries of `block`, unpacked after `before`'s; requires that it unpacks.
Entries unpacked(const std::string& block, std::size_t count, const Entries& before = {}) {
  Entries into = before;
  REQUIRE(unpack_entries(block, count, 2, into));
  return into;
}

// Where each column of a packed block of `n` entries begins.
std::size_t starts(std::size_t) { return 5; }
std::size_t seconds(std::size_t n) { return 5 + 8 * n; }
std::size_t kinds(std::size_t n) { return 5 + 16 * n; }
std::size_t requests(std::size_t n) { return 5 + 17 * n; }
std::size_t as_minutes(std::size_t n) { return 5 + 21 * n; }
std::size_t note_lengths(std::size_t n) { return 5 + 22 * n; }

template <class Int>
void put(std::string& block, std::size_t at, Int v) {
  std::memcpy(block.data() + at, &v, sizeof v);  // the tests run on little-endian processors, as the layout is
}

}  // namespace

TEST_CASE("entry blocks: what is packed unpacks to the same entries, after those already there", "[store][kdb]") {
  const Entries e = sample();
  CHECK(unpacked(pack_entries(e, 0, sampled), sampled) == e);
  // A block of the middle entries, unpacked after the first: the entries so far.
  Entries first;
  first.push_back(first_second, 60, EntryKind::scope);
  Entries three = first;
  for (std::size_t i = 1; i < 3; ++i) three.push_back(e[i]);
  CHECK(unpacked(pack_entries(e, 1, 2), 2, first) == three);
  // The layout (docs/formats.md): a format byte 1, the count, then the columns; notes last.
  const std::string block = pack_entries(e, 0, 5);
  const std::size_t note_bytes = e.note(1).size() + 1;
  CHECK(block.size() == 5 + 26 * 5 + note_bytes);
  CHECK(block[0] == 1);
  CHECK(block.substr(block.size() - note_bytes) == std::string(e.note(1)) + "x");
  CHECK(unpacked(pack_entries(Entries{}, 0, 0), 0) == Entries{});
}

TEST_CASE("entry blocks: a block that is not one pack_entries made is declined whole, the entries unchanged", "[store][kdb]") {
  const std::size_t n = sampled;
  const std::string good = pack_entries(sample(), 0, n);
  Entries before;
  before.push_back(first_second, 60, EntryKind::scope, no_request, "kept");
  const auto declined = [&](const std::string& block, std::size_t count = sampled, std::size_t known_requests = 2) {
    Entries into = before;
    if (unpack_entries(block, count, known_requests, into)) return false;
    CHECK(into == before);
    return true;
  };
  const auto with = [&](auto change) {
    std::string block = good;
    change(block);
    return block;
  };
  CHECK_FALSE(declined(good));
  CHECK(declined(""));
  CHECK(declined(with([](std::string& b) { b[0] = 2; })));                      // another layout
  CHECK(declined(good, 4));                                                    // not the count its row gives
  CHECK(declined(good, 6));
  CHECK(declined(with([](std::string& b) { put<std::uint32_t>(b, 1, 1000); }), 1000));  // a count its bytes do not hold
  CHECK(declined(good.substr(0, good.size() - 1)));                             // a note cut short
  CHECK(declined(good + "!"));                                                 // bytes after the last note
  CHECK(declined(good.substr(0, 5 + 26 * n - 1), n));                          // columns cut short
  CHECK(declined(good, n, 1));                                                 // a request the journal does not have
  CHECK(declined(with([](std::string& b) { put<std::int32_t>(b, requests(n), -2); })));
  CHECK(declined(with([](std::string& b) { b[kinds(n) + 2] = 5; })));           // no such kind
  CHECK(declined(with([](std::string& b) { b[as_minutes(n)] = 2; })));
  CHECK(declined(with([](std::string& b) { put<std::int64_t>(b, starts(n), first_second - 1); })));
  CHECK(declined(with([](std::string& b) { put<std::int64_t>(b, starts(n) + 8 * 4, last_second + 1); })));
  CHECK(declined(with([](std::string& b) { put<std::int64_t>(b, seconds(n) + 8 * 2, limits::longest_entry_seconds + 1); })));
  CHECK(declined(with([](std::string& b) { put<std::int64_t>(b, seconds(n) + 8 * 3, -limits::longest_entry_seconds - 1); })));
  // Note lengths that do not add up to the notes' bytes, one way or the other, or overflow 32 bits together.
  CHECK(declined(with([](std::string& b) { put<std::uint32_t>(b, note_lengths(n) + 4 * 3, 2); })));
  CHECK(declined(with([](std::string& b) { put<std::uint32_t>(b, note_lengths(n) + 4 * 3, 0); })));
  CHECK(declined(with([](std::string& b) {
    put<std::uint32_t>(b, note_lengths(n), 0xffffffffu);
    put<std::uint32_t>(b, note_lengths(n) + 4, 0xffffffffu);
  })));
  // Values within the rules read, whatever they are; "in minutes" only for whole minutes, as Entries keeps it.
  const Entries odd = unpacked(with([](std::string& b) { put<std::int64_t>(b, seconds(n), 1802); }), n);
  CHECK(odd.seconds()[0] == 1802);
  CHECK_FALSE(odd.written_as_minutes(0));
  CHECK(unpacked(with([](std::string& b) { put<std::int32_t>(b, requests(n), 1); }), n).requests()[0] == 1);
}
