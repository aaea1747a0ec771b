#pragma once
// Everything a program that records and evaluates books needs. Books on disk are behind
// kontingent/store.hpp; the formats themselves are in kontingent/formats/, tracker imports in
// kontingent/imports/ and the report writers in kontingent/writers/.
#include "kontingent/book.hpp"
#include "kontingent/engagement.hpp"
#include "kontingent/error.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/invoice.hpp"
#include "kontingent/journal.hpp"
#include "kontingent/limits.hpp"
#include "kontingent/live.hpp"
#include "kontingent/money.hpp"
#include "kontingent/parties.hpp"
#include "kontingent/record.hpp"
#include "kontingent/report.hpp"
#include "kontingent/terms.hpp"
#include "kontingent/time.hpp"
#include "kontingent/version.hpp"
