#pragma once
#include <string_view>
#include <vector>

#include "kontingent/engagement.hpp"

namespace kontingent {

/// All clients and engagements of one freelancer or studio.
struct Book {
  std::vector<Client> clients;
  std::vector<Engagement> engagements;

  const Client* find_client(std::string_view id) const noexcept {
    for (const Client& c : clients)
      if (c.id == id) return &c;
    return nullptr;
  }
  const Engagement* find_engagement(std::string_view id) const noexcept {
    for (const Engagement& e : engagements)
      if (e.id == id) return &e;
    return nullptr;
  }
  friend bool operator==(const Book&, const Book&) = default;
};

/// Checks the rules of SPEC §7 that concern meaning rather than spelling (unique ids, references,
/// entry/request agreement, dates, non-negative money). Throws validation_error naming the first
/// problem's place; every reader calls it, so a book is valid however it was made.
void validate(const Book& book);

namespace detail {
/// validate() in two parts, for readers that check engagements as they read them, on several
/// threads: the rules of one engagement on its own (that of index `index` in its book), and the
/// rules across the book. Both parts passing is validate() passing; the problem either finds may
/// not be the first in the book, so a reader that wants that one calls validate() once it failed.
void validate_engagement(const Engagement& engagement, std::size_t index);
void validate_across(const Book& book);
}  // namespace detail

}  // namespace kontingent
