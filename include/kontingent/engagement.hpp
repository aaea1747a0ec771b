#pragma once
#include <optional>
#include <string>

#include "kontingent/journal.hpp"
#include "kontingent/terms.hpp"

namespace kontingent {

/// Who pays.
struct Client {
  std::string id;
  std::string name;
  std::string channel;  ///< how they found you: website, referral, social, …
  friend bool operator==(const Client&, const Client&) = default;
};

/// One agreement with one client: its terms and everything that happened.
struct Engagement {
  std::string id;
  std::string client;  ///< id of a client of the book
  std::string title;
  Currency currency;
  Date start;
  std::optional<Date> end;
  std::optional<Date> review_by;
  Terms terms;
  Journal journal;
  friend bool operator==(const Engagement&, const Engagement&) = default;
};

}  // namespace kontingent
