// LiveBalance (include/kontingent/live.hpp): after every append it says what evaluate() says.
#include <catch2/catch.hpp>

#include "../../bench/generate.hpp"  // the benchmarks' book generator: every pricing and optional term
#include "kontingent/live.hpp"

using namespace kontingent;

namespace {

/// The engagement with only its first `n` entries, in the order `order`.
Engagement with_entries(const Engagement& full, const std::vector<std::size_t>& order, std::size_t n) {
  Engagement e = full;
  e.journal.entries = Entries();
  for (std::size_t i = 0; i < n; ++i) e.journal.entries.push_back(full.journal.entries[order[i]]);
  return e;
}

void check_live_equals_evaluate(const Engagement& full, Date as_of, const std::vector<std::size_t>& order) {
  LiveBalance live(with_entries(full, order, 0), as_of);
  for (std::size_t n = 1; n <= order.size(); ++n) {
    live.append(full.journal.entries[order[n - 1]]);
    const EngagementReport expected = evaluate(with_entries(full, order, n), as_of);
    REQUIRE(live.unbilled() == expected.unbilled);
    REQUIRE(live.rounds_used() == expected.rounds.used);
    if (expected.contingent) {
      REQUIRE(live.remaining_contingent().has_value());
      CHECK(*live.remaining_contingent() >= 0);
    } else {
      REQUIRE_FALSE(live.remaining_contingent().has_value());
    }
    if (n % 16 == 0 || n == order.size()) REQUIRE(live.report() == expected);
  }
}

}  // namespace

TEST_CASE("a live balance equals evaluate() after every appended entry, for every pricing and term") {
  const Book book = bench::generate_book({.entries = 1'600, .engagements = 16, .seed = 7});
  const Date late = *default_as_of(book);
  for (const Engagement& e : book.engagements) {
    INFO("engagement " << e.id << " (" << name(e.terms.pricing) << ")");
    std::vector<std::size_t> order(e.journal.entries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    check_live_equals_evaluate(e, late, order);
    // As of a date inside the engagement: later entries, requests and months are not counted yet.
    check_live_equals_evaluate(e, e.start + boost::gregorian::days(45), order);
  }
}

TEST_CASE("a live balance takes entries out of time order: the overlap alert still matches") {
  const Book book = bench::generate_book({.entries = 400, .engagements = 4, .seed = 11});
  for (const Engagement& e : book.engagements) {
    std::vector<std::size_t> order(e.journal.entries.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;  // newest first
    check_live_equals_evaluate(e, *default_as_of(book), order);
  }
}

TEST_CASE("the remaining contingent is what is left of the last period, never below zero") {
  Engagement e;
  e.id = "block";
  e.client = "c";
  e.currency = Currency("EUR");
  e.start = Date(2026, 1, 1);
  e.terms.pricing = Pricing::contingent;
  e.terms.rate = Money(10'000, e.currency);
  e.terms.contingent = 2 * 3600;
  e.terms.contingent_price = Money(18'000, e.currency);
  LiveBalance live(e, Date(2026, 1, 31));
  CHECK(live.remaining_contingent() == Seconds{7200});
  live.append(clock_seconds(Time(Date(2026, 1, 5), boost::posix_time::hours(9))), 5400, EntryKind::scope);
  CHECK(live.remaining_contingent() == Seconds{1800});
  CHECK(live.unbilled() == Money(18'000, e.currency));  // the block, not invoiced yet
  live.append(clock_seconds(Time(Date(2026, 1, 6), boost::posix_time::hours(9))), 3600, EntryKind::scope);
  CHECK(live.remaining_contingent() == Seconds{0});
  CHECK(live.unbilled() == Money(18'000 + 5'000, e.currency));  // plus half an hour of overage
}

TEST_CASE("a live balance refuses an entry evaluate() could not take") {
  Engagement e;
  e.id = "e";
  e.client = "c";
  e.currency = Currency("EUR");
  e.start = Date(2026, 1, 1);
  e.terms.rate = Money(10'000, e.currency);
  LiveBalance live(e, Date(2026, 1, 31));
  const ClockSeconds nine = clock_seconds(Time(Date(2026, 1, 5), boost::posix_time::hours(9)));
  // The messages are record()'s, which are validate()'s (record_test.cpp).
  CHECK_THROWS_WITH(live.append(nine, 0, EntryKind::scope), "entries[0].minutes: must be a positive integer, got 0");
  CHECK_THROWS_WITH(live.append(nine, 60, EntryKind::revision, 0), "entries[0].request: unknown request #0");
  CHECK_THROWS_WITH(live.append(nine, 60, EntryKind::scope, 0), "entries[0]: a \"scope\" entry cannot name a request");
  CHECK(live.engagement().journal.entries.empty());
}
