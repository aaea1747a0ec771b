#include "formats/json_layout.hpp"

#include "imports/import_detail.hpp"  // trim(): the same white space as JSON's

#include <bit>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kontingent::detail {
namespace {

constexpr std::size_t none = std::string_view::npos;

/// Where the characters the scan follows are in 64 bytes, one bit a byte.
struct Block {
  std::uint64_t quote = 0, backslash = 0, open = 0, close = 0;  // `"`, `\`, `{` or `[`, `}` or `]`
};

[[gnu::always_inline]] inline Block classify(const char* bytes) noexcept {
  Block b;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}'), bit5 = _mm_set1_epi8(0x20);
  for (int part = 0; part < 4; ++part) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + 16 * part));
    const __m128i folded = _mm_or_si128(v, bit5);  // `[` and `]` differ from `{` and `}` in bit 5 only
    const auto bits = [&](__m128i hits) { return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(hits))} << (16 * part); };
    b.quote |= bits(_mm_cmpeq_epi8(v, quote));
    b.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
    b.open |= bits(_mm_cmpeq_epi8(folded, open));
    b.close |= bits(_mm_cmpeq_epi8(folded, close));
  }
#else
  for (int i = 0; i < 64; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    switch (bytes[i]) {
      case '"': b.quote |= bit; break;
      case '\\': b.backslash |= bit; break;
      case '{': case '[': b.open |= bit; break;
      case '}': case ']': b.close |= bit; break;
      default: break;
    }
  }
#endif
  return b;
}

/// Bit i of the result: the parity of bits 0 … i of x. Over a block's quotes, the bytes inside a string.
std::uint64_t prefix_xor(std::uint64_t x) noexcept {
  for (int shift = 1; shift < 64; shift *= 2) x ^= x << shift;
  return x;
}

/// Whether the `[` at `i`, outside any string, opens the value of a key spelled "engagements".
bool follows_engagements_key(std::string_view json, std::size_t i) noexcept {
  constexpr std::string_view key = "\"engagements\"";
  const std::string_view before = trim(json.substr(0, i));
  if (before.empty() || before.back() != ':') return false;
  const std::string_view name = trim(before.substr(0, before.size() - 1));
  if (!name.ends_with(key)) return false;
  // The key's first quote opens it unless a backslash escapes it: an odd run of them before it.
  std::size_t backslashes = 0;
  for (std::size_t q = name.size() - key.size(); q > 0 && name[q - 1] == '\\'; --q) ++backslashes;
  return backslashes % 2 == 0;
}

/// The scan's state, fed one 64-byte block at a time.
class Scanner {
 public:
  Scanner(std::string_view json, const std::function<void(std::string_view)>& on_engagement)
      : json_(json), on_engagement_(on_engagement) {}

  [[gnu::always_inline]] bool block(std::size_t at, const Block& b) {
    std::uint64_t inside = 0;  // bytes inside strings, their opening quotes included
    if (b.backslash == 0 && escaped_ != at) {
      inside = prefix_xor(b.quote) ^ (in_string_ ? ~std::uint64_t{0} : 0);
      in_string_ = inside >> 63;
    } else {
      // Escapes are rare in books: this block goes quote by quote.
      inside = in_string_ ? ~std::uint64_t{0} : 0;
      for (std::uint64_t quotes = b.quote | b.backslash; quotes != 0; quotes &= quotes - 1) {
        const std::size_t i = at + static_cast<std::size_t>(std::countr_zero(quotes));
        if (i == escaped_ || !(in_string_ || json_[i] == '"')) continue;
        if (json_[i] == '\\') escaped_ = i + 1;
        else in_string_ = !in_string_;
        if (in_string_) inside |= ~std::uint64_t{0} << (i - at);
        else inside &= ~(~std::uint64_t{0} << (i - at));
      }
    }
    // Deeper than an engagement's own brackets for the whole block (entries, their lists and
    // objects: nearly every block), only the depth counts: no bracket of it opens or closes an
    // engagement or the list of them.
    const int opens = std::popcount(b.open & ~inside), closes = std::popcount(b.close & ~inside);
    if (depth_ - closes >= 3) {
      depth_ += opens - closes;
      return true;
    }
    for (std::uint64_t brackets = (b.open | b.close) & ~inside; brackets != 0; brackets &= brackets - 1) {
      const std::size_t i = at + static_cast<std::size_t>(std::countr_zero(brackets));
      if (!(b.open >> (i - at) & 1 ? open(i) : close(i))) return false;
    }
    return true;
  }

  std::optional<BookLayout> finish() {
    if (in_string_ || depth_ != 0 || !found_) return std::nullopt;
    return std::move(layout_);
  }

 private:
  bool open(std::size_t i) {
    ++depth_;
    if (depth_ == 2 && json_[i] == '[' && follows_engagements_key(json_, i)) {
      if (found_) return false;  // twice: the parser will say so
      found_ = true, list_ = i, previous_end_ = i + 1;
    } else if (depth_ == 3 && list_ != none) {
      if (json_[i] != '{' || !separated(i, first_)) return false;
      element_ = i;
    }
    return true;
  }

  bool close(std::size_t i) {
    if (depth_ == 3 && list_ != none) {
      on_engagement_(json_.substr(element_, i + 1 - element_));
      previous_end_ = i + 1, first_ = false;
    } else if (depth_ == 2 && list_ != none) {
      if (json_[i] != ']' || !separated(i, true)) return false;
      layout_.head = json_.substr(0, list_ + 1);
      layout_.tail = json_.substr(i);
      list_ = none;
    }
    return --depth_ >= 0;
  }

  /// Between two engagements only a comma and white space; before the first and after the last only white space.
  bool separated(std::size_t next, bool first) const {
    const std::string_view gap = trim(json_.substr(previous_end_, next - previous_end_));
    return first ? gap.empty() : gap == ",";
  }

  std::string_view json_;
  const std::function<void(std::string_view)>& on_engagement_;
  BookLayout layout_;
  int depth_ = 0;
  bool in_string_ = false, found_ = false, first_ = true;
  std::size_t escaped_ = none;                 // the byte after a backslash in a string
  std::size_t list_ = none;                    // the engagements list's `[`, while inside it
  std::size_t element_ = 0, previous_end_ = 0;  // the current engagement's `{`; where the previous one ended
};

}  // namespace

// Counting a block's brackets wants the popcnt instruction, which x86-64's baseline lacks: a copy
// is made with it too, and the loader picks the one the processor runs.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("popcnt", "default")]]
#endif
std::optional<BookLayout> find_engagements(std::string_view json, const std::function<void(std::string_view)>& on_engagement) {
  Scanner scanner(json, on_engagement);
  std::size_t at = 0;
  for (; at + 64 <= json.size(); at += 64)
    if (!scanner.block(at, classify(json.data() + at))) return std::nullopt;
  if (at < json.size()) {
    char last[64];
    std::memset(last, ' ', sizeof last);
    std::memcpy(last, json.data() + at, json.size() - at);
    if (!scanner.block(at, classify(last))) return std::nullopt;
  }
  return scanner.finish();
}

}  // namespace kontingent::detail
