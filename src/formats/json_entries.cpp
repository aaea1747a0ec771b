// The plain entry list reader (json_entries.hpp). It follows RFC 8259's grammar for the subset it
// accepts, so that whatever it reads is JSON that simdjson and json_read.cpp would read the same way.
#include "formats/json_entries.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string>

#include <simdjson.h>

#include "formats/json_types.hpp"
#include "kontingent/detail/text.hpp"
#include "kontingent/detail/time_format.hpp"
#include "kontingent/names.hpp"

namespace kontingent::detail {
namespace {

enum Field : unsigned { start = 1, end = 2, minutes = 4, kind = 8, request = 16, note = 32, unknown = 0 };

/// `text` == `word`, compared inline: with the length known when compiling, no call to memcmp.
template <std::size_t N>
bool is(std::string_view text, const char (&word)[N]) noexcept {
  return text.size() == N - 1 && std::memcmp(text.data(), word, N - 1) == 0;
}

Field field_named(std::string_view key) noexcept {
  switch (key.size()) {
    case 3: return is(key, "end") ? end : unknown;
    case 4: return is(key, "kind") ? kind : is(key, "note") ? note : unknown;
    case 5: return is(key, "start") ? start : unknown;
    case 7: return is(key, "minutes") ? minutes : is(key, "request") ? request : unknown;
    default: return unknown;
  }
}

#if defined(__SSE2__)
// Sixteen bytes at a time: white space in a pretty-printed book comes in runs, and a loop over them
// byte by byte mispredicts where each run ends. Bit i of a mask stands for the byte at p + i.
std::uint32_t mask_of(__m128i hits) noexcept { return static_cast<std::uint32_t>(_mm_movemask_epi8(hits)); }
__m128i load16(const char* p) noexcept { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
std::uint32_t white_space_in16(const char* p) noexcept {
  const __m128i v = load16(p);
  return mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                              _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')))));
}
/// Quotes, and bytes a plain string cannot hold: backslashes, controls and (as negative signed
/// bytes) everything beyond ASCII.
void string_bytes_in16(const char* p, std::uint32_t& quotes, std::uint32_t& not_plain) noexcept {
  const __m128i v = load16(p);
  quotes = mask_of(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
  not_plain = mask_of(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')), _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))));
}
/// Where a run of a string's text ends (a quote, a backslash or a control), and its bytes beyond ASCII.
void string_run_in16(const char* p, std::uint32_t& stops, std::uint32_t& beyond_ascii) noexcept {
  const __m128i v = load16(p);
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));  // at most 0x1F
  stops = mask_of(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))), control));
  beyond_ascii = mask_of(v);
}
#endif

constexpr auto white_space = [] {
  std::array<bool, 256> table{};
  for (const unsigned char c : {' ', '\n', '\r', '\t'}) table[c] = true;
  return table;
}();

/// The text between two tokens of an entry list — white space and punctuation, and a key with its
/// colon — as last seen at the same point. A writer repeats it byte for byte from one entry to the
/// next, so the reader compares it at once before reading it a character at a time. What it means
/// follows from its bytes alone: the grammar was checked when it was learned.
class Gap {
 public:
  static constexpr std::size_t capacity = 32;

  /// Remembers the text of [from, to) as this gap, which leads to `field` (unknown: to no key).
  void learn(const char* from, const char* to, Field field) noexcept {
    const auto size = static_cast<std::size_t>(to - from);
    size_ = size <= capacity ? static_cast<std::uint8_t>(size) : 0;  // longer gaps are not worth it
    std::memcpy(bytes_.data(), from, size_);
    field_ = field;
  }
  std::size_t size() const noexcept { return size_; }
  const char* data() const noexcept { return bytes_.data(); }
  Field field() const noexcept { return field_; }

 private:
  std::array<char, capacity> bytes_{};
  std::uint8_t size_ = 0;  // 0: nothing learned
  Field field_ = unknown;
};

class Cursor {
 public:
  explicit Cursor(std::string_view text) noexcept : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  std::size_t offset() const noexcept { return static_cast<std::size_t>(p_ - begin_); }
  const char* position() const noexcept { return p_; }
  void back_to(const char* position) noexcept { p_ = position; }
  void skip_space() noexcept {
    if (p_ == end_ || !white_space[static_cast<unsigned char>(*p_)]) return;  // none: the usual case
    if (end_ - p_ >= 2 && !white_space[static_cast<unsigned char>(p_[1])]) {  // one, as in `"kind": "call"`
      ++p_;
      return;
    }
#if defined(__SSE2__)
    for (; end_ - p_ >= 16; p_ += 16)
      if (const std::uint32_t other = ~white_space_in16(p_) & 0xffff) {
        p_ += std::countr_zero(other);
        return;
      }
#endif
    while (p_ < end_ && white_space[static_cast<unsigned char>(*p_)]) ++p_;
  }
  bool take(char c) noexcept {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  /// A string with no escape, control character or byte beyond ASCII: its content as written.
  std::optional<std::string_view> plain_string() noexcept {
    if (!take('"')) return std::nullopt;
#if defined(__SSE2__)
    for (const char* q = p_; end_ - q >= 16; q += 16) {
      std::uint32_t quotes = 0, not_plain = 0;
      string_bytes_in16(q, quotes, not_plain);
      if (quotes == 0) {
        if (not_plain != 0) return std::nullopt;
        continue;
      }
      const int length = std::countr_zero(quotes);
      if ((not_plain & ((std::uint32_t{1} << length) - 1)) != 0) return std::nullopt;
      const std::string_view text(p_, static_cast<std::size_t>(q + length - p_));
      p_ = q + length + 1;
      return text;
    }
#endif
    // The last bytes of the list, or without SSE2.
    const auto* close = static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
    if (!close) return std::nullopt;
    // No early exit: the loop is then a few vector instructions for the whole string.
    bool plain = true;
    for (const char* q = p_; q < close; ++q) {
      const auto c = static_cast<unsigned char>(*q);
      plain &= c != '\\' && static_cast<unsigned char>(c - 0x20) < 0x60;  // 0x20 … 0x7f
    }
    if (!plain) return std::nullopt;
    const std::string_view text(p_, static_cast<std::size_t>(close - p_));
    p_ = close + 1;
    return text;
  }
  /// A string as JSON means it: plain, or with escapes and UTF-8 beyond ASCII, decoded into
  /// `decoded` (the note of a tracker's export: quotes, new lines, accents), which the view returned
  /// is then of (its first bytes: `decoded` is kept long, as room to write in). Nullopt where
  /// simdjson might read the text otherwise or refuse it (a control character, a lone surrogate,
  /// bytes that are not UTF-8): simdjson then reads it and names the problem.
  std::optional<std::string_view> any_string(std::string& decoded) {
    const char* const opening = p_;
    if (auto text = plain_string()) return text;
    p_ = opening;
    if (!take('"')) return std::nullopt;
    // Written through a pointer, with room for 16 bytes and an escape's 4 ahead of it: a run of
    // plain bytes is copied 16 at a time, past its end, and what follows writes over the excess.
    constexpr std::size_t room = 32;
    if (decoded.size() < 2 * room) decoded.resize(2 * room);
    std::size_t length = 0;
    bool ascii = true;
    for (;;) {
      if (decoded.size() - length < room) decoded.resize(2 * decoded.size());
#if defined(__SSE2__)
      if (end_ - p_ >= 16) {
        std::uint32_t stops = 0, beyond_ascii = 0;
        string_run_in16(p_, stops, beyond_ascii);
        std::memcpy(decoded.data() + length, p_, 16);
        const int n = std::countr_zero(stops | 0x10000);  // 16: no stop in these bytes
        ascii &= (beyond_ascii & ((std::uint32_t{1} << n) - 1)) == 0;
        p_ += n, length += static_cast<std::size_t>(n);
        if (n == 16) continue;
      }
#endif
      if (p_ == end_) return std::nullopt;
      const auto c = static_cast<unsigned char>(*p_++);
      if (c != '"' && c != '\\' && c >= 0x20) {  // the last bytes of the text, or without SSE2: one at a time
        ascii &= c < 0x80;
        decoded[length++] = static_cast<char>(c);
        continue;
      }
      if (c == '"') {
        const std::string_view text(decoded.data(), length);
        if (!ascii && !simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
        return text;
      }
      if (c < 0x20 || p_ == end_) return std::nullopt;  // a control character; a backslash, and nothing it escapes
      char* const out = decoded.data() + length;
      switch (*p_++) {
        case '"': *out = '"'; break;
        case '\\': *out = '\\'; break;
        case '/': *out = '/'; break;
        case 'b': *out = '\b'; break;
        case 'f': *out = '\f'; break;
        case 'n': *out = '\n'; break;
        case 'r': *out = '\r'; break;
        case 't': *out = '\t'; break;
        case 'u': {
          auto code = hex4();
          if (!code || (*code >= 0xDC00 && *code <= 0xDFFF)) return std::nullopt;
          if (*code >= 0xD800 && *code <= 0xDBFF) {  // a high surrogate: only with its low one
            if (!take('\\') || !take('u')) return std::nullopt;
            const auto low = hex4();
            if (!low || *low < 0xDC00 || *low > 0xDFFF) return std::nullopt;
            code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
          }
          length += put_utf8(out, static_cast<char32_t>(*code));
          continue;
        }
        default: return std::nullopt;
      }
      ++length;
    }
  }

  /// A key and its colon as a compact writer puts them, `"kind":`: the field it names, and the
  /// cursor after the colon. Unknown, and the cursor where it was, for anything else.
  Field compact_key() noexcept {
    if (end_ - p_ < 16 || *p_ != '"') return unknown;
    const auto is_next = [&](const auto& key, Field field) {
      constexpr std::size_t n = sizeof key - 1;
      if (std::memcmp(p_, key, n) != 0) return unknown;
      p_ += n;
      return field;
    };
    switch (p_[1]) {
      case 'e': return is_next("\"end\":", Field::end);
      case 'k': return is_next("\"kind\":", Field::kind);
      case 's': return is_next("\"start\":", Field::start);
      case 'm': return is_next("\"minutes\":", Field::minutes);
      case 'r': return is_next("\"request\":", Field::request);
      case 'n': return is_next("\"note\":", Field::note);
      default: return unknown;
    }
  }
  /// Minutes as json_read.cpp takes them: an integer from 1 to 10000000, in plain digits.
  std::optional<std::int64_t> minutes() noexcept {
    if (p_ == end_ || *p_ < '1' || *p_ > '9') return std::nullopt;  // no sign, no leading zero
    std::int64_t n = 0;
    for (int digits = 0; p_ < end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
      if (++digits > 8) return std::nullopt;
      n = n * 10 + (*p_ - '0');
    }
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return std::nullopt;  // a fraction or exponent: a double
    if (n > largest_count) return std::nullopt;
    return n;
  }
  /// Steps over `gap` if the text goes on with it.
  bool skip(const Gap& gap) noexcept {
    const std::size_t n = gap.size();
    if (n == 0 || static_cast<std::size_t>(end_ - p_) < Gap::capacity) return false;
#if defined(__SSE2__)
    const std::uint32_t same = mask_of(_mm_cmpeq_epi8(load16(p_), load16(gap.data()))) |
                               mask_of(_mm_cmpeq_epi8(load16(p_ + 16), load16(gap.data() + 16))) << 16;
    const std::uint32_t wanted = n == Gap::capacity ? ~std::uint32_t{0} : (std::uint32_t{1} << n) - 1;
    if ((same & wanted) != wanted) return false;
#else
    if (std::memcmp(p_, gap.data(), n) != 0) return false;
#endif
    p_ += n;
    return true;
  }
  /// A time: every valid one takes parse_clock_time's fast path (tests/cpp/time_test.cpp), so
  /// anything else is declined, for the full parser to name.
  std::optional<ClockSeconds> time() noexcept {
    ClockSeconds t = 0;
    // A valid time is 16 or 19 digits and marks, with no quote among them: a quote after 16 says
    // which, without a search for it or a branch on it (books mix both).
    if (end_ - p_ > 20 && *p_ == '"') {
      const std::size_t n = p_[17] == '"' ? 16 : 19;
      if (p_[n + 1] == '"' && parse_clock_time({p_ + 1, n}, t, &last_month_)) {
        p_ += n + 2;
        return t;
      }
    }
    const auto text = plain_string();
    if (!text || !parse_clock_time(*text, t, &last_month_)) return std::nullopt;
    return t;
  }

 private:
  std::optional<std::uint32_t> hex4() noexcept {
    if (end_ - p_ < 4) return std::nullopt;
    const auto code = hex4_value(p_);
    if (code) p_ += 4;
    return code;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  LastMonth last_month_;  // an entry's start and end, and the next entry's, are mostly of one month
};

/// The gaps of one list: after `{` and after each field's value (by bit of the field), before `}`,
/// and between `}` and the next `{`.
struct Gaps {
  std::array<Gap, 7> after;
  Gap close, between;
  static std::size_t after_field(Field f) noexcept { return static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(f))) + 1; }
};

/// The requests an entry list names, numbered in the order first named (PlainEntryList).
class RequestNumbers {
 public:
  explicit RequestNumbers(std::vector<std::string_view>& ids) noexcept : ids_(ids) { ids_.clear(); }
  RequestIndex operator()(std::string_view id) {
    // Entries mostly come in runs on one request, and an engagement has few.
    if (last_ != no_request && same_word(id, ids_[static_cast<std::size_t>(last_)])) return last_;
    const auto known = std::find_if(ids_.begin(), ids_.end(), [&](std::string_view named) { return same_word(id, named); });
    last_ = static_cast<RequestIndex>(known - ids_.begin());
    if (known == ids_.end()) ids_.push_back(id);
    return last_;
  }

 private:
  std::vector<std::string_view>& ids_;
  RequestIndex last_ = no_request;
};

/// Reads one entry's fields and its `}` (the `{` is read) into `list`.
bool read_plain_entry(Cursor& c, Gaps& gaps, RequestNumbers& request_number, PlainEntryList& list) {
  unsigned seen = 0;
  ClockSeconds start_time = 0, end_time = 0;
  std::int64_t minute_count = 0;
  EntryKind entry_kind = EntryKind::scope;
  RequestIndex on_request = no_request;
  std::string_view note_text;
  std::size_t previous = 0;  // index into gaps.after: where this gap starts
  for (;;) {
    Field field = unknown;
    Gap& gap = gaps.after[previous];
    // Compact JSON, as most programs write it: a key right after `{` or `,` (or `, `, as Python's
    // json.dumps puts it), matched as such. The learned gaps are for white space that repeats
    // entry after entry.
    if (previous != 0 && c.take('}')) break;
    const char* const before = c.position();
    const bool compact = (previous == 0 || (c.take(',') && (c.take(' '), true))) && (field = c.compact_key()) != unknown;
    if (!compact) {
      c.back_to(before);
      if (c.skip(gap)) {
        field = gap.field();
      } else if (previous != 0 && c.skip(gaps.close)) {
        break;
      } else {
        const char* const from = c.position();
        c.skip_space();
        if (previous != 0) {
          if (c.take('}')) {
            gaps.close.learn(from, c.position(), unknown);
            break;
          }
          if (!c.take(',')) return false;
          c.skip_space();
        }
        field = c.compact_key();
        if (field == unknown) {
          const auto key = c.plain_string();
          if (!key) return false;  // also `{}` and a comma before `}`
          field = field_named(*key);
          if (field == unknown) return false;
          c.skip_space();
          if (!c.take(':')) return false;
        }
        c.skip_space();
        gap.learn(from, c.position(), field);
      }
    }
    if ((seen & field) != 0) return false;
    seen |= field;
    c.skip_space();  // what a learned gap may have left: nothing, mostly
    switch (field) {
      case start:
      case end: {
        const auto t = c.time();
        if (!t) return false;
        (field == start ? start_time : end_time) = *t;
        break;
      }
      case minutes: {
        const auto m = c.minutes();
        if (!m) return false;
        minute_count = *m;
        break;
      }
      case kind: {
        const auto word = c.plain_string();
        const auto k = word ? from_name<EntryKind>(*word) : std::nullopt;
        if (!k) return false;
        entry_kind = *k;
        break;
      }
      case request: {
        const auto id = c.plain_string();
        if (!id) return false;
        on_request = request_number(*id);
        break;
      }
      case note: {
        const auto text = c.any_string(list.decoded);
        if (!text) return false;
        note_text = *text;
        break;
      }
      case unknown: return false;
    }
    previous = Gaps::after_field(field);
  }
  const bool has_minutes = (seen & minutes) != 0;
  if ((seen & start) == 0 || (seen & kind) == 0 || has_minutes == ((seen & end) != 0)) return false;
  list.entries.push_back(start_time, has_minutes ? 60 * minute_count : end_time - start_time, entry_kind, on_request,
                         note_text, has_minutes);
  return true;
}

}  // namespace

std::optional<std::size_t> find_entry_list(std::string_view engagement) {
  constexpr std::string_view key = "\"entries\"";
  for (std::size_t at = engagement.find(key); at != std::string_view::npos; at = engagement.find(key, at + 1)) {
    Cursor c(engagement.substr(at + key.size()));
    c.skip_space();
    if (!c.take(':')) continue;
    c.skip_space();
    const std::size_t list = at + key.size() + c.offset();
    if (c.take('[')) return list;
  }
  return std::nullopt;
}

std::optional<std::size_t> read_plain_entry_list(std::string_view text, PlainEntryList& list) {
  list.entries.clear();
  RequestNumbers request_number(list.request_ids);
  Cursor c(text);
  if (!c.take('[')) return std::nullopt;
  c.skip_space();
  if (c.take(']')) return c.offset();
  if (!c.take('{')) return std::nullopt;
  Gaps gaps;
  for (;;) {
    if (!read_plain_entry(c, gaps, request_number, list)) return std::nullopt;
    if (c.skip(gaps.between)) continue;
    const char* const from = c.position();
    c.skip_space();
    if (c.take(']')) return c.offset();
    if (!c.take(',')) return std::nullopt;
    c.skip_space();
    if (!c.take('{')) return std::nullopt;
    gaps.between.learn(from, c.position(), unknown);
  }
}

}  // namespace kontingent::detail
