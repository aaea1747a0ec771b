#pragma once
// Amounts, hours and percentages as the sentences of quotes and invoice lines say them, in German
// or English. One place, so a quote and the invoice that follows it word the same fact alike.
#include <cstdint>
#include <string>

#include "kontingent/invoice.hpp"

namespace kontingent::wording {

inline std::string decimal_comma(std::string text) {
  for (char& c : text)
    if (c == '.') c = ',';
  return text;
}

/// "350.00 EUR" in English, "350,00 EUR" in German.
inline std::string money(const Money& m, Language language = Language::en) {
  const std::string amount = m.to_string() + " " + std::string(m.currency().code());
  return language == Language::de ? decimal_comma(amount) : amount;
}

/// Hours as people say them: "48 h", "7.5 h" ("7,5 Std."), "1:30 h" for durations of work.
inline std::string hours(Seconds s, Language language = Language::en) {
  const std::string unit = language == Language::de ? " Std." : " h";
  if (s % 3600 == 0) return std::to_string(s / 3600) + unit;
  if (s % 360 == 0)
    return std::to_string(s / 3600) + (language == Language::de ? "," : ".") + std::to_string(s % 3600 / 360) + unit;
  return format_duration(s) + unit;
}

/// "19 %", "5.5 %" ("5,5 %").
inline std::string percent(std::int64_t micro_percent, Language language = Language::en) {
  std::string text = std::to_string(micro_percent / 1'000'000);
  if (const std::int64_t fraction = micro_percent % 1'000'000; fraction != 0) {
    std::string digits = std::to_string(1'000'000 + fraction).substr(1);
    while (digits.back() == '0') digits.pop_back();
    text += (language == Language::de ? "," : ".") + digits;
  }
  return text + " %";
}

}  // namespace kontingent::wording
