// The plain entry list reader (src/formats/json_entries.cpp): what it reads, what it declines, and that a
// book reads the same whether its entries go through it or through simdjson.
#include <catch2/catch.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "formats/json_entries.hpp"
#include "kontingent/formats/json.hpp"

using namespace kontingent;

namespace {

/// One entry as read_plain_entry_list reads it, its request named by its id.
struct ReadEntry {
  ClockSeconds start = 0;
  Seconds seconds = 0;
  EntryKind kind = EntryKind::scope;
  std::optional<std::string> request;
  std::string note;
  bool written_as_minutes = true;
};

std::optional<std::vector<ReadEntry>> read(std::string_view list) {
  static detail::PlainEntryList read_list;  // as a reader keeps it: what the last list left must not matter
  const auto length = detail::read_plain_entry_list(list, read_list);
  if (!length) return std::nullopt;
  CHECK(*length == list.find_last_of(']') + 1);
  const Entries& entries = read_list.entries;
  std::vector<ReadEntry> read_entries;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const RequestIndex r = entries.requests()[i];
    read_entries.push_back({entries.starts()[i], entries.seconds()[i], entries.kinds()[i],
                            r == no_request ? std::nullopt : std::optional<std::string>(read_list.request_ids.at(static_cast<std::size_t>(r))),
                            std::string(entries.note(i)), entries.written_as_minutes(i)});
  }
  return read_entries;
}

/// A book with one engagement whose entry list is `list`, under the key `key`.
std::string book_with(std::string_view list, std::string_view key = "\"entries\"") {
  return std::string(R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}], "engagements": [
    {"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-01",
     "terms": {"pricing": "hourly", "rate": "100.00"},
     "requests": [{"id": "R1", "kind": "revision", "received": "2026-01-02T09:00"},
                  {"id": "C1", "kind": "change", "received": "2026-01-02T09:00"}],
     )") + std::string(key) + ": " + std::string(list) + "}]}";
}

/// What reading a book gives: the book as JSON again, or the error as the user sees it.
std::string outcome(const std::string& json) {
  try {
    return to_json(parse_book_json(json));
  } catch (const validation_error& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace

TEST_CASE("a plain entry list is read field by field, in any order and any white space") {
  const auto plain = read(R"([
    {"start": "2026-01-05T09:00", "minutes": 90, "kind": "scope"},
    {"kind":"revision","request":"R1","end":"2026-01-05T12:00:30","start":"2026-01-05T11:00","note":"Logo v2 ~!"},
    {	"start" : "2026-01-06T08:00:15" ,
     "minutes" : 10000000 , "kind" : "call" , "note" : "" }
  ])");
  REQUIRE(plain);
  REQUIRE(plain->size() == 3);
  const ReadEntry& a = (*plain)[0];
  CHECK(a.start == clock_seconds(parse_time("2026-01-05T09:00")));
  CHECK(a.seconds == 90 * 60);
  CHECK(a.kind == EntryKind::scope);
  CHECK_FALSE(a.request);
  CHECK(a.note.empty());
  CHECK(a.written_as_minutes);
  const ReadEntry& b = (*plain)[1];
  CHECK(b.start == clock_seconds(parse_time("2026-01-05T11:00")));
  CHECK(b.seconds == 3600 + 30);
  CHECK(b.kind == EntryKind::revision);
  CHECK(b.request == "R1");
  CHECK(b.note == "Logo v2 ~!");
  CHECK_FALSE(b.written_as_minutes);
  const ReadEntry& c = (*plain)[2];
  CHECK(c.start == clock_seconds(parse_time("2026-01-06T08:00:15")));
  CHECK(c.seconds == 600'000'000);
  CHECK(c.kind == EntryKind::call);
  CHECK(read("[]")->empty());
  CHECK(read(" [ \n ] ") == std::nullopt);  // the list must start at its `[`
  CHECK(read("[ \n ]")->empty());
}

TEST_CASE("anything but a plain entry list is declined, for the full parser to read or name") {
  const std::string good = R"("start": "2026-01-05T09:00", "kind": "scope")";
  const char* declined[] = {
      R"([{"start": "2026-01-05T09:00", "kind": "scope"}])",                        // neither end nor minutes
      R"([{"start": "2026-01-05T09:00", "kind": "scope", "minutes": 5, "end": "2026-01-05T10:00"}])",  // both
      R"([{"kind": "scope", "minutes": 5}])",                                         // no start
      R"([{"start": "2026-01-05T09:00", "minutes": 5}])",                             // no kind
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "kind": "call"}])",  // twice
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "rate": 1}])",       // unknown field
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "meeting"}])",          // unknown kind
      R"([{"start": "2026-01-05 09:00", "minutes": 5, "kind": "scope"}])",            // not a SPEC time
      R"([{"start": "2026-02-30T09:00", "minutes": 5, "kind": "scope"}])",            // no such day
      R"([{"start": "2026-01-05T09:00", "minutes": 0, "kind": "scope"}])",            // minutes from 1
      R"([{"start": "2026-01-05T09:00", "minutes": 05, "kind": "scope"}])",           // leading zero
      R"([{"start": "2026-01-05T09:00", "minutes": -5, "kind": "scope"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5.0, "kind": "scope"}])",          // a double
      R"([{"start": "2026-01-05T09:00", "minutes": 5e1, "kind": "scope"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 10000001, "kind": "scope"}])",     // over 10^7
      R"([{"start": "2026-01-05T09:00", "minutes": "5", "kind": "scope"}])",          // a string
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": null}])",
      "[{\"start\": \"2026-01-05T09:00\", \"minutes\": 5, \"kind\": \"scope\", \"note\": \"tab\there\"}]",   // a control
      "[{\"start\": \"2026-01-05T09:00\", \"minutes\": 5, \"kind\": \"scope\", \"note\": \"caf\xe9\"}]",        // not UTF-8
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "\ud800"}])",        // a lone surrogate
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "\udc00\ud800"}])",  // the wrong way round
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "\ud800\u0041"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "\x41"}])",          // no such escape
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "\u00G9"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "\u00e"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "note": "end\"}])",          // not closed
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "revision", "request": "R\u0031"}])",  // escapes only in notes
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "sc\u006fpe"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope",}])",           // trailing comma
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope"},])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope"} {"start": "2026-01-05T10:00", "minutes": 5, "kind": "scope"}])",
      R"([{}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope"})",             // not closed
      R"([{"start" "2026-01-05T09:00", "minutes": 5, "kind": "scope"}])",             // no colon
      "[{\"start\": \"2026-01-05T09:00\", \"minutes\": 5, \"kind\": \"scope\"}\v]",   // \v is no JSON white space
  };
  for (const char* list : declined) {
    INFO(list);
    CHECK_FALSE(read(list));
  }
  CHECK(read("[{" + good + ", \"minutes\": 5}]"));
}

TEST_CASE("a note is read as JSON means it: escapes decoded, UTF-8 kept") {
  const auto list = read("[{\"start\": \"2026-01-05T09:00\", \"minutes\": 5, \"kind\": \"scope\", "
                         "\"note\": \"\\\"Logo\\\"\\nv2\\t\\\\ \\/ \\b\\f\\r caf\\u00e9 \\u20ac \\ud83d\\ude00 \\u0000 caf\xc3\xa9\"},"
                         "{\"start\": \"2026-01-05T10:00\", \"minutes\": 5, \"kind\": \"scope\", \"note\": \"plain\"}]");
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  constexpr char decoded[] = "\"Logo\"\nv2\t\\ / \b\f\r caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \0 caf\xc3\xa9";
  CHECK((*list)[0].note == std::string_view(decoded, sizeof decoded - 1));
  CHECK((*list)[1].note == "plain");
}

TEST_CASE("the entry list is found after its key, not in a value") {
  using detail::find_entry_list;
  const std::string text = R"({"note": "entries", "x": "\"entries\": [", "entries" :
    [1]})";
  CHECK(find_entry_list(text) == text.find("[1]"));
  CHECK_FALSE(find_entry_list(R"({"id": "e", "entries": {}})"));
  CHECK_FALSE(find_entry_list(R"({"id": "e"})"));
}

TEST_CASE("a book reads the same, or fails the same, whether its entries are read plainly or by simdjson") {
  // An escaped key is the same key to JSON but hides the list from find_entry_list: the reference.
  const char* lists[] = {
      R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "scope"},
          {"start": "2026-01-05T11:00", "end": "2026-01-05T12:00:30", "kind": "revision", "request": "R1", "note": "v2"},
          {"start": "2026-01-05T13:00", "minutes": 5, "kind": "change", "request": "C1"},
          {"start": "2026-01-05T14:00", "minutes": 5, "kind": "revision", "request": "R1"}])",
      R"([])",
      R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "scope", "note": "caf\u00e9 \"x\"\n\ud83d\ude00"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "scope", "note": "\ud800"}])",  // declined, refused by both
      "[{\"start\": \"2026-01-05T09:00\", \"minutes\": 90, \"kind\": \"scope\", \"note\": \"caf\xe9\"}]",
      R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "revision", "request": "R9"}])",        // unknown request
      R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "scope", "request": "R1"}])",          // scope with request
      R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "change", "request": "R1"}])",         // wrong kind of request
      R"([{"start": "2025-12-31T09:00", "minutes": 90, "kind": "scope"}])",                           // before the start
      R"([{"start": "2026-01-05T09:00", "end": "2026-01-05T09:00", "kind": "scope"}])",               // zero length
      R"([{"start": "2026-01-05T09:00", "minutes": 0, "kind": "scope"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "kind": "call"}])",
      R"([{"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope"}, {"start": "2026-01-05T09:00", "minutes": 5, "kind": "scope", "x": 1}])",
      R"({"start": "2026-01-05T09:00"})",
  };
  for (const char* list : lists) {
    INFO(list);
    // The plain key padded to the escaped one's length: a syntax error is at the same LINE:COLUMN in both.
    const std::string plain = outcome(book_with(list, R"(     "entries")")), reference = outcome(book_with(list, R"("entr\u0069es")"));
    CHECK(plain == reference);
  }
  CHECK(outcome(book_with(lists[0])).find("\"note\": \"v2\"") != std::string::npos);
  CHECK(outcome(book_with(lists[5])) == "error: engagements[0].entries[0].request: unknown request \"R9\"");
  // "entries" twice: the plain reader takes the first, the rest still has the second.
  CHECK(outcome(book_with(std::string(lists[1]) + R"(, "entries": [])")) ==
        "error: engagements[0]: field \"entries\" appears twice");
}

TEST_CASE("a note's escapes, letters beyond ASCII and controls are found wherever they stand in a sixteen-byte step") {
  // Notes are scanned sixteen bytes at a time: each special thing at each place of two steps, and
  // the book must read (or fail) as through simdjson.
  const std::vector<std::string> specials = {"\\n", "\\\"", "\\u00e9", "\xc3\xa9", "\xe9", "\x01", "\\ud800", "\xf0\x9f\x98\x80"};
  for (const std::string& special : specials) {
    for (std::size_t at = 0; at < 40; ++at) {
      std::string note = "\\t" + std::string(at, 'a') + special + std::string(40 - at, 'b');  // an escape first: not a plain string
      const std::string list = R"([{"start": "2026-01-05T09:00", "minutes": 90, "kind": "scope", "note": ")" + note + R"("}])";
      INFO(list);
      CHECK(outcome(book_with(list, R"(     "entries")")) == outcome(book_with(list, R"("entr\u0069es")")));
    }
  }
}

TEST_CASE("entries as Python's json.dumps writes them, a space after each comma and colon, read as the compact ones") {
  const std::string compact =
      R"([{"end":"2026-01-05T10:30:15","kind":"revision","request":"R1","start":"2026-01-05T09:00"},)"
      R"({"kind":"call","minutes":7,"note":"caf\u00e9","start":"2026-01-06T08:00:59"},{"kind":"scope","minutes":90,"start":"2026-01-07T09:00"}])";
  const std::string spaced =
      R"([{"end": "2026-01-05T10:30:15", "kind": "revision", "request": "R1", "start": "2026-01-05T09:00"}, )"
      R"({"kind": "call", "minutes": 7, "note": "caf\u00e9", "start": "2026-01-06T08:00:59"}, {"kind": "scope", "minutes": 90, "start": "2026-01-07T09:00"}])";
  const auto a = read(compact);
  REQUIRE(a);
  REQUIRE(a->size() == 3);
  CHECK((*a)[0].seconds == 90 * 60 + 15);
  CHECK((*a)[0].request == "R1");
  CHECK((*a)[1].note == "caf\xc3\xa9");
  CHECK((*a)[1].start == clock_seconds(parse_time("2026-01-06T08:00:59")));
  const auto b = read(spaced);
  REQUIRE(b);
  REQUIRE(b->size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK((*b)[i].start == (*a)[i].start);
    CHECK((*b)[i].seconds == (*a)[i].seconds);
    CHECK((*b)[i].kind == (*a)[i].kind);
    CHECK((*b)[i].request == (*a)[i].request);
    CHECK((*b)[i].note == (*a)[i].note);
    CHECK((*b)[i].written_as_minutes == (*a)[i].written_as_minutes);
  }
  CHECK(outcome(book_with(spaced)) == outcome(book_with(spaced, R"("entr\u0069es")")));
}

TEST_CASE("a note longer than the room it is decoded in is decoded whole, to the text's last bytes") {
  // Decoded notes are written ahead into a buffer that grows: a note of 100 escapes and a run of 300
  // letters (600 bytes decoded), then a short one in the same list with an escape among the list's
  // last sixteen bytes (read one at a time).
  std::string written, meant;
  for (int i = 0; i < 100; ++i) written += "\\u00e9x", meant += "\xc3\xa9x";
  written += std::string(300, 'a') + "\\n", meant += std::string(300, 'a') + "\n";
  const auto list = read(R"([{"start":"2026-01-05T09:00","minutes":90,"kind":"scope","note":")" + written +
                         R"("},{"start":"2026-01-05T11:00","minutes":5,"kind":"call","note":"\u00e9\t"}])");
  REQUIRE(list);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].note == meant);
  CHECK((*list)[1].note == "\xc3\xa9\t");
}

TEST_CASE("entries whose layout changes from one to the next read the same as through simdjson") {
  // Learned gaps are reused only where the next entry repeats them byte for byte: entries here mix
  // field orders, white space and optional fields, in runs and alone.
  std::mt19937 random(2026);
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const char* spaces[] = {"", " ", "\n     ", "\n\t", "  \r\n  "};
  std::string list = "[";
  int style = 0;
  for (int i = 0; i < 3000; ++i) {
    if (pick(10) == 0) style = pick(5);  // runs of one style, then a change
    const std::string ws = spaces[style];
    std::vector<std::string> fields = {"\"start\":" + ws + "\"2026-01-" + std::to_string(10 + i % 18) + "T" + std::to_string(10 + pick(9)) + ":" +
                                           std::to_string(10 + pick(50)) + "\""};
    const int kind = pick(4);
    fields.push_back(std::string("\"kind\":") + ws + (kind == 0 ? "\"scope\"" : kind == 1 ? "\"revision\"" : kind == 2 ? "\"change\"" : "\"call\""));
    if (kind == 1) fields.push_back("\"request\":" + ws + "\"R1\"");
    if (kind == 2) fields.push_back("\"request\":" + ws + "\"C1\"");
    fields.push_back(pick(4) == 0 ? "\"end\":" + ws + "\"2026-02-01T00:00\"" : "\"minutes\":" + ws + std::to_string(1 + pick(500)));
    if (pick(5) == 0) fields.push_back("\"note\":" + ws + "\"n" + std::to_string(i) + "\"");
    if (pick(3) == 0) std::swap(fields[0], fields[static_cast<std::size_t>(pick(static_cast<int>(fields.size())))]);
    list += (i ? "," : "") + ws + "{" + ws;
    for (std::size_t f = 0; f < fields.size(); ++f) list += (f ? "," + ws : "") + fields[f];
    list += ws + "}";
  }
  list += "\n]";
  REQUIRE(read(list));  // all plain: read here, not left to simdjson
  CHECK(read(list)->size() == 3000);
  const std::string plain = outcome(book_with(list));
  CHECK(plain == outcome(book_with(list, R"("entr\u0069es")")));
  CHECK(plain.rfind("error", 0) != 0);
}
