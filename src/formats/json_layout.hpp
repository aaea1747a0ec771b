#pragma once
// Where a book's engagements sit in its JSON text, found without parsing it.
//
// A parser builds its index of the whole text before reading any of it: for a 100 MB book that is
// hundreds of megabytes of fresh memory, and the kernel handing it out cost more than the parsing.
// Cut at the engagements instead, each engagement is parsed on its own in buffers that stay warm
// in the cache, and engagements can be parsed on several threads.
#include <functional>
#include <optional>
#include <string_view>

namespace kontingent::detail {

struct BookLayout {
  std::string_view head;  ///< the text up to and including the `[` of the top-level "engagements" list
  std::string_view tail;  ///< the text from the list's `]` on
};

/// Cuts a book's text at the elements of its top-level "engagements" list, calling
/// `on_engagement` with each element (`{` to `}`) as soon as it is found. The scan follows only
/// strings and nesting, and trusts nothing else: it returns nullopt unless the text outside
/// strings is shaped as a book's must be — one top-level "engagements" key, spelled without escapes,
/// whose list holds objects separated by commas and white space, and nesting that closes. Whatever
/// it finds still needs parsing: head + tail is the rest of the book with an empty list, and each
/// element is one engagement's JSON.
/// `classifier`: how bytes are sorted into what the scan follows — the fastest way this processor
/// runs, or a given one (for tests, which check that every one it runs cuts alike; one it does not
/// run is replaced by the portable one).
enum class Classifier { fastest, portable, avx2, avx512 };
bool supported(Classifier classifier) noexcept;
std::optional<BookLayout> find_engagements(std::string_view json, const std::function<void(std::string_view)>& on_engagement,
                                           Classifier classifier = Classifier::fastest);

}  // namespace kontingent::detail
