#pragma once
// Client triage: whom to keep, whom to renegotiate with, whom to let go. Indicators come from the
// same evaluation as the report (and from a what-if for "what a call fee would have brought"); the
// verdict comes from one policy value whose thresholds docs/triage.md explains. Work that is not yet
// invoiceable (the current month, after the last invoice) is set apart before anything is judged,
// and a verdict needs a minimum of evidence: below it a row is "too early to tell".
#include <optional>
#include <string>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

/// The thresholds of the verdict, in one place. Percentages are whole percent.
struct TriagePolicy {
  /// An effective rate below this share of the list rate is a reason to renegotiate …
  std::int64_t renegotiate_below_rate_percent = 75;
  /// … and below this share, with at least `let_go_min_drains` drains, a reason to let go.
  std::int64_t let_go_below_rate_percent = 60;
  std::int64_t let_go_min_drains = 3;
  /// Drains: each one met is a reason with the money at stake.
  std::int64_t call_share_percent = 15;      ///< of worked time in calls
  std::int64_t revision_share_percent = 20;  ///< of worked time in revision work
  std::int64_t rush_share_percent = 25;      ///< of counted requests that were rush
  std::int64_t extra_rounds = 2;             ///< extra revision rounds, at least
  std::int64_t no_shows = 2;                 ///< missed or late-cancelled appointments, at least
  std::int64_t days_to_pay = 30;             ///< mean days to pay an invoice, more than
  /// The call fee the "would have brought" sentence tries on engagements without one: per started
  /// block beyond the free minutes, the block's time at the engagement's rate.
  std::int64_t suggested_free_minutes = 15;
  std::int64_t suggested_block_minutes = 30;
  /// The evidence a verdict needs: at least this many invoices by the as-of date …
  std::int64_t min_invoices = 1;
  /// … and at least this many hours of invoiceable work (worked before the open period).
  std::int64_t min_invoiceable_hours = 10;
  friend bool operator==(const TriagePolicy&, const TriagePolicy&) = default;
};

/// `too_early`: less evidence than the policy's minimum, so neither keep nor renegotiate nor let go.
enum class Verdict : std::uint8_t { keep, renegotiate, let_go, too_early };
template <>
struct enum_names<Verdict> {
  static constexpr std::array<std::string_view, 4> values{"keep", "renegotiate", "let_go", "too_early"};
};

/// What a reason is about. The last three are notes, never drains: `too_early` says why a row has
/// no verdict, `not_yet_invoiceable` names the open period and its billable amount (what the next
/// invoice should hold), `idle_retainer` warns of retainer months without any logged time.
enum class Drain : std::uint8_t {
  low_rate, calls, revisions, rush, no_shows, late_payment, unbilled, review_overdue, too_early, not_yet_invoiceable, idle_retainer
};
template <>
struct enum_names<Drain> {
  static constexpr std::array<std::string_view, 11> values{
      "low_rate",       "calls",     "revisions",           "rush",         "no_shows", "late_payment", "unbilled",
      "review_overdue", "too_early", "not_yet_invoiceable", "idle_retainer"};
};

struct Reason {
  Drain drain = Drain::low_rate;
  Money at_stake;        ///< what this costs or would have brought
  std::string sentence;  ///< "38 % of your time with ACME is calls; a call fee of …"
  friend bool operator==(const Reason&, const Reason&) = default;
};

enum class ReviewState : std::uint8_t { none, pending, overdue };
template <>
struct enum_names<ReviewState> {
  static constexpr std::array<std::string_view, 3> values{"none", "pending", "overdue"};
};

/// The numbers behind a verdict, for one engagement or one client (in one currency).
///
/// An engagement's *open period* is its work not yet invoiceable at the as-of date: from the later
/// of the first day of the as-of month and the day after its last invoice, to the as-of date (a
/// `not_yet_invoiceable` reason names it). `billable`, `unbilled` and the effective rate are those
/// of the work before it — the report's figures leave nothing out; `worked` and the shares count
/// all work.
struct Indicators {
  Money invoiced;            ///< by the as-of date
  Money billable, unbilled;  ///< of the work before the open period
  Money outstanding;  ///< invoiced by the as-of date and not yet paid
  Money list_rate;    ///< the terms' rate; for a client, hours-weighted over its engagements
  std::optional<Money> effective_rate;  ///< invoiced per hour worked before the open period; none without such work
  Seconds worked = 0;                   ///< all work by the as-of date, open period included
  KindSeconds seconds_by_kind;
  std::int64_t requests = 0, rush_requests = 0, extra_rounds = 0, no_shows = 0;
  std::int64_t paid_invoices = 0, days_to_pay_total = 0;  ///< over invoices paid in full by the as-of date
  std::int64_t days_to_pay_worst = 0;  ///< includes the age of invoices still open
  ReviewState review = ReviewState::none;
  std::optional<Date> review_by;  ///< the earliest review date (for a client)
  Money call_fee_would_bring;     ///< billable gained under the suggested call fee (0 where one is agreed)
  std::optional<CallFee> suggested_call_fee;  ///< the fee tried (for the sentence); none for a client of several rates

  /// Whole percent, rounded half away from zero; 0 without a denominator.
  std::int64_t call_share_percent() const { return percent(seconds_by_kind[EntryKind::call], worked); }
  std::int64_t revision_share_percent() const { return percent(seconds_by_kind[EntryKind::revision], worked); }
  std::int64_t rush_share_percent() const { return percent(rush_requests, requests); }
  std::int64_t rate_percent() const {
    return effective_rate ? percent(effective_rate->cents(), list_rate.cents()) : 0;
  }
  std::optional<std::int64_t> days_to_pay_mean() const {
    if (paid_invoices == 0) return std::nullopt;
    return divide_rounded(days_to_pay_total, paid_invoices);
  }
  static std::int64_t percent(std::int64_t part, std::int64_t whole) {
    return whole == 0 ? 0 : divide_rounded(static_cast<Wide>(part) * 100, whole);
  }
  friend bool operator==(const Indicators&, const Indicators&) = default;
};

struct TriageRow {
  std::string engagement;  ///< empty on a client row
  std::string client;
  std::string client_name;
  Currency currency;
  Indicators indicators;
  Verdict verdict = Verdict::keep;
  std::vector<Reason> reasons;  ///< "too early" first, then most money at stake first, "not yet invoiceable" last
  friend bool operator==(const TriageRow&, const TriageRow&) = default;
};

struct Triage {
  Date as_of;
  std::vector<TriageRow> clients;      ///< one row per client and currency, in order of their first engagement
  std::vector<TriageRow> engagements;  ///< in book order
};

/// Indicators, verdicts and reasons for every engagement started by the as-of date and every client.
Triage triage(const Book& book, std::optional<Date> as_of = std::nullopt, const TriagePolicy& policy = {});



}  // namespace kontingent
