// Converting an export to UTF-8. Hand-written rather than iconv: the errors must name the line and
// the column (in characters) of the first bad byte, which iconv does not know (it stops at a byte
// offset of its own buffer), and three small converters are shorter than iconv's buffer bookkeeping.
#include "imports/text_encoding.hpp"

#include <array>
#include <cstdint>

#include "imports/import_detail.hpp"
#include "kontingent/detail/text.hpp"
#include "kontingent/error.hpp"

namespace kontingent::detail {
namespace {

constexpr std::string_view utf8_mark = "\xEF\xBB\xBF";
constexpr std::string_view utf16le_mark = "\xFF\xFE";
constexpr std::string_view utf16be_mark = "\xFE\xFF";

/// Windows-1252's characters for 0x80–0x9F; 0 where it has none (0x81, 0x8D, 0x8F, 0x90, 0x9D).
constexpr std::array<char32_t, 32> cp1252_specials{
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/// Where the next character is, counted as the CSV reader counts: lines end in LF, CRLF or CR,
/// columns count characters.
struct Position {
  std::size_t line = 1, column = 1;
  bool after_cr = false;
  void past(char32_t c) noexcept {
    if (c == '\r' || (c == '\n' && !after_cr)) ++line, column = 1;
    else if (c != '\n') ++column;
    after_cr = c == '\r';
  }
};

[[noreturn]] void fail(std::string_view file, const Position& at, std::string rule) {
  throw import_error(std::string(file), at.line, at.column, std::move(rule));
}

std::string hex(unsigned value, int digits) {
  constexpr std::string_view digit = "0123456789ABCDEF";
  std::string out = "0x";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += digit[(value >> shift) & 0xF];
  return out;
}

/// The length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7: no overlong forms, no
/// surrogates, nothing above U+10FFFF), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, low = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, high = 0x9F;
  else if (c == 0xF0) n = 4, low = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, high = 0x8F;
  else return 0;
  if (i + n > s.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

std::string checked_utf8(std::string text, std::size_t mark, std::string_view file) {
  Position at;
  for (std::size_t i = mark; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n == 0)
      fail(file, at,
           "not valid UTF-8 (byte " + hex(static_cast<unsigned char>(text[i]), 2) +
               "); a file saved by Excel or Windows is likely Windows-1252: import it with --encoding cp1252");
    at.past(n == 1 ? static_cast<char32_t>(text[i]) : U'\uFFFD');
    i += n;
  }
  text.erase(0, mark);
  return text;
}

std::string from_single_byte(std::string_view bytes, TextEncoding encoding, std::string_view file) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  Position at;
  for (const char byte : bytes) {
    const auto b = static_cast<unsigned char>(byte);
    char32_t c = b;
    if (encoding == TextEncoding::cp1252 && b >= 0x80 && b <= 0x9F) {
      c = cp1252_specials[b - 0x80];
      if (c == 0) fail(file, at, "byte " + hex(b, 2) + " is not a character in Windows-1252 (cp1252): is the file in another encoding?");
    }
    append_utf8(out, c);
    at.past(c);
  }
  return out;
}

std::string from_utf16(std::string_view bytes, bool big_endian, std::string_view file) {
  std::string out;
  out.reserve(bytes.size());
  Position at;
  const auto unit = [&](std::size_t i) -> char32_t {
    const auto first = static_cast<unsigned char>(bytes[i]), second = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? (first << 8 | second) : (second << 8 | first);
  };
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    char32_t c = unit(i);
    if (c >= 0xD800 && c <= 0xDBFF && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      fail(file, at, "not valid UTF-16: unpaired surrogate " + hex(static_cast<unsigned>(c), 4));
    }
    append_utf8(out, c);
    at.past(c);
  }
  if (i < bytes.size()) fail(file, at, "the file ends inside a UTF-16 character (an odd number of bytes)");
  return out;
}

}  // namespace

std::optional<TextEncoding> encoding_named(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "utf-8" || n == "utf8") return TextEncoding::utf8;
  if (n == "cp1252" || n == "windows-1252") return TextEncoding::cp1252;
  if (n == "latin1" || n == "iso-8859-1") return TextEncoding::latin1;
  return std::nullopt;
}

std::string to_utf8(std::string bytes, TextEncoding encoding, std::string_view file) {
  const std::string_view b = bytes;
  if (b.starts_with(utf8_mark)) return checked_utf8(std::move(bytes), utf8_mark.size(), file);
  if (b.starts_with(utf16le_mark)) return from_utf16(b.substr(utf16le_mark.size()), false, file);
  if (b.starts_with(utf16be_mark)) return from_utf16(b.substr(utf16be_mark.size()), true, file);
  if (encoding == TextEncoding::cp1252 || encoding == TextEncoding::latin1) return from_single_byte(b, encoding, file);
  return checked_utf8(std::move(bytes), 0, file);
}

}  // namespace kontingent::detail
