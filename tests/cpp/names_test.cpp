// kontingent/names.hpp: words to enum values and back, through each enum's word table.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "kontingent/evaluate.hpp"
#include "kontingent/journal.hpp"
#include "kontingent/report.hpp"
#include "kontingent/terms.hpp"
#include "kontingent/triage.hpp"

namespace test_words {
// Two words of one length and first letter share a slot of the table, which is then searched.
enum class Shade { red, rose, rust, ruby };
}  // namespace test_words

template <>
struct kontingent::enum_names<test_words::Shade> {
  static constexpr std::array<std::string_view, 4> values = {"red", "rose", "rust", "ruby"};
};

using namespace kontingent;

namespace {

/// Every word of Enum names its value; words one edit away from one name none.
template <class Enum>
void check_words() {
  const auto& values = enum_names<Enum>::values;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string word(values[i]);
    INFO(word);
    CHECK(from_name<Enum>(word) == static_cast<Enum>(i));
    CHECK(name(static_cast<Enum>(i)) == word);
    std::string last = word, first = word;
    last.back() = last.back() == 'x' ? 'y' : 'x';
    first.front() = static_cast<char>(first.front() == 'Z' ? 'Y' : 'Z');
    for (const std::string& other : {last, first, word + "s", word.substr(1), word.substr(0, word.size() - 1), " " + word})
      if (std::find(values.begin(), values.end(), other) == values.end()) CHECK_FALSE(from_name<Enum>(other));
  }
  CHECK_FALSE(from_name<Enum>(""));
}

}  // namespace

TEST_CASE("each enum's words name its values, and near misses name none") {
  check_words<EntryKind>();
  check_words<RequestKind>();
  check_words<AppointmentStatus>();
  check_words<Category>();
  check_words<Pricing>();
  check_words<RoundingMode>();
  check_words<Alert>();
  check_words<Verdict>();
  check_words<Drain>();
  check_words<EntryUse>();
  check_words<test_words::Shade>();
}

TEST_CASE("words that share a slot of the table are told apart") {
  using test_words::Shade;
  CHECK(detail::WordTable<Shade>::slots[detail::word_slot("rose")] == detail::WordTable<Shade>::shared);
  CHECK(from_name<Shade>("rose") == Shade::rose);
  CHECK(from_name<Shade>("rust") == Shade::rust);
  CHECK(from_name<Shade>("ruby") == Shade::ruby);
  CHECK_FALSE(from_name<Shade>("rich"));
  CHECK(from_name<Shade>("red") == Shade::red);
  CHECK_FALSE(from_name<Shade>("rod"));
  // Kinds of entry each have a slot of their own: one comparison per word read.
  for (const std::string_view word : enum_names<EntryKind>::values)
    CHECK(detail::WordTable<EntryKind>::slots[detail::word_slot(word)] != detail::WordTable<EntryKind>::shared);
}

TEST_CASE("same_word tells words of every length apart by any letter") {
  const std::string text = "abcdefghijklmnopqrstu";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string word = text.substr(0, n);
    INFO(word);
    CHECK(detail::same_word(word, std::string(word)));
    CHECK_FALSE(detail::same_word(word, word + "v"));
    for (std::size_t i = 0; i < n; ++i) {
      std::string other = word;
      other[i] = 'X';
      CHECK_FALSE(detail::same_word(word, other));
      CHECK_FALSE(detail::same_word(other, word));
    }
  }
  static_assert(detail::same_word("revision", "revision") && !detail::same_word("revision", "revisioN"));
}
