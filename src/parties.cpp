// Parties and the book's version (docs/formats.md, book version 2).
#include <algorithm>
#include <array>
#include <string_view>

#include "kontingent/book.hpp"

namespace kontingent {
namespace {

// ISO 3166-1 alpha-2, as Debian's iso-codes lists it (2023): countries and territories, sorted.
constexpr std::string_view country_codes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

}  // namespace

bool is_country_code(std::string_view code) noexcept {
  if (code.size() != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') return false;
  for (std::size_t i = 0; i + 1 < country_codes.size(); i += 3)
    if (country_codes.substr(i, 2) == code) return true;
  return false;
}

std::string first_version_2_field(const Book& book) {
  if (book.owner) return "owner";
  const auto at = [](std::string_view list, std::size_t i) { return std::string(list) + "[" + std::to_string(i) + "]"; };
  for (std::size_t i = 0; i < book.clients.size(); ++i) {
    const Client& c = book.clients[i];
    const std::string path = at("clients", i);
    if (c.address) return path + ".address";
    if (!c.vat_id.empty()) return path + ".vat_id";
    if (!c.email.empty()) return path + ".email";
    if (!c.buyer_reference.empty()) return path + ".buyer_reference";
    if (c.payment_days) return path + ".payment_days";
  }
  for (std::size_t i = 0; i < book.engagements.size(); ++i) {
    const Engagement& e = book.engagements[i];
    const std::string path = at("engagements", i);
    if (e.terms.vat) return path + ".terms.vat";
    for (std::size_t k = 0; k < e.journal.invoices.size(); ++k) {
      const Invoice& invoice = e.journal.invoices[k];
      const std::string place = path + at(".invoices", k);
      if (invoice.credit_note) return place + ".credit_note";
      if (!invoice.refers_to.empty()) return place + ".refers_to";
      if (invoice.due) return place + ".due";
    }
  }
  return {};
}

}  // namespace kontingent
