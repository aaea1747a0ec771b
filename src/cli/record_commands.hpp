#pragma once
// The commands that keep a book day by day (docs/cli.md, "Keeping a book"): init, owner set,
// client add/set, engagement add/set, log, start/stop, request, call, appointment, invoice,
// payment — each records through the book's store under its writers' lock and prints what it
// recorded and what it costs — and the commands that answer before or between the work: quote,
// status, terms.
#include <CLI/CLI.hpp>
#include <functional>

namespace kontingent::cli {

/// Adds the subcommands to `app`. When one of them is parsed, `run` is set to what carries it out
/// and returns its exit code.
void add_record_commands(CLI::App& app, std::function<int()>& run);

}  // namespace kontingent::cli
