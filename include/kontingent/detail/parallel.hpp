#pragma once
// A small thread pool for one loop: evaluate(Book) spreads engagements over the cores with it.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace kontingent {
namespace detail {

/// How many of `threads` (0: one per core) pay off for work over `entries` entries in `parts`
/// parts: starting a thread costs about as much as evaluating 10^4 entries.
inline unsigned threads_for(std::size_t entries, std::size_t parts, unsigned threads) {
  constexpr std::size_t entries_per_thread = 1 << 16;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>({threads, parts, entries / entries_per_thread + 1})));
}

/// Calls `work(i, worker)` for every i in [0, n) on up to `threads` threads (this one included,
/// as worker 0), handing out indices one at a time so that big and small engagements even out.
/// `worker` < `threads` tells which thread runs it, for state of its own. The first exception
/// thrown by `work` is rethrown here once all threads have stopped.
template <class Work>
void parallel_for(std::size_t n, unsigned threads, Work&& work) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto run = [&](unsigned worker) {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      try {
        work(i, worker);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next.store(n, std::memory_order_relaxed);
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(run, t);
    run(0);
  }  // joins the helpers
  if (failure) std::rethrow_exception(failure);
}

}  // namespace detail

}  // namespace kontingent
