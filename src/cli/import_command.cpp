// `kontingent import --from TRACKER FILE --into BOOK [--engagement ID] [--map MAPFILE]
//  [--replace-period FROM..TO] [--dry-run] [--strict]`.
#include "import_command.hpp"

#include <iostream>

#include "exit_codes.hpp"
#include "kontingent/detail/text.hpp"
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
      "import",
      "Add the entries of a time-tracker export to a book (entries already there are not added twice, rows overlapping "
      "one are skipped), or with --replace-period replace a period's entries by the export's");
  cmd->add_option("--from", o.from, "the tracker that wrote FILE: " + tracker_list())
      ->required()
      ->check(CLI::IsMember(std::vector<std::string>(enum_names<Tracker>::values.begin(), enum_names<Tracker>::values.end())));
  cmd->add_option("FILE", o.file, "the export (CSV, or a timeclock file)")->required();
  cmd->add_option("--into", o.into,
                  "book file (" + book_format_list() + "); saved atomically under the writers' lock, untouched on any error")
      ->required();
  cmd->add_option("--engagement", o.engagement, "put every row into the engagement with this id");
  cmd->add_option("--map", o.map, "mapping file (JSON, see docs/import.md): engagements, kinds, date format");
  cmd->add_option("--encoding", o.encoding,
                  "the export's encoding when it is not UTF-8: cp1252 (Windows, German Excel) or latin1; a byte-order "
                  "mark (UTF-8, UTF-16) names the encoding whatever this says")
      ->check(CLI::IsMember({"utf-8", "cp1252", "latin1"}, CLI::ignore_case));
  cmd->add_option("--time-zone", o.time_zone,
                  "IANA time zone of the export's times (Europe/Berlin): a row without a duration lasts the time "
                  "that passed between start and end, across a change of the clocks");
  cmd->add_option("--replace-period", o.replace_period,
                  "FROM..TO (dates, both included): the entries of the engagements the export maps to that start "
                  "in the period are replaced by the export's rows of the period (added, changed, removed; in one save); "
                  "rows of other days are left out");
  cmd->add_flag("--dry-run", o.dry_run, "print the summary of what would be added, changed and removed; write nothing");
  cmd->add_flag("--strict", o.strict,
                "any row not imported (no engagement, overlapping, zero-length, ...) is an error: exit 1, nothing written");
  cmd->footer(
      "Exit codes: 0 done (skipped rows are listed in the summary); 1 the export, the mapping file or the book\n"
      "breaks a rule, or --strict and a row was not imported (nothing is written); 2 wrong usage (unknown option\n"
      "or tracker, unknown --engagement, a bad --replace-period or --time-zone); 3 a file cannot be read or written.");
  return cmd;
}

int run_import(const ImportOptions& o) {
  return guarded([&] {
    const Tracker tracker = *from_name<Tracker>(o.from);
    ImportMode mode;
    mode.strict = o.strict;
    if (!o.replace_period.empty()) try {
        mode.replace_period = parse_period(o.replace_period, "--replace-period");
      } catch (const validation_error& e) {
        throw UsageError(e.what());
      }
    if (const std::string rule = o.time_zone.empty() ? "" : check_time_zone(o.time_zone); !rule.empty())
      throw UsageError("--time-zone: " + rule);
    Mapping mapping = o.map.empty() ? Mapping{} : load_mapping(o.map);
    if (!o.encoding.empty()) mapping.encoding = o.encoding;
    if (!o.time_zone.empty()) mapping.time_zone = o.time_zone;
    // The whole read–modify–write holds the book's lock: a concurrent writer's change is not lost.
    const std::unique_ptr<BookStore> store = open_book(o.into);
    const BookLock held = store->lock();
    const Book book = store->load();
    if (!o.engagement.empty()) {
      if (!book.find_engagement(o.engagement)) throw UsageError("--engagement: the book has no engagement " + detail::quoted(o.engagement));
      mapping.engagement = o.engagement;
    }
    const ImportResult result = import_entries(tracker, std::filesystem::path(o.file), book, mapping, mode);
    const Book updated = apply_import(book, result);  // every event checked; throws before anything is written
    std::cout << to_text(result.summary);
    if (!result.changes_book()) {
      std::cout << o.into << ": unchanged (nothing to add, change or remove)\n";
    } else if (o.dry_run) {
      std::cout << o.into << ": not written (--dry-run)\n";
    } else {
      store->save(updated);
      std::cout << o.into << ": saved\n";
    }
    return exit_ok;
  });
}

}  // namespace kontingent::cli
