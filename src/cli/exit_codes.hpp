#pragma once
// The command's exit codes, for every subcommand (docs/cli.md, --help).
namespace kontingent::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_invalid = 1;  ///< the book (or an export, a mapping) breaks a rule, or an archive is damaged
inline constexpr int exit_usage = 2;    ///< wrong usage: unknown option, bad date, unknown --engagement, …
inline constexpr int exit_io = 3;       ///< a file cannot be read or written

}  // namespace kontingent::cli
