#pragma once
// The JSON book reader's parts that tests reach (json_read.cpp).
#include <cstddef>
#include <filesystem>

#include "kontingent/book.hpp"

namespace kontingent::detail {

/// load_book_json() with the file read into buffers of `piece` bytes (4 MB less simdjson's padding
/// there), the first reads smaller. Tests read in small pieces, so that engagements outgrow buffers
/// and every buffer gets taken.
Book load_book_json(const std::filesystem::path& file, std::size_t piece, const EachEngagement& each = {});

}  // namespace kontingent::detail
