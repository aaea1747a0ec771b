// CSV text in and out: the RFC 4180 reader the import readers share, the spreadsheet-safe field
// writer (also used by the report CSV), the entries CSV, and the dispatch from a tracker to its reader.
//
// Why our own CSV reader: Debian 12 offers libcsv-dev (a C callback parser) and libfccp-dev (Ben
// Strasser's fast-cpp-csv-parser). fccp cannot read line breaks inside quoted fields (Toggl and
// Clockify write them for multi-line descriptions) and fixes the column count at compile time;
// libcsv handles quoting but knows nothing of lines and columns, and every error here must name
// file:line:column. Tracker exports are small (thousands of rows) and the format is ~80 lines of
// state machine, so a reader of our own that counts lines and characters as it goes is both simpler
// and gives better messages than wrapping either.
#include <array>
#include <fstream>

#include "writers/csv_field.hpp"
#include "imports/import_detail.hpp"
#include "imports/text_encoding.hpp"
#include "kontingent/error.hpp"

namespace kontingent {

std::string_view display_name(Tracker tracker) noexcept {
  switch (tracker) {
    case Tracker::toggl: return "Toggl Track";
    case Tracker::clockify: return "Clockify";
    case Tracker::harvest: return "Harvest";
    case Tracker::kimai: return "Kimai";
    case Tracker::timeclock: return "timeclock";
    case Tracker::solidtime: return "solidtime";
  }
  return "?";
}

namespace {

constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

/// The separator the header line uses most, outside quotes: ',' unless ';' or tab win.
char detect_separator(std::string_view text) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    else if (!quoted && (c == '\n' || c == '\r')) break;
    else if (!quoted) commas += c == ',', semicolons += c == ';', tabs += c == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

/// Counts characters, not bytes: a UTF-8 continuation byte does not start a character.
constexpr bool starts_character(char c) noexcept { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

std::vector<CsvRecord> parse_csv(std::string_view text, std::string_view file) {
  if (text.starts_with(byte_order_mark)) text.remove_prefix(byte_order_mark.size());
  const char separator = detect_separator(text);
  std::vector<CsvRecord> records;
  std::size_t i = 0, line = 1, column = 1;
  const std::size_t n = text.size();
  const auto advance = [&] {  // past text[i], keeping line and column; a line ends in LF, CRLF or CR
    if (text[i] == '\r' || (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))) ++line, column = 1;
    else if (text[i] != '\n' && starts_character(text[i])) ++column;
    ++i;
  };
  const auto at_line_end = [&] { return i == n || text[i] == '\n' || text[i] == '\r'; };
  while (i < n) {
    CsvRecord record;
    record.line = line;
    while (true) {  // one field per turn
      record.columns.push_back(column);
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t quote_line = line, quote_column = column;
        advance();
        while (true) {
          if (i == n)
            throw import_error(std::string(file), quote_line, quote_column,
                               "unterminated quoted field (the closing quote is missing)");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              advance(), advance();
              continue;
            }
            advance();
            break;
          }
          if (text[i] == '\r') {  // CRLF or CR inside quotes: a line break, kept as LF
            advance();
            if (i < n && text[i] == '\n') advance();
            field += '\n';
            continue;
          }
          field += text[i];
          advance();
        }
        if (!at_line_end() && text[i] != separator)
          throw import_error(std::string(file), line, column,
                             "unexpected text after the closing quote of a field (a quote inside a field is written \"\")");
      } else {
        const std::size_t begin = i;
        while (!at_line_end() && text[i] != separator) advance();
        field.assign(text.substr(begin, i - begin));
      }
      record.fields.push_back(std::move(field));
      if (i < n && text[i] == separator) {
        advance();
        continue;
      }
      break;
    }
    record.end_column = column;
    if (i < n && text[i] == '\r') advance();
    if (i < n && text[i] == '\n') advance();
    const bool blank = record.fields.size() == 1 && record.fields[0].empty() && record.end_column == 1;
    if (!blank) records.push_back(std::move(record));
  }
  return records;
}

std::string csv_field(std::string_view value) { return detail::csv_field(value); }

namespace {

std::string spreadsheet_time(ClockSeconds t) {
  const Seconds s = t - Seconds{day_of(t)} * seconds_per_day;
  std::string out = format_date(day_of(t)) + ' ';
  const auto two = [&](Seconds v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
  };
  two(s / 3600), out += ':', two(s / 60 % 60), out += ':', two(s % 60);
  return out;
}

/// Hours with exactly two decimals, rounded half up: 5400 s → "1.50".
std::string hours_text(Seconds s) {
  const Seconds hundredths = (s * 100 + 1800) / 3600;
  std::string frac = std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + '.' + (frac.size() == 1 ? "0" : "") + frac;
}

}  // namespace

std::string to_entries_csv(const Book& book, bool byte_order_mark) {
  std::string out = byte_order_mark ? std::string(kontingent::byte_order_mark) : std::string();
  out += "engagement,client,date,start,end,seconds,hours,kind,request,note\n";
  for (const Engagement& e : book.engagements) {
    const Entries& entries = e.journal.entries;
    const std::string prefix = csv_field(e.id) + ',' + csv_field(e.client) + ',';
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const ClockSeconds start = entries.starts()[i];
      const Seconds seconds = entries.seconds()[i];
      const RequestIndex r = entries.requests()[i];
      out += prefix + format_date(day_of(start)) + ',' + spreadsheet_time(start) + ',' + spreadsheet_time(start + seconds) +
             ',' + std::to_string(seconds) + ',' + hours_text(seconds) + ',' + std::string(name(entries.kinds()[i])) + ',' +
             (r == no_request ? std::string() : csv_field(e.journal.requests[static_cast<std::size_t>(r)].id)) + ',' +
             csv_field(entries.note(i)) + '\n';
    }
  }
  return out;
}

namespace detail {

CsvTable::CsvTable(std::string_view text, std::string file) : file_(std::move(file)) {
  std::vector<CsvRecord> records = parse_csv(text, file_);
  if (records.empty()) fail_at(1, 1, "the file is empty (expected a header line)");
  header_ = std::move(records.front());
  for (std::string& name : header_.fields) name = std::string(trim(name));
  rows_.assign(std::make_move_iterator(records.begin() + 1), std::make_move_iterator(records.end()));
  for (const CsvRecord& row : rows_)
    if (row.fields.size() != header_.fields.size())
      fail_at(row.line, row.end_column,
              "row has " + std::to_string(row.fields.size()) + " fields but the header has " +
                  std::to_string(header_.fields.size()));
}

int CsvTable::column(std::initializer_list<std::string_view> names) const {
  for (const std::string_view name : names)
    for (std::size_t c = 0; c < header_.fields.size(); ++c) {
      const std::string_view h = header_.fields[c];
      const bool prefix = name.ends_with('*');
      if (prefix ? h.size() >= name.size() - 1 && iequals(h.substr(0, name.size() - 1), name.substr(0, name.size() - 1))
                 : iequals(h, name))
        return static_cast<int>(c);
    }
  return -1;
}

int CsvTable::required(std::initializer_list<std::string_view> names, Tracker tracker) const {
  const int c = column(names);
  if (c < 0)
    fail_at(header_.line, 1,
            "missing column " + detail::quoted(*names.begin()) + " (is this a " + std::string(display_name(tracker)) + " export?)");
  return c;
}

std::string_view CsvTable::field(const CsvRecord& row, int column) const {
  return column < 0 ? std::string_view{} : std::string_view(row.fields[static_cast<std::size_t>(column)]);
}

void CsvTable::fail(const CsvRecord& row, int column, std::string rule) const {
  fail_at(row.line, column < 0 ? 1 : row.columns[static_cast<std::size_t>(column)], std::move(rule));
}

void CsvTable::fail_at(std::size_t line, std::size_t column, std::string rule) const {
  throw import_error(file_, line, column, std::move(rule));
}

}  // namespace detail

std::optional<Tracker> detect_tracker(std::string_view text) {
  // An export in UTF-16 (its byte-order mark says so) is looked at as the UTF-8 it is read as.
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    std::string utf8;
    try {
      utf8 = detail::to_utf8(std::string(text), detail::TextEncoding::detect, "");
    } catch (const import_error&) {
      return std::nullopt;
    }
    return detect_tracker(utf8);
  }
  // timeclock: the first line that is not blank or a comment is a clock-in or clock-out.
  {
    std::string_view rest = text;
    if (rest.starts_with(byte_order_mark)) rest.remove_prefix(byte_order_mark.size());
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      const std::string_view line = detail::trim(rest.substr(0, nl));
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
      if (line.empty() || line[0] == '#' || line[0] == ';' || line[0] == '*') continue;
      if (line.size() > 2 && (line[0] == 'i' || line[0] == 'o' || line[0] == 'O') && (line[1] == ' ' || line[1] == '\t') &&
          line[2] >= '0' && line[2] <= '9')
        return Tracker::timeclock;
      break;
    }
  }
  std::string_view head = text.substr(0, text.find('\n'));
  std::vector<CsvRecord> records;
  try {
    records = parse_csv(head, "");
  } catch (const import_error&) {
    return std::nullopt;
  }
  if (records.empty()) return std::nullopt;
  const auto has = [&](std::initializer_list<std::string_view> names) {
    for (const std::string& f : records[0].fields)
      for (const std::string_view n : names)
        if (detail::iequals(detail::trim(f), n)) return true;
    return false;
  };
  // Toggl and Clockify spell their start columns alike (but for case); Toggl's duration column is
  // "Duration", Clockify's "Duration (h)" or none.
  if (has({"Start date"}) && has({"Start time"})) return has({"Duration"}) ? Tracker::toggl : Tracker::clockify;
  if (has({"Date"}) && has({"Hours"}) && has({"Billable?"})) return Tracker::harvest;
  if (has({"Date", "Datum"}) && has({"From", "Von"}) && has({"To", "Bis"})) return Tracker::kimai;
  if (has({"start"}) && has({"end"}) && has({"user_email"})) return Tracker::solidtime;
  return std::nullopt;
}

namespace {

[[noreturn]] void too_large(std::string_view file) {
  throw import_error(std::string(file), 0, 0,
                     "the export is larger than " + std::to_string(max_export_bytes >> 20) + " MiB (" +
                         std::to_string(max_export_bytes) + " bytes), the most one import reads: split it into smaller exports");
}

detail::TextEncoding encoding_of(const Mapping& mapping) {
  if (mapping.encoding.empty()) return detail::TextEncoding::detect;
  if (const auto encoding = detail::encoding_named(mapping.encoding)) return *encoding;
  throw import_error(mapping.source.empty() ? "mapping" : mapping.source, 0, 0,
                     "encoding: expected " + std::string(detail::encoding_names) + ", got " + detail::quoted(mapping.encoding));
}

TrackerExport read_bytes(Tracker tracker, std::string bytes, std::string_view file, const Mapping& mapping) {
  const std::string text = detail::to_utf8(std::move(bytes), encoding_of(mapping), file);
  if (tracker == Tracker::timeclock) return detail::read_timeclock(text, file, mapping);
  return detail::read_csv_tracker(tracker, text, file, mapping);
}

}  // namespace

TrackerExport read_tracker(Tracker tracker, std::string_view text, std::string_view file, const Mapping& mapping) {
  if (text.size() > max_export_bytes) too_large(file);
  return read_bytes(tracker, std::string(text), file, mapping);
}

TrackerExport read_tracker(Tracker tracker, std::istream& in, std::string_view file, const Mapping& mapping) {
  // Read in chunks up to the limit: a pipe or a device may never end.
  std::string bytes;
  std::array<char, 1 << 16> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    if (bytes.size() + got > max_export_bytes) too_large(file);
    bytes.append(chunk.data(), got);
  }
  if (in.bad()) throw io_error(std::string(file) + ": cannot be read");
  return read_bytes(tracker, std::move(bytes), file, mapping);
}

TrackerExport read_tracker(Tracker tracker, const std::filesystem::path& file, const Mapping& mapping) {
  std::error_code not_regular;
  if (const auto size = std::filesystem::file_size(file, not_regular); !not_regular && size > max_export_bytes) too_large(file.string());
  std::ifstream in(file, std::ios::binary);
  if (!in) throw io_error(file.string() + ": cannot be opened");
  return read_tracker(tracker, in, file.string(), mapping);
}

}  // namespace kontingent
