// Books on disk (include/kontingent/store.hpp): one registry of formats, one store per file, and a
// writers' lock under which concurrent writers — threads or processes — never lose a change.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "kontingent/formats/archive.hpp"
#include "kontingent/store.hpp"
#include "test_support.hpp"

using namespace kontingent;
namespace fs = std::filesystem;
using test::TemporaryDirectory;

namespace {

Book example_a() { return load_book_json(test::spec_example("a-fixed.book.json")); }

/// A scope entry of `minutes` minutes on 2026-03-02, `n` minutes after 08:00: distinct entries that never overlap.
NewEntry scope_entry(int n) {
  return {"acme-site", parse_time("2026-03-02T08:00") + boost::posix_time::minutes(n), 60, EntryKind::scope, "", "", true};
}

std::size_t entries_in(const fs::path& file) { return load_book(file).engagements[0].journal.entries.size(); }

}  // namespace

TEST_CASE("the registry knows each format once, and every list of formats comes from it", "[store]") {
  std::vector<std::string> extensions;
  for (const BookFormat& f : book_formats()) extensions.emplace_back(f.extension);
  CHECK(extensions == std::vector<std::string>{".json", ".kbin", ".kxml", ".ktxt"});
  CHECK(book_format_list() == ".json, .kbin, .kxml or .ktxt");
  CHECK(book_format_list(" and ") == ".json, .kbin, .kxml and .ktxt");
  CHECK(book_format_of("a/b/studio.kxml")->extension == ".kxml");
  CHECK(book_format_of("studio.KBIN") == nullptr);
  CHECK(book_format_of("studio") == nullptr);
  CHECK_THROWS_AS(open_book("book.doc"), io_error);
  CHECK_THROWS_WITH(open_book("book.doc"), "book.doc: unknown book format \".doc\" (name the file .json, .kbin, .kxml or .ktxt)");
  CHECK_THROWS_WITH(save_book(example_a(), "book"), "book: unknown book format \"\" (name the file .json, .kbin, .kxml or .ktxt)");
}

TEST_CASE("every format saves and loads the same book through its store", "[store]") {
  const TemporaryDirectory dir;
  const Book book = example_a();
  for (const BookFormat& format : book_formats()) {
    const fs::path file = dir.path / ("book" + std::string(format.extension));
    save_book(book, file);
    CHECK(load_book(file) == book);
    const auto store = format.open(file);
    CHECK(store->file() == file);
    CHECK(store->load() == book);
  }
  // A name that says nothing: the archive signature says archive, anything else is read as JSON.
  fs::copy_file(dir.path / "book.ktxt", dir.path / "archive-without-extension");
  fs::copy_file(dir.path / "book.json", dir.path / "book.txt");
  CHECK(load_book(dir.path / "archive-without-extension") == book);
  CHECK(load_book(dir.path / "book.txt") == book);
  CHECK_THROWS_WITH(load_book(dir.path / "missing.json"), (dir.path / "missing.json").string() + ": cannot read the book file");
}

TEST_CASE("a store records an event under its lock; a refused event or a failed change writes nothing", "[store][record]") {
  const TemporaryDirectory dir;
  for (const char* extension : {".json", ".kbin"}) {
    const fs::path file = dir.path / (std::string("book") + extension);
    save_book(example_a(), file);
    const auto store = open_book(file);
    CHECK(store->append(scope_entry(0)) == "engagements[0].entries[10]");
    CHECK(entries_in(file) == 11);

    const std::string before = test::read_file(file.string());
    NewEntry late = scope_entry(0);
    late.start = parse_time("2026-07-01T09:00");
    CHECK_THROWS_WITH(store->append(late), "engagements[0].entries[11]: starts 2026-07-01, after the engagement's end 2026-06-30");
    CHECK_THROWS_WITH(store->update([](Book& b) {
                        b.engagements[0].journal.entries.push_back(clock_seconds(parse_time("2026-03-02T08:00")), 60, EntryKind::scope);
                        throw io_error("changed my mind");
                      }),
                      "changed my mind");
    CHECK_THROWS_AS(store->update([](Book& b) { b.engagements[0].client = "nobody"; }), validation_error);
    CHECK(test::read_file(file.string()) == before);
    // The lock was released after each failure: the next writer gets it at once.
    CHECK(static_cast<bool>(store->lock(std::chrono::milliseconds{0})));
  }
}

TEST_CASE("a writer that cannot get the lock in time gives up with a clear error and writes nothing", "[store][lock]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.json";
  save_book(example_a(), file);
  const std::string before = test::read_file(file.string());
  const auto holder = open_book(file);
  BookLock held = holder->lock();
  CHECK(fs::exists(dir.path / ".book.json.lock"));
  const auto other = open_book(file);
  CHECK_THROWS_WITH(other->lock(std::chrono::milliseconds{30}),
                    file.string() + ": another writer has held the book for 30 ms (lock " + (dir.path / ".book.json.lock").string() +
                        "); nothing was written");
  // Even from another thread (flock locks belong to open files, not to processes).
  std::thread([&] { CHECK_THROWS_AS(open_book(file)->lock(std::chrono::milliseconds{20}), io_error); }).join();
  CHECK(test::read_file(file.string()) == before);
  held.unlock();
  CHECK(other->append(scope_entry(0)) == "engagements[0].entries[10]");
}

TEST_CASE("concurrent writers in threads never lose a change: 8 threads x 25 appends leave all 200", "[store][lock]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.json";
  save_book(example_a(), file);
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t)
    writers.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) open_book(file)->append(scope_entry(2 * (25 * t + i)));
    });
  for (std::thread& w : writers) w.join();
  CHECK(entries_in(file) == 10 + 200);
}

TEST_CASE("concurrent writers in processes never lose a change: 4 processes x 25 appends leave all 100", "[store][lock]") {
  const TemporaryDirectory dir;
  for (const char* extension : {".json", ".ktxt"}) {
    const fs::path file = dir.path / (std::string("book") + extension);
    save_book(example_a(), file);
    std::vector<pid_t> children;
    for (int p = 0; p < 4; ++p) {
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        int status = 0;
        try {
          for (int i = 0; i < 25; ++i) open_book(file)->append(scope_entry(2 * (25 * p + i)));
        } catch (...) {
          status = 1;
        }
        ::_exit(status);
      }
      children.push_back(pid);
    }
    for (const pid_t pid : children) {
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    CHECK(entries_in(file) == 10 + 100);
  }
}

TEST_CASE("a symlinked book stays a link to the updated file, with its permissions; links share the lock", "[store][lock]") {
  const TemporaryDirectory dir;
  fs::create_directory(dir.path / "books");
  const fs::path target = dir.path / "books" / "studio.json";
  save_book(example_a(), target);
  fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  const fs::path link = dir.path / "current.json";
  fs::create_symlink("books/studio.json", link);
  const fs::path link_to_link = dir.path / "latest.json";
  fs::create_symlink("current.json", link_to_link);

  CHECK(open_book(link_to_link)->append(scope_entry(0)) == "engagements[0].entries[10]");
  CHECK(fs::is_symlink(link));
  CHECK(fs::is_symlink(link_to_link));
  CHECK(fs::read_symlink(link) == "books/studio.json");
  CHECK(entries_in(target) == 11);
  CHECK(fs::status(target).permissions() == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  // One lock for the book, whichever name a writer uses.
  CHECK(fs::exists(dir.path / "books" / ".studio.json.lock"));
  CHECK_FALSE(fs::exists(dir.path / ".current.json.lock"));
  const BookLock held = open_book(target)->lock();
  CHECK_THROWS_AS(open_book(link)->lock(std::chrono::milliseconds{20}), io_error);
}
