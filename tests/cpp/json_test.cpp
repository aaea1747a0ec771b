// The book file (SPEC §7) round trip and the JSON report writer (SPEC §6).
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kontingent/evaluate.hpp"
#include "kontingent/formats/json.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

/// A book that uses every optional field of SPEC §7, with awkward text and numbers.
constexpr std::string_view everything_book = R"({"format": "kontingent-book/1",
 "clients": [{"id": "mueller", "name": "Müller \"&\" Söhne", "channel": "referral"},
             {"id": "solo", "name": "Solo"}],
 "engagements": [
  {"id": "relaunch", "client": "mueller", "title": "Relaunch – Phase 2 ✓", "currency": "EUR",
   "start": "2026-01-05", "end": "2026-06-30", "review_by": "2026-03-31",
   "terms": {"pricing": "retainer", "rate": "95.5", "contingent_hours": 7.5, "contingent_price": "712.25",
     "rollover_max_hours": 0.25, "included_rounds": 2, "extra_round_price": "350",
     "rounding": {"increment_minutes": 15, "mode": "nearest"},
     "call_fee": {"free_minutes": 0, "block_minutes": 30, "fee": "40"},
     "rush": {"lead_hours": 36.5, "surcharge_percent": 12.5},
     "no_show": {"notice_hours": 0.75, "fee": "120.05"}},
   "requests": [
     {"id": "R1", "kind": "revision", "received": "2026-02-01T09:00:15", "due": "2026-02-02T09:00:59"},
     {"id": "R2", "kind": "revision", "received": "2026-02-03T09:00", "declined": true},
     {"id": "C1", "kind": "change", "received": "2026-02-04T09:00", "due": "2026-02-10T17:30", "quote": "480.5"},
     {"id": "C2", "kind": "change", "received": "2026-02-05T09:00", "quote": "0.01", "declined": true},
     {"id": "C3", "kind": "change", "received": "2026-02-05T10:00", "declined": false}],
   "entries": [
     {"start": "2026-01-06T09:00", "minutes": 90, "kind": "scope", "note": "said \"final\" \\ twice\nthen: Größe ändern €"},
     {"start": "2026-01-07T09:00:30", "end": "2026-01-07T10:15:45", "kind": "scope"},
     {"start": "2026-02-01T10:00", "end": "2026-02-01T11:00", "kind": "revision", "request": "R1"},
     {"start": "2026-02-03T10:00", "minutes": 30, "kind": "revision", "request": "R2", "note": "caf\u00e9\ttab\r\u0001"},
     {"start": "2026-02-04T10:00", "minutes": 240, "kind": "change", "request": "C1"},
     {"start": "2026-02-06T23:30", "end": "2026-02-07T00:45", "kind": "call", "note": "über Mitternacht"},
     {"start": "2026-02-08T08:00", "minutes": 1, "kind": "internal", "note": "日本語 \\n is not a newline"}],
   "appointments": [
     {"at": "2026-02-10T10:00", "status": "kept"},
     {"at": "2026-02-11T10:00", "status": "no_show"},
     {"at": "2026-02-12T10:00:30", "status": "cancelled", "cancelled": "2026-02-12T09:30:05"}],
   "invoices": [
     {"id": "INV-1", "date": "2026-02-28",
      "lines": [{"category": "base", "amount": "712.25"}, {"category": "no_show", "amount": "120.05"}]},
     {"id": "INV-2", "date": "2026-03-01", "lines": [{"category": "change", "amount": "0"}]}],
   "payments": [{"invoice": "INV-1", "date": "2026-03-05", "amount": "500"},
                {"invoice": "INV-1", "date": "2026-03-06", "amount": "332.3"}]},
  {"id": "block", "client": "solo", "currency": "USD", "start": "2026-02-01",
   "terms": {"pricing": "contingent", "rate": "80", "contingent_hours": 0.25, "contingent_price": "20"}},
  {"id": "flat", "client": "solo", "currency": "CHF", "start": "2026-02-01",
   "terms": {"pricing": "fixed", "rate": "100", "fixed_price": "999.99",
             "rounding": {"increment_minutes": 6, "mode": "down"}}},
  {"id": "hours", "client": "mueller", "currency": "EUR", "start": "2026-02-01",
   "terms": {"pricing": "hourly", "rate": "0.5", "rounding": {"increment_minutes": 1, "mode": "up"}},
   "requests": [], "entries": [], "appointments": [], "invoices": [], "payments": []}]})";

using test::TemporaryDirectory;

}  // namespace

TEST_CASE("a worked-example book reads back equal after writing it") {
  for (const char* name : {"a-fixed.book.json", "b-retainer.book.json"}) {
    INFO(name);
    const Book book = load_book_json(test::spec_example(name));
    CHECK(parse_book_json(to_json(book)) == book);
  }
}

TEST_CASE("a worked-example book is written byte for byte as its file") {
  for (const char* name : {"a-fixed.book.json", "b-retainer.book.json"}) {
    INFO(name);
    const std::string path = test::spec_example(name);
    CHECK(to_json(load_book_json(path)) == test::read_file(path));
  }
}

TEST_CASE("a book using every optional field reads back equal after writing it") {
  const Book book = parse_book_json(everything_book);
  const std::string json = to_json(book);
  CHECK(parse_book_json(json) == book);
  CHECK(to_json(parse_book_json(json)) == json);  // writing is a fixpoint

  SECTION("the values read are the ones written in the file") {
    const Engagement& e = book.engagements[0];
    CHECK(book.clients[0].name == "Müller \"&\" Söhne");
    CHECK(e.title == "Relaunch – Phase 2 ✓");
    CHECK(e.terms.contingent == Seconds{27000});     // 7.5 h
    CHECK(e.terms.rollover_max == Seconds{900});     // 0.25 h
    CHECK(e.terms.rush->lead == 131400);             // 36.5 h
    CHECK(e.terms.rush->surcharge_micro_percent == 12'500'000);
    CHECK(e.terms.no_show->notice == 2700);          // 0.75 h
    CHECK(e.terms.no_show->fee.cents() == 12005);
    CHECK(e.terms.rate.cents() == 9550);
    CHECK(book.engagements[1].terms.contingent == Seconds{900});  // 0.25 h
    CHECK(e.journal.requests[0].received == parse_time("2026-02-01T09:00:15"));
    CHECK(e.journal.requests[1].declined);
    CHECK_FALSE(e.journal.requests[4].declined);
    CHECK(e.journal.requests[2].quote->cents() == 48050);
    const Entries& entries = e.journal.entries;
    CHECK(entries.note(0) == "said \"final\" \\ twice\nthen: Größe ändern €");
    CHECK(entries.note(3) == "café\ttab\r\x01");
    CHECK(entries.note(6) == "日本語 \\n is not a newline");
    CHECK(entries[1].seconds == 4515);  // 09:00:30 → 10:15:45
    CHECK_FALSE(entries[1].written_as_minutes);
    CHECK_FALSE(entries[2].written_as_minutes);  // end form, even on whole minutes
    CHECK(entries[0].written_as_minutes);
    CHECK(entries[5].seconds == 75 * 60);  // across midnight
    CHECK(e.journal.appointments[2].cancelled == parse_time("2026-02-12T09:30:05"));
  }

  SECTION("the text keeps the file's spellings") {
    for (const char* expected : {R"("contingent_hours": 7.5)", R"("rollover_max_hours": 0.25)", R"("contingent_hours": 0.25)",
                                 R"("lead_hours": 36.5)", R"("surcharge_percent": 12.5)", R"("notice_hours": 0.75)",
                                 R"("rate": "95.5")", R"("fee": "120.05")", R"("amount": "332.3")", R"("amount": "0")",
                                 R"("received": "2026-02-01T09:00:15")", R"("due": "2026-02-02T09:00:59")",
                                 R"("start": "2026-01-07T09:00:30")", R"("end": "2026-01-07T10:15:45")",
                                 R"("end": "2026-02-01T11:00")", R"("minutes": 90)", R"("declined": true)",
                                 R"("cancelled": "2026-02-12T09:30:05")", R"("at": "2026-02-12T10:00:30")",
                                 R"("note": "said \"final\" \\ twice\nthen: Größe ändern €")",
                                 R"("note": "café\ttab\r\u0001")", R"("name": "Müller \"&\" Söhne")"}) {
      INFO(expected);
      CHECK(json.find(expected) != std::string::npos);
    }
  }
}

TEST_CASE("hours finer than a second are written back as typed, as the fewest decimals that read back to the same second") {
  // 26.194 h is 94,298.4 s, kept as 94,298 s; written back it must read as 94,298 s again, and say 26.194 as its author did.
  const auto terms_written = [](const std::string& contingent_hours, const std::string& lead_hours, const std::string& percent) {
    const std::string book = R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}], "engagements": [
      {"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-01",
       "terms": {"pricing": "contingent", "rate": "80", "contingent_hours": )" + contingent_hours + R"(, "contingent_price": "20",
                 "rush": {"lead_hours": )" + lead_hours + R"(, "surcharge_percent": )" + percent + R"(}}}]})";
    const Book read = parse_book_json(book);
    const std::string json = to_json(read);
    CHECK(parse_book_json(json) == read);
    const Terms& t = read.engagements[0].terms;
    return std::tuple(*t.contingent, t.rush->lead, t.rush->surcharge_micro_percent, json);
  };
  const auto [contingent, lead, percent, json] = terms_written("26.194", "0.0003", "12.3456789");
  CHECK(contingent == 94298);
  CHECK(lead == 1);  // 1.08 s
  CHECK(percent == 12'345'679);
  CHECK(json.find(R"("contingent_hours": 26.194,)") != std::string::npos);
  CHECK(json.find(R"("lead_hours": 0.0003,)") != std::string::npos);  // the fewest decimals for 1 s
  CHECK(json.find(R"("surcharge_percent": 12.345679)") != std::string::npos);
  // Whole and half hours, and the largest: as plain as they can be.
  CHECK(std::get<3>(terms_written("40", "1.5", "100")).find(R"("contingent_hours": 40,)") != std::string::npos);
  CHECK(std::get<3>(terms_written("1000000", "0.5", "0")).find(R"("contingent_hours": 1000000,)") != std::string::npos);
  // Every second of the first hour and a spread beyond reads back to itself from the fewest decimals.
  for (Seconds s = 1; s < 400'000; s += s < 3600 ? 1 : 997) {
    const std::string hours = std::get<3>(terms_written(std::to_string(s / 3600.0), "1", "1"));
    const auto at = hours.find(R"("contingent_hours": )") + 20;
    const std::string written = hours.substr(at, hours.find(',', at) - at);
    INFO(s << " s written as " << written);
    CHECK(std::get<0>(terms_written(written, "1", "1")) == s);
    CHECK(written.size() <= std::to_string(s / 3600).size() + 5);  // at most four decimals
  }
}

TEST_CASE("save_book_json writes a file that loads back equal and leaves no temporary file behind") {
  const TemporaryDirectory dir;
  const std::filesystem::path file = dir.path / "book.json";
  const Book first = parse_book_json(everything_book);
  const Book second = load_book_json(test::spec_example("a-fixed.book.json"));

  save_book_json(first, file);
  CHECK(load_book_json(file) == first);
  CHECK(test::read_file(file.string()) == to_json(first));
  CHECK(dir.files() == std::set<std::string>{"book.json"});

  SECTION("saving over an existing book replaces it") {
    save_book_json(second, file);
    CHECK(load_book_json(file) == second);
    CHECK(dir.files() == std::set<std::string>{"book.json"});
  }
  SECTION("a book that would not load again is refused, and the file is left as it was") {
    Book broken = second;
    broken.engagements[0].client = "nobody";
    CHECK_THROWS_WITH(save_book_json(broken, file), "engagements[0].client: unknown client \"nobody\"");
    CHECK(load_book_json(file) == first);
    CHECK(dir.files() == std::set<std::string>{"book.json"});
  }
  SECTION("a save that cannot write throws and leaves nothing behind") {
    CHECK_THROWS_AS(save_book_json(second, dir.path / "missing" / "book.json"), io_error);
    CHECK(dir.files() == std::set<std::string>{"book.json"});
    CHECK(load_book_json(file) == first);
  }
}

TEST_CASE("the JSON report is written exactly: money with two decimals, negative with a minus, nulls for no rate and no contingent") {
  const Currency eur("EUR"), usd("USD");
  const auto zero_amounts = [](Currency c) {
    CategoryAmounts a;
    for (Money& m : a.values) m = Money::zero(c);
    return a;
  };

  // A fixed engagement invoiced 12.34 too much, nothing worked yet.
  EngagementReport fixed;
  fixed.id = "site";
  fixed.client = "acme";
  fixed.currency = eur;
  fixed.billable = fixed.invoiced = fixed.leakage = zero_amounts(eur);
  fixed.billable[Category::base] = Money(100000, eur);
  fixed.invoiced[Category::base] = Money(101234, eur);
  fixed.leakage[Category::base] = Money(-1234, eur);
  fixed.unbilled = Money::zero(eur);
  fixed.overbilled = Money(1234, eur);
  fixed.rounds = {2, 0, 0};

  // A contingent block one minute over.
  EngagementReport block;
  block.id = "block";
  block.client = "bolt";
  block.currency = usd;
  block.billable = block.invoiced = block.leakage = zero_amounts(usd);
  block.billable[Category::base] = block.invoiced[Category::base] = Money(90000, usd);
  block.billable[Category::overage] = block.leakage[Category::overage] = Money(167, usd);
  block.unbilled = Money(167, usd);
  block.overbilled = Money::zero(usd);
  block.worked_seconds = 36060;
  block.seconds_by_kind[EntryKind::scope] = 36060;
  block.effective_rate = Money(8985, usd);  // 90000 × 3600 / 36060 = 8985.02
  block.contingent = ContingentUse{36000, 36060, 60};
  block.alerts = {Alert::contingent_80, Alert::contingent_exceeded, Alert::unbilled};

  const Report report{parse_date("2026-03-31"), {fixed, block}};
  CHECK(to_json(report) == R"({
 "format": "kontingent-report/1",
 "as_of": "2026-03-31",
 "engagements": [
  {
   "id": "site",
   "client": "acme",
   "currency": "EUR",
   "billable": {
    "base": "1000.00",
    "overage": "0.00",
    "revision": "0.00",
    "change": "0.00",
    "call": "0.00",
    "rush": "0.00",
    "no_show": "0.00"
   },
   "invoiced": {
    "base": "1012.34",
    "overage": "0.00",
    "revision": "0.00",
    "change": "0.00",
    "call": "0.00",
    "rush": "0.00",
    "no_show": "0.00"
   },
   "leakage": {
    "base": "-12.34",
    "overage": "0.00",
    "revision": "0.00",
    "change": "0.00",
    "call": "0.00",
    "rush": "0.00",
    "no_show": "0.00"
   },
   "unbilled": "0.00",
   "overbilled": "12.34",
   "worked_seconds": 0,
   "seconds_by_kind": {
    "scope": 0,
    "revision": 0,
    "change": 0,
    "call": 0,
    "internal": 0
   },
   "effective_rate": null,
   "rounds": {
    "included": 2,
    "used": 0,
    "extra": 0
   },
   "contingent": null,
   "alerts": []
  },
  {
   "id": "block",
   "client": "bolt",
   "currency": "USD",
   "billable": {
    "base": "900.00",
    "overage": "1.67",
    "revision": "0.00",
    "change": "0.00",
    "call": "0.00",
    "rush": "0.00",
    "no_show": "0.00"
   },
   "invoiced": {
    "base": "900.00",
    "overage": "0.00",
    "revision": "0.00",
    "change": "0.00",
    "call": "0.00",
    "rush": "0.00",
    "no_show": "0.00"
   },
   "leakage": {
    "base": "0.00",
    "overage": "1.67",
    "revision": "0.00",
    "change": "0.00",
    "call": "0.00",
    "rush": "0.00",
    "no_show": "0.00"
   },
   "unbilled": "1.67",
   "overbilled": "0.00",
   "worked_seconds": 36060,
   "seconds_by_kind": {
    "scope": 36060,
    "revision": 0,
    "change": 0,
    "call": 0,
    "internal": 0
   },
   "effective_rate": "89.85",
   "rounds": {
    "included": 0,
    "used": 0,
    "extra": 0
   },
   "contingent": {
    "available_seconds": 36000,
    "consumed_seconds": 36060,
    "overage_seconds": 60
   },
   "alerts": [
    "contingent_80",
    "contingent_exceeded",
    "unbilled"
   ]
  }
 ]
}
)");

  SECTION("and it is the evaluation of the book it describes") {
    const Book book = parse_book_json(R"({"format": "kontingent-book/1",
      "clients": [{"id": "acme", "name": "ACME"}, {"id": "bolt", "name": "Bolt"}],
      "engagements": [
       {"id": "site", "client": "acme", "currency": "EUR", "start": "2026-03-01",
        "terms": {"pricing": "fixed", "rate": "100", "fixed_price": "1000", "included_rounds": 2},
        "invoices": [{"id": "S-1", "date": "2026-03-31", "lines": [{"category": "base", "amount": "1012.34"}]}]},
       {"id": "block", "client": "bolt", "currency": "USD", "start": "2026-03-01",
        "terms": {"pricing": "contingent", "rate": "100", "contingent_hours": 10, "contingent_price": "900"},
        "entries": [{"start": "2026-03-02T08:00", "minutes": 601, "kind": "scope"}],
        "invoices": [{"id": "B-1", "date": "2026-03-31", "lines": [{"category": "base", "amount": "900"}]}]}]})");
    CHECK(evaluate(book) == report);
  }
}

TEST_CASE("a report without engagements is written with an empty list") {
  CHECK(to_json(Report{parse_date("2026-03-31"), {}}) == R"({
 "format": "kontingent-report/1",
 "as_of": "2026-03-31",
 "engagements": []
}
)");
}

TEST_CASE("a report of many engagements, written in parts on several threads, reads as one written in a row") {
  // Each engagement of a big report as the report of it alone writes it: the parts must join to
  // exactly those texts, in order, with the same commas and indentation.
  const Report one_each = evaluate(load_book_json(test::spec_example("a-fixed.book.json")));
  REQUIRE(one_each.engagements.size() == 1);
  Report big{one_each.as_of, {}};
  for (int i = 0; i < 1000; ++i) {
    EngagementReport r = one_each.engagements[0];
    r.id = "E" + std::to_string(i);
    if (i % 3 == 0) r.alerts.clear();
    big.engagements.push_back(r);
  }
  const auto list_at = [](const std::string& report) {  // where the text of the list of engagements begins and ends
    return std::pair(report.find("\"engagements\": [") + 16, report.rfind("\n ]"));
  };
  std::string joined;
  for (const EngagementReport& r : big.engagements) {
    const std::string alone = to_json(Report{big.as_of, {r}});
    const auto [from, to] = list_at(alone);
    joined += (joined.empty() ? "" : ",") + alone.substr(from, to - from);
  }
  const std::string first = to_json(Report{big.as_of, {big.engagements[0]}});
  const auto [from, to] = list_at(first);
  CHECK(to_json(big) == first.substr(0, from) + joined + first.substr(to));
}
