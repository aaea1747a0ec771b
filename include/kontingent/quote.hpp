#pragma once
// Quotes (docs/cli.md, quote): what an event costs under the engagement's terms and history, said at the
// moment the client asks — a third revision round, a fourth call, a request due tomorrow. A quote
// is evaluate(engagement + events) − evaluate(engagement) at one as-of date, per category: no
// billing rule is written here, so the quote is exactly what recording the events will add.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/record.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

struct Quote {
  std::string engagement;
  Currency currency;
  Date as_of;                ///< both evaluations are as of this date
  CategoryAmounts price;     ///< billable with the events − billable without, per category
  Money total;               ///< Σ price
  /// Sentences that explain the price from the terms and the history ("revision round 3, 2
  /// included: an extra round at 350.00 EUR flat"; "due in 24 h, less than the 48 h lead time: …").
  std::vector<std::string> facts;
  EngagementReport before;   ///< the engagement's report without the events
  EngagementReport after;    ///< and with them
  friend bool operator==(const Quote&, const Quote&) = default;
};

/// The quote of `events` — all of one engagement, none of them in the book yet (a new request and
/// the expected work on it, a call, a missed appointment, …) — as of `as_of` (default: the later
/// of the book's default as-of date and the latest event's date). Never changes the book. Throws
/// validation_error, as record() does, when an event could not be recorded, and when an event is
/// dated after `as_of`: a report as of that date would not count it, so its price would be 0.
Quote quote(const Book& book, std::span<const Event> events, std::optional<Date> as_of = std::nullopt);

/// An event as a person names it: "a call at 2026-07-01T09:00", "a revision request at …", "a
/// missed appointment at …".
std::string event_name(const Event& event);

/// The day an event belongs to (docs/formats.md, report): an entry's start, a request's receipt, an appointment's `at`,
/// an invoice's or a payment's date.
Date event_date(const Event& event);

}  // namespace kontingent
