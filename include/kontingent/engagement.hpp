#pragma once
#include <optional>
#include <string>

#include "kontingent/journal.hpp"
#include "kontingent/parties.hpp"
#include "kontingent/terms.hpp"

namespace kontingent {

/// Who pays.
struct Client {
  std::string id;
  std::string name;
  std::string channel;  ///< how they found you: website, referral, social, …
  // Book version 2 (docs/formats.md, book version 2): what an invoice to this client needs.
  std::optional<Address> address;
  std::string vat_id;
  std::string email;
  std::string buyer_reference;  ///< the client's reference for its invoices, e.g. a Leitweg-ID
  std::optional<std::int64_t> payment_days;  ///< absent: default_payment_days

  std::int64_t days_to_pay() const noexcept { return payment_days.value_or(default_payment_days); }
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

/// A copy of the engagement with everything but its entries, which are the bulk of a book: what
/// checking new events against it needs, cheaply.
inline Engagement without_entries(const Engagement& e) {
  Engagement copy;
  copy.id = e.id, copy.client = e.client, copy.title = e.title, copy.currency = e.currency;
  copy.start = e.start, copy.end = e.end, copy.review_by = e.review_by, copy.terms = e.terms;
  copy.journal.requests = e.journal.requests;
  copy.journal.appointments = e.journal.appointments;
  copy.journal.invoices = e.journal.invoices;
  copy.journal.payments = e.journal.payments;
  return copy;
}

}  // namespace kontingent
