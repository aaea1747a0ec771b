// Invoice drafts (SPEC §11): lines from the leakage with their evidence, tax per VAT group rounded
// once, numbering, credit notes, and recording that closes the leak.
#include <catch2/catch.hpp>

#include "kontingent/evaluate.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/invoice.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

const Currency eur("EUR");
Money eur_cents(std::int64_t cents) { return {cents, eur}; }

Owner studio() {
  Owner o;
  o.name = "Studio Nord";
  o.address = {"Hafenstr. 1", "20457", "Hamburg", "DE"};
  o.vat_id = "DE123456789";
  o.invoice_prefix = "RE-2026-";
  o.vat = Vat{VatCategory::S, 19'000'000, ""};
  return o;
}

/// SPEC example A with an owner charging 19 % VAT.
Book example_a() {
  Book book = parse_book_json(test::read_file(test::spec_example("a-fixed.book.json")));
  book.owner = studio();
  return book;
}
const Date a_as_of(2026, 3, 10);

std::vector<std::string> descriptions(const InvoiceDraft& d, Language language) {
  std::vector<std::string> out;
  for (const DraftLine& line : d.lines) out.push_back(line.describe(language));
  return out;
}

}  // namespace

TEST_CASE("the draft of example A bills its leakage line by line with the evidence", "[invoice]") {
  const Book book = example_a();
  const InvoiceDraft d = draft_invoice(book, "acme-site", a_as_of);
  REQUIRE(d.lines.size() == 4);
  CHECK(d.lines[0].category == Category::change);
  CHECK(d.lines[0].net == eur_cents(16625));
  CHECK(d.lines[1].category == Category::call);
  CHECK(d.lines[1].net == eur_cents(12000));
  CHECK(d.lines[2].category == Category::rush);
  CHECK(d.lines[2].net == eur_cents(14250));
  CHECK(d.lines[3].category == Category::no_show);
  CHECK(d.lines[3].net == eur_cents(24000));
  CHECK(descriptions(d, Language::en) == std::vector<std::string>{
            "Change request C1: without a quote 1:45 h × 95.00 EUR/h",
            "3 started blocks of 30 min beyond the 15 min free per call × 40.00 EUR",
            "Rush surcharge 50 % on 3 h × 95.00 EUR/h (due in less than 48 h: R2, C1)",
            "2 missed or late-cancelled appointments × 120.00 EUR"});
  CHECK(descriptions(d, Language::de) == std::vector<std::string>{
            "Änderungswunsch C1: ohne Angebot 1:45 Std. × 95,00 EUR/Std.",
            "3 angefangene Takte à 30 min über die freien 15 min je Telefonat × 40,00 EUR",
            "Eilzuschlag 50 % auf 3 Std. × 95,00 EUR/Std. (weniger als 48 Std. Vorlauf: R2, C1)",
            "2 versäumte oder zu spät abgesagte Termine × 120,00 EUR"});
  REQUIRE(d.vat_groups.size() == 1);
  CHECK(d.vat_groups[0].vat == Vat{VatCategory::S, 19'000'000, ""});
  CHECK(d.vat_groups[0].net == eur_cents(66875));
  CHECK(d.vat_groups[0].tax == eur_cents(12706));  // 127.0625
  CHECK(d.net == eur_cents(66875));
  CHECK(d.tax == eur_cents(12706));
  CHECK(d.total == eur_cents(79581));
  // The header: the next number after none with the prefix, dated the as-of date, due 30 days later.
  CHECK(d.number == "RE-2026-1");
  CHECK_FALSE(d.credit_note);
  CHECK(d.date == a_as_of);
  CHECK(d.due == Date(2026, 4, 9));
  CHECK(d.seller == studio());
  CHECK(d.buyer == book.clients[0]);
  CHECK(d.engagement == "acme-site");
  CHECK(d.engagement_title == "Website relaunch");
  CHECK(d.currency == eur);
}

TEST_CASE("the total of the drafts is the report's unbilled amount, and recording them closes the leak", "[invoice]") {
  Book book = parse_book_json(test::read_file(KONTINGENT_DEMO_BOOK));
  if (!book.owner) book.owner = studio();
  const Date as_of = *default_as_of(book);
  const Report before = evaluate(book, as_of);
  for (const EngagementReport& r : before.engagements) {
    const InvoiceDraft d = draft_invoice(book, r.id, as_of);
    CHECK(d.net == r.unbilled);
    if (d.empty()) continue;
    record_draft(book, d);
    const EngagementReport after = evaluate(book, as_of).engagements[static_cast<std::size_t>(&r - before.engagements.data())];
    CHECK(after.unbilled == Money::zero(r.currency));
    CHECK(after.overbilled == r.overbilled);
    CHECK(draft_invoice(book, r.id, as_of).empty());
  }
}

TEST_CASE("the tax of a VAT group is rounded once, not per line", "[invoice]") {
  Book book = parse_book_json(R"({"format": "kontingent-book/1",
    "clients": [{"id": "c", "name": "C"}],
    "engagements": [{"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-01",
      "terms": {"pricing": "hourly", "rate": "0", "call_fee": {"free_minutes": 0, "block_minutes": 10, "fee": "0.03"},
                "no_show": {"notice_hours": 24, "fee": "0.03"}},
      "entries": [{"start": "2026-01-02T10:00", "minutes": 5, "kind": "call"}],
      "appointments": [{"at": "2026-01-03T10:00", "status": "no_show"}]}]})");
  book.owner = studio();
  const InvoiceDraft d = draft_invoice(book, "e", Date(2026, 1, 31));
  REQUIRE(d.lines.size() == 2);
  // Each line alone: 0.03 × 19 % = 0.0057 → 0.01, twice 0.02; the group: 0.06 × 19 % = 0.0114 → 0.01.
  CHECK(d.tax == eur_cents(1));
  CHECK(d.total == eur_cents(7));
}

TEST_CASE("exempt, reverse-charge and zero-rated invoices carry no tax", "[invoice]") {
  for (const VatCategory category : {VatCategory::E, VatCategory::AE, VatCategory::Z}) {
    Book book = example_a();
    book.owner->vat = Vat{category, 0, category == VatCategory::Z ? "" : "Kleinunternehmer gemäß §19 UStG"};
    book.clients[0].vat_id = "ATU12345678";
    const InvoiceDraft d = draft_invoice(book, "acme-site", a_as_of);
    CHECK(d.tax == eur_cents(0));
    CHECK(d.total == eur_cents(66875));
    REQUIRE(d.vat_groups.size() == 1);
    CHECK(d.vat_groups[0].vat == *book.owner->vat);
    CHECK(d.lines[0].vat == *book.owner->vat);
  }
}

TEST_CASE("an engagement's own VAT wins over the owner's", "[invoice]") {
  Book book = example_a();
  book.engagements[0].terms.vat = Vat{VatCategory::S, 7'000'000, ""};
  CHECK(draft_invoice(book, "acme-site", a_as_of).tax == eur_cents(4681));  // 668.75 × 7 % = 46.8125
}

TEST_CASE("invoice numbers continue the owner's prefix and never reuse one", "[invoice]") {
  Book book = example_a();
  CHECK(next_invoice_number(book) == "RE-2026-1");
  auto& invoices = book.engagements[0].journal.invoices;
  const auto add = [&](std::string id) { invoices.push_back(Invoice{std::move(id), Date(2026, 3, 1), {{Category::base, eur_cents(1)}}, false, "", {}}); };
  add("RE-2026-0007");
  add("RE-2026-3");
  add("RE-2026-12a");  // not the prefix and a number
  add("RE-2025-0099");
  CHECK(next_invoice_number(book) == "RE-2026-0008");
  add("RE-2026-9999");
  CHECK(next_invoice_number(book) == "RE-2026-10000");
  book.owner->invoice_prefix.clear();
  CHECK(next_invoice_number(book) == "1");
  add("41");
  CHECK(next_invoice_number(book) == "42");
}

TEST_CASE("a draft says what is missing: an owner, a VAT category, a free number, the engagement", "[invoice]") {
  Book book = example_a();
  CHECK_THROWS_WITH(draft_invoice(book, "acme-site", a_as_of, {std::nullopt, "INV-1"}),
                    "invoice number \"INV-1\" is taken: the book has an invoice with that id");
  CHECK_THROWS_WITH(draft_invoice(book, "nope", a_as_of), "the book has no engagement \"nope\"");
  CHECK_THROWS_WITH(draft_invoice(book, "acme-site", Date(2026, 1, 4)),
                    "engagement \"acme-site\" starts 2026-01-05, after the as-of date 2026-01-04");
  CHECK_THROWS_WITH(draft_invoice(book, "acme-site", a_as_of, {Date(9999, 12, 31), std::nullopt}),
                    "the due date, 30 days after the invoice date 9999-12-31, would be past 9999-12-31");
  book.owner->vat.reset();
  CHECK_THROWS_WITH(draft_invoice(book, "acme-site", a_as_of),
                    "engagement \"acme-site\" has no VAT category: give the owner a \"vat\" or the engagement's terms one");
  book.owner.reset();
  CHECK_THROWS_AS(draft_invoice(book, "acme-site", a_as_of), draft_error);
  CHECK_THROWS_WITH(draft_invoice(book, "acme-site", a_as_of),
                    "the book has no owner: an invoice needs the seller's name and address (set it with `kontingent owner set`, or add \"owner\" to the book)");
}

TEST_CASE("options set the number and the date; the due date follows the client's payment days", "[invoice]") {
  Book book = example_a();
  book.clients[0].payment_days = 14;
  const InvoiceDraft d = draft_invoice(book, "acme-site", a_as_of, {Date(2026, 3, 12), "2026/17"});
  CHECK(d.number == "2026/17");
  CHECK(d.date == Date(2026, 3, 12));
  CHECK(d.due == Date(2026, 3, 26));
  const Invoice recorded = d.as_invoice();
  CHECK(recorded.id == "2026/17");
  CHECK(recorded.due == Date(2026, 3, 26));
  CHECK(recorded.lines.size() == 4);
  CHECK(recorded.lines[3].amount == eur_cents(24000));
}

TEST_CASE("a line already partly invoiced says what was billable and what was invoiced", "[invoice]") {
  Book book = example_a();
  book.engagements[0].journal.invoices[0].lines.push_back({Category::no_show, eur_cents(12000)});
  const InvoiceDraft d = draft_invoice(book, "acme-site", a_as_of);
  CHECK(d.lines.back().net == eur_cents(12000));
  CHECK(d.lines.back().describe(Language::en) ==
        "2 missed or late-cancelled appointments × 120.00 EUR (billable 240.00 EUR, invoiced so far 120.00 EUR)");
  CHECK(d.lines.back().describe(Language::de) ==
        "2 versäumte oder zu spät abgesagte Termine × 120,00 EUR (abrechenbar 240,00 EUR, bisher berechnet 120,00 EUR)");
}

TEST_CASE("overbilling becomes a credit note that refers to the invoices, and recording it balances the book", "[invoice]") {
  Book book = example_a();
  auto& invoices = book.engagements[0].journal.invoices;
  invoices.push_back(Invoice{"INV-2", Date(2026, 3, 5), {{Category::revision, eur_cents(35000)}, {Category::call, eur_cents(20000)}}, false, "", {}});
  CHECK(draft_invoice(book, "acme-site", a_as_of).lines.size() == 3);  // change, rush, no_show still unbilled
  const InvoiceDraft credit = draft_credit_note(book, "acme-site", a_as_of);
  CHECK(credit.credit_note);
  REQUIRE(credit.lines.size() == 2);
  CHECK(credit.lines[0].category == Category::revision);
  CHECK(credit.lines[0].net == eur_cents(35000));
  CHECK(credit.lines[1].category == Category::call);
  CHECK(credit.lines[1].net == eur_cents(8000));
  CHECK(credit.lines[1].describe(Language::en) ==
        "3 started blocks of 30 min beyond the 15 min free per call × 40.00 EUR (billable 120.00 EUR, invoiced so far 200.00 EUR)");
  CHECK(credit.refers_to == std::vector<std::string>{"INV-1", "INV-2"});
  CHECK(credit.total == eur_cents(51170));  // 430 + 81.70
  record_draft(book, credit);
  const Invoice& recorded = book.engagements[0].journal.invoices.back();
  CHECK(recorded.credit_note);
  CHECK(recorded.refers_to == "INV-2");
  const EngagementReport r = evaluate(book, a_as_of).engagements[0];
  CHECK(r.overbilled.to_string() == "0.00");
  CHECK(r.invoiced[Category::revision].to_string() == "350.00");
  CHECK(draft_credit_note(book, "acme-site", a_as_of).empty());
}

TEST_CASE("recording is refused, changing nothing, for an empty draft or a number taken meanwhile", "[invoice]") {
  Book book = example_a();
  const InvoiceDraft d = draft_invoice(book, "acme-site", a_as_of);
  Book taken = book;
  taken.engagements[0].journal.invoices.push_back(Invoice{"RE-2026-1", a_as_of, {{Category::base, eur_cents(1)}}, false, "", {}});
  const Book before = taken;
  CHECK_THROWS_WITH(record_draft(taken, d), "invoice number \"RE-2026-1\" is taken: the book has an invoice with that id");
  CHECK(taken == before);
  record_draft(book, d);
  const InvoiceDraft nothing = draft_invoice(book, "acme-site", a_as_of);
  CHECK(nothing.empty());
  const Book recorded = book;
  CHECK_THROWS_WITH(record_draft(book, nothing),
                    "nothing to bill for engagement \"acme-site\": the draft has no lines, so nothing is recorded");
  CHECK(book == recorded);
}

TEST_CASE("recording is refused, changing nothing, when the report at the draft's as-of date could not count it", "[invoice]") {
  // Billing January (as of 01-31) with an invoice dated 02-03: the report as of 01-31 ignores it,
  // so a second draft as of 01-31 would bill the same leakage again.
  Book book = example_a();
  const Date earlier = a_as_of - boost::gregorian::days(3);
  const InvoiceDraft later = draft_invoice(book, "acme-site", earlier, {.date = a_as_of});
  REQUIRE_FALSE(later.empty());
  const Book before = book;
  CHECK_THROWS_WITH(record_draft(book, later),
                    "invoice \"RE-2026-1\" is dated 2026-03-10, after its as-of date 2026-03-07: the report as of 2026-03-07 would not "
                    "count it, and billing as of that date again would bill the same leakage twice; date it on or before 2026-03-07, or "
                    "draft it as of 2026-03-10");
  CHECK(book == before);
  // Dated on its as-of date or before, it is recorded, and the report at that date has nothing left.
  record_draft(book, draft_invoice(book, "acme-site", earlier, {.date = earlier - boost::gregorian::days(1)}));
  CHECK(evaluate(book, earlier).engagements[0].unbilled.cents() == 0);
  // An invoice dated after the as-of date is invisible to a draft as of that date.
  Book invoiced_later = example_a();
  invoiced_later.engagements[0].journal.invoices.push_back(Invoice{"X-9", a_as_of, {{Category::call, eur_cents(100)}}, false, "", {}});
  const InvoiceDraft blind = draft_invoice(invoiced_later, "acme-site", earlier);
  REQUIRE_FALSE(blind.empty());
  const Book with_later = invoiced_later;
  CHECK_THROWS_WITH(record_draft(invoiced_later, blind),
                    "engagement \"acme-site\" has invoice \"X-9\" dated 2026-03-10, after the as-of date 2026-03-07: the report as of "
                    "2026-03-07 does not count it, so this draft would settle again what it settled; draft as of 2026-03-10 or later");
  CHECK(invoiced_later == with_later);
}

TEST_CASE("a draft recorded into a book that changed since it was drafted is refused, changing nothing", "[invoice]") {
  // Book.update records the draft into the book as it is on disk now: another writer may have
  // invoiced the calls, or logged more work, since the draft was made from an older copy.
  const Book drafted_from = example_a();
  const InvoiceDraft d = draft_invoice(drafted_from, "acme-site", a_as_of);
  Book invoiced_meanwhile = drafted_from;
  invoiced_meanwhile.engagements[0].journal.invoices.push_back(
      Invoice{"MAN-1", a_as_of - boost::gregorian::days(1), {{Category::call, eur_cents(12000)}}, false, "", {}});
  const Book before = invoiced_meanwhile;
  CHECK_THROWS_WITH(record_draft(invoiced_meanwhile, d),
                    "invoice \"RE-2026-1\" no longer fits the book: as of 2026-03-10 it leaves call 0.00 (drafted: 120.00) to bill; "
                    "draft it again from the book as it is now");
  CHECK(invoiced_meanwhile == before);
  // A credit note likewise, against a book whose overbilling another credit note took back.
  Book overbilled = example_a();
  overbilled.engagements[0].journal.invoices.push_back(Invoice{"INV-2", Date(2026, 3, 5), {{Category::call, eur_cents(20000)}}, false, "", {}});
  const InvoiceDraft credit = draft_credit_note(overbilled, "acme-site", a_as_of);
  Book credited = overbilled;
  credited.engagements[0].journal.invoices.push_back(
      Invoice{"GS-1", Date(2026, 3, 6), {{Category::call, eur_cents(5000)}}, true, "INV-2", {}});
  const Book credited_before = credited;
  CHECK_THROWS_WITH(record_draft(credited, credit),
                    "credit note \"RE-2026-1\" no longer fits the book: as of 2026-03-10 it leaves call 30.00 (drafted: 80.00) to credit; "
                    "draft it again from the book as it is now");
  CHECK(credited == credited_before);
  // Drafted again from the book as it is, it is recorded and settles.
  record_draft(invoiced_meanwhile, draft_invoice(invoiced_meanwhile, "acme-site", a_as_of));
  CHECK(evaluate(invoiced_meanwhile, a_as_of).engagements[0].unbilled.cents() == 0);
}

TEST_CASE("base lines name the pricing: fixed, contingent, retainer months, hourly work", "[invoice]") {
  Book book = parse_book_json(test::read_file(test::spec_example("b-retainer.book.json")));
  book.owner = studio();
  book.engagements[0].journal.invoices.pop_back();  // March's base not invoiced
  const InvoiceDraft d = draft_invoice(book, book.engagements[0].id, Date(2026, 3, 31));
  REQUIRE(d.lines.size() == 2);
  CHECK(d.lines[0].describe(Language::en).starts_with("Retainer for "));
  CHECK(d.lines[0].describe(Language::en).ends_with(": 3 months × 900.00 EUR (billable 2700.00 EUR, invoiced so far 1800.00 EUR)"));
  CHECK(d.lines[0].describe(Language::de).ends_with(": 3 Monate × 900,00 EUR (abrechenbar 2700,00 EUR, bisher berechnet 1800,00 EUR)"));
  CHECK(d.lines[1].describe(Language::en) == "2.5 h over the contingent × 100.00 EUR/h");
  CHECK(d.lines[1].describe(Language::de) == "2,5 Std. über dem Kontingent × 100,00 EUR/Std.");
  CHECK(d.lines[1].net == eur_cents(25000));
}
