// Reports (docs/formats.md) as read-only objects: money as Decimal, seconds as int (and timedelta), the
// category and kind maps as dicts in report order. DataFrames and HTML are added in Python.
#include "kontingent/formats/json.hpp"
#include "kontingent/writers/report.hpp"
#include "serialization.hpp"

namespace kontingent::python {
namespace {

template <class Enum, class Values>
py::dict per_enum(const Values& values) {
  py::dict out;
  for (std::size_t i = 0; i < values.values.size(); ++i) out[py::str(word_of(static_cast<Enum>(i)))] = py::cast(values.values[i]);
  return out;
}

const EngagementReport& find(const Report& r, const py::handle& key) {
  if (PyLong_Check(key.ptr())) {
    auto i = key.cast<std::int64_t>();
    if (i < 0) i += static_cast<std::int64_t>(r.engagements.size());
    if (i < 0 || static_cast<std::size_t>(i) >= r.engagements.size()) throw py::index_error("report index out of range");
    return r.engagements[static_cast<std::size_t>(i)];
  }
  const auto id = key.cast<std::string>();
  for (const EngagementReport& e : r.engagements)
    if (e.id == id) return e;
  throw py::key_error("no engagement \"" + id + "\" in this report");
}

}  // namespace

void register_report(py::module_& m) {
  auto rounds = py::class_<Rounds>(m, "Rounds", "Revision rounds: included by the terms, used, extra.");
  rounds.def(py::init([](std::int64_t included, std::int64_t used, std::int64_t extra) { return Rounds{included, used, extra}; }),
             py::kw_only(), "included"_a = 0, "used"_a = 0, "extra"_a = 0)
      .def_property_readonly("included", [](const Rounds& r) { return r.included; })
      .def_property_readonly("used", [](const Rounds& r) { return r.used; })
      .def_property_readonly("extra", [](const Rounds& r) { return r.extra; });
  add_value_protocol(rounds);
  add_pickle(rounds);

  auto use = py::class_<ContingentUse>(m, "ContingentUse", "Use of a contingent: available (carry included), consumed and overage seconds.");
  use.def(py::init([](Seconds available_seconds, Seconds consumed_seconds, Seconds overage_seconds) {
            return ContingentUse{available_seconds, consumed_seconds, overage_seconds};
          }),
          py::kw_only(), "available_seconds"_a = 0, "consumed_seconds"_a = 0, "overage_seconds"_a = 0)
      .def_property_readonly("available_seconds", [](const ContingentUse& u) { return u.available; })
      .def_property_readonly("consumed_seconds", [](const ContingentUse& u) { return u.consumed; })
      .def_property_readonly("overage_seconds", [](const ContingentUse& u) { return u.overage; })
      .def_property_readonly("available", [](const ContingentUse& u) { return to_timedelta(u.available); })
      .def_property_readonly("consumed", [](const ContingentUse& u) { return to_timedelta(u.consumed); })
      .def_property_readonly("overage", [](const ContingentUse& u) { return to_timedelta(u.overage); });
  add_value_protocol(use);
  add_pickle(use);

  auto engagement = py::class_<EngagementReport>(m, "EngagementReport", R"(The report of one engagement at one as-of date (docs/formats.md).

    ``billable``, ``invoiced`` and ``leakage`` are dicts category → Decimal in report order.)");
  engagement.def_property_readonly("id", [](const EngagementReport& r) { return r.id; })
      .def_property_readonly("client", [](const EngagementReport& r) { return r.client; })
      .def_property_readonly("currency", [](const EngagementReport& r) { return std::string(r.currency.code()); })
      .def_property_readonly("billable", [](const EngagementReport& r) { return per_enum<Category>(r.billable); })
      .def_property_readonly("invoiced", [](const EngagementReport& r) { return per_enum<Category>(r.invoiced); })
      .def_property_readonly("leakage", [](const EngagementReport& r) { return per_enum<Category>(r.leakage); },
                             "billable − invoiced per category.")
      .def_property_readonly("unbilled", [](const EngagementReport& r) { return r.unbilled; }, "Σ positive leakage.")
      .def_property_readonly("overbilled", [](const EngagementReport& r) { return r.overbilled; }, "Σ |negative leakage|.")
      .def_property_readonly("worked_seconds", [](const EngagementReport& r) { return r.worked_seconds; })
      .def_property_readonly("worked", [](const EngagementReport& r) { return to_timedelta(r.worked_seconds); })
      .def_property_readonly("seconds_by_kind", [](const EngagementReport& r) { return per_enum<EntryKind>(r.seconds_by_kind); })
      .def_property_readonly("effective_rate", [](const EngagementReport& r) { return r.effective_rate; },
                             "Invoiced per hour worked (Decimal), None when nothing was worked.")
      .def_property_readonly("rounds", [](const EngagementReport& r) { return r.rounds; })
      .def_property_readonly("contingent", [](const EngagementReport& r) { return r.contingent; },
                             "ContingentUse summed over periods; None for fixed and hourly.")
      .def_property_readonly("alerts", [](const EngagementReport& r) {
        py::tuple out(r.alerts.size());
        for (std::size_t i = 0; i < r.alerts.size(); ++i) out[i] = word_of(r.alerts[i]);
        return out;
      })
      .def("has", [](const EngagementReport& r, const std::string& alert) { return r.has(word<Alert>(alert, "alert")); },
           "alert"_a)
      .def("__repr__", [](const EngagementReport& r) {
        std::string alerts;
        for (Alert a : r.alerts) alerts += (alerts.empty() ? "" : ", ") + word_of(a);
        return "<EngagementReport '" + r.id + "': unbilled " + r.unbilled.to_display_string() + ", worked " +
               format_duration(r.worked_seconds) + " h" + (alerts.empty() ? "" : ", alerts: " + alerts) + ">";
      });
  add_value_protocol(engagement);
  add_pickle(engagement);

  auto report = py::class_<Report>(m, "Report", R"(Reports of every engagement started by the as-of date, in the book's order.

    ``report["acme-site"]`` or ``report[0]`` is an EngagementReport; ``len(report)``, iteration.)");
  report.def_property_readonly("as_of", [](const Report& r) { return r.as_of; })
      .def_property_readonly("engagements", [](const Report& r) {
        py::tuple out(r.engagements.size());
        for (std::size_t i = 0; i < r.engagements.size(); ++i) out[i] = py::cast(r.engagements[i]);
        return out;
      })
      .def("__len__", [](const Report& r) { return r.engagements.size(); })
      .def("__getitem__", [](const Report& r, const py::handle& key) { return find(r, key); }, "key"_a)
      .def("to_text", [](const Report& r) { return to_text(r); }, "The report as the command prints it.")
      .def("to_csv", [](const Report& r) { return to_csv(r); }, "engagement,client,currency,category,billable,invoiced,leakage")
      .def("to_json", [](const Report& r) { return to_json(r); }, "The JSON report (kontingent-report/1).")
      .def("__repr__", [](const Report& r) {
        return "<Report as of " + format_date(clock_days(r.as_of)) + ": " + std::to_string(r.engagements.size()) + " engagements>";
      });
  add_value_protocol(report);
  add_pickle(report);
}

}  // namespace kontingent::python
