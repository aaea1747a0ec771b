// The command's allocator (CMake option KONTINGENT_JEMALLOC, on by default): jemalloc, told here
// to back what it hands out with transparent huge pages. Reading a book of 10^6 entries allocates
// about 40 MB; in 4 KB pages the kernel faults in and zeroes ten thousand of them, a quarter of the
// whole report's CPU time. In 2 MB pages that is a few dozen (docs/performance.md). The library and
// the Python module keep their host's allocator: this is the program's choice, not the book's.
extern "C" {
// Read by jemalloc when it starts (jemalloc(3), "malloc_conf").
const char* malloc_conf = "thp:always";
}
