// Bulk paths between books and numpy: whole columns cross the boundary as arrays whose buffers C++
// filled (owned by capsules, no second copy), never as one Python object per entry. The pandas
// side (Categoricals, DataFrames) is assembled in kontingent/frames.py.
#include <unordered_map>

#include "journal_values.hpp"

namespace kontingent::python {
namespace {

using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;
using UInt8Array = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

/// Unique strings in order of first appearance, with their codes.
struct Codes {
  std::unordered_map<std::string, std::int32_t> index;
  std::vector<std::string> values;
  std::int32_t code(const std::string& s) {
    auto [it, added] = index.try_emplace(s, static_cast<std::int32_t>(values.size()));
    if (added) values.push_back(s);
    return it->second;
  }
};

py::list list_of(const std::vector<std::string>& values) {
  py::list out;
  for (const std::string& v : values) out.append(py::str(v));
  return out;
}

/// One row per entry of `engagements`, classified as of `as_of` by the evaluation's own per-entry step.
/// The caller holds reading() over the engagements. Places in errors start with `engagements[k].`
/// when the engagements are a book's.
py::dict entries_columns(const std::vector<const Engagement*>& engagements, const std::vector<std::string>& client_ids,
                         Date as_of, bool notes, bool of_book) {
  std::size_t n = 0;
  for (const Engagement* e : engagements) n += e->journal.entries.size();
  std::vector<std::int32_t> engagement(n), client(n), request(n), round(n);
  std::vector<std::int64_t> start_ns(n), seconds(n), billed(n);
  std::vector<std::int8_t> kind(n), use(n), category(n);
  std::vector<std::uint8_t> rush(n);
  Codes clients, requests;
  for (const std::string& id : client_ids) clients.code(id);
  {
    py::gil_scoped_release unlocked;
    std::size_t row = 0;
    for (std::size_t k = 0; k < engagements.size(); ++k) {
      const Engagement& e = *engagements[k];
      Tally scratch;
      const TallyRules rules = begin_tally(e, as_of, scratch);
      std::vector<std::int32_t> request_code(e.journal.requests.size());
      for (std::size_t r = 0; r < request_code.size(); ++r) request_code[r] = requests.code(e.journal.requests[r].id);
      const std::int32_t client_code = clients.code(e.client);
      const Entries& entries = e.journal.entries;
      const auto starts = entries.starts();
      const auto raw = entries.seconds();
      const auto kinds = entries.kinds();
      const auto request_of = entries.requests();
      for (std::size_t i = 0; i < entries.size(); ++i, ++row) {
        const RequestIndex r = request_of[i];
        if (r != no_request && (r < 0 || static_cast<std::size_t>(r) >= request_code.size()))
          throw validation_error("engagements[" + std::to_string(k) + "].entries[" + std::to_string(i) + "].request",
                                 "unknown request #" + std::to_string(r));
        const EntryBilling b = bill_entry(rules.terms, rules.requests, kinds[i], r, raw[i]);
        const bool counted = starts[i] < rules.cut_off;
        engagement[row] = static_cast<std::int32_t>(k);
        client[row] = client_code;
        start_ns[row] = nanoseconds_of(starts[i], [&] {
          return (of_book ? "engagements[" + std::to_string(k) + "]." : std::string()) + "entries[" + std::to_string(i) +
                 "].start";
        });
        seconds[row] = raw[i];
        billed[row] = b.billed;
        kind[row] = static_cast<std::int8_t>(kinds[i]);
        request[row] = r == no_request ? -1 : request_code[static_cast<std::size_t>(r)];
        round[row] = r == no_request ? 0 : rules.requests.round[static_cast<std::size_t>(r)];
        use[row] = counted ? static_cast<std::int8_t>(b.use) : -1;
        const std::optional<Category> c = category_of(b.use);
        category[row] = counted && c ? static_cast<std::int8_t>(*c) : -1;
        rush[row] = counted && b.rush;
      }
    }
  }
  py::dict out;
  std::vector<std::string> engagement_ids;
  for (const Engagement* e : engagements) engagement_ids.push_back(e->id);
  out["engagements"] = list_of(engagement_ids);
  out["clients"] = list_of(clients.values);
  out["requests"] = list_of(requests.values);
  out["engagement"] = owned_array(std::move(engagement));
  out["client"] = owned_array(std::move(client));
  out["start"] = owned_array(std::move(start_ns), py::dtype("datetime64[ns]"));
  out["seconds"] = owned_array(std::move(seconds));
  out["billed_seconds"] = owned_array(std::move(billed));
  out["kind"] = owned_array(std::move(kind));
  out["request"] = owned_array(std::move(request));
  out["round"] = owned_array(std::move(round));
  out["use"] = owned_array(std::move(use));
  out["category"] = owned_array(std::move(category));
  out["rush"] = owned_array(std::move(rush), py::dtype("bool"));
  if (notes) {
    py::array note(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)}, std::vector<py::ssize_t>{});  // None-filled
    auto** cells = static_cast<PyObject**>(note.mutable_data());
    const py::str empty("");
    std::size_t row = 0;
    for (const Engagement* e : engagements)
      for (std::size_t i = 0; i < e->journal.entries.size(); ++i, ++row) {
        const std::string_view text = e->journal.entries.note(i);
        py::object cell = text.empty() ? py::object(empty) : py::object(py::str(text.data(), text.size()));
        Py_XDECREF(cells[row]);
        cells[row] = cell.release().ptr();
      }
    out["note"] = note;
  }
  out["as_of"] = py::cast(as_of);
  return out;
}

/// Columns of new entries, as frames.py normalised them.
struct EntryColumns {
  Int64Array start;    // seconds since 1970 on the wall clock
  Int64Array seconds;  // raw seconds
  UInt8Array kind;     // EntryKind codes
  Int32Array request;  // codes into request_ids, -1 for none
  std::vector<std::string> request_ids;
  py::object note;     // None or an object array of str / None

  std::size_t size() const { return static_cast<std::size_t>(start.size()); }
  void check() const {
    const auto n = start.size();
    if (seconds.size() != n || kind.size() != n || request.size() != n)
      throw py::value_error("entry columns differ in length");
    for (std::size_t i = 0; i < size(); ++i)
      if (kind.data()[i] >= entry_kind_count) throw validation_error("entries[" + std::to_string(i) + "].kind", "unknown entry kind code");
  }
};

/// Note texts of the rows (views into the Python strings, which `columns.note` keeps alive).
std::vector<std::string_view> note_texts(const EntryColumns& columns) {
  std::vector<std::string_view> out(columns.size());
  if (columns.note.is_none()) return out;
  const auto notes = py::array::ensure(columns.note, py::array::c_style);
  if (!notes || notes.dtype().kind() != 'O' || notes.ndim() != 1 || static_cast<std::size_t>(notes.size()) != columns.size())
    throw py::value_error("note column must be a 1-d object array as long as the others");
  auto* const* cells = static_cast<PyObject* const*>(notes.data());
  for (std::size_t i = 0; i < out.size(); ++i) {
    PyObject* cell = cells[i];
    if (PyUnicode_Check(cell)) {
      Py_ssize_t size = 0;
      const char* text = PyUnicode_AsUTF8AndSize(cell, &size);
      if (!text) throw py::error_already_set();
      out[i] = {text, static_cast<std::size_t>(size)};
    } else if (cell != Py_None && !PyFloat_Check(cell)) {  // NaN is pandas' "no value"
      throw validation_error("entries[" + std::to_string(i) + "].note", "a note is a str");
    }
  }
  return out;
}

/// Resolves request codes to indices in `e`'s requests; cache[c] is -2 until code c was looked up.
RequestIndex resolve(const Engagement& e, std::vector<RequestIndex>& cache, const std::vector<std::string>& ids,
                     std::int32_t code, std::size_t row) {
  if (code < 0) return no_request;
  if (static_cast<std::size_t>(code) >= ids.size()) throw py::value_error("request code out of range");
  RequestIndex& r = cache[static_cast<std::size_t>(code)];
  if (r == -2) r = request_index(e, ids[static_cast<std::size_t>(code)], "entries[" + std::to_string(row) + "].request");
  return r;
}

void add_entry_columns(Engagement& e, EntryColumns columns) {
  columns.check();
  const auto notes = note_texts(columns);
  const std::size_t first = e.journal.entries.size();
  std::vector<RequestIndex> cache(columns.request_ids.size(), -2);
  Entries entries;
  entries.reserve(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const Seconds s = columns.seconds.data()[i];
    entries.push_back(columns.start.data()[i], s, static_cast<EntryKind>(columns.kind.data()[i]),
                      resolve(e, cache, columns.request_ids, columns.request.data()[i], first + i), notes[i], s % 60 == 0);
  }
  // With the GIL held, like every change (common.hpp, changing): Python code reading the engagement
  // while holding the GIL never sees half of it.
  append_entries(e, entries);
}

Book with_entries(const Book& book, const Int32Array& engagement_codes, const std::vector<std::string>& engagement_ids,
                  EntryColumns columns) {
  columns.check();
  if (static_cast<std::size_t>(engagement_codes.size()) != columns.size()) throw py::value_error("entry columns differ in length");
  const auto notes = note_texts(columns);
  // Which engagement of the book each code names.
  std::vector<std::size_t> target(engagement_ids.size());
  for (std::size_t c = 0; c < engagement_ids.size(); ++c) {
    std::size_t k = 0;
    while (k < book.engagements.size() && book.engagements[k].id != engagement_ids[c]) ++k;
    if (k == book.engagements.size()) throw validation_error("entries", "unknown engagement \"" + engagement_ids[c] + "\"");
    target[c] = k;
  }
  const auto held = reading(book);
  py::gil_scoped_release unlocked;
  Book out;
  out.clients = book.clients;
  out.owner = book.owner;
  out.engagements.reserve(book.engagements.size());
  for (const Engagement& e : book.engagements) out.engagements.push_back(without_entries(e));
  const std::int32_t* codes = engagement_codes.data();
  std::vector<std::size_t> count(book.engagements.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (codes[i] < 0 || static_cast<std::size_t>(codes[i]) >= target.size())
      throw validation_error("entries[" + std::to_string(i) + "].engagement", "every entry needs its engagement");
    ++count[target[static_cast<std::size_t>(codes[i])]];
  }
  for (std::size_t k = 0; k < count.size(); ++k) out.engagements[k].journal.entries.reserve(count[k]);
  std::vector<std::vector<RequestIndex>> cache(book.engagements.size(), std::vector<RequestIndex>(columns.request_ids.size(), -2));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::size_t k = target[static_cast<std::size_t>(codes[i])];
    Engagement& e = out.engagements[k];
    const Seconds s = columns.seconds.data()[i];
    e.journal.entries.push_back(columns.start.data()[i], s, static_cast<EntryKind>(columns.kind.data()[i]),
                                resolve(e, cache[k], columns.request_ids, columns.request.data()[i], i), notes[i],
                                s % 60 == 0);
  }
  validate(out);
  return out;
}

py::dict report_columns(const Report& report) {
  const std::size_t n = report.engagements.size() * category_count;
  std::vector<std::int32_t> engagement(n);
  std::vector<std::int8_t> category(n);
  std::vector<std::int64_t> billable(n), invoiced(n), leakage(n);
  std::vector<std::string> ids, clients, currencies;
  for (std::size_t k = 0; k < report.engagements.size(); ++k) {
    const EngagementReport& r = report.engagements[k];
    ids.push_back(r.id), clients.push_back(r.client), currencies.emplace_back(r.currency.code());
    for (std::size_t c = 0; c < category_count; ++c) {
      const std::size_t row = k * category_count + c;
      engagement[row] = static_cast<std::int32_t>(k);
      category[row] = static_cast<std::int8_t>(c);
      billable[row] = r.billable.values[c].cents();
      invoiced[row] = r.invoiced.values[c].cents();
      leakage[row] = r.leakage.values[c].cents();
    }
  }
  py::dict out;
  out["engagements"] = list_of(ids);
  out["clients"] = list_of(clients);
  out["currencies"] = list_of(currencies);
  out["engagement"] = owned_array(std::move(engagement));
  out["category"] = owned_array(std::move(category));
  out["billable"] = owned_array(std::move(billable));
  out["invoiced"] = owned_array(std::move(invoiced));
  out["leakage"] = owned_array(std::move(leakage));
  return out;
}

EntryColumns entry_columns(Int64Array start, Int64Array seconds, UInt8Array kind, Int32Array request,
                           std::vector<std::string> request_ids, py::object note) {
  return {std::move(start), std::move(seconds), std::move(kind), std::move(request), std::move(request_ids), std::move(note)};
}

}  // namespace

void register_columns(py::module_& m) {
  m.def("_entries_columns",
        [](const Book& book, std::optional<Date> as_of, bool notes) {
          std::vector<const Engagement*> engagements;
          for (const Engagement& e : book.engagements) engagements.push_back(&e);
          std::vector<std::string> clients;
          for (const Client& c : book.clients) clients.push_back(c.id);
          const auto day = as_of ? as_of : default_as_of(book);
          const auto held = reading(book);
          return entries_columns(engagements, clients, day ? *day : boost::gregorian::day_clock::local_day(), notes, true);
        },
        "book"_a, "as_of"_a, "notes"_a);
  m.def("_entries_columns",
        [](Engagement& e, std::optional<Date> as_of, bool notes) {
          const Date day = as_of ? *as_of : default_as_of(e);
          const auto held = reading(e);
          return entries_columns({&e}, {e.client}, day, notes, false);
        },
        "engagement"_a, "as_of"_a, "notes"_a);
  m.def("_add_entry_columns",
        [](Engagement& e, Int64Array start, Int64Array seconds, UInt8Array kind, Int32Array request,
           std::vector<std::string> request_ids, py::object note) {
          add_entry_columns(e, entry_columns(std::move(start), std::move(seconds), std::move(kind), std::move(request),
                                             std::move(request_ids), std::move(note)));
        },
        "engagement"_a, "start"_a, "seconds"_a, "kind"_a, "request"_a, "request_ids"_a, "note"_a);
  m.def("_with_entries",
        [](const Book& book, Int32Array engagement, std::vector<std::string> engagement_ids, Int64Array start,
           Int64Array seconds, UInt8Array kind, Int32Array request, std::vector<std::string> request_ids, py::object note) {
          return with_entries(book, engagement, engagement_ids,
                              entry_columns(std::move(start), std::move(seconds), std::move(kind), std::move(request),
                                            std::move(request_ids), std::move(note)));
        },
        "book"_a, "engagement"_a, "engagement_ids"_a, "start"_a, "seconds"_a, "kind"_a, "request"_a, "request_ids"_a,
        "note"_a);
  m.def("_report_columns", &report_columns, "report"_a);
}

}  // namespace kontingent::python
