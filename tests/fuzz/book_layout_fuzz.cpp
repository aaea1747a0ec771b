// libFuzzer target for the cut of a book's text at its engagements (src/formats/json_layout.cpp),
// checked against simdjson parsing the whole text. When the text is cut, the whole must be JSON
// exactly when the rest of the book (head + tail) and every engagement are; and then each
// engagement must be an object and the rest must hold the "engagements" list, left empty. The
// text fed a piece at a time, as a book file is read, must be cut the same way.
// Any other outcome is a finding (a trap). Seeds (corpus/book_layout/): those of book_json.
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_layout.hpp"

namespace {

/// The cut of `json` fed `piece` bytes at a time, each window starting where keep_from() allows.
std::optional<kontingent::detail::BookLayout> cut_in_pieces(std::string_view json, std::size_t piece,
                                                            std::vector<std::string>& engagements) {
  kontingent::detail::EngagementCutter cutter([&](std::string_view e) { engagements.emplace_back(e); });
  std::string window;
  std::size_t window_at = 0;
  for (std::size_t read = 0; read < json.size(); read += piece) {
    const std::size_t keep = cutter.keep_from();
    if (keep < window_at || keep > read) __builtin_trap();
    window = window.substr(keep - window_at), window_at = keep;
    window.append(json.substr(read, piece));
    if (!cutter.feed(window, window_at)) return std::nullopt;
  }
  return cutter.finish(window, window_at);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> engagements;
  const auto layout = kontingent::detail::find_engagements(json, [&](std::string_view e) { engagements.push_back(e); });
  std::vector<std::string> pieces;
  const auto in_pieces = cut_in_pieces(json, size % 113 + 1, pieces);
  if (in_pieces.has_value() != layout.has_value() ||
      (layout && (in_pieces->head != layout->head || in_pieces->tail != layout->tail ||
                  !std::equal(pieces.begin(), pieces.end(), engagements.begin(), engagements.end()))))
    __builtin_trap();
  if (!layout) return 0;

  simdjson::dom::parser parser;
  const auto error = parser.parse(json.data(), json.size()).error();
  // Engagements are parsed two levels less deep than in the whole: only the whole can be too deep.
  if (error == simdjson::DEPTH_ERROR) return 0;
  const bool whole = !error;
  simdjson::dom::element rest;
  bool parts = !parser.parse(layout->head + layout->tail).get(rest);
  if (parts) {
    simdjson::dom::object top;
    if (rest.get_object().get(top)) __builtin_trap();
    bool emptied = false;
    for (const auto field : top) emptied = emptied || (field.key == "engagements" && field.value.is_array() && simdjson::dom::array(field.value).size() == 0);
    if (!emptied) __builtin_trap();
  }
  for (const std::string_view e : engagements) {
    simdjson::dom::element element;
    if (parser.parse(e.data(), e.size()).get(element)) {
      parts = false;
    } else if (!element.is_object()) {
      __builtin_trap();
    }
  }
  if (whole != parts) __builtin_trap();
  return 0;
}
