// The small value parsers of the import readers: dates in the user's format, 12/24-hour times,
// durations, locale numbers, yes/no. They compute on our day numbers (time.hpp, checked against the
// real calendar) and hand Boost times to the rows; the messages are listed in docs/import.md.
#include <algorithm>
#include <array>
#include <charconv>

#include "imports/import_detail.hpp"
#include "kontingent/limits.hpp"

namespace kontingent::detail {

std::string_view trim(std::string_view s) noexcept {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::vector<std::string> split_tags(std::string_view s) {
  std::vector<std::string> tags;
  while (true) {
    const std::size_t comma = s.find(',');
    const std::string_view tag = trim(s.substr(0, comma));
    if (!tag.empty()) tags.emplace_back(tag);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return tags;
}


namespace {

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

unsigned to_unsigned(std::string_view digits) noexcept {
  unsigned v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

/// Splits "a?b?c" at the separator into exactly three parts.
bool three_parts(std::string_view s, char separator, std::array<std::string_view, 3>& parts) {
  for (std::size_t i = 0; i < 2; ++i) {
    const std::size_t at = s.find(separator);
    if (at == std::string_view::npos) return false;
    parts[i] = s.substr(0, at);
    s.remove_prefix(at + 1);
  }
  parts[2] = s;
  return s.find(separator) == std::string_view::npos;
}

}  // namespace

std::string DateFormat::name() const {
  const std::string year = two_digit_year ? "YY" : "YYYY";
  const std::string sep(1, separator);
  switch (order) {
    case Order::ymd: return year + sep + "MM" + sep + "DD";
    case Order::mdy: return "MM" + sep + "DD" + sep + year;
    case Order::dmy: return "DD" + sep + "MM" + sep + year;
  }
  return {};
}

std::optional<DateFormat> parse_date_format(std::string_view text) {
  text = trim(text);
  const std::size_t at = text.find_first_not_of("YMDymd");
  if (at == std::string_view::npos) return std::nullopt;
  const char separator = text[at];
  if (separator != '-' && separator != '/' && separator != '.') return std::nullopt;
  std::array<std::string_view, 3> parts;
  if (!three_parts(text, separator, parts)) return std::nullopt;
  std::array<std::string, 3> tokens;
  for (std::size_t i = 0; i < 3; ++i)
    for (const char c : parts[i]) tokens[i] += static_cast<char>(c >= 'a' ? c - 'a' + 'A' : c);
  const auto is_year = [](const std::string& t) { return t == "YYYY" || t == "YY"; };
  const auto is_month = [](const std::string& t) { return t == "MM" || t == "M"; };
  const auto is_day = [](const std::string& t) { return t == "DD" || t == "D"; };
  DateFormat f;
  f.separator = separator;
  if (is_year(tokens[0]) && is_month(tokens[1]) && is_day(tokens[2])) f.order = DateFormat::Order::ymd, f.two_digit_year = tokens[0] == "YY";
  else if (is_month(tokens[0]) && is_day(tokens[1]) && is_year(tokens[2])) f.order = DateFormat::Order::mdy, f.two_digit_year = tokens[2] == "YY";
  else if (is_day(tokens[0]) && is_month(tokens[1]) && is_year(tokens[2])) f.order = DateFormat::Order::dmy, f.two_digit_year = tokens[2] == "YY";
  else return std::nullopt;
  return f;
}

bool parse_date_as(std::string_view text, const DateFormat& format, ClockDays& days, std::string& rule) {
  text = trim(text);
  std::array<std::string_view, 3> parts;
  std::string_view y, m, d;
  bool shape = three_parts(text, format.separator, parts);
  if (shape) {
    switch (format.order) {
      case DateFormat::Order::ymd: y = parts[0], m = parts[1], d = parts[2]; break;
      case DateFormat::Order::mdy: m = parts[0], d = parts[1], y = parts[2]; break;
      case DateFormat::Order::dmy: d = parts[0], m = parts[1], y = parts[2]; break;
    }
    shape = all_digits(y) && y.size() == (format.two_digit_year ? 2u : 4u) && all_digits(m) && m.size() <= 2 &&
            all_digits(d) && d.size() <= 2;
  }
  if (!shape) {
    rule = "not a date: " + detail::quoted(text) + " (expected " + format.name() + ")";
    return false;
  }
  const int year = static_cast<int>(to_unsigned(y)) + (format.two_digit_year ? 2000 : 0);
  const unsigned month = to_unsigned(m), day = to_unsigned(d);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
    rule = "impossible date " + detail::quoted(text) + " (read as " + format.name() + ")";
    return false;
  }
  if (year < limits::first_year) {  // Boost Date_Time's calendar
    rule = "date " + detail::quoted(text) + " is out of range (" + limits::year_range() + ")";
    return false;
  }
  days = days_from_civil(year, month, day);
  return true;
}

std::vector<DateFormat> date_formats_for(Tracker tracker) {
  using O = DateFormat::Order;
  const DateFormat iso{O::ymd, '-'}, us{O::mdy, '/'}, uk{O::dmy, '/'}, de{O::dmy, '.'}, dash_dmy{O::dmy, '-'},
      dash_mdy{O::mdy, '-'}, slash_ymd{O::ymd, '/'}, dot_ymd{O::ymd, '.'};
  switch (tracker) {
    case Tracker::clockify: return {us, uk, iso, de, dash_dmy, dash_mdy, slash_ymd, dot_ymd};
    case Tracker::kimai: return {iso, de, us, uk, dash_dmy, dash_mdy, slash_ymd, dot_ymd};
    case Tracker::toggl:
    case Tracker::harvest:
    case Tracker::timeclock:
    case Tracker::solidtime: break;
  }
  return {iso, us, uk, de, dash_dmy, dash_mdy, slash_ymd, dot_ymd};
}

DateFormat detect_date_format(const std::vector<std::string_view>& values, const std::vector<DateFormat>& candidates) {
  std::size_t best = 0, best_count = 0;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    std::size_t count = 0;
    std::string rule;
    ClockDays days = 0;
    for (const std::string_view v : values) count += parse_date_as(v, candidates[c], days, rule);
    if (count == values.size()) return candidates[c];
    if (count > best_count) best = c, best_count = count;
  }
  return candidates[best];
}

bool parse_time_of_day(std::string_view text, Seconds& seconds, std::string& rule) {
  const std::string_view original = trim(text);
  std::string_view s = original;
  // An AM/PM suffix makes it a 12-hour time.
  int half = 0;  // 0: 24-hour; 1: AM; 2: PM
  if (s.size() >= 2) {
    const char a = ascii_lower(s[s.size() - 2]), b = ascii_lower(s[s.size() - 1]);
    if ((a == 'a' || a == 'p') && b == 'm') {
      half = a == 'a' ? 1 : 2;
      s = trim(s.substr(0, s.size() - 2));
    }
  }
  const auto bad = [&] {
    rule = "not a time of day: " + detail::quoted(original) + " (expected HH:MM[:SS], or with AM/PM)";
    return false;
  };
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) return bad();
  const std::string_view h = s.substr(0, colon);
  std::string_view rest = s.substr(colon + 1);
  std::string_view m = rest, sec;
  if (const std::size_t c2 = rest.find(':'); c2 != std::string_view::npos) m = rest.substr(0, c2), sec = rest.substr(c2 + 1);
  if (!all_digits(h) || h.size() > 2 || !all_digits(m) || m.size() != 2 ||
      (!sec.empty() && (!all_digits(sec) || sec.size() != 2)) || (sec.empty() && rest.size() != m.size()))
    return bad();
  unsigned hours = to_unsigned(h);
  const unsigned minutes = to_unsigned(m), secs = sec.empty() ? 0 : to_unsigned(sec);
  if (minutes > 59 || secs > 59) return bad();
  if (half == 0) {
    if (hours > 23) return bad();
  } else {
    if (hours < 1 || hours > 12) return bad();
    hours = hours % 12 + (half == 2 ? 12 : 0);
  }
  seconds = Seconds{hours} * 3600 + minutes * 60 + secs;
  return true;
}

bool parse_clock_duration(std::string_view text, Seconds& seconds, std::string& rule) {
  const std::string_view s = trim(text);
  std::array<std::string_view, 3> parts;
  const bool with_seconds = three_parts(s, ':', parts);
  if (!with_seconds) {
    const std::size_t colon = s.find(':');
    if (colon != std::string_view::npos) parts = {s.substr(0, colon), s.substr(colon + 1), "00"};
  }
  const bool shape = s.find(':') != std::string_view::npos && all_digits(parts[0]) && parts[0].size() <= 6 &&
                     all_digits(parts[1]) && parts[1].size() == 2 && all_digits(parts[2]) && parts[2].size() == 2 &&
                     to_unsigned(parts[1]) < 60 && to_unsigned(parts[2]) < 60;
  if (!shape) {
    rule = "not a duration: " + detail::quoted(s) + " (expected H:MM:SS)";
    return false;
  }
  seconds = Seconds{to_unsigned(parts[0])} * 3600 + to_unsigned(parts[1]) * 60 + to_unsigned(parts[2]);
  return true;
}

bool parse_hours(std::string_view text, char decimal, Seconds& seconds, std::string& rule) {
  const std::string_view s = trim(text);
  const auto bad = [&] {
    rule = "not a number of hours: " + detail::quoted(s);
    return false;
  };
  if (!s.empty() && s.front() == '-') {
    rule = "hours must not be negative, got " + detail::quoted(s);
    return false;
  }
  if (decimal == 0) {
    // Both marks: the last one is the decimal point ("2.000,0", "1,000.25"). One mark once: it is
    // the decimal point — an entry of a thousand hours is no time entry, so "1,5" and "1.5" both
    // mean 1½ h. One mark repeated ("1.000.000"): it groups digits.
    const auto commas = std::count(s.begin(), s.end(), ','), dots = std::count(s.begin(), s.end(), '.');
    if (commas > 0 && dots > 0) decimal = s[s.find_last_of(".,")];
    else if (commas == 1) decimal = ',';
    else if (commas > 1) decimal = '.';
    else if (dots > 1) decimal = ',';
    else decimal = '.';
  }
  const char grouping = decimal == ',' ? '.' : ',';
  std::string whole, fraction;
  bool in_fraction = false;
  for (const char c : s) {
    if (c >= '0' && c <= '9') (in_fraction ? fraction : whole) += c;
    else if (c == decimal && !in_fraction) in_fraction = true;
    else if (c == grouping && !in_fraction && !whole.empty()) continue;
    else return bad();
  }
  // At most 9 999 999 hours, to the micro-hour: hours·3600 stays far inside 64 bits.
  if ((whole.empty() && fraction.empty()) || whole.size() > 7 || fraction.size() > 6) return bad();
  // hours·3600 exactly, then rounded to the nearest second (half up).
  std::int64_t scale = 1;
  for (std::size_t i = 0; i < fraction.size(); ++i) scale *= 10;
  const std::int64_t units = (whole.empty() ? 0 : std::stoll(whole)) * scale + (fraction.empty() ? 0 : std::stoll(fraction));
  seconds = (units * 3600 + scale / 2) / scale;
  return true;
}

bool parse_yes_no(std::string_view text, std::optional<bool>& value, std::string& rule) {
  const std::string word = ascii_lower(trim(text));
  if (word.empty()) value.reset();
  else if (word == "yes" || word == "true" || word == "1" || word == "ja" || word == "y" || word == "x") value = true;
  else if (word == "no" || word == "false" || word == "0" || word == "nein" || word == "n") value = false;
  else {
    rule = "expected Yes or No, got " + detail::quoted(trim(text));
    return false;
  }
  return true;
}

}  // namespace kontingent::detail
