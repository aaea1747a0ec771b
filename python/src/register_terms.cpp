// Terms (SPEC §3) and Client. Small immutable values: keyword constructors with the book format's
// words, read-only properties, replace() (added in Python) for a changed copy.
#include "common.hpp"
#include "serialization.hpp"

namespace kontingent::python {
namespace {

std::optional<Seconds> optional_hours(const py::object& v, std::string_view what) {
  if (v.is_none()) return std::nullopt;
  return scaled_of(v, 3600, true, what);
}

py::object optional_hours_out(const std::optional<Seconds>& s) {
  return s ? py::object(py::float_(hours_of(*s))) : py::object(py::none());
}

}  // namespace

void rebase(Terms& t, Currency c) {
  const auto in = [c](Money& m) { m = Money(m.cents(), c); };
  const auto in_optional = [&](std::optional<Money>& m) {
    if (m) in(*m);
  };
  in(t.rate);
  in_optional(t.fixed_price);
  in_optional(t.contingent_price);
  in_optional(t.extra_round_price);
  if (t.call_fee) in(t.call_fee->fee);
  if (t.no_show) in(t.no_show->fee);
}

void register_terms(py::module_& m) {
  auto rounding = py::class_<Rounding>(m, "Rounding", R"(Per-entry rounding of billable time (SPEC §2).

    ``Rounding(increment_minutes=15, mode="up")``; mode is ``"up"``, ``"down"`` or ``"nearest"``.)");
  rounding
      .def(py::init([](std::int64_t increment_minutes, const std::string& mode) {
             return Rounding{increment_minutes * 60, word<RoundingMode>(mode, "rounding mode")};
           }),
           py::kw_only(), "increment_minutes"_a, "mode"_a = "up")
      .def_property_readonly("increment_minutes", [](const Rounding& r) { return r.increment / 60; })
      .def_property_readonly("mode", [](const Rounding& r) { return word_of(r.mode); })
      .def(
          "apply",
          [](const Rounding& r, Seconds s) {
            if (r.increment <= 0) throw validation_error("rounding.increment_minutes", "must be a positive integer");
            return r.apply(s);
          },
          "seconds"_a, "The billable seconds of an entry of `seconds` raw seconds.");
  add_value_protocol(rounding);
  add_pickle(rounding);

  auto call_fee = py::class_<CallFee>(m, "CallFee", R"(The Quatschpauschale: calls beyond ``free_minutes`` cost ``fee`` per started block.

    ``CallFee(free_minutes=15, block_minutes=30, fee=Decimal("40"))``.)");
  call_fee
      .def(py::init([](std::int64_t free_minutes, std::int64_t block_minutes, const Money& fee) {
             return CallFee{free_minutes * 60, block_minutes * 60, fee};
           }),
           py::kw_only(), "free_minutes"_a, "block_minutes"_a, "fee"_a)
      .def_property_readonly("free_minutes", [](const CallFee& c) { return c.free / 60; })
      .def_property_readonly("block_minutes", [](const CallFee& c) { return c.block / 60; })
      .def_property_readonly("fee", [](const CallFee& c) { return c.fee; });
  add_value_protocol(call_fee);
  add_pickle(call_fee);

  auto rush = py::class_<Rush>(m, "Rush", R"(A request due sooner than ``lead_hours`` after it was received is a rush.

    ``Rush(lead_hours=48, surcharge_percent=50)``; both exact to the second / millionth of a percent.)");
  rush.def(py::init([](const py::object& lead_hours, const py::object& surcharge_percent) {
             return Rush{scaled_of(lead_hours, 3600, true, "lead_hours"),
                         scaled_of(surcharge_percent, 1'000'000, false, "surcharge_percent")};
           }),
           py::kw_only(), "lead_hours"_a, "surcharge_percent"_a)
      .def_property_readonly("lead_hours", [](const Rush& r) { return hours_of(r.lead); })
      .def_property_readonly("surcharge_percent", [](const Rush& r) { return decimal_scaled(r.surcharge_micro_percent, 6); });
  add_value_protocol(rush);
  add_pickle(rush);

  auto no_show = py::class_<NoShow>(m, "NoShow", R"(An appointment missed, or cancelled less than ``notice_hours`` before it, costs ``fee``.

    ``NoShow(notice_hours=24, fee=Decimal("120"))``.)");
  no_show
      .def(py::init([](const py::object& notice_hours, const Money& fee) {
             return NoShow{scaled_of(notice_hours, 3600, true, "notice_hours"), fee};
           }),
           py::kw_only(), "notice_hours"_a, "fee"_a)
      .def_property_readonly("notice_hours", [](const NoShow& n) { return hours_of(n.notice); })
      .def_property_readonly("fee", [](const NoShow& n) { return n.fee; });
  add_value_protocol(no_show);
  add_pickle(no_show);

  auto terms = py::class_<Terms>(m, "Terms", R"(How an engagement's work is priced (SPEC §3).

    Keyword arguments are the book format's fields: ``pricing`` (``"fixed"``, ``"contingent"``,
    ``"retainer"``, ``"hourly"``), ``rate`` and the other amounts as Decimal (or int / str, never
    float), hours as numbers or timedelta, ``rounding``/``call_fee``/``rush``/``no_show`` as their
    classes. Which fields a pricing needs is checked when an engagement takes the terms.)");
  terms
      .def(py::init([](const std::string& pricing, const Money& rate, std::optional<Money> fixed_price,
                       const py::object& contingent_hours, std::optional<Money> contingent_price,
                       const py::object& rollover_max_hours, std::int64_t included_rounds,
                       std::optional<Money> extra_round_price, std::optional<Rounding> rounding,
                       std::optional<CallFee> call_fee, std::optional<Rush> rush, std::optional<NoShow> no_show) {
             Terms t;
             t.pricing = word<Pricing>(pricing, "pricing");
             t.rate = rate;
             t.fixed_price = fixed_price;
             t.contingent = optional_hours(contingent_hours, "contingent_hours");
             t.contingent_price = contingent_price;
             t.rollover_max = optional_hours(rollover_max_hours, "rollover_max_hours");
             t.included_rounds = included_rounds;
             t.extra_round_price = extra_round_price;
             t.rounding = rounding;
             t.call_fee = call_fee;
             t.rush = rush;
             t.no_show = no_show;
             return t;
           }),
           py::kw_only(), "pricing"_a, "rate"_a, "fixed_price"_a = py::none(), "contingent_hours"_a = py::none(),
           "contingent_price"_a = py::none(), "rollover_max_hours"_a = py::none(), "included_rounds"_a = 0,
           "extra_round_price"_a = py::none(), "rounding"_a = py::none(), "call_fee"_a = py::none(),
           "rush"_a = py::none(), "no_show"_a = py::none())
      .def_property_readonly("pricing", [](const Terms& t) { return word_of(t.pricing); })
      .def_property_readonly("rate", [](const Terms& t) { return t.rate; })
      .def_property_readonly("fixed_price", [](const Terms& t) { return t.fixed_price; })
      .def_property_readonly("contingent_hours", [](const Terms& t) { return optional_hours_out(t.contingent); })
      .def_property_readonly("contingent_price", [](const Terms& t) { return t.contingent_price; })
      .def_property_readonly("rollover_max_hours", [](const Terms& t) { return optional_hours_out(t.rollover_max); })
      .def_property_readonly("included_rounds", [](const Terms& t) { return t.included_rounds; })
      .def_property_readonly("extra_round_price", [](const Terms& t) { return t.extra_round_price; })
      .def_property_readonly("rounding", [](const Terms& t) { return t.rounding; })
      .def_property_readonly("call_fee", [](const Terms& t) { return t.call_fee; })
      .def_property_readonly("rush", [](const Terms& t) { return t.rush; })
      .def_property_readonly("no_show", [](const Terms& t) { return t.no_show; })
      .def(
          "billable_seconds",
          [](const Terms& t, Seconds s) {
            if (t.rounding && t.rounding->increment <= 0)
              throw validation_error("rounding.increment_minutes", "must be a positive integer");
            return t.billable_seconds(s);
          },
          "seconds"_a,
           "Per-entry billable seconds after the rounding rule (raw seconds without one).");
  add_value_protocol(terms);
  add_pickle(terms);

  auto client = py::class_<Client>(m, "Client", R"(Who pays: ``Client(id="acme", name="ACME GmbH", channel="referral")``.)");
  client
      .def(py::init([](std::string id, std::string name, std::string channel) {
             return Client{std::move(id), std::move(name), std::move(channel)};
           }),
           py::kw_only(), "id"_a, "name"_a, "channel"_a = "")
      .def_property_readonly("id", [](const Client& c) { return c.id; })
      .def_property_readonly("name", [](const Client& c) { return c.name; })
      .def_property_readonly("channel", [](const Client& c) { return c.channel; });
  add_value_protocol(client);
  add_pickle(client);
}

}  // namespace kontingent::python
