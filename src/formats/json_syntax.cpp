// RFC 8259's grammar walked one character at a time. The lists and objects the walk is inside are
// kept on a stack of its own rather than by recursion, so no nesting can exhaust the call stack; the
// walk stops at the first problem (thrown as Found) and never steps back, so it ends on any input.
#include "formats/json_syntax.hpp"
#include "formats/json_types.hpp"

#include <charconv>
#include <cstdint>
#include <system_error>
#include <utility>
#include <vector>

namespace kontingent::detail {
namespace {

constexpr std::size_t none = std::string_view::npos;

struct Found {
  std::size_t at;  ///< byte offset
  std::string rule;
};

[[noreturn]] void fail(std::size_t at, std::string rule) { throw Found{at, std::move(rule)}; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_word(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

/// `value` in upper-case hex digits, at least `digits` of them.
std::string hex(std::uint32_t value, std::size_t digits) {
  std::string out;
  do out.insert(out.begin(), "0123456789ABCDEF"[value & 15]), value >>= 4;
  while (value != 0 || out.size() < digits);
  return out;
}
std::string code_point(char32_t c) { return "U+" + hex(c, 4); }

/// At most 32 characters of a word or number quoted in a message: the rest says nothing more.
std::string excerpt(std::string_view text) {
  return "'" + std::string(text.substr(0, 32)) + (text.size() > 32 ? "…'" : "'");
}

/// An integer simdjson reads: from -2^63 to 2^64-1 (it has no leading zeros, so lengths compare first).
bool fits_64_bits(std::string_view integer) {
  const bool negative = integer.front() == '-';
  const std::string_view digits = integer.substr(negative ? 1 : 0);
  const std::string_view limit = negative ? "9223372036854775808" : "18446744073709551615";
  return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
}

/// A number with a fraction or an exponent that rounds to infinity. simdjson rounds as from_chars
/// does; from_chars says "out of range" of numbers too small as well, which simdjson reads as 0, so
/// those are told apart by the power of ten of their first significant digit.
bool too_large(std::string_view number) {
  double value;
  if (std::from_chars(number.data(), number.data() + number.size(), value).ec != std::errc::result_out_of_range) return false;
  std::size_t k = number.front() == '-' ? 1 : 0;
  const std::size_t integer = k;
  while (k < number.size() && is_digit(number[k])) ++k;
  long long power = static_cast<long long>(k - integer) - 1;
  if (number[integer] == '0') {  // "0.000123": the power is that of the first digit that is not 0
    power = -1;
    if (k < number.size() && number[k] == '.')
      for (++k; k < number.size() && number[k] == '0'; ++k) --power;
  }
  while (k < number.size() && number[k] != 'e' && number[k] != 'E') ++k;
  if (k == number.size()) return power > 0;
  const bool negative = number[++k] == '-';
  if (number[k] == '-' || number[k] == '+') ++k;
  long long exponent = 0;
  for (; k < number.size() && exponent < 1'000'000'000'000; ++k) exponent = exponent * 10 + (number[k] - '0');
  return power + (negative ? -exponent : exponent) > 0;
}

/// The line and the column of byte `at`, from 1; the column counts characters: every byte but
/// UTF-8's continuation bytes (the text before `at` is UTF-8, or the scan would have stopped sooner).
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t at) {
  std::size_t line = 1, column = 1;
  for (std::size_t k = 0; k < at; ++k) {
    if (text[k] == '\n') ++line, column = 1;
    else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

class Scanner {
 public:
  Scanner(std::string_view json, std::size_t max_depth) : s_(json), max_depth_(max_depth) {}

  void run() {
    enum class Next { value, key, after_value } next = Next::value;
    for (;;) {
      skip_space();
      if (next == Next::value) {
        next = value() ? Next::after_value : open_.back().closer == '}' ? Next::key : Next::value;
      } else if (next == Next::key) {
        key();
        next = Next::value;
      } else if (open_.empty()) {
        if (!at_end()) fail(i_, "expected end of file after the book, got " + shown(i_));
        return;
      } else {
        next = after_value() ? Next::after_value : open_.back().closer == '}' ? Next::key : Next::value;
      }
    }
  }

 private:
  struct Open {
    std::size_t at;  ///< of the '{' or '['
    char closer;
  };

  bool at_end() const { return i_ == s_.size(); }
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip_space() {
    while (!at_end() && is_space(s_[i_])) ++i_;
  }
  void skip_digits() {
    while (!at_end() && is_digit(s_[i_])) ++i_;
  }

  /// The length of the UTF-8 sequence at `at` (1 for ASCII) and its code point; 0 if it is not UTF-8.
  std::size_t utf8_length(std::size_t at, char32_t& code) const {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s_[at + k]); };
    const unsigned char lead = byte(0);
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // the second byte's range: no overlong forms, surrogates or more than U+10FFFF
    if (lead < 0x80) {
      code = lead;
      return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, code = lead & 0x0F;
      if (lead == 0xE0) low = 0xA0;
      if (lead == 0xED) high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, code = lead & 0x07;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return 0;
    }
    if (s_.size() - at < length) return 0;
    for (std::size_t k = 1; k < length; ++k) {
      if (byte(k) < (k == 1 ? low : 0x80) || byte(k) > (k == 1 ? high : 0xBF)) return 0;
      code = code << 6 | (byte(k) & 0x3F);
    }
    return length;
  }
  [[noreturn]] void bad_utf8(std::size_t at) const {
    fail(at, "invalid UTF-8 byte 0x" + hex(static_cast<unsigned char>(s_[at]), 2) + " (save the book as UTF-8)");
  }

  /// The character at `at` as a message names it: 'x', '“' (U+201C), U+0007 or end of file.
  std::string shown(std::size_t at) const {
    if (at == s_.size()) return "end of file";
    const auto c = static_cast<unsigned char>(s_[at]);
    if (c > 0x20 && c < 0x7F) return std::string{'\'', static_cast<char>(c), '\''};
    if (c < 0x80) return code_point(c);
    char32_t code;
    const std::size_t length = utf8_length(at, code);
    if (length == 0) bad_utf8(at);
    return "'" + std::string(s_.substr(at, length)) + "' (" + code_point(code) + ")";
  }

  [[noreturn]] void unclosed() const {
    const Open& o = open_.back();
    const auto [line, column] = line_column(s_, o.at);
    fail(i_, std::string("expected '") + o.closer + "' to close the " + (o.closer == '}' ? "object" : "list") + " opened at " +
                 std::to_string(line) + ":" + std::to_string(column) + ", got " + shown(i_));
  }

  /// Reads a value; false if it opened a list or an object that is not empty, whose first item or key comes next.
  bool value() {
    const std::size_t comma = std::exchange(comma_, none);
    if (at_end()) fail(i_, "expected a value, got end of file");
    const char c = s_[i_];
    switch (c) {
      case '{':
      case '[':
        return open();
      case '"':
        string();
        return true;
      case '}':
      case ']':
        if (!open_.empty() && c != open_.back().closer) unclosed();
        if (comma != none) fail(comma, std::string("trailing ',' before '") + c + "'");
        [[fallthrough]];
      case ',':
      case ':':
        fail(i_, "expected a value, got " + shown(i_));
      case '\'':
        fail(i_, "unexpected character ''' (strings take double quotes)");
      case '-':
      case '+':
      case '.':
        number();
        return true;
      default:
        if (is_digit(c)) {
          number();
        } else if (is_word(c)) {
          word();
        } else {
          fail(i_, "unexpected character " + shown(i_));
        }
        return true;
    }
  }

  bool open() {
    const std::size_t at = i_;
    const char closer = s_[i_] == '{' ? '}' : ']';
    ++i_;
    skip_space();
    if (this->at(closer)) {
      ++i_;
      return true;
    }
    // simdjson counts only the lists and objects that hold something, this one among them.
    if (open_.size() + 1 >= max_depth_) fail(at, "lists and objects nested more than " + std::to_string(max_depth_ - 1) + " deep");
    open_.push_back({at, closer});
    if (at_end()) unclosed();
    return false;
  }

  void key() {
    const std::size_t comma = std::exchange(comma_, none);
    if (at('}') && comma != none) fail(comma, "trailing ',' before '}'");
    if (!at('"')) fail(i_, "expected a key in double quotes, got " + shown(i_));
    string();
    skip_space();
    if (!at(':')) fail(i_, "expected ':' after an object key, got " + shown(i_));
    ++i_;
  }

  /// After a value inside a list or an object: true if that closed, false after a comma.
  bool after_value() {
    const char closer = open_.back().closer;
    if (at(',')) {
      comma_ = i_++;
      return false;
    }
    if (at(closer)) {
      ++i_;
      open_.pop_back();
      return true;
    }
    if (at_end() || at('}') || at(']')) unclosed();
    fail(i_, std::string(closer == '}' ? "expected ',' or '}' after an object member" : "expected ',' or ']' after a list item") +
                 ", got " + shown(i_));
  }

  void string() {
    const std::size_t start = i_++;
    for (;;) {
      if (at_end()) fail(start, "unterminated string");
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return;
      }
      if (c == '\\') {
        escape(start);
      } else if (c == '\n' || c == '\r') {
        fail(start, "unterminated string (no closing '\"' on its line; write a line break inside a string as \\n)");
      } else if (c < 0x20) {
        const std::string written = c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : "\\u" + hex(c, 4);
        fail(i_, "control character " + code_point(c) + " in a string (write it as " + written + ")");
      } else {
        char32_t code;
        const std::size_t length = utf8_length(i_, code);
        if (length == 0) bad_utf8(i_);
        i_ += length;
      }
    }
  }

  /// The four hex digits of the \u escape at `at`, if it has them.
  std::optional<std::uint32_t> unit(std::size_t at) const {
    if (s_.size() - at < 6 || s_[at] != '\\' || s_[at + 1] != 'u') return std::nullopt;
    return hex4_value(s_.data() + at + 2);
  }

  void escape(std::size_t string_start) {
    const std::size_t at = i_;
    if (s_.size() - at < 2) fail(string_start, "unterminated string");
    const char e = s_[at + 1];
    if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
      i_ += 2;
      return;
    }
    if (e != 'u') {
      const bool printable = e > 0x20 && e < 0x7F;
      fail(at, "invalid escape '\\" + (printable ? std::string(1, e) : std::string()) + "' (write a backslash as \\\\)");
    }
    const auto first = unit(at);
    if (!first) {
      std::size_t digits = at + 2;
      while (digits < s_.size() && digits < at + 6 && is_hex(s_[digits])) ++digits;
      fail(at, "invalid escape '" + std::string(s_.substr(at, digits - at)) + "' (expected 4 hex digits after \\u)");
    }
    i_ += 6;
    // simdjson turns the escapes into UTF-8, which has no code points for halves of a pair.
    const bool high = *first >= 0xD800 && *first <= 0xDBFF, low = *first >= 0xDC00 && *first <= 0xDFFF;
    const auto second = high ? unit(i_) : std::nullopt;
    if (low || (high && !(second && *second >= 0xDC00 && *second <= 0xDFFF)))
      fail(at, "unpaired UTF-16 surrogate '" + std::string(s_.substr(at, 6)) + "'");
    if (high) i_ += 6;
  }

  void number() {
    const std::size_t start = i_;
    const auto bad = [&](const char* why) {
      std::size_t end = start;
      while (end < s_.size() && (is_word(s_[end]) || s_[end] == '.' || s_[end] == '+' || s_[end] == '-')) ++end;
      fail(start, "invalid number " + excerpt(s_.substr(start, end - start)) + " (" + why + ")");
    };
    if (at('+')) bad("no '+' before a number");
    if (at('-')) ++i_;
    if (at('.')) bad("expected a digit before '.'");
    if (at_end() || !is_digit(s_[i_])) bad("expected a digit after '-'");
    if (at('0')) {
      ++i_;
      if (!at_end() && is_digit(s_[i_])) bad("no leading zeros");
    } else {
      skip_digits();
    }
    bool integer = true;
    if (at('.')) {
      integer = false, ++i_;
      if (at_end() || !is_digit(s_[i_])) bad("expected a digit after '.'");
      skip_digits();
    }
    if (at('e') || at('E')) {
      integer = false, ++i_;
      if (at('+') || at('-')) ++i_;
      if (at_end() || !is_digit(s_[i_])) bad("expected a digit in the exponent");
      skip_digits();
    }
    const std::string_view text = s_.substr(start, i_ - start);
    if (integer ? !fits_64_bits(text) : too_large(text)) fail(start, "number " + excerpt(text) + " is out of range");
  }

  void word() {
    const std::size_t start = i_;
    while (!at_end() && is_word(s_[i_])) ++i_;
    const std::string_view w = s_.substr(start, i_ - start);
    if (w != "true" && w != "false" && w != "null")
      fail(start, "invalid literal " + excerpt(w) + " (expected true, false or null; strings take double quotes)");
  }

  std::string_view s_;
  std::size_t max_depth_;
  std::size_t i_ = 0;
  std::vector<Open> open_;  ///< innermost last
  std::size_t comma_ = none;  ///< the ',' just read, for a trailing comma
};

}  // namespace

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view json, std::size_t max_depth) {
  try {
    Scanner(json, max_depth).run();
    return std::nullopt;
  } catch (Found& found) {
    const auto [line, column] = line_column(json, found.at);
    return JsonSyntaxError{line, column, std::move(found.rule)};
  }
}

}  // namespace kontingent::detail
