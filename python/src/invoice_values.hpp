#pragma once
// Python's view of an invoice draft (docs/invoicing.md): the library's InvoiceDraft, the language it is shown
// in, and the book it was drafted from (where record() appends it).
#include "common.hpp"
#include "kontingent/invoice.hpp"

namespace kontingent::python {

struct DraftValue {
  InvoiceDraft draft;
  Language language = Language::de;
  /// The Book the draft came from; empty for a draft that was unpickled (a pickle does not carry the
  /// book): record() then needs the book named.
  py::object book;
  friend bool operator==(const DraftValue& a, const DraftValue& b) {
    return a.draft == b.draft && a.language == b.language;
  }
};

}  // namespace kontingent::python
