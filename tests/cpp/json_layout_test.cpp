// Reading a book engagement by engagement (src/formats/json_layout.cpp): where the text is cut, when
// the cut is refused, and that the book read so equals the book written.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "formats/json_layout.hpp"
#include "formats/json_read.hpp"
#include "kontingent/formats/json.hpp"
#include "test_support.hpp"

using namespace kontingent;
using detail::find_engagements;

namespace {

struct Cut {
  std::optional<detail::BookLayout> layout;
  std::vector<std::string> engagements;
};

Cut cut_with(std::string_view json, detail::Classifier classifier) {
  Cut c;
  c.layout = find_engagements(json, [&](std::string_view e) { c.engagements.emplace_back(e); }, classifier);
  return c;
}

/// The cut fed `piece` bytes at a time, as a book file is read into buffers: each window starts
/// where keep_from() allows, and the text before it is gone.
Cut cut_in_pieces(std::string_view json, std::size_t piece) {
  Cut c;
  detail::EngagementCutter cutter([&](std::string_view e) { c.engagements.emplace_back(e); });
  std::string window;  // the text from window_at on
  std::size_t window_at = 0, read = 0, kept_wrongly = 0;
  for (; read < json.size(); read += piece) {
    const std::size_t keep = cutter.keep_from();
    kept_wrongly += keep < window_at || keep > read;
    if (keep > window_at) {
      window = window.substr(keep - window_at);  // a fresh buffer: the text before it is no longer there
      window_at = keep;
    }
    window.append(json.substr(read, piece));
    if (!cutter.feed(window, window_at)) break;
  }
  CHECK(kept_wrongly == 0);
  if (read >= json.size()) c.layout = cutter.finish(window, window_at);
  return c;
}

bool operator==(const Cut& a, const Cut& b) {
  const auto same = [](const detail::BookLayout& x, const detail::BookLayout& y) { return x.head == y.head && x.tail == y.tail; };
  return a.engagements == b.engagements && a.layout.has_value() == b.layout.has_value() &&
         (!a.layout || same(*a.layout, *b.layout));
}

/// The vector classifiers this processor runs.
std::vector<detail::Classifier> vector_classifiers() {
  std::vector<detail::Classifier> found;
  for (const auto c : {detail::Classifier::avx2, detail::Classifier::avx512})
    if (detail::supported(c)) found.push_back(c);
  return found;
}

/// The cut, by the portable classifier, checked against every other this processor runs and
/// against the cut of the text fed a piece at a time.
Cut cut(std::string_view json) {
  Cut c = cut_with(json, detail::Classifier::portable);
  for (const auto classifier : vector_classifiers()) CHECK(cut_with(json, classifier) == c);
  CHECK(cut_with(json, detail::Classifier::fastest) == c);
  for (const std::size_t piece : {1, 7, 64, 100, 4096, 1 << 20}) {
    if (piece < 4096 && json.size() > 100'000) continue;  // a byte at a time through megabytes: too slow for the suite
    INFO("pieces of " << piece);
    CHECK(cut_in_pieces(json, piece) == c);
  }
  return c;
}

}  // namespace

TEST_CASE("a book's text is cut at its engagements, whatever strings hold") {
  const std::string json = R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "]}{[\"engagements\": ["}],
 "engagements" :
  [ {"id": "a", "x": [1, {"y": "}"}], "note": "\\"},
    {"id": "b\"}, {", "escaped": "\\\"}\\\\"} ],
 "z": {"engagements": [{"not": "these"}]}})";
  const Cut c = cut(json);
  REQUIRE(c.layout);
  CHECK(c.layout->head == json.substr(0, json.find(":\n  [") + 5));
  CHECK(c.layout->tail == json.substr(json.find("],\n \"z\"")));
  CHECK(c.engagements == std::vector<std::string>{R"({"id": "a", "x": [1, {"y": "}"}], "note": "\\"})",
                                                  R"({"id": "b\"}, {", "escaped": "\\\"}\\\\"})"});
}

TEST_CASE("escapes are followed across the scan's 64-byte blocks") {
  // Every shift puts the backslashes and quotes of the note at another place in its block.
  const std::string note = R"(\\\"}]\\)" + std::string(70, 'x') + R"(\"{[\\)";
  for (std::size_t shift = 0; shift < 140; ++shift) {
    const std::string first = R"({"id": "a", "note": ")" + note + R"("})";
    const std::string second = R"({"id": "b", "note": "\\"})";
    const std::string json = std::string(shift, ' ') + R"({"engagements": [)" + first + "," + std::string(shift % 7, '\n') + second + "]}";
    const Cut c = cut(json);
    INFO("shift " << shift);
    REQUIRE(c.layout);
    CHECK(c.engagements == std::vector<std::string>{first, second});
  }
}

TEST_CASE("every classifier the processor runs cuts every text as the portable one does") {
  // Texts of the characters the scan follows, at random: half of them books whose notes hold any
  // of them (escaped where a string needs it) at any place in a block, half of them anything.
  std::mt19937 random(2026);
  const auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
  const std::vector<std::string> in_note = {R"(\")", R"(\\)", "{", "}", "[", "]", ",", ":", " ", "x"};
  const std::vector<std::string> anywhere = {"\"", "\\", "{", "}", "[", "]", ",", ":", " ", "x"};
  std::size_t cuts = 0;
  for (int n = 0; n < 2000; ++n) {
    std::string json = R"({"engagements": [)";
    for (std::size_t e = 0, count = random() % 5; e < count; ++e) {
      json += e == 0 ? R"({"note": ")" : R"(, {"note": ")";
      for (std::size_t i = 0, length = random() % 100; i < length; ++i) json += pick(n % 2 == 0 ? in_note : anywhere);
      json += R"(", "list": [[{}], []]})";
    }
    json += "]}";
    INFO(json);
    cuts += cut(json).layout.has_value();
  }
  CHECK(cuts > 1000);  // the books, and not only them
}

TEST_CASE("a text not shaped as a book is not cut: the whole-text parser then says what is wrong") {
  for (const std::string_view json : {
           R"({"engagements": [{}, 5]})",             // not an object
           R"({"engagements": [{} {}]})",             // no comma
           R"({"engagements": [{},, {}]})",           // two commas
           R"({"engagements": [, {}]})",              // comma first
           R"({"engagements": [{}, ]})",              // comma last
           R"({"engagements": [[]]})",                // a list
           R"({"engagements": [{}], "engagements": []})",  // twice
           R"({"engagements": [{"a": "}]}]})",        // string not closed
           R"({"engagements": [{}])",                 // object not closed
           R"({"engagements": [{}]}})",               // closed twice
           R"({"engagement\u0073": [{}]})",           // the key spelled with an escape
           R"({"x\"engagements": [{}]})",             // a key ending in "engagements" after an escaped quote
           R"({"clients": [{"engagements": [{}]}]})",  // not at the top
           R"({"engagements": {}})",                  // not a list
           ""}) {
    INFO(json);
    CHECK_FALSE(cut(json).layout);
  }
  CHECK(cut(R"({"engagements": []})").layout);
  CHECK(cut(R"({"engagements":[{}]})").engagements == std::vector<std::string>{"{}"});
}

TEST_CASE("a book big enough for several threads reads back equal, and its problems are found as in one parse") {
  Book book;
  book.clients.push_back({"c", "Client \"}]", ""});
  for (int k = 0; k < 40; ++k) {
    Engagement e;
    e.id = "e" + std::to_string(k) + "\"}{";
    e.client = "c";
    e.currency = Currency("EUR");
    e.start = Date(2026, 2, 1);
    e.terms.pricing = Pricing::hourly;
    e.terms.rate = Money(9550, e.currency);
    const ClockSeconds start = clock_seconds(Time(e.start));
    for (int i = 0; i < 3'000; ++i)
      e.journal.entries.push_back(start + i * 3600, 1800, EntryKind::scope, no_request,
                                  i % 3 ? "" : std::string(i % 61, '\\') + "\"}] {[" + std::string(i % 13, '"'));
    book.engagements.push_back(std::move(e));
  }
  const std::string json = to_json(book);
  REQUIRE(json.size() > (std::size_t{8} << 20));  // more than one thread's share
  CHECK(cut(json).engagements.size() == 40);
  CHECK(parse_book_json(json) == book);

  // A wrong field in engagement 30 and broken JSON in engagement 35: the JSON is reported, as by one parse.
  std::string broken = json;
  const auto at = [&](int k) { return broken.find("\"id\": \"e" + std::to_string(k) + "\\\""); };
  broken.replace(at(30), 4, "\"ID\"");
  const std::size_t comma = broken.find("\"terms\": {", at(35)) + 10;
  broken.insert(comma, ",");
  const auto line = std::count(broken.begin(), broken.begin() + static_cast<std::ptrdiff_t>(comma), '\n') + 1;
  const std::size_t column = comma - broken.rfind('\n', comma);
  const std::string place = std::to_string(line) + ":" + std::to_string(column);
  CHECK_THROWS_WITH(parse_book_json(broken), place + ": expected a key in double quotes, got ','");
  std::string wrong_field = json;
  wrong_field.replace(json.find("\"id\": \"e30\\\""), 4, "\"ID\"");
  CHECK_THROWS_WITH(parse_book_json(wrong_field), "engagements[30]: unknown field \"ID\"");

  // From a file, the text is read a few megabytes at a time into buffers used again once their
  // engagements are parsed; a problem found late reads the whole text again, from the file.
  test::TemporaryDirectory dir;
  const std::filesystem::path file = dir.path / "book.json";
  const auto write = [&](const std::string& text) { std::ofstream(file, std::ios::binary) << text; };
  write(json);
  CHECK(load_book_json(file) == book);
  write("\xEF\xBB\xBF" + json);  // a byte order mark
  CHECK(load_book_json(file) == book);
  write(broken);
  CHECK_THROWS_WITH(load_book_json(file), file.string() + ":" + place + ": expected a key in double quotes, got ','");
  write(wrong_field);
  CHECK_THROWS_WITH(load_book_json(file), file.string() + ": engagements[30]: unknown field \"ID\"");

  // Read 64 KB at a time, engagements (~300 KB) outgrow their buffers and are carried into
  // bigger ones, and the cut finds every buffer taken: it parses engagements itself to free one.
  // Under 8 MB, one thread reads and parses all: the cut can only go on that way.
  constexpr std::size_t small_pieces = std::size_t{64} << 10;
  write(json);
  CHECK(detail::load_book_json(file, small_pieces) == book);
  Book smaller = book;
  smaller.engagements.resize(20);
  write(to_json(smaller));
  REQUIRE(std::filesystem::file_size(file) > (std::size_t{5} << 20));
  REQUIRE(std::filesystem::file_size(file) < (std::size_t{8} << 20));
  CHECK(load_book_json(file) == smaller);
  CHECK(detail::load_book_json(file, small_pieces) == smaller);
  write(broken);
  CHECK_THROWS_WITH(detail::load_book_json(file, small_pieces),
                    file.string() + ":" + place + ": expected a key in double quotes, got ','");

  // An engagement bigger than a buffer (4 MB) is carried into a bigger one.
  Book one = smaller;
  one.engagements.resize(1);
  Entries& entries = one.engagements[0].journal.entries;
  for (const auto& e : smaller.engagements)
    for (std::size_t i = 0; i < e.journal.entries.size(); ++i) {
      const Entry entry = e.journal.entries[i];
      entries.push_back(clock_seconds(entry.start), entry.seconds, entry.kind, entry.request, entry.note);
    }
  write(to_json(one));
  REQUIRE(std::filesystem::file_size(file) > (std::size_t{5} << 20));
  CHECK(load_book_json(file) == one);
}
