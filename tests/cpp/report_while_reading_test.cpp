// ReportWhileReading (evaluate.hpp) and load_book(file, each) (store.hpp): a book reported while it
// is read, each engagement tallied as it comes and its entries let go, gives evaluate()'s report.
#include <boost/date_time/gregorian/gregorian.hpp>  // prints dates in failed checks
#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "../../bench/generate.hpp"
#include "formats/json_read.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/store.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

/// The book's report, evaluated while `file` is read, and the book it read.
std::pair<Report, Book> report_while_reading(const std::filesystem::path& file, std::optional<Date> as_of) {
  ReportWhileReading reading(as_of);
  Book book = load_book(file, [&](std::size_t i, Engagement& e) { reading.add(i, e); });
  return {reading.report(book), std::move(book)};
}

/// `book` without its entries: what a book reported while it was read keeps.
Book without_entries(Book book) {
  for (Engagement& e : book.engagements) e.journal.entries = Entries{};
  return book;
}

/// The as-of dates worth trying on `book`: the default, before anything, the middle of its years
/// (later events, months not yet counted) and years after (a retainer's months run on).
std::vector<std::optional<Date>> as_of_dates(const Book& book) {
  const Date last = *default_as_of(book);
  return {std::nullopt, Date(2000, 1, 1), last - boost::gregorian::days(700), last - boost::gregorian::days(45), last,
          last + boost::gregorian::days(400)};
}

}  // namespace

TEST_CASE("a book reported while it is read gives evaluate()'s report, as of any date, from every format") {
  test::TemporaryDirectory dir;
  // 120,000 entries make 12 MB of JSON: read on two threads, engagements handed over as they come.
  for (const auto& [entries, seed] : {std::pair{600, 1}, std::pair{5'000, 2}, std::pair{120'000, 3}}) {
    const Book book = bench::generate_book({.entries = static_cast<std::size_t>(entries), .engagements = 40, .seed = static_cast<std::uint64_t>(seed)});
    for (const char* extension : {".json", ".kbin", ".kdb"}) {
      const std::filesystem::path file = dir.path / ("book-" + std::to_string(entries) + extension);
      save_book(book, file);
      for (const std::optional<Date>& as_of : as_of_dates(book)) {
        INFO(file.filename().string() << ", as of " << (as_of ? to_simple_string(*as_of) : "default"));
        const auto [report, read] = report_while_reading(file, as_of);
        CHECK(report == evaluate(book, as_of));
        CHECK(read == without_entries(book));
      }
    }
  }
}

TEST_CASE("read in small pieces, engagements handed over from buffers used again give the same report") {
  test::TemporaryDirectory dir;
  const Book book = bench::generate_book({.entries = 30'000, .engagements = 25, .seed = 8});
  const std::filesystem::path file = dir.path / "book.json";
  save_book(book, file);
  ReportWhileReading reading;
  std::atomic<std::size_t> handed{0};
  const Book read = detail::load_book_json(file, std::size_t{64} << 10, [&](std::size_t i, Engagement& e) {
    ++handed;
    reading.add(i, e);
  });
  CHECK(handed == book.engagements.size());
  CHECK(reading.report(read) == evaluate(book));
}

TEST_CASE("a book the engagement cut declines is read whole, and its engagements are handed over then") {
  // The key "engagements" spelled with an escape: valid JSON that only the whole-text parser reads.
  const std::string json = R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}],
    "engagement\u0073": [{"id": "e", "client": "c", "currency": "EUR", "start": "2026-01-01",
      "terms": {"pricing": "hourly", "rate": "100.00"},
      "entries": [{"start": "2026-01-02T09:00", "minutes": 90, "kind": "scope"}]}]})";
  test::TemporaryDirectory dir;
  const std::filesystem::path file = dir.path / "book.json";
  std::ofstream(file, std::ios::binary) << json;
  const auto [report, read] = report_while_reading(file, std::nullopt);
  REQUIRE(report.engagements.size() == 1);
  CHECK(report.engagements[0].billable[Category::base] == Money(15000, Currency("EUR")));
  CHECK(report == evaluate(parse_book_json(json)));
  CHECK(read.engagements[0].journal.entries.empty());
}

TEST_CASE("an engagement never handed over is evaluated from its entries; one handed over twice counts once, as last handed") {
  const Book book = bench::generate_book({.entries = 2'000, .engagements = 12, .seed = 5});
  for (const std::optional<Date>& as_of : as_of_dates(book)) {
    INFO("as of " << (as_of ? to_simple_string(*as_of) : "default"));
    Book read = book;
    ReportWhileReading reading(as_of);
    for (std::size_t i = 0; i < read.engagements.size(); i += 2) {
      Engagement other = book.engagements[(i + 1) % book.engagements.size()];
      reading.add(i, other);  // replaced by the engagement itself right after
      reading.add(i, read.engagements[i]);
      CHECK(read.engagements[i].journal.entries.empty());
    }
    CHECK(reading.report(read) == evaluate(book, as_of));
  }
}

TEST_CASE("a money overflow while reading is thrown when its engagement is reported, the first in the book's order") {
  // Two engagements overflow; the one that starts after the as-of date is left out, as evaluate() leaves it.
  const auto engagement = [](const std::string& id, const std::string& start) {
    return R"({"id": ")" + id + R"(", "client": "c", "currency": "EUR", "start": ")" + start + R"(",
      "terms": {"pricing": "hourly", "rate": "999999999999999.99"},
      "entries": [{"start": ")" + start + R"(T00:00", "minutes": 10000000, "kind": "scope"}]})";
  };
  const std::string json = R"({"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}], "engagements": [)" +
                           engagement("later", "2026-03-01") + ", " + engagement("huge", "2026-01-02") + "]}";
  test::TemporaryDirectory dir;
  const std::filesystem::path file = dir.path / "book.json";
  std::ofstream(file, std::ios::binary) << json;
  const std::string message = "an amount exceeds 999999999999999.99 EUR, the largest a book holds";
  CHECK_THROWS_WITH(report_while_reading(file, std::nullopt), "engagement \"later\": " + message);
  CHECK_THROWS_WITH(report_while_reading(file, Date(2026, 2, 1)), "engagement \"huge\": " + message);
  CHECK_THROWS_WITH(evaluate(parse_book_json(json), Date(2026, 2, 1)), "engagement \"huge\": " + message);
  CHECK(report_while_reading(file, Date(2026, 1, 1)).first.engagements.empty());
}

TEST_CASE("a book refused while it is read is refused with the message load_book() gives") {
  test::TemporaryDirectory dir;
  Book book = bench::generate_book({.entries = 120'000, .engagements = 30, .seed = 4});
  book.engagements[20].client = "nobody";  // a rule across the book, found after every engagement was handed over
  const std::filesystem::path file = dir.path / "book.json";
  std::ofstream(file, std::ios::binary) << to_json(book);
  std::string message;
  try {
    load_book(file);
  } catch (const validation_error& e) {
    message = e.what();
  }
  REQUIRE(message == file.string() + ": engagements[20].client: unknown client \"nobody\"");
  CHECK_THROWS_WITH(report_while_reading(file, std::nullopt), message);
}
