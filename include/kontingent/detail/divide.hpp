#pragma once
// Division by a divisor known before a loop starts. The per-entry step divides every entry's seconds
// by the rounding increment and a call's by the fee block; the processor's division instruction
// was then the slowest step of the whole loop.
#include <cstdint>

namespace kontingent::detail {

/// n / d for a d > 0 fixed in advance, as integer division truncates. Numbers in [0, 2^32) — a
/// valid entry lasts at most 6·10^8 seconds — take one multiplication by a
/// precomputed reciprocal, exact for every such n and d < 2^32 (D. Lemire, O. Kaser, N. Kurz,
/// "Faster remainder by direct computation", Software: Practice and Experience 49(6), 2019);
/// anything else takes the division instruction.
class DivideBy {
  __extension__ using Product = unsigned __int128;

 public:
  constexpr explicit DivideBy(std::int64_t d) noexcept
      : d_(d), reciprocal_(d > 1 && static_cast<std::uint64_t>(d) < limit ? ~std::uint64_t{0} / static_cast<std::uint64_t>(d) + 1 : 0) {}

  constexpr std::int64_t operator()(std::int64_t n) const noexcept {
    // A negative n wraps to a huge unsigned number and takes the division instruction too.
    if (reciprocal_ != 0 && static_cast<std::uint64_t>(n) < limit) [[likely]]
      return static_cast<std::int64_t>((static_cast<Product>(reciprocal_) * static_cast<std::uint64_t>(n)) >> 64);
    return n / d_;
  }

 private:
  static constexpr std::uint64_t limit = std::uint64_t{1} << 32;
  std::int64_t d_;
  std::uint64_t reciprocal_;  // ⌊(2^64 − 1) / d⌋ + 1; 0 when d is 1 (it would not fit) or ≥ 2^32
};

}  // namespace kontingent::detail
