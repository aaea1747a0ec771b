// quote(): the difference the events make to the engagement's report, and the facts behind it. The
// facts only word what the report and the billing functions of evaluate.hpp decide.
#include "kontingent/quote.hpp"

#include "kontingent/evaluate.hpp"
#include "wording.hpp"

namespace kontingent {
namespace {

/// The facts of one request: which round it is and what that costs, and whether it is a rush.
void explain_request(const Engagement& after, Date as_of, const Request& r, std::vector<std::string>& facts) {
  const Terms& terms = after.terms;
  if (r.declined) {
    facts.push_back("declined: never billable");
    return;
  }
  if (r.kind == RequestKind::revision) {
    Tally t;
    const detail::RequestPricing pricing = detail::price_requests(after, as_of, t);
    const auto round = pricing.round[static_cast<std::size_t>(after.journal.find_request(r.id))];
    std::string fact = "revision round " + std::to_string(round) + ", " + std::to_string(terms.included_rounds) + " included: ";
    if (round <= terms.included_rounds) fact += "covered by the price";
    else if (terms.extra_round_price) fact += "an extra round at " + wording::money(*terms.extra_round_price) + " flat";
    else fact += "an extra round, its work billed at " + wording::money(terms.rate) + "/h";
    facts.push_back(fact);
  } else {
    facts.push_back(r.quote ? "change request quoted at " + wording::money(*r.quote)
                            : "change request without a quote: its work billed at " + wording::money(terms.rate) + "/h");
  }
  if (!terms.rush) return;
  const std::string lead = wording::hours(terms.rush->lead);
  if (!r.due) {
    facts.push_back("no due date: no rush surcharge");
    return;
  }
  const std::string due_in = wording::hours((*r.due - r.received).total_seconds());
  facts.push_back(billing::is_rush(terms, r) ? "due in " + due_in + ", less than the " + lead + " lead time: rush, +" +
                                                   wording::percent(terms.rush->surcharge_micro_percent) + " on its hours"
                                             : "due in " + due_in + ", not less than the " + lead + " lead time: no rush");
}

void explain_entry(const Terms& terms, const NewEntry& entry, std::vector<std::string>& facts) {
  const std::string length = format_duration(entry.seconds) + " h";
  if (entry.kind != EntryKind::call) {
    facts.push_back(length + " of " + std::string(name(entry.kind)) + " work" +
                    (entry.request.empty() ? "" : " on " + entry.request));
    return;
  }
  if (!terms.call_fee) {
    facts.push_back("a call of " + length + "; the terms have no call fee: calls are work the base price covers");
    return;
  }
  const CallFee& fee = *terms.call_fee;
  const std::int64_t blocks = billing::call_fee_blocks(fee, entry.seconds, detail::DivideBy(fee.block));
  const std::string free = std::to_string(fee.free / 60) + " min";
  facts.push_back(blocks == 0 ? "a call of " + length + ": within the " + free + " free"
                              : "a call of " + length + ": " + free + " free, then " + std::to_string(blocks) + " started block" +
                                    (blocks == 1 ? "" : "s") + " of " + std::to_string(fee.block / 60) + " min at " +
                                    wording::money(fee.fee));
}

void explain_appointment(const Terms& terms, const Appointment& a, std::vector<std::string>& facts) {
  if (!billing::is_no_show(terms, a)) {
    facts.push_back(a.status == AppointmentStatus::kept ? "a kept appointment: no fee"
                                                        : "cancelled " + wording::hours((a.at - *a.cancelled).total_seconds()) +
                                                              " ahead, not less than the notice: no fee");
    return;
  }
  const std::string what = a.status == AppointmentStatus::no_show ? "a missed appointment" : "cancelled too late";
  facts.push_back(terms.no_show ? what + ": the no-show fee of " + wording::money(terms.no_show->fee)
                                : what + "; the terms have no no-show fee");
}

/// What the events did to the contingent: how much more of it is used, and how much of that is over it.
void explain_contingent(const EngagementReport& before, const EngagementReport& after, std::vector<std::string>& facts) {
  if (!before.contingent || !after.contingent || before.contingent->consumed == after.contingent->consumed) return;
  const Seconds used = after.contingent->consumed - before.contingent->consumed;
  const Seconds over = after.contingent->overage - before.contingent->overage;
  facts.push_back("contingent: " + format_duration(used) + " h more used" +
                  (over > 0 ? ", " + format_duration(over) + " h of it over the contingent" : ""));
}

}  // namespace

Date event_date(const Event& event) {
  return std::visit(
      [](const auto& e) -> Date {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, NewEntry>) return e.start.date();
        else if constexpr (std::is_same_v<T, NewRequest>) return event_date(e.request);
        else if constexpr (std::is_same_v<T, NewAppointment>) return event_date(e.appointment);
        else if constexpr (std::is_same_v<T, NewInvoice>) return event_date(e.invoice);
        else return event_date(e.payment);
      },
      event);
}

std::string event_name(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        const auto at = [](Time t) { return " at " + format_time(clock_seconds(t)); };
        if constexpr (std::is_same_v<T, NewEntry>)
          return (e.kind == EntryKind::call ? std::string("a call") : std::string(name(e.kind)) + " work") + at(e.start);
        else if constexpr (std::is_same_v<T, NewRequest>)
          return "a " + std::string(name(e.request.kind)) + " request" + at(e.request.received);
        else if constexpr (std::is_same_v<T, NewAppointment>)
          return (e.appointment.status == AppointmentStatus::no_show ? "a missed appointment" : "an appointment") + at(e.appointment.at);
        else if constexpr (std::is_same_v<T, NewInvoice>)
          return "invoice \"" + e.invoice.id + "\"";
        else
          return "a payment of invoice \"" + e.payment.invoice + "\"";
      },
      event);
}

Quote quote(const Book& book, std::span<const Event> events, std::optional<Date> as_of) {
  if (events.empty()) throw validation_error("", "nothing to quote");
  const std::string& id = engagement_of(events.front());
  const auto found = std::find_if(book.engagements.begin(), book.engagements.end(), [&](const Engagement& e) { return e.id == id; });
  if (found == book.engagements.end()) throw validation_error("", "the book has no engagement \"" + id + "\"");
  const auto index = static_cast<std::size_t>(found - book.engagements.begin());
  Book probe = detail::book_to_record_in(book, {index});
  Recorder recorder(probe);
  for (const Event& event : events) {
    if (engagement_of(event) != id) throw validation_error("", "a quote prices events of one engagement, not \"" + id + "\" and \"" + engagement_of(event) + "\"");
    recorder.record(event);
  }
  if (!as_of) {
    as_of = default_as_of(book);
    for (const Event& event : events) as_of = std::max(*as_of, event_date(event));
  }
  // A report ignores what happens after its as-of date: the quote would be 0 and its facts wrong.
  for (const Event& event : events)
    if (event_date(event) > *as_of)
      throw validation_error("", event_name(event) + " is after the as-of date " + format_date(clock_days(*as_of)) +
                                     ", so a report as of that date does not count it; quote as of " +
                                     format_date(clock_days(event_date(event))) + " or later");
  const Engagement& after = probe.engagements[index];
  Quote q{id, found->currency, *as_of, {}, Money::zero(found->currency), {}, evaluate(*found, *as_of), evaluate(after, *as_of)};
  for (std::size_t c = 0; c < category_count; ++c) {
    q.price.values[c] = q.after.billable.values[c] - q.before.billable.values[c];
    q.total += q.price.values[c];
  }
  for (const Event& event : events)
    std::visit(
        [&](const auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, NewRequest>) explain_request(after, *as_of, e.request, q.facts);
          else if constexpr (std::is_same_v<T, NewEntry>) explain_entry(after.terms, e, q.facts);
          else if constexpr (std::is_same_v<T, NewAppointment>) explain_appointment(after.terms, e.appointment, q.facts);
        },
        event);
  explain_contingent(q.before, q.after, q.facts);
  return q;
}

}  // namespace kontingent
