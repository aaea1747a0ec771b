#pragma once
// Every error kontingent throws is a kontingent::error, so callers can catch one type; the
// subtypes say which boundary refused what, and their messages name the place and the rule.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace kontingent {

/// Base of all kontingent errors.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// `inner` located inside `outer`: a path in a file is "file: path"; either may be empty.
inline std::string place_within(const std::string& outer, const std::string& inner) {
  return outer.empty() ? inner : inner.empty() ? outer : outer + ": " + inner;
}

/// An error that names a place and the rule broken there: `where()` is the place
/// (`book.json: engagements[0].entries[14]`; empty when there is none to name), `rule()` what broke,
/// and `what()` is "where: rule".
class located_error : public error {
 public:
  located_error(std::string where, std::string rule)
      : error(where.empty() ? rule : where + ": " + rule), where_(std::move(where)), rule_(std::move(rule)) {}
  const std::string& where() const noexcept { return where_; }
  const std::string& rule() const noexcept { return rule_; }

 private:
  std::string where_;
  std::string rule_;
};

/// A book, or a value in it, breaks a rule of a valid book (docs/formats.md). `path()` (= `where()`) is the place in the
/// book (`engagements[0].entries[14]`), prefixed with the file name when a file was read.
class validation_error : public located_error {
 public:
  using located_error::located_error;
  const std::string& path() const noexcept { return where(); }
  /// The same error, located inside `outer` (a file name).
  validation_error within(const std::string& outer) const { return {place_within(outer, where()), rule()}; }
};

/// Money of two currencies met in one sum.
class currency_mismatch : public error {
 public:
  using error::error;
};

/// A computed amount does not fit the largest amount a book holds (limits::max_cents): an absurd
/// rate, fee or price times a large count. Evaluating names the engagement.
class money_overflow : public error {
 public:
  using error::error;
};

/// A file could not be read or written: missing, unreadable, a failed or interrupted write, a book
/// locked by another writer, or a name whose extension is no book format. (Text that is not JSON is a
/// validation_error: the book breaks the rule that it is JSON.)
class io_error : public error {
 public:
  using error::error;
};

/// An invoice cannot be drafted or recorded as asked: the book has no owner, the engagement no VAT,
/// the number is taken, there is nothing to bill, … The message says what to add or change.
class draft_error : public error {
 public:
  using error::error;
};

/// A Boost.Serialization archive (.kbin .kxml .ktxt, or a pickle) is not one kontingent can load:
/// not an archive, damaged, truncated, from a newer version, or holding a book that breaks a rule.
/// `where()` is the file and the place inside it (`book.kbin: engagements[0].entries`, empty for
/// bytes in memory).
class archive_error : public located_error {
 public:
  using located_error::located_error;
  /// The same error, located inside `outer` (a file name).
  archive_error within(const std::string& outer) const { return {place_within(outer, where()), rule()}; }
};

/// A time-tracker export (or an import mapping file) breaks a rule. `what()` is
/// "file:line:column: rule" (`timesheet.csv:118:4: impossible date "13/15/2024"`); the line and the
/// column count from 1, and a 0 leaves that part out (a mapping file has no lines to name).
class import_error : public error {
 public:
  import_error(std::string file, std::size_t line, std::size_t column, std::string rule)
      : error(place(file, line, column) + ": " + rule),
        file_(std::move(file)), line_(line), column_(column), rule_(std::move(rule)) {}
  const std::string& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }
  std::size_t column() const noexcept { return column_; }
  const std::string& rule() const noexcept { return rule_; }

 private:
  static std::string place(const std::string& file, std::size_t line, std::size_t column) {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (line > 0 && column > 0) out += ":" + std::to_string(column);
    return out;
  }
  std::string file_;
  std::size_t line_;
  std::size_t column_;
  std::string rule_;
};

}  // namespace kontingent
