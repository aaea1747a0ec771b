// `kontingent import --from TRACKER FILE --into BOOK [--engagement ID] [--map MAPFILE]`.
#include "import_command.hpp"

#include <iostream>

#include "exit_codes.hpp"
#include "kontingent/imports/csv.hpp"
#include "kontingent/store.hpp"

namespace kontingent::cli {
namespace {

/// The trackers' names as --from takes them: "toggl, clockify, … or timeclock".
std::string tracker_list() {
  const auto& names = enum_names<Tracker>::values;
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i) list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
  return list;
}

}  // namespace

CLI::App* add_import_command(CLI::App& app, ImportOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "import", "Add the entries of a time-tracker export to a book (already imported entries are not added twice)");
  cmd->add_option("--from", o.from, "the tracker that wrote FILE: " + tracker_list())
      ->required()
      ->check(CLI::IsMember(std::vector<std::string>(enum_names<Tracker>::values.begin(), enum_names<Tracker>::values.end())));
  cmd->add_option("FILE", o.file, "the export (CSV, or a timeclock file)")->required();
  cmd->add_option("--into", o.into,
                  "book file (" + book_format_list() + "); saved atomically under the writers' lock, untouched on any error")
      ->required();
  cmd->add_option("--engagement", o.engagement, "put every row into the engagement with this id");
  cmd->add_option("--map", o.map, "mapping file (JSON, see docs/import.md): engagements, kinds, date format");
  cmd->footer(
      "Exit codes: 0 done; 1 the export, the mapping file or the book breaks a rule (nothing is written);\n"
      "2 wrong usage (unknown option or tracker, unknown --engagement); 3 a file cannot be read or written.");
  return cmd;
}

int run_import(const ImportOptions& o) {
  return guarded([&] {
    const Tracker tracker = *from_name<Tracker>(o.from);
    Mapping mapping = o.map.empty() ? Mapping{} : load_mapping(o.map);
    // The whole read–modify–write holds the book's lock: a concurrent writer's change is not lost.
    const std::unique_ptr<BookStore> store = open_book(o.into);
    const BookLock held = store->lock();
    const Book book = store->load();
    if (!o.engagement.empty()) {
      if (!book.find_engagement(o.engagement)) throw UsageError("--engagement: the book has no engagement \"" + o.engagement + "\"");
      mapping.engagement = o.engagement;
    }
    const ImportResult result = import_entries(tracker, std::filesystem::path(o.file), book, mapping);
    const Book updated = apply_import(book, result);  // every event checked; throws before anything is written
    std::cout << to_text(result.summary);
    if (result.entries.empty() && result.requests.empty()) {
      std::cout << o.into << ": unchanged (nothing new to add)\n";
    } else {
      store->save(updated);
      std::cout << o.into << ": saved\n";
    }
    return exit_ok;
  });
}

}  // namespace kontingent::cli
