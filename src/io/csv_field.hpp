#pragma once
// One CSV field as spreadsheets read it (RFC 4180 quoting); every CSV writer of kontingent uses it.
#include <string>
#include <string_view>

namespace kontingent::detail {

inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace kontingent::detail
