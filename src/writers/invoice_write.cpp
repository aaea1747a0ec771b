// Invoice drafts for people (text, Markdown, a printable HTML page) and for programs
// (kontingent-invoice/1 JSON). The draft carries every amount; these writers only lay it out. The
// three documents for people are built from the same pieces (facts, party blocks, VAT rows,
// totals, payment), so they never disagree about what an invoice says.
#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_writer.hpp"
#include "kontingent/writers/invoice.hpp"
#include "wording.hpp"
#include "writers/people_text.hpp"

namespace kontingent {
namespace {

using detail::code_points;
using detail::html_escape;
using detail::markdown_escape;

/// Every word an invoice prints, in one language.
struct Words {
  std::string_view invoice, credit_note;
  std::string_view date, due, as_of, engagement, refers_to;
  std::string_view seller, buyer, vat_id, tax_number, email, reference;
  std::string_view lines, position, service, description, net;
  std::string_view vat, vat_category, vat_on, tax, exemption;
  std::string_view net_total, total;
  std::string_view payment, pay_by, refund_by, iban;
  /// Category words, in category order.
  std::array<std::string_view, category_count> categories;
};

constexpr std::array<Words, 2> words_by_language{{
    {.invoice = "Rechnung", .credit_note = "Gutschrift",
     .date = "Datum", .due = "Fällig am", .as_of = "Leistungen bis", .engagement = "Auftrag", .refers_to = "Bezieht sich auf",
     .seller = "Von", .buyer = "An", .vat_id = "USt-IdNr.", .tax_number = "Steuernummer", .email = "E-Mail", .reference = "Ihre Referenz",
     .lines = "Positionen", .position = "Pos.", .service = "Leistung", .description = "Beschreibung", .net = "Netto",
     .vat = "Umsatzsteuer", .vat_category = "Kategorie", .vat_on = "auf", .tax = "Steuer", .exemption = "Befreiungsgrund",
     .net_total = "Summe netto", .total = "Gesamtbetrag",
     .payment = "Zahlung", .pay_by = "Zahlbar bis", .refund_by = "Erstattung bis", .iban = "IBAN",
     .categories = {"Grundpreis", "Mehrstunden", "Korrekturschleifen", "Änderungen", "Telefonate", "Eilzuschlag", "Ausfallgebühr"}},
    {.invoice = "Invoice", .credit_note = "Credit note",
     .date = "Date", .due = "Due date", .as_of = "Services up to", .engagement = "Engagement", .refers_to = "Refers to",
     .seller = "From", .buyer = "To", .vat_id = "VAT ID", .tax_number = "Tax number", .email = "Email", .reference = "Your reference",
     .lines = "Items", .position = "No.", .service = "Service", .description = "Description", .net = "Net",
     .vat = "VAT", .vat_category = "Category", .vat_on = "on", .tax = "Tax", .exemption = "Exemption reason",
     .net_total = "Net total", .total = "Total",
     .payment = "Payment", .pay_by = "Payable by", .refund_by = "Refund by", .iban = "IBAN",
     .categories = {"Base", "Overage", "Revision rounds", "Changes", "Calls", "Rush surcharge", "No-show fees"}},
}};

const Words& words_in(Language language) { return words_by_language[static_cast<std::size_t>(language)]; }

std::string_view category_word(Category c, Language language) { return words_in(language).categories[static_cast<std::size_t>(c)]; }

using wording::money;

/// 31.03.2026 in German, 2026-03-31 in English.
std::string date(const Date& d, Language language) {
  const std::string iso = format_date(clock_days(d));
  if (language == Language::en) return iso;
  return iso.substr(8, 2) + '.' + iso.substr(5, 2) + '.' + iso.substr(0, 4);
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? std::string(separator) : "") + items[i];
  return out;
}

// ---- the pieces every document for people shows ---------------------------------------------

struct Fact {
  std::string_view label;  ///< always a word of Words
  std::string value;
};

std::string title(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  return std::string(d.credit_note ? w.credit_note : w.invoice) + ' ' + d.number;
}

std::vector<Fact> header_facts(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  std::vector<Fact> facts{{w.date, date(d.date, language)},
                          {w.due, date(d.due, language)},
                          {w.as_of, date(d.as_of, language)},
                          {w.engagement, d.engagement_title.empty() ? d.engagement : d.engagement_title + " (" + d.engagement + ")"}};
  if (d.credit_note) facts.push_back({w.refers_to, joined(d.refers_to, ", ")});
  return facts;
}

/// A party as the lines of an address block: name, address, then the details it has.
std::vector<std::string> party(const std::string& name, const std::optional<Address>& address, const std::vector<Fact>& details) {
  std::vector<std::string> lines{name};
  if (address) {
    if (!address->street.empty()) lines.push_back(address->street);
    lines.push_back(address->postcode.empty() ? address->city : address->postcode + ' ' + address->city);
    lines.push_back(address->country);
  }
  for (const Fact& f : details)
    if (!f.value.empty()) lines.push_back(std::string(f.label) + ": " + f.value);
  return lines;
}

std::vector<std::string> seller_lines(const Owner& o, Language language) {
  const Words& w = words_in(language);
  return party(o.name, o.address, {{w.vat_id, o.vat_id}, {w.tax_number, o.tax_number}, {w.email, o.email}});
}

std::vector<std::string> buyer_lines(const Client& c, Language language) {
  const Words& w = words_in(language);
  return party(c.name, c.address, {{w.vat_id, c.vat_id}, {w.reference, c.buyer_reference}, {w.email, c.email}});
}

/// "S 19 %": the group's category and rate.
std::string vat_rate(const Vat& vat, Language language) {
  return std::string(name(vat.category)) + ' ' + wording::percent(vat.micro_percent, language);
}

std::vector<Fact> totals(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  return {{w.net_total, money(d.net, language)}, {w.vat, money(d.tax, language)}, {w.total, money(d.total, language)}};
}

/// A credit note is paid back by the seller, so it names no account of the seller's.
std::vector<Fact> payment(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  std::vector<Fact> facts{{d.credit_note ? w.refund_by : w.pay_by, date(d.due, language)}};
  if (!d.credit_note && !d.seller.iban.empty()) facts.push_back({w.iban, d.seller.iban});
  return facts;
}

// ---- plain text --------------------------------------------------------------------------------

constexpr std::size_t text_width = 64;

/// `left` and `right` on one line, `right` ending at text_width.
std::string row(std::string_view left, std::string_view right) {
  const std::size_t used = code_points(left) + code_points(right);
  return std::string(left) + std::string(used + 2 > text_width ? 2 : text_width - used, ' ') + std::string(right) + '\n';
}

std::string padded(std::string_view text, std::size_t width) {
  return std::string(text) + std::string(width > code_points(text) ? width - code_points(text) : 0, ' ');
}

std::string text_facts(const std::vector<Fact>& facts, std::string_view indent = "") {
  std::size_t width = 0;
  for (const Fact& f : facts) width = std::max(width, code_points(f.label));
  std::string out;
  for (const Fact& f : facts) out += std::string(indent) + padded(f.label, width + 2) + f.value + '\n';
  return out;
}

std::string text_block(std::string_view heading, const std::vector<std::string>& lines) {
  std::string out = std::string(heading) + '\n';
  for (const std::string& line : lines) out += "  " + line + '\n';
  return out;
}

// ---- Markdown ----------------------------------------------------------------------------------

/// Lines that stay lines: Markdown's hard break is a backslash at the end.
std::string markdown_lines(const std::vector<std::string>& lines) {
  std::vector<std::string> escaped;
  for (const std::string& line : lines) escaped.push_back(markdown_escape(line));
  return joined(escaped, "\\\n") + '\n';
}

std::string markdown_facts(const std::vector<Fact>& facts) {
  std::vector<std::string> lines;
  for (const Fact& f : facts) lines.push_back("**" + markdown_escape(f.label) + ":** " + markdown_escape(f.value));
  return joined(lines, "\\\n") + '\n';
}

std::string markdown_row(std::initializer_list<std::string_view> cells) {
  std::string out = "|";
  for (const std::string_view cell : cells) out += ' ' + markdown_escape(cell) + " |";
  return out + '\n';
}

// ---- HTML --------------------------------------------------------------------------------------

/// Scoped to the page's one element, so that the page shown inside a notebook restyles nothing
/// around it; @page only applies when printing.
constexpr std::string_view html_style = R"(@page { size: A4; margin: 20mm 18mm 20mm 22mm; }
.kontingent-invoice { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #222; max-width: 180mm; margin: 0 auto; }
.kontingent-invoice .seller { text-align: right; margin-bottom: 10mm; }
.kontingent-invoice .parties { display: flex; justify-content: space-between; align-items: flex-start; gap: 10mm; margin-bottom: 8mm; }
.kontingent-invoice h1 { font-size: 16pt; margin: 0 0 5mm; }
.kontingent-invoice h2 { font-size: 11pt; margin: 6mm 0 2mm; }
.kontingent-invoice table { border-collapse: collapse; }
.kontingent-invoice th, .kontingent-invoice td { padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
.kontingent-invoice .facts th, .kontingent-invoice .facts td { padding: 0 0 0 4mm; }
.kontingent-invoice .lines, .kontingent-invoice .vat { width: 100%; }
.kontingent-invoice .lines th, .kontingent-invoice .vat th { border-bottom: 1px solid #222; }
.kontingent-invoice .lines td { border-bottom: 1px solid #ddd; }
.kontingent-invoice .description { color: #555; }
.kontingent-invoice .amount { text-align: right; white-space: nowrap; }
.kontingent-invoice .totals { margin: 5mm 0 0 auto; }
.kontingent-invoice .totals td { text-align: right; white-space: nowrap; }
.kontingent-invoice .totals tr:last-child { font-weight: bold; border-top: 1px solid #222; }
.kontingent-invoice tr { break-inside: avoid; }
)";

std::string html_lines(const std::vector<std::string>& lines) {
  std::vector<std::string> escaped;
  for (const std::string& line : lines) escaped.push_back(html_escape(line));
  return joined(escaped, "<br>\n");
}

std::string html_facts(std::string_view css_class, const std::vector<Fact>& facts) {
  std::string out = "<table class=\"" + std::string(css_class) + "\">\n";
  for (const Fact& f : facts) out += "<tr><th>" + html_escape(f.label) + "</th><td>" + html_escape(f.value) + "</td></tr>\n";
  return out + "</table>\n";
}

// ---- JSON --------------------------------------------------------------------------------------

/// As the book writes surcharge_percent: the shortest decimal that reads back to the same number.
std::string percent_number(std::int64_t micro_percent) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, static_cast<double>(micro_percent) / 1e6).ptr;
  return {buf, end};
}

void json_address(detail::JsonWriter& w, const std::optional<Address>& a) {
  w.key("address");
  if (!a) {
    w.raw("null");
    return;
  }
  w.begin_object().key("street").string(a->street).key("postcode").string(a->postcode);
  w.key("city").string(a->city).key("country").string(a->country).end_object();
}

}  // namespace

std::string to_text(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  const std::string heading = title(d, language);
  std::string out = heading + '\n' + std::string(code_points(heading), '=') + "\n\n";
  out += text_facts(header_facts(d, language)) + '\n';
  out += text_block(w.seller, seller_lines(d.seller, language)) + '\n';
  out += text_block(w.buyer, buyer_lines(d.buyer, language)) + '\n';

  out += std::string(w.lines) + '\n';
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const DraftLine& line = d.lines[i];
    const std::string number = std::to_string(i + 1);
    out += row("  " + padded(number, 3) + std::string(category_word(line.category, language)), money(line.net, language));
    out += "     " + line.describe(language) + '\n';
  }
  out += '\n' + std::string(w.vat) + '\n';
  for (const VatGroup& g : d.vat_groups) {
    out += row("  " + vat_rate(g.vat, language) + ' ' + std::string(w.vat_on) + ' ' + money(g.net, language), money(g.tax, language));
    if (!g.vat.exemption_reason.empty()) out += "    " + g.vat.exemption_reason + '\n';
  }
  out += '\n';
  for (const Fact& f : totals(d, language)) out += row(f.label, f.value);
  out += '\n' + std::string(w.payment) + '\n' + text_facts(payment(d, language), "  ");
  return out;
}

std::string to_markdown(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  std::string out = "# " + markdown_escape(title(d, language)) + "\n\n";
  out += markdown_facts(header_facts(d, language)) + '\n';
  out += "## " + std::string(w.seller) + "\n\n" + markdown_lines(seller_lines(d.seller, language)) + '\n';
  out += "## " + std::string(w.buyer) + "\n\n" + markdown_lines(buyer_lines(d.buyer, language)) + '\n';

  out += "## " + std::string(w.lines) + "\n\n";
  out += markdown_row({w.position, w.service, w.description, w.net});
  out += "|---:|---|---|---:|\n";
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const DraftLine& line = d.lines[i];
    out += markdown_row({std::to_string(i + 1), category_word(line.category, language), line.describe(language), money(line.net, language)});
  }

  out += "\n## " + std::string(w.vat) + "\n\n";
  out += markdown_row({w.vat_category, w.net, w.tax, w.exemption});
  out += "|---|---:|---:|---|\n";
  for (const VatGroup& g : d.vat_groups)
    out += markdown_row({vat_rate(g.vat, language), money(g.net, language), money(g.tax, language), g.vat.exemption_reason});

  out += '\n' + markdown_facts(totals(d, language));
  out += "\n## " + std::string(w.payment) + "\n\n" + markdown_facts(payment(d, language));
  return out;
}

std::string to_html(const InvoiceDraft& d, Language language) {
  const Words& w = words_in(language);
  const std::string heading = html_escape(title(d, language));
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(name(language)) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + heading + "</title>\n<style>\n" + std::string(html_style) + "</style>\n</head>\n<body>\n";
  out += "<div class=\"kontingent-invoice\">\n";

  std::vector<std::string> seller = seller_lines(d.seller, language);
  out += "<div class=\"seller\"><strong>" + html_escape(seller.front()) + "</strong><br>\n";
  seller.erase(seller.begin());
  out += html_lines(seller) + "</div>\n";
  out += "<div class=\"parties\">\n<div class=\"buyer\">" + html_lines(buyer_lines(d.buyer, language)) + "</div>\n";
  out += html_facts("facts", header_facts(d, language)) + "</div>\n";
  out += "<h1>" + heading + "</h1>\n";

  out += "<table class=\"lines\">\n<thead><tr><th>" + html_escape(w.position) + "</th><th>" + html_escape(w.service) +
         "</th><th class=\"amount\">" + html_escape(w.net) + "</th></tr></thead>\n<tbody>\n";
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const DraftLine& line = d.lines[i];
    out += "<tr><td>" + std::to_string(i + 1) + "</td><td>" + html_escape(category_word(line.category, language)) +
           "<br>\n<span class=\"description\">" + html_escape(line.describe(language)) + "</span></td><td class=\"amount\">" +
           html_escape(money(line.net, language)) + "</td></tr>\n";
  }
  out += "</tbody>\n</table>\n";

  out += "<h2>" + html_escape(w.vat) + "</h2>\n<table class=\"vat\">\n<thead><tr><th>" + html_escape(w.vat_category) + "</th><th class=\"amount\">" +
         html_escape(w.net) + "</th><th class=\"amount\">" + html_escape(w.tax) + "</th><th>" + html_escape(w.exemption) +
         "</th></tr></thead>\n<tbody>\n";
  for (const VatGroup& g : d.vat_groups)
    out += "<tr><td>" + html_escape(vat_rate(g.vat, language)) + "</td><td class=\"amount\">" + html_escape(money(g.net, language)) +
           "</td><td class=\"amount\">" + html_escape(money(g.tax, language)) + "</td><td>" + html_escape(g.vat.exemption_reason) +
           "</td></tr>\n";
  out += "</tbody>\n</table>\n";

  out += html_facts("totals", totals(d, language));
  out += "<h2>" + html_escape(w.payment) + "</h2>\n" + html_facts("payment", payment(d, language));
  out += "</div>\n</body>\n</html>\n";
  return out;
}

std::string to_json(const InvoiceDraft& d) {
  detail::JsonWriter w;
  w.begin_object().key("format").string("kontingent-invoice/1").key("number").string(d.number);
  w.key("credit_note").raw(d.credit_note ? "true" : "false");
  w.key("refers_to").begin_array();
  for (const std::string& id : d.refers_to) w.string(id);
  w.end_array();
  w.key("date").string(format_date(clock_days(d.date))).key("due").string(format_date(clock_days(d.due)));
  w.key("as_of").string(format_date(clock_days(d.as_of))).key("currency").string(d.currency.code()).key("engagement").string(d.engagement);

  w.key("seller").begin_object().key("name").string(d.seller.name);
  json_address(w, d.seller.address);
  w.key("vat_id").string(d.seller.vat_id).key("tax_number").string(d.seller.tax_number);
  w.key("email").string(d.seller.email).key("iban").string(d.seller.iban).end_object();

  w.key("buyer").begin_object().key("id").string(d.buyer.id).key("name").string(d.buyer.name);
  json_address(w, d.buyer.address);
  w.key("vat_id").string(d.buyer.vat_id).key("email").string(d.buyer.email).key("buyer_reference").string(d.buyer.buyer_reference).end_object();

  w.key("lines").begin_array();
  for (const DraftLine& line : d.lines) {
    w.begin_object().key("category").string(name(line.category));
    w.key("description").begin_object().key("de").string(line.describe(Language::de)).key("en").string(line.describe(Language::en)).end_object();
    w.key("quantity").string("1").key("unit").string("LS").key("unit_price").string(line.net.to_string()).key("net").string(line.net.to_string());
    w.key("vat").begin_object().key("category").string(name(line.vat.category)).key("percent").raw(percent_number(line.vat.micro_percent)).end_object();
    w.end_object();
  }
  w.end_array();

  w.key("vat_groups").begin_array();
  for (const VatGroup& g : d.vat_groups)
    w.begin_object()
        .key("category").string(name(g.vat.category))
        .key("percent").raw(percent_number(g.vat.micro_percent))
        .key("net").string(g.net.to_string())
        .key("tax").string(g.tax.to_string())
        .key("exemption_reason").string(g.vat.exemption_reason)
        .end_object();
  w.end_array();

  w.key("net").string(d.net.to_string()).key("tax").string(d.tax.to_string()).key("total").string(d.total.to_string());
  w.end_object();
  return std::move(w).take();
}

}  // namespace kontingent
