// libFuzzer target for one time-tracker reader, read_tracker(KONTINGENT_FUZZ_TRACKER, …): the same
// source is built once per Tracker (kontingent-<tracker>-fuzz, see CMakeLists.txt). Every input must
// either be read or raise import_error (the documented error of read_tracker): any other exception,
// a crash, an ASan/UBSan report, an allocation over -malloc_limit_mb or a hang is a finding.
// Whatever is read must be sane: no more rows than rows_read, no negative durations.
// Byte 0 picks the mapping's knobs the reader uses (decimal separator, day start, date format); the
// rest is the file. Seeds (corpus/<tracker>/): our exports in tests/data/import behind a 0 byte.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/imports/csv.hpp"

#ifndef KONTINGENT_FUZZ_TRACKER
#error "define KONTINGENT_FUZZ_TRACKER (toggl, clockify, harvest, kimai, timeclock or solidtime)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kontingent;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Mapping mapping;
  const std::uint8_t knobs = data[0];
  static constexpr std::array<char, 3> separators{0, '.', ','};
  static constexpr std::array<const char*, 4> formats{"", "DD.MM.YYYY", "MM/DD/YYYY", "YYYY-MM-DD"};
  mapping.decimal_separator = separators[knobs % 3];
  mapping.date_format = formats[knobs / 3 % 4];
  mapping.day_start = (knobs / 12 % 2) ? 9 * 3600 : 0;
  TrackerExport result;
  try {
    result = read_tracker(Tracker::KONTINGENT_FUZZ_TRACKER, text, "fuzz.csv", mapping);
  } catch (const import_error&) {
    return 0;
  }
  if (result.rows.size() > result.rows_read) __builtin_trap();
  for (const TrackedRow& row : result.rows)
    if (row.seconds < 0) __builtin_trap();
  return 0;
}
