// The command's allocator (CMake option KONTINGENT_JEMALLOC, on by default): jemalloc, told here
// to back what it hands out with transparent huge pages. Reading a book of 10^6 entries allocates
// about 40 MB; in 4 KB pages the kernel faults in and zeroes ten thousand of them, a quarter of the
// whole report's CPU time. In 2 MB pages that is a few dozen (docs/performance.md). The library and
// the Python module keep their host's allocator: this is the program's choice, not the book's.
//
// One arena: the command's threads allocate a few columns per engagement, not in their inner
// loops, so they hardly contend for it, and one arena grows into fewer fresh pages than one a
// thread (a tenth less CPU and peak memory on that book).
#include <jemalloc/jemalloc.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <string>

extern "C" {
// Read by jemalloc when it starts (jemalloc(3), "malloc_conf").
const char* malloc_conf = "thp:always,narenas:1";
}

namespace {

constexpr std::size_t huge_page = std::size_t{2} << 20;

extent_hooks_t hooks;  // jemalloc's own, but for where an arena's new memory is mapped

/// Memory for an arena to grow by, starting where a 2 MB page does and mapped in whole 2 MB pages.
/// jemalloc grows an arena by 2, 2.5, 3, 3.5 … MB, mapped wherever mmap puts them; the kernel
/// backs only a 2 MB-aligned range that one mapping covers whole with a huge page, so most of what
/// jemalloc's own mappings hold was faulted in 4 KB at a time (docs/performance.md).
void* map_in_huge_pages(extent_hooks_t*, void* at, std::size_t size, std::size_t alignment, bool* zero, bool* commit,
                        unsigned) {
  if (at != nullptr) return nullptr;  // growing a mapping in place: jemalloc then maps anew
  const std::size_t align = std::max(alignment, huge_page);
  const std::size_t rounded = (size + huge_page - 1) & ~(huge_page - 1);
  void* const mapped = mmap(nullptr, rounded + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  const auto from = reinterpret_cast<std::uintptr_t>(mapped);
  const std::uintptr_t start = (from + align - 1) & ~(align - 1), end = start + rounded;
  if (start > from) munmap(mapped, start - from);
  if (from + rounded + align > end) munmap(reinterpret_cast<void*>(end), from + rounded + align - end);
  madvise(reinterpret_cast<void*>(start), rounded, MADV_HUGEPAGE);
  *zero = *commit = true;
  return reinterpret_cast<void*>(start);
}

/// Gives every arena map_in_huge_pages(), before the command allocates much.
const bool hooked = [] {
  extent_hooks_t* own = nullptr;
  std::size_t size = sizeof own;
  unsigned arenas = 0;
  std::size_t arenas_size = sizeof arenas;
  if (mallctl("arena.0.extent_hooks", &own, &size, nullptr, 0) != 0 ||
      mallctl("arenas.narenas", &arenas, &arenas_size, nullptr, 0) != 0)
    return false;  // jemalloc as it is: slower, not wrong
  hooks = *own;
  hooks.alloc = &map_in_huge_pages;
  extent_hooks_t* ours = &hooks;
  for (unsigned i = 0; i < arenas; ++i) {
    const std::string name = "arena." + std::to_string(i) + ".extent_hooks";
    mallctl(name.c_str(), nullptr, nullptr, &ours, sizeof ours);
  }
  return true;
}();

}  // namespace
