#include <catch2/catch.hpp>

#include "kontingent/io/json.hpp"
#include "test_support.hpp"

using namespace kontingent;

TEST_CASE("worked example A comes out exactly") {
  const Book book = load_book_json(test::spec_example("a-fixed.book.json"));
  CHECK(to_json(evaluate(book)) == test::read_file(test::spec_example("a-fixed.report.json")));
}

TEST_CASE("worked example B comes out exactly") {
  const Book book = load_book_json(test::spec_example("b-retainer.book.json"));
  CHECK(to_json(evaluate(book)) == test::read_file(test::spec_example("b-retainer.report.json")));
}
