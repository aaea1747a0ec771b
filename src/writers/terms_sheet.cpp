// The terms sheet: the engagement's terms (docs/formats.md, terms) worded for the offer, in German or English, as
// text, Markdown or HTML. Words only: every number is a term as stored, never a computed charge.
#include "kontingent/writers/terms_sheet.hpp"

#include "writers/people_text.hpp"

#include <string>
#include <utility>
#include <vector>

namespace kontingent {
namespace {

using detail::code_points;
using detail::html_escape;
using detail::markdown_escape;


// ---- numbers, amounts, durations and dates in a language -------------------------------------

/// `digits` grouped by thousands: 4800 → "4.800" (de) / "4,800" (en).
std::string grouped(std::uint64_t value, char separator) {
  std::string digits = std::to_string(value);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, 1, separator);
  return digits;
}

/// The exact decimal `value / 10^scale`, without trailing zeros: (75, 1) → "7,5", (50'000'000, 6) → "50".
std::string decimal(std::int64_t value, int scale, Language language) {
  const bool negative = value < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::uint64_t power = 1;
  for (int i = 0; i < scale; ++i) power *= 10;
  std::string out = (negative ? "-" : "") + grouped(magnitude / power, language == Language::de ? '.' : ',');
  if (scale == 0) return out;
  std::string fraction = std::to_string(magnitude % power);
  fraction.insert(0, static_cast<std::size_t>(scale) - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (!fraction.empty()) out += (language == Language::de ? ',' : '.') + fraction;
  return out;
}

/// `4.800,00 €` / `4.800,00 CHF` (de), `EUR 4,800.00` (en): exact, always two decimals.
std::string money(const Money& amount, Language language) {
  const bool negative = amount.cents() < 0;
  const std::uint64_t cents = negative ? 0 - static_cast<std::uint64_t>(amount.cents()) : static_cast<std::uint64_t>(amount.cents());
  const bool de = language == Language::de;
  std::string number = (negative ? "-" : "") + grouped(cents / 100, de ? '.' : ',');
  number += de ? ',' : '.';
  number += static_cast<char>('0' + cents % 100 / 10);
  number += static_cast<char>('0' + cents % 10);
  const std::string code(amount.currency().code());
  if (de) return number + ' ' + (code == "EUR" ? std::string("€") : code);
  return code + ' ' + number;
}

/// Hours held as seconds, as the shortest decimal that stands for them: "10", "7,5", "0,25".
std::string hours_number(Seconds s, Language language) {
  std::int64_t power = 1;
  for (int scale = 0; scale <= 6; ++scale, power *= 10) {
    const std::int64_t scaled = divide_rounded(static_cast<Wide>(s) * power, 3600);
    if (divide_rounded(static_cast<Wide>(scaled) * 3600, power) == s) return decimal(scaled, scale, language);
  }
  return decimal(s, 0, language) + (language == Language::de ? " Sekunden" : " seconds");  // unreachable: 4 decimals suffice
}

/// "10 Stunden", "1 Stunde", "7,5 Stunden" / "10 hours", "1 hour".
std::string hours(Seconds s, Language language) {
  const bool one = s == 3600;
  if (language == Language::de) return hours_number(s, language) + (one ? " Stunde" : " Stunden");
  return hours_number(s, language) + (one ? " hour" : " hours");
}

/// "15 Minuten", "1 Minute" (whole minutes; other durations in seconds) / "15 minutes".
std::string minutes(Seconds s, Language language) {
  const bool de = language == Language::de;
  if (s % 60 != 0) return decimal(s, 0, language) + (s == 1 ? (de ? " Sekunde" : " second") : (de ? " Sekunden" : " seconds"));
  const bool one = s == 60;
  return decimal(s / 60, 0, language) + (one ? (de ? " Minute" : " minute") : (de ? " Minuten" : " minutes"));
}

/// "12,5 %" (de) / "12.5%" (en) from millionths of a percent.
std::string percent(std::int64_t micro_percent, Language language) {
  return decimal(micro_percent, 6, language) + (language == Language::de ? " %" : "%");
}

/// "05.01.2026" (de) / "5 January 2026" (en).
std::string date(const Date& d, Language language) {
  const auto ymd = d.year_month_day();
  const std::string day = std::to_string(ymd.day), month = std::to_string(ymd.month), year = std::to_string(ymd.year);
  if (language == Language::de) return (day.size() < 2 ? "0" : "") + day + '.' + (month.size() < 2 ? "0" : "") + month + '.' + year;
  static constexpr std::array<const char*, 12> months{"January", "February", "March",     "April",   "May",      "June",
                                                       "July",    "August",   "September", "October", "November", "December"};
  return day + ' ' + months[ymd.month - 1] + ' ' + year;
}

// ---- the sheet's words -------------------------------------------------------------------------

struct Sheet {
  std::string heading;                                     ///< "Konditionen: " + the title (book text)
  std::vector<std::pair<std::string, std::string>> facts;  ///< label, value (value may be book text)
  std::vector<std::string> items;                          ///< the terms, one sentence or two each
};

/// Where covered work goes, for the sentences that say what the base price includes.
std::string_view base_place(Pricing pricing, Language language) {
  const bool de = language == Language::de;
  switch (pricing) {
    case Pricing::fixed: return de ? "im Festpreis" : "in the fixed price";
    case Pricing::contingent: return de ? "im Stundenkontingent" : "in the block of hours";
    case Pricing::retainer: return de ? "im monatlichen Stundenkontingent" : "in the monthly hours";
    case Pricing::hourly: break;
  }
  return "";
}

std::string base_item(const Terms& t, Language language) {
  const bool de = language == Language::de;
  const std::string rate = money(t.rate, language);
  const auto or_zero = [&](const std::optional<Money>& m) { return m ? *m : Money::zero(t.rate.currency()); };
  switch (t.pricing) {
    case Pricing::fixed:
      return de ? "Festpreis " + money(or_zero(t.fixed_price), language) + " für den vereinbarten Leistungsumfang."
                : "Fixed price of " + money(or_zero(t.fixed_price), language) + " for the agreed scope of work.";
    case Pricing::contingent:
      return de ? "Stundenkontingent von " + hours(t.contingent.value_or(0), language) + " für " +
                      money(or_zero(t.contingent_price), language) + "; darüber hinaus Abrechnung nach Aufwand zu " + rate + " je Stunde."
                : "A block of " + hours(t.contingent.value_or(0), language) + " for " + money(or_zero(t.contingent_price), language) +
                      "; time beyond it is billed at " + rate + " per hour.";
    case Pricing::retainer: {
      const Seconds rollover = t.rollover_max.value_or(0);
      if (de)
        return "Monatliches Stundenkontingent: " + hours(t.contingent.value_or(0), language) + " für " +
               money(or_zero(t.contingent_price), language) +
               " je Kalendermonat (angefangene Monate werden voll berechnet); darüber hinaus Abrechnung nach Aufwand zu " + rate +
               " je Stunde. " +
               (rollover > 0 ? "Nicht genutzte Stunden werden bis höchstens " + hours(rollover, language) + " in den Folgemonat übertragen."
                             : std::string("Nicht genutzte Stunden verfallen am Monatsende."));
      return "Monthly retainer: " + hours(t.contingent.value_or(0), language) + " for " + money(or_zero(t.contingent_price), language) +
             " per calendar month (part months are charged in full); time beyond the monthly hours is billed at " + rate +
             " per hour. " +
             (rollover > 0 ? "Unused hours carry over to the following month, up to " + hours(rollover, language) + "."
                           : std::string("Unused hours expire at the end of the month."));
    }
    case Pricing::hourly: return de ? "Abrechnung nach Aufwand zu " + rate + " je Stunde." : "Billed by time at " + rate + " per hour.";
  }
  return "";
}

std::string revision_item(const Terms& t, Language language) {
  const bool de = language == Language::de;
  const std::string rate = money(t.rate, language);
  const std::int64_t n = t.included_rounds;
  const std::optional<std::string> flat = t.extra_round_price ? std::optional(money(*t.extra_round_price, language)) : std::nullopt;
  if (t.pricing == Pricing::hourly) {
    if (!flat)
      return de ? "Korrekturschleifen werden nach Aufwand zu " + rate + " je Stunde abgerechnet."
                : "Revision rounds are billed by time at " + rate + " per hour.";
    if (n == 0) return de ? "Jede Korrekturschleife kostet pauschal " + *flat + "." : "Each revision round costs a flat " + *flat + ".";
    if (de)
      return (n == 1 ? std::string("Die erste Korrekturschleife wird") : "Die ersten " + std::to_string(n) + " Korrekturschleifen werden") +
             " nach Aufwand abgerechnet, jede weitere pauschal mit " + *flat + ".";
    return (n == 1 ? std::string("The first revision round is") : "The first " + std::to_string(n) + " revision rounds are") +
           " billed by time; each further round costs a flat " + *flat + ".";
  }
  const std::string place(base_place(t.pricing, language));
  if (n == 0) {
    if (de)
      return "Korrekturschleifen sind nicht " + place + " enthalten; " +
             (flat ? "jede Korrekturschleife kostet pauschal " + *flat + "." : "sie werden nach Aufwand zu " + rate + " je Stunde abgerechnet.");
    return "Revision rounds are not included " + place + "; " +
           (flat ? "each round costs a flat " + *flat + "." : "they are billed by time at " + rate + " per hour.");
  }
  if (de)
    return (n == 1 ? std::string("Eine Korrekturschleife ist ") : std::to_string(n) + " Korrekturschleifen sind ") + place + " enthalten; " +
           (flat ? "jede weitere Korrekturschleife kostet pauschal " + *flat + "."
                 : "jede weitere wird nach Aufwand zu " + rate + " je Stunde abgerechnet.");
  return (n == 1 ? std::string("One revision round is included ") : std::to_string(n) + " revision rounds are included ") + place + "; " +
         (flat ? "each further round costs a flat " + *flat + "." : "each further round is billed by time at " + rate + " per hour.");
}

std::string change_item(const Terms& t, Language language) {
  return language == Language::de ? "Änderungswünsche: nach Angebot, sonst nach Aufwand zu " + money(t.rate, language) + " je Stunde."
                                   : "Change requests: as quoted, otherwise billed by time at " + money(t.rate, language) + " per hour.";
}

std::string rounding_item(const Rounding& r, Language language) {
  if (language == Language::de) {
    const std::string unit = r.increment == 60     ? "volle Minuten"
                             : r.increment == 3600 ? "volle Stunden"
                                                   : "volle " + minutes(r.increment, language);
    const char* how = r.mode == RoundingMode::up ? "aufgerundet" : r.mode == RoundingMode::down ? "abgerundet" : "kaufmännisch gerundet";
    return "Arbeitszeiten werden je Eintrag auf " + unit + ' ' + how + '.';
  }
  const std::string unit = r.increment == 60 ? "minute" : r.increment == 3600 ? "hour" : minutes(r.increment, language);
  switch (r.mode) {
    case RoundingMode::up: return "Each time entry is rounded up to the next full " + unit + '.';
    case RoundingMode::down: return "Each time entry is rounded down to the last full " + unit + '.';
    case RoundingMode::nearest: break;
  }
  return "Each time entry is rounded to the nearest " + unit + '.';
}

std::string call_item(const Terms& t, Language language) {
  const bool de = language == Language::de;
  if (!t.call_fee) {
    switch (t.pricing) {
      case Pricing::fixed: return de ? "Telefonate und Besprechungen sind im Festpreis enthalten." : "Calls and meetings are included in the fixed price.";
      case Pricing::contingent:
        return de ? "Telefonate und Besprechungen zählen als Arbeitszeit und werden auf das Stundenkontingent angerechnet."
                  : "Calls and meetings count as working time against the block of hours.";
      case Pricing::retainer:
        return de ? "Telefonate und Besprechungen zählen als Arbeitszeit und werden auf das monatliche Stundenkontingent angerechnet."
                  : "Calls and meetings count as working time against the monthly hours.";
      case Pricing::hourly: break;
    }
    return de ? "Telefonate und Besprechungen werden wie die übrige Arbeit nach Aufwand abgerechnet."
              : "Calls and meetings are billed by time like other work.";
  }
  const CallFee& f = *t.call_fee;
  const std::string fee = money(f.fee, language);
  std::string out;
  if (de) {
    const std::string block = f.block == 60 ? "je angefangene Minute" : f.block == 3600 ? "je angefangene Stunde" : "je angefangene " + minutes(f.block, language);
    if (f.free == 0)
      out = "Telefonate und Besprechungen werden " + block + " mit " + fee + " berechnet.";
    else
      out = "Telefonate und Besprechungen: " + (f.free == 60 ? std::string("Die erste Minute") : "Die ersten " + minutes(f.free, language)) +
            " je Gespräch " + (f.free == 60 ? "ist" : "sind") + " frei; danach werden " + block + ' ' + fee + " berechnet.";
    if (t.pricing == Pricing::contingent) out += " Gesprächszeit wird nicht auf das Stundenkontingent angerechnet.";
    if (t.pricing == Pricing::retainer) out += " Gesprächszeit wird nicht auf das monatliche Stundenkontingent angerechnet.";
    if (t.pricing == Pricing::hourly) out += " Gesprächszeit wird nicht zusätzlich nach Aufwand abgerechnet.";
    return out;
  }
  const std::string block = f.block == 60 ? "minute" : f.block == 3600 ? "hour" : minutes(f.block, language);
  if (f.free == 0)
    out = "Calls and meetings are charged at " + fee + " per " + block + " or part thereof.";
  else
    out = "Calls and meetings: the first " + (f.free == 60 ? std::string("minute") : minutes(f.free, language)) + " of each call " +
          (f.free == 60 ? "is" : "are") + " free; after that, " + fee + " per " + block + " or part thereof.";
  if (t.pricing == Pricing::contingent) out += " Call time does not count against the block of hours.";
  if (t.pricing == Pricing::retainer) out += " Call time does not count against the monthly hours.";
  if (t.pricing == Pricing::hourly) out += " Calls are billed by this fee only, not by time.";
  return out;
}

std::string rush_item(const Terms& t, Language language) {
  const Rush& r = *t.rush;
  if (language == Language::de)
    return "Eilaufträge mit einer Frist von weniger als " + hours(r.lead, language) + " nach Eingang: Aufschlag von " +
           percent(r.surcharge_micro_percent, language) + " auf den Stundensatz von " + money(t.rate, language) +
           " für die daran geleistete Arbeitszeit, zusätzlich zur Vergütung dieser Arbeit.";
  return "Rush requests with a deadline of less than " + hours(r.lead, language) + " after receipt: a surcharge of " +
         percent(r.surcharge_micro_percent, language) + " of the hourly rate of " + money(t.rate, language) +
         " for the time worked on them, on top of the price of that work.";
}

std::string no_show_item(const NoShow& n, Language language) {
  if (language == Language::de)
    return n.notice > 0 ? "Termine, die weniger als " + hours(n.notice, language) +
                              " vorher abgesagt oder nicht wahrgenommen werden, werden mit " + money(n.fee, language) + " berechnet."
                        : "Nicht wahrgenommene Termine werden mit " + money(n.fee, language) + " berechnet.";
  return n.notice > 0 ? "Appointments missed or cancelled less than " + hours(n.notice, language) + " in advance are charged at " +
                            money(n.fee, language) + "."
                      : "Missed appointments are charged at " + money(n.fee, language) + ".";
}

/// The VAT the invoices will carry; a book without VAT says only that prices are net.
std::string vat_item(const std::optional<Vat>& vat, Language language) {
  const bool de = language == Language::de;
  if (!vat) return de ? "Alle Preise netto zzgl. gesetzlicher Umsatzsteuer." : "All prices net of VAT.";
  switch (vat->category) {
    case VatCategory::S: {
      const std::string rate = percent(vat->micro_percent, language);
      return de ? "Alle Preise netto zzgl. " + rate + " Umsatzsteuer." : "All prices net, plus " + rate + " VAT.";
    }
    case VatCategory::Z: return de ? "Alle Preise netto; Umsatzsteuer 0 %." : "All prices net; VAT 0%.";
    case VatCategory::E:
    case VatCategory::AE: return (de ? "Keine Umsatzsteuer: " : "No VAT: ") + vat->exemption_reason;
  }
  return {};
}

Sheet words(const Book& book, const Engagement& e, Language language) {
  const bool de = language == Language::de;
  const Terms& t = e.terms;
  Sheet s;
  s.heading = (de ? "Konditionen: " : "Terms: ") + (e.title.empty() ? e.id : e.title);
  const Client* client = book.find_client(e.client);
  s.facts.emplace_back(de ? "Kunde" : "Client", client && !client->name.empty() ? client->name : e.client);
  s.facts.emplace_back(de ? "Laufzeit" : "Period", e.end ? date(e.start, language) + " – " + date(*e.end, language)
                                                         : (de ? "ab " : "from ") + date(e.start, language));
  s.facts.emplace_back(de ? "Währung" : "Currency", std::string(e.currency.code()));

  s.items.push_back(base_item(t, language));
  s.items.push_back(revision_item(t, language));
  s.items.push_back(change_item(t, language));
  if (t.rounding) s.items.push_back(rounding_item(*t.rounding, language));
  s.items.push_back(call_item(t, language));
  if (t.rush) s.items.push_back(rush_item(t, language));
  if (t.no_show) s.items.push_back(no_show_item(*t.no_show, language));
  const std::string days = std::to_string(client ? client->days_to_pay() : default_payment_days);
  s.items.push_back(de ? "Zahlbar innerhalb von " + days + " Tagen nach Rechnungsdatum." : "Payment due within " + days + " days of the invoice date.");
  s.items.push_back(vat_item(book.vat_of(e), language));
  return s;
}

// ---- the three forms ---------------------------------------------------------------------------

std::string as_text(const Sheet& s) {
  std::string out = s.heading + '\n' + std::string(code_points(s.heading), '=') + "\n\n";
  for (const auto& [label, value] : s.facts) out += label + ": " + value + '\n';
  out += '\n';
  for (const std::string& item : s.items) out += "- " + item + '\n';
  return out;
}

std::string as_markdown(const Sheet& s) {
  std::string out = "# " + markdown_escape(s.heading) + "\n\n";
  for (std::size_t i = 0; i < s.facts.size(); ++i)
    out += "**" + s.facts[i].first + ":** " + markdown_escape(s.facts[i].second) + (i + 1 < s.facts.size() ? "\\\n" : "\n");
  out += '\n';
  for (const std::string& item : s.items) out += "- " + item + '\n';
  return out;
}

std::string as_html(const Sheet& s, Language language) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + std::string(name(language)) + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(s.heading) + "</title>\n</head>\n";
  out += "<body style=\"font-family: Helvetica, Arial, sans-serif; max-width: 42em; margin: 2em auto; padding: 0 1em; "
         "line-height: 1.5; color: #222;\">\n";
  out += "<h1 style=\"font-size: 1.5em; margin: 0 0 0.5em;\">" + html_escape(s.heading) + "</h1>\n";
  out += "<p style=\"margin: 0 0 1.5em;\">";
  for (std::size_t i = 0; i < s.facts.size(); ++i)
    out += (i ? "<br>\n" : "") + std::string("<strong>") + html_escape(s.facts[i].first) + ":</strong> " + html_escape(s.facts[i].second);
  out += "</p>\n<ul style=\"padding-left: 1.2em;\">\n";
  for (const std::string& item : s.items) out += "<li style=\"margin-bottom: 0.4em;\">" + html_escape(item) + "</li>\n";
  out += "</ul>\n</body>\n</html>\n";
  return out;
}

}  // namespace

std::string terms_sheet(const Book& book, const Engagement& engagement, Language language, SheetFormat format) {
  const Sheet sheet = words(book, engagement, language);
  switch (format) {
    case SheetFormat::text: return as_text(sheet);
    case SheetFormat::markdown: return as_markdown(sheet);
    case SheetFormat::html: return as_html(sheet, language);
  }
  return as_text(sheet);
}

}  // namespace kontingent
