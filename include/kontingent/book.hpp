#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/engagement.hpp"

namespace kontingent {

/// All clients and engagements of one freelancer or studio.
struct Book {
  std::vector<Client> clients;
  std::vector<Engagement> engagements;
  std::optional<Owner> owner;  ///< the seller (book version 2); required to draft an invoice

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
  /// The VAT of an engagement's invoices: its terms' own, else the owner's (docs/formats.md, book version 2).
  std::optional<Vat> vat_of(const Engagement& e) const {
    if (e.terms.vat) return e.terms.vat;
    return owner ? owner->vat : std::nullopt;
  }
  friend bool operator==(const Book&, const Book&) = default;
};

/// The place of the first field of book version 2 (docs/formats.md, book version 2) the book uses, like
/// `clients[0].vat_id`; empty when it has none. Writers keep "kontingent-book/1" for a book
/// without one, and a reader refuses one in a book that says it is version 1.
std::string first_version_2_field(const Book& book);

/// The format word a writer puts in the book: version 1 while no version 2 field is used.
inline std::string_view book_format_word(const Book& book) {
  return first_version_2_field(book).empty() ? "kontingent-book/1" : "kontingent-book/2";
}

/// Checks the rules of a valid book (docs/formats.md) that concern meaning rather than spelling (unique ids, references,
/// entry/request agreement, dates, non-negative money). Throws validation_error naming the first
/// problem's place; every reader calls it, so a book is valid however it was made.
void validate(const Book& book);

/// What a reader hands each engagement to as soon as it has read it and checked it on its own
/// (load_book(file, each)): the engagement's index in the book and the engagement, which the callee
/// may change (ReportWhileReading lets its entries go). Called on the threads that read the book.
using EachEngagement = std::function<void(std::size_t index, Engagement& engagement)>;

namespace detail {
/// How many entries the book's engagements hold in all.
inline std::size_t entry_count(const Book& book) {
  std::size_t entries = 0;
  for (const Engagement& e : book.engagements) entries += e.journal.entries.size();
  return entries;
}

/// `each` of every engagement of a book read whole, on one thread per core as its entries pay off.
void each_engagement(Book& book, const EachEngagement& each);

/// validate() in two parts, for readers that check engagements as they read them, on several
/// threads: the rules of one engagement on its own (that of index `index` in its book), and the
/// rules across the book. Both parts passing is validate() passing; the problem either finds may
/// not be the first in the book, so a reader that wants that one calls validate() once it failed.
void validate_engagement(const Engagement& engagement, std::size_t index);
void validate_across(const Book& book);
}  // namespace detail

}  // namespace kontingent
