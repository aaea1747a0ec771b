// What-if: worked example A under changed terms, amounts computed by hand.
#include <catch2/catch.hpp>

#include "kontingent/writers/triage.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {
const Currency eur("EUR");
Money euros(std::int64_t cents) { return {cents, eur}; }
Book example_a() { return load_book_json(test::spec_example("a-fixed.book.json")); }
std::vector<TermsChange> changes(std::initializer_list<std::string_view> texts) {
  std::vector<TermsChange> out;
  for (const auto t : texts) out.push_back(TermsChange::parse(t));
  return out;
}
}  // namespace

TEST_CASE("a higher call fee: 3 started blocks at 50 instead of 40", "[whatif]") {
  const WhatIf w = what_if(example_a(), changes({"call_fee.fee=50"}), {});
  const auto rows = w.rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].client == "acme");
  CHECK(rows[0].category == Category::call);
  CHECK(rows[0].before == euros(12000));
  CHECK(rows[0].after == euros(15000));
  CHECK(rows[0].difference() == euros(3000));
  CHECK(w.before.as_of == w.after.as_of);
}

TEST_CASE("three included rounds: round 3 is no longer extra", "[whatif]") {
  const auto rows = what_if(example_a(), changes({"included_rounds=3"}), {}).rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].category == Category::revision);
  CHECK(rows[0].difference() == euros(-35000));
}

TEST_CASE("a rate change moves every hourly-priced category", "[whatif]") {
  // change: 1.75 h × 100 = 175.00 (was 166.25); rush: 3 h × 100 × 50 % = 150.00 (was 142.50).
  const auto rows = what_if(example_a(), changes({"rate=100"}), {}).rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].category == Category::change);
  CHECK(rows[0].after == euros(17500));
  CHECK(rows[1].category == Category::rush);
  CHECK(rows[1].after == euros(15000));
}

TEST_CASE("rounding and rush changes re-evaluate the same history", "[whatif]") {
  // No rounding (1 min up is exact here): change 100 min → 158.33; rush (70 + 100) min × 95 × 50 % = 134.58.
  const auto rows = what_if(example_a(), changes({"rounding.increment_minutes=1"}), {}).rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].after == euros(15833));
  CHECK(rows[1].after == euros(13458));
  // A 12-hour lead: neither R2 (24 h) nor C1 (32 h) is a rush any more.
  const auto no_rush = what_if(example_a(), changes({"rush.lead_hours=12"}), {}).rows();
  REQUIRE(no_rush.size() == 1);
  CHECK(no_rush[0].category == Category::rush);
  CHECK(no_rush[0].after == euros(0));
}

TEST_CASE("the scope limits the change to one engagement or client", "[whatif]") {
  CHECK(what_if(example_a(), changes({"call_fee.fee=50"}), {WhatIfScope::Kind::engagement, "acme-site"}).rows().size() == 1);
  CHECK(what_if(example_a(), changes({"call_fee.fee=50"}), {WhatIfScope::Kind::client, "acme"}).rows().size() == 1);
  CHECK_THROWS_WITH(what_if(example_a(), changes({"call_fee.fee=50"}), {WhatIfScope::Kind::client, "nobody"}),
                    "--client: the book has no client \"nobody\"");
  CHECK_THROWS_WITH(what_if(example_a(), changes({"call_fee.fee=50"}), {WhatIfScope::Kind::engagement, "x"}),
                    "--engagement: the book has no engagement \"x\"");
}

TEST_CASE("adding a missing part needs all of its fields", "[whatif]") {
  const Book b = load_book_json(test::spec_example("b-retainer.book.json"));
  CHECK_THROWS_WITH(what_if(b, changes({"call_fee.fee=40"}), {}),
                    "--set call_fee: the terms have no call_fee yet: set all of call_fee.free_minutes, call_fee.block_minutes, "
                    "call_fee.fee to add one");
  // With all three: January's 30-minute call is 2 blocks of 20 min at 10.00 with no free minutes, and
  // leaves the contingent: overage 2.5 h → 2 h (see the triage test).
  const auto rows = what_if(b, changes({"call_fee.free_minutes=0", "call_fee.block_minutes=20", "call_fee.fee=10"}), {}).rows();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].category == Category::overage);
  CHECK(rows[0].after == euros(20000));
  CHECK(rows[1].category == Category::call);
  CHECK(rows[1].after == euros(2000));
}

TEST_CASE("malformed changes name the key and the rule", "[whatif]") {
  CHECK_THROWS_WITH(TermsChange::parse("rate"), "--set: expected KEY=VALUE, got \"rate\"");
  CHECK_THROWS_WITH(what_if(example_a(), changes({"ratte=10"}), {}),
                    Catch::StartsWith("--set ratte: unknown key (expected one of rate, fixed_price,"));
  CHECK_THROWS_WITH(what_if(example_a(), changes({"rate=9.999"}), {}), "--set rate: more than 2 decimals in \"9.999\"");
  CHECK_THROWS_WITH(what_if(example_a(), changes({"rate=-1"}), {}), "--set rate: money must not be negative, got \"-1\"");
  CHECK_THROWS_WITH(what_if(example_a(), changes({"included_rounds=two"}), {}),
                    "--set included_rounds: expected a whole number from 0 to 10000000, got \"two\"");
  CHECK_THROWS_WITH(what_if(example_a(), changes({"rounding.mode=sideways"}), {}),
                    "--set rounding.mode: expected up, down or nearest, got \"sideways\"");
  // The changed book is validated like any book: a contingent on fixed terms is refused.
  CHECK_THROWS_WITH(what_if(example_a(), changes({"contingent_hours=10"}), {}),
                    "engagements[0].terms: \"contingent_hours\" is only for pricing \"contingent\" and \"retainer\"");
}

TEST_CASE("what-if output formats", "[whatif]") {
  const WhatIf w = what_if(example_a(), changes({"call_fee.fee=50"}), {});
  CHECK(to_csv(w) == "client,currency,category,before,after,difference\nacme,EUR,call,120.00,150.00,30.00\n");
  CHECK(to_json(w) ==
        "{\n \"format\": \"kontingent-whatif/1\",\n \"as_of\": \"2026-03-10\",\n \"rows\": [\n  {\n   \"client\": \"acme\",\n"
        "   \"currency\": \"EUR\",\n   \"category\": \"call\",\n   \"before\": \"120.00\",\n   \"after\": \"150.00\",\n"
        "   \"difference\": \"30.00\"\n  }\n ]\n}\n");
}

TEST_CASE("rows per client and currency keep the order of first appearance, however the engagements interleave", "[whatif]") {
  // The rows are found through an index by (client, currency), not by a scan per engagement: a
  // book may hold 10^5 clients (docs/performance.md). Example A's engagement four times over.
  Book book = example_a();
  book.clients.push_back({"zwei", "Kunde Zwei", ""});
  const std::tuple<const char*, const char*, const char*> copies[] = {
      {"zwei-1", "zwei", "EUR"}, {"acme-chf", "acme", "CHF"}, {"zwei-2", "zwei", "EUR"}};
  for (const auto& [id, client, currency] : copies) {
    Engagement e = book.engagements[0];
    e.id = id, e.client = client, e.currency = Currency(currency);
    e.terms.rate = Money(e.terms.rate.cents(), e.currency);
    e.terms.fixed_price = Money(e.terms.fixed_price->cents(), e.currency);
    e.terms.call_fee->fee = Money(e.terms.call_fee->fee.cents(), e.currency);
    e.terms.no_show->fee = Money(e.terms.no_show->fee.cents(), e.currency);
    if (e.terms.extra_round_price) e.terms.extra_round_price = Money(e.terms.extra_round_price->cents(), e.currency);
    for (Request& q : e.journal.requests)
      if (q.quote) q.quote = Money(q.quote->cents(), e.currency);
    e.journal.invoices.clear();
    e.journal.payments.clear();
    book.engagements.push_back(e);
  }
  const auto rows = what_if(book, changes({"rate=100"}), {}).rows();
  std::vector<std::tuple<std::string, std::string, Category, std::int64_t>> got;
  for (const WhatIfRow& r : rows) got.emplace_back(r.client, std::string(r.currency.code()), r.category, r.difference().cents());
  // Per engagement: change 1.75 h × 5 = 8.75, rush 3 h × 5 × 50 % = 7.50.
  CHECK(got == std::vector<std::tuple<std::string, std::string, Category, std::int64_t>>{
                   {"acme", "EUR", Category::change, 875},  {"acme", "EUR", Category::rush, 750},
                   {"zwei", "EUR", Category::change, 1750}, {"zwei", "EUR", Category::rush, 1500},
                   {"acme", "CHF", Category::change, 875},  {"acme", "CHF", Category::rush, 750}});
}
