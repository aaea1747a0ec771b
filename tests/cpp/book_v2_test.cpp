// Book version 2 (SPEC §10): parties, VAT, payment days, credit notes and due dates — read, written,
// validated with a message per rule, and what they change in the report (invoiced, overdue).
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "kontingent/evaluate.hpp"
#include "kontingent/formats/json.hpp"
#include "test_support.hpp"

using namespace kontingent;
using test::replaced;

namespace {

// Every field of §10 once, so that each rule is one readable mutation.
constexpr std::string_view v2_book = R"json({"format": "kontingent-book/2",
 "owner": {"name": "Studio Nord", "address": {"street": "Hafenstr. 1", "postcode": "20457", "city": "Hamburg", "country": "DE"},
           "vat_id": "DE123456789", "tax_number": "22/123/45678", "email": "mail@studio-nord.de", "iban": "DE02120300000000202051",
           "invoice_prefix": "RE-", "vat": {"category": "S", "percent": 19}},
 "clients": [{"id": "acme", "name": "ACME GmbH", "address": {"city": "Berlin", "country": "DE"}, "vat_id": "DE987654321",
              "email": "ap@acme.example", "buyer_reference": "04011000-12345-67", "payment_days": 14},
             {"id": "wien", "name": "Wiener Werkstatt", "address": {"street": "Ring 1", "postcode": "1010", "city": "Wien", "country": "AT"},
              "vat_id": "ATU12345678"}],
 "engagements": [
  {"id": "site", "client": "acme", "currency": "EUR", "start": "2026-01-05",
   "terms": {"pricing": "hourly", "rate": "100"},
   "entries": [{"start": "2026-01-06T09:00", "minutes": 600, "kind": "scope"}],
   "invoices": [{"id": "RE-7", "date": "2026-01-31", "lines": [{"category": "base", "amount": "1200"}], "due": "2026-02-10"},
                {"id": "GS-1", "date": "2026-02-05", "lines": [{"category": "base", "amount": "200"}], "credit_note": true, "refers_to": "RE-7"}],
   "payments": [{"invoice": "RE-7", "date": "2026-02-08", "amount": "1000"}]},
  {"id": "shop", "client": "wien", "currency": "EUR", "start": "2026-01-01",
   "terms": {"pricing": "hourly", "rate": "90", "vat": {"category": "AE", "exemption_reason": "Reverse charge"}},
   "entries": [{"start": "2026-01-10T09:00", "minutes": 60, "kind": "scope"}]}
 ]})json";

std::string with(std::string_view from, std::string_view to) { return replaced(std::string(v2_book), from, to); }

std::string refusal(const std::string& json) {
  try {
    (void)parse_book_json(json);
  } catch (const validation_error& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("a version 2 book reads every field of SPEC §10", "[v2]") {
  const Book book = parse_book_json(v2_book);
  REQUIRE(book.owner);
  CHECK(book.owner->name == "Studio Nord");
  CHECK(book.owner->address == Address{"Hafenstr. 1", "20457", "Hamburg", "DE"});
  CHECK(book.owner->tax_number == "22/123/45678");
  CHECK(book.owner->iban == "DE02120300000000202051");
  CHECK(book.owner->invoice_prefix == "RE-");
  CHECK(book.owner->vat == Vat{VatCategory::S, 19'000'000, ""});
  const Client& acme = book.clients[0];
  CHECK(acme.address == Address{"", "", "Berlin", "DE"});
  CHECK(acme.buyer_reference == "04011000-12345-67");
  CHECK(acme.days_to_pay() == 14);
  CHECK(book.clients[1].days_to_pay() == 30);
  CHECK(book.engagements[1].terms.vat == Vat{VatCategory::AE, 0, "Reverse charge"});
  CHECK(book.vat_of(book.engagements[0]) == book.owner->vat);
  CHECK(book.vat_of(book.engagements[1]) == book.engagements[1].terms.vat);
  const Invoice& credit = book.engagements[0].journal.invoices[1];
  CHECK(credit.credit_note);
  CHECK(credit.refers_to == "RE-7");
  CHECK(book.engagements[0].journal.invoices[0].due == Date(2026, 2, 10));
}

TEST_CASE("a version 2 book is written as it was read, and a book without its fields stays version 1", "[v2]") {
  const Book book = parse_book_json(v2_book);
  const std::string json = to_json(book);
  CHECK(json.find("\"kontingent-book/2\"") != std::string::npos);
  CHECK(parse_book_json(json) == book);
  CHECK(to_json(parse_book_json(json)) == json);

  const Book v1 = parse_book_json(test::read_file(test::spec_example("a-fixed.book.json")));
  CHECK(first_version_2_field(v1).empty());
  CHECK(to_json(v1).find("\"kontingent-book/1\"") != std::string::npos);

  Book grown = v1;
  grown.clients[0].payment_days = 10;
  CHECK(first_version_2_field(grown) == "clients[0].payment_days");
  CHECK(to_json(grown).find("\"kontingent-book/2\"") != std::string::npos);
}

TEST_CASE("a book that says version 1 cannot use a field of version 2", "[v2]") {
  CHECK(refusal(with("kontingent-book/2", "kontingent-book/1")) ==
        "owner: a field of book version 2: the book must say \"format\": \"kontingent-book/2\"");
  CHECK(refusal(with("kontingent-book/2", "kontingent-book/3")) ==
        "format: expected \"kontingent-book/1\" or \"kontingent-book/2\", got \"kontingent-book/3\"");
  const std::string a = test::read_file(test::spec_example("a-fixed.book.json"));
  CHECK(refusal(replaced(a, R"("date": "2026-02-28")", R"("date": "2026-02-28", "due": "2026-03-31")")) ==
        "engagements[0].invoices[0].due: a field of book version 2: the book must say \"format\": \"kontingent-book/2\"");
}

TEST_CASE("every rule of SPEC §10 is refused with its place and rule", "[v2]") {
  CHECK(refusal(with(R"("category": "S", "percent": 19)", R"("category": "S")")) ==
        "owner.vat: VAT category \"S\" needs a \"percent\" > 0");
  CHECK(refusal(with(R"("category": "S", "percent": 19)", R"("category": "X")")) ==
        "owner.vat.category: unknown VAT category \"X\" (expected S, Z, E or AE)");
  CHECK(refusal(with(R"("category": "AE", "exemption_reason": "Reverse charge")", R"("category": "AE")")) ==
        "engagements[1].terms.vat: VAT category \"AE\" needs an \"exemption_reason\" (printed on the invoice, e.g. \"Kleinunternehmer gemäß §19 UStG\")");
  CHECK(refusal(with(R"("category": "AE", "exemption_reason": "Reverse charge")", R"("category": "Z", "percent": 7)")) ==
        "engagements[1].terms.vat.percent: only VAT category \"S\" has a percent; \"Z\" is charged at 0");
  CHECK(refusal(with(R"("vat_id": "ATU12345678")", R"("email": "office@werkstatt.example")")) ==
        "engagements[1].terms.vat: VAT category \"AE\" (reverse charge) needs the client's \"vat_id\", and client \"wien\" has none");
  CHECK(refusal(with(R"("country": "AT")", R"("country": "XX")")) ==
        "clients[1].address.country: must be an ISO 3166-1 alpha-2 country code like \"DE\", got \"XX\"");
  CHECK(refusal(with(R"("country": "AT")", R"("country": "at")")) ==
        "clients[1].address.country: must be an ISO 3166-1 alpha-2 country code like \"DE\", got \"at\"");
  CHECK(refusal(with(R"({"city": "Berlin", "country": "DE"})", R"({"city": "Berlin"})")) ==
        "clients[0].address: missing field \"country\"");
  CHECK(refusal(with(R"("name": "Studio Nord", )", "")) == "owner: missing field \"name\"");
  CHECK(refusal(with(R"("payment_days": 14)", R"("payment_days": -1)")) ==
        "clients[0].payment_days: must be an integer >= 0, got -1");
  CHECK(refusal(with(R"("invoice_prefix": "RE-")", R"("invoice_prefix": "RE-", "bank": "x")")) == "owner: unknown field \"bank\"");
  CHECK(refusal(with(R"("due": "2026-02-10")", R"("due": "2026-01-30")")) ==
        "engagements[0].invoices[0].due: due 2026-01-30 is before the date 2026-01-31");
  CHECK(refusal(with(R"(, "refers_to": "RE-7")", "")) ==
        "engagements[0].invoices[1]: a credit note needs \"refers_to\": the invoice it corrects");
  CHECK(refusal(with(R"("refers_to": "RE-7")", R"("refers_to": "RE-8")")) ==
        "engagements[0].invoices[1].refers_to: unknown invoice \"RE-8\" (a credit note must refer to an invoice of its engagement)");
  CHECK(refusal(with(R"("refers_to": "RE-7")", R"("refers_to": "GS-1")")) ==
        "engagements[0].invoices[1].refers_to: \"GS-1\" is a credit note; a credit note refers to an invoice");
  CHECK(refusal(with(R"(, "credit_note": true)", "")) == "engagements[0].invoices[1].refers_to: \"refers_to\" is only for credit notes");
  CHECK(refusal(with(R"("credit_note": true)", R"("credit_note": "yes")")) ==
        "engagements[0].invoices[1].credit_note: expected true or false, got a string");
  CHECK(refusal(with(R"({"invoice": "RE-7", "date": "2026-02-08")", R"({"invoice": "GS-1", "date": "2026-02-08")")) ==
        "engagements[0].payments[0].invoice: \"GS-1\" is a credit note; a payment names an invoice");
}

TEST_CASE("a credit note takes its lines back from what was invoiced", "[v2]") {
  const Book book = parse_book_json(v2_book);
  // 10 h at 100 = 1000 billable; invoiced 1200 − 200 credited = 1000.
  const EngagementReport r = evaluate(book, Date(2026, 2, 28)).engagements[0];
  CHECK(r.billable[Category::base].to_string() == "1000.00");
  CHECK(r.invoiced[Category::base].to_string() == "1000.00");
  CHECK(r.overbilled.to_string() == "0.00");
  CHECK(r.effective_rate->to_string() == "100.00");
  // Before the credit note's date it does not count.
  CHECK(evaluate(book, Date(2026, 2, 4)).engagements[0].overbilled.to_string() == "200.00");
}

TEST_CASE("an invoice is overdue after its due date, else after the client's payment days", "[v2]") {
  const auto overdue = [](const Book& book, Date as_of) {
    const std::vector<Alert> alerts = evaluate(book, as_of).engagements[0].alerts;
    return std::find(alerts.begin(), alerts.end(), Alert::invoice_overdue) != alerts.end();
  };
  Book book = parse_book_json(v2_book);
  book.engagements[0].journal.invoices.pop_back();  // no credit note: 1200 invoiced, 1000 paid
  CHECK_FALSE(overdue(book, Date(2026, 2, 10)));  // due that day
  CHECK(overdue(book, Date(2026, 2, 11)));
  // Without its own due date: the invoice date + the client's 14 payment days.
  book.engagements[0].journal.invoices[0].due.reset();
  CHECK_FALSE(overdue(book, Date(2026, 2, 14)));
  CHECK(overdue(book, Date(2026, 2, 15)));
  // What a credit note takes back is no longer owed: 1200 − 200 credited − 1000 paid = 0.
  const Book credited = parse_book_json(v2_book);
  CHECK_FALSE(overdue(credited, Date(2026, 6, 1)));
  // A client without payment days has 30, the rule of a version 1 book.
  book.clients[0].payment_days.reset();
  CHECK_FALSE(overdue(book, Date(2026, 3, 2)));
  CHECK(overdue(book, Date(2026, 3, 3)));
}

TEST_CASE("payment days reaching past the year 9999 are counted, not added to a date", "[v2]") {
  Book book = parse_book_json(v2_book);
  book.engagements[0].journal.invoices.pop_back();
  Invoice& invoice = book.engagements[0].journal.invoices[0];
  invoice.date = Date(9999, 12, 1);
  invoice.due.reset();
  book.clients[0].payment_days = 10'000'000;
  const std::vector<Alert> alerts = evaluate(book, Date(9999, 12, 31)).engagements[0].alerts;
  CHECK(std::find(alerts.begin(), alerts.end(), Alert::invoice_overdue) == alerts.end());
  book.clients[0].payment_days = 29;
  const std::vector<Alert> late = evaluate(book, Date(9999, 12, 31)).engagements[0].alerts;
  CHECK(std::find(late.begin(), late.end(), Alert::invoice_overdue) != late.end());
}

TEST_CASE("a credit note is never overdue itself", "[v2]") {
  const Book book = parse_book_json(v2_book);
  // RE-7 is settled by payment and credit; GS-1 has no payment and is still never overdue.
  const std::vector<Alert> alerts = evaluate(book, Date(2026, 12, 31)).engagements[0].alerts;
  CHECK(std::find(alerts.begin(), alerts.end(), Alert::invoice_overdue) == alerts.end());
}

TEST_CASE("an engagement whose amounts overflow is refused naming it, never reported negative", "[v2]") {
  const Book book = parse_book_json(R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}],
    "engagements": [{"id": "huge", "client": "c", "currency": "EUR", "start": "2026-01-01",
      "terms": {"pricing": "hourly", "rate": "999999999999999.99"},
      "entries": [{"start": "2026-01-02T00:00", "minutes": 10000000, "kind": "scope"}]}]})");
  CHECK_THROWS_AS(evaluate(book, Date(2026, 1, 31)), money_overflow);
  CHECK_THROWS_WITH(evaluate(book, Date(2026, 1, 31)),
                    "engagement \"huge\": an amount exceeds 999999999999999.99 EUR, the largest a book holds");
}
