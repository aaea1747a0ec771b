// libFuzzer target for the plain entry list reader (src/formats/json_entries.cpp), against simdjson.
// The input is put as the entry list of a small valid book, once under the key "entries", where the
// plain reader finds it, and once under the same key escaped ("entr\u0069es"), where only simdjson
// reads it (and, when it is not JSON, the syntax scanner places the error). Both must give the same book, or the same error message: anything else is a finding.
// Seeds (corpus/entry_list/): entry lists, plain and not.
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/formats/json.hpp"

namespace {

std::string book_with(std::string_view list, std::string_view key) {
  return std::string(R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}], "engagements": [
    {"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-01", "terms": {"pricing": "hourly", "rate": "100.00"},
     "requests": [{"id": "R1", "kind": "revision", "received": "2026-01-02T09:00"}, {"id": "C1", "kind": "change", "received": "2026-01-02T09:00"}],
     )") + std::string(key) + ": " + std::string(list) + "}]}";
}

std::string outcome(const std::string& json) {
  try {
    return kontingent::to_json(kontingent::parse_book_json(json));
  } catch (const kontingent::validation_error& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view list(reinterpret_cast<const char*>(data), size);
  // The plain key is padded to the escaped key's length, so that a syntax error in the list is at the
  // same LINE:COLUMN in both books.
  if (outcome(book_with(list, "     \"entries\"")) != outcome(book_with(list, R"("entr\u0069es")"))) __builtin_trap();
  return 0;
}
