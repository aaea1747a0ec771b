// The ledger/hledger timeclock format:
//   i YYYY/MM/DD HH:MM[:SS] [ACCOUNT[  DESCRIPTION]][  ; COMMENT]
//   o YYYY/MM/DD HH:MM[:SS] [ACCOUNT]            (O: the same, marked cleared)
// Lines starting with #, ; or * are comments. One session is one entry on the date of its clock-in:
// unlike hledger, a session across midnight is not split. A clock-out without a clock-in, a second
// clock-in while a session is open, and a clock-out before its clock-in are errors naming the line;
// a session still open at the end of the file is skipped and counted. Lines end in LF, CRLF or CR.
// A session lasts clock-out − clock-in; in the mapping's time zone, when it names one, the time that
// passed across a change of the clocks.
#include <optional>

#include "imports/import_detail.hpp"
#include "imports/time_zone.hpp"
#include "kontingent/error.hpp"

namespace kontingent::detail {
namespace {

std::size_t characters(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

struct Session {
  std::size_t line = 0, column = 0;
  ClockSeconds start = 0;
  std::string account, description;
  std::vector<std::string> tags;
  std::size_t description_column = 0, tags_column = 0;
};

/// hledger tags in a comment: `name:value` pairs separated by commas ("client:acme, call:" → "client:acme",
/// "call"); text that is no tag is left out.
std::vector<std::string> comment_tags(std::string_view comment) {
  std::vector<std::string> tags;
  for (const std::string& part : split_tags(comment)) {
    const std::size_t colon = part.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view before = trim(std::string_view(part).substr(0, colon));
    const std::size_t word = before.find_last_of(" \t");
    const std::string_view tag_name = word == std::string_view::npos ? before : before.substr(word + 1);
    const std::string_view value = trim(std::string_view(part).substr(colon + 1));
    if (tag_name.empty()) continue;
    tags.push_back(value.empty() ? std::string(tag_name) : std::string(tag_name) + ":" + std::string(value));
  }
  return tags;
}

class TimeclockReader {
 public:
  TimeclockReader(std::string_view file, const Mapping& mapping) : file_(file), zone_(time_zone_of(mapping)) {}

  [[noreturn]] void fail(std::size_t line, std::size_t column, std::string rule) const {
    throw import_error(file_, line, column, std::move(rule));
  }

  /// Reads "DATE TIME" at the start of `rest`, advancing past it; `column` is where `rest` starts.
  ClockSeconds timestamp(std::size_t line, std::size_t column, std::string_view& rest) const {
    const std::size_t date_end = rest.find_first_of(" \t");
    const std::string_view date_text = rest.substr(0, date_end);
    if (date_text.empty()) fail(line, column, "expected a date and a time after the code");
    // ledger writes YYYY/MM/DD, hledger also YYYY-MM-DD and YYYY.MM.DD.
    const char separator = date_text.size() > 4 ? date_text[4] : '/';
    DateFormat format{DateFormat::Order::ymd, separator == '-' || separator == '.' ? separator : '/'};
    ClockDays days = 0;
    std::string rule;
    if (!parse_date_as(date_text, format, days, rule)) {
      if (rule.starts_with("not a date")) rule = "not a date: " + detail::quoted(date_text) + " (expected YYYY/MM/DD)";
      fail(line, column, rule);
    }
    std::string_view after = date_end == std::string_view::npos ? std::string_view{} : rest.substr(date_end);
    const std::size_t skipped = after.find_first_not_of(" \t");
    const std::size_t time_column = column + characters(date_text) + (skipped == std::string_view::npos ? after.size() : skipped);
    after = skipped == std::string_view::npos ? std::string_view{} : after.substr(skipped);
    const std::size_t time_end = after.find_first_of(" \t;");
    const std::string_view time_text = after.substr(0, time_end);
    if (time_text.empty()) fail(line, time_column, "expected a time after the date");
    Seconds time_of_day = 0;
    if (time_text.find_first_of("aApP") != std::string_view::npos || !parse_time_of_day(time_text, time_of_day, rule))
      fail(line, time_column, "not a time of day: " + detail::quoted(time_text) + " (expected HH:MM[:SS])");
    rest = time_end == std::string_view::npos ? std::string_view{} : after.substr(time_end);
    return Seconds{days} * seconds_per_day + time_of_day;
  }

  TrackerExport read(std::string_view text) {
    TrackerExport out;
    out.tracker = Tracker::timeclock;
    out.file = file_;
    out.date_format = "YYYY/MM/DD";
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::optional<Session> open;
    std::size_t line_number = 0;
    while (!text.empty()) {
      ++line_number;
      const std::size_t nl = text.find_first_of("\r\n");
      const std::string_view line = text.substr(0, nl);
      text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + (text.substr(nl, 2) == "\r\n" ? 2 : 1));
      if (trim(line).empty() || line[0] == '#' || line[0] == ';' || line[0] == '*') continue;
      const char code = line[0];
      if (code != 'i' && code != 'o' && code != 'O') {
        if (code == 'h' || code == 'b')
          fail(line_number, 1, "timeclock code \"" + std::string(1, code) + "\" is not supported (only i, o and O)");
        fail(line_number, 1, "not a timeclock line (expected \"i\" or \"o\", a date and a time)");
      }
      if (line.size() < 2 || (line[1] != ' ' && line[1] != '\t'))
        fail(line_number, 1, "not a timeclock line (expected \"i\" or \"o\", a date and a time)");
      std::string_view rest = line.substr(1);
      const std::size_t first = rest.find_first_not_of(" \t");
      if (first == std::string_view::npos) fail(line_number, line.size() + 1, "expected a date and a time after the code");
      const std::size_t date_column = 2 + first;
      rest = rest.substr(first);
      const ClockSeconds at = timestamp(line_number, date_column, rest);
      if (zone_)
        if (const std::string rule = zone_->nonexistent(at); !rule.empty()) fail(line_number, date_column, rule);
      if (code == 'i') {
        if (open)
          fail(line_number, 1, "clock-in while the session clocked in at line " + std::to_string(open->line) +
                                   " is still open");
        Session s;
        s.line = line_number;
        s.column = date_column;
        s.start = at;
        // After the time: ACCOUNT, then (after two spaces or a tab) the description, then ; comment.
        const std::size_t semicolon = rest.find(';');
        const std::string_view comment = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
        const std::string_view before_comment = rest.substr(0, semicolon);
        const std::size_t account_begin = before_comment.find_first_not_of(" \t");
        if (account_begin != std::string_view::npos) {
          std::string_view account = before_comment.substr(account_begin);
          std::size_t gap = account.find("  ");
          gap = std::min(gap, account.find('\t'));
          if (gap != std::string_view::npos) {
            const std::string_view description = trim(account.substr(gap));
            s.description = description;
            const std::size_t offset = line.size() - rest.size() + account_begin + gap +
                                       account.substr(gap).find_first_not_of(" \t");
            if (!description.empty()) s.description_column = characters(line.substr(0, offset)) + 1;
            account = account.substr(0, gap);
          }
          s.account = trim(account);
        }
        if (semicolon != std::string_view::npos) {
          s.tags = comment_tags(comment);
          s.tags_column = characters(line.substr(0, line.size() - rest.size() + semicolon)) + 1;
        }
        open = std::move(s);
        continue;
      }
      if (!open) fail(line_number, 1, "clock-out without a clock-in");
      const std::optional<Seconds> seconds = zone_ ? zone_->elapsed(open->start, at)
                                             : at < open->start ? std::nullopt : std::optional<Seconds>(at - open->start);
      if (!seconds)
        fail(line_number, date_column, "clock-out " + format_time(at) + " is before its clock-in " +
                                           format_time(open->start) + " (line " + std::to_string(open->line) + ")");
      ++out.rows_read;
      if (*seconds == 0) ++out.skipped["zero-length timer"];
      else out.rows.push_back(row_of(*open, *seconds));
      open.reset();
    }
    if (open) {
      ++out.rows_read;
      ++out.skipped["session still open (no clock-out)"];
    }
    return out;
  }

 private:
  static TrackedRow row_of(const Session& s, Seconds seconds) {
    TrackedRow r;
    r.line = s.line;
    r.start_column = s.column;
    r.start = to_time(s.start);
    r.seconds = seconds;
    r.project = s.account;
    r.description = s.description;
    r.tags = s.tags;
    r.description_column = s.description_column;
    r.tags_column = s.tags_column;
    return r;
  }

  std::string file_;
  std::optional<TimeZone> zone_;
};

}  // namespace

TrackerExport read_timeclock(std::string_view text, std::string_view file, const Mapping& mapping) {
  return TimeclockReader(file, mapping).read(text);
}

}  // namespace kontingent::detail
