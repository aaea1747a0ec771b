// Conversions between kontingent's values and Python's. Money is exact both ways (Decimal ↔ cents);
// times have no zone and whole seconds, as in the book format.
#include <cmath>
#include <limits>

#include "common.hpp"
#include "kontingent/detail/scaled.hpp"
#include "kontingent/limits.hpp"

namespace kontingent::python {
namespace {

py::handle decimal_class() {
  static py::handle cls = py::object(py::module_::import("decimal").attr("Decimal")).release();  // lives as long as the module
  return cls;
}
py::handle fraction_class() {
  static py::handle cls = py::object(py::module_::import("fractions").attr("Fraction")).release();
  return cls;
}
/// numbers.Integral and numbers.Real: what numpy's integers and floats are registered as.
py::handle integral_class() {
  static py::handle cls = py::object(py::module_::import("numbers").attr("Integral")).release();
  return cls;
}
py::handle real_class() {
  static py::handle cls = py::object(py::module_::import("numbers").attr("Real")).release();
  return cls;
}
/// A decimal context in which scaling an amount is exact, whatever context the caller has set
/// (`decimal.localcontext(prec=4)` would otherwise round Decimal("4800.55") to 4801 on the way in).
py::handle exact_context() {
  static py::handle context = [] {
    const py::module_ decimal = py::module_::import("decimal");
    return py::object(decimal.attr("Context")(py::arg("prec") = decimal.attr("MAX_PREC"), py::arg("Emax") = decimal.attr("MAX_EMAX"),
                                              py::arg("Emin") = decimal.attr("MIN_EMIN")))
        .release();
  }();
  return context;
}

void ensure_datetime_api() {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  if (!PyDateTimeAPI) throw py::error_already_set();
}

std::string repr_of(py::handle value) { return py::repr(value).cast<std::string>(); }

}  // namespace

py::object to_decimal(const Money& m) { return decimal_class()(m.to_string()); }

std::int64_t cents_of(py::handle value) {
  if (PyBool_Check(value.ptr())) throw py::type_error("money must be a Decimal, int or str, not bool");
  if (PyFloat_Check(value.ptr()))
    throw py::type_error("money must be a Decimal, int or str, not float " + repr_of(value) +
                         ": floats are not exact (write Decimal(\"95.50\") or \"95.50\")");
  if (PyUnicode_Check(value.ptr())) {
    std::string rule;
    const std::int64_t cents = parse_cents(value.cast<std::string>(), rule);
    if (!rule.empty()) throw validation_error("", rule);
    return cents;
  }
  py::object scaled;
  if (PyLong_Check(value.ptr()) || py::isinstance(value, integral_class())) {  // int, numpy integers
    scaled = py::int_(py::reinterpret_borrow<py::object>(value)) * py::int_(100);
  } else if (py::isinstance(value, decimal_class())) {
    if (!value.attr("is_finite")().cast<bool>())
      throw validation_error("", "not an amount: " + repr_of(value) + " (money is finite)");
    py::object s = value.attr("scaleb")(2, exact_context());
    if (!s.attr("__eq__")(s.attr("to_integral_value")()).cast<bool>())
      throw validation_error("", "more than 2 decimals in \"" + py::str(value).cast<std::string>() + "\"");
    scaled = py::int_(s);
  } else {
    throw py::type_error("money must be a Decimal, int or str, not " +
                         py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
  }
  const py::int_ big(scaled);
  int overflow = 0;
  const long long cents = PyLong_AsLongLongAndOverflow(big.ptr(), &overflow);
  if (overflow != 0 || cents > limits::max_cents || cents < -limits::max_cents)
    throw validation_error("", "amount \"" + py::str(value).cast<std::string>() + "\" is too large");
  return cents;
}

std::int64_t scaled_of(py::handle value, std::int64_t scale, bool accepts_timedelta, std::string_view what) {
  ensure_datetime_api();
  if (PyDelta_Check(value.ptr())) {
    if (!accepts_timedelta) throw py::type_error(std::string(what) + " is a number, not a timedelta");
    const Seconds s = seconds_of_timedelta(value, what);
    return s * (scale / 3600) ;  // only hours (scale 3600) accept a timedelta
  }
  if (PyBool_Check(value.ptr())) throw py::type_error(std::string(what) + " must be a number, not bool");
  // int and numpy's integers, Decimal and Fraction are read exactly; float and the other reals
  // (numpy.float32) as floats.
  const bool exact = PyLong_Check(value.ptr()) || py::isinstance(value, integral_class()) || py::isinstance(value, decimal_class()) ||
                     py::isinstance(value, fraction_class());
  if (!exact && (PyFloat_Check(value.ptr()) || py::isinstance(value, real_class()))) {
    const double d = py::float_(py::reinterpret_borrow<py::object>(value));
    if (!std::isfinite(d) || std::fabs(d) > 1e6) throw validation_error("", std::string(what) + " must be at most 1000000, got " + repr_of(value));
    return detail::scaled_units(d, static_cast<double>(scale));  // as the JSON reader does
  }
  if (!exact)
    throw py::type_error(std::string(what) + " must be a number (int, Decimal, Fraction or float), not " +
                         py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
  if (py::isinstance(value, decimal_class()) && !value.attr("is_finite")().cast<bool>())
    throw validation_error("", std::string(what) + " must be a finite number, got " + repr_of(value));
  // Exact: Fraction(value) × scale, rounded half away from zero.
  const bool integral = PyLong_Check(value.ptr()) || py::isinstance(value, integral_class());
  py::object f = fraction_class()(integral ? py::int_(py::reinterpret_borrow<py::object>(value)) : value) * py::int_(scale);
  py::int_ n = f.attr("numerator"), d = f.attr("denominator");
  const bool negative = n < py::int_(0);
  py::object magnitude = negative ? -n : py::object(n);
  py::object q = (magnitude * py::int_(2) + d).attr("__floordiv__")(d * py::int_(2));
  if (negative) q = -q;
  int overflow = 0;
  const long long result = PyLong_AsLongLongAndOverflow(q.ptr(), &overflow);
  if (overflow != 0 || result > 1'000'000LL * scale || result < -1'000'000LL * scale)
    throw validation_error("", std::string(what) + " must be at most 1000000, got " + repr_of(value));
  return result;
}

py::object decimal_scaled(std::int64_t value, int digits) {
  std::int64_t unit = 1;
  for (int i = 0; i < digits; ++i) unit *= 10;
  const std::uint64_t magnitude = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string text = std::to_string(magnitude / static_cast<std::uint64_t>(unit));
  std::string fraction = std::to_string(magnitude % static_cast<std::uint64_t>(unit));
  fraction.insert(0, static_cast<std::size_t>(digits) - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) text += "." + fraction;
  return decimal_class()((value < 0 ? "-" : "") + text);
}

py::object to_timedelta(Seconds s) {
  ensure_datetime_api();
  const Seconds days = s >= 0 ? s / seconds_per_day : -((-s + seconds_per_day - 1) / seconds_per_day);
  return py::reinterpret_steal<py::object>(
      PyDelta_FromDSU(static_cast<int>(days), static_cast<int>(s - days * seconds_per_day), 0));
}

Seconds seconds_of_timedelta(py::handle value, std::string_view what) {
  ensure_datetime_api();
  if (!PyDelta_Check(value.ptr())) throw py::type_error(std::string(what) + " must be a timedelta");
  if (PyDateTime_DELTA_GET_MICROSECONDS(value.ptr()) != 0)
    throw validation_error("", std::string(what) + " must be whole seconds, got " + repr_of(value));
  return Seconds{PyDateTime_DELTA_GET_DAYS(value.ptr())} * seconds_per_day + PyDateTime_DELTA_GET_SECONDS(value.ptr());
}

}  // namespace kontingent::python

namespace pybind11::detail {

using kontingent::validation_error;

namespace {
/// Boost dates cover the years 1400 to 9999; outside them its out_of_range becomes a validation error.
boost::gregorian::date make_date(handle src) {
  try {
    return boost::gregorian::date(static_cast<unsigned short>(PyDateTime_GET_YEAR(src.ptr())),
                                  static_cast<unsigned short>(PyDateTime_GET_MONTH(src.ptr())),
                                  static_cast<unsigned short>(PyDateTime_GET_DAY(src.ptr())));
  } catch (const std::out_of_range&) {
    throw validation_error("", "date out of range (years 1400 to 9999): " + pybind11::repr(src).cast<std::string>());
  }
}
}  // namespace

bool type_caster<boost::posix_time::ptime>::load(handle src, bool) {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  if (PyUnicode_Check(src.ptr())) {
    value = kontingent::parse_time(src.cast<std::string>());
    return true;
  }
  if (!PyDateTime_Check(src.ptr())) return false;
  if (!src.attr("tzinfo").is_none())
    throw validation_error("", "times have no zone in kontingent (local wall-clock time), got " +
                                   pybind11::repr(src).cast<std::string>());
  if (PyDateTime_DATE_GET_MICROSECOND(src.ptr()) != 0)
    throw validation_error("", "times are whole seconds, got " + pybind11::repr(src).cast<std::string>());
  const auto date = make_date(src);
  value = boost::posix_time::ptime(date, boost::posix_time::hours(PyDateTime_DATE_GET_HOUR(src.ptr())) +
                                             boost::posix_time::minutes(PyDateTime_DATE_GET_MINUTE(src.ptr())) +
                                             boost::posix_time::seconds(PyDateTime_DATE_GET_SECOND(src.ptr())));
  return true;
}

handle type_caster<boost::posix_time::ptime>::cast(const boost::posix_time::ptime& t, return_value_policy, handle) {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  const auto ymd = t.date().year_month_day();
  const auto tod = t.time_of_day();
  return PyDateTime_FromDateAndTime(ymd.year, ymd.month, ymd.day, static_cast<int>(tod.hours()),
                                    static_cast<int>(tod.minutes()), static_cast<int>(tod.seconds()), 0);
}

bool type_caster<boost::gregorian::date>::load(handle src, bool) {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  if (PyUnicode_Check(src.ptr())) {
    value = kontingent::parse_date(src.cast<std::string>());
    return true;
  }
  if (!PyDate_Check(src.ptr())) return false;
  if (PyDateTime_Check(src.ptr()) &&
      (PyDateTime_DATE_GET_HOUR(src.ptr()) != 0 || PyDateTime_DATE_GET_MINUTE(src.ptr()) != 0 ||
       PyDateTime_DATE_GET_SECOND(src.ptr()) != 0 || PyDateTime_DATE_GET_MICROSECOND(src.ptr()) != 0))
    throw validation_error("", "a date was expected, got a datetime with a time of day: " + pybind11::repr(src).cast<std::string>());
  value = make_date(src);
  return true;
}

handle type_caster<boost::gregorian::date>::cast(const boost::gregorian::date& d, return_value_policy, handle) {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  const auto ymd = d.year_month_day();
  return PyDate_FromDate(ymd.year, ymd.month, ymd.day);
}

}  // namespace pybind11::detail
