// Books as archives: our 32-byte header (docs/formats.md, "Archives") and the three Boost archive
// kinds. Which file is which format is the store's business (src/store/archive.cpp).
#include "kontingent/formats/archive.hpp"

#include <boost/archive/basic_archive.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/archive/xml_iarchive.hpp>
#include <boost/archive/xml_oarchive.hpp>
#include <array>
#include <bit>
#include <cstdio>
#include <fstream>
#include <ostream>

#include "kontingent/formats/serialize.hpp"

namespace kontingent {
namespace detail {
namespace {

// Binary payloads are Boost's native binary archives; kontingent writes and reads them only on
// little-endian machines, so that a .kbin file means the same bytes everywhere it is read.
static_assert(std::endian::native == std::endian::little, "binary archives are little-endian only");

// The header, byte by byte (docs/formats.md). All numbers little-endian.
constexpr std::array<unsigned char, 8> signature{0x89, 'K', 'N', 'T', '\r', '\n', 0x1a, '\n'};
constexpr std::size_t at_format_version = 8;   // u16
constexpr std::size_t at_kind = 10;            // u8: ArchiveFormat
constexpr std::size_t at_content = 11;         // u8: ArchiveContent
constexpr std::size_t at_boost_library = 12;   // u16: Boost.Serialization library version of the payload
constexpr std::size_t at_flags = 14;           // u16: reserved, 0
constexpr std::size_t at_payload_size = 16;    // u64
constexpr std::size_t at_reserved = 24;        // u32: reserved, 0
constexpr std::size_t at_checksum = 28;        // u32: CRC-32 of bytes 0..27, then of the payload
static_assert(at_checksum + 4 == archive_header_size);

constexpr std::uint16_t format_version = 1;
/// Boost 1.74's library version: the oldest payloads kontingent ever wrote.
constexpr std::uint16_t first_boost_library = 18;

constexpr std::array<std::string_view, 25> content_names{
    "?",       "Book",    "Currency", "Money",       "Rounding", "CallFee",     "Rush",          "NoShow",
    "Terms",   "Request", "Entry",    "Entries",     "Appointment", "InvoiceLine", "Invoice",    "Payment",
    "Journal", "Client",  "Engagement", "Rounds",    "ContingentUse", "CategoryAmounts", "KindSeconds",
    "EngagementReport", "Report"};

std::string content_name(unsigned content) {
  return content > 0 && content < content_names.size() ? std::string(content_names[content])
                                                       : "value of unknown content #" + std::to_string(content);
}

template <class Int>
Int read_le(std::string_view bytes, std::size_t at) {
  Int value = 0;
  for (std::size_t i = 0; i < sizeof(Int); ++i) value |= static_cast<Int>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return value;
}
template <class Int>
void write_le(std::string& bytes, std::size_t at, Int value) {
  for (std::size_t i = 0; i < sizeof(Int); ++i) bytes[at + i] = static_cast<char>(static_cast<unsigned char>(value >> (8 * i)));
}

std::string hex(std::uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", value);
  return buf;
}

// CRC-32 slicing by 8: eight bytes per step, about 2 GB/s, so the checksum costs little next to Boost.
constexpr std::array<std::array<std::uint32_t, 256>, 8> crc_tables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t s = 1; s < 8; ++s)
    for (std::size_t i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  return t;
}();

/// The checksum over the header (without its checksum field) and the payload.
std::uint32_t archive_checksum(std::string_view archive) {
  return crc32(archive.substr(archive_header_size), crc32(archive.substr(0, at_checksum)));
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  const auto& t = crc_tables;
  crc = ~crc;
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint32_t one = 0, two = 0;
    std::memcpy(&one, p, 4);  // little-endian, asserted above
    std::memcpy(&two, p + 4, 4);
    one ^= crc;
    crc = t[7][one & 0xFF] ^ t[6][(one >> 8) & 0xFF] ^ t[5][(one >> 16) & 0xFF] ^ t[4][one >> 24] ^
          t[3][two & 0xFF] ^ t[2][(two >> 8) & 0xFF] ^ t[1][(two >> 16) & 0xFF] ^ t[0][two >> 24];
  }
  for (; n > 0; ++p, --n) crc = t[0][(crc ^ static_cast<unsigned char>(*p)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

void seal_archive(std::string& archive, ArchiveFormat format, ArchiveContent content) {
  std::memcpy(archive.data(), signature.data(), signature.size());
  write_le<std::uint16_t>(archive, at_format_version, format_version);
  archive[at_kind] = static_cast<char>(format);
  archive[at_content] = static_cast<char>(content);
  write_le<std::uint16_t>(archive, at_boost_library, static_cast<std::uint16_t>(boost::archive::BOOST_ARCHIVE_VERSION()));
  write_le<std::uint16_t>(archive, at_flags, 0);
  write_le<std::uint64_t>(archive, at_payload_size, archive.size() - archive_header_size);
  write_le<std::uint32_t>(archive, at_reserved, 0);
  write_le<std::uint32_t>(archive, at_checksum, archive_checksum(archive));
}

OpenedArchive open_archive(std::string_view archive, ArchiveContent expected, const std::string& where) {
  const auto fail = [&](std::string rule) { refuse(where, std::move(rule)); };
  // The order matters: what a future version may lay out differently (all but the signature and
  // the version) is read only once the version is known, and nothing is believed before the checksum.
  if (archive.empty()) fail("not a kontingent archive (it is empty)");
  if (archive.compare(0, signature.size(), std::string_view(reinterpret_cast<const char*>(signature.data()),
                                                            std::min(archive.size(), signature.size()))) != 0)
    fail("not a kontingent archive (no archive signature at the start)");
  if (archive.size() < archive_header_size)
    fail("truncated archive: " + std::to_string(archive.size()) + " bytes, less than its " +
         std::to_string(archive_header_size) + "-byte header");
  const auto version = read_le<std::uint16_t>(archive, at_format_version);
  if (version == 0) fail("damaged archive: format version 0 does not exist");
  if (version > format_version)
    fail("archive format version " + std::to_string(version) + " is newer than this kontingent can read (up to " +
         std::to_string(format_version) + "): update kontingent");
  const auto announced = read_le<std::uint64_t>(archive, at_payload_size);
  const std::size_t present = archive.size() - archive_header_size;
  if (announced > present)
    fail("truncated archive: its header announces " + std::to_string(announced) + " payload bytes, only " +
         std::to_string(present) + " are there");
  if (announced < present)
    fail("damaged archive: " + std::to_string(present - announced) + " bytes follow the " + std::to_string(announced) +
         " payload bytes its header announces");
  const auto stored = read_le<std::uint32_t>(archive, at_checksum);
  const std::uint32_t computed = archive_checksum(archive);
  if (stored != computed) fail("corrupt archive: checksum mismatch (stored " + hex(stored) + ", computed " + hex(computed) + ")");

  const auto kind = static_cast<unsigned char>(archive[at_kind]);
  if (kind > static_cast<unsigned char>(ArchiveFormat::text))
    fail("unknown archive kind " + std::to_string(kind) + " (expected 0 binary, 1 xml or 2 text)");
  if (read_le<std::uint16_t>(archive, at_flags) != 0 || read_le<std::uint32_t>(archive, at_reserved) != 0)
    fail("reserved header fields are not zero: a newer kontingent may have written this archive");
  const auto library = read_le<std::uint16_t>(archive, at_boost_library);
  const auto newest = static_cast<unsigned>(boost::archive::BOOST_ARCHIVE_VERSION());
  if (library < first_boost_library)
    fail("Boost.Serialization library version " + std::to_string(library) + " in the header is older than any kontingent wrote (" +
         std::to_string(first_boost_library) + ")");
  if (library > newest)
    fail("written by a newer Boost.Serialization (library version " + std::to_string(library) + ") than this build has (" +
         std::to_string(newest) + "): rebuild kontingent with a newer Boost");
  const auto content = static_cast<unsigned char>(archive[at_content]);
  if (content != static_cast<unsigned char>(expected))
    fail("the archive holds a " + content_name(content) + ", not a " + content_name(static_cast<unsigned>(expected)));
  return {static_cast<ArchiveFormat>(kind), library, archive.substr(archive_header_size)};
}

}  // namespace detail

namespace {

Book book_from_archive(std::string_view bytes, const std::string& where) {
  const detail::OpenedArchive opened = detail::open_archive(bytes, detail::ArchiveContent::book, where);
  Book book;
  try {
    switch (opened.format) {
      case ArchiveFormat::binary: detail::load_payload<boost::archive::binary_iarchive>(opened, book, true); break;
      // Boost 1.74 checks a closing tag's name by reading past the end of the expected name when
      // the file's is longer (basic_xml_iarchive::load_end; found by tests/fuzz). The check only
      // helps debugging: the checksum guards integrity, and every value is checked anyway.
      case ArchiveFormat::xml:
        detail::load_payload<boost::archive::xml_iarchive>(opened, book, true, boost::archive::no_xml_tag_checking);
        break;
      case ArchiveFormat::text: detail::load_payload<boost::archive::text_iarchive>(opened, book, true); break;
    }
  } catch (const archive_error& e) {
    throw e.within(where);
  }
  detail::validate_if_book(book, where);
  return book;
}

/// Saves through an ostream (text and XML archives) into the sink.
template <class OArchive>
void save_through_stream(detail::StringSink& sink, const Book& book) {
  std::ostream out(&sink);
  out.imbue(std::locale::classic());  // a program's global locale must not put separators into numbers
  {
    OArchive ar(out, detail::archive_flags);
    ar << boost::serialization::make_nvp("book", book);
  }
  out.flush();
  if (!out) throw io_error("cannot write the archive to memory");
}

std::string read_whole_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (!in || ec) throw io_error(file.string() + ": cannot read the book file");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::size_t>(in.gcount()) != bytes.size()) throw io_error(file.string() + ": cannot read the book file");
  return bytes;
}

}  // namespace

std::string to_archive(const Book& book, ArchiveFormat format) {
  validate(book);
  std::string bytes(detail::archive_header_size, '\0');
  detail::StringSink sink(bytes);
  switch (format) {
    case ArchiveFormat::binary: {
      boost::archive::binary_oarchive ar(sink, detail::archive_flags);
      ar << boost::serialization::make_nvp("book", book);
      break;
    }
    case ArchiveFormat::xml: save_through_stream<boost::archive::xml_oarchive>(sink, book); break;
    case ArchiveFormat::text: save_through_stream<boost::archive::text_oarchive>(sink, book); break;
    default: throw archive_error("", "unknown archive format " + std::to_string(static_cast<unsigned>(format)));
  }
  sink.finish();
  detail::seal_archive(bytes, format, detail::ArchiveContent::book);
  return bytes;
}

Book from_archive(std::string_view bytes) { return book_from_archive(bytes, ""); }

std::string_view archive_signature() noexcept {
  return {reinterpret_cast<const char*>(detail::signature.data()), detail::signature.size()};
}

Book load_book_archive(const std::filesystem::path& file) { return book_from_archive(read_whole_file(file), file.string()); }

}  // namespace kontingent
