#pragma once
// One CSV field as spreadsheets read it; every CSV writer of kontingent uses it (the public name is
// kontingent::csv_field in imports/csv.hpp).
#include <string>
#include <string_view>

namespace kontingent::detail {

/// RFC 4180 quoting, and formula-injection protection: a spreadsheet takes a cell starting with
/// `=`, `+`, `-` or `@` (or a tab or carriage return, which some strip first) as a formula, so a note
/// like `=HYPERLINK(…)` gets a leading `'`, the marker spreadsheets hide. A spreadsheet may also split
/// the field itself (German Excel splits on `;`, others on tabs), so every part after a `,`, `;` or
/// tab is guarded the same way: an id `x;=1+2` is written `x;'=1+2`. Numbers are written by the
/// callers directly, never through here, so "-12.34" stays a number.
inline std::string csv_field(std::string_view s) {
  std::string text;
  text.reserve(s.size() + 2);
  bool part_starts = true;
  for (const char c : s) {
    if (part_starts && std::string_view("=+-@\t\r").find(c) != std::string_view::npos) text += '\'';
    text += c;
    part_starts = c == ',' || c == ';' || c == '\t';
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace kontingent::detail
