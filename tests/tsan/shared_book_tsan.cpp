// ThreadSanitizer test (option KONTINGENT_TSAN, preset `tsan`): one const Book shared by several
// threads. Each thread evaluates it on its own (evaluate(book, as_of, 1)) and one more evaluates it
// with threads > 1 at the same time (evaluate's own parallel_for); every report must equal the one
// computed first on this thread alone. The book comes from the benchmark generator and is big
// enough (> 2 · 2^16 entries) for evaluate to start its helper threads. Any data race is a TSan
// report, which fails the test (halt_on_error=1 via TSAN_OPTIONS in CMake, and exit code 66).
#include <cstdio>
#include <thread>
#include <vector>

#include "generate.hpp"
#include "kontingent/evaluate.hpp"

int main() {
  using namespace kontingent;
  const Book book = bench::generate_book({.entries = 200'000, .engagements = 40, .seed = 8});
  const auto as_of = default_as_of(book);
  const Report expected = evaluate(book, as_of, 1);

  constexpr unsigned readers = 4;
  std::vector<Report> reports(readers + 1);
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < readers; ++t)
    threads.emplace_back([&, t] { reports[t] = evaluate(book, as_of, 1); });
  threads.emplace_back([&] { reports[readers] = evaluate(book, as_of, 4); });  // helpers of its own
  const Report in_parallel = evaluate(book, as_of, 3);                         // and this thread too
  for (std::thread& thread : threads) thread.join();

  int failures = in_parallel == expected ? 0 : 1;
  for (const Report& report : reports) failures += report == expected ? 0 : 1;
  std::printf("shared_book_tsan: %zu engagements, %zu reports compared, %d differ\n", expected.engagements.size(),
              reports.size() + 1, failures);
  return failures == 0 ? 0 : 1;
}
