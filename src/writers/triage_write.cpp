// Triage and what-if results as text, JSON and CSV.
#include <iomanip>
#include <sstream>

#include "writers/csv_field.hpp"
#include "formats/json_writer.hpp"
#include "kontingent/writers/triage.hpp"

namespace kontingent {
namespace {

using detail::csv_field;
using detail::JsonWriter;

std::string date_text(const Date& d) { return format_date(clock_days(d)); }
std::string optional_money(const std::optional<Money>& m) { return m ? m->to_string() : ""; }

void write_row_text(std::ostream& out, const TriageRow& row) {
  const Indicators& in = row.indicators;
  out << "  " << std::left << std::setw(12) << name(row.verdict)
      << (row.engagement.empty() ? row.client_name + " (" + row.client + ")" : row.engagement) << '\n';
  out << "    invoiced " << in.invoiced.to_display_string() << ", unbilled " << in.unbilled.to_display_string() << ", open "
      << in.outstanding.to_display_string() << "; effective rate "
      << (in.effective_rate ? in.effective_rate->to_display_string() : std::string("-")) << " of list " << in.list_rate.to_display_string()
      << '\n';
  for (const Reason& r : row.reasons) out << "    - " << r.sentence << '\n';
}

void write_row_json(JsonWriter& w, const TriageRow& row) {
  const Indicators& in = row.indicators;
  w.begin_object();
  if (!row.engagement.empty()) w.key("engagement").string(row.engagement);
  w.key("client").string(row.client).key("currency").string(row.currency.code()).key("verdict").string(name(row.verdict));
  w.key("invoiced").string(in.invoiced.to_string()).key("billable").string(in.billable.to_string());
  w.key("unbilled").string(in.unbilled.to_string()).key("outstanding").string(in.outstanding.to_string());
  w.key("list_rate").string(in.list_rate.to_string());
  if (in.effective_rate) w.key("effective_rate").string(in.effective_rate->to_string());
  else w.key("effective_rate").raw("null");
  w.key("worked_seconds").integer(in.worked);
  w.key("call_share_percent").integer(in.call_share_percent());
  w.key("revision_share_percent").integer(in.revision_share_percent());
  w.key("requests").integer(in.requests).key("rush_requests").integer(in.rush_requests);
  w.key("extra_rounds").integer(in.extra_rounds).key("no_shows").integer(in.no_shows);
  if (const auto mean = in.days_to_pay_mean()) w.key("days_to_pay_mean").integer(*mean);
  else w.key("days_to_pay_mean").raw("null");
  w.key("days_to_pay_worst").integer(in.days_to_pay_worst);
  w.key("review").string(name(in.review));
  w.key("call_fee_would_bring").string(in.call_fee_would_bring.to_string());
  w.key("reasons").begin_array();
  for (const Reason& r : row.reasons)
    w.begin_object().key("drain").string(name(r.drain)).key("at_stake").string(r.at_stake.to_string()).key("sentence").string(r.sentence).end_object();
  w.end_array().end_object();
}

}  // namespace

std::string to_text(const Triage& t) {
  std::ostringstream out;
  out << "kontingent triage as of " << date_text(t.as_of) << "\n\nclients\n";
  for (const TriageRow& row : t.clients) write_row_text(out, row);
  out << "\nengagements\n";
  for (const TriageRow& row : t.engagements) write_row_text(out, row);
  return out.str();
}

std::string to_json(const Triage& t) {
  JsonWriter w;
  w.begin_object().key("format").string("kontingent-triage/1").key("as_of").string(date_text(t.as_of));
  w.key("clients").begin_array();
  for (const TriageRow& row : t.clients) write_row_json(w, row);
  w.end_array().key("engagements").begin_array();
  for (const TriageRow& row : t.engagements) write_row_json(w, row);
  w.end_array().end_object();
  return std::move(w).take();
}

std::string to_csv(const Triage& t) {
  std::string out =
      "level,client,engagement,currency,verdict,invoiced,billable,unbilled,outstanding,list_rate,effective_rate,"
      "worked_seconds,call_share_percent,revision_share_percent,requests,rush_requests,extra_rounds,no_shows,"
      "days_to_pay_mean,days_to_pay_worst,review,reasons\n";
  const auto rows = [&](const std::vector<TriageRow>& list, std::string_view level) {
    for (const TriageRow& row : list) {
      const Indicators& in = row.indicators;
      std::string reasons;
      for (const Reason& r : row.reasons) reasons += (reasons.empty() ? "" : "; ") + r.sentence;
      const auto mean = in.days_to_pay_mean();
      out += std::string(level) + ',' + csv_field(row.client) + ',' + csv_field(row.engagement) + ',' +
             std::string(row.currency.code()) + ',' + std::string(name(row.verdict)) + ',' + in.invoiced.to_string() + ',' +
             in.billable.to_string() + ',' + in.unbilled.to_string() + ',' + in.outstanding.to_string() + ',' +
             in.list_rate.to_string() + ',' + optional_money(in.effective_rate) + ',' + std::to_string(in.worked) + ',' +
             std::to_string(in.call_share_percent()) + ',' + std::to_string(in.revision_share_percent()) + ',' +
             std::to_string(in.requests) + ',' + std::to_string(in.rush_requests) + ',' + std::to_string(in.extra_rounds) +
             ',' + std::to_string(in.no_shows) + ',' + (mean ? std::to_string(*mean) : "") + ',' +
             std::to_string(in.days_to_pay_worst) + ',' + std::string(name(in.review)) + ',' + csv_field(reasons) + '\n';
    }
  };
  rows(t.clients, "client");
  rows(t.engagements, "engagement");
  return out;
}

std::string to_text(const WhatIf& w) {
  std::ostringstream out;
  out << "kontingent what-if as of " << date_text(w.after.as_of) << '\n';
  const auto rows = w.rows();
  if (rows.empty()) out << "\nno billable amount changes\n";
  else
    out << '\n' << std::left << std::setw(16) << "client" << std::setw(10) << "category" << std::right << std::setw(18)
        << "before" << std::setw(18) << "after" << std::setw(18) << "difference" << '\n';
  for (const WhatIfRow& r : rows)
    out << std::left << std::setw(16) << r.client << std::setw(10) << name(r.category) << std::right << std::setw(18)
        << r.before.to_display_string() << std::setw(18) << r.after.to_display_string() << std::setw(18) << r.difference().to_display_string()
        << '\n';
  return out.str();
}

std::string to_json(const WhatIf& w) {
  JsonWriter j;
  j.begin_object().key("format").string("kontingent-whatif/1").key("as_of").string(date_text(w.after.as_of));
  j.key("rows").begin_array();
  for (const WhatIfRow& r : w.rows())
    j.begin_object()
        .key("client").string(r.client)
        .key("currency").string(r.currency.code())
        .key("category").string(name(r.category))
        .key("before").string(r.before.to_string())
        .key("after").string(r.after.to_string())
        .key("difference").string(r.difference().to_string())
        .end_object();
  j.end_array().end_object();
  return std::move(j).take();
}

std::string to_csv(const WhatIf& w) {
  std::string out = "client,currency,category,before,after,difference\n";
  for (const WhatIfRow& r : w.rows())
    out += csv_field(r.client) + ',' + std::string(r.currency.code()) + ',' + std::string(name(r.category)) + ',' +
           r.before.to_string() + ',' + r.after.to_string() + ',' + r.difference().to_string() + '\n';
  return out;
}

}  // namespace kontingent
