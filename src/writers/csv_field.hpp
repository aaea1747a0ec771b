#pragma once
// One CSV field as spreadsheets read it; every CSV writer of kontingent uses it (the public name is
// kontingent::csv_field in imports/csv.hpp).
#include <string>
#include <string_view>

namespace kontingent::detail {

/// RFC 4180 quoting, and formula-injection protection: a spreadsheet takes a cell starting with
/// `=`, `+`, `-` or `@` (or a tab or carriage return, which some strip first) as a formula, so a note
/// like `=HYPERLINK(…)` gets a leading `'`, the marker spreadsheets hide. Numbers are written by the
/// callers directly, never through here, so "-12.34" stays a number.
inline std::string csv_field(std::string_view s) {
  std::string text;
  if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) text += '\'';
  text += s;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace kontingent::detail
