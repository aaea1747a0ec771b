// Atomic replacement of a file with POSIX calls: only they offer fsync of the file and of its
// directory, which std::ofstream and std::filesystem do not.
#include "kontingent/store/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "kontingent/error.hpp"

namespace kontingent {
namespace {

// The fault injection of testing::inject_save_failure: -1 = none, else a SaveStep.
std::atomic<int> failing_step{-1};
std::atomic<std::size_t> failing_after{0};
// testing::inject_short_writes (0 = whole writes) and testing::write_calls.
std::atomic<std::size_t> bytes_per_write{0};
std::atomic<std::size_t> write_call_count{0};

using testing::SaveStep;

bool injected(SaveStep step) { return failing_step.load() == static_cast<int>(step); }

std::string step_name(SaveStep step) {
  switch (step) {
    case SaveStep::create: return "creating";
    case SaveStep::write: return "writing";
    case SaveStep::sync: return "syncing";
    case SaveStep::close: return "closing";
    case SaveStep::rename: return "renaming";
    case SaveStep::sync_directory: return "syncing the directory of";
  }
  return "?";
}

/// Each temporary name is new: the same process may save twice at once from two threads.
std::filesystem::path temporary_beside(const std::filesystem::path& file) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path name = "." + file.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                               std::to_string(counter.fetch_add(1));
  return file.parent_path() / name;
}

/// Removes temporary files of this target left by processes that died mid-save (a crash, a kill).
/// Best effort: a live process's file, or one we cannot judge, is left alone.
void remove_stale_temporaries(const std::filesystem::path& file) {
  const std::string prefix = "." + file.filename().string() + ".tmp-";
  std::error_code ec;
  const std::filesystem::path directory = directory_of(file);
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const pid_t pid = static_cast<pid_t>(std::strtol(name.c_str() + prefix.size(), nullptr, 10));
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) == -1 && errno == ESRCH) std::filesystem::remove(it->path(), ec);
  }
}

class TemporaryFile {
 public:
  TemporaryFile(const std::filesystem::path& file) : file_(file), path_(temporary_beside(file)) {
    if (::stat(file_.c_str(), &old_) == 0) existed_ = true;
  }
  ~TemporaryFile() {  // reached only when a step failed
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }

  /// Creates the temporary file with the mode, owner and group of the file it will replace. Returns
  /// what could not be kept (a user who may not give a file away cannot keep another owner).
  std::string create() {
    if (injected(SaveStep::create)) fail(SaveStep::create, EACCES);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) fail(SaveStep::create, errno);
    if (!existed_) return {};
    ::fchmod(fd_, old_.st_mode & 07777);
    struct stat now {};
    if (::fstat(fd_, &now) != 0 || (now.st_uid == old_.st_uid && now.st_gid == old_.st_gid)) return {};
    if (::fchown(fd_, old_.st_uid, old_.st_gid) == 0) return {};
    const int error = errno;
    const bool group_kept = ::fchown(fd_, static_cast<uid_t>(-1), old_.st_gid) == 0;
    ::fchmod(fd_, old_.st_mode & 07777);  // a change of owner clears set-id bits
    return file_.string() + ": saved, but its owner (uid " + std::to_string(old_.st_uid) + ")" +
           (group_kept ? "" : " and group (gid " + std::to_string(old_.st_gid) + ")") + " could not be kept (" +
           std::strerror(error) + "): the file now belongs to uid " + std::to_string(now.st_uid) +
           (group_kept ? "" : ", gid " + std::to_string(now.st_gid));
  }

  void write(std::string_view bytes) {
    std::size_t limit = bytes.size();
    if (injected(SaveStep::write)) limit = std::min(limit, failing_after.load());
    const std::size_t most = bytes_per_write.load();
    std::size_t done = 0;
    while (done < limit) {
      write_call_count.fetch_add(1, std::memory_order_relaxed);
      const ssize_t n = ::write(fd_, bytes.data() + done, most ? std::min(limit - done, most) : limit - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(SaveStep::write, errno);
      done += static_cast<std::size_t>(n);
    }
    if (done < bytes.size()) fail(SaveStep::write, ENOSPC);
  }

  void sync() {
    if (injected(SaveStep::sync)) fail(SaveStep::sync, EIO);
    if (::fsync(fd_) != 0) fail(SaveStep::sync, errno);
  }

  void close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) fail(SaveStep::close, errno);  // NFS reports write errors here
    if (injected(SaveStep::close)) fail(SaveStep::close, EIO);
  }

  void rename() {
    if (injected(SaveStep::rename)) fail(SaveStep::rename, EXDEV);
    if (::rename(path_.c_str(), file_.c_str()) != 0) fail(SaveStep::rename, errno);
    renamed_ = true;
  }

  /// Makes the rename itself durable.
  void sync_directory() {
    const std::filesystem::path directory = directory_of(file_);
    int error = injected(SaveStep::sync_directory) ? EIO : 0;
    if (!error) {
      const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) error = errno;
      else if (::fsync(fd) != 0) error = errno, ::close(fd);
      else ::close(fd);
    }
    if (error)
      throw io_error(file_.string() + ": the book was saved, but syncing its directory failed (" +
                     std::strerror(error) + "): a system crash could still undo the change");
  }

 private:
  [[noreturn]] void fail(SaveStep step, int error) {
    if (step == SaveStep::create && error == ENOENT) refuse_missing_directory(file_);
    throw io_error(file_.string() + ": cannot save: " + step_name(step) + " " + path_.filename().string() + " failed (" +
                   std::strerror(error) + (existed_ ? "); the previous file is unchanged" : "); nothing was written"));
  }
  std::filesystem::path file_;
  std::filesystem::path path_;
  struct stat old_ {};
  bool existed_ = false;
  int fd_ = -1;
  bool renamed_ = false;
};

}  // namespace

std::filesystem::path directory_of(const std::filesystem::path& file) { return file.parent_path().empty() ? "." : file.parent_path(); }

std::filesystem::path following_links(const std::filesystem::path& file) {
  std::filesystem::path target = file;
  std::error_code ec;
  // A bounded walk, as the kernel bounds it (ELOOP after 40 links): a loop of links ends here too.
  for (int hops = 0; hops < 40 && std::filesystem::is_symlink(std::filesystem::symlink_status(target, ec)); ++hops) {
    const std::filesystem::path link = std::filesystem::read_symlink(target, ec);
    if (ec) break;
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
  return target;
}

void refuse_read_only(const std::filesystem::path& given) {
  const std::filesystem::path file = following_links(given);
  struct stat status {};
  // A file nobody may write is one its owner protected (`chmod a-w`). A rename would replace it all
  // the same, and root may write it anyway: the mode is the owner's word, so it is asked first.
  if (::stat(file.c_str(), &status) != 0 || (status.st_mode & 0222) != 0) return;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
  throw io_error(given.string() + ": cannot save: the file is read-only (mode " + mode +
                 "), so it is left unchanged; make it writable (chmod u+w) to change it");
}

void refuse_missing_directory(const std::filesystem::path& file) {
  const std::filesystem::path directory = directory_of(file);
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw io_error(file.string() + ": cannot save: the directory " + directory.string() + " does not exist");
}

std::string write_file_atomically(const std::filesystem::path& given, std::string_view bytes, ReadOnly read_only) {
  const std::filesystem::path file = following_links(given);
  if (read_only == ReadOnly::refuse) refuse_read_only(file);
  TemporaryFile temporary(file);
  std::string notice = temporary.create();
  temporary.write(bytes);
  temporary.sync();
  temporary.close();
  temporary.rename();
  temporary.sync_directory();
  remove_stale_temporaries(file);
  return notice;
}

namespace testing {

void inject_save_failure(std::optional<SaveStep> step, std::size_t bytes_written) {
  failing_after.store(bytes_written);
  failing_step.store(step ? static_cast<int>(*step) : -1);
}

void inject_short_writes(std::size_t bytes_per_call) { bytes_per_write.store(bytes_per_call); }

std::size_t write_calls() { return write_call_count.load(); }

}  // namespace testing
}  // namespace kontingent
