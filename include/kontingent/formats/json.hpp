#pragma once
// The book file (docs/formats.md, book) and the JSON report (docs/formats.md, report). The parser stays in src/formats/: including this
// header costs no JSON library.
#include <filesystem>
#include <string>
#include <string_view>

#include "kontingent/book.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

/// Reads a book from JSON text and validates it whole; throws validation_error naming the path of
/// the problem and the rule (an empty path when the text is not JSON at all). Nothing is returned
/// unless all of it is valid.
Book parse_book_json(std::string_view json);
/// Reads and validates a book file; validation errors are prefixed with the file name, and a file
/// that cannot be read throws io_error. With `each`, each engagement is handed to it once it is
/// read and valid on its own, on the thread that read it (BookStore::load_each).
Book load_book_json(const std::filesystem::path& file, const EachEngagement& each = {});

/// The book as JSON text; parse_book_json of it gives an equal book.
std::string to_json(const Book& book);
/// Validates the book (validation_error, nothing written: a book that would not load again is not
/// saved), then writes it atomically: a temporary file beside it, flushed, then renamed over
/// `file`, so a failure leaves the previous file as it was. A read-only file is refused. Returns
/// what the save could not keep of the file it replaced (owner, group), empty when all was kept.
std::string save_book_json(const Book& book, const std::filesystem::path& file);

/// The report in its JSON schema (docs/formats.md, Report) (`kontingent-report/1`).
std::string to_json(const Report& report);

}  // namespace kontingent
