// Terms (docs/formats.md), Client and the parties of book version 2 (docs/formats.md: Address, Vat, Owner). Small
// immutable values: keyword constructors with the book format's words, read-only properties,
// replace() (added in Python) for a changed copy. Their rules are checked where they are used: by
// the engagement that takes the terms, by the book that takes the clients and the owner.
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

py::object vat_percent(const Vat& v) {
  if (v.micro_percent == 0) return py::none();
  return decimal_scaled(v.micro_percent, 6);
}

Vat make_vat(const std::string& category, const py::object& percent, std::string exemption_reason) {
  Vat v;
  v.category = word<VatCategory>(category, "VAT category");
  if (!percent.is_none()) v.micro_percent = scaled_of(percent, 1'000'000, false, "percent");
  v.exemption_reason = std::move(exemption_reason);
  return v;
}

namespace {

void register_parties(py::module_& m) {
  auto address = py::class_<Address>(m, "Address", R"(A postal address (docs/formats.md): ``Address(street="Hafenstraße 1", postcode="20457", city="Hamburg", country="DE")``.

    ``city`` and ``country`` (ISO 3166-1 alpha-2) are required; the book that holds the address checks them.)");
  address
      .def(py::init([](std::string city, std::string country, std::string street, std::string postcode) {
             return Address{std::move(street), std::move(postcode), std::move(city), std::move(country)};
           }),
           py::kw_only(), "city"_a, "country"_a, "street"_a = "", "postcode"_a = "")
      .def_property_readonly("street", [](const Address& a) { return a.street; })
      .def_property_readonly("postcode", [](const Address& a) { return a.postcode; })
      .def_property_readonly("city", [](const Address& a) { return a.city; })
      .def_property_readonly("country", [](const Address& a) { return a.country; });
  add_value_protocol(address);
  add_pickle(address);

  auto vat = py::class_<Vat>(m, "Vat", R"(The VAT of an engagement's invoices (docs/formats.md), as EN 16931 categories.

    ``Vat(category="S", percent=19)`` (standard rate; ``percent`` as int, Decimal, Fraction or float (numpy's too),
    exact to a millionth), ``Vat(category="Z")`` (zero rated), ``Vat(category="E",
    exemption_reason="Kleinunternehmer gemäß §19 UStG")`` (exempt) or ``Vat(category="AE",
    exemption_reason="Steuerschuldnerschaft des Leistungsempfängers")`` (reverse charge: the client
    needs a ``vat_id``). ``percent`` comes back as a Decimal, None for the categories without one.)");
  vat.def(py::init(&make_vat), py::kw_only(), "category"_a, "percent"_a = py::none(), "exemption_reason"_a = "")
      .def_property_readonly("category", [](const Vat& v) { return word_of(v.category); })
      .def_property_readonly("percent", &vat_percent)
      .def_property_readonly("exemption_reason", [](const Vat& v) { return v.exemption_reason; });
  add_value_protocol(vat);
  add_pickle(vat);
  m.attr("VAT_CATEGORIES") = names_tuple<VatCategory>();

  auto owner = py::class_<Owner>(m, "Owner", R"(The seller: the freelancer or studio keeping the book (docs/formats.md); required to draft an invoice.

    ``Owner(name="Studio Nord", address=Address(...), vat_id="DE123456789", tax_number="",
    email="", iban="", invoice_prefix="RE-2026-", vat=Vat(category="S", percent=19))``; ``vat`` is
    the default of every engagement (their terms may override it).)");
  owner
      .def(py::init([](std::string name, Address address, std::string vat_id, std::string tax_number, std::string email,
                       std::string iban, std::string invoice_prefix, std::optional<Vat> vat) {
             return Owner{std::move(name), std::move(address), std::move(vat_id), std::move(tax_number), std::move(email),
                          std::move(iban), std::move(invoice_prefix), std::move(vat)};
           }),
           py::kw_only(), "name"_a, "address"_a, "vat_id"_a = "", "tax_number"_a = "", "email"_a = "", "iban"_a = "",
           "invoice_prefix"_a = "", "vat"_a = py::none())
      .def_property_readonly("name", [](const Owner& o) { return o.name; })
      .def_property_readonly("address", [](const Owner& o) { return o.address; })
      .def_property_readonly("vat_id", [](const Owner& o) { return o.vat_id; })
      .def_property_readonly("tax_number", [](const Owner& o) { return o.tax_number; })
      .def_property_readonly("email", [](const Owner& o) { return o.email; })
      .def_property_readonly("iban", [](const Owner& o) { return o.iban; })
      .def_property_readonly("invoice_prefix", [](const Owner& o) { return o.invoice_prefix; })
      .def_property_readonly("vat", [](const Owner& o) { return o.vat; });
  add_value_protocol(owner);
  add_pickle(owner);
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
  register_parties(m);

  auto rounding = py::class_<Rounding>(m, "Rounding", R"(Per-entry rounding of billable time (docs/formats.md).

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

  auto terms = py::class_<Terms>(m, "Terms", R"(How an engagement's work is priced (docs/formats.md).

    Keyword arguments are the book format's fields: ``pricing`` (``"fixed"``, ``"contingent"``,
    ``"retainer"``, ``"hourly"``), ``rate`` and the other amounts as Decimal (or int / str, never
    float), hours as numbers or timedelta, ``rounding``/``call_fee``/``rush``/``no_show`` as their
    classes, ``vat`` (book version 2) as a Vat that overrides the owner's. Which fields a pricing
    needs is checked when an engagement takes the terms.)");
  terms
      .def(py::init([](const std::string& pricing, const Money& rate, std::optional<Money> fixed_price,
                       const py::object& contingent_hours, std::optional<Money> contingent_price,
                       const py::object& rollover_max_hours, std::int64_t included_rounds,
                       std::optional<Money> extra_round_price, std::optional<Rounding> rounding,
                       std::optional<CallFee> call_fee, std::optional<Rush> rush, std::optional<NoShow> no_show,
                       std::optional<Vat> vat) {
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
             t.vat = std::move(vat);
             return t;
           }),
           py::kw_only(), "pricing"_a, "rate"_a, "fixed_price"_a = py::none(), "contingent_hours"_a = py::none(),
           "contingent_price"_a = py::none(), "rollover_max_hours"_a = py::none(), "included_rounds"_a = 0,
           "extra_round_price"_a = py::none(), "rounding"_a = py::none(), "call_fee"_a = py::none(),
           "rush"_a = py::none(), "no_show"_a = py::none(), "vat"_a = py::none())
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
      .def_property_readonly("vat", [](const Terms& t) { return t.vat; }, "The VAT of the invoices, overriding the owner's; None: the owner's.")
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

  auto client = py::class_<Client>(m, "Client", R"(Who pays: ``Client(id="acme", name="ACME GmbH", channel="referral")``.

    Book version 2 (docs/formats.md) adds what an invoice to the client needs: ``address`` (an Address),
    ``vat_id``, ``email``, ``buyer_reference`` (e.g. a Leitweg-ID) and ``payment_days`` (days to pay,
    None: 30).)");
  client
      .def(py::init([](std::string id, std::string name, std::string channel, std::optional<Address> address,
                       std::string vat_id, std::string email, std::string buyer_reference,
                       std::optional<std::int64_t> payment_days) {
             Client c;
             c.id = std::move(id), c.name = std::move(name), c.channel = std::move(channel);
             c.address = std::move(address);
             c.vat_id = std::move(vat_id), c.email = std::move(email), c.buyer_reference = std::move(buyer_reference);
             c.payment_days = payment_days;
             return c;
           }),
           py::kw_only(), "id"_a, "name"_a, "channel"_a = "", "address"_a = py::none(), "vat_id"_a = "", "email"_a = "",
           "buyer_reference"_a = "", "payment_days"_a = py::none())
      .def_property_readonly("id", [](const Client& c) { return c.id; })
      .def_property_readonly("name", [](const Client& c) { return c.name; })
      .def_property_readonly("channel", [](const Client& c) { return c.channel; })
      .def_property_readonly("address", [](const Client& c) { return c.address; })
      .def_property_readonly("vat_id", [](const Client& c) { return c.vat_id; })
      .def_property_readonly("email", [](const Client& c) { return c.email; })
      .def_property_readonly("buyer_reference", [](const Client& c) { return c.buyer_reference; })
      .def_property_readonly("payment_days", [](const Client& c) { return c.payment_days; },
                             "Days to pay as the book says; None: the default (days_to_pay).")
      .def_property_readonly("days_to_pay", [](const Client& c) { return c.days_to_pay(); },
                             "payment_days, or the default of 30 days (docs/formats.md).");
  add_value_protocol(client);
  add_pickle(client);
}

}  // namespace kontingent::python
