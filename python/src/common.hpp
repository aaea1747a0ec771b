#pragma once
// What every register_<area>.cpp of the `_core` module shares: the conversions between kontingent's
// values and Python's (Money ↔ decimal.Decimal, Time ↔ datetime, Date ↔ date, enums ↔ the book's
// words), numpy arrays owned by capsules, and the one helper that gives a class ==, copy and pickle.
//
// The binding layer converts and delegates; it never decides a billing rule.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <datetime.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kontingent/kontingent.hpp"
#include "native_guard.hpp"

namespace kontingent::python {

namespace py = pybind11;
using namespace pybind11::literals;

/// Money in Python carries no currency: the engagement's currency is the only one. Values built in
/// Python hold this placeholder (ISO 4217 "XXX", no currency) until an engagement takes them.
inline constexpr Currency no_currency{};

/// decimal.Decimal of exact cents ("4800.00").
py::object to_decimal(const Money& m);
/// Exact cents of a Decimal, int or str; floats are refused (they are not exact). Throws
/// validation_error for more than 2 decimals, NaN or amounts too large.
std::int64_t cents_of(py::handle value);

/// The enum value for a book word, or validation_error "<what> must be a, b or c, got "x"".
template <class Enum>
Enum word(std::string_view text, std::string_view what) {
  if (auto e = from_name<Enum>(text)) return *e;
  throw validation_error("", std::string(what) + " must be " + names_list<Enum>() + ", got \"" + std::string(text) + "\"");
}
template <class Enum>
std::string word_of(Enum e) {
  return std::string(name(e));
}
/// All the words of an enum, in code order: what a numpy code column indexes.
template <class Enum>
py::tuple names_tuple() {
  const auto& values = enum_names<Enum>::values;
  py::tuple out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = py::str(values[i].data(), values[i].size());
  return out;
}

/// Whole seconds of a quantity given in `scale` units (hours: 3600, percent: 10^6): int, Decimal,
/// Fraction or float (rounded like the JSON reader), or a timedelta when the unit is a time.
std::int64_t scaled_of(py::handle value, std::int64_t scale, bool accepts_timedelta, std::string_view what);
/// Seconds as a float of hours (as the book format writes them).
inline double hours_of(Seconds s) { return static_cast<double>(s) / 3600.0; }
/// An exact Decimal of `value` / 10^digits, without trailing zeros ("12.5" for 12'500'000, 6).
py::object decimal_scaled(std::int64_t value, int digits);

/// A VAT's percent as a Decimal ("19"), None when it has none (categories Z, E, AE).
py::object vat_percent(const Vat& v);
/// A Vat from Python's words: category "S", "Z", "E" or "AE", percent a number or None.
Vat make_vat(const std::string& category, const py::object& percent, std::string exemption_reason);

py::object to_timedelta(Seconds s);
/// Whole seconds of a timedelta (fractions of a second are refused).
Seconds seconds_of_timedelta(py::handle value, std::string_view what);

/// Nanoseconds since 1970 of a time, for a datetime64[ns] column (the only unit pandas 1.5 has):
/// validation_error at `path()` for a time outside what 64 bits of nanoseconds hold, 1677-09-21T00:12:44
/// to 2262-04-11T23:47:16, instead of a wrapped-around time.
template <class Path>
std::int64_t nanoseconds_of(ClockSeconds t, Path&& path) {
  constexpr ClockSeconds limit = std::numeric_limits<std::int64_t>::max() / 1'000'000'000;
  if (t < -limit || t > limit)
    throw validation_error(path(), format_time(t) + " is outside the times a datetime64[ns] column holds (" +
                                       format_time(-limit) + " to " + format_time(limit) +
                                       "; pandas 1.5 knows no other unit)");
  return t * 1'000'000'000;
}

/// A numpy array that owns `v`: the buffer C++ filled becomes the array's buffer (no copy).
template <class T>
py::array owned_array(std::vector<T>&& v, py::dtype dtype = py::dtype::of<T>()) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array(dtype, {static_cast<py::ssize_t>(heap->size())}, {static_cast<py::ssize_t>(sizeof(T))}, heap->data(),
                   owner);
}

/// Holds of the module's NativeGuard (native_guard.hpp), taken with the GIL held (a hold that has
/// to wait waits without it). Native work that releases the GIL reads under `reading`, taken before
/// it releases the GIL. Every change made from Python happens under `changing`, taken once the
/// change's Python arguments are converted (no Python code runs inside it) and with the GIL held
/// throughout — so code that reads a book while holding the GIL needs no hold.
NativeGuard::Hold reading(const Book& book);
NativeGuard::Hold reading(const Engagement& engagement);
NativeGuard::Hold changing(const Book& book);
NativeGuard::Hold changing(const Engagement& engagement);

/// `__eq__`, `__copy__`, `__deepcopy__` for a regular value type (`equal` for a library type without
/// its own ==). Pickle is added separately (add_pickle), from the type's Boost.Serialization
/// serialize() where it has one.
template <class T, class... Options, class Equal = std::equal_to<>>
py::class_<T, Options...>& add_value_protocol(py::class_<T, Options...>& cls, Equal equal = {}) {
  cls.def("__eq__", [equal](const T& a, const T& b) { return equal(a, b); }, py::is_operator())
      .def("__ne__", [equal](const T& a, const T& b) { return !equal(a, b); }, py::is_operator())
      .def("__copy__", [](const T& self) { return T(self); })
      .def("__deepcopy__", [](const T& self, py::dict) { return T(self); }, "memo"_a);
  cls.attr("__hash__") = py::none();
  return cls;
}

// The registrations, one per area (module.cpp calls them in order).
void register_errors(py::module_& m);
void register_terms(py::module_& m);
void register_journal(py::module_& m);
void register_book(py::module_& m);
void register_report(py::module_& m);
void register_record(py::module_& m);
void register_columns(py::module_& m);
void register_whatif(py::module_& m);
void register_triage(py::module_& m);
void register_import(py::module_& m);
void register_invoice(py::module_& m);

/// Rethrows a validation_error of a book made of just one engagement with the "engagements[0]."
/// part of its path removed, so that it names the place inside the engagement.
[[noreturn]] void rethrow_inside_engagement(const validation_error& e);
/// docs/formats.md checks for one engagement on its own (cross-engagement rules need the whole book).
void validate_engagement(Engagement& e);
/// Moves every amount of the engagement into its currency (Python amounts carry none).
void rebase(Engagement& e, Currency c);
void rebase(Terms& t, Currency c);
void rebase(Request& r, Currency c);
void rebase(Invoice& i, Currency c);
void rebase(Payment& p, Currency c);

}  // namespace kontingent::python

// ---- type casters: Money ↔ Decimal, Time ↔ datetime, Date ↔ date ------------------------------
namespace pybind11::detail {

template <>
struct type_caster<kontingent::Money> {
  PYBIND11_TYPE_CASTER(kontingent::Money, const_name("decimal.Decimal"));
  bool load(handle src, bool) {
    if (src.is_none()) return false;
    value = kontingent::Money(kontingent::python::cents_of(src), kontingent::python::no_currency);
    return true;
  }
  static handle cast(const kontingent::Money& m, return_value_policy, handle) {
    return kontingent::python::to_decimal(m).release();
  }
};

template <>
struct type_caster<boost::posix_time::ptime> {
  PYBIND11_TYPE_CASTER(boost::posix_time::ptime, const_name("datetime.datetime"));
  bool load(handle src, bool convert);
  static handle cast(const boost::posix_time::ptime& t, return_value_policy, handle);
};

template <>
struct type_caster<boost::gregorian::date> {
  PYBIND11_TYPE_CASTER(boost::gregorian::date, const_name("datetime.date"));
  bool load(handle src, bool convert);
  static handle cast(const boost::gregorian::date& d, return_value_policy, handle);
};

}  // namespace pybind11::detail
