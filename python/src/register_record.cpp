// Keeping a book from Python: Book.record (the library's record(): the same checks and messages as
// the readers), Book.quote (docs/cli.md) and Book.status. The binding converts and delegates.
#include "journal_values.hpp"
#include "serialization.hpp"
#include "kontingent/quote.hpp"
#include "kontingent/status.hpp"
#include "kontingent/writers/quote.hpp"
#include "kontingent/writers/status.hpp"

namespace kontingent::python {
namespace {

/// The engagement of `book` with `id`, or KeyError.
const Engagement& engagement_named(const Book& book, const std::string& id) {
  if (const Engagement* e = book.find_engagement(id)) return *e;
  throw py::key_error("no engagement \"" + id + "\" in this book");
}

/// An Entry, Request, Appointment, Invoice or Payment for engagement `e`, as an event; its money
/// in the engagement's currency.
Event event_of(const Engagement& e, py::handle item) {
  if (py::isinstance<EntryValue>(item)) {
    const auto& v = item.cast<const EntryValue&>();
    return NewEntry{e.id, v.start, v.seconds, v.kind, v.request, v.note, v.written_as_minutes};
  }
  if (py::isinstance<Request>(item)) {
    Request r = item.cast<Request>();
    rebase(r, e.currency);
    return NewRequest{e.id, std::move(r)};
  }
  if (py::isinstance<Appointment>(item)) return NewAppointment{e.id, item.cast<Appointment>()};
  if (py::isinstance<Invoice>(item)) {
    Invoice i = item.cast<Invoice>();
    rebase(i, e.currency);
    return NewInvoice{e.id, std::move(i)};
  }
  if (py::isinstance<Payment>(item)) {
    Payment p = item.cast<Payment>();
    rebase(p, e.currency);
    return NewPayment{e.id, std::move(p)};
  }
  throw py::type_error("an event is an Entry, Request, Appointment, Invoice or Payment, not " +
                       py::str(py::type::handle_of(item).attr("__name__")).cast<std::string>());
}

std::vector<Event> events_of(const Book& book, const std::string& engagement, const py::args& items) {
  const Engagement& e = engagement_named(book, engagement);
  std::vector<Event> events;
  for (py::handle item : items) events.push_back(event_of(e, item));
  return events;
}

py::dict amounts(const CategoryAmounts& values) {
  py::dict out;
  for (std::size_t c = 0; c < category_count; ++c) out[py::str(word_of(static_cast<Category>(c)))] = py::cast(values.values[c]);
  return out;
}

}  // namespace

void register_record(py::module_& m) {
  auto quote_class = py::class_<Quote>(m, "Quote", R"(What events would cost under an engagement's terms and history (docs/cli.md).

    ``price`` (dict category → Decimal) is exactly the change in billable amounts that recording the
    events makes, as of ``as_of``; ``facts`` say why ("revision round 3, 2 included: …").)")
      .def_readonly("engagement", &Quote::engagement)
      .def_property_readonly("currency", [](const Quote& q) { return std::string(q.currency.code()); })
      .def_readonly("as_of", &Quote::as_of)
      .def_property_readonly("price", [](const Quote& q) { return amounts(q.price); }, "category → Decimal, all seven")
      .def_readonly("total", &Quote::total)
      .def_readonly("facts", &Quote::facts)
      .def("to_json", [](const Quote& q) { return to_json(q); }, "The quote as JSON (kontingent-quote/1).")
      .def("__str__", [](const Quote& q) { return to_text(q); })
      .def("__repr__", [](const Quote& q) {
        return "<Quote for '" + q.engagement + "': " + q.total.to_display_string() + ">";
      });
  add_value_protocol(quote_class);
  add_pickle(quote_class);

  py::reinterpret_borrow<py::class_<Engagement>>(m.attr("Engagement"))
      .def(
          "next_request_id",
          [](const Engagement& e, const std::string& kind) {
            const auto k = from_name<RequestKind>(kind);
            if (!k) throw py::value_error("kind is \"revision\" or \"change\", not \"" + kind + "\"");
            return next_request_id(e, *k);
          },
          "kind"_a = "revision", "The first request id of the kind not used yet: R1, R2, … or C1, C2, ….");

  auto book = py::reinterpret_borrow<py::class_<Book>>(m.attr("Book"));
  book.def(
          "record",
          [](Book& b, const std::string& engagement, const py::args& items) {
            // In place, all or nothing: the book's engagements stay the objects Python holds.
            std::vector<Event> events = events_of(b, engagement, items);
            const auto held = changing(b);
            return record_all(b, events);
          },
          "engagement"_a,
          "Records events — Entry, Request, Appointment, Invoice or Payment — in the engagement, each checked by the "
          "rules a book file is read with (ValidationError naming the place, and nothing recorded, when one breaks a "
          "rule). Returns the places they got (\"engagements[0].entries[10]\"). Changes this book in memory; "
          "Book.update(path, ...) records into a file under its lock.")
      .def(
          "quote",
          [](const Book& b, const std::string& engagement, const py::args& items, std::optional<Date> as_of) {
            return quote(b, events_of(b, engagement, items), as_of);
          },
          "engagement"_a, py::kw_only(), "as_of"_a = py::none(),
          "What the events (not in the book yet: a Request and the Entry of its expected work, a call Entry, a missed "
          "Appointment, …) would cost now: Quote.price is the change in billable amounts that recording them makes. "
          "Never changes the book.")
      .def(
          "_status_json",
          [](const Book& b, std::optional<Date> as_of) { return to_json(status(b, as_of)); }, "as_of"_a = py::none());
}

}  // namespace kontingent::python
