#pragma once
// Wall-clock times of an export read in a named time zone. A book keeps local wall-clock times (the
// times the tracker shows), but an entry's length is the time that passed: across a change of the
// clocks the two differ (2026-03-29 01:30 to 03:30 in Europe/Berlin is one hour). The zone turns a
// start and an end into that length; the start stays the wall-clock time the export wrote.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/imports/csv.hpp"
#include "kontingent/time.hpp"

namespace date {
class time_zone;
}

namespace kontingent::detail {

/// A zone of the system's time-zone database (IANA names such as "Europe/Berlin"; Debian's tzdata in
/// /usr/share/zoneinfo, read by Howard Hinnant's date/tz).
class TimeZone {
 public:
  /// The zone of that name; nullopt when the database has none.
  static std::optional<TimeZone> named(std::string_view name);
  const std::string& name() const noexcept { return name_; }

  /// The instants (UTC seconds since 1970) a wall-clock time names: one; two in the hour the clocks
  /// are turned back; none in the hour they skip.
  std::vector<std::int64_t> instants(ClockSeconds wall) const;
  /// Why `wall` is no time in this zone ("2026-03-29T02:30 does not exist in Europe/Berlin (the
  /// clocks went from 02:00 to 03:00)"), or "" when it is one.
  std::string nonexistent(ClockSeconds wall) const;
  /// The seconds that pass from wall-clock `start` to `end` (both existing): of the readings of a
  /// time in the hour the clocks are turned back, the shortest length that is not negative; nullopt
  /// when end is before start in every reading.
  std::optional<Seconds> elapsed(ClockSeconds start, ClockSeconds end) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;
  std::string name_;
};

/// The zone the mapping names; nullopt when it names none. Throws import_error naming the mapping
/// (`mapping: time_zone: unknown time zone "Europe/Berln" …`) when the database has no such zone.
std::optional<TimeZone> time_zone_of(const Mapping& mapping);

}  // namespace kontingent::detail
