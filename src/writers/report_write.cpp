// The report for people (text) and for spreadsheets (CSV).
#include <iomanip>
#include <sstream>

#include "writers/csv_field.hpp"
#include "kontingent/writers/report.hpp"

namespace kontingent {
namespace {

using detail::csv_field;

std::string clock_hours(Seconds s) { return format_duration(s); }

Money invoiced_total(const EngagementReport& r) {
  Money total = Money::zero(r.currency);
  for (const Money& m : r.invoiced.values) total += m;
  return total;
}

void write_engagement(std::ostream& out, const EngagementReport& r) {
  out << '\n' << r.id << " (client " << r.client << ", " << r.currency.code() << ")\n";
  out << "  " << std::left << std::setw(10) << "category" << std::right << std::setw(18) << "billable"
      << std::setw(18) << "invoiced" << std::setw(18) << "leakage" << '\n';
  Money billable = Money::zero(r.currency), invoiced = billable;
  for (std::size_t c = 0; c < category_count; ++c) {
    out << "  " << std::left << std::setw(10) << name(static_cast<Category>(c)) << std::right << std::setw(18)
        << r.billable.values[c].to_display_string() << std::setw(18) << r.invoiced.values[c].to_display_string() << std::setw(18)
        << r.leakage.values[c].to_display_string() << '\n';
    billable += r.billable.values[c];
    invoiced += r.invoiced.values[c];
  }
  out << "  " << std::left << std::setw(10) << "total" << std::right << std::setw(18) << billable.to_display_string()
      << std::setw(18) << invoiced.to_display_string() << std::setw(18) << (billable - invoiced).to_display_string() << '\n';
  out << "  unbilled " << r.unbilled.to_display_string() << ", overbilled " << r.overbilled.to_display_string() << '\n';
  out << "  worked " << clock_hours(r.worked_seconds) << " h (";
  for (std::size_t k = 0; k < entry_kind_count; ++k)
    out << (k ? ", " : "") << name(static_cast<EntryKind>(k)) << ' ' << clock_hours(r.seconds_by_kind.values[k]);
  out << ")\n";
  out << "  effective rate "
      << (r.effective_rate ? r.effective_rate->to_display_string() + "/h" : "none (nothing worked)")
      << '\n';
  out << "  rounds " << r.rounds.used << " used of " << r.rounds.included << " included, " << r.rounds.extra << " extra\n";
  if (r.contingent)
    out << "  contingent " << clock_hours(r.contingent->available) << " h available, " << clock_hours(r.contingent->consumed)
        << " h consumed, " << clock_hours(r.contingent->overage) << " h over\n";
  out << "  alerts ";
  if (r.alerts.empty()) out << "none";
  for (std::size_t i = 0; i < r.alerts.size(); ++i) out << (i ? ", " : "") << name(r.alerts[i]);
  out << '\n';
}

/// One line per engagement first, so the biggest leaks are seen before the details.
void write_summary(std::ostream& out, const Report& report) {
  int width = 10;
  for (const EngagementReport& r : report.engagements) width = std::max(width, static_cast<int>(r.id.size()));
  out << '\n' << std::left << std::setw(width) << "engagement" << std::right << std::setw(12) << "worked h"
      << std::setw(18) << "invoiced" << std::setw(18) << "unbilled" << std::setw(16) << "eff. rate/h" << '\n';
  for (const EngagementReport& r : report.engagements) {
    out << std::left << std::setw(width) << r.id << std::right << std::setw(12) << clock_hours(r.worked_seconds)
        << std::setw(18) << invoiced_total(r).to_display_string() << std::setw(18) << r.unbilled.to_display_string()
        << std::setw(16) << (r.effective_rate ? r.effective_rate->to_display_string() : "-") << '\n';
  }
}

}  // namespace

std::string to_text(const Report& report) {
  std::ostringstream out;
  out << "kontingent report as of " << format_date(clock_days(report.as_of)) << '\n';
  if (report.engagements.empty()) out << "\nno engagement has started by then\n";
  else write_summary(out, report);
  for (const EngagementReport& r : report.engagements) write_engagement(out, r);
  return out.str();
}

std::string to_csv(const Report& report) {
  std::string out = "engagement,client,currency,category,billable,invoiced,leakage\n";
  for (const EngagementReport& r : report.engagements)
    for (std::size_t c = 0; c < category_count; ++c) {
      out += csv_field(r.id) + ',' + csv_field(r.client) + ',' + std::string(r.currency.code()) + ',';
      out += std::string(name(static_cast<Category>(c))) + ',' + r.billable.values[c].to_string() + ',' +
             r.invoiced.values[c].to_string() + ',' + r.leakage.values[c].to_string() + '\n';
    }
  return out;
}

}  // namespace kontingent
