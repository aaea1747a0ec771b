// SPEC §7: a book that breaks a rule is refused whole, with an error naming the place and the rule.
// Every bad book here is the small valid book below with one readable mutation; each case pins the
// message to the letter, so a changed message is a deliberate, reviewed change.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

#include "kontingent/formats/json.hpp"
#include "rules.hpp"  // detail::request_key
#include "test_support.hpp"

using namespace kontingent;
using test::replaced;

namespace {

// One of everything §7 lists, so that every object level can be mutated. Each mutation target below
// occurs exactly once in this text.
constexpr std::string_view valid_book = R"json({"format": "kontingent-book/1",
 "clients": [{"id": "acme", "name": "ACME GmbH", "channel": "referral"}, {"id": "beta", "name": "Beta AG"}],
 "engagements": [
  {"id": "site", "client": "acme", "title": "Website relaunch", "currency": "EUR",
   "start": "2026-01-05", "end": "2026-06-30", "review_by": "2026-03-31",
   "terms": {"pricing": "fixed", "rate": "95", "fixed_price": "4800", "included_rounds": 2, "extra_round_price": "350",
             "rounding": {"increment_minutes": 15, "mode": "up"},
             "call_fee": {"free_minutes": 15, "block_minutes": 30, "fee": "40"},
             "rush": {"lead_hours": 48, "surcharge_percent": 50},
             "no_show": {"notice_hours": 24, "fee": "120"}},
   "requests": [{"id": "R1", "kind": "revision", "received": "2026-02-01T09:00", "due": "2026-02-05T09:00"},
                {"id": "C1", "kind": "change", "received": "2026-02-15T09:00", "quote": "200", "declined": false}],
   "entries": [{"start": "2026-01-06T09:00", "minutes": 180, "kind": "scope", "note": "layout"},
               {"start": "2026-02-02T10:00", "end": "2026-02-02T11:00", "kind": "revision", "request": "R1"},
               {"start": "2026-02-16T10:00", "minutes": 60, "kind": "change", "request": "C1"},
               {"start": "2026-02-17T14:00", "minutes": 25, "kind": "call"}],
   "appointments": [{"at": "2026-02-17T10:00", "status": "no_show"},
                    {"at": "2026-02-18T10:00", "status": "cancelled", "cancelled": "2026-02-18T08:00"},
                    {"at": "2026-02-24T10:00", "status": "kept"}],
   "invoices": [{"id": "INV-1", "date": "2026-02-28",
                 "lines": [{"category": "base", "amount": "4800"}, {"category": "revision", "amount": "350"}]}],
   "payments": [{"invoice": "INV-1", "date": "2026-03-10", "amount": "5150"}]},
  {"id": "blog", "client": "beta", "currency": "EUR", "start": "2026-01-01",
   "terms": {"pricing": "retainer", "rate": "100", "contingent_hours": 10, "contingent_price": "900"},
   "entries": [{"start": "2026-01-10T09:00", "minutes": 480, "kind": "internal"}],
   "invoices": [{"id": "INV-2", "date": "2026-01-31", "lines": [{"category": "base", "amount": "900"}]}],
   "payments": [{"invoice": "INV-2", "date": "2026-02-05", "amount": "900"}]}
 ]})json";

/// The valid book with one mutation.
std::string with(std::string_view from, std::string_view to) { return replaced(std::string(valid_book), from, to); }
/// The valid book without `text`.
std::string without(std::string_view text) { return with(text, ""); }

/// The validation_error that parsing `json` throws (a default one, failing the test, if none).
validation_error refusal(const std::string& json) {
  try {
    (void)parse_book_json(json);
  } catch (const validation_error& e) {
    return e;
  }
  FAIL_CHECK("the book was accepted");
  return {"", ""};
}

}  // namespace

TEST_CASE("the base book of the validation tests is valid") {
  const Book book = parse_book_json(valid_book);
  REQUIRE(book.clients.size() == 2);
  REQUIRE(book.engagements.size() == 2);
  const Engagement& site = book.engagements[0];
  CHECK(site.journal.requests.size() == 2);
  CHECK(site.journal.entries.size() == 4);
  CHECK(site.journal.appointments.size() == 3);
  CHECK(site.journal.invoices.size() == 1);
  CHECK(site.journal.payments.size() == 1);
  CHECK(book.engagements[1].journal.entries.size() == 1);
}

TEST_CASE("a refused book is an exception of type validation_error carrying the place and the rule") {
  const validation_error e = refusal(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-02T09:00")"));
  CHECK(e.path() == "engagements[0].entries[1]");
  CHECK(e.rule() == "end 09:00 is before start 10:00");
  CHECK(std::string(e.what()) == "engagements[0].entries[1]: end 09:00 is before start 10:00");

  const validation_error money = refusal(with(R"("amount": "5150")", R"("amount": "51.505")"));
  CHECK(money.path() == "engagements[0].payments[0].amount");
  CHECK(money.rule() == "more than 2 decimals in \"51.505\"");

  const validation_error unknown = refusal(with(R"("kind": "scope")", R"("kind": "scope", "billable": true)"));
  CHECK(unknown.path() == "engagements[0].entries[0]");
  CHECK(unknown.rule() == "unknown field \"billable\"");

  // Not JSON at all: there is no place inside the book to name, so the place is a line and a column.
  const validation_error text = refusal("{\"format\": ");
  CHECK(text.path() == "1:12");
  CHECK(text.rule() == "expected a value, got end of file");

  // Every kontingent error is a kontingent::error, and a std::runtime_error.
  CHECK_THROWS_AS(parse_book_json(without(R"("fixed_price": "4800", )")), validation_error);
  CHECK_THROWS_AS(parse_book_json(without(R"("fixed_price": "4800", )")), kontingent::error);
  CHECK_THROWS_AS(parse_book_json(without(R"("fixed_price": "4800", )")), std::runtime_error);
}

TEST_CASE("nothing is half loaded: a refused book leaves the book variable as it was") {
  Book book = parse_book_json(valid_book);
  const Book before = book;
  CHECK_THROWS_WITH(book = parse_book_json(with(R"("minutes": 25)", R"("minutes": 0)")),
                    "engagements[0].entries[3].minutes: must be a positive integer, got 0");
  CHECK(book == before);
  // A problem found only after everything was read (by validate()) is no different.
  CHECK_THROWS_WITH(book = parse_book_json(with(R"("invoice": "INV-2")", R"("invoice": "INV-1")")),
                    "engagements[1].payments[0].invoice: unknown invoice \"INV-1\" (a payment must name an invoice of its engagement)");
  CHECK(book == before);
  CHECK_THROWS(book = parse_book_json("not json"));
  CHECK(book == before);
}

TEST_CASE("a field not listed in SPEC §7 is an unknown field, at every level of the book") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("format": "kontingent-book/1",)", R"("format": "kontingent-book/1", "version": 2,)")),
                    "unknown field \"version\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "acme", )", R"({"id": "acme", "vatid": "DE1", )")),
                    "clients[0]: unknown field \"vatid\"");
  // A field of version 2 in a book that says version 1 is one that version 1 does not know.
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "acme", )", R"({"id": "acme", "vat_id": "DE1", )")),
                    "clients[0].vat_id: a field of book version 2: the book must say \"format\": \"kontingent-book/2\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("title": "Website relaunch",)", R"("title": "Website relaunch", "budget": "5000",)")),
                    "engagements[0]: unknown field \"budget\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fixed_price": "4800")", R"("fixed_prize": "4800")")),
                    "engagements[0].terms: unknown field \"fixed_prize\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("mode": "up")", R"("mode": "up", "minutes": 5)")),
                    "engagements[0].terms.rounding: unknown field \"minutes\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fee": "40")", R"("fee": "40", "per": "call")")),
                    "engagements[0].terms.call_fee: unknown field \"per\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("surcharge_percent": 50)", R"("surcharge_percent": 50, "surcharge": "20")")),
                    "engagements[0].terms.rush: unknown field \"surcharge\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fee": "120")", R"("fee": "120", "grace_minutes": 10)")),
                    "engagements[0].terms.no_show: unknown field \"grace_minutes\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("quote": "200")", R"("quote": "200", "accepted": true)")),
                    "engagements[0].requests[1]: unknown field \"accepted\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("note": "layout")", R"("note": "layout", "billable": true)")),
                    "engagements[0].entries[0]: unknown field \"billable\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("status": "kept")", R"("status": "kept", "where": "office")")),
                    "engagements[0].appointments[2]: unknown field \"where\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("date": "2026-02-28")", R"("date": "2026-02-28", "paid": "2026-03-14")")),
                    "engagements[0].invoices[0]: unknown field \"paid\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("amount": "350")", R"("amount": "350", "vat": "66.50")")),
                    "engagements[0].invoices[0].lines[1]: unknown field \"vat\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("amount": "5150")", R"("amount": "5150", "method": "sepa")")),
                    "engagements[0].payments[0]: unknown field \"method\"");
}

TEST_CASE("a field may appear only once in its object") {
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "acme", )", R"({"id": "acme", "id": "acme2", )")),
                    "clients[0]: field \"id\" appears twice");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "scope")", R"("kind": "scope", "kind": "call")")),
                    "engagements[0].entries[0]: field \"kind\" appears twice");
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": "95", "rate": "120")")),
                    "engagements[0].terms: field \"rate\" appears twice");
}

TEST_CASE("a required field that is missing is named") {
  CHECK_THROWS_WITH(parse_book_json(without(R"("format": "kontingent-book/1",)")), "missing field \"format\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("clients": [{"id": "acme", "name": "ACME GmbH", "channel": "referral"}, {"id": "beta", "name": "Beta AG"}],)")),
                    "missing field \"clients\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "name": "Beta AG")")), "clients[1]: missing field \"name\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("currency": "EUR", "start": "2026-01-01",)")),
                    "engagements[1]: missing field \"currency\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("terms": {"pricing": "retainer", "rate": "100", "contingent_hours": 10, "contingent_price": "900"},)")),
                    "engagements[1]: missing field \"terms\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("pricing": "fixed", )")), "engagements[0].terms: missing field \"pricing\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("rate": "100", )")), "engagements[1].terms: missing field \"rate\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "mode": "up")")), "engagements[0].terms.rounding: missing field \"mode\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "fee": "40")")), "engagements[0].terms.call_fee: missing field \"fee\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("lead_hours": 48, )")), "engagements[0].terms.rush: missing field \"lead_hours\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("notice_hours": 24, )")),
                    "engagements[0].terms.no_show: missing field \"notice_hours\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "received": "2026-02-15T09:00")")),
                    "engagements[0].requests[1]: missing field \"received\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "kind": "call")")), "engagements[0].entries[3]: missing field \"kind\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "status": "kept")")), "engagements[0].appointments[2]: missing field \"status\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "lines": [{"category": "base", "amount": "900"}])")),
                    "engagements[1].invoices[0]: missing field \"lines\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "amount": "350")")), "engagements[0].invoices[0].lines[1]: missing field \"amount\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "date": "2026-03-10")")), "engagements[0].payments[0]: missing field \"date\"");
}

TEST_CASE("a value of the wrong JSON type names the type it should have") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": 95)")),
                    "engagements[0].terms.rate: money must be a string like \"95.50\", got a number");
  CHECK_THROWS_WITH(parse_book_json(with(R"("amount": "5150")", R"("amount": 5150.00)")),
                    "engagements[0].payments[0].amount: money must be a string like \"95.50\", got a number");
  CHECK_THROWS_WITH(parse_book_json(with(R"("contingent_hours": 10)", R"("contingent_hours": "10")")),
                    "engagements[1].terms.contingent_hours: expected a number, got a string");
  CHECK_THROWS_WITH(parse_book_json(with(R"("lead_hours": 48)", R"("lead_hours": "48")")),
                    "engagements[0].terms.rush.lead_hours: expected a number, got a string");
  CHECK_THROWS_WITH(parse_book_json(with(R"("included_rounds": 2)", R"("included_rounds": "2")")),
                    "engagements[0].terms.included_rounds: expected an integer >= 0, got a string");
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": "180")")),
                    "engagements[0].entries[0].minutes: expected a positive integer, got a string");
  CHECK_THROWS_WITH(parse_book_json(with(R"("declined": false)", R"("declined": "no")")),
                    "engagements[0].requests[1].declined: expected true or false, got a string");
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "acme", )", R"({"id": 1, )")), "clients[0].id: expected a string, got a number");
  CHECK_THROWS_WITH(parse_book_json(with(R"("title": "Website relaunch")", R"("title": null)")),
                    "engagements[0].title: expected a string, got null");
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "beta", "name": "Beta AG"})", R"("beta")")),
                    "clients[1]: expected an object, got a string");
  CHECK_THROWS_WITH(parse_book_json(with(R"("lines": [{"category": "base", "amount": "900"}])", R"("lines": {"category": "base", "amount": "900"})")),
                    "engagements[1].invoices[0].lines: expected a list, got an object");
  CHECK_THROWS_WITH(parse_book_json("[]"), "expected an object, got a list");
}

TEST_CASE("client, engagement and invoice ids are unique in the book, request ids in their engagement") {
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "beta", )", R"({"id": "acme", )")), "clients[1].id: duplicate client id \"acme\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "blog", )", R"({"id": "site", )")),
                    "engagements[1].id: duplicate engagement id \"site\"");
  // Invoice ids are unique across engagements, not just within one.
  CHECK_THROWS_WITH(parse_book_json(with(R"("id": "INV-2")", R"("id": "INV-1")")),
                    "engagements[1].invoices[0].id: duplicate invoice id \"INV-1\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"({"id": "INV-2", "date": "2026-01-31", "lines": [{"category": "base", "amount": "900"}]})",
                                         R"({"id": "INV-2", "date": "2026-01-31", "lines": [{"category": "base", "amount": "900"}]},
                                            {"id": "INV-2", "date": "2026-02-28", "lines": [{"category": "base", "amount": "900"}]})")),
                    "engagements[1].invoices[1].id: duplicate invoice id \"INV-2\"");
  CHECK_THROWS_WITH(parse_book_json(replaced(with(R"({"id": "C1", )", R"({"id": "R1", )"), R"("request": "C1")", R"("request": "R1")")),
                    "engagements[0].requests[1].id: duplicate request id \"R1\" in this engagement");
}

TEST_CASE("the same request id in two engagements is no duplicate") {
  CHECK_NOTHROW(parse_book_json(with(R"("client": "beta", )",
                                     R"("client": "beta", "requests": [{"id": "R1", "kind": "change", "received": "2026-01-02T09:00"}], )")));
}

TEST_CASE("a reference names a client, request or invoice that exists") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("client": "acme")", R"("client": "acme-gmbh")")),
                    "engagements[0].client: unknown client \"acme-gmbh\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("request": "R1")", R"("request": "R2")")),
                    "engagements[0].entries[1].request: unknown request \"R2\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("invoice": "INV-1")", R"("invoice": "INV-9")")),
                    "engagements[0].payments[0].invoice: unknown invoice \"INV-9\" (a payment must name an invoice of its engagement)");
}

TEST_CASE("a payment names an invoice of its own engagement, not another engagement's") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("invoice": "INV-2")", R"("invoice": "INV-1")")),
                    "engagements[1].payments[0].invoice: unknown invoice \"INV-1\" (a payment must name an invoice of its engagement)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("invoice": "INV-1")", R"("invoice": "INV-2")")),
                    "engagements[0].payments[0].invoice: unknown invoice \"INV-2\" (a payment must name an invoice of its engagement)");
}

TEST_CASE("a revision entry names a revision request and a change entry a change request") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "revision", "request": "R1")", R"("kind": "change", "request": "R1")")),
                    "engagements[0].entries[1]: a \"change\" entry must name a \"change\" request, but \"R1\" is a \"revision\" request");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "change", "request": "C1")", R"("kind": "revision", "request": "C1")")),
                    "engagements[0].entries[2]: a \"revision\" entry must name a \"revision\" request, but \"C1\" is a \"change\" request");
}

TEST_CASE("a revision or change entry without a request is refused") {
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "request": "R1")")),
                    "engagements[0].entries[1]: a \"revision\" entry must name its request");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "request": "C1")")), "engagements[0].entries[2]: a \"change\" entry must name its request");
}

TEST_CASE("a scope or call entry cannot name a request") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "scope")", R"("kind": "scope", "request": "R1")")),
                    "engagements[0].entries[0]: a \"scope\" entry cannot name a request");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "call")", R"("kind": "call", "request": "C1")")),
                    "engagements[0].entries[3]: a \"call\" entry cannot name a request");
}

// Library problem: the message says `a "internal"`; it should be `an "internal"`.
TEST_CASE("an internal entry cannot name a request") {
  CHECK_THROWS_WITH(parse_book_json(replaced(with(R"("kind": "internal")", R"("kind": "internal", "request": "R1")"),
                                             R"("client": "beta", )",
                                             R"("client": "beta", "requests": [{"id": "R1", "kind": "change", "received": "2026-01-02T09:00"}], )")),
                    "engagements[1].entries[0]: an \"internal\" entry cannot name a request");
}

TEST_CASE("an entry gives exactly one of end and minutes") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": 180, "end": "2026-01-06T12:00")")),
                    "engagements[0].entries[0]: give either \"end\" or \"minutes\", not both");
  CHECK_THROWS_WITH(parse_book_json(without(R"("minutes": 180, )")), "engagements[0].entries[0]: give its \"end\" or its \"minutes\"");
}

TEST_CASE("minutes is a positive integer") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": 0)")),
                    "engagements[0].entries[0].minutes: must be a positive integer, got 0");
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": -30)")),
                    "engagements[0].entries[0].minutes: must be a positive integer, got -30");
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": 1.5)")),
                    "engagements[0].entries[0].minutes: must be a positive integer, got 1.5");
  CHECK_NOTHROW(parse_book_json(with(R"("minutes": 180)", R"("minutes": 1)")));
}

TEST_CASE("an entry's end is after its start: zero and negative durations are refused") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-02T10:00")")),
                    "engagements[0].entries[1]: end 10:00 is not after start 10:00");
  CHECK_THROWS_WITH(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-02T09:00")")),
                    "engagements[0].entries[1]: end 09:00 is before start 10:00");
  CHECK_THROWS_WITH(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-02T09:59:30")")),
                    "engagements[0].entries[1]: end 09:59:30 is before start 10:00");
  // On another day the message shows the dates too.
  CHECK_THROWS_WITH(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-01T11:00")")),
                    "engagements[0].entries[1]: end 2026-02-01T11:00 is before start 2026-02-02T10:00");
  CHECK_NOTHROW(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-02T10:00:01")")));
  CHECK_NOTHROW(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "2026-02-03T01:00")")));
}

TEST_CASE("a request is not due before it was received — due at the moment received is fine") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("due": "2026-02-05T09:00")", R"("due": "2026-01-31T09:00")")),
                    "engagements[0].requests[0]: due 2026-01-31T09:00 is before received 2026-02-01T09:00");
  CHECK_THROWS_WITH(parse_book_json(with(R"("due": "2026-02-05T09:00")", R"("due": "2026-02-01T08:59")")),
                    "engagements[0].requests[0]: due 2026-02-01T08:59 is before received 2026-02-01T09:00");
  CHECK_NOTHROW(parse_book_json(with(R"("due": "2026-02-05T09:00")", R"("due": "2026-02-01T09:00")")));
}

TEST_CASE("a cancelled appointment has its cancelled time, and only a cancelled one") {
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "cancelled": "2026-02-18T08:00")")),
                    "engagements[0].appointments[1]: a cancelled appointment needs its \"cancelled\" time");
  CHECK_THROWS_WITH(parse_book_json(with(R"("status": "kept")", R"("status": "kept", "cancelled": "2026-02-20T10:00")")),
                    "engagements[0].appointments[2]: \"cancelled\" is only for appointments with status \"cancelled\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("status": "no_show")", R"("status": "no_show", "cancelled": "2026-02-17T09:00")")),
                    "engagements[0].appointments[0]: \"cancelled\" is only for appointments with status \"cancelled\"");
}

TEST_CASE("money is never negative, wherever it appears") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": "-95")")),
                    "engagements[0].terms.rate: money must not be negative, got \"-95\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fixed_price": "4800")", R"("fixed_price": "-4800")")),
                    "engagements[0].terms.fixed_price: money must not be negative, got \"-4800\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("contingent_price": "900")", R"("contingent_price": "-900.5")")),
                    "engagements[1].terms.contingent_price: money must not be negative, got \"-900.5\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("extra_round_price": "350")", R"("extra_round_price": "-0.01")")),
                    "engagements[0].terms.extra_round_price: money must not be negative, got \"-0.01\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fee": "40")", R"("fee": "-40")")),
                    "engagements[0].terms.call_fee.fee: money must not be negative, got \"-40\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fee": "120")", R"("fee": "-120")")),
                    "engagements[0].terms.no_show.fee: money must not be negative, got \"-120\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("quote": "200")", R"("quote": "-200")")),
                    "engagements[0].requests[1].quote: money must not be negative, got \"-200\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("amount": "350")", R"("amount": "-350")")),
                    "engagements[0].invoices[0].lines[1].amount: money must not be negative, got \"-350\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("amount": "5150")", R"("amount": "-5150")")),
                    "engagements[0].payments[0].amount: money must not be negative, got \"-5150\"");
  CHECK_NOTHROW(parse_book_json(with(R"("amount": "5150")", R"("amount": "0")")));
}

TEST_CASE("money has at most 2 decimals and is written as a decimal number") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": "95.001")")),
                    "engagements[0].terms.rate: more than 2 decimals in \"95.001\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("amount": "4800")", R"("amount": "4800.000")")),
                    "engagements[0].invoices[0].lines[0].amount: more than 2 decimals in \"4800.000\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": "95,50")")),
                    "engagements[0].terms.rate: not an amount: \"95,50\" (write money as a string like \"95.50\")");
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": ".5")")),
                    "engagements[0].terms.rate: not an amount: \".5\" (write money as a string like \"95.50\")");
  CHECK_THROWS_WITH(parse_book_json(with(R"("rate": "95")", R"("rate": "EUR 95")")),
                    "engagements[0].terms.rate: not an amount: \"EUR 95\" (write money as a string like \"95.50\")");
  CHECK_NOTHROW(parse_book_json(with(R"("rate": "95")", R"("rate": "95.5")")));
  CHECK_NOTHROW(parse_book_json(with(R"("rate": "95")", R"("rate": "95.55")")));
}

TEST_CASE("impossible dates and times are refused") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("start": "2026-01-05")", R"("start": "2026-02-30")")),
                    "engagements[0].start: impossible date \"2026-02-30\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("date": "2026-02-28")", R"("date": "2026-13-01")")),
                    "engagements[0].invoices[0].date: impossible date \"2026-13-01\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("review_by": "2026-03-31")", R"("review_by": "2026-04-31")")),
                    "engagements[0].review_by: impossible date \"2026-04-31\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("date": "2026-03-10")", R"("date": "2026-02-29")")),
                    "engagements[0].payments[0].date: impossible date \"2026-02-29\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("start": "2026-01-06T09:00")", R"("start": "2026-01-06T25:00")")),
                    "engagements[0].entries[0].start: impossible time \"2026-01-06T25:00\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("start": "2026-01-06T09:00")", R"("start": "2026-01-06T24:00")")),
                    "engagements[0].entries[0].start: impossible time \"2026-01-06T24:00\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("received": "2026-02-01T09:00")", R"("received": "2026-02-31T09:00")")),
                    "engagements[0].requests[0].received: impossible date \"2026-02-31\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("cancelled": "2026-02-18T08:00")", R"("cancelled": "2026-02-18T08:60")")),
                    "engagements[0].appointments[1].cancelled: impossible time \"2026-02-18T08:60\"");
}

TEST_CASE("dates and times are written YYYY-MM-DD and YYYY-MM-DDTHH:MM[:SS]") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("review_by": "2026-03-31")", R"("review_by": "31.03.2026")")),
                    "engagements[0].review_by: not a date: \"31.03.2026\" (expected YYYY-MM-DD)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("at": "2026-02-24T10:00")", R"("at": "2026-02-24")")),
                    "engagements[0].appointments[2].at: not a time: \"2026-02-24\" (expected YYYY-MM-DDTHH:MM)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("at": "2026-02-24T10:00")", R"("at": "2026-02-24 10:00")")),
                    "engagements[0].appointments[2].at: not a time: \"2026-02-24 10:00\" (expected YYYY-MM-DDTHH:MM)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("end": "2026-06-30")", R"("end": "2026-06-30T18:00")")),
                    "engagements[0].end: not a date: \"2026-06-30T18:00\" (expected YYYY-MM-DD)");
}

TEST_CASE("an entry starts within the engagement's dates, both ends included") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("start": "2026-01-06T09:00")", R"("start": "2026-01-04T23:59")")),
                    "engagements[0].entries[0]: starts 2026-01-04, before the engagement's start 2026-01-05");
  CHECK_THROWS_WITH(parse_book_json(with(R"("start": "2026-01-06T09:00")", R"("start": "2026-07-01T00:00")")),
                    "engagements[0].entries[0]: starts 2026-07-01, after the engagement's end 2026-06-30");
  CHECK_NOTHROW(parse_book_json(with(R"("start": "2026-01-06T09:00")", R"("start": "2026-01-05T00:00")")));
  // It may run past the end date: only its start counts.
  CHECK_NOTHROW(parse_book_json(with(R"("start": "2026-01-06T09:00")", R"("start": "2026-06-30T23:59")")));
  // Without an end date there is no limit after the start.
  CHECK_NOTHROW(parse_book_json(with(R"("start": "2026-01-10T09:00")", R"("start": "2031-12-31T09:00")")));
  CHECK_THROWS_WITH(parse_book_json(with(R"("start": "2026-01-10T09:00")", R"("start": "2025-12-31T09:00")")),
                    "engagements[1].entries[0]: starts 2025-12-31, before the engagement's start 2026-01-01");
}

TEST_CASE("an engagement does not end before it starts") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("end": "2026-06-30")", R"("end": "2026-01-04")")),
                    "engagements[0]: end 2026-01-04 is before start 2026-01-05");
}

TEST_CASE("categories, kinds, pricings, statuses and rounding modes are the words SPEC lists") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("category": "revision")", R"("category": "bonus")")),
                    "engagements[0].invoices[0].lines[1].category: unknown category \"bonus\" (expected base, overage, revision, change, call, rush or no_show)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "call")", R"("kind": "meeting")")),
                    "engagements[0].entries[3].kind: unknown entry kind \"meeting\" (expected scope, revision, change, call or internal)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "change", "received")", R"("kind": "fix", "received")")),
                    "engagements[0].requests[1].kind: unknown request kind \"fix\" (expected revision or change)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("pricing": "fixed")", R"("pricing": "daily")")),
                    "engagements[0].terms.pricing: unknown pricing \"daily\" (expected fixed, contingent, retainer or hourly)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("pricing": "fixed")", R"("pricing": "Fixed")")),
                    "engagements[0].terms.pricing: unknown pricing \"Fixed\" (expected fixed, contingent, retainer or hourly)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("status": "kept")", R"("status": "missed")")),
                    "engagements[0].appointments[2].status: unknown appointment status \"missed\" (expected kept, no_show or cancelled)");
  CHECK_THROWS_WITH(parse_book_json(with(R"("mode": "up")", R"("mode": "ceil")")),
                    "engagements[0].terms.rounding.mode: unknown rounding mode \"ceil\" (expected up, down or nearest)");
}

TEST_CASE("each pricing has the terms it needs") {
  CHECK_THROWS_WITH(parse_book_json(without(R"("fixed_price": "4800", )")), "engagements[0].terms: pricing \"fixed\" needs \"fixed_price\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"("contingent_hours": 10, )")),
                    "engagements[1].terms: pricing \"retainer\" needs \"contingent_hours\"");
  CHECK_THROWS_WITH(parse_book_json(without(R"(, "contingent_price": "900")")),
                    "engagements[1].terms: pricing \"retainer\" needs \"contingent_price\"");
  CHECK_THROWS_WITH(parse_book_json(replaced(with(R"("pricing": "retainer")", R"("pricing": "contingent")"), R"("contingent_hours": 10, )", "")),
                    "engagements[1].terms: pricing \"contingent\" needs \"contingent_hours\"");
  CHECK_THROWS_WITH(parse_book_json(replaced(with(R"("pricing": "retainer")", R"("pricing": "contingent")"), R"(, "contingent_price": "900")", "")),
                    "engagements[1].terms: pricing \"contingent\" needs \"contingent_price\"");
  CHECK_NOTHROW(parse_book_json(with(R"("pricing": "retainer")", R"("pricing": "contingent")")));
  CHECK_NOTHROW(parse_book_json(replaced(with(R"("pricing": "fixed")", R"("pricing": "hourly")"), R"("fixed_price": "4800", )", "")));
}

TEST_CASE("terms that belong to another pricing are refused") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("pricing": "fixed")", R"("pricing": "hourly")")),
                    "engagements[0].terms: \"fixed_price\" is only for pricing \"fixed\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fixed_price": "4800")", R"("fixed_price": "4800", "contingent_hours": 10)")),
                    "engagements[0].terms: \"contingent_hours\" is only for pricing \"contingent\" and \"retainer\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("fixed_price": "4800")", R"("fixed_price": "4800", "contingent_price": "900")")),
                    "engagements[0].terms: \"contingent_price\" is only for pricing \"contingent\" and \"retainer\"");
  CHECK_THROWS_WITH(parse_book_json(replaced(with(R"("pricing": "retainer")", R"("pricing": "contingent")"),
                                             R"("contingent_price": "900")", R"("contingent_price": "900", "rollover_max_hours": 5)")),
                    "engagements[1].terms: \"rollover_max_hours\" is only for pricing \"retainer\"");
  CHECK_NOTHROW(parse_book_json(with(R"("contingent_price": "900")", R"("contingent_price": "900", "rollover_max_hours": 5)")));
  CHECK_NOTHROW(parse_book_json(with(R"("contingent_price": "900")", R"("contingent_price": "900", "rollover_max_hours": 0)")));
}

TEST_CASE("a quote is only for a change request") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("due": "2026-02-05T09:00")", R"("due": "2026-02-05T09:00", "quote": "100")")),
                    "engagements[0].requests[0]: \"quote\" is only for change requests");
}

TEST_CASE("the currency is 3 capital letters") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("currency": "EUR", "start": "2026-01-01")", R"("currency": "eur", "start": "2026-01-01")")),
                    "engagements[1].currency: must be 3 capital letters like \"EUR\", got \"eur\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("currency": "EUR", "start": "2026-01-01")", R"("currency": "EURO", "start": "2026-01-01")")),
                    "engagements[1].currency: must be 3 capital letters like \"EUR\", got \"EURO\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("currency": "EUR", "start": "2026-01-01")", R"("currency": "€", "start": "2026-01-01")")),
                    "engagements[1].currency: must be 3 capital letters like \"EUR\", got \"€\"");
  CHECK_NOTHROW(parse_book_json(with(R"("currency": "EUR", "start": "2026-01-01")", R"("currency": "CHF", "start": "2026-01-01")")));
}

TEST_CASE("hours, minutes and percentages of the terms are in range") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("contingent_hours": 10)", R"("contingent_hours": 0)")),
                    "engagements[1].terms.contingent_hours: must be a number > 0, got 0");
  CHECK_THROWS_WITH(parse_book_json(with(R"("contingent_hours": 10)", R"("contingent_hours": -2.5)")),
                    "engagements[1].terms.contingent_hours: must be a number > 0, got -2.5");
  CHECK_THROWS_WITH(parse_book_json(with(R"("contingent_price": "900")", R"("contingent_price": "900", "rollover_max_hours": -1)")),
                    "engagements[1].terms.rollover_max_hours: must be a number >= 0, got -1");
  CHECK_THROWS_WITH(parse_book_json(with(R"("block_minutes": 30)", R"("block_minutes": 0)")),
                    "engagements[0].terms.call_fee.block_minutes: must be a positive integer, got 0");
  CHECK_THROWS_WITH(parse_book_json(with(R"("free_minutes": 15)", R"("free_minutes": -1)")),
                    "engagements[0].terms.call_fee.free_minutes: must be an integer >= 0, got -1");
  CHECK_THROWS_WITH(parse_book_json(with(R"("increment_minutes": 15)", R"("increment_minutes": 0)")),
                    "engagements[0].terms.rounding.increment_minutes: must be a positive integer, got 0");
  CHECK_THROWS_WITH(parse_book_json(with(R"("increment_minutes": 15)", R"("increment_minutes": 7.5)")),
                    "engagements[0].terms.rounding.increment_minutes: must be a positive integer, got 7.5");
  CHECK_THROWS_WITH(parse_book_json(with(R"("lead_hours": 48)", R"("lead_hours": 0)")),
                    "engagements[0].terms.rush.lead_hours: must be a number > 0, got 0");
  CHECK_THROWS_WITH(parse_book_json(with(R"("surcharge_percent": 50)", R"("surcharge_percent": -5)")),
                    "engagements[0].terms.rush.surcharge_percent: must be a number >= 0, got -5");
  CHECK_THROWS_WITH(parse_book_json(with(R"("notice_hours": 24)", R"("notice_hours": -1)")),
                    "engagements[0].terms.no_show.notice_hours: must be a number >= 0, got -1");
  CHECK_THROWS_WITH(parse_book_json(with(R"("included_rounds": 2)", R"("included_rounds": -1)")),
                    "engagements[0].terms.included_rounds: must be an integer >= 0, got -1");
  CHECK_THROWS_WITH(parse_book_json(with(R"("included_rounds": 2)", R"("included_rounds": 2.5)")),
                    "engagements[0].terms.included_rounds: must be an integer >= 0, got 2.5");
  // Hours and percentages may have decimals; zero is fine where SPEC says >= 0.
  CHECK_NOTHROW(parse_book_json(with(R"("contingent_hours": 10)", R"("contingent_hours": 7.5)")));
  CHECK_NOTHROW(parse_book_json(with(R"("surcharge_percent": 50)", R"("surcharge_percent": 12.5)")));
  CHECK_NOTHROW(parse_book_json(with(R"("surcharge_percent": 50)", R"("surcharge_percent": 0)")));
  CHECK_NOTHROW(parse_book_json(with(R"("notice_hours": 24)", R"("notice_hours": 0)")));
  CHECK_NOTHROW(parse_book_json(with(R"("free_minutes": 15)", R"("free_minutes": 0)")));
  CHECK_NOTHROW(parse_book_json(with(R"("included_rounds": 2)", R"("included_rounds": 0)")));
}

// Library problem: 0.0001 hours is > 0 as SPEC asks, but is 0.36 s, rounded to 0 s; validate() then
// refuses it with "engagements[1].terms.contingent_hours: must be a number > 0" — without the value,
// and contradicting the input. The message should at least show what was given.
TEST_CASE("hours too small to be a whole second are refused with the value given") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("contingent_hours": 10)", R"("contingent_hours": 0.0001)")),
                    Catch::Contains("0.0001"));
}

// Library problem: a count too large for 64 bits is called "not a positive integer" (it is one);
// the message should say it is too large, as it does for 10000001.
TEST_CASE("minutes too large for 64 bits are refused as too large") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": 10000001)")),
                    "engagements[0].entries[0].minutes: must be at most 10000000, got 10000001");
  CHECK_THROWS_WITH(parse_book_json(with(R"("minutes": 180)", R"("minutes": 18446744073709551615)")),
                    "engagements[0].entries[0].minutes: must be at most 10000000, got 18446744073709551615");
}

// Library problem: `minutes` is capped at 10000000 "so that sums over 10^8 entries cannot overflow",
// but an entry given by its `end` has no cap: this one is 8000 years (251634524400 s) and is accepted.
TEST_CASE("an entry given by its end is bounded like one given in minutes") {
  CHECK_THROWS_AS(parse_book_json(with(R"("end": "2026-02-02T11:00")", R"("end": "9999-12-31T00:00")")), validation_error);
}

TEST_CASE("an invoice has at least one line") {
  CHECK_THROWS_WITH(parse_book_json(with(R"("lines": [{"category": "base", "amount": "900"}])", R"("lines": [])")),
                    "engagements[1].invoices[0].lines: an invoice needs at least one line");
}

TEST_CASE("text that is not JSON is refused as such") {
  // Where it stops being JSON, and what was expected there (more in json_syntax_test.cpp).
  CHECK_THROWS_WITH(parse_book_json(""), "1:1: expected a value, got end of file");
  CHECK_THROWS_WITH(parse_book_json("not json"), "1:1: invalid literal 'not' (expected true, false or null; strings take double quotes)");
  CHECK_THROWS_WITH(parse_book_json(std::string(valid_book.substr(0, valid_book.size() - 1))),
                    "28:3: expected '}' to close the object opened at 1:1, got end of file");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kind": "internal"}])", R"("kind": "internal"},])")), "25:81: trailing ',' before ']'");
  // A second document after the book is not one JSON text either.
  CHECK_THROWS_WITH(parse_book_json(std::string(valid_book) + " {}"), "28:5: expected end of file after the book, got '{'");
  CHECK_THROWS_WITH(parse_book_json(with(R"("Beta AG")", "\"Beta \xff AG\"")), "2:103: invalid UTF-8 byte 0xFF (save the book as UTF-8)");
}

TEST_CASE("the format is kontingent-book/1 or kontingent-book/2") {
  CHECK(parse_book_json(with(R"("kontingent-book/1")", R"("kontingent-book/2")")) == parse_book_json(valid_book));
  CHECK_THROWS_WITH(parse_book_json(with(R"("kontingent-book/1")", R"("kontingent-book/3")")),
                    "format: expected \"kontingent-book/1\" or \"kontingent-book/2\", got \"kontingent-book/3\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("kontingent-book/1")", "1")), "format: expected a string, got a number");
}

// Library problem: the fields are checked before the format, so a file of another format is refused
// for its first field rather than for its format: a report passed as a book says
// `unknown field "as_of"` instead of naming the format.
TEST_CASE("a report passed as a book is refused for its format") {
  CHECK_THROWS_WITH(parse_book_json(R"({"format": "kontingent-report/1", "as_of": "2026-03-10", "engagements": []})"),
                    "format: expected \"kontingent-book/1\" or \"kontingent-book/2\", got \"kontingent-report/1\"");
}

TEST_CASE("validate() checks a book however it was made") {
  Book book = parse_book_json(valid_book);
  CHECK_NOTHROW(validate(book));

  Book other_currency = book;
  other_currency.engagements[0].terms.rate = Money(9500, Currency("USD"));
  CHECK_THROWS_WITH(validate(other_currency), "engagements[0].terms.rate: amount is in USD but the engagement is in EUR");

  Book empty_entry = book;
  Entries entries;
  entries.push_back(clock_seconds(parse_time("2026-01-06T09:00")), 0, EntryKind::scope);
  empty_entry.engagements[0].journal.entries = entries;
  CHECK_THROWS_WITH(validate(empty_entry), "engagements[0].entries[0].minutes: must be a positive integer, got 0");

  Book dangling = book;
  Entries bad_request;
  bad_request.push_back(clock_seconds(parse_time("2026-02-02T10:00")), 3600, EntryKind::revision, 7);
  dangling.engagements[0].journal.entries = bad_request;
  CHECK_THROWS_WITH(validate(dangling), "engagements[0].entries[0].request: unknown request #7");
}

TEST_CASE("an entry ends by 9999-12-31T23:59:59, the last moment every format can hold") {
  // Issue 18: such an entry passed `check`, but its archive did not load and its JSON "end" wrapped to year 0000.
  const std::string open_ended = with(R"("end": "2026-06-30", "review_by")", R"("review_by")");
  CHECK_NOTHROW(parse_book_json(replaced(open_ended, R"({"start": "2026-01-06T09:00", "minutes": 180)",
                                         R"({"start": "9999-12-31T23:00", "minutes": 59)")));
  CHECK_THROWS_WITH(parse_book_json(replaced(open_ended, R"({"start": "2026-01-06T09:00", "minutes": 180)",
                                             R"({"start": "9999-12-31T23:59", "minutes": 30)")),
                    "engagements[0].entries[0]: ends after 9999-12-31T23:59:59, the last moment a book holds (years 1400 to 9999)");
  CHECK_THROWS_WITH(parse_book_json(replaced(open_ended, R"({"start": "2026-01-06T09:00", "minutes": 180)",
                                             R"({"start": "9999-12-31T23:59", "minutes": 1)")),
                    "engagements[0].entries[0]: ends after 9999-12-31T23:59:59, the last moment a book holds (years 1400 to 9999)");
}

TEST_CASE("every text a book holds is UTF-8, however the book was made") {
  const Book book = parse_book_json(valid_book);
  const std::string bad = "Caf\xE9";  // Windows-1252 é: what a CSV from German Excel holds
  Book client = book;
  client.clients[1].name = bad;
  CHECK_THROWS_WITH(validate(client), "clients[1].name: not valid UTF-8: byte 0xE9 at byte 4");
  Book note = book;
  Entries entries = note.engagements[0].journal.entries;
  entries.push_back(clock_seconds(parse_time("2026-01-07T09:00")), 3600, EntryKind::scope, no_request, bad);
  note.engagements[0].journal.entries = entries;
  CHECK_THROWS_WITH(validate(note), "engagements[0].entries[4].note: not valid UTF-8: byte 0xE9 at byte 4");
  Book request = book;
  request.engagements[0].journal.requests[1].id = "C\xC3";  // a sequence cut short
  CHECK_THROWS_WITH(validate(request), "engagements[0].requests[1].id: not valid UTF-8: byte 0xC3 at byte 2");
  Book owner = book;
  owner.owner = Owner{.name = "Studio \xF0\x9F\x98", .address = {.city = "Köln", .country = "DE"}};
  CHECK_THROWS_WITH(validate(owner), "owner.name: not valid UTF-8: byte 0xF0 at byte 8");
  Book fine = book;
  fine.clients[1].name = "Café Ünïcødé 😀";
  CHECK_NOTHROW(validate(fine));
}

TEST_CASE("a value quoted in a message is cut to 80 characters and cannot drive a terminal") {
  const std::string long_id(200, 'x');
  CHECK_THROWS_WITH(parse_book_json(with(R"("client": "beta")", R"("client": ")" + long_id + "\"")),
                    "engagements[1].client: unknown client \"" + std::string(80, 'x') + "…\"");
  CHECK_THROWS_WITH(parse_book_json(with(R"("client": "beta")", R"("client": "be\u001b[2Jta")")),
                    "engagements[1].client: unknown client \"be\\u001B[2Jta\"");
}

TEST_CASE("R7 and R07 are one request written twice: a book refuses the second") {
  CHECK_THROWS_WITH(parse_book_json(replaced(with(R"({"id": "C1", "kind": "change")", R"({"id": "R01", "kind": "change")"),
                                             R"("request": "C1")", R"("request": "R01")")),
                    "engagements[0].requests[1].id: request id \"R01\" is request \"R1\" with other leading zeros; give each "
                    "request its own number");
  // Other numbers stay other requests, and a lone zero is a number of its own.
  CHECK_NOTHROW(parse_book_json(replaced(with(R"({"id": "C1", "kind": "change")", R"({"id": "R10", "kind": "change")"),
                                         R"("request": "C1")", R"("request": "R10")")));
  CHECK(detail::request_key("R007") == "R7");
  CHECK(detail::request_key("R0") == "R0");
  CHECK(detail::request_key("R00") == "R0");
  CHECK(detail::request_key("A01-002b") == "A1-2b");
}
