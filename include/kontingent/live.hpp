#pragma once
// A live balance for a time-tracking app: the engagement's remaining contingent, rounds used and
// unbilled total, kept current as entries are appended, at the same cost for the 10th entry as for
// the 10^7th. It holds the evaluation's own Tally and feeds each appended entry through the same
// per-entry step as evaluate() (add_entries); the money comes from the same billing functions
// (report_from_tally). No billing rule is written here.
#include <optional>
#include <string>
#include <string_view>

#include "kontingent/evaluate.hpp"

namespace kontingent {

/// The balance of one engagement at one as-of date, following appended entries. At every moment
/// report() equals evaluate(engagement(), as_of()).
class LiveBalance {
 public:
  /// Starts from the engagement as it is (a valid one, with whatever entries it already has).
  LiveBalance(Engagement engagement, Date as_of) : engagement_(std::move(engagement)), as_of_(as_of) {
    rules_ = begin_tally(engagement_, as_of_, tally_);
    const Entries& entries = engagement_.journal.entries;
    add_entries(tally_, rules_, entries.starts(), entries.seconds(), entries.kinds(), entries.requests());
  }

  /// Appends one entry: amortised O(1). `request` is the index of a request of the engagement
  /// (revision and change entries) or no_request. An entry dated after the as-of date is kept but,
  /// as in evaluate(), not counted. Throws validation_error for an entry evaluate() could not take.
  void append(ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request = no_request,
              std::string_view note = {}) {
    check(seconds, kind, request);
    engagement_.journal.entries.push_back(start, seconds, kind, request, note, seconds % 60 == 0);
    add_entry(tally_, rules_, start, seconds, kind, request);
  }
  void append(const Entry& entry) {
    check(entry.seconds, entry.kind, entry.request);
    engagement_.journal.entries.push_back(entry);
    add_entry(tally_, rules_, clock_seconds(entry.start), entry.seconds, entry.kind, entry.request);
  }

  /// Seconds left of the last period's contingent (the block, or the last retainer month counted
  /// in base, carry included), 0 once it is used up; none for fixed and hourly pricing.
  std::optional<Seconds> remaining_contingent() const {
    if (!engagement_.terms.has_contingent()) return std::nullopt;
    const std::vector<ContingentUse> periods = billing::contingent_periods(engagement_.terms, tally_);
    if (periods.empty()) return Seconds{0};
    return std::max<Seconds>(0, periods.back().available - periods.back().consumed);
  }
  /// Revision rounds used so far (requests received by the as-of date, not declined).
  std::int64_t rounds_used() const noexcept { return tally_.rounds_used; }
  /// Σ positive leakage over the categories, as in the report.
  Money unbilled() const { return report_from_tally(engagement_, as_of_, tally_).unbilled; }

  /// The whole report; equal to evaluate(engagement(), as_of()). Only after entries were appended
  /// out of time order does it cost more than O(1): the overlap alert then needs a sort.
  EngagementReport report() const {
    if (tally_.in_order) return report_from_tally(engagement_, as_of_, tally_);
    Tally t = tally_;
    t.overlap = detail::any_overlap(engagement_.journal.entries, rules_.cut_off);
    return report_from_tally(engagement_, as_of_, t);
  }

  const Engagement& engagement() const noexcept { return engagement_; }
  Date as_of() const noexcept { return as_of_; }
  const Tally& tally() const noexcept { return tally_; }

 private:
  /// What evaluate() needs of an entry to be defined at all; the rest of validate()'s rules are the caller's.
  void check(Seconds seconds, EntryKind kind, RequestIndex request) const {
    const auto fail = [&](const std::string& rule) {
      throw validation_error("entries[" + std::to_string(engagement_.journal.entries.size()) + "]", rule);
    };
    if (seconds <= 0) fail("an entry must last more than zero seconds");
    const bool wants_request = kind == EntryKind::revision || kind == EntryKind::change;
    const auto& requests = engagement_.journal.requests;
    if (!wants_request && request != no_request) fail("a " + std::string(name(kind)) + " entry has no request");
    if (wants_request && (request < 0 || static_cast<std::size_t>(request) >= requests.size() ||
                          name(requests[static_cast<std::size_t>(request)].kind) != name(kind)))
      fail("a " + std::string(name(kind)) + " entry needs a " + std::string(name(kind)) + " request of the engagement");
  }

  Engagement engagement_;
  Date as_of_;
  Tally tally_;
  TallyRules rules_;
};

}  // namespace kontingent
