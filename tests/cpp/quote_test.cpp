// Quotes (include/kontingent/quote.hpp, SPEC §12): the price of an event is exactly what recording it
// adds to the billable amounts — checked against the whole book's evaluation on generated books —
// and the facts say why, in the words of the terms.
#include <catch2/catch.hpp>

#include "../../bench/generate.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/quote.hpp"
#include "kontingent/writers/quote.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

Book example_a() { return load_book_json(test::spec_example("a-fixed.book.json")); }
Money eur(const char* amount) { return Money::parse(amount, Currency("EUR")); }

Quote quote_of(const Book& book, std::vector<Event> events, std::optional<Date> as_of = std::nullopt) {
  return quote(book, events, as_of);
}

}  // namespace

TEST_CASE("quote: a third revision round with a flat price, due tomorrow, in worked example A", "[quote]") {
  const Book book = example_a();
  // R1–R3 are rounds 1–3 (2 included); a fourth round asked on 03-01 09:00, due 03-02 09:00, 1:30 h of work.
  const Request r4{"R4", RequestKind::revision, parse_time("2026-03-01T09:00"), parse_time("2026-03-02T09:00"), {}, false};
  const Quote q = quote_of(book, {NewRequest{"acme-site", r4},
                                  NewEntry{"acme-site", r4.received, 5400, EntryKind::revision, "R4", "", true}});
  CHECK(q.as_of == Date(2026, 3, 10));  // the book's default as-of is later than the request
  CHECK(q.price[Category::revision] == eur("350"));
  CHECK(q.price[Category::rush] == eur("71.25"));  // 1.5 h × 95 × 50 %
  CHECK(q.total == eur("421.25"));
  CHECK(q.facts == std::vector<std::string>{"revision round 4, 2 included: an extra round at 350.00 EUR flat",
                                            "due in 24 h, less than the 48 h lead time: rush, +50 % on its hours",
                                            "1:30 h of revision work on R4"});
  CHECK(to_text(q) ==
        "acme-site: 421.25 EUR (as of 2026-03-10)\n"
        "  revision          350.00 EUR\n"
        "  rush               71.25 EUR\n"
        "  - revision round 4, 2 included: an extra round at 350.00 EUR flat\n"
        "  - due in 24 h, less than the 48 h lead time: rush, +50 % on its hours\n"
        "  - 1:30 h of revision work on R4\n");
  CHECK(to_json(q) ==
        "{\n \"format\": \"kontingent-quote/1\",\n \"engagement\": \"acme-site\",\n \"currency\": \"EUR\",\n"
        " \"as_of\": \"2026-03-10\",\n \"price\": {\n  \"base\": \"0.00\",\n  \"overage\": \"0.00\",\n"
        "  \"revision\": \"350.00\",\n  \"change\": \"0.00\",\n  \"call\": \"0.00\",\n  \"rush\": \"71.25\",\n"
        "  \"no_show\": \"0.00\"\n },\n \"total\": \"421.25\",\n \"facts\": [\n"
        "  \"revision round 4, 2 included: an extra round at 350.00 EUR flat\",\n"
        "  \"due in 24 h, less than the 48 h lead time: rush, +50 % on its hours\",\n"
        "  \"1:30 h of revision work on R4\"\n ]\n}\n");
  CHECK(book == example_a());  // a quote never changes the book
}

TEST_CASE("quote: calls against the free minutes and the blocks, no-shows against the fee", "[quote]") {
  const Book book = example_a();  // call fee: 15 min free, then 40.00 per started 30 min
  const Time at = parse_time("2026-03-05T10:00");
  const Quote short_call = quote_of(book, {NewEntry{"acme-site", at, 10 * 60, EntryKind::call, "", "", true}});
  CHECK(short_call.total == eur("0"));
  CHECK(short_call.facts == std::vector<std::string>{"a call of 0:10 h: within the 15 min free"});
  const Quote long_call = quote_of(book, {NewEntry{"acme-site", at, 50 * 60, EntryKind::call, "", "", true}});
  CHECK(long_call.price[Category::call] == eur("80"));
  CHECK(long_call.facts == std::vector<std::string>{"a call of 0:50 h: 15 min free, then 2 started blocks of 30 min at 40.00 EUR"});
  const Quote missed = quote_of(book, {NewAppointment{"acme-site", {at, AppointmentStatus::no_show, {}}}});
  CHECK(missed.price[Category::no_show] == eur("120"));
  CHECK(missed.facts == std::vector<std::string>{"a missed appointment: the no-show fee of 120.00 EUR"});
  const Quote in_time =
      quote_of(book, {NewAppointment{"acme-site", {at, AppointmentStatus::cancelled, parse_time("2026-03-03T10:00")}}});
  CHECK(in_time.total == eur("0"));
  CHECK(in_time.facts == std::vector<std::string>{"cancelled 48 h ahead, not less than the notice: no fee"});
}

TEST_CASE("quote: a change with and without a quote, and the contingent it uses", "[quote]") {
  const Book b = load_book_json(test::spec_example("b-retainer.book.json"));
  const std::string id = b.engagements[0].id;
  // March is used up (10 h of 10 h): one more hour of change work without a quote is an hour at
  // the rate, and it does not touch the contingent (change work is not covered work).
  const Request c{"C9", RequestKind::change, parse_time("2026-03-20T09:00"), {}, {}, false};
  const Quote hourly = quote_of(b, {NewRequest{id, c}, NewEntry{id, c.received, 3600, EntryKind::change, "C9", "", true}});
  CHECK(hourly.price[Category::change] == Money::parse("100", b.engagements[0].currency));
  CHECK(hourly.facts.front() == "change request without a quote: its work billed at 100.00 EUR/h");
  // One more hour of scope work in March goes over the retainer month: an hour of overage.
  const Quote scope = quote_of(b, {NewEntry{id, parse_time("2026-03-20T09:00"), 3600, EntryKind::scope, "", "", true}});
  CHECK(scope.price[Category::overage] == Money::parse("100", b.engagements[0].currency));
  CHECK(scope.facts == std::vector<std::string>{"1:00 h of scope work", "contingent: 1:00 h more used, 1:00 h of it over the contingent"});
}

TEST_CASE("quote: an event the book would refuse is refused, with record()'s message", "[quote]") {
  const Book book = example_a();
  CHECK_THROWS_WITH(quote_of(book, {NewEntry{"acme-site", parse_time("2026-07-02T10:00"), 600, EntryKind::call, "", "", true}}),
                    "engagements[0].entries[10]: starts 2026-07-02, after the engagement's end 2026-06-30");
  CHECK_THROWS_WITH(quote_of(book, {NewEntry{"nope", parse_time("2026-03-02T10:00"), 600, EntryKind::call, "", "", true}}),
                    "the book has no engagement \"nope\"");
  CHECK_THROWS_WITH(quote_of(book, {}), "nothing to quote");
}

TEST_CASE("quote: an event after the as-of date is refused: the report as of that date would not count it", "[quote]") {
  const Book book = example_a();
  const Date before = Date(2026, 3, 1);
  const Time at = parse_time("2026-03-05T09:00");
  CHECK_THROWS_WITH(quote_of(book, {NewEntry{"acme-site", at, 50 * 60, EntryKind::call, "", "", true}}, before),
                    "a call at 2026-03-05T09:00 is after the as-of date 2026-03-01, so a report as of that date does not count "
                    "it; quote as of 2026-03-05 or later");
  Request r{"R4", RequestKind::revision, at, {}};
  CHECK_THROWS_WITH(quote_of(book, {NewRequest{"acme-site", r}}, before),
                    "a revision request at 2026-03-05T09:00 is after the as-of date 2026-03-01, so a report as of that date "
                    "does not count it; quote as of 2026-03-05 or later");
  CHECK_THROWS_WITH(quote_of(book, {NewAppointment{"acme-site", {at, AppointmentStatus::no_show, {}}}}, before),
                    "a missed appointment at 2026-03-05T09:00 is after the as-of date 2026-03-01, so a report as of that "
                    "date does not count it; quote as of 2026-03-05 or later");
  CHECK(quote_of(book, {NewEntry{"acme-site", at, 50 * 60, EntryKind::call, "", "", true}}, Date(2026, 3, 5)).total == eur("80"));
}

TEST_CASE("quote = the change in the whole book's billable amounts when the events are recorded, on generated books",
          "[quote][property]") {
  std::size_t quoted = 0, priced = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const Book book = bench::generate_book({.entries = 400, .engagements = 6, .seed = seed});
    bench::Random rng(seed * 104729);
    for (const Engagement& e : book.engagements) {
      const Date as_of = *default_as_of(book);
      if (e.start > as_of || (e.end && *e.end < as_of)) continue;
      // An event on the as-of day: inside the engagement's dates, and counted.
      const Time at(as_of, boost::posix_time::hours(rng.between(8, 17)));
      const std::string id = "Q" + std::to_string(rng.below(1000));
      const bool revision = rng.chance(50);
      Request r{id, revision ? RequestKind::revision : RequestKind::change, at, {}, {}, false};
      if (rng.chance(60)) r.due = at + boost::posix_time::hours(rng.between(1, 120));
      if (!revision && rng.chance(40)) r.quote = Money(rng.between(1, 100'000), e.currency);
      const Seconds work = 60 * rng.between(1, 600);
      const std::vector<std::vector<Event>> cases{
          {NewRequest{e.id, r}, NewEntry{e.id, at, work, entry_kind_of(r.kind), id, "", true}},
          {NewRequest{e.id, r}},
          {NewEntry{e.id, at, 60 * rng.between(1, 180), EntryKind::call, "", "", true}},
          {NewEntry{e.id, at, work, EntryKind::scope, "", "", true}},
          {NewAppointment{e.id, {at, AppointmentStatus::no_show, {}}}},
      };
      for (const std::vector<Event>& events : cases) {
        if (e.journal.find_request(id) != no_request) continue;
        const Quote q = quote(book, events);
        Book recorded = book;
        for (const Event& event : events) record(recorded, event);
        const auto report_of = [&](const Book& b) {
          const Report all = evaluate(b, q.as_of);
          return *std::find_if(all.engagements.begin(), all.engagements.end(), [&](const EngagementReport& x) { return x.id == e.id; });
        };
        const EngagementReport before = report_of(book), after = report_of(recorded);
        for (std::size_t c = 0; c < category_count; ++c)
          CHECK(q.price.values[c] == after.billable.values[c] - before.billable.values[c]);
        CHECK(q.before == before);
        CHECK(q.after == after);
        ++quoted;
        priced += q.total.cents() != 0;
      }
    }
  }
  CHECK(quoted > 200);
  CHECK(priced > 100);  // most events cost something: the identity is not checked on zeros alone
}
