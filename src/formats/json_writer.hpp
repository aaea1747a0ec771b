#pragma once
// A small streaming JSON writer laid out like Python's json.dump(indent=1), the layout of the example
// books in docs/formats.md, so a saved book or report diffs cleanly against hand-written ones.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/report.hpp"

namespace kontingent::detail {

class JsonWriter {
 public:
  /// A writer of items for the array `depth` levels deep that another writer is in (the first of
  /// them if `first`): its text is what that writer would write for them, to splice() into it. So
  /// the items of one long array can be written on several threads.
  static JsonWriter items_of_array(std::size_t depth, bool first) {
    JsonWriter w;
    w.empty_.assign(depth, false);
    w.empty_.back() = first;
    return w;
  }
  /// Items written by a writer from items_of_array(), as the next items of the array this one is in.
  JsonWriter& splice(std::string_view items) {
    out_ += items;
    if (!items.empty()) empty_.back() = false;
    return *this;
  }
  /// The text of the items, for splice().
  std::string items() && { return std::move(out_); }
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k) {
    next_item();
    quote(k);
    out_ += ": ";
    after_key_ = true;
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    next_item();
    quote(s);
    return *this;
  }
  /// A number, boolean or null, already spelled as JSON.
  JsonWriter& raw(std::string_view s) {
    next_item();
    out_ += s;
    return *this;
  }
  template <class Integer>
  JsonWriter& integer(Integer n) {
    return raw(std::to_string(n));
  }
  std::string take() && {
    out_ += '\n';
    return std::move(out_);
  }
  void reserve(std::size_t n) { out_.reserve(n); }

 private:
  JsonWriter& open(char c) {
    next_item();
    out_ += c;
    empty_.push_back(true);
    return *this;
  }
  JsonWriter& close(char c) {
    const bool was_empty = empty_.back();
    empty_.pop_back();
    if (!was_empty) newline();
    out_ += c;
    return *this;
  }
  void next_item() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (empty_.empty()) return;
    if (!empty_.back()) out_ += ',';
    empty_.back() = false;
    newline();
  }
  void newline() {
    out_ += '\n';
    out_.append(empty_.size(), ' ');
  }
  /// The bytes a JSON string cannot hold as they are: quotes, backslashes and controls.
  static constexpr auto needs_escape = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[static_cast<std::size_t>(c)] = true;
    table['"'] = table['\\'] = true;
    return table;
  }();
  void quote(std::string_view s) {
    out_ += '"';
    std::size_t plain = 0;  // where the characters that need no escape begin: they are copied in one go
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (!needs_escape[static_cast<unsigned char>(c)]) continue;
      out_.append(s.substr(plain, i - plain));
      plain = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default: {
          static constexpr char hex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += hex[c >> 4];
          out_ += hex[c & 15];
        }
      }
    }
    out_.append(s.substr(plain));
    out_ += '"';
  }
  std::string out_;
  std::vector<bool> empty_;
  bool after_key_ = false;
};

/// `"key": {"base": "…", …}` with all seven categories, as the report and the quote write them.
inline void write_amounts(JsonWriter& w, std::string_view key, const CategoryAmounts& amounts) {
  w.key(key).begin_object();
  for (std::size_t c = 0; c < category_count; ++c) w.key(name(static_cast<Category>(c))).string(amounts.values[c].to_string());
  w.end_object();
}

}  // namespace kontingent::detail
