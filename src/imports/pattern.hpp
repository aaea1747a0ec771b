#pragma once
// The regular expressions of a mapping (docs/import.md): RE2 syntax, searched ignoring case in UTF-8
// text. RE2 matches in time linear in the text and never backtracks, so a user's pattern cannot stall
// an import (std::regex took 28.7 s for `^(a+)+$` on one 29-byte description); the price is that
// backreferences and lookaround do not exist. The RE2 header stays out of here.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace kontingent::detail {

class Pattern {
 public:
  /// The pattern `text` compiles to; nullopt with `rule` set when it is not one RE2 accepts
  /// (`not a valid regular expression: "(a)\1": backreferences such as \1 are not supported …`).
  static std::optional<Pattern> compile(const std::string& text, std::string& rule);

  /// The number of capturing groups.
  int groups() const noexcept;
  /// Whether the pattern matches anywhere in `text`.
  bool found_in(std::string_view text) const;
  /// What the first group captured in each match, left to right, matches not overlapping ("" where
  /// the group took no part). Needs a pattern with a group.
  std::vector<std::string> first_groups(std::string_view text) const;

 private:
  explicit Pattern(std::shared_ptr<const re2::RE2> re) : re_(std::move(re)) {}
  std::shared_ptr<const re2::RE2> re_;  // shared: RE2 is immutable and thread-safe once compiled
};

}  // namespace kontingent::detail
