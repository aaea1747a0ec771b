#include "store/whole_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "formats/json_writer.hpp"
#include "kontingent/store/atomic_file.hpp"

namespace kontingent::detail {
namespace {

using detail::JsonWriter;

/// `.NAME` + `suffix` beside `file`: the lock and the running timer of the book.
std::filesystem::path beside(const std::filesystem::path& file, std::string_view suffix) {
  const std::filesystem::path target = following_links(file);
  return target.parent_path() / ("." + target.filename().string() + std::string(suffix));
}

/// The running timer as a small JSON object (`kontingent-timer/1`), written atomically.
std::string timer_json(const RunningTimer& t) {
  JsonWriter w;
  w.begin_object().key("format").string("kontingent-timer/1").key("engagement").string(t.engagement);
  w.key("start").string(format_time(clock_seconds(t.start))).key("kind").string(name(t.kind));
  w.key("request").string(t.request).key("note").string(t.note).end_object();
  return std::move(w).take();
}

std::optional<RunningTimer> read_timer(const std::filesystem::path& book, const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  simdjson::padded_string text;
  if (simdjson::padded_string::load(file.string()).get(text)) throw io_error(file.string() + ": cannot read the running timer");
  const auto damaged = [&] {
    return io_error(file.string() + ": the running timer of " + book.string() + " is damaged; remove the file to drop it");
  };
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  std::string_view format, engagement, start, kind, request, note;
  if (parser.parse(text).get(o) || o["format"].get(format) || format != "kontingent-timer/1" ||
      o["engagement"].get(engagement) || o["start"].get(start) || o["kind"].get(kind) || o["request"].get(request) ||
      o["note"].get(note))
    throw damaged();
  std::string rule;
  const ClockSeconds when = parse_time(start, rule);
  const std::optional<EntryKind> entry_kind = from_name<EntryKind>(kind);
  if (!rule.empty() || !entry_kind) throw damaged();
  return RunningTimer{std::string(engagement), to_time(when), *entry_kind, std::string(request), std::string(note)};
}

class WholeFileStore final : public BookStore {
 public:
  WholeFileStore(std::filesystem::path file, WholeFileCodec codec) : file_(std::move(file)), codec_(codec) {}
  const std::filesystem::path& file() const noexcept override { return file_; }
  Book load() const override { return codec_.read(file_); }
  Book load_each(const EachEngagement& each) const override {
    return codec_.read_each ? codec_.read_each(file_, each) : BookStore::load_each(each);
  }
  void save(const Book& book) override { notice_ = write_file_atomically(file_, codec_.write(book), read_only_); }
  BookLock lock(std::chrono::milliseconds timeout) override {
    if (read_only_ == ReadOnly::refuse) refuse_read_only(file_);  // before waiting for other writers
    return lock_file_beside(file_, timeout);
  }
  std::optional<RunningTimer> running_timer() const override { return read_timer(file_, beside(file_, ".timer")); }
  void set_running_timer(const std::optional<RunningTimer>& timer) override {
    const std::filesystem::path timer_file = beside(file_, ".timer");
    if (timer) return (void)write_file_atomically(timer_file, timer_json(*timer));
    std::error_code ec;
    std::filesystem::remove(timer_file, ec);
    if (ec) throw io_error(timer_file.string() + ": cannot remove the stopped timer: " + ec.message());
  }

 private:
  std::filesystem::path file_;
  WholeFileCodec codec_;
};

}  // namespace

std::unique_ptr<BookStore> open_whole_file(const std::filesystem::path& file, WholeFileCodec codec) {
  return std::make_unique<WholeFileStore>(file, codec);
}

BookLock lock_file_beside(const std::filesystem::path& file, std::chrono::milliseconds timeout) {
  const std::filesystem::path lock_file = beside(file, ".lock");
  const int fd = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) refuse_missing_directory(following_links(file));
    throw io_error(file.string() + ": cannot open the writers' lock " + lock_file.string() + ": " + std::strerror(error));
  }
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
