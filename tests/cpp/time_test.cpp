// SPEC §2 times: local wall-clock `YYYY-MM-DDTHH:MM[:SS]` and dates `YYYY-MM-DD`, no zones; the
// clock-seconds arithmetic agrees with Boost's calendar; per-entry rounding up / down / nearest.
#include <catch2/catch.hpp>

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <string>
#include <vector>

#include "kontingent/time.hpp"

using namespace kontingent;

namespace {

namespace greg = boost::gregorian;
namespace pt = boost::posix_time;

/// The rule parse_date reports for `text` ("" when it parses).
std::string date_rule(const std::string& text) {
  std::string rule;
  (void)parse_date(text, rule);
  return rule;
}
std::string time_rule(const std::string& text) {
  std::string rule;
  (void)parse_time(text, rule);
  return rule;
}
std::string not_a_date(const std::string& text) { return "not a date: \"" + text + "\" (expected YYYY-MM-DD)"; }
std::string not_a_time(const std::string& text) { return "not a time: \"" + text + "\" (expected YYYY-MM-DDTHH:MM)"; }

}  // namespace

// The calendar helpers are constexpr.
static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(1970, 1, 2) == 1);
static_assert(days_from_civil(1969, 12, 31) == -1);
static_assert(days_from_civil(2000, 3, 1) == 11017);
static_assert(civil_from_days(0).year == 1970 && civil_from_days(0).month == 1 && civil_from_days(0).day == 1);
static_assert(civil_from_days(-1).year == 1969 && civil_from_days(-1).month == 12 && civil_from_days(-1).day == 31);
static_assert(is_leap_year(2024) && !is_leap_year(2026) && !is_leap_year(1900) && is_leap_year(2000));
static_assert(Rounding{900, RoundingMode::nearest}.apply(450) == 900);

// ---- Parsing dates ---------------------------------------------------------------------------------

TEST_CASE("parse_date reads YYYY-MM-DD into days since 1970-01-01") {
  std::string rule = "left over from before";
  CHECK(parse_date("2026-01-05", rule) == days_from_civil(2026, 1, 5));
  CHECK(rule.empty());
  CHECK(parse_date("1970-01-01", rule) == 0);
  CHECK(parse_date("1969-12-31", rule) == -1);
  CHECK(parse_date("2026-12-31", rule) == days_from_civil(2026, 12, 31));
  CHECK(parse_date("1400-01-01", rule) == days_from_civil(1400, 1, 1));
  CHECK(parse_date("9999-12-31", rule) == days_from_civil(9999, 12, 31));
  CHECK(rule.empty());
}

TEST_CASE("february 29th exists in leap years only: every 4th year, but not centuries unless every 400th") {
  CHECK(date_rule("2024-02-29") == "");
  CHECK(date_rule("2000-02-29") == "");
  CHECK(date_rule("2026-02-29") == "impossible date \"2026-02-29\"");
  CHECK(date_rule("1900-02-29") == "impossible date \"1900-02-29\"");
  CHECK(date_rule("2100-02-29") == "impossible date \"2100-02-29\"");
  CHECK(date_rule("2024-02-30") == "impossible date \"2024-02-30\"");
}

TEST_CASE("a date with a month or day that does not exist is impossible") {
  CHECK(date_rule("2026-13-01") == "impossible date \"2026-13-01\"");
  CHECK(date_rule("2026-00-10") == "impossible date \"2026-00-10\"");
  CHECK(date_rule("2026-01-00") == "impossible date \"2026-01-00\"");
  CHECK(date_rule("2026-01-32") == "impossible date \"2026-01-32\"");
  CHECK(date_rule("2026-04-31") == "impossible date \"2026-04-31\"");
  CHECK(date_rule("2026-04-30") == "");
  CHECK(date_rule("2026-02-28") == "");
}

TEST_CASE("dates before 1400 are out of Boost's range") {
  CHECK(date_rule("1399-12-31") == "date \"1399-12-31\" is out of range (years 1400 to 9999)");
  CHECK(date_rule("0000-01-01") == "date \"0000-01-01\" is out of range (years 1400 to 9999)");
}

TEST_CASE("a date in any other shape is not a date") {
  for (const std::string text : {"", "2026-1-05", "2026-01-5", "26-01-05", "2026/01/05", "05.01.2026", "20260105", "2026-01-05 ",
                                 " 2026-01-05", "2026-01-05T10:00", "+026-01-05", "2026-0a-05", "2026_01_05", "yyyy-mm-dd"}) {
    INFO("text: \"" << text << "\"");
    CHECK(date_rule(text) == not_a_date(text));
  }
  std::string rule;
  CHECK(parse_date("2026-01-5", rule) == 0);  // and the value is 0
}

// ---- Parsing times ---------------------------------------------------------------------------------

TEST_CASE("parse_time reads YYYY-MM-DDTHH:MM with or without seconds") {
  std::string rule = "left over from before";
  const ClockSeconds day = Seconds{days_from_civil(2026, 1, 5)} * seconds_per_day;
  CHECK(parse_time("2026-01-05T10:00", rule) == day + 10 * 3600);
  CHECK(rule.empty());
  CHECK(parse_time("2026-01-05T10:00:30", rule) == day + 10 * 3600 + 30);
  CHECK(parse_time("2026-01-05T10:00:00", rule) == day + 10 * 3600);
  CHECK(parse_time("2026-01-05T00:00", rule) == day);
  CHECK(parse_time("2026-01-05T23:59:59", rule) == day + seconds_per_day - 1);
  CHECK(parse_time("1969-12-31T23:59", rule) == -60);
  CHECK(rule.empty());
}

TEST_CASE("24:00 is no time of day: hours run to 23, minutes and seconds to 59") {
  CHECK(time_rule("2026-01-05T24:00") == "impossible time \"2026-01-05T24:00\"");
  CHECK(time_rule("2026-01-05T25:00") == "impossible time \"2026-01-05T25:00\"");
  CHECK(time_rule("2026-01-05T23:60") == "impossible time \"2026-01-05T23:60\"");
  CHECK(time_rule("2026-01-05T10:00:60") == "impossible time \"2026-01-05T10:00:60\"");
  CHECK(time_rule("2026-01-05T23:59:59") == "");
}

TEST_CASE("a time on an impossible date names the date") {
  CHECK(time_rule("2026-02-29T10:00") == "impossible date \"2026-02-29\"");
  CHECK(time_rule("2024-02-29T10:00") == "");
  CHECK(time_rule("2026-13-01T10:00:00") == "impossible date \"2026-13-01\"");
  CHECK(time_rule("1399-12-31T10:00") == "date \"1399-12-31\" is out of range (years 1400 to 9999)");
}

TEST_CASE("a time in any other shape is not a time") {
  for (const std::string text : {"", "2026-01-05", "2026-01-05T10", "2026-01-05 10:00", "2026-01-05t10:00", "2026-01-05T1:00",
                                 "2026-01-05T10:0", "2026-01-05T10:00:", "2026-01-05T10:00:5", "2026-01-05T10:00Z",
                                 "2026-01-05T10:00+01:00", "2026-01-05T10:00:00.000", "2026-01-05T10.00", "2026-1-05T10:00:00",
                                 "2026-01-05T10:00:0x", "2026-01-05T1a:00"}) {
    INFO("text: \"" << text << "\"");
    CHECK(time_rule(text) == not_a_time(text));
  }
  std::string rule;
  CHECK(parse_time("2026-01-05T10", rule) == 0);
}

TEST_CASE("the eight-bytes-at-a-time reading of times agrees with reading byte by byte") {
  const auto careful = [](const std::string& text, ClockSeconds& t) {
    std::string rule;
    t = detail::parse_time_bytewise(text, rule);
    return rule.empty();
  };
  std::size_t fast = 0, checked = 0;
  for (const std::string valid : {"2026-01-05T10:00", "2024-02-29T23:59", "1400-01-01T00:00", "9999-12-31T23:59",
                                  "1969-12-31T12:34", "2000-02-29T09:09", "1900-03-01T19:50", "2026-01-05T10:00:00",
                                  "2024-02-29T23:59:59", "9999-12-31T23:59:59", "1400-01-01T00:00:01", "2026-03-29T02:30:49"}) {
    for (std::size_t at = 0; at < valid.size(); ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text = valid;
        text[at] = static_cast<char>(byte);
        ClockSeconds expected = 0, got = 0;
        const bool ok = careful(text, expected);
        INFO("text: \"" << text << "\"");
        REQUIRE(detail::parse_clock_time(text, got) == ok);  // every valid time takes the fast path
        if (ok) {
          CHECK(got == expected);
          ++fast;
        }
        // The same after a time of the valid text's day, of the first day of its month, or of
        // another month was read: a remembered month must not let an impossible day through.
        for (const std::string before : {valid, valid.substr(0, 8) + "01T08:00", std::string("2025-07-14T08:00")}) {
          detail::LastMonth last;
          ClockSeconds ignored = 0, again = 0;
          REQUIRE(detail::parse_clock_time(before, ignored, &last));
          REQUIRE(detail::parse_clock_time(text, again, &last) == ok);
          if (ok) CHECK(again == expected);
        }
        ++checked;
      }
    }
  }
  CHECK(checked == (7 * 16 + 5 * 19) * 256);
  CHECK(fast >= 7 * 16 + 5 * 19);  // at least each position left as it was
  ClockSeconds ignored = 0;
  CHECK_FALSE(detail::parse_clock_time("2026-01-05T10:00:6", ignored));
  CHECK_FALSE(detail::parse_clock_time("2026-01-05T10:0", ignored));
  CHECK_FALSE(detail::parse_clock_time("2026-01-05T10:00:60", ignored));
}

TEST_CASE("the Boost overloads return Boost dates and times") {
  CHECK(parse_date("2026-01-05") == greg::date(2026, 1, 5));
  CHECK(parse_date("2024-02-29") == greg::date(2024, 2, 29));
  CHECK(parse_time("2026-01-05T10:00") == pt::ptime(greg::date(2026, 1, 5), pt::hours(10)));
  CHECK(parse_time("2026-01-05T10:00:30") == pt::ptime(greg::date(2026, 1, 5), pt::hours(10) + pt::seconds(30)));
  CHECK(parse_time("1969-12-31T23:59") == pt::ptime(greg::date(1969, 12, 31), pt::hours(23) + pt::minutes(59)));
}

TEST_CASE("the Boost overloads throw validation_error with the rule and no path") {
  CHECK_THROWS_WITH(parse_date("2026-02-29"), "impossible date \"2026-02-29\"");
  CHECK_THROWS_WITH(parse_date("1900-02-29"), "impossible date \"1900-02-29\"");
  CHECK_THROWS_WITH(parse_date("2026-01-05T10:00"), not_a_date("2026-01-05T10:00"));
  CHECK_THROWS_WITH(parse_time("2026-01-05T24:00"), "impossible time \"2026-01-05T24:00\"");
  CHECK_THROWS_WITH(parse_time("2026-01-05"), not_a_time("2026-01-05"));
  CHECK_THROWS_AS(parse_time("2026-01-05 10:00"), validation_error);
  try {
    (void)parse_date("2026-13-01");
    FAIL("parsed");
  } catch (const validation_error& e) {
    CHECK(e.path().empty());
    CHECK(e.rule() == "impossible date \"2026-13-01\"");
  }
}

// ---- Formatting ------------------------------------------------------------------------------------

TEST_CASE("formatting gives back the text that was parsed") {
  for (const std::string text : {"2026-01-05", "2024-02-29", "2000-02-29", "1970-01-01", "1969-12-31", "1400-01-01", "9999-12-31"}) {
    std::string rule;
    CHECK(format_date(parse_date(text, rule)) == text);
    CHECK(rule.empty());
  }
  for (const std::string text : {"2026-01-05T10:00", "2026-01-05T10:00:30", "2026-01-05T00:00", "2026-01-05T23:59:59",
                                 "1969-12-31T23:59", "1969-12-31T00:00:01", "1400-01-01T00:00", "9999-12-31T23:59:59"}) {
    std::string rule;
    CHECK(format_time(parse_time(text, rule)) == text);
    CHECK(rule.empty());
  }
}

TEST_CASE("format_time leaves out seconds that are zero") {
  std::string rule;
  CHECK(format_time(parse_time("2026-01-05T10:00:00", rule)) == "2026-01-05T10:00");
  CHECK(format_time_of_day(parse_time("2026-01-05T10:00:00", rule)) == "10:00");
  CHECK(format_time_of_day(parse_time("2026-01-05T09:05:07", rule)) == "09:05:07");
  CHECK(format_time_of_day(parse_time("1969-12-31T23:59:30", rule)) == "23:59:30");
  CHECK(format_time_of_day(0) == "00:00");
}

TEST_CASE("clock seconds and Boost times convert both ways") {
  for (const std::string text : {"2026-01-05T10:00:30", "1969-12-31T23:59:59", "1970-01-01T00:00", "2024-02-29T12:00"}) {
    std::string rule;
    const ClockSeconds t = parse_time(text, rule);
    CHECK(clock_seconds(to_time(t)) == t);
    CHECK(to_time(t) == parse_time(text));
    CHECK(clock_days(to_date(day_of(t))) == day_of(t));
  }
}

TEST_CASE("day_of puts a time before 1970 on the day it belongs to") {
  CHECK(day_of(0) == 0);
  CHECK(day_of(seconds_per_day - 1) == 0);
  CHECK(day_of(seconds_per_day) == 1);
  CHECK(day_of(-1) == -1);
  CHECK(day_of(-seconds_per_day) == -1);
  CHECK(day_of(-seconds_per_day - 1) == -2);
}

// ---- The calendar against Boost --------------------------------------------------------------------

TEST_CASE("days_from_civil and civil_from_days agree with Boost for every day of 1999 to 2031") {
  const greg::date epoch(1970, 1, 1);
  std::vector<std::string> disagreements;
  int days = 0;
  ClockDays previous = days_from_civil(1998, 12, 31);
  for (greg::day_iterator d(greg::date(1999, 1, 1)); *d <= greg::date(2031, 12, 31); ++d, ++days) {
    const auto ymd = d->year_month_day();
    const ClockDays n = days_from_civil(ymd.year, ymd.month, ymd.day);
    const CivilDate c = civil_from_days(n);
    if (n != (*d - epoch).days() || n != previous + 1 || c.year != ymd.year || c.month != ymd.month || c.day != ymd.day ||
        to_date(n) != *d || clock_days(*d) != n || days_in_month(ymd.year, ymd.month) != d->end_of_month().day() ||
        is_leap_year(ymd.year) != greg::gregorian_calendar::is_leap_year(ymd.year))
      disagreements.push_back(format_date(n));
    previous = n;
  }
  CHECK(days == 12053);
  CHECK(disagreements == std::vector<std::string>{});
}

TEST_CASE("month_number counts calendar months so that consecutive months differ by one") {
  CHECK(month_number(0) == 1970 * 12);
  CHECK(month_number(days_from_civil(2026, 1, 1)) == 2026 * 12);
  CHECK(month_number(days_from_civil(2026, 1, 31)) == 2026 * 12);
  CHECK(month_number(days_from_civil(2026, 2, 1)) == 2026 * 12 + 1);
  CHECK(month_number(days_from_civil(2026, 12, 31)) == 2026 * 12 + 11);
  CHECK(month_number(days_from_civil(2027, 1, 1)) - month_number(days_from_civil(2026, 12, 31)) == 1);
  CHECK(month_number(days_from_civil(2024, 2, 29)) == 2024 * 12 + 1);
  CHECK(month_number(days_from_civil(1969, 12, 31)) == 1969 * 12 + 11);
  // Over every day of 1999 to 2031, the month number steps by one exactly on the 1st.
  int steps = 0;
  bool only_on_the_first = true;
  for (ClockDays d = days_from_civil(1999, 1, 2); d <= days_from_civil(2031, 12, 31); ++d) {
    const int step = month_number(d) - month_number(d - 1);
    if (step == 1) ++steps;
    if ((step == 1) != (civil_from_days(d).day == 1) || step < 0 || step > 1) only_on_the_first = false;
  }
  CHECK(steps == 33 * 12 - 1);
  CHECK(only_on_the_first);
}

// ---- Rounding --------------------------------------------------------------------------------------

TEST_CASE("up rounds any part of an increment to a whole increment") {
  const Rounding up{900, RoundingMode::up};
  CHECK(up.apply(0) == 0);
  CHECK(up.apply(1) == 900);
  CHECK(up.apply(449) == 900);
  CHECK(up.apply(450) == 900);
  CHECK(up.apply(899) == 900);
  CHECK(up.apply(900) == 900);
  CHECK(up.apply(901) == 1800);
  CHECK(up.apply(1799) == 1800);
  CHECK(up.apply(1800) == 1800);
  CHECK(up.apply(12000) == 12600);  // SPEC example A: 200 minutes → 210
}

TEST_CASE("down drops any part of an increment") {
  const Rounding down{900, RoundingMode::down};
  CHECK(down.apply(0) == 0);
  CHECK(down.apply(1) == 0);
  CHECK(down.apply(449) == 0);
  CHECK(down.apply(450) == 0);
  CHECK(down.apply(899) == 0);
  CHECK(down.apply(900) == 900);
  CHECK(down.apply(901) == 900);
  CHECK(down.apply(1799) == 900);
  CHECK(down.apply(1800) == 1800);
}

TEST_CASE("nearest rounds a half increment up, and less than half down") {
  const Rounding nearest{900, RoundingMode::nearest};
  CHECK(nearest.apply(0) == 0);
  CHECK(nearest.apply(449) == 0);
  CHECK(nearest.apply(450) == 900);
  CHECK(nearest.apply(451) == 900);
  CHECK(nearest.apply(899) == 900);
  CHECK(nearest.apply(900) == 900);
  CHECK(nearest.apply(901) == 900);
  CHECK(nearest.apply(1349) == 900);
  CHECK(nearest.apply(1350) == 1800);
  CHECK(nearest.apply(35880) == 36000);  // SPEC example B: 598 minutes → 600 at 6 minutes
  CHECK(Rounding{360, RoundingMode::nearest}.apply(35880) == 36000);
}

TEST_CASE("odd increments round at their true midpoint") {
  // I = 7 s: the midpoint 3.5 s lies between 3 and 4.
  const Rounding nearest{7, RoundingMode::nearest};
  CHECK(nearest.apply(3) == 0);
  CHECK(nearest.apply(4) == 7);
  CHECK(nearest.apply(6) == 7);
  CHECK(nearest.apply(7) == 7);
  CHECK(nearest.apply(8) == 7);
  CHECK(nearest.apply(10) == 7);
  CHECK(nearest.apply(11) == 14);
  CHECK(Rounding{7, RoundingMode::up}.apply(1) == 7);
  CHECK(Rounding{7, RoundingMode::up}.apply(8) == 14);
  CHECK(Rounding{7, RoundingMode::down}.apply(13) == 7);
  // 7 minutes (420 s): even in seconds, odd in minutes.
  const Rounding seven_minutes{420, RoundingMode::nearest};
  CHECK(seven_minutes.apply(209) == 0);
  CHECK(seven_minutes.apply(210) == 420);
  CHECK(seven_minutes.apply(629) == 420);
  CHECK(seven_minutes.apply(630) == 840);
}

TEST_CASE("every mode keeps whole increments and zero as they are, and agrees with SPEC's formulas") {
  for (const Seconds increment : {Seconds{1}, Seconds{3}, Seconds{7}, Seconds{60}, Seconds{360}, Seconds{900}, Seconds{3600}}) {
    const Rounding up{increment, RoundingMode::up}, down{increment, RoundingMode::down}, nearest{increment, RoundingMode::nearest};
    INFO("increment " << increment);
    for (const Seconds k : {Seconds{0}, Seconds{1}, Seconds{2}, Seconds{10}}) {
      CHECK(up.apply(k * increment) == k * increment);
      CHECK(down.apply(k * increment) == k * increment);
      CHECK(nearest.apply(k * increment) == k * increment);
    }
    // SPEC §2, written with exact rationals over every second of the first three increments:
    // up = ceil(s/I)·I, down = floor(s/I)·I, nearest = floor((s + I/2)/I)·I.
    bool agree = true;
    for (Seconds s = 0; s <= 3 * increment; ++s) {
      const Seconds ceil = (s + increment - 1) / increment, floor = s / increment;
      const Seconds nearest_count = (2 * s + increment) / (2 * increment);  // floor((s + I/2) / I) with I/2 exact
      if (up.apply(s) != ceil * increment || down.apply(s) != floor * increment ||
          nearest.apply(s) != nearest_count * increment)
        agree = false;
    }
    CHECK(agree);
  }
}

TEST_CASE("a default Rounding is one minute up") {
  const Rounding r;
  CHECK(r.increment == 60);
  CHECK(r.mode == RoundingMode::up);
  CHECK(r.apply(61) == 120);
  CHECK(Rounding{900, RoundingMode::up} == Rounding{900, RoundingMode::up});
  CHECK_FALSE(Rounding{900, RoundingMode::up} == Rounding{900, RoundingMode::down});
}
