// The registry of book formats, and what every reader and writer of a book file goes through.
#include <array>
#include <fstream>

#include "store/formats.hpp"

namespace kontingent {

std::span<const BookFormat> book_formats() {
  // One line per format; the first is the default for a file that names none.
  static const std::array formats{
      detail::json_book_format(),
      detail::archive_book_format(ArchiveFormat::binary),
      detail::archive_book_format(ArchiveFormat::xml),
      detail::archive_book_format(ArchiveFormat::text),
      detail::kdb_book_format(),
  };
  return formats;
}

const BookFormat* book_format_of(const std::filesystem::path& file) {
  const std::string extension = file.extension().string();
  for (const BookFormat& format : book_formats())
    if (format.extension == extension) return &format;
  return nullptr;
}

std::string book_format_list(std::string_view last_separator) {
  const auto formats = book_formats();
  std::string list;
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (i > 0) list += i + 1 == formats.size() ? last_separator : ", ";
    list += formats[i].extension;
  }
  return list;
}

std::unique_ptr<BookStore> open_book(const std::filesystem::path& file) {
  if (const BookFormat* format = book_format_of(file)) return format->open(file);
  throw io_error(file.string() + ": unknown book format \"" + file.extension().string() + "\" (name the file " +
                 book_format_list() + ")");
}

std::vector<std::string> BookStore::record(Book& book, std::span<const Event> events) {
  std::vector<std::string> places = record_all(book, events);
  save(book);
  return places;
}

std::vector<std::string> BookStore::append(std::span<const Event> events) {
  const BookLock held = lock();
  Book book = load();
  return record(book, events);
}

void BookStore::update(const std::function<void(Book&)>& change) {
  const BookLock held = lock();
  Book book = load();
  change(book);
  save(book);
}

Book BookStore::load_each(const EachEngagement& each) const {
  Book book = load();
  detail::each_engagement(book, each);
  return book;
}

namespace {

/// The format that reads `file`. Its extension names it; a name that says nothing: the first bytes
/// may, else the default format reads it (and names what is wrong with it in its own terms). A pipe
/// (/dev/stdin, `<(…)`) is read once, by that format: a look at its first bytes would take them
/// from the reader.
const BookFormat& format_reading(const std::filesystem::path& file) {
  if (const BookFormat* format = book_format_of(file)) return *format;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return book_formats().front();
  std::string head(16, '\0');
  std::ifstream in(file, std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  for (const BookFormat& format : book_formats())
    if (!format.signature.empty() && head.starts_with(format.signature)) return format;
  return book_formats().front();
}

}  // namespace

Book load_book(const std::filesystem::path& file) { return format_reading(file).open(file)->load(); }

Book load_book(const std::filesystem::path& file, const EachEngagement& each) {
  return format_reading(file).open(file)->load_each(each);
}

std::string save_book(const Book& book, const std::filesystem::path& file, ReadOnly read_only) {
  const std::unique_ptr<BookStore> store = open_book(file);
  store->set_read_only(read_only);
  const BookLock held = store->lock();
  store->save(book);
  return store->notice();
}

}  // namespace kontingent
