// Books on disk (include/kontingent/store.hpp): one registry of formats, one store per file, and a
// writers' lock under which concurrent writers — threads or processes — never lose a change.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <thread>

#include "../../bench/generate.hpp"
#include "kontingent/formats/archive.hpp"
#include "kontingent/store.hpp"
#include "test_support.hpp"

using namespace kontingent;
namespace fs = std::filesystem;
using test::TemporaryDirectory;

namespace {

Book example_a() { return load_book_json(test::spec_example("a-fixed.book.json")); }

/// Runs `sql` on the .kdb `file` behind kontingent's back, then loads it: "loaded", or the message.
std::string change_then_load(const std::filesystem::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  try {
    load_book(file);
    return "loaded";
  } catch (const validation_error& e) {
    return e.what();
  }
}

/// The book of version 2 (SPEC §10) with every new field that the archive tests use too.
std::string version_2_text() { return test::read_file(std::string(KONTINGENT_TEST_DATA) + "/golden/version-2/parties.book.json"); }
Book version_2_book() { return parse_book_json(version_2_text()); }

/// The first column of the first row `sql` gives in the database `file`, as text ("" for none or NULL).
std::string query(const fs::path& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0))
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

/// Every table and index of a database as created, in one text: the same for two databases with the same schema.
constexpr const char* schema_text = "SELECT group_concat(name || ': ' || sql, ';\n') FROM "
                                    "(SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)";

/// A database of schema version 1 at `file`, exactly as kontingent wrote SPEC example A before book
/// version 2 (tests/data/kdb/a-fixed-version-1.sql).
void write_version_1_database(const fs::path& file) {
  const std::string script = test::read_file(std::string(KONTINGENT_TEST_DATA) + "/kdb/a-fixed-version-1.sql");
  REQUIRE(script.find("CREATE TABLE engagements") != std::string::npos);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, script.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  REQUIRE(query(file, "PRAGMA user_version") == "1");
}

/// A scope entry of `minutes` minutes on 2026-03-02, `n` minutes after 08:00: distinct entries that never overlap.
NewEntry scope_entry(int n) {
  return {"acme-site", parse_time("2026-03-02T08:00") + boost::posix_time::minutes(n), 60, EntryKind::scope, "", "", true};
}

std::size_t entries_in(const fs::path& file) { return load_book(file).engagements[0].journal.entries.size(); }

/// `processes` forked writers, each appending `each` distinct scope entries to `file`; checks that each succeeded.
void append_from_processes(const fs::path& file, int processes, int each) {
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int status = 0;
      try {
        const auto store = open_book(file);
        for (int i = 0; i < each; ++i) store->append(scope_entry(2 * (each * p + i)));
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
}

}  // namespace

TEST_CASE("the registry knows each format once, and every list of formats comes from it", "[store]") {
  std::vector<std::string> extensions;
  for (const BookFormat& f : book_formats()) extensions.emplace_back(f.extension);
  CHECK(extensions == std::vector<std::string>{".json", ".kbin", ".kxml", ".ktxt", ".kdb"});
  CHECK(book_format_list() == ".json, .kbin, .kxml, .ktxt or .kdb");
  CHECK(book_format_list(" and ") == ".json, .kbin, .kxml, .ktxt and .kdb");
  CHECK(book_format_of("a/b/studio.kxml")->extension == ".kxml");
  CHECK(book_format_of("studio.KBIN") == nullptr);
  CHECK(book_format_of("studio") == nullptr);
  CHECK_THROWS_AS(open_book("book.doc"), io_error);
  CHECK_THROWS_WITH(open_book("book.doc"), "book.doc: unknown book format \".doc\" (name the file .json, .kbin, .kxml, .ktxt or .kdb)");
  CHECK_THROWS_WITH(save_book(example_a(), "book"), "book: unknown book format \"\" (name the file .json, .kbin, .kxml, .ktxt or .kdb)");
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
  fs::copy_file(dir.path / "book.kdb", dir.path / "database-without-extension");
  CHECK(load_book(dir.path / "archive-without-extension") == book);
  CHECK(load_book(dir.path / "database-without-extension") == book);
  CHECK(load_book(dir.path / "book.txt") == book);
  CHECK_THROWS_WITH(load_book(dir.path / "missing.json"), (dir.path / "missing.json").string() + ": cannot read the book file (No such file or directory)");
}

TEST_CASE("a store records an event under its lock; a refused event or a failed change writes nothing", "[store][record]") {
  const TemporaryDirectory dir;
  for (const char* extension : {".json", ".kbin", ".kdb"}) {
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
  for (const char* extension : {".json", ".kdb"}) {
    const fs::path file = dir.path / (std::string("book") + extension);
    save_book(example_a(), file);
    std::vector<std::thread> writers;
    for (int t = 0; t < 8; ++t)
      writers.emplace_back([&, t] {
        for (int i = 0; i < 25; ++i) open_book(file)->append(scope_entry(2 * (25 * t + i)));
      });
    for (std::thread& w : writers) w.join();
    CHECK(entries_in(file) == 10 + 200);
  }
}

TEST_CASE("concurrent writers in processes never lose a change: 4 processes x 25 appends leave all 100", "[store][lock]") {
  const TemporaryDirectory dir;
  for (const char* extension : {".json", ".ktxt", ".kdb"}) {
    const fs::path file = dir.path / (std::string("book") + extension);
    save_book(example_a(), file);
    append_from_processes(file, 4, 25);
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

// --- .kdb: the SQLite store ------------------------------------------------------------------------

TEST_CASE("kdb: JSON -> kdb -> JSON is byte for byte, on the spec examples, the demo and generated books", "[store][kdb]") {
  const TemporaryDirectory dir;
  std::vector<std::string> texts{test::read_file(test::spec_example("a-fixed.book.json")),
                                 test::read_file(test::spec_example("b-retainer.book.json")),
                                 test::read_file(KONTINGENT_DEMO_BOOK), version_2_text()};
  for (const std::uint64_t seed : {1, 2, 3}) texts.push_back(to_json(bench::generate_book({.entries = 3000, .engagements = 20, .seed = seed})));
  for (const std::string& text : texts) {
    const Book book = parse_book_json(text);
    const fs::path file = dir.path / "book.kdb";
    fs::remove(file);
    save_book(book, file);
    CHECK(to_json(load_book(file)) == text);
  }
}

/// The book the rows of `file` hold, its entry blocks left aside: what every block must agree with.
Book rows_of(const fs::path& file, const fs::path& copy) {
  fs::remove(copy);
  query(file, "VACUUM INTO '" + copy.string() + "'");  // with what the write-ahead log holds
  CHECK(change_then_load(copy, "DELETE FROM entry_blocks") == "loaded");
  REQUIRE(query(copy, "SELECT count(*) FROM entry_blocks") == "0");
  return load_book(copy);
}

TEST_CASE("kdb: entries are read in blocks that stay copies of the rows, whoever changes the rows", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb", copy = dir.path / "rows.kdb";
  const Book book = bench::generate_book({.entries = 3000, .engagements = 20, .seed = 5});
  // Saved over the last state each time: a save sets the triggers aside while it writes, then makes them again.
  const auto reset = [&] {
    save_book(book, file);
    REQUIRE(query(file, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == "6");
  };
  reset();
  // Each engagement's entries in one block: its row's count, from position 0.
  CHECK(query(file, "SELECT count(*) FROM entry_blocks WHERE position = 0") == query(file, "SELECT count(*) FROM engagements WHERE entry_count > 0"));
  CHECK(query(file, "SELECT count(*) FROM entry_blocks JOIN engagements ON id = engagement WHERE entry_blocks.entry_count = engagements.entry_count") ==
        query(file, "SELECT count(*) FROM entry_blocks"));
  CHECK(load_book(file) == book);

  const std::string second = book.engagements[1].id;
  const auto blocks_of = [&](const std::string& engagement) {
    return query(file, "SELECT count(*) FROM entry_blocks WHERE engagement = '" + engagement + "'");
  };
  const std::string requests_of_second = std::to_string(book.engagements[1].journal.requests.size());
  REQUIRE(book.engagements[1].journal.requests.size() >= 2);
  // Each change another program makes to the rows drops the blocks it touches, and the book is what the rows say.
  for (const std::string& sql : {
           "UPDATE entries SET note = 'changed' WHERE engagement = '" + second + "' AND position = 3",
           "UPDATE entries SET position = position + 1000 WHERE engagement = '" + second + "' AND position = 0",
           "DELETE FROM entries WHERE engagement = '" + second + "' AND position = 7",
           "INSERT INTO entries SELECT engagement, -1, start, seconds, kind, request, note, written_as_minutes FROM entries "
           "WHERE engagement = '" + second + "' AND position = 2",
           "UPDATE requests SET received = '2020-01-01T00:00' WHERE engagement = '" + second + "' AND position = 0",
           "INSERT INTO requests SELECT engagement, 1000, 'EXTRA', kind, received, due, quote_cents, declined FROM requests "
           "WHERE engagement = '" + second + "' AND position = 0; DELETE FROM requests WHERE id = 'EXTRA'",
           "INSERT INTO requests SELECT engagement, -1, 'NEW', kind, received, due, quote_cents, declined FROM requests "
           "WHERE engagement = '" + second + "' AND position = 0",
       }) {
    INFO(sql);
    reset();
    const std::string message = change_then_load(file, sql);
    CHECK(blocks_of(second) == "0");
    CHECK(query(file, "SELECT count(*) FROM entry_blocks") == std::to_string(book.engagements.size() - 1));
    if (message == "loaded") CHECK(load_book(file) == rows_of(file, copy));
    else CHECK_THROWS_WITH(rows_of(file, copy), message);
  }
  // Appending a request, or an entry after the blocks, keeps them.
  reset();
  CHECK(change_then_load(file, "INSERT INTO requests SELECT engagement, 1000, 'LAST', kind, received, due, quote_cents, declined "
                               "FROM requests WHERE engagement = '" + second + "' AND position = 0") == "loaded");
  CHECK(blocks_of(second) == "1");
  CHECK(change_then_load(file, "INSERT INTO entries SELECT engagement, 5000, start, seconds, kind, request, note, written_as_minutes "
                               "FROM entries WHERE engagement = '" + second + "' AND position = 2") == "loaded");
  CHECK(blocks_of(second) == "1");
  CHECK(open_book(file)->append(NewEntry{second, Time(book.engagements[1].start, boost::posix_time::hours(9)), 60, EntryKind::scope, "", "", true}) ==
        "engagements[1].entries[" + std::to_string(book.engagements[1].journal.entries.size()) + "]");
  CHECK(blocks_of(second) == "1");
  CHECK(load_book(file) == rows_of(file, copy));

  // A block that does not unpack, or blocks that do not follow each other from the first entry,
  // are passed over: the engagement's entries are read from its rows.
  for (const std::string& sql : {
           "UPDATE entry_blocks SET entries = x'00' WHERE engagement = '" + second + "'",
           "UPDATE entry_blocks SET entries = substr(entries, 1, length(entries) - 1) WHERE engagement = '" + second + "'",
           "UPDATE entry_blocks SET position = 1 WHERE engagement = '" + second + "'",
           "UPDATE entry_blocks SET entry_count = entry_count - 1 WHERE engagement = '" + second + "'",
           "UPDATE engagements SET entry_count = entry_count - 1 WHERE id = '" + second + "'",
           "UPDATE entry_blocks SET entries = (SELECT entries FROM entry_blocks WHERE engagement = '" + book.engagements[0].id +
               "') WHERE engagement = '" + second + "'",
       }) {
    INFO(sql);
    reset();
    CHECK(change_then_load(file, sql) == "loaded");
    CHECK(load_book(file) == book);
  }
}

TEST_CASE("kdb: appends pack the rows after an engagement's blocks once they are 1,024", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb", copy = dir.path / "rows.kdb";
  save_book(example_a(), file);
  const auto blocks = [&] { return query(file, "SELECT group_concat(position || '+' || entry_count, ' ') FROM entry_blocks"); };
  CHECK(blocks() == "0+10");
  const auto store = open_book(file);
  std::vector<Event> batch;
  for (int i = 0; i < 1023; ++i) batch.push_back(scope_entry(2 * i));
  store->append(batch);
  CHECK(blocks() == "0+10");  // 1,023 rows after the block
  store->append(scope_entry(2 * 1023));
  CHECK(blocks() == "0+10 10+1024");
  for (int i = 1024; i < 1030; ++i) store->append(scope_entry(2 * i));
  CHECK(blocks() == "0+10 10+1024");
  Book expected = example_a();
  for (int i = 0; i < 1030; ++i) record(expected, scope_entry(2 * i));
  CHECK(load_book(file) == expected);
  CHECK(rows_of(file, copy) == expected);
  // Recording under the lock packs as appending does.
  {
    const BookLock held = store->lock();
    Book book = store->load();
    std::vector<Event> more;
    for (int i = 1030; i < 1030 + 1018; ++i) more.push_back(scope_entry(2 * i));
    store->record(book, more);
    CHECK(book == [&] {
      for (const Event& e : more) record(expected, e);
      return expected;
    }());
  }
  CHECK(blocks() == "0+10 10+1024 1034+1024");
  CHECK(load_book(file) == expected);
}

TEST_CASE("kdb: a big book is read on two connections as of one commit, and its first error is the one reported", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "big.kdb";
  // Big enough (above 8 MiB) for a second connection to read the entries of the later engagements.
  const Book book = bench::generate_book({.entries = 200'000, .engagements = 8, .seed = 7});
  save_book(book, file);
  REQUIRE(fs::file_size(file) > (8u << 20));
  CHECK(to_json(load_book(file)) == to_json(book));
  const auto damage_then_load = [&](const std::string& sql) { return change_then_load(file, sql); };
  const std::string last = book.engagements.back().id, first = book.engagements.front().id;
  CHECK(damage_then_load("UPDATE entries SET kind = 'lunch' WHERE engagement = '" + last + "' AND position = 5") ==
        file.string() + ": engagements[7].entries: unknown entry kind \"lunch\"");
  CHECK(damage_then_load("UPDATE entries SET kind = 'nap' WHERE engagement = '" + first + "' AND position = 9") ==
        file.string() + ": engagements[0].entries: unknown entry kind \"nap\"");
}

TEST_CASE("kdb: appends check what they touch with the readers' messages, and a refused one changes nothing", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  save_book(example_a(), file);
  const auto store = open_book(file);
  const Request r4{"R4", RequestKind::revision, parse_time("2026-03-01T09:00"), {}, {}, false};
  const std::vector<Event> events{NewRequest{"acme-site", r4},
                                  NewEntry{"acme-site", parse_time("2026-03-02T09:00"), 5400, EntryKind::revision, "R4", "", true},
                                  NewInvoice{"acme-site", {"INV-2", Date(2026, 3, 5), {{Category::revision, Money::parse("350", Currency("EUR"))}}}},
                                  NewPayment{"acme-site", {"INV-2", Date(2026, 3, 6), Money::parse("350", Currency("EUR"))}}};
  CHECK(store->append(events) == std::vector<std::string>{"engagements[0].requests[4]", "engagements[0].entries[10]",
                                                           "engagements[0].invoices[1]", "engagements[0].payments[1]"});
  Book expected = example_a();
  record_all(expected, events);
  CHECK(load_book(file) == expected);
  const Book before = load_book(file);
  const std::vector<std::pair<Event, std::string>> refused{
      {NewEntry{"acme-site", parse_time("2026-07-01T09:00"), 60, EntryKind::scope, "", "", true},
       "engagements[0].entries[11]: starts 2026-07-01, after the engagement's end 2026-06-30"},
      {NewEntry{"acme-site", parse_time("2026-03-01T09:00"), 60, EntryKind::revision, "R9", "", true},
       "engagements[0].entries[11].request: unknown request \"R9\""},
      {NewRequest{"acme-site", r4}, "engagements[0].requests[5].id: duplicate request id \"R4\" in this engagement"},
      {NewInvoice{"acme-site", {"INV-1", Date(2026, 3, 5), {{Category::call, Money::parse("1", Currency("EUR"))}}}},
       "engagements[0].invoices[2].id: duplicate invoice id \"INV-1\""},
      {NewPayment{"acme-site", {"INV-9", Date(2026, 3, 6), Money::parse("1", Currency("EUR"))}},
       "engagements[0].payments[2].invoice: unknown invoice \"INV-9\" (a payment must name an invoice of its engagement)"},
      {NewEntry{"nope", parse_time("2026-03-01T09:00"), 60, EntryKind::scope, "", "", true}, "the book has no engagement \"nope\""},
  };
  for (const auto& [event, message] : refused) {
    CHECK_THROWS_WITH(store->append(event), message);
    // The same message as recording into the book in memory gives.
    Book copy = before;
    CHECK_THROWS_WITH(record(copy, event), message);
  }
  // A batch with one bad event records none of them.
  CHECK_THROWS_AS(store->append(std::vector<Event>{scope_entry(0), refused.front().first}), validation_error);
  CHECK(load_book(file) == before);
}

TEST_CASE("kdb: 8 processes x 250 appends leave all 2,000 entries", "[store][kdb][lock]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  save_book(example_a(), file);
  append_from_processes(file, 8, 250);
  const Book book = load_book(file);
  CHECK(book.engagements[0].journal.entries.size() == 10 + 2000);
}

TEST_CASE("kdb: a held lock, a foreign or newer database and damaged pages give clear errors, never a crash", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  save_book(example_a(), file);
  {
    const auto holder = open_book(file);
    const BookLock held = holder->lock();
    CHECK_THROWS_WITH(open_book(file)->lock(std::chrono::milliseconds{30}),
                      file.string() + ": another writer has held the book for 30 ms; nothing was written");
    CHECK(load_book(file) == example_a());  // readers read while a writer holds the book
  }
  const std::string good = test::read_file(file.string());
  const auto write = [&](const fs::path& to, const std::string& bytes) {
    std::ofstream(to, std::ios::binary | std::ios::trunc) << bytes;
  };
  // A newer schema: PRAGMA user_version lives in bytes 60-63 of the header, big-endian.
  std::string newer = good;
  REQUIRE(newer[63] == 3);
  newer[63] = 4;
  write(dir.path / "newer.kdb", newer);
  CHECK_THROWS_WITH(load_book(dir.path / "newer.kdb"), (dir.path / "newer.kdb").string() +
                        ": the book database has schema version 4, newer than this kontingent reads (3): update kontingent");
  CHECK_THROWS_WITH(open_book(dir.path / "newer.kdb")->append(scope_entry(0)),
                    (dir.path / "newer.kdb").string() +
                        ": the book database has schema version 4, newer than this kontingent reads (3): update kontingent");
  CHECK(test::read_file((dir.path / "newer.kdb").string()) == newer);
  write(dir.path / "empty.kdb", "");
  CHECK_THROWS_WITH(load_book(dir.path / "empty.kdb"),
                    (dir.path / "empty.kdb").string() + ": not a kontingent book database (a SQLite database without kontingent's tables)");
  write(dir.path / "text.kdb", "{\"format\": \"kontingent-book/1\"}");
  CHECK_THROWS_WITH(load_book(dir.path / "text.kdb"),
                    (dir.path / "text.kdb").string() + ": not a kontingent book database (file is not a database)");
  // Another program's database: read and written over, it is refused, and its tables stay its own.
  const fs::path foreign = dir.path / "photos.kdb";
  CHECK(change_then_load(foreign, "CREATE TABLE photos (x); CREATE TABLE albums (y); INSERT INTO photos VALUES (1)") ==
        foreign.string() + ": not a kontingent book database (a SQLite database without kontingent's tables)");
  const std::string foreign_bytes = test::read_file(foreign.string());
  CHECK_THROWS_WITH(save_book(example_a(), foreign),
                    foreign.string() + ": not a kontingent book database (a SQLite database with other tables: albums, photos); "
                                       "nothing was written, save the book to a new file");
  CHECK(test::read_file(foreign.string()) == foreign_bytes);
  CHECK(query(foreign, "SELECT count(*) FROM sqlite_master") == "2");
  // An empty file is no other program's: a book is saved into it.
  save_book(example_a(), dir.path / "empty.kdb");
  CHECK(load_book(dir.path / "empty.kdb") == example_a());
  CHECK_THROWS_WITH(save_book(example_a(), dir.path / "nowhere" / "book.kdb"),
                    (dir.path / "nowhere" / "book.kdb").string() + ": cannot save: the directory " + (dir.path / "nowhere").string() +
                        " does not exist");
  CHECK_FALSE(fs::exists(dir.path / "nowhere"));
  // Damaged pages: the end of every page after the first (where SQLite keeps a page's rows)
  // overwritten in turn. SQLite keeps no checksums, so a damaged text may even read as another valid
  // text; what must hold is that every load ends in a valid book (load validates it) or in one of
  // our errors — never a crash (the asan preset runs this too) nor another exception.
  const std::size_t page = 4096;
  std::size_t refusals = 0, pages = 0;
  for (std::size_t at = page; at + page <= good.size(); at += page, ++pages) {
    std::string damaged = good;
    for (std::size_t i = at + page - 300; i < at + page; ++i) damaged[i] = static_cast<char>(i * 31);
    write(dir.path / "damaged.kdb", damaged);
    try {
      validate(load_book(dir.path / "damaged.kdb"));
    } catch (const kontingent::error&) {
      ++refusals;
    }
  }
  CHECK(pages > 5);
  CHECK(refusals > 0);
}

TEST_CASE("kdb: a writer killed in the middle of appending leaves the book before or after each append", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  save_book(example_a(), file);
  std::size_t kills = 0, grown = 0, previous = 10;
  for (int round = 0; round < 12; ++round) {
    int opened[2];  // the child says when its book is open: the kill then falls among appends, however busy the machine
    REQUIRE(::pipe(opened) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      try {
        const auto store = open_book(file);
        if (::write(opened[1], "o", 1) != 1) ::_exit(1);
        for (int i = 0;; ++i) store->append(scope_entry(2 * (1000 * round + i % 1000)));  // until killed
      } catch (...) {
      }
      ::_exit(1);  // only a failed append gets here: the parent sees an exit, not a kill
    }
    ::close(opened[1]);
    char byte = 0;
    CHECK(::read(opened[0], &byte, 1) == 1);
    ::close(opened[0]);
    ::usleep(static_cast<useconds_t>(20'000 + 7'000 * round));
    ::kill(pid, SIGKILL);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    kills += WIFSIGNALED(status);
    // Whole appends only: the book loads, validates, and holds at least what it held before.
    const std::size_t now = entries_in(file);
    CHECK(now >= previous);
    grown += now > previous;
    previous = now;
  }
  CHECK(kills == 12);
  CHECK(grown > 6);
}

TEST_CASE("kdb: numbers another program wrote beyond the book's limits are refused as every reader refuses them", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  const auto write_then_load = [&](const char* sql) {
    fs::remove(file);
    save_book(example_a(), file);
    return change_then_load(file, sql);
  };
  const std::string at = file.string() + ": ";
  CHECK(write_then_load("UPDATE entries SET seconds = 9223372036854775807 WHERE position = 0") ==
        at + "engagements[0].entries.seconds: 9223372036854775807 is out of range (at most 600000000)");
  CHECK(write_then_load("UPDATE engagements SET rate_cents = -9223372036854775807") ==
        at + "engagements[0].rate_cents: -9223372036854775807 is out of range (at most 99999999999999999)");
  CHECK(write_then_load("UPDATE engagements SET included_rounds = 10000001") ==
        at + "engagements[0].included_rounds: 10000001 is out of range (at most 10000000)");
  CHECK(write_then_load("UPDATE payments SET amount_cents = 100000000000000000") ==
        at + "engagements[0].payments[0].amount_cents: 100000000000000000 is out of range (at most 99999999999999999)");
  // Within the limits, what another program wrote is validated like any book.
  CHECK(write_then_load("UPDATE entries SET seconds = 0 WHERE position = 0") ==
        at + "engagements[0].entries[0].minutes: must be a positive integer, got 0");
  CHECK(write_then_load("UPDATE entries SET start = '2026-02-30T09:00' WHERE position = 0") ==
        at + "engagements[0].entries: impossible date \"2026-02-30\"");
  // An entry "in minutes" that lasts no whole minutes reads as one with an end: the book it writes reads the same (a fuzz finding).
  CHECK(write_then_load("UPDATE entries SET seconds = 1802, written_as_minutes = 1 WHERE position = 0") == "loaded");
  const Book odd = load_book(file);
  CHECK(odd.engagements[0].journal.entries.seconds()[0] == 1802);
  CHECK_FALSE(odd.engagements[0].journal.entries.written_as_minutes(0));
  CHECK(parse_book_json(to_json(odd)) == odd);
}

TEST_CASE("kdb: a book of version 2 keeps every field of SPEC §10, in the columns docs/formats.md names", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  const Book book = version_2_book();
  REQUIRE(book.owner);
  REQUIRE(book.owner->vat);
  save_book(book, file);
  CHECK(load_book(file) == book);
  CHECK(to_json(load_book(file)) == version_2_text());
  CHECK(query(file, "PRAGMA user_version") == "3");
  CHECK(query(file, "SELECT value FROM meta WHERE key = 'format'") == "kontingent-book-db/2");
  CHECK(query(file, "SELECT name || '|' || street || '|' || postcode || '|' || city || '|' || country || '|' || vat_id || '|' || "
                    "tax_number || '|' || email || '|' || iban || '|' || invoice_prefix || '|' || vat_category || '|' || "
                    "vat_micro_percent || '|' || vat_exemption_reason FROM owner") ==
        "Studio Nord <Hamburg> & Co|Hafenstr. 1|20457|Hamburg|DE|DE123456789|22/123/45678|mail@studio-nord.de|DE02120300000000202051|RE-|S|"
        "19000000|");
  CHECK(query(file, "SELECT group_concat(id || '|' || ifnull(street, '-') || '|' || ifnull(city, '-') || '|' || vat_id || '|' || "
                    "buyer_reference || '|' || ifnull(payment_days, '-'), ';') FROM (SELECT * FROM clients ORDER BY position)") ==
        "acme||Berlin|DE987654321|04011000-12345-67|14;wien|Ring 1\nHof 2|Wien|ATU12345678||-;now|-|-|||0");
  CHECK(query(file, "SELECT group_concat(id || '|' || ifnull(vat_category, '-') || '|' || ifnull(vat_micro_percent, '-'), ';') FROM "
                    "(SELECT * FROM engagements ORDER BY position)") == "site|-|-;shop|AE|0;care|S|7700000;small|E|0");
  CHECK(query(file, "SELECT group_concat(id || '|' || credit_note || '|' || ifnull(refers_to, '-') || '|' || ifnull(due, '-'), ';') FROM "
                    "(SELECT * FROM invoices ORDER BY position)") == "RE-7|0|-|2026-02-10;GS-1|1|RE-7|-;RE-8|0|-|-");

  // Saving over it replaces the owner too, and a credit note may come before its invoice in the list.
  Book changed = book;
  changed.owner.reset();
  changed.engagements[1].terms.vat.reset();
  changed.clients[1].vat_id.clear();
  std::swap(changed.engagements[0].journal.invoices[0], changed.engagements[0].journal.invoices[1]);
  validate(changed);
  save_book(changed, file);
  CHECK(load_book(file) == changed);
  CHECK(query(file, "SELECT count(*) FROM owner") == "0");
}

TEST_CASE("kdb: appended invoices keep their due date and credit notes what they refer to, checked as the readers check them",
          "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  save_book(version_2_book(), file);
  const auto store = open_book(file);
  const auto eur = [](const char* amount) { return Money::parse(amount, Currency("EUR")); };
  const std::vector<Event> events{
      NewInvoice{"site", {"RE-9", Date(2026, 3, 1), {{Category::base, eur("300")}}, false, "", Date(2026, 3, 15)}},
      NewInvoice{"site", {"GS-2", Date(2026, 3, 2), {{Category::base, eur("50")}, {Category::call, eur("10")}}, true, "RE-9", {}}},
      NewPayment{"site", {"RE-9", Date(2026, 3, 3), eur("240")}}};
  CHECK(store->append(events) ==
        std::vector<std::string>{"engagements[0].invoices[3]", "engagements[0].invoices[4]", "engagements[0].payments[1]"});
  Book expected = version_2_book();
  record_all(expected, events);
  CHECK(load_book(file) == expected);
  CHECK(expected.engagements[0].journal.invoices[4].refers_to == "RE-9");

  const std::vector<std::pair<Event, std::string>> refused{
      {NewInvoice{"site", {"GS-3", Date(2026, 3, 5), {{Category::base, eur("1")}}, true, "RE-99", {}}},
       "engagements[0].invoices[5].refers_to: unknown invoice \"RE-99\" (a credit note must refer to an invoice of its engagement)"},
      {NewInvoice{"site", {"GS-3", Date(2026, 3, 5), {{Category::base, eur("1")}}, true, "GS-1", {}}},
       "engagements[0].invoices[5].refers_to: \"GS-1\" is a credit note; a credit note refers to an invoice"},
      {NewInvoice{"shop", {"GS-3", Date(2026, 3, 5), {{Category::base, eur("1")}}, true, "RE-7", {}}},
       "engagements[1].invoices[0].refers_to: unknown invoice \"RE-7\" (a credit note must refer to an invoice of its engagement)"},
      {NewInvoice{"site", {"RE-10", Date(2026, 3, 5), {{Category::base, eur("1")}}, false, "", Date(2026, 3, 4)}},
       "engagements[0].invoices[5].due: due 2026-03-04 is before the date 2026-03-05"},
      {NewPayment{"site", {"GS-2", Date(2026, 3, 6), eur("1")}},
       "engagements[0].payments[2].invoice: \"GS-2\" is a credit note; a payment names an invoice"},
  };
  for (const auto& [event, message] : refused) {
    CHECK_THROWS_WITH(store->append(event), message);
    Book copy = expected;
    CHECK_THROWS_WITH(record(copy, event), message);
  }
  CHECK(load_book(file) == expected);
}

TEST_CASE("kdb: a database of schema version 1 is read as it is and migrated in place, in one transaction, when first written",
          "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  write_version_1_database(file);
  const std::string version_1_schema = query(file, schema_text);
  // Reading writes nothing: the file stays a database of version 1.
  const std::string before = test::read_file(file.string());
  CHECK(load_book(file) == example_a());
  CHECK(to_json(load_book(file)) == test::read_file(test::spec_example("a-fixed.book.json")));
  CHECK(open_book(file)->running_timer() == std::nullopt);
  CHECK(test::read_file(file.string()) == before);

  // A write that is refused leaves it as it was, in version 1: the migration is part of its transaction.
  NewEntry late = scope_entry(0);
  late.start = parse_time("2026-07-01T09:00");
  CHECK_THROWS_WITH(open_book(file)->append(late), "engagements[0].entries[10]: starts 2026-07-01, after the engagement's end 2026-06-30");
  CHECK(query(file, "PRAGMA user_version") == "1");
  CHECK(query(file, schema_text) == version_1_schema);
  CHECK(load_book(file) == example_a());

  // The first write migrates it: then it has exactly the tables of a database made now.
  CHECK(open_book(file)->append(scope_entry(0)) == "engagements[0].entries[10]");
  CHECK(query(file, "PRAGMA user_version") == "3");
  CHECK(query(file, "SELECT value FROM meta WHERE key = 'format'") == "kontingent-book-db/2");
  save_book(version_2_book(), dir.path / "made-now.kdb");
  CHECK(query(file, schema_text) == query(dir.path / "made-now.kdb", schema_text));
  CHECK(query(file, schema_text) != version_1_schema);
  Book expected = example_a();
  record(expected, scope_entry(0));
  CHECK(load_book(file) == expected);
  // And it holds what version 2 added.
  CHECK(open_book(file)->append(NewInvoice{"acme-site", {"GS-1", Date(2026, 3, 1), {{Category::base, Money::parse("100", Currency("EUR"))}},
                                                        true, "INV-1", Date(2026, 3, 31)}}) == "engagements[0].invoices[1]");
  CHECK(load_book(file).engagements[0].journal.invoices[1] ==
        Invoice{"GS-1", Date(2026, 3, 1), {{Category::base, Money::parse("100", Currency("EUR"))}}, true, "INV-1", Date(2026, 3, 31)});
  save_book(version_2_book(), file);
  CHECK(to_json(load_book(file)) == version_2_text());
}

TEST_CASE("kdb: every way of writing migrates a database of schema version 1 first", "[store][kdb]") {
  const TemporaryDirectory dir;
  const RunningTimer timer{"acme-site", parse_time("2026-03-02T09:00"), EntryKind::scope, "", "design"};
  Book renamed = example_a();
  renamed.clients[0].name = "ACME AG";
  Book with_entry = example_a();
  record(with_entry, scope_entry(0));
  const std::vector<std::tuple<std::string, std::function<void(BookStore&)>, Book>> writes{
      {"append", [](BookStore& store) { store.append(scope_entry(0)); }, with_entry},
      {"save", [&](BookStore& store) { store.save(renamed); }, renamed},
      {"update", [](BookStore& store) { store.update([](Book& b) { b.clients[0].name = "ACME AG"; }); }, renamed},
      {"record under the lock",
       [](BookStore& store) {
         const BookLock held = store.lock();
         Book book = store.load();
         store.record(book, std::vector<Event>{scope_entry(0)});
       },
       with_entry},
      {"set the timer under the lock",
       [&](BookStore& store) {
         const BookLock held = store.lock();
         store.set_running_timer(timer);
       },
       example_a()},
  };
  for (const auto& [what, write, expected] : writes) {
    INFO(what);
    const fs::path file = dir.path / (what + ".kdb");
    write_version_1_database(file);
    write(*open_book(file));
    CHECK(query(file, "PRAGMA user_version") == "3");
    CHECK(query(file, "SELECT count(*) FROM pragma_table_info('invoices') WHERE name IN ('credit_note', 'refers_to', 'due')") == "3");
    CHECK(load_book(file) == expected);
  }
  CHECK(open_book(dir.path / "set the timer under the lock.kdb")->running_timer() == timer);
}

TEST_CASE("kdb: a timer started or stopped under the lock stays so once the lock is released", "[store][kdb]") {
  const TemporaryDirectory dir;
  const fs::path file = dir.path / "book.kdb";
  save_book(example_a(), file);
  const RunningTimer timer{"acme-site", parse_time("2026-03-02T09:00"), EntryKind::call, "", "kick-off"};
  {
    const auto store = open_book(file);
    const BookLock held = store->lock();
    store->set_running_timer(timer);
  }
  CHECK(open_book(file)->running_timer() == timer);
  {
    const auto store = open_book(file);
    const BookLock held = store->lock();
    Book book = store->load();
    store->record(book, std::vector<Event>{timer.entry_until(parse_time("2026-03-02T09:30"))});
    store->set_running_timer(std::nullopt);
  }
  CHECK(open_book(file)->running_timer() == std::nullopt);
  CHECK(entries_in(file) == 11);
}
