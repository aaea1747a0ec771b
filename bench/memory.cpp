// kontingent-memory ENTRIES [--engagements N]
// Generates a book in memory and prints, as one JSON object, the resident memory it takes per
// entry (the journal columns; notes are 1 % of entries here and counted too) and how long
// evaluate(Book) takes on one thread and on all of them.
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include "generate.hpp"
#include "kontingent/evaluate.hpp"

namespace {

/// A field of /proc/self/status in bytes (VmRSS: resident now; VmHWM: the peak).
long long status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  return -1;
}

template <class F>
double seconds_of(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: kontingent-memory ENTRIES [--engagements N]\n";
    return 2;
  }
  kontingent::bench::GeneratorOptions options;
  options.entries = std::stoull(argv[1]);
  if (argc >= 4 && std::string(argv[2]) == "--engagements") options.engagements = std::stoull(argv[3]);

  const long long before = status_bytes("VmRSS");
  kontingent::Book book;
  const double generate_s = seconds_of([&] { book = kontingent::bench::generate_book(options); });
  const long long with_book = status_bytes("VmRSS");
  // The columns themselves: start 8, seconds 8, kind 1, request 4, written-as-minutes 1, note index 4.
  constexpr int column_bytes = 8 + 8 + 1 + 4 + 1 + 4;

  const kontingent::Date as_of = *kontingent::default_as_of(book);
  kontingent::Report one, all;
  const double evaluate_1_s = seconds_of([&] { one = kontingent::evaluate(book, as_of, 1); });
  const double evaluate_all_s = seconds_of([&] { all = kontingent::evaluate(book, as_of, 0); });
  const double n = static_cast<double>(options.entries);

  std::cout << "{\"entries\": " << options.entries << ", \"engagements\": " << book.engagements.size()
            << ", \"generate_s\": " << generate_s << ", \"rss_before_bytes\": " << before
            << ", \"rss_with_book_bytes\": " << with_book
            << ", \"resident_bytes_per_entry\": " << static_cast<double>(with_book - before) / n
            << ", \"column_bytes_per_entry\": " << column_bytes << ", \"evaluate_1_thread_s\": " << evaluate_1_s
            << ", \"evaluate_all_threads_s\": " << evaluate_all_s << ", \"threads\": " << std::thread::hardware_concurrency()
            << ", \"same_report\": " << (one == all ? "true" : "false")
            << ", \"peak_rss_bytes\": " << status_bytes("VmHWM") << "}\n";
  return one == all ? 0 : 1;
}
