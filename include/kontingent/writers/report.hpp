#pragma once
// The report for people (a text table) and for spreadsheets (CSV); the JSON form is in formats/json.hpp.
#include <string>

#include "kontingent/report.hpp"

namespace kontingent {

/// Per engagement: the category table (billable, invoiced, leakage) and the facts below it.
std::string to_text(const Report& report);
/// One row per engagement and category: engagement,client,currency,category,billable,invoiced,leakage.
std::string to_csv(const Report& report);

}  // namespace kontingent
