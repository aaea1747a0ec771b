// What-if (kontingent/whatif.hpp): the book re-evaluated under changed terms. The binding passes the
// changes through as KEY=VALUE text, exactly as `kontingent whatif --set` does; no rule is here.
#include "kontingent/whatif.hpp"

#include "common.hpp"

namespace kontingent::python {
namespace {

/// A change's value as the book format's text: Decimal and int as written, str as is.
std::string change_text(py::handle value) {
  if (PyBool_Check(value.ptr())) throw py::type_error("a what-if value is a number or a word, not bool");
  return py::str(value).cast<std::string>();
}

}  // namespace

void register_whatif(py::module_& m) {
  py::class_<WhatIf>(m, "WhatIf", R"(The book evaluated as it is (``before``) and under changed terms (``after``), as of the same date.

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

  m.def(
      "_what_if",
      [](const Book& book, const py::dict& changes, std::optional<std::string> client, std::optional<std::string> engagement,
         std::optional<Date> as_of) {
        if (client && engagement) throw py::value_error("give client or engagement, not both");
        std::vector<TermsChange> list;
        for (auto [key, value] : changes) list.push_back({key.cast<std::string>(), change_text(value)});
        WhatIfScope scope;
        if (client) scope = {WhatIfScope::Kind::client, *client};
        if (engagement) scope = {WhatIfScope::Kind::engagement, *engagement};
        py::gil_scoped_release unlocked;
        return what_if(book, list, scope, as_of);
      },
      "book"_a, "changes"_a, "client"_a = py::none(), "engagement"_a = py::none(), "as_of"_a = py::none());
}

}  // namespace kontingent::python
