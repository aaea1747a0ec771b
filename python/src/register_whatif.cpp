// What-if (kontingent/whatif.hpp): the book re-evaluated under changed terms. The binding passes the
// changes through as KEY=VALUE text, exactly as `kontingent whatif --set` does; no rule is here.
#include "kontingent/whatif.hpp"

#include "serialization.hpp"

namespace kontingent::python {
namespace {

/// The keys whose values are amounts: they take what Terms takes for an amount (no float).
bool is_money_key(std::string_view key) {
  for (std::string_view money : {"rate", "fixed_price", "contingent_price", "extra_round_price", "call_fee.fee", "no_show.fee"})
    if (key == money) return true;
  return false;
}

/// A change's value as the book format's text: amounts as Terms converts them, other numbers as
/// written, words as they are. Errors name the key, as the argument the caller gave.
std::string change_text(const std::string& key, py::handle value) {
  if (PyBool_Check(value.ptr())) throw py::type_error(key + ": a what-if value is a number or a word, not bool");
  if (!is_money_key(key)) return py::str(value).cast<std::string>();
  try {
    return Money(cents_of(value), no_currency).to_string();
  } catch (const validation_error& e) {
    throw validation_error(key, e.rule());
  } catch (const py::type_error& e) {
    throw py::type_error(key + ": " + e.what());
  }
}

/// The place of a what-if error in Python's words: the library names the command's options
/// (`--set call_fee.fee`, `--client`); Python's are the change's key and the keyword arguments.
std::string python_place(const std::string& path) {
  if (path.starts_with("--set ")) return path.substr(6);
  if (path.starts_with("--")) return path.substr(2);
  return path;
}

}  // namespace

void register_whatif(py::module_& m) {
  auto what_if_class = py::class_<WhatIf>(m, "WhatIf", R"(The book evaluated as it is (``before``) and under changed terms (``after``), as of the same date.

    ``rows`` lists, per client and category whose billable amount changed,
    ``(client, currency, category, before, after)`` with Decimal amounts; ``to_frame()`` is the same as a DataFrame.)")
      .def_property_readonly("before", [](const WhatIf& w) { return w.before; })
      .def_property_readonly("after", [](const WhatIf& w) { return w.after; })
      .def_property_readonly("rows", [](const WhatIf& w) {
        py::list out;
        for (const WhatIfRow& row : w.rows())
          out.append(py::make_tuple(row.client, std::string(row.currency.code()), word_of(row.category), row.before, row.after));
        return out;
      })
      .def("__repr__", [](const WhatIf& w) {
        return "<WhatIf as of " + format_date(clock_days(w.before.as_of)) + ": " + std::to_string(w.rows().size()) + " changed amounts>";
      });
  add_value_protocol(what_if_class, [](const WhatIf& a, const WhatIf& b) { return a.before == b.before && a.after == b.after; });
  add_pickle(what_if_class);

  m.def(
      "_what_if",
      [](const Book& book, const py::dict& changes, std::optional<std::string> client, std::optional<std::string> engagement,
         std::optional<Date> as_of) {
        if (client && engagement) throw py::value_error("give client or engagement, not both");
        std::vector<TermsChange> list;
        for (auto [key, value] : changes) {
          std::string name = key.cast<std::string>();
          std::string text = change_text(name, value);
          list.push_back({std::move(name), std::move(text)});
        }
        WhatIfScope scope;
        if (client) scope = {WhatIfScope::Kind::client, *client};
        if (engagement) scope = {WhatIfScope::Kind::engagement, *engagement};
        const auto held = reading(book);
        try {
          py::gil_scoped_release unlocked;
          return what_if(book, list, scope, as_of);
        } catch (const validation_error& e) {
          throw validation_error(python_place(e.path()), e.rule());
        }
      },
      "book"_a, "changes"_a, "client"_a = py::none(), "engagement"_a = py::none(), "as_of"_a = py::none());
}

}  // namespace kontingent::python
