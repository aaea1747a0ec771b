#pragma once
// How an error message names a JSON value's type; shared by the book reader and the import mapping.
#include <simdjson.h>

#include <cstdint>
#include <string_view>

#include "kontingent/limits.hpp"

namespace kontingent::detail {

/// The largest count (rounds, minutes) a book may give; both book readers (json_read.cpp,
/// json_entries.cpp) read it from here.
inline constexpr std::int64_t largest_count = limits::max_count;

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
