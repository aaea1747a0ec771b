#pragma once
// Where a book lives. Everything that reads or writes a book on disk — the command, Python, imports,
// the write path — goes through a BookStore, and the store for a file comes from one registry of
// formats keyed by the file's extension (.json, .kbin, .kxml, .ktxt, .kdb). Adding a format is one file in
// src/store/ and one line in src/store/registry.cpp; help texts and error messages list the formats
// from the registry, so they cannot drift from it.
//
// Writers are serialised by the store's lock, so two writers of one book never lose each other's
// changes; readers need no lock (a whole-file format is replaced atomically: a reader sees the old
// book or the new one, never a mix).
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/record.hpp"
#include "kontingent/store/atomic_file.hpp"

namespace kontingent {

/// Held while a writer reads, changes and saves a book; released when destroyed. Move-only.
class BookLock {
 public:
  BookLock() = default;
  explicit BookLock(std::function<void()> release) : release_(std::move(release)) {}
  BookLock(BookLock&& other) noexcept : release_(std::exchange(other.release_, nullptr)) {}
  BookLock& operator=(BookLock&& other) noexcept {
    if (this != &other) unlock(), release_ = std::exchange(other.release_, nullptr);
    return *this;
  }
  ~BookLock() { unlock(); }
  /// True while the lock is held.
  explicit operator bool() const noexcept { return static_cast<bool>(release_); }
  /// Releases the lock now (destroying it does the same).
  void unlock() noexcept {
    if (release_) std::exchange(release_, nullptr)();
  }

 private:
  std::function<void()> release_;
};

/// How long a writer waits for another writer's lock before it gives up (io_error, nothing written).
inline constexpr std::chrono::milliseconds default_lock_timeout{10'000};

/// One book on disk.
class BookStore {
 public:
  virtual ~BookStore() = default;
  /// The book's file.
  virtual const std::filesystem::path& file() const noexcept = 0;
  /// Reads and validates the whole book. Throws io_error (unreadable), validation_error or archive_error.
  virtual Book load() const = 0;
  /// load(), handing each engagement to `each` once it is read and valid on its own. A format
  /// that reads engagements on several threads hands each over on the thread that read it, while it
  /// is still in the cache (JSON); the others once the whole book is read. `each` may see an
  /// engagement twice (a reader that starts again: the second call is the one that counts) and may
  /// see engagements of a book that a rule across the book then refuses, which load_each() throws.
  virtual Book load_each(const EachEngagement& each) const;
  /// Validates `book` and writes it as the whole book, atomically: on any failure the previous book
  /// stays as it was. Takes no lock: a writer that read the book first holds lock() around both.
  virtual void save(const Book& book) = 0;
  /// The writers' lock of this book, waiting up to `timeout` for another writer to finish; throws
  /// io_error when it cannot be had in time.
  virtual BookLock lock(std::chrono::milliseconds timeout = default_lock_timeout) = 0;
  /// Records events (record.hpp) in the book on disk and in `book`, all or nothing, and returns
  /// their places. The caller holds lock() and `book` is what load() gave under it. A whole-file
  /// format records into `book` and saves it; a database adds the rows.
  virtual std::vector<std::string> record(Book& book, std::span<const Event> events);
  /// Records events in the book on disk under the lock, all or nothing, and returns their places. A
  /// whole-file format reads and rewrites the book; a database appends without reading the book.
  virtual std::vector<std::string> append(std::span<const Event> events);
  /// append() of one event.
  std::string append(const Event& event) { return append(std::span<const Event>(&event, 1)).front(); }

  /// The book's running timer (one per book), if one runs.
  virtual std::optional<RunningTimer> running_timer() const = 0;
  /// Starts the book's timer, replacing any other, or stops it (nullopt), durably. The caller holds
  /// lock() and records the stopped timer's entry itself (RunningTimer::entry_until).
  virtual void set_running_timer(const std::optional<RunningTimer>& timer) = 0;

  /// Under the lock: loads the book, applies `change` to it and saves it. Nothing is written when
  /// `change` throws or the changed book breaks a rule.
  void update(const std::function<void(Book&)>& change);

  /// Whether a write replaces a book its owner made read-only: ReadOnly::refuse (io_error) unless
  /// the user said so (`convert --force`).
  void set_read_only(ReadOnly read_only) noexcept { read_only_ = read_only; }
  /// What the last write could not keep of the file it replaced (its owner or group), to tell the
  /// user; empty when everything was kept.
  const std::string& notice() const noexcept { return notice_; }

 protected:
  ReadOnly read_only_ = ReadOnly::refuse;
  std::string notice_;
};

/// A book format: a file extension and the store that reads and writes files of it.
struct BookFormat {
  std::string_view extension;    ///< ".json"
  std::string_view description;  ///< for help texts: "JSON (kontingent-book/1), for hand edits and version control"
  /// The first bytes of every file of this format, to recognise a file whose name says nothing;
  /// empty for a format without a signature.
  std::string_view signature;
  /// The store of `file`, which need not exist yet.
  std::unique_ptr<BookStore> (*open)(const std::filesystem::path& file);
};

/// Every book format, in the order help texts list them; the first is the default for a file whose
/// extension and first bytes name no format.
std::span<const BookFormat> book_formats();
/// The format `file`'s extension names, or nullptr.
const BookFormat* book_format_of(const std::filesystem::path& file);
/// The extensions of book_formats() for messages: ".json, .kbin, .kxml, .ktxt or .kdb".
std::string book_format_list(std::string_view last_separator = " or ");

/// The store for `file`, by its extension. Throws io_error for an extension that names no book
/// format ("unknown book format", with the list).
std::unique_ptr<BookStore> open_book(const std::filesystem::path& file);

/// Loads and validates a book. Its extension names the format; a file whose extension names none is
/// read by the format whose signature it starts with, else by the first format (JSON). Throws
/// io_error (unreadable), validation_error or archive_error.
Book load_book(const std::filesystem::path& file);
/// load_book(), handing each engagement to `each` as it is read (BookStore::load_each).
Book load_book(const std::filesystem::path& file, const EachEngagement& each);
/// Saves the book in the format its extension names, atomically and under the writers' lock: the
/// previous file stays intact if anything fails. Throws validation_error for an invalid book and
/// io_error for an unknown extension, a read-only file (unless `read_only` is ReadOnly::replace), a
/// lock held too long by another writer or a failed write. Returns the store's notice(): what the
/// save could not keep of the file it replaced, empty when everything was kept.
std::string save_book(const Book& book, const std::filesystem::path& file, ReadOnly read_only = ReadOnly::refuse);

}  // namespace kontingent
