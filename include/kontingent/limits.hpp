#pragma once
// The bounds of a valid book, in one place. Every reader (JSON, archives, imports, Python), the
// validation and what-if refuse values beyond them, and their messages print these numbers. Together
// they keep every sum of the evaluation of a 10^8-entry book inside 64 bits.
#include <cstdint>
#include <string>

namespace kontingent::limits {

/// Digits before the decimal point of an amount: 999,999,999,999,999.99 is the largest.
inline constexpr int money_digits = 15;
/// The largest amount in cents, positive or negative.
inline constexpr std::int64_t max_cents = 99'999'999'999'999'999;
static_assert(max_cents / 100 == 999'999'999'999'999, "max_cents has money_digits digits before the point");

/// The largest count a book may give (included rounds, minutes of an entry, rounding, call-fee
/// minutes): 10^7 minutes is 19 years.
inline constexpr std::int64_t max_count = 10'000'000;
/// The longest entry, in seconds: max_count minutes.
inline constexpr std::int64_t longest_entry_seconds = max_count * 60;

/// The largest hours (contingent, rollover, rush lead, no-show notice) and surcharge percent.
inline constexpr std::int64_t max_hours = 1'000'000;
inline constexpr std::int64_t max_percent = 1'000'000;

/// The calendar of Boost Date_Time: every date and time of a book lies in these years.
inline constexpr int first_year = 1400;
inline constexpr int last_year = 9999;
/// "years 1400 to 9999", for messages.
inline std::string year_range() { return "years " + std::to_string(first_year) + " to " + std::to_string(last_year); }

}  // namespace kontingent::limits
