#pragma once
// Who sells and who buys, and the tax between them (docs/formats.md, book version 2): what an invoice needs
// beyond the amounts. None of it changes a billable amount: money in the book stays net.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kontingent/names.hpp"

namespace kontingent {

/// A postal address; `country` is an ISO 3166-1 alpha-2 code ("DE").
struct Address {
  std::string street;
  std::string postcode;
  std::string city;
  std::string country;
  friend bool operator==(const Address&, const Address&) = default;
};

/// True for the ISO 3166-1 alpha-2 codes of countries and territories ("DE", "AT", …), which is
/// what EN 16931 receivers check a country against.
bool is_country_code(std::string_view code) noexcept;

/// The VAT categories of EN 16931 that a freelancer meets: standard rate, zero rated, exempt (for
/// instance the German small-business rule, §19 UStG) and reverse charge to a business abroad.
enum class VatCategory : std::uint8_t { S, Z, E, AE };

struct Vat {
  VatCategory category = VatCategory::S;
  /// percent × 10^6 (19 % is 19'000'000), as the rush surcharge; only category S has one.
  std::int64_t micro_percent = 0;
  /// Why no VAT is charged ("Kleinunternehmer gemäß §19 UStG"); required for E and AE.
  std::string exemption_reason;
  friend bool operator==(const Vat&, const Vat&) = default;
};

/// The seller: the freelancer or studio keeping the book. Required to draft an invoice.
struct Owner {
  std::string name;
  Address address;
  std::string vat_id;
  std::string tax_number;  ///< Steuernummer, for sellers without a VAT id
  std::string email;
  std::string iban;
  std::string invoice_prefix;  ///< drafted invoice numbers are this followed by a number
  std::optional<Vat> vat;      ///< the default for every engagement; terms may override it
  friend bool operator==(const Owner&, const Owner&) = default;
};

/// Days a client has to pay when the book does not say (docs/formats.md, book version 2).
inline constexpr std::int64_t default_payment_days = 30;

template <>
struct enum_names<VatCategory> {
  static constexpr std::array<std::string_view, 4> values{"S", "Z", "E", "AE"};
};

}  // namespace kontingent
