// libFuzzer target for the .kdb reader (run it with scripts/fuzz): the input is written as a book
// database and loaded. Every input must either load or raise kontingent::error (a file that is no
// database, a foreign or damaged one, a newer schema, a book breaking a rule): any other exception,
// a crash or an ASan report is a finding. What loads must be a valid book that converts to JSON and
// back unchanged. Seeds (corpus/kdb/): the spec examples A and B and the version-2 parties book as
// .kdb of schema version 3 (with entry blocks), example A of schema version 2 (rows only), and a
// schema-1 database (tests/data/kdb/a-fixed-version-1.sql).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "kontingent/formats/json.hpp"
#include "kontingent/store.hpp"

namespace {

const std::filesystem::path& database() {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("kontingent-kdb-fuzz-" + std::to_string(::getpid()) + ".kdb");
  return file;
}

void remove_database() {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(database().string() + suffix, ignored);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  remove_database();
  {
    std::ofstream out(database(), std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  kontingent::Book book;
  try {
    book = kontingent::load_book(database());
  } catch (const kontingent::error&) {
    remove_database();
    return 0;
  }
  remove_database();
  if (kontingent::parse_book_json(kontingent::to_json(book)) != book) __builtin_trap();  // a book changed on its way
  return 0;
}
