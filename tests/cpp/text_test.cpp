// kontingent/detail/text.hpp: UTF-8 checks and the escaping of text that reaches people.
#include <catch2/catch.hpp>

#include <string>

#include "kontingent/detail/text.hpp"

using namespace kontingent::detail;

TEST_CASE("utf8_problem names the first byte that is not UTF-8") {
  CHECK(utf8_problem("") == "");
  CHECK(utf8_problem("Müller – Korrektur € 😀") == "");
  CHECK(utf8_problem("M\xFCller") == "not valid UTF-8: byte 0xFC at byte 2");
  CHECK(utf8_problem("ok \xC0\xAF") == "not valid UTF-8: byte 0xC0 at byte 4");          // overlong '/'
  CHECK(utf8_problem("\xED\xA0\x80") == "not valid UTF-8: byte 0xED at byte 1");         // a surrogate
  CHECK(utf8_problem("\xF4\x90\x80\x80") == "not valid UTF-8: byte 0xF4 at byte 1");     // past U+10FFFF
  CHECK(utf8_problem("abc\xE2\x82") == "not valid UTF-8: byte 0xE2 at byte 4");          // cut short
}

TEST_CASE("plain_prefix stops at the first byte escape_controls may change, sixteen bytes at a time or not") {
  // Every byte at every place of a text longer than two of the sixteen-byte steps, either way of lines.
  for (const bool keep_lines : {false, true}) {
    for (std::size_t at = 0; at < 40; ++at) {
      for (int byte = 0; byte < 256; ++byte) {
        std::string text(40, 'a');
        text[at] = static_cast<char>(byte);
        const auto b = static_cast<unsigned char>(byte);
        const bool plain = (b >= 0x20 && b < 0x7F) || (keep_lines && (b == '\n' || b == '\t'));
        INFO("byte " << byte << " at " << at << (keep_lines ? ", lines kept" : ""));
        REQUIRE(plain_prefix(text, keep_lines) == (plain ? 40 : at));
      }
    }
  }
}

TEST_CASE("escape_controls writes C0, DEL and C1 controls and broken bytes as escapes") {
  CHECK(escape_controls("plain ü €") == "plain ü €");
  CHECK(escape_controls("a\x1b[31mred\x07") == "a\\u001B[31mred\\u0007");
  CHECK(escape_controls("line\nnext\ttab\rback") == "line\\nnext\\ttab\\rback");
  CHECK(escape_controls("line\nnext\ttab\rback", true) == "line\nnext\ttab\\rback");
  CHECK(escape_controls("del\x7f c1\xC2\x9B" "2J") == "del\\u007F c1\\u009B2J");
  CHECK(escape_controls("nbsp\xC2\xA0ok") == "nbsp\xC2\xA0ok");  // U+00A0 is no control
  CHECK(escape_controls("cp1252 \xE9t\xE9") == "cp1252 \\xE9t\\xE9");
}

TEST_CASE("quoted: double quotes, escapes, and at most 80 characters") {
  CHECK(quoted("R7") == "\"R7\"");
  CHECK(quoted("a\x1b]0;pwned\x07") == "\"a\\u001B]0;pwned\\u0007\"");
  CHECK(quoted(std::string(80, 'x')) == "\"" + std::string(80, 'x') + "\"");
  CHECK(quoted(std::string(81, 'x')) == "\"" + std::string(80, 'x') + "…\"");
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "ü";
  std::string first_80;
  for (int i = 0; i < 80; ++i) first_80 += "ü";
  CHECK(quoted(umlauts) == "\"" + first_80 + "…\"");  // characters, not bytes: no sequence is cut
}

TEST_CASE("xml_safe_text leaves no control character for XML and xml_text_back undoes it exactly") {
  CHECK(xml_safe_text("plain ü\ttab\nline") == "plain ü\ttab\nline");
  CHECK(xml_safe_text("a\x1b") == "a\xEE\x80\x9B");
  CHECK(xml_safe_text("cr\r") == "cr\xEE\x80\x8D");
  CHECK(xml_safe_text(std::string(1, '\0')) == "\xEE\x80\x80");
  CHECK(xml_safe_text("\xEE\x80\x9B") == "\xEE\x80\xA0\xEE\x80\x9B");  // U+E01B of the text itself is marked
  CHECK(xml_safe_text("\xEE\x80\xA1") == "\xEE\x80\xA1");                  // U+E021 needs no mark
  for (const std::string text : {std::string("bell \a esc \x1b nul ") + '\0' + " cr \r", std::string("\xEE\x80\x80\xEE\x80\xA0 x"),
                                 std::string("\xEE\x80"), std::string("")}) {
    CHECK(xml_text_back(xml_safe_text(text)) == text);
  }
}
