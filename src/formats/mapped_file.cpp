#include "formats/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kontingent/error.hpp"

namespace kontingent::detail {

namespace {

/// Whether `file` is a regular file, looked at without opening it: opening a named pipe takes the
/// writer's one rendezvous, and closing it again would end the writer's stream.
bool regular_file(const std::filesystem::path& file) {
  struct stat st {};
  return ::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

MappedFile::MappedFile(const std::filesystem::path& file, std::size_t padding) {
  if (!regular_file(file)) return;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const auto size = static_cast<std::size_t>(st.st_size);
    const std::size_t length = (size + padding + page - 1) / page * page;
    // Zero pages for the file and its padding, then the file mapped over their start.
    void* area = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area != MAP_FAILED) {
      if (::mmap(area, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) != MAP_FAILED)
        data_ = static_cast<const char*>(area), size_ = size, length_ = length;
      else
        ::munmap(area, length);
    }
  }
  ::close(fd);  // the mapping keeps the file
}

MappedFile::~MappedFile() {
  if (data_) ::munmap(const_cast<char*>(data_), length_);
}

std::string read_whole(const std::filesystem::path& file) {
  const FileDescriptor fd(file, FileDescriptor::Opens::any);
  std::string bytes;
  int error = fd.get() < 0 ? errno : 0;
  for (std::size_t filled = 0; error == 0;) {
    if (bytes.size() - filled < 65536) bytes.resize(std::max<std::size_t>(2 * bytes.size(), 1 << 20));
    const ssize_t n = ::read(fd.get(), bytes.data() + filled, bytes.size() - filled);
    if (n < 0 && errno != EINTR) error = errno;
    if (n == 0) {
      bytes.resize(filled);
      return bytes;
    }
    if (n > 0) filled += static_cast<std::size_t>(n);
  }
  throw io_error(file.string() + ": cannot read the book file (" + std::strerror(error) + ")");
}

FileDescriptor::FileDescriptor(const std::filesystem::path& file, Opens opens) noexcept
    : fd_(opens == Opens::any || regular_file(file) ? ::open(file.c_str(), O_RDONLY | O_CLOEXEC) : -1) {
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) regular_ = true, size_ = static_cast<std::size_t>(st.st_size);
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace kontingent::detail
