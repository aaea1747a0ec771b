// libFuzzer target for the JSON book reader (run it with scripts/fuzz). Every input must either
// parse or raise validation_error (the documented error of parse_book_json): any other exception, a
// crash, an ASan/UBSan report, an allocation over -malloc_limit_mb or a hang is a finding. A book
// that parses must survive to_json → parse_book_json unchanged.
// Seeds (corpus/book_json/): the books of tests/data/spec-examples and tests/data/import.
#include <cstdint>
#include <string_view>

#include "kontingent/formats/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kontingent;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Book book;
  try {
    book = parse_book_json(input);
  } catch (const validation_error&) {
    return 0;
  }
  if (parse_book_json(to_json(book)) != book) __builtin_trap();  // a book changed on its way
  return 0;
}
