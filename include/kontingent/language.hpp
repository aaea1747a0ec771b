#pragma once
// The languages of documents for people: terms sheets, invoices and their line descriptions.
#include <array>
#include <cstdint>
#include <string_view>

#include "kontingent/names.hpp"

namespace kontingent {

enum class Language : std::uint8_t { de, en };
template <>
struct enum_names<Language> {
  static constexpr std::array<std::string_view, 2> values{"de", "en"};
};

}  // namespace kontingent
