#pragma once
// `kontingent bill` (docs/invoicing.md): invoice drafts from the leakage, printed, written or recorded.
#include <CLI/CLI.hpp>
#include <functional>

namespace kontingent::cli {

/// Adds `bill` to `app`. When it is parsed, `run` is set to what carries it out and returns its exit code.
void add_bill_command(CLI::App& app, std::function<int()>& run);

}  // namespace kontingent::cli
