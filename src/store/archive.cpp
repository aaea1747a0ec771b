// Books as checksummed Boost.Serialization archives (formats/archive.hpp): .kbin, the fastest to
// open, and the portable text forms .kxml and .ktxt.
#include "kontingent/formats/archive.hpp"
#include "store/formats.hpp"
#include "store/whole_file.hpp"

namespace kontingent::detail {
namespace {

template <ArchiveFormat format>
std::unique_ptr<BookStore> open_archive_file(const std::filesystem::path& file) {
  return open_whole_file(file, {&load_book_archive, [](const Book& book) { return to_archive(book, format); }});
}

}  // namespace

BookFormat archive_book_format(ArchiveFormat format) {
  switch (format) {
    case ArchiveFormat::binary:
      return {".kbin", "binary archive: the fastest to open", archive_signature(), &open_archive_file<ArchiveFormat::binary>};
    case ArchiveFormat::xml:
      return {".kxml", "XML archive", archive_signature(), &open_archive_file<ArchiveFormat::xml>};
    case ArchiveFormat::text:
      return {".ktxt", "text archive", archive_signature(), &open_archive_file<ArchiveFormat::text>};
  }
  throw archive_error("", "unknown archive format " + std::to_string(static_cast<unsigned>(format)));
}

}  // namespace kontingent::detail
