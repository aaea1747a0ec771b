// Invoice drafts (docs/invoicing.md). The amounts are the report's leakage; this file only words the
// evidence behind each line, groups the lines by VAT and fills in the header.
#include "kontingent/invoice.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include "kontingent/detail/text.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/record.hpp"
#include "wording.hpp"

namespace kontingent {
namespace {

using detail::quoted;

/// A sentence in both languages.
struct Words {
  std::string de, en;
  Words& operator+=(const Words& more) {
    de += more.de, en += more.en;
    return *this;
  }
};

Words money(const Money& m) { return {wording::money(m, Language::de), wording::money(m, Language::en)}; }
Words hours(Seconds s) { return {wording::hours(s, Language::de), wording::hours(s, Language::en)}; }
Words percent(std::int64_t micro) { return {wording::percent(micro, Language::de), wording::percent(micro, Language::en)}; }
Words count(std::int64_t n, std::string_view de_one, std::string_view de_many, std::string_view en_one, std::string_view en_many) {
  const std::string number = std::to_string(n) + " ";
  return {number + std::string(n == 1 ? de_one : de_many), number + std::string(n == 1 ? en_one : en_many)};
}
Words operator+(Words a, const Words& b) { return a += b; }
Words operator+(Words a, std::string_view both) { return a += Words{std::string(both), std::string(both)}; }

/// "R2, C1": the ids of the requests that pass `counted`, in the book's order.
template <class Test>
std::string request_ids(const Engagement& e, Date as_of, Test counted) {
  std::string ids;
  for (const Request& r : e.journal.requests)
    if (!r.declined && happened_by(r, as_of) && counted(r)) ids += (ids.empty() ? "" : ", ") + r.id;
  return ids;
}

/// What the terms and the report say about one category's billable amount: the evidence a line
/// shows so that the client can check it.
Words evidence(const Engagement& e, Date as_of, const Tally& t, const EngagementReport& r, Category category) {
  const Terms& terms = e.terms;
  const Words name = {"„" + (e.title.empty() ? e.id : e.title) + "“", "“" + (e.title.empty() ? e.id : e.title) + "”"};
  const Words per_hour = money(terms.rate) + Words{"/Std.", "/h"};
  switch (category) {
    case Category::base:
      switch (terms.pricing) {
        case Pricing::fixed: return Words{"Festpreis für ", "Fixed price for "} + name;
        case Pricing::contingent: return Words{"Stundenkontingent von ", "Hour contingent of "} + hours(*terms.contingent) + Words{" für ", " for "} + name;
        case Pricing::retainer:
          return Words{"Monatspauschale für ", "Retainer for "} + name + ": " +
                 count(billing::retainer_months(e, as_of), "Monat", "Monate", "month", "months") + " × " + money(*terms.contingent_price);
        case Pricing::hourly: return Words{"Arbeit an ", "Work on "} + name + ": " + hours(t.covered) + " × " + per_hour;
      }
      break;
    case Category::overage:
      return hours(r.contingent ? r.contingent->overage : 0) + Words{" über dem Kontingent × ", " over the contingent × "} + per_hour;
    case Category::revision: {
      const std::string rounds = t.extra_rounds == 1 ? std::to_string(r.rounds.used)
                                                     : std::to_string(terms.included_rounds + 1) + "–" + std::to_string(r.rounds.used);
      const Words which = Words{t.extra_rounds == 1 ? "Runde " : "Runden ", t.extra_rounds == 1 ? "round " : "rounds "} + rounds + ", " +
                          count(terms.included_rounds, "inklusive", "inklusive", "included", "included");
      if (terms.extra_round_price)
        return count(t.extra_rounds, "zusätzliche Korrekturschleife", "zusätzliche Korrekturschleifen", "extra revision round",
                     "extra revision rounds") + " (" + which + ") × " + money(*terms.extra_round_price);
      return Words{"Zusätzliche Korrekturschleifen (", "Extra revision rounds ("} + which + "): " + hours(t.extra_round) + " × " + per_hour;
    }
    case Category::change: {
      const std::string ids = request_ids(e, as_of, [](const Request& q) { return q.kind == RequestKind::change; });
      const bool one = ids.find(',') == std::string::npos;
      Words w = Words{one ? "Änderungswunsch " : "Änderungswünsche ", one ? "Change request " : "Change requests "} + ids;
      if (t.quotes.cents() != 0) w += Words{": angeboten ", ": quoted "} + money(t.quotes);
      if (t.unquoted_change != 0)
        w += Words{t.quotes.cents() != 0 ? ", ohne Angebot " : ": ohne Angebot ", t.quotes.cents() != 0 ? ", without a quote " : ": without a quote "} +
             hours(t.unquoted_change) + " × " + per_hour;
      return w;
    }
    case Category::call: {
      const CallFee& fee = *terms.call_fee;
      return count(t.call_blocks, "angefangener Takt", "angefangene Takte", "started block", "started blocks") +
             Words{" à ", " of "} + std::to_string(fee.block / 60) + " min" +
             Words{" über die freien ", " beyond the "} + std::to_string(fee.free / 60) + " min" +
             Words{" je Telefonat × ", " free per call × "} + money(fee.fee);
    }
    case Category::rush: {
      const Rush& rush = *terms.rush;
      return Words{"Eilzuschlag ", "Rush surcharge "} + percent(rush.surcharge_micro_percent) + Words{" auf ", " on "} + hours(t.rush) +
             " × " + per_hour + Words{" (weniger als ", " (due in less than "} + hours(rush.lead) + Words{" Vorlauf: ", ": "} +
             request_ids(e, as_of, [&](const Request& q) { return billing::is_rush(terms, q); }) + ")";
    }
    case Category::no_show:
      return count(t.no_shows, "versäumter oder zu spät abgesagter Termin", "versäumte oder zu spät abgesagte Termine",
                   "missed or late-cancelled appointment", "missed or late-cancelled appointments") + " × " + money(terms.no_show->fee);
  }
  return {};
}

/// The description of a line: the evidence, and what was invoiced already when anything was. A
/// credit note can take back a whole category the terms never made billable: that is its evidence.
std::array<std::string, 2> describe(const Engagement& e, Date as_of, const Tally& t, const EngagementReport& r, Category c) {
  Words w = r.billable[c].cents() == 0 ? Words{"Nach den Konditionen nicht abrechenbar", "Not billable under the terms"}
                                        : evidence(e, as_of, t, r, c);
  if (r.invoiced[c].cents() != 0)
    w += Words{" (abrechenbar ", " (billable "} + money(r.billable[c]) + Words{", bisher berechnet ", ", invoiced so far "} +
         money(r.invoiced[c]) + ")";
  return {std::move(w.de), std::move(w.en)};
}

Money tax_of(const Money& net, const Vat& vat) {
  return Money::checked(divide_rounded_wide(static_cast<Wide>(net.cents()) * vat.micro_percent, static_cast<Wide>(100) * 1'000'000),
                        net.currency());
}

bool invoice_id_taken(const Book& book, std::string_view id) {
  for (const Engagement& e : book.engagements)
    for (const Invoice& i : e.journal.invoices)
      if (i.id == id) return true;
  return false;
}

/// What a draft bills (or, a credit note, credits) in `category`: the report's positive (negative)
/// leakage, else zero.
Money open_amount(const EngagementReport& r, Category category, bool credit) {
  const Money leak = r.leakage[category];
  if (credit ? leak.cents() < 0 : leak.cents() > 0) return credit ? -leak : leak;
  return Money::zero(leak.currency());
}

InvoiceDraft draft(const Book& book, std::string_view id, Date as_of, const DraftOptions& options, bool credit) {
  const Engagement* e = book.find_engagement(id);
  if (!e) throw draft_error("the book has no engagement " + quoted(id));
  if (e->start > as_of)
    throw draft_error("engagement " + quoted(id) + " starts " + format_date(clock_days(e->start)) + ", after the as-of date " + format_date(clock_days(as_of)));
  if (!book.owner)
    throw draft_error("the book has no owner: an invoice needs the seller's name and address (set it with `kontingent owner set`, or add \"owner\" to the book)");
  const std::optional<Vat> vat = book.vat_of(*e);
  if (!vat)
    throw draft_error("engagement " + quoted(id) + " has no VAT category: give the owner a \"vat\" or the engagement's terms one");
  const Client& client = *book.find_client(e->client);

  InvoiceDraft d;
  d.credit_note = credit;
  d.as_of = as_of;
  d.date = options.date.value_or(as_of);
  if ((Date(9999, 12, 31) - d.date).days() < client.days_to_pay())
    throw draft_error("the due date, " + std::to_string(client.days_to_pay()) + " days after the invoice date " +
                      format_date(clock_days(d.date)) + ", would be past 9999-12-31");
  d.due = d.date + boost::gregorian::date_duration(client.days_to_pay());
  d.currency = e->currency;
  d.engagement = e->id;
  d.engagement_title = e->title;
  d.seller = *book.owner;
  d.buyer = client;
  d.number = options.number ? *options.number : next_invoice_number(book);
  if (d.number.empty()) throw draft_error("an invoice number must not be empty");
  if (invoice_id_taken(book, d.number)) throw draft_error("invoice number " + quoted(d.number) + " is taken: the book has an invoice with that id");

  const Tally t = tally(*e, as_of);
  const EngagementReport r = report_from_tally(*e, as_of, t, client.days_to_pay());
  for (std::size_t c = 0; c < category_count; ++c) {
    const auto category = static_cast<Category>(c);
    const Money open = open_amount(r, category, credit);
    if (open.cents() != 0) d.lines.push_back({category, open, *vat, describe(*e, as_of, t, r, category)});
  }

  // Tax per VAT group, rounded once for the group (docs/invoicing.md).
  d.net = d.tax = Money::zero(e->currency);
  for (const DraftLine& line : d.lines) {
    const auto group = std::find_if(d.vat_groups.begin(), d.vat_groups.end(), [&](const VatGroup& g) {
      return g.vat.category == line.vat.category && g.vat.micro_percent == line.vat.micro_percent;
    });
    if (group == d.vat_groups.end()) d.vat_groups.push_back({line.vat, line.net, Money::zero(e->currency)});
    else group->net += line.net;
    d.net += line.net;
  }
  for (VatGroup& g : d.vat_groups) d.tax += g.tax = tax_of(g.net, g.vat);
  d.total = d.net + d.tax;

  if (credit) {
    // The invoices that charged the categories now overbilled, oldest first.
    for (const Invoice& invoice : e->journal.invoices)
      if (!invoice.credit_note && happened_by(invoice, as_of) &&
          std::any_of(invoice.lines.begin(), invoice.lines.end(), [&](const InvoiceLine& l) { return r.leakage[l.category].cents() < 0; }))
        d.refers_to.push_back(invoice.id);
  }
  return d;
}

}  // namespace

Invoice InvoiceDraft::as_invoice() const {
  Invoice invoice{number, date, {}, credit_note, refers_to.empty() ? std::string() : refers_to.back(), due};
  for (const DraftLine& line : lines) invoice.lines.push_back({line.category, line.net});
  return invoice;
}

InvoiceDraft draft_invoice(const Book& book, std::string_view engagement, Date as_of, const DraftOptions& options) {
  return draft(book, engagement, as_of, options, false);
}

InvoiceDraft draft_credit_note(const Book& book, std::string_view engagement, Date as_of, const DraftOptions& options) {
  return draft(book, engagement, as_of, options, true);
}

std::string next_invoice_number(const Book& book) {
  const std::string prefix = book.owner ? book.owner->invoice_prefix : std::string();
  std::uint64_t largest = 0;
  std::size_t width = 1;
  for (const Engagement& e : book.engagements)
    for (const Invoice& invoice : e.journal.invoices) {
      const std::string_view id = invoice.id;
      if (!id.starts_with(prefix)) continue;
      const std::string_view digits = id.substr(prefix.size());
      std::uint64_t n = 0;
      // Only ids that are the prefix and a number count; numbers past 18 digits are not ours.
      if (digits.empty() || digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        continue;
      std::from_chars(digits.data(), digits.data() + digits.size(), n);
      largest = std::max(largest, n);
      width = std::max(width, digits.size());
    }
  std::string number = std::to_string(largest + 1);
  if (number.size() < width) number.insert(0, width - number.size(), '0');
  return prefix + number;
}

void record_draft(Book& book, const InvoiceDraft& draft) {
  if (draft.empty())
    throw draft_error(std::string(draft.credit_note ? "nothing to credit" : "nothing to bill") + " for engagement " + quoted(draft.engagement) +
                      ": the draft has no lines, so nothing is recorded");
  if (invoice_id_taken(book, draft.number))
    throw draft_error("invoice number " + quoted(draft.number) + " is taken: the book has an invoice with that id");
  // Recorded, the draft must settle its leakage in the report at its as-of date (docs/invoicing.md):
  // that report ignores what is dated later, so a later draft, or a later invoice it cannot see,
  // would let the same leakage be billed twice.
  const std::string as_of = format_date(clock_days(draft.as_of));
  const auto document = [](bool credit_note, std::string_view id) { return (credit_note ? "credit note " : "invoice ") + quoted(id); };
  if (draft.date > draft.as_of)
    throw draft_error(document(draft.credit_note, draft.number) + " is dated " + format_date(clock_days(draft.date)) + ", after its as-of date " + as_of + ": the report as of " +
                      as_of + " would not count it, and " + (draft.credit_note ? "crediting" : "billing") + " as of that date again would " +
                      (draft.credit_note ? "credit the same overbilling" : "bill the same leakage") + " twice; date it on or before " + as_of +
                      ", or draft it as of " + format_date(clock_days(draft.date)));
  if (const Engagement* e = book.find_engagement(draft.engagement)) {
    const auto& invoices = e->journal.invoices;
    const auto latest = std::max_element(invoices.begin(), invoices.end(), [](const Invoice& a, const Invoice& b) { return a.date < b.date; });
    if (latest != invoices.end() && latest->date > draft.as_of)
      throw draft_error("engagement " + quoted(draft.engagement) + " has " + document(latest->credit_note, latest->id) +
                        " dated " + format_date(clock_days(latest->date)) + ", after the as-of date " + as_of + ": the report as of " + as_of +
                        " does not count it, so this draft would settle again what it settled; draft as of " + format_date(clock_days(latest->date)) +
                        " or later");
    // A draft may be recorded into another copy of its book (Book.update: the book as it is on disk
    // now, which another writer may have changed since): it must still settle this book's leakage.
    const Client* client = book.find_client(e->client);
    if (client && e->start <= draft.as_of && e->currency == draft.currency) {
      const EngagementReport r = report_from_tally(*e, draft.as_of, tally(*e, draft.as_of), client->days_to_pay());
      std::string changed;
      for (std::size_t c = 0; c < category_count; ++c) {
        const auto category = static_cast<Category>(c);
        const auto line = std::find_if(draft.lines.begin(), draft.lines.end(), [&](const DraftLine& l) { return l.category == category; });
        const Money drafted = line == draft.lines.end() ? Money::zero(e->currency) : line->net;
        const Money open = open_amount(r, category, draft.credit_note);
        if (open != drafted)
          changed += (changed.empty() ? "" : ", ") + std::string(name(category)) + " " + open.to_string() + " (drafted: " + drafted.to_string() + ")";
      }
      if (!changed.empty())
        throw draft_error(document(draft.credit_note, draft.number) + " no longer fits the book: as of " + as_of + " it leaves " + changed +
                          (draft.credit_note ? " to credit" : " to bill") + "; draft it again from the book as it is now");
    }
  }
  record(book, Event{NewInvoice{draft.engagement, draft.as_invoice()}});
}

}  // namespace kontingent
