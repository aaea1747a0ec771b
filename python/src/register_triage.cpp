// Triage (kontingent/triage.hpp): whom to keep, renegotiate with or let go. The binding passes the
// policy's thresholds through and shows the rows; verdicts and sentences are the library's.
#include "kontingent/writers/triage.hpp"
#include "kontingent/triage.hpp"

#include "serialization.hpp"

namespace kontingent::python {
namespace {

#define KONTINGENT_POLICY_FIELDS(X)                                                                          \
  X(renegotiate_below_rate_percent) X(let_go_below_rate_percent) X(let_go_min_drains) X(call_share_percent) \
  X(revision_share_percent) X(rush_share_percent) X(extra_rounds) X(no_shows) X(days_to_pay)                 \
  X(suggested_free_minutes) X(suggested_block_minutes) X(min_invoices) X(min_invoiceable_hours)

py::dict kind_seconds(const KindSeconds& values) {
  py::dict out;
  for (std::size_t i = 0; i < values.values.size(); ++i) out[py::str(word_of(static_cast<EntryKind>(i)))] = py::cast(values.values[i]);
  return out;
}

py::object optional_int(const std::optional<std::int64_t>& v) { return v ? py::cast(*v) : py::none(); }

}  // namespace

void register_triage(py::module_& m) {
  auto policy = py::class_<TriagePolicy>(m, "TriagePolicy", R"(The thresholds of the triage verdict (docs/triage.md).

    Percentages are whole percent: ``TriagePolicy(renegotiate_below_rate_percent=80, no_shows=3)``.)");
  policy.def(py::init([](std::int64_t renegotiate_below_rate_percent, std::int64_t let_go_below_rate_percent,
                         std::int64_t let_go_min_drains, std::int64_t call_share_percent, std::int64_t revision_share_percent,
                         std::int64_t rush_share_percent, std::int64_t extra_rounds, std::int64_t no_shows,
                         std::int64_t days_to_pay, std::int64_t suggested_free_minutes, std::int64_t suggested_block_minutes,
                         std::int64_t min_invoices, std::int64_t min_invoiceable_hours) {
               TriagePolicy p;
#define X(name) p.name = name;
               KONTINGENT_POLICY_FIELDS(X)
#undef X
               return p;
             }),
             py::kw_only(), "renegotiate_below_rate_percent"_a = TriagePolicy{}.renegotiate_below_rate_percent,
             "let_go_below_rate_percent"_a = TriagePolicy{}.let_go_below_rate_percent,
             "let_go_min_drains"_a = TriagePolicy{}.let_go_min_drains, "call_share_percent"_a = TriagePolicy{}.call_share_percent,
             "revision_share_percent"_a = TriagePolicy{}.revision_share_percent,
             "rush_share_percent"_a = TriagePolicy{}.rush_share_percent, "extra_rounds"_a = TriagePolicy{}.extra_rounds,
             "no_shows"_a = TriagePolicy{}.no_shows, "days_to_pay"_a = TriagePolicy{}.days_to_pay,
             "suggested_free_minutes"_a = TriagePolicy{}.suggested_free_minutes,
             "suggested_block_minutes"_a = TriagePolicy{}.suggested_block_minutes,
             "min_invoices"_a = TriagePolicy{}.min_invoices, "min_invoiceable_hours"_a = TriagePolicy{}.min_invoiceable_hours);
#define X(name) policy.def_readwrite(#name, &TriagePolicy::name);
  KONTINGENT_POLICY_FIELDS(X)
#undef X
  policy.def("__repr__", [](const TriagePolicy& p) {
    std::string out = "TriagePolicy(";
    bool first = true;
#define X(name)                                                     \
  out += std::string(first ? "" : ", ") + #name "=" + std::to_string(p.name); \
  first = false;
    KONTINGENT_POLICY_FIELDS(X)
#undef X
    return out + ")";
  });
  add_value_protocol(policy);
  policy.def(py::pickle(
      [](const TriagePolicy& p) {
        py::list state;
#define X(name) state.append(p.name);
        KONTINGENT_POLICY_FIELDS(X)
#undef X
        return py::tuple(state);
      },
      [](const py::tuple& state) {
        TriagePolicy p;
        std::size_t i = 0;
        // Pickles from before the evidence minimum hold the first 11; the rest keep their defaults.
        if (state.size() != 13 && state.size() != 11) throw py::value_error("a TriagePolicy pickle holds 13 thresholds");
#define X(name) \
  if (i < state.size()) p.name = state[i].cast<std::int64_t>(); \
  ++i;
        KONTINGENT_POLICY_FIELDS(X)
#undef X
        return p;
      }));

  auto reason = py::class_<Reason>(m, "TriageReason", "One reason of a verdict: the drain, the money at stake and a sentence.")
      .def_property_readonly("drain", [](const Reason& r) { return word_of(r.drain); })
      .def_property_readonly("at_stake", [](const Reason& r) { return r.at_stake; })
      .def_property_readonly("sentence", [](const Reason& r) { return r.sentence; })
      .def("__str__", [](const Reason& r) { return r.sentence; })
      .def("__repr__", [](const Reason& r) {
        return "<TriageReason " + word_of(r.drain) + ": " + r.at_stake.to_string() + " at stake>";
      });
  add_value_protocol(reason);
  add_pickle(reason);

  auto indicators = py::class_<Indicators>(m, "TriageIndicators", "The numbers behind a verdict, for one engagement or one client.")
      .def_property_readonly("invoiced", [](const Indicators& i) { return i.invoiced; })
      .def_property_readonly("billable", [](const Indicators& i) { return i.billable; })
      .def_property_readonly("unbilled", [](const Indicators& i) { return i.unbilled; })
      .def_property_readonly("outstanding", [](const Indicators& i) { return i.outstanding; })
      .def_property_readonly("list_rate", [](const Indicators& i) { return i.list_rate; })
      .def_property_readonly("effective_rate", [](const Indicators& i) { return i.effective_rate; })
      .def_property_readonly("worked_seconds", [](const Indicators& i) { return i.worked; })
      .def_property_readonly("worked", [](const Indicators& i) { return to_timedelta(i.worked); })
      .def_property_readonly("seconds_by_kind", [](const Indicators& i) { return kind_seconds(i.seconds_by_kind); })
      .def_property_readonly("requests", [](const Indicators& i) { return i.requests; })
      .def_property_readonly("rush_requests", [](const Indicators& i) { return i.rush_requests; })
      .def_property_readonly("extra_rounds", [](const Indicators& i) { return i.extra_rounds; })
      .def_property_readonly("no_shows", [](const Indicators& i) { return i.no_shows; })
      .def_property_readonly("paid_invoices", [](const Indicators& i) { return i.paid_invoices; })
      .def_property_readonly("days_to_pay_mean", [](const Indicators& i) { return optional_int(i.days_to_pay_mean()); },
                             "Mean days to pay over invoices paid in full; None when none was.")
      .def_property_readonly("days_to_pay_worst", [](const Indicators& i) { return i.days_to_pay_worst; })
      .def_property_readonly("review", [](const Indicators& i) { return word_of(i.review); })
      .def_property_readonly("review_by", [](const Indicators& i) { return i.review_by; })
      .def_property_readonly("call_fee_would_bring", [](const Indicators& i) { return i.call_fee_would_bring; })
      .def_property_readonly("suggested_call_fee", [](const Indicators& i) { return i.suggested_call_fee; })
      .def_property_readonly("call_share_percent", [](const Indicators& i) { return i.call_share_percent(); })
      .def_property_readonly("revision_share_percent", [](const Indicators& i) { return i.revision_share_percent(); })
      .def_property_readonly("rush_share_percent", [](const Indicators& i) { return i.rush_share_percent(); })
      .def_property_readonly("rate_percent", [](const Indicators& i) { return i.rate_percent(); },
                             "Effective rate as whole percent of the list rate (0 without one).")
      .def("__repr__", [](const Indicators& i) {
        return "<TriageIndicators: invoiced " + i.invoiced.to_display_string() + ", unbilled " + i.unbilled.to_display_string() +
               ", effective rate " +
               (i.effective_rate ? i.effective_rate->to_display_string() + " (" + std::to_string(i.rate_percent()) + " %)"
                                 : std::string("none")) +
               ", worked " + format_duration(i.worked) + ">";
      });
  add_value_protocol(indicators);
  add_pickle(indicators);

  auto row = py::class_<TriageRow>(m, "TriageRow", R"(One engagement or client (in one currency) with its verdict.

    ``engagement`` is None on a client row; ``indicators`` holds the numbers, ``reasons`` the
    reasons, most money at stake first.)")
      .def_property_readonly("level", [](const TriageRow& r) { return r.engagement.empty() ? "client" : "engagement"; })
      .def_property_readonly("engagement", [](const TriageRow& r) -> py::object {
        return r.engagement.empty() ? py::none() : py::cast(r.engagement);
      })
      .def_property_readonly("client", [](const TriageRow& r) { return r.client; })
      .def_property_readonly("client_name", [](const TriageRow& r) { return r.client_name; })
      .def_property_readonly("currency", [](const TriageRow& r) { return std::string(r.currency.code()); })
      .def_property_readonly("verdict", [](const TriageRow& r) { return word_of(r.verdict); })
      .def_property_readonly("reasons", [](const TriageRow& r) { return r.reasons; })
      .def_property_readonly("indicators", [](const TriageRow& r) { return r.indicators; })
      .def("__repr__", [](const TriageRow& r) {
        return "<TriageRow " + (r.engagement.empty() ? "client '" + r.client : "engagement '" + r.engagement) + "' (" +
               std::string(r.currency.code()) + "): " + word_of(r.verdict) + ", " + std::to_string(r.reasons.size()) + " reasons>";
      });
  add_value_protocol(row);
  add_pickle(row);

  auto result = py::class_<Triage>(m, "Triage", R"(Verdicts for every client (per currency) and engagement as of one date.

    ``clients`` and ``engagements`` are tuples of TriageRow; ``to_frame()`` is one row per client
    and engagement; ``to_text()``, ``to_json()`` and ``to_csv()`` are what ``kontingent triage`` writes.)")
      .def_property_readonly("as_of", [](const Triage& t) { return t.as_of; })
      .def_property_readonly("clients", [](const Triage& t) { return py::tuple(py::cast(t.clients)); })
      .def_property_readonly("engagements", [](const Triage& t) { return py::tuple(py::cast(t.engagements)); })
      .def("to_text", [](const Triage& t) { return to_text(t); })
      .def("to_json", [](const Triage& t) { return to_json(t); })
      .def("to_csv", [](const Triage& t) { return to_csv(t); })
      .def("__repr__", [](const Triage& t) {
        std::size_t counts[enum_names<Verdict>::values.size()] = {};
        for (const TriageRow& r : t.clients) ++counts[static_cast<std::size_t>(r.verdict)];
        return "<Triage as of " + format_date(clock_days(t.as_of)) + ": " + std::to_string(t.clients.size()) + " clients (" +
               std::to_string(counts[0]) + " keep, " + std::to_string(counts[1]) + " renegotiate, " + std::to_string(counts[2]) +
               " let_go, " + std::to_string(counts[3]) + " too_early), " + std::to_string(t.engagements.size()) + " engagements>";
      });
  add_value_protocol(result, [](const Triage& a, const Triage& b) {
    return a.as_of == b.as_of && a.clients == b.clients && a.engagements == b.engagements;
  });
  add_pickle(result);

  m.def(
      "_triage",
      [](const Book& book, std::optional<Date> as_of, std::optional<TriagePolicy> policy) {
        const TriagePolicy p = policy.value_or(TriagePolicy{});
        const auto held = reading(book);
        py::gil_scoped_release unlocked;
        return triage(book, as_of, p);
      },
      "book"_a, "as_of"_a = py::none(), "policy"_a = py::none());
}

}  // namespace kontingent::python
