#include "formats/json_layout.hpp"

#include "imports/import_detail.hpp"  // trim(): the same white space as JSON's

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kontingent::detail {
namespace {

constexpr std::size_t none = std::string_view::npos;

/// Where the characters the scan follows are in 64 bytes, one bit a byte.
struct Block {
  std::uint64_t quote = 0, backslash = 0, open = 0, close = 0;  // `"`, `\`, `{` or `[`, `}` or `]`
  /// Bit i: the parity of the quotes in bytes 0 … i — the bytes inside a string, for a block without escapes.
  std::uint64_t quote_parity = 0;
};

/// Bit i of the result: the parity of bits 0 … i of x.
std::uint64_t prefix_xor(std::uint64_t x) noexcept {
  for (int shift = 1; shift < 64; shift *= 2) x ^= x << shift;
  return x;
}

/// The byte classes of 16 bytes, as bits `at` … `at` + 15 of `b`.
[[gnu::always_inline]] inline void classify16(const char* bytes, int at, Block& b) noexcept {
#if defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes));
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // `[` and `]` differ from `{` and `}` in bit 5 only
  const auto bits = [&](__m128i hits) { return std::uint64_t{static_cast<std::uint16_t>(_mm_movemask_epi8(hits))} << at; };
  b.quote |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
  b.backslash |= bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  b.open |= bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')));
  b.close |= bits(_mm_cmpeq_epi8(folded, _mm_set1_epi8('}')));
#else
  for (int i = 0; i < 16; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << (at + i);
    switch (bytes[i]) {
      case '"': b.quote |= bit; break;
      case '\\': b.backslash |= bit; break;
      case '{': case '[': b.open |= bit; break;
      case '}': case ']': b.close |= bit; break;
      default: break;
    }
  }
#endif
}

/// Classifies the `count` blocks of 64 bytes at `bytes` into `blocks`.
void classify_blocks_portable(const char* bytes, std::size_t count, Block* blocks) noexcept {
  for (std::size_t k = 0; k < count; ++k, bytes += 64) {
    Block b;
    for (int part = 0; part < 4; ++part) classify16(bytes + 16 * part, 16 * part, b);
    b.quote_parity = prefix_xor(b.quote);
    blocks[k] = b;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
/// prefix_xor() in one instruction: x multiplied, without carries, by a word of ones.
[[gnu::target("pclmul"), gnu::always_inline]] inline std::uint64_t prefix_xor_clmul(std::uint64_t x) noexcept {
  const __m128i product = _mm_clmulepi64_si128(_mm_cvtsi64_si128(static_cast<long long>(x)), _mm_set1_epi8(-1), 0);
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(product));
}

// With AVX2 a block is two loads and two compares a class, and the quotes' parity one carry-less
// multiplication: the scan then takes half the time.
[[gnu::target("avx2"), gnu::always_inline]] inline std::uint64_t bits(__m256i low_hits, __m256i high_hits) noexcept {
  return std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(low_hits))} |
         std::uint64_t{static_cast<std::uint32_t>(_mm256_movemask_epi8(high_hits))} << 32;
}

[[gnu::target("avx2,pclmul")]] void classify_blocks_avx2(const char* bytes, std::size_t count, Block* blocks) noexcept {
  const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\');
  const __m256i open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}'), bit5 = _mm256_set1_epi8(0x20);
  for (std::size_t k = 0; k < count; ++k, bytes += 64) {
    const __m256i low = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes));
    const __m256i high = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bytes + 32));
    const __m256i low_folded = _mm256_or_si256(low, bit5), high_folded = _mm256_or_si256(high, bit5);
    Block& b = blocks[k];
    b.quote = bits(_mm256_cmpeq_epi8(low, quote), _mm256_cmpeq_epi8(high, quote));
    b.backslash = bits(_mm256_cmpeq_epi8(low, backslash), _mm256_cmpeq_epi8(high, backslash));
    b.open = bits(_mm256_cmpeq_epi8(low_folded, open), _mm256_cmpeq_epi8(high_folded, open));
    b.close = bits(_mm256_cmpeq_epi8(low_folded, close), _mm256_cmpeq_epi8(high_folded, close));
    b.quote_parity = prefix_xor_clmul(b.quote);
  }
}

// With AVX-512 a block is one load, and each class one compare straight into a mask.
[[gnu::target("avx512f,avx512bw,pclmul")]] void classify_blocks_avx512(const char* bytes, std::size_t count, Block* blocks) noexcept {
  const __m512i quote = _mm512_set1_epi8('"'), backslash = _mm512_set1_epi8('\\');
  const __m512i open = _mm512_set1_epi8('{'), close = _mm512_set1_epi8('}'), bit5 = _mm512_set1_epi8(0x20);
  for (std::size_t k = 0; k < count; ++k, bytes += 64) {
    const __m512i v = _mm512_loadu_si512(bytes);
    const __m512i folded = _mm512_or_si512(v, bit5);
    Block& b = blocks[k];
    b.quote = _mm512_cmpeq_epi8_mask(v, quote);
    b.backslash = _mm512_cmpeq_epi8_mask(v, backslash);
    b.open = _mm512_cmpeq_epi8_mask(folded, open);
    b.close = _mm512_cmpeq_epi8_mask(folded, close);
    b.quote_parity = prefix_xor_clmul(b.quote);
  }
}
#endif

using ClassifyBlocks = void (*)(const char*, std::size_t, Block*) noexcept;

/// The function of `classifier`, if this processor runs it.
ClassifyBlocks classifier_function(Classifier classifier) noexcept {
  switch (classifier) {
    case Classifier::portable: return &classify_blocks_portable;
#if defined(__x86_64__) && defined(__GNUC__)
    case Classifier::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") ? &classify_blocks_avx2 : nullptr;
    case Classifier::avx512:
      return __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("pclmul") ? &classify_blocks_avx512 : nullptr;
#endif
    case Classifier::fastest:
      for (const Classifier c : {Classifier::avx512, Classifier::avx2})
        if (const ClassifyBlocks f = classifier_function(c)) return f;
      return &classify_blocks_portable;
    default: return nullptr;
  }
}

/// Whether a `[` outside any string, after the text `before`, opens the value of a key spelled "engagements".
bool follows_engagements_key(std::string_view before) noexcept {
  constexpr std::string_view key = "\"engagements\"";
  before = trim(before);
  if (before.empty() || before.back() != ':') return false;
  const std::string_view name = trim(before.substr(0, before.size() - 1));
  if (!name.ends_with(key)) return false;
  // The key's first quote opens it unless a backslash escapes it: an odd run of them before it.
  std::size_t backslashes = 0;
  for (std::size_t q = name.size() - key.size(); q > 0 && name[q - 1] == '\\'; --q) ++backslashes;
  return backslashes % 2 == 0;
}

}  // namespace

/// The scan's state, fed one 64-byte block at a time. Offsets are the text's, from its start; the
/// bytes are read from the window, which holds the text from `window_at_` on.
class EngagementScanner {
 public:
  EngagementScanner(std::function<void(std::string_view)> on_engagement, Classifier classifier)
      : on_engagement_(std::move(on_engagement)), classify_blocks_(classifier_for(classifier)) {}

  void look_at(std::string_view window, std::size_t window_at) noexcept { window_ = window, window_at_ = window_at; }
  std::size_t keep_from() const noexcept { return std::min(scanned_, list_ != none ? previous_end_ : found_ ? tail_at_ : 0); }

  /// Scans the whole blocks from where the scan stopped to the end of the window.
  [[gnu::always_inline]] bool scan_blocks() {
    // Blocks are classified a few kilobytes at a time, which stay in the first-level cache.
    constexpr std::size_t batch = 64;
    Block blocks[batch];
    const std::size_t end = window_at_ + window_.size();
    while (end - scanned_ >= 64) {
      const std::size_t count = std::min(batch, (end - scanned_) / 64);
      classify_blocks_(window_.data() + (scanned_ - window_at_), count, blocks);
      for (std::size_t k = 0; k < count; ++k, scanned_ += 64)
        if (!block(scanned_, blocks[k])) return false;
    }
    return true;
  }

  /// The last bytes, fewer than a block, and the check that the book closed.
  [[gnu::always_inline]] std::optional<BookLayout> finish() {
    const std::size_t end = window_at_ + window_.size();
    if (scanned_ < end) {
      char last[64];
      std::memset(last, ' ', sizeof last);
      std::memcpy(last, window_.data() + (scanned_ - window_at_), end - scanned_);
      Block b;
      classify_blocks_(last, 1, &b);
      if (!block(scanned_, b)) return std::nullopt;
      scanned_ = end;
    }
    if (in_string_ || depth_ != 0 || !found_) return std::nullopt;
    layout_.tail = text(tail_at_, end);
    return std::move(layout_);
  }

 private:
  /// The function of `classifier`, or the portable one if this processor does not run it.
  static ClassifyBlocks classifier_for(Classifier classifier) noexcept {
    static const ClassifyBlocks fastest = classifier_function(Classifier::fastest);
    const ClassifyBlocks chosen = classifier == Classifier::fastest ? fastest : classifier_function(classifier);
    return chosen ? chosen : &classify_blocks_portable;
  }

  char at(std::size_t i) const noexcept { return window_[i - window_at_]; }
  std::string_view text(std::size_t from, std::size_t to) const noexcept { return window_.substr(from - window_at_, to - from); }

  /// Bit i: the byte at i is escaped, the end of an odd run of backslashes before it (simdjson's
  /// branchless way, Langdale & Lemire 2019: runs that start on an odd bit are told from those that
  /// start on an even one by an addition that carries through them). Outside strings a backslash is
  /// no JSON: whatever the scan makes of it, the parser then refuses it.
  std::uint64_t escaped_in(std::uint64_t backslash) noexcept {
    backslash &= ~escaped_next_;  // a backslash escaped in the block before escapes nothing
    const std::uint64_t follows_escape = backslash << 1 | escaped_next_;
    constexpr std::uint64_t even = 0x5555555555555555;
    const std::uint64_t odd_starts = backslash & ~even & ~follows_escape;
    std::uint64_t even_starts = 0;
    escaped_next_ = __builtin_add_overflow(odd_starts, backslash, &even_starts);
    return (even ^ (even_starts << 1)) & follows_escape;
  }

  [[gnu::always_inline]] bool block(std::size_t at, const Block& b) {
    // Bytes inside strings, their opening quotes included. A book's notes may escape: such a block
    // takes its quotes' parity again, without the escaped ones, and no branch on each of them.
    std::uint64_t inside = (b.backslash | escaped_next_) == 0 ? b.quote_parity : prefix_xor(b.quote & ~escaped_in(b.backslash));
    inside ^= in_string_ ? ~std::uint64_t{0} : 0;
    in_string_ = inside >> 63;
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

  bool open(std::size_t i) {
    ++depth_;
    if (depth_ == 2 && at(i) == '[' && follows_engagements_key(text(window_at_, i))) {
      if (found_) return false;  // twice: the parser will say so
      found_ = true, list_ = i, previous_end_ = i + 1;
      layout_.head = text(0, i + 1);  // the window starts at the text's start until the list is found
    } else if (depth_ == 3 && list_ != none) {
      if (at(i) != '{' || !separated(i, first_)) return false;
      element_ = i;
    }
    return true;
  }

  bool close(std::size_t i) {
    if (depth_ == 3 && list_ != none) {
      on_engagement_(text(element_, i + 1));
      previous_end_ = i + 1, first_ = false;
    } else if (depth_ == 2 && list_ != none) {
      if (at(i) != ']' || !separated(i, true)) return false;
      tail_at_ = i;
      list_ = none;
    }
    return --depth_ >= 0;
  }

  /// Between two engagements only a comma and white space; before the first and after the last only white space.
  bool separated(std::size_t next, bool first) const {
    const std::string_view gap = trim(text(previous_end_, next));
    return first ? gap.empty() : gap == ",";
  }

  const std::function<void(std::string_view)> on_engagement_;
  const ClassifyBlocks classify_blocks_;
  std::string_view window_;
  std::size_t window_at_ = 0, scanned_ = 0;
  BookLayout layout_;
  int depth_ = 0;
  bool in_string_ = false, found_ = false, first_ = true;
  std::uint64_t escaped_next_ = 0;             // 1: the next block's first byte is escaped
  std::size_t list_ = none;                    // the engagements list's `[`, while inside it
  std::size_t tail_at_ = 0;                    // the list's `]`, once it is closed
  std::size_t element_ = 0, previous_end_ = 0;  // the current engagement's `{`; where the previous one ended
};

bool supported(Classifier classifier) noexcept { return classifier_function(classifier) != nullptr; }

EngagementCutter::EngagementCutter(std::function<void(std::string_view)> on_engagement, Classifier classifier)
    : scanner_(std::make_unique<EngagementScanner>(std::move(on_engagement), classifier)) {}
EngagementCutter::~EngagementCutter() = default;

std::size_t EngagementCutter::keep_from() const noexcept { return scanner_->keep_from(); }

// Counting a block's brackets wants the popcnt instruction, which x86-64's baseline lacks: a copy
// is made with it too, and the loader picks the one the processor runs. (A free function: clang
// makes no copies of a member function declared without the attribute.)
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("popcnt", "default")]]
#endif
bool scan_engagement_blocks(EngagementScanner& scanner) { return scanner.scan_blocks(); }

bool EngagementCutter::feed(std::string_view window, std::size_t window_at) {
  scanner_->look_at(window, window_at);
  return scan_engagement_blocks(*scanner_);
}

std::optional<BookLayout> EngagementCutter::finish(std::string_view window, std::size_t window_at) {
  if (!feed(window, window_at)) return std::nullopt;
  return scanner_->finish();
}

std::optional<BookLayout> find_engagements(std::string_view json, const std::function<void(std::string_view)>& on_engagement,
                                           Classifier classifier) {
  EngagementCutter cutter(on_engagement, classifier);
  return cutter.finish(json, 0);
}

}  // namespace kontingent::detail
