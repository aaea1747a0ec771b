// The draft as an e-invoice: UN/CEFACT Cross Industry Invoice D16B, EN 16931 profile (docs/invoicing.md).
// The element order is the D16B schema's; every choice below that is not plain mapping exists for
// a rule of EN 16931 that receivers enforce, and names it.
#include <boost/date_time/gregorian/gregorian.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "kontingent/writers/invoice.hpp"

namespace kontingent {
namespace {

/// Element text and attribute values: the five markup characters as entities, UTF-8 passed
/// through. XML 1.0 cannot carry C0 controls other than tab and newlines, not even as
/// references, so they become U+FFFD instead of making the file unreadable.
std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\t':
      case '\n':
      case '\r': out += c; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += "\xEF\xBF\xBD";
        else out += c;
    }
  return out;
}

/// "19", "5.5", "0": CII percentages are plain decimals.
std::string decimal_percent(std::int64_t micro_percent) {
  std::string text = std::to_string(micro_percent / 1'000'000);
  if (const std::int64_t fraction = micro_percent % 1'000'000; fraction != 0) {
    std::string digits = std::to_string(1'000'000 + fraction).substr(1);
    while (digits.back() == '0') digits.pop_back();
    text += '.' + digits;
  }
  return text;
}

/// Format 102 of UN/EDIFACT 2379: CCYYMMDD.
std::string date_102(const Date& d) { return boost::gregorian::to_iso_string(d); }

/// BR-CO-09: a VAT identifier starts with the ISO 3166-1 code of its country, Greece's with EL and
/// Northern Ireland's with XI. The rule's list lacks South Sudan (SS), so that prefix is refused.
bool has_country_prefix(std::string_view vat_id) {
  const std::string_view prefix = vat_id.substr(0, 2);
  return prefix == "EL" || prefix == "XI" || (is_country_code(prefix) && prefix != "SS");
}

/// What a book may lack although it is valid, and an e-invoice cannot do without; the message
/// says what to add. The book's own rules already guarantee the rest (countries, exemption
/// reasons, the client's VAT id for reverse charge).
void check_can_write(const InvoiceDraft& d) {
  const auto refuse = [&](const std::string& why) { throw draft_error("cannot write invoice \"" + d.number + "\" as an e-invoice: " + why); };
  if (d.empty()) refuse("it has no lines (EN 16931 BR-16)");
  if (d.seller.vat_id.empty() && d.seller.tax_number.empty())
    refuse("the owner needs a \"vat_id\" or a \"tax_number\" (EN 16931 BR-CO-26, BR-S-02)");
  if (!d.seller.vat_id.empty() && !has_country_prefix(d.seller.vat_id))
    refuse("the owner's \"vat_id\" \"" + d.seller.vat_id + "\" must start with its country code, like \"DE\" (EN 16931 BR-CO-09)");
  if (!d.buyer.address) refuse("client \"" + d.buyer.id + "\" needs an \"address\" (EN 16931 BR-10)");
  if (!d.buyer.vat_id.empty() && !has_country_prefix(d.buyer.vat_id))
    refuse("client \"" + d.buyer.id + "\"'s \"vat_id\" \"" + d.buyer.vat_id + "\" must start with its country code, like \"AT\" (EN 16931 BR-CO-09)");
}

/// Builds the document line by line, two spaces per level.
class Xml {
 public:
  /// `attributes` are written as given: only the root has any, the namespaces.
  Xml& open(std::string_view tag, std::string_view attributes = {}) {
    indent() += "<" + std::string(tag) + (attributes.empty() ? "" : " ") + std::string(attributes) + ">\n";
    ++depth_;
    return *this;
  }
  Xml& close(std::string_view tag) {
    --depth_;
    indent() += "</" + std::string(tag) + ">\n";
    return *this;
  }
  Xml& leaf(std::string_view tag, std::string_view text) {
    indent() += "<" + std::string(tag) + ">" + escaped(text) + "</" + std::string(tag) + ">\n";
    return *this;
  }
  /// A leaf with one attribute: `<ram:ID schemeID="VA">…</ram:ID>`.
  Xml& leaf(std::string_view tag, std::string_view attribute, std::string_view value, std::string_view text) {
    indent() += "<" + std::string(tag) + " " + std::string(attribute) + "=\"" + escaped(value) + "\">" + escaped(text) + "</" +
                std::string(tag) + ">\n";
    return *this;
  }
  /// Omitted when empty: CII has no empty elements for absent values.
  Xml& optional_leaf(std::string_view tag, std::string_view text) { return text.empty() ? *this : leaf(tag, text); }
  Xml& raw(std::string_view line) {
    indent() += std::string(line) + "\n";
    return *this;
  }
  Xml& date(std::string_view tag, const Date& d) {
    return open(tag).leaf("udt:DateTimeString", "format", "102", date_102(d)).close(tag);
  }
  std::string take() && { return std::move(out_); }

 private:
  std::string& indent() { return out_.append(2 * static_cast<std::size_t>(depth_), ' '); }
  std::string out_;
  int depth_ = 0;
};

void address(Xml& x, const Address& a) {
  x.open("ram:PostalTradeAddress")
      .optional_leaf("ram:PostcodeCode", a.postcode)
      .optional_leaf("ram:LineOne", a.street)
      .leaf("ram:CityName", a.city)
      .leaf("ram:CountryID", a.country)
      .close("ram:PostalTradeAddress");
}

/// BT-34 / BT-49, the party's electronic address; BR-62/BR-63 want its scheme, EM for e-mail.
void email(Xml& x, const std::string& address) {
  if (address.empty()) return;
  x.open("ram:URIUniversalCommunication").leaf("ram:URIID", "schemeID", "EM", address).close("ram:URIUniversalCommunication");
}

void tax_registration(Xml& x, std::string_view scheme, const std::string& id) {
  if (id.empty()) return;
  x.open("ram:SpecifiedTaxRegistration").leaf("ram:ID", "schemeID", scheme, id).close("ram:SpecifiedTaxRegistration");
}

void seller(Xml& x, const Owner& o) {
  x.open("ram:SellerTradeParty");
  // BR-CO-26 wants a seller identifier, legal registration or VAT id, and a tax number alone
  // (small businesses, §19 UStG, often have nothing else) is none of them: it also names the
  // seller as BT-29.
  if (o.vat_id.empty()) x.leaf("ram:ID", o.tax_number);
  x.leaf("ram:Name", o.name);
  address(x, o.address);
  email(x, o.email);
  tax_registration(x, "VA", o.vat_id);
  tax_registration(x, "FC", o.tax_number);
  x.close("ram:SellerTradeParty");
}

void buyer(Xml& x, const Client& c) {
  x.open("ram:BuyerTradeParty").leaf("ram:Name", c.name);
  address(x, *c.address);
  email(x, c.email);
  tax_registration(x, "VA", c.vat_id);
  x.close("ram:BuyerTradeParty");
}

/// Exempt and reverse-charged groups must say why (BR-E-10, BR-AE-10); zero-rated ones must not
/// (BR-Z-10), nor standard-rated ones (BR-S-10).
bool states_exemption(VatCategory c) { return c == VatCategory::E || c == VatCategory::AE; }

void line(Xml& x, std::size_t number, const DraftLine& l) {
  const std::string net = l.net.to_string();
  x.open("ram:IncludedSupplyChainTradeLineItem")
      .open("ram:AssociatedDocumentLineDocument").leaf("ram:LineID", std::to_string(number)).close("ram:AssociatedDocumentLineDocument")
      .open("ram:SpecifiedTradeProduct").leaf("ram:Name", l.describe(Language::de)).close("ram:SpecifiedTradeProduct")
      .open("ram:SpecifiedLineTradeAgreement")
      .open("ram:NetPriceProductTradePrice").leaf("ram:ChargeAmount", net).close("ram:NetPriceProductTradePrice")
      .close("ram:SpecifiedLineTradeAgreement")
      .open("ram:SpecifiedLineTradeDelivery").leaf("ram:BilledQuantity", "unitCode", "LS", "1").close("ram:SpecifiedLineTradeDelivery")
      .open("ram:SpecifiedLineTradeSettlement")
      .open("ram:ApplicableTradeTax")
      .leaf("ram:TypeCode", "VAT")
      .leaf("ram:CategoryCode", name(l.vat.category))
      .leaf("ram:RateApplicablePercent", decimal_percent(l.vat.micro_percent))
      .close("ram:ApplicableTradeTax")
      .open("ram:SpecifiedTradeSettlementLineMonetarySummation").leaf("ram:LineTotalAmount", net)
      .close("ram:SpecifiedTradeSettlementLineMonetarySummation")
      .close("ram:SpecifiedLineTradeSettlement")
      .close("ram:IncludedSupplyChainTradeLineItem");
}

void vat_breakdown(Xml& x, const VatGroup& g) {
  x.open("ram:ApplicableTradeTax").leaf("ram:CalculatedAmount", g.tax.to_string()).leaf("ram:TypeCode", "VAT");
  if (states_exemption(g.vat.category)) x.leaf("ram:ExemptionReason", g.vat.exemption_reason);
  x.leaf("ram:BasisAmount", g.net.to_string()).leaf("ram:CategoryCode", name(g.vat.category));
  // The one reason with a code that needs no legal judgement: a receiver books reverse charge by it.
  if (g.vat.category == VatCategory::AE) x.leaf("ram:ExemptionReasonCode", "VATEX-EU-AE");
  x.leaf("ram:RateApplicablePercent", decimal_percent(g.vat.micro_percent)).close("ram:ApplicableTradeTax");
}

/// 58 (SEPA credit transfer) to the owner's IBAN. Without an IBAN, and on a credit note, where
/// the seller pays the buyer to an account the book does not know, the means stay open (1,
/// "instrument not defined"): 30 and 58 require the payee's account (BR-61).
void payment_means(Xml& x, const InvoiceDraft& d) {
  x.open("ram:SpecifiedTradeSettlementPaymentMeans");
  if (d.credit_note || d.seller.iban.empty()) {
    x.leaf("ram:TypeCode", "1");
  } else {
    std::string iban;
    for (const char c : d.seller.iban)
      if (c != ' ') iban += c;  // printed in groups of four for people, one word for machines
    x.leaf("ram:TypeCode", "58")
        .open("ram:PayeePartyCreditorFinancialAccount").leaf("ram:IBANID", iban).close("ram:PayeePartyCreditorFinancialAccount");
  }
  x.close("ram:SpecifiedTradeSettlementPaymentMeans");
}

}  // namespace

std::string to_cii(const InvoiceDraft& d) {
  check_can_write(d);
  Xml x;
  x.raw(R"(<?xml version="1.0" encoding="UTF-8"?>)")
      .open("rsm:CrossIndustryInvoice", R"(xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100")"
                                        R"( xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100")"
                                        R"( xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100")");
  x.open("rsm:ExchangedDocumentContext")
      .open("ram:GuidelineSpecifiedDocumentContextParameter").leaf("ram:ID", "urn:cen.eu:en16931:2017")
      .close("ram:GuidelineSpecifiedDocumentContextParameter")
      .close("rsm:ExchangedDocumentContext");

  x.open("rsm:ExchangedDocument").leaf("ram:ID", d.number).leaf("ram:TypeCode", d.credit_note ? "381" : "380").date("ram:IssueDateTime", d.date);
  // D16B allows one preceding invoice (below); a credit note taking back several names them all here.
  if (d.refers_to.size() > 1) {
    std::string ids;
    for (const std::string& id : d.refers_to) ids += (ids.empty() ? "" : ", ") + id;
    x.open("ram:IncludedNote").leaf("ram:Content", "Gutschrift zu den Rechnungen " + ids).close("ram:IncludedNote");
  }
  x.close("rsm:ExchangedDocument");

  x.open("rsm:SupplyChainTradeTransaction");
  for (std::size_t i = 0; i < d.lines.size(); ++i) line(x, i + 1, d.lines[i]);

  x.open("ram:ApplicableHeaderTradeAgreement").optional_leaf("ram:BuyerReference", d.buyer.buyer_reference);
  seller(x, d.seller);
  buyer(x, d.buyer);
  x.close("ram:ApplicableHeaderTradeAgreement");
  x.raw("<ram:ApplicableHeaderTradeDelivery/>");

  const std::string currency(d.currency.code());
  x.open("ram:ApplicableHeaderTradeSettlement").leaf("ram:PaymentReference", d.number).leaf("ram:InvoiceCurrencyCode", currency);
  payment_means(x, d);
  for (const VatGroup& g : d.vat_groups) vat_breakdown(x, g);
  x.open("ram:SpecifiedTradePaymentTerms").date("ram:DueDateDateTime", d.due).close("ram:SpecifiedTradePaymentTerms");
  x.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
      .leaf("ram:LineTotalAmount", d.net.to_string())
      .leaf("ram:TaxBasisTotalAmount", d.net.to_string())
      .leaf("ram:TaxTotalAmount", "currencyID", currency, d.tax.to_string())
      .leaf("ram:GrandTotalAmount", d.total.to_string())
      .leaf("ram:DuePayableAmount", d.total.to_string())
      .close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  // The recorded credit note refers to the last of its invoices (docs/invoicing.md), and so does this one.
  if (!d.refers_to.empty())
    x.open("ram:InvoiceReferencedDocument").leaf("ram:IssuerAssignedID", d.refers_to.back()).close("ram:InvoiceReferencedDocument");
  x.close("ram:ApplicableHeaderTradeSettlement").close("rsm:SupplyChainTradeTransaction");
  x.close("rsm:CrossIndustryInvoice");
  return std::move(x).take();
}

}  // namespace kontingent
