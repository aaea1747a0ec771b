// Invoice drafts (docs/invoicing.md): Book.draft_invoice and the InvoiceDraft it returns. The draft, its tax
// and its documents come from the library (invoice.hpp, writers/invoice.hpp); the binding converts
// them to Python's types and records a draft into the book it came from.
#include "invoice_values.hpp"
#include "kontingent/writers/invoice.hpp"
#include "serialization.hpp"

namespace kontingent::python {
namespace {

Language language_of(const std::string& word) {
  if (auto l = from_name<Language>(word)) return *l;
  throw py::value_error("lang is \"de\" or \"en\", not \"" + word + "\"");
}

Language language_or(const DraftValue& d, const std::optional<std::string>& lang) {
  return lang ? language_of(*lang) : d.language;
}

py::dict line_dict(const DraftLine& line, Language language) {
  py::dict out;
  out["category"] = word_of(line.category);
  out["description"] = line.describe(language);
  out["net"] = line.net;
  out["vat_category"] = word_of(line.vat.category);
  out["vat_percent"] = vat_percent(line.vat);
  return out;
}

py::dict group_dict(const VatGroup& group) {
  py::dict out;
  out["vat_category"] = word_of(group.vat.category);
  out["vat_percent"] = vat_percent(group.vat);
  out["exemption_reason"] = group.vat.exemption_reason;
  out["net"] = group.net;
  out["tax"] = group.tax;
  return out;
}

/// The invoice the draft records, its amounts without currency as Python holds them.
Invoice python_invoice(const InvoiceDraft& d) {
  Invoice i = d.as_invoice();
  rebase(i, no_currency);
  return i;
}

std::string draft_repr(const DraftValue& v) {
  const InvoiceDraft& d = v.draft;
  std::string s = std::string("<InvoiceDraft ") + (d.credit_note ? "(credit note) " : "") + "'" + d.number + "' for '" +
                  d.engagement + "' as of " + format_date(clock_days(d.as_of)) + ": ";
  if (d.empty()) return s + "nothing to " + (d.credit_note ? "credit" : "bill") + ">";
  return s + std::to_string(d.lines.size()) + (d.lines.size() == 1 ? " line" : " lines") + ", net " + d.net.to_display_string() +
         ", tax " + d.tax.to_display_string() + ", total " + d.total.to_display_string() + ">";
}

/// Records `v` into `target` (default: the book it was drafted from); returns the recorded invoice.
Invoice record_value(const DraftValue& v, const py::object& target) {
  py::object book = target;
  if (book.is_none()) book = v.book ? v.book : py::none();
  if (book.is_none())
    throw draft_error("draft \"" + v.draft.number + "\" does not know its book (it was unpickled): name the book, draft.record(book)");
  Book& b = book.cast<Book&>();
  const auto held = changing(b);
  record_draft(b, v.draft);
  return python_invoice(v.draft);
}

}  // namespace

void register_invoice(py::module_& m) {
  auto draft = py::class_<DraftValue>(m, "InvoiceDraft", R"(An invoice (or credit note) drafted from an engagement's leakage (docs/invoicing.md).

    Made by ``Book.draft_invoice``. Money is Decimal in the engagement's currency (``currency``), dates
    are ``datetime.date``; ``lines`` (one dict per billed category: ``category``, ``description``,
    ``net``, ``vat_category``, ``vat_percent``) go straight into ``pandas.DataFrame`` (or use
    ``lines_frame()``); ``vat_groups`` hold the tax per VAT category and percent. ``lang`` (``"de"``
    or ``"en"``) is the language of the descriptions and of the documents (``to_text``,
    ``to_markdown``, ``to_html``, and the HTML Jupyter shows). ``record()`` appends the draft to the
    book it came from.)");
  draft.def_property_readonly("number", [](const DraftValue& v) { return v.draft.number; })
      .def_property_readonly("credit_note", [](const DraftValue& v) { return v.draft.credit_note; })
      .def_property_readonly("refers_to", [](const DraftValue& v) { return py::tuple(py::cast(v.draft.refers_to)); },
                             "Credit notes: the invoices they correct, oldest first (the recorded credit note refers "
                             "to the last); empty for an invoice.")
      .def_property_readonly("date", [](const DraftValue& v) { return v.draft.date; })
      .def_property_readonly("due", [](const DraftValue& v) { return v.draft.due; })
      .def_property_readonly("as_of", [](const DraftValue& v) { return v.draft.as_of; }, "The date of the report drafted from.")
      .def_property_readonly("currency", [](const DraftValue& v) { return std::string(v.draft.currency.code()); })
      .def_property_readonly("engagement", [](const DraftValue& v) { return v.draft.engagement; }, "The engagement's id.")
      .def_property_readonly("engagement_title", [](const DraftValue& v) { return v.draft.engagement_title; })
      .def_property_readonly("seller", [](const DraftValue& v) { return v.draft.seller; }, "The book's owner.")
      .def_property_readonly("buyer", [](const DraftValue& v) { return v.draft.buyer; }, "The engagement's client.")
      .def_property_readonly("lines", [](const DraftValue& v) {
        py::list out;
        for (const DraftLine& line : v.draft.lines) out.append(line_dict(line, v.language));
        return out;
      }, "One dict per line, in category order: category, description (in ``lang``), net (Decimal), vat_category, "
         "vat_percent (Decimal, None without one).")
      .def_property_readonly("vat_groups", [](const DraftValue& v) {
        py::list out;
        for (const VatGroup& g : v.draft.vat_groups) out.append(group_dict(g));
        return out;
      }, "One dict per VAT category and percent: vat_category, vat_percent, exemption_reason, net, tax (rounded once "
         "per group).")
      .def_property_readonly("net", [](const DraftValue& v) { return v.draft.net; })
      .def_property_readonly("tax", [](const DraftValue& v) { return v.draft.tax; })
      .def_property_readonly("total", [](const DraftValue& v) { return v.draft.total; })
      .def_property_readonly("empty", [](const DraftValue& v) { return v.draft.empty(); },
                             "True when there is nothing to bill (or credit): no lines.")
      .def_property(
          "lang", [](const DraftValue& v) { return word_of(v.language); },
          [](DraftValue& v, const std::string& lang) { v.language = language_of(lang); },
          "The language of the descriptions and documents: \"de\" or \"en\".")
      .def("__len__", [](const DraftValue& v) { return v.draft.lines.size(); }, "The number of lines.")
      .def("to_text", [](const DraftValue& v, std::optional<std::string> lang) { return to_text(v.draft, language_or(v, lang)); },
           "lang"_a = py::none(), "The draft as plain text (default: in ``lang``).")
      .def("to_markdown", [](const DraftValue& v, std::optional<std::string> lang) {
        return to_markdown(v.draft, language_or(v, lang));
      }, "lang"_a = py::none(), "The draft as Markdown.")
      .def("to_html", [](const DraftValue& v, std::optional<std::string> lang) { return to_html(v.draft, language_or(v, lang)); },
           "lang"_a = py::none(), "The draft as a complete, printable (A4) HTML page without external resources.")
      .def("_repr_html_", [](const DraftValue& v) { return to_html(v.draft, v.language); })
      .def("to_json", [](const DraftValue& v) { return to_json(v.draft); }, "The draft as kontingent-invoice/1 JSON.")
      .def("to_cii", [](const DraftValue& v) { return py::bytes(to_cii(v.draft)); },
           "The draft as a UN/CEFACT Cross Industry Invoice (EN 16931, D16B) XML document, UTF-8 bytes: type code 380, "
           "381 for a credit note.")
      .def("as_invoice", [](const DraftValue& v) { return python_invoice(v.draft); },
           "The Invoice that record() appends: lines = {category: net}, due = the draft's due date.")
      .def("record", &record_value, "book"_a = py::none(),
           "Appends the draft to the book it was drafted from (or to `book`, e.g. the one Book.update hands you) as an "
           "invoice or credit note, checked like every recorded invoice; returns that Invoice. Raises DraftError, "
           "changing nothing, when the draft is empty or its number is taken.")
      .def("__str__", [](const DraftValue& v) { return to_text(v.draft, v.language); })
      .def("__repr__", &draft_repr);
  add_value_protocol(draft);
  add_pickle(draft);

  auto book = py::reinterpret_borrow<py::class_<Book>>(m.attr("Book"));
  book.def(
          "draft_invoice",
          [](py::object self, const std::string& engagement, std::optional<Date> as_of, std::optional<Date> date,
             std::optional<std::string> number, bool credit, const std::string& lang) {
            const Language language = language_of(lang);
            const Book& b = self.cast<const Book&>();
            if (!b.find_engagement(engagement)) throw py::key_error("no engagement \"" + engagement + "\" in this book");
            DraftOptions options{date, std::move(number)};
            DraftValue v;
            {
              const auto held = reading(b);
              py::gil_scoped_release unlocked;
              const std::optional<Date> day = as_of ? as_of : default_as_of(b);
              v.draft = credit ? draft_credit_note(b, engagement, *day, options) : draft_invoice(b, engagement, *day, options);
            }
            v.language = language;
            v.book = std::move(self);
            return v;
          },
          "engagement"_a, "as_of"_a = py::none(), py::kw_only(), "date"_a = py::none(), "number"_a = py::none(),
          "credit"_a = false, "lang"_a = "de",
          "Drafts the invoice for the engagement's positive leakage as of `as_of` (default: the book's latest event, "
          "docs/formats.md), or with credit=True the credit note for its overbilling: an InvoiceDraft, empty when there is "
          "nothing to bill. `date` defaults to the as-of date, `number` to the owner's invoice_prefix and the next free "
          "number. Never changes the book: draft.record() does. Raises KeyError for an unknown engagement and "
          "DraftError when the book has no owner, the engagement no VAT or has not started, or the number is taken.")
      .def("next_invoice_number", [](const Book& b) { return next_invoice_number(b); },
           "The owner's invoice_prefix followed by the next free number (\"RE-2026-0008\" after \"RE-2026-0007\").");
}

}  // namespace kontingent::python
