// What an import reads before any row is mapped (imports/csv.hpp, docs/import.md): the encoding of
// the export, wall-clock times across a change of the clocks, mapping patterns that cannot stall,
// old Mac line endings and a bound on the bytes read. Issue 18, items 1, 2, 6 and 9.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <streambuf>

#include "imports/pattern.hpp"
#include "imports/text_encoding.hpp"
#include "imports/time_zone.hpp"
#include "kontingent/error.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/imports/csv.hpp"
#include "test_support.hpp"

using namespace kontingent;
using detail::TextEncoding;

namespace {

std::string data(const std::string& name) { return std::string(KONTINGENT_TEST_DATA) + "/import/" + name; }

Book studio() { return load_book_json(data("studio.book.json")); }

TrackerExport read(Tracker tracker, const std::string& name, const Mapping& mapping = {}) {
  return read_tracker(tracker, test::read_file(data(name)), name, mapping);
}

/// The message of the import_error that reading NAME throws.
std::string read_error(Tracker tracker, const std::string& name, const Mapping& mapping = {}) {
  try {
    read(tracker, name, mapping);
  } catch (const import_error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string converted(const std::string& bytes, TextEncoding encoding = TextEncoding::detect) {
  try {
    return detail::to_utf8(bytes, encoding, "in.csv");
  } catch (const import_error& e) {
    return std::string("error: ") + e.what();
  }
}

/// UTF-16 bytes with a byte-order mark.
std::string utf16(std::u16string_view text, bool big_endian) {
  std::string out = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (const char16_t unit : text) {
    const char high = static_cast<char>(unit >> 8), low = static_cast<char>(unit & 0xFF);
    out += big_endian ? high : low;
    out += big_endian ? low : high;
  }
  return out;
}

Mapping in_zone(const std::string& zone) {
  Mapping m;
  m.time_zone = zone;
  return m;
}

std::vector<Seconds> lengths(const TrackerExport& e) {
  std::vector<Seconds> out;
  for (const TrackedRow& r : e.rows) out.push_back(r.seconds);
  return out;
}

ClockSeconds wall(const std::string& iso) {
  std::string rule;
  return parse_time(iso, rule);
}

const std::string mueller_utf8 = "M\xC3\xBCller \xE2\x80\x93 Korrektur \xE2\x82\xAC";  // Müller – Korrektur €

}  // namespace

// --- encodings ---------------------------------------------------------------------------------

TEST_CASE("to_utf8: \"Müller – Korrektur €\" from every encoding an export comes in", "[import][encoding]") {
  CHECK(converted(mueller_utf8) == mueller_utf8);
  CHECK(converted("\xEF\xBB\xBF" + mueller_utf8) == mueller_utf8);
  CHECK(converted("M\xFCller \x96 Korrektur \x80", TextEncoding::cp1252) == mueller_utf8);
  CHECK(converted(utf16(u"M\u00FCller \u2013 Korrektur \u20AC", false)) == mueller_utf8);
  CHECK(converted(utf16(u"M\u00FCller \u2013 Korrektur \u20AC", true)) == mueller_utf8);
  // Latin-1 has neither – nor €: its 0x96 and 0x80 are control characters.
  CHECK(converted("M\xFCller \x96 Korrektur \x80", TextEncoding::latin1) == "M\xC3\xBCller \xC2\x96 Korrektur \xC2\x80");
  CHECK(converted("Stra\xDF" "e \xBD", TextEncoding::latin1) == "Stra\xC3\x9F" "e \xC2\xBD");
  // Windows-1252's other specials, and a character outside the BMP through a UTF-16 surrogate pair.
  CHECK(converted("\x84" "a\x93 \x85 \x97 \x99 \x9F", TextEncoding::cp1252) ==
        "\xE2\x80\x9E" "a\xE2\x80\x9C \xE2\x80\xA6 \xE2\x80\x94 \xE2\x84\xA2 \xC5\xB8");
  CHECK(converted(utf16(u"\U0001F600", false)) == "\xF0\x9F\x98\x80");
}

TEST_CASE("to_utf8: a byte-order mark names the encoding whatever was asked", "[import][encoding]") {
  CHECK(converted("\xEF\xBB\xBF" + mueller_utf8, TextEncoding::cp1252) == mueller_utf8);
  CHECK(converted(utf16(u"\u00FC", false), TextEncoding::latin1) == "\xC3\xBC");
}

TEST_CASE("to_utf8: bytes that are no text in the encoding are refused at line:column", "[import][encoding]") {
  CHECK(converted("Name,Note\nJo,M\xFCller\n") ==
        "error: in.csv:2:5: not valid UTF-8 (byte 0xFC); a file saved by Excel or Windows is likely Windows-1252: "
        "import it with --encoding cp1252");
  CHECK(converted("a\r\xC3\xBC\xC3") ==
        "error: in.csv:2:2: not valid UTF-8 (byte 0xC3); a file saved by Excel or Windows is likely Windows-1252: "
        "import it with --encoding cp1252");
  CHECK(converted("\xC0\xAF", TextEncoding::utf8).starts_with("error: in.csv:1:1: not valid UTF-8 (byte 0xC0)"));  // overlong '/'
  CHECK(converted("\xED\xA0\x80").starts_with("error: in.csv:1:1: not valid UTF-8 (byte 0xED)"));  // a surrogate
  CHECK(converted("ok\r\nM\x81", TextEncoding::cp1252) ==
        "error: in.csv:2:2: byte 0x81 is not a character in Windows-1252 (cp1252): is the file in another encoding?");
  CHECK(converted(utf16(u"ab\n\xD800z", false)) == "error: in.csv:2:1: not valid UTF-16: unpaired surrogate 0xD800");
  CHECK(converted(utf16(u"ab", true) + std::string(1, '\0')) == "error: in.csv:1:3: the file ends inside a UTF-16 character (an odd number of bytes)");
}

TEST_CASE("detect_tracker knows an export in UTF-16 by its header, as import reads it", "[import][encoding]") {
  const std::u16string toggl = u"User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,"
                               u"Duration,Tags\nAnn,a@b.example,M\u00FCller,Logo,,Entwurf,Yes,2026-03-02,09:00:00,2026-03-02,"
                               u"10:00:00,01:00:00,\n";
  CHECK(detect_tracker(utf16(toggl, false)) == Tracker::toggl);
  CHECK(detect_tracker(utf16(toggl, true)) == Tracker::toggl);
  CHECK(detect_tracker(utf16(u"i 2026-03-02 09:00:00 acme:logo\no 2026-03-02 10:00:00\n", false)) == Tracker::timeclock);
  CHECK(detect_tracker(utf16(u"start,end,description\n", false)) == std::nullopt);
  CHECK(detect_tracker(utf16(u"User,\xD800", false)) == std::nullopt);  // not UTF-16: no tool's export
  CHECK(read_tracker(Tracker::toggl, utf16(toggl, true), "in.csv").rows.size() == 1);
}

TEST_CASE("encoding_named: the names --encoding and the mapping take", "[import][encoding]") {
  CHECK(detail::encoding_named("CP1252") == TextEncoding::cp1252);
  CHECK(detail::encoding_named("windows-1252") == TextEncoding::cp1252);
  CHECK(detail::encoding_named("latin1") == TextEncoding::latin1);
  CHECK(detail::encoding_named("UTF-8") == TextEncoding::utf8);
  CHECK_FALSE(detail::encoding_named("utf-16"));
}

TEST_CASE("a Kimai export from German Excel (Windows-1252) is refused, or read with encoding cp1252, and its book loads",
          "[import][encoding]") {
  CHECK(read_error(Tracker::kimai, "kimai-de-cp1252.csv") ==
        "kimai-de-cp1252.csv:1:22: not valid UTF-8 (byte 0xE4); a file saved by Excel or Windows is likely Windows-1252: "
        "import it with --encoding cp1252");
  Mapping m;
  m.encoding = "cp1252";
  const TrackerExport rows = read(Tracker::kimai, "kimai-de-cp1252.csv", m);
  REQUIRE(rows.rows.size() == 2);
  CHECK(rows.rows[0].description == mueller_utf8);
  CHECK(rows.rows[0].task == "Entwicklung");
  CHECK(rows.rows[1].description == "\xE2\x80\x9ELogo\xE2\x80\x9C \xE2\x80\x94 Entwurf\xE2\x80\xA6");  // „Logo“ — Entwurf…
  // What was imported is saved, and what was saved loads.
  const Book book = apply_import(studio(), map_rows(rows, studio(), m));
  const Book again = parse_book_json(to_json(book));
  const Entries& entries = again.find_engagement("relaunch")->journal.entries;
  bool found = false;
  for (std::size_t i = 0; i < entries.size(); ++i) found |= entries.note(i) == mueller_utf8;
  CHECK(found);
}

TEST_CASE("mapping file: encoding and time_zone are read and checked", "[import][encoding][mapping]") {
  const Mapping m = parse_mapping_json(R"({"encoding": "latin1", "time_zone": "Europe/Berlin"})", "m.json");
  CHECK(m.encoding == "latin1");
  CHECK(m.time_zone == "Europe/Berlin");
  const auto error = [](std::string_view json) {
    try {
      parse_mapping_json(json, "m.json");
    } catch (const import_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error(R"({"encoding": "utf-16"})") == "m.json: encoding: expected utf-8, cp1252 or latin1, got \"utf-16\"");
  CHECK(error(R"({"time_zone": "Europe/Berln"})") ==
        "m.json: time_zone: unknown time zone \"Europe/Berln\" (expected an IANA name such as \"Europe/Berlin\", as in "
        "/usr/share/zoneinfo)");
}

// --- time zones --------------------------------------------------------------------------------

TEST_CASE("TimeZone: one, two or no instants for a wall-clock time; the time that passed", "[import][time-zone]") {
  const auto berlin = detail::TimeZone::named("Europe/Berlin");
  REQUIRE(berlin);
  CHECK_FALSE(detail::TimeZone::named("Europe/Berln"));
  CHECK(berlin->instants(wall("2026-03-29T01:30")).size() == 1);
  CHECK(berlin->instants(wall("2026-03-29T02:30")).empty());
  CHECK(berlin->instants(wall("2026-10-25T02:30")).size() == 2);
  CHECK(berlin->nonexistent(wall("2026-03-29T02:30")) ==
        "2026-03-29T02:30 does not exist in Europe/Berlin (the clocks went from 02:00 to 03:00)");
  CHECK(berlin->nonexistent(wall("2026-03-29T03:00")) == "");
  CHECK(berlin->elapsed(wall("2026-03-29T01:30"), wall("2026-03-29T03:30")) == 3600);
  CHECK(berlin->elapsed(wall("2026-10-25T01:30"), wall("2026-10-25T03:30")) == 3 * 3600);
  CHECK(berlin->elapsed(wall("2026-10-25T02:30"), wall("2026-10-25T02:15")) == 45 * 60);  // the second 02:15
  CHECK(berlin->elapsed(wall("2026-10-25T02:30"), wall("2026-10-25T03:30")) == 3600);     // the second 02:30
  CHECK(berlin->elapsed(wall("2026-10-25T03:30"), wall("2026-10-25T02:15")) == std::nullopt);
  CHECK(berlin->elapsed(wall("2026-07-01T09:00"), wall("2026-07-01T17:00")) == 8 * 3600);
  CHECK(check_time_zone("America/New_York") == "");
}

TEST_CASE("Toggl across a change of the clocks: the duration column is the length, nothing is refused", "[import][time-zone]") {
  const TrackerExport rows = read(Tracker::toggl, "toggl-dst.csv");
  CHECK(lengths(rows) == std::vector<Seconds>{3600, 45 * 60, 80 * 60});
  CHECK(rows.rows[1].start == parse_time("2026-10-25T02:30"));  // the book keeps the wall-clock start
  CHECK(lengths(read(Tracker::toggl, "toggl-dst.csv", in_zone("Europe/Berlin"))) == std::vector<Seconds>{3600, 45 * 60, 80 * 60});
}

TEST_CASE("Kimai across a change of the clocks: by its duration, else in the time zone given", "[import][time-zone]") {
  CHECK(lengths(read(Tracker::kimai, "kimai-dst.csv")) == std::vector<Seconds>{3600, 45 * 60});
  // Without a duration and without a zone only the clock difference is known (an end before the
  // start is on the next day); in the zone, the time that passed.
  CHECK(lengths(read(Tracker::kimai, "kimai-dst-no-duration.csv")) == std::vector<Seconds>{2 * 3600, 23 * 3600 + 45 * 60, 2 * 3600});
  CHECK(lengths(read(Tracker::kimai, "kimai-dst-no-duration.csv", in_zone("Europe/Berlin"))) ==
        std::vector<Seconds>{3600, 45 * 60, 2 * 3600});
}

TEST_CASE("timeclock across a change of the clocks: refused without a zone, exact in one", "[import][time-zone]") {
  CHECK(read_error(Tracker::timeclock, "dst.timeclock") ==
        "dst.timeclock:4:3: clock-out 2026-10-25T02:15 is before its clock-in 2026-10-25T02:30 (line 3)");
  const TrackerExport rows = read(Tracker::timeclock, "dst.timeclock", in_zone("Europe/Berlin"));
  CHECK(lengths(rows) == std::vector<Seconds>{3600, 45 * 60});
  CHECK(rows.rows[1].start == parse_time("2026-10-25T02:30"));
}

TEST_CASE("time zone errors: an unknown zone, a time the clocks skip, a duration that does not fit", "[import][time-zone]") {
  CHECK(read_error(Tracker::timeclock, "dst.timeclock", in_zone("Europe/Berln")) ==
        "mapping: time_zone: unknown time zone \"Europe/Berln\" (expected an IANA name such as \"Europe/Berlin\", as in "
        "/usr/share/zoneinfo)");
  const std::string skipped = "i 2026/03/29 02:30 Relaunch\no 2026/03/29 04:00\n";
  try {
    read_tracker(Tracker::timeclock, skipped, "gap.timeclock", in_zone("Europe/Berlin"));
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) ==
          "gap.timeclock:1:3: 2026-03-29T02:30 does not exist in Europe/Berlin (the clocks went from 02:00 to 03:00)");
  }
  const std::string header = "Date,From,To,Duration,Customer,Project,Activity,Description,Billable\n";
  try {
    read_tracker(Tracker::kimai, header + "2026-03-02,09:00,13:00,1:00,Kunde Eins,Relaunch,Dev,x,Yes\n", "k.csv");
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) ==
          "k.csv:2:24: duration \"1:00\" does not match start 2026-03-02T09:00 and end 2026-03-02T13:00 (they may differ only "
          "by a change of the clocks, at most 1 hour)");
  }
}

// --- patterns ----------------------------------------------------------------------------------

TEST_CASE("patterns: ^(a+)+$ on 100 000 a's and a b ends at once (RE2 does not backtrack)", "[import][pattern]") {
  std::string rule;
  const auto p = detail::Pattern::compile("^(a+)+$", rule);
  REQUIRE(p);
  const std::string text = std::string(100000, 'a') + "b";
  CHECK_FALSE(p->found_in(text));
  CHECK(p->found_in(std::string(100000, 'a')));

  // Through a mapping: the same pattern as a call rule on a long description.
  Mapping m;
  m.call.patterns = {"^(a+)+$"};
  const std::string header = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags\n";
  const ImportResult r = map_rows(
      read_tracker(Tracker::toggl, header + "a,b,Kunde Eins,Relaunch,," + text + ",Yes,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,\n",
                   "evil.csv", m),
      studio(), m);
  REQUIRE(r.entries.size() == 1);
  CHECK(r.entries[0].kind == EntryKind::scope);
}

TEST_CASE("patterns: RE2 syntax; backreferences and lookaround are refused by name", "[import][pattern]") {
  const auto rule_of = [](const std::string& pattern) {
    std::string rule;
    return detail::Pattern::compile(pattern, rule) ? std::string("(compiled)") : rule;
  };
  CHECK(rule_of(R"((a)\1)") ==
        R"(not a valid regular expression: "(a)\1": backreferences such as \1 are not supported (patterns use RE2 syntax, see docs/import.md))");
  CHECK(rule_of("R(?=\\d)") ==
        "not a valid regular expression: \"R(?=\\d)\": lookahead such as (?= is not supported (patterns use RE2 syntax, see "
        "docs/import.md)");
  CHECK(rule_of("(?<!x)R") ==
        "not a valid regular expression: \"(?<!x)R\": lookbehind (?<= (?<! and groups named (?<name> are not supported; name a "
        "group (?P<name>…) (patterns use RE2 syntax, see docs/import.md)");
  CHECK(rule_of("(unclosed") == "not a valid regular expression: \"(unclosed\"");
  CHECK(rule_of(R"((?P<n>\d+))") == "(compiled)");

  Mapping m;
  m.call.patterns = {R"((call)\s+\1)"};
  try {
    map_rows(read(Tracker::toggl, "toggl-quirks.csv"), studio(), m);
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) ==
          R"(mapping: call.patterns[0]: not a valid regular expression: "(call)\s+\1": backreferences such as \1 are not supported (patterns use RE2 syntax, see docs/import.md))");
  }
}

TEST_CASE("patterns: case is ignored beyond ASCII; every match's first group, in order", "[import][pattern]") {
  std::string rule;
  const auto change = detail::Pattern::compile(R"((?:Ä|ä)nderung\s*#?(\d+)\b)", rule);
  REQUIRE(change);
  CHECK(change->first_groups("\xC3\x84NDERUNG 3, \xC3\xA4nderung #4") == std::vector<std::string>{"3", "4"});
  const auto optional_group = detail::Pattern::compile("x(\\d)?", rule);
  REQUIRE(optional_group);
  CHECK(optional_group->first_groups("x1 x x2") == std::vector<std::string>{"1", "", "2"});
  const auto empty = detail::Pattern::compile("(\\d*)", rule);
  REQUIRE(empty);
  CHECK(empty->first_groups("a12b") == std::vector<std::string>{"", "12", "", ""});
}

// --- line endings and size ---------------------------------------------------------------------

TEST_CASE("csv: lines ending in CR alone (old Macs) are lines; a CR inside quotes is a line break", "[import][csv]") {
  const std::vector<CsvRecord> records = parse_csv("a,b\r\"x\ry\",2\r\r3,4", "mac.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[1].fields == std::vector<std::string>{"x\ny", "2"});
  CHECK(records[2].line == 5);
  CHECK(records[2].fields == std::vector<std::string>{"3", "4"});

  const TrackerExport rows = read(Tracker::toggl, "toggl-cr.csv");
  REQUIRE(rows.rows.size() == 2);
  CHECK(rows.rows[0].description == "Two\nlines");
  CHECK(rows.rows[1].line == 4);
  CHECK(lengths(rows) == std::vector<Seconds>{3600, 1800});
  CHECK(lengths(read(Tracker::timeclock, "cr.timeclock")) == std::vector<Seconds>{3600});
}

namespace {

/// A stream of 'a's that never ends, and never holds more than one buffer.
class Endless : public std::streambuf {
 protected:
  int_type underflow() override {
    buffer_.fill('a');
    setg(buffer_.data(), buffer_.data(), buffer_.data() + buffer_.size());
    return 'a';
  }

 private:
  std::array<char, 1 << 16> buffer_{};
};

std::string size_error = "the export is larger than 256 MiB (268435456 bytes), the most one import reads: split it into smaller exports";

}  // namespace

TEST_CASE("an endless or huge export stops with a size error naming the limit", "[import][size]") {
  Endless endless;
  std::istream in(&endless);
  try {
    read_tracker(Tracker::toggl, in, "stdin");
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) == "stdin: " + size_error);
  }
  try {
    read_tracker(Tracker::toggl, std::filesystem::path("/dev/zero"));
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) == "/dev/zero: " + size_error);
  }
  // A file is measured before it is read: 3 GB (sparse) fail at once.
  test::TemporaryDirectory dir;
  const std::filesystem::path huge = dir.path / "huge.csv";
  std::ofstream(huge).put('x');
  std::filesystem::resize_file(huge, std::uintmax_t{3} << 30);
  try {
    read_tracker(Tracker::toggl, huge);
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) == huge.string() + ": " + size_error);
  }
}
