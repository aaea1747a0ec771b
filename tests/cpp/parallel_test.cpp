// evaluate(Book) in parallel: the same report, in the book's order, on any number of threads.
#include <catch2/catch.hpp>

#include "../../bench/generate.hpp"  // the benchmarks' book generator: every pricing and optional term
#include "kontingent/evaluate.hpp"

using namespace kontingent;

TEST_CASE("evaluating a book on several threads gives the sequential report, engagements in book order") {
  // Big enough that the threads really start (evaluate() stays on one thread for small books).
  const Book book = bench::generate_book({.entries = 300'000, .engagements = 60, .seed = 3});
  const Report sequential = evaluate(book, std::nullopt, 1);
  REQUIRE(sequential.engagements.size() == book.engagements.size());
  for (std::size_t i = 0; i < book.engagements.size(); ++i) CHECK(sequential.engagements[i].id == book.engagements[i].id);
  for (const unsigned threads : {0u, 2u, 3u, 8u}) {
    INFO(threads << " threads");
    CHECK(evaluate(book, std::nullopt, threads) == sequential);
  }
  CHECK(evaluate(book) == sequential);
}

TEST_CASE("in parallel too, engagements that start after the as-of date are left out") {
  const Book book = bench::generate_book({.entries = 200'000, .engagements = 40, .seed = 5});
  const Date as_of(2023, 1, 1);
  const Report sequential = evaluate(book, as_of, 1);
  CHECK(sequential.engagements.size() < book.engagements.size());
  CHECK(evaluate(book, as_of, 2) == sequential);
}
