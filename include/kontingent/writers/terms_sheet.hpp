#pragma once
// The terms sheet ("Konditionen"): an engagement's terms in plain words for the offer the client
// signs, in German or English, as plain text, Markdown or a small HTML page. It only words the
// terms (docs/formats.md, terms); it computes no billing rule.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/book.hpp"
#include "kontingent/language.hpp"
#include "kontingent/names.hpp"

namespace kontingent {


enum class SheetFormat : std::uint8_t { text, markdown, html };
template <>
struct enum_names<SheetFormat> {
  static constexpr std::array<std::string_view, 3> values{"text", "md", "html"};
};

/// The engagement's terms in plain words for the offer the client signs: what the price includes,
/// each extra and its price, rounding, call allowance, rush lead time, no-show notice, payment days.
/// Amounts are exact (`4.800,00 €` in German, `EUR 4,800.00` in English); only the terms the
/// engagement has get a line. The client's name comes from `book` (its id when the book lacks it).
/// html is a complete HTML5 document without external resources, every text from the book escaped.
std::string terms_sheet(const Book& book, const Engagement& engagement, Language language, SheetFormat format);

}  // namespace kontingent
