// The command's allocator (src/cli/memory.cpp): what jemalloc grows by is mapped in whole 2 MB
// pages that start at a 2 MB boundary, the only memory the kernel can back with huge pages.
// Without that, its mappings of 2.5, 3, 3.5 … MB (docs/performance.md) fail the test below.
#include <catch2/catch.hpp>
#include <jemalloc/jemalloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
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

  // Like a big book's columns: 64 MB in blocks of 8 to 64 KB, and a few of several megabytes.
  std::vector<void*> blocks;
  std::size_t total = 0;
  for (std::size_t i = 0; total < (std::size_t{64} << 20); ++i) {
    const std::size_t bytes = i % 97 == 0 ? (std::size_t{3} << 20) + 4096 * i : std::size_t{8192} << (i % 4);
    void* block = std::malloc(bytes);
    REQUIRE(block != nullptr);
    std::memset(block, 1, bytes);
    blocks.push_back(block);
    total += bytes;
  }
  constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
  const std::vector<Mapping> maps = mappings();
  std::size_t unaligned = 0;
  for (void* block : blocks) {
    const auto at = reinterpret_cast<std::uintptr_t>(block);
    bool found = false;
    for (const Mapping& m : maps)
      if (m.start <= at && at < m.end) {
        found = true;
        unaligned += m.start % huge_page != 0 || m.end % huge_page != 0;
      }
    REQUIRE(found);
  }
  CHECK(unaligned == 0);
  for (void* block : blocks) std::free(block);
}
