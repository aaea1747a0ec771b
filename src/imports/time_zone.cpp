#include "imports/time_zone.hpp"

#include <date/tz.h>

#include "imports/import_detail.hpp"
#include "kontingent/error.hpp"


namespace kontingent::detail {

std::optional<TimeZone> TimeZone::named(std::string_view name) {
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(zone, std::string(name));
  } catch (const std::runtime_error&) {  // date/tz's only report of an unknown name
    return std::nullopt;
  }
}

std::vector<std::int64_t> TimeZone::instants(ClockSeconds wall) const {
  const date::local_info info = zone_->get_info(date::local_seconds{std::chrono::seconds{wall}});
  const auto utc = [&](const date::sys_info& at) { return wall - at.offset.count(); };
  switch (info.result) {
    case date::local_info::unique: return {utc(info.first)};
    case date::local_info::ambiguous: return {utc(info.first), utc(info.second)};
    default: return {};
  }
}

std::string TimeZone::nonexistent(ClockSeconds wall) const {
  const date::local_info info = zone_->get_info(date::local_seconds{std::chrono::seconds{wall}});
  if (info.result != date::local_info::nonexistent) return "";
  const std::int64_t change = info.first.end.time_since_epoch().count();
  return format_time(wall) + " does not exist in " + name_ + " (the clocks went from " +
         format_time_of_day(change + info.first.offset.count()) + " to " + format_time_of_day(change + info.second.offset.count()) + ")";
}

std::optional<Seconds> TimeZone::elapsed(ClockSeconds start, ClockSeconds end) const {
  std::optional<Seconds> shortest;
  for (const std::int64_t from : instants(start))
    for (const std::int64_t to : instants(end))
      if (to >= from && (!shortest || to - from < *shortest)) shortest = to - from;
  return shortest;
}

std::optional<TimeZone> time_zone_of(const Mapping& mapping) {
  if (mapping.time_zone.empty()) return std::nullopt;
  if (auto zone = TimeZone::named(mapping.time_zone)) return zone;
  throw import_error(mapping.source.empty() ? "mapping" : mapping.source, 0, 0, "time_zone: " + check_time_zone(mapping.time_zone));
}

}  // namespace kontingent::detail

namespace kontingent {

std::string check_time_zone(std::string_view name) {
  if (detail::TimeZone::named(name)) return "";
  return "unknown time zone " + detail::quoted(name) + " (expected an IANA name such as \"Europe/Berlin\", as in /usr/share/zoneinfo)";
}

}  // namespace kontingent
