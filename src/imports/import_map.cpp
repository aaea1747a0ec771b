// From rows to entries of a book: engagement, kind and request of each row (the Mapping), the rows
// the book already has (an earlier import of the same file), and applying the result to a copy of the
// book that is validated whole before anyone sees it.
#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "imports/import_detail.hpp"
#include "kontingent/error.hpp"
#include "kontingent/store.hpp"

namespace kontingent {
namespace {

using detail::iequals;
using detail::in_quotes;

std::string source_of(const Mapping& m) { return m.source.empty() ? "mapping" : m.source; }

std::regex compile(const std::string& pattern, const Mapping& m, const std::string& where, bool needs_group) {
  std::regex re;
  try {
    re = std::regex(pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& e) {
    throw import_error(source_of(m), 0, 0, where + ": not a valid regular expression: " + in_quotes(pattern));
  }
  if (needs_group && re.mark_count() < 1)
    throw import_error(source_of(m), 0, 0,
                       where + ": " + in_quotes(pattern) + " needs a group in parentheses that captures the request's number");
  return re;
}

std::vector<std::regex> compile_all(const std::vector<std::string>& patterns, const Mapping& m, const std::string& where,
                                    bool needs_group) {
  std::vector<std::regex> out;
  for (std::size_t i = 0; i < patterns.size(); ++i)
    out.push_back(compile(patterns[i], m, where + ".patterns[" + std::to_string(i) + "]", needs_group));
  return out;
}

/// The texts of a row that kind rules look at, with where each is in the file.
struct Text {
  std::string_view value;
  std::size_t column;
};

/// Patterns look at the first 4096 bytes of each text: libstdc++'s regex matcher recurses once per
/// character a repetition consumes, and a description of 300 000 blanks after "Korrektur" overflows
/// the stack. Request words are at the start of a note in practice.
constexpr std::size_t pattern_text_limit = 4096;

std::vector<Text> texts_of(const TrackedRow& r) {
  std::vector<Text> texts;
  const auto add = [&](std::string_view text, std::size_t column) {
    if (!text.empty()) texts.push_back({text.substr(0, pattern_text_limit), column});
  };
  add(r.description, r.description_column);
  add(r.task, r.task_column);
  for (const std::string& tag : r.tags) add(tag, r.tags_column);
  return texts;
}

struct CompiledKind {
  const KindRule* rule;
  std::vector<std::regex> patterns;

  bool matches(const TrackedRow& r, const std::vector<Text>& texts) const {
    for (const std::string& word : rule->tags) {
      for (const std::string& tag : r.tags)
        if (iequals(tag, word)) return true;
      if (!r.task.empty() && iequals(r.task, word)) return true;
    }
    for (const std::regex& re : patterns)
      for (const Text& t : texts)
        if (std::regex_search(t.value.begin(), t.value.end(), re)) return true;
    return false;
  }
};

struct NamedRequest {
  RequestKind kind;
  std::string id;
  std::size_t column;
};

struct CompiledRequests {
  RequestKind kind;
  const RequestRule* rule;
  std::vector<std::regex> patterns;

  void find(const std::vector<Text>& texts, std::vector<NamedRequest>& out) const {
    for (const Text& t : texts)
      for (const std::regex& re : patterns)
        for (auto it = std::cregex_iterator(t.value.data(), t.value.data() + t.value.size(), re); it != std::cregex_iterator();
             ++it) {
          std::string id = rule->id;
          const std::string number = (*it)[1].str();
          for (std::size_t at = id.find("{n}"); at != std::string::npos; at = id.find("{n}", at + number.size()))
            id.replace(at, 3, number);
          const bool known = std::any_of(out.begin(), out.end(), [&](const NamedRequest& n) { return n.id == id && n.kind == kind; });
          if (!known) out.push_back({kind, std::move(id), t.column});
        }
  }
};

std::string request_words(RequestKind kind) { return kind == RequestKind::revision ? "revision round" : "change request"; }

/// Finds the engagement of a row: the mapping's one, its rules, then the defaults.
class EngagementFinder {
 public:
  EngagementFinder(const Book& book, const Mapping& m) : book_(book), mapping_(m) {
    if (!m.engagement.empty() && !book.find_engagement(m.engagement))
      throw import_error(source_of(m), 0, 0, "engagement: the book has no engagement " + in_quotes(m.engagement));
    for (std::size_t i = 0; i < m.engagements.size(); ++i)
      if (!book.find_engagement(m.engagements[i].engagement))
        throw import_error(source_of(m), 0, 0,
                           "engagements[" + std::to_string(i) + "].engagement: the book has no engagement " +
                               in_quotes(m.engagements[i].engagement));
  }

  const Engagement* find(const std::string& client, const std::string& project) {
    const auto key = std::make_pair(client, project);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    return cache_[key] = lookup(client, project);
  }

 private:
  const Engagement* lookup(const std::string& client, const std::string& project) const {
    if (!mapping_.engagement.empty()) return book_.find_engagement(mapping_.engagement);
    for (const EngagementRule& rule : mapping_.engagements)
      if ((rule.client.empty() || iequals(rule.client, client)) && (rule.project.empty() || iequals(rule.project, project)))
        return book_.find_engagement(rule.engagement);
    if (!project.empty())
      for (const Engagement& e : book_.engagements)
        if (iequals(e.id, project) || (!e.title.empty() && iequals(e.title, project))) return &e;
    if (!client.empty())
      for (const Client& c : book_.clients) {
        if (!iequals(c.id, client) && !iequals(c.name, client)) continue;
        const Engagement* only = nullptr;
        for (const Engagement& e : book_.engagements)
          if (e.client == c.id) {
            if (only) return nullptr;  // the client has several: the mapping must say which
            only = &e;
          }
        return only;
      }
    return nullptr;
  }

  const Book& book_;
  const Mapping& mapping_;
  std::map<std::pair<std::string, std::string>, const Engagement*> cache_;
};

std::string no_engagement_reason(const TrackedRow& r) {
  if (r.client.empty() && r.project.empty()) return "no engagement for rows without client and project";
  if (r.client.empty()) return "no engagement for project " + in_quotes(r.project);
  if (r.project.empty()) return "no engagement for client " + in_quotes(r.client);
  return "no engagement for client " + in_quotes(r.client) + ", project " + in_quotes(r.project);
}

/// How an entry is recognised on a second import of the same rows.
std::string entry_key(ClockSeconds start, Seconds seconds, EntryKind kind, std::string_view note) {
  std::string key = std::to_string(start) + '|' + std::to_string(seconds) + '|' + std::string(name(kind)) + '|';
  key += note;
  return key;
}

}  // namespace

ImportResult map_rows(const TrackerExport& rows, const Book& book, const Mapping& mapping) {
  const CompiledKind call{&mapping.call, compile_all(mapping.call.patterns, mapping, "call", false)};
  const CompiledKind internal{&mapping.internal, compile_all(mapping.internal.patterns, mapping, "internal", false)};
  const CompiledRequests revision{RequestKind::revision, &mapping.revision,
                                  compile_all(mapping.revision.patterns, mapping, "revision", true)};
  const CompiledRequests change{RequestKind::change, &mapping.change, compile_all(mapping.change.patterns, mapping, "change", true)};
  for (const EntryKind k : {mapping.default_kind, mapping.non_billable.value_or(EntryKind::internal)})
    if (k == EntryKind::revision || k == EntryKind::change)
      throw import_error(source_of(mapping), 0, 0,
                         "a \"" + std::string(name(k)) + "\" entry needs its request: it cannot be the kind of every row");
  EngagementFinder engagements(book, mapping);

  ImportResult result;
  ImportSummary& summary = result.summary;
  summary.tracker = rows.tracker;
  summary.file = rows.file;
  summary.rows_read = rows.rows_read;
  summary.skipped = rows.skipped;
  summary.date_format = rows.date_format;

  // The book's entries of each engagement an import touches, as keys with counts: each row matching
  // one uses it up, so a file with two equal rows imported twice still gives two entries.
  std::unordered_map<const Engagement*, std::unordered_map<std::string, std::size_t>> existing;
  std::map<std::pair<std::string, std::string>, std::size_t> new_request_at;  // (engagement, id) → index in result.requests

  const auto fail = [&](const TrackedRow& r, std::size_t column, std::string rule) -> void {
    throw import_error(rows.file, r.line, column ? column : r.start_column, std::move(rule));
  };

  for (const TrackedRow& r : rows.rows) {
    const Engagement* e = engagements.find(r.client, r.project);
    if (!e) {
      ++summary.skipped[no_engagement_reason(r)];
      continue;
    }
    if (r.start.date() < e->start) {
      ++summary.skipped["before the start of engagement " + in_quotes(e->id) + " (" + format_date(clock_days(e->start)) + ")"];
      continue;
    }
    if (e->end && r.start.date() > *e->end) {
      ++summary.skipped["after the end of engagement " + in_quotes(e->id) + " (" + format_date(clock_days(*e->end)) + ")"];
      continue;
    }

    // Kind: a named request first, then call, internal, the billable flag, the default.
    const std::vector<Text> texts = texts_of(r);
    std::vector<NamedRequest> named;
    revision.find(texts, named);
    change.find(texts, named);
    if (named.size() > 1)
      fail(r, named[1].column,
           "names more than one request: " + request_words(named[0].kind) + " " + in_quotes(named[0].id) + " and " +
               request_words(named[1].kind) + " " + in_quotes(named[1].id));
    EntryKind kind = mapping.default_kind;
    std::string request;
    if (!named.empty()) {
      kind = entry_kind_of(named[0].kind);
      request = named[0].id;
      const RequestIndex existing_request = e->journal.find_request(request);
      if (existing_request != no_request) {
        const Request& have = e->journal.requests[static_cast<std::size_t>(existing_request)];
        if (have.kind != named[0].kind)
          fail(r, named[0].column,
               in_quotes(request) + " is a " + request_words(have.kind) + " of engagement " + in_quotes(e->id) +
                   ", but this row names a " + request_words(named[0].kind));
      }
    } else if (call.matches(r, texts)) {
      kind = EntryKind::call;
    } else if (internal.matches(r, texts)) {
      kind = EntryKind::internal;
    } else if (r.billable == false) {
      if (!mapping.non_billable) {
        ++summary.skipped["non-billable (the mapping skips these)"];
        continue;
      }
      kind = *mapping.non_billable;
    }

    const std::string note = r.description.empty() ? r.task : r.description;
    const ClockSeconds start = clock_seconds(r.start);
    auto [have, first_time] = existing.try_emplace(e);
    if (first_time) {
      const Entries& entries = e->journal.entries;
      for (std::size_t i = 0; i < entries.size(); ++i)
        ++have->second[entry_key(entries.starts()[i], entries.seconds()[i], entries.kinds()[i], entries.note(i))];
    }
    const auto dup = have->second.find(entry_key(start, r.seconds, kind, note));
    if (dup != have->second.end() && dup->second > 0) {
      --dup->second;
      ++summary.duplicates;
      continue;
    }

    if (!request.empty() && e->journal.find_request(request) == no_request) {
      const auto [at, created] = new_request_at.try_emplace({e->id, request}, result.requests.size());
      if (created) {
        Request q;
        q.id = request;
        q.kind = kind == EntryKind::revision ? RequestKind::revision : RequestKind::change;
        q.received = r.start;
        result.requests.push_back({e->id, std::move(q)});
      } else {
        Request& q = result.requests[at->second].request;
        q.received = std::min(q.received, r.start);  // received when work on it first started
      }
    }
    result.entries.push_back({e->id, r.start, r.seconds, kind, request, note, r.line});
    ++summary.imported;
    ++summary.by_engagement[e->id];
  }

  std::stable_sort(result.entries.begin(), result.entries.end(),
                   [](const ImportedEntry& a, const ImportedEntry& b) { return a.start < b.start; });
  std::stable_sort(result.requests.begin(), result.requests.end(), [](const NewRequest& a, const NewRequest& b) {
    return a.request.received < b.request.received;
  });
  for (const NewRequest& q : result.requests) summary.new_requests.push_back(q.engagement + "/" + q.request.id);
  return result;
}

ImportResult import_entries(Tracker tracker, std::istream& in, std::string_view file, const Book& book, const Mapping& mapping) {
  return map_rows(read_tracker(tracker, in, file, mapping), book, mapping);
}

ImportResult import_entries(Tracker tracker, const std::filesystem::path& file, const Book& book, const Mapping& mapping) {
  return map_rows(read_tracker(tracker, file, mapping), book, mapping);
}

Book apply_import(const Book& book, const ImportResult& result) {
  Book out = book;
  Recorder recorder(out);
  for (const NewRequest& q : result.requests) recorder.record(q);
  // Written with `end`, as the tracker recorded start and end.
  for (const ImportedEntry& e : result.entries)
    recorder.record(NewEntry{e.engagement, e.start, e.seconds, e.kind, e.request, e.note, false});
  return out;
}

ImportSummary import_file(const std::filesystem::path& book_file, Tracker tracker, const std::filesystem::path& export_file,
                          const Mapping& mapping) {
  // The whole read–modify–write holds the book's lock: a concurrent writer's change is not lost.
  const std::unique_ptr<BookStore> store = open_book(book_file);
  const BookLock held = store->lock();
  const Book book = store->load();
  const ImportResult result = import_entries(tracker, export_file, book, mapping);
  const Book updated = apply_import(book, result);  // throws, and nothing is saved, if the result breaks a rule
  if (!result.entries.empty() || !result.requests.empty()) store->save(updated);
  return result.summary;
}

std::string to_text(const ImportSummary& s) {
  std::ostringstream out;
  out << s.file << " (" << display_name(s.tracker) << ", dates read as " << s.date_format << ")\n";
  out << "  rows read:  " << s.rows_read << '\n';
  out << "  imported:   " << s.imported;
  if (!s.by_engagement.empty()) {
    out << " (";
    bool first = true;
    for (const auto& [engagement, count] : s.by_engagement) out << (first ? "" : ", ") << engagement << ' ' << count, first = false;
    out << ')';
  }
  out << '\n';
  out << "  duplicates: " << s.duplicates << (s.duplicates ? " (already in the book, not imported again)" : "") << '\n';
  out << "  skipped:    " << s.skipped_total() << '\n';
  for (const auto& [reason, count] : s.skipped) out << "    " << count << ' ' << reason << '\n';
  if (!s.new_requests.empty()) {
    out << "  new requests:";
    for (const std::string& q : s.new_requests) out << ' ' << q;
    out << '\n';
  }
  return out.str();
}

}  // namespace kontingent
