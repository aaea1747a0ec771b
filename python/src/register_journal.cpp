// What happened in an engagement (docs/formats.md): requests, entries, appointments, invoices, payments.
// Records are immutable values; an engagement's entries are a live sequence over its columns.

#include "journal_values.hpp"
#include "kontingent/limits.hpp"
#include "serialization.hpp"

namespace kontingent::python {
namespace {

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

/// A Python int of `unit` seconds as seconds, refused before it could wrap around: no entry lasts
/// more than limits::max_count minutes, so a longer one is refused here with that rule.
Seconds entry_length(const py::object& count, const char* field, Seconds unit) {
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(count.ptr(), &overflow);
  const Seconds most = limits::longest_entry_seconds / unit;
  if (overflow > 0 || n > most)
    throw validation_error(field, "an entry lasts at most " + std::to_string(limits::max_count) + " minutes, got " +
                                      py::repr(count).cast<std::string>());
  if (overflow < 0 || n < -most) throw validation_error(field, "must be positive, got " + py::repr(count).cast<std::string>());
  return n * unit;
}

/// Seconds of an entry from exactly one of minutes, seconds, end, duration.
std::pair<Seconds, bool> entry_seconds(const Time& start, const py::object& minutes, const py::object& seconds,
                                       const py::object& end, const py::object& duration) {
  const int given = !minutes.is_none() + !seconds.is_none() + !end.is_none() + !duration.is_none();
  if (given != 1)
    throw validation_error("", given == 0 ? "give the entry's minutes, seconds, duration or end"
                                          : "give only one of the entry's minutes, seconds, duration and end");
  if (!minutes.is_none()) {
    if (PyBool_Check(minutes.ptr()) || !PyLong_Check(minutes.ptr()))
      throw validation_error("minutes", "must be a positive integer, got " + py::repr(minutes).cast<std::string>());
    return {entry_length(minutes, "minutes", 60), true};
  }
  if (!seconds.is_none()) {
    if (PyBool_Check(seconds.ptr()) || !PyLong_Check(seconds.ptr()))
      throw validation_error("seconds", "must be an integer, got " + py::repr(seconds).cast<std::string>());
    const Seconds s = entry_length(seconds, "seconds", 1);
    return {s, s % 60 == 0};
  }
  if (!duration.is_none()) {
    const Seconds s = seconds_of_timedelta(duration, "duration");
    return {s, s % 60 == 0};
  }
  return {clock_seconds(end.cast<Time>()) - clock_seconds(start), false};
}

std::vector<InvoiceLine> invoice_lines(const py::object& lines) {
  std::vector<InvoiceLine> out;
  if (py::isinstance<py::dict>(lines)) {
    for (auto [category, amount] : py::reinterpret_borrow<py::dict>(lines))
      out.push_back({word<Category>(category.cast<std::string>(), "invoice line category"), amount.cast<Money>()});
    return out;
  }
  for (py::handle line : lines) {
    if (py::isinstance<InvoiceLine>(line)) {
      out.push_back(line.cast<InvoiceLine>());
    } else {
      const auto pair = line.cast<py::tuple>();
      if (pair.size() != 2) throw py::type_error("an invoice line is an InvoiceLine or a (category, amount) pair");
      out.push_back({word<Category>(pair[0].cast<std::string>(), "invoice line category"), pair[1].cast<Money>()});
    }
  }
  return out;
}

std::size_t checked_index(std::int64_t i, std::size_t size) {
  if (i < 0) i += static_cast<std::int64_t>(size);
  if (i < 0 || static_cast<std::size_t>(i) >= size) throw py::index_error("entry index out of range");
  return static_cast<std::size_t>(i);
}

}  // namespace

void rebase(Request& r, Currency c) {
  if (r.quote) *r.quote = Money(r.quote->cents(), c);
}
void rebase(Invoice& i, Currency c) {
  for (InvoiceLine& line : i.lines) line.amount = Money(line.amount.cents(), c);
}
void rebase(Payment& p, Currency c) { p.amount = Money(p.amount.cents(), c); }

EntryValue entry_value(const Engagement& e, std::size_t i) {
  const Entries& entries = e.journal.entries;
  const RequestIndex r = entries.requests()[i];
  const auto& requests = e.journal.requests;
  return {to_time(entries.starts()[i]),
          entries.seconds()[i],
          entries.kinds()[i],
          r >= 0 && static_cast<std::size_t>(r) < requests.size() ? requests[static_cast<std::size_t>(r)].id : std::string(),
          std::string(entries.note(i)),
          entries.written_as_minutes(i)};
}

RequestIndex request_index(const Engagement& e, std::string_view id, const std::string& path) {
  const RequestIndex r = e.journal.find_request(id);
  if (r == no_request) throw validation_error(path, "unknown request " + quoted(id));
  return r;
}

void append_entries(Engagement& e, const Entries& entries) {
  const auto held = changing(e);
  record_entries(e, entries);
}

/// The entries of `values` for `e`, their requests resolved from ids (numbered from `first` in messages).
Entries resolved_entries(const Engagement& e, const py::iterable& values, std::size_t first) {
  Entries out;
  for (py::handle item : values) {
    const auto& v = item.cast<const EntryValue&>();
    const RequestIndex r =
        v.request.empty() ? no_request : request_index(e, v.request, "entries[" + std::to_string(first + out.size()) + "].request");
    out.push_back(clock_seconds(v.start), v.seconds, v.kind, r, v.note, v.written_as_minutes);
  }
  return out;
}

void register_journal(py::module_& m) {
  auto request = py::class_<Request>(m, "Request", R"(A revision round or change request by the client.

    ``Request(id="R1", kind="revision", received=datetime(2026, 2, 1, 9), due=None, quote=None, declined=False)``;
    ``quote`` (Decimal) is for change requests only.)");
  request
      .def(py::init([](std::string id, const std::string& kind, const Time& received, std::optional<Time> due,
                       std::optional<Money> quote, bool declined) {
             return Request{std::move(id), word<RequestKind>(kind, "request kind"), received, due, quote, declined};
           }),
           py::kw_only(), "id"_a, "kind"_a, "received"_a, "due"_a = py::none(), "quote"_a = py::none(),
           "declined"_a = false)
      .def_property_readonly("id", [](const Request& r) { return r.id; })
      .def_property_readonly("kind", [](const Request& r) { return word_of(r.kind); })
      .def_property_readonly("received", [](const Request& r) { return r.received; })
      .def_property_readonly("due", [](const Request& r) { return r.due; })
      .def_property_readonly("quote", [](const Request& r) { return r.quote; })
      .def_property_readonly("declined", [](const Request& r) { return r.declined; });
  add_value_protocol(request);
  add_pickle(request);

  auto entry = py::class_<EntryValue>(m, "Entry", R"(One time entry: ``start`` plus exactly one of ``minutes``, ``seconds``, ``duration`` (timedelta) or ``end``.

    ``Entry(start=datetime(2026, 2, 2, 10), minutes=50, kind="revision", request="R1", note="")``;
    kind is ``"scope"``, ``"revision"``, ``"change"``, ``"call"`` or ``"internal"``; revision and
    change entries name their request by id.)");
  entry
      .def(py::init([](const Time& start, const std::string& kind, const py::object& minutes, const py::object& seconds,
                       const py::object& end, const py::object& duration, std::optional<std::string> request,
                       std::string note) {
             const auto [s, as_minutes] = entry_seconds(start, minutes, seconds, end, duration);
             return EntryValue{start, s, word<EntryKind>(kind, "entry kind"), request.value_or(""), std::move(note), as_minutes};
           }),
           py::kw_only(), "start"_a, "kind"_a, "minutes"_a = py::none(), "seconds"_a = py::none(), "end"_a = py::none(),
           "duration"_a = py::none(), "request"_a = py::none(), "note"_a = "")
      .def_property_readonly("start", [](const EntryValue& e) { return e.start; })
      .def_property_readonly("end", [](const EntryValue& e) { return e.start + boost::posix_time::seconds(static_cast<long>(e.seconds)); })
      .def_property_readonly("seconds", [](const EntryValue& e) { return e.seconds; })
      .def_property_readonly("duration", [](const EntryValue& e) { return to_timedelta(e.seconds); })
      .def_property_readonly("kind", [](const EntryValue& e) { return word_of(e.kind); })
      .def_property_readonly("request", [](const EntryValue& e) -> std::optional<std::string> {
        if (e.request.empty()) return std::nullopt;
        return e.request;
      })
      .def_property_readonly("note", [](const EntryValue& e) { return e.note; });
  add_value_protocol(entry);
  add_pickle(entry);

  auto appointment = py::class_<Appointment>(m, "Appointment", R"(An appointment: ``Appointment(at=datetime(...), status="kept", cancelled=None)``.

    status is ``"kept"``, ``"no_show"`` or ``"cancelled"``; ``cancelled`` (when it was called off) is for cancelled ones only.)");
  appointment
      .def(py::init([](const Time& at, const std::string& status, std::optional<Time> cancelled) {
             return Appointment{at, word<AppointmentStatus>(status, "appointment status"), cancelled};
           }),
           py::kw_only(), "at"_a, "status"_a = "kept", "cancelled"_a = py::none())
      .def_property_readonly("at", [](const Appointment& a) { return a.at; })
      .def_property_readonly("status", [](const Appointment& a) { return word_of(a.status); })
      .def_property_readonly("cancelled", [](const Appointment& a) { return a.cancelled; });
  add_value_protocol(appointment);
  add_pickle(appointment);

  auto line = py::class_<InvoiceLine>(m, "InvoiceLine", R"(One line of an invoice: ``InvoiceLine(category="base", amount=Decimal("4800"))``.)");
  line.def(py::init([](const std::string& category, const Money& amount) {
             return InvoiceLine{word<Category>(category, "invoice line category"), amount};
           }),
           py::kw_only(), "category"_a, "amount"_a)
      .def_property_readonly("category", [](const InvoiceLine& l) { return word_of(l.category); })
      .def_property_readonly("amount", [](const InvoiceLine& l) { return l.amount; });
  add_value_protocol(line);
  add_pickle(line);

  auto invoice = py::class_<Invoice>(m, "Invoice", R"(An invoice: ``Invoice(id="INV-1", date=date(2026, 2, 28), lines={"base": Decimal("4800")})``.

    ``lines`` is a dict category → amount, or a list of InvoiceLine or (category, amount) pairs.
    Book version 2 (docs/formats.md): ``due`` (a date; None: ``date`` + the client's payment days), and
    credit notes — ``credit_note=True`` with ``refers_to`` the id of the invoice of the same
    engagement they correct; their lines are positive amounts taken back.)");
  invoice
      .def(py::init([](std::string id, const Date& date, const py::object& lines, bool credit_note,
                       std::optional<std::string> refers_to, std::optional<Date> due) {
             Invoice i;
             i.id = std::move(id), i.date = date, i.lines = invoice_lines(lines);
             i.credit_note = credit_note;
             i.refers_to = refers_to.value_or("");
             i.due = due;
             return i;
           }),
           py::kw_only(), "id"_a, "date"_a, "lines"_a, "credit_note"_a = false, "refers_to"_a = py::none(),
           "due"_a = py::none())
      .def_property_readonly("id", [](const Invoice& i) { return i.id; })
      .def_property_readonly("date", [](const Invoice& i) { return i.date; })
      .def_property_readonly("credit_note", [](const Invoice& i) { return i.credit_note; })
      .def_property_readonly("refers_to", [](const Invoice& i) -> std::optional<std::string> {
        if (i.refers_to.empty()) return std::nullopt;
        return i.refers_to;
      }, "Credit notes: the id of the invoice they correct; None for invoices.")
      .def_property_readonly("due", [](const Invoice& i) { return i.due; },
                             "The due date the book gives; None: the date + the client's payment days.")
      .def_property_readonly("lines", [](const Invoice& i) {
        py::tuple out(i.lines.size());
        for (std::size_t k = 0; k < i.lines.size(); ++k) out[k] = py::cast(i.lines[k]);
        return out;
      })
      .def_property_readonly("total", [](const Invoice& i) {
        std::int64_t cents = 0;
        for (const InvoiceLine& l : i.lines) cents += l.amount.cents();
        return Money(cents, no_currency);
      }, "Σ of the lines.");
  add_value_protocol(invoice);
  add_pickle(invoice);

  auto payment = py::class_<Payment>(m, "Payment", R"(A payment of an invoice: ``Payment(invoice="INV-1", date=date(2026, 3, 10), amount=Decimal("5150"))``.)");
  payment
      .def(py::init([](std::string invoice, const Date& date, const Money& amount) {
             return Payment{std::move(invoice), date, amount};
           }),
           py::kw_only(), "invoice"_a, "date"_a, "amount"_a)
      .def_property_readonly("invoice", [](const Payment& p) { return p.invoice; })
      .def_property_readonly("date", [](const Payment& p) { return p.date; })
      .def_property_readonly("amount", [](const Payment& p) { return p.amount; });
  add_value_protocol(payment);
  add_pickle(payment);

  py::class_<EntriesView>(m, "Entries", R"(The time entries of an engagement: a live sequence of Entry over its columns.

    ``len(entries)``, ``entries[i]``, iteration; ``append(entry)`` / ``extend(entries)`` check the
    new entries first (nothing is added when one breaks a rule); ``starts``, ``seconds``,
    ``kinds``, ``requests`` are numpy copies of the columns; bulk additions go through
    ``Engagement.add_entries``.)")
      .def("__len__", [](const EntriesView& v) { return v.engagement->journal.entries.size(); })
      .def("__getitem__",
           [](const EntriesView& v, std::int64_t i) {
             return entry_value(*v.engagement, checked_index(i, v.engagement->journal.entries.size()));
           })
      .def("__getitem__",
           [](const EntriesView& v, const py::slice& s) {
             std::size_t start = 0, stop = 0, step = 0, length = 0;
             if (!s.compute(v.engagement->journal.entries.size(), &start, &stop, &step, &length)) throw py::error_already_set();
             py::list out;
             for (std::size_t k = 0; k < length; ++k, start += step) out.append(entry_value(*v.engagement, start));
             return out;
           })
      .def("append",
           [](EntriesView& v, const EntryValue& e) {
             append_entries(*v.engagement, resolved_entries(*v.engagement, py::make_tuple(e), v.engagement->journal.entries.size()));
           },
           "entry"_a, "Appends one entry after checking it.")
      .def("extend",
           [](EntriesView& v, const py::iterable& items) {
             append_entries(*v.engagement, resolved_entries(*v.engagement, items, v.engagement->journal.entries.size()));
           },
           "entries"_a, "Appends entries after checking them all; nothing is added when one breaks a rule.")
      .def_property_readonly("starts", [](const EntriesView& v) {
        const auto starts = v.engagement->journal.entries.starts();
        std::vector<std::int64_t> ns(starts.size());
        for (std::size_t i = 0; i < ns.size(); ++i)
          ns[i] = nanoseconds_of(starts[i], [&] { return "entries[" + std::to_string(i) + "].start"; });
        return owned_array(std::move(ns), py::dtype("datetime64[ns]"));
      }, "Start times as datetime64[ns] (a copy).")
      .def_property_readonly("seconds", [](const EntriesView& v) {
        const auto s = v.engagement->journal.entries.seconds();
        return owned_array(std::vector<Seconds>(s.begin(), s.end()));
      }, "Raw seconds as int64 (a copy).")
      .def_property_readonly("kinds", [](const EntriesView& v) {
        const auto k = v.engagement->journal.entries.kinds();
        std::vector<std::uint8_t> codes(k.size());
        for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<std::uint8_t>(k[i]);
        return owned_array(std::move(codes));
      }, "Kinds as uint8 codes, indexes into kontingent.ENTRY_KINDS (a copy).")
      .def_property_readonly("requests", [](const EntriesView& v) {
        const auto r = v.engagement->journal.entries.requests();
        return owned_array(std::vector<RequestIndex>(r.begin(), r.end()));
      }, "Request of each entry as int32 index into the engagement's requests, -1 for none (a copy).")
      .def("__eq__", [](const EntriesView& a, const EntriesView& b) {
        if (a.engagement->journal.entries.size() != b.engagement->journal.entries.size()) return false;
        for (std::size_t i = 0; i < a.engagement->journal.entries.size(); ++i)
          if (!(entry_value(*a.engagement, i) == entry_value(*b.engagement, i))) return false;
        return true;
      }, py::is_operator())
      .def("__repr__", [](const EntriesView& v) {
        return "<Entries of engagement '" + v.engagement->id + "': " + std::to_string(v.engagement->journal.entries.size()) + ">";
      })
      .attr("__hash__") = py::none();

  m.attr("ENTRY_KINDS") = names_tuple<EntryKind>();
  m.attr("_LONGEST_ENTRY_SECONDS") = limits::longest_entry_seconds;  // frames.py refuses longer ones before they wrap
  m.attr("CATEGORIES") = names_tuple<Category>();
  m.attr("ENTRY_USES") = names_tuple<EntryUse>();
  m.attr("ALERTS") = names_tuple<Alert>();
}

}  // namespace kontingent::python
