#pragma once
// Books as Boost.Serialization archives (binary .kbin, XML .kxml, text .ktxt) and the one entry
// point that loads or saves a book in any format by its file name. Declarations only: the archive
// machinery stays in src/io/archive.cpp, so including this header costs no Boost.Serialization
// (kontingent/io/serialize.hpp has the serialize() functions, for whoever needs them).
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

/// The archive format a file name's extension names: .kbin, .kxml, .ktxt; nullopt for anything else.
std::optional<ArchiveFormat> archive_format_of(const std::filesystem::path& file);

/// The book as an archive (header + payload). Throws validation_error if the book breaks a rule:
/// what could not be loaded again is never written.
std::string to_archive(const Book& book, ArchiveFormat format);
/// Reads an archive made by to_archive or save_book, in any of the three formats (the header says
/// which). Throws archive_error on anything wrong, including a book that breaks a rule.
Book from_archive(std::string_view bytes);

/// Saves the book atomically in the format its extension names (.json, .kbin, .kxml, .ktxt): the
/// previous file stays intact if anything fails. Throws validation_error for an invalid book and
/// io_error for an unknown extension or a failed write.
void save_book(const Book& book, const std::filesystem::path& file);
/// Loads and validates a book: .json with the JSON reader, .kbin/.kxml/.ktxt as an archive; any
/// other name is read as an archive if it starts with the archive signature, else as JSON.
/// Throws io_error (unreadable), validation_error (JSON) or archive_error (archives).
Book load_book(const std::filesystem::path& file);

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
