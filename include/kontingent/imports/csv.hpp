#pragma once
// Time-tracker exports in (Toggl Track, Clockify, Harvest, Kimai, ledger/hledger timeclock) and
// entries out as CSV. Declarations only: the readers live in src/imports/import_*.cpp, so including this
// header costs no parser and no <regex>.
//
// Importing is three steps, each usable on its own (the Python module binds each):
//   read_tracker()  file → TrackerExport: the rows as the tracker wrote them, normalised (times,
//                   durations, tags), with the rows it skipped counted by reason; no book needed.
//   map_rows()      TrackerExport + Book + Mapping → ImportResult: which engagement and kind each
//                   row is, which requests it names, which rows the book already has.
//   apply_import()  Book + ImportResult → a new, validated Book; the given book is not touched.
// import_entries() does the first two; import_file() all three plus loading and the atomic save.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/record.hpp"

namespace kontingent {

/// The time trackers whose exports kontingent reads (docs/import.md has their columns).
enum class Tracker : std::uint8_t { toggl, clockify, harvest, kimai, timeclock };

template <>
struct enum_names<Tracker> {
  static constexpr std::array<std::string_view, 5> values{"toggl", "clockify", "harvest", "kimai", "timeclock"};
};

/// The tool's own name for messages: "Toggl Track", "Clockify", …
std::string_view display_name(Tracker tracker) noexcept;

// ---------------------------------------------------------------------------------------------
// CSV as text

/// One record of a CSV file: its fields (quotes removed), where it starts and where each field starts
/// (lines and columns count from 1; columns count characters, not bytes).
struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::vector<std::size_t> columns;  ///< column of each field's first character (its quote, if quoted)
  std::size_t end_column = 0;        ///< column just after the record's last character
};

/// Reads RFC 4180 CSV: a UTF-8 byte-order mark is dropped; fields may be quoted, with `""` for a
/// quote and line breaks inside; lines end in LF or CRLF; blank lines are skipped. The separator is
/// `,` unless the first line has more `;` or tabs outside quotes (spreadsheets in German locales).
/// Throws import_error naming `file` on an unterminated quote or text after a closing quote.
std::vector<CsvRecord> parse_csv(std::string_view text, std::string_view file);

/// One field for a CSV file that spreadsheet programs open as text, never as a formula: a value
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`; a value with a
/// comma, quote or line break is quoted (RFC 4180).
std::string csv_field(std::string_view value);

/// Every entry of the book, one row each, in book order:
/// `engagement,client,date,start,end,seconds,hours,kind,request,note`. Times are written
/// `YYYY-MM-DD HH:MM:SS` (spreadsheets recognise them), hours with 2 decimals. Text fields go
/// through csv_field. With `byte_order_mark`, the text starts with a UTF-8 BOM so that spreadsheet
/// programs read umlauts right.
std::string to_entries_csv(const Book& book, bool byte_order_mark = true);

// ---------------------------------------------------------------------------------------------
// Mapping: how rows become entries

/// Words that make a row a `call` or `internal` entry.
struct KindRule {
  /// Whole tags (or a whole task/activity name), compared ignoring ASCII case: "call", "Telefon".
  std::vector<std::string> tags;
  /// ECMAScript regular expressions searched, ignoring case, in the description, task and tags.
  std::vector<std::string> patterns;
  friend bool operator==(const KindRule&, const KindRule&) = default;
};

/// Words that name a revision round or a change request.
struct RequestRule {
  /// ECMAScript regular expressions searched, ignoring case, in the description, task and tags; the
  /// first capture group is the request's number: `\bR(\d+)\b` finds "R2" and captures "2".
  std::vector<std::string> patterns;
  /// The request id, `{n}` replaced by the captured number: "R{n}" gives "R2".
  std::string id;
  friend bool operator==(const RequestRule&, const RequestRule&) = default;
};

/// Rows of this client and project (empty = any) go to `engagement`. Compared ignoring ASCII case.
struct EngagementRule {
  std::string client;
  std::string project;
  std::string engagement;
  friend bool operator==(const EngagementRule&, const EngagementRule&) = default;
};

/// How an export's rows become entries of a book. A default-constructed Mapping holds the defaults
/// that docs/import.md lists; a mapping file (load_mapping) replaces the parts it names.
struct Mapping {
  /// Every row goes to this engagement (the command's --engagement); empty: decided per row.
  std::string engagement;
  /// Tried in order before the defaults (project = engagement id or title; client = a client's id or
  /// name when that client has exactly one engagement).
  std::vector<EngagementRule> engagements;
  KindRule call{{"call", "calls", "meeting", "meetings", "telefon", "telefonat", "phone", "besprechung"},
                {R"(^\s*(call|meeting|telefonat|telefon|besprechung)\b)"}};
  KindRule internal{{"internal", "intern", "admin", "overhead", "verwaltung"}, {}};
  RequestRule revision{{R"(\bR(\d+)\b)", R"(\bround:\s*(\d+)\b)", R"(\bKorrektur(?:schleife|runde)?\s*(\d+)\b)"}, "R{n}"};
  RequestRule change{{R"(\bCR-(\d+)\b)", R"(\bchange:\s*(\d+)\b)", R"((?:Ä|ä)nderung\s*(\d+)\b)"}, "C{n}"};
  /// The kind of a billable-flag-false row that no rule above claimed; std::nullopt skips such rows.
  std::optional<EntryKind> non_billable = EntryKind::internal;
  /// The kind of every other row.
  EntryKind default_kind = EntryKind::scope;
  /// How the export writes dates ("DD.MM.YYYY", "MM/DD/YYYY", …); empty: detected from the file.
  std::string date_format;
  /// The decimal separator of hour numbers ('.' or ','); 0: the last '.' or ',' in each number.
  char decimal_separator = 0;
  /// Harvest has dates but no times: each day's rows are laid end to end from this time of day.
  Seconds day_start = 0;
  /// Where the mapping came from, for messages ("" for built-in defaults).
  std::string source;
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

/// Reads a mapping from JSON text (docs/import.md); `source` names it in errors. Throws import_error
/// (`map.json: call.tags[1]: expected a string, got a number`).
Mapping parse_mapping_json(std::string_view json, std::string_view source = "mapping");
/// Reads a mapping file; a file that cannot be read throws io_error.
Mapping load_mapping(const std::filesystem::path& file);

// ---------------------------------------------------------------------------------------------
// Reading an export

/// One time record of an export as the tracker wrote it, with times and durations already read.
struct TrackedRow {
  std::size_t line = 0;          ///< where the row starts in the file
  std::size_t start_column = 0;  ///< column of the start (date) field, for messages
  Time start;
  Seconds seconds = 0;
  std::string client;
  std::string project;  ///< for timeclock: the account
  std::string task;     ///< Toggl/Clockify task, Harvest task, Kimai activity
  std::string description;
  std::vector<std::string> tags;
  std::optional<bool> billable;  ///< absent when the export has no billable column
  std::string user;
  /// Where the description, task and tags are (0: the export has no such column), for messages.
  std::size_t description_column = 0, task_column = 0, tags_column = 0;
  friend bool operator==(const TrackedRow&, const TrackedRow&) = default;
};

/// What a reader found: the rows to map, and the ones it left out (and why).
struct TrackerExport {
  Tracker tracker = Tracker::toggl;
  std::string file;
  std::size_t rows_read = 0;  ///< data rows (CSV) or sessions (timeclock) in the file
  std::vector<TrackedRow> rows;
  std::map<std::string, std::size_t> skipped;  ///< reason → rows ("zero-length timer", …)
  std::string date_format;                     ///< the date format the dates were read in
};

/// The tracker whose export header this text starts with, if one matches.
std::optional<Tracker> detect_tracker(std::string_view text);

/// Reads an export. `file` names it in errors; the mapping is used only for date_format,
/// decimal_separator and day_start. Throws import_error at the first malformed row.
TrackerExport read_tracker(Tracker tracker, std::string_view text, std::string_view file, const Mapping& mapping = {});
TrackerExport read_tracker(Tracker tracker, std::istream& in, std::string_view file, const Mapping& mapping = {});
TrackerExport read_tracker(Tracker tracker, const std::filesystem::path& file, const Mapping& mapping = {});

// ---------------------------------------------------------------------------------------------
// Mapping rows to the book, and applying them

/// An entry to add to an engagement; `request` is a request id (existing or new) or empty.
struct ImportedEntry {
  std::string engagement;
  Time start;
  Seconds seconds = 0;
  EntryKind kind = EntryKind::scope;
  std::string request;
  std::string note;
  std::size_t line = 0;  ///< the row of the export it came from
  friend bool operator==(const ImportedEntry&, const ImportedEntry&) = default;
};


/// What an import did, row by row: rows_read == imported + duplicates + Σ skipped.
struct ImportSummary {
  Tracker tracker = Tracker::toggl;
  std::string file;
  std::size_t rows_read = 0;
  std::size_t imported = 0;
  std::size_t duplicates = 0;  ///< rows whose entry the book already has (an earlier import)
  std::map<std::string, std::size_t> skipped;        ///< reason → rows
  std::map<std::string, std::size_t> by_engagement;  ///< engagement id → entries imported
  std::vector<std::string> new_requests;             ///< "engagement/id", in creation order
  std::string date_format;
  std::size_t skipped_total() const noexcept {
    std::size_t n = 0;
    for (const auto& [reason, count] : skipped) n += count;
    return n;
  }
  friend bool operator==(const ImportSummary&, const ImportSummary&) = default;
};

/// The entries and requests an import adds, sorted by start, and its summary. A new request is one
/// the book does not have yet, received at the start of its first entry.
struct ImportResult {
  std::vector<ImportedEntry> entries;
  std::vector<NewRequest> requests;
  ImportSummary summary;
};

/// Decides engagement, kind and request of every row, and drops rows the book already has (an
/// entry is recognised by engagement, start, seconds, kind and note). Throws import_error naming
/// the row on a row the mapping cannot make sense of (two requests named, a request of the other
/// kind) and on a mapping that names an unknown engagement or has a bad pattern.
ImportResult map_rows(const TrackerExport& rows, const Book& book, const Mapping& mapping = {});

/// read_tracker + map_rows.
ImportResult import_entries(Tracker tracker, std::istream& in, std::string_view file, const Book& book,
                            const Mapping& mapping = {});
ImportResult import_entries(Tracker tracker, const std::filesystem::path& file, const Book& book,
                            const Mapping& mapping = {});

/// A copy of `book` with the import's requests and entries recorded (record.hpp): each is checked
/// as it is added, and validation_error is thrown, with nothing returned, if one breaks a rule.
Book apply_import(const Book& book, const ImportResult& result);

/// Loads `book_file` (any format, by its name: store.hpp's load_book), imports
/// `export_file` into it and saves it atomically in the same format, only if something was added; on
/// any error the book file is left as it was. Returns the summary.
ImportSummary import_file(const std::filesystem::path& book_file, Tracker tracker,
                          const std::filesystem::path& export_file, const Mapping& mapping = {});

/// The summary for people: counts, skip reasons, date format, new requests.
std::string to_text(const ImportSummary& summary);

}  // namespace kontingent
