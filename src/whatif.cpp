// What-if: applying `KEY=VALUE` changes to terms, then the same evaluation as always.
#include "kontingent/whatif.hpp"

#include "kontingent/detail/scaled.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/limits.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace kontingent {
namespace {

[[noreturn]] void fail(std::string_view key, std::string rule) { throw validation_error("--set " + std::string(key), std::move(rule)); }

Money money_value(const TermsChange& c, Currency currency) {
  std::string rule;
  const std::int64_t cents = parse_cents(c.value, rule);
  if (!rule.empty()) fail(c.key, rule);
  if (cents < 0) fail(c.key, "money must not be negative, got \"" + c.value + "\"");
  return {cents, currency};
}

std::int64_t integer_value(const TermsChange& c) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(c.value.data(), c.value.data() + c.value.size(), n);
  if (ec != std::errc{} || end != c.value.data() + c.value.size() || n < 0 || n > limits::max_count)
    fail(c.key, "expected a whole number from 0 to " + std::to_string(limits::max_count) + ", got \"" + c.value + "\"");
  return n;
}

/// A decimal number (hours, percent) scaled to an integer: "7.5" hours at scale 3600 is 27000 seconds.
std::int64_t scaled_value(const TermsChange& c, double scale) {
  double d = 0;
  const auto [end, ec] = std::from_chars(c.value.data(), c.value.data() + c.value.size(), d);
  static_assert(limits::max_hours == limits::max_percent);  // one bound for both, as in the book readers
  if (ec != std::errc{} || end != c.value.data() + c.value.size() || !(d >= 0) || d > static_cast<double>(limits::max_hours))
    fail(c.key, "expected a number from 0 to " + std::to_string(limits::max_hours) + ", got \"" + c.value + "\"");
  return detail::scaled_units(d, scale);
}

template <class Enum>
Enum word_value(const TermsChange& c) {
  if (const auto e = from_name<Enum>(c.value)) return *e;
  fail(c.key, "expected " + names_list<Enum>() + ", got \"" + c.value + "\"");
}

/// The fields an optional part needs when a what-if adds it.
const std::map<std::string_view, std::vector<std::string_view>>& part_fields() {
  static const std::map<std::string_view, std::vector<std::string_view>> parts{
      {"rounding", {"rounding.increment_minutes", "rounding.mode"}},
      {"call_fee", {"call_fee.free_minutes", "call_fee.block_minutes", "call_fee.fee"}},
      {"rush", {"rush.lead_hours", "rush.surcharge_percent"}},
      {"no_show", {"no_show.notice_hours", "no_show.fee"}}};
  return parts;
}

template <class Part>
Part& part(std::optional<Part>& p) {
  if (!p) p.emplace();
  return *p;
}

void apply_one(Terms& t, const TermsChange& c, Currency currency) {
  const std::string_view k = c.key;
  if (k == "rate") t.rate = money_value(c, currency);
  else if (k == "fixed_price") t.fixed_price = money_value(c, currency);
  else if (k == "contingent_hours") t.contingent = scaled_value(c, 3600);
  else if (k == "contingent_price") t.contingent_price = money_value(c, currency);
  else if (k == "rollover_max_hours") t.rollover_max = scaled_value(c, 3600);
  else if (k == "included_rounds") t.included_rounds = integer_value(c);
  else if (k == "extra_round_price") t.extra_round_price = money_value(c, currency);
  else if (k == "rounding.increment_minutes") part(t.rounding).increment = 60 * integer_value(c);
  else if (k == "rounding.mode") part(t.rounding).mode = word_value<RoundingMode>(c);
  else if (k == "call_fee.free_minutes") part(t.call_fee).free = 60 * integer_value(c);
  else if (k == "call_fee.block_minutes") part(t.call_fee).block = 60 * integer_value(c);
  else if (k == "call_fee.fee") part(t.call_fee).fee = money_value(c, currency);
  else if (k == "rush.lead_hours") part(t.rush).lead = scaled_value(c, 3600);
  else if (k == "rush.surcharge_percent") part(t.rush).surcharge_micro_percent = scaled_value(c, 1e6);
  else if (k == "no_show.notice_hours") part(t.no_show).notice = scaled_value(c, 3600);
  else if (k == "no_show.fee") part(t.no_show).fee = money_value(c, currency);
  else {
    std::string keys;
    for (const std::string_view key : terms_change_keys) keys += (keys.empty() ? "" : ", ") + std::string(key);
    fail(k, "unknown key (expected one of " + keys + ")");
  }
}

bool has_part(const Terms& t, std::string_view part) {
  if (part == "rounding") return t.rounding.has_value();
  if (part == "call_fee") return t.call_fee.has_value();
  if (part == "rush") return t.rush.has_value();
  return t.no_show.has_value();
}

}  // namespace

TermsChange TermsChange::parse(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw validation_error("--set", "expected KEY=VALUE, got \"" + std::string(text) + "\"");
  return {std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

void apply(Terms& terms, std::span<const TermsChange> changes, Currency currency) {
  std::set<std::string_view> set_keys;
  for (const TermsChange& c : changes) set_keys.insert(c.key);
  for (const auto& [name, fields] : part_fields()) {
    if (has_part(terms, name)) continue;
    const auto given = std::count_if(fields.begin(), fields.end(), [&](std::string_view f) { return set_keys.contains(f); });
    if (given == 0 || given == static_cast<std::ptrdiff_t>(fields.size())) continue;
    std::string all;
    for (const std::string_view f : fields) all += (all.empty() ? "" : ", ") + std::string(f);
    fail(fields.front().substr(0, fields.front().find('.')),
         "the terms have no " + std::string(name) + " yet: set all of " + all + " to add one");
  }
  for (const TermsChange& c : changes) apply_one(terms, c, currency);
}

Book with_changed_terms(const Book& book, std::span<const TermsChange> changes, const WhatIfScope& scope) {
  if (scope.kind == WhatIfScope::Kind::client && !book.find_client(scope.id))
    throw validation_error("--client", "the book has no client \"" + scope.id + "\"");
  if (scope.kind == WhatIfScope::Kind::engagement && !book.find_engagement(scope.id))
    throw validation_error("--engagement", "the book has no engagement \"" + scope.id + "\"");
  Book changed = book;
  for (Engagement& e : changed.engagements)
    if (scope.contains(e)) apply(e.terms, changes, e.currency);
  validate(changed);
  return changed;
}

std::vector<WhatIfRow> WhatIf::rows() const {
  // (client, currency) in order of first appearance, each with a row per category, found by a
  // lookup (a book may hold 10^5 clients); amounts of one currency only are ever added. Both
  // reports hold the same engagements in the same order: changed terms start nothing.
  std::vector<WhatIfRow> rows;
  std::unordered_map<std::string, std::size_t> first_row;
  for (std::size_t i = 0; i < before.engagements.size(); ++i) {
    const EngagementReport& r = before.engagements[i];
    const auto [at, added] = first_row.try_emplace(r.client + '\n' + std::string(r.currency.code()), rows.size());
    if (added)
      for (std::size_t c = 0; c < category_count; ++c)
        rows.push_back({r.client, r.currency, static_cast<Category>(c), Money::zero(r.currency), Money::zero(r.currency)});
    for (std::size_t c = 0; c < category_count; ++c) {
      rows[at->second + c].before += r.billable.values[c];
      rows[at->second + c].after += after.engagements[i].billable.values[c];
    }
  }
  std::erase_if(rows, [](const WhatIfRow& w) { return w.before == w.after; });
  return rows;
}

WhatIf what_if(const Book& book, std::span<const TermsChange> changes, const WhatIfScope& scope, std::optional<Date> as_of) {
  if (!as_of) as_of = default_as_of(book);
  const Book changed = with_changed_terms(book, changes, scope);
  return {evaluate(book, as_of), evaluate(changed, as_of)};
}

}  // namespace kontingent
