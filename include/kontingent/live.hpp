#pragma once
// A live balance for a time-tracking app: the engagement's remaining contingent, rounds used and
// unbilled total, kept current as entries are appended, at the same cost for the 10th entry as for
// the 10^7th. It holds the evaluation's own Tally and feeds each appended entry through the same
// per-entry step as evaluate() (add_entries); the money comes from the same billing functions
// (report_from_tally), and each entry is checked by record_entry(), as every writer checks it. No
// billing rule is written here.
#include <optional>
#include <string>
#include <string_view>

#include "kontingent/evaluate.hpp"
#include "kontingent/record.hpp"

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
  /// as in evaluate(), not counted. Throws validation_error, as record() does, for an entry that
  /// breaks a rule of a valid book (docs/formats.md); the balance is then unchanged.
  void append(ClockSeconds start, Seconds seconds, EntryKind kind, RequestIndex request = no_request,
              std::string_view note = {}) {
    record_entry(engagement_, start, seconds, kind, request, note, seconds % 60 == 0);
    add_entry(tally_, rules_, start, seconds, kind, request);
  }
  void append(const Entry& entry) {
    const ClockSeconds start = clock_seconds(entry.start);
    record_entry(engagement_, start, entry.seconds, entry.kind, entry.request, entry.note, entry.written_as_minutes);
    add_entry(tally_, rules_, start, entry.seconds, entry.kind, entry.request);
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
  Engagement engagement_;
  Date as_of_;
  Tally tally_;
  TallyRules rules_;
};

}  // namespace kontingent
