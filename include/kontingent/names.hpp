#pragma once
// The words of the book and report formats for each enumeration, in one table per enum, so that
// readers, writers, the command and Python all spell them the same way.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace kontingent {

template <class Enum>
struct enum_names;  // specialised next to each enum: `static constexpr std::array<std::string_view, N> values`

/// The book/report word for `value`.
template <class Enum>
constexpr std::string_view name(Enum value) noexcept {
  return enum_names<Enum>::values[static_cast<std::size_t>(value)];
}

namespace detail {
/// `a` == `b` for words of a few letters (names, ids), compared here: string_view's == calls
/// memcmp, which costs more than the comparing when a reader does it for each of 10^6 entries.
constexpr bool same_word(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) return false;
  return true;
}
}  // namespace detail

/// The enum value that `word` names, if any.
template <class Enum>
constexpr std::optional<Enum> from_name(std::string_view word) noexcept {
  const auto& values = enum_names<Enum>::values;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (detail::same_word(values[i], word)) return static_cast<Enum>(i);
  return std::nullopt;
}

/// "a, b or c": the words a message lists as allowed.
template <class Enum>
std::string names_list() {
  const auto& values = enum_names<Enum>::values;
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += i + 1 == values.size() ? " or " : ", ";
    out += values[i];
  }
  return out;
}

}  // namespace kontingent
