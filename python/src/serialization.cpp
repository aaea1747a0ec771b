// Pickle states through kontingent::to_bytes / from_bytes (kontingent/formats/serialize.hpp). The heavy
// Boost.Serialization headers are compiled here only; the other files see declarations.
#include "serialization.hpp"

#include "invoice_values.hpp"
#include "journal_values.hpp"
#include "kontingent/formats/serialize.hpp"
#include "kontingent/quote.hpp"
#include "kontingent/triage.hpp"
#include "kontingent/whatif.hpp"

namespace kontingent::python {
namespace {

std::string_view bytes_of(const py::tuple& state) {
  if (state.size() < 1 || !PyBytes_Check(state[0].ptr())) throw archive_error("", "not a kontingent pickle state");
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(state[0].ptr(), &data, &size) != 0) throw py::error_already_set();
  return {data, static_cast<std::size_t>(size)};
}

// ---- the parties of book version 2 (docs/formats.md) ---------------------------------------------------
// Address, Vat and Owner are archived only as parts of a Client, Terms or Book (they have no archive
// content of their own), so their pickles are their fields as plain Python values, checked on the
// way back in: the book that takes them validates them as it validates any.

[[noreturn]] void damaged() { throw archive_error("", "not a kontingent pickle state"); }

py::tuple items(py::handle state, std::size_t size) {
  if (!PyTuple_Check(state.ptr())) damaged();
  auto t = py::reinterpret_borrow<py::tuple>(state);
  if (t.size() != size) damaged();
  return t;
}

template <class T>
T item_as(py::handle h) {
  try {
    return h.cast<T>();
  } catch (const py::cast_error&) {
    damaged();
  }
}

py::object address_state(const std::optional<Address>& a) {
  if (!a) return py::none();
  return py::make_tuple(a->street, a->postcode, a->city, a->country);
}
std::optional<Address> address_from(py::handle h) {
  if (h.is_none()) return std::nullopt;
  const py::tuple t = items(h, 4);
  return Address{item_as<std::string>(t[0]), item_as<std::string>(t[1]), item_as<std::string>(t[2]), item_as<std::string>(t[3])};
}

py::object vat_state(const std::optional<Vat>& v) {
  if (!v) return py::none();
  return py::make_tuple(word_of(v->category), v->micro_percent, v->exemption_reason);
}
std::optional<Vat> vat_from(py::handle h) {
  if (h.is_none()) return std::nullopt;
  const py::tuple t = items(h, 3);
  const auto category = from_name<VatCategory>(item_as<std::string>(t[0]));
  if (!category) damaged();
  return Vat{*category, item_as<std::int64_t>(t[1]), item_as<std::string>(t[2])};
}

py::object owner_state(const std::optional<Owner>& o) {
  if (!o) return py::none();
  return py::make_tuple(o->name, address_state(o->address), o->vat_id, o->tax_number, o->email, o->iban, o->invoice_prefix,
                        vat_state(o->vat));
}
std::optional<Owner> owner_from(py::handle h) {
  if (h.is_none()) return std::nullopt;
  const py::tuple t = items(h, 8);
  const std::optional<Address> address = address_from(t[1]);
  if (!address) damaged();
  return Owner{item_as<std::string>(t[0]), *address, item_as<std::string>(t[2]), item_as<std::string>(t[3]),
               item_as<std::string>(t[4]), item_as<std::string>(t[5]), item_as<std::string>(t[6]), vat_from(t[7])};
}

// ---- invoice drafts (docs/invoicing.md) ----------------------------------------------------------------------
// A draft is a document, not part of a book: it has no archive of its own. Its pickle is its fields
// as plain values (the buyer as a Client's own pickle state); the book it came from stays behind.

Money money_from(py::handle h, const Currency& c) {
  const auto cents = item_as<std::int64_t>(h);
  if (cents > detail::max_cents || cents < -detail::max_cents) damaged();
  return Money(cents, c);
}

Vat vat_required(py::handle h) {
  const std::optional<Vat> v = vat_from(h);
  if (!v) damaged();
  return *v;
}

py::tuple draft_state(const DraftValue& v) {
  const InvoiceDraft& d = v.draft;
  py::tuple lines(d.lines.size());
  for (std::size_t i = 0; i < d.lines.size(); ++i) {
    const DraftLine& l = d.lines[i];
    lines[i] = py::make_tuple(word_of(l.category), l.net.cents(), vat_state(l.vat), l.description[0], l.description[1]);
  }
  py::tuple groups(d.vat_groups.size());
  for (std::size_t i = 0; i < d.vat_groups.size(); ++i) {
    const VatGroup& g = d.vat_groups[i];
    groups[i] = py::make_tuple(vat_state(g.vat), g.net.cents(), g.tax.cents());
  }
  return py::make_tuple(d.number, d.credit_note, py::tuple(py::cast(d.refers_to)), d.date, d.due, d.as_of,
                        std::string(d.currency.code()), d.engagement, d.engagement_title, owner_state(d.seller),
                        state_of(d.buyer), lines, groups, d.net.cents(), d.tax.cents(), d.total.cents(), word_of(v.language));
}

DraftValue draft_from(const py::tuple& state) {
  const py::tuple t = items(state, 17);
  DraftValue v;
  InvoiceDraft& d = v.draft;
  d.number = item_as<std::string>(t[0]);
  d.credit_note = item_as<bool>(t[1]);
  d.refers_to = item_as<std::vector<std::string>>(t[2]);
  d.date = item_as<Date>(t[3]);
  d.due = item_as<Date>(t[4]);
  d.as_of = item_as<Date>(t[5]);
  const auto code = item_as<std::string>(t[6]);
  if (!Currency::valid(code)) damaged();
  d.currency = Currency(code);
  d.engagement = item_as<std::string>(t[7]);
  d.engagement_title = item_as<std::string>(t[8]);
  const std::optional<Owner> seller = owner_from(t[9]);
  if (!seller) damaged();
  d.seller = *seller;
  if (!PyTuple_Check(t[10].ptr())) damaged();
  d.buyer = from_state<Client>(py::reinterpret_borrow<py::tuple>(t[10]));
  if (!PyTuple_Check(t[11].ptr()) || !PyTuple_Check(t[12].ptr())) damaged();
  for (py::handle item : py::reinterpret_borrow<py::tuple>(t[11])) {
    const py::tuple l = items(item, 5);
    const auto category = from_name<Category>(item_as<std::string>(l[0]));
    if (!category) damaged();
    d.lines.push_back({*category, money_from(l[1], d.currency), vat_required(l[2]),
                       {item_as<std::string>(l[3]), item_as<std::string>(l[4])}});
  }
  for (py::handle item : py::reinterpret_borrow<py::tuple>(t[12])) {
    const py::tuple g = items(item, 3);
    d.vat_groups.push_back({vat_required(g[0]), money_from(g[1], d.currency), money_from(g[2], d.currency)});
  }
  d.net = money_from(t[13], d.currency);
  d.tax = money_from(t[14], d.currency);
  d.total = money_from(t[15], d.currency);
  const auto language = from_name<Language>(item_as<std::string>(t[16]));
  if (!language) damaged();
  v.language = *language;
  return v;
}

// ---- triage (kontingent/triage.hpp) ------------------------------------------------------------------
// A triage is a result computed from a book, not part of one: it has no archive of its own. Its
// pickle is its fields as plain values, amounts in the row's currency. Every field is named by a
// structured binding, so a field added to one of these types stops this file from compiling until
// its pickle carries it too.

template <class Enum>
Enum word_from(py::handle h) {
  const auto e = from_name<Enum>(item_as<std::string>(h));
  if (!e) damaged();
  return *e;
}

py::object cents_or_none(const std::optional<Money>& m) { return m ? py::object(py::int_(m->cents())) : py::object(py::none()); }
std::optional<Money> money_or_none(py::handle h, const Currency& c) {
  if (h.is_none()) return std::nullopt;
  return money_from(h, c);
}

py::tuple indicators_state(const Indicators& i) {
  const auto& [invoiced, billable, unbilled, outstanding, list_rate, effective_rate, worked, seconds_by_kind, requests,
               rush_requests, extra_rounds, no_shows, paid_invoices, days_to_pay_total, days_to_pay_worst, review,
               review_by, call_fee_would_bring, suggested_call_fee] = i;
  return py::make_tuple(invoiced.cents(), billable.cents(), unbilled.cents(), outstanding.cents(), list_rate.cents(),
                        cents_or_none(effective_rate), worked, py::tuple(py::cast(seconds_by_kind.values)), requests,
                        rush_requests, extra_rounds, no_shows, paid_invoices, days_to_pay_total, days_to_pay_worst,
                        word_of(review), review_by, call_fee_would_bring.cents(),
                        suggested_call_fee ? py::object(state_of(*suggested_call_fee)) : py::object(py::none()));
}

Indicators indicators_from(py::handle state, const Currency& c) {
  const py::tuple t = items(state, 19);
  Indicators i;
  auto& [invoiced, billable, unbilled, outstanding, list_rate, effective_rate, worked, seconds_by_kind, requests,
         rush_requests, extra_rounds, no_shows, paid_invoices, days_to_pay_total, days_to_pay_worst, review, review_by,
         call_fee_would_bring, suggested_call_fee] = i;
  invoiced = money_from(t[0], c), billable = money_from(t[1], c), unbilled = money_from(t[2], c);
  outstanding = money_from(t[3], c), list_rate = money_from(t[4], c);
  effective_rate = money_or_none(t[5], c);
  worked = item_as<Seconds>(t[6]);
  seconds_by_kind.values = item_as<decltype(seconds_by_kind.values)>(t[7]);
  requests = item_as<std::int64_t>(t[8]), rush_requests = item_as<std::int64_t>(t[9]);
  extra_rounds = item_as<std::int64_t>(t[10]), no_shows = item_as<std::int64_t>(t[11]);
  paid_invoices = item_as<std::int64_t>(t[12]), days_to_pay_total = item_as<std::int64_t>(t[13]);
  days_to_pay_worst = item_as<std::int64_t>(t[14]);
  review = word_from<ReviewState>(t[15]);
  review_by = item_as<std::optional<Date>>(t[16]);
  call_fee_would_bring = money_from(t[17], c);
  if (!t[18].is_none()) {
    if (!PyTuple_Check(t[18].ptr())) damaged();
    suggested_call_fee = from_state<CallFee>(py::reinterpret_borrow<py::tuple>(t[18]));
  }
  return i;
}

py::tuple reason_state(const Reason& r) {
  const auto& [drain, at_stake, sentence] = r;
  return py::make_tuple(word_of(drain), at_stake.cents(), sentence);
}

Reason reason_from(py::handle state, const Currency& c) {
  const py::tuple t = items(state, 3);
  return {word_from<Drain>(t[0]), money_from(t[1], c), item_as<std::string>(t[2])};
}

Currency currency_from(py::handle h) {
  const auto code = item_as<std::string>(h);
  if (!Currency::valid(code)) damaged();
  return Currency(code);
}

py::tuple row_state(const TriageRow& row) {
  const auto& [engagement, client, client_name, currency, indicators, verdict, reasons] = row;
  py::tuple reason_states(reasons.size());
  for (std::size_t i = 0; i < reasons.size(); ++i) reason_states[i] = reason_state(reasons[i]);
  return py::make_tuple(engagement, client, client_name, std::string(currency.code()), indicators_state(indicators),
                        word_of(verdict), reason_states);
}

TriageRow row_from(py::handle state) {
  const py::tuple t = items(state, 7);
  TriageRow row;
  auto& [engagement, client, client_name, currency, indicators, verdict, reasons] = row;
  engagement = item_as<std::string>(t[0]), client = item_as<std::string>(t[1]), client_name = item_as<std::string>(t[2]);
  currency = currency_from(t[3]);
  indicators = indicators_from(t[4], currency);
  verdict = word_from<Verdict>(t[5]);
  if (!PyTuple_Check(t[6].ptr())) damaged();
  for (py::handle r : py::reinterpret_borrow<py::tuple>(t[6])) reasons.push_back(reason_from(r, currency));
  return row;
}

py::tuple rows_state(const std::vector<TriageRow>& rows) {
  py::tuple out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = row_state(rows[i]);
  return out;
}

std::vector<TriageRow> rows_from(py::handle state) {
  if (!PyTuple_Check(state.ptr())) damaged();
  std::vector<TriageRow> rows;
  for (py::handle row : py::reinterpret_borrow<py::tuple>(state)) rows.push_back(row_from(row));
  return rows;
}

py::tuple inner(const py::tuple& state) {
  if (state.size() != 1 || !PyTuple_Check(state[0].ptr())) damaged();
  return py::reinterpret_borrow<py::tuple>(state[0]);
}

}  // namespace

template <class T>
py::tuple state_of(const T& value) {
  const std::string bytes = to_bytes(value);
  return py::make_tuple(py::bytes(bytes));
}

template <class T>
T from_state(const py::tuple& state) {
  return from_bytes<T>(bytes_of(state));
}

template <>
py::tuple state_of<Address>(const Address& a) {
  return py::make_tuple(address_state(a));
}
template <>
Address from_state<Address>(const py::tuple& state) {
  if (state.size() != 1) damaged();
  const std::optional<Address> a = address_from(state[0]);
  if (!a) damaged();
  return *a;
}
template <>
py::tuple state_of<Vat>(const Vat& v) {
  return py::make_tuple(vat_state(v));
}
template <>
Vat from_state<Vat>(const py::tuple& state) {
  if (state.size() != 1) damaged();
  const std::optional<Vat> v = vat_from(state[0]);
  if (!v) damaged();
  return *v;
}
template <>
py::tuple state_of<Owner>(const Owner& o) {
  return py::make_tuple(owner_state(o));
}
template <>
Owner from_state<Owner>(const py::tuple& state) {
  if (state.size() != 1) damaged();
  const std::optional<Owner> o = owner_from(state[0]);
  if (!o) damaged();
  return *o;
}

template <>
py::tuple state_of<DraftValue>(const DraftValue& v) {
  return py::make_tuple(draft_state(v));
}
template <>
DraftValue from_state<DraftValue>(const py::tuple& state) {
  if (state.size() != 1 || !PyTuple_Check(state[0].ptr())) damaged();
  return draft_from(py::reinterpret_borrow<py::tuple>(state[0]));
}

template <>
py::tuple state_of<Reason>(const Reason& r) {
  return py::make_tuple(std::string(r.at_stake.currency().code()), reason_state(r));
}
template <>
Reason from_state<Reason>(const py::tuple& state) {
  if (state.size() != 2) damaged();
  return reason_from(state[1], currency_from(state[0]));
}
template <>
py::tuple state_of<Indicators>(const Indicators& i) {
  return py::make_tuple(std::string(i.invoiced.currency().code()), indicators_state(i));
}
template <>
Indicators from_state<Indicators>(const py::tuple& state) {
  if (state.size() != 2) damaged();
  return indicators_from(state[1], currency_from(state[0]));
}
template <>
py::tuple state_of<TriageRow>(const TriageRow& row) {
  return py::make_tuple(row_state(row));
}
template <>
TriageRow from_state<TriageRow>(const py::tuple& state) {
  return row_from(inner(state));
}
template <>
py::tuple state_of<Triage>(const Triage& triage) {
  const auto& [as_of, clients, engagements] = triage;
  return py::make_tuple(py::make_tuple(as_of, rows_state(clients), rows_state(engagements)));
}
template <>
Triage from_state<Triage>(const py::tuple& state) {
  const py::tuple t = items(inner(state), 3);
  return {item_as<Date>(t[0]), rows_from(t[1]), rows_from(t[2])};
}

// A quote is a result too: its amounts as cents in its currency, its two reports as their archives.
template <>
py::tuple state_of<Quote>(const Quote& q) {
  const auto& [engagement, currency, as_of, price, total, facts, before, after] = q;
  py::tuple cents(price.values.size());
  for (std::size_t i = 0; i < price.values.size(); ++i) cents[i] = price.values[i].cents();
  return py::make_tuple(py::make_tuple(engagement, std::string(currency.code()), as_of, cents, total.cents(),
                                       py::tuple(py::cast(facts)), py::bytes(to_bytes(before)), py::bytes(to_bytes(after))));
}
template <>
Quote from_state<Quote>(const py::tuple& state) {
  const py::tuple t = items(inner(state), 8);
  Quote q;
  auto& [engagement, currency, as_of, price, total, facts, before, after] = q;
  engagement = item_as<std::string>(t[0]);
  currency = currency_from(t[1]);
  as_of = item_as<Date>(t[2]);
  const py::tuple cents = items(t[3], price.values.size());
  for (std::size_t i = 0; i < price.values.size(); ++i) price.values[i] = money_from(cents[i], currency);
  total = money_from(t[4], currency);
  facts = item_as<std::vector<std::string>>(t[5]);
  before = from_state<EngagementReport>(py::make_tuple(t[6]));
  after = from_state<EngagementReport>(py::make_tuple(t[7]));
  return q;
}

// A what-if is two reports: their archives.
template <>
py::tuple state_of<WhatIf>(const WhatIf& w) {
  return py::make_tuple(py::bytes(to_bytes(w.before)), py::bytes(to_bytes(w.after)));
}
template <>
WhatIf from_state<WhatIf>(const py::tuple& state) {
  if (state.size() != 2) damaged();
  return {from_state<Report>(py::make_tuple(state[0])), from_state<Report>(py::make_tuple(state[1]))};
}

// An Entry in Python names its request by id; the archive holds the rest (request index -1).
template <>
py::tuple state_of<EntryValue>(const EntryValue& e) {
  const std::string bytes = to_bytes(Entry{e.start, e.seconds, e.kind, no_request, e.note, e.written_as_minutes});
  return py::make_tuple(py::bytes(bytes), e.request);
}
template <>
EntryValue from_state<EntryValue>(const py::tuple& state) {
  if (state.size() != 2) throw archive_error("", "not a kontingent pickle state");
  const Entry e = from_bytes<Entry>(bytes_of(state));
  return {e.start, e.seconds, e.kind, state[1].cast<std::string>(), e.note, e.written_as_minutes};
}

#define KONTINGENT_PICKLED(T) \
  template py::tuple state_of<T>(const T&); \
  template T from_state<T>(const py::tuple&);
KONTINGENT_PICKLED(Rounding)
KONTINGENT_PICKLED(CallFee)
KONTINGENT_PICKLED(Rush)
KONTINGENT_PICKLED(NoShow)
KONTINGENT_PICKLED(Terms)
KONTINGENT_PICKLED(Client)
KONTINGENT_PICKLED(Request)
KONTINGENT_PICKLED(Appointment)
KONTINGENT_PICKLED(InvoiceLine)
KONTINGENT_PICKLED(Invoice)
KONTINGENT_PICKLED(Payment)
KONTINGENT_PICKLED(Engagement)
KONTINGENT_PICKLED(Book)
KONTINGENT_PICKLED(Rounds)
KONTINGENT_PICKLED(ContingentUse)
KONTINGENT_PICKLED(EngagementReport)
KONTINGENT_PICKLED(Report)
#undef KONTINGENT_PICKLED

}  // namespace kontingent::python
