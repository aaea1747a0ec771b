// Engagement and Book. Every engagement reachable from Python is valid (docs/formats.md, the rules that
// concern one engagement): it is checked when it is made, and every change to it is checked and
// undone when it breaks a rule. A book is checked whole when it is made, loaded and evaluated.
#include <pybind11/stl/filesystem.h>

#include "journal_values.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/store.hpp"
#include "serialization.hpp"

namespace kontingent::python {
namespace {

/// Runs `f` on a book made of `e` alone (and its client), moving `e` in and back out: a change to
/// `e` as far as other threads can tell, so only for new engagements or under changing(e).
template <class F>
auto with_book_of(Engagement& e, F&& f) {
  Book book;
  // A stand-in for the client: the client's own fields, and the rules that need them (reverse
  // charge needs its vat_id), are the whole book's to check, not the engagement's.
  Client stand_in;
  stand_in.id = stand_in.name = e.client;
  stand_in.vat_id = "-";
  book.clients.push_back(std::move(stand_in));
  book.engagements.push_back(std::move(e));
  struct MoveBack {
    Book& book;
    Engagement& e;
    ~MoveBack() { e = std::move(book.engagements.front()); }
  } move_back{book, e};
  return f(static_cast<const Book&>(book));
}

/// The book an engagement lives in: book.engagements hands each one out with its book as the
/// keep-alive patient (engagement_of); nullptr for an engagement of its own.
const Book* book_of(py::handle engagement) {
  const auto& patients = py::detail::get_internals().patients;
  if (const auto found = patients.find(engagement.ptr()); found != patients.end())
    for (PyObject* patient : found->second)
      if (py::isinstance<Book>(patient)) return &py::handle(patient).cast<const Book&>();
  return nullptr;
}

/// Assigns `value` to `field` of `e`, keeping the old value when the engagement then breaks a rule.
/// With the `book` it lives in, also the rules that tie it to the rest of the book (a unique id, a
/// known client, reverse charge against the client's VAT id, invoice ids unique in the book), under
/// a hold on the whole book, whose other engagements those rules read.
template <class T>
void set_checked(Engagement& e, T& field, T value, const Book* book = nullptr) {
  const auto held = book ? changing(*book) : changing(e);
  T old = std::exchange(field, std::move(value));
  try {
    validate_engagement(e);
    if (book) detail::validate_across(*book);
  } catch (...) {
    field = std::move(old);
    throw;
  }
}

template <class T>
py::tuple tuple_of(const std::vector<T>& items) {
  py::tuple out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) out[i] = py::cast(items[i]);
  return out;
}

template <class T>
std::vector<T> rebased_list(const py::iterable& items, Currency c) {
  std::vector<T> out;
  for (py::handle item : items) {
    out.push_back(item.cast<T>());
    rebase(out.back(), c);
  }
  return out;
}

Currency currency_of(const std::string& code) {
  if (!Currency::valid(code)) throw validation_error("currency", "must be 3 capital letters like \"EUR\", got \"" + code + "\"");
  return Currency(code);
}

/// New requests for `e`: entries keep naming the same request ids (their indices are remapped).
void set_requests(Engagement& e, std::vector<Request> requests) {
  const Entries& entries = e.journal.entries;
  Journal probe;
  probe.requests = std::move(requests);
  std::vector<RequestIndex> remap(e.journal.requests.size(), no_request);
  for (std::size_t r = 0; r < remap.size(); ++r) remap[r] = probe.find_request(e.journal.requests[r].id);
  Entries remapped;
  remapped.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    RequestIndex r = entries.requests()[i];
    if (r != no_request) {
      const RequestIndex to = remap[static_cast<std::size_t>(r)];
      if (to == no_request)
        throw validation_error("entries[" + std::to_string(i) + "].request",
                               "names request \"" + e.journal.requests[static_cast<std::size_t>(r)].id +
                                   "\", which is no longer among the requests");
      r = to;
    }
    remapped.push_back(entries.starts()[i], entries.seconds()[i], entries.kinds()[i], r, entries.note(i),
                       entries.written_as_minutes(i));
  }
  const auto held = changing(e);
  std::vector<Request> old_requests = std::exchange(e.journal.requests, std::move(probe.requests));
  Entries old_entries = std::exchange(e.journal.entries, std::move(remapped));
  try {
    validate_engagement(e);
  } catch (...) {
    e.journal.requests = std::move(old_requests);
    e.journal.entries = std::move(old_entries);
    throw;
  }
}

std::string date_text(const Date& d) { return format_date(clock_days(d)); }

std::string engagement_repr(const Engagement& e) {
  std::string s = "<Engagement '" + e.id + "' of client '" + e.client + "': " + word_of(e.terms.pricing) + ", " +
                  std::string(e.currency.code()) + ", " + date_text(e.start);
  if (e.end) s += " to " + date_text(*e.end);
  return s + ", " + std::to_string(e.journal.entries.size()) + " entries>";
}

Book load(const std::filesystem::path& file) {
  py::gil_scoped_release unlocked;
  return load_book(file);
}

void save(const Book& book, const std::filesystem::path& file) {
  const auto held = reading(book);
  py::gil_scoped_release unlocked;
  save_book(book, file);
}

/// The live Python object of an engagement of `book`: the existing one if Python holds it already
/// (so that repeated access does not pile up keep-alive references), else a new reference that
/// keeps the book alive.
py::object engagement_of(Engagement& e, py::handle book) {
  if (py::handle existing = py::detail::get_object_handle(&e, py::detail::get_type_info(typeid(Engagement))))
    return py::reinterpret_borrow<py::object>(existing);
  return py::cast(&e, py::return_value_policy::reference_internal, book);
}

py::object find_engagement(py::object self, const std::string& id) {
  for (Engagement& e : self.cast<Book&>().engagements)
    if (e.id == id) return engagement_of(e, self);
  throw py::key_error("no engagement \"" + id + "\" in this book");
}

}  // namespace

void rethrow_inside_engagement(const validation_error& e) {
  std::string path = e.path();
  constexpr std::string_view prefix = "engagements[0]";
  if (path.starts_with(prefix)) {
    path.erase(0, prefix.size());
    if (!path.empty() && path.front() == '.') path.erase(0, 1);
  }
  throw validation_error(path, e.rule());
}

void validate_engagement(Engagement& e) {
  try {
    with_book_of(e, [](const Book& book) { validate(book); return 0; });
  } catch (const validation_error& err) {
    rethrow_inside_engagement(err);
  }
}

void rebase(Engagement& e, Currency c) {
  rebase(e.terms, c);
  for (Request& r : e.journal.requests) rebase(r, c);
  for (Invoice& i : e.journal.invoices) rebase(i, c);
  for (Payment& p : e.journal.payments) rebase(p, c);
}

void register_book(py::module_& m) {
  auto engagement = py::class_<Engagement>(m, "Engagement", R"(One agreement with one client: its terms and everything that happened.

    ``Engagement(id=..., client=..., currency="EUR", start=date(...), terms=Terms(...), end=None,
    review_by=None, title="", requests=[...], entries=[...], appointments=[...], invoices=[...],
    payments=[...])``. Amounts given in Python are in the engagement's currency. The engagement is
    checked (docs/formats.md) when it is made and whenever it changes; a change that breaks a rule raises
    ValidationError and is undone.)");
  engagement
      .def(py::init([](std::string id, std::string client, const std::string& currency, const Date& start,
                       const Terms& terms, std::optional<Date> end, std::optional<Date> review_by, std::string title,
                       const py::iterable& requests, const py::iterable& entries, const py::iterable& appointments,
                       const py::iterable& invoices, const py::iterable& payments) {
             Engagement e;
             e.id = std::move(id), e.client = std::move(client), e.title = std::move(title);
             e.currency = currency_of(currency);
             e.start = start, e.end = end, e.review_by = review_by;
             e.terms = terms;
             rebase(e.terms, e.currency);
             e.journal.requests = rebased_list<Request>(requests, e.currency);
             e.journal.entries = resolved_entries(e, entries, 0);
             for (py::handle a : appointments) e.journal.appointments.push_back(a.cast<Appointment>());
             e.journal.invoices = rebased_list<Invoice>(invoices, e.currency);
             e.journal.payments = rebased_list<Payment>(payments, e.currency);
             validate_engagement(e);
             return e;
           }),
           py::kw_only(), "id"_a, "client"_a, "currency"_a, "start"_a, "terms"_a, "end"_a = py::none(),
           "review_by"_a = py::none(), "title"_a = "", "requests"_a = py::tuple(), "entries"_a = py::tuple(),
           "appointments"_a = py::tuple(), "invoices"_a = py::tuple(), "payments"_a = py::tuple())
      .def_property("id", [](const Engagement& e) { return e.id; },
                    [](py::object self, std::string v) {
                      Engagement& e = self.cast<Engagement&>();
                      set_checked(e, e.id, std::move(v), book_of(self));
                    })
      .def_property("client", [](const Engagement& e) { return e.client; },
                    [](py::object self, std::string v) {
                      Engagement& e = self.cast<Engagement&>();
                      set_checked(e, e.client, std::move(v), book_of(self));
                    })
      .def_property("title", [](const Engagement& e) { return e.title; },
                    [](Engagement& e, std::string v) {
                      const auto held = changing(e);
                      e.title = std::move(v);
                    })
      .def_property(
          "currency", [](const Engagement& e) { return std::string(e.currency.code()); },
          [](Engagement& e, const std::string& code) {
            const Currency currency = currency_of(code);
            const auto held = changing(e);
            e.currency = currency;
            rebase(e, e.currency);
          },
          "ISO 4217 code; changing it relabels every amount of the engagement (no conversion).")
      .def_property("start", [](const Engagement& e) { return e.start; },
                    [](Engagement& e, const Date& d) { set_checked(e, e.start, d); })
      .def_property("end", [](const Engagement& e) { return e.end; },
                    [](Engagement& e, std::optional<Date> d) { set_checked(e, e.end, d); })
      .def_property("review_by", [](const Engagement& e) { return e.review_by; },
                    [](Engagement& e, std::optional<Date> d) { set_checked(e, e.review_by, d); })
      .def_property(
          "terms", [](const Engagement& e) {
            Terms t = e.terms;
            rebase(t, no_currency);
            return t;
          },
          [](py::object self, Terms t) {
            Engagement& e = self.cast<Engagement&>();
            rebase(t, e.currency);
            set_checked(e, e.terms, std::move(t), book_of(self));
          },
          "The terms (a copy: assign new terms, e.g. ``e.terms = e.terms.replace(call_fee=...)``).")
      .def_property(
          "requests", [](const Engagement& e) {
            std::vector<Request> copy = e.journal.requests;
            for (Request& r : copy) rebase(r, no_currency);
            return tuple_of(copy);
          },
          [](Engagement& e, const py::iterable& items) { set_requests(e, rebased_list<Request>(items, e.currency)); },
          "Requests as a tuple; assigning a new list keeps entries naming their requests by id.")
      .def_property(
          "entries",
          // keep_alive must be part of the getter itself: def_property's extras do not apply it.
          py::cpp_function([](Engagement& e) { return EntriesView{&e}; }, py::keep_alive<0, 1>()),
          [](Engagement& e, const py::iterable& items) {
            Entries entries = resolved_entries(e, items, 0);
            set_checked(e, e.journal.entries, std::move(entries));
          },
          "The time entries: a live sequence (see Entries); assign an iterable of Entry to replace them.")
      .def_property(
          "appointments", [](const Engagement& e) { return tuple_of(e.journal.appointments); },
          [](Engagement& e, const py::iterable& items) {
            std::vector<Appointment> v;
            for (py::handle a : items) v.push_back(a.cast<Appointment>());
            set_checked(e, e.journal.appointments, std::move(v));
          })
      .def_property(
          "invoices", [](const Engagement& e) {
            std::vector<Invoice> copy = e.journal.invoices;
            for (Invoice& i : copy) rebase(i, no_currency);
            return tuple_of(copy);
          },
          [](py::object self, const py::iterable& items) {
            Engagement& e = self.cast<Engagement&>();
            set_checked(e, e.journal.invoices, rebased_list<Invoice>(items, e.currency), book_of(self));
          })
      .def_property(
          "payments", [](const Engagement& e) {
            std::vector<Payment> copy = e.journal.payments;
            for (Payment& p : copy) rebase(p, no_currency);
            return tuple_of(copy);
          },
          [](Engagement& e, const py::iterable& items) {
            set_checked(e, e.journal.payments, rebased_list<Payment>(items, e.currency));
          })
      .def(
          "evaluate",
          [](py::object self, std::optional<Date> as_of) {
            const Engagement& e = self.cast<const Engagement&>();
            const Book* book = book_of(self);
            const auto held = book ? reading(*book) : reading(e);
            const Date day = as_of ? *as_of : default_as_of(e);
            if (e.start > day)
              throw py::value_error("engagement \"" + e.id + "\" starts " + date_text(e.start) + ", after the as-of date " +
                                    date_text(day) + ": a report leaves it out");
            // Invoices without a due date fall due after the client's payment days (SPEC §10).
            const Client* client = book ? book->find_client(e.client) : nullptr;
            const std::int64_t payment_days = client ? client->days_to_pay() : default_payment_days;
            py::gil_scoped_release unlocked;
            return evaluate(e, day, payment_days);
          },
          "as_of"_a = py::none(),
          "The report of this engagement as of a date (default: its latest event, docs/formats.md), as Book.evaluate "
          "gives it; ValueError for a date before its start. An engagement of its own has no client: its invoices "
          "without a due date fall due after 30 days.")
      .def(
          "contingent_periods",
          [](Engagement& e, std::optional<Date> as_of) {
            const Date day = as_of ? *as_of : default_as_of(e);
            const std::vector<ContingentUse> periods = billing::contingent_periods(e.terms, tally(e, day));
            py::list out;
            const std::int32_t first = month_number(clock_days(e.start));
            for (std::size_t i = 0; i < periods.size(); ++i) {
              Date begins = e.start;
              if (e.terms.pricing == Pricing::retainer) {
                const std::int32_t month = first + static_cast<std::int32_t>(i);
                begins = Date(static_cast<unsigned short>(month / 12), static_cast<unsigned short>(month % 12 + 1), 1);
              }
              out.append(py::make_tuple(begins, periods[i]));
            }
            return out;
          },
          "as_of"_a = py::none(),
          "Contingent use per period as (first day, ContingentUse): the block, or each retainer month counted in base "
          "(its available hours include the carry). Empty for fixed and hourly.")
      .def("__repr__", &engagement_repr);
  add_value_protocol(engagement);
  add_pickle(engagement, [](Engagement& e) { validate_engagement(e); });

  py::tuple formats(book_formats().size());
  for (std::size_t i = 0; i < book_formats().size(); ++i) formats[i] = py::str(std::string(book_formats()[i].extension));
  m.attr("BOOK_FORMATS") = formats;

  auto book = py::class_<Book>(m, "Book", R"(All clients and engagements of one freelancer or studio.

    ``Book(clients=[Client(...)], engagements=[Engagement(...)], owner=None)`` copies them and checks
    the whole book (docs/formats.md). ``book.engagements`` are live: changing one changes the book.
    ``owner`` (an Owner, book version 2) is the seller, needed to draft invoices.)");
  book.def(py::init([](const py::iterable& clients, const py::iterable& engagements, std::optional<Owner> owner) {
             Book b;
             for (py::handle c : clients) b.clients.push_back(c.cast<Client>());
             for (py::handle e : engagements) b.engagements.push_back(e.cast<const Engagement&>());
             b.owner = std::move(owner);
             validate(b);
             return b;
           }),
           py::kw_only(), "clients"_a = py::tuple(), "engagements"_a = py::tuple(), "owner"_a = py::none())
      .def_property(
          "owner", [](const Book& b) { return b.owner; },
          [](Book& b, std::optional<Owner> owner) {
            const auto held = changing(b);
            std::optional<Owner> old = std::exchange(b.owner, std::move(owner));
            try {
              detail::validate_across(b);  // the owner's own rules, and reverse charge against the clients
            } catch (...) {
              b.owner = std::move(old);
              throw;
            }
          },
          "The seller (book version 2), None without one. Assigning checks it against the book (and keeps the old "
          "owner when it breaks a rule); a book with an owner saves as \"kontingent-book/2\".")
      .def_property_readonly("format_version", [](const Book& b) { return first_version_2_field(b).empty() ? 1 : 2; },
                             "1, or 2 once the book uses a field of version 2 (docs/formats.md): the version a saved book "
                             "says (\"kontingent-book/1\" or \"kontingent-book/2\").")
      .def_static("load", &load, "path"_a,
                  ("Reads and checks a book file in the format its extension names: " + book_format_list() + ".").c_str())
      .def_static("from_json", [](std::string_view text) {
        py::gil_scoped_release unlocked;
        return parse_book_json(text);
      }, "text"_a, "Reads and checks a book from JSON text.")
      .def_static(
          "update",
          [](const std::filesystem::path& file, const py::function& change) {
            const std::unique_ptr<BookStore> store = open_book(file);
            BookLock held;
            py::object book;
            {
              py::gil_scoped_release unlocked;  // waiting for another writer must not stop Python
              held = store->lock();
              Book loaded = store->load();
              py::gil_scoped_acquire locked;
              book = py::cast(std::move(loaded));
            }
            change(book);
            const Book& changed = book.cast<const Book&>();
            const auto reading_it = reading(changed);
            py::gil_scoped_release unlocked;
            store->save(changed);
            return book;
          },
          "path"_a, "change"_a,
          "Loads the book file, calls change(book) and saves the book, all while holding the book's writers' lock: "
          "concurrent writers queue and none of their changes is lost. Nothing is written if change raises or the "
          "changed book breaks a rule. Returns the saved book.")
      .def("save", &save, "path"_a,
           ("Writes the book atomically, under the book's writers' lock, in the format its extension names: " +
            book_format_list() + ".").c_str())
      .def("to_json", [](const Book& b) { return to_json(b); }, "The book as JSON text (docs/formats.md).")
      .def_property_readonly("clients", [](const Book& b) { return tuple_of(b.clients); })
      .def_property_readonly("engagements", [](py::object self) {
        Book& b = self.cast<Book&>();
        py::tuple out(b.engagements.size());
        for (std::size_t i = 0; i < b.engagements.size(); ++i)
          out[i] = engagement_of(b.engagements[i], self);
        return out;
      }, "The engagements, live (a tuple: the book's list of engagements is fixed once made).")
      .def("engagement", &find_engagement, "id"_a,
           "The engagement with this id (live); KeyError when there is none.")
      .def("__getitem__", &find_engagement, "id"_a)
      .def("client", [](const Book& b, const std::string& id) {
        if (const Client* c = b.find_client(id)) return *c;
        throw py::key_error("no client \"" + id + "\" in this book");
      }, "id"_a)
      .def(
          "evaluate",
          [](const Book& b, std::optional<Date> as_of, unsigned threads) {
            const auto held = reading(b);
            py::gil_scoped_release unlocked;
            validate(b);
            return evaluate(b, as_of, threads);
          },
          "as_of"_a = py::none(), "threads"_a = 0,
          "The report of every engagement started by the as-of date (default: the book's latest event, docs/formats.md). "
          "Runs without the GIL, engagements in parallel on up to `threads` threads (0: one per core).")
      .def("latest_event_date", [](const Book& b) { return latest_event_date(b); },
           "The latest date of any entry, request, appointment, invoice or payment (docs/formats.md); None without events.")
      .def("default_as_of", [](const Book& b) { return default_as_of(b); },
           "The as-of date evaluate() takes by default: the latest event's date, else the latest engagement start; "
           "None for a book without engagements.")
      .def("__repr__", [](const Book& b) {
        std::size_t entries = 0;
        for (const Engagement& e : b.engagements) entries += e.journal.entries.size();
        return "<Book: " + std::to_string(b.clients.size()) + " clients, " + std::to_string(b.engagements.size()) +
               " engagements, " + std::to_string(entries) + " entries>";
      });
  add_value_protocol(book);
  add_pickle(book, [](Book& b) { validate(b); });
}

}  // namespace kontingent::python
