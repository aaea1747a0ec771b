// status(): each open engagement's report and current contingent period, most urgent first.
#include "kontingent/status.hpp"

#include <algorithm>
#include <tuple>

#include "kontingent/evaluate.hpp"

namespace kontingent {

Status status(const Book& book, std::optional<Date> as_of) {
  const Date day = as_of ? *as_of : boost::gregorian::day_clock::local_day();
  Status s{day, {}, {}};
  for (const Engagement& e : book.engagements) {
    if (e.start > day || (e.end && *e.end < day)) continue;
    const Tally t = tally(e, day);
    const EngagementReport r = report_from_tally(e, day, t);
    const std::vector<ContingentUse> periods = billing::contingent_periods(e.terms, t);
    EngagementStatus es{e.id, e.client, e.title, e.currency, e.terms.pricing, {}, r.rounds, r.unbilled, e.review_by, {}, {}, r.alerts};
    if (!periods.empty()) es.period = periods.back();
    if (e.review_by) es.days_to_review = (*e.review_by - day).days();
    for (const Invoice* invoice : overdue_invoices(e, day)) es.overdue_invoices.push_back(invoice->id);
    s.engagements.push_back(std::move(es));
  }
  const auto urgency = [](const EngagementStatus& x) {
    const bool late = !x.overdue_invoices.empty() || (x.days_to_review && *x.days_to_review < 0);
    return std::make_tuple(!late, x.days_to_review.value_or(std::numeric_limits<std::int64_t>::max()),
                           -x.used_per_mille().value_or(-1), -x.unbilled.cents());
  };
  std::stable_sort(s.engagements.begin(), s.engagements.end(),
                   [&](const EngagementStatus& a, const EngagementStatus& b) { return urgency(a) < urgency(b); });
  return s;
}

}  // namespace kontingent
