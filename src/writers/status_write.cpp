// The status as text and JSON.
#include <sstream>

#include "formats/json_writer.hpp"
#include "kontingent/writers/status.hpp"

namespace kontingent {
namespace {

std::string date_text(Date d) { return format_date(clock_days(d)); }

std::string review_text(const EngagementStatus& e) {
  const std::int64_t days = *e.days_to_review;
  const std::string when = days < 0   ? std::to_string(-days) + (days == -1 ? " day" : " days") + " overdue"
                           : days == 0 ? "today"
                                       : std::to_string(days) + (days == 1 ? " day" : " days") + " left";
  return "review " + date_text(*e.review_by) + " (" + when + ")";
}

}  // namespace

std::string to_text(const Status& s) {
  std::ostringstream out;
  out << "status as of " << date_text(s.as_of) << ": " << s.engagements.size() << " open engagement"
      << (s.engagements.size() == 1 ? "" : "s") << '\n';
  if (s.timer)
    out << "timer running: " << s.timer->engagement << ", " << name(s.timer->kind)
        << (s.timer->request.empty() ? "" : " on " + s.timer->request) << ", since "
        << format_time(clock_seconds(s.timer->start)) << '\n';
  for (const EngagementStatus& e : s.engagements) {
    out << '\n' << e.engagement << " (" << e.client << ", " << name(e.pricing) << ")\n";
    if (e.period) {
      const ContingentUse& p = *e.period;
      out << "  contingent " << format_duration(p.consumed) << " h of " << format_duration(p.available) << " h used ("
          << *e.used_per_mille() / 10 << " %), " << format_duration(std::max<Seconds>(0, p.available - p.consumed)) << " h left\n";
    }
    if (e.rounds.included > 0 || e.rounds.used > 0)
      out << "  rounds " << e.rounds.used << " used of " << e.rounds.included << " included"
          << (e.rounds.extra > 0 ? ", " + std::to_string(e.rounds.extra) + " extra" : "") << '\n';
    out << "  unbilled " << e.unbilled.to_display_string() << '\n';
    if (e.review_by) out << "  " << review_text(e) << '\n';
    if (!e.overdue_invoices.empty()) {
      out << "  overdue invoices:";
      for (const std::string& id : e.overdue_invoices) out << ' ' << id;
      out << '\n';
    }
  }
  return out.str();
}

std::string to_json(const Status& s) {
  detail::JsonWriter w;
  w.begin_object().key("format").string("kontingent-status/1").key("as_of").string(date_text(s.as_of));
  w.key("timer");
  if (s.timer)
    w.begin_object().key("engagement").string(s.timer->engagement).key("start").string(format_time(clock_seconds(s.timer->start)))
        .key("kind").string(name(s.timer->kind)).key("request").string(s.timer->request).key("note").string(s.timer->note)
        .end_object();
  else
    w.raw("null");
  w.key("engagements").begin_array();
  for (const EngagementStatus& e : s.engagements) {
    w.begin_object().key("id").string(e.engagement).key("client").string(e.client).key("currency").string(e.currency.code());
    w.key("pricing").string(name(e.pricing));
    w.key("contingent");
    if (e.period)
      w.begin_object().key("available_seconds").integer(e.period->available).key("consumed_seconds").integer(e.period->consumed)
          .key("left_seconds").integer(std::max<Seconds>(0, e.period->available - e.period->consumed))
          .key("used_per_mille").integer(*e.used_per_mille()).end_object();
    else
      w.raw("null");
    w.key("rounds").begin_object().key("included").integer(e.rounds.included).key("used").integer(e.rounds.used)
        .key("extra").integer(e.rounds.extra).end_object();
    w.key("unbilled").string(e.unbilled.to_string());
    w.key("review_by");
    if (e.review_by) w.string(date_text(*e.review_by)).key("days_to_review").integer(*e.days_to_review);
    else w.raw("null").key("days_to_review").raw("null");
    w.key("overdue_invoices").begin_array();
    for (const std::string& id : e.overdue_invoices) w.string(id);
    w.end_array().key("alerts").begin_array();
    for (const Alert a : e.alerts) w.string(name(a));
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return std::move(w).take();
}

}  // namespace kontingent
