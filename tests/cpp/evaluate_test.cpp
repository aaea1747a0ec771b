// SPEC §5–6, rule by rule and at each rule's boundaries. Every expected amount is worked out by hand
// in the comment beside it; the library is only ever asked, never used to compute an expectation.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/evaluate.hpp"
#include "kontingent/formats/json.hpp"
#include "test_support.hpp"

using namespace kontingent;

TEST_CASE("worked example A comes out exactly") {
  const Book book = load_book_json(test::spec_example("a-fixed.book.json"));
  CHECK(to_json(evaluate(book)) == test::read_file(test::spec_example("a-fixed.report.json")));
}

TEST_CASE("worked example B comes out exactly") {
  const Book book = load_book_json(test::spec_example("b-retainer.book.json"));
  CHECK(to_json(evaluate(book)) == test::read_file(test::spec_example("b-retainer.report.json")));
}

namespace {

constexpr Seconds minute = 60;
constexpr Seconds hour = 3600;

const Currency euro("EUR");

Money money(std::string_view amount) { return Money::parse(amount, euro); }
Time at(std::string_view time) { return parse_time(time); }
Date day(std::string_view date) { return parse_date(date); }

/// An engagement from 2026-01-01 at a rate of 100 EUR/h with the base terms of `pricing`: fixed 1000,
/// contingent and retainer 10 h for 900. Each test adds the terms and events its rule needs.
Engagement engagement(Pricing pricing) {
  Engagement e;
  e.id = "e";
  e.client = "c";
  e.currency = euro;
  e.start = day("2026-01-01");
  e.terms.pricing = pricing;
  e.terms.rate = money("100");
  if (pricing == Pricing::fixed) e.terms.fixed_price = money("1000");
  if (e.terms.has_contingent()) {
    e.terms.contingent = 10 * hour;
    e.terms.contingent_price = money("900");
  }
  return e;
}

/// Adds a request; the reference is for setting due/quote/declined right away (before the next request).
Request& request(Engagement& e, RequestKind kind, std::string id, std::string_view received) {
  e.journal.requests.push_back(Request{std::move(id), kind, at(received), {}, {}, false});
  return e.journal.requests.back();
}
Request& revision_request(Engagement& e, std::string id, std::string_view received) {
  return request(e, RequestKind::revision, std::move(id), received);
}
Request& change_request(Engagement& e, std::string id, std::string_view received) {
  return request(e, RequestKind::change, std::move(id), received);
}

void work(Engagement& e, std::string_view start, Seconds seconds, EntryKind kind = EntryKind::scope) {
  e.journal.entries.push_back(clock_seconds(at(start)), seconds, kind);
}
/// Work on a request: a revision entry for a revision request, a change entry for a change request.
void work_on(Engagement& e, std::string_view request_id, std::string_view start, Seconds seconds) {
  const RequestIndex r = e.journal.find_request(request_id);
  REQUIRE(r != no_request);
  const EntryKind kind = entry_kind_of(e.journal.requests[r].kind);
  e.journal.entries.push_back(clock_seconds(at(start)), seconds, kind, r);
}
void call(Engagement& e, std::string_view start, Seconds seconds) { work(e, start, seconds, EntryKind::call); }

void appointment(Engagement& e, std::string_view when, AppointmentStatus status,
                 std::optional<std::string_view> cancelled = std::nullopt) {
  e.journal.appointments.push_back({at(when), status, cancelled ? std::optional<Time>(at(*cancelled)) : std::nullopt});
}
void invoice(Engagement& e, std::string id, std::string_view date, std::vector<InvoiceLine> lines) {
  e.journal.invoices.push_back({std::move(id), day(date), std::move(lines)});
}
InvoiceLine line(Category category, std::string_view amount) { return {category, money(amount)}; }
void pay(Engagement& e, std::string invoice_id, std::string_view date, std::string_view amount) {
  e.journal.payments.push_back({std::move(invoice_id), day(date), money(amount)});
}

Book book_of(std::vector<Engagement> engagements) {
  return Book{{Client{"c", "Client", "referral"}}, std::move(engagements)};
}

/// The report as of `as_of`; the engagement is validated first, so every test works on a valid book.
EngagementReport report(const Engagement& e, std::string_view as_of) {
  validate(book_of({e}));
  return evaluate(e, day(as_of));
}

std::string billable(const EngagementReport& r, Category c) { return r.billable[c].to_string(); }
std::string invoiced(const EngagementReport& r, Category c) { return r.invoiced[c].to_string(); }
std::string leakage(const EngagementReport& r, Category c) { return r.leakage[c].to_string(); }
std::string rate_text(const EngagementReport& r) { return r.effective_rate ? r.effective_rate->to_string() : "null"; }

std::vector<std::string> alert_names(const EngagementReport& r) {
  std::vector<std::string> names;
  for (const Alert a : r.alerts) names.emplace_back(name(a));
  return names;
}

std::vector<std::string> ids(const Report& report) {
  std::vector<std::string> out;
  for (const EngagementReport& r : report.engagements) out.push_back(r.id);
  return out;
}

/// The billable seconds of one scope entry of `raw` seconds, read from the contingent it consumes.
Seconds rounded(std::optional<Rounding> rounding, Seconds raw) {
  Engagement e = engagement(Pricing::contingent);
  e.terms.rounding = rounding;
  work(e, "2026-01-05T09:00", raw);
  return report(e, "2026-01-31").contingent->consumed;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// SPEC §2: per-entry rounding

TEST_CASE("rounding up is ceil(s/I)·I — an exact multiple stays, one second over takes a whole increment") {
  const Rounding up{15 * minute, RoundingMode::up};
  CHECK(rounded(up, 1) == 900);     // ceil(1/900) = 1
  CHECK(rounded(up, 900) == 900);   // exact multiple
  CHECK(rounded(up, 901) == 1800);  // ceil(901/900) = 2
  CHECK(rounded(up, 1799) == 1800);
  CHECK(rounded(up, 1800) == 1800);
}

TEST_CASE("rounding down is floor(s/I)·I — one second short of a multiple loses the increment") {
  const Rounding down{15 * minute, RoundingMode::down};
  CHECK(rounded(down, 899) == 0);  // floor(899/900) = 0
  CHECK(rounded(down, 900) == 900);
  CHECK(rounded(down, 1799) == 900);
  CHECK(rounded(down, 1800) == 1800);
}

TEST_CASE("rounding to nearest is floor((s + I/2)/I)·I — exactly half an increment rounds up") {
  const Rounding nearest{15 * minute, RoundingMode::nearest};
  CHECK(rounded(nearest, 449) == 0);     // floor((449 + 450)/900) = floor(0.999) = 0
  CHECK(rounded(nearest, 450) == 900);   // floor((450 + 450)/900) = 1: the half goes up
  CHECK(rounded(nearest, 900) == 900);   // exact multiple
  CHECK(rounded(nearest, 1349) == 900);  // floor(1799/900) = 1
  CHECK(rounded(nearest, 1350) == 1800); // floor(2250/900) = 2
  const Rounding six{6 * minute, RoundingMode::nearest};
  CHECK(rounded(six, 179) == 0);          // floor((179 + 180)/360) = 0
  CHECK(rounded(six, 180) == 360);        // floor(360/360) = 1
  CHECK(rounded(six, 598 * minute) == 36000);  // example B: floor((35880 + 180)/360) = 100 → 600 min
}

TEST_CASE("without rounding the billable seconds are the raw seconds") {
  CHECK(rounded(std::nullopt, 901) == 901);
  CHECK(rounded(std::nullopt, 1) == 1);
}

TEST_CASE("rounding applies to each entry before any sum, and worked seconds stay raw") {
  Engagement e = engagement(Pricing::contingent);
  SECTION("up: two entries of 450 s are 900 + 900, not ceil(900/900)·900") {
    e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
    work(e, "2026-01-05T09:00", 450);
    work(e, "2026-01-05T10:00", 450);
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(r.contingent->consumed == 1800);
    CHECK(r.worked_seconds == 900);
    CHECK(r.seconds_by_kind[EntryKind::scope] == 900);
  }
  SECTION("nearest: three entries of 400 s are 0 each, though 1200 s would round to 900") {
    e.terms.rounding = Rounding{15 * minute, RoundingMode::nearest};
    for (const char* start : {"2026-01-05T09:00", "2026-01-05T10:00", "2026-01-05T11:00"}) work(e, start, 400);
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(r.contingent->consumed == 0);
    CHECK(r.worked_seconds == 1200);
  }
}

TEST_CASE("call-fee minutes use raw seconds, never rounded seconds") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.call_fee = CallFee{15 * minute, 30 * minute, money("40")};
  SECTION("rounded down to 45 min a 46 min call would be one block; raw it is two") {
    e.terms.rounding = Rounding{15 * minute, RoundingMode::down};
    call(e, "2026-01-05T09:00", 46 * minute);  // ceil((46 − 15)/30) = 2 blocks × 40
    CHECK(billable(report(e, "2026-01-31"), Category::call) == "80.00");
  }
  SECTION("rounded down to 15 min a 16 min call would be free; raw it starts a block") {
    e.terms.rounding = Rounding{15 * minute, RoundingMode::down};
    call(e, "2026-01-05T09:00", 16 * minute);  // ceil((16 − 15)/30) = 1 block
    CHECK(billable(report(e, "2026-01-31"), Category::call) == "40.00");
  }
  SECTION("rounded up to 15 min a 10 min call would start a block past 10 free minutes; raw it is free") {
    e.terms.call_fee->free = 10 * minute;
    e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
    call(e, "2026-01-05T09:00", 10 * minute);  // ceil(max(0, 10 − 10)/30) = 0
    CHECK(billable(report(e, "2026-01-31"), Category::call) == "0.00");
  }
}

// ---------------------------------------------------------------------------------------------
// SPEC §4: covered work

TEST_CASE("covered work is scope, included rounds and calls without a call fee — never internal, extra rounds or changes") {
  Engagement e = engagement(Pricing::contingent);
  e.terms.included_rounds = 1;
  revision_request(e, "R1", "2026-01-05T08:00");
  revision_request(e, "R2", "2026-01-06T08:00");
  change_request(e, "C1", "2026-01-07T08:00");
  work(e, "2026-01-05T09:00", 1 * hour);
  work_on(e, "R1", "2026-01-05T11:00", 30 * minute);  // round 1: included
  work_on(e, "R2", "2026-01-06T09:00", 15 * minute);  // round 2: extra, hourly
  work_on(e, "C1", "2026-01-07T09:00", 45 * minute);
  call(e, "2026-01-08T09:00", 20 * minute);
  work(e, "2026-01-08T10:00", 2 * hour, EntryKind::internal);
  SECTION("without a call fee the call is covered") {
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(r.contingent->consumed == 3600 + 1800 + 1200);  // scope + R1 + call
    CHECK(billable(r, Category::call) == "0.00");
    CHECK(billable(r, Category::revision) == "25.00");  // 100 × 900/3600
    CHECK(billable(r, Category::change) == "75.00");    // 100 × 2700/3600
    CHECK(r.worked_seconds == 3600 + 1800 + 900 + 2700 + 1200 + 7200);
  }
  SECTION("with a call fee the call is billed by the fee alone") {
    e.terms.call_fee = CallFee{15 * minute, 30 * minute, money("40")};
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(r.contingent->consumed == 3600 + 1800);
    CHECK(billable(r, Category::call) == "40.00");  // ceil((20 − 15)/30) = 1 block
    CHECK(r.seconds_by_kind[EntryKind::call] == 1200);
  }
}

// ---------------------------------------------------------------------------------------------
// SPEC §5: base

TEST_CASE("fixed base is the fixed price, whatever the hours") {
  Engagement e = engagement(Pricing::fixed);
  work(e, "2026-01-05T09:00", 30 * hour);
  const EngagementReport r = report(e, "2026-01-31");
  CHECK(billable(r, Category::base) == "1000.00");
  CHECK(billable(r, Category::overage) == "0.00");
  CHECK_FALSE(r.contingent.has_value());
}

TEST_CASE("contingent base is the contingent price, used or not") {
  Engagement e = engagement(Pricing::contingent);
  CHECK(billable(report(e, "2026-01-31"), Category::base) == "900.00");
  work(e, "2026-01-05T09:00", 3 * hour);
  CHECK(billable(report(e, "2026-06-30"), Category::base) == "900.00");
}

TEST_CASE("retainer base counts calendar months from the start month to the end month in full, capped at the as-of month") {
  Engagement e = engagement(Pricing::retainer);
  e.start = day("2026-01-15");
  SECTION("with an end: start to end month, each in full") {
    e.end = day("2026-03-10");
    CHECK(billable(report(e, "2026-06-01"), Category::base) == "2700.00");  // Jan, Feb, Mar: 3 × 900
    CHECK(billable(report(e, "2026-03-10"), Category::base) == "2700.00");
    CHECK(billable(report(e, "2026-02-01"), Category::base) == "1800.00");  // capped: Jan, Feb (one day into Feb)
    CHECK(billable(report(e, "2026-01-31"), Category::base) == "900.00");
    CHECK(billable(report(e, "2026-01-15"), Category::base) == "900.00");   // the start day: its month, in full
    CHECK(report(e, "2026-06-01").contingent->available == 3 * 36000);
  }
  SECTION("without an end: to the as-of month") {
    CHECK(billable(report(e, "2026-05-31"), Category::base) == "4500.00");  // Jan … May: 5 × 900
    CHECK(billable(report(e, "2026-05-01"), Category::base) == "4500.00");
  }
  SECTION("across a year end") {
    e.start = day("2025-11-30");
    CHECK(billable(report(e, "2026-02-01"), Category::base) == "3600.00");  // Nov, Dec, Jan, Feb: 4 × 900
  }
}

TEST_CASE("hourly base is round(rate × covered s / 3600), rounded once, half a cent away from zero") {
  Engagement e = engagement(Pricing::hourly);
  e.terms.rate = money("95");
  SECTION("exactly half a cent rounds up") {
    work(e, "2026-01-05T09:00", 3618);  // 9500 × 3618 / 3600 = 9547.5 cents → 9548
    CHECK(billable(report(e, "2026-01-31"), Category::base) == "95.48");
  }
  SECTION("less than half a cent rounds down") {
    work(e, "2026-01-05T09:00", 3607);  // 9500 × 3607 / 3600 = 9518.47 cents → 9518
    CHECK(billable(report(e, "2026-01-31"), Category::base) == "95.18");
  }
  SECTION("the sum of seconds is priced once, not each entry") {
    work(e, "2026-01-05T09:00", 18);  // alone: 9500 × 18 / 3600 = 47.5 → 48 cents
    work(e, "2026-01-05T10:00", 18);  // together: 9500 × 36 / 3600 = 95 cents, not 96
    CHECK(billable(report(e, "2026-01-31"), Category::base) == "0.95");
  }
  SECTION("only covered work") {
    e.terms.rate = money("100");
    e.terms.included_rounds = 1;
    revision_request(e, "R1", "2026-01-05T08:00");
    revision_request(e, "R2", "2026-01-06T08:00");
    change_request(e, "C1", "2026-01-07T08:00");
    work(e, "2026-01-05T09:00", 1 * hour);
    work_on(e, "R1", "2026-01-05T11:00", 30 * minute);
    work_on(e, "R2", "2026-01-06T09:00", 15 * minute);
    work_on(e, "C1", "2026-01-07T09:00", 45 * minute);
    call(e, "2026-01-08T09:00", 20 * minute);
    work(e, "2026-01-08T10:00", 2 * hour, EntryKind::internal);
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(billable(r, Category::base) == "183.33");     // 10000 × (3600 + 1800 + 1200) / 3600 = 18333.3
    CHECK(billable(r, Category::revision) == "25.00");  // extra round R2: 10000 × 900 / 3600
    CHECK(billable(r, Category::change) == "75.00");    // 10000 × 2700 / 3600
    CHECK_FALSE(r.contingent.has_value());
  }
  SECTION("with a call fee calls leave the base") {
    e.terms.rate = money("100");
    e.terms.call_fee = CallFee{0, 30 * minute, money("40")};
    work(e, "2026-01-05T09:00", 1 * hour);
    call(e, "2026-01-05T11:00", 1 * hour);  // ceil(60/30) = 2 blocks
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(billable(r, Category::base) == "100.00");
    CHECK(billable(r, Category::call) == "80.00");
  }
}

// ---------------------------------------------------------------------------------------------
// SPEC §5: overage

TEST_CASE("contingent overage is the covered seconds beyond the block, priced at the rate") {
  Engagement e = engagement(Pricing::contingent);
  SECTION("exactly the block: no overage") {
    work(e, "2026-01-05T08:00", 10 * hour);
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(billable(r, Category::overage) == "0.00");
    CHECK(*r.contingent == ContingentUse{36000, 36000, 0});
  }
  SECTION("one minute beyond") {
    work(e, "2026-01-05T08:00", 10 * hour + 1 * minute);  // 10000 × 60 / 3600 = 166.67 cents
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(billable(r, Category::overage) == "1.67");
    CHECK(*r.contingent == ContingentUse{36000, 36060, 60});
  }
  SECTION("on rounded seconds") {
    e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
    work(e, "2026-01-05T08:00", 10 * hour + 1);  // → 10 h 15 min; over 900 s × 100/h = 25
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(billable(r, Category::overage) == "25.00");
    CHECK(*r.contingent == ContingentUse{36000, 36900, 900});
  }
  SECTION("12.5 hours: 2.5 hours over") {
    work(e, "2026-01-05T08:00", 8 * hour);
    work(e, "2026-01-06T08:00", 4 * hour + 30 * minute);
    CHECK(billable(report(e, "2026-01-31"), Category::overage) == "250.00");
  }
}

TEST_CASE("retainer carry: unused hours move to the next month, at most rollover_max_hours") {
  Engagement e = engagement(Pricing::retainer);
  e.terms.rollover_max = 5 * hour;
  work(e, "2026-01-05T09:00", 2 * hour);   // Jan: available 10, used 2, carry min(5, 8) = 5 (capped)
  work(e, "2026-02-02T08:00", 8 * hour);   // Feb: available 15, used 15, over 0, carry 0
  work(e, "2026-02-03T08:00", 7 * hour);
  work(e, "2026-03-02T08:00", 11 * hour);  // Mar: available 10, used 11, over 1, carry 0
                                           // Apr: available 10, used 0
  const EngagementReport r = report(e, "2026-04-30");
  CHECK(*r.contingent == ContingentUse{(10 + 15 + 10 + 10) * hour, (2 + 15 + 11) * hour, 1 * hour});
  CHECK(billable(r, Category::base) == "3600.00");    // 4 months × 900
  CHECK(billable(r, Category::overage) == "100.00");  // 1 h × 100
}

TEST_CASE("retainer carry after an overage month is 0 — the overage is not taken from the next month") {
  Engagement e = engagement(Pricing::retainer);
  e.terms.rollover_max = 5 * hour;
  work(e, "2026-01-05T08:00", 12 * hour);  // Jan: available 10, used 12, over 2, carry max(0, −2) = 0
  work(e, "2026-02-02T08:00", 10 * hour);  // Feb: available 10 + 0, used 10, over 0
  const EngagementReport r = report(e, "2026-02-28");
  CHECK(*r.contingent == ContingentUse{20 * hour, 22 * hour, 2 * hour});
  CHECK(billable(r, Category::overage) == "200.00");
}

TEST_CASE("retainer without rollover_max_hours carries nothing; with it, carry is limited by it") {
  Engagement e = engagement(Pricing::retainer);
  work(e, "2026-01-05T09:00", 2 * hour);   // Jan: 8 h unused
  work(e, "2026-02-02T08:00", 12 * hour);
  SECTION("absent rollover: carry 0, Feb 12 of 10 h") {
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(*r.contingent == ContingentUse{20 * hour, 14 * hour, 2 * hour});
    CHECK(billable(r, Category::overage) == "200.00");
  }
  SECTION("rollover 5 h: Feb 12 of 15 h") {
    e.terms.rollover_max = 5 * hour;
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(*r.contingent == ContingentUse{25 * hour, 14 * hour, 0});
    CHECK(billable(r, Category::overage) == "0.00");
  }
  SECTION("rollover 1.5 h: Feb 12 of 11.5 h, half an hour over") {
    e.terms.rollover_max = 1 * hour + 30 * minute;
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(*r.contingent == ContingentUse{21 * hour + 30 * minute, 14 * hour, 30 * minute});
    CHECK(billable(r, Category::overage) == "50.00");
  }
}

TEST_CASE("retainer overage is summed over all months and rounded once") {
  Engagement e = engagement(Pricing::retainer);
  work(e, "2026-01-05T08:00", 10 * hour + 30);  // over 30 s: alone 10000 × 30 / 3600 = 83.3 cents
  work(e, "2026-02-02T08:00", 10 * hour + 30);  // over 30 s
  // together: 10000 × 60 / 3600 = 166.67 → 1.67, not 0.83 + 0.83 = 1.66
  CHECK(billable(report(e, "2026-02-28"), Category::overage) == "1.67");
}

TEST_CASE("a retainer entry belongs wholly to the month of its start") {
  Engagement e = engagement(Pricing::retainer);
  e.terms.contingent = 1 * hour;
  work(e, "2026-01-31T23:00", 2 * hour);  // Jan: used 2 of 1 h → over 1 h; Feb: used 0
  const EngagementReport r = report(e, "2026-02-28");
  CHECK(*r.contingent == ContingentUse{2 * hour, 2 * hour, 1 * hour});
  CHECK(billable(r, Category::overage) == "100.00");
}

// ---------------------------------------------------------------------------------------------
// SPEC §4–5: revision rounds

TEST_CASE("revision rounds are numbered by received, ties by id as plain strings (\"R10\" before \"R2\")") {
  Engagement e = engagement(Pricing::hourly);
  e.terms.included_rounds = 1;
  SECTION("same received: \"R10\" < \"R2\", so R10 is round 1") {
    revision_request(e, "R2", "2026-02-01T09:00");
    revision_request(e, "R10", "2026-02-01T09:00");
    work_on(e, "R2", "2026-02-01T10:00", 2 * hour);
    work_on(e, "R10", "2026-02-01T13:00", 1 * hour);
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(billable(r, Category::base) == "100.00");      // R10 included: 1 h covered
    CHECK(billable(r, Category::revision) == "200.00");  // R2 extra: 2 h × 100
  }
  SECTION("received decides before id and before list order") {
    revision_request(e, "R1", "2026-02-05T09:00:01");
    revision_request(e, "R2", "2026-02-05T09:00:00");
    work_on(e, "R1", "2026-02-05T10:00", 1 * hour);
    work_on(e, "R2", "2026-02-05T13:00", 2 * hour);
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(billable(r, Category::base) == "200.00");      // R2 (one second earlier) is round 1
    CHECK(billable(r, Category::revision) == "100.00");  // R1 is round 2
  }
}

TEST_CASE("an extra round with extra_round_price costs the price per round, even with no time logged") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.included_rounds = 1;
  e.terms.extra_round_price = money("350");
  revision_request(e, "R1", "2026-02-01T09:00");
  revision_request(e, "R2", "2026-02-02T09:00");
  revision_request(e, "R3", "2026-02-03T09:00");
  work_on(e, "R1", "2026-02-01T10:00", 1 * hour);
  work_on(e, "R2", "2026-02-02T10:00", 3 * hour);  // flat: the 3 hours add nothing
  // R3: no time logged, still a round
  const EngagementReport r = report(e, "2026-02-28");
  CHECK(billable(r, Category::revision) == "700.00");  // 2 extra rounds × 350
  CHECK(billable(r, Category::base) == "1000.00");
  CHECK(r.rounds == Rounds{1, 3, 2});
}

TEST_CASE("extra rounds without extra_round_price are billed hourly on their rounded seconds") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.included_rounds = 1;
  e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
  revision_request(e, "R1", "2026-02-01T09:00");
  revision_request(e, "R2", "2026-02-02T09:00");
  revision_request(e, "R3", "2026-02-03T09:00");
  revision_request(e, "R4", "2026-02-04T09:00");
  work_on(e, "R1", "2026-02-01T10:00", 1 * hour);     // included: in the fixed price
  work_on(e, "R2", "2026-02-02T10:00", 50 * minute);  // → 60 min
  work_on(e, "R3", "2026-02-03T10:00", 20 * minute);  // → 30 min
  // R4: no time, so nothing to bill hourly
  const EngagementReport r = report(e, "2026-02-28");
  CHECK(billable(r, Category::revision) == "150.00");  // 1.5 h × 100
  CHECK(r.rounds == Rounds{1, 4, 3});
}

// ---------------------------------------------------------------------------------------------
// SPEC §5: change

TEST_CASE("change is the sum of quotes plus unquoted change work at the rate, and change work is never covered") {
  Engagement e = engagement(Pricing::contingent);
  change_request(e, "C1", "2026-02-01T09:00").quote = money("500");
  change_request(e, "C2", "2026-02-02T09:00");
  change_request(e, "C3", "2026-02-03T09:00").quote = money("80");
  change_request(e, "C4", "2026-02-04T09:00");
  work_on(e, "C1", "2026-02-01T10:00", 3 * hour);                  // quoted: the hours add nothing
  work_on(e, "C2", "2026-02-02T10:00", 1 * hour + 15 * minute);    // 1.25 h × 100 = 125
  // C3: quoted, no time: 80; C4: unquoted, no time: 0
  const EngagementReport r = report(e, "2026-02-28");
  CHECK(billable(r, Category::change) == "705.00");  // 500 + 80 + 125
  CHECK(r.contingent->consumed == 0);
  CHECK(r.seconds_by_kind[EntryKind::change] == 4 * hour + 15 * minute);
}

// ---------------------------------------------------------------------------------------------
// SPEC §5: call

TEST_CASE("a call costs the fee per started block beyond the free minutes — edges at free and free + block") {
  const auto fee_for = [](Seconds free, Seconds raw) {
    Engagement e = engagement(Pricing::fixed);
    e.terms.call_fee = CallFee{free, 30 * minute, money("40")};
    call(e, "2026-01-05T09:00", raw);
    return billable(report(e, "2026-01-31"), Category::call);
  };
  CHECK(fee_for(15 * minute, 900) == "0.00");    // exactly the free minutes
  CHECK(fee_for(15 * minute, 901) == "40.00");   // ceil(1/1800) = 1
  CHECK(fee_for(15 * minute, 2700) == "40.00");  // free + block: ceil(1800/1800) = 1
  CHECK(fee_for(15 * minute, 2701) == "80.00");  // ceil(1801/1800) = 2
  CHECK(fee_for(0, 1) == "40.00");               // no free minutes: any call starts a block
}

TEST_CASE("each call has its own free minutes") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.call_fee = CallFee{15 * minute, 30 * minute, money("40")};
  call(e, "2026-01-05T09:00", 10 * minute);  // 0
  call(e, "2026-01-06T09:00", 10 * minute);  // 0 (together 20 min would start a block)
  call(e, "2026-01-07T09:00", 50 * minute);  // ceil(35/30) = 2 → 80
  CHECK(billable(report(e, "2026-01-31"), Category::call) == "80.00");
}

// ---------------------------------------------------------------------------------------------
// SPEC §5: rush

TEST_CASE("a rush is a request due sooner than the lead time — exactly at the lead time it is not") {
  Engagement e = engagement(Pricing::hourly);
  e.terms.rush = Rush{48 * hour, 50'000'000};  // 48 h, 50 %
  Request& c1 = change_request(e, "C1", "2026-02-01T09:00");
  SECTION("due exactly 48 h after received: no rush") {
    c1.due = at("2026-02-03T09:00");
    work_on(e, "C1", "2026-02-01T10:00", 1 * hour);
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(billable(r, Category::rush) == "0.00");
    CHECK(billable(r, Category::change) == "100.00");
  }
  SECTION("due one second sooner: rush") {
    c1.due = at("2026-02-03T08:59:59");
    work_on(e, "C1", "2026-02-01T10:00", 1 * hour);  // 10000 × 50 × 3600 / (100 × 3600) = 5000 cents
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(billable(r, Category::rush) == "50.00");
    CHECK(billable(r, Category::change) == "100.00");
  }
  SECTION("without a due date: no rush") {
    work_on(e, "C1", "2026-02-01T10:00", 1 * hour);
    CHECK(billable(report(e, "2026-02-28"), Category::rush) == "0.00");
  }
  SECTION("without rush terms: no rush") {
    c1.due = at("2026-02-01T10:00");
    e.terms.rush.reset();
    work_on(e, "C1", "2026-02-01T10:00", 1 * hour);
    CHECK(billable(report(e, "2026-02-28"), Category::rush) == "0.00");
  }
}

TEST_CASE("rush applies whatever else prices the work: included rounds, quoted changes, flat-priced extra rounds") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.included_rounds = 1;
  e.terms.extra_round_price = money("350");
  e.terms.rush = Rush{24 * hour, 50'000'000};
  revision_request(e, "R1", "2026-02-01T09:00").due = at("2026-02-01T17:00");  // 8 h: rush, included round
  revision_request(e, "R2", "2026-02-02T09:00").due = at("2026-02-02T12:00");  // 3 h: rush, extra round (flat)
  Request& c1 = change_request(e, "C1", "2026-02-03T09:00");                     // 9 h: rush, quoted
  c1.due = at("2026-02-03T18:00");
  c1.quote = money("200");
  change_request(e, "C2", "2026-02-04T09:00").due = at("2026-02-05T08:00");    // 23 h: rush, unquoted
  work_on(e, "R1", "2026-02-01T10:00", 1 * hour);
  work_on(e, "R2", "2026-02-02T10:00", 30 * minute);
  work_on(e, "C1", "2026-02-03T10:00", 2 * hour);
  work_on(e, "C2", "2026-02-04T10:00", 1 * hour);
  const EngagementReport r = report(e, "2026-02-28");
  CHECK(billable(r, Category::rush) == "225.00");      // (1 + 0.5 + 2 + 1) h × 100 × 50 %
  CHECK(billable(r, Category::base) == "1000.00");
  CHECK(billable(r, Category::revision) == "350.00");  // one extra round
  CHECK(billable(r, Category::change) == "300.00");    // quote 200 + 1 h × 100
}

TEST_CASE("rush is round(rate × surcharge_percent × rounded s / (100 · 3600)), half a cent away from zero") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.rate = money("95");
  e.terms.rush = Rush{48 * hour, 12'500'000};  // 12.5 %
  e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
  change_request(e, "C1", "2026-02-01T09:00").due = at("2026-02-01T18:00");
  work_on(e, "C1", "2026-02-01T10:00", 50 * minute);  // → 60 min
  // 9500 × 12.5 × 3600 / (100 × 3600) = 1187.5 cents → 1188
  CHECK(billable(report(e, "2026-02-28"), Category::rush) == "11.88");
}

// ---------------------------------------------------------------------------------------------
// SPEC §5: no-show

TEST_CASE("a no-show costs the fee; a cancellation only when less than the notice before — exactly at the notice it is free") {
  const auto fee_for = [](AppointmentStatus status, std::optional<std::string_view> cancelled) {
    Engagement e = engagement(Pricing::fixed);
    e.terms.no_show = NoShow{24 * hour, money("120")};
    appointment(e, "2026-02-12T10:00", status, cancelled);
    return billable(report(e, "2026-02-28"), Category::no_show);
  };
  CHECK(fee_for(AppointmentStatus::no_show, std::nullopt) == "120.00");  // always
  CHECK(fee_for(AppointmentStatus::kept, std::nullopt) == "0.00");
  CHECK(fee_for(AppointmentStatus::cancelled, "2026-02-11T10:00") == "0.00");       // exactly 24 h before
  CHECK(fee_for(AppointmentStatus::cancelled, "2026-02-11T10:00:01") == "120.00");  // 24 h − 1 s before
  CHECK(fee_for(AppointmentStatus::cancelled, "2026-02-12T09:00") == "120.00");
  CHECK(fee_for(AppointmentStatus::cancelled, "2026-02-01T10:00") == "0.00");
}

TEST_CASE("no-show fees are the fee times the number of no-shows, and nothing without no_show terms") {
  Engagement e = engagement(Pricing::fixed);
  appointment(e, "2026-02-10T10:00", AppointmentStatus::no_show);
  appointment(e, "2026-02-11T10:00", AppointmentStatus::cancelled, "2026-02-11T08:00");
  appointment(e, "2026-02-12T10:00", AppointmentStatus::cancelled, "2026-02-01T08:00");
  appointment(e, "2026-02-13T10:00", AppointmentStatus::kept);
  CHECK(billable(report(e, "2026-02-28"), Category::no_show) == "0.00");
  e.terms.no_show = NoShow{24 * hour, money("120")};
  CHECK(billable(report(e, "2026-02-28"), Category::no_show) == "240.00");  // 2 × 120
}

// ---------------------------------------------------------------------------------------------
// SPEC §4: declined requests and requests not yet received

TEST_CASE("a declined request is no round, has no quote and no rush; work on it is worked but never billable or covered") {
  Engagement e = engagement(Pricing::hourly);
  e.terms.included_rounds = 1;
  e.terms.rush = Rush{48 * hour, 50'000'000};
  Request& r1 = revision_request(e, "R1", "2026-02-01T09:00");
  r1.due = at("2026-02-01T12:00");
  r1.declined = true;
  revision_request(e, "R2", "2026-02-02T09:00");  // round 1: included
  revision_request(e, "R3", "2026-02-03T09:00");  // round 2: extra, hourly
  Request& c1 = change_request(e, "C1", "2026-02-04T09:00");
  c1.due = at("2026-02-04T12:00");
  c1.quote = money("500");
  c1.declined = true;
  change_request(e, "C2", "2026-02-05T09:00").declined = true;
  work_on(e, "R1", "2026-02-01T10:00", 2 * hour);
  work_on(e, "R2", "2026-02-02T10:00", 1 * hour);
  work_on(e, "R3", "2026-02-03T10:00", 30 * minute);
  work_on(e, "C1", "2026-02-04T10:00", 1 * hour);
  work_on(e, "C2", "2026-02-05T10:00", 1 * hour);
  SECTION("hourly") {
    const EngagementReport r = report(e, "2026-02-28");
    CHECK(billable(r, Category::base) == "100.00");     // R2 only
    CHECK(billable(r, Category::revision) == "50.00");  // R3: 0.5 h × 100
    CHECK(billable(r, Category::change) == "0.00");
    CHECK(billable(r, Category::rush) == "0.00");
    CHECK(r.rounds == Rounds{1, 2, 1});
    CHECK(r.worked_seconds == (2 + 1 + 1 + 1) * hour + 30 * minute);
    CHECK(r.seconds_by_kind[EntryKind::revision] == 3 * hour + 30 * minute);
    CHECK(r.seconds_by_kind[EntryKind::change] == 2 * hour);
  }
  SECTION("a contingent: declined work consumes nothing") {
    e.terms.pricing = Pricing::contingent;
    e.terms.contingent = 10 * hour;
    e.terms.contingent_price = money("900");
    CHECK(report(e, "2026-02-28").contingent->consumed == 1 * hour);  // R2 only
  }
}

TEST_CASE("a request received after the as-of date is no round, no quote and no rush; work on it is worked but not billable") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.extra_round_price = money("350");
  e.terms.rush = Rush{48 * hour, 50'000'000};
  revision_request(e, "R1", "2026-02-10T09:00");
  change_request(e, "C1", "2026-02-10T08:00").quote = money("200");
  change_request(e, "C2", "2026-02-10T08:00").due = at("2026-02-10T12:00");
  work_on(e, "R1", "2026-02-09T10:00", 1 * hour);  // logged the day before the request arrived
  work_on(e, "C1", "2026-02-09T12:00", 1 * hour);
  work_on(e, "C2", "2026-02-09T14:00", 1 * hour);
  SECTION("as of the day before") {
    const EngagementReport r = report(e, "2026-02-09");
    CHECK(r.rounds == Rounds{0, 0, 0});
    CHECK(billable(r, Category::revision) == "0.00");
    CHECK(billable(r, Category::change) == "0.00");
    CHECK(billable(r, Category::rush) == "0.00");
    CHECK(r.worked_seconds == 3 * hour);
  }
  SECTION("as of the day it was received") {
    const EngagementReport r = report(e, "2026-02-10");
    CHECK(r.rounds == Rounds{0, 1, 1});
    CHECK(billable(r, Category::revision) == "350.00");
    CHECK(billable(r, Category::change) == "300.00");  // quote 200 + C2 1 h × 100
    CHECK(billable(r, Category::rush) == "50.00");     // C2: 1 h × 100 × 50 %
  }
  SECTION("work on an included round not yet received is not covered") {
    e.terms.pricing = Pricing::contingent;
    e.terms.fixed_price.reset();
    e.terms.contingent = 10 * hour;
    e.terms.contingent_price = money("900");
    e.terms.included_rounds = 1;
    CHECK(report(e, "2026-02-09").contingent->consumed == 0);
    CHECK(report(e, "2026-02-10").contingent->consumed == 1 * hour);  // R1 is now round 1, included
  }
}

// ---------------------------------------------------------------------------------------------
// SPEC §6: the as-of date

TEST_CASE("events dated after the as-of date are ignored; on the as-of date they count") {
  Engagement e = engagement(Pricing::hourly);
  e.terms.no_show = NoShow{24 * hour, money("120")};
  work(e, "2026-03-10T23:59:59", 1 * hour);  // starts on the as-of date, ends after it: counts whole
  work(e, "2026-03-11T00:00", 1 * hour);
  appointment(e, "2026-03-10T18:00", AppointmentStatus::no_show);
  appointment(e, "2026-03-11T08:00", AppointmentStatus::no_show);
  invoice(e, "INV-1", "2026-03-10", {line(Category::base, "50")});
  invoice(e, "INV-2", "2026-03-11", {line(Category::base, "70")});
  SECTION("as of 2026-03-10") {
    const EngagementReport r = report(e, "2026-03-10");
    CHECK(r.worked_seconds == 3600);
    CHECK(billable(r, Category::base) == "100.00");
    CHECK(billable(r, Category::no_show) == "120.00");
    CHECK(invoiced(r, Category::base) == "50.00");
    CHECK(leakage(r, Category::base) == "50.00");
  }
  SECTION("as of 2026-03-11") {
    const EngagementReport r = report(e, "2026-03-11");
    CHECK(r.worked_seconds == 7200);
    CHECK(billable(r, Category::base) == "200.00");
    CHECK(billable(r, Category::no_show) == "240.00");
    CHECK(invoiced(r, Category::base) == "120.00");
  }
}

TEST_CASE("engagements that start after the as-of date are left out of the book's report, in book order otherwise") {
  Engagement early = engagement(Pricing::fixed), late = early, middle = early;
  early.id = "early";
  late.id = "late";
  late.start = day("2026-03-02");
  middle.id = "middle";
  middle.start = day("2026-02-01");
  const Book book = book_of({early, late, middle});
  validate(book);
  CHECK(ids(evaluate(book, day("2026-03-01"))) == std::vector<std::string>{"early", "middle"});
  CHECK(evaluate(book, day("2026-03-01")).as_of == day("2026-03-01"));
  CHECK(ids(evaluate(book, day("2026-03-02"))) == std::vector<std::string>{"early", "late", "middle"});
  CHECK(ids(evaluate(book, day("2026-01-31"))) == std::vector<std::string>{"early"});
}

TEST_CASE("the default as-of date is the latest event date in the book — due dates, review dates and ends do not count") {
  Engagement first = engagement(Pricing::fixed);
  first.id = "first";
  first.end = day("2026-12-31");
  first.review_by = day("2026-11-30");
  revision_request(first, "R1", "2026-02-05T09:00").due = at("2026-10-01T09:00");
  work(first, "2026-02-10T23:00", 2 * hour);  // ends on 02-11 but belongs to 02-10
  Engagement second = engagement(Pricing::fixed);
  second.id = "second";
  second.end = day("2026-09-30");
  const auto as_of = [&] {
    const Book book = book_of({first, second});
    validate(book);
    return evaluate(book).as_of;
  };
  CHECK(as_of() == day("2026-02-10"));  // the entry
  appointment(first, "2026-02-12T10:00", AppointmentStatus::cancelled, "2026-02-11T10:00");
  CHECK(as_of() == day("2026-02-12"));  // the appointment's at, not its cancelled time
  invoice(first, "INV-1", "2026-02-14", {line(Category::base, "1000")});
  CHECK(as_of() == day("2026-02-14"));
  pay(first, "INV-1", "2026-02-20", "1000");
  CHECK(as_of() == day("2026-02-20"));
  revision_request(second, "S1", "2026-02-25T09:00").due = at("2026-08-01T09:00");  // in another engagement
  CHECK(as_of() == day("2026-02-25"));
  work(second, "2026-02-24T09:00", 1 * hour);  // earlier than the latest: changes nothing
  CHECK(as_of() == day("2026-02-25"));

  Engagement later = engagement(Pricing::fixed);
  later.id = "later";
  later.start = day("2026-03-01");
  const Book book = book_of({first, second, later});
  validate(book);
  CHECK(ids(evaluate(book)) == std::vector<std::string>{"first", "second"});  // starts after the default as-of
}

// ---------------------------------------------------------------------------------------------
// SPEC §6: effective rate, leakage

TEST_CASE("effective_rate is round(invoiced × 3600 / worked seconds), and null when nothing was worked") {
  Engagement e = engagement(Pricing::fixed);
  SECTION("nothing worked: null, even with invoices") {
    invoice(e, "INV-1", "2026-01-31", {line(Category::base, "1000")});
    CHECK_FALSE(report(e, "2026-01-31").effective_rate.has_value());
  }
  SECTION("worked but nothing invoiced: 0.00") {
    work(e, "2026-01-05T09:00", 1 * hour);
    CHECK(rate_text(report(e, "2026-01-31")) == "0.00");
  }
  SECTION("rounded to cents") {
    work(e, "2026-01-05T09:00", 7 * hour);
    invoice(e, "INV-1", "2026-01-31", {line(Category::base, "100")});  // 10000 × 3600 / 25200 = 1428.57
    CHECK(rate_text(report(e, "2026-01-31")) == "14.29");
  }
  SECTION("half a cent away from zero") {
    invoice(e, "INV-1", "2026-01-31", {line(Category::base, "0.01")});
    work(e, "2026-01-05T09:00", 7200);  // 1 × 3600 / 7200 = 0.5 cent → 1
    CHECK(rate_text(report(e, "2026-01-31")) == "0.01");
    e.journal.entries = Entries{};
    work(e, "2026-01-05T09:00", 7201);  // 3600 / 7201 = 0.49995 cent → 0
    CHECK(rate_text(report(e, "2026-01-31")) == "0.00");
  }
  SECTION("raw worked seconds of every kind, all invoices paid or not, none after the as-of date") {
    e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
    work(e, "2026-01-05T09:00", 9 * hour - 1);
    work(e, "2026-01-06T09:00", 1 * hour + 1, EntryKind::internal);
    invoice(e, "INV-1", "2026-01-20", {line(Category::base, "600")});
    invoice(e, "INV-2", "2026-01-31", {line(Category::base, "300"), line(Category::no_show, "100")});
    invoice(e, "INV-3", "2026-02-01", {line(Category::base, "500")});
    pay(e, "INV-1", "2026-01-25", "600");
    CHECK(rate_text(report(e, "2026-01-31")) == "100.00");  // 1000 invoiced / 10 h
  }
}

TEST_CASE("leakage is billable − invoiced per category; positive leakage is unbilled, negative overbilled") {
  Engagement e = engagement(Pricing::fixed);
  change_request(e, "C1", "2026-01-05T09:00");
  work_on(e, "C1", "2026-01-05T10:00", 1 * hour);  // change billable 100
  SECTION("both at once") {
    invoice(e, "INV-1", "2026-01-20", {line(Category::base, "600"), line(Category::change, "40")});
    invoice(e, "INV-2", "2026-01-31", {line(Category::base, "412.34"), line(Category::rush, "10")});
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(invoiced(r, Category::base) == "1012.34");
    CHECK(leakage(r, Category::base) == "-12.34");   // 1000 − 1012.34
    CHECK(leakage(r, Category::change) == "60.00");  // 100 − 40
    CHECK(leakage(r, Category::rush) == "-10.00");   // 0 − 10
    CHECK(leakage(r, Category::call) == "0.00");
    CHECK(r.unbilled.to_string() == "60.00");
    CHECK(r.overbilled.to_string() == "22.34");  // 12.34 + 10
    CHECK(r.has(Alert::unbilled));
  }
  SECTION("everything invoiced exactly: nothing unbilled, no alert") {
    invoice(e, "INV-1", "2026-01-31", {line(Category::base, "1000"), line(Category::change, "100")});
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(r.unbilled.to_string() == "0.00");
    CHECK(r.overbilled.to_string() == "0.00");
    CHECK_FALSE(r.has(Alert::unbilled));
  }
  SECTION("only overbilled: no unbilled alert") {
    invoice(e, "INV-1", "2026-01-31", {line(Category::base, "1100"), line(Category::change, "100")});
    const EngagementReport r = report(e, "2026-01-31");
    CHECK(r.unbilled.to_string() == "0.00");
    CHECK(r.overbilled.to_string() == "100.00");
    CHECK(alert_names(r).empty());
  }
}

// ---------------------------------------------------------------------------------------------
// SPEC §6: alerts

TEST_CASE("contingent_80: the last period's consumption is at least 80 % of its available — just below it is not") {
  SECTION("a contingent block") {
    Engagement e = engagement(Pricing::contingent);
    work(e, "2026-01-05T08:00", 8 * hour);  // 28800 of 36000 = 80 %
    CHECK(report(e, "2026-01-31").has(Alert::contingent_80));
    e.journal.entries = Entries{};
    work(e, "2026-01-05T08:00", 8 * hour - 1);  // 28799 s: just below
    CHECK_FALSE(report(e, "2026-01-31").has(Alert::contingent_80));
  }
  SECTION("a retainer month, carry included") {
    Engagement e = engagement(Pricing::retainer);
    e.terms.rollover_max = 5 * hour;  // Jan unused → Feb available 10 + 5 = 15 h
    work(e, "2026-02-02T08:00", 12 * hour);  // 12 of 15 h = 80 %
    EngagementReport r = report(e, "2026-02-28");
    CHECK(r.has(Alert::contingent_80));
    CHECK_FALSE(r.has(Alert::contingent_exceeded));
    e.journal.entries = Entries{};
    work(e, "2026-02-02T08:00", 12 * hour - 1);  // 43199 × 5 < 54000 × 4
    r = report(e, "2026-02-28");
    CHECK_FALSE(r.has(Alert::contingent_80));
  }
  SECTION("the last retainer month is the as-of month, even without work in it") {
    Engagement e = engagement(Pricing::retainer);
    work(e, "2026-01-05T08:00", 9 * hour);  // Jan 90 %
    CHECK(report(e, "2026-01-31").has(Alert::contingent_80));
    CHECK_FALSE(report(e, "2026-02-05").has(Alert::contingent_80));  // Feb: 0 of 10 h
  }
  SECTION("the last retainer month is the end month when the engagement ended before the as-of date") {
    Engagement e = engagement(Pricing::retainer);
    e.end = day("2026-01-31");
    work(e, "2026-01-05T08:00", 9 * hour);  // Jan 90 %, and Jan is the only month counted
    CHECK(report(e, "2026-03-31").has(Alert::contingent_80));
  }
  SECTION("never for fixed or hourly") {
    Engagement e = engagement(Pricing::hourly);
    work(e, "2026-01-05T08:00", 100 * hour);
    CHECK_FALSE(report(e, "2026-01-31").has(Alert::contingent_80));
    CHECK_FALSE(report(e, "2026-01-31").contingent.has_value());
  }
}

TEST_CASE("contingent_exceeded: any period has overage") {
  SECTION("a contingent block: exactly full is not exceeded, one second more is") {
    Engagement e = engagement(Pricing::contingent);
    work(e, "2026-01-05T08:00", 10 * hour);
    CHECK_FALSE(report(e, "2026-01-31").has(Alert::contingent_exceeded));
    e.journal.entries = Entries{};
    work(e, "2026-01-05T08:00", 10 * hour + 1);
    CHECK(report(e, "2026-01-31").has(Alert::contingent_exceeded));
  }
  SECTION("a retainer: an earlier month over is enough") {
    Engagement e = engagement(Pricing::retainer);
    work(e, "2026-01-05T08:00", 11 * hour);
    const EngagementReport r = report(e, "2026-03-31");
    CHECK(r.has(Alert::contingent_exceeded));
    CHECK_FALSE(r.has(Alert::contingent_80));  // March: 0 of 10 h
  }
}

TEST_CASE("rounds_exhausted when included > 0 and used ≥ included; extra_rounds when any round is extra") {
  const auto alerts_with = [](std::int64_t included, int used) {
    Engagement e = engagement(Pricing::fixed);
    e.terms.included_rounds = included;
    for (int i = 1; i <= used; ++i) revision_request(e, "R" + std::to_string(i), "2026-02-0" + std::to_string(i) + "T09:00");
    invoice(e, "INV-1", "2026-02-28", {line(Category::base, "1000"), line(Category::revision, "1000")});
    return alert_names(report(e, "2026-02-28"));
  };
  using names = std::vector<std::string>;
  CHECK(alerts_with(2, 1) == names{});
  CHECK(alerts_with(2, 2) == names{"rounds_exhausted"});
  CHECK(alerts_with(2, 3) == names{"extra_rounds", "rounds_exhausted"});
  CHECK(alerts_with(0, 0) == names{});
  CHECK(alerts_with(0, 1) == names{"extra_rounds"});  // nothing was included, so nothing is exhausted
}

TEST_CASE("review_overdue when review_by is strictly before the as-of date") {
  Engagement e = engagement(Pricing::fixed);
  CHECK_FALSE(report(e, "2026-04-01").has(Alert::review_overdue));  // no review date
  e.review_by = day("2026-03-31");
  CHECK_FALSE(report(e, "2026-03-31").has(Alert::review_overdue));
  CHECK(report(e, "2026-04-01").has(Alert::review_overdue));
}

TEST_CASE("invoice_overdue when an invoice is more than 30 days old and not fully paid at the as-of date") {
  Engagement e = engagement(Pricing::fixed);
  invoice(e, "INV-1", "2026-01-01", {line(Category::base, "60"), line(Category::base, "40")});
  SECTION("unpaid: 30 days old is not overdue, 31 days is") {
    CHECK_FALSE(report(e, "2026-01-31").has(Alert::invoice_overdue));
    CHECK(report(e, "2026-02-01").has(Alert::invoice_overdue));
  }
  SECTION("partly paid is overdue") {
    pay(e, "INV-1", "2026-01-15", "60");
    CHECK(report(e, "2026-02-01").has(Alert::invoice_overdue));
  }
  SECTION("paid in full by partial payments is not") {
    pay(e, "INV-1", "2026-01-15", "60");
    pay(e, "INV-1", "2026-01-20", "40");
    CHECK_FALSE(report(e, "2026-02-01").has(Alert::invoice_overdue));
  }
  SECTION("a payment after the as-of date does not count yet; on the as-of date it does") {
    pay(e, "INV-1", "2026-02-02", "100");
    CHECK(report(e, "2026-02-01").has(Alert::invoice_overdue));
    CHECK_FALSE(report(e, "2026-02-02").has(Alert::invoice_overdue));
  }
  SECTION("a payment to another invoice does not pay this one") {
    invoice(e, "INV-2", "2026-01-10", {line(Category::revision, "100")});
    pay(e, "INV-2", "2026-01-15", "100");
    CHECK(report(e, "2026-02-01").has(Alert::invoice_overdue));  // INV-1 still open
    pay(e, "INV-1", "2026-01-16", "100");
    CHECK_FALSE(report(e, "2026-02-01").has(Alert::invoice_overdue));
  }
}

TEST_CASE("overlap when two entries overlap in time; entries are half-open, so touching is no overlap") {
  Engagement e = engagement(Pricing::fixed);
  const auto overlaps = [&] { return report(e, "2026-01-31").has(Alert::overlap); };
  SECTION("touching, in order") {
    work(e, "2026-01-05T09:00", 1 * hour);
    work(e, "2026-01-05T10:00", 1 * hour);
    CHECK_FALSE(overlaps());
  }
  SECTION("one second of overlap, in order") {
    work(e, "2026-01-05T09:00", 1 * hour + 1);
    work(e, "2026-01-05T10:00", 1 * hour);
    CHECK(overlaps());
  }
  SECTION("touching, out of time order") {
    work(e, "2026-01-05T10:00", 1 * hour);
    work(e, "2026-01-05T09:00", 1 * hour);
    CHECK_FALSE(overlaps());
  }
  SECTION("one second of overlap, out of time order") {
    work(e, "2026-01-05T10:00", 1 * hour);
    work(e, "2026-01-05T09:00", 1 * hour + 1);
    CHECK(overlaps());
  }
  SECTION("out of order, the overlapping pair far apart in the list") {
    work(e, "2026-01-05T12:00", 1 * hour);
    work(e, "2026-01-06T09:00", 1 * hour);
    work(e, "2026-01-05T08:00", 4 * hour + 30 * minute);  // 08:00–12:30 overlaps 12:00–13:00
    CHECK(overlaps());
  }
  SECTION("newest first, too far out of order to sort by insertion, and none overlapping") {
    // Reversed, n entries need n(n-1)/2 moves: past the insertion sort's budget, which then runs
    // out part way through moving one entry, at a place that depends on n; the check falls back
    // to a full sort of what the insertion sort had moved so far.
    for (int n = 2; n <= 31; ++n) {
      Engagement reversed = engagement(Pricing::fixed);
      for (int d = n; d >= 1; --d) work(reversed, "2026-01-" + std::string(d < 10 ? "0" : "") + std::to_string(d) + "T09:00", 1 * hour);
      INFO(n << " entries, newest first");
      CHECK_FALSE(report(reversed, "2026-01-31").has(Alert::overlap));
      work(reversed, "2026-01-01T09:59", 1 * hour);
      CHECK(report(reversed, "2026-01-31").has(Alert::overlap));
    }
  }
  SECTION("an entry inside an earlier long one, of another kind") {
    work(e, "2026-01-05T09:00", 3 * hour);
    work(e, "2026-01-05T10:00", 30 * minute, EntryKind::internal);
    work(e, "2026-01-05T13:00", 1 * hour);
    CHECK(overlaps());
  }
  SECTION("an entry after the as-of date does not count") {
    e.end = day("2026-02-28");
    work(e, "2026-01-31T23:00", 2 * hour);
    work(e, "2026-02-01T00:00", 1 * hour);
    CHECK_FALSE(overlaps());
    CHECK(report(e, "2026-02-01").has(Alert::overlap));
  }
}

TEST_CASE("alerts come sorted") {
  Engagement e = engagement(Pricing::contingent);
  e.review_by = day("2026-02-15");
  e.terms.included_rounds = 1;
  revision_request(e, "R1", "2026-01-05T09:00");
  revision_request(e, "R2", "2026-01-06T09:00");
  work(e, "2026-01-05T08:00", 6 * hour);
  work(e, "2026-01-05T13:00", 5 * hour);  // overlaps 08:00–14:00; 11 of 10 h: 80 % and exceeded
  invoice(e, "INV-1", "2026-01-10", {line(Category::base, "900")});  // unpaid, 51 days old
  const EngagementReport r = report(e, "2026-03-02");
  CHECK(alert_names(r) == std::vector<std::string>{"contingent_80", "contingent_exceeded", "extra_rounds", "invoice_overdue",
                                                   "overlap", "review_overdue", "rounds_exhausted", "unbilled"});
}

TEST_CASE("worked_seconds and seconds_by_kind are raw seconds of every kind") {
  Engagement e = engagement(Pricing::fixed);
  e.terms.rounding = Rounding{15 * minute, RoundingMode::up};
  e.terms.call_fee = CallFee{15 * minute, 30 * minute, money("40")};
  revision_request(e, "R1", "2026-01-05T09:00");
  change_request(e, "C1", "2026-01-05T09:00");
  work(e, "2026-01-05T09:00", 61);
  work_on(e, "R1", "2026-01-06T09:00", 62);
  work_on(e, "C1", "2026-01-07T09:00", 63);
  call(e, "2026-01-08T09:00", 64);
  work(e, "2026-01-09T09:00", 65, EntryKind::internal);
  const EngagementReport r = report(e, "2026-01-31");
  CHECK(r.worked_seconds == 61 + 62 + 63 + 64 + 65);
  CHECK(r.seconds_by_kind == KindSeconds{{61, 62, 63, 64, 65}});
  CHECK(r.rounds == Rounds{0, 1, 1});
}
