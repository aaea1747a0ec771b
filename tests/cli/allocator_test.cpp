// The command's allocator (src/cli/memory.cpp): what jemalloc grows by is mapped in whole 2 MB
// pages that start at a 2 MB boundary, the only memory the kernel can back with huge pages.
// Without that, blocks in its mappings of 2.5, 3, 3.5 … MB (docs/performance.md) fail the test below.
#include <catch2/catch.hpp>
#include <jemalloc/jemalloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Mapping {
  std::uintptr_t start = 0, end = 0;
};

std::vector<Mapping> mappings() {
  std::vector<Mapping> all;
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    Mapping m;
    const std::size_t dash = line.find('-');
    m.start = std::stoull(line.substr(0, dash), nullptr, 16);
    m.end = std::stoull(line.substr(dash + 1), nullptr, 16);
    all.push_back(m);
  }
  return all;
}

}  // namespace

TEST_CASE("the command's allocator has one arena and maps what it grows by in aligned 2 MB pages") {
  unsigned arenas = 0;
  std::size_t size = sizeof arenas;
  REQUIRE(mallctl("opt.narenas", &arenas, &size, nullptr, 0) == 0);
  CHECK(arenas == 1);  // "arenas.narenas" counts jemalloc's own arena for huge allocations too

  // Memory mapped before (jemalloc's first, mapped as the program started) is not what is tested.
  const std::vector<Mapping> before = mappings();
  // Like a big book's columns: 64 MB in blocks of 8 to 64 KB, and a few of several megabytes.
  std::vector<std::pair<void*, std::size_t>> blocks;
  std::size_t total = 0;
  for (std::size_t i = 0; total < (std::size_t{64} << 20); ++i) {
    const std::size_t bytes = i % 97 == 0 ? (std::size_t{3} << 20) + 4096 * i : std::size_t{8192} << (i % 4);
    void* block = std::malloc(bytes);
    REQUIRE(block != nullptr);
    std::memset(block, 1, bytes);
    blocks.emplace_back(block, bytes);
    total += bytes;
  }
  // The kernel backs a 2 MB page of memory with a huge page only if one mapping covers it whole.
  constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
  const std::vector<Mapping> after = mappings();
  const auto mapping_of = [](const std::vector<Mapping>& maps, std::uintptr_t at) {
    const auto m = std::find_if(maps.begin(), maps.end(), [&](const Mapping& m) { return m.start <= at && at < m.end; });
    return m == maps.end() ? nullptr : &*m;
  };
  std::size_t tested = 0, in_small_pages = 0;
  for (const auto& [block, bytes] : blocks) {
    const auto from = reinterpret_cast<std::uintptr_t>(block);
    if (mapping_of(before, from)) continue;
    const Mapping* m = mapping_of(after, from);
    REQUIRE(m != nullptr);
    ++tested;
    const std::uintptr_t first = from & ~(huge_page - 1), last = (from + bytes - 1) & ~(huge_page - 1);
    in_small_pages += first < m->start || last + huge_page > m->end;
  }
  CHECK(tested > blocks.size() / 2);
  CHECK(in_small_pages == 0);
  for (const auto& [block, bytes] : blocks) std::free(block);
}
