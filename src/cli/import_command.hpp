#pragma once
// `kontingent import`: time-tracker exports into a book (docs/import.md). Kept apart from main.cpp so
// that the command's other subcommands and this one change independently.
#include <CLI/CLI.hpp>
#include <string>

namespace kontingent::cli {

struct ImportOptions {
  std::string from;        ///< toggl, clockify, harvest, kimai, timeclock or solidtime
  std::string file;        ///< the export
  std::string into;        ///< the book file, rewritten atomically
  std::string engagement;  ///< every row goes to this engagement
  std::string map;         ///< mapping file (JSON)
  std::string replace_period;  ///< FROM..TO: sync that period instead of adding
  bool dry_run = false;        ///< print the summary, write nothing
  bool strict = false;         ///< a row not imported is an error
  std::string encoding;        ///< utf-8, cp1252 or latin1 (the mapping's "encoding")
  std::string time_zone;       ///< IANA zone of the export's wall-clock times (the mapping's "time_zone")
};

/// Adds the `import` subcommand, filling `options` when it is parsed.
CLI::App* add_import_command(CLI::App& app, ImportOptions& options);

/// Imports, prints the summary and returns the exit code: 0 done; 1 the export or the resulting book
/// breaks a rule (nothing is written); 2 wrong usage (unknown --engagement); 3 a file cannot be read
/// or written.
int run_import(const ImportOptions& options);

}  // namespace kontingent::cli
