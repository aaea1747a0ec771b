// Prints what each engagement of a book left unbilled — the README's C++ example, compiled and run by
// the test suite against the installed library.
#include <iostream>
#include <kontingent/formats/json.hpp>
#include <kontingent/kontingent.hpp>

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::cerr << "usage: leakage BOOK.json\n";
    return 2;
  }
  const kontingent::Book book = kontingent::load_book_json(argv[1]);
  const kontingent::Report report = kontingent::evaluate(book);  // as of the book's latest event
  for (const kontingent::EngagementReport& e : report.engagements) {
    std::cout << e.id << ": unbilled " << e.unbilled.to_string() << ' ' << e.currency.code();
    if (e.has(kontingent::Alert::extra_rounds)) std::cout << " (" << e.rounds.extra << " extra rounds)";
    std::cout << '\n';
  }
} catch (const kontingent::error& e) {
  std::cerr << e.what() << '\n';
  return 1;
}
