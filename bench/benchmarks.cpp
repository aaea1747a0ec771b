// Google Benchmark timings behind docs/performance.md; bench/run.py runs them with the rest.
//   Evaluate/N/T        evaluate(Book) of a generated N-entry book on T threads (entries/s)
//   StreamingSum/N      a plain pass summing the same entry columns (start, seconds, kind, request)
//   LiveBalance/N       build a live balance by N appends, reading it after each (time per append+read)
//   LoadBookJson        load_book_json (parse + full validation) of $KONTINGENT_BENCH_BOOK (bytes/s; freeing it untimed)
//   LoadBookArchive     load_book (checksum + full validation) of the .kbin $KONTINGENT_BENCH_ARCHIVE (bytes/s; freeing it untimed)
//   LoadBookKdb         load_book (read + full validation) of $KONTINGENT_BENCH_KDB, or of a generated 10^6-entry .kdb (entries/s; freeing it untimed)
//   ReadEntryLists      the entry reader alone (src/formats/json_entries.cpp), one thread, over every entry list of the
//                       JSON book $KONTINGENT_BENCH_FOREIGN, or of the generated 10^6-entry book as kontingent writes it (entries/s)
//   CutEngagements      the cut of a book's text at its engagements alone (src/formats/json_layout.cpp), one thread, over the
//                       same book in memory (bytes/s)
//   AppendKdb/N         BookStore::append of one entry to a .kdb book of N entries, durable commit included;
//                       slowest_ms: the slowest append of the run
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <vector>

#include "formats/json_entries.hpp"
#include "formats/json_layout.hpp"
#include "generate.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/live.hpp"
#include "kontingent/store.hpp"

namespace {

using namespace kontingent;

const Book& book_of(std::size_t entries) {
  static std::map<std::size_t, Book> books;
  auto it = books.find(entries);
  if (it == books.end()) {
    books.clear();  // one big book at a time
    it = books.emplace(entries, bench::generate_book({.entries = entries})).first;
  }
  return it->second;
}

void Evaluate(benchmark::State& state) {
  const Book& book = book_of(static_cast<std::size_t>(state.range(0)));
  const auto threads = static_cast<unsigned>(state.range(1));
  const Date as_of = *default_as_of(book);
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(book, as_of, threads));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// The floor: one pass over the same columns that evaluate reads, summing them.
void StreamingSum(benchmark::State& state) {
  const Book& book = book_of(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    std::int64_t sum = 0;
    for (const Engagement& e : book.engagements) {
      const Entries& entries = e.journal.entries;
      const auto starts = entries.starts();
      const auto seconds = entries.seconds();
      const auto kinds = entries.kinds();
      const auto requests = entries.requests();
      for (std::size_t i = 0; i < entries.size(); ++i)
        sum += starts[i] + seconds[i] + static_cast<std::int64_t>(kinds[i]) + requests[i];
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// A time-tracking app's engagement: a retainer with every optional term, so that each append goes
/// through rounding, the call fee, rush requests and the months.
Engagement live_engagement(std::size_t entries) {
  Book book = bench::generate_book({.entries = entries, .engagements = 1, .seed = 99});
  Engagement e = std::move(book.engagements.front());
  Terms& t = e.terms;
  t = Terms{};
  t.pricing = Pricing::retainer;
  t.rate = Money(9'500, e.currency);
  t.contingent = 20 * 3600;
  t.contingent_price = Money(180'000, e.currency);
  t.rollover_max = 5 * 3600;
  t.included_rounds = 2;
  t.rounding = Rounding{15 * 60, RoundingMode::up};
  t.call_fee = CallFee{15 * 60, 30 * 60, Money(4'000, e.currency)};
  t.rush = Rush{48 * 3600, 50'000'000};
  t.no_show = NoShow{24 * 3600, Money(12'000, e.currency)};
  return e;
}

void LiveBalanceAppend(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Engagement full = live_engagement(n);
  Engagement empty = full;
  empty.journal.entries = Entries();
  const Entries& entries = full.journal.entries;
  const Date as_of = empty.end ? *empty.end : to_date(day_of(entries.starts().back()));
  std::int64_t checksum = 0;
  for (auto _ : state) {
    LiveBalance live(empty, as_of);
    for (std::size_t i = 0; i < n; ++i) {
      live.append(entries.starts()[i], entries.seconds()[i], entries.kinds()[i], entries.requests()[i]);
      checksum += live.remaining_contingent().value_or(0) + live.rounds_used() + live.unbilled().cents();
    }
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

/// Loads `file` with `load` once per iteration; freeing the book is not timed (a command that reads
/// a book frees it once, at its end). Bytes and entries per second.
template <class Load>
void time_loads(benchmark::State& state, const std::filesystem::path& file, Load load) {
  std::size_t entries = 0;
  for (auto _ : state) {
    std::optional<Book> book = load(file);
    state.PauseTiming();
    entries = 0;
    for (const Engagement& e : book->engagements) entries += e.journal.entries.size();
    book.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(std::filesystem::file_size(file)));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(entries));
}

void LoadBookJson(benchmark::State& state) {
  const char* path = std::getenv("KONTINGENT_BENCH_BOOK");
  std::filesystem::path file = path ? path : std::filesystem::temp_directory_path() / "kontingent-bench.book.json";
  if (!path) save_book_json(bench::generate_book({.entries = 1'000'000}), file);
  time_loads(state, file, [](const std::filesystem::path& f) { return load_book_json(f); });
}

void LoadBookArchive(benchmark::State& state) {
  const char* path = std::getenv("KONTINGENT_BENCH_ARCHIVE");
  std::filesystem::path file = path ? path : std::filesystem::temp_directory_path() / "kontingent-bench.kbin";
  if (!path) save_book(bench::generate_book({.entries = 1'000'000}), file);
  time_loads(state, file, [](const std::filesystem::path& f) { return load_book(f); });
}

}  // namespace

BENCHMARK(Evaluate)->ArgNames({"entries", "threads"})->ArgsProduct({{1'000'000, 10'000'000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(StreamingSum)->ArgName("entries")->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(LiveBalanceAppend)->ArgName("entries")->RangeMultiplier(10)->Range(1'000, 10'000'000)
    ->Unit(benchmark::kMillisecond)->UseRealTime();
/// One entry appended to a .kdb book of N entries (one engagement of the generated book takes it),
/// each in its own transaction with its commit: what a time tracker pays per entry.
void AppendKdb(benchmark::State& state) {
  const Book& book = book_of(static_cast<std::size_t>(state.range(0)));
  const std::filesystem::path file = std::filesystem::temp_directory_path() / "kontingent-bench-append.kdb";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  save_book(book, file);
  const Engagement& e = book.engagements.front();
  const std::unique_ptr<BookStore> store = open_book(file);
  std::int64_t n = 0;
  double slowest = 0;
  for (auto _ : state) {
    // One second apart, from the engagement's first day: inside its dates, never the same entry.
    const Time start(e.start, boost::posix_time::seconds(n++));
    const auto t0 = std::chrono::steady_clock::now();
    store->append(NewEntry{e.id, start, 60, EntryKind::internal, "", "", true});
    slowest = std::max(slowest, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  // Once in 1,024 appends (4,096 run), one packs the rows after the engagement's entry blocks (docs/formats.md).
  state.counters["slowest_ms"] = slowest;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
}

/// The entry lists of a book's text, each from its `[` to the end of its engagement.
std::vector<std::string_view> entry_lists(std::string_view book) {
  std::vector<std::string_view> lists;
  detail::find_engagements(book, [&](std::string_view engagement) {
    if (const auto at = detail::find_entry_list(engagement)) lists.push_back(engagement.substr(*at));
  });
  return lists;
}

/// The JSON book the reader's benchmarks read: $KONTINGENT_BENCH_FOREIGN, or the generated 10^6-entry book as kontingent writes it.
const std::string& reader_book_text() {
  static const std::string text = [] {
    if (const char* path = std::getenv("KONTINGENT_BENCH_FOREIGN")) {
      std::ifstream in(path, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    }
    return to_json(bench::generate_book({.entries = 1'000'000}));
  }();
  return text;
}

void ReadEntryLists(benchmark::State& state) {
  static const std::vector<std::string_view> lists = entry_lists(reader_book_text());
  detail::PlainEntryList list;  // as a parsing thread keeps it from one engagement to the next
  std::size_t entries = 0;
  for (auto _ : state) {
    entries = 0;
    for (const std::string_view l : lists) {
      if (!detail::read_plain_entry_list(l, list)) {
        state.SkipWithError("an entry list was declined: the reader was not measured");
        break;  // and the benchmark's loop ends after this iteration
      }
      entries += list.entries.size();
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(entries) * state.iterations());
}

void CutEngagements(benchmark::State& state) {
  const std::string& text = reader_book_text();
  for (auto _ : state) {
    std::size_t engagements = 0;
    if (!detail::find_engagements(text, [&](std::string_view) { ++engagements; }) || engagements == 0) {
      state.SkipWithError("the book was not cut: the cut was not measured");
      break;
    }
    benchmark::DoNotOptimize(engagements);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
}

BENCHMARK(LoadBookJson)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(ReadEntryLists)->Unit(benchmark::kMillisecond);
BENCHMARK(CutEngagements)->Unit(benchmark::kMillisecond);
BENCHMARK(LoadBookArchive)->Unit(benchmark::kMillisecond)->UseRealTime();

void LoadBookKdb(benchmark::State& state) {
  const char* path = std::getenv("KONTINGENT_BENCH_KDB");
  std::filesystem::path file = path ? path : std::filesystem::temp_directory_path() / "kontingent-bench-load.kdb";
  [[maybe_unused]] static const bool saved = [&] {  // once: Google Benchmark calls this function for each repetition
    if (path) return false;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
    save_book(bench::generate_book({.entries = 1'000'000}), file);
    return true;
  }();
  time_loads(state, file, [](const std::filesystem::path& f) { return load_book(f); });
}
BENCHMARK(LoadBookKdb)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK(AppendKdb)->ArgName("entries")->Arg(1'000)->Arg(1'000'000)->Iterations(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
