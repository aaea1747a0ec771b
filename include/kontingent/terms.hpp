#pragma once
// Terms: how an engagement's work is priced (docs/formats.md, terms). Hour quantities are held as whole seconds
// and the rush surcharge as millionths of a percent, so every billing formula stays in integers.
#include <cstdint>
#include <optional>

#include "kontingent/money.hpp"
#include "kontingent/parties.hpp"
#include "kontingent/time.hpp"

namespace kontingent {

enum class Pricing : std::uint8_t { fixed, contingent, retainer, hourly };

/// The Quatschpauschale: calls beyond `free` cost `fee` per started `block`.
struct CallFee {
  Seconds free = 0;
  Seconds block = 0;
  Money fee;
  friend bool operator==(const CallFee&, const CallFee&) = default;
};

/// A request due sooner than `lead` after it was received is a rush.
struct Rush {
  Seconds lead = 0;
  /// surcharge_percent × 10^6 (12.5 % is 12'500'000), exact for up to six decimals.
  std::int64_t surcharge_micro_percent = 0;
  friend bool operator==(const Rush&, const Rush&) = default;
};

/// An appointment missed, or cancelled less than `notice` before it, costs `fee`.
struct NoShow {
  Seconds notice = 0;
  Money fee;
  friend bool operator==(const NoShow&, const NoShow&) = default;
};

struct Terms {
  Pricing pricing = Pricing::hourly;
  /// Hourly rate: prices hourly work, overage, unquoted change work and rush.
  Money rate;
  std::optional<Money> fixed_price;     ///< fixed only
  std::optional<Seconds> contingent;      ///< contingent_hours as seconds; contingent and retainer only
  std::optional<Money> contingent_price;  ///< contingent and retainer only
  std::optional<Seconds> rollover_max;    ///< rollover_max_hours as seconds; retainer only (absent = 0)
  std::int64_t included_rounds = 0;
  std::optional<Money> extra_round_price;
  std::optional<Rounding> rounding;
  std::optional<CallFee> call_fee;
  std::optional<Rush> rush;
  std::optional<NoShow> no_show;
  std::optional<Vat> vat;  ///< overrides the owner's (book version 2)

  bool has_contingent() const noexcept { return pricing == Pricing::contingent || pricing == Pricing::retainer; }
  /// Per-entry billable seconds after the rounding rule (raw seconds without one).
  Seconds billable_seconds(Seconds raw) const noexcept { return rounding ? rounding->apply(raw) : raw; }
  friend bool operator==(const Terms&, const Terms&) = default;
};

}  // namespace kontingent

#include "kontingent/names.hpp"
namespace kontingent {
template <>
struct enum_names<Pricing> {
  static constexpr std::array<std::string_view, 4> values{"fixed", "contingent", "retainer", "hourly"};
};
template <>
struct enum_names<RoundingMode> {
  static constexpr std::array<std::string_view, 3> values{"up", "down", "nearest"};
};
}  // namespace kontingent
