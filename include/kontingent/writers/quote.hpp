#pragma once
// Quotes for people (text) and programs (JSON).
#include <string>

#include "kontingent/quote.hpp"

namespace kontingent {

/// The price, the categories it falls in and the facts behind it.
std::string to_text(const Quote& quote);
/// `{"format": "kontingent-quote/1", "engagement", "currency", "as_of", "price": {7 categories}, "total", "facts": [...]}`.
std::string to_json(const Quote& quote);

}  // namespace kontingent
