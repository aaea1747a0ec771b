// Books as JSON files (docs/formats.md, book): the format for hand edits and version control.
#include "store/formats.hpp"
#include "store/whole_file.hpp"

#include "kontingent/formats/json.hpp"

namespace kontingent::detail {

BookFormat json_book_format() {
  const auto open = [](const std::filesystem::path& file) {
    const auto read = [](const std::filesystem::path& file) { return load_book_json(file); };
    const auto write = [](const Book& book) {
      validate(book);  // a book that would not load again is not written
      return to_json(book);
    };
    const auto read_each = [](const std::filesystem::path& file, const EachEngagement& each) { return load_book_json(file, each); };
    return open_whole_file(file, {read, write, read_each});
  };
  return {".json", "JSON (kontingent-book/1 or /2): for hand edits and version control", "", open};
}

}  // namespace kontingent::detail
