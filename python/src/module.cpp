// kontingent._core: the compiled half of the Python package. One register_<area>.cpp per area;
// the pure-Python package (python/kontingent/) re-exports these names and adds pandas and plots.
#include "common.hpp"

PYBIND11_MODULE(_core, m) {
  using namespace kontingent::python;
  m.doc() = "kontingent's C++ core: the model, evaluation, book files and bulk columns.";
  m.attr("__version__") = std::string(kontingent::version);
  register_errors(m);
  register_terms(m);
  register_journal(m);
  register_book(m);
  register_report(m);
  register_columns(m);
  register_whatif(m);
  register_triage(m);
  register_import(m);
  register_record(m);
  register_invoice(m);
}
