#pragma once
// A book file mapped read-only, for the readers of big books (archives, and JSON read whole).
// Mapping rather than reading saves copying the file and faulting in, and zeroing, a fresh buffer
// as big as it. Books are replaced by rename (atomic save), never rewritten in place, so a mapped
// file does not change under its reader.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace kontingent::detail {

class MappedFile {
 public:
  /// The regular file `file`, followed by `padding` readable zero bytes (what simdjson may read past
  /// the end of its input). Unmapped (`mapped()` false) when it cannot be: not a regular file (which
  /// is not even opened), empty, missing; the caller then reads it the plain way, which names the problem.
  explicit MappedFile(const std::filesystem::path& file, std::size_t padding = 0);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool mapped() const noexcept { return data_ != nullptr; }
  std::string_view bytes() const noexcept { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0, length_ = 0;
};

/// Everything `file` holds, read to its end: what cannot be mapped — a pipe (`<(…)`, /dev/stdin), a
/// device, an empty file. io_error names the file and the reason ("Is a directory").
std::string read_whole(const std::filesystem::path& file);

/// A file open for reading, closed with this object.
class FileDescriptor {
 public:
  /// Which files are opened: only regular ones (what is not stays closed: a named pipe is opened
  /// once, by whoever reads it), or any.
  enum class Opens : bool { regular, any };
  explicit FileDescriptor(const std::filesystem::path& file, Opens opens = Opens::regular) noexcept;
  ~FileDescriptor();
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const noexcept { return fd_; }
  /// Open, and a regular file (not a directory or a pipe).
  bool regular() const noexcept { return regular_; }
  /// Its size when it was opened.
  std::size_t size() const noexcept { return size_; }

 private:
  int fd_ = -1;
  bool regular_ = false;
  std::size_t size_ = 0;
};

}  // namespace kontingent::detail
