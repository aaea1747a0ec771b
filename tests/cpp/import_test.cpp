// Importing time-tracker exports (imports/csv.hpp, docs/import.md): each quirk on a small file of our own
// under tests/data/import/, every error to the letter, nothing applied on an error, no duplicates on
// a second import, the real sample exports of ../shared/fixtures when they are there, and worked
// example A rebuilt from a Toggl export.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "kontingent/evaluate.hpp"
#include "kontingent/formats/archive.hpp"
#include "kontingent/store.hpp"
#include "kontingent/imports/csv.hpp"
#include "kontingent/formats/json.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

std::string data(const std::string& name) { return std::string(KONTINGENT_TEST_DATA) + "/import/" + name; }

Book studio() { return load_book_json(data("studio.book.json")); }

/// Reads tests/data/import/NAME, named NAME in messages.
TrackerExport read(Tracker tracker, const std::string& name, const Mapping& mapping = {}) {
  return read_tracker(tracker, test::read_file(data(name)), name, mapping);
}

ImportResult import(Tracker tracker, const std::string& name, const Book& book, const Mapping& mapping = {}) {
  return map_rows(read(tracker, name, mapping), book, mapping);
}

/// The message of the import_error that reading and mapping NAME into the studio book throws.
std::string error_of(Tracker tracker, const std::string& name, const Mapping& mapping = {}) {
  try {
    import(tracker, name, studio(), mapping);
  } catch (const import_error& e) {
    return e.what();
  }
  return "(no error)";
}

Time at(const std::string& iso) { return parse_time(iso); }

std::size_t skipped(const ImportSummary& s, const std::string& reason) {
  const auto it = s.skipped.find(reason);
  return it == s.skipped.end() ? 0 : it->second;
}

/// A scratch directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("kontingent-import-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::filesystem::path copy(const std::string& name) const {
    const auto to = path / std::filesystem::path(name).filename();
    std::filesystem::copy_file(data(name), to, std::filesystem::copy_options::overwrite_existing);
    return to;
  }
};

}  // namespace

// --- CSV text ---------------------------------------------------------------------------------

TEST_CASE("csv: quoted fields keep commas, doubled quotes and line breaks; CRLF and a BOM are dropped", "[import][csv]") {
  const auto records = parse_csv("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\nlast,,\r\n", "t.csv");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == std::vector<std::string>{"a", "b", "c"});
  CHECK(records[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
  CHECK(records[1].line == 2);
  CHECK(records[1].columns == std::vector<std::size_t>{1, 8, 21});
  CHECK(records[2].line == 5);  // the quoted line break counts, the blank line is skipped
  CHECK(records[2].fields == std::vector<std::string>{"last", "", ""});
}

TEST_CASE("csv: columns count characters, not bytes", "[import][csv]") {
  const auto records = parse_csv("Größe,Ä\nü,x\n", "t.csv");
  CHECK(records[0].columns == std::vector<std::size_t>{1, 7});
  CHECK(records[1].columns == std::vector<std::size_t>{1, 3});
}

TEST_CASE("csv: a header with more semicolons than commas is read with semicolons (German spreadsheets)", "[import][csv]") {
  const auto records = parse_csv("Datum;Beschreibung\n18.03.2026;Hallo, Welt\n", "t.csv");
  CHECK(records[1].fields == std::vector<std::string>{"18.03.2026", "Hallo, Welt"});
}

TEST_CASE("csv_field: formula-like text gets a leading quote; commas, quotes and line breaks are quoted", "[import][csv]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("=1+2") == "'=1+2");
  CHECK(csv_field("+49 30 123") == "'+49 30 123");
  CHECK(csv_field("-5") == "'-5");
  CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_field("\tx") == "'\tx");
  CHECK(csv_field("\rx") == "\"'\rx\"");
  CHECK(csv_field("=HYPERLINK(\"http://x.test\",\"a, b\")") == "\"'=HYPERLINK(\"\"http://x.test\"\",\"\"a, b\"\")\"");
  CHECK(csv_field("a, b") == "\"a, b\"");
  CHECK(csv_field("x=1") == "x=1");  // only the first character makes a formula
  CHECK(csv_field("") == "");
}

// --- each tracker's quirks ------------------------------------------------------------------------

TEST_CASE("toggl: BOM, CRLF, quoted line breaks, across midnight, zero-length, non-billable, call tag, other clients", "[import]") {
  const Book book = studio();
  const ImportResult r = import(Tracker::toggl, "toggl-quirks.csv", book);
  const ImportSummary& s = r.summary;
  CHECK(s.rows_read == 7);
  CHECK(s.imported == 4);
  CHECK(s.duplicates == 0);
  CHECK(s.skipped_total() == 3);
  CHECK(skipped(s, "zero-length timer") == 1);
  CHECK(skipped(s, "no engagement for client \"Kunde Zwei\", project \"Other\"") == 1);
  CHECK(skipped(s, "before the start of engagement \"relaunch\" (2026-01-01)") == 1);
  CHECK(s.date_format == "YYYY-MM-DD");
  CHECK(s.by_engagement == std::map<std::string, std::size_t>{{"relaunch", 4}});
  REQUIRE(r.entries.size() == 4);
  // A session across midnight stays one entry, on the date of its start.
  CHECK(r.entries[0] == ImportedEntry{"relaunch", at("2026-03-02T23:30"), 4500, EntryKind::scope, "",
                                      "Night shift, part \"one\"\nand a second line", 2});
  CHECK(r.entries[1] == ImportedEntry{"relaunch", at("2026-03-03T10:00"), 3600, EntryKind::call, "", "Kickoff", 5});
  CHECK(r.entries[2] == ImportedEntry{"relaunch", at("2026-03-04T08:00"), 1200, EntryKind::internal, "", "Bookkeeping", 6});
  CHECK(r.entries[3].note == "=HYPERLINK(\"http://x.test\")");
  CHECK(r.requests.empty());
}

TEST_CASE("toggl: the raw rows keep client, project, tags, billable flag and user", "[import]") {
  const TrackerExport rows = read(Tracker::toggl, "toggl-quirks.csv");
  CHECK(rows.rows_read == 7);
  REQUIRE(rows.rows.size() == 6);
  const TrackedRow& kickoff = rows.rows[1];
  CHECK(kickoff.client == "Kunde Eins");
  CHECK(kickoff.project == "Relaunch");
  CHECK(kickoff.tags == std::vector<std::string>{"Kunde", "call"});
  CHECK(kickoff.billable == true);
  CHECK(kickoff.user == "Jo Doe");
  CHECK(kickoff.line == 5);
  CHECK(rows.rows[2].billable == false);
}

TEST_CASE("clockify: all fields quoted, US dates, 12-hour times around noon and midnight, a tag naming round 2", "[import]") {
  const ImportResult r = import(Tracker::clockify, "clockify-quirks.csv", studio());
  CHECK(r.summary.rows_read == 3);
  CHECK(r.summary.imported == 3);
  CHECK(r.summary.date_format == "MM/DD/YYYY");
  REQUIRE(r.entries.size() == 3);
  CHECK(r.entries[0] == ImportedEntry{"relaunch", at("2026-03-05T12:30"), 2730, EntryKind::revision, "R2", "Design review", 2});
  CHECK(r.entries[1] == ImportedEntry{"relaunch", at("2026-03-05T23:50"), 1200, EntryKind::scope, "", "Late fix", 3});
  CHECK(r.entries[2] == ImportedEntry{"relaunch", at("2026-03-13T00:05"), 3600, EntryKind::scope, "", "Early start", 4});
  // Round 2 is new: received when work on it started.
  REQUIRE(r.requests.size() == 1);
  CHECK(r.requests[0].engagement == "relaunch");
  CHECK(r.requests[0].request == Request{"R2", RequestKind::revision, at("2026-03-05T12:30"), {}, {}, false});
  CHECK(r.summary.new_requests == std::vector<std::string>{"relaunch/R2"});
}

TEST_CASE("clockify: day-first dates are detected from a day above 12; optional columns may be missing", "[import]") {
  const ImportResult r = import(Tracker::clockify, "clockify-ddmm.csv", studio());
  CHECK(r.summary.date_format == "DD/MM/YYYY");
  REQUIRE(r.entries.size() == 2);
  CHECK(r.entries[0].start == at("2026-03-04T14:00"));
  CHECK(r.entries[1].start == at("2026-03-25T14:00"));
  CHECK(r.entries[1].seconds == 1800);
}

TEST_CASE("harvest: decimal commas, tasks as kinds, a day's rows laid end to end, zero hours skipped", "[import]") {
  const ImportResult r = import(Tracker::harvest, "harvest-quirks.csv", studio());
  CHECK(r.summary.rows_read == 5);
  CHECK(r.summary.imported == 4);
  CHECK(skipped(r.summary, "zero-length timer") == 1);
  REQUIRE(r.entries.size() == 4);
  CHECK(r.entries[0] == ImportedEntry{"relaunch", at("2026-03-09T00:00"), 5400, EntryKind::revision, "R2", "Korrektur 2", 2});
  CHECK(r.entries[1] == ImportedEntry{"relaunch", at("2026-03-09T01:30"), 900, EntryKind::call, "", "Weekly", 3});
  CHECK(r.entries[2] == ImportedEntry{"relaunch", at("2026-03-09T01:45"), 360, EntryKind::internal, "", "Invoices", 4});
  CHECK(r.entries[3] == ImportedEntry{"relaunch", at("2026-03-10T00:00"), 75600, EntryKind::change, "C4", "Änderung 4", 5});
  REQUIRE(r.requests.size() == 2);
  CHECK(r.requests[1].request.kind == RequestKind::change);
}

TEST_CASE("harvest: day_start moves where a day's rows begin", "[import]") {
  Mapping m;
  m.day_start = 9 * 3600;
  const ImportResult r = import(Tracker::harvest, "harvest-quirks.csv", studio(), m);
  CHECK(r.entries[0].start == at("2026-03-09T09:00"));
  CHECK(r.entries[1].start == at("2026-03-09T10:30"));
}

TEST_CASE("kimai (English): an end before the start without an end date is on the next day; a running timer is skipped", "[import]") {
  const ImportResult r = import(Tracker::kimai, "kimai-en.csv", studio());
  CHECK(r.summary.rows_read == 3);
  CHECK(r.summary.imported == 2);
  CHECK(skipped(r.summary, "timer still running (no end)") == 1);
  REQUIRE(r.entries.size() == 2);
  CHECK(r.entries[0] == ImportedEntry{"relaunch", at("2026-03-16T22:00"), 12600, EntryKind::scope, "", "Deploy night", 2});
  CHECK(r.entries[1] == ImportedEntry{"relaunch", at("2026-03-17T10:00"), 2700, EntryKind::call, "", "Jour fixe", 4});
}

TEST_CASE("kimai (German): German headers, semicolons, DD.MM.YYYY, Ja/Nein", "[import]") {
  const ImportResult r = import(Tracker::kimai, "kimai-de.csv", studio());
  CHECK(r.summary.date_format == "DD.MM.YYYY");
  REQUIRE(r.entries.size() == 3);
  CHECK(r.entries[0] == ImportedEntry{"relaunch", at("2026-03-18T09:00"), 5400, EntryKind::revision, "R3", "Korrektur 3", 2});
  CHECK(r.entries[1] == ImportedEntry{"relaunch", at("2026-03-18T11:00"), 1200, EntryKind::internal, "", "Rechnung schreiben", 3});
  CHECK(r.entries[2] == ImportedEntry{"relaunch", at("2026-03-19T14:00"), 3600, EntryKind::call, "", "Wöchentlich", 4});
}

TEST_CASE("timeclock: comments, both date spellings, across midnight unsplit, comment tags, zero-length and open sessions", "[import]") {
  const ImportResult r = import(Tracker::timeclock, "quirks.timeclock", studio());
  CHECK(r.summary.rows_read == 4);
  CHECK(r.summary.imported == 2);
  CHECK(skipped(r.summary, "zero-length timer") == 1);
  CHECK(skipped(r.summary, "session still open (no clock-out)") == 1);
  REQUIRE(r.entries.size() == 2);
  CHECK(r.entries[0] == ImportedEntry{"relaunch", at("2026-03-23T09:00"), 12600, EntryKind::scope, "", "Design system", 3});
  CHECK(r.entries[1] == ImportedEntry{"relaunch", at("2026-03-23T23:15"), 5100, EntryKind::call, "", "Hotfix", 6});
  const TrackerExport rows = read(Tracker::timeclock, "quirks.timeclock");
  CHECK(rows.rows[1].project == "relaunch");
  CHECK(rows.rows[1].tags == std::vector<std::string>{"call", "client:eins"});
}

TEST_CASE("detect_tracker names the tool from the header", "[import]") {
  const auto detect = [](const std::string& name) { return detect_tracker(test::read_file(data(name))); };
  CHECK(detect("toggl-quirks.csv") == Tracker::toggl);
  CHECK(detect("clockify-quirks.csv") == Tracker::clockify);
  CHECK(detect("clockify-ddmm.csv") == Tracker::clockify);
  CHECK(detect("harvest-quirks.csv") == Tracker::harvest);
  CHECK(detect("kimai-en.csv") == Tracker::kimai);
  CHECK(detect("kimai-de.csv") == Tracker::kimai);
  CHECK(detect("quirks.timeclock") == Tracker::timeclock);
  CHECK(detect("solidtime-generic.csv") == Tracker::solidtime);
  CHECK(detect_tracker("start,end,description\n") == std::nullopt);
}

TEST_CASE("hours in either locale: the last mark of two is the decimal point, one mark once is too", "[import]") {
  const std::string header = "Date,Client,Project,Task,Notes,Hours,Billable?\n";
  const auto seconds = [&](const std::string& hours, char decimal = 0) {
    Mapping m;
    m.decimal_separator = decimal;
    const TrackerExport rows = read_tracker(Tracker::harvest, header + "2026-03-09,,,,,\"" + hours + "\",Yes\n", "h.csv", m);
    return rows.rows.empty() ? Seconds{-1} : rows.rows[0].seconds;
  };
  CHECK(seconds("1.5") == 5400);
  CHECK(seconds("1,5") == 5400);
  CHECK(seconds("0,01") == 36);
  CHECK(seconds("1,000.25") == 3600900);
  CHECK(seconds("1.000,25") == 3600900);
  CHECK(seconds("1.000.000") == 3600000000);
  CHECK(seconds("0.0001") == -1);  // 0.36 s rounds to nothing: skipped as a zero-length timer
  CHECK(seconds("0.0002") == 1);  // 0.72 s: rounds to a second
  CHECK(seconds("1,500", '.') == 5400000);
  CHECK(seconds("7") == 25200);
}

TEST_CASE("ambiguous dates follow the tracker's usual format unless the mapping names one", "[import]") {
  const std::string text =
      "\"Project\",\"Description\",\"Start Date\",\"Start Time\",\"End Date\",\"End Time\"\n"
      "\"Relaunch\",\"x\",\"03/04/2026\",\"09:00\",\"03/04/2026\",\"10:00\"\n";
  CHECK(read_tracker(Tracker::clockify, text, "c.csv").rows[0].start == at("2026-03-04T09:00"));
  Mapping m;
  m.date_format = "DD/MM/YYYY";
  const TrackerExport rows = read_tracker(Tracker::clockify, text, "c.csv", m);
  CHECK(rows.date_format == "DD/MM/YYYY");
  CHECK(rows.rows[0].start == at("2026-04-03T09:00"));
}

TEST_CASE("patterns search the whole of a huge description (RE2 needs no stack per character)", "[import]") {
  const std::string header = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags\n";
  const std::string text = header + "a,b,Kunde Eins,Relaunch,,Korrektur" + std::string(300000, ' ') +
                           "2,Yes,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,\n" + "a,b,Kunde Eins,Relaunch,,R2 " +
                           std::string(300000, 'x') + ",Yes,2026-03-03,09:00:00,2026-03-03,10:00:00,01:00:00,\n";
  const ImportResult r = map_rows(read_tracker(Tracker::toggl, text, "big.csv"), studio());
  REQUIRE(r.entries.size() == 2);
  CHECK(r.entries[0].kind == EntryKind::revision);  // "Korrektur", 300 000 blanks, "2"
  CHECK(r.entries[0].request == "R2");
  CHECK(r.entries[1].kind == EntryKind::revision);
}

// --- the mapping ------------------------------------------------------------------------------

TEST_CASE("mapping file: engagement rules, own call tags and revision ids, skipped non-billable rows, a date format", "[import][mapping]") {
  const Mapping m = load_mapping(data("studio.map.json"));
  CHECK(m.engagements == std::vector<EngagementRule>{{"Kunde Drei", "Logo", "drei-logo"}});
  CHECK(m.call.tags == std::vector<std::string>{"jour fixe"});
  CHECK(m.call.patterns == Mapping{}.call.patterns);  // parts the file does not name keep their defaults
  CHECK(m.revision.id == "Runde {n}");
  CHECK_FALSE(m.non_billable.has_value());
  const ImportResult r = import(Tracker::toggl, "mapped.csv", studio(), m);
  CHECK(r.summary.date_format == "DD/MM/YYYY");
  CHECK(r.summary.imported == 3);
  CHECK(skipped(r.summary, "non-billable (the mapping skips these)") == 1);
  // Kunde Drei has two engagements and none is called "Branding": the row has nowhere to go.
  CHECK(skipped(r.summary, "no engagement for client \"Kunde Drei\", project \"Branding\"") == 1);
  REQUIRE(r.entries.size() == 3);
  CHECK(r.entries[0] == ImportedEntry{"drei-logo", at("2026-04-03T09:00"), 3600, EntryKind::scope, "", "Sketches", 2});
  CHECK(r.entries[1].kind == EntryKind::call);
  CHECK(r.entries[2] == ImportedEntry{"drei-logo", at("2026-04-13T09:00"), 3600, EntryKind::revision, "Runde 2", "Second round KR2", 4});
}

TEST_CASE("mapping: --engagement puts every row into one engagement", "[import][mapping]") {
  Mapping m;
  m.engagement = "drei-web";
  const ImportResult r = import(Tracker::toggl, "toggl-quirks.csv", studio(), m);
  CHECK(r.summary.imported == 5);  // Kunde Zwei's row too; the 2025 row is still before the start
  CHECK(r.summary.by_engagement == std::map<std::string, std::size_t>{{"drei-web", 5}});
}

TEST_CASE("mapping: non-billable rows become internal by default, or what the mapping says", "[import][mapping]") {
  Mapping m;
  m.non_billable = EntryKind::scope;
  const ImportResult r = import(Tracker::toggl, "toggl-quirks.csv", studio(), m);
  CHECK(r.entries[2].note == "Bookkeeping");
  CHECK(r.entries[2].kind == EntryKind::scope);
}

namespace {

/// Rows of the project "Relaunch" written inline, a minute each, an hour apart from 2026-03-02 09:00.
struct InlineRows {
  TrackerExport rows{.file = "inline"};
  void add(std::string description, std::vector<std::string> tags = {}) {
    TrackedRow r;
    r.line = rows.rows.size() + 2;
    r.start = at("2026-03-02T09:00") + boost::posix_time::hours(static_cast<long>(rows.rows.size()));
    r.seconds = 60;
    r.project = "Relaunch";
    r.description = std::move(description);
    r.tags = std::move(tags);
    rows.rows.push_back(r);
    ++rows.rows_read;
  }
};

/// "kind:request" of each entry imported.
std::vector<std::string> kinds_and_requests(const ImportResult& r) {
  std::vector<std::string> out;
  for (const ImportedEntry& e : r.entries) out.push_back(std::string(name(e.kind)) + ":" + e.request);
  return out;
}

}  // namespace

TEST_CASE("mapping: the default words for rounds and change requests", "[import][mapping]") {
  InlineRows rows;
  rows.add("R2 feedback");
  rows.add("", {"round:3"});
  rows.add("Korrektur 4");
  rows.add("Korrekturschleife 5");
  rows.add("CR-7 new page");
  rows.add("", {"change:8"});
  rows.add("Änderung 9");
  rows.add("Call with Jo");
  rows.add("R2D2 is no round, nor is CR7 a change");
  CHECK(kinds_and_requests(map_rows(rows.rows, studio())) ==
        std::vector<std::string>{"revision:R2", "revision:R3", "revision:R4", "revision:R5", "change:C7", "change:C8", "change:C9",
                                 "call:", "scope:"});
}

TEST_CASE("mapping file: own words for requests without a number, own due date patterns", "[import][mapping][due]") {
  const Mapping m = parse_mapping_json(R"({
    "change": {"words": ["\\bNachtrag\\b"]},
    "revision": {"words": []},
    "due": ["\\bbis\\s+(\\d{4}-\\d{2}-\\d{2})\\b"]
  })", "map.json");
  CHECK(m.change.words == std::vector<std::string>{R"(\bNachtrag\b)"});
  CHECK(m.change.patterns == Mapping{}.change.patterns);  // the parts not named keep their defaults
  CHECK(m.revision.words.empty());
  CHECK(m.due == std::vector<std::string>{R"(\bbis\s+(\d{4}-\d{2}-\d{2})\b)"});
  InlineRows rows;
  rows.add("R2 bis 2026-03-12");
  rows.add("Nachtrag Footer");             // the mapping's change word, without a number: skipped
  rows.add("Änderungswunsch Header");      // no longer a change word: a scope row
  rows.add("Korrekturrunde ohne Nummer");  // no revision words left: a scope row
  rows.add("R3 due:2026-03-20");           // the default due pattern is replaced: no due date
  const ImportResult r = map_rows(rows.rows, studio(), m);
  CHECK(kinds_and_requests(r) == std::vector<std::string>{"revision:R2", "scope:", "scope:", "revision:R3"});
  CHECK(r.summary.skipped ==
        std::map<std::string, std::size_t>{{"names a change request without its number (\"Änderungswunsch 2\", \"CR-2\")", 1}});
  REQUIRE(r.requests.size() == 2);
  CHECK(r.requests[0].request.due == at("2026-03-12T23:59"));
  CHECK(r.requests[1].request.due == std::nullopt);
  CHECK(r.summary.requests_without_due == std::vector<std::string>{"relaunch/R3"});
}

TEST_CASE("mapping file errors name the file and the field", "[import][mapping]") {
  const auto error = [](std::string_view json) {
    try {
      parse_mapping_json(json, "map.json");
    } catch (const import_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error("{") == "map.json:1:2: expected '}' to close the object opened at 1:1, got end of file");
  CHECK(error("{\n \"engagement\": \"x\",\n}") == "map.json:2:19: trailing ',' before '}'");
  CHECK(error(R"({"engagment": "x"})") == "map.json: unknown field \"engagment\"");
  CHECK(error(R"({"call": {"tags": ["ok", 3]}})") == "map.json: call.tags[1]: expected a string, got a number");
  CHECK(error(R"({"call": []})") == "map.json: call: expected an object, got a list");
  CHECK(error(R"({"revision": {"id": ""}})") == "map.json: revision.id: must not be empty");
  CHECK(error(R"({"non_billable": "maybe"})") == "map.json: non_billable: expected one of internal, scope, call, got \"maybe\"");
  CHECK(error(R"({"default_kind": "revision"})") == "map.json: default_kind: expected one of scope, internal, call, got \"revision\"");
  CHECK(error(R"({"date_format": "the usual"})") ==
        "map.json: date_format: \"the usual\" is not a date format (write it like \"DD.MM.YYYY\" or \"MM/DD/YYYY\")");
  CHECK(error(R"({"decimal_separator": ";"})") == "map.json: decimal_separator: expected \".\" or \",\", got \";\"");
  CHECK(error(R"({"day_start": "9"})") ==
        "map.json: day_start: not a time of day: \"9\" (expected HH:MM[:SS], or with AM/PM)");
  CHECK(error(R"({"engagements": [{"client": "x"}]})") == "map.json: engagements[0]: missing field \"engagement\"");
  CHECK(error(R"({"due": "due:"})") == "map.json: due: expected a list of strings, got a string");
  CHECK(error(R"({"change": {"words": ["CR", 1]}})") == "map.json: change.words[1]: expected a string, got a number");
  CHECK(error(R"({"change": {"word": []}})") == "map.json: change: unknown field \"word\"");
}

TEST_CASE("a mapping file above 1 MiB is refused unread: it is an export given in its place", "[import][mapping]") {
  const test::TemporaryDirectory dir;
  const std::filesystem::path big = dir.path / "big.json";
  std::ofstream(big) << "{" << std::string(max_mapping_bytes, ' ') << "}";
  CHECK_THROWS_WITH(load_mapping(big), big.string() + ": more than 1 MiB: a mapping is a few lines written by hand (is this the export?)");
  const std::filesystem::path fits = dir.path / "fits.json";
  std::ofstream(fits) << "{" << std::string(max_mapping_bytes - 2, ' ') << "}";
  CHECK(load_mapping(fits).source == fits.string());
}

TEST_CASE("mapping errors found when mapping: unknown engagements, bad patterns", "[import][mapping]") {
  Mapping m;
  m.source = "map.json";
  m.engagement = "nope";
  CHECK(error_of(Tracker::toggl, "toggl-quirks.csv", m) == "map.json: engagement: the book has no engagement \"nope\"");
  m = Mapping{};
  m.engagements = {{"", "Relaunch", "nope"}};
  CHECK(error_of(Tracker::toggl, "toggl-quirks.csv", m) == "mapping: engagements[0].engagement: the book has no engagement \"nope\"");
  m = Mapping{};
  m.call.patterns = {"(unclosed"};
  CHECK(error_of(Tracker::toggl, "toggl-quirks.csv", m) == "mapping: call.patterns[0]: not a valid regular expression: \"(unclosed\"");
  m = Mapping{};
  m.revision.patterns = {"round"};
  CHECK(error_of(Tracker::toggl, "toggl-quirks.csv", m) ==
        "mapping: revision.patterns[0]: \"round\" needs a group in parentheses that captures the request's number");
  m = Mapping{};
  m.due = {"due:", "bis"};
  CHECK(error_of(Tracker::toggl, "toggl-quirks.csv", m) == "mapping: due[0]: \"due:\" needs a group in parentheses that captures the due date");
  m = Mapping{};
  m.change.words = {"CR", "(unclosed"};
  CHECK(error_of(Tracker::toggl, "toggl-quirks.csv", m) == "mapping: change.words[1]: not a valid regular expression: \"(unclosed\"");
}

// --- every error, to the letter ---------------------------------------------------------------------

TEST_CASE("malformed exports are errors naming file:line:column and the rule", "[import][errors]") {
  using T = Tracker;
  CHECK(error_of(T::toggl, "errors/empty.csv") == "errors/empty.csv:1:1: the file is empty (expected a header line)");
  CHECK(error_of(T::toggl, "errors/unterminated-quote.csv") ==
        "errors/unterminated-quote.csv:2:45: unterminated quoted field (the closing quote is missing)");
  CHECK(error_of(T::toggl, "errors/text-after-quote.csv") ==
        "errors/text-after-quote.csv:2:53: unexpected text after the closing quote of a field (a quote inside a field is written \"\")");
  CHECK(error_of(T::toggl, "errors/short-row.csv") == "errors/short-row.csv:3:94: row has 11 fields but the header has 14");
  CHECK(error_of(T::toggl, "errors/missing-column.csv") ==
        "errors/missing-column.csv:1:1: missing column \"Start time\" (is this a Toggl Track export?)");
  CHECK(error_of(T::toggl, "errors/impossible-date.csv") ==
        "errors/impossible-date.csv:3:54: impossible date \"2026-02-29\" (read as YYYY-MM-DD)");
  CHECK(error_of(T::clockify, "errors/not-a-date.csv") ==
        "errors/not-a-date.csv:2:71: not a date: \"yesterday\" (expected MM/DD/YYYY)");
  CHECK(error_of(T::toggl, "errors/bad-time.csv") ==
        "errors/bad-time.csv:2:65: not a time of day: \"25:10\" (expected HH:MM[:SS], or with AM/PM)");
  CHECK(error_of(T::clockify, "errors/bad-12h-time.csv") ==
        "errors/bad-12h-time.csv:2:84: not a time of day: \"13:00 PM\" (expected HH:MM[:SS], or with AM/PM)");
  CHECK(error_of(T::toggl, "errors/end-before-start.csv") ==
        "errors/end-before-start.csv:2:90: end 2026-03-02T09:00 is before start 2026-03-02T10:00");
  CHECK(error_of(T::toggl, "errors/bad-billable.csv") == "errors/bad-billable.csv:2:52: expected Yes or No, got \"maybe\"");
  CHECK(error_of(T::harvest, "errors/bad-hours.csv") == "errors/bad-hours.csv:2:45: not a number of hours: \"1,5h\"");
  CHECK(error_of(T::harvest, "errors/negative-hours.csv") == "errors/negative-hours.csv:2:45: hours must not be negative, got \"-1\"");
  CHECK(error_of(T::harvest, "errors/day-overflow.csv") ==
        "errors/day-overflow.csv:4:49: the rows of 2026-03-09 laid end to end from 00:00 start past midnight (more hours than the day has)");
  CHECK(error_of(T::toggl, "errors/two-requests.csv") ==
        "errors/two-requests.csv:3:106: names more than one request: revision round \"R1\" and change request \"C2\"");
  CHECK(error_of(T::toggl, "errors/other-kind.csv") ==
        "errors/other-kind.csv:2:45: \"R9\" is a change request of engagement \"relaunch\", but this row names a revision round");
}

TEST_CASE("malformed timeclock files are errors naming the line", "[import][errors]") {
  using T = Tracker;
  CHECK(error_of(T::timeclock, "errors/clock-out-first.timeclock") == "errors/clock-out-first.timeclock:2:1: clock-out without a clock-in");
  CHECK(error_of(T::timeclock, "errors/clock-in-twice.timeclock") ==
        "errors/clock-in-twice.timeclock:2:1: clock-in while the session clocked in at line 1 is still open");
  CHECK(error_of(T::timeclock, "errors/clock-out-before-in.timeclock") ==
        "errors/clock-out-before-in.timeclock:2:3: clock-out 2026-03-23T08:59:59 is before its clock-in 2026-03-23T09:00 (line 1)");
  CHECK(error_of(T::timeclock, "errors/bad-code.timeclock") ==
        "errors/bad-code.timeclock:2:1: timeclock code \"h\" is not supported (only i, o and O)");
  CHECK(error_of(T::timeclock, "errors/bad-date.timeclock") ==
        "errors/bad-date.timeclock:1:3: impossible date \"2026/13/23\" (read as YYYY/MM/DD)");
  CHECK(error_of(T::timeclock, "errors/bad-clock-time.timeclock") ==
        "errors/bad-clock-time.timeclock:1:14: not a time of day: \"9am\" (expected HH:MM[:SS])");
}

TEST_CASE("import_error carries file, line, column and rule", "[import][errors]") {
  try {
    read(Tracker::toggl, "errors/bad-billable.csv");
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(e.file() == "errors/bad-billable.csv");
    CHECK(e.line() == 2);
    CHECK(e.column() == 52);
    CHECK(e.rule() == "expected Yes or No, got \"maybe\"");
  }
  CHECK(std::string(import_error("map.json", 0, 0, "x").what()) == "map.json: x");
  CHECK(std::string(import_error("a.csv", 3, 0, "x").what()) == "a.csv:3: x");
}

// --- nothing partial, nothing twice -------------------------------------------------------------------

TEST_CASE("an error anywhere in the file applies nothing: the book file stays byte for byte", "[import][apply]") {
  const TempDir dir;
  const auto book = dir.copy("studio.book.json");
  const std::string before = test::read_file(book.string());
  // The first row is fine; the reader fails on the third line, the mapping on the second row.
  CHECK_THROWS_AS(import_file(book, Tracker::toggl, data("errors/short-row.csv")), import_error);
  CHECK(test::read_file(book.string()) == before);
  CHECK_THROWS_AS(import_file(book, Tracker::toggl, data("errors/two-requests.csv")), import_error);
  CHECK(test::read_file(book.string()) == before);
  CHECK_THROWS_AS(import_file(book, Tracker::toggl, data("no-such-file.csv")), io_error);
  CHECK(test::read_file(book.string()) == before);
}

TEST_CASE("apply_import builds a validated copy; a result the book cannot take throws and changes nothing", "[import][apply]") {
  const Book book = studio();
  ImportResult bad;
  bad.entries.push_back({"relaunch", at("2026-03-02T09:00"), 600, EntryKind::revision, "R77", "", 2});
  CHECK_THROWS_WITH(apply_import(book, bad), "engagements[0].entries[0].request: unknown request \"R77\"");
  bad.entries[0] = {"relaunch", at("2026-03-02T09:00"), 600, EntryKind::revision, "R9", "", 2};  // R9 is a change request
  CHECK_THROWS_AS(apply_import(book, bad), validation_error);
  CHECK(book == studio());

  const ImportResult good = import(Tracker::clockify, "clockify-quirks.csv", book);
  const Book updated = apply_import(book, good);
  const Journal& j = updated.find_engagement("relaunch")->journal;
  CHECK(j.entries.size() == 3);
  CHECK(j.requests.size() == 2);
  CHECK(j.entries[0].request == j.find_request("R2"));
  CHECK(book.find_engagement("relaunch")->journal.entries.empty());
}

TEST_CASE("importing the same file twice adds nothing the second time", "[import][apply]") {
  const TempDir dir;
  const auto book = dir.copy("studio.book.json");
  const ImportSummary first = import_file(book, Tracker::toggl, data("toggl-quirks.csv"));
  CHECK(first.imported == 4);
  const std::string after_first = test::read_file(book.string());
  const ImportSummary second = import_file(book, Tracker::toggl, data("toggl-quirks.csv"));
  CHECK(second.rows_read == 7);
  CHECK(second.imported == 0);
  CHECK(second.duplicates == 4);
  CHECK(second.skipped_total() == 3);
  CHECK(test::read_file(book.string()) == after_first);  // not even rewritten

  // Rows naming a new request: the request is created once, then reused.
  import_file(book, Tracker::clockify, data("clockify-quirks.csv"));
  const ImportSummary again = import_file(book, Tracker::clockify, data("clockify-quirks.csv"));
  CHECK(again.duplicates == 3);
  CHECK(again.new_requests.empty());
  CHECK(load_book_json(book).find_engagement("relaunch")->journal.entries.size() == 7);
}

TEST_CASE("an archive book is imported into and saved in its own format", "[import][apply]") {
  const TempDir dir;
  const auto book = dir.path / "studio.kbin";
  save_book(studio(), book);
  CHECK(import_file(book, Tracker::kimai, data("kimai-de.csv")).imported == 3);
  CHECK(detail::open_archive(test::read_file(book.string()), detail::ArchiveContent::book, "").format == ArchiveFormat::binary);
  CHECK(load_book(book).find_engagement("relaunch")->journal.entries.size() == 3);
  CHECK(import_file(book, Tracker::kimai, data("kimai-de.csv")).duplicates == 3);
}

TEST_CASE("two equal rows in one file are two entries, and a second import adds neither", "[import][apply]") {
  const TempDir dir;
  const auto book = dir.copy("studio.book.json");
  CHECK(import_file(book, Tracker::toggl, data("twice.csv")).imported == 2);
  const ImportSummary second = import_file(book, Tracker::toggl, data("twice.csv"));
  CHECK(second.imported == 0);
  CHECK(second.duplicates == 2);
  CHECK(load_book_json(book).find_engagement("relaunch")->journal.entries.size() == 2);
}

TEST_CASE("the summary for people", "[import]") {
  const ImportResult r = import(Tracker::clockify, "clockify-quirks.csv", studio());
  CHECK(to_text(r.summary) ==
        "clockify-quirks.csv (Clockify, dates read as MM/DD/YYYY)\n"
        "  rows read:  3\n"
        "  imported:   3 (relaunch 3)\n"
        "  duplicates: 0\n"
        "  skipped:    0\n"
        "  new requests: relaunch/R2\n"
        "  without a due date (their rush cannot be known): relaunch/R2\n");
  const ImportResult t = import(Tracker::toggl, "toggl-quirks.csv", studio());
  CHECK(to_text(t.summary) ==
        "toggl-quirks.csv (Toggl Track, dates read as YYYY-MM-DD)\n"
        "  rows read:  7\n"
        "  imported:   4 (relaunch 4)\n"
        "  duplicates: 0\n"
        "  skipped:    3\n"
        "    1 before the start of engagement \"relaunch\" (2026-01-01)\n"
        "    1 no engagement for client \"Kunde Zwei\", project \"Other\"\n"
        "    1 zero-length timer\n");
}

// --- export -------------------------------------------------------------------------------------

TEST_CASE("entries CSV: one row per entry, spreadsheet times, formula-safe notes", "[import][csv]") {
  const Book book = apply_import(studio(), import(Tracker::toggl, "toggl-quirks.csv", studio()));
  const std::string csv = to_entries_csv(book);
  CHECK(csv.starts_with("\xEF\xBB\xBF" "engagement,client,date,start,end,seconds,hours,kind,request,note\n"));
  CHECK(csv.find("relaunch,eins,2026-03-02,2026-03-02 23:30:00,2026-03-03 00:45:00,4500,1.25,scope,,"
                 "\"Night shift, part \"\"one\"\"\nand a second line\"\n") != std::string::npos);
  CHECK(csv.find("relaunch,eins,2026-03-04,2026-03-04 09:00:00,2026-03-04 09:30:00,1800,0.50,scope,,"
                 "\"'=HYPERLINK(\"\"http://x.test\"\")\"\n") != std::string::npos);
  CHECK(to_entries_csv(book, false).starts_with("engagement,"));
  // It reads back as CSV: every row has all ten fields.
  const auto records = parse_csv(csv, "entries.csv");
  REQUIRE(records.size() == 5);
  for (const CsvRecord& rec : records) CHECK(rec.fields.size() == 10);
  CHECK(records[4].fields[9] == "'=HYPERLINK(\"http://x.test\")");
}

// --- worked example A and the real sample exports ---------------------------------------------------

TEST_CASE("worked example A rebuilt from a Toggl export of its entries gives the SPEC's report", "[import][spec]") {
  const Book terms = load_book_json(data("a-fixed.terms.book.json"));
  const ImportResult r = import(Tracker::toggl, "a-fixed.toggl.csv", terms);
  CHECK(r.summary.rows_read == 11);
  CHECK(r.summary.imported == 10);
  CHECK(skipped(r.summary, "zero-length timer") == 1);
  CHECK(r.requests.empty());  // R1–R3 and C1 are in the book, with their due dates
  const Book book = apply_import(terms, r);
  CHECK(to_json(evaluate(book)) == test::read_file(test::spec_example("a-fixed.report.json")));
}

TEST_CASE("the real sample exports give the counts they should", "[import][fixtures]") {
  const std::filesystem::path folder =
      std::filesystem::path(KONTINGENT_TEST_DATA) / ".." / ".." / ".." / "shared" / "fixtures" / "real-exports";
  if (!std::filesystem::is_directory(folder)) {
    WARN("no sample exports at " << folder.string() << ": skipped");
    return;
  }
  struct Expect {
    Tracker tracker;
    std::size_t read = 0, imported = 0, zero_length = 0;
    std::size_t line = 0, column = 0;  // an error, when line > 0
    std::string rule;
  };
  const std::map<std::string, Expect> expected{
      {"clockify_time_entries_import_test_1.csv", {Tracker::clockify, 2, 1, 1}},
      {"clockify_time_entries_import_test_2.csv", {Tracker::clockify, 1, 1, 0}},
      {"clockify_time_entries_import_test_3.csv",
       {Tracker::clockify, 0, 0, 0, 2, 229, "impossible date \"13/15/2024\" (read as MM/DD/YYYY)"}},
      {"clockify_time_entries_import_test_4.csv", {Tracker::clockify, 2, 1, 1}},
      {"clockify_time_entries_import_test_5.csv", {Tracker::clockify, 2, 1, 1}},
      {"clockify_time_entries_import_test_6.csv", {Tracker::clockify, 2, 1, 1}},
      {"clockify_time_entries_import_test_7.csv",
       {Tracker::clockify, 0, 0, 0, 2, 138, "row has 12 fields but the header has 13"}},
      {"generic_time_entries_import_test_1.csv", {Tracker::solidtime, 2, 1, 1}},  // solidtime's own export
      {"harvest_time_entries_import_test_1.csv", {Tracker::harvest, 2, 2, 0}},
      {"hledger-examples_sample.timeclock", {Tracker::timeclock, 3, 3, 0}},
      {"hledger-hledger_test_cli_a.timeclock", {Tracker::timeclock, 1, 1, 0}},
      {"hledger-hledger_test_errors_tcclockouttime.timeclock",
       {Tracker::timeclock, 0, 0, 0, 5, 3, "clock-out 2022-01-01T00:00 is before its clock-in 2022-01-01T00:01 (line 4)"}},
      {"hledger-hledger_test_errors_tcorderedactions.timeclock",
       {Tracker::timeclock, 0, 0, 0, 8, 1, "clock-in while the session clocked in at line 7 is still open"}},
      {"hledger-hledger_test_needs-old.timeclock", {Tracker::timeclock, 2, 2, 0}},  // overlapping sessions are entries
      {"toggl_time_entries_import_test_1.csv", {Tracker::toggl, 2, 1, 1}},
      {"toggl_time_entries_import_test_2.csv", {Tracker::toggl, 1, 1, 0}},
  };
  // Every row into one engagement that started long before the samples.
  const Book book = parse_book_json(R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}],
    "engagements": [{"id": "any", "client": "c", "currency": "EUR", "start": "2000-01-01",
                     "terms": {"pricing": "hourly", "rate": "100"}}]})");
  Mapping mapping;
  mapping.engagement = "any";
  std::size_t files = 0;
  for (const auto& item : std::filesystem::directory_iterator(folder)) {
    const std::string name = item.path().filename().string();
    if (name == "PROVENANCE.md") continue;
    ++files;
    INFO(name);
    const auto it = expected.find(name);
    if (it == expected.end()) {
      FAIL("a sample export without expected counts: add it to this test");
      continue;
    }
    const Expect& want = it->second;
    const std::string text = test::read_file(item.path().string());
    CHECK(detect_tracker(text) == want.tracker);
    if (want.line > 0) {
      try {
        import_entries(want.tracker, item.path(), book, mapping);
        FAIL("no error");
      } catch (const import_error& e) {
        CHECK(e.file() == item.path().string());
        CHECK(e.line() == want.line);
        CHECK(e.column() == want.column);
        CHECK(e.rule() == want.rule);
      }
      continue;
    }
    const ImportResult r = import_entries(want.tracker, item.path(), book, mapping);
    CHECK(r.summary.rows_read == want.read);
    CHECK(r.summary.imported == want.imported);
    CHECK(skipped(r.summary, "zero-length timer") == want.zero_length);
    CHECK(r.summary.skipped_total() == want.zero_length);
    CHECK(r.summary.duplicates == 0);
    CHECK_NOTHROW(apply_import(book, r));
  }
  CHECK(files == expected.size());
}

TEST_CASE("the real sample exports: kinds, durations and the session across midnight", "[import][fixtures]") {
  const std::filesystem::path folder =
      std::filesystem::path(KONTINGENT_TEST_DATA) / ".." / ".." / ".." / "shared" / "fixtures" / "real-exports";
  if (!std::filesystem::is_directory(folder)) return;
  const Book book = parse_book_json(R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}],
    "engagements": [{"id": "any", "client": "c", "currency": "EUR", "start": "2000-01-01",
                     "terms": {"pricing": "hourly", "rate": "100"}}]})");
  Mapping m;
  m.engagement = "any";
  const ImportResult harvest = import_entries(Tracker::harvest, folder / "harvest_time_entries_import_test_1.csv", book, m);
  REQUIRE(harvest.entries.size() == 2);
  CHECK(harvest.entries[0].seconds == 72000);  // "20,0" hours, not billable
  CHECK(harvest.entries[0].kind == EntryKind::internal);
  CHECK(harvest.entries[1].seconds == 36);  // "0,01" hours
  CHECK(harvest.entries[1].kind == EntryKind::scope);
  const ImportResult toggl = import_entries(Tracker::toggl, folder / "toggl_time_entries_import_test_2.csv", book, m);
  REQUIRE(toggl.entries.size() == 1);
  CHECK(toggl.entries[0].seconds == 2);
  CHECK(toggl.entries[0].note.find("\"\"\"`!@#$%^&*()_+") != std::string::npos);  // doubled quotes read as quotes
  const ImportResult clock = import_entries(Tracker::timeclock, folder / "hledger-examples_sample.timeclock", book, m);
  REQUIRE(clock.entries.size() == 3);
  CHECK(clock.entries[1].start == at("2009-03-31T22:21:45"));  // across midnight: one entry, on its start date
  CHECK(clock.entries[1].seconds == 13129);
}

// --- solidtime --------------------------------------------------------------------------------

TEST_CASE("solidtime: its own export, ISO instants in UTC, a zero-length entry skipped", "[import][solidtime]") {
  const TrackerExport x = read(Tracker::solidtime, "solidtime-generic.csv");
  CHECK(x.tracker == Tracker::solidtime);
  CHECK(x.rows_read == 2);
  CHECK(x.skipped == std::map<std::string, std::size_t>{{"zero-length timer", 1}});
  CHECK(x.date_format == "YYYY-MM-DD");
  REQUIRE(x.rows.size() == 1);
  TrackedRow want;
  want.line = 3;
  want.start_column = 66;
  want.start = at("2024-03-04T09:23");
  want.seconds = 3601;
  want.client = "Big Company";
  want.project = "Project for Big Company";
  want.task = "Task 1";
  want.description = "Working hard";
  want.billable = true;
  want.user = "Peter Tester";
  want.description_column = 1;
  want.task_column = 112;
  want.tags_column = 63;
  CHECK(x.rows[0] == want);
}

TEST_CASE("solidtime: offsets are turned into UTC, a running timer is skipped, tags name kinds", "[import][solidtime]") {
  const TrackerExport x = read(Tracker::solidtime, "solidtime-quirks.csv");
  CHECK(x.rows_read == 4);
  CHECK(x.skipped == std::map<std::string, std::size_t>{{"timer still running (no end)", 1}});
  REQUIRE(x.rows.size() == 3);
  CHECK(x.rows[0].start == at("2026-03-02T08:00"));
  CHECK(x.rows[0].seconds == 5400);
  CHECK(x.rows[1].start == at("2026-03-29T00:30"));  // UTC: the night the clocks change in Europe is one hour
  CHECK(x.rows[1].seconds == 3600);
  CHECK(x.rows[2].start == at("2026-03-03T09:00"));  // 10:00+01:00
  CHECK(x.rows[2].seconds == 4500);
  CHECK(x.rows[2].billable == false);
  const ImportResult r = map_rows(x, studio());
  REQUIRE(r.entries.size() == 3);
  CHECK(r.entries[0].kind == EntryKind::scope);
  CHECK(r.entries[1].kind == EntryKind::internal);  // not billable
  CHECK(r.entries[2].kind == EntryKind::call);
}

TEST_CASE("solidtime: a start that is not an ISO instant is an error at its field", "[import][solidtime][errors]") {
  CHECK(error_of(Tracker::solidtime, "errors/solidtime-bad-instant.csv") ==
        "errors/solidtime-bad-instant.csv:2:39: not an instant: \"2026-03-02 08:00:00\" (expected YYYY-MM-DDTHH:MM:SSZ)");
}

// --- rounds, change requests and due dates from tags and descriptions ---------------------------

TEST_CASE("German and English round and change words name requests; due: gives the due date", "[import][mapping][due]") {
  const ImportResult r = import(Tracker::toggl, "tags.csv", studio());
  std::vector<std::string> got;
  for (const ImportedEntry& e : r.entries) got.push_back(std::string(name(e.kind)) + ":" + e.request);
  CHECK(got == std::vector<std::string>{"revision:R3", "revision:R3", "revision:R4", "revision:R5", "change:C6", "change:C7"});
  REQUIRE(r.requests.size() == 5);
  const auto due_of = [&](std::size_t i) { return r.requests[i].request.due; };
  CHECK(r.requests[0].request.id == "R3");
  CHECK(due_of(0) == at("2026-03-12T23:59"));  // a date alone: the end of that day
  CHECK(r.requests[0].request.received == at("2026-03-02T09:00"));
  CHECK(due_of(1) == std::nullopt);
  CHECK(due_of(2) == at("2026-03-20T12:00"));  // fällig: with a time
  CHECK(due_of(3) == at("2026-03-10T23:59"));
  CHECK(due_of(4) == std::nullopt);
  CHECK(r.summary.new_requests == std::vector<std::string>{"relaunch/R3", "relaunch/R4", "relaunch/R5", "relaunch/C6", "relaunch/C7"});
  CHECK(r.summary.requests_without_due == std::vector<std::string>{"relaunch/R4", "relaunch/C7"});
  CHECK(r.summary.skipped == std::map<std::string, std::size_t>{
                                 {"names a change request without its number (\"Änderungswunsch 2\", \"CR-2\")", 1},
                                 {"names a revision round without its number (\"Korrekturrunde 2\", \"R2\")", 1}});
  const Book book = apply_import(studio(), r);
  const Journal& journal = book.find_engagement("relaunch")->journal;
  CHECK(journal.requests[static_cast<std::size_t>(journal.find_request("R3"))].due == at("2026-03-12T23:59"));
  CHECK(journal.requests[static_cast<std::size_t>(journal.find_request("C7"))].due == std::nullopt);
  CHECK(to_text(r.summary).ends_with("  new requests: relaunch/R3 relaunch/R4 relaunch/R5 relaunch/C6 relaunch/C7\n"
                                     "  without a due date (their rush cannot be known): relaunch/R4 relaunch/C7\n"));
}

TEST_CASE("due dates: two for one request, one before the request was received, an impossible one", "[import][due][errors]") {
  CHECK(error_of(Tracker::toggl, "errors/due-twice.csv") ==
        "errors/due-twice.csv:3:91: due 2026-03-14T23:59, but line 2 gives revision round \"R2\" the due date 2026-03-12T23:59");
  CHECK(error_of(Tracker::toggl, "errors/due-before-received.csv") ==
        "errors/due-before-received.csv:2:35: due 2026-03-01T23:59 is before revision round \"R2\" was received "
        "2026-03-05T09:00 (the start of its first entry)");
  CHECK(error_of(Tracker::toggl, "errors/due-impossible.csv") ==
        "errors/due-impossible.csv:2:91: not a due date: \"2026-02-30\" (impossible date \"2026-02-30\")");
}

// --- re-importing safely ------------------------------------------------------------------------

namespace {

/// The studio book after the week of sync-week.csv was imported.
Book studio_with_week() { return apply_import(studio(), import(Tracker::toggl, "sync-week.csv", studio())); }

Period march() { return parse_period("2026-03-01..2026-03-31"); }

}  // namespace

TEST_CASE("default mode: an edited timer overlaps its old entry and is skipped and reported, not added twice", "[import][sync]") {
  const Book week = studio_with_week();
  const ImportResult r = import(Tracker::toggl, "sync-week-edited.csv", week);
  CHECK(r.summary.rows_read == 7);
  CHECK(r.summary.imported == 2);    // R2 menu, Änderungswunsch 3
  CHECK(r.summary.duplicates == 3);  // layout, sketches, february tail
  CHECK(r.summary.skipped == std::map<std::string, std::size_t>{{"no engagement for client \"Kunde Zwei\", project \"Other\"", 1},
                                                                {"overlaps an entry already in the book", 1}});
  REQUIRE(r.summary.overlaps.size() == 1);
  const EntryConflict& o = r.summary.overlaps[0];
  CHECK(o.line == 2);
  CHECK(o.row == EntryMention{"relaunch", at("2026-03-02T09:00"), 35100, EntryKind::scope, "wireframes"});
  CHECK(o.book == EntryMention{"relaunch", at("2026-03-02T09:00"), 27000, EntryKind::scope, "wireframes"});
  CHECK(r.removals.empty());
  CHECK(to_text(r.summary) ==
        "sync-week-edited.csv (Toggl Track, dates read as YYYY-MM-DD)\n"
        "  rows read:  7\n"
        "  imported:   2 (relaunch 2)\n"
        "  duplicates: 3 (already in the book, not imported again)\n"
        "  skipped:    2\n"
        "    1 no engagement for client \"Kunde Zwei\", project \"Other\"\n"
        "    1 overlaps an entry already in the book\n"
        "    line 2: relaunch 2026-03-02T09:00 9:45 scope \"wireframes\" overlaps 2026-03-02T09:00 7:30 scope \"wireframes\"\n"
        "  new requests: relaunch/R2 relaunch/C3\n"
        "  without a due date (their rush cannot be known): relaunch/C3\n");
}

TEST_CASE("default mode: a hand-logged entry with another note is an overlap; touching intervals are not", "[import][sync]") {
  Book book = studio();
  record(book, NewEntry{"relaunch", at("2026-03-03T10:30"), 1800, EntryKind::scope, "", "Layout (by hand)"});
  record(book, NewEntry{"relaunch", at("2026-03-02T16:30"), 1800, EntryKind::scope, "", "right after"});
  const ImportResult r = import(Tracker::toggl, "sync-week.csv", book);
  CHECK(r.summary.imported == 4);
  REQUIRE(r.summary.overlaps.size() == 1);
  CHECK(r.summary.overlaps[0].line == 3);
  CHECK(r.summary.overlaps[0].book.note == "Layout (by hand)");
}

TEST_CASE("replace-period: changed, removed, added and unchanged entries, in one result", "[import][sync]") {
  const Book week = studio_with_week();
  const ImportResult r = map_rows(read(Tracker::toggl, "sync-week-edited.csv"), week, {}, {march()});
  const ImportSummary& s = r.summary;
  CHECK(s.rows_read == s.imported + s.changed + s.duplicates + s.outside_period + s.skipped_total());
  CHECK((s.imported == 2 && s.changed == 1 && s.duplicates == 2 && s.outside_period == 1 && s.removed == 1));
  CHECK(s.replaced_in == std::vector<std::string>{"drei-logo", "relaunch"});
  CHECK(r.removals.size() == 2);  // the changed entry and the deleted call
  CHECK(to_text(s) ==
        "sync-week-edited.csv (Toggl Track, dates read as YYYY-MM-DD)\n"
        "  rows read:  7\n"
        "  replacing:  2026-03-01..2026-03-31 of drei-logo, relaunch\n"
        "  imported:   2 (relaunch 3)\n"
        "  changed:    1\n"
        "    line 2: relaunch 2026-03-02T09:00 7:30 scope \"wireframes\" -> 2026-03-02T09:00 9:45 scope \"wireframes\"\n"
        "  removed:    1\n"
        "    relaunch 2026-03-04T10:00 0:30 call \"call with Anna\"\n"
        "  duplicates: 2 (already in the book, not imported again)\n"
        "  outside the period: 1 (left out)\n"
        "  skipped:    1\n"
        "    1 no engagement for client \"Kunde Zwei\", project \"Other\"\n"
        "  new requests: relaunch/R2 relaunch/C3\n"
        "  without a due date (their rush cannot be known): relaunch/C3\n");

  const Book synced = apply_import(week, r);
  const Entries& entries = synced.find_engagement("relaunch")->journal.entries;
  std::vector<std::string> got;
  for (std::size_t i = 0; i < entries.size(); ++i)
    got.push_back(format_time(entries.starts()[i]) + " " + format_duration(entries.seconds()[i]) + " " + std::string(entries.note(i)));
  CHECK(got == std::vector<std::string>{"2026-02-27T09:00 1:00 february tail", "2026-03-03T09:00 2:00 layout",
                                        "2026-03-02T09:00 9:45 wireframes", "2026-03-05T13:00 1:00 R2 menu",
                                        "2026-03-06T09:00 1:00 Änderungswunsch 3: footer"});
  // The same export again: nothing to do.
  const ImportResult again = map_rows(read(Tracker::toggl, "sync-week-edited.csv"), synced, {}, {march()});
  CHECK(!again.changes_book());
  CHECK(again.summary.duplicates == 5);
}

TEST_CASE("replace-period: only the period's days, and only engagements the export maps to", "[import][sync]") {
  Book week = studio_with_week();
  record(week, NewEntry{"drei-web", at("2026-03-04T09:00"), 3600, EntryKind::scope, "", "not in the export"});
  const ImportResult r =
      map_rows(read(Tracker::toggl, "sync-week-edited.csv"), week, {}, {parse_period("2026-03-02..2026-03-03")});
  CHECK(r.summary.outside_period == 4);  // 03-05, 03-06, 02-27 and 03-04
  CHECK(r.summary.removed == 0);         // the call of 03-04 is outside; drei-web is not in the export
  CHECK(r.summary.changed == 1);
  const Book synced = apply_import(week, r);
  CHECK(synced.find_engagement("drei-web")->journal.entries.size() == 1);
  CHECK(synced.find_engagement("relaunch")->journal.entries.size() == 4);
}

TEST_CASE("replace-period: an export without a period's entries empties the period", "[import][sync]") {
  const Book week = studio_with_week();
  Mapping mapping;
  mapping.engagement = "relaunch";  // the mapping names it: its period is replaced though no row is of it
  const ImportResult r = map_rows(read(Tracker::toggl, "sync-week.csv"), week, mapping, {parse_period("2026-04-01..2026-04-30")});
  CHECK(r.summary.replaced_in == std::vector<std::string>{"relaunch"});
  CHECK(r.summary.outside_period == 5);
  CHECK(!r.changes_book());
}

TEST_CASE("replace-period: a row overlapping an entry just outside the period is skipped", "[import][sync]") {
  Book book = studio();
  record(book, NewEntry{"relaunch", at("2026-03-01T23:00"), 11 * 3600, EntryKind::scope, "", "night shift"});  // to 10:00
  const ImportResult r = map_rows(read(Tracker::toggl, "sync-week.csv"), book, {}, {parse_period("2026-03-02..2026-03-31")});
  REQUIRE(r.summary.overlaps.size() == 1);
  CHECK(r.summary.overlaps[0].line == 2);
  CHECK(r.summary.overlaps[0].book.note == "night shift");
}

TEST_CASE("strict: any row not imported is an error, and nothing is imported", "[import][sync][errors]") {
  const Book week = studio_with_week();
  try {
    map_rows(read(Tracker::toggl, "sync-week-edited.csv"), week, {}, {std::nullopt, true});
    FAIL("no error");
  } catch (const import_error& e) {
    CHECK(std::string(e.what()) ==
          "sync-week-edited.csv: strict: 2 of 7 rows would not be imported (1 no engagement for client \"Kunde Zwei\", "
          "project \"Other\"; 1 overlaps an entry already in the book); nothing was imported");
  }
  CHECK(map_rows(read(Tracker::toggl, "sync-week.csv"), studio(), {}, {std::nullopt, true}).summary.imported == 5);
}

TEST_CASE("periods: FROM..TO, both days included, refused when malformed", "[import][sync][errors]") {
  CHECK(format_period(parse_period("2026-03-01..2026-03-31")) == "2026-03-01..2026-03-31");
  CHECK(parse_period("2026-03-05..2026-03-05").contains(to_date(clock_days(parse_date("2026-03-05")))));
  const auto error = [](std::string_view text) {
    try {
      parse_period(text, "--replace-period");
    } catch (const validation_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error("2026-03") == "--replace-period: expected FROM..TO (two dates YYYY-MM-DD), got \"2026-03\"");
  CHECK(error("2026-03-31..2026-03-01") == "--replace-period: the period ends 2026-03-01, before it starts 2026-03-31");
  CHECK(error("2026-02-30..2026-03-01") == "--replace-period: impossible date \"2026-02-30\"");
}

TEST_CASE("import_file: a dry run writes nothing; a sync is one save", "[import][sync][apply]") {
  TempDir dir;
  const auto book = dir.copy("studio.book.json");
  import_file(book, Tracker::toggl, data("sync-week.csv"));
  const std::string before = test::read_file(book.string());
  const ImportSummary dry = import_file(book, Tracker::toggl, data("sync-week-edited.csv"), {}, {march()}, true);
  CHECK(dry.changed == 1);
  CHECK(test::read_file(book.string()) == before);
  const ImportSummary done = import_file(book, Tracker::toggl, data("sync-week-edited.csv"), {}, {march()});
  CHECK(done == dry);
  CHECK(load_book_json(book).find_engagement("relaunch")->journal.entries.size() == 5);
}

// --- many clients ---------------------------------------------------------------------------------

namespace {

/// A book of `n` clients with one engagement each, and a Toggl export of one row for each client.
std::pair<Book, std::string> many_clients(std::size_t n) {
  std::string clients, engagements;
  std::string csv = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string k = std::to_string(i), sep = i ? "," : "";
    clients += sep + R"({"id": "c)" + k + R"(", "name": "Client )" + k + R"("})";
    engagements += sep + R"({"id": "e)" + k + R"(", "client": "c)" + k +
                   R"(", "currency": "EUR", "start": "2026-01-01", "terms": {"pricing": "hourly", "rate": "95"}})";
    csv += "Jo,jo@x.test,Client " + k + ",,,work,Yes,2026-03-02,09:00:00,2026-03-02,10:00:00,01:00:00,\n";
  }
  return {parse_book_json(R"({"format": "kontingent-book/1", "clients": [)" + clients + R"(], "engagements": [)" +
                          engagements + "]}"),
          std::move(csv)};
}

}  // namespace

TEST_CASE("import is linear in clients: each row finds its client's engagement through an index", "[import][scale]") {
  const auto [book, csv] = many_clients(20000);
  const ImportResult r = map_rows(read_tracker(Tracker::toggl, csv, "many.csv"), book);
  CHECK(r.summary.imported == 20000);
  CHECK(r.entries.back().engagement == "e19999");
  CHECK(to_text(r.summary).find("  imported:   20000 (e0 1, e1 1, e10 1, e100 1, e1000 1, e10000 1, e10001 1, e10002 1, "
                                "e10003 1, e10004 1, and 19990 more)\n") != std::string::npos);
  CHECK(apply_import(book, r).engagements[12345].journal.entries.size() == 1);
}

// Run by hand (`kontingent-tests "[.scale]"`) for the figure in docs/import.md.
TEST_CASE("import of 10^5 clients of one engagement each, timed", "[.scale]") {
  const auto [book, csv] = many_clients(100000);
  const auto t0 = std::chrono::steady_clock::now();
  const ImportResult r = map_rows(read_tracker(Tracker::toggl, csv, "many.csv"), book);
  const Book out = apply_import(book, r);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN("read + map + apply of 10^5 rows into 10^5 engagements: " << seconds << " s");
  CHECK(out.engagements.back().journal.entries.size() == 1);
}
