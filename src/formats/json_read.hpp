#pragma once
// The JSON book reader's parts that tests reach (json_read.cpp).
#include <cstddef>
#include <filesystem>

#include "kontingent/book.hpp"

namespace kontingent::detail {

/// load_book_json() with the file read `piece` bytes at a time into each buffer (4 MB there).
/// Tests read in small pieces, so that engagements outgrow buffers and every buffer gets taken.
Book load_book_json(const std::filesystem::path& file, std::size_t piece);

}  // namespace kontingent::detail
