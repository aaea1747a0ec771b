#pragma once
// The command's exit codes, for every subcommand (docs/cli.md, --help), and the one place that
// turns an error into its code and its line on stderr.
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>

#include "kontingent/error.hpp"

namespace kontingent::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_invalid = 1;  ///< the book (or an export, a mapping) breaks a rule, an archive is damaged, or an invoice cannot be drafted
inline constexpr int exit_usage = 2;    ///< wrong usage: unknown option, bad date, unknown --engagement, …
inline constexpr int exit_io = 3;       ///< a file cannot be read or written

/// Wrong usage that only the command can see (a bad option value, an unknown engagement named on
/// the command line): exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Prints what a save could not keep (BookStore::notice()): the command succeeded, but the user
/// should know, e.g. that a shared book now belongs to them.
inline void print_notice(const std::string& notice) {
  if (!notice.empty()) std::cerr << "kontingent: note: " << notice << '\n';
}

/// Runs `command`, printing any error as one `kontingent: …` line and returning its exit code.
template <class Command>
int guarded(Command&& command) {
  const auto fail = [](const std::exception& e, int code) {
    std::cerr << "kontingent: " << e.what() << '\n';
    return code;
  };
  try {
    return command();
  } catch (const UsageError& e) {
    return fail(e, exit_usage);
  } catch (const import_error& e) {
    return fail(e, exit_invalid);
  } catch (const located_error& e) {  // a validation_error or an archive_error
    return fail(e, exit_invalid);
  } catch (const draft_error& e) {  // the book lacks what an invoice needs
    return fail(e, exit_invalid);
  } catch (const money_overflow& e) {  // the book's amounts cannot be computed
    return fail(e, exit_invalid);
  } catch (const std::exception& e) {  // io_error and anything unexpected: a file problem
    return fail(e, exit_io);
  }
}

}  // namespace kontingent::cli
