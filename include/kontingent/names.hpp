#pragma once
// The words of the book and report formats for each enumeration, in one table per enum, so that
// readers, writers, the command and Python all spell them the same way.
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

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
  const std::size_t n = a.size();
  // From 4 to 16 letters, as two words of 4 or 8 bytes that overlap: the first and the last.
  const auto ends_equal = [&]<class Word>(Word) {
    Word a0{}, a1{}, b0{}, b1{};
    std::memcpy(&a0, a.data(), sizeof(Word)), std::memcpy(&a1, a.data() + n - sizeof(Word), sizeof(Word));
    std::memcpy(&b0, b.data(), sizeof(Word)), std::memcpy(&b1, b.data() + n - sizeof(Word), sizeof(Word));
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  };
  if (!std::is_constant_evaluated() && n >= 4 && n <= 16) return n >= 8 ? ends_equal(std::uint64_t{}) : ends_equal(std::uint32_t{});
  // From 1 to 3 letters (ids like "R1"): the first, middle and last letter are all of them.
  if (!std::is_constant_evaluated() && n >= 1 && n <= 3) return ((a[0] ^ b[0]) | (a[n / 2] ^ b[n / 2]) | (a[n - 1] ^ b[n - 1])) == 0;
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

/// Where a word goes in a WordTable: its length and first letter, mixed.
constexpr std::size_t word_slot(std::string_view word) noexcept {
  return (word.size() * 31 + (word.empty() ? 0u : static_cast<unsigned char>(word[0]))) & 255;
}

/// For each slot, the value of the one word of `Enum` there (1 + its number; 0: none), or `shared`
/// where words share it. A reader looks up the kind of each of 10^6 entries: one comparison, not
/// one for each word of the enum.
template <class Enum>
struct WordTable {
  static constexpr std::uint8_t shared = 255;
  static constexpr auto slots = [] {
    static_assert(enum_names<Enum>::values.size() < shared);
    std::array<std::uint8_t, 256> t{};
    for (std::size_t i = 0; i < enum_names<Enum>::values.size(); ++i) {
      std::uint8_t& slot = t[word_slot(enum_names<Enum>::values[i])];
      slot = slot == 0 ? static_cast<std::uint8_t>(i + 1) : shared;
    }
    return t;
  }();
};
}  // namespace detail

/// The enum value that `word` names, if any.
template <class Enum>
constexpr std::optional<Enum> from_name(std::string_view word) noexcept {
  const auto& values = enum_names<Enum>::values;
  const std::uint8_t slot = detail::WordTable<Enum>::slots[detail::word_slot(word)];
  if (slot != detail::WordTable<Enum>::shared)
    return slot != 0 && detail::same_word(values[slot - 1u], word) ? std::optional(static_cast<Enum>(slot - 1u)) : std::nullopt;
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
