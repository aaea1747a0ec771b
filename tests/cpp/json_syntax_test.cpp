// Books that are not JSON (src/formats/json_syntax.cpp): each is refused at the place it breaks, as
// LINE:COLUMN (after the file's name when a file is read), saying what was expected there.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "kontingent/formats/json.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

// Written as by hand, with umlauts before the places broken below, so that columns count characters.
constexpr std::string_view book = R"json({
  "format": "kontingent-book/1",
  "clients": [
    {"id": "müller", "name": "Müller & Söhne"}
  ],
  "engagements": [
    {
      "id": "site", "client": "müller", "currency": "EUR", "start": "2026-01-05",
      "terms": {"pricing": "hourly", "rate": "95"},
      "entries": [
        {"start": "2026-01-06T09:00", "minutes": 90, "kind": "scope", "note": "Entwürfe"},
        {"start": "2026-01-07T09:00", "minutes": 30, "kind": "call"}
      ]
    }
  ]
}
)json";

/// The book with its one occurrence of `from` replaced by `to`.
std::string broken(std::string_view from, std::string_view to) {
  std::string json(book);
  const auto at = json.find(from);
  if (at == std::string::npos || json.find(from, at + 1) != std::string::npos)
    throw std::logic_error("test mutation: \"" + std::string(from) + "\" is not in the book exactly once");
  return json.replace(at, from.size(), to);
}

/// What the text says when read as a book.
std::string refusal(const std::string& json) {
  try {
    (void)parse_book_json(json);
  } catch (const validation_error& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("the book the broken ones are made from is valid") { CHECK(parse_book_json(book).engagements.size() == 1); }

TEST_CASE("commas: trailing, missing") {
  CHECK(refusal(broken(R"("kind": "call"})", R"("kind": "call"},)")) == "12:69: trailing ',' before ']'");
  CHECK(refusal(broken(R"("rate": "95"})", R"("rate": "95",})")) == "9:50: trailing ',' before '}'");
  CHECK(refusal(broken(R"("currency": "EUR", "start")", R"("currency": "EUR" "start")")) ==
        "8:59: expected ',' or '}' after an object member, got '\"'");
  // A line's last comma forgotten: found where the next item starts.
  CHECK(refusal(broken(R"("note": "Entwürfe"},)", R"("note": "Entwürfe"})")) == "12:9: expected ',' or ']' after a list item, got '{'");
}

TEST_CASE("keys: unquoted, single-quoted, without a colon") {
  CHECK(refusal(broken(R"("currency": "EUR")", R"(currency: "EUR")")) == "8:41: expected a key in double quotes, got 'c'");
  CHECK(refusal(broken(R"("id": "site")", "'id': 'site'")) == "8:7: expected a key in double quotes, got '''");
  CHECK(refusal(broken(R"("name": "Müller)", R"("name" "Müller)")) == "4:29: expected ':' after an object key, got '\"'");
  CHECK(refusal(broken(R"("client": "müller")", R"("client" = "müller")")) == "8:30: expected ':' after an object key, got '='");
}

TEST_CASE("braces and brackets: not closed, closed by the other kind, a second value after the book") {
  CHECK(refusal(std::string(book.substr(0, book.size() - 2))) == "16:1: expected '}' to close the object opened at 1:1, got end of file");
  CHECK(refusal(broken(R"("Entwürfe"})", R"("Entwürfe"])")) == "11:89: expected '}' to close the object opened at 11:9, got ']'");
  CHECK(refusal(broken(R"("entries": [)", R"("entries": [})")) == "10:19: expected ']' to close the list opened at 10:18, got '}'");
  CHECK(refusal(broken(R"("minutes": 30)", R"("minutes": ])")) == "12:50: expected '}' to close the object opened at 12:9, got ']'");
  CHECK(refusal(std::string(book) + "{}\n") == "17:1: expected end of file after the book, got '{'");
  CHECK(refusal(std::string(book) + "}") == "17:1: expected end of file after the book, got '}'");
  // Cut off after a comma: a value was due.
  CHECK(refusal(std::string(book.substr(0, book.find(R"(        {"start": "2026-01-07)")))) == "12:1: expected a value, got end of file");
}

TEST_CASE("strings: unterminated, invalid escapes, control characters, half a surrogate pair") {
  CHECK(refusal(broken(R"("Entwürfe"})", R"("Entwürfe})")) ==
        "11:79: unterminated string (no closing '\"' on its line; write a line break inside a string as \\n)");
  CHECK(refusal(std::string(book.substr(0, book.find("Entwürfe") + 4))) == "11:79: unterminated string");
  CHECK(refusal(broken("Müller & Söhne", "Müller \\& Söhne")) == "4:38: invalid escape '\\&' (write a backslash as \\\\)");
  CHECK(refusal(broken("Entwürfe", "Entw\\u00f")) == "11:84: invalid escape '\\u00f' (expected 4 hex digits after \\u)");
  CHECK(refusal(broken("Entwürfe", "Entwürfe\t1")) == "11:88: control character U+0009 in a string (write it as \\t)");
  CHECK(refusal(broken("Entwürfe", "Entwürfe\x01")) == "11:88: control character U+0001 in a string (write it as \\u0001)");
  CHECK(refusal(broken("Entwürfe", "Entw\\ud83d")) == "11:84: unpaired UTF-16 surrogate '\\ud83d'");
  CHECK(refusal(broken("Entwürfe", "Entw\\ude00\\ud83d")) == "11:84: unpaired UTF-16 surrogate '\\ude00'");
  CHECK(parse_book_json(broken("Entwürfe", "Entw\\ud83d\\ude00")).engagements[0].journal.entries.size() == 2);
}

TEST_CASE("invalid UTF-8 is placed at its first byte") {
  // "Söhne" saved as Latin-1: ö is the one byte F6.
  CHECK(refusal(broken("Söhne", "S\xF6hne")) == "4:41: invalid UTF-8 byte 0xF6 (save the book as UTF-8)");
  CHECK(refusal(broken("Söhne", "S\xC3")) == "4:41: invalid UTF-8 byte 0xC3 (save the book as UTF-8)");
  CHECK(refusal(broken("Söhne", "S\xED\xA0\x80hne")) == "4:41: invalid UTF-8 byte 0xED (save the book as UTF-8)");  // a surrogate
  CHECK(refusal(broken(R"("rate": "95")", "\"rate\": \xFF")) == "9:46: invalid UTF-8 byte 0xFF (save the book as UTF-8)");
}

TEST_CASE("stray characters and words") {
  CHECK(refusal(broken(R"("minutes": 30)", R"("minutes": #30)")) == "12:50: unexpected character '#'");
  CHECK(refusal(broken(R"("rate": "95")", R"("rate": €95)")) == "9:46: unexpected character '€' (U+20AC)");
  CHECK(refusal(broken(R"("rate": "95")", "\"rate\": \x01")) == "9:46: unexpected character U+0001");
  CHECK(refusal(broken(R"("minutes": 30)", R"("minutes": tru)")) ==
        "12:50: invalid literal 'tru' (expected true, false or null; strings take double quotes)");
  CHECK(refusal(broken(R"("kind": "call")", R"("kind": call)")) ==
        "12:62: invalid literal 'call' (expected true, false or null; strings take double quotes)");
  CHECK(refusal(broken(R"("minutes": 30)", R"("minutes": 'x')")) == "12:50: unexpected character ''' (strings take double quotes)");
  CHECK(refusal(broken(R"("minutes": 30)", R"("minutes": ,)")) == "12:50: expected a value, got ','");
}

TEST_CASE("numbers") {
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": 090)")) == "11:50: invalid number '090' (no leading zeros)");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": 90.)")) == "11:50: invalid number '90.' (expected a digit after '.')");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": .5)")) == "11:50: invalid number '.5' (expected a digit before '.')");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": -)")) == "11:50: invalid number '-' (expected a digit after '-')");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": +90)")) == "11:50: invalid number '+90' (no '+' before a number)");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": 9e)")) == "11:50: invalid number '9e' (expected a digit in the exponent)");
  // Numbers simdjson cannot hold: integers beyond 64 bits, and what rounds to an infinite double.
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": 18446744073709551616)")) ==
        "11:50: number '18446744073709551616' is out of range");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": 1e309)")) == "11:50: number '1e309' is out of range");
  CHECK(refusal(broken(R"("minutes": 90)", R"("minutes": -1.8e308)")) == "11:50: number '-1.8e308' is out of range");
}

TEST_CASE("an empty text, and white space only") {
  CHECK(refusal("") == "1:1: expected a value, got end of file");
  CHECK(refusal("  \n\n ") == "3:2: expected a value, got end of file");
}

TEST_CASE("lines end at LF, so a CRLF book is placed as in an editor") {
  std::string json = broken(R"("rate": "95"})", R"("rate": "95",})");
  for (auto at = json.find('\n'); at != std::string::npos; at = json.find('\n', at + 2)) json.insert(at, 1, '\r');
  CHECK(refusal(json) == "9:50: trailing ',' before '}'");
}

TEST_CASE("nesting deeper than simdjson's limit is refused where it goes too deep, and nothing overflows") {
  CHECK(refusal(std::string(100000, '[')) == "1:1024: lists and objects nested more than 1023 deep");
  CHECK(refusal(std::string(100000, '[') + std::string(100000, ']')) == "1:1024: lists and objects nested more than 1023 deep");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  CHECK(refusal(objects) == "1:5116: lists and objects nested more than 1023 deep");
  // 1023 lists inside one another hold a value; a 1024th may be there if it is empty.
  CHECK(refusal(std::string(1023, '[') + "1" + std::string(1023, ']')) == "expected an object, got a list");
  CHECK(refusal(std::string(1024, '[') + std::string(1024, ']')) == "expected an object, got a list");
}

TEST_CASE("the place and the rule of a syntax error are the error's path() and rule()") {
  try {
    (void)parse_book_json(broken(R"("rate": "95"})", R"("rate": "95",})"));
    FAIL("accepted");
  } catch (const validation_error& e) {
    CHECK(e.path() == "9:50");
    CHECK(e.rule() == "trailing ',' before '}'");
  }
}

TEST_CASE("a book file's syntax errors read FILE:LINE:COLUMN: RULE") {
  const test::TemporaryDirectory dir;
  const auto file = dir.path / "book.json";
  const auto write = [&](const std::string& text) { std::ofstream(file, std::ios::binary) << text; };
  const auto refusal_of_file = [&]() -> std::string {
    try {
      (void)load_book_json(file);
    } catch (const validation_error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  write(broken(R"("currency": "EUR", "start")", R"("currency": "EUR" "start")"));
  CHECK(refusal_of_file() == file.string() + ":8:59: expected ',' or '}' after an object member, got '\"'");
  write("");
  CHECK(refusal_of_file() == file.string() + ":1:1: expected a value, got end of file");
  // Other errors stay "FILE: PATH: RULE".
  write(broken(R"("minutes": 30)", R"("minutes": 0)"));
  CHECK(refusal_of_file() == file.string() + ": engagements[0].entries[1].minutes: must be a positive integer, got 0");
}

TEST_CASE("a UTF-8 byte order mark before the book is skipped") {
  const std::string bom = "\xEF\xBB\xBF";
  CHECK(parse_book_json(bom + std::string(book)) == parse_book_json(book));
  // Columns count from after it, as editors show them.
  CHECK(refusal(bom + "{x") == "1:2: expected a key in double quotes, got 'x'");
  // Only at the start.
  CHECK(refusal(" " + bom + "{}") == "1:2: unexpected character '\xEF\xBB\xBF' (U+FEFF)");

  const test::TemporaryDirectory dir;
  const auto file = dir.path / "bom.book.json";
  std::ofstream(file, std::ios::binary) << bom << book;
  CHECK(load_book_json(file) == parse_book_json(book));
}
