// `kontingent import --from TRACKER FILE --into BOOK [--engagement ID] [--map MAPFILE]`.
#include "import_command.hpp"

#include <iostream>

#include "kontingent/io/archive.hpp"
#include "kontingent/io/csv.hpp"

namespace kontingent::cli {
namespace {

// The command's exit codes (main.cpp's scheme, docs/cli.md).
constexpr int exit_ok = 0;
constexpr int exit_invalid = 1;
constexpr int exit_usage = 2;
constexpr int exit_io = 3;

}  // namespace

CLI::App* add_import_command(CLI::App& app, ImportOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Add the entries of a time-tracker export to a book (already imported entries are not added twice)");
  cmd->add_option("--from", o.from, "the tracker that wrote FILE: toggl, clockify, harvest, kimai or timeclock")
      ->required()
      ->check(CLI::IsMember({"toggl", "clockify", "harvest", "kimai", "timeclock"}));
  cmd->add_option("FILE", o.file, "the export (CSV, or a timeclock file)")->required();
  cmd->add_option("--into", o.into,
                  "book file: .json (kontingent-book/1) or an archive (.kbin, .kxml, .ktxt); saved atomically, untouched on "
                  "any error")
      ->required();
  cmd->add_option("--engagement", o.engagement, "put every row into the engagement with this id");
  cmd->add_option("--map", o.map, "mapping file (JSON, see docs/import.md): engagements, kinds, date format");
  cmd->footer(
      "Exit codes: 0 done; 1 the export, the mapping file or the book breaks a rule (nothing is written);\n"
      "2 wrong usage (unknown option or tracker, unknown --engagement); 3 a file cannot be read or written.");
  return cmd;
}

int run_import(const ImportOptions& o) {
  try {
    const Tracker tracker = *from_name<Tracker>(o.from);
    Mapping mapping = o.map.empty() ? Mapping{} : load_mapping(o.map);
    const Book book = load_book(o.into);
    if (!o.engagement.empty()) {
      if (!book.find_engagement(o.engagement)) {
        std::cerr << "kontingent: --engagement: the book has no engagement \"" << o.engagement << "\"\n";
        return exit_usage;
      }
      mapping.engagement = o.engagement;
    }
    const ImportResult result = import_entries(tracker, std::filesystem::path(o.file), book, mapping);
    const Book updated = apply_import(book, result);  // validated whole; throws before anything is written
    std::cout << to_text(result.summary);
    if (result.entries.empty() && result.requests.empty()) {
      std::cout << o.into << ": unchanged (nothing new to add)\n";
    } else {
      save_book(updated, o.into);
      std::cout << o.into << ": saved\n";
    }
    return exit_ok;
  } catch (const import_error& e) {
    std::cerr << "kontingent: " << e.what() << '\n';
    return exit_invalid;
  } catch (const validation_error& e) {
    std::cerr << "kontingent: " << e.what() << '\n';
    return exit_invalid;
  } catch (const archive_error& e) {
    std::cerr << "kontingent: " << e.what() << '\n';
    return exit_invalid;
  } catch (const std::exception& e) {  // io_error and anything unexpected: a file problem
    std::cerr << "kontingent: " << e.what() << '\n';
    return exit_io;
  }
}

}  // namespace kontingent::cli
