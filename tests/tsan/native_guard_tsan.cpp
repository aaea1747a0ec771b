// ThreadSanitizer test of the Python module's NativeGuard (python/src/native_guard.hpp) in the
// pattern that crashed the interpreter (issue 18): threads evaluate one book — the whole book, and
// one engagement of it — while another thread appends entries to that engagement, each under the
// hold the module takes (read for native work, change for an append). The appends move the
// engagement's columns many times; without the guard TSan reports the race (and the reads use freed
// memory). The readers take the book back at once, again and again: the appends get in only because
// a waiting change goes before new reads. Also: a change to another book is not held up by those reads, and a thread that asks to
// change what it reads itself gets an error instead of waiting forever.
#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

#include "generate.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/record.hpp"
#include "native_guard.hpp"

int main() {
  using namespace kontingent;
  using python::NativeGuard;
  using Access = NativeGuard::Access;
  Book book = bench::generate_book({.entries = 2'000, .engagements = 8, .seed = 18});
  const Book other = book;
  const Date as_of = *default_as_of(book);
  Engagement& target = book.engagements[0];
  Entries one;  // a copy of the engagement's first entry: valid wherever the engagement is
  const Entries& first = target.journal.entries;
  one.push_back(first.starts()[0], first.seconds()[0], first.kinds()[0], first.requests()[0]);
  const std::size_t before = first.size();
  constexpr std::size_t appends = 200;

  NativeGuard guard;
  std::atomic<bool> done = false;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 3; ++t)
    threads.emplace_back([&] {
      while (!done) {
        {
          const auto hold = guard.acquire(Access::read, python::regions_of(book));
          const Report r = evaluate(book, as_of, 1);
          if (r.engagements.size() != book.engagements.size()) ++failures;
        }
      }
    });
  threads.emplace_back([&] {
    while (!done) {
      {
        const auto hold = guard.acquire(Access::read, python::regions_of(target));
        const EngagementReport r = evaluate(target, as_of);
        if (r.id != target.id) ++failures;
      }
    }
  });
  for (std::size_t i = 0; i < appends; ++i) {
    const auto hold = guard.acquire(Access::change, python::regions_of(target));
    record_entries(target, one);
  }
  {
    // Another book is another region: its change does not wait for the reads of this one.
    const auto reading = guard.acquire(Access::read, python::regions_of(book));
    if (!guard.try_acquire(Access::change, python::regions_of(other))) ++failures;
    if (guard.try_acquire(Access::change, python::regions_of(target))) ++failures;  // inside the book read
    try {
      guard.acquire(Access::change, python::regions_of(target));
      ++failures;
    } catch (const std::logic_error&) {
    }
  }
  done = true;
  for (std::thread& thread : threads) thread.join();
  if (target.journal.entries.size() != before + appends) ++failures;
  std::printf("native_guard_tsan: %zu appends during reads, %d failures\n", appends, failures.load());
  return failures == 0 ? 0 : 1;
}
