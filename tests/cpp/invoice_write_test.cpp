// Invoice drafts written out (include/kontingent/writers/invoice.hpp): drafts built by hand, so
// these tests check the layout alone — the exact German text of a standard-rated invoice, the exact
// kontingent-invoice/1 JSON of a §19 UStG invoice and its fields read back, credit notes, Markdown
// tables, and an HTML page that escapes the book's text and loads nothing.
#include <catch2/catch.hpp>

#include <boost/property_tree/json_parser.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kontingent/writers/invoice.hpp"

using namespace kontingent;

namespace {

Money eur(const char* amount) { return Money::parse(amount, Currency("EUR")); }

Owner studio() {
  Owner o;
  o.name = "Studio Nord";
  o.address = {"Hafenstraße 1", "20457", "Hamburg", "DE"};
  o.vat_id = "DE123456789";
  o.email = "hallo@studio-nord.example";
  o.iban = "DE02120300000000202051";
  o.invoice_prefix = "RE-2026-";
  return o;
}

Client acme() {
  Client c;
  c.id = "acme";
  c.name = "ACME GmbH";
  c.address = Address{"Musterweg 2", "10115", "Berlin", "DE"};
  c.vat_id = "DE987654321";
  c.email = "rechnung@acme.example";
  c.buyer_reference = "04011000-12345-67";
  c.payment_days = 30;
  return c;
}

const Vat standard{VatCategory::S, 19'000'000, ""};

/// Fixed price, overage and call fees at 19 %: the group's tax is rounded once, 990.375 → 990.38.
InvoiceDraft standard_invoice() {
  InvoiceDraft d;
  d.number = "RE-2026-0008";
  d.date = Date(2026, 3, 31);
  d.due = Date(2026, 4, 30);
  d.as_of = Date(2026, 3, 31);
  d.currency = Currency("EUR");
  d.engagement = "acme-site";
  d.engagement_title = "Website-Relaunch";
  d.seller = studio();
  d.buyer = acme();
  d.lines = {{Category::base, eur("4800"), standard, {"Festpreis für „Website-Relaunch“", "Fixed price for “Website-Relaunch”"}},
             {Category::overage, eur("332.50"), standard,
              {"3,5 Std. über dem Kontingent × 95,00 EUR/Std.", "3.5 h over the contingent × 95.00 EUR/h"}},
             {Category::call, eur("80"), standard,
              {"2 angefangene Takte à 30 min über die freien 15 min je Telefonat × 40,00 EUR",
               "2 started blocks of 30 min beyond the 15 min free per call × 40.00 EUR"}}};
  d.vat_groups = {{standard, eur("5212.50"), eur("990.38")}};
  d.net = eur("5212.50");
  d.tax = eur("990.38");
  d.total = eur("6202.88");
  return d;
}

/// A small business under §19 UStG: no VAT id, a tax number, no VAT; the client has no address.
InvoiceDraft exempt_invoice() {
  const Vat exempt{VatCategory::E, 0, "Kein Ausweis der Umsatzsteuer: Kleinunternehmer gemäß §19 UStG"};
  InvoiceDraft d;
  d.number = "2026-17";
  d.date = Date(2026, 5, 4);
  d.due = Date(2026, 5, 18);
  d.as_of = Date(2026, 4, 30);
  d.currency = Currency("EUR");
  d.engagement = "logo";
  d.seller.name = "Anna Muster Design";
  d.seller.address = {"", "", "Leipzig", "DE"};
  d.seller.tax_number = "231/815/08150";
  d.buyer.id = "baeckerei";
  d.buyer.name = "Bäckerei Korn";
  d.lines = {{Category::revision, eur("350"), exempt, {"1 zusätzliche Korrekturschleife (Runde 3, 2 inklusive) × 350,00 EUR",
                                                      "1 extra revision round (round 3, 2 included) × 350.00 EUR"}},
             {Category::no_show, eur("120"), exempt, {"1 versäumter oder zu spät abgesagter Termin × 120,00 EUR",
                                                     "1 missed or late-cancelled appointment × 120.00 EUR"}}};
  d.vat_groups = {{exempt, eur("470"), eur("0")}};
  d.net = d.total = eur("470");
  d.tax = eur("0");
  return d;
}

/// A rush surcharge charged twice, taken back: 47.50 net, 9.025 → 9.03 tax.
InvoiceDraft credit_note() {
  InvoiceDraft d = standard_invoice();
  d.number = "RE-2026-0009";
  d.credit_note = true;
  d.refers_to = {"RE-2026-0003", "RE-2026-0005"};
  d.lines = {{Category::rush, eur("47.50"), standard, {"Eilzuschlag 50 % auf 1 Std. × 95,00 EUR/Std.", "Rush surcharge 50 % on 1 h × 95.00 EUR/h"}}};
  d.vat_groups = {{standard, eur("47.50"), eur("9.03")}};
  d.net = eur("47.50");
  d.tax = eur("9.03");
  d.total = eur("56.53");
  return d;
}

/// One line of 1.00 for each category, in category order.
InvoiceDraft every_category() {
  InvoiceDraft d = standard_invoice();
  d.lines.clear();
  for (std::size_t c = 0; c < category_count; ++c) d.lines.push_back({static_cast<Category>(c), eur("1"), standard, {"de", "en"}});
  d.vat_groups = {{standard, eur("7"), eur("1.33")}};
  d.net = eur("7");
  d.tax = eur("1.33");
  d.total = eur("8.33");
  return d;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// The JSON read back by a reader that knows nothing of ours; it throws on anything that is not JSON.
/// Not simdjson: the library is built with SIMDJSON_THREADS_ENABLED, which changes simdjson's
/// classes, and a test file including it without that definition breaks the library's own reader.
boost::property_tree::ptree parsed(const std::string& json) {
  std::istringstream in(json);
  boost::property_tree::ptree tree;
  boost::property_tree::read_json(in, tree);
  return tree;
}

std::vector<std::string> keys(const boost::property_tree::ptree& object) {
  std::vector<std::string> names;
  for (const auto& [key, value] : object) names.push_back(key);
  return names;
}

/// The names of the tags in `html`, in order: what a browser would build elements from.
std::vector<std::string> tags(const std::string& html) {
  std::vector<std::string> names;
  for (auto at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1)) {
    const auto end = html.find_first_of(" >", at);
    names.push_back(html.substr(at + 1, end - at - 1));
  }
  return names;
}


}  // namespace

TEST_CASE("invoice text: a German invoice at 19 %, exactly", "[invoice_write]") {
  CHECK(to_text(standard_invoice(), Language::de) ==
        "Rechnung RE-2026-0008\n"
        "=====================\n"
        "\n"
        "Datum           31.03.2026\n"
        "Fällig am       30.04.2026\n"
        "Leistungen bis  31.03.2026\n"
        "Auftrag         Website-Relaunch (acme-site)\n"
        "\n"
        "Von\n"
        "  Studio Nord\n"
        "  Hafenstraße 1\n"
        "  20457 Hamburg\n"
        "  DE\n"
        "  USt-IdNr.: DE123456789\n"
        "  E-Mail: hallo@studio-nord.example\n"
        "\n"
        "An\n"
        "  ACME GmbH\n"
        "  Musterweg 2\n"
        "  10115 Berlin\n"
        "  DE\n"
        "  USt-IdNr.: DE987654321\n"
        "  Ihre Referenz: 04011000-12345-67\n"
        "  E-Mail: rechnung@acme.example\n"
        "\n"
        "Positionen\n"
        "  1  Grundpreis                                      4800,00 EUR\n"
        "     Festpreis für „Website-Relaunch“\n"
        "  2  Mehrstunden                                      332,50 EUR\n"
        "     3,5 Std. über dem Kontingent × 95,00 EUR/Std.\n"
        "  3  Telefonate                                        80,00 EUR\n"
        "     2 angefangene Takte à 30 min über die freien 15 min je Telefonat × 40,00 EUR\n"
        "\n"
        "Umsatzsteuer\n"
        "  S 19 % auf 5212,50 EUR                              990,38 EUR\n"
        "\n"
        "Summe netto                                          5212,50 EUR\n"
        "Umsatzsteuer                                          990,38 EUR\n"
        "Gesamtbetrag                                         6202,88 EUR\n"
        "\n"
        "Zahlung\n"
        "  Zahlbar bis  30.04.2026\n"
        "  IBAN         DE02120300000000202051\n");
}

TEST_CASE("invoice text: English dates and words; an exempt group prints its reason; no IBAN, no IBAN line", "[invoice_write]") {
  const std::string text = to_text(exempt_invoice(), Language::en);
  CHECK(text.starts_with("Invoice 2026-17\n===============\n\n"
                         "Date            2026-05-04\n"
                         "Due date        2026-05-18\n"
                         "Services up to  2026-04-30\n"
                         "Engagement      logo\n\n"
                         "From\n  Anna Muster Design\n  Leipzig\n  DE\n  Tax number: 231/815/08150\n\n"
                         "To\n  Bäckerei Korn\n\n"));
  CHECK(contains(text, "VAT\n"
                       "  E 0 % on 470.00 EUR                                   0.00 EUR\n"
                       "    Kein Ausweis der Umsatzsteuer: Kleinunternehmer gemäß §19 UStG\n"));
  CHECK(text.ends_with("Total                                                 470.00 EUR\n\n"
                       "Payment\n"
                       "  Payable by  2026-05-18\n"));
  CHECK(!contains(text, "IBAN"));
}

TEST_CASE("invoice text: the category words in both languages, aligned by characters, not bytes", "[invoice_write]") {
  const std::string de = to_text(every_category(), Language::de), en = to_text(every_category(), Language::en);
  const auto row = [](const std::string& left) { return left + std::string(64 - 8 - left.size(), ' ') + "1,00 EUR\n"; };
  CHECK(contains(de, "Positionen\n" + row("  1  Grundpreis") + "     de\n" + row("  2  Mehrstunden") + "     de\n" +
                         row("  3  Korrekturschleifen") + "     de\n" +
                         "  4  Änderungen" + std::string(41, ' ') + "1,00 EUR\n     de\n" +  // "Ä" is two bytes, one column
                         row("  5  Telefonate") + "     de\n" + row("  6  Eilzuschlag") + "     de\n" +
                         "  7  Ausfallgebühr" + std::string(38, ' ') + "1,00 EUR\n     de\n\n"));
  for (const auto& line : {"  1  Base ", "  2  Overage ", "  3  Revision rounds ", "  4  Changes ", "  5  Calls ", "  6  Rush surcharge ",
                           "  7  No-show fees "})
    CHECK(contains(en, line));
}

TEST_CASE("invoice text: a credit note names the invoices it refers to and is refunded, not paid", "[invoice_write]") {
  const std::string de = to_text(credit_note(), Language::de), en = to_text(credit_note(), Language::en);
  CHECK(de.starts_with("Gutschrift RE-2026-0009\n=======================\n\n"));
  CHECK(contains(de, "Auftrag           Website-Relaunch (acme-site)\nBezieht sich auf  RE-2026-0003, RE-2026-0005\n\n"));
  CHECK(de.ends_with("Gesamtbetrag                                           56,53 EUR\n\nZahlung\n  Erstattung bis  30.04.2026\n"));
  CHECK(en.starts_with("Credit note RE-2026-0009\n"));
  CHECK(contains(en, "\nRefers to       RE-2026-0003, RE-2026-0005\n"));
  CHECK(contains(en, "  1  Rush surcharge                                    47.50 EUR\n     Rush surcharge 50 % on 1 h × 95.00 EUR/h\n"));
  CHECK(en.ends_with("\nPayment\n  Refund by  2026-04-30\n"));
  CHECK(!contains(de + en, "IBAN"));  // the seller's account is for the seller's invoices
  CHECK(!contains(to_text(standard_invoice(), Language::de), "Bezieht sich auf"));
}

TEST_CASE("invoice Markdown: a table of lines and of VAT groups, table text escaped", "[invoice_write]") {
  InvoiceDraft d = exempt_invoice();
  d.lines[1].description[0] = "Termin 12.05. | abgesagt *kurzfristig*";
  const std::string md = to_markdown(d, Language::de);
  CHECK(md.starts_with("# Rechnung 2026-17\n\n**Datum:** 04.05.2026\\\n**Fällig am:** 18.05.2026\\\n**Leistungen bis:** 30.04.2026\\\n"
                       "**Auftrag:** logo\n\n## Von\n\nAnna Muster Design\\\nLeipzig\\\nDE\\\nSteuernummer: 231/815/08150\n\n"
                       "## An\n\nBäckerei Korn\n\n"));
  CHECK(contains(md, "## Positionen\n\n"
                     "| Pos. | Leistung | Beschreibung | Netto |\n"
                     "|---:|---|---|---:|\n"
                     "| 1 | Korrekturschleifen | 1 zusätzliche Korrekturschleife (Runde 3, 2 inklusive) × 350,00 EUR | 350,00 EUR |\n"
                     "| 2 | Ausfallgebühr | Termin 12.05. \\| abgesagt \\*kurzfristig\\* | 120,00 EUR |\n\n"));
  CHECK(contains(md, "## Umsatzsteuer\n\n"
                     "| Kategorie | Netto | Steuer | Befreiungsgrund |\n"
                     "|---|---:|---:|---|\n"
                     "| E 0 % | 470,00 EUR | 0,00 EUR | Kein Ausweis der Umsatzsteuer: Kleinunternehmer gemäß §19 UStG |\n\n"
                     "**Summe netto:** 470,00 EUR\\\n**Umsatzsteuer:** 0,00 EUR\\\n**Gesamtbetrag:** 470,00 EUR\n\n"
                     "## Zahlung\n\n**Zahlbar bis:** 18.05.2026\n"));
  CHECK(contains(to_markdown(standard_invoice(), Language::en), "| S 19 % | 5212.50 EUR | 990.38 EUR |  |\n"));
  CHECK(contains(to_markdown(credit_note(), Language::en), "# Credit note RE-2026-0009\n"));
  CHECK(contains(to_markdown(credit_note(), Language::en), "**Refers to:** RE-2026-0003, RE-2026-0005\n"));
}

TEST_CASE("invoice JSON: kontingent-invoice/1 of a §19 UStG invoice, exactly", "[invoice_write]") {
  CHECK(to_json(exempt_invoice()) == R"({
 "format": "kontingent-invoice/1",
 "number": "2026-17",
 "credit_note": false,
 "refers_to": [],
 "date": "2026-05-04",
 "due": "2026-05-18",
 "as_of": "2026-04-30",
 "currency": "EUR",
 "engagement": "logo",
 "seller": {
  "name": "Anna Muster Design",
  "address": {
   "street": "",
   "postcode": "",
   "city": "Leipzig",
   "country": "DE"
  },
  "vat_id": "",
  "tax_number": "231/815/08150",
  "email": "",
  "iban": ""
 },
 "buyer": {
  "id": "baeckerei",
  "name": "Bäckerei Korn",
  "address": null,
  "vat_id": "",
  "email": "",
  "buyer_reference": ""
 },
 "lines": [
  {
   "category": "revision",
   "description": {
    "de": "1 zusätzliche Korrekturschleife (Runde 3, 2 inklusive) × 350,00 EUR",
    "en": "1 extra revision round (round 3, 2 included) × 350.00 EUR"
   },
   "quantity": "1",
   "unit": "LS",
   "unit_price": "350.00",
   "net": "350.00",
   "vat": {
    "category": "E",
    "percent": 0
   }
  },
  {
   "category": "no_show",
   "description": {
    "de": "1 versäumter oder zu spät abgesagter Termin × 120,00 EUR",
    "en": "1 missed or late-cancelled appointment × 120.00 EUR"
   },
   "quantity": "1",
   "unit": "LS",
   "unit_price": "120.00",
   "net": "120.00",
   "vat": {
    "category": "E",
    "percent": 0
   }
  }
 ],
 "vat_groups": [
  {
   "category": "E",
   "percent": 0,
   "net": "470.00",
   "tax": "0.00",
   "exemption_reason": "Kein Ausweis der Umsatzsteuer: Kleinunternehmer gemäß §19 UStG"
  }
 ],
 "net": "470.00",
 "tax": "0.00",
 "total": "470.00"
}
)");
}

TEST_CASE("invoice JSON: reads back as JSON with every field, money as 2-decimal strings, percent as a number", "[invoice_write]") {
  InvoiceDraft reduced = credit_note();
  reduced.seller.name = "Studio \"Nord\"\\Süd";  // quotes and backslashes stay JSON
  for (DraftLine& line : reduced.lines) line.vat.micro_percent = 5'500'000;
  for (VatGroup& group : reduced.vat_groups) group.vat.micro_percent = 5'500'000;
  const std::string json = to_json(reduced);
  CHECK(contains(json, "\"percent\": 5.5\n"));

  const auto doc = parsed(json);
  CHECK(keys(doc) == std::vector<std::string>{"format", "number", "credit_note", "refers_to", "date", "due", "as_of", "currency", "engagement",
                                              "seller", "buyer", "lines", "vat_groups", "net", "tax", "total"});
  CHECK(doc.get<std::string>("format") == "kontingent-invoice/1");
  CHECK(doc.get<bool>("credit_note"));
  std::vector<std::string> refers_to;
  for (const auto& [key, id] : doc.get_child("refers_to")) refers_to.push_back(id.data());
  CHECK(refers_to == std::vector<std::string>{"RE-2026-0003", "RE-2026-0005"});
  CHECK(doc.get<std::string>("due") == "2026-04-30");
  CHECK(keys(doc.get_child("seller")) == std::vector<std::string>{"name", "address", "vat_id", "tax_number", "email", "iban"});
  CHECK(doc.get<std::string>("seller.name") == "Studio \"Nord\"\\Süd");
  CHECK(keys(doc.get_child("seller.address")) == std::vector<std::string>{"street", "postcode", "city", "country"});
  CHECK(keys(doc.get_child("buyer")) == std::vector<std::string>{"id", "name", "address", "vat_id", "email", "buyer_reference"});
  CHECK(doc.get<std::string>("buyer.address.city") == "Berlin");
  CHECK(doc.get<std::string>("buyer.buyer_reference") == "04011000-12345-67");
  REQUIRE(doc.get_child("lines").size() == 1);
  const auto& line = doc.get_child("lines").front().second;
  CHECK(keys(line) == std::vector<std::string>{"category", "description", "quantity", "unit", "unit_price", "net", "vat"});
  CHECK(keys(line.get_child("description")) == std::vector<std::string>{"de", "en"});
  CHECK(line.get<std::string>("description.en") == "Rush surcharge 50 % on 1 h × 95.00 EUR/h");
  CHECK(line.get<std::string>("quantity") == "1");
  CHECK(line.get<std::string>("unit_price") == "47.50");
  CHECK(keys(line.get_child("vat")) == std::vector<std::string>{"category", "percent"});
  CHECK(line.get<double>("vat.percent") == 5.5);
  REQUIRE(doc.get_child("vat_groups").size() == 1);
  const auto& group = doc.get_child("vat_groups").front().second;
  CHECK(keys(group) == std::vector<std::string>{"category", "percent", "net", "tax", "exemption_reason"});
  CHECK(group.get<std::string>("tax") == "9.03");
  CHECK(doc.get<std::string>("total") == "56.53");
  CHECK(contains(to_json(standard_invoice()), "\"credit_note\": false,\n \"refers_to\": [],\n"));
  CHECK(contains(to_json(standard_invoice()), "\"percent\": 19,\n   \"net\": \"5212.50\",\n   \"tax\": \"990.38\""));
}

TEST_CASE("invoice HTML: a complete A4 page that loads nothing", "[invoice_write]") {
  for (const Language language : {Language::de, Language::en}) {
    const std::string html = to_html(standard_invoice(), language);
    CHECK(html.starts_with("<!DOCTYPE html>\n<html lang=\"" + std::string(name(language)) + "\">\n<head>\n<meta charset=\"utf-8\">\n"));
    CHECK(html.ends_with("</div>\n</body>\n</html>\n"));
    CHECK(contains(html, "@page { size: A4;"));
    for (const char* outside : {"http", "src=", "<script", "<link", "url(", "@import"}) CHECK(!contains(html, outside));
  }
  const std::string de = to_html(standard_invoice(), Language::de), en = to_html(standard_invoice(), Language::en);
  CHECK(contains(de, "<title>Rechnung RE-2026-0008</title>"));
  CHECK(contains(de, "<tr><th>Datum</th><td>31.03.2026</td></tr>\n<tr><th>Fällig am</th><td>30.04.2026</td></tr>\n"));
  CHECK(contains(de, "<tr><td>2</td><td>Mehrstunden<br>\n<span class=\"description\">3,5 Std. über dem Kontingent × 95,00 EUR/Std.</span></td>"
                     "<td class=\"amount\">332,50 EUR</td></tr>\n"));
  CHECK(contains(de, "<tr><td>S 19 %</td><td class=\"amount\">5212,50 EUR</td><td class=\"amount\">990,38 EUR</td><td></td></tr>\n"));
  CHECK(contains(de, "<tr><th>Gesamtbetrag</th><td>6202,88 EUR</td></tr>\n"));
  CHECK(contains(de, "<h2>Zahlung</h2>\n<table class=\"payment\">\n<tr><th>Zahlbar bis</th><td>30.04.2026</td></tr>\n"
                     "<tr><th>IBAN</th><td>DE02120300000000202051</td></tr>\n"));
  CHECK(contains(en, "<title>Invoice RE-2026-0008</title>"));
  CHECK(contains(en, "<tr><th>Payable by</th><td>2026-04-30</td></tr>\n"));
  CHECK(contains(en, "<tr><th>Total</th><td>6202.88 EUR</td></tr>\n"));
  CHECK(contains(to_html(exempt_invoice(), Language::de),
                 "<tr><td>E 0 %</td><td class=\"amount\">470,00 EUR</td><td class=\"amount\">0,00 EUR</td>"
                 "<td>Kein Ausweis der Umsatzsteuer: Kleinunternehmer gemäß §19 UStG</td></tr>\n"));
  CHECK(contains(to_html(credit_note(), Language::en), "<h1>Credit note RE-2026-0009</h1>"));
  CHECK(contains(to_html(credit_note(), Language::en), "<tr><th>Refers to</th><td>RE-2026-0003, RE-2026-0005</td></tr>\n"));
}

TEST_CASE("invoice HTML: every text from the book is escaped, umlauts stay", "[invoice_write]") {
  const std::string hostile = "Müller & Söhne <GmbH> \"Die 'Besten'\"";
  const std::string escaped = "Müller &amp; Söhne &lt;GmbH&gt; &quot;Die &#39;Besten&#39;&quot;";
  InvoiceDraft d = exempt_invoice();
  d.number = d.engagement = d.engagement_title = hostile;
  d.refers_to = {hostile};
  d.credit_note = true;
  d.seller.name = d.seller.tax_number = d.seller.iban = d.seller.email = hostile;
  d.seller.address = {hostile, hostile, hostile, hostile};
  d.buyer.name = d.buyer.vat_id = d.buyer.email = d.buyer.buyer_reference = hostile;
  d.buyer.address = d.seller.address;
  d.lines[0].description = {"<script>alert(1)</script> " + hostile, hostile};
  d.vat_groups[0].vat.exemption_reason = hostile;
  const std::string html = to_html(d, Language::de);
  CHECK(!contains(html, hostile));
  CHECK(!contains(html, "<script"));
  CHECK(contains(html, "<div class=\"buyer\">" + escaped + "<br>\n" + escaped + "<br>\n" + escaped + ' ' + escaped + "<br>\n"));
  CHECK(contains(html, "<span class=\"description\">&lt;script&gt;alert(1)&lt;/script&gt; " + escaped + "</span>"));
  CHECK(contains(html, "<title>Gutschrift " + escaped + "</title>"));
  const std::vector<std::string> found = tags(html);
  REQUIRE(found.size() > 11);
  CHECK(std::vector<std::string>(found.begin(), found.begin() + 11) ==
        std::vector<std::string>{"!DOCTYPE", "html", "head", "meta", "title", "/title", "style", "/style", "/head", "body", "div"});
  const std::set<std::string> page_tags{"!DOCTYPE", "html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style",
                                        "body", "/body", "div", "/div", "strong", "/strong", "br", "table", "/table", "thead",
                                        "/thead", "tbody", "/tbody", "tr", "/tr", "th", "/th", "td", "/td", "h1", "/h1",
                                        "h2", "/h2", "span", "/span"};
  for (const std::string& tag : found) CHECK(page_tags.count(tag) == 1);  // the book's text made no element of its own
}
