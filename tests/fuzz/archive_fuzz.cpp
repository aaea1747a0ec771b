// libFuzzer target for the archive loaders (run it with scripts/fuzz). Every input must either load
// or raise archive_error: any other exception, a crash, an ASan report, an allocation over
// -malloc_limit_mb or a hang is a finding. What loads must survive a round trip unchanged.
//
// Each input is tried three ways:
//   1. as a whole file: our header (signature, length, checksum) is the first line of defence;
//   2. behind a header with a valid checksum: byte 0 picks the archive kind (byte % 3), the rest is
//      a payload that reaches Boost — what a forger, not a damaged disk, could make;
//   3. the same payload as a pickle (binary) of one of the value types (byte / 3 % 4 picks it).
// The seeds in corpus/archive/ are the golden archives (way 1), their payloads behind a kind byte
// (way 2: `{ printf '\x00'; tail -c +33 a-fixed.kbin; } > a-fixed.kbin.payload`), and to_bytes()
// payloads of example A's report, engagement, terms and entries behind selector bytes 0, 3, 6, 9
// (way 3; *.pickle).
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/formats/archive.hpp"
#include "kontingent/formats/serialize.hpp"

namespace {

using namespace kontingent;

std::string sealed(ArchiveFormat format, detail::ArchiveContent content, std::string_view payload) {
  std::string archive(detail::archive_header_size, '\0');
  archive.append(payload);
  detail::seal_archive(archive, format, content);
  return archive;
}

void load_book_and_round_trip(std::string_view bytes) {
  Book book;
  try {
    book = from_archive(bytes);
  } catch (const archive_error&) {
    return;
  }
  for (const ArchiveFormat format : {ArchiveFormat::binary, ArchiveFormat::xml, ArchiveFormat::text})
    if (from_archive(to_archive(book, format)) != book) __builtin_trap();  // a book changed on its way
}

template <class T>
void load_value_and_round_trip(std::string_view payload) {
  T value;
  try {
    value = from_bytes<T>(sealed(ArchiveFormat::binary, detail::archived<T>::content, payload));
  } catch (const archive_error&) {
    return;
  }
  if (from_bytes<T>(to_bytes(value)) != value) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  load_book_and_round_trip(input);
  if (size == 0) return 0;
  const std::string_view payload = input.substr(1);
  load_book_and_round_trip(sealed(static_cast<ArchiveFormat>(data[0] % 3), detail::ArchiveContent::book, payload));
  switch (data[0] / 3 % 4) {
    case 0: load_value_and_round_trip<Report>(payload); break;
    case 1: load_value_and_round_trip<Engagement>(payload); break;
    case 2: load_value_and_round_trip<Terms>(payload); break;
    case 3: load_value_and_round_trip<Entries>(payload); break;
  }
  return 0;
}
