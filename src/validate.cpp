// The meaning rules of a valid book (docs/formats.md), checked on a Book however it was made (JSON, archive, import, code).
// The readers check spelling (fields, types, formats); everything checkable on the values is here.
#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "kontingent/book.hpp"
#include "kontingent/detail/parallel.hpp"
#include "kontingent/detail/text.hpp"
#include "kontingent/limits.hpp"
#include "rules.hpp"

namespace kontingent {
namespace {

using detail::quoted;

using detail::Place;

[[noreturn]] void fail(const Place& place, std::string rule) { throw validation_error(place.text(), std::move(rule)); }

/// `a "scope" entry`, `an "internal" entry`.
std::string a_quoted(std::string_view word) {
  return (std::string_view("aeiou").find(word.front()) == std::string_view::npos ? "a " : "an ") + quoted(word);
}

/// Money of an engagement: in its currency and not negative.
void check_money(const Money& m, const Currency& currency, const Place& path) {
  if (m.currency() != currency)
    fail(path, "amount is in " + std::string(m.currency().code()) + " but the engagement is in " +
                   std::string(currency.code()));
  if (m.cents() < 0) fail(path, "money must not be negative, got " + quoted(m.to_short_string()));
}

void check_vat(const Vat& vat, const Place& path) {
  detail::check_text(vat.exemption_reason, path / "exemption_reason");
  const bool standard = vat.category == VatCategory::S;
  if (standard && vat.micro_percent <= 0) fail(path, "VAT category \"S\" needs a \"percent\" > 0");
  if (!standard && vat.micro_percent != 0)
    fail(path / "percent", "only VAT category \"S\" has a percent; \"" + std::string(name(vat.category)) + "\" is charged at 0");
  if (vat.micro_percent > limits::max_percent * 1'000'000) fail(path / "percent", "must be at most " + std::to_string(limits::max_percent));
  if ((vat.category == VatCategory::E || vat.category == VatCategory::AE) && vat.exemption_reason.empty())
    fail(path, "VAT category \"" + std::string(name(vat.category)) +
                   "\" needs an \"exemption_reason\" (printed on the invoice, e.g. \"Kleinunternehmer gemäß §19 UStG\")");
}

void check_address(const Address& a, const Place& path) {
  detail::check_text(a.street, path / "street");
  detail::check_text(a.postcode, path / "postcode");
  detail::check_text(a.city, path / "city");
  if (a.city.empty()) fail(path / "city", "must not be empty");
  if (!is_country_code(a.country))
    fail(path / "country", "must be an ISO 3166-1 alpha-2 country code like \"DE\", got " + quoted(a.country));
}

void check_owner(const Owner& o) {
  for (const auto& [text, field] : {std::pair{&o.name, "name"}, {&o.vat_id, "vat_id"}, {&o.tax_number, "tax_number"},
                                    {&o.email, "email"}, {&o.iban, "iban"}, {&o.invoice_prefix, "invoice_prefix"}})
    detail::check_text(*text, Place("owner") / field);
  if (o.name.empty()) fail("owner.name", "must not be empty");
  check_address(o.address, "owner.address");
  if (o.vat) check_vat(*o.vat, "owner.vat");
}

void check_client(const Client& c, const Place& path) {
  for (const auto& [text, field] : {std::pair{&c.id, "id"}, {&c.name, "name"}, {&c.channel, "channel"}, {&c.vat_id, "vat_id"},
                                    {&c.email, "email"}, {&c.buyer_reference, "buyer_reference"}})
    detail::check_text(*text, path / field);
  if (c.address) check_address(*c.address, path / "address");
  if (c.payment_days && (*c.payment_days < 0 || *c.payment_days > limits::max_count))
    fail(path / "payment_days", "must be an integer >= 0 and at most " + std::to_string(limits::max_count));
}

void check_terms(const Terms& t, const Currency& currency, const Place& path) {
  const std::string pricing = quoted(name(t.pricing));
  const auto needs = [&](bool present, bool wanted, std::string_view field, std::string_view where) {
    if (wanted && !present) fail(path, "pricing " + pricing + " needs \"" + std::string(field) + "\"");
    if (!wanted && present) fail(path, "\"" + std::string(field) + "\" is only for pricing " + std::string(where));
  };
  needs(t.fixed_price.has_value(), t.pricing == Pricing::fixed, "fixed_price", "\"fixed\"");
  needs(t.contingent.has_value(), t.has_contingent(), "contingent_hours", "\"contingent\" and \"retainer\"");
  needs(t.contingent_price.has_value(), t.has_contingent(), "contingent_price", "\"contingent\" and \"retainer\"");
  if (t.rollover_max && t.pricing != Pricing::retainer) fail(path, "\"rollover_max_hours\" is only for pricing \"retainer\"");

  check_money(t.rate, currency, path / "rate");
  if (t.fixed_price) check_money(*t.fixed_price, currency, path / "fixed_price");
  if (t.contingent_price) check_money(*t.contingent_price, currency, path / "contingent_price");
  if (t.extra_round_price) check_money(*t.extra_round_price, currency, path / "extra_round_price");
  if (t.contingent && *t.contingent <= 0) fail(path / "contingent_hours", "must be a number > 0");
  if (t.rollover_max && *t.rollover_max < 0) fail(path / "rollover_max_hours", "must be a number >= 0");
  if (t.included_rounds < 0) fail(path / "included_rounds", "must be an integer >= 0");
  // The book says minutes: seconds that are not whole minutes could not be saved as they are.
  if (t.rounding && (t.rounding->increment <= 0 || t.rounding->increment % 60 != 0))
    fail(path / "rounding" / "increment_minutes", "must be a positive integer");
  if (t.call_fee) {
    if (t.call_fee->free < 0 || t.call_fee->free % 60 != 0) fail(path / "call_fee" / "free_minutes", "must be an integer >= 0");
    if (t.call_fee->block <= 0 || t.call_fee->block % 60 != 0) fail(path / "call_fee" / "block_minutes", "must be a positive integer");
    check_money(t.call_fee->fee, currency, path / "call_fee" / "fee");
  }
  if (t.rush) {
    if (t.rush->lead <= 0) fail(path / "rush" / "lead_hours", "must be a number > 0");
    if (t.rush->surcharge_micro_percent < 0) fail(path / "rush" / "surcharge_percent", "must be a number >= 0");
  }
  if (t.no_show) {
    if (t.no_show->notice < 0) fail(path / "no_show" / "notice_hours", "must be a number >= 0");
    check_money(t.no_show->fee, currency, path / "no_show" / "fee");
  }
  if (t.vat) check_vat(*t.vat, path / "vat");
}

std::string time_text(const Time& t) { return format_time(clock_seconds(t)); }
std::string date_text(const Date& d) { return format_date(clock_days(d)); }

}  // namespace

namespace detail {

void check_entry(const Engagement& e, ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex r,
                 bool written_as_minutes, const Place& place) {
  if (EntryTest(e)(start, seconds, kind, r)) return;
  const auto& requests = e.journal.requests;
  const std::string a_kind = a_quoted(name(kind));
  const std::string longest = std::to_string(limits::max_count);
  if (seconds <= 0) {
    if (written_as_minutes) fail(place / "minutes", "must be a positive integer, got " + std::to_string(seconds / 60));
    const ClockSeconds end = start + seconds;
    const bool same_day = day_of(end) == day_of(start);
    const auto show = [&](ClockSeconds t) { return same_day ? format_time_of_day(t) : format_time(t); };
    fail(place, "end " + show(end) + (seconds < 0 ? " is before start " : " is not after start ") + show(start));
  }
  if (seconds > limits::longest_entry_seconds)
    fail(place, written_as_minutes ? "lasts more than " + longest + " minutes"
                                   : "end " + format_time(start + seconds) + " is more than " + longest + " minutes after its start");
  // An end past the last second a book holds could be written (as "end") but never read back.
  if (seconds > last_second - start)
    fail(place, "ends after " + format_time(last_second) + ", the last moment a book holds (" + limits::year_range() + ")");
  if (start < Seconds{clock_days(e.start)} * seconds_per_day)
    fail(place, "starts " + format_date(day_of(start)) + ", before the engagement's start " + date_text(e.start));
  if (e.end && start >= Seconds{clock_days(*e.end) + 1} * seconds_per_day)
    fail(place, "starts " + format_date(day_of(start)) + ", after the engagement's end " + date_text(*e.end));
  if (kind != EntryKind::revision && kind != EntryKind::change) fail(place, a_kind + " entry cannot name a request");
  if (r == no_request) fail(place, a_kind + " entry must name its request");
  if (r < 0 || static_cast<std::size_t>(r) >= requests.size()) fail(place / "request", "unknown request #" + std::to_string(r));
  fail(place, a_kind + " entry must name " + a_kind + " request, but " + quoted(requests[r].id) + " is " +
                  a_quoted(name(requests[r].kind)) + " request");
}

void check_request(const Engagement& e, const Request& r, const Place& place) {
  check_text(r.id, place / "id");
  if (r.due && *r.due < r.received) fail(place, "due " + time_text(*r.due) + " is before received " + time_text(r.received));
  if (r.quote) {
    if (r.kind != RequestKind::change) fail(place, "\"quote\" is only for change requests");
    check_money(*r.quote, e.currency, place / "quote");
  }
}

void check_appointment(const Appointment& a, const Place& place) {
  if (a.status == AppointmentStatus::cancelled && !a.cancelled) fail(place, "a cancelled appointment needs its \"cancelled\" time");
  if (a.status != AppointmentStatus::cancelled && a.cancelled)
    fail(place, "\"cancelled\" is only for appointments with status \"cancelled\"");
}

void check_invoice(const Engagement& e, const Invoice& invoice, const Place& place) {
  check_text(invoice.id, place / "id");
  check_text(invoice.refers_to, place / "refers_to");
  const std::string_view what = invoice.credit_note ? "a credit note" : "an invoice";
  if (invoice.lines.empty()) fail(place / "lines", std::string(what) + " needs at least one line");
  for (std::size_t l = 0; l < invoice.lines.size(); ++l)
    check_money(invoice.lines[l].amount, e.currency, place.at("lines", l) / "amount");
  if (invoice.due && *invoice.due < invoice.date)
    fail(place / "due", "due " + date_text(*invoice.due) + " is before the date " + date_text(invoice.date));
  if (!invoice.credit_note) {
    if (!invoice.refers_to.empty()) fail(place / "refers_to", "\"refers_to\" is only for credit notes");
    return;
  }
  if (invoice.refers_to.empty()) fail(place, "a credit note needs \"refers_to\": the invoice it corrects");
  const auto& invoices = e.journal.invoices;
  const auto target = std::find_if(invoices.begin(), invoices.end(), [&](const Invoice& i) { return i.id == invoice.refers_to; });
  if (target == invoices.end())
    fail(place / "refers_to", "unknown invoice " + quoted(invoice.refers_to) + " (a credit note must refer to an invoice of its engagement)");
  if (target->credit_note) fail(place / "refers_to", quoted(invoice.refers_to) + " is a credit note; a credit note refers to an invoice");
}

void check_payment(const Engagement& e, const Payment& p, const Invoice* invoice, const Place& place) {
  check_text(p.invoice, place / "invoice");
  if (!invoice)
    fail(place / "invoice", "unknown invoice " + quoted(p.invoice) + " (a payment must name an invoice of its engagement)");
  if (invoice->credit_note) fail(place / "invoice", quoted(p.invoice) + " is a credit note; a payment names an invoice");
  check_money(p.amount, e.currency, place / "amount");
}

void check_text(std::string_view text, const Place& place) {
  if (std::string problem = utf8_problem(text); !problem.empty()) fail(place, std::move(problem));
}

std::string request_key(std::string_view id) {
  std::string key;
  key.reserve(id.size());
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool number_starts = i == 0 || id[i - 1] < '0' || id[i - 1] > '9';
    const bool more_digits_follow = i + 1 < id.size() && id[i + 1] >= '0' && id[i + 1] <= '9';
    if (id[i] == '0' && number_starts && more_digits_follow) {
      while (i + 1 < id.size() && id[i] == '0' && id[i + 1] >= '0' && id[i + 1] <= '9') ++i;  // "R007" → "R7", "R0" stays
    }
    key += id[i];
  }
  return key;
}

void check_request_id_is_new(const std::string& id, std::span<const Request> others, const Place& place) {
  const std::string key = request_key(id);
  for (const Request& other : others) {
    if (other.id == id) duplicate_id("request", id, " in this engagement", place);
    if (request_key(other.id) == key)
      fail(place / "id", "request id " + quoted(id) + " is request " + quoted(other.id) +
                              " with other leading zeros; give each request its own number");
  }
}

[[noreturn]] void duplicate_id(std::string_view what, const std::string& id, std::string_view scope, const Place& place) {
  fail(place / "id", "duplicate " + std::string(what) + " id " + quoted(id) + std::string(scope));
}

void check_entries(const Engagement& e, const Entries& entries, const Place& engagement, std::size_t first) {
  const auto starts = entries.starts();
  const auto seconds = entries.seconds();
  const auto kinds = entries.kinds();
  const auto requests = entries.requests();
  const EntryTest valid(e);
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (!valid(starts[i], seconds[i], kinds[i], requests[i]))  // the common case costs a few comparisons
      check_entry(e, starts[i], seconds[i], kinds[i], requests[i], entries.written_as_minutes(i), engagement.at("entries", first + i));
  // The notes' texts are checked all at once; only a bad one costs finding the first entry that uses it.
  const NoteTexts& notes = entries.note_texts();
  if (utf8_problem(notes.joined()).empty()) return;
  for (std::size_t k = 0; k < notes.size(); ++k)
    if (!utf8_problem(notes[k]).empty())
      for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries.note(i).data() == notes[k].data()) check_text(notes[k], engagement.at("entries", first + i) / "note");
}

}  // namespace detail

namespace {

/// Invoice ids are unique in the whole book: payments name them.
void check_invoice_id(std::unordered_set<std::string_view>& invoice_ids, const Invoice& invoice, const Place& place) {
  if (!invoice_ids.insert(invoice.id).second) detail::duplicate_id("invoice", invoice.id, "", place);
}

/// `invoice_ids`: the ids of the book's invoices so far, or null to leave that rule to check_book.
void check_journal(const Engagement& e, const Place& path, std::unordered_set<std::string_view>* invoice_ids) {
  const Journal& j = e.journal;
  std::map<std::string, std::size_t> request_keys;
  for (std::size_t i = 0; i < j.requests.size(); ++i) {
    const Place place = path.at("requests", i);
    if (const auto [known, is_new] = request_keys.emplace(detail::request_key(j.requests[i].id), i); !is_new)
      detail::check_request_id_is_new(j.requests[i].id, std::span(&j.requests[known->second], 1), place);
    detail::check_request(e, j.requests[i], place);
  }
  detail::check_entries(e, j.entries, path, 0);
  for (std::size_t i = 0; i < j.appointments.size(); ++i) detail::check_appointment(j.appointments[i], path.at("appointments", i));
  std::map<std::string_view, const Invoice*> own_invoices;
  for (std::size_t i = 0; i < j.invoices.size(); ++i) {
    const Place place = path.at("invoices", i);
    if (invoice_ids) check_invoice_id(*invoice_ids, j.invoices[i], place);
    own_invoices.emplace(j.invoices[i].id, &j.invoices[i]);
    detail::check_invoice(e, j.invoices[i], place);
  }
  for (std::size_t i = 0; i < j.payments.size(); ++i) {
    const auto invoice = own_invoices.find(j.payments[i].invoice);
    detail::check_payment(e, j.payments[i], invoice == own_invoices.end() ? nullptr : invoice->second, path.at("payments", i));
  }
}

/// The rules of one engagement on its own.
void check_engagement(const Engagement& e, const Place& path, std::unordered_set<std::string_view>* invoice_ids) {
  detail::check_text(e.title, path / "title");
  if (e.end && *e.end < e.start) fail(path, "end " + date_text(*e.end) + " is before start " + date_text(e.start));
  check_terms(e.terms, e.currency, path / "terms");
  check_journal(e, path, invoice_ids);
}

/// The rules across the book, and with `each_engagement` those of every engagement too, in the
/// order of the book: the first problem found is the first in the file.
void check_book(const Book& book, bool each_engagement) {
  if (book.owner) check_owner(*book.owner);
  std::unordered_map<std::string_view, const Client*> clients;
  clients.reserve(book.clients.size());
  for (std::size_t i = 0; i < book.clients.size(); ++i) {
    if (!clients.emplace(book.clients[i].id, &book.clients[i]).second)
      fail(Place("clients", i) / "id", "duplicate client id " + quoted(book.clients[i].id));
    check_client(book.clients[i], Place("clients", i));
  }

  // Views of the book's own ids, hashed: a book may hold 10^5 engagements and more invoices.
  std::unordered_set<std::string_view> engagement_ids, invoice_ids;
  engagement_ids.reserve(book.engagements.size());
  invoice_ids.reserve(book.engagements.size());
  for (std::size_t i = 0; i < book.engagements.size(); ++i) {
    const Engagement& e = book.engagements[i];
    const Place path("engagements", i);
    detail::check_text(e.id, path / "id");
    detail::check_text(e.client, path / "client");
    if (!engagement_ids.insert(e.id).second) fail(path / "id", "duplicate engagement id " + quoted(e.id));
    const auto client = clients.find(e.client);
    if (client == clients.end()) fail(path / "client", "unknown client " + quoted(e.client));
    if (const auto vat = book.vat_of(e); vat && vat->category == VatCategory::AE && client->second->vat_id.empty())
      fail(e.terms.vat ? path / "terms" / "vat" : "owner.vat",
           "VAT category \"AE\" (reverse charge) needs the client's \"vat_id\", and client " + quoted(e.client) + " has none");
    if (each_engagement) {
      check_engagement(e, path, &invoice_ids);
    } else {
      for (std::size_t k = 0; k < e.journal.invoices.size(); ++k)
        check_invoice_id(invoice_ids, e.journal.invoices[k], path.at("invoices", k));
    }
  }
}

}  // namespace

void validate(const Book& book) { check_book(book, true); }

namespace detail {

void validate_engagement(const Engagement& engagement, std::size_t index) {
  check_engagement(engagement, Place("engagements", index), nullptr);
}

void validate_across(const Book& book) { check_book(book, false); }

void each_engagement(Book& book, const EachEngagement& each) {
  const std::size_t n = book.engagements.size();
  parallel_for(n, threads_for(entry_count(book), n, 0), [&](std::size_t i, unsigned) { each(i, book.engagements[i]); });
}

}  // namespace detail

}  // namespace kontingent
