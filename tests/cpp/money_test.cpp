// SPEC §2 Money: exact cents plus a currency; parsed from and written as decimal strings; rounded
// once, half away from zero. Like a calendar date type it has only the operators that mean something,
// and the compile-time checks below pin that API.
#include <catch2/catch.hpp>

#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "kontingent/money.hpp"

using namespace kontingent;

namespace {

const Currency eur("EUR");
const Currency usd("USD");

Money euros(std::int64_t cents) { return {cents, eur}; }

}  // namespace

// ---- The API, pinned at compile time --------------------------------------------------------------

// Money is a regular value type, cheap to copy.
static_assert(std::regular<Money>);
static_assert(std::is_trivially_copyable_v<Money>);
static_assert(std::is_nothrow_move_constructible_v<Money>);
static_assert(sizeof(Money) <= 16);

// What means something compiles: money ± money, money × integer, integer × money, negation, comparison.
static_assert(requires(Money a, Money b) {
  { a + b } -> std::same_as<Money>;
  { a - b } -> std::same_as<Money>;
  { a += b } -> std::same_as<Money&>;
  { a -= b } -> std::same_as<Money&>;
  { -a } -> std::same_as<Money>;
  { a * std::int64_t{3} } -> std::same_as<Money>;
  { 3 * a } -> std::same_as<Money>;
  { a == b } -> std::same_as<bool>;
  { a < b } -> std::same_as<bool>;
  { a <=> b } -> std::same_as<std::strong_ordering>;
});

// What does not mean anything does not compile: money + int, money × money, money ÷ anything,
// money compared with a plain number, money from or to a plain number. (A requires-expression with
// an invalid expression is a hard error outside a template, so the checks go through concepts.)
template <class A, class B>
concept addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept subtractable = requires(A a, B b) { a - b; };
template <class A, class B>
concept add_assignable = requires(A a, B b) { a += b; };
template <class A, class B>
concept multipliable = requires(A a, B b) { a * b; };
template <class A, class B>
concept divisible = requires(A a, B b) { a / b; };
template <class A, class B>
concept remainder_of = requires(A a, B b) { a % b; };
template <class A, class B>
concept equality_with = requires(A a, B b) { a == b; };
template <class A, class B>
concept ordered_with = requires(A a, B b) { a < b; };
template <class T, class... Args>
concept brace_constructible = requires(Args... args) { T{args...}; };

static_assert(addable<Money, Money> && multipliable<Money, int> && multipliable<int, Money>);  // the checks can say yes
static_assert(!addable<Money, int>);
static_assert(!addable<int, Money>);
static_assert(!addable<Money, std::int64_t>);
static_assert(!addable<Money, double>);
static_assert(!subtractable<Money, int>);
static_assert(!add_assignable<Money, int>);
static_assert(!multipliable<Money, Money>);
static_assert(!divisible<Money, int>);
static_assert(!divisible<Money, Money>);
static_assert(!remainder_of<Money, int>);
static_assert(!equality_with<Money, int>);
static_assert(!ordered_with<Money, int>);
static_assert(!brace_constructible<Money, double>);
static_assert(!brace_constructible<Money, double, Currency>);  // braces refuse the narrowing
static_assert(!brace_constructible<Money, std::int64_t>);      // a currency is always given
static_assert(!std::is_convertible_v<int, Money>);
static_assert(!std::is_convertible_v<double, Money>);
static_assert(!std::is_constructible_v<Money, double>);
static_assert(!std::is_convertible_v<Money, std::int64_t>);
static_assert(!std::is_convertible_v<Money, double>);
static_assert(!std::is_convertible_v<const char*, Money>);
// A currency is never made from text by accident.
static_assert(!std::is_convertible_v<const char*, Currency>);
static_assert(!std::is_convertible_v<std::string, Currency>);
static_assert(Currency::valid("EUR") && !Currency::valid("eur") && !Currency::valid("EURO") && !Currency::valid("E1R"));

// A double would silently become whole cents (`euros(10000) * 1.5` as 100.00, `Money(1.5, eur)` as
// 0.01), so both are deleted overloads.
static_assert(!multipliable<Money, double>);
static_assert(!multipliable<double, Money>);
static_assert(!std::is_constructible_v<Money, double, Currency>);

// divide_rounded is constexpr: the rounding rule holds at compile time too.
static_assert(divide_rounded(5, 2) == 3);
static_assert(divide_rounded(-5, 2) == -3);
static_assert(divide_rounded(1800, 3600) == 1);
static_assert(divide_rounded(1799, 3600) == 0);

// ---- Parsing ---------------------------------------------------------------------------------------

TEST_CASE("money parses from decimal strings with up to 2 decimals") {
  CHECK(Money::parse("4800", eur).cents() == 480000);
  CHECK(Money::parse("95.5", eur).cents() == 9550);
  CHECK(Money::parse("166.25", eur).cents() == 16625);
  CHECK(Money::parse("-12.34", eur).cents() == -1234);
  CHECK(Money::parse("0", eur).cents() == 0);
  CHECK(Money::parse("0.01", eur).cents() == 1);
  CHECK(Money::parse("-0.5", eur).cents() == -50);
  CHECK(Money::parse("007.50", eur).cents() == 750);
  CHECK(Money::parse("999999999999999.99", eur).cents() == 99999999999999999);
  CHECK(Money::parse("95.5", usd).currency() == usd);
}

TEST_CASE("money with more than 2 decimals is refused, even when they are zeros") {
  CHECK_THROWS_WITH(Money::parse("1.234", eur), "more than 2 decimals in \"1.234\"");
  CHECK_THROWS_WITH(Money::parse("1.000", eur), "more than 2 decimals in \"1.000\"");
  CHECK_THROWS_AS(Money::parse("1.234", eur), validation_error);
}

TEST_CASE("text that is not a decimal amount is refused with the text it got") {
  const auto not_an_amount = [](const std::string& text) {
    return "not an amount: \"" + text + "\" (write money as a string like \"95.50\")";
  };
  for (const std::string text : {"abc", "1.", ".5", "", "-", "-.5", "+5", " 5", "5 ", "1,50", "1.2.3", "1e3", "0x10", "--5", "5-",
                                 "EUR 5"}) {
    INFO("text: \"" << text << "\"");
    CHECK_THROWS_WITH(Money::parse(text, eur), not_an_amount(text));
  }
}

TEST_CASE("an amount of more than 15 whole digits is too large") {
  CHECK_THROWS_WITH(Money::parse("1000000000000000", eur), "amount \"1000000000000000\" is too large");
  CHECK_NOTHROW(Money::parse("100000000000000", eur));
}

TEST_CASE("a parse error has no path and the rule as its message") {
  try {
    (void)Money::parse("1.234", eur);
    FAIL("parsed");
  } catch (const validation_error& e) {
    CHECK(e.path().empty());
    CHECK(e.rule() == "more than 2 decimals in \"1.234\"");
    CHECK(std::string(e.what()) == e.rule());
  }
}

TEST_CASE("parse_cents reports its rule in the out-parameter and clears it on success") {
  std::string rule = "left over";
  CHECK(parse_cents("12.5", rule) == 1250);
  CHECK(rule.empty());
  CHECK(parse_cents("12.345", rule) == 0);
  CHECK(rule == "more than 2 decimals in \"12.345\"");
  CHECK(parse_cents("-3", rule) == -300);
  CHECK(rule.empty());
}

// ---- Currency --------------------------------------------------------------------------------------

TEST_CASE("a currency is 3 capital letters") {
  CHECK(Currency("EUR").code() == "EUR");
  CHECK(Currency().code() == "XXX");
  CHECK(Currency("EUR") == eur);
  CHECK_FALSE(eur == usd);
  CHECK_THROWS_WITH(Currency("eur"), "currency must be 3 capital letters like \"EUR\", got \"eur\"");
  CHECK_THROWS_WITH(Currency("EURO"), "currency must be 3 capital letters like \"EUR\", got \"EURO\"");
  CHECK_THROWS_WITH(Currency(""), "currency must be 3 capital letters like \"EUR\", got \"\"");
  CHECK_THROWS_AS(Currency("E1R"), validation_error);
}

// ---- Formatting ------------------------------------------------------------------------------------

TEST_CASE("to_string always writes two decimals, negatives with a leading minus") {
  CHECK(euros(480000).to_string() == "4800.00");
  CHECK(euros(9550).to_string() == "95.50");
  CHECK(euros(16625).to_string() == "166.25");
  CHECK(euros(0).to_string() == "0.00");
  CHECK(euros(1).to_string() == "0.01");
  CHECK(euros(10).to_string() == "0.10");
  CHECK(euros(-1234).to_string() == "-12.34");
  CHECK(euros(-5).to_string() == "-0.05");
  CHECK(euros(-100).to_string() == "-1.00");
  CHECK(euros(std::numeric_limits<std::int64_t>::max()).to_string() == "92233720368547758.07");
  CHECK(euros(std::numeric_limits<std::int64_t>::min()).to_string() == "-92233720368547758.08");
}

TEST_CASE("to_short_string writes the fewest decimals that keep the value") {
  CHECK(euros(480000).to_short_string() == "4800");
  CHECK(euros(9550).to_short_string() == "95.5");
  CHECK(euros(16625).to_short_string() == "166.25");
  CHECK(euros(0).to_short_string() == "0");
  CHECK(euros(5).to_short_string() == "0.05");
  CHECK(euros(50).to_short_string() == "0.5");
  CHECK(euros(100).to_short_string() == "1");
  CHECK(euros(1000).to_short_string() == "10");
  CHECK(euros(1050).to_short_string() == "10.5");
  CHECK(euros(10005).to_short_string() == "100.05");
  CHECK(euros(-1234).to_short_string() == "-12.34");
  CHECK(euros(-1250).to_short_string() == "-12.5");
  CHECK(euros(-100).to_short_string() == "-1");
}

TEST_CASE("parse of to_short_string and of to_string gives the same money back") {
  for (const std::int64_t cents : {0LL, 1LL, 9LL, 10LL, 99LL, 100LL, 101LL, 1050LL, 16625LL, 480000LL, -1LL, -10LL, -100LL, -1234LL,
                                   99999999999999999LL, -99999999999999999LL}) {
    INFO("cents: " << cents);
    CHECK(Money::parse(euros(cents).to_short_string(), eur) == euros(cents));
    CHECK(Money::parse(euros(cents).to_string(), eur) == euros(cents));
  }
}

// ---- Arithmetic ------------------------------------------------------------------------------------

TEST_CASE("money adds, subtracts, negates and multiplies by integers exactly") {
  const Money a = Money::parse("95.50", eur);
  const Money b = Money::parse("0.55", eur);
  CHECK((a + b).to_string() == "96.05");
  CHECK((a - b).to_string() == "94.95");
  CHECK((b - a).to_string() == "-94.95");
  CHECK((-a).to_string() == "-95.50");
  CHECK((-(-a)) == a);
  CHECK((a * 3).to_string() == "286.50");
  CHECK((3 * a).to_string() == "286.50");
  CHECK((a * 0).to_string() == "0.00");
  CHECK((a * -2).to_string() == "-191.00");
  CHECK((a + Money::zero(eur)) == a);
  CHECK((a - a) == Money::zero(eur));
  // 0.10 added ten times is exactly 1.00: no floating point anywhere.
  Money sum = Money::zero(eur);
  for (int i = 0; i < 10; ++i) sum += euros(10);
  CHECK(sum == euros(100));
  sum -= euros(30);
  CHECK(sum.to_string() == "0.70");
  CHECK((a + b).currency() == eur);
}

TEST_CASE("money compares by amount within one currency") {
  CHECK(euros(100) < euros(101));
  CHECK(euros(-1) < euros(0));
  CHECK(euros(100) <= euros(100));
  CHECK(euros(200) > euros(100));
  CHECK(euros(100) == euros(100));
  CHECK(euros(100) != euros(101));
  CHECK((euros(100) <=> euros(100)) == std::strong_ordering::equal);
}

TEST_CASE("money of two currencies is never combined: it throws currency_mismatch") {
  const Money e = euros(100);
  const Money d(100, usd);
  CHECK_THROWS_WITH(e + d, "cannot combine EUR and USD amounts");
  CHECK_THROWS_WITH(d + e, "cannot combine USD and EUR amounts");
  CHECK_THROWS_WITH(e - d, "cannot combine EUR and USD amounts");
  CHECK_THROWS_AS(e + d, currency_mismatch);
  CHECK_THROWS_AS(e + d, kontingent::error);
  Money m = e;
  CHECK_THROWS_AS(m += d, currency_mismatch);
  CHECK_THROWS_AS(m -= d, currency_mismatch);
  CHECK(m == e);  // a refused sum changes nothing
}

TEST_CASE("ordering money of two currencies throws, equality is simply false") {
  const Money e = euros(100);
  const Money d(100, usd);
  CHECK_THROWS_WITH(e < d, "cannot combine EUR and USD amounts");
  CHECK_THROWS_AS(e > d, currency_mismatch);
  CHECK_THROWS_AS(e <= d, currency_mismatch);
  CHECK_THROWS_AS(e <=> d, currency_mismatch);
  CHECK_FALSE(e == d);
  CHECK(e != d);
}

// ---- Rounding --------------------------------------------------------------------------------------

TEST_CASE("divide_rounded rounds half away from zero for positive and negative numerators") {
  // Exact .5 boundaries.
  CHECK(divide_rounded(1, 2) == 1);
  CHECK(divide_rounded(-1, 2) == -1);
  CHECK(divide_rounded(3, 2) == 2);
  CHECK(divide_rounded(-3, 2) == -2);
  CHECK(divide_rounded(5, 2) == 3);
  CHECK(divide_rounded(-5, 2) == -3);
  CHECK(divide_rounded(1800, 3600) == 1);
  CHECK(divide_rounded(-1800, 3600) == -1);
  CHECK(divide_rounded(5400, 3600) == 2);
  CHECK(divide_rounded(-5400, 3600) == -2);
  // Just below and above .5.
  CHECK(divide_rounded(1799, 3600) == 0);
  CHECK(divide_rounded(-1799, 3600) == 0);
  CHECK(divide_rounded(1801, 3600) == 1);
  CHECK(divide_rounded(-1801, 3600) == -1);
  CHECK(divide_rounded(4, 3) == 1);
  CHECK(divide_rounded(5, 3) == 2);
  CHECK(divide_rounded(-4, 3) == -1);
  CHECK(divide_rounded(-5, 3) == -2);
  // Exact quotients and zero.
  CHECK(divide_rounded(0, 7) == 0);
  CHECK(divide_rounded(7200, 3600) == 2);
  CHECK(divide_rounded(-7200, 3600) == -2);
  // A negative denominator flips the sign as in ordinary division.
  CHECK(divide_rounded(5, -2) == -3);
  CHECK(divide_rounded(-5, -2) == 3);
  CHECK(divide_rounded(1, -3) == 0);
}

TEST_CASE("divide_rounded takes numerators beyond 64 bits") {
  const Wide big = static_cast<Wide>(std::numeric_limits<std::int64_t>::max()) * 3600 + 1799;
  CHECK(divide_rounded(big, 3600) == std::numeric_limits<std::int64_t>::max());
  CHECK(divide_rounded(-big, 3600) == -std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("for_seconds prices seconds at an hourly rate, rounded once to cents") {
  const Money rate = Money::parse("95", eur);
  CHECK(rate.for_seconds(6300).to_string() == "166.25");  // 1.75 h × 95 (SPEC example A)
  CHECK(rate.for_seconds(3600).to_string() == "95.00");
  CHECK(rate.for_seconds(0).to_string() == "0.00");
  CHECK(rate.for_seconds(1).to_string() == "0.03");  // 2.638… cents
  CHECK(Money::parse("100", eur).for_seconds(9000).to_string() == "250.00");  // SPEC example B overage
  // Half a cent rounds away from zero.
  CHECK(Money::parse("0.01", eur).for_seconds(1800).to_string() == "0.01");
  CHECK(Money::parse("0.01", eur).for_seconds(1799).to_string() == "0.00");
  CHECK(Money::parse("-0.01", eur).for_seconds(1800).to_string() == "-0.01");
  CHECK(Money::parse("-95", eur).for_seconds(1).to_string() == "-0.03");
  CHECK(rate.for_seconds(1).currency() == eur);
  // rate × seconds overflows 64 bits here, the price does not.
  CHECK(euros(1'000'000'000'000'000).for_seconds(36000).cents() == 10'000'000'000'000'000);
}

TEST_CASE("sums and products past the largest amount are money_overflow, never a wrapped amount") {
  const Currency eur("EUR");
  const Money largest(limits::max_cents, eur);
  const std::string message = "an amount exceeds 999999999999999.99 EUR, the largest a book holds";
  CHECK_THROWS_AS(largest + Money(1, eur), money_overflow);
  CHECK_THROWS_WITH(largest + Money(1, eur), message);
  CHECK_THROWS_WITH(-largest - Money(1, eur), message);
  CHECK_THROWS_WITH(largest * 2, message);
  CHECK_THROWS_WITH(Money(2, eur) * std::numeric_limits<std::int64_t>::max(), message);
  CHECK_THROWS_WITH(largest.for_seconds(3601), message);
  // 10^7 minutes at the largest rate: the product needs more than 64 bits, and is refused, not wrapped.
  CHECK_THROWS_WITH(largest.for_seconds(600'000'000), message);
  CHECK(largest.for_seconds(3600) == largest);
  CHECK((largest - largest + largest) == largest);
  CHECK(Money(-5, eur) * 3 == Money(-15, eur));
  CHECK(Money::checked(limits::max_cents, eur) == largest);
  CHECK_THROWS_WITH(Money::checked(static_cast<Wide>(limits::max_cents) + 1, eur), message);
}

TEST_CASE("to_display_string: thousands grouped, the currency code after — how every text for people shows money") {
  const Currency eur("EUR");
  CHECK(Money(0, eur).to_display_string() == "0.00 EUR");
  CHECK(Money(99, eur).to_display_string() == "0.99 EUR");
  CHECK(Money(100000, eur).to_display_string() == "1,000.00 EUR");
  CHECK(Money(1063038, eur).to_display_string() == "10,630.38 EUR");
  CHECK(Money(-123456789, eur).to_display_string() == "-1,234,567.89 EUR");
  CHECK(Money(99999999999999999, Currency("CHF")).to_display_string() == "999,999,999,999,999.99 CHF");
}
