#pragma once
// The report (docs/formats.md, Report): what an evaluation gives (evaluate.hpp) and what the writers, Python and
// triage read. Plain value types, kept apart from the evaluator so that whoever only reads or writes
// reports does not compile the billing rules.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/journal.hpp"

namespace kontingent {

/// Amounts or seconds indexed by an enum (Category, EntryKind).
template <class T, class Enum, std::size_t N>
struct PerEnum {
  std::array<T, N> values{};
  T& operator[](Enum e) noexcept { return values[static_cast<std::size_t>(e)]; }
  const T& operator[](Enum e) const noexcept { return values[static_cast<std::size_t>(e)]; }
  friend bool operator==(const PerEnum&, const PerEnum&) = default;
};
using CategoryAmounts = PerEnum<Money, Category, category_count>;
using KindSeconds = PerEnum<Seconds, EntryKind, entry_kind_count>;

/// The report's alerts (docs/formats.md, Report); declared in alphabetical order, so a sorted list is a list in enum order.
enum class Alert : std::uint8_t {
  contingent_80,
  contingent_exceeded,
  extra_rounds,
  invoice_overdue,
  overlap,
  review_overdue,
  rounds_exhausted,
  unbilled
};
template <>
struct enum_names<Alert> {
  static constexpr std::array<std::string_view, 8> values{
      "contingent_80", "contingent_exceeded", "extra_rounds",     "invoice_overdue",
      "overlap",       "review_overdue",      "rounds_exhausted", "unbilled"};
};

struct Rounds {
  std::int64_t included = 0;
  std::int64_t used = 0;
  std::int64_t extra = 0;
  friend bool operator==(const Rounds&, const Rounds&) = default;
};

/// Use of a contingent: one block, or one retainer month.
struct ContingentUse {
  Seconds available = 0;  ///< hours of the period plus what was carried into it
  Seconds consumed = 0;   ///< covered work, rounded per entry
  Seconds overage = 0;
  friend ContingentUse operator+(ContingentUse a, const ContingentUse& b) noexcept {
    return {a.available + b.available, a.consumed + b.consumed, a.overage + b.overage};
  }
  friend bool operator==(const ContingentUse&, const ContingentUse&) = default;
};

/// The report of one engagement at one as-of date (docs/formats.md, report).
struct EngagementReport {
  std::string id;
  std::string client;
  Currency currency;
  CategoryAmounts billable;
  CategoryAmounts invoiced;
  CategoryAmounts leakage;  ///< billable − invoiced
  Money unbilled;           ///< Σ positive leakage
  Money overbilled;         ///< Σ |negative leakage|
  Seconds worked_seconds = 0;
  KindSeconds seconds_by_kind;
  std::optional<Money> effective_rate;  ///< invoiced per hour worked; none when nothing was worked
  Rounds rounds;
  std::optional<ContingentUse> contingent;  ///< summed over periods; none for fixed and hourly
  std::vector<Alert> alerts;                ///< sorted

  bool has(Alert a) const noexcept { return std::find(alerts.begin(), alerts.end(), a) != alerts.end(); }
  friend bool operator==(const EngagementReport&, const EngagementReport&) = default;
};

struct Report {
  Date as_of;
  std::vector<EngagementReport> engagements;
  friend bool operator==(const Report&, const Report&) = default;
};

}  // namespace kontingent
