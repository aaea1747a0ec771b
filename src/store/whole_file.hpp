#pragma once
// The store of the formats that hold a book as one file (JSON and the archives): it reads the whole
// file, and every change rewrites it atomically under a lock file beside the book. A format of this
// kind is its two halves, a reader and a writer; src/store/json.cpp and archive.cpp give them.
#include <filesystem>
#include <memory>
#include <string>

#include "kontingent/store.hpp"

namespace kontingent::detail {

struct WholeFileCodec {
  /// Reads and validates the book in `file`.
  Book (*read)(const std::filesystem::path& file);
  /// The bytes of the file that holds `book`, which it validates first (validation_error).
  std::string (*write)(const Book& book);
  /// read(), handing each engagement to `each` as it is read (BookStore::load_each); null for a
  /// format that reads the whole book before it has any engagement to hand over.
  Book (*read_each)(const std::filesystem::path& file, const EachEngagement& each) = nullptr;
};

std::unique_ptr<BookStore> open_whole_file(const std::filesystem::path& file, WholeFileCodec codec);

/// The writers' lock of `file`: an exclusive flock(2) on `.NAME.lock` beside it, waited for up to
/// `timeout`. The lock file stays (removing it would race with the next writer); it holds nothing.
BookLock lock_file_beside(const std::filesystem::path& file, std::chrono::milliseconds timeout);

}  // namespace kontingent::detail
