#pragma once
// Books as Boost.Serialization archives (binary .kbin, XML .kxml, text .ktxt; the store maps the
// extensions to them, kontingent/store.hpp). Declarations only: the archive
// machinery stays in src/formats/archive.cpp, so including this header costs no Boost.Serialization
// (kontingent/formats/serialize.hpp has the serialize() functions, for whoever needs them).
//
// Every archive starts with a 32-byte header of our own (docs/formats.md, "Archives"): signature,
// format version, payload kind and length, CRC-32. It is checked before Boost reads a byte, counts
// inside the payload are bounded by the bytes left, and a loaded book goes through validate(): a
// damaged or hostile archive raises archive_error, it never crashes, aborts or loads changed.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "kontingent/book.hpp"

namespace kontingent {

/// The three Boost.Serialization archive kinds; the numbers are written into archive headers.
enum class ArchiveFormat : std::uint8_t { binary = 0, xml = 1, text = 2 };

/// The book as an archive (header + payload). Throws validation_error if the book breaks a rule:
/// what could not be loaded again is never written.
std::string to_archive(const Book& book, ArchiveFormat format);
/// Reads an archive made by to_archive or save_book, in any of the three formats (the header says
/// which). Throws archive_error on anything wrong, including a book that breaks a rule.
Book from_archive(std::string_view bytes);

/// Reads a book archive file in any of the three formats (the header says which); errors name the file.
/// Throws io_error (unreadable) or archive_error. Saving is the store's (kontingent/store.hpp).
Book load_book_archive(const std::filesystem::path& file);

/// The bytes every archive starts with (the header's signature): a file that starts with them is
/// an archive whatever its name.
std::string_view archive_signature() noexcept;

namespace detail {

/// What an archive's payload holds. The numbers are part of the format: never renumber, never reuse.
enum class ArchiveContent : std::uint8_t {
  book = 1,
  currency = 2,
  money = 3,
  rounding = 4,
  call_fee = 5,
  rush = 6,
  no_show = 7,
  terms = 8,
  request = 9,
  entry = 10,
  entries = 11,
  appointment = 12,
  invoice_line = 13,
  invoice = 14,
  payment = 15,
  journal = 16,
  client = 17,
  engagement = 18,
  rounds = 19,
  contingent_use = 20,
  category_amounts = 21,
  kind_seconds = 22,
  engagement_report = 23,
  report = 24,
};

/// Size of the header before every payload.
inline constexpr std::size_t archive_header_size = 32;

/// Fills the first archive_header_size bytes of `archive` (reserved by the caller, the payload
/// follows them) with the header for the payload after it.
void seal_archive(std::string& archive, ArchiveFormat format, ArchiveContent content);

/// A payload whose header checked out.
struct OpenedArchive {
  ArchiveFormat format;
  std::uint16_t boost_library_version;  ///< of the Boost.Serialization that wrote the payload
  std::string_view payload;
};
/// Checks the header (signature, version, length, checksum, content) and returns the payload.
/// Throws archive_error whose where() is `where`.
OpenedArchive open_archive(std::string_view archive, ArchiveContent expected, const std::string& where);

/// CRC-32 (IEEE 802.3, as zlib and PNG compute it) of `bytes`, continuing from `crc`.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

}  // namespace detail
}  // namespace kontingent
