#include "imports/pattern.hpp"

#include <re2/re2.h>

#include "imports/import_detail.hpp"

namespace kontingent::detail {
namespace {

/// What to tell about syntax RE2 refuses on purpose (it would need backtracking); "" for plain mistakes.
std::string unsupported(const re2::RE2& re) {
  const std::string& at = re.error_arg();
  const std::string why = " (patterns use RE2 syntax, see docs/import.md)";
  if (re.error_code() == re2::RE2::ErrorBadEscape && at.size() == 2 && at[1] >= '1' && at[1] <= '9')
    return "backreferences such as " + at + " are not supported" + why;
  if (re.error_code() == re2::RE2::ErrorBadPerlOp && (at == "(?=" || at == "(?!"))
    return "lookahead such as " + at + " is not supported" + why;
  if (re.error_code() == re2::RE2::ErrorBadPerlOp && at == "(?<")
    return "lookbehind (?<= (?<! and groups named (?<name> are not supported; name a group (?P<name>…)" + why;
  return "";
}

}  // namespace

std::optional<Pattern> Pattern::compile(const std::string& text, std::string& rule) {
  re2::RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(text, options);
  if (!re->ok()) {
    const std::string why = unsupported(*re);
    rule = "not a valid regular expression: " + detail::quoted(text) + (why.empty() ? "" : ": " + why);
    return std::nullopt;
  }
  return Pattern(std::move(re));
}

int Pattern::groups() const noexcept { return re_->NumberOfCapturingGroups(); }

bool Pattern::found_in(std::string_view text) const { return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_); }

std::vector<std::string> Pattern::first_groups(std::string_view text) const {
  std::vector<std::string> out;
  const re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece match[2];
  // Searching the whole text from `at` (not the rest of it) keeps ^ and \b seeing what comes before.
  for (std::size_t at = 0; at <= text.size() && re_->Match(whole, at, text.size(), re2::RE2::UNANCHORED, match, 2);) {
    out.emplace_back(match[1].data() ? std::string(match[1].data(), match[1].size()) : std::string());
    const auto end = static_cast<std::size_t>(match[0].data() - text.data()) + match[0].size();
    at = match[0].empty() ? end + 1 : end;  // after an empty match, look again one byte on
  }
  return out;
}

}  // namespace kontingent::detail
