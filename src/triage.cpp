// Triage: indicators from the evaluation, reasons as sentences, a verdict from the policy.
#include "kontingent/triage.hpp"

#include <algorithm>
#include <unordered_map>

#include "kontingent/evaluate.hpp"
#include "kontingent/whatif.hpp"

namespace kontingent {
namespace {

Money total(const CategoryAmounts& amounts) {
  Money sum = Money::zero(amounts.values[0].currency());
  for (const Money& m : amounts.values) sum += m;
  return sum;
}

/// Outstanding money and days to pay, from invoices and payments dated by the as-of date.
void payment_indicators(const Engagement& e, Date as_of, Indicators& in) {
  for (const Invoice& invoice : e.journal.invoices) {
    if (!happened_by(invoice, as_of)) continue;
    Money due = Money::zero(e.currency);
    for (const InvoiceLine& line : invoice.lines) due += line.amount;
    std::vector<const Payment*> payments;
    for (const Payment& p : e.journal.payments)
      if (p.invoice == invoice.id && happened_by(p, as_of)) payments.push_back(&p);
    std::stable_sort(payments.begin(), payments.end(), [](const Payment* a, const Payment* b) { return a->date < b->date; });
    std::optional<Date> paid_on;
    for (const Payment* p : payments) {
      due -= p->amount;
      if (due.cents() <= 0 && !paid_on) paid_on = p->date;
    }
    if (paid_on) {
      const std::int64_t days = std::max<std::int64_t>(0, (*paid_on - invoice.date).days());
      ++in.paid_invoices;
      in.days_to_pay_total += days;
      in.days_to_pay_worst = std::max(in.days_to_pay_worst, days);
    } else {
      in.outstanding += due;
      in.days_to_pay_worst = std::max<std::int64_t>(in.days_to_pay_worst, (as_of - invoice.date).days());
    }
  }
}

std::string hours_text(Seconds s) {
  return std::to_string(s / 3600) + ":" + (s / 60 % 60 < 10 ? "0" : "") + std::to_string(s / 60 % 60) + " h";
}

std::string count_text(std::int64_t n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

/// Invoiced per hour, as the report's effective rate; none without hours.
std::optional<Money> per_hour(const Money& invoiced, Seconds worked) {
  if (worked == 0) return std::nullopt;
  return Money::checked(divide_rounded_wide(static_cast<Wide>(invoiced.cents()) * 3600, worked), invoiced.currency());
}

/// What a verdict rests on besides the indicators: the invoices, the work they can be held against,
/// the open period (docs/triage.md) and idle retainer months. Summed for a client.
struct Evidence {
  std::int64_t invoices = 0;  ///< dated by the as-of date
  Seconds invoiceable = 0;    ///< worked before the open period
  Money not_yet_invoiceable;  ///< billable of the open period: what the next invoice should hold
  Seconds not_yet_invoiceable_seconds = 0;
  std::optional<Date> open_from;  ///< an engagement's open period, when it has begun
  std::int64_t retainer_months = 0, idle_retainer_months = 0;  ///< before the open period
  std::optional<Date> last_idle_month;

  void add(const Evidence& e) {
    invoices += e.invoices, invoiceable += e.invoiceable;
    not_yet_invoiceable += e.not_yet_invoiceable, not_yet_invoiceable_seconds += e.not_yet_invoiceable_seconds;
    retainer_months += e.retainer_months, idle_retainer_months += e.idle_retainer_months;
    if (e.last_idle_month && (!last_idle_month || *last_idle_month < *e.last_idle_month)) last_idle_month = e.last_idle_month;
  }
};

/// The first day of the open period: the work from it on is not yet invoiceable at the as-of date.
/// Freelancers invoice by the month (a retainer by its terms, the others by custom), so the work of
/// the running month is not yet due on an invoice, and neither is work that an invoice later in the
/// month could not cover yet; work before the month that no invoice covers is leakage, as in the report.
Date open_period_start(const Engagement& e, Date as_of) {
  const auto ymd = as_of.year_month_day();
  Date from(ymd.year, ymd.month, 1);
  for (const Invoice& invoice : e.journal.invoices)
    if (happened_by(invoice, as_of) && invoice.date >= from) from = invoice.date + boost::gregorian::days(1);
  return from;
}

/// The report of the work before the open period, from `report` (as of the as-of date). Every
/// invoice by the as-of date is dated before the open period, so the evaluation as of its eve has
/// the same invoices and differs in the work only: no second copy of any billing rule.
EngagementReport invoiceable_report(const Engagement& e, const EngagementReport& report, Date as_of, Date open_from) {
  if (open_from > as_of) return report;
  const Date eve = open_from - boost::gregorian::days(1);
  if (eve >= e.start) return evaluate(e, eve);
  // Nothing of the engagement is invoiceable yet: an invoice so far is ahead of the work.
  EngagementReport none = report;
  for (std::size_t c = 0; c < category_count; ++c) {
    none.billable.values[c] = Money::zero(e.currency);
    none.leakage.values[c] = -report.invoiced.values[c];
  }
  none.unbilled = Money::zero(e.currency);
  none.worked_seconds = 0;
  none.effective_rate.reset();
  return none;
}

/// Retainer months before the open period without a single entry, and the latest of them.
void idle_retainer_months(const Engagement& e, Date open_from, Evidence& ev) {
  const Date eve = open_from - boost::gregorian::days(1);
  if (e.terms.pricing != Pricing::retainer || eve < e.start) return;
  const std::int64_t months = billing::retainer_months(e, eve);
  const std::int32_t first = month_number(clock_days(e.start));
  std::vector<bool> active(static_cast<std::size_t>(months), false);
  for (const ClockSeconds start : e.journal.entries.starts()) {
    const std::int64_t month = month_number(day_of(start)) - first;
    if (month >= 0 && month < months) active[static_cast<std::size_t>(month)] = true;
  }
  ev.retainer_months = months;
  for (std::int64_t m = 0; m < months; ++m) {
    if (active[static_cast<std::size_t>(m)]) continue;
    ++ev.idle_retainer_months;
    ev.last_idle_month = Date(static_cast<unsigned short>((first + m) / 12), static_cast<unsigned short>((first + m) % 12 + 1), 1);
  }
}

Evidence engagement_evidence(const Engagement& e, const EngagementReport& r, const EngagementReport& invoiceable, Date open_from,
                             Date as_of) {
  Evidence ev;
  ev.invoices = std::count_if(e.journal.invoices.begin(), e.journal.invoices.end(), [&](const Invoice& i) { return happened_by(i, as_of); });
  ev.invoiceable = invoiceable.worked_seconds;
  ev.not_yet_invoiceable = total(r.billable) - total(invoiceable.billable);
  ev.not_yet_invoiceable_seconds = r.worked_seconds - invoiceable.worked_seconds;
  if (open_from <= as_of) ev.open_from = std::max(open_from, e.start);
  idle_retainer_months(e, open_from, ev);
  return ev;
}

/// The call fee the policy suggests for these terms: a started block costs the block's time at the rate.
CallFee suggested_call_fee(const Terms& terms, const TriagePolicy& policy) {
  const Seconds block = 60 * policy.suggested_block_minutes;
  return {60 * policy.suggested_free_minutes, block, terms.rate.for_seconds(block)};
}

/// An engagement's indicators: money and rate from `invoiceable` (invoiceable_report() of its
/// report `r`), time, requests and the rest from `r`.
Indicators engagement_indicators(const Engagement& e, const EngagementReport& r, const EngagementReport& invoiceable, Date as_of,
                                 const TriagePolicy& policy) {
  Indicators in;
  in.invoiced = total(r.invoiced);
  in.billable = total(invoiceable.billable);
  in.unbilled = invoiceable.unbilled;
  in.outstanding = Money::zero(e.currency);
  in.list_rate = e.terms.rate;
  in.effective_rate = invoiceable.effective_rate;
  in.worked = r.worked_seconds;
  in.seconds_by_kind = r.seconds_by_kind;
  in.extra_rounds = r.rounds.extra;
  for (const Request& q : e.journal.requests) {
    if (q.declined || !happened_by(q, as_of)) continue;
    ++in.requests;
    in.rush_requests += billing::is_rush(e.terms, q);
  }
  for (const Appointment& a : e.journal.appointments) in.no_shows += happened_by(a, as_of) && billing::is_no_show(e.terms, a);
  payment_indicators(e, as_of, in);
  if (e.review_by) {
    in.review_by = e.review_by;
    in.review = *e.review_by < as_of ? ReviewState::overdue : ReviewState::pending;
  }
  in.call_fee_would_bring = Money::zero(e.currency);
  if (!e.terms.call_fee) {
    // What the suggested fee would have brought: the same evaluation over changed terms.
    const CallFee fee = suggested_call_fee(e.terms, policy);
    Engagement changed = e;
    changed.terms.call_fee = fee;
    in.call_fee_would_bring = total(evaluate(changed, as_of).billable) - total(r.billable);
    in.suggested_call_fee = fee;
  }
  return in;
}

/// A client's indicators: sums over its engagements of one currency. The effective rate is left to
/// the caller, who knows the invoiceable hours.
Indicators add(Indicators sum, const Indicators& in) {
  const Seconds worked = sum.worked + in.worked;
  // The client's list rate is the engagements' rates weighted by hours worked.
  const Wide weighted = static_cast<Wide>(sum.list_rate.cents()) * sum.worked + static_cast<Wide>(in.list_rate.cents()) * in.worked;
  sum.list_rate = worked == 0 ? sum.list_rate : Money(divide_rounded(weighted, worked), sum.list_rate.currency());
  sum.invoiced += in.invoiced;
  sum.billable += in.billable;
  sum.unbilled += in.unbilled;
  sum.outstanding += in.outstanding;
  sum.worked = worked;
  for (std::size_t k = 0; k < entry_kind_count; ++k) sum.seconds_by_kind.values[k] += in.seconds_by_kind.values[k];
  sum.requests += in.requests;
  sum.rush_requests += in.rush_requests;
  sum.extra_rounds += in.extra_rounds;
  sum.no_shows += in.no_shows;
  sum.paid_invoices += in.paid_invoices;
  sum.days_to_pay_total += in.days_to_pay_total;
  sum.days_to_pay_worst = std::max(sum.days_to_pay_worst, in.days_to_pay_worst);
  if (in.review_by && (!sum.review_by || *in.review_by < *sum.review_by)) sum.review_by = in.review_by;
  sum.review = std::max(sum.review, in.review);
  sum.call_fee_would_bring += in.call_fee_would_bring;
  if (sum.suggested_call_fee != in.suggested_call_fee) sum.suggested_call_fee.reset();
  return sum;
}

/// Reasons and verdict of one row. `leakage` is per category, of the work before the open period
/// (summed for a client).
void judge(TriageRow& row, const CategoryAmounts& leakage, const Evidence& ev, const TriagePolicy& policy) {
  const Indicators& in = row.indicators;
  const std::string who = row.client_name.empty() ? row.client : row.client_name;
  const Money zero = Money::zero(row.currency);
  const auto unbilled = [&](Category c) { return std::max(zero, leakage[c]); };
  const auto pct = [](std::int64_t p) { return std::to_string(p) + " %"; };
  std::int64_t drains = 0;
  const auto reason = [&](Drain d, Money at_stake, std::string sentence, bool is_drain) {
    row.reasons.push_back({d, at_stake, std::move(sentence)});
    drains += is_drain;
  };

  // Below the minimum a rate says nothing yet: before the first invoice every rate is 0 %.
  const bool enough_evidence = ev.invoices >= policy.min_invoices && ev.invoiceable >= 3600 * policy.min_invoiceable_hours;
  const bool low_rate =
      enough_evidence && in.effective_rate && in.list_rate.cents() > 0 && in.rate_percent() < policy.renegotiate_below_rate_percent;
  if (low_rate) {
    const Money at_list = in.list_rate.for_seconds(ev.invoiceable);
    reason(Drain::low_rate, std::max(zero, at_list - in.invoiced),
           "you invoiced " + in.effective_rate->to_display_string() + " per hour worked for " + who + ", " + pct(in.rate_percent()) +
               " of your list rate of " + in.list_rate.to_display_string() + "; at the list rate your " + hours_text(ev.invoiceable) +
               " would have brought " + at_list.to_display_string(),
           false);
  }
  if (in.call_share_percent() >= policy.call_share_percent && in.seconds_by_kind[EntryKind::call] > 0) {
    std::string s = pct(in.call_share_percent()) + " of your time with " + who + " is calls";
    Money at_stake = unbilled(Category::call);
    if (in.suggested_call_fee && in.call_fee_would_bring.cents() > 0) {
      at_stake = in.call_fee_would_bring;
      s += "; a call fee of " + in.suggested_call_fee->fee.to_display_string() + " per started " +
           std::to_string(in.suggested_call_fee->block / 60) + " minutes after " + std::to_string(in.suggested_call_fee->free / 60) +
           " free would have brought " + at_stake.to_display_string();
    } else if (at_stake.cents() > 0) {
      s += "; " + at_stake.to_display_string() + " of call fees are not invoiced";
    }
    reason(Drain::calls, at_stake, s, true);
  }
  if (in.revision_share_percent() >= policy.revision_share_percent || in.extra_rounds >= policy.extra_rounds) {
    std::string s = pct(in.revision_share_percent()) + " of your time with " + who + " is revision work, with " +
                    std::to_string(in.extra_rounds) + " extra round" + (in.extra_rounds == 1 ? "" : "s");
    if (unbilled(Category::revision).cents() > 0) s += "; " + unbilled(Category::revision).to_display_string() + " of it is not invoiced";
    reason(Drain::revisions, unbilled(Category::revision), s, true);
  }
  if (in.requests > 0 && in.rush_share_percent() >= policy.rush_share_percent) {
    std::string s = std::to_string(in.rush_requests) + " of " + std::to_string(in.requests) + " requests from " + who + " (" +
                    pct(in.rush_share_percent()) + ") were rush";
    if (unbilled(Category::rush).cents() > 0) s += "; " + unbilled(Category::rush).to_display_string() + " of surcharges are not invoiced";
    reason(Drain::rush, unbilled(Category::rush), s, true);
  }
  if (in.no_shows >= policy.no_shows) {
    std::string s = std::to_string(in.no_shows) + " appointments with " + who + " were missed or cancelled late";
    if (unbilled(Category::no_show).cents() > 0) s += "; " + unbilled(Category::no_show).to_display_string() + " of no-show fees are not invoiced";
    reason(Drain::no_shows, unbilled(Category::no_show), s, true);
  }
  const auto mean_days = in.days_to_pay_mean();
  if ((mean_days && *mean_days > policy.days_to_pay) || (in.outstanding.cents() > 0 && in.days_to_pay_worst > policy.days_to_pay)) {
    std::string s = who + (mean_days ? " took " + std::to_string(*mean_days) + " days on average to pay" : " has paid no invoice in full") +
                    " (worst " + std::to_string(in.days_to_pay_worst) + " days)";
    if (in.outstanding.cents() > 0) s += "; " + in.outstanding.to_display_string() + " is still open";
    reason(Drain::late_payment, in.outstanding, s, true);
  }
  // A retainer without any logged time is more likely forgotten (or ended) than unpaid: its fees
  // are then a question to the freelancer, not "unbilled". (A client's unbilled money may come from
  // other engagements too, so a client row keeps both.)
  const bool all_idle = ev.idle_retainer_months > 0 && ev.idle_retainer_months == ev.retainer_months;
  const bool fold_unbilled = all_idle && !row.engagement.empty();
  if (ev.idle_retainer_months > 0) {
    std::string s = "no time was logged with " + who + " in " +
                    (!all_idle                   ? std::to_string(ev.idle_retainer_months) + " of " + count_text(ev.retainer_months, "retainer month")
                     : ev.retainer_months == 1 ? std::string("its only retainer month")
                                               : "any of its " + count_text(ev.retainer_months, "retainer month")) +
                    " (the latest " + format_date(clock_days(*ev.last_idle_month)).substr(0, 7) + ")";
    if (all_idle) s += ": is the retainer still running?";
    if (fold_unbilled && in.unbilled.cents() > 0)
      s += " If it is, " + in.unbilled.to_display_string() + " of its fees are not invoiced; if not, give the engagement its end date";
    reason(Drain::idle_retainer, fold_unbilled ? in.unbilled : zero, s, false);
  }
  if (in.unbilled.cents() > 0 && !fold_unbilled)
    reason(Drain::unbilled, in.unbilled, in.unbilled.to_display_string() + " that your terms with " + who + " make billable was never invoiced", false);
  if (ev.not_yet_invoiceable_seconds > 0 || ev.not_yet_invoiceable.cents() > 0)
    reason(Drain::not_yet_invoiceable, ev.not_yet_invoiceable,
           ev.not_yet_invoiceable.to_display_string() + " billable with " + who +
               (ev.open_from ? " since " + format_date(clock_days(*ev.open_from)) : std::string(" this month")) +
               (ev.not_yet_invoiceable_seconds > 0 ? " (" + hours_text(ev.not_yet_invoiceable_seconds) + " of work)" : std::string()) +
               " is not yet invoiceable: it belongs on your next invoice and is left out of the rate and the unbilled amount",
           false);
  if (in.review == ReviewState::overdue)
    reason(Drain::review_overdue, zero, "the review date " + format_date(clock_days(*in.review_by)) + " with " + who + " has passed", false);

  // Most money at stake first; the next invoice's work last: it is no trouble, only a reminder.
  const auto last = [](const Reason& r) { return r.drain == Drain::not_yet_invoiceable; };
  std::stable_sort(row.reasons.begin(), row.reasons.end(),
                   [&](const Reason& a, const Reason& b) { return last(a) != last(b) ? last(b) : a.at_stake > b.at_stake; });
  if (!enough_evidence) {
    row.verdict = Verdict::too_early;
    row.reasons.insert(row.reasons.begin(),
                       {Drain::too_early, zero,
                        "too early to tell for " + who + ": " + count_text(ev.invoices, "invoice") + " and " +
                            hours_text(ev.invoiceable) + " of invoiceable work so far; a verdict needs at least " +
                            count_text(policy.min_invoices, "invoice") + " and " + hours_text(3600 * policy.min_invoiceable_hours)});
  } else if (low_rate && in.rate_percent() < policy.let_go_below_rate_percent && drains >= policy.let_go_min_drains) {
    row.verdict = Verdict::let_go;
  } else if (low_rate || drains > 0) {
    row.verdict = Verdict::renegotiate;
  } else {
    row.verdict = Verdict::keep;
  }
}

}  // namespace

Triage triage(const Book& book, std::optional<Date> as_of, const TriagePolicy& policy) {
  const Report report = evaluate(book, as_of);
  Triage result{report.as_of, {}, {}};
  // Clients looked up by id once: a book may hold 10^5 of them (docs/performance.md).
  std::unordered_map<std::string_view, const Client*> clients;
  for (const Client& c : book.clients) clients.emplace(c.id, &c);
  // The report holds the engagements started by the as-of date, in book order.
  std::vector<const Engagement*> started;
  for (const Engagement& e : book.engagements)
    if (e.start <= report.as_of) started.push_back(&e);
  // A client row per currency: CHF is never added to EUR.
  std::unordered_map<std::string, std::size_t> client_row;
  std::vector<CategoryAmounts> client_leakage;
  std::vector<Evidence> client_evidence;
  for (std::size_t i = 0; i < report.engagements.size(); ++i) {
    const EngagementReport& r = report.engagements[i];
    const Engagement& e = *started[i];
    const Client* client = clients.at(e.client);
    const Date open_from = open_period_start(e, report.as_of);
    const EngagementReport invoiceable = invoiceable_report(e, r, report.as_of, open_from);
    const Evidence evidence = engagement_evidence(e, r, invoiceable, open_from, report.as_of);
    TriageRow row{e.id, e.client, client->name, e.currency, engagement_indicators(e, r, invoiceable, report.as_of, policy), {}, {}};
    judge(row, invoiceable.leakage, evidence, policy);

    const auto [at, added] = client_row.try_emplace(e.client + '\n' + std::string(e.currency.code()), result.clients.size());
    if (added) {
      result.clients.push_back({"", e.client, client->name, e.currency, row.indicators, {}, {}});
      client_leakage.push_back(invoiceable.leakage);
      client_evidence.push_back(evidence);
      client_evidence.back().open_from.reset();  // the engagements' open periods may differ
    } else {
      TriageRow& sum = result.clients[at->second];
      sum.indicators = add(sum.indicators, row.indicators);
      for (std::size_t c = 0; c < category_count; ++c) client_leakage[at->second].values[c] += invoiceable.leakage.values[c];
      client_evidence[at->second].add(evidence);
    }
    result.engagements.push_back(std::move(row));
  }
  for (std::size_t i = 0; i < result.clients.size(); ++i) {
    Indicators& in = result.clients[i].indicators;
    in.effective_rate = per_hour(in.invoiced, client_evidence[i].invoiceable);
    judge(result.clients[i], client_leakage[i], client_evidence[i], policy);
  }
  return result;
}

}  // namespace kontingent
