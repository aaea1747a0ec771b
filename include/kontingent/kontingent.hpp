#pragma once
// Everything a program that records and evaluates books needs; file formats are in kontingent/io/.
#include "kontingent/book.hpp"
#include "kontingent/engagement.hpp"
#include "kontingent/error.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/journal.hpp"
#include "kontingent/live.hpp"
#include "kontingent/money.hpp"
#include "kontingent/terms.hpp"
#include "kontingent/time.hpp"
#include "kontingent/version.hpp"
