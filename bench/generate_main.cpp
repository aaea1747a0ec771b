// kontingent-generate ENTRIES OUT.book.json [--engagements N] [--seed S]
// Writes a generated book (bench/generate.hpp) as book JSON, after checking that it is valid.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "generate.hpp"
#include "kontingent/formats/json.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: kontingent-generate ENTRIES OUT.book.json [--engagements N] [--seed S]\n";
    return 2;
  }
  kontingent::bench::GeneratorOptions options;
  options.entries = std::stoull(argv[1]);
  const std::string out = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--engagements") options.engagements = std::stoull(argv[i + 1]);
    else if (flag == "--seed") options.seed = std::stoull(argv[i + 1]);
    else {
      std::cerr << "kontingent-generate: unknown option " << flag << '\n';
      return 2;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  const kontingent::Book book = kontingent::bench::generate_book(options);
  kontingent::validate(book);
  kontingent::save_book_json(book, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << out << ": " << options.entries << " entries in " << book.engagements.size() << " engagements ("
            << seconds << " s)\n";
  return 0;
}
