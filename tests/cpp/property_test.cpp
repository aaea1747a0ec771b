// Property tests (issue 8): random valid books from the benchmark generator (bench/generate.hpp,
// fixed seeds, so every run checks the same books) against the invariants of the SPEC.
#include <boost/date_time/gregorian/gregorian.hpp>  // prints dates in failed checks
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "../../bench/generate.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/formats/archive.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/store.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

constexpr std::uint64_t seeds[] = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89};

Book small_book(std::uint64_t seed) {
  // 3–12 engagements of every pricing, 0–600 entries between them.
  bench::Random rng(seed * 7919);
  return bench::generate_book({.entries = static_cast<std::size_t>(rng.below(601)),
                               .engagements = static_cast<std::size_t>(3 + rng.below(10)),
                               .seed = seed});
}

std::map<std::string, EngagementReport> by_id(const Report& report) {
  std::map<std::string, EngagementReport> result;
  for (const EngagementReport& e : report.engagements) result.emplace(e.id, e);
  return result;
}

}  // namespace

TEST_CASE("property: generated books are valid", "[property]") {
  for (const std::uint64_t seed : seeds) {
    INFO("seed " << seed);
    CHECK_NOTHROW(validate(small_book(seed)));
  }
}

TEST_CASE("property: leakage = billable − invoiced per category, billable never negative", "[property]") {
  for (const std::uint64_t seed : seeds) {
    const Book book = small_book(seed);
    const auto as_of = default_as_of(book);
    REQUIRE(as_of);
    for (int days : {-200, -30, 0, 30, 400}) {
      const Report report = evaluate(book, *as_of + boost::gregorian::days(days), 1);
      for (const EngagementReport& e : report.engagements) {
        INFO("seed " << seed << ", " << e.id << ", as of " << report.as_of);
        Money unbilled{0, e.currency}, overbilled{0, e.currency};
        for (std::size_t c = 0; c < category_count; ++c) {
          const auto category = static_cast<Category>(c);
          INFO("category " << c);
          CHECK(e.leakage[category] == e.billable[category] - e.invoiced[category]);
          CHECK(e.billable[category].cents() >= 0);
          if (e.leakage[category].cents() > 0) unbilled += e.leakage[category];
          else overbilled -= e.leakage[category];
        }
        CHECK(e.unbilled == unbilled);
        CHECK(e.overbilled == overbilled);
        CHECK(e.worked_seconds >= 0);
      }
    }
  }
}

TEST_CASE("property: moving the as-of date forward never decreases worked seconds", "[property]") {
  for (const std::uint64_t seed : seeds) {
    const Book book = small_book(seed);
    const Date last = *default_as_of(book);
    std::map<std::string, EngagementReport> before;
    for (int days = -400; days <= 60; days += 7) {
      const Report report = evaluate(book, last + boost::gregorian::days(days), 1);
      auto now = by_id(report);
      for (const auto& [id, earlier] : before) {
        INFO("seed " << seed << ", " << id << ", as of " << report.as_of);
        REQUIRE(now.count(id) == 1);  // an engagement once started stays in the report
        CHECK(now.at(id).worked_seconds >= earlier.worked_seconds);
        for (std::size_t k = 0; k < entry_kind_count; ++k)
          CHECK(now.at(id).seconds_by_kind.values[k] >= earlier.seconds_by_kind.values[k]);
      }
      before = std::move(now);
    }
  }
}

TEST_CASE("property: rounding is monotone and stays within one increment", "[property]") {
  std::mt19937_64 rng(2026);
  for (const RoundingMode mode : {RoundingMode::up, RoundingMode::down, RoundingMode::nearest})
    for (const Seconds increment : {1, 60, 300, 360, 900, 1800, 3600}) {
      const Rounding rounding{increment, mode};
      INFO("increment " << increment << ", mode " << static_cast<int>(mode));
      Seconds previous = rounding.apply(0);
      CHECK(previous == 0);
      for (Seconds s = 1; s <= 3 * increment + 5; ++s) {  // every value near the steps
        const Seconds r = rounding.apply(s);
        CHECK(r >= previous);
        CHECK(r % increment == 0);
        CHECK(std::abs(r - s) < increment + (increment == 1 ? 1 : 0));
        previous = r;
      }
      for (int i = 0; i < 2000; ++i) {  // random pairs up to ~3 years of seconds
        Seconds a = static_cast<Seconds>(rng() % 100'000'000), b = static_cast<Seconds>(rng() % 100'000'000);
        if (a > b) std::swap(a, b);
        CHECK(rounding.apply(a) <= rounding.apply(b));
      }
    }
}

TEST_CASE("property: JSON ↔ every archive format round trips equal", "[property]") {
  for (const std::uint64_t seed : seeds) {
    INFO("seed " << seed);
    const Book book = small_book(seed);
    const std::string json = to_json(book);
    const Book from_json = parse_book_json(json);
    REQUIRE(from_json == book);
    for (const ArchiveFormat format : {ArchiveFormat::binary, ArchiveFormat::xml, ArchiveFormat::text}) {
      INFO("format " << static_cast<int>(format));
      const Book from_archive_ = from_archive(to_archive(from_json, format));
      CHECK(from_archive_ == book);
      CHECK(to_json(from_archive_) == json);  // JSON → archive → JSON gives the same text
      CHECK(evaluate(from_archive_, std::nullopt, 1) == evaluate(book, std::nullopt, 1));
    }
  }
}

namespace {

/// Texts a writer may find awkward: control characters, private-use characters (the XML archive's
/// stand-ins), multi-byte UTF-8, markup — and now and then bytes that are not UTF-8 at all.
std::string awkward_text(bench::Random& rng) {
  static const char* const parts[] = {"plain", "\x1b[2J", "\a", "\r\n", "\t", "Müller – €", "😀", "\xEE\x80\x9B",
                                      "\xEE\x80\xA0", "<b>&amp;</b>", "\"quoted\"", "\\", " "};
  std::string text;
  for (std::uint64_t n = 1 + rng.below(4); n > 0; --n) text += rng.pick(parts);
  if (rng.chance(5)) text += std::string(1, '\0');
  if (rng.chance(8)) text += rng.chance(50) ? "\xE9" : "\xC3";  // Windows-1252 é, or a cut sequence
  return text;
}

/// A generated book with awkward texts in names and notes, and some engagements left open with an
/// entry close to (or past) the last moment a book holds.
Book awkward_book(std::uint64_t seed) {
  bench::Random rng(seed * 104729);
  Book book = small_book(seed);
  for (Client& c : book.clients)
    if (rng.chance(30)) c.name = awkward_text(rng);
  for (Engagement& e : book.engagements) {
    if (rng.chance(30)) e.title = awkward_text(rng);
    Entries entries = e.journal.entries;
    for (std::uint64_t n = rng.below(3); n > 0; --n)
      entries.push_back(Seconds{clock_days(e.start)} * seconds_per_day + 3600 * static_cast<Seconds>(1 + rng.below(48)), 60 * (1 + rng.below(120)),
                        EntryKind::scope, no_request, awkward_text(rng));
    if (rng.chance(15)) {
      e.end.reset();
      const Seconds length = 60 * static_cast<Seconds>(1 + rng.below(90));
      entries.push_back(last_second + 1 - 3600, length, EntryKind::internal, no_request);  // ends past 9999 when over 60 min
    }
    e.journal.entries = entries;
  }
  return book;
}

}  // namespace

TEST_CASE("property: whatever any writer saves, every reader loads equal; what one refuses, all refuse", "[property]") {
  std::size_t saved = 0, refused = 0;
  for (const std::uint64_t seed : seeds) {
    INFO("seed " << seed);
    const Book book = awkward_book(seed);
    bool valid = true;
    try {
      validate(book);
    } catch (const validation_error&) {
      valid = false;
    }
    for (const char* extension : {".json", ".kbin", ".kxml", ".ktxt", ".kdb"}) {
      INFO(extension);
      test::TemporaryDirectory dir;
      const std::filesystem::path file = dir.path / (std::string("book") + extension);
      if (!valid) {
        CHECK_THROWS_AS(save_book(book, file), validation_error);
        CHECK(dir.files().empty());
        continue;
      }
      (void)save_book(book, file);
      CHECK(load_book(file) == book);
    }
    (valid ? saved : refused) += 1;
  }
  CHECK(saved > 0);    // both sides of the property were reached
  CHECK(refused > 0);
}
