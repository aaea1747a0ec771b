// From rows to entries of a book: engagement, kind, request and due date of each row (the Mapping),
// what the book already has (an earlier import: exact duplicates, overlaps, or with a replaced period
// the entries matched by start), and applying the result to a copy of the book that is validated
// whole before anyone sees it. The book is indexed once, so an import costs the rows plus the
// engagements it touches, not rows × engagements.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "imports/import_detail.hpp"
#include "imports/pattern.hpp"
#include "kontingent/error.hpp"
#include "kontingent/store.hpp"

namespace kontingent {
namespace {

using detail::iequals;

std::string source_of(const Mapping& m) { return m.source.empty() ? "mapping" : m.source; }

using detail::Pattern;

/// `pattern` compiled; `captures` names what its first group must capture (the request's number,
/// the due date), or is empty for a pattern that needs no group.
Pattern compile(const std::string& pattern, const Mapping& m, const std::string& where, std::string_view captures) {
  std::string rule;
  std::optional<Pattern> re = Pattern::compile(pattern, rule);
  if (!re) throw import_error(source_of(m), 0, 0, where + ": " + rule);
  if (!captures.empty() && re->groups() < 1)
    throw import_error(source_of(m), 0, 0,
                       where + ": " + detail::quoted(pattern) + " needs a group in parentheses that captures " + std::string(captures));
  return *re;
}

/// The patterns of the mapping's list `list` ("revision.words"), compiled.
std::vector<Pattern> compile_all(const std::vector<std::string>& patterns, const Mapping& m, const std::string& list,
                                 std::string_view captures = {}) {
  std::vector<Pattern> out;
  for (std::size_t i = 0; i < patterns.size(); ++i)
    out.push_back(compile(patterns[i], m, list + "[" + std::to_string(i) + "]", captures));
  return out;
}

/// The texts of a row that kind rules look at, with where each is in the file.
struct Text {
  std::string_view value;
  std::size_t column;
};

std::vector<Text> texts_of(const TrackedRow& r) {
  std::vector<Text> texts;
  const auto add = [&](std::string_view text, std::size_t column) {
    if (!text.empty()) texts.push_back({text, column});
  };
  add(r.description, r.description_column);
  add(r.task, r.task_column);
  for (const std::string& tag : r.tags) add(tag, r.tags_column);
  return texts;
}

struct CompiledKind {
  const KindRule* rule;
  std::vector<Pattern> patterns;

  bool matches(const TrackedRow& r, const std::vector<Text>& texts) const {
    for (const std::string& word : rule->tags) {
      for (const std::string& tag : r.tags)
        if (iequals(tag, word)) return true;
      if (!r.task.empty() && iequals(r.task, word)) return true;
    }
    for (const Pattern& re : patterns)
      for (const Text& t : texts)
        if (re.found_in(t.value)) return true;
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
  std::vector<Pattern> patterns;
  std::vector<Pattern> words;

  void find(const std::vector<Text>& texts, std::vector<NamedRequest>& out) const {
    for (const Text& t : texts)
      for (const Pattern& re : patterns)
        for (const std::string& number : re.first_groups(t.value)) {
          std::string id = rule->id;
          for (std::size_t at = id.find("{n}"); at != std::string::npos; at = id.find("{n}", at + number.size()))
            id.replace(at, 3, number);
          const bool known = std::any_of(out.begin(), out.end(), [&](const NamedRequest& n) { return n.id == id && n.kind == kind; });
          if (!known) out.push_back({kind, std::move(id), t.column});
        }
  }

  bool names_without_number(const std::vector<Text>& texts) const {
    for (const Text& t : texts)
      for (const Pattern& re : words)
        if (re.found_in(t.value)) return true;
    return false;
  }
};

std::string request_words(RequestKind kind) { return kind == RequestKind::revision ? "revision round" : "change request"; }

/// A due date a row gives, and where.
struct NamedDue {
  ClockSeconds due;
  std::size_t column;
};

/// The due date patterns: the first date any of them finds in a row's texts. A date alone is due at
/// 23:59 of that day (the end of the working day the client named).
class DueFinder {
 public:
  DueFinder(const Mapping& m) : patterns_(compile_all(m.due, m, "due", "the due date")) {}

  /// Throws (through `fail`) on a date that is not one, or on two different dates in one row.
  template <class Fail>
  std::optional<NamedDue> find(const std::vector<Text>& texts, const Fail& fail) const {
    std::optional<NamedDue> found;
    for (const Text& t : texts)
      for (const Pattern& re : patterns_)
        for (const std::string& text : re.first_groups(t.value)) {
          std::string rule;
          const bool with_time = text.find('T') != std::string::npos;
          const ClockSeconds due = with_time ? parse_time(text, rule) : Seconds{parse_date(text, rule)} * seconds_per_day + 23 * 3600 + 59 * 60;
          if (!rule.empty()) fail(t.column, "not a due date: " + detail::quoted(text) + " (" + rule + ")");
          if (found && found->due != due)
            fail(t.column, "names two due dates: " + format_time(found->due) + " and " + format_time(due));
          found = NamedDue{due, t.column};
        }
    return found;
  }

 private:
  std::vector<Pattern> patterns_;
};

/// The book's engagements and clients by the names rows use, built once: ids, titles, client ids and
/// names, ignoring ASCII case, each to the first in book order.
class BookIndex {
 public:
  explicit BookIndex(const Book& book) : book_(book) {
    // Sized once: a book may hold 10^5 clients, and growing a table rehashes all it holds.
    by_id_.reserve(book.engagements.size());
    by_name_.reserve(2 * book.engagements.size());
    only_engagement_.reserve(book.clients.size());
    clients_.reserve(2 * book.clients.size());
    for (std::size_t i = 0; i < book.engagements.size(); ++i) {
      const Engagement& e = book.engagements[i];
      by_id_.try_emplace(e.id, i);
      by_name_.try_emplace(detail::ascii_lower(e.id), i);
      if (!e.title.empty()) by_name_.try_emplace(detail::ascii_lower(e.title), i);  // first of id or title wins
      auto [at, first] = only_engagement_.try_emplace(e.client, i);
      if (!first) at->second = several;
    }
    for (std::size_t i = 0; i < book.clients.size(); ++i) {
      clients_.try_emplace(detail::ascii_lower(book.clients[i].id), i);
      clients_.try_emplace(detail::ascii_lower(book.clients[i].name), i);
    }
  }

  const Engagement* engagement(const std::string& id) const {
    const auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &book_.engagements[it->second];
  }
  /// The first engagement whose id or title is `name`.
  const Engagement* engagement_named(const std::string& name) const {
    const auto it = by_name_.find(detail::ascii_lower(name));
    return it == by_name_.end() ? nullptr : &book_.engagements[it->second];
  }
  /// The only engagement of the first client whose id or name is `name`; none if it has several.
  const Engagement* only_engagement_of_client(const std::string& name) const {
    const auto client = clients_.find(detail::ascii_lower(name));
    if (client == clients_.end()) return nullptr;
    const auto it = only_engagement_.find(book_.clients[client->second].id);
    return it == only_engagement_.end() || it->second == several ? nullptr : &book_.engagements[it->second];
  }

 private:
  static constexpr std::size_t several = static_cast<std::size_t>(-1);
  const Book& book_;
  std::unordered_map<std::string_view, std::size_t> by_id_;  ///< views of the book's own ids
  std::unordered_map<std::string, std::size_t> by_name_, clients_;  ///< lower case
  std::unordered_map<std::string_view, std::size_t> only_engagement_;  ///< client id → its engagement, or `several`
};

/// Finds the engagement of a row: the mapping's one, its rules, then the defaults.
class EngagementFinder {
 public:
  EngagementFinder(const BookIndex& index, const Mapping& m) : index_(index), mapping_(m) {
    if (!m.engagement.empty() && !index.engagement(m.engagement))
      throw import_error(source_of(m), 0, 0, "engagement: the book has no engagement " + detail::quoted(m.engagement));
    for (std::size_t i = 0; i < m.engagements.size(); ++i)
      if (!index.engagement(m.engagements[i].engagement))
        throw import_error(source_of(m), 0, 0,
                           "engagements[" + std::to_string(i) + "].engagement: the book has no engagement " +
                               detail::quoted(m.engagements[i].engagement));
  }

  const Engagement* find(const std::string& client, const std::string& project) {
    const auto key = std::make_pair(client, project);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    return cache_[key] = lookup(client, project);
  }

  /// The engagements the mapping names: a replaced period covers them even when no row maps to them.
  std::vector<const Engagement*> named() const {
    std::vector<const Engagement*> out;
    if (!mapping_.engagement.empty()) out.push_back(index_.engagement(mapping_.engagement));
    for (const EngagementRule& rule : mapping_.engagements) out.push_back(index_.engagement(rule.engagement));
    return out;
  }

 private:
  const Engagement* lookup(const std::string& client, const std::string& project) const {
    if (!mapping_.engagement.empty()) return index_.engagement(mapping_.engagement);
    for (const EngagementRule& rule : mapping_.engagements)
      if ((rule.client.empty() || iequals(rule.client, client)) && (rule.project.empty() || iequals(rule.project, project)))
        return index_.engagement(rule.engagement);
    if (!project.empty())
      if (const Engagement* e = index_.engagement_named(project)) return e;
    if (!client.empty()) return index_.only_engagement_of_client(client);
    return nullptr;
  }

  const BookIndex& index_;
  const Mapping& mapping_;
  std::map<std::pair<std::string, std::string>, const Engagement*> cache_;
};

std::string no_engagement_reason(const TrackedRow& r) {
  if (r.client.empty() && r.project.empty()) return "no engagement for rows without client and project";
  if (r.client.empty()) return "no engagement for project " + detail::quoted(r.project);
  if (r.project.empty()) return "no engagement for client " + detail::quoted(r.client);
  return "no engagement for client " + detail::quoted(r.client) + ", project " + detail::quoted(r.project);
}

constexpr std::string_view overlap_reason = "overlaps an entry already in the book";

/// How an entry is recognised on a second import of the same rows.
std::string entry_key(ClockSeconds start, Seconds seconds, EntryKind kind, std::string_view note) {
  std::string key = std::to_string(start) + '|' + std::to_string(seconds) + '|' + std::string(name(kind)) + '|';
  key += note;
  return key;
}

/// A row the mapping understood, before it is set against the book.
struct Candidate {
  const TrackedRow* row;
  const Engagement* engagement;
  EntryKind kind;
  std::string request;
  std::string note;
  std::optional<NamedDue> due;
  EntryMention mention() const { return {engagement->id, row->start, row->seconds, kind, note}; }
};

EntryMention mention_of(const Engagement& e, std::size_t i) {
  const Entries& entries = e.journal.entries;
  return {e.id, to_time(entries.starts()[i]), entries.seconds()[i], entries.kinds()[i], std::string(entries.note(i))};
}

/// An engagement's entries as half-open intervals [start, end), sorted by start, with the running
/// latest end: one binary search finds an entry a new interval overlaps.
class OverlapIndex {
 public:
  /// The entries `i` of `e` for which `include(i)`.
  template <class Include>
  OverlapIndex(const Engagement& e, const Include& include) {
    const Entries& entries = e.journal.entries;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (include(i)) spans_.push_back({entries.starts()[i], entries.starts()[i] + entries.seconds()[i], i});
    std::sort(spans_.begin(), spans_.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
    for (std::size_t k = 0; k < spans_.size(); ++k)
      latest_.push_back(k > 0 && spans_[latest_[k - 1]].end >= spans_[k].end ? latest_[k - 1] : k);
  }

  /// An entry (its index) that [start, start + seconds) overlaps: one that starts before the end
  /// and ends after the start.
  std::optional<std::size_t> overlapping(ClockSeconds start, Seconds seconds) const {
    const auto before_end = std::lower_bound(spans_.begin(), spans_.end(), start + seconds,
                                             [](const Span& s, ClockSeconds t) { return s.start < t; });
    if (before_end == spans_.begin()) return std::nullopt;
    const Span& latest = spans_[latest_[static_cast<std::size_t>(before_end - spans_.begin()) - 1]];
    if (latest.end > start) return latest.entry;
    return std::nullopt;
  }

 private:
  struct Span {
    ClockSeconds start, end;
    std::size_t entry;
  };
  std::vector<Span> spans_;
  std::vector<std::size_t> latest_;  ///< k → the span among 0..k that ends last
};

/// Sets the candidates against the book and collects the result.
class Merger {
 public:
  Merger(const TrackerExport& rows, const ImportMode& mode, ImportResult& result)
      : rows_(rows), mode_(mode), result_(result) {}

  /// Default mode: an exact duplicate is already there, an overlap is skipped, the rest is added.
  void add_or_skip(const Candidate& c) {
    Known& known = known_of(*c.engagement);
    const ClockSeconds start = clock_seconds(c.row->start);
    const auto dup = known.keys.find(entry_key(start, c.row->seconds, c.kind, c.note));
    if (dup != known.keys.end() && dup->second > 0) {
      --dup->second;  // each existing entry absorbs one row: two equal rows imported twice stay two
      ++result_.summary.duplicates;
      return;
    }
    if (!skip_overlap(c, known.spans)) add(c);
  }

  /// Sync: the period's entries of `e` against the rows of the period mapped to it.
  void replace(const Engagement& e, const std::vector<const Candidate*>& rows) {
    const Entries& entries = e.journal.entries;
    const Period& period = *mode_.replace_period;
    std::multimap<ClockSeconds, std::size_t> in_period;  // start → entry index, not yet matched
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (period.contains(to_date(day_of(entries.starts()[i])))) in_period.emplace(entries.starts()[i], i);
    const OverlapIndex kept(e, [&](std::size_t i) { return !period.contains(to_date(day_of(entries.starts()[i]))); });

    for (const Candidate* c : rows) {
      const ClockSeconds start = clock_seconds(c->row->start);
      const auto [first, last] = in_period.equal_range(start);
      auto same = std::find_if(first, last, [&](const auto& at) { return same_entry(e, at.second, *c); });
      if (same != last) {
        in_period.erase(same);
        ++result_.summary.duplicates;
        continue;
      }
      if (skip_overlap(*c, kept)) continue;
      if (first == last) {
        add(*c);
        continue;
      }
      ++result_.summary.changed;  // same engagement and start, other length, kind, request or note
      result_.summary.changes.push_back({c->row->line, c->mention(), mention_of(e, first->second)});
      result_.removals.push_back({e.id, first->second});
      in_period.erase(first);
      add(*c, false);
    }
    std::vector<std::size_t> gone;
    for (const auto& [start, i] : in_period) gone.push_back(i);
    std::sort(gone.begin(), gone.end());
    for (const std::size_t i : gone) {
      result_.removals.push_back({e.id, i});
      result_.summary.removals.push_back(mention_of(e, i));
    }
    result_.summary.removed += gone.size();
  }

  /// The new requests, sorted by the start of their first entry, with their due dates.
  void finish_requests() {
    for (std::size_t i = 0; i < result_.requests.size(); ++i) {
      Request& q = result_.requests[i].request;
      const DueFrom& due = dues_[i];
      if (!due.due) continue;
      if (due.due->due < clock_seconds(q.received))
        throw import_error(rows_.file, due.line, due.due->column,
                           "due " + format_time(due.due->due) + " is before " + request_words(q.kind) + " " + detail::quoted(q.id) +
                               " was received " + format_time(clock_seconds(q.received)) + " (the start of its first entry)");
      q.due = to_time(due.due->due);
    }
    std::vector<std::size_t> order(result_.requests.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return result_.requests[a].request.received < result_.requests[b].request.received;
    });
    std::vector<NewRequest> sorted;
    for (const std::size_t i : order) {
      sorted.push_back(std::move(result_.requests[i]));
      const std::string name = sorted.back().engagement + "/" + sorted.back().request.id;
      result_.summary.new_requests.push_back(name);
      if (!sorted.back().request.due) result_.summary.requests_without_due.push_back(name);
    }
    result_.requests = std::move(sorted);
  }

 private:
  /// What the book has of an engagement, built the first time a row goes there.
  struct Known {
    std::unordered_map<std::string, std::size_t> keys;  ///< entry_key → entries with it
    OverlapIndex spans;
  };
  struct DueFrom {
    std::optional<NamedDue> due;
    std::size_t line = 0;
  };

  Known& known_of(const Engagement& e) {
    auto it = known_.find(&e);
    if (it == known_.end()) {
      Known k{{}, OverlapIndex(e, [](std::size_t) { return true; })};
      const Entries& entries = e.journal.entries;
      for (std::size_t i = 0; i < entries.size(); ++i)
        ++k.keys[entry_key(entries.starts()[i], entries.seconds()[i], entries.kinds()[i], entries.note(i))];
      it = known_.emplace(&e, std::move(k)).first;
    }
    return it->second;
  }

  bool same_entry(const Engagement& e, std::size_t i, const Candidate& c) const {
    const Entries& entries = e.journal.entries;
    const RequestIndex q = entries.requests()[i];
    const std::string_view request = q == no_request ? std::string_view{} : e.journal.requests[static_cast<std::size_t>(q)].id;
    return entries.seconds()[i] == c.row->seconds && entries.kinds()[i] == c.kind && entries.note(i) == c.note &&
           request == c.request;
  }

  bool skip_overlap(const Candidate& c, const OverlapIndex& spans) {
    const auto other = spans.overlapping(clock_seconds(c.row->start), c.row->seconds);
    if (!other) return false;
    ++result_.summary.skipped[std::string(overlap_reason)];
    result_.summary.overlaps.push_back({c.row->line, c.mention(), mention_of(*c.engagement, *other)});
    return true;
  }

  void add(const Candidate& c, bool counts_as_new = true) {
    const Engagement& e = *c.engagement;
    if (!c.request.empty() && e.journal.find_request(c.request) == no_request) {
      const auto [at, created] = new_request_at_.try_emplace({e.id, c.request}, result_.requests.size());
      if (created) {
        Request q;
        q.id = c.request;
        q.kind = c.kind == EntryKind::revision ? RequestKind::revision : RequestKind::change;
        q.received = c.row->start;
        result_.requests.push_back({e.id, std::move(q)});
        dues_.push_back({});
      } else {
        Request& q = result_.requests[at->second].request;
        q.received = std::min(q.received, c.row->start);  // received when work on it first started
      }
      DueFrom& due = dues_[at->second];
      if (c.due) {
        if (due.due && due.due->due != c.due->due)
          throw import_error(rows_.file, c.row->line, c.due->column,
                             "due " + format_time(c.due->due) + ", but line " + std::to_string(due.line) + " gives " +
                                 request_words(result_.requests[at->second].request.kind) + " " + detail::quoted(c.request) +
                                 " the due date " + format_time(due.due->due));
        if (!due.due) due = {c.due, c.row->line};
      }
    }
    result_.entries.push_back({e.id, c.row->start, c.row->seconds, c.kind, c.request, c.note, c.row->line});
    if (counts_as_new) ++result_.summary.imported;
    ++result_.summary.by_engagement[e.id];
  }

  const TrackerExport& rows_;
  const ImportMode& mode_;
  ImportResult& result_;
  std::unordered_map<const Engagement*, Known> known_;
  std::map<std::pair<std::string, std::string>, std::size_t> new_request_at_;  // (engagement, id) → index in result.requests
  std::vector<DueFrom> dues_;                                                  // parallel to result.requests
};

}  // namespace

Period parse_period(std::string_view text, std::string_view where) {
  const std::size_t dots = text.find("..");
  const auto bad = [&](const std::string& rule) { throw validation_error(std::string(where), rule); };
  if (dots == std::string_view::npos) bad("expected FROM..TO (two dates YYYY-MM-DD), got " + detail::quoted(text));
  std::string rule;
  const ClockDays first = parse_date(text.substr(0, dots), rule);
  if (!rule.empty()) bad(rule);
  const ClockDays last = parse_date(text.substr(dots + 2), rule);
  if (!rule.empty()) bad(rule);
  if (last < first) bad("the period ends " + format_date(last) + ", before it starts " + format_date(first));
  return {to_date(first), to_date(last)};
}

std::string format_period(const Period& p) { return format_date(clock_days(p.first)) + ".." + format_date(clock_days(p.last)); }

ImportResult map_rows(const TrackerExport& rows, const Book& book, const Mapping& mapping, const ImportMode& mode) {
  constexpr std::string_view number = "the request's number";
  const CompiledKind call{&mapping.call, compile_all(mapping.call.patterns, mapping, "call.patterns")};
  const CompiledKind internal{&mapping.internal, compile_all(mapping.internal.patterns, mapping, "internal.patterns")};
  const CompiledRequests revision{RequestKind::revision, &mapping.revision,
                                  compile_all(mapping.revision.patterns, mapping, "revision.patterns", number),
                                  compile_all(mapping.revision.words, mapping, "revision.words")};
  const CompiledRequests change{RequestKind::change, &mapping.change, compile_all(mapping.change.patterns, mapping, "change.patterns", number),
                                compile_all(mapping.change.words, mapping, "change.words")};
  const DueFinder dues(mapping);
  for (const EntryKind k : {mapping.default_kind, mapping.non_billable.value_or(EntryKind::internal)})
    if (k == EntryKind::revision || k == EntryKind::change)
      throw import_error(source_of(mapping), 0, 0,
                         "a \"" + std::string(name(k)) + "\" entry needs its request: it cannot be the kind of every row");
  const BookIndex index(book);
  EngagementFinder engagements(index, mapping);

  ImportResult result;
  ImportSummary& summary = result.summary;
  summary.tracker = rows.tracker;
  summary.file = rows.file;
  summary.rows_read = rows.rows_read;
  summary.skipped = rows.skipped;
  summary.date_format = rows.date_format;
  summary.replaced = mode.replace_period;

  const auto fail = [&](const TrackedRow& r, std::size_t column, std::string rule) -> void {
    throw import_error(rows.file, r.line, column ? column : r.start_column, std::move(rule));
  };

  // With a replaced period: the engagements its rows (of any day) map to, or the mapping names; in
  // book order, as they point into book.engagements.
  std::set<const Engagement*> synced;
  if (mode.replace_period)
    for (const Engagement* e : engagements.named()) synced.insert(e);
  std::vector<Candidate> candidates;
  for (const TrackedRow& r : rows.rows) {
    const Engagement* e = engagements.find(r.client, r.project);
    if (mode.replace_period && !mode.replace_period->contains(r.start.date())) {
      if (e) synced.insert(e);
      ++summary.outside_period;
      continue;
    }
    if (!e) {
      ++summary.skipped[no_engagement_reason(r)];
      continue;
    }
    if (mode.replace_period) synced.insert(e);
    if (r.start.date() < e->start) {
      ++summary.skipped["before the start of engagement " + detail::quoted(e->id) + " (" + format_date(clock_days(e->start)) + ")"];
      continue;
    }
    if (e->end && r.start.date() > *e->end) {
      ++summary.skipped["after the end of engagement " + detail::quoted(e->id) + " (" + format_date(clock_days(*e->end)) + ")"];
      continue;
    }

    // Kind: a named request first, then call, internal, the billable flag, the default.
    const std::vector<Text> texts = texts_of(r);
    std::vector<NamedRequest> named;
    revision.find(texts, named);
    change.find(texts, named);
    if (named.size() > 1)
      fail(r, named[1].column,
           "names more than one request: " + request_words(named[0].kind) + " " + detail::quoted(named[0].id) + " and " +
               request_words(named[1].kind) + " " + detail::quoted(named[1].id));
    EntryKind kind = mapping.default_kind;
    std::string request;
    std::optional<NamedDue> due;
    if (!named.empty()) {
      kind = entry_kind_of(named[0].kind);
      request = named[0].id;
      const RequestIndex existing_request = e->journal.find_request(request);
      if (existing_request != no_request) {
        const Request& have = e->journal.requests[static_cast<std::size_t>(existing_request)];
        if (have.kind != named[0].kind)
          fail(r, named[0].column,
               detail::quoted(request) + " is a " + request_words(have.kind) + " of engagement " + detail::quoted(e->id) +
                   ", but this row names a " + request_words(named[0].kind));
      }
      due = dues.find(texts, [&](std::size_t column, std::string rule) { fail(r, column, std::move(rule)); });
    } else if (revision.names_without_number(texts) || change.names_without_number(texts)) {
      const RequestKind which = revision.names_without_number(texts) ? RequestKind::revision : RequestKind::change;
      ++summary.skipped["names a " + request_words(which) + " without its number (" +
                        (which == RequestKind::revision ? "\"Korrekturrunde 2\", \"R2\"" : "\"Änderungswunsch 2\", \"CR-2\"") +
                        ")"];
      continue;
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
    candidates.push_back({&r, e, kind, std::move(request), r.description.empty() ? r.task : r.description, due});
  }

  Merger merger(rows, mode, result);
  if (!mode.replace_period) {
    for (const Candidate& c : candidates) merger.add_or_skip(c);
  } else {
    std::unordered_map<const Engagement*, std::vector<const Candidate*>> by_engagement;
    for (const Candidate& c : candidates) by_engagement[c.engagement].push_back(&c);
    for (const Engagement* e : synced) {
      merger.replace(*e, by_engagement[e]);
      summary.replaced_in.push_back(e->id);
    }
    std::sort(summary.replaced_in.begin(), summary.replaced_in.end());
    std::sort(summary.changes.begin(), summary.changes.end(),
              [](const EntryConflict& a, const EntryConflict& b) { return a.line < b.line; });
  }
  std::sort(summary.overlaps.begin(), summary.overlaps.end(),
            [](const EntryConflict& a, const EntryConflict& b) { return a.line < b.line; });
  merger.finish_requests();
  std::stable_sort(result.entries.begin(), result.entries.end(),
                   [](const ImportedEntry& a, const ImportedEntry& b) { return a.start < b.start; });

  if (mode.strict && summary.skipped_total() > 0) {
    std::string reasons;
    for (const auto& [reason, count] : summary.skipped) reasons += (reasons.empty() ? "" : "; ") + std::to_string(count) + " " + reason;
    throw import_error(rows.file, 0, 0,
                       "strict: " + std::to_string(summary.skipped_total()) + " of " + std::to_string(summary.rows_read) +
                           " rows would not be imported (" + reasons + "); nothing was imported");
  }
  return result;
}

ImportResult import_entries(Tracker tracker, std::istream& in, std::string_view file, const Book& book, const Mapping& mapping,
                            const ImportMode& mode) {
  return map_rows(read_tracker(tracker, in, file, mapping), book, mapping, mode);
}

ImportResult import_entries(Tracker tracker, const std::filesystem::path& file, const Book& book, const Mapping& mapping,
                            const ImportMode& mode) {
  return map_rows(read_tracker(tracker, file, mapping), book, mapping, mode);
}

Book apply_import(const Book& book, const ImportResult& result) {
  Book out = book;
  if (!result.removals.empty()) {
    std::unordered_map<std::string, std::vector<std::size_t>> gone;  // engagement → entry indexes
    for (const RemovedEntry& r : result.removals) gone[r.engagement].push_back(r.index);
    for (Engagement& e : out.engagements) {
      const auto it = gone.find(e.id);
      if (it == gone.end()) continue;
      std::vector<bool> removed(e.journal.entries.size());
      for (const std::size_t i : it->second) removed.at(i) = true;
      Entries kept;
      kept.reserve(e.journal.entries.size() - it->second.size());
      for (std::size_t i = 0; i < removed.size(); ++i)
        if (!removed[i]) kept.push_back(e.journal.entries[i]);
      e.journal.entries = std::move(kept);
    }
  }
  Recorder recorder(out);
  for (const NewRequest& q : result.requests) recorder.record(q);
  // Written with `end`, as the tracker recorded start and end.
  for (const ImportedEntry& e : result.entries)
    recorder.record(NewEntry{e.engagement, e.start, e.seconds, e.kind, e.request, e.note, false});
  return out;
}

ImportSummary import_file(const std::filesystem::path& book_file, Tracker tracker, const std::filesystem::path& export_file,
                          const Mapping& mapping, const ImportMode& mode, bool dry_run) {
  // The whole read–modify–write holds the book's lock: a concurrent writer's change is not lost.
  const std::unique_ptr<BookStore> store = open_book(book_file);
  const BookLock held = store->lock();
  const Book book = store->load();
  const ImportResult result = import_entries(tracker, export_file, book, mapping, mode);
  const Book updated = apply_import(book, result);  // throws, and nothing is saved, if the result breaks a rule
  if (result.changes_book() && !dry_run) store->save(updated);
  return result.summary;
}

namespace {

/// A summary line names at most this many engagements (an import into 10^5 of them stays readable).
constexpr std::size_t engagements_named = 10;

std::string more(std::size_t total) {
  return total > engagements_named ? ", and " + std::to_string(total - engagements_named) + " more" : "";
}

std::string describe(const EntryMention& m) {
  std::string out = format_time(clock_seconds(m.start)) + ' ' + format_duration(m.seconds) + ' ' + std::string(name(m.kind));
  if (!m.note.empty()) out += ' ' + detail::quoted(m.note.size() > 60 ? m.note.substr(0, 57) + "..." : m.note);
  return out;
}

}  // namespace

std::string to_text(const ImportSummary& s) {
  std::ostringstream out;
  out << s.file << " (" << display_name(s.tracker) << ", dates read as " << s.date_format << ")\n";
  out << "  rows read:  " << s.rows_read << '\n';
  if (s.replaced) {
    out << "  replacing:  " << format_period(*s.replaced) << " of ";
    if (s.replaced_in.empty()) out << "no engagement (no row maps to one)";
    for (std::size_t i = 0; i < std::min(s.replaced_in.size(), engagements_named); ++i) out << (i ? ", " : "") << s.replaced_in[i];
    out << more(s.replaced_in.size()) << '\n';
  }
  out << "  imported:   " << s.imported;
  if (!s.by_engagement.empty()) {
    out << " (";
    std::size_t named = 0;
    for (auto it = s.by_engagement.begin(); it != s.by_engagement.end() && named < engagements_named; ++it, ++named)
      out << (named ? ", " : "") << it->first << ' ' << it->second;
    out << more(s.by_engagement.size()) << ')';
  }
  out << '\n';
  if (s.replaced) {
    out << "  changed:    " << s.changed << '\n';
    for (const EntryConflict& c : s.changes)
      out << "    line " << c.line << ": " << c.book.engagement << ' ' << describe(c.book) << " -> " << describe(c.row) << '\n';
    out << "  removed:    " << s.removed << '\n';
    for (const EntryMention& m : s.removals) out << "    " << m.engagement << ' ' << describe(m) << '\n';
  }
  out << "  duplicates: " << s.duplicates << (s.duplicates ? " (already in the book, not imported again)" : "") << '\n';
  if (s.replaced) out << "  outside the period: " << s.outside_period << (s.outside_period ? " (left out)" : "") << '\n';
  out << "  skipped:    " << s.skipped_total() << '\n';
  for (const auto& [reason, count] : s.skipped) out << "    " << count << ' ' << reason << '\n';
  for (const EntryConflict& c : s.overlaps)
    out << "    line " << c.line << ": " << c.row.engagement << ' ' << describe(c.row) << " overlaps " << describe(c.book) << '\n';
  if (!s.new_requests.empty()) {
    out << "  new requests:";
    for (const std::string& q : s.new_requests) out << ' ' << q;
    out << '\n';
  }
  if (!s.requests_without_due.empty()) {
    out << "  without a due date (their rush cannot be known):";
    for (const std::string& q : s.requests_without_due) out << ' ' << q;
    out << '\n';
  }
  return out.str();
}

}  // namespace kontingent
