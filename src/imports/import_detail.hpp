#pragma once
// Shared by the import readers (src/imports/import_*.cpp): the small value parsers every tracker needs —
// dates in the user's format, 12/24-hour times, durations, locale numbers, yes/no — and text helpers.
// Each parser returns false and sets `rule` to the message's rule on bad input; the reader adds
// file:line:column.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/detail/text.hpp"  // quoted(): a value in a message
#include "kontingent/imports/csv.hpp"

namespace kontingent::detail {

// --- text -------------------------------------------------------------------------------------

std::string_view trim(std::string_view s) noexcept;
char ascii_lower(char c) noexcept;
std::string ascii_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b) noexcept;
/// "Development, Backend" → {"Development", "Backend"}; empty parts dropped.
std::vector<std::string> split_tags(std::string_view s);

// --- dates, times, durations, numbers -----------------------------------------------------------

/// A date layout: the order of year, month and day and the one separator between them.
struct DateFormat {
  enum class Order : unsigned char { ymd, mdy, dmy } order = Order::ymd;
  char separator = '-';
  bool two_digit_year = false;
  std::string name() const;  ///< "YYYY-MM-DD", "MM/DD/YYYY", …
};

/// Parses "DD.MM.YYYY" and the like (tokens YYYY or YY, MM or M, DD or D, and one separator - / or .).
std::optional<DateFormat> parse_date_format(std::string_view text);
/// The date `text` names in `format` (day and month may have one digit).
bool parse_date_as(std::string_view text, const DateFormat& format, ClockDays& days, std::string& rule);
/// The formats a tracker's users can pick, most likely first.
std::vector<DateFormat> date_formats_for(Tracker tracker);
/// The first format that reads every one of `values`; if none does, the one that reads most (so
/// that the error is reported at a value that is really wrong).
DateFormat detect_date_format(const std::vector<std::string_view>& values, const std::vector<DateFormat>& candidates);

/// "10:23", "10:23:52", "9:05 pm", "10:23:52 AM" → seconds since midnight.
bool parse_time_of_day(std::string_view text, Seconds& seconds, std::string& rule);
/// "01:00:01", "25:30:00", "1:30" (H:MM[:SS], hours may exceed 24) → seconds.
bool parse_clock_duration(std::string_view text, Seconds& seconds, std::string& rule);
/// Decimal hours in either locale ("1.5", "1,5", "2.000,0", "1,000.25") → whole seconds, rounded to
/// the nearest second. `decimal` is '.' or ',', or 0 to take the last '.' or ',' as the decimal point.
bool parse_hours(std::string_view text, char decimal, Seconds& seconds, std::string& rule);
/// Yes/No, true/false, 1/0, Ja/Nein (any case); empty → nullopt.
bool parse_yes_no(std::string_view text, std::optional<bool>& value, std::string& rule);

// --- a CSV export as a table --------------------------------------------------------------------

/// A CSV file whose first record is the header; columns looked up by any of their names.
class CsvTable {
 public:
  CsvTable(std::string_view text, std::string file);
  const std::string& file() const noexcept { return file_; }
  const std::vector<CsvRecord>& rows() const noexcept { return rows_; }  ///< data rows (no header)

  /// Index of the first header matching one of `names` (ignoring case and surrounding blanks), or
  /// -1. A name ending in '*' matches any header starting with it ("Amount (*" style suffixes).
  int column(std::initializer_list<std::string_view> names) const;
  /// Like column(), but a missing column is an error naming the tracker.
  int required(std::initializer_list<std::string_view> names, Tracker tracker) const;

  /// The field of a row (empty when the column is -1).
  std::string_view field(const CsvRecord& row, int column) const;
  [[noreturn]] void fail(const CsvRecord& row, int column, std::string rule) const;
  [[noreturn]] void fail_at(std::size_t line, std::size_t column, std::string rule) const;

 private:
  std::string file_;
  CsvRecord header_;
  std::vector<CsvRecord> rows_;
};

/// Reads the CSV trackers (src/imports/import_csv_trackers.cpp).
TrackerExport read_csv_tracker(Tracker tracker, std::string_view text, std::string_view file, const Mapping& mapping);
/// Reads a ledger/hledger timeclock file (src/imports/import_timeclock.cpp).
TrackerExport read_timeclock(std::string_view text, std::string_view file, const Mapping& mapping);

}  // namespace kontingent::detail
