// Writes books (docs/formats.md, book) and reports (docs/formats.md, report) as JSON.
#include <algorithm>
#include <charconv>
#include <thread>
#include <vector>

#include "formats/json_types.hpp"
#include "formats/json_writer.hpp"
#include "kontingent/detail/parallel.hpp"
#include "kontingent/store/atomic_file.hpp"
#include "kontingent/formats/json.hpp"

namespace kontingent {
namespace {

using detail::JsonWriter;
using detail::write_amounts;

/// A count of `1 / scale` units (hours kept as seconds, percentages as millionths) as the fewest
/// decimals that the reader (detail::scaled_units) takes back to the same count: a book's
/// 26.194 hours, kept as 94,298 s, is written 26.194 again rather than 26.193888888888889, so
/// that saving a book does not rewrite what its author typed.
std::string shortest_decimal(std::int64_t count, std::int64_t scale) {
  const auto reads_back = [&](const std::string& text) {
    double value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return detail::scaled_units(value, static_cast<double>(scale)) == count;
  };
  for (std::int64_t digits = 0, power = 1;; ++digits, power *= 10) {
    std::string text = std::to_string(static_cast<std::int64_t>(divide_rounded_wide(Wide{count} * power, scale)));
    if (digits > 0) {
      if (text.size() <= static_cast<std::size_t>(digits)) text.insert(0, static_cast<std::size_t>(digits) + 1 - text.size(), '0');
      text.insert(text.size() - static_cast<std::size_t>(digits), ".");
    }
    // From 10^digits >= scale on, the nearest decimal is within half a unit of the count: it reads back.
    if (power >= scale || reads_back(text)) return text;
  }
}
std::string hours(Seconds s) { return shortest_decimal(s, 3600); }
std::string percent(std::int64_t micro_percent) { return shortest_decimal(micro_percent, 1'000'000); }

void write_vat(JsonWriter& w, const Vat& vat) {
  w.key("vat").begin_object().key("category").string(name(vat.category));
  if (vat.category == VatCategory::S) w.key("percent").raw(percent(vat.micro_percent));
  if (!vat.exemption_reason.empty()) w.key("exemption_reason").string(vat.exemption_reason);
  w.end_object();
}

/// Writes `"key": "value"` for text that is not empty.
void optional_text(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) w.key(key).string(value);
}

void write_address(JsonWriter& w, const Address& a) {
  w.key("address").begin_object();
  optional_text(w, "street", a.street);
  optional_text(w, "postcode", a.postcode);
  w.key("city").string(a.city).key("country").string(a.country).end_object();
}

void write_owner(JsonWriter& w, const Owner& o) {
  w.key("owner").begin_object().key("name").string(o.name);
  write_address(w, o.address);
  optional_text(w, "vat_id", o.vat_id);
  optional_text(w, "tax_number", o.tax_number);
  optional_text(w, "email", o.email);
  optional_text(w, "iban", o.iban);
  optional_text(w, "invoice_prefix", o.invoice_prefix);
  if (o.vat) write_vat(w, *o.vat);
  w.end_object();
}

void write_terms(JsonWriter& w, const Terms& t) {
  w.key("terms").begin_object();
  w.key("pricing").string(name(t.pricing));
  w.key("rate").string(t.rate.to_short_string());
  if (t.fixed_price) w.key("fixed_price").string(t.fixed_price->to_short_string());
  if (t.contingent) w.key("contingent_hours").raw(hours(*t.contingent));
  if (t.contingent_price) w.key("contingent_price").string(t.contingent_price->to_short_string());
  if (t.rollover_max) w.key("rollover_max_hours").raw(hours(*t.rollover_max));
  if (t.included_rounds != 0) w.key("included_rounds").integer(t.included_rounds);
  if (t.extra_round_price) w.key("extra_round_price").string(t.extra_round_price->to_short_string());
  if (t.rounding)
    w.key("rounding").begin_object().key("increment_minutes").integer(t.rounding->increment / 60).key("mode").string(name(t.rounding->mode)).end_object();
  if (t.call_fee)
    w.key("call_fee").begin_object()
        .key("free_minutes").integer(t.call_fee->free / 60)
        .key("block_minutes").integer(t.call_fee->block / 60)
        .key("fee").string(t.call_fee->fee.to_short_string())
        .end_object();
  if (t.rush)
    w.key("rush").begin_object()
        .key("lead_hours").raw(hours(t.rush->lead))
        .key("surcharge_percent").raw(percent(t.rush->surcharge_micro_percent))
        .end_object();
  if (t.no_show)
    w.key("no_show").begin_object()
        .key("notice_hours").raw(hours(t.no_show->notice))
        .key("fee").string(t.no_show->fee.to_short_string())
        .end_object();
  if (t.vat) write_vat(w, *t.vat);
  w.end_object();
}

std::string time_text(const Time& t) { return format_time(clock_seconds(t)); }
std::string date_text(const Date& d) { return format_date(clock_days(d)); }

void write_journal(JsonWriter& w, const Journal& j) {
  w.key("requests").begin_array();
  for (const Request& r : j.requests) {
    w.begin_object().key("id").string(r.id).key("kind").string(name(r.kind)).key("received").string(time_text(r.received));
    if (r.due) w.key("due").string(time_text(*r.due));
    if (r.quote) w.key("quote").string(r.quote->to_short_string());
    if (r.declined) w.key("declined").raw("true");
    w.end_object();
  }
  w.end_array();

  w.key("entries").begin_array();
  const Entries& entries = j.entries;
  const auto starts = entries.starts();
  const auto seconds = entries.seconds();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    w.begin_object().key("start").string(format_time(starts[i]));
    if (entries.written_as_minutes(i) && seconds[i] % 60 == 0) w.key("minutes").integer(seconds[i] / 60);
    else w.key("end").string(format_time(starts[i] + seconds[i]));
    w.key("kind").string(name(entries.kinds()[i]));
    if (const RequestIndex r = entries.requests()[i]; r != no_request) w.key("request").string(j.requests[r].id);
    if (const std::string_view note = entries.note(i); !note.empty()) w.key("note").string(note);
    w.end_object();
  }
  w.end_array();

  w.key("appointments").begin_array();
  for (const Appointment& a : j.appointments) {
    w.begin_object().key("at").string(time_text(a.at)).key("status").string(name(a.status));
    if (a.cancelled) w.key("cancelled").string(time_text(*a.cancelled));
    w.end_object();
  }
  w.end_array();

  w.key("invoices").begin_array();
  for (const Invoice& inv : j.invoices) {
    w.begin_object().key("id").string(inv.id).key("date").string(date_text(inv.date)).key("lines").begin_array();
    for (const InvoiceLine& line : inv.lines)
      w.begin_object().key("category").string(name(line.category)).key("amount").string(line.amount.to_short_string()).end_object();
    w.end_array();
    if (inv.credit_note) w.key("credit_note").raw("true");
    optional_text(w, "refers_to", inv.refers_to);
    if (inv.due) w.key("due").string(date_text(*inv.due));
    w.end_object();
  }
  w.end_array();

  w.key("payments").begin_array();
  for (const Payment& p : j.payments)
    w.begin_object().key("invoice").string(p.invoice).key("date").string(date_text(p.date)).key("amount").string(p.amount.to_short_string()).end_object();
  w.end_array();
}

}  // namespace

std::string to_json(const Book& book) {
  JsonWriter w;
  std::size_t entries = 0;
  for (const Engagement& e : book.engagements) entries += e.journal.entries.size();
  w.reserve(4096 + entries * 90);
  w.begin_object().key("format").string(book_format_word(book));
  if (book.owner) write_owner(w, *book.owner);
  w.key("clients").begin_array();
  for (const Client& c : book.clients) {
    w.begin_object().key("id").string(c.id).key("name").string(c.name);
    optional_text(w, "channel", c.channel);
    if (c.address) write_address(w, *c.address);
    optional_text(w, "vat_id", c.vat_id);
    optional_text(w, "email", c.email);
    optional_text(w, "buyer_reference", c.buyer_reference);
    if (c.payment_days) w.key("payment_days").integer(*c.payment_days);
    w.end_object();
  }
  w.end_array();
  w.key("engagements").begin_array();
  for (const Engagement& e : book.engagements) {
    w.begin_object().key("id").string(e.id).key("client").string(e.client);
    if (!e.title.empty()) w.key("title").string(e.title);
    w.key("currency").string(e.currency.code()).key("start").string(date_text(e.start));
    if (e.end) w.key("end").string(date_text(*e.end));
    if (e.review_by) w.key("review_by").string(date_text(*e.review_by));
    write_terms(w, e.terms);
    write_journal(w, e.journal);
    w.end_object();
  }
  w.end_array().end_object();
  return std::move(w).take();
}

std::string save_book_json(const Book& book, const std::filesystem::path& file) {
  validate(book);  // a book that would not load again is not written
  return write_file_atomically(file, to_json(book));
}

namespace {

void write_engagement_report(JsonWriter& w, const EngagementReport& r) {
  w.begin_object().key("id").string(r.id).key("client").string(r.client).key("currency").string(r.currency.code());
  write_amounts(w, "billable", r.billable);
  write_amounts(w, "invoiced", r.invoiced);
  write_amounts(w, "leakage", r.leakage);
  w.key("unbilled").string(r.unbilled.to_string()).key("overbilled").string(r.overbilled.to_string());
  w.key("worked_seconds").integer(r.worked_seconds);
  w.key("seconds_by_kind").begin_object();
  for (std::size_t k = 0; k < entry_kind_count; ++k) w.key(name(static_cast<EntryKind>(k))).integer(r.seconds_by_kind.values[k]);
  w.end_object();
  if (r.effective_rate) w.key("effective_rate").string(r.effective_rate->to_string());
  else w.key("effective_rate").raw("null");
  w.key("rounds").begin_object().key("included").integer(r.rounds.included).key("used").integer(r.rounds.used).key("extra").integer(r.rounds.extra).end_object();
  if (r.contingent)
    w.key("contingent").begin_object()
        .key("available_seconds").integer(r.contingent->available)
        .key("consumed_seconds").integer(r.contingent->consumed)
        .key("overage_seconds").integer(r.contingent->overage)
        .end_object();
  else
    w.key("contingent").raw("null");
  w.key("alerts").begin_array();
  for (const Alert a : r.alerts) w.string(name(a));
  w.end_array();
  w.end_object();
}

}  // namespace

std::string to_json(const Report& report) {
  JsonWriter w;
  w.begin_object().key("format").string("kontingent-report/1").key("as_of").string(date_text(report.as_of));
  w.key("engagements").begin_array();
  // A report of 10^3 engagements is a megabyte of JSON: a big one is written in parts, one a core,
  // each part's engagements in a row.
  constexpr std::size_t engagements_per_part = 128;
  const std::size_t n = report.engagements.size();
  const auto parts = static_cast<unsigned>(std::clamp<std::size_t>(n / engagements_per_part, 1, std::max(1u, std::thread::hardware_concurrency())));
  std::vector<std::string> texts(parts);
  detail::parallel_for(parts, parts, [&](std::size_t part, unsigned) {
    JsonWriter items = JsonWriter::items_of_array(2, part == 0);  // in the report's object, in its list of engagements
    for (std::size_t i = n * part / parts; i < n * (part + 1) / parts; ++i) write_engagement_report(items, report.engagements[i]);
    texts[part] = std::move(items).items();
  });
  for (const std::string& text : texts) w.splice(text);
  w.end_array().end_object();
  return std::move(w).take();
}

}  // namespace kontingent
