// Triage: indicators from the evaluation, reasons as sentences, a verdict from the policy.
#include "kontingent/triage.hpp"

#include <algorithm>
#include <map>

#include "kontingent/evaluate.hpp"
#include "kontingent/whatif.hpp"

namespace kontingent {
namespace {

Money total(const CategoryAmounts& amounts) {
  Money sum = Money::zero(amounts.values[0].currency());
  for (const Money& m : amounts.values) sum += m;
  return sum;
}

std::string hours_text(Seconds s) {
  return std::to_string(s / 3600) + ":" + (s / 60 % 60 < 10 ? "0" : "") + std::to_string(s / 60 % 60) + " h";
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

/// The call fee the policy suggests for these terms: a started block costs the block's time at the rate.
CallFee suggested_call_fee(const Terms& terms, const TriagePolicy& policy) {
  const Seconds block = 60 * policy.suggested_block_minutes;
  return {60 * policy.suggested_free_minutes, block, terms.rate.for_seconds(block)};
}

Indicators engagement_indicators(const Engagement& e, const EngagementReport& r, Date as_of, const TriagePolicy& policy) {
  Indicators in;
  in.invoiced = total(r.invoiced);
  in.billable = total(r.billable);
  in.unbilled = r.unbilled;
  in.outstanding = Money::zero(e.currency);
  in.list_rate = e.terms.rate;
  in.effective_rate = r.effective_rate;
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
    in.call_fee_would_bring = total(evaluate(changed, as_of).billable) - in.billable;
    in.suggested_call_fee = fee;
  }
  return in;
}

/// A client's indicators: sums over its engagements of one currency.
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
  sum.effective_rate = worked == 0 ? std::nullopt
                                   : std::optional<Money>(Money::checked(divide_rounded_wide(static_cast<Wide>(sum.invoiced.cents()) * 3600, worked),
                                                                sum.invoiced.currency()));
  return sum;
}

/// Reasons and verdict of one row. `leakage` is per category (summed for a client).
void judge(TriageRow& row, const CategoryAmounts& leakage, const TriagePolicy& policy) {
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

  const bool low_rate = in.effective_rate && in.list_rate.cents() > 0 && in.rate_percent() < policy.renegotiate_below_rate_percent;
  if (low_rate) {
    const Money at_list = in.list_rate.for_seconds(in.worked);
    reason(Drain::low_rate, std::max(zero, at_list - in.invoiced),
           "you invoiced " + format_amount(*in.effective_rate) + " per hour worked for " + who + ", " + pct(in.rate_percent()) +
               " of your list rate of " + format_amount(in.list_rate) + "; at the list rate your " + hours_text(in.worked) +
               " would have brought " + format_amount(at_list),
           false);
  }
  if (in.call_share_percent() >= policy.call_share_percent && in.seconds_by_kind[EntryKind::call] > 0) {
    std::string s = pct(in.call_share_percent()) + " of your time with " + who + " is calls";
    Money at_stake = unbilled(Category::call);
    if (in.suggested_call_fee && in.call_fee_would_bring.cents() > 0) {
      at_stake = in.call_fee_would_bring;
      s += "; a call fee of " + format_amount(in.suggested_call_fee->fee) + " per started " +
           std::to_string(in.suggested_call_fee->block / 60) + " minutes after " + std::to_string(in.suggested_call_fee->free / 60) +
           " free would have brought " + format_amount(at_stake);
    } else if (at_stake.cents() > 0) {
      s += "; " + format_amount(at_stake) + " of call fees are not invoiced";
    }
    reason(Drain::calls, at_stake, s, true);
  }
  if (in.revision_share_percent() >= policy.revision_share_percent || in.extra_rounds >= policy.extra_rounds) {
    std::string s = pct(in.revision_share_percent()) + " of your time with " + who + " is revision work, with " +
                    std::to_string(in.extra_rounds) + " extra round" + (in.extra_rounds == 1 ? "" : "s");
    if (unbilled(Category::revision).cents() > 0) s += "; " + format_amount(unbilled(Category::revision)) + " of it is not invoiced";
    reason(Drain::revisions, unbilled(Category::revision), s, true);
  }
  if (in.requests > 0 && in.rush_share_percent() >= policy.rush_share_percent) {
    std::string s = std::to_string(in.rush_requests) + " of " + std::to_string(in.requests) + " requests from " + who + " (" +
                    pct(in.rush_share_percent()) + ") were rush";
    if (unbilled(Category::rush).cents() > 0) s += "; " + format_amount(unbilled(Category::rush)) + " of surcharges are not invoiced";
    reason(Drain::rush, unbilled(Category::rush), s, true);
  }
  if (in.no_shows >= policy.no_shows) {
    std::string s = std::to_string(in.no_shows) + " appointments with " + who + " were missed or cancelled late";
    if (unbilled(Category::no_show).cents() > 0) s += "; " + format_amount(unbilled(Category::no_show)) + " of no-show fees are not invoiced";
    reason(Drain::no_shows, unbilled(Category::no_show), s, true);
  }
  const auto mean_days = in.days_to_pay_mean();
  if ((mean_days && *mean_days > policy.days_to_pay) || (in.outstanding.cents() > 0 && in.days_to_pay_worst > policy.days_to_pay)) {
    std::string s = who + (mean_days ? " took " + std::to_string(*mean_days) + " days on average to pay" : " has paid no invoice in full") +
                    " (worst " + std::to_string(in.days_to_pay_worst) + " days)";
    if (in.outstanding.cents() > 0) s += "; " + format_amount(in.outstanding) + " is still open";
    reason(Drain::late_payment, in.outstanding, s, true);
  }
  if (in.unbilled.cents() > 0)
    reason(Drain::unbilled, in.unbilled, format_amount(in.unbilled) + " that your terms with " + who + " make billable was never invoiced", false);
  if (in.review == ReviewState::overdue)
    reason(Drain::review_overdue, zero, "the review date " + format_date(clock_days(*in.review_by)) + " with " + who + " has passed", false);

  std::stable_sort(row.reasons.begin(), row.reasons.end(), [](const Reason& a, const Reason& b) { return a.at_stake > b.at_stake; });
  if (low_rate && in.rate_percent() < policy.let_go_below_rate_percent && drains >= policy.let_go_min_drains)
    row.verdict = Verdict::let_go;
  else if (low_rate || drains > 0)
    row.verdict = Verdict::renegotiate;
  else
    row.verdict = Verdict::keep;
}

}  // namespace

std::string format_amount(const Money& m) {
  const std::string digits = m.to_string();
  const bool negative = digits.front() == '-';
  const std::size_t first = negative ? 1 : 0, dot = digits.find('.');
  std::string out = negative ? "-" : "";
  for (std::size_t i = first; i < dot; ++i) {
    if (i > first && (dot - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out + digits.substr(dot) + " " + std::string(m.currency().code());
}

Triage triage(const Book& book, std::optional<Date> as_of, const TriagePolicy& policy) {
  const Report report = evaluate(book, as_of);
  Triage result{report.as_of, {}, {}};
  std::vector<CategoryAmounts> client_leakage;
  for (const EngagementReport& r : report.engagements) {
    const Engagement& e = *book.find_engagement(r.id);
    const Client* client = book.find_client(e.client);
    TriageRow row{e.id, e.client, client->name, e.currency, engagement_indicators(e, r, report.as_of, policy), {}, {}};
    judge(row, r.leakage, policy);

    // A client row per currency: CHF is never added to EUR.
    auto it = std::find_if(result.clients.begin(), result.clients.end(),
                           [&](const TriageRow& c) { return c.client == e.client && c.currency == e.currency; });
    if (it == result.clients.end()) {
      result.clients.push_back({"", e.client, client->name, e.currency, row.indicators, {}, {}});
      client_leakage.push_back(r.leakage);
    } else {
      const auto i = static_cast<std::size_t>(it - result.clients.begin());
      it->indicators = add(it->indicators, row.indicators);
      for (std::size_t c = 0; c < category_count; ++c) client_leakage[i].values[c] += r.leakage.values[c];
    }
    result.engagements.push_back(std::move(row));
  }
  for (std::size_t i = 0; i < result.clients.size(); ++i) judge(result.clients[i], client_leakage[i], policy);
  return result;
}

}  // namespace kontingent
