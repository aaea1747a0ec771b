#pragma once
// Invoice drafts (docs/invoicing.md): the leakage of an engagement turned into an invoice, or its
// overbilling into a credit note, with the evidence on every line, tax per VAT group and the
// parties. A draft is a value: writers print it (text, Markdown, HTML, kontingent-invoice/1 JSON,
// CII e-invoice XML), record_draft() appends it to the book. The amounts come from evaluate();
// no billing rule is written here.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/language.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

/// One line: the leakage of one category, as a lump sum (quantity 1, unit code LS, unit price = net).
struct DraftLine {
  Category category = Category::base;
  Money net;
  Vat vat;
  /// What the line charges and why, from the report and the terms, per Language.
  std::array<std::string, 2> description;

  const std::string& describe(Language language) const { return description[static_cast<std::size_t>(language)]; }
  friend bool operator==(const DraftLine&, const DraftLine&) = default;
};

/// The lines of one VAT category and percent, and their tax, rounded once for the group.
struct VatGroup {
  Vat vat;
  Money net;
  Money tax;
  friend bool operator==(const VatGroup&, const VatGroup&) = default;
};

struct InvoiceDraft {
  std::string number;
  bool credit_note = false;
  /// Credit notes: the invoices whose overbilled categories they take back, oldest first; the
  /// recorded credit note refers to the last of them.
  std::vector<std::string> refers_to;
  Date date;
  Date due;
  Date as_of;  ///< the report the draft comes from
  Currency currency;
  std::string engagement;        ///< its id
  std::string engagement_title;  ///< may be empty
  Owner seller;
  Client buyer;
  std::vector<DraftLine> lines;      ///< in category order
  std::vector<VatGroup> vat_groups;  ///< in the order of their first line
  Money net;    ///< Σ lines
  Money tax;    ///< Σ groups' tax
  Money total;  ///< net + tax

  bool empty() const noexcept { return lines.empty(); }
  /// The invoice the book records: `lines` = {category, net}, due = `due`.
  Invoice as_invoice() const;
  friend bool operator==(const InvoiceDraft&, const InvoiceDraft&) = default;
};

struct DraftOptions {
  std::optional<Date> date;           ///< default: the as-of date
  std::optional<std::string> number;  ///< default: next_invoice_number()
};

/// The invoice for an engagement's positive leakage at `as_of` (docs/invoicing.md); a draft without lines
/// when nothing is left to bill. Throws draft_error when the book has no owner, the engagement no
/// VAT (neither its terms nor the owner say), the number is taken, or the engagement is unknown or
/// has not started by `as_of`.
InvoiceDraft draft_invoice(const Book& book, std::string_view engagement, Date as_of, const DraftOptions& options = {});

/// The credit note for an engagement's negative leakage (overbilled) at `as_of`, amounts positive.
InvoiceDraft draft_credit_note(const Book& book, std::string_view engagement, Date as_of, const DraftOptions& options = {});

/// The owner's invoice_prefix followed by the next free number: one more than the largest number
/// any invoice id with that prefix carries, as wide as the widest such number ("RE-2026-0008" after
/// "RE-2026-0007"); prefix + "1" when there is none.
std::string next_invoice_number(const Book& book);

/// Appends the draft to its engagement as an invoice (or credit note), checked as record() checks
/// any invoice. Throws draft_error, changing nothing, when the draft is empty, its number is taken
/// (by an invoice recorded since it was drafted), or the report at its as-of date could not count
/// it: the draft is dated after its as-of date, or the engagement has an invoice dated after it
/// (billing again as of that date would bill the same leakage twice); or when `book` is not the
/// book it was drafted from and its leakage at the as-of date is no longer what the draft settles
/// (another writer invoiced or logged meanwhile: draft again).
void record_draft(Book& book, const InvoiceDraft& draft);

}  // namespace kontingent
