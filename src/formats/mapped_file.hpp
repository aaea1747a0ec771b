#pragma once
// A book file mapped read-only, for the readers of big books (JSON and archives). Mapping rather
// than reading saves copying the file and faulting in, and zeroing, a fresh buffer as big as it:
// for a 100 MB book about a fifth of the time to load it. Books are replaced by rename (atomic
// save), never rewritten in place, so a mapped file does not change under its reader.
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace kontingent::detail {

class MappedFile {
 public:
  /// The regular file `file`, followed by `padding` readable zero bytes (what simdjson may read past
  /// the end of its input). Unmapped (`mapped()` false) when it cannot be: not a regular file,
  /// empty, missing; the caller then reads it the plain way, which names the problem.
  explicit MappedFile(const std::filesystem::path& file, std::size_t padding = 0);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool mapped() const noexcept { return data_ != nullptr; }
  std::string_view bytes() const noexcept { return {data_, size_}; }

  /// Drops the pages wholly inside `part` of a mapped file from memory, so that a book's peak
  /// memory is not the file and the book together. The mapping is private and never written, so a
  /// page read again comes from the file as it was.
  static void release(std::string_view part) noexcept;

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0, length_ = 0;
};

}  // namespace kontingent::detail
