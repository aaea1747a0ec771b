#pragma once
// Money is exact: integer cents plus an ISO 4217 code. Like a calendar date type it has only the
// operators that mean something: money ± money (same currency, else currency_mismatch),
// money × integer, negation, comparison. There is no construction from double, and no money + int.
#include <array>
#include <compare>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/error.hpp"
#include "kontingent/limits.hpp"

namespace kontingent {

/// An ISO 4217 code: three capital letters.
class Currency {
 public:
  constexpr Currency() = default;
  /// Throws validation_error unless `code` is three capital letters.
  explicit Currency(std::string_view code) {
    if (!valid(code)) throw validation_error("", "currency must be 3 capital letters like \"EUR\", got \"" + std::string(code) + "\"");
    code_ = {code[0], code[1], code[2]};
  }
  static constexpr bool valid(std::string_view code) noexcept {
    if (code.size() != 3) return false;
    for (char c : code)
      if (c < 'A' || c > 'Z') return false;
    return true;
  }
  std::string_view code() const noexcept { return {code_.data(), 3}; }
  friend constexpr bool operator==(const Currency&, const Currency&) = default;

 private:
  std::array<char, 3> code_{'X', 'X', 'X'};  // ISO 4217 "no currency"
};

/// Intermediate products of money × seconds × percent need more than 64 bits.
__extension__ using Wide = __int128;

/// Divides rounding half away from zero: the one rounding rule of the book (docs/formats.md, Values).
constexpr Wide divide_rounded_wide(Wide numerator, Wide denominator) noexcept {
  if (denominator < 0) numerator = -numerator, denominator = -denominator;
  Wide quotient = numerator / denominator;
  const Wide remainder = numerator % denominator;  // carries the sign of the numerator
  if (2 * (remainder < 0 ? -remainder : remainder) >= denominator) quotient += numerator < 0 ? -1 : 1;
  return quotient;
}

[[noreturn]] inline void money_too_large(std::string_view currency) {
  throw money_overflow("an amount exceeds 999999999999999.99 " + std::string(currency) + ", the largest a book holds");
}

/// a × b, for the products of cents, seconds and millionths of a percent that prices are made of;
/// money_overflow when even 128 bits do not hold it.
inline Wide wide_product(Wide a, Wide b, std::string_view currency) {
  Wide product = 0;
  if (__builtin_mul_overflow(a, b, &product)) money_too_large(currency);
  return product;
}

/// divide_rounded_wide() for results known to fit 64 bits (a share of an amount that fits).
constexpr std::int64_t divide_rounded(Wide numerator, Wide denominator) noexcept {
  return static_cast<std::int64_t>(divide_rounded_wide(numerator, denominator));
}

/// An exact amount of one currency.
class Money {
 public:
  constexpr Money() = default;
  constexpr Money(std::int64_t cents, Currency currency) noexcept : cents_(cents), currency_(currency) {}
  /// Money is never made from a floating-point number: 1.5 would silently become one cent.
  template <std::floating_point F>
  Money(F, Currency) = delete;
  static constexpr Money zero(Currency currency) noexcept { return {0, currency}; }
  /// Computed cents, refused with money_overflow beyond the largest amount a book holds.
  static Money checked(Wide cents, Currency currency) {
    if (cents > limits::max_cents || cents < -limits::max_cents) money_too_large(currency.code());
    return {static_cast<std::int64_t>(cents), currency};
  }
  /// Parses "4800", "95.5", "166.25", "-12.34". Throws validation_error (empty path) on anything else.
  static Money parse(std::string_view text, Currency currency);

  constexpr std::int64_t cents() const noexcept { return cents_; }
  constexpr Currency currency() const noexcept { return currency_; }

  /// "4800.00", "-12.34": always two decimals (the report format).
  std::string to_string() const;
  /// "4800", "95.5": the fewest decimals that keep the value (the book format).
  std::string to_short_string() const;
  /// "10,630.38 EUR": thousands grouped, the currency code after. Every English text for people
  /// shows money so (report, status, quote, triage, what-if, Python reprs); JSON and CSV keep to_string().
  std::string to_display_string() const;

  constexpr Money operator-() const noexcept { return {-cents_, currency_}; }
  // Sums and products are checked: an amount past limits::max_cents is money_overflow, never a
  // wrapped, negative number.
  Money& operator+=(const Money& other) {
    return *this = checked(static_cast<Wide>(cents_) + same_currency(other).cents_, currency_);
  }
  Money& operator-=(const Money& other) {
    return *this = checked(static_cast<Wide>(cents_) - same_currency(other).cents_, currency_);
  }
  friend Money operator+(Money a, const Money& b) { return a += b; }
  friend Money operator-(Money a, const Money& b) { return a -= b; }
  friend Money operator*(Money a, std::int64_t n) { return checked(wide_product(a.cents_, n, a.currency_.code()), a.currency_); }
  friend Money operator*(std::int64_t n, Money a) { return a * n; }
  template <std::floating_point F>
  friend Money operator*(Money, F) = delete;
  template <std::floating_point F>
  friend Money operator*(F, Money) = delete;
  friend constexpr bool operator==(const Money&, const Money&) = default;
  /// Ordering across currencies is meaningless: it throws currency_mismatch.
  friend std::strong_ordering operator<=>(const Money& a, const Money& b) {
    return a.cents_ <=> a.same_currency(b).cents_;
  }

  /// The price of `seconds` at this hourly rate, rounded once to cents.
  Money for_seconds(std::int64_t seconds) const {
    return checked(divide_rounded_wide(wide_product(cents_, seconds, currency_.code()), 3600), currency_);
  }

 private:
  const Money& same_currency(const Money& other) const {
    if (other.currency_ != currency_)
      throw currency_mismatch("cannot combine " + std::string(currency_.code()) + " and " +
                              std::string(other.currency_.code()) + " amounts");
    return other;
  }
  std::int64_t cents_ = 0;
  Currency currency_{};
};

/// Parses a decimal amount into cents; `rule` describes what went wrong, or is empty on success.
/// Shared by Money::parse and the readers, which add their own path to the message.
inline std::int64_t parse_cents(std::string_view text, std::string& rule) {
  rule.clear();
  const auto bad = [&](std::string why) {
    rule = std::move(why);
    return std::int64_t{0};
  };
  std::string_view t = text;
  bool negative = false;
  if (!t.empty() && t.front() == '-') negative = true, t.remove_prefix(1);
  const auto dot = t.find('.');
  const std::string_view whole = t.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : t.substr(dot + 1);
  const auto digits = [](std::string_view s) {
    for (char c : s)
      if (c < '0' || c > '9') return false;
    return true;
  };
  if (whole.empty() || !digits(whole) || !digits(fraction) || (dot != std::string_view::npos && fraction.empty()))
    return bad("not an amount: \"" + std::string(text) + "\" (write money as a string like \"95.50\")");
  if (fraction.size() > 2) return bad("more than 2 decimals in \"" + std::string(text) + "\"");
  if (whole.size() > static_cast<std::size_t>(limits::money_digits)) return bad("amount \"" + std::string(text) + "\" is too large");
  std::int64_t cents = 0;
  for (char c : whole) cents = cents * 10 + (c - '0');
  for (std::size_t i = 0; i < 2; ++i) cents = cents * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  return negative ? -cents : cents;
}

inline Money Money::parse(std::string_view text, Currency currency) {
  std::string rule;
  const std::int64_t cents = parse_cents(text, rule);
  if (!rule.empty()) throw validation_error("", rule);
  return {cents, currency};
}

inline std::string Money::to_string() const {
  const std::uint64_t magnitude = cents_ < 0 ? 0 - static_cast<std::uint64_t>(cents_) : static_cast<std::uint64_t>(cents_);
  std::string s = std::to_string(magnitude / 100);
  const unsigned fraction = static_cast<unsigned>(magnitude % 100);
  s += '.';
  s += static_cast<char>('0' + fraction / 10);
  s += static_cast<char>('0' + fraction % 10);
  return cents_ < 0 ? "-" + s : s;
}

inline std::string Money::to_display_string() const {
  const std::string digits = to_string();
  const std::size_t first = cents_ < 0 ? 1 : 0, dot = digits.size() - 3;
  std::string out(digits, 0, first);
  for (std::size_t i = first; i < dot; ++i) {
    if (i > first && (dot - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out + digits.substr(dot) + ' ' + std::string(currency_.code());
}

inline std::string Money::to_short_string() const {
  std::string s = to_string();
  if (s.ends_with("00")) return s.substr(0, s.size() - 3);
  if (s.ends_with('0')) s.pop_back();
  return s;
}

}  // namespace kontingent
