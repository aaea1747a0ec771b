// detail::DivideBy, the division the per-entry step prepares once per engagement: it must give what
// `/` gives for every number, on both sides of the 2^32 limit of its multiplication.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "kontingent/detail/divide.hpp"
#include "kontingent/time.hpp"

using namespace kontingent;
using detail::DivideBy;

namespace {

constexpr std::int64_t two_to_32 = std::int64_t{1} << 32;

/// Every n where a wrong reciprocal would first show: around multiples of d, and the ends of the range.
std::vector<std::int64_t> edges_for(std::int64_t d) {
  std::vector<std::int64_t> n;
  for (const std::int64_t around : {std::int64_t{0}, d, 2 * d, two_to_32 / d * d, two_to_32, two_to_32 - 1 - (two_to_32 - 1) % d})
    for (std::int64_t delta = -2; delta <= 2; ++delta) n.push_back(around + delta);
  for (const std::int64_t far : {std::int64_t{600'000'000}, two_to_32 - 1, two_to_32 + 1, std::int64_t{1} << 40, INT64_MAX, -d, INT64_MIN + 1})
    n.push_back(far);
  return n;
}

}  // namespace

TEST_CASE("DivideBy gives n / d for every divisor kind: one, small, rounding increments, near and past 2^32") {
  const std::int64_t divisors[] = {1, 2, 3, 7, 60, 360, 900, 1800, 3600, 86'400, 600'000'000, two_to_32 - 1, two_to_32, two_to_32 + 1,
                                   std::int64_t{1} << 40};
  std::mt19937_64 random(7);
  for (const std::int64_t d : divisors) {
    INFO("d = " << d);
    const DivideBy per(d);
    std::vector<std::int64_t> numbers = edges_for(d);
    for (int i = 0; i < 20'000; ++i) numbers.push_back(static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(two_to_32)));
    std::int64_t wrong = 0, first_wrong = 0;
    for (const std::int64_t n : numbers)
      if (per(n) != n / d && wrong++ == 0) first_wrong = n;
    INFO("first wrong n = " << first_wrong);
    CHECK(wrong == 0);
  }
}

TEST_CASE("DivideBy is exact for every 32-bit number over the divisors the rounding terms use") {
  // Exhaustive over [0, 2^32) would take minutes; every 997th number plus the last 10^5 covers each
  // residue of these divisors many times and the top of the range.
  for (const std::int64_t d : {std::int64_t{60}, std::int64_t{900}, std::int64_t{3600}}) {
    const DivideBy per(d);
    std::int64_t wrong = 0;
    for (std::int64_t n = 0; n < two_to_32; n += 997) wrong += per(n) != n / d;
    for (std::int64_t n = two_to_32 - 100'000; n < two_to_32; ++n) wrong += per(n) != n / d;
    INFO("d = " << d);
    CHECK(wrong == 0);
  }
}

TEST_CASE("Rounding::apply with a prepared division agrees with the plain one") {
  for (const Seconds increment : {Seconds{60}, Seconds{360}, Seconds{900}, Seconds{3600}, Seconds{7}}) {
    for (const RoundingMode mode : {RoundingMode::up, RoundingMode::down, RoundingMode::nearest}) {
      const Rounding rounding{increment, mode};
      const DivideBy per_increment(increment);
      std::int64_t wrong = 0;
      for (Seconds s = 0; s < 20'000; ++s) wrong += rounding.apply(s, per_increment) != rounding.apply(s);
      for (const Seconds s : {Seconds{600'000'000}, two_to_32 - increment, two_to_32 + 5})
        wrong += rounding.apply(s, per_increment) != rounding.apply(s);
      INFO("increment " << increment << ", mode " << static_cast<int>(mode));
      CHECK(wrong == 0);
    }
  }
  CHECK(Rounding{900, RoundingMode::up}.apply(12'000, DivideBy(900)) == 12'600);  // SPEC example A: 200 minutes → 210
}
