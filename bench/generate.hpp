#pragma once
// Big books for the benchmarks: ~1,000 engagements of every pricing and optional term, with N
// entries between them, made from a fixed seed. The same seed and sizes give the same book on any
// machine: the random numbers come from std::mt19937_64 (whose output the standard fixes) through
// helpers of our own, not from std::*_distribution (whose output it does not).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "kontingent/book.hpp"

namespace kontingent::bench {

struct GeneratorOptions {
  std::size_t entries = 1'000'000;
  std::size_t engagements = 1'000;
  std::uint64_t seed = 2026;
};

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  /// Uniform in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n) { return engine_() % n; }
  /// Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) { return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1))); }
  /// True with probability percent / 100.
  bool chance(unsigned percent) { return below(100) < percent; }
  template <class T, std::size_t N>
  const T& pick(const T (&items)[N]) { return items[below(N)]; }

 private:
  std::mt19937_64 engine_;
};

namespace detail {

inline Time time_at(ClockSeconds t) { return to_time(t); }

inline Terms random_terms(Random& rng, Currency currency, Pricing pricing) {
  const auto money = [&](std::int64_t lo_units, std::int64_t hi_units, std::int64_t cents_step = 100) {
    return Money(rng.between(lo_units * 100 / cents_step, hi_units * 100 / cents_step) * cents_step, currency);
  };
  Terms t;
  t.pricing = pricing;
  t.rate = money(60, 180, 50);
  switch (pricing) {
    case Pricing::fixed: t.fixed_price = money(2'000, 60'000); break;
    case Pricing::contingent:
    case Pricing::retainer:
      t.contingent = rng.between(10, 200) * 3600 + (rng.chance(20) ? 1800 : 0);  // some half hours
      t.contingent_price = money(800, 15'000);
      if (pricing == Pricing::retainer && rng.chance(60)) t.rollover_max = rng.between(0, 40) * 1800;
      break;
    case Pricing::hourly: break;
  }
  t.included_rounds = rng.between(0, 3);
  if (rng.chance(50)) t.extra_round_price = money(150, 600);
  if (rng.chance(70)) {
    const std::int64_t minutes[] = {1, 5, 6, 10, 15, 30};
    t.rounding = Rounding{60 * rng.pick(minutes), static_cast<RoundingMode>(rng.below(3))};
  }
  if (rng.chance(50)) {
    const std::int64_t free[] = {0, 10, 15, 30}, block[] = {15, 30, 60};
    t.call_fee = CallFee{60 * rng.pick(free), 60 * rng.pick(block), money(20, 80)};
  }
  if (rng.chance(50)) {
    const std::int64_t surcharge_percent[] = {10, 25, 50, 100};
    t.rush = Rush{rng.between(12, 96) * 3600, rng.chance(20) ? 12'500'000 : rng.pick(surcharge_percent) * 1'000'000};
  }
  if (rng.chance(50)) t.no_show = NoShow{rng.between(0, 48) * 3600, money(50, 200)};
  return t;
}

inline Engagement random_engagement(Random& rng, std::size_t index, std::size_t entry_count, std::size_t client_count) {
  static const char* const currencies[] = {"EUR", "EUR", "EUR", "EUR", "EUR", "EUR", "EUR", "USD", "USD", "CHF"};
  Engagement e;
  char id[32];
  std::snprintf(id, sizeof id, "E%05zu", index + 1);
  e.id = id;
  std::snprintf(id, sizeof id, "C%04zu", index % client_count + 1);
  e.client = id;
  if (rng.chance(50)) e.title = "Engagement " + std::to_string(index + 1);
  e.currency = Currency(currencies[rng.below(10)]);
  const ClockDays start_day = days_from_civil(2021, 1, 1) + static_cast<ClockDays>(rng.below(4 * 365));
  const ClockDays span_days = static_cast<ClockDays>(rng.between(60, 720));
  e.start = to_date(start_day);
  if (rng.chance(70)) e.end = to_date(start_day + span_days);
  if (rng.chance(50)) e.review_by = to_date(start_day + static_cast<ClockDays>(rng.below(static_cast<std::uint64_t>(span_days) + 60)));
  e.terms = random_terms(rng, e.currency, static_cast<Pricing>(rng.below(4)));

  const ClockSeconds first = Seconds{start_day} * seconds_per_day;
  const Seconds span = Seconds{span_days} * seconds_per_day;  // entries start in [first, first + span)
  const auto some_time = [&] { return first + static_cast<Seconds>(rng.below(static_cast<std::uint64_t>(span))) / 60 * 60; };

  // Requests: at least one of each kind, so that revision and change entries always have one.
  Journal& j = e.journal;
  std::vector<RequestIndex> revisions, changes;
  const std::size_t request_count = 2 + rng.below(14);
  for (std::size_t r = 0; r < request_count; ++r) {
    Request q;
    q.kind = r == 0 ? RequestKind::revision : r == 1 ? RequestKind::change : static_cast<RequestKind>(rng.below(2));
    q.id = (q.kind == RequestKind::revision ? "R" : "C") + std::to_string(r + 1);
    // Some requests arrive at the same minute as the one before: rounds then go by id, as strings.
    q.received = time_at(r > 0 && rng.chance(10) ? clock_seconds(j.requests.back().received) : some_time());
    if (rng.chance(60)) q.due = q.received + boost::posix_time::hours(static_cast<long>(rng.between(4, 240)));
    if (q.kind == RequestKind::change && rng.chance(50)) q.quote = Money(rng.between(100, 4'000) * 100, e.currency);
    q.declined = rng.chance(10);
    (q.kind == RequestKind::revision ? revisions : changes).push_back(static_cast<RequestIndex>(r));
    j.requests.push_back(std::move(q));
  }

  // Entries in time order, spread over the span (a few engagements log some out of order).
  j.entries.reserve(entry_count);
  const bool shuffled = rng.chance(3);
  for (std::size_t i = 0; i < entry_count; ++i) {
    ClockSeconds start = first + static_cast<Seconds>((static_cast<unsigned __int128>(i) * static_cast<unsigned __int128>(span)) / entry_count);
    start = start / 60 * 60 + (rng.chance(5) ? static_cast<Seconds>(rng.below(60)) : 0);
    const Seconds seconds = rng.between(5, 240) * 60 + (rng.chance(3) ? rng.between(1, 59) : 0);
    const unsigned roll = static_cast<unsigned>(rng.below(100));
    EntryKind kind = roll < 50 ? EntryKind::scope : roll < 65 ? EntryKind::revision : roll < 75 ? EntryKind::change
                   : roll < 90 ? EntryKind::call : EntryKind::internal;
    RequestIndex request = no_request;
    if (kind == EntryKind::revision) request = revisions[rng.below(revisions.size())];
    if (kind == EntryKind::change) request = changes[rng.below(changes.size())];
    const bool as_minutes = seconds % 60 == 0 && !rng.chance(20);
    const std::string note = rng.chance(1) ? "note " + std::to_string(i) : std::string();
    j.entries.push_back(start, seconds, kind, request, note, as_minutes);
  }
  if (shuffled && entry_count > 2) {
    // Rebuild with some neighbours swapped: the pass must then sort to look for overlaps.
    Entries swapped;
    swapped.reserve(entry_count);
    std::vector<std::size_t> order(entry_count);
    for (std::size_t i = 0; i < entry_count; ++i) order[i] = i;
    for (std::size_t i = 0; i + 1 < entry_count; i += 2)
      if (rng.chance(10)) std::swap(order[i], order[i + 1]);
    for (const std::size_t i : order) swapped.push_back(j.entries[i]);
    j.entries = std::move(swapped);
  }

  for (std::size_t a = rng.below(7); a > 0; --a) {
    Appointment ap;
    ap.at = time_at(some_time());
    ap.status = static_cast<AppointmentStatus>(rng.below(3));
    if (ap.status == AppointmentStatus::cancelled) ap.cancelled = ap.at - boost::posix_time::hours(static_cast<long>(rng.between(1, 72)));
    j.appointments.push_back(ap);
  }
  for (std::size_t n = rng.below(7); n > 0; --n) {
    Invoice inv;
    inv.id = e.id + "-INV-" + std::to_string(j.invoices.size() + 1);
    inv.date = to_date(start_day + static_cast<ClockDays>(rng.below(static_cast<std::uint64_t>(span_days) + 30)));
    Money total = Money::zero(e.currency);
    for (std::size_t l = 1 + rng.below(3); l > 0; --l) {
      inv.lines.push_back({static_cast<Category>(rng.below(category_count)), Money(rng.between(50, 8'000) * 100 + (rng.chance(30) ? 50 : 0), e.currency)});
      total += inv.lines.back().amount;
    }
    if (rng.chance(75)) {
      const bool partial = rng.chance(20);
      j.payments.push_back({inv.id, inv.date + boost::gregorian::days(static_cast<long>(rng.below(60))),
                            partial ? Money(total.cents() / 2, e.currency) : total});
    }
    j.invoices.push_back(std::move(inv));
  }
  return e;
}

}  // namespace detail

/// A valid book of `options.entries` entries in `options.engagements` engagements (sizes vary ±50 %
/// around the mean), clients shared between engagements.
inline Book generate_book(const GeneratorOptions& options) {
  Random rng(options.seed);
  Book book;
  const std::size_t engagements = std::max<std::size_t>(1, options.engagements);
  const std::size_t clients = std::max<std::size_t>(1, engagements / 3);
  static const char* const channels[] = {"website", "referral", "social", "fair", "cold call"};
  for (std::size_t c = 0; c < clients; ++c) {
    char id[32];
    std::snprintf(id, sizeof id, "C%04zu", c + 1);
    book.clients.push_back({id, "Client " + std::to_string(c + 1), rng.chance(80) ? channels[rng.below(5)] : ""});
  }
  // Sizes: mean ± 50 %, then the rest handed out so that they add up to exactly `entries`.
  std::vector<std::size_t> sizes(engagements);
  const std::size_t mean = options.entries / engagements;
  std::size_t given = 0;
  for (std::size_t& s : sizes) given += s = mean / 2 + (mean > 0 ? rng.below(mean + 1) : 0);
  for (std::size_t i = 0; given != options.entries; i = (i + 1) % engagements) {
    if (given < options.entries) {
      const std::size_t add = std::min<std::size_t>(options.entries - given, std::max<std::size_t>(1, mean / 4));
      sizes[i] += add, given += add;
    } else {
      const std::size_t take = std::min<std::size_t>({given - options.entries, sizes[i], std::max<std::size_t>(1, mean / 4)});
      sizes[i] -= take, given -= take;
    }
  }
  book.engagements.reserve(engagements);
  for (std::size_t i = 0; i < engagements; ++i) book.engagements.push_back(detail::random_engagement(rng, i, sizes[i], clients));
  return book;
}

}  // namespace kontingent::bench
