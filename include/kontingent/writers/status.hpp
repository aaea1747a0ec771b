#pragma once
// The status of open engagements for people (text) and programs (JSON).
#include <string>

#include "kontingent/status.hpp"

namespace kontingent {

/// One block per engagement, most urgent first, and the running timer.
std::string to_text(const Status& status);
/// `{"format": "kontingent-status/1", "as_of", "timer": {…} | null, "engagements": [{…}]}`.
std::string to_json(const Status& status);

}  // namespace kontingent
