// The `kontingent` command: reports and checks books. It adds no billing rule of its own.
#include <CLI/CLI.hpp>
#include <cstring>
#include <iostream>

#include "exit_codes.hpp"
#include "safe_output.hpp"
#include "import_command.hpp"
#include "bill_command.hpp"
#include "record_commands.hpp"
#include "kontingent/detail/text.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/formats/json.hpp"
#include "kontingent/store.hpp"
#include "kontingent/writers/report.hpp"
#include "kontingent/writers/triage.hpp"
#include "kontingent/version.hpp"

namespace kontingent::cli {
/// The book the command reads, never freed: freeing a big book allocation by allocation takes
/// longer than the exit of the process, which hands its memory back at once (10^6 entries: 7 ms of
/// a 0.1 s report). Held by a global of external linkage, which the compiler keeps even where
/// nothing reads it, so that leak checkers count the book as kept, not lost.
const Book* book_read = nullptr;
}  // namespace kontingent::cli

namespace {

using namespace kontingent::cli;

const kontingent::Book& book_left_to_exit(kontingent::Book&& book) {
  book_read = new kontingent::Book(std::move(book));
  return *book_read;
}

constexpr const char* exit_codes_help =
    "Exit codes: 0 done; 1 the book breaks a rule or its archive is damaged (the message names the place and the rule);\n"
    "2 wrong usage (unknown option, bad --as-of date, unknown --engagement, a --set the terms cannot take);\n"
    "3 a file (the book, or the output) cannot be read or written, or another writer held the book past the lock timeout (10 s).";

/// Books are read and written in the format their extension names (kontingent/store.hpp).
std::string book_help() {
  std::string help = "book file (- for standard input, as JSON), in the format its extension names:";
  for (const kontingent::BookFormat& f : kontingent::book_formats())
    help += "\n  " + std::string(f.extension) + "  " + std::string(f.description);
  return help;
}

std::optional<kontingent::Date> as_of_date(const std::string& as_of) {
  if (as_of.empty()) return std::nullopt;
  std::string rule;
  const auto days = kontingent::parse_date(as_of, rule);
  if (!rule.empty()) throw UsageError("--as-of: " + rule);
  return kontingent::to_date(days);
}

/// Prints a result in the chosen format.
template <class Result>
void print(const Result& result, const std::string& format) {
  std::cout << (format == "json" ? kontingent::to_json(result) : format == "csv" ? kontingent::to_csv(result) : kontingent::to_text(result));
}

/// The report of `book`, read through `reading`, or of its engagement `engagement` alone.
kontingent::Report report_for(const kontingent::Book& book, const kontingent::ReportWhileReading& reading,
                              const std::string& engagement) {
  if (!engagement.empty() && !book.find_engagement(engagement))
    throw UsageError("--engagement: the book has no engagement " + kontingent::detail::quoted(engagement));
  kontingent::Report report = reading.report(book);
  if (!engagement.empty())
    std::erase_if(report.engagements, [&](const kontingent::EngagementReport& r) { return r.id != engagement; });
  return report;
}

kontingent::WhatIf what_if_for(const kontingent::Book& book, const std::vector<std::string>& settings, const std::string& client,
                               const std::string& engagement, std::optional<kontingent::Date> as_of) {
  using Scope = kontingent::WhatIfScope;
  const Scope scope = !client.empty()       ? Scope{Scope::Kind::client, client}
                      : !engagement.empty() ? Scope{Scope::Kind::engagement, engagement}
                                            : Scope{};
  // The book itself is valid: whatever the changed terms break is the caller's --set.
  try {
    std::vector<kontingent::TermsChange> changes;
    for (const std::string& s : settings) changes.push_back(kontingent::TermsChange::parse(s));
    return kontingent::what_if(book, changes, scope, as_of);
  } catch (const kontingent::validation_error& e) {
    throw UsageError(e.what());
  }
}

/// What CLI11 found wrong with the command line, as one line that says where to look: without a
/// command, the list of commands; anything else, the subcommand's --help.
std::string usage_problem(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  const std::vector<CLI::App*> given = app.get_subcommands();
  if (given.empty()) {
    std::string commands;
    for (const CLI::App* sub : app.get_subcommands({})) commands += (commands.empty() ? "" : ", ") + sub->get_name();
    const std::string word = argc > 1 ? kontingent::detail::quoted(argv[1]) : "";
    return (argc == 1 ? "give a command" : argv[1][0] == '-' ? "unknown option " + word + " before the command" : "unknown command " + word) +
           "; the commands are " + commands + " (kontingent --help says what each does)";
  }
  std::string path = "kontingent";
  for (const CLI::App* sub = given.front(); sub != nullptr;) {
    path += " " + sub->get_name();
    const std::vector<CLI::App*> inner = sub->get_subcommands();
    sub = inner.empty() ? nullptr : inner.front();
  }
  return e.what() + std::string(" (") + path + " --help lists the options)";
}

int run(int argc, char** argv) {
  CLI::App app{"kontingent: what your terms make billable, what you invoiced, and the difference (leakage)."};
  app.set_version_flag("--version", std::string(kontingent::version));
  app.footer(exit_codes_help);
  app.require_subcommand(1);

  std::string book_path, as_of, engagement, format = "text";
  CLI::App* report = app.add_subcommand("report", "Evaluate a book and print the leakage report");
  report->add_option("BOOK", book_path, book_help())->required();
  report->add_option("--as-of", as_of, "evaluate as of this date (YYYY-MM-DD); default: the book's latest event");
  report->add_option("--engagement", engagement, "report only the engagement with this id");
  report->add_option("--format", format, "text (default), json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));

  CLI::App* check = app.add_subcommand("check", "Validate a book; print the problem and exit 1 if it breaks a rule");
  check->add_option("BOOK", book_path, book_help())->required();

  CLI::App* triage = app.add_subcommand("triage", "Per client and engagement: keep, renegotiate or let go, with the reasons");
  triage->add_option("BOOK", book_path, book_help())->required();
  triage->add_option("--as-of", as_of, "triage as of this date (YYYY-MM-DD); default: the book's latest event");
  triage->add_option("--format", format, "text (default), json or csv")->check(CLI::IsMember({"text", "json", "csv"}));

  std::vector<std::string> settings;
  std::string client;
  std::string terms_keys;
  for (const std::string_view key : kontingent::terms_change_keys) terms_keys += (terms_keys.empty() ? "" : ", ") + std::string(key);
  CLI::App* whatif = app.add_subcommand("whatif", "Re-evaluate history under changed terms; print the difference per client and category");
  whatif->add_option("BOOK", book_path, book_help())->required();
  whatif->add_option("--set", settings, "KEY=VALUE, repeatable; KEY is one of " + terms_keys)->required();
  auto* only_client = whatif->add_option("--client", client, "change only this client's engagements");
  whatif->add_option("--engagement", engagement, "change only this engagement")->excludes(only_client);
  whatif->add_option("--as-of", as_of, "evaluate as of this date (YYYY-MM-DD); default: the book's latest event");
  whatif->add_option("--format", format, "text (default), json or csv")->check(CLI::IsMember({"text", "json", "csv"}));

  std::string output_path;
  CLI::App* convert = app.add_subcommand("convert", "Write a book in another format, chosen by the extension of OUT");
  convert->add_option("IN", book_path, book_help())->required();
  convert->add_option("OUT", output_path, "the new file (" + kontingent::book_format_list() + "); replaced atomically if it exists")->required();
  bool force = false;
  convert->add_flag("--force", force, "replace OUT even if it is read-only (it stays read-only)");

  kontingent::cli::ImportOptions import_options;  // `import` lives in import_command.cpp
  CLI::App* import_command = kontingent::cli::add_import_command(app, import_options);
  std::function<int()> record_command;  // keeping a book: record_commands.cpp; billing: bill_command.cpp
  kontingent::cli::add_record_commands(app, record_command);
  kontingent::cli::add_bill_command(app, record_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e) == 0 ? exit_ok : exit_usage;  // --help, --version
    std::cerr << "kontingent: " << usage_problem(app, e, argc, argv) << '\n';
    return exit_usage;
  }
  if (*import_command) return kontingent::cli::run_import(import_options);
  if (record_command) return record_command();

  return guarded([&] {
    if (*convert && !kontingent::book_format_of(output_path))
      throw UsageError("OUT: unknown book format \"" + std::filesystem::path(output_path).extension().string() +
                       "\" (name the file " + kontingent::book_format_list() + ")");
    const std::string file = book_path == "-" ? "/dev/stdin" : book_path;
    if (*report) {
      // Evaluated while it is read: each engagement tallied while its entries are in the cache,
      // which then go (docs/performance.md, row 6).
      kontingent::ReportWhileReading reading(as_of_date(as_of));
      const kontingent::Book& book =
          book_left_to_exit(kontingent::load_book(file, [&](std::size_t i, kontingent::Engagement& e) { reading.add(i, e); }));
      print(report_for(book, reading, engagement), format);
      return exit_ok;
    }
    const kontingent::Book& book = book_left_to_exit(kontingent::load_book(file));
    if (*convert) {
      const std::string notice = kontingent::save_book(
          book, output_path, force ? kontingent::ReadOnly::replace : kontingent::ReadOnly::refuse);
      std::cout << book_path << " -> " << output_path << ": " << book.clients.size() << " clients, "
                << book.engagements.size() << " engagements\n";
      print_notice(notice);
      return exit_ok;
    }
    if (*check) {
      std::cout << book_path << ": ok, " << book.clients.size() << " clients, " << book.engagements.size()
                << " engagements\n";
      return exit_ok;
    }
    if (*triage) {
      print(kontingent::triage(book, as_of_date(as_of)), format);
      return exit_ok;
    }
    print(what_if_for(book, settings, client, engagement, as_of_date(as_of)), format);
    return exit_ok;
  });
}

}  // namespace

int main(int argc, char** argv) {
  kontingent::cli::SafeOutput safe_output;
  const int code = run(argc, argv);
  // A report that never reached its file (a full disk, a closed stdout) is a failed command, not an
  // empty success.
  const int error = safe_output.flush_output();
  if (error == 0) return code;
  std::cerr << "kontingent: cannot write the output: " << std::strerror(error) << std::endl;
  return code == exit_ok ? exit_io : code;
}
