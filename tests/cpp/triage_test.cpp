// Triage of worked example A (as of 2026-03-10), every indicator computed by hand from SPEC §8.
#include <catch2/catch.hpp>

#include "kontingent/evaluate.hpp"
#include "kontingent/writers/triage.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

const Currency eur("EUR");
Money euros(std::int64_t cents) { return {cents, eur}; }

Book example_a() { return load_book_json(test::spec_example("a-fixed.book.json")); }

/// Example A with a second, CHF engagement for the same client (same journal, own ids).
Book example_a_with_chf() {
  const std::string text = test::read_file(test::spec_example("a-fixed.book.json"));
  const auto begin = text.find('{', text.find("\"engagements\": ["));
  const auto end = text.rfind(']');
  std::string chf = text.substr(begin, text.rfind('}', end) - begin + 1);
  const auto replace_all = [&](std::string from, std::string to) {
    for (auto at = chf.find(from); at != std::string::npos; at = chf.find(from, at + to.size())) chf.replace(at, from.size(), to);
  };
  replace_all("\"acme-site\"", "\"acme-ch\"");
  replace_all("\"EUR\"", "\"CHF\"");
  replace_all("\"INV-1\"", "\"INV-CH-1\"");
  std::string book = text;
  book.insert(book.rfind('}', end) + 1, ",\n" + chf);
  return parse_book_json(book);
}

}  // namespace

TEST_CASE("triage indicators of worked example A", "[triage]") {
  const Triage t = triage(example_a());
  REQUIRE(t.engagements.size() == 1);
  const Indicators& in = t.engagements[0].indicators;
  CHECK(t.as_of == Date(2026, 3, 10));
  CHECK(in.invoiced == euros(515000));
  CHECK(in.billable == euros(581875));
  CHECK(in.unbilled == euros(66875));
  CHECK(in.outstanding == euros(0));  // INV-1 paid in full on 03-10
  CHECK(in.list_rate == euros(9500));
  CHECK(in.effective_rate == euros(40927));
  CHECK(in.rate_percent() == 431);              // 409.27 / 95 = 430.8 %
  CHECK(in.call_share_percent() == 11);         // 5100 / 45300 = 11.3 %
  CHECK(in.revision_share_percent() == 21);     // 9600 / 45300 = 21.2 %
  CHECK(in.requests == 4);                      // R1, R2, R3, C1
  CHECK(in.rush_requests == 2);                 // R2 due in 24 h, C1 in 32 h (< 48 h)
  CHECK(in.rush_share_percent() == 50);
  CHECK(in.extra_rounds == 1);
  CHECK(in.no_shows == 2);                      // the no-show and the cancel 2 h before
  CHECK(in.days_to_pay_mean() == 10);           // 02-28 → 03-10
  CHECK(in.days_to_pay_worst == 10);
  CHECK(in.review == ReviewState::pending);     // review_by 03-31 is after the as-of date
  CHECK(in.call_fee_would_bring == euros(0));   // a call fee is agreed: nothing to suggest
  CHECK_FALSE(in.suggested_call_fee.has_value());
}

TEST_CASE("triage reasons are sentences ordered by money at stake; three drains without a low rate renegotiate", "[triage]") {
  const TriageRow row = triage(example_a()).engagements[0];
  CHECK(row.verdict == Verdict::renegotiate);
  REQUIRE(row.reasons.size() == 4);
  CHECK(row.reasons[0].drain == Drain::unbilled);
  CHECK(row.reasons[0].sentence == "668.75 EUR that your terms with ACME GmbH make billable was never invoiced");
  CHECK(row.reasons[1].sentence == "2 appointments with ACME GmbH were missed or cancelled late; 240.00 EUR of no-show fees are not invoiced");
  CHECK(row.reasons[1].at_stake == euros(24000));
  CHECK(row.reasons[2].sentence == "2 of 4 requests from ACME GmbH (50 %) were rush; 142.50 EUR of surcharges are not invoiced");
  CHECK(row.reasons[3].sentence == "21 % of your time with ACME GmbH is revision work, with 1 extra round");
  CHECK(row.reasons[3].at_stake == euros(0));
}

TEST_CASE("let go needs a rate below the let-go share and enough drains", "[triage]") {
  TriagePolicy policy;
  policy.renegotiate_below_rate_percent = 500;  // 431 % is now "low"
  policy.let_go_below_rate_percent = 450;
  CHECK(triage(example_a(), std::nullopt, policy).engagements[0].verdict == Verdict::let_go);  // 3 drains
  policy.let_go_min_drains = 4;
  CHECK(triage(example_a(), std::nullopt, policy).engagements[0].verdict == Verdict::renegotiate);
  policy.let_go_min_drains = 3;
  policy.let_go_below_rate_percent = 431;  // 431 is not below 431
  CHECK(triage(example_a(), std::nullopt, policy).engagements[0].verdict == Verdict::renegotiate);
}

TEST_CASE("keep when no threshold is met; unbilled money is still a reason", "[triage]") {
  TriagePolicy policy;
  policy.revision_share_percent = 22;
  policy.extra_rounds = 2;
  policy.rush_share_percent = 51;
  policy.no_shows = 3;
  const TriageRow row = triage(example_a(), std::nullopt, policy).engagements[0];
  CHECK(row.verdict == Verdict::keep);
  REQUIRE(row.reasons.size() == 1);
  CHECK(row.reasons[0].drain == Drain::unbilled);
}

TEST_CASE("late payment: mean days over the threshold, or an open invoice older than it", "[triage]") {
  TriagePolicy policy;
  policy.days_to_pay = 9;  // INV-1 took 10 days
  const TriageRow row = triage(example_a(), std::nullopt, policy).engagements[0];
  const auto late = std::find_if(row.reasons.begin(), row.reasons.end(), [](const Reason& r) { return r.drain == Drain::late_payment; });
  REQUIRE(late != row.reasons.end());
  CHECK(late->sentence == "ACME GmbH took 10 days on average to pay (worst 10 days)");

  // As of 04-30 without the payment: INV-1 is 61 days old and open.
  Book book = example_a();
  book.engagements[0].journal.payments.clear();
  const TriageRow open = triage(book, Date(2026, 4, 30)).engagements[0];
  CHECK(open.indicators.outstanding == euros(515000));
  CHECK(open.indicators.days_to_pay_worst == 61);
  CHECK_FALSE(open.indicators.days_to_pay_mean().has_value());
  const auto open_reason = std::find_if(open.reasons.begin(), open.reasons.end(), [](const Reason& r) { return r.drain == Drain::late_payment; });
  REQUIRE(open_reason != open.reasons.end());
  CHECK(open_reason->sentence == "ACME GmbH has paid no invoice in full (worst 61 days); 5,150.00 EUR is still open");
  CHECK(open_reason->at_stake == euros(515000));
}

TEST_CASE("a suggested call fee is the same evaluation over changed terms", "[triage]") {
  // Example B has no call fee. Suggested: 15 free minutes, 50.00 per started 30 minutes (30 min at 100/h).
  // January's 30-minute call → 1 block = 50.00; without the call January uses 8 h, carries 2 h, so
  // February's overage falls from 2.5 h to 2 h: 250.00 → 200.00. Net: +50 − 50 = 0.
  const Book book = load_book_json(test::spec_example("b-retainer.book.json"));
  const Indicators in = triage(book).engagements[0].indicators;
  REQUIRE(in.suggested_call_fee.has_value());
  CHECK(in.suggested_call_fee->fee == euros(5000));
  CHECK(in.suggested_call_fee->free == 15 * 60);
  CHECK(in.call_fee_would_bring == euros(0));
  CHECK(in.review == ReviewState::none);
  CHECK(in.effective_rate == euros(8316));
}

TEST_CASE("a client's rows never add CHF to EUR: one row per currency", "[triage]") {
  const Triage t = triage(example_a_with_chf());
  REQUIRE(t.clients.size() == 2);
  CHECK(t.clients[0].currency == eur);
  CHECK(t.clients[1].currency == Currency("CHF"));
  CHECK(t.clients[0].indicators.invoiced == euros(515000));
  CHECK(t.clients[1].indicators.invoiced == Money(515000, Currency("CHF")));
  CHECK(t.clients[0].client_name == "ACME GmbH");
  CHECK(t.clients[0].engagement.empty());
}

TEST_CASE("a client's indicators add its engagements of one currency", "[triage]") {
  Book book = example_a();
  Engagement second = book.engagements[0];
  second.id = "acme-two";
  second.terms.rate = euros(12500);
  second.journal.invoices[0].id = "INV-2";
  second.journal.payments[0].invoice = "INV-2";
  book.engagements.push_back(second);
  const Triage t = triage(book);
  REQUIRE(t.clients.size() == 1);
  const Indicators& in = t.clients[0].indicators;
  CHECK(in.invoiced == euros(1030000));
  CHECK(in.worked == 90600);
  CHECK(in.list_rate == euros(11000));        // (95 + 125) / 2, equal hours
  CHECK(in.effective_rate == euros(40927));   // 10300 × 3600 / 90600
  CHECK(in.requests == 8);
  CHECK(in.rush_requests == 4);
  CHECK(in.no_shows == 4);
  CHECK(in.days_to_pay_mean() == 10);
}

TEST_CASE("triage CSV has one row per client and engagement", "[triage]") {
  const std::string csv = to_csv(triage(example_a()));
  CHECK(csv.substr(0, csv.find('\n')) ==
        "level,client,engagement,currency,verdict,invoiced,billable,unbilled,outstanding,list_rate,effective_rate,"
        "worked_seconds,call_share_percent,revision_share_percent,requests,rush_requests,extra_rounds,no_shows,"
        "days_to_pay_mean,days_to_pay_worst,review,reasons");
  CHECK(csv.find("\nclient,acme,,EUR,renegotiate,5150.00,5818.75,668.75,0.00,95.00,409.27,45300,11,21,4,2,1,2,10,10,pending,") != std::string::npos);
  CHECK(csv.find("\nengagement,acme,acme-site,EUR,renegotiate,") != std::string::npos);
}

namespace {

/// One client, one engagement starting 2026-01-05; `terms`, `entries`, `invoices` and `payments` are JSON.
Book one_engagement(const std::string& terms, const std::string& entries, const std::string& invoices,
                    const std::string& start = "2026-01-05", const std::string& payments = "") {
  return parse_book_json(R"({"format": "kontingent-book/1", "clients": [{"id": "eins", "name": "Kunde Eins"}],
    "engagements": [{"id": "site", "client": "eins", "currency": "EUR", "start": ")" + start + R"(", "terms": )" + terms +
                         R"(, "requests": [], "entries": [)" + entries + R"(], "appointments": [], "invoices": [)" + invoices +
                         R"(], "payments": [)" + payments + R"(]}]})");
}

const std::string hourly = R"({"pricing": "hourly", "rate": "100"})";
/// Ten hours in January (the last entry `last_minutes` long), six in February up to 02-20.
std::string month_end_entries(int last_minutes = 120) {
  std::string out;
  for (const char* day : {"01-06", "01-07", "01-08", "01-09"})
    out += R"({"start": "2026-)" + std::string(day) + R"(T09:00", "minutes": 120, "kind": "scope"}, )";
  out += R"({"start": "2026-01-12T09:00", "minutes": )" + std::to_string(last_minutes) + R"(, "kind": "scope"})";
  for (const char* day : {"02-02", "02-03", "02-20"})
    out += R"(, {"start": "2026-)" + std::string(day) + R"(T09:00", "minutes": 120, "kind": "scope"})";
  return out;
}
const std::string january_invoice = R"({"id": "INV-1", "date": "2026-01-31", "lines": [{"category": "base", "amount": "1000"}]})";

const std::string too_early_minimum = "; a verdict needs at least 1 invoice and 10:00 h";

std::vector<std::pair<Drain, std::string>> reasons_of(const TriageRow& row) {
  std::vector<std::pair<Drain, std::string>> out;
  for (const Reason& r : row.reasons) out.emplace_back(r.drain, r.sentence);
  return out;
}

}  // namespace

TEST_CASE("month-end invoicing: the running month after the last invoice is not yet invoiceable, not a drain", "[triage]") {
  const Book book = one_engagement(hourly, month_end_entries(), january_invoice);
  const TriageRow row = triage(book).engagements[0];  // as of 02-20, the latest entry
  const Indicators& in = row.indicators;
  CHECK(in.invoiced == euros(100000));
  CHECK(in.billable == euros(100000));  // January's 10 h: February's 6 h are open
  CHECK(in.unbilled == euros(0));
  CHECK(in.effective_rate == euros(10000));  // 1000 / 10 h, not 1000 / 16 h = 62.50 (63 %: "renegotiate")
  CHECK(in.worked == 16 * 3600);             // shares still count all work
  CHECK(row.verdict == Verdict::keep);
  REQUIRE(row.reasons.size() == 1);
  CHECK(row.reasons[0].drain == Drain::not_yet_invoiceable);
  CHECK(row.reasons[0].at_stake == euros(60000));
  CHECK(row.reasons[0].sentence ==
        "600.00 EUR billable with Kunde Eins since 2026-02-01 (6:00 h of work) is not yet invoiceable: it belongs on your next "
        "invoice and is left out of the rate and the unbilled amount");
  CHECK(triage(book).clients[0].verdict == Verdict::keep);

  // The report is the SPEC's and does not move: all 16 h, 600.00 unbilled.
  const EngagementReport report = evaluate(book).engagements[0];
  CHECK(report.unbilled == euros(60000));
  CHECK(report.effective_rate == euros(6250));
}

TEST_CASE("an invoice in the running month moves the open period to the day after it", "[triage]") {
  const Book book = one_engagement(
      hourly, month_end_entries(),
      january_invoice + R"(, {"id": "INV-2", "date": "2026-02-03", "lines": [{"category": "base", "amount": "300"}]})");
  const TriageRow row = triage(book).engagements[0];
  CHECK(row.indicators.billable == euros(140000));  // up to 02-03: 14 h
  CHECK(row.indicators.unbilled == euros(10000));
  CHECK(row.indicators.effective_rate == euros(9286));  // 1300 / 14 h
  CHECK(row.verdict == Verdict::keep);
  CHECK(reasons_of(row) ==
        std::vector<std::pair<Drain, std::string>>{
            {Drain::unbilled, "100.00 EUR that your terms with Kunde Eins make billable was never invoiced"},
            {Drain::not_yet_invoiceable,  // last, though more money: it is a reminder, not a drain
             "200.00 EUR billable with Kunde Eins since 2026-02-04 (2:00 h of work) is not yet invoiceable: it belongs on your next "
             "invoice and is left out of the rate and the unbilled amount"}});
}

TEST_CASE("without an invoice a client is too early to tell, not renegotiate at 0 %", "[triage]") {
  const Book book = one_engagement(hourly, month_end_entries(), "");
  // As of 01-31 all work is in the running month: nothing is invoiceable yet.
  const TriageRow first_month = triage(book, Date(2026, 1, 31)).engagements[0];
  CHECK(first_month.verdict == Verdict::too_early);
  CHECK_FALSE(first_month.indicators.effective_rate.has_value());
  CHECK(reasons_of(first_month) ==
        std::vector<std::pair<Drain, std::string>>{
            {Drain::too_early, "too early to tell for Kunde Eins: 0 invoices and 0:00 h of invoiceable work so far" + too_early_minimum},
            {Drain::not_yet_invoiceable,
             "1,000.00 EUR billable with Kunde Eins since 2026-01-05 (10:00 h of work) is not yet invoiceable: it belongs on your "
             "next invoice and is left out of the rate and the unbilled amount"}});

  // As of 02-20 January is overdue on an invoice: unbilled, but a rate of 0 % is still no verdict.
  const TriageRow later = triage(book).engagements[0];
  CHECK(later.verdict == Verdict::too_early);
  CHECK(later.indicators.effective_rate == euros(0));
  REQUIRE(later.reasons.size() == 3);
  CHECK(later.reasons[0].sentence == "too early to tell for Kunde Eins: 0 invoices and 10:00 h of invoiceable work so far" + too_early_minimum);
  CHECK(later.reasons[1].sentence == "1,000.00 EUR that your terms with Kunde Eins make billable was never invoiced");
  CHECK(later.reasons[2].drain == Drain::not_yet_invoiceable);
  CHECK(triage(book).clients[0].verdict == Verdict::too_early);
}

TEST_CASE("a verdict needs the minimum of evidence: one invoice and 10 invoiceable hours, exactly", "[triage]") {
  const TriageRow short_of_it = triage(one_engagement(hourly, month_end_entries(119), january_invoice)).engagements[0];
  CHECK(short_of_it.verdict == Verdict::too_early);
  CHECK(short_of_it.reasons[0].sentence == "too early to tell for Kunde Eins: 1 invoice and 9:59 h of invoiceable work so far" + too_early_minimum);
  CHECK(triage(one_engagement(hourly, month_end_entries(120), january_invoice)).engagements[0].verdict == Verdict::keep);

  TriagePolicy policy;
  policy.min_invoices = 2;
  policy.min_invoiceable_hours = 0;
  const TriageRow two = triage(one_engagement(hourly, month_end_entries(), january_invoice), std::nullopt, policy).engagements[0];
  CHECK(two.verdict == Verdict::too_early);
  CHECK(two.reasons[0].sentence ==
        "too early to tell for Kunde Eins: 1 invoice and 10:00 h of invoiceable work so far; a verdict needs at least 2 invoices and 0:00 h");
}

TEST_CASE("retainer months without any logged time are a warning, and a retainer with none at all asks if it still runs", "[triage]") {
  const std::string retainer = R"({"pricing": "retainer", "rate": "100", "contingent_hours": 10, "contingent_price": "900"})";
  const std::string b01 = R"({"id": "B-01", "date": "2026-01-31", "lines": [{"category": "base", "amount": "900"}]})";
  const Book some = one_engagement(retainer,
                                   R"({"start": "2026-01-12T09:00", "minutes": 600, "kind": "scope"},
                                      {"start": "2026-04-14T09:00", "minutes": 60, "kind": "scope"})",
                                   b01, "2026-01-01", R"({"invoice": "B-01", "date": "2026-02-10", "amount": "900"})");
  const TriageRow row = triage(some).engagements[0];  // as of 04-14: January to March are before the open period
  CHECK(row.indicators.billable == euros(270000));
  CHECK(row.indicators.unbilled == euros(180000));
  CHECK(row.verdict == Verdict::keep);
  CHECK(reasons_of(row) ==
        std::vector<std::pair<Drain, std::string>>{
            {Drain::unbilled, "1,800.00 EUR that your terms with Kunde Eins make billable was never invoiced"},
            {Drain::idle_retainer, "no time was logged with Kunde Eins in 2 of 3 retainer months (the latest 2026-03)"},
            {Drain::not_yet_invoiceable,
             "900.00 EUR billable with Kunde Eins since 2026-04-01 (1:00 h of work) is not yet invoiceable: it belongs on your next "
             "invoice and is left out of the rate and the unbilled amount"}});

  const Triage idle = triage(one_engagement(retainer, "", "", "2026-01-01"), Date(2026, 4, 14));
  const std::string running = "no time was logged with Kunde Eins in any of its 3 retainer months (the latest 2026-03): is the retainer still running?";
  const std::string open = "900.00 EUR billable with Kunde Eins since 2026-04-01 is not yet invoiceable: it belongs on your next invoice and "
                           "is left out of the rate and the unbilled amount";
  const std::string too_early = "too early to tell for Kunde Eins: 0 invoices and 0:00 h of invoiceable work so far" + too_early_minimum;
  CHECK(idle.engagements[0].verdict == Verdict::too_early);
  CHECK(reasons_of(idle.engagements[0]) ==
        std::vector<std::pair<Drain, std::string>>{
            {Drain::too_early, too_early},
            {Drain::idle_retainer, running + " If it is, 2,700.00 EUR of its fees are not invoiced; if not, give the engagement its end date"},
            {Drain::not_yet_invoiceable, open}});
  CHECK(idle.engagements[0].reasons[1].at_stake == euros(270000));
  // A client's unbilled money may come from other engagements: its row keeps the two apart.
  CHECK(reasons_of(idle.clients[0]) ==
        std::vector<std::pair<Drain, std::string>>{
            {Drain::too_early, too_early},
            {Drain::unbilled, "2,700.00 EUR that your terms with Kunde Eins make billable was never invoiced"},
            {Drain::idle_retainer, running},
            {Drain::not_yet_invoiceable,
             "900.00 EUR billable with Kunde Eins this month is not yet invoiceable: it belongs on your next invoice and is left out of "
             "the rate and the unbilled amount"}});
}

TEST_CASE("a client's evidence and rate add its engagements' invoiceable work", "[triage]") {
  // Two engagements of 16 h each (10 h invoiceable), one invoiced: 1 invoice, 20 h, 1000 / 20 h.
  Book book = one_engagement(hourly, month_end_entries(), january_invoice);
  Engagement second = book.engagements[0];
  second.id = "site-two";
  second.journal.invoices.clear();
  book.engagements.push_back(second);
  const Triage t = triage(book);
  CHECK(t.engagements[1].verdict == Verdict::too_early);
  REQUIRE(t.clients.size() == 1);
  CHECK(t.clients[0].indicators.effective_rate == euros(5000));
  CHECK(t.clients[0].indicators.unbilled == euros(100000));
  CHECK(t.clients[0].verdict == Verdict::renegotiate);  // 50 % of the list rate, with enough evidence
  CHECK(t.clients[0].reasons[0].sentence ==
        "you invoiced 50.00 EUR per hour worked for Kunde Eins, 50 % of your list rate of 100.00 EUR; at the list rate your 20:00 h "
        "would have brought 2,000.00 EUR");
}
