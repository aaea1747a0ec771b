#pragma once
// Where a book's engagements sit in its JSON text, found without parsing it.
//
// A parser builds its index of the whole text before reading any of it: for a 100 MB book that is
// hundreds of megabytes of fresh memory, and the kernel handing it out cost more than the parsing.
// Cut at the engagements instead, each engagement is parsed on its own in buffers that stay warm
// in the cache, and engagements can be parsed on several threads.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kontingent::detail {

/// The book around its engagements: the text up to and including the `[` of the top-level
/// "engagements" list, and from the list's `]` on. head + tail is the book with an empty list.
struct BookLayout {
  std::string head, tail;
};

/// How bytes are sorted into what the scan follows — the fastest way this processor runs, or a
/// given one (for tests, which check that every one it runs cuts alike; one it does not run is
/// replaced by the portable one).
enum class Classifier { fastest, portable, avx2, avx512 };
bool supported(Classifier classifier) noexcept;

/// Cuts a book's text at the elements of its top-level "engagements" list, calling
/// `on_engagement` with each element (`{` to `}`) as soon as it is found. The scan follows only
/// strings and nesting, and trusts nothing else: it fails unless the text outside strings is
/// shaped as a book's must be — one top-level "engagements" key, spelled without escapes, whose
/// list holds objects separated by commas and white space, and nesting that closes. Whatever it
/// finds still needs parsing: each element is one engagement's JSON, and the layout the rest.
///
/// The text may come a piece at a time (a file read into buffers that are used again): feed()
/// each time more of it is in `window`, which holds the text from offset `window_at` on and must
/// start no later than keep_from() — the text the cut still looks back at. The views passed to
/// `on_engagement` point into the window they were found in.
class EngagementCutter {
 public:
  explicit EngagementCutter(std::function<void(std::string_view)> on_engagement, Classifier classifier = Classifier::fastest);
  ~EngagementCutter();
  EngagementCutter(const EngagementCutter&) = delete;
  EngagementCutter& operator=(const EngagementCutter&) = delete;

  /// Cuts what `window` holds beyond what was cut before, in whole blocks of 64 bytes; false if
  /// the text is not laid out as a book's.
  bool feed(std::string_view window, std::size_t window_at);
  /// The offset of the first byte of the text still needed: the window may start there.
  std::size_t keep_from() const noexcept;
  /// The end of the text is in `window`: cuts the rest, and returns the layout if the text is a book's.
  std::optional<BookLayout> finish(std::string_view window, std::size_t window_at);

 private:
  std::unique_ptr<class EngagementScanner> scanner_;
};

/// The whole of `json` cut at once.
std::optional<BookLayout> find_engagements(std::string_view json, const std::function<void(std::string_view)>& on_engagement,
                                           Classifier classifier = Classifier::fastest);

}  // namespace kontingent::detail
