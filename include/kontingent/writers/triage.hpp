#pragma once
// Triage and what-if results for people (text), programs (JSON) and spreadsheets (CSV).
#include <string>

#include "kontingent/triage.hpp"
#include "kontingent/whatif.hpp"

namespace kontingent {

/// Clients first (verdict, key numbers, reasons), then engagements.
std::string to_text(const Triage& triage);
/// `{"format": "kontingent-triage/1", "as_of", "clients": [...], "engagements": [...]}`.
std::string to_json(const Triage& triage);
/// One row per client and engagement: level,client,engagement,currency,verdict,… indicators …,reasons.
std::string to_csv(const Triage& triage);

/// Per client and category: before, after, difference.
std::string to_text(const WhatIf& what_if);
/// `{"format": "kontingent-whatif/1", "as_of", "rows": [{client, currency, category, before, after, difference}]}`.
std::string to_json(const WhatIf& what_if);
/// client,currency,category,before,after,difference.
std::string to_csv(const WhatIf& what_if);

}  // namespace kontingent
