#pragma once
// What-if: history re-evaluated under changed terms. There is no second implementation of any
// billing rule here — a change is applied to copies of the engagements' terms, the copies are
// validated like any book, and the same evaluate() runs over them.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

/// One `KEY=VALUE` change of terms, e.g. `call_fee.fee=40` or `included_rounds=3`.
struct TermsChange {
  std::string key;
  std::string value;
  /// Parses `KEY=VALUE`; throws validation_error naming the text when there is no `=`.
  static TermsChange parse(std::string_view text);
  friend bool operator==(const TermsChange&, const TermsChange&) = default;
};

/// The keys a change may set, as `--help` lists them.
inline constexpr std::array<std::string_view, 16> terms_change_keys{
    "rate",           "fixed_price",       "contingent_hours",   "contingent_price",       "rollover_max_hours",
    "included_rounds", "extra_round_price", "rounding.increment_minutes", "rounding.mode",  "call_fee.free_minutes",
    "call_fee.block_minutes", "call_fee.fee", "rush.lead_hours", "rush.surcharge_percent", "no_show.notice_hours",
    "no_show.fee"};

/// Applies changes to `terms` (money in `currency`). A part the terms do not have yet (a call fee,
/// rush or no-show terms, rounding) is added only when the changes set every one of its fields — no
/// invented defaults. Throws validation_error with the path `--set KEY` on an unknown key, a malformed
/// value, or a part left incomplete.
void apply(Terms& terms, std::span<const TermsChange> changes, Currency currency);

/// Which engagements a what-if changes.
struct WhatIfScope {
  enum class Kind : std::uint8_t { book, client, engagement };
  Kind kind = Kind::book;
  std::string id;  ///< the client or engagement id
  bool contains(const Engagement& e) const noexcept {
    return kind == Kind::book || (kind == Kind::client ? e.client == id : e.id == id);
  }
};

/// The book with `changes` applied to the engagements in `scope`; validated, so a change that breaks
/// a rule (say `fixed_price` on hourly terms) throws validation_error naming the place.
Book with_changed_terms(const Book& book, std::span<const TermsChange> changes, const WhatIfScope& scope);

/// One client's amount in one category before and after the change.
struct WhatIfRow {
  std::string client;
  Currency currency;
  Category category = Category::base;
  Money before;  ///< billable under the book's terms
  Money after;   ///< billable under the changed terms
  Money difference() const { return after - before; }
  friend bool operator==(const WhatIfRow&, const WhatIfRow&) = default;
};

struct WhatIf {
  Report before;
  Report after;
  /// Per client (and currency: amounts of different currencies are never added) and category,
  /// clients in book order, only the categories whose amount changed.
  std::vector<WhatIfRow> rows() const;
};

/// Evaluates the book as it is and under the changed terms, as of the same date.
WhatIf what_if(const Book& book, std::span<const TermsChange> changes, const WhatIfScope& scope,
               std::optional<Date> as_of = std::nullopt);

}  // namespace kontingent
