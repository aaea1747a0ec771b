// Pickle states through kontingent::to_bytes / from_bytes (kontingent/formats/serialize.hpp). The heavy
// Boost.Serialization headers are compiled here only; the other files see declarations.
#include "serialization.hpp"

#include "journal_values.hpp"
#include "kontingent/formats/serialize.hpp"

namespace kontingent::python {
namespace {

std::string_view bytes_of(const py::tuple& state) {
  if (state.size() < 1 || !PyBytes_Check(state[0].ptr())) throw archive_error("", "not a kontingent pickle state");
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(state[0].ptr(), &data, &size) != 0) throw py::error_already_set();
  return {data, static_cast<std::size_t>(size)};
}

}  // namespace

template <class T>
py::tuple state_of(const T& value) {
  const std::string bytes = to_bytes(value);
  return py::make_tuple(py::bytes(bytes));
}

template <class T>
T from_state(const py::tuple& state) {
  return from_bytes<T>(bytes_of(state));
}

// An Entry in Python names its request by id; the archive holds the rest (request index -1).
template <>
py::tuple state_of<EntryValue>(const EntryValue& e) {
  const std::string bytes = to_bytes(Entry{e.start, e.seconds, e.kind, no_request, e.note, e.written_as_minutes});
  return py::make_tuple(py::bytes(bytes), e.request);
}
template <>
EntryValue from_state<EntryValue>(const py::tuple& state) {
  if (state.size() != 2) throw archive_error("", "not a kontingent pickle state");
  const Entry e = from_bytes<Entry>(bytes_of(state));
  return {e.start, e.seconds, e.kind, state[1].cast<std::string>(), e.note, e.written_as_minutes};
}

#define KONTINGENT_PICKLED(T) \
  template py::tuple state_of<T>(const T&); \
  template T from_state<T>(const py::tuple&);
KONTINGENT_PICKLED(Rounding)
KONTINGENT_PICKLED(CallFee)
KONTINGENT_PICKLED(Rush)
KONTINGENT_PICKLED(NoShow)
KONTINGENT_PICKLED(Terms)
KONTINGENT_PICKLED(Client)
KONTINGENT_PICKLED(Request)
KONTINGENT_PICKLED(Appointment)
KONTINGENT_PICKLED(InvoiceLine)
KONTINGENT_PICKLED(Invoice)
KONTINGENT_PICKLED(Payment)
KONTINGENT_PICKLED(Engagement)
KONTINGENT_PICKLED(Book)
KONTINGENT_PICKLED(Rounds)
KONTINGENT_PICKLED(ContingentUse)
KONTINGENT_PICKLED(EngagementReport)
KONTINGENT_PICKLED(Report)
#undef KONTINGENT_PICKLED

}  // namespace kontingent::python
