#include "store/whole_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "kontingent/store/atomic_file.hpp"

namespace kontingent::detail {
namespace {

class WholeFileStore final : public BookStore {
 public:
  WholeFileStore(std::filesystem::path file, WholeFileCodec codec) : file_(std::move(file)), codec_(codec) {}
  const std::filesystem::path& file() const noexcept override { return file_; }
  Book load() const override { return codec_.read(file_); }
  void save(const Book& book) override { write_file_atomically(file_, codec_.write(book)); }
  BookLock lock(std::chrono::milliseconds timeout) override { return lock_file_beside(file_, timeout); }

 private:
  std::filesystem::path file_;
  WholeFileCodec codec_;
};

}  // namespace

std::unique_ptr<BookStore> open_whole_file(const std::filesystem::path& file, WholeFileCodec codec) {
  return std::make_unique<WholeFileStore>(file, codec);
}

BookLock lock_file_beside(const std::filesystem::path& file, std::chrono::milliseconds timeout) {
  const std::filesystem::path lock_file = file.parent_path() / ("." + file.filename().string() + ".lock");
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    throw io_error(file.string() + ": cannot open the writers' lock " + lock_file.string() + ": " + std::strerror(errno));
  // flock has no timeout of its own: try, then wait a little, until the time is up.
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds pause{1};
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if ((error != EWOULDBLOCK && error != EINTR) || std::chrono::steady_clock::now() >= give_up) {
      ::close(fd);
      if (error != EWOULDBLOCK && error != EINTR)
        throw io_error(file.string() + ": cannot lock " + lock_file.string() + ": " + std::strerror(error));
      throw io_error(file.string() + ": another writer has held the book for " + std::to_string(timeout.count()) +
                     " ms (lock " + lock_file.string() + "); nothing was written");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds{50});
  }
  return BookLock([fd] { ::close(fd); });  // closing the last descriptor releases the flock
}

}  // namespace kontingent::detail
