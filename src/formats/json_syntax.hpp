#pragma once
// Where a text stops being JSON, and what was expected there, for people who write their books by
// hand. simdjson says only that a text is broken, not where: this scanner is run after simdjson has
// refused a text, never on the way to reading a valid book, so it can be plain and slow.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kontingent::detail {

struct JsonSyntaxError {
  std::size_t line;    ///< from 1; lines end at '\n' (so at "\r\n" too)
  std::size_t column;  ///< from 1, in characters (Unicode code points), not bytes
  std::string rule;    ///< `expected ',' or '}' after an object member, got '"'`
};

/// The first place where `json` is not one JSON value (RFC 8259) as simdjson's DOM parser with
/// `max_depth` reads it: UTF-8 only, no \u escape of half a surrogate pair, integers within 64 bits,
/// other numbers within a double's range, and fewer than `max_depth` non-empty lists and objects
/// inside one another. nullopt when there is none. Errors about a string, a number or a word are
/// placed at their first character, a trailing comma at the comma.
std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view json, std::size_t max_depth);

}  // namespace kontingent::detail
