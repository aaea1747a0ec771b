// Time-tracker imports (kontingent/imports/csv.hpp): reading an export into columns, and importing it into
// a book. The rows, mapping rules and duplicate detection are the library's; errors become
// kontingent.ImportFileError(Error, ValueError) with .file .line .column .rule.
#include <pybind11/eval.h>

#include <filesystem>

#include "kontingent/imports/csv.hpp"

#include "common.hpp"

namespace kontingent::python {
namespace {

constexpr const char* import_error_class = R"(
class ImportFileError(Error, ValueError):
    """A time-tracker export (or a mapping) kontingent cannot read.

    ``file``, ``line`` and ``column`` say where (line and column count from 1; 0 when unknown),
    ``rule`` what is wrong; ``str(error)`` is ``"file:line:column: rule"``.
    """
    __module__ = "kontingent"

    def __init__(self, message, file="", line=0, column=0, rule=""):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.rule = rule or message

    def __reduce__(self):
        return (type(self), (self.args[0], self.file, self.line, self.column, self.rule))
)";

py::handle import_class;  // owned by the module

Tracker tracker_of(const std::string& name) { return word<Tracker>(name, "tracker"); }

std::string path_text(py::handle path) { return py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>(); }

/// None → defaults; dict → the mapping file's JSON; str / PathLike → a mapping file.
Mapping mapping_of(py::handle mapping) {
  if (mapping.is_none()) return {};
  if (py::isinstance<py::dict>(mapping)) {
    const auto text = py::module_::import("json").attr("dumps")(mapping).cast<std::string>();
    return parse_mapping_json(text, "mapping");
  }
  return load_mapping(std::filesystem::path(path_text(mapping)));
}

py::dict counts(const std::map<std::string, std::size_t>& m) {
  py::dict out;
  for (const auto& [key, n] : m) out[py::str(key)] = n;
  return out;
}

/// The export's rows as columns (lists and int64 arrays); Python makes the DataFrame.
py::dict export_columns(const TrackerExport& x) {
  const std::size_t n = x.rows.size();
  std::vector<std::int64_t> start(n), seconds(n), line(n);
  py::list client, project, task, description, tags, billable, user;
  for (std::size_t i = 0; i < n; ++i) {
    const TrackedRow& r = x.rows[i];
    start[i] = clock_seconds(r.start);
    seconds[i] = r.seconds;
    line[i] = static_cast<std::int64_t>(r.line);
    client.append(r.client);
    project.append(r.project);
    task.append(r.task);
    description.append(r.description);
    py::list t;
    for (const std::string& tag : r.tags) t.append(tag);
    tags.append(t);
    billable.append(r.billable ? py::cast(*r.billable) : py::none());
    user.append(r.user);
  }
  py::dict columns;
  columns["start"] = owned_array(std::move(start));
  columns["seconds"] = owned_array(std::move(seconds));
  columns["client"] = client;
  columns["project"] = project;
  columns["task"] = task;
  columns["description"] = description;
  columns["tags"] = tags;
  columns["billable"] = billable;
  columns["user"] = user;
  columns["line"] = owned_array(std::move(line));
  py::dict out;
  out["tracker"] = word_of(x.tracker);
  out["file"] = x.file;
  out["rows_read"] = x.rows_read;
  out["skipped"] = counts(x.skipped);
  out["date_format"] = x.date_format;
  out["columns"] = columns;
  return out;
}

py::dict mention(const EntryMention& m) {
  py::dict out;
  out["engagement"] = m.engagement;
  out["start"] = py::cast(m.start);
  out["seconds"] = m.seconds;
  out["kind"] = word_of(m.kind);
  out["note"] = m.note;
  return out;
}

/// Overlaps and changes: the row's line, the entry it gives and the book's entry it meets.
py::list conflicts(const std::vector<EntryConflict>& list) {
  py::list out;
  for (const EntryConflict& c : list) {
    py::dict d;
    d["line"] = c.line;
    d["row"] = mention(c.row);
    d["book"] = mention(c.book);
    out.append(d);
  }
  return out;
}

/// None; "FROM..TO"; or a (first, last) pair of dates — read by the library's one rule.
std::optional<Period> period_of(py::handle period) {
  if (period.is_none()) return std::nullopt;
  if (py::isinstance<py::str>(period)) return parse_period(period.cast<std::string>(), "replace_period");
  const auto [first, last] = period.cast<std::pair<Date, Date>>();
  return parse_period(format_period({first, last}), "replace_period");
}

}  // namespace

void register_import(py::module_& m) {
  py::dict scope;
  scope["__builtins__"] = py::module_::import("builtins");
  scope["__name__"] = "kontingent";
  scope["Error"] = m.attr("Error");
  py::exec(import_error_class, scope);
  m.attr("ImportFileError") = scope["ImportFileError"];
  import_class = m.attr("ImportFileError");
  // Registered after register_errors' translator, so tried before it.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const import_error& e) {
      py::object instance = py::reinterpret_borrow<py::object>(import_class)(e.what(), e.file(), e.line(), e.column(), e.rule());
      PyErr_SetObject(import_class.ptr(), instance.ptr());
    }
  });

  m.attr("TRACKERS") = names_tuple<Tracker>();

  py::class_<ImportSummary>(m, "ImportSummary", R"(What an import did: rows_read == imported + duplicates + Σ skipped.

    ``skipped`` maps a reason ("zero-length timer") to rows; ``by_engagement`` an engagement id to
    entries imported; ``new_requests`` lists "engagement/id" of the requests the import created, and
    ``requests_without_due`` those no row gave a due date. ``overlaps`` (rows skipped for overlapping
    an entry) and ``changes`` (replace_period) are dicts ``{line, row, book}`` of entry dicts
    ``{engagement, start, seconds, kind, note}``; ``removals`` lists the entry dicts removed.
    With ``replace_period`` (``replaced``: the (first, last) dates), also ``changed``, ``removed``
    and ``outside_period`` count.)")
      .def_property_readonly("tracker", [](const ImportSummary& s) { return word_of(s.tracker); })
      .def_property_readonly("file", [](const ImportSummary& s) { return s.file; })
      .def_property_readonly("rows_read", [](const ImportSummary& s) { return s.rows_read; })
      .def_property_readonly("imported", [](const ImportSummary& s) { return s.imported; })
      .def_property_readonly("duplicates", [](const ImportSummary& s) { return s.duplicates; })
      .def_property_readonly("changed", [](const ImportSummary& s) { return s.changed; })
      .def_property_readonly("removed", [](const ImportSummary& s) { return s.removed; })
      .def_property_readonly("outside_period", [](const ImportSummary& s) { return s.outside_period; })
      .def_property_readonly("replaced",
                             [](const ImportSummary& s) -> py::object {
                               if (!s.replaced) return py::none();
                               return py::make_tuple(s.replaced->first, s.replaced->last);
                             })
      .def_property_readonly("replaced_in", [](const ImportSummary& s) { return s.replaced_in; })
      .def_property_readonly("requests_without_due", [](const ImportSummary& s) { return s.requests_without_due; })
      .def_property_readonly("overlaps", [](const ImportSummary& s) { return conflicts(s.overlaps); })
      .def_property_readonly("changes", [](const ImportSummary& s) { return conflicts(s.changes); })
      .def_property_readonly("removals",
                             [](const ImportSummary& s) {
                               py::list out;
                               for (const EntryMention& m : s.removals) out.append(mention(m));
                               return out;
                             })
      .def_property_readonly("skipped", [](const ImportSummary& s) { return counts(s.skipped); })
      .def_property_readonly("skipped_total", [](const ImportSummary& s) { return s.skipped_total(); })
      .def_property_readonly("by_engagement", [](const ImportSummary& s) { return counts(s.by_engagement); })
      .def_property_readonly("new_requests", [](const ImportSummary& s) { return s.new_requests; })
      .def_property_readonly("date_format", [](const ImportSummary& s) { return s.date_format; })
      .def("to_text", [](const ImportSummary& s) { return to_text(s); })
      .def("__str__", [](const ImportSummary& s) { return to_text(s); })
      .def("__repr__", [](const ImportSummary& s) {
        return "<ImportSummary " + s.file + ": " + std::to_string(s.rows_read) + " read, " + std::to_string(s.imported) +
               " imported, " + std::to_string(s.duplicates) + " duplicates, " + std::to_string(s.skipped_total()) + " skipped>";
      });

  m.def(
      "_read_tracker",
      [](const std::string& tracker, py::handle path, py::handle mapping) {
        const Tracker t = tracker_of(tracker);
        const Mapping map = mapping_of(mapping);
        const std::filesystem::path file(path_text(path));
        TrackerExport x;
        {
          py::gil_scoped_release unlocked;
          x = read_tracker(t, file, map);
        }
        return export_columns(x);
      },
      "tracker"_a, "path"_a, "mapping"_a = py::none());

  m.def(
      "_import_entries",
      [](const Book& book, const std::string& tracker, py::handle path, std::optional<std::string> engagement, py::handle mapping,
         py::handle replace_period, bool strict) {
        const Tracker t = tracker_of(tracker);
        Mapping map = mapping_of(mapping);
        if (engagement) map.engagement = *engagement;
        const ImportMode mode{period_of(replace_period), strict};
        const std::filesystem::path file(path_text(path));
        const auto held = reading(book);  // common.hpp: no change to the book while it is read
        py::gil_scoped_release unlocked;
        ImportResult result = import_entries(t, file, book, map, mode);
        Book out = apply_import(book, result);
        return std::make_pair(std::move(out), std::move(result.summary));
      },
      "book"_a, "tracker"_a, "path"_a, "engagement"_a = py::none(), "mapping"_a = py::none(), py::kw_only(),
      "replace_period"_a = py::none(), "strict"_a = false);
}

}  // namespace kontingent::python
