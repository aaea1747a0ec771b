#pragma once
// Times are local wall-clock times without zones (docs/formats.md, values). The public API speaks Boost Date_Time
// (`Time`, `Date`); the journal stores times as whole seconds since 1970-01-01T00:00 on that same
// wall clock (`ClockSeconds`), so that columns stay flat and a duration is a plain difference.
#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/limits.hpp"

namespace kontingent {

using Time = boost::posix_time::ptime;
using Date = boost::gregorian::date;
/// A duration in whole seconds.
using Seconds = std::int64_t;
/// A wall-clock time as seconds since 1970-01-01T00:00 (no zone).
using ClockSeconds = std::int64_t;
/// A date as days since 1970-01-01.
using ClockDays = std::int32_t;

inline constexpr Seconds seconds_per_day = 86400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr ClockDays days_from_civil(int year, unsigned month, unsigned day) noexcept {
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

struct CivilDate {
  int year;
  unsigned month;
  unsigned day;
};

/// The calendar date of a day number (inverse of days_from_civil).
constexpr CivilDate civil_from_days(ClockDays days) noexcept {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(yoe) + era * 400 + (month <= 2), month, day};
}

/// The first and last day and second a book may hold (limits::first_year to limits::last_year).
inline constexpr ClockDays first_day = days_from_civil(limits::first_year, 1, 1);
inline constexpr ClockDays last_day = days_from_civil(limits::last_year, 12, 31);
inline constexpr ClockSeconds first_second = ClockSeconds{first_day} * seconds_per_day;
inline constexpr ClockSeconds last_second = ClockSeconds{last_day} * seconds_per_day + seconds_per_day - 1;

constexpr bool is_leap_year(int year) noexcept { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

constexpr unsigned days_in_month(int year, unsigned month) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

constexpr ClockDays day_of(ClockSeconds t) noexcept {
  return static_cast<ClockDays>(t >= 0 ? t / seconds_per_day : (t - seconds_per_day + 1) / seconds_per_day);
}

/// Months since year 0 (year·12 + month − 1): consecutive calendar months differ by one.
constexpr std::int32_t month_number(ClockDays days) noexcept {
  const CivilDate c = civil_from_days(days);
  return c.year * 12 + static_cast<std::int32_t>(c.month) - 1;
}

inline Date to_date(ClockDays days) {
  const CivilDate c = civil_from_days(days);
  return Date(static_cast<unsigned short>(c.year), static_cast<unsigned short>(c.month), static_cast<unsigned short>(c.day));
}
inline ClockDays clock_days(const Date& d) {
  const auto ymd = d.year_month_day();
  return days_from_civil(ymd.year, ymd.month, ymd.day);
}
inline Time to_time(ClockSeconds t) {
  const ClockDays d = day_of(t);
  return Time(to_date(d), boost::posix_time::seconds(static_cast<long>(t - Seconds{d} * seconds_per_day)));
}
inline ClockSeconds clock_seconds(const Time& t) {
  return Seconds{clock_days(t.date())} * seconds_per_day + t.time_of_day().total_seconds();
}

/// Parses `YYYY-MM-DD`. On failure returns 0 and sets `rule` to a message; `rule` is empty on success.
ClockDays parse_date(std::string_view text, std::string& rule);
/// Parses `YYYY-MM-DDTHH:MM[:SS]`, same error convention as parse_date.
ClockSeconds parse_time(std::string_view text, std::string& rule);
std::string format_date(ClockDays days);
/// `YYYY-MM-DDTHH:MM`, with `:SS` only when the seconds are not zero.
std::string format_time(ClockSeconds t);
/// `HH:MM` (`HH:MM:SS` when needed): how a message shows a time on a known day.
std::string format_time_of_day(ClockSeconds t);

/// Parses a date with Boost's types, throwing validation_error on anything but `YYYY-MM-DD`.
Date parse_date(std::string_view text);
/// Parses a time with Boost's types, throwing validation_error on anything but `YYYY-MM-DDTHH:MM[:SS]`.
Time parse_time(std::string_view text);

/// Per-entry rounding of billable time.
enum class RoundingMode : std::uint8_t { up, down, nearest };

struct Rounding {
  Seconds increment = 60;
  RoundingMode mode = RoundingMode::up;

  /// The billable seconds of an entry of `s` raw seconds.
  constexpr Seconds apply(Seconds s) const noexcept {
    return apply(s, [this](Seconds n) { return n / increment; });
  }
  /// apply() with `per_increment(n)` computing n / increment: a loop over many entries passes a
  /// division prepared once (detail::DivideBy).
  template <class DivideByIncrement>
  constexpr Seconds apply(Seconds s, const DivideByIncrement& per_increment) const noexcept {
    const Seconds offset = mode == RoundingMode::up ? increment - 1 : mode == RoundingMode::nearest ? increment / 2 : 0;
    return per_increment(s + offset) * increment;
  }
  friend constexpr bool operator==(const Rounding&, const Rounding&) = default;
};

}  // namespace kontingent

// Parsing and formatting are small and hot in readers; they stay inline but out of the way.
#include "kontingent/detail/time_format.hpp"
