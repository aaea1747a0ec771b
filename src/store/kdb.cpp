// Books in SQLite (.kdb): the recording format. A book grows by appending rows, one transaction per
// change, checked by record()'s rules against the rows it touches — never by reading the whole book —
// and many writers queue on SQLite's own lock (BEGIN IMMEDIATE with a busy timeout). The schema is
// documented in docs/formats.md; times are book text, money integer cents, hours whole seconds.
#include <sqlite3.h>

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <thread>
#include <unordered_map>

#include "kontingent/detail/text.hpp"
#include "kontingent/detail/time_format.hpp"
#include "kontingent/limits.hpp"
#include "kontingent/store/atomic_file.hpp"
#include "store/entry_block.hpp"
#include "store/formats.hpp"

namespace kontingent::detail {
namespace {

/// The tables of schema version 1, as the first kontingent with .kdb made them. A new database gets
/// them and then every migration below, so that it has exactly the tables of a migrated one.
constexpr const char* schema_1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE clients (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, channel TEXT NOT NULL);
CREATE TABLE engagements (
  position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, client TEXT NOT NULL REFERENCES clients(id), title TEXT NOT NULL,
  currency TEXT NOT NULL, start TEXT NOT NULL, end TEXT, review_by TEXT,
  pricing TEXT NOT NULL, rate_cents INTEGER NOT NULL, fixed_price_cents INTEGER, contingent_seconds INTEGER,
  contingent_price_cents INTEGER, rollover_max_seconds INTEGER, included_rounds INTEGER NOT NULL,
  extra_round_price_cents INTEGER, rounding_increment_seconds INTEGER, rounding_mode TEXT,
  call_free_seconds INTEGER, call_block_seconds INTEGER, call_fee_cents INTEGER,
  rush_lead_seconds INTEGER, rush_surcharge_micro_percent INTEGER, no_show_notice_seconds INTEGER, no_show_fee_cents INTEGER,
  entry_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE requests (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL,
  received TEXT NOT NULL, due TEXT, quote_cents INTEGER, declined INTEGER NOT NULL,
  PRIMARY KEY (engagement, position), UNIQUE (engagement, id));
CREATE TABLE entries (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, start TEXT NOT NULL,
  seconds INTEGER NOT NULL, kind TEXT NOT NULL, request TEXT, note TEXT NOT NULL, written_as_minutes INTEGER NOT NULL,
  PRIMARY KEY (engagement, position)) WITHOUT ROWID;
CREATE TABLE appointments (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL,
  cancelled TEXT, PRIMARY KEY (engagement, position));
CREATE TABLE invoices (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, id TEXT NOT NULL UNIQUE, date TEXT NOT NULL,
  PRIMARY KEY (engagement, position));
CREATE TABLE invoice_lines (
  invoice TEXT NOT NULL REFERENCES invoices(id), position INTEGER NOT NULL, category TEXT NOT NULL, amount_cents INTEGER NOT NULL,
  PRIMARY KEY (invoice, position));
CREATE TABLE payments (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, invoice TEXT NOT NULL REFERENCES invoices(id),
  date TEXT NOT NULL, amount_cents INTEGER NOT NULL, PRIMARY KEY (engagement, position));
CREATE TABLE timer (one INTEGER PRIMARY KEY CHECK (one = 1), engagement TEXT NOT NULL, start TEXT NOT NULL, kind TEXT NOT NULL,
  request TEXT NOT NULL, note TEXT NOT NULL);
INSERT INTO meta VALUES ('format', 'kontingent-book-db/1');
PRAGMA user_version = 1;
)sql";

/// migrations[v - 1] turns schema version v into v + 1, in the writer's transaction, and ends by
/// setting the version it made. New columns go at the end of their tables, and what an older
/// database lacks reads as what it meant there: no address, no VAT, invoices only.
constexpr std::array<const char*, 2> migrations{
    // Book version 2 (docs/formats.md, book version 2): the parties of an invoice and its tax. A credit note may refer to
    // an invoice later in its engagement's list, hence the deferred reference.
    R"sql(
CREATE TABLE owner (one INTEGER PRIMARY KEY CHECK (one = 1), name TEXT NOT NULL, street TEXT NOT NULL, postcode TEXT NOT NULL,
  city TEXT NOT NULL, country TEXT NOT NULL, vat_id TEXT NOT NULL, tax_number TEXT NOT NULL, email TEXT NOT NULL, iban TEXT NOT NULL,
  invoice_prefix TEXT NOT NULL, vat_category TEXT, vat_micro_percent INTEGER, vat_exemption_reason TEXT);
ALTER TABLE clients ADD COLUMN street TEXT;
ALTER TABLE clients ADD COLUMN postcode TEXT;
ALTER TABLE clients ADD COLUMN city TEXT;
ALTER TABLE clients ADD COLUMN country TEXT;
ALTER TABLE clients ADD COLUMN vat_id TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN buyer_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE clients ADD COLUMN payment_days INTEGER;
ALTER TABLE engagements ADD COLUMN vat_category TEXT;
ALTER TABLE engagements ADD COLUMN vat_micro_percent INTEGER;
ALTER TABLE engagements ADD COLUMN vat_exemption_reason TEXT;
ALTER TABLE invoices ADD COLUMN credit_note INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN refers_to TEXT REFERENCES invoices(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE invoices ADD COLUMN due TEXT;
UPDATE meta SET value = 'kontingent-book-db/2' WHERE key = 'format';
PRAGMA user_version = 2;
)sql",
    // Schema version 3, the same book: its entries also packed in blocks (entry_block.hpp), each the
    // entries from `position` on, `entry_count` of them, a value that unpacks with the engagement's
    // requests in their order. The triggers drop every block from the first one a changed entry or
    // request could be in, so that the blocks copy the rows, whoever writes them.
    R"sql(
CREATE TABLE entry_blocks (
  engagement TEXT NOT NULL REFERENCES engagements(id), position INTEGER NOT NULL, entry_count INTEGER NOT NULL, entries BLOB NOT NULL,
  PRIMARY KEY (engagement, position));
CREATE TRIGGER entry_inserted AFTER INSERT ON entries BEGIN
  DELETE FROM entry_blocks WHERE engagement = NEW.engagement AND position + entry_count > NEW.position; END;
CREATE TRIGGER entry_updated AFTER UPDATE ON entries BEGIN
  DELETE FROM entry_blocks WHERE engagement = OLD.engagement AND position + entry_count > OLD.position;
  DELETE FROM entry_blocks WHERE engagement = NEW.engagement AND position + entry_count > NEW.position; END;
CREATE TRIGGER entry_deleted AFTER DELETE ON entries BEGIN
  DELETE FROM entry_blocks WHERE engagement = OLD.engagement AND position + entry_count > OLD.position; END;
CREATE TRIGGER request_inserted AFTER INSERT ON requests
  WHEN EXISTS (SELECT 1 FROM requests WHERE engagement = NEW.engagement AND position > NEW.position) BEGIN
  DELETE FROM entry_blocks WHERE engagement = NEW.engagement; END;
CREATE TRIGGER request_updated AFTER UPDATE ON requests BEGIN
  DELETE FROM entry_blocks WHERE engagement IN (OLD.engagement, NEW.engagement); END;
CREATE TRIGGER request_deleted AFTER DELETE ON requests BEGIN
  DELETE FROM entry_blocks WHERE engagement = OLD.engagement; END;
PRAGMA user_version = 3;
)sql"};

/// The triggers of migration 3, which a whole save sets aside while it writes every row anew.
constexpr const char* block_triggers =
    "'entry_inserted', 'entry_updated', 'entry_deleted', 'request_inserted', 'request_updated', 'request_deleted'";

/// The PRAGMA user_version this kontingent writes; it reads every version from 1 up to it.
constexpr int schema_version = 1 + static_cast<int>(migrations.size());

/// How long a writer waits for another writer's transaction, as the whole-file formats wait for their lock.
constexpr int busy_timeout_ms = static_cast<int>(default_lock_timeout.count());

std::string time_text(const Time& t) { return format_time(clock_seconds(t)); }
std::string date_text(const Date& d) { return format_date(clock_days(d)); }

class Statement;

/// Whether this process may make files in the directory of `file` (SQLite's -wal and -shm).
bool can_make_files_beside(const std::filesystem::path& file) { return ::access(directory_of(file).c_str(), W_OK) == 0; }

/// One connection, closed with the object. Every failure is an io_error naming the file (a busy
/// database, a read-only file, a full disk) unless the caller knows better.
class Database {
 public:
  /// How a connection opens its file. `unchanging` reads a book that nobody can be writing as we
  /// read (SQLite's immutable=1: no locks, no -wal and -shm files to make).
  enum class Open : std::uint8_t { read_write, create, unchanging };

  Database(const std::filesystem::path& file, Open how) : file_(file) {
    const int flags = SQLITE_OPEN_NOMUTEX | (how == Open::unchanging ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                                             : how == Open::create  ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                                                                    : SQLITE_OPEN_READWRITE);
    const std::string name = how == Open::unchanging ? immutable_uri(file) : file.string();
    if (sqlite3_open_v2(name.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      // The handle exists even when opening failed; it is closed once the error has its message.
      struct Closer {
        sqlite3*& db;
        ~Closer() { sqlite3_close_v2(std::exchange(db, nullptr)); }
      } closer{db_};
      fail("cannot open the book database");
    }
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    sqlite3_extended_result_codes(db_, 1);
  }
  ~Database() { sqlite3_close_v2(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(std::string("cannot run ") + first_words(sql));
  }
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
  [[noreturn]] void fail(const std::string& what) const {
    const int code = db_ ? sqlite3_extended_errcode(db_) : SQLITE_CANTOPEN;
    // SQLite quotes what it read, and a damaged file holds any bytes: shown escaped, as a book's text is.
    const std::string message = db_ ? detail::escape_controls(sqlite3_errmsg(db_)) : "out of memory";
    if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT)
      throw validation_error(file_.string(), "not a kontingent book database (" + message + ")");
    if ((code & 0xff) == SQLITE_READONLY && !can_make_files_beside(file_))
      throw io_error(file_.string() + ": cannot save: a change is written beside the book first (" + file_.filename().string() +
                     "-wal), and the directory " + directory_of(file_).string() + " is not writable; nothing was written");
    if ((code & 0xff) == SQLITE_BUSY)
      throw io_error(file_.string() + ": another writer has held the book for " + std::to_string(busy_timeout_ms) +
                     " ms; nothing was written");
    throw io_error(file_.string() + ": " + what + ": " + message);
  }
  sqlite3* handle() const noexcept { return db_; }
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  static std::string immutable_uri(const std::filesystem::path& file) {
    std::string uri = "file:";
    for (const unsigned char c : std::filesystem::absolute(file).string()) {
      if (std::isalnum(c) || std::strchr("/-._~", c)) {
        uri += static_cast<char>(c);
      } else {
        constexpr const char* hex = "0123456789ABCDEF";
        uri += {'%', hex[c >> 4], hex[c & 15]};
      }
    }
    return uri + "?immutable=1";
  }
  static std::string first_words(const char* sql) {
    std::string s(sql, strnlen(sql, 40));
    return s.substr(0, s.find_first_of("\n("));
  }
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
};

/// A prepared statement: bind, step through the rows, read columns.
class Statement {
 public:
  Statement(Database& db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &statement_, nullptr) != SQLITE_OK) db.fail("cannot read the book database");
  }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(statement_, i, v)); }
  Statement& bind(int i, std::string_view v) {
    return check(sqlite3_bind_text(statement_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Statement& bind_null(int i) { return check(sqlite3_bind_null(statement_, i)); }
  /// Binds `bytes` as a BLOB without copying them: they must live until the statement is run.
  Statement& bind_blob(int i, std::string_view bytes) {
    return check(sqlite3_bind_blob64(statement_, i, bytes.data(), bytes.size(), SQLITE_STATIC));
  }
  template <class T, class F>
  Statement& bind(int i, const std::optional<T>& v, F&& convert) {
    return v ? bind(i, convert(*v)) : bind_null(i);
  }
  /// Runs the statement to its next row: true while there is one.
  bool step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) db_.fail("cannot read or write the book database");
    return false;
  }
  /// Runs a statement that returns no rows, then readies it for the next bindings.
  void run() {
    step();
    reset();
  }
  void reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  bool null(int i) const { return sqlite3_column_type(statement_, i) == SQLITE_NULL; }
  sqlite3_stmt* handle() const noexcept { return statement_; }
  std::int64_t integer(int i) const { return sqlite3_column_int64(statement_, i); }
  std::string_view text(int i) const { return text_or_null(i).value_or(std::string_view{}); }
  /// The text of column `i`, none for NULL: one call, where null() and text() would be two.
  std::optional<std::string_view> text_or_null(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(statement_, i));
    if (!p) return std::nullopt;
    return std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(statement_, i)));
  }
  template <class T, class F>
  std::optional<T> optional(int i, F&& convert) const {
    if (null(i)) return std::nullopt;
    return convert(i);
  }

 private:
  Statement& check(int rc) {
    if (rc != SQLITE_OK) db_.fail("cannot bind a value");
    return *this;
  }
  Database& db_;
  sqlite3_stmt* statement_ = nullptr;
};

// ---- reading values back: a row that does not read is a damaged database -----------------------

[[noreturn]] void damaged(const Database& db, const std::string& where, const std::string& rule) {
  throw validation_error(db.file().string() + ": " + where, rule);
}

Time time_of(const Database& db, std::string_view text, const std::string& where) {
  std::string rule;
  const ClockSeconds t = parse_time(text, rule);
  if (!rule.empty()) damaged(db, where, rule);
  return to_time(t);
}
Date date_of(const Database& db, std::string_view text, const std::string& where) {
  std::string rule;
  const ClockDays d = parse_date(text, rule);
  if (!rule.empty()) damaged(db, where, rule);
  return to_date(d);
}
/// A number of the database within the book's limits (limits.hpp), as every reader keeps them: a
/// value beyond them would overflow the evaluation's sums, so it is refused, not read.
std::int64_t bounded(const Database& db, std::int64_t value, std::int64_t max, const std::string& where) {
  if (value > max || value < -max) damaged(db, where, std::to_string(value) + " is out of range (at most " + std::to_string(max) + ")");
  return value;
}

template <class Enum>
Enum word_of(const Database& db, std::string_view text, const std::string& where) {
  if (const auto e = from_name<Enum>(text)) return *e;
  damaged(db, where, "unknown word \"" + std::string(text) + "\" (expected " + names_list<Enum>() + ")");
}

/// A VAT in three columns from `first` on: category, percent × 10^6, exemption reason; all NULL without one.
void bind_vat(Statement& q, int first, const std::optional<Vat>& vat) {
  if (!vat) {
    q.bind_null(first).bind_null(first + 1).bind_null(first + 2);
    return;
  }
  q.bind(first, name(vat->category)).bind(first + 1, vat->micro_percent).bind(first + 2, vat->exemption_reason);
}
/// The VAT bind_vat wrote into the row `where`; `place` is where the book keeps it (`owner.vat`).
std::optional<Vat> vat_of(const Database& db, const Statement& q, int first, const std::string& where, const std::string& place) {
  if (q.null(first)) return std::nullopt;
  return Vat{word_of<VatCategory>(db, q.text(first), place + ".category"),
             bounded(db, q.integer(first + 1), 1'000'000 * limits::max_percent, where + "." + sqlite3_column_name(q.handle(), first + 1)),
             std::string(q.text(first + 2))};
}

/// The inserts of the journal's rows, prepared once per change: a book of 10^6 entries is 10^6 steps
/// of one statement, not 10^6 statements.
struct Inserts {
  explicit Inserts(Database& db)
      : entry(db, "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        entry_count(db, "UPDATE engagements SET entry_count = ? WHERE id = ?"),
        request(db, "INSERT INTO requests VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        appointment(db, "INSERT INTO appointments VALUES (?, ?, ?, ?, ?)"),
        invoice(db, "INSERT INTO invoices (engagement, position, id, date, credit_note, refers_to, due) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        line(db, "INSERT INTO invoice_lines VALUES (?, ?, ?, ?)"),
        payment(db, "INSERT INTO payments VALUES (?, ?, ?, ?, ?)"),
        block(db, "INSERT INTO entry_blocks VALUES (?, ?, ?, ?)") {}
  Statement entry, entry_count, request, appointment, invoice, line, payment, block;
};

/// The rows of one checked event. `shell` is its engagement before the event (its entries need not
/// be there: `entries` says how many it has).
void insert_event(Inserts& insert, const Engagement& shell, std::size_t entries, const Event& event) {
  const Journal& j = shell.journal;
  const auto position = [](std::size_t n) { return static_cast<std::int64_t>(n); };
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, NewEntry>) {
          Statement& q = insert.entry;
          q.bind(1, ev.engagement).bind(2, position(entries)).bind(3, time_text(ev.start)).bind(4, ev.seconds).bind(5, name(ev.kind));
          if (ev.request.empty()) q.bind_null(6);
          else q.bind(6, ev.request);
          q.bind(7, ev.note).bind(8, std::int64_t{ev.written_as_minutes});
          q.run();
        } else if constexpr (std::is_same_v<T, NewRequest>) {
          const Request& r = ev.request;
          Statement& q = insert.request;
          q.bind(1, ev.engagement).bind(2, position(j.requests.size())).bind(3, r.id).bind(4, name(r.kind));
          q.bind(5, time_text(r.received)).bind(6, r.due, time_text).bind(7, r.quote, [](const Money& m) { return m.cents(); });
          q.bind(8, std::int64_t{r.declined});
          q.run();
        } else if constexpr (std::is_same_v<T, NewAppointment>) {
          const Appointment& a = ev.appointment;
          Statement& q = insert.appointment;
          q.bind(1, ev.engagement).bind(2, position(j.appointments.size())).bind(3, time_text(a.at)).bind(4, name(a.status));
          q.bind(5, a.cancelled, time_text);
          q.run();
        } else if constexpr (std::is_same_v<T, NewInvoice>) {
          const Invoice& inv = ev.invoice;
          Statement& q = insert.invoice;
          q.bind(1, ev.engagement).bind(2, position(j.invoices.size())).bind(3, inv.id).bind(4, date_text(inv.date));
          q.bind(5, std::int64_t{inv.credit_note});
          if (inv.refers_to.empty()) q.bind_null(6);
          else q.bind(6, inv.refers_to);
          q.bind(7, inv.due, date_text);
          q.run();
          for (std::size_t l = 0; l < ev.invoice.lines.size(); ++l) {
            insert.line.bind(1, ev.invoice.id).bind(2, position(l)).bind(3, name(ev.invoice.lines[l].category));
            insert.line.bind(4, ev.invoice.lines[l].amount.cents());
            insert.line.run();
          }
        } else {
          Statement& q = insert.payment;
          q.bind(1, ev.engagement).bind(2, position(j.payments.size())).bind(3, ev.payment.invoice);
          q.bind(4, date_text(ev.payment.date)).bind(5, ev.payment.amount.cents());
          q.run();
        }
      },
      event);
}

// ---- reading engagements ------------------------------------------------------------------------

/// The engagements' rows as EngagementReader::shell() reads them, `rest` choosing which and in what order.
std::string engagement_query(int version, const char* rest) {
  return std::string("SELECT position, id, client, title, currency, start, end, review_by, pricing, rate_cents, fixed_price_cents, "
                     "contingent_seconds, contingent_price_cents, rollover_max_seconds, included_rounds, extra_round_price_cents, "
                     "rounding_increment_seconds, rounding_mode, call_free_seconds, call_block_seconds, call_fee_cents, "
                     "rush_lead_seconds, rush_surcharge_micro_percent, no_show_notice_seconds, no_show_fee_cents, ") +
         (version >= 2 ? "vat_category, vat_micro_percent, vat_exemption_reason" : "NULL, NULL, NULL") + ", entry_count FROM engagements " +
         rest;
}

/// At most how many rows the database's file could hold: a row of entries takes more than 8 bytes.
std::size_t file_rows(Database& db) {
  Statement pages(db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size");
  pages.step();
  return static_cast<std::size_t>(std::max<std::int64_t>(pages.integer(0), 0)) / 8;
}

/// An engagement without its entries (what an append checks against), its index in the book and
/// the number of entries its row counts.
struct Shell {
  std::size_t index = 0;
  Engagement engagement;
  std::size_t entries = 0;
};

/// Reads engagements' records with statements prepared once, however many engagements it reads: for
/// an engagement of a few records, preparing a statement costs more than running it.
class EngagementReader {
 public:
  EngagementReader(Database& db, int version)
      : db_(db),
        requests_(db, "SELECT id, kind, received, due, quote_cents, declined FROM requests WHERE engagement = ? ORDER BY position"),
        appointments_(db, "SELECT at, status, cancelled FROM appointments WHERE engagement = ? ORDER BY position"),
        invoices_(db, version >= 2 ? "SELECT id, date, credit_note, refers_to, due FROM invoices WHERE engagement = ? ORDER BY position"
                                   : "SELECT id, date, 0, NULL, NULL FROM invoices WHERE engagement = ? ORDER BY position"),
        lines_(db, "SELECT category, amount_cents FROM invoice_lines WHERE invoice = ? ORDER BY position"),
        payments_(db, "SELECT invoice, date, amount_cents FROM payments WHERE engagement = ? ORDER BY position") {}

  /// The engagement of the current row of `q`, a statement of engagement_query().
  Shell shell(const Statement& q) {
    Database& db = db_;
    const std::string where = "engagements[" + std::to_string(q.integer(0)) + "]";
    const auto index = static_cast<std::size_t>(q.integer(0));
    Engagement e;
    e.id = q.text(1), e.client = q.text(2), e.title = q.text(3);
    if (!Currency::valid(q.text(4))) damaged(db, where + ".currency", "not a currency code");
    e.currency = Currency(q.text(4));
    e.start = date_of(db, q.text(5), where + ".start");
    if (!q.null(6)) e.end = date_of(db, q.text(6), where + ".end");
    if (!q.null(7)) e.review_by = date_of(db, q.text(7), where + ".review_by");
    Terms& t = e.terms;
    // Each number within its limit; a message names the column.
    const auto column = [&](int i) { return where + "." + sqlite3_column_name(q.handle(), i); };
    const auto money = [&](int i) { return Money(bounded(db, q.integer(i), limits::max_cents, column(i)), e.currency); };
    const auto hours = [&](int i) { return bounded(db, q.integer(i), 3600 * limits::max_hours, column(i)); };
    const auto minutes = [&](int i) { return bounded(db, q.integer(i), limits::longest_entry_seconds, column(i)); };
    t.pricing = word_of<Pricing>(db, q.text(8), where + ".terms.pricing");
    t.rate = money(9);
    t.fixed_price = q.optional<Money>(10, money);
    t.contingent = q.optional<Seconds>(11, hours);
    t.contingent_price = q.optional<Money>(12, money);
    t.rollover_max = q.optional<Seconds>(13, hours);
    t.included_rounds = bounded(db, q.integer(14), limits::max_count, column(14));
    t.extra_round_price = q.optional<Money>(15, money);
    if (!q.null(16)) t.rounding = Rounding{minutes(16), word_of<RoundingMode>(db, q.text(17), where + ".terms.rounding.mode")};
    if (!q.null(18)) t.call_fee = CallFee{minutes(18), minutes(19), money(20)};
    if (!q.null(21)) t.rush = Rush{hours(21), bounded(db, q.integer(22), 1'000'000 * limits::max_percent, column(22))};
    if (!q.null(23)) t.no_show = NoShow{hours(23), money(24)};
    t.vat = vat_of(db, q, 25, where, where + ".terms.vat");
    const auto entries = static_cast<std::size_t>(q.integer(28));
    const auto cents = [&](Statement& row, int i, const std::string& place) { return bounded(db, row.integer(i), limits::max_cents, place); };

    Journal& j = e.journal;
    Statement& requests = requests_.bind(1, e.id);
    while (requests.step()) {
      const std::string at = where + ".requests[" + std::to_string(j.requests.size()) + "]";
      Request r{std::string(requests.text(0)), word_of<RequestKind>(db, requests.text(1), at + ".kind"),
                time_of(db, requests.text(2), at + ".received"), {}, {}, requests.integer(5) != 0};
      if (!requests.null(3)) r.due = time_of(db, requests.text(3), at + ".due");
      if (!requests.null(4)) r.quote = Money(cents(requests, 4, at + ".quote_cents"), e.currency);
      j.requests.push_back(std::move(r));
    }
    requests.reset();
    Statement& appointments = appointments_.bind(1, e.id);
    while (appointments.step()) {
      const std::string at = where + ".appointments[" + std::to_string(j.appointments.size()) + "]";
      Appointment a{time_of(db, appointments.text(0), at + ".at"), word_of<AppointmentStatus>(db, appointments.text(1), at + ".status"), {}};
      if (!appointments.null(2)) a.cancelled = time_of(db, appointments.text(2), at + ".cancelled");
      j.appointments.push_back(a);
    }
    appointments.reset();
    Statement& invoices = invoices_.bind(1, e.id);
    while (invoices.step()) {
      const std::string at = where + ".invoices[" + std::to_string(j.invoices.size()) + "]";
      Invoice inv{std::string(invoices.text(0)), date_of(db, invoices.text(1), at + ".date"), {}, invoices.integer(2) != 0,
                  std::string(invoices.text(3)), {}};
      if (!invoices.null(4)) inv.due = date_of(db, invoices.text(4), at + ".due");
      Statement& lines = lines_.bind(1, inv.id);
      while (lines.step())
        inv.lines.push_back({word_of<Category>(db, lines.text(0), at + ".lines.category"), Money(cents(lines, 1, at + ".lines.amount_cents"), e.currency)});
      lines.reset();
      j.invoices.push_back(std::move(inv));
    }
    invoices.reset();
    Statement& payments = payments_.bind(1, e.id);
    while (payments.step()) {
      const std::string at = where + ".payments[" + std::to_string(j.payments.size()) + "]";
      j.payments.push_back({std::string(payments.text(0)), date_of(db, payments.text(1), at + ".date"),
                            Money(cents(payments, 2, at + ".amount_cents"), e.currency)});
    }
    payments.reset();
    return {index, std::move(e), entries};
  }

 private:
  Database& db_;
  Statement requests_, appointments_, invoices_, lines_, payments_;
};

/// Blocks hold at most this many entries: a bigger engagement is packed into several, so that
/// packing or reading one never needs a value of more than a few MB.
constexpr std::size_t block_entries = std::size_t{1} << 16;
/// An append packs the rows after an engagement's blocks once they are this many: reading them
/// costs an append ~2 ms once in a thousand times, and a book that only ever grew by appends is
/// read in blocks of this size (a block costs SQLite about as much as ten rows).
constexpr std::int64_t rows_to_pack = 1024;

/// Reads an engagement's entries: its blocks (schema version 3 on), then the rows after them.
class EntryReader {
 public:
  EntryReader(Database& db, int version)
      : db_(db),
        rows_(db, "SELECT start, seconds, kind, request, note, written_as_minutes FROM entries WHERE engagement = ? AND position >= ? "
                  "ORDER BY position") {
    if (version >= 3) blocks_.emplace(db, "SELECT position, entry_count, entries FROM entry_blocks WHERE engagement = ? ORDER BY position");
  }

  /// The entries of engagement `e` (index `index`, its requests read), whose row counts `count` of them.
  void read(std::size_t index, Engagement& e, std::size_t count) {
    read_rows(index, e, blocks_ ? unpack_blocks(e, count) : 0);
  }

  /// Appends to the entries of `e` (index `index`, its requests read) its rows from `position` on.
  void read_rows(std::size_t index, Engagement& e, std::int64_t position) {
    const Database& db = db_;
    const std::string where = "engagements[" + std::to_string(index) + "].entries";
    Statement& q = rows_.bind(1, e.id).bind(2, position);
    Entries& entries = e.journal.entries;
    const Journal& j = e.journal;
    RequestIndex request = no_request;  // the last one named: an engagement's entries name few, often one after another
    detail::LastMonth last_month;
    while (q.step()) {
      const std::string_view start_text = q.text(0);
      ClockSeconds start = 0;
      if (!detail::parse_clock_time(start_text, start, &last_month)) {  // every valid time reads so: what is left is named
        std::string rule;
        start = detail::parse_time_bytewise(start_text, rule);
        if (!rule.empty()) damaged(db, where, rule);
      }
      const auto kind = from_name<EntryKind>(q.text(2));
      if (!kind) damaged(db, where, "unknown entry kind \"" + std::string(q.text(2)) + "\"");
      RequestIndex r = no_request;
      if (const std::optional<std::string_view> named = q.text_or_null(3)) {  // NULL: no request
        const std::string_view id = *named;
        if (request == no_request || !detail::same_word(j.requests[static_cast<std::size_t>(request)].id, id)) request = j.find_request(id);
        if (request == no_request) damaged(db, where, "unknown request \"" + std::string(id) + "\"");
        r = request;
      }
      const Seconds seconds = q.integer(1);
      if (seconds > limits::longest_entry_seconds || seconds < -limits::longest_entry_seconds)
        bounded(db, seconds, limits::longest_entry_seconds, where + ".seconds");
      // Most entries have no note: its length first spares reading the empty text.
      const auto note_bytes = static_cast<std::size_t>(sqlite3_column_bytes(q.handle(), 4));
      const std::string_view note = note_bytes == 0 ? std::string_view{} : q.text(4);
      entries.push_back(start, seconds, *kind, r, note, q.integer(5) != 0);
    }
    q.reset();
  }

 private:
  /// Unpacks into `e` the blocks of its entries, which must follow each other from the first entry
  /// on; the position of the first entry they do not hold. If one does not, the rows are read from
  /// the first: a block is a copy, and a damaged copy is no reason to refuse the rows.
  std::int64_t unpack_blocks(Engagement& e, std::size_t count) {
    Statement& q = blocks_->bind(1, e.id);
    std::int64_t covered = 0;
    while (q.step()) {
      const std::int64_t position = q.integer(0), n = q.integer(1);
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(q.handle(), 2));
      const std::string_view block(bytes, static_cast<std::size_t>(sqlite3_column_bytes(q.handle(), 2)));
      if (position != covered || n <= 0 || n > static_cast<std::int64_t>(count) - covered ||
          !unpack_entries(block, static_cast<std::size_t>(n), e.journal.requests.size(), e.journal.entries)) {
        e.journal.entries = Entries{};
        covered = 0;
        break;
      }
      covered += n;
    }
    q.reset();
    return covered;
  }

  Database& db_;
  Statement rows_;
  std::optional<Statement> blocks_;
};

/// Packs `entries`, the entries of engagement `engagement` from `position` on, into new rows of
/// entry_blocks through `insert`, a statement of four parameters.
void insert_blocks(Statement& insert, const std::string& engagement, const Entries& entries, std::int64_t position) {
  for (std::size_t first = 0; first < entries.size(); first += block_entries) {
    const std::size_t n = std::min(block_entries, entries.size() - first);
    const std::string block = pack_entries(entries, first, n);
    insert.bind(1, engagement).bind(2, position + static_cast<std::int64_t>(first)).bind(3, static_cast<std::int64_t>(n));
    insert.bind_blob(4, block).run();
  }
}

/// The engagements at positions `first` to `last`, in the book's order, with their entries, read
/// through `db`. Their columns are reserved for the entries their rows count, but never for more rows
/// than the file could hold: a damaged count is no reason to allocate.
std::vector<Engagement> read_engagements(Database& db, int version, std::int64_t first, std::int64_t last) {
  Statement q(db, engagement_query(version, "WHERE position BETWEEN ? AND ? ORDER BY position").c_str());
  q.bind(1, first).bind(2, last);
  EngagementReader reader(db, version);
  EntryReader entries(db, version);
  std::size_t room = file_rows(db);
  std::vector<Engagement> engagements;
  while (q.step()) {
    auto [index, e, count] = reader.shell(q);
    if (count <= room) e.journal.entries.reserve(count), room -= count;
    entries.read(index, e, count);
    engagements.push_back(std::move(e));
  }
  return engagements;
}

/// The position of the engagement, after the first, where the second half of the book's entries
/// begins, as the engagements' rows count them; none without a second engagement.
std::optional<std::int64_t> second_half(Database& db) {
  Statement q(db, "SELECT position, entry_count FROM engagements ORDER BY position");
  std::vector<std::pair<std::int64_t, double>> rows;  // a damaged count may be any integer: the sums are approximate
  double total = 0;
  while (q.step()) {
    rows.emplace_back(q.integer(0), std::max(0.0, static_cast<double>(q.integer(1))));
    total += rows.back().second;
  }
  double before = 0;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if ((before += rows[i - 1].second) >= total / 2) return rows[i].first;
  return std::nullopt;
}

// ---- the store ----------------------------------------------------------------------------------

class KdbStore final : public BookStore {
 public:
  explicit KdbStore(std::filesystem::path file) : file_(std::move(file)) {}
  const std::filesystem::path& file() const noexcept override { return file_; }

  Book load() const override {
    std::error_code ec;
    if (!std::filesystem::exists(file_, ec)) throw io_error(file_.string() + ": cannot read the book file (" + std::strerror(ENOENT) + ")");
    // A book read as an unchanging file has no lock to keep a writer's checkpoint out of the read:
    // the file is looked at before and after, and read again if it changed meanwhile.
    for (int attempt = 1;; ++attempt) {
      if (unchanging_) db_.reset();  // its pages are cached as if they could not change
      const FileStamp before = stamp(following_links(file_));
      Book book = load_once();
      if (!unchanging_ || stamp(following_links(file_)) == before) return book;
      if (attempt == 3)
        throw io_error(file_.string() + ": the book changed each time it was read (another user is recording into it); read it again");
    }
  }

  Book load_once() const {
    Database& db = open(false);
    // One read transaction: every table is read as of the same commit, and locked once, not per statement.
    const bool own_transaction = !db.in_transaction();
    auto [helper, helper_version] = open_helper();
    // Pages are read() into SQLite's small page cache, used again and again, not mapped: with the
    // entries in blocks, mapping the file's pages cost more than copying them (docs/performance.md, row 6).
    if (own_transaction) db.exec("BEGIN");
    try {
      const int version = check_schema(db);  // its read begins db's snapshot
      // The helper reads what db reads only if no commit came between its two data versions, and
      // so none between db's snapshot and its own: the book is read as of one commit, or by db alone.
      if (helper) {
        try {
          helper->exec("BEGIN");
          if (data_version(*helper) != helper_version) helper.reset();
        } catch (const std::exception&) {
          helper.reset();
        }
      }
      Book book = read_book(db, version, helper.get());
      if (own_transaction) db.exec("COMMIT");
      return book;
    } catch (...) {
      if (own_transaction && db.in_transaction()) sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void save(const Book& book) override {
    std::error_code ec;
    // A file that never held a book — new here, or made by lock() for this save — is not left behind.
    const bool fresh = created_ || (!db_ && !std::filesystem::exists(file_, ec));
    try {
      validate(book);  // a book that would not load again is not written
      refuse_read_only_unless_told();
      write_whole(book);
      created_ = false;
    } catch (...) {
      if (fresh) {  // a new file that never held a book is not left behind
        // Under the caller's lock the connection stays open (the lock releases through it) on the
        // unlinked file; otherwise it is closed first.
        if (!db_ || !db_->in_transaction()) db_.reset();
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(following_links(file_).string() + suffix, ec);
      }
      throw;
    }
  }

  void write_whole(const Book& book) {
    Database& db = open(true);
    const bool own_transaction = !db.in_transaction();
    if (own_transaction) db.exec("BEGIN IMMEDIATE");
    try {
      if (has_schema(db)) upgrade(db);
      else {
        refuse_foreign_tables(db);
        create_schema(db);
      }
      // Every row and every block is written anew: the triggers that drop the blocks a changed row
      // touches would run once per row for nothing (they doubled a save's time), so they are set
      // aside until the rows are written, in the same transaction.
      const std::vector<std::string> triggers = set_aside_block_triggers(db);
      for (const char* table : {"entry_blocks", "invoice_lines", "payments", "invoices", "appointments", "entries", "requests", "engagements",
                                "clients", "owner"})
        db.exec((std::string("DELETE FROM ") + table).c_str());
      write_book(db, book);
      for (const std::string& trigger : triggers) db.exec(trigger.c_str());
      db.exec("COMMIT");
    } catch (...) {
      if (db.in_transaction()) sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  /// Drops the triggers of schema version 3 that keep entry_blocks true, and returns the statements
  /// that make them again.
  static std::vector<std::string> set_aside_block_triggers(Database& db) {
    std::vector<std::pair<std::string, std::string>> triggers;  // name, statement
    Statement q(db, (std::string("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (") + block_triggers + ")").c_str());
    while (q.step()) triggers.emplace_back(q.text(0), q.text(1));
    q.reset();
    std::vector<std::string> statements;
    for (const auto& [name, sql] : triggers) {
      db.exec(("DROP TRIGGER " + name).c_str());
      statements.push_back(sql);
    }
    return statements;
  }

  BookLock lock(std::chrono::milliseconds timeout) override {
    refuse_read_only_unless_told();
    Database& db = open(true);
    sqlite3_busy_timeout(db.handle(), static_cast<int>(timeout.count()));
    const int rc = sqlite3_exec(db.handle(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(db.handle(), busy_timeout_ms);
    if ((rc & 0xff) == SQLITE_BUSY)
      throw io_error(file_.string() + ": another writer has held the book for " + std::to_string(timeout.count()) +
                     " ms; nothing was written");
    if (rc != SQLITE_OK) db.fail("cannot lock the book");
    return BookLock([&db] {
      if (db.in_transaction()) sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    });
  }

  std::vector<std::string> record(Book& book, std::span<const Event> events) override {
    Database& db = open(true);
    std::vector<std::string> places = record_all(book, events);  // checks every event first, against the loaded book
    upgrade(db);  // in the lock's transaction
    insert_events(db, events);
    db.exec("COMMIT");
    return places;
  }

  std::vector<std::string> append(std::span<const Event> events) override {
    refuse_read_only_unless_told();
    Database& db = open(false);
    db.exec("BEGIN IMMEDIATE");
    try {
      upgrade(db);
      std::vector<std::string> places;
      // Each engagement an event touches is read without its entries: what the checks need.
      Inserts insert(db);
      std::unordered_map<std::string, Shell> shells;
      for (const Event& event : events) {
        const std::string& id = engagement_of(event);
        auto found = shells.find(id);
        if (found == shells.end()) found = shells.emplace(id, read_shell(db, id, schema_version)).first;
        auto& [index, shell, entries] = found->second;
        const EventContext context{"engagements[" + std::to_string(index) + "]", entries,
                                   [&](const std::string& invoice) { return invoice_taken(db, invoice); }};
        places.push_back(check_event(shell, context, event));
        insert_event(insert, shell, entries, event);
        append_event(shell, event);
        if (std::holds_alternative<NewEntry>(event)) {
          shell.journal.entries = Entries{};  // the shell keeps requests and invoices, never entries
          insert.entry_count.bind(1, static_cast<std::int64_t>(++entries)).bind(2, id);
          insert.entry_count.run();
        }
      }
      pack_rows(db, insert.block, shells);
      db.exec("COMMIT");
      return places;
    } catch (...) {
      if (db.in_transaction()) sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::optional<RunningTimer> running_timer() const override {
    std::error_code ec;
    if (!std::filesystem::exists(file_, ec)) return std::nullopt;
    Database& db = open(false);
    check_schema(db);
    Statement q(db, "SELECT engagement, start, kind, request, note FROM timer");
    if (!q.step()) return std::nullopt;
    return RunningTimer{std::string(q.text(0)), time_of(db, q.text(1), "timer.start"), word_of<EntryKind>(db, q.text(2), "timer.kind"),
                        std::string(q.text(3)), std::string(q.text(4))};
  }

  void set_running_timer(const std::optional<RunningTimer>& timer) override {
    Database& db = open(false);
    // The caller holds the lock, whose transaction is still open unless record() committed it: the
    // timer is committed here either way, never rolled back when the lock is released.
    if (!db.in_transaction()) db.exec("BEGIN IMMEDIATE");
    try {
      upgrade(db);
      db.exec("DELETE FROM timer");
      if (timer) {
        Statement q(db, "INSERT INTO timer VALUES (1, ?, ?, ?, ?, ?)");
        q.bind(1, timer->engagement).bind(2, time_text(timer->start)).bind(3, name(timer->kind)).bind(4, timer->request).bind(5, timer->note);
        q.run();
      }
      db.exec("COMMIT");
    } catch (...) {
      if (db.in_transaction()) sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

 private:
  /// The connection, opened on first use; WAL lets readers read while a writer commits.
  /// Root may write a file whatever its mode: the owner's `chmod a-w` is honoured here, as by the
  /// whole-file stores.
  void refuse_read_only_unless_told() const {
    if (read_only_ == ReadOnly::refuse) refuse_read_only(file_);
  }

  Database& open(bool create) const {
    if (!db_) {
      std::error_code ec;
      const bool fresh = !std::filesystem::exists(file_, ec);
      if (fresh && !create) throw io_error(file_.string() + ": cannot read the book file (" + std::strerror(ENOENT) + ")");
      const std::filesystem::path file = following_links(file_);
      if (fresh) refuse_missing_directory(file);  // SQLite would only say "unable to open database file"
      const Database::Open how = create ? Database::Open::create : how_to_read(file);
      unchanging_ = how == Database::Open::unchanging;
      db_ = std::make_unique<Database>(file, how);
      created_ = fresh;
      db_->exec("PRAGMA foreign_keys = ON");
      if (fresh) db_->exec("PRAGMA journal_mode = WAL");
    }
    return *db_;
  }

  /// A reader of WAL mode makes the -wal and -shm files beside the book if they are not there (its
  /// writers remove them when the last one closes). Where it cannot — someone else's book in their
  /// directory, a read-only mount — and there are none, nobody is writing the book as it is opened:
  /// it is read as an unchanging file (load() reads it again if a writer changed it meanwhile). With
  /// a -wal there, a writer is at work, and SQLite's own open says what it can.
  static Database::Open how_to_read(const std::filesystem::path& file) {
    std::error_code ec;
    if (can_make_files_beside(file) || std::filesystem::exists(file.string() + "-wal", ec) || std::filesystem::exists(file.string() + "-shm", ec))
      return Database::Open::read_write;
    return Database::Open::unchanging;
  }

  /// A second connection that reads half the entries of a big book on another core, with its data
  /// version before the load; none for a small book, on one core, in the caller's transaction
  /// (whose changes only db sees) or when it fails: db alone reads the book then.
  std::pair<std::unique_ptr<Database>, std::int64_t> open_helper() const {
    constexpr std::uintmax_t big = 8 << 20;  // bytes: about 10^5 entries
    std::error_code ec;
    const std::filesystem::path file = following_links(file_);
    if (db_->in_transaction() || std::thread::hardware_concurrency() < 2 || std::filesystem::file_size(file, ec) < big || ec) return {};
    try {
      auto helper = std::make_unique<Database>(file, how_to_read(file));
      const std::int64_t version = data_version(*helper);
      return {std::move(helper), version};
    } catch (const std::exception&) {
      return {};
    }
  }

  /// Changes whenever another connection has committed since the connection last read.
  static std::int64_t data_version(Database& db) {
    Statement q(db, "PRAGMA data_version");
    q.step();
    return q.integer(0);
  }

  static bool has_schema(Database& db) {
    Statement q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    q.step();
    return q.integer(0) == 1;
  }

  /// A database without kontingent's tables but with others is another program's: a save would
  /// put a book beside its data, and a later save of a book would not know whose tables they are.
  void refuse_foreign_tables(Database& db) const {
    Statement q(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    std::string names;
    std::size_t count = 0;
    while (q.step())
      if (++count <= 5) names += (names.empty() ? "" : ", ") + detail::escape_controls(q.text(0));
    if (count > 5) names += " and " + std::to_string(count - 5) + " more";
    if (count > 0)
      throw validation_error(file_.string(), "not a kontingent book database (a SQLite database with other tables: " + names +
                                                 "); nothing was written, save the book to a new file");
  }

  static void create_schema(Database& db) {
    if (sqlite3_exec(db.handle(), schema_1, nullptr, nullptr, nullptr) != SQLITE_OK) db.fail("cannot create the book's tables");
    migrate(db, 1);
  }

  /// Brings the tables of schema version `from` to the current one, in the caller's transaction.
  static void migrate(Database& db, int from) {
    for (int v = from; v < schema_version; ++v)
      if (sqlite3_exec(db.handle(), migrations[static_cast<std::size_t>(v - 1)], nullptr, nullptr, nullptr) != SQLITE_OK)
        db.fail("cannot migrate the book database from schema version " + std::to_string(v) + " to " + std::to_string(v + 1));
  }

  /// Before a write, in its transaction: an older database is migrated first, so that a write that
  /// fails leaves it as it was, in its old version.
  void upgrade(Database& db) const { migrate(db, check_schema(db)); }

  /// The database's schema version, which this kontingent reads.
  int check_schema(Database& db) const {
    Statement version(db, "PRAGMA user_version");
    version.step();
    const std::int64_t v = version.integer(0);
    if (v > schema_version)
      throw validation_error(file_.string(), "the book database has schema version " + std::to_string(v) +
                                                 ", newer than this kontingent reads (" + std::to_string(schema_version) +
                                                 "): update kontingent");
    if (v < 1 || !has_schema(db))
      throw validation_error(file_.string(), "not a kontingent book database (a SQLite database without kontingent's tables)");
    return static_cast<int>(v);
  }

  // -- whole book --

  /// The book of a database of schema `version`; what an older version has no column for reads as
  /// a book of its time had it (its NULLs and defaults are those the migrations give).
  Book read_book(Database& db, int version, Database* helper) const {
    Book book;
    Statement clients(db, version >= 2 ? "SELECT id, name, channel, street, postcode, city, country, vat_id, email, buyer_reference, "
                                         "payment_days FROM clients ORDER BY position"
                                       : "SELECT id, name, channel, NULL, NULL, NULL, NULL, '', '', '', NULL FROM clients ORDER BY position");
    while (clients.step()) {
      const std::string where = "clients[" + std::to_string(book.clients.size()) + "]";
      Client c;
      c.id = clients.text(0), c.name = clients.text(1), c.channel = clients.text(2);
      if (!clients.null(5)) c.address = Address{std::string(clients.text(3)), std::string(clients.text(4)), std::string(clients.text(5)),
                                                std::string(clients.text(6))};
      c.vat_id = clients.text(7), c.email = clients.text(8), c.buyer_reference = clients.text(9);
      if (!clients.null(10)) c.payment_days = bounded(db, clients.integer(10), limits::max_count, where + ".payment_days");
      book.clients.push_back(std::move(c));
    }
    if (version >= 2) {
      Statement owner(db, "SELECT name, street, postcode, city, country, vat_id, tax_number, email, iban, invoice_prefix, vat_category, "
                          "vat_micro_percent, vat_exemption_reason FROM owner");
      if (owner.step()) {
        const auto text = [&](int i) { return std::string(owner.text(i)); };
        book.owner = Owner{text(0), Address{text(1), text(2), text(3), text(4)}, text(5), text(6), text(7), text(8), text(9),
                           vat_of(db, owner, 10, "owner", "owner.vat")};
      }
    }
    // A helper reads the engagements from where the second half of the entries begins, db those before.
    constexpr std::int64_t first = std::numeric_limits<std::int64_t>::min(), last = std::numeric_limits<std::int64_t>::max();
    const std::optional<std::int64_t> split = helper ? second_half(db) : std::nullopt;
    std::vector<Engagement> later;
    std::exception_ptr helper_failure;
    std::jthread other;
    if (split)
      other = std::jthread([&] {
        try {
          later = read_engagements(*helper, version, *split, last);
        } catch (...) {
          helper_failure = std::current_exception();
        }
      });
    book.engagements = read_engagements(db, version, first, split ? *split - 1 : last);
    if (other.joinable()) other.join();
    // db's engagements, which come first, read without an error: the helper's is the book's first.
    if (helper_failure) std::rethrow_exception(helper_failure);
    std::move(later.begin(), later.end(), std::back_inserter(book.engagements));
    try {
      validate(book);
    } catch (const validation_error& e) {
      throw e.within(file_.string());
    }
    return book;
  }

  void write_book(Database& db, const Book& book) const {
    Inserts insert(db);
    if (const auto& o = book.owner) {
      Statement owner(db, "INSERT INTO owner (one, name, street, postcode, city, country, vat_id, tax_number, email, iban, invoice_prefix, "
                          "vat_category, vat_micro_percent, vat_exemption_reason) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      owner.bind(1, o->name).bind(2, o->address.street).bind(3, o->address.postcode).bind(4, o->address.city).bind(5, o->address.country);
      owner.bind(6, o->vat_id).bind(7, o->tax_number).bind(8, o->email).bind(9, o->iban).bind(10, o->invoice_prefix);
      bind_vat(owner, 11, o->vat);
      owner.run();
    }
    Statement client(db, "INSERT INTO clients (position, id, name, channel, street, postcode, city, country, vat_id, email, "
                         "buyer_reference, payment_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < book.clients.size(); ++i) {
      const Client& c = book.clients[i];
      client.bind(1, static_cast<std::int64_t>(i)).bind(2, c.id).bind(3, c.name).bind(4, c.channel);
      if (c.address) client.bind(5, c.address->street).bind(6, c.address->postcode).bind(7, c.address->city).bind(8, c.address->country);
      else client.bind_null(5).bind_null(6).bind_null(7).bind_null(8);
      client.bind(9, c.vat_id).bind(10, c.email).bind(11, c.buyer_reference).bind(12, c.payment_days, [](std::int64_t days) { return days; });
      client.run();
    }
    Statement engagement(db, "INSERT INTO engagements (position, id, client, title, currency, start, end, review_by, pricing, rate_cents, "
                             "fixed_price_cents, contingent_seconds, contingent_price_cents, rollover_max_seconds, included_rounds, "
                             "extra_round_price_cents, rounding_increment_seconds, rounding_mode, call_free_seconds, call_block_seconds, "
                             "call_fee_cents, rush_lead_seconds, rush_surcharge_micro_percent, no_show_notice_seconds, no_show_fee_cents, "
                             "vat_category, vat_micro_percent, vat_exemption_reason) "
                             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (std::size_t i = 0; i < book.engagements.size(); ++i) {
      const Engagement& e = book.engagements[i];
      const Terms& t = e.terms;
      const auto cents = [](const Money& m) { return m.cents(); };
      const auto seconds = [](Seconds s) { return std::int64_t{s}; };
      engagement.bind(1, static_cast<std::int64_t>(i)).bind(2, e.id).bind(3, e.client).bind(4, e.title).bind(5, e.currency.code());
      engagement.bind(6, date_text(e.start)).bind(7, e.end, date_text).bind(8, e.review_by, date_text);
      engagement.bind(9, name(t.pricing)).bind(10, t.rate.cents()).bind(11, t.fixed_price, cents).bind(12, t.contingent, seconds);
      engagement.bind(13, t.contingent_price, cents).bind(14, t.rollover_max, seconds).bind(15, t.included_rounds);
      engagement.bind(16, t.extra_round_price, cents);
      if (t.rounding) engagement.bind(17, t.rounding->increment).bind(18, name(t.rounding->mode));
      else engagement.bind_null(17).bind_null(18);
      if (t.call_fee) engagement.bind(19, t.call_fee->free).bind(20, t.call_fee->block).bind(21, t.call_fee->fee.cents());
      else engagement.bind_null(19).bind_null(20).bind_null(21);
      if (t.rush) engagement.bind(22, t.rush->lead).bind(23, t.rush->surcharge_micro_percent);
      else engagement.bind_null(22).bind_null(23);
      if (t.no_show) engagement.bind(24, t.no_show->notice).bind(25, t.no_show->fee.cents());
      else engagement.bind_null(24).bind_null(25);
      bind_vat(engagement, 26, t.vat);
      engagement.run();
      // The journal goes in through the same inserts as appended events, in the book's order.
      Engagement shell;
      shell.id = e.id;
      const Journal& j = e.journal;
      for (const Request& r : j.requests) {
        const Event event = NewRequest{e.id, r};
        insert_event(insert, shell, 0, event);
        append_event(shell, event);
      }
      for (std::size_t k = 0; k < j.entries.size(); ++k) {
        const Entry entry = j.entries[k];
        const std::string request = entry.request == no_request ? "" : j.requests[static_cast<std::size_t>(entry.request)].id;
        insert_event(insert, shell, k, NewEntry{e.id, entry.start, entry.seconds, entry.kind, request, entry.note, entry.written_as_minutes});
      }
      insert.entry_count.bind(1, static_cast<std::int64_t>(j.entries.size())).bind(2, e.id);
      insert.entry_count.run();
      insert_blocks(insert.block, e.id, j.entries, 0);
      std::vector<Event> rest;
      for (const Appointment& a : j.appointments) rest.push_back(NewAppointment{e.id, a});
      for (const Invoice& inv : j.invoices) rest.push_back(NewInvoice{e.id, inv});
      for (const Payment& p : j.payments) rest.push_back(NewPayment{e.id, p});
      for (const Event& event : rest) {
        insert_event(insert, shell, 0, event);
        append_event(shell, event);
      }
    }
  }

  // -- one engagement --

  /// The engagement `id` with its terms, requests, appointments, invoices and payments, but no
  /// entries, its index in the book and its number of entries.
  static Shell read_shell(Database& db, const std::string& id, int version) {
    Statement q(db, engagement_query(version, "WHERE id = ?").c_str());
    q.bind(1, id);
    if (!q.step()) throw validation_error("", "the book has no engagement \"" + id + "\"");
    return EngagementReader(db, version).shell(q);
  }

  static bool invoice_taken(Database& db, const std::string& invoice) {
    Statement q(db, "SELECT 1 FROM invoices WHERE id = ?");
    q.bind(1, invoice);
    return q.step();
  }

  /// Inserts events recorded in memory already: each one's engagement is read before it (without
  /// entries), as append() does.
  void insert_events(Database& db, std::span<const Event> events) const {
    Inserts insert(db);
    std::unordered_map<std::string, Shell> before;
    for (const Event& event : events) {
      const std::string& id = engagement_of(event);
      auto found = before.find(id);
      if (found == before.end()) found = before.emplace(id, read_shell(db, id, schema_version)).first;
      auto& [index, shell, entries] = found->second;
      insert_event(insert, shell, entries, event);
      append_event(shell, event);
      if (std::holds_alternative<NewEntry>(event)) {
        shell.journal.entries = Entries{};
        insert.entry_count.bind(1, static_cast<std::int64_t>(++entries)).bind(2, id);
        insert.entry_count.run();
      }
    }
    pack_rows(db, insert.block, before);
  }

  /// After a change, packs the rows of each engagement of `shells` (as append() keeps them: its
  /// requests and count of entries after the change, no entries) that follow its blocks once they
  /// are rows_to_pack or more. Rows that do
  /// not read stay rows: the change is made, and reading the book names what is wrong with them.
  static void pack_rows(Database& db, Statement& insert, std::unordered_map<std::string, Shell>& shells) {
    std::optional<Statement> covered;
    std::optional<EntryReader> rows;
    for (auto& [id, shell] : shells) {
      if (static_cast<std::int64_t>(shell.entries) < rows_to_pack) continue;
      if (!covered) covered.emplace(db, "SELECT coalesce(max(position + entry_count), 0) FROM entry_blocks WHERE engagement = ?");
      covered->bind(1, id).step();
      const std::int64_t from = covered->integer(0);
      covered->reset();
      if (static_cast<std::int64_t>(shell.entries) - from < rows_to_pack) continue;
      if (!rows) rows.emplace(db, schema_version);
      Engagement& e = shell.engagement;
      try {
        rows->read_rows(shell.index, e, from);
      } catch (const validation_error&) {
        e.journal.entries = Entries{};
        rows.reset();  // its statement stopped mid-way
        continue;
      }
      insert_blocks(insert, id, e.journal.entries, from);
      e.journal.entries = Entries{};
    }
  }

  /// What tells one version of a file from the next: a checkpoint writes it in place.
  struct FileStamp {
    std::int64_t size = -1, seconds = 0, nanoseconds = 0, inode = 0;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
  };
  static FileStamp stamp(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return {};
    return {st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, static_cast<std::int64_t>(st.st_ino)};
  }

  std::filesystem::path file_;
  mutable std::unique_ptr<Database> db_;
  mutable bool created_ = false;     ///< db_ made the file, which holds no book yet
  mutable bool unchanging_ = false;  ///< db_ reads the file as one nobody changes (how_to_read)
};

}  // namespace

BookFormat kdb_book_format() {
  return {".kdb", "SQLite database: for recording, with many writers at once", std::string_view("SQLite format 3\0", 16),
          [](const std::filesystem::path& file) -> std::unique_ptr<BookStore> { return std::make_unique<KdbStore>(file); }};
}

}  // namespace kontingent::detail
