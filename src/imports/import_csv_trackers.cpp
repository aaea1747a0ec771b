// The CSV trackers: Toggl Track detailed, Clockify detailed, Harvest detailed time, Kimai (English
// and German headers) and solidtime (ISO 8601 instants in UTC). Each names its columns; the rest is shared: dates in the format the file uses
// (detected over all its dates, or the mapping's date_format), 12/24-hour times, an end on the next
// day for sessions across midnight (the entry stays on the date of its start, never split), zero-
// length and still-running timers skipped and counted.
#include <cstdlib>
#include <map>
#include <utility>
#include <vector>

#include "imports/import_detail.hpp"
#include "imports/time_zone.hpp"
#include "kontingent/error.hpp"

namespace kontingent::detail {
namespace {

/// Where a tracker keeps each value; -1 where its export has no such column.
struct Columns {
  int start_date = -1, start_time = -1, end_date = -1, end_time = -1;
  int duration = -1;  ///< H:MM:SS (Toggl, Clockify, Kimai), used when there is no end
  int hours = -1;     ///< decimal hours (Harvest; Kimai's duration may be either)
  int client = -1, project = -1, task = -1, description = -1, tags = -1, billable = -1;
  int user = -1, user_last = -1;
};

Columns columns_of(Tracker tracker, const CsvTable& t) {
  Columns c;
  switch (tracker) {
    case Tracker::toggl:
      c.start_date = t.required({"Start date"}, tracker);
      c.start_time = t.required({"Start time"}, tracker);
      c.end_date = t.column({"End date"});
      c.end_time = t.column({"End time"});
      c.duration = t.column({"Duration"});
      c.client = t.column({"Client"});
      c.project = t.column({"Project"});
      c.task = t.column({"Task"});
      c.description = t.column({"Description"});
      c.tags = t.column({"Tags"});
      c.billable = t.column({"Billable"});
      c.user = t.column({"User"});
      break;
    case Tracker::clockify:
      c.start_date = t.required({"Start Date"}, tracker);
      c.start_time = t.required({"Start Time"}, tracker);
      c.end_date = t.column({"End Date"});
      c.end_time = t.column({"End Time"});
      c.duration = t.column({"Duration (h)"});
      c.client = t.column({"Client"});
      c.project = t.column({"Project"});
      c.task = t.column({"Task", "Activity"});
      c.description = t.column({"Description"});
      c.tags = t.column({"Tags"});
      c.billable = t.column({"Billable"});
      c.user = t.column({"User"});
      break;
    case Tracker::harvest:
      c.start_date = t.required({"Date"}, tracker);
      c.hours = t.required({"Hours"}, tracker);
      c.client = t.column({"Client"});
      c.project = t.column({"Project"});
      c.task = t.column({"Task"});
      c.description = t.column({"Notes"});
      c.billable = t.column({"Billable?", "Billable"});
      c.user = t.column({"First Name"});
      c.user_last = t.column({"Last Name"});
      break;
    case Tracker::kimai:
      c.start_date = t.required({"Date", "Datum"}, tracker);
      c.start_time = t.required({"From", "Von", "Begin", "Beginn"}, tracker);
      c.end_time = t.column({"To", "Bis", "End", "Ende"});
      c.duration = t.column({"Duration", "Dauer"});
      c.client = t.column({"Customer", "Kunde"});
      c.project = t.column({"Project", "Projekt"});
      c.task = t.column({"Activity", "Tätigkeit", "Aktivität"});
      c.description = t.column({"Description", "Beschreibung"});
      c.tags = t.column({"Tags", "Schlagworte", "Stichworte"});
      c.billable = t.column({"Billable", "Abrechenbar"});
      c.user = t.column({"User", "Benutzer", "Name"});
      break;
    case Tracker::solidtime:
      // One instant per column, `2024-03-04T09:23:52Z`: the date and the time are one field.
      c.start_date = t.required({"start"}, tracker);
      c.end_time = t.required({"end"}, tracker);
      c.client = t.column({"client"});
      c.project = t.column({"project"});
      c.task = t.column({"task"});
      c.description = t.column({"description"});
      c.tags = t.column({"tags"});
      c.billable = t.column({"billable"});
      c.user = t.column({"user_name"});
      break;
    case Tracker::timeclock: break;
  }
  if (tracker != Tracker::harvest && c.end_time < 0 && c.duration < 0)
    t.required({tracker == Tracker::kimai ? "To" : tracker == Tracker::clockify ? "End Time" : "End time"}, tracker);
  return c;
}

/// A time field: a time of day, or (Kimai) a date and a time of day ("2024-03-04 10:00").
struct ClockField {
  std::optional<ClockDays> date;
  Seconds time_of_day = 0;
};

class RowReader {
 public:
  RowReader(Tracker tracker, const CsvTable& table, const Columns& columns, const Mapping& mapping)
      : tracker_(tracker), table_(table), c_(columns), mapping_(mapping), zone_(time_zone_of(mapping)) {}

  /// The format of the file's dates: the mapping's, or the first of the tracker's usual formats
  /// that reads them all.
  DateFormat date_format() {
    if (!mapping_.date_format.empty()) {
      const auto f = parse_date_format(mapping_.date_format);
      if (!f)
        throw import_error(mapping_.source.empty() ? "mapping" : mapping_.source, 0, 0,
                           "date_format: " + detail::quoted(mapping_.date_format) +
                               " is not a date format (write it like \"DD.MM.YYYY\" or \"MM/DD/YYYY\")");
      return *f;
    }
    std::vector<std::string_view> values;
    for (const CsvRecord& row : table_.rows())
      for (const int col : {c_.start_date, c_.end_date}) {
        const std::string_view v = trim(table_.field(row, col));
        if (!v.empty()) values.push_back(v.substr(0, v.find_first_of(" T")));
      }
    return detect_date_format(values, date_formats_for(tracker_));
  }

  void read(TrackerExport& out) {
    const DateFormat format = date_format();
    out.date_format = format.name();
    std::map<std::pair<ClockDays, std::string>, ClockSeconds> day_ends;  // Harvest: where each day's next row starts
    for (const CsvRecord& row : table_.rows()) {
      ++out.rows_read;
      TrackedRow r;
      r.line = row.line;
      r.start_column = row.columns[static_cast<std::size_t>(c_.start_date)];
      r.client = trim(table_.field(row, c_.client));
      r.project = trim(table_.field(row, c_.project));
      r.task = trim(table_.field(row, c_.task));
      r.description = trim(table_.field(row, c_.description));
      r.tags = split_tags(table_.field(row, c_.tags));
      r.user = trim(table_.field(row, c_.user));
      if (c_.user_last >= 0) {
        const std::string_view last = trim(table_.field(row, c_.user_last));
        if (!last.empty()) r.user += (r.user.empty() ? "" : " ") + std::string(last);
      }
      std::string rule;
      if (!parse_yes_no(table_.field(row, c_.billable), r.billable, rule)) table_.fail(row, c_.billable, rule);
      r.description_column = column_of(row, c_.description);
      r.task_column = column_of(row, c_.task);
      r.tags_column = column_of(row, c_.tags);

      ClockSeconds start = 0;
      std::optional<Seconds> seconds;
      if (tracker_ == Tracker::solidtime) {
        start = instant(row, c_.start_date, format);
        if (!trim(table_.field(row, c_.end_time)).empty()) {
          const ClockSeconds end = instant(row, c_.end_time, format);
          if (end < start) table_.fail(row, c_.end_time, "end " + format_time(end) + " is before start " + format_time(start));
          seconds = end - start;
        }
      } else if (tracker_ == Tracker::harvest) {
        const ClockDays day = date(row, c_.start_date, format);
        const Seconds hours = decimal_hours(row, c_.hours);
        // Harvest keeps no times: a day's rows are laid end to end from day_start, so they do not
        // overlap and each stays on its date.
        const auto at = day_ends.try_emplace({day, r.user}, Seconds{day} * seconds_per_day + mapping_.day_start).first;
        start = at->second;
        at->second += hours;
        if (hours > 0 && day_of(start) != day)
          table_.fail(row, c_.hours, "the rows of " + format_date(day) + " laid end to end from " +
                                         format_time_of_day(Seconds{day} * seconds_per_day + mapping_.day_start) +
                                         " start past midnight (more hours than the day has)");
        seconds = hours;
      } else {
        const ClockDays day = date(row, c_.start_date, format);
        const ClockField from = clock(row, c_.start_time, format);
        start = Seconds{from.date.value_or(day)} * seconds_per_day + from.time_of_day;
        seconds = length(row, start, format);
      }
      if (!seconds) {
        ++out.skipped["timer still running (no end)"];
        continue;
      }
      if (*seconds == 0) {
        ++out.skipped["zero-length timer"];
        continue;
      }
      r.start = to_time(start);
      r.seconds = *seconds;
      out.rows.push_back(std::move(r));
    }
  }

 private:
  static std::size_t column_of(const CsvRecord& row, int column) {
    return column < 0 ? 0 : row.columns[static_cast<std::size_t>(column)];
  }

  ClockDays date(const CsvRecord& row, int column, const DateFormat& format) const {
    const std::string_view text = trim(table_.field(row, column));
    if (text.empty()) table_.fail(row, column, "missing date");
    ClockDays days = 0;
    std::string rule;
    if (!parse_date_as(text, format, days, rule)) table_.fail(row, column, rule);
    return days;
  }

  ClockField clock(const CsvRecord& row, int column, const DateFormat& format) const {
    std::string_view text = trim(table_.field(row, column));
    if (text.empty()) table_.fail(row, column, "missing time");
    ClockField f;
    std::string rule;
    // Kimai may write the date with the time: "2024-03-04 10:00".
    if (const std::size_t blank = text.find(' '); blank != std::string_view::npos && text.find_first_of("-/.") < blank) {
      ClockDays days = 0;
      if (!parse_date_as(text.substr(0, blank), format, days, rule)) table_.fail(row, column, rule);
      f.date = days;
      text = trim(text.substr(blank + 1));
    }
    if (!parse_time_of_day(text, f.time_of_day, rule)) table_.fail(row, column, rule);
    return f;
  }

  /// An ISO 8601 instant, `2024-03-04T09:23:52Z` or with an offset `+01:00`, as UTC.
  ClockSeconds instant(const CsvRecord& row, int column, const DateFormat& format) const {
    const std::string_view text = trim(table_.field(row, column));
    if (text.empty()) table_.fail(row, column, "missing time");
    const std::size_t t = text.find('T');
    const std::size_t zone = text.find_first_of("Z+-", t == std::string_view::npos ? text.size() : t);
    if (t == std::string_view::npos || zone == std::string_view::npos)
      table_.fail(row, column, "not an instant: " + detail::quoted(text) + " (expected YYYY-MM-DDTHH:MM:SSZ)");
    ClockDays days = 0;
    Seconds time_of_day = 0, offset = 0;
    std::string rule;
    if (!parse_date_as(text.substr(0, t), format, days, rule) ||
        !parse_time_of_day(text.substr(t + 1, zone - t - 1), time_of_day, rule))
      table_.fail(row, column, rule);
    if (const std::string_view z = text.substr(zone); z != "Z") {
      if (z.size() != 6 || z[3] != ':' || !parse_time_of_day(z.substr(1), offset, rule))
        table_.fail(row, column, "not a UTC offset: " + detail::quoted(z) + " (expected Z, +HH:MM or -HH:MM)");
      if (z[0] == '+') offset = -offset;  // 10:00+01:00 is 09:00 UTC
    }
    return Seconds{days} * seconds_per_day + time_of_day + offset;
  }

  Seconds decimal_hours(const CsvRecord& row, int column) const {
    Seconds s = 0;
    std::string rule;
    if (!parse_hours(table_.field(row, column), mapping_.decimal_separator, s, rule)) table_.fail(row, column, rule);
    return s;
  }

  /// The row's length; nullopt while the timer runs (an empty end, whatever the duration says: Kimai
  /// writes 0:00 for a running timer). Start and end are wall-clock times, which across a change of
  /// the clocks differ from the time that passed; so the duration column, where the row has one, is
  /// the length, and start and end must agree with it up to such a change (at most an hour). Without
  /// a duration the length is end − start, taken in the mapping's time zone when it names one.
  std::optional<Seconds> length(const CsvRecord& row, ClockSeconds start, const DateFormat& format) const {
    if (c_.end_time >= 0 && trim(table_.field(row, c_.end_time)).empty()) return std::nullopt;
    const std::optional<Seconds> duration = duration_of(row);
    if (c_.end_time < 0) return duration;
    const ClockField to = clock(row, c_.end_time, format);
    const bool has_end_date = c_.end_date >= 0 && !trim(table_.field(row, c_.end_date)).empty();
    const ClockDays end_day = to.date.value_or(has_end_date ? date(row, c_.end_date, format) : day_of(start));
    const ClockSeconds end = Seconds{end_day} * seconds_per_day + to.time_of_day;
    // Without an end date, an end before the start may be on the next day (a session across midnight).
    std::vector<ClockSeconds> ends{end};
    if (end < start && !has_end_date && !to.date) ends.push_back(end + seconds_per_day);
    if (duration) {
      for (const ClockSeconds e : ends)
        if (std::abs(e - start - *duration) <= max_clock_change) return duration;
      if (ends.back() >= start)
        table_.fail(row, c_.duration,
                    "duration " + detail::quoted(trim(table_.field(row, c_.duration))) + " does not match start " +
                        format_time(start) + " and end " + format_time(ends.back()) +
                        " (they may differ only by a change of the clocks, at most 1 hour)");
    } else if (zone_) {
      for (const auto& [at, column] : {std::pair{start, c_.start_time}, std::pair{end, c_.end_time}})
        if (const std::string rule = zone_->nonexistent(at); !rule.empty()) table_.fail(row, column, rule);
      for (const ClockSeconds e : ends)
        if (const auto seconds = zone_->elapsed(start, e)) return seconds;
    } else if (ends.back() >= start) {
      return ends.back() - start;
    }
    table_.fail(row, c_.end_time, "end " + format_time(end) + " is before start " + format_time(start));
  }

  /// The duration column of the row; nullopt where the export has none or the field is empty.
  std::optional<Seconds> duration_of(const CsvRecord& row) const {
    const std::string_view text = trim(table_.field(row, c_.duration));
    if (text.empty()) return std::nullopt;
    Seconds s = 0;
    std::string rule;
    // Kimai writes its duration as H:MM or as decimal hours; the others always as H:MM:SS.
    const bool ok = text.find(':') != std::string_view::npos || tracker_ != Tracker::kimai
                        ? parse_clock_duration(text, s, rule)
                        : parse_hours(text, mapping_.decimal_separator, s, rule);
    if (!ok) table_.fail(row, c_.duration, rule);
    return s;
  }

  /// The largest change of the clocks in the time-zone database (summer time: one hour).
  static constexpr Seconds max_clock_change = 3600;

  Tracker tracker_;
  const CsvTable& table_;
  const Columns& c_;
  const Mapping& mapping_;
  std::optional<TimeZone> zone_;
};

}  // namespace

TrackerExport read_csv_tracker(Tracker tracker, std::string_view text, std::string_view file, const Mapping& mapping) {
  const CsvTable table(text, std::string(file));
  const Columns columns = columns_of(tracker, table);
  TrackerExport out;
  out.tracker = tracker;
  out.file = file;
  RowReader(tracker, table, columns, mapping).read(out);
  return out;
}

}  // namespace kontingent::detail
