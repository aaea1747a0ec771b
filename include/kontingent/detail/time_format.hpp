#pragma once
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "kontingent/error.hpp"
#include "kontingent/limits.hpp"
#include "kontingent/time.hpp"

namespace kontingent {
namespace detail {

inline bool digits_at(std::string_view s, std::size_t at, std::size_t n, unsigned& value) {
  value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

inline void put_digits(std::string& out, unsigned value, int width) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) buf[i] = static_cast<char>('0' + value % 10), value /= 10;
  out.append(buf, static_cast<std::size_t>(width));
}

inline bool parse_ymd(std::string_view s, ClockDays& days, std::string& rule) {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() < 10 || !digits_at(s, 0, 4, y) || s[4] != '-' || !digits_at(s, 5, 2, m) || s[7] != '-' ||
      !digits_at(s, 8, 2, d))
    return false;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(static_cast<int>(y), m)) {
    rule = "impossible date \"" + std::string(s.substr(0, 10)) + "\"";
    return false;
  }
  if (y < limits::first_year) {  // Boost Date_Time's calendar
    rule = "date \"" + std::string(s.substr(0, 10)) + "\" is out of range (" + limits::year_range() + ")";
    return false;
  }
  days = days_from_civil(static_cast<int>(y), m, d);
  return true;
}

/// The month of the time parse_clock_time() read last, kept by a reader of many times in a row: a
/// time in the same month as the one before (in a book, most are) skips reading its year and month
/// again and counting the days to them.
struct LastMonth {
  std::uint64_t text = 0;  ///< "YYYY-MM-" as read, first character in the lowest byte
  ClockDays first = 0;     ///< its first day
  unsigned length = 0;     ///< its days; 0 until a month is read
};

/// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, the forms of nearly every time in a book, read
/// eight bytes at a time: a book of 10^6 entries has more than 10^6 of them. False for anything
/// else — a wrong character, an impossible date — which parse_time_bytewise() then reads and names.
/// `last` (if given) is the month of the time read before, and becomes this one's.
inline bool parse_clock_time(std::string_view text, ClockSeconds& time, LastMonth* last = nullptr) noexcept {
  if constexpr (std::endian::native != std::endian::little) return false;
  if (text.size() != 16 && text.size() != 19) return false;
  std::uint64_t date = 0, clock = 0;  // "YYYY-MM-" and "DDTHH:MM", first character in the lowest byte
  std::memcpy(&date, text.data(), 8);
  std::memcpy(&clock, text.data() + 8, 8);
  constexpr std::uint64_t date_marks = 0xFF0000FF00000000, clock_marks = 0x0000FF0000FF0000;
  if ((date & date_marks) != 0x2D00002D00000000 || (clock & clock_marks) != 0x00003A0000540000) return false;
  constexpr std::uint64_t zeros = 0x3030303030303030, high = 0xF0F0F0F0F0F0F0F0, six = 0x0606060606060606;
  // Marks replaced by '0', then all eight must be digits: high nibble 3, and no carry out of the low one when adding 6.
  const auto all_digits = [&](std::uint64_t w, std::uint64_t marks) {
    w = (w & ~marks) | (zeros & marks);
    return ((w & high) | (((w + six) & high) >> 4)) == 0x3333333333333333;
  };
  if (!all_digits(clock, clock_marks)) return false;
  // The seconds, or ":00" for a time without them: no branch on which, for books that mix both
  // (a writer that leaves out zero seconds, as kontingent's does).
  const char* const s = text.size() == 19 ? text.data() + 16 : ":00";
  const unsigned tens = static_cast<unsigned char>(s[1]) - unsigned{'0'}, ones = static_cast<unsigned char>(s[2]) - unsigned{'0'};
  if ((s[0] != ':') | (tens > 5) | (ones > 9)) return false;
  const unsigned second = tens * 10 + ones;
  // Byte k of pairs(w): the two digits at bytes k and k + 1 as a number (10 × 9 + 9 fits a byte, so nothing carries).
  const auto pairs = [](std::uint64_t w) {
    const std::uint64_t digits = w & 0x0F0F0F0F0F0F0F0F;
    return digits * 10 + (digits >> 8);
  };
  const auto byte = [](std::uint64_t w, int k) { return static_cast<unsigned>((w >> (8 * k)) & 0xFF); };
  const std::uint64_t clock_pairs = pairs(clock);  // "DD", "HH" and "MM" at bytes 0, 3 and 6
  const unsigned hour = byte(clock_pairs, 3), minute = byte(clock_pairs, 6);
  if (hour > 23 || minute > 59) return false;
  const unsigned day = byte(clock_pairs, 0);  // "DD", checked as digits with the clock
  LastMonth month_read;
  LastMonth& month = last ? *last : month_read;
  if (month.length == 0 || month.text != date) {
    if (!all_digits(date, date_marks)) return false;
    const std::uint64_t date_pairs = pairs(date);  // "YY", "YY" and "MM" at bytes 0, 2 and 5
    const unsigned year = byte(date_pairs, 0) * 100 + byte(date_pairs, 2), month_number = byte(date_pairs, 5);
    if (year < limits::first_year || month_number < 1 || month_number > 12) return false;
    month = {date, days_from_civil(static_cast<int>(year), month_number, 1), days_in_month(static_cast<int>(year), month_number)};
  }
  if (day < 1 || day > month.length) return false;
  const ClockDays days = month.first + static_cast<ClockDays>(day) - 1;
  time = Seconds{days} * seconds_per_day + hour * 3600 + minute * 60 + second;
  return true;
}

/// A time read a byte at a time, naming what is wrong in `rule` (left empty when nothing is).
inline ClockSeconds parse_time_bytewise(std::string_view text, std::string& rule) {
  ClockDays days = 0;
  unsigned h = 0, m = 0, s = 0;
  const bool shape = (text.size() == 16 || text.size() == 19) && text[10] == 'T' && digits_at(text, 11, 2, h) &&
                     text[13] == ':' && digits_at(text, 14, 2, m) &&
                     (text.size() == 16 || (text[16] == ':' && digits_at(text, 17, 2, s)));
  if (!shape || !parse_ymd(text, days, rule)) {
    if (rule.empty()) rule = "not a time: \"" + std::string(text) + "\" (expected YYYY-MM-DDTHH:MM)";
    return 0;
  }
  if (h > 23 || m > 59 || s > 59) {
    rule = "impossible time \"" + std::string(text) + "\"";
    return 0;
  }
  return Seconds{days} * seconds_per_day + h * 3600 + m * 60 + s;
}

}  // namespace detail

inline ClockDays parse_date(std::string_view text, std::string& rule) {
  rule.clear();
  ClockDays days = 0;
  if (text.size() != 10 || !detail::parse_ymd(text, days, rule)) {
    if (rule.empty()) rule = "not a date: \"" + std::string(text) + "\" (expected YYYY-MM-DD)";
    return 0;
  }
  return days;
}

inline ClockSeconds parse_time(std::string_view text, std::string& rule) {
  rule.clear();
  if (ClockSeconds t = 0; detail::parse_clock_time(text, t)) return t;
  return detail::parse_time_bytewise(text, rule);
}

inline std::string format_date(ClockDays days) {
  const CivilDate c = civil_from_days(days);
  std::string out;
  out.reserve(10);
  detail::put_digits(out, static_cast<unsigned>(c.year), 4);
  out += '-';
  detail::put_digits(out, c.month, 2);
  out += '-';
  detail::put_digits(out, c.day, 2);
  return out;
}

inline std::string format_time_of_day(ClockSeconds t) {
  const auto s = static_cast<unsigned>(t - Seconds{day_of(t)} * seconds_per_day);
  std::string out;
  detail::put_digits(out, s / 3600, 2);
  out += ':';
  detail::put_digits(out, s / 60 % 60, 2);
  if (s % 60 != 0) {
    out += ':';
    detail::put_digits(out, s % 60, 2);
  }
  return out;
}

inline std::string format_time(ClockSeconds t) { return format_date(day_of(t)) + 'T' + format_time_of_day(t); }

/// A duration as hours and minutes, "12:35" (and ":10" seconds when it has any; "-" before a negative one).
inline std::string format_duration(Seconds s) {
  std::string out = s < 0 ? "-" : "";
  const std::uint64_t magnitude = s < 0 ? 0 - static_cast<std::uint64_t>(s) : static_cast<std::uint64_t>(s);
  out += std::to_string(magnitude / 3600) + ':';
  detail::put_digits(out, static_cast<unsigned>(magnitude / 60 % 60), 2);
  if (magnitude % 60 != 0) {
    out += ':';
    detail::put_digits(out, static_cast<unsigned>(magnitude % 60), 2);
  }
  return out;
}

inline Date parse_date(std::string_view text) {
  std::string rule;
  const ClockDays days = parse_date(text, rule);
  if (!rule.empty()) throw validation_error("", rule);
  return to_date(days);
}

inline Time parse_time(std::string_view text) {
  std::string rule;
  const ClockSeconds t = parse_time(text, rule);
  if (!rule.empty()) throw validation_error("", rule);
  return to_time(t);
}

}  // namespace kontingent
