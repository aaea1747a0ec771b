#pragma once
// What the JSON readers share: how an error message names a value's type (the book reader and the
// import mapping), the largest count, a `\u` escape's digits (the entry reader and the syntax
// scanner).
#include <simdjson.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

#include "kontingent/detail/scaled.hpp"
#include "kontingent/limits.hpp"

namespace kontingent::detail {

/// The largest count (rounds, minutes) a book may give; both book readers (json_read.cpp,
/// json_entries.cpp) read it from here.
inline constexpr std::int64_t largest_count = limits::max_count;

/// The value of the four hex digits of a `\u` escape at `digits` (four readable bytes); nullopt
/// if one is no hex digit. Through a table, with no branch on each digit's kind: `00e9` mixes them.
inline std::optional<std::uint32_t> hex4_value(const char* digits) noexcept {
  static constexpr auto values = [] {
    std::array<std::uint8_t, 256> v{};
    v.fill(0xFF);
    for (int i = 0; i < 10; ++i) v['0' + i] = static_cast<std::uint8_t>(i);
    for (int i = 0; i < 6; ++i) v['a' + i] = v['A' + i] = static_cast<std::uint8_t>(10 + i);
    return v;
  }();
  std::uint32_t code = 0, wrong = 0;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t digit = values[static_cast<unsigned char>(digits[i])];
    code = code << 4 | digit, wrong |= digit;
  }
  if (wrong > 0xF) return std::nullopt;
  return code;
}

inline std::string_view json_type_name(simdjson::dom::element_type t) {
  using simdjson::dom::element_type;
  switch (t) {
    case element_type::ARRAY: return "a list";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "true or false";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

}  // namespace kontingent::detail
