#pragma once
// Invoice drafts for people (text, Markdown, a printable A4 HTML page), for programs
// (kontingent-invoice/1 JSON) and for the client's invoicing system (UN/CEFACT CII, EN 16931).
#include <string>

#include "kontingent/invoice.hpp"

namespace kontingent {

std::string to_text(const InvoiceDraft& draft, Language language);
std::string to_markdown(const InvoiceDraft& draft, Language language);
/// A complete HTML page, A4 when printed, with no external resources.
std::string to_html(const InvoiceDraft& draft, Language language);
/// `kontingent-invoice/1`, documented in docs/invoicing.md.
std::string to_json(const InvoiceDraft& draft);
/// The draft as a UN/CEFACT Cross Industry Invoice (D16B, EN 16931 profile): type code 380, or 381
/// for a credit note.
std::string to_cii(const InvoiceDraft& draft);

}  // namespace kontingent
