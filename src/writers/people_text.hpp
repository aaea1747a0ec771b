#pragma once
// What the writers of documents for people share (the invoice and the terms sheet): escaping for
// HTML and Markdown, and the width of UTF-8 text, so that a client's name is never read as markup
// and "Änderungen" lines up like "Mehrstunden".
#include <cstddef>
#include <string>
#include <string_view>

namespace kontingent::detail {

/// Quotes too, so the text is safe inside an attribute as well as between tags.
inline std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

/// Backslash before what Markdown would read as markup (`|` included, for table cells); `&` only
/// where it could start an entity.
inline std::string markdown_escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool entity = c == '&' && i + 1 < text.size() &&
                        (text[i + 1] == '#' || (text[i + 1] >= 'a' && text[i + 1] <= 'z') || (text[i + 1] >= 'A' && text[i + 1] <= 'Z'));
    if (entity || std::string_view("\\`*_[]<>#|~").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

/// Characters (UTF-8 code points): the columns a text takes in a terminal, for the scripts we print.
inline std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace kontingent::detail
