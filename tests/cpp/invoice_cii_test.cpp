// The e-invoice writer (include/kontingent/writers/invoice.hpp, SPEC §11): drafts made by hand, one
// per VAT category, a credit note and awkward names, checked fragment by fragment. Whether the
// result passes the official EN 16931 rules is tests/cli/einvoice_test.sh's job; the hidden test
// [.cii-dump] writes these drafts out for running the validator on them by hand.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "kontingent/writers/invoice.hpp"

using namespace kontingent;

namespace {

const Currency eur("EUR");
Money cents(std::int64_t n) { return {n, eur}; }

Vat standard(std::int64_t micro_percent) { return {VatCategory::S, micro_percent, ""}; }

Owner studio() {
  Owner o;
  o.name = "Studio Weiß";
  o.address = {"Hauptstraße 1", "10115", "Berlin", "DE"};
  o.vat_id = "DE123456789";
  o.email = "rechnung@studio-weiss.example";
  o.iban = "DE89 3704 0044 0532 0130 00";
  o.invoice_prefix = "RE-2026-";
  return o;
}

Client acme() {
  Client c;
  c.id = "acme";
  c.name = "ACME GmbH";
  c.address = Address{"Ring 2", "80331", "München", "DE"};
  c.email = "ap@acme.example";
  return c;
}

DraftLine line(Category category, std::int64_t net, const Vat& vat, std::string german) {
  return {category, cents(net), vat, {std::move(german), "(English)"}};
}

/// A draft of `lines` with one VAT group: the tax is given, as the drafting computed it.
InvoiceDraft draft_of(std::vector<DraftLine> lines, std::int64_t tax) {
  InvoiceDraft d;
  d.number = "RE-2026-0007";
  d.date = d.as_of = Date(2026, 3, 10);
  d.due = Date(2026, 4, 9);
  d.currency = eur;
  d.engagement = "acme-site";
  d.seller = studio();
  d.buyer = acme();
  d.lines = std::move(lines);
  d.net = cents(0);
  for (const DraftLine& l : d.lines) d.net += l.net;
  d.vat_groups = {{d.lines.front().vat, d.net, cents(tax)}};
  d.tax = cents(tax);
  d.total = d.net + d.tax;
  return d;
}

InvoiceDraft s19() {
  const Vat vat = standard(19'000'000);
  InvoiceDraft d = draft_of({line(Category::base, 480000, vat, "Festpreis für „Website“"),
                             line(Category::revision, 35000, vat, "1 zusätzliche Korrekturschleife (Runde 3, 2 inklusive) × 350,00 EUR")},
                            97850);  // 5150.00 × 19 %
  d.buyer.buyer_reference = "04011000-12345-34";
  return d;
}

InvoiceDraft s7() {
  return draft_of({line(Category::overage, 12345, standard(7'000'000), "1,3 Std. über dem Kontingent × 95,00 EUR/Std.")}, 864);  // 8.6415
}

InvoiceDraft s5_5() {
  return draft_of({line(Category::call, 4000, standard(5'500'000), "1 angefangener Takt à 30 min")}, 220);
}

/// A small business under §19 UStG: no VAT id, a tax number, no IBAN in the book.
InvoiceDraft e_small_business() {
  const Vat vat{VatCategory::E, 0, "Kleinunternehmer gemäß §19 UStG"};
  InvoiceDraft d = draft_of({line(Category::change, 16625, vat, "Änderungswünsche C1"), line(Category::no_show, 12000, vat, "1 versäumter Termin")}, 0);
  d.seller.vat_id.clear();
  d.seller.tax_number = "30/123/45678";
  d.seller.iban.clear();
  return d;
}

/// Reverse charge to a business in Austria.
InvoiceDraft ae_reverse_charge() {
  const Vat vat{VatCategory::AE, 0, "Steuerschuldnerschaft des Leistungsempfängers"};
  InvoiceDraft d = draft_of({line(Category::rush, 14250, vat, "Eilzuschlag 50 % auf 3 Std. × 95,00 EUR/Std.")}, 0);
  d.buyer.name = "Wiener Werkstätten KG";
  d.buyer.address = Address{"Mariahilfer Straße 3", "1060", "Wien", "AT"};
  d.buyer.vat_id = "ATU12345678";
  return d;
}

/// Zero rated; the book's VAT carries a note that the zero rate must not print (BR-Z-10).
InvoiceDraft z_zero_rated() {
  return draft_of({line(Category::base, 100000, {VatCategory::Z, 0, "Nullsatz"}, "Monatspauschale")}, 0);
}

/// Takes back overbilled work of two invoices.
InvoiceDraft credit_note() {
  InvoiceDraft d = draft_of({line(Category::overage, 19000, standard(19'000'000), "2 Std. über dem Kontingent × 95,00 EUR/Std.")}, 3610);
  d.number = "RE-2026-0008";
  d.credit_note = true;
  d.refers_to = {"RE-2026-0003", "RE-2026-0005"};
  return d;
}

/// Names that need escaping, in every place a name goes.
InvoiceDraft awkward_names() {
  InvoiceDraft d = s19();
  d.seller.name = "Müller & Söhne <Design>";
  d.buyer.name = "\"Ärger\" & 'Co' GmbH";
  d.buyer.address->street = "Straße 1 > 0";
  d.lines[0].description[0] = "Festpreis für <b>Logo & Schrift</b>\x01";
  return d;
}

bool contains(const std::string& xml, const std::string& fragment) { return xml.find(fragment) != std::string::npos; }

}  // namespace

TEST_CASE("cii: an invoice at 19 %, every part in its place", "[invoice][cii]") {
  const std::string xml = to_cii(s19());
  CHECK(xml.starts_with(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\""
      " xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\""
      " xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">\n"
      "  <rsm:ExchangedDocumentContext>\n"
      "    <ram:GuidelineSpecifiedDocumentContextParameter>\n"
      "      <ram:ID>urn:cen.eu:en16931:2017</ram:ID>\n"
      "    </ram:GuidelineSpecifiedDocumentContextParameter>\n"
      "  </rsm:ExchangedDocumentContext>\n"
      "  <rsm:ExchangedDocument>\n"
      "    <ram:ID>RE-2026-0007</ram:ID>\n"
      "    <ram:TypeCode>380</ram:TypeCode>\n"
      "    <ram:IssueDateTime>\n"
      "      <udt:DateTimeString format=\"102\">20260310</udt:DateTimeString>\n"
      "    </ram:IssueDateTime>\n"
      "  </rsm:ExchangedDocument>\n"
      "  <rsm:SupplyChainTradeTransaction>\n"
      "    <ram:IncludedSupplyChainTradeLineItem>\n"
      "      <ram:AssociatedDocumentLineDocument>\n"
      "        <ram:LineID>1</ram:LineID>\n"
      "      </ram:AssociatedDocumentLineDocument>\n"
      "      <ram:SpecifiedTradeProduct>\n"
      "        <ram:Name>Festpreis für „Website“</ram:Name>\n"
      "      </ram:SpecifiedTradeProduct>\n"
      "      <ram:SpecifiedLineTradeAgreement>\n"
      "        <ram:NetPriceProductTradePrice>\n"
      "          <ram:ChargeAmount>4800.00</ram:ChargeAmount>\n"
      "        </ram:NetPriceProductTradePrice>\n"
      "      </ram:SpecifiedLineTradeAgreement>\n"
      "      <ram:SpecifiedLineTradeDelivery>\n"
      "        <ram:BilledQuantity unitCode=\"LS\">1</ram:BilledQuantity>\n"
      "      </ram:SpecifiedLineTradeDelivery>\n"
      "      <ram:SpecifiedLineTradeSettlement>\n"
      "        <ram:ApplicableTradeTax>\n"
      "          <ram:TypeCode>VAT</ram:TypeCode>\n"
      "          <ram:CategoryCode>S</ram:CategoryCode>\n"
      "          <ram:RateApplicablePercent>19</ram:RateApplicablePercent>\n"
      "        </ram:ApplicableTradeTax>\n"
      "        <ram:SpecifiedTradeSettlementLineMonetarySummation>\n"
      "          <ram:LineTotalAmount>4800.00</ram:LineTotalAmount>\n"
      "        </ram:SpecifiedTradeSettlementLineMonetarySummation>\n"
      "      </ram:SpecifiedLineTradeSettlement>\n"
      "    </ram:IncludedSupplyChainTradeLineItem>\n"
      "    <ram:IncludedSupplyChainTradeLineItem>\n"
      "      <ram:AssociatedDocumentLineDocument>\n"
      "        <ram:LineID>2</ram:LineID>\n"));
  CHECK(contains(xml, "        <ram:Name>1 zusätzliche Korrekturschleife (Runde 3, 2 inklusive) × 350,00 EUR</ram:Name>\n"));
  CHECK(contains(xml, "          <ram:LineTotalAmount>350.00</ram:LineTotalAmount>\n"));
  CHECK(contains(xml,
                 "    <ram:ApplicableHeaderTradeAgreement>\n"
                 "      <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>\n"
                 "      <ram:SellerTradeParty>\n"
                 "        <ram:Name>Studio Weiß</ram:Name>\n"
                 "        <ram:PostalTradeAddress>\n"
                 "          <ram:PostcodeCode>10115</ram:PostcodeCode>\n"
                 "          <ram:LineOne>Hauptstraße 1</ram:LineOne>\n"
                 "          <ram:CityName>Berlin</ram:CityName>\n"
                 "          <ram:CountryID>DE</ram:CountryID>\n"
                 "        </ram:PostalTradeAddress>\n"
                 "        <ram:URIUniversalCommunication>\n"
                 "          <ram:URIID schemeID=\"EM\">rechnung@studio-weiss.example</ram:URIID>\n"
                 "        </ram:URIUniversalCommunication>\n"
                 "        <ram:SpecifiedTaxRegistration>\n"
                 "          <ram:ID schemeID=\"VA\">DE123456789</ram:ID>\n"
                 "        </ram:SpecifiedTaxRegistration>\n"
                 "      </ram:SellerTradeParty>\n"
                 "      <ram:BuyerTradeParty>\n"
                 "        <ram:Name>ACME GmbH</ram:Name>\n"
                 "        <ram:PostalTradeAddress>\n"
                 "          <ram:PostcodeCode>80331</ram:PostcodeCode>\n"
                 "          <ram:LineOne>Ring 2</ram:LineOne>\n"
                 "          <ram:CityName>München</ram:CityName>\n"
                 "          <ram:CountryID>DE</ram:CountryID>\n"
                 "        </ram:PostalTradeAddress>\n"
                 "        <ram:URIUniversalCommunication>\n"
                 "          <ram:URIID schemeID=\"EM\">ap@acme.example</ram:URIID>\n"
                 "        </ram:URIUniversalCommunication>\n"
                 "      </ram:BuyerTradeParty>\n"
                 "    </ram:ApplicableHeaderTradeAgreement>\n"
                 "    <ram:ApplicableHeaderTradeDelivery/>\n"));
  CHECK(xml.ends_with(
      "    <ram:ApplicableHeaderTradeSettlement>\n"
      "      <ram:PaymentReference>RE-2026-0007</ram:PaymentReference>\n"
      "      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>\n"
      "      <ram:SpecifiedTradeSettlementPaymentMeans>\n"
      "        <ram:TypeCode>58</ram:TypeCode>\n"
      "        <ram:PayeePartyCreditorFinancialAccount>\n"
      "          <ram:IBANID>DE89370400440532013000</ram:IBANID>\n"
      "        </ram:PayeePartyCreditorFinancialAccount>\n"
      "      </ram:SpecifiedTradeSettlementPaymentMeans>\n"
      "      <ram:ApplicableTradeTax>\n"
      "        <ram:CalculatedAmount>978.50</ram:CalculatedAmount>\n"
      "        <ram:TypeCode>VAT</ram:TypeCode>\n"
      "        <ram:BasisAmount>5150.00</ram:BasisAmount>\n"
      "        <ram:CategoryCode>S</ram:CategoryCode>\n"
      "        <ram:RateApplicablePercent>19</ram:RateApplicablePercent>\n"
      "      </ram:ApplicableTradeTax>\n"
      "      <ram:SpecifiedTradePaymentTerms>\n"
      "        <ram:DueDateDateTime>\n"
      "          <udt:DateTimeString format=\"102\">20260409</udt:DateTimeString>\n"
      "        </ram:DueDateDateTime>\n"
      "      </ram:SpecifiedTradePaymentTerms>\n"
      "      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>\n"
      "        <ram:LineTotalAmount>5150.00</ram:LineTotalAmount>\n"
      "        <ram:TaxBasisTotalAmount>5150.00</ram:TaxBasisTotalAmount>\n"
      "        <ram:TaxTotalAmount currencyID=\"EUR\">978.50</ram:TaxTotalAmount>\n"
      "        <ram:GrandTotalAmount>6128.50</ram:GrandTotalAmount>\n"
      "        <ram:DuePayableAmount>6128.50</ram:DuePayableAmount>\n"
      "      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>\n"
      "    </ram:ApplicableHeaderTradeSettlement>\n"
      "  </rsm:SupplyChainTradeTransaction>\n"
      "</rsm:CrossIndustryInvoice>\n"));
}

TEST_CASE("cii: reduced rates print as plain decimals", "[invoice][cii]") {
  const std::string seven = to_cii(s7());
  CHECK(contains(seven, "          <ram:RateApplicablePercent>7</ram:RateApplicablePercent>\n"));
  CHECK(contains(seven,
                 "        <ram:CalculatedAmount>8.64</ram:CalculatedAmount>\n"
                 "        <ram:TypeCode>VAT</ram:TypeCode>\n"
                 "        <ram:BasisAmount>123.45</ram:BasisAmount>\n"
                 "        <ram:CategoryCode>S</ram:CategoryCode>\n"
                 "        <ram:RateApplicablePercent>7</ram:RateApplicablePercent>\n"));
  CHECK(contains(seven, "        <ram:GrandTotalAmount>132.09</ram:GrandTotalAmount>\n"));
  const std::string five_and_a_half = to_cii(s5_5());
  CHECK(contains(five_and_a_half, "          <ram:RateApplicablePercent>5.5</ram:RateApplicablePercent>\n"));
  CHECK(contains(five_and_a_half, "        <ram:TaxTotalAmount currencyID=\"EUR\">2.20</ram:TaxTotalAmount>\n"));
}

TEST_CASE("cii: a small business (E) names its tax number as the seller and states the exemption", "[invoice][cii]") {
  const std::string xml = to_cii(e_small_business());
  CHECK(contains(xml,
                 "      <ram:SellerTradeParty>\n"
                 "        <ram:ID>30/123/45678</ram:ID>\n"
                 "        <ram:Name>Studio Weiß</ram:Name>\n"));
  CHECK(contains(xml,
                 "        <ram:SpecifiedTaxRegistration>\n"
                 "          <ram:ID schemeID=\"FC\">30/123/45678</ram:ID>\n"
                 "        </ram:SpecifiedTaxRegistration>\n"
                 "      </ram:SellerTradeParty>\n"));
  CHECK_FALSE(contains(xml, "schemeID=\"VA\""));
  CHECK(contains(xml,
                 "          <ram:CategoryCode>E</ram:CategoryCode>\n"
                 "          <ram:RateApplicablePercent>0</ram:RateApplicablePercent>\n"));
  CHECK(contains(xml,
                 "      <ram:ApplicableTradeTax>\n"
                 "        <ram:CalculatedAmount>0.00</ram:CalculatedAmount>\n"
                 "        <ram:TypeCode>VAT</ram:TypeCode>\n"
                 "        <ram:ExemptionReason>Kleinunternehmer gemäß §19 UStG</ram:ExemptionReason>\n"
                 "        <ram:BasisAmount>286.25</ram:BasisAmount>\n"
                 "        <ram:CategoryCode>E</ram:CategoryCode>\n"
                 "        <ram:RateApplicablePercent>0</ram:RateApplicablePercent>\n"
                 "      </ram:ApplicableTradeTax>\n"));
  // No IBAN in the book: the means of payment stay open rather than a transfer to no account.
  CHECK(contains(xml,
                 "      <ram:SpecifiedTradeSettlementPaymentMeans>\n"
                 "        <ram:TypeCode>1</ram:TypeCode>\n"
                 "      </ram:SpecifiedTradeSettlementPaymentMeans>\n"));
  CHECK(contains(xml, "        <ram:TaxTotalAmount currencyID=\"EUR\">0.00</ram:TaxTotalAmount>\n"
                      "        <ram:GrandTotalAmount>286.25</ram:GrandTotalAmount>\n"
                      "        <ram:DuePayableAmount>286.25</ram:DuePayableAmount>\n"));
}

TEST_CASE("cii: reverse charge (AE) carries both VAT ids, the reason and its code", "[invoice][cii]") {
  const std::string xml = to_cii(ae_reverse_charge());
  CHECK(contains(xml, "          <ram:ID schemeID=\"VA\">DE123456789</ram:ID>\n"));
  CHECK(contains(xml,
                 "          <ram:CountryID>AT</ram:CountryID>\n"
                 "        </ram:PostalTradeAddress>\n"
                 "        <ram:URIUniversalCommunication>\n"
                 "          <ram:URIID schemeID=\"EM\">ap@acme.example</ram:URIID>\n"
                 "        </ram:URIUniversalCommunication>\n"
                 "        <ram:SpecifiedTaxRegistration>\n"
                 "          <ram:ID schemeID=\"VA\">ATU12345678</ram:ID>\n"
                 "        </ram:SpecifiedTaxRegistration>\n"
                 "      </ram:BuyerTradeParty>\n"));
  CHECK(contains(xml,
                 "        <ram:CalculatedAmount>0.00</ram:CalculatedAmount>\n"
                 "        <ram:TypeCode>VAT</ram:TypeCode>\n"
                 "        <ram:ExemptionReason>Steuerschuldnerschaft des Leistungsempfängers</ram:ExemptionReason>\n"
                 "        <ram:BasisAmount>142.50</ram:BasisAmount>\n"
                 "        <ram:CategoryCode>AE</ram:CategoryCode>\n"
                 "        <ram:ExemptionReasonCode>VATEX-EU-AE</ram:ExemptionReasonCode>\n"
                 "        <ram:RateApplicablePercent>0</ram:RateApplicablePercent>\n"));
}

TEST_CASE("cii: zero rated (Z) prints no exemption reason, even when the book has one", "[invoice][cii]") {
  const std::string xml = to_cii(z_zero_rated());
  CHECK(contains(xml,
                 "        <ram:CalculatedAmount>0.00</ram:CalculatedAmount>\n"
                 "        <ram:TypeCode>VAT</ram:TypeCode>\n"
                 "        <ram:BasisAmount>1000.00</ram:BasisAmount>\n"
                 "        <ram:CategoryCode>Z</ram:CategoryCode>\n"
                 "        <ram:RateApplicablePercent>0</ram:RateApplicablePercent>\n"));
  CHECK_FALSE(contains(xml, "Exemption"));
  CHECK_FALSE(contains(xml, "Nullsatz"));
}

TEST_CASE("cii: a credit note is type 381 with positive amounts and refers to its invoices", "[invoice][cii]") {
  const std::string xml = to_cii(credit_note());
  CHECK(contains(xml,
                 "    <ram:ID>RE-2026-0008</ram:ID>\n"
                 "    <ram:TypeCode>381</ram:TypeCode>\n"));
  // D16B has room for one preceding invoice: the last, as the book records it; the note names all.
  CHECK(contains(xml,
                 "    <ram:IncludedNote>\n"
                 "      <ram:Content>Gutschrift zu den Rechnungen RE-2026-0003, RE-2026-0005</ram:Content>\n"
                 "    </ram:IncludedNote>\n"
                 "  </rsm:ExchangedDocument>\n"));
  CHECK(contains(xml,
                 "      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>\n"
                 "      <ram:InvoiceReferencedDocument>\n"
                 "        <ram:IssuerAssignedID>RE-2026-0005</ram:IssuerAssignedID>\n"
                 "      </ram:InvoiceReferencedDocument>\n"
                 "    </ram:ApplicableHeaderTradeSettlement>\n"));
  CHECK(contains(xml, "          <ram:ChargeAmount>190.00</ram:ChargeAmount>\n"));
  CHECK(contains(xml, "        <ram:DuePayableAmount>226.10</ram:DuePayableAmount>\n"));
  // The seller pays this one back, to an account the book does not know.
  CHECK(contains(xml, "        <ram:TypeCode>1</ram:TypeCode>\n"));
  CHECK_FALSE(contains(xml, "IBANID"));
}

TEST_CASE("cii: a credit note for one invoice has no note", "[invoice][cii]") {
  InvoiceDraft d = credit_note();
  d.refers_to = {"RE-2026-0003"};
  const std::string xml = to_cii(d);
  CHECK_FALSE(contains(xml, "IncludedNote"));
  CHECK(contains(xml, "        <ram:IssuerAssignedID>RE-2026-0003</ram:IssuerAssignedID>\n"));
}

TEST_CASE("cii: markup characters are escaped, umlauts pass through, controls are replaced", "[invoice][cii]") {
  const std::string xml = to_cii(awkward_names());
  CHECK(contains(xml, "        <ram:Name>Müller &amp; Söhne &lt;Design&gt;</ram:Name>\n"));
  CHECK(contains(xml, "        <ram:Name>&quot;Ärger&quot; &amp; &apos;Co&apos; GmbH</ram:Name>\n"));
  CHECK(contains(xml, "          <ram:LineOne>Straße 1 &gt; 0</ram:LineOne>\n"));
  CHECK(contains(xml, "        <ram:Name>Festpreis für &lt;b&gt;Logo &amp; Schrift&lt;/b&gt;\xEF\xBF\xBD</ram:Name>\n"));
}

TEST_CASE("cii: refuses a draft that cannot be a valid e-invoice, saying what to add", "[invoice][cii]") {
  InvoiceDraft empty = s19();
  empty.lines.clear();
  CHECK_THROWS_MATCHES(to_cii(empty), draft_error,
                       Catch::Message("cannot write invoice \"RE-2026-0007\" as an e-invoice: it has no lines (EN 16931 BR-16)"));

  InvoiceDraft anonymous = s19();
  anonymous.seller.vat_id.clear();
  CHECK_THROWS_MATCHES(to_cii(anonymous), draft_error,
                       Catch::Message("cannot write invoice \"RE-2026-0007\" as an e-invoice: the owner needs a \"vat_id\" or a "
                                      "\"tax_number\" (EN 16931 BR-CO-26, BR-S-02)"));

  InvoiceDraft bad_seller_id = s19();
  bad_seller_id.seller.vat_id = "123456789";
  CHECK_THROWS_MATCHES(to_cii(bad_seller_id), draft_error,
                       Catch::Message("cannot write invoice \"RE-2026-0007\" as an e-invoice: the owner's \"vat_id\" \"123456789\" must "
                                      "start with its country code, like \"DE\" (EN 16931 BR-CO-09)"));

  InvoiceDraft homeless = s19();
  homeless.buyer.address.reset();
  CHECK_THROWS_MATCHES(to_cii(homeless), draft_error,
                       Catch::Message("cannot write invoice \"RE-2026-0007\" as an e-invoice: client \"acme\" needs an \"address\" "
                                      "(EN 16931 BR-10)"));

  InvoiceDraft bad_buyer_id = ae_reverse_charge();
  bad_buyer_id.buyer.vat_id = "U12345678";
  CHECK_THROWS_MATCHES(to_cii(bad_buyer_id), draft_error,
                       Catch::Message("cannot write invoice \"RE-2026-0007\" as an e-invoice: client \"acme\"'s \"vat_id\" \"U12345678\" "
                                      "must start with its country code, like \"AT\" (EN 16931 BR-CO-09)"));

  // The rule's list of prefixes has Greece's and Northern Ireland's, and lacks South Sudan.
  InvoiceDraft south_sudan = ae_reverse_charge();
  south_sudan.buyer.vat_id = "SS1234";
  CHECK_THROWS_WITH(to_cii(south_sudan), Catch::Contains("\"SS1234\" must start with its country code"));
  for (const std::string id : {"EL123456789", "XI123456789"}) {
    InvoiceDraft d = ae_reverse_charge();
    d.buyer.vat_id = id;
    CHECK(contains(to_cii(d), "<ram:ID schemeID=\"VA\">" + id + "</ram:ID>"));
  }
}

// Not run by default: KONTINGENT_CII_DUMP=DIR kontingent-tests "[.cii-dump]" writes the drafts above
// as DIR/NAME.xml, for `validate DIR/*.xml`.
TEST_CASE("cii: write the hand-made drafts to a directory", "[.cii-dump]") {
  const char* dir = std::getenv("KONTINGENT_CII_DUMP");
  REQUIRE(dir != nullptr);
  const std::pair<const char*, InvoiceDraft> drafts[] = {
      {"s19", s19()}, {"s7", s7()}, {"s5_5", s5_5()}, {"e", e_small_business()}, {"ae", ae_reverse_charge()},
      {"z", z_zero_rated()}, {"credit", credit_note()}, {"awkward", awkward_names()}};
  std::filesystem::create_directories(dir);
  for (const auto& [name, draft] : drafts) {
    std::ofstream out(std::filesystem::path(dir) / (std::string(name) + ".xml"), std::ios::binary);
    out << to_cii(draft);
    REQUIRE(out.good());
  }
}
