#pragma once
// Where each open engagement stands today: the live balance a freelancer looks at before answering
// the client — contingent used and left, rounds used of those included, what is not invoiced yet,
// how many days are left to the review date, which invoices are overdue. Read from the same report
// evaluate() gives; no rule of its own.
#include <optional>
#include <string>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/record.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

struct EngagementStatus {
  std::string engagement;
  std::string client;
  std::string title;
  Currency currency;
  Pricing pricing = Pricing::hourly;
  /// The current period of a contingent: the block, or this month of a retainer (carry included).
  std::optional<ContingentUse> period;
  Rounds rounds;
  Money unbilled;
  std::optional<Date> review_by;
  std::optional<std::int64_t> days_to_review;  ///< negative once the review date has passed
  std::vector<std::string> overdue_invoices;   ///< ids, oldest first
  std::vector<Alert> alerts;
  /// Share of the current period used, in per mille (1000 = all of it); none without a contingent.
  std::optional<std::int64_t> used_per_mille() const noexcept {
    if (!period || period->available <= 0) return std::nullopt;
    return period->consumed * 1000 / period->available;
  }
  friend bool operator==(const EngagementStatus&, const EngagementStatus&) = default;
};

struct Status {
  Date as_of;
  /// Open engagements (started, not ended before the as-of date), most urgent first: overdue
  /// invoices or a passed review date, then the nearest review date, then the fullest contingent,
  /// then the most unbilled; ties in book order.
  std::vector<EngagementStatus> engagements;
  std::optional<RunningTimer> timer;  ///< the book's running timer, if one runs (the store keeps it)
  friend bool operator==(const Status&, const Status&) = default;
};

/// The status of the book's open engagements as of `as_of` (default: today, the day one looks).
Status status(const Book& book, std::optional<Date> as_of = std::nullopt);

}  // namespace kontingent
