#pragma once
// Time-tracker exports in (Toggl Track, Clockify, Harvest, Kimai, solidtime, ledger/hledger timeclock) and
// entries out as CSV. Declarations only: the readers live in src/imports/import_*.cpp, so including this
// header costs no parser and no regular-expression engine.
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
enum class Tracker : std::uint8_t { toggl, clockify, harvest, kimai, timeclock, solidtime };

template <>
struct enum_names<Tracker> {
  static constexpr std::array<std::string_view, 6> values{"toggl", "clockify", "harvest", "kimai", "timeclock", "solidtime"};
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
/// quote and line breaks inside; lines end in LF, CRLF or CR (old Macs); blank lines are skipped. The separator is
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
  /// Regular expressions (RE2 syntax: no backreferences or lookaround) searched, ignoring case, in the
  /// description, task and tags.
  std::vector<std::string> patterns;
  friend bool operator==(const KindRule&, const KindRule&) = default;
};

/// Words that name a revision round or a change request.
struct RequestRule {
  /// Regular expressions (RE2 syntax) searched, ignoring case, in the description, task and tags; the
  /// first capture group is the request's number: `\bR(\d+)\b` finds "R2" and captures "2".
  std::vector<std::string> patterns;
  /// The request id, `{n}` replaced by the captured number: "R{n}" gives "R2".
  std::string id;
  /// Expressions (no group needed) for words that name this kind of request without its number
  /// ("Änderungswunsch"): a row with one of them and no pattern above is skipped and reported, since
  /// which request it is cannot be known.
  std::vector<std::string> words;
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
  RequestRule revision{{R"(\bR(\d+)\b)", R"(\bround:?\s*(\d+)\b)", R"(\bKorrektur(?:schleife|runde)?\s*(\d+)\b)",
                        R"(\b(\d+)\.\s*Korrektur(?:schleife|runde)?\b)", R"(\bRevision\s*(\d+)\b)"},
                       "R{n}",
                       {R"(\bKorrektur(?:schleife|runde)\b)", R"(\brevision round\b)"}};
  RequestRule change{{R"(\bCR-(\d+)\b)", R"(\bchange:\s*(\d+)\b)", R"((?:Ä|ä)nderung(?:swunsch)?\s*#?(\d+)\b)",
                      R"(\bchange request\s*#?(\d+)\b)"},
                     "C{n}",
                     {R"((?:Ä|ä)nderungswunsch)", R"(\bchange request\b)"}};
  /// Expressions whose first group is the due date of the request a row names, `YYYY-MM-DD` (due at
  /// 23:59 that day) or `YYYY-MM-DDTHH:MM`; searched like the request patterns.
  std::vector<std::string> due{R"(\bdue:\s*(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?)\b)",
                               R"(f(?:ä|ae)llig:\s*(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?)\b)"};
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
  /// The export's character encoding: "utf-8", "cp1252" or "latin1"; empty: UTF-8. A byte-order mark
  /// (UTF-8, UTF-16 LE or BE) names the encoding whatever this says.
  std::string encoding;
  /// The IANA time zone of the export's wall-clock times ("Europe/Berlin"); empty: none. A row without
  /// a duration then lasts the time that passed between its start and end, across a change of the clocks.
  std::string time_zone;
  /// Where the mapping came from, for messages ("" for built-in defaults).
  std::string source;
  friend bool operator==(const Mapping&, const Mapping&) = default;
};

/// Reads a mapping from JSON text (docs/import.md); `source` names it in errors. Throws import_error
/// (`map.json: call.tags[1]: expected a string, got a number`).
Mapping parse_mapping_json(std::string_view json, std::string_view source = "mapping");
/// The most bytes a mapping file may have (1 MiB): it is written by hand, and a bigger file is
/// most likely an export given in its place.
inline constexpr std::size_t max_mapping_bytes = std::size_t{1} << 20;
/// Reads a mapping file; a file that cannot be read throws io_error, one above max_mapping_bytes
/// import_error.
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

/// The most bytes one export may have (256 MiB, some two million rows): a larger file, or an endless
/// stream, is refused before it fills the memory.
inline constexpr std::size_t max_export_bytes = std::size_t{256} << 20;

/// "" when the system's time-zone database has a zone of this IANA name ("Europe/Berlin"), else
/// why not (`unknown time zone "Europe/Berln" (expected an IANA name …)`).
std::string check_time_zone(std::string_view name);

/// Reads an export, converted to UTF-8 first (docs/import.md, "Encodings"). `file` names it in
/// errors; the mapping is used only for date_format, decimal_separator, day_start, encoding and
/// time_zone. Throws import_error at the first malformed row, and on more than max_export_bytes.
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

/// The days an import replaces (`--replace-period FROM..TO`), both included.
struct Period {
  Date first;
  Date last;
  bool contains(const Date& day) const noexcept { return first <= day && day <= last; }
  friend bool operator==(const Period&, const Period&) = default;
};

/// Reads `YYYY-MM-DD..YYYY-MM-DD` (the last day not before the first); throws validation_error
/// naming `where` otherwise.
Period parse_period(std::string_view text, std::string_view where = "period");
/// `YYYY-MM-DD..YYYY-MM-DD`.
std::string format_period(const Period& period);

/// How an import treats what the book already has.
struct ImportMode {
  /// Sync: the entries of the mapped engagements that start on these days are replaced by the
  /// export's rows of these days; rows of other days are left out. Without it, rows are added, an
  /// exact duplicate is recognised and a row overlapping an entry of its engagement is skipped.
  std::optional<Period> replace_period;
  /// Any row not imported (unmapped, overlapping, zero-length, …) is an error: nothing is imported.
  bool strict = false;
  friend bool operator==(const ImportMode&, const ImportMode&) = default;
};

/// An entry the summary names: its engagement, start, length, kind and note.
struct EntryMention {
  std::string engagement;
  Time start;
  Seconds seconds = 0;
  EntryKind kind = EntryKind::scope;
  std::string note;
  friend bool operator==(const EntryMention&, const EntryMention&) = default;
};

/// A row set against an entry of the book: an overlap (skipped) or a change (`--replace-period`).
struct EntryConflict {
  std::size_t line = 0;  ///< the export's row
  EntryMention row;      ///< the entry the row gives
  EntryMention book;     ///< the book's entry it overlaps or replaces
  friend bool operator==(const EntryConflict&, const EntryConflict&) = default;
};

/// What an import did, row by row:
/// rows_read == imported + changed + duplicates + outside_period + Σ skipped.
struct ImportSummary {
  Tracker tracker = Tracker::toggl;
  std::string file;
  std::size_t rows_read = 0;
  std::size_t imported = 0;    ///< rows added as new entries
  std::size_t changed = 0;     ///< rows replacing a different entry of the same engagement and start (sync)
  std::size_t duplicates = 0;  ///< rows whose entry the book already has (an earlier import)
  std::size_t removed = 0;     ///< entries of the period the export no longer has (sync)
  std::size_t outside_period = 0;  ///< rows of other days than the replaced period, left out (sync)
  std::optional<Period> replaced;   ///< the period replaced (sync)
  std::vector<std::string> replaced_in;  ///< the engagements whose period was replaced (sync), sorted
  std::map<std::string, std::size_t> skipped;        ///< reason → rows
  std::map<std::string, std::size_t> by_engagement;  ///< engagement id → entries imported (added or changed)
  std::vector<std::string> new_requests;             ///< "engagement/id", in creation order
  std::vector<std::string> requests_without_due;     ///< the new requests no row gave a due date
  std::vector<EntryConflict> overlaps;  ///< rows skipped for overlapping an entry of the book, in file order
  std::vector<EntryConflict> changes;   ///< rows that replace an entry (sync), in file order
  std::vector<EntryMention> removals;   ///< entries removed (sync), in book order
  std::string date_format;
  std::size_t skipped_total() const noexcept {
    std::size_t n = 0;
    for (const auto& [reason, count] : skipped) n += count;
    return n;
  }
  friend bool operator==(const ImportSummary&, const ImportSummary&) = default;
};

/// An entry of the book an import removes: its engagement and index in that engagement's entries.
struct RemovedEntry {
  std::string engagement;
  std::size_t index = 0;
  friend bool operator==(const RemovedEntry&, const RemovedEntry&) = default;
};

/// The entries and requests an import adds, sorted by start, the entries it removes (sync), and its
/// summary. A new request is one the book does not have yet, received at the start of its first entry.
struct ImportResult {
  std::vector<ImportedEntry> entries;
  std::vector<NewRequest> requests;
  std::vector<RemovedEntry> removals;
  ImportSummary summary;
  /// Whether applying the result changes the book.
  bool changes_book() const noexcept { return !entries.empty() || !requests.empty() || !removals.empty(); }
};

/// Decides engagement, kind, request and due date of every row, and what the book already has: by
/// default an entry is recognised by engagement, start, seconds, kind and note, and a row
/// overlapping another entry of its engagement is skipped; with mode.replace_period, the period's
/// entries of the mapped engagements are matched by (engagement, start) and replaced (docs/import.md,
/// "Re-importing safely"). Throws import_error naming the row on a row the mapping cannot make sense
/// of (two requests named, a request of the other kind, two due dates), on a mapping that names an
/// unknown engagement or has a bad pattern, and with mode.strict on any row not imported.
ImportResult map_rows(const TrackerExport& rows, const Book& book, const Mapping& mapping = {}, const ImportMode& mode = {});

/// read_tracker + map_rows.
ImportResult import_entries(Tracker tracker, std::istream& in, std::string_view file, const Book& book,
                            const Mapping& mapping = {}, const ImportMode& mode = {});
ImportResult import_entries(Tracker tracker, const std::filesystem::path& file, const Book& book,
                            const Mapping& mapping = {}, const ImportMode& mode = {});

/// A copy of `book` with the import's removals done and its requests and entries recorded
/// (record.hpp): each is checked as it is added, and validation_error is thrown, with nothing
/// returned, if one breaks a rule.
Book apply_import(const Book& book, const ImportResult& result);

/// Loads `book_file` (any format, by its name: store.hpp's load_book), imports
/// `export_file` into it and saves it atomically in the same format, only if something changed (and
/// never with `dry_run`); on any error the book file is left as it was. Returns the summary.
ImportSummary import_file(const std::filesystem::path& book_file, Tracker tracker,
                          const std::filesystem::path& export_file, const Mapping& mapping = {},
                          const ImportMode& mode = {}, bool dry_run = false);

/// The summary for people: counts, skip reasons, overlaps, changes and removals, date format, new
/// requests and those without a due date.
std::string to_text(const ImportSummary& summary);

}  // namespace kontingent
