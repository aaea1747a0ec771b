// Checking and escaping text at the boundaries (kontingent/detail/text.hpp).
#include "kontingent/detail/text.hpp"

#include <simdjson.h>

#include <bit>
#include <cstdint>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kontingent::detail {
namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

/// The length of the UTF-8 sequence starting at `text[i]`, or 0 when none starts there.
std::size_t sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t n = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  // Overlong forms, surrogates and code points past U+10FFFF.
  const unsigned char second = byte(i + 1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
      (lead == 0xF4 && second > 0x8F))
    return 0;
  return n;
}

void append_escape(std::string& out, char kind, unsigned value, int digits) {
  out += '\\';
  out += kind;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += hex_digits[(value >> shift) & 0xF];
}

}  // namespace

std::string utf8_problem(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return {};
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t n = sequence_length(text, i);
    if (n == 0) break;
    i += n;
  }
  if (i == text.size()) return "not valid UTF-8";  // simdjson and the scan above agree; this is only a guard
  const unsigned byte = static_cast<unsigned char>(text[i]);
  return std::string("not valid UTF-8: byte 0x") + hex_digits[byte >> 4] + hex_digits[byte & 0xF] + " at byte " +
         std::to_string(i + 1);
}

std::size_t plain_prefix(std::string_view text, bool keep_lines) noexcept {
  std::size_t n = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: the command's whole output passes here (cli/safe_output.hpp).
  for (; text.size() - n >= 16; n += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + n));
    // Below 0x20 as signed bytes: the C0 controls and every byte from 0x80 on; and DEL.
    __m128i stop = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    if (keep_lines)
      stop = _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))), stop);
    if (const int mask = _mm_movemask_epi8(stop); mask != 0) return n + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
  }
#endif
  for (; n < text.size(); ++n) {
    const auto b = static_cast<unsigned char>(text[n]);
    if ((b < 0x20 || b >= 0x7F) && !(keep_lines && (b == '\n' || b == '\t'))) break;
  }
  return n;
}

std::string escape_controls(std::string_view text, bool keep_lines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    // Printable ASCII, nearly all of a report, is copied a run at a time.
    const std::size_t run = i + plain_prefix(text.substr(i), keep_lines);
    out.append(text.substr(i, run - i));
    if ((i = run) == text.size()) break;
    const std::size_t n = sequence_length(text, i);
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0) {
      append_escape(out, 'x', c, 2);
      ++i;
      continue;
    }
    const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0;
    if (c1) {
      append_escape(out, 'u', static_cast<unsigned char>(text[i + 1]), 4);
    } else if (n == 1 && (c < 0x20 || c == 0x7F)) {
      if (keep_lines && (c == '\n' || c == '\t')) out += static_cast<char>(c);
      else if (c == '\n') out += "\\n";
      else if (c == '\t') out += "\\t";
      else if (c == '\r') out += "\\r";
      else append_escape(out, 'u', c, 4);
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string quoted(std::string_view value) {
  std::size_t end = 0, characters = 0;
  while (end < value.size() && characters < quoted_characters) {
    const std::size_t n = sequence_length(value, end);
    end += n == 0 ? 1 : n;
    ++characters;
  }
  return '"' + escape_controls(value.substr(0, end)) + (end < value.size() ? "…\"" : "\"");
}

namespace {

// U+E000 + a control's code stands for the control; U+E020 marks the next character as itself.
constexpr char32_t stand_in = 0xE000, as_itself = 0xE020;

/// U+E000–U+E020 are the three bytes EE 80 80–A0.
bool is_stand_in_range(std::string_view text, std::size_t i) {
  return i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xEE && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
         static_cast<unsigned char>(text[i + 2]) >= 0x80 && static_cast<unsigned char>(text[i + 2]) <= 0xA0;
}

void append_stand_in(std::string& out, unsigned offset) { append_utf8(out, stand_in + offset); }

}  // namespace

std::string xml_safe_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n') {
      append_stand_in(out, c);
    } else if (is_stand_in_range(text, i)) {
      append_stand_in(out, as_itself - stand_in);
      out.append(text.substr(i, 3));
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string xml_text_back(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_stand_in_range(text, i)) {
      out += text[i];
      continue;
    }
    const unsigned offset = static_cast<unsigned char>(text[i + 2]) - 0x80u;
    i += 2;
    if (offset < 0x20) {
      out += static_cast<char>(offset);
    } else if (is_stand_in_range(text, i + 1)) {  // marked: the next three bytes are the text's own
      out.append(text.substr(i + 1, 3));
      i += 3;
    }
  }
  return out;
}

}  // namespace kontingent::detail
