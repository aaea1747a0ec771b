#pragma once
// Text as it reaches people: every string a book holds is UTF-8, and a value quoted in a message is
// short and cannot drive a terminal (an ESC in a client's name must not recolour the user's shell).
#include <string>
#include <string_view>

namespace kontingent::detail {

/// Empty when `text` is valid UTF-8, else the rule it breaks: `not valid UTF-8: byte 0xFF at byte 4`.
std::string utf8_problem(std::string_view text);

/// Writes the character `c` (a Unicode scalar value: no surrogate, at most U+10FFFF) as UTF-8 at
/// `out`, which has room for four bytes; returns how many it wrote.
inline std::size_t put_utf8(char* out, char32_t c) noexcept {
  const auto byte = [](char32_t b) { return static_cast<char>(b); };
  if (c < 0x80) {
    out[0] = byte(c);
    return 1;
  }
  const auto continuation = [&](int shift) { return byte(0x80 | ((c >> shift) & 0x3F)); };
  if (c < 0x800) {
    out[0] = byte(0xC0 | (c >> 6)), out[1] = continuation(0);
    return 2;
  }
  if (c < 0x10000) {
    out[0] = byte(0xE0 | (c >> 12)), out[1] = continuation(6), out[2] = continuation(0);
    return 3;
  }
  out[0] = byte(0xF0 | (c >> 18)), out[1] = continuation(12), out[2] = continuation(6), out[3] = continuation(0);
  return 4;
}

/// Appends the character `c` (a Unicode scalar value: no surrogate, at most U+10FFFF) as UTF-8.
inline void append_utf8(std::string& out, char32_t c) {
  char bytes[4];
  out.append(bytes, put_utf8(bytes, c));
}

/// `text` with every control character (C0, DEL, C1) written as `\n`, `\t`, `\r` or `\u001B`, and
/// every byte that is not UTF-8 as `\xFF`; `keep_lines` leaves newlines and tabs as they are.
std::string escape_controls(std::string_view text, bool keep_lines = false);

/// How many bytes `text` starts with that escape_controls() keeps as they are without a look at
/// what follows: printable ASCII (and, with `keep_lines`, newlines and tabs).
std::size_t plain_prefix(std::string_view text, bool keep_lines) noexcept;

/// How many characters of a value a message quotes.
inline constexpr std::size_t quoted_characters = 80;

/// A value for a message: in double quotes, control characters escaped, cut to `quoted_characters`
/// characters with `…` (a 10,000-character note does not become a 10,000-character error).
std::string quoted(std::string_view value);

/// Text for an XML archive (`.kxml`, Book class version 3 on): XML 1.0 cannot hold the control
/// characters U+0000–U+001F (tab and newline aside, and CR, which XML readers turn into newlines),
/// so each is written as the private-use character U+E000 + its code, and a character of
/// U+E000–U+E020 that was in the text already is marked with U+E020 in front. xml_text_back undoes
/// it exactly.
std::string xml_safe_text(std::string_view text);
/// The text xml_safe_text was given.
std::string xml_text_back(std::string_view text);

}  // namespace kontingent::detail
