// record() (include/kontingent/record.hpp): every event lands where it belongs, is refused with the
// very message validate() gives for the book with the event in it, and a refused event changes nothing.
#include <catch2/catch.hpp>
#include <random>

#include "kontingent/evaluate.hpp"
#include "kontingent/live.hpp"
#include "kontingent/record.hpp"
#include "test_support.hpp"

using namespace kontingent;

namespace {

Book example_a() { return load_book_json(test::spec_example("a-fixed.book.json")); }

Time at(const char* text) { return parse_time(text); }

Money eur(const char* amount) { return Money::parse(amount, Currency("EUR")); }

/// The message validate() gives for `book` with the event put in directly, without any check; "" when valid.
std::string validate_message(Book book, const Event& event) {
  Engagement& e = *std::find_if(book.engagements.begin(), book.engagements.end(), [&](const Engagement& x) {
    return x.id == engagement_of(event);
  });
  std::visit(
      [&](const auto& ev) {
        using T = std::decay_t<decltype(ev)>;
        if constexpr (std::is_same_v<T, NewEntry>) {
          const RequestIndex r = ev.request.empty() ? no_request : e.journal.find_request(ev.request);
          e.journal.entries.push_back(clock_seconds(ev.start), ev.seconds, ev.kind, r, ev.note, ev.written_as_minutes);
        } else if constexpr (std::is_same_v<T, NewRequest>) {
          e.journal.requests.push_back(ev.request);
        } else if constexpr (std::is_same_v<T, NewAppointment>) {
          e.journal.appointments.push_back(ev.appointment);
        } else if constexpr (std::is_same_v<T, NewInvoice>) {
          e.journal.invoices.push_back(ev.invoice);
        } else {
          e.journal.payments.push_back(ev.payment);
        }
      },
      event);
  try {
    validate(book);
    return "";
  } catch (const validation_error& error) {
    return error.what();
  }
}

std::string record_message(Book& book, const Event& event) {
  try {
    record(book, event);
    return "";
  } catch (const validation_error& error) {
    return error.what();
  }
}

}  // namespace

TEST_CASE("record adds each kind of event to its engagement and says where it went", "[record]") {
  Book book = example_a();
  const Engagement before = book.engagements[0];
  CHECK(record(book, NewRequest{"acme-site", {"R4", RequestKind::revision, at("2026-03-01T09:00"), {}, {}, false}}) ==
        "engagements[0].requests[4]");
  CHECK(record(book, NewEntry{"acme-site", at("2026-03-02T09:00"), 5400, EntryKind::revision, "R4", "round 4", true}) ==
        "engagements[0].entries[10]");
  CHECK(record(book, NewAppointment{"acme-site", {at("2026-03-03T10:00"), AppointmentStatus::no_show, {}}}) ==
        "engagements[0].appointments[4]");
  CHECK(record(book, NewInvoice{"acme-site", {"INV-2", Date(2026, 3, 5), {{Category::revision, eur("350")}}}}) ==
        "engagements[0].invoices[1]");
  CHECK(record(book, NewPayment{"acme-site", {"INV-2", Date(2026, 3, 6), eur("350")}}) == "engagements[0].payments[1]");

  const Engagement& e = book.engagements[0];
  REQUIRE(e.journal.entries.size() == before.journal.entries.size() + 1);
  const Entry added = e.journal.entries[10];
  CHECK(added.start == at("2026-03-02T09:00"));
  CHECK(added.seconds == 5400);
  CHECK(added.request == 4);
  CHECK(added.note == "round 4");
  validate(book);
  // The recorded round is round 4 of 2 included: one more extra round at 350, invoiced and paid.
  const EngagementReport r = evaluate(e, Date(2026, 3, 10));
  CHECK(r.rounds == Rounds{2, 4, 2});
  CHECK(r.billable[Category::revision] == eur("700"));
  CHECK(r.invoiced[Category::revision] == eur("700"));
}

TEST_CASE("record refuses what the readers refuse, with their message, and changes nothing", "[record]") {
  const Book original = example_a();
  const std::vector<std::pair<Event, std::string>> refused{
      {NewEntry{"nope", at("2026-02-02T09:00"), 600, EntryKind::scope, "", "", true}, "the book has no engagement \"nope\""},
      {NewEntry{"acme-site", at("2026-02-02T09:00"), 600, EntryKind::revision, "R9", "", true},
       "engagements[0].entries[10].request: unknown request \"R9\""},
      {NewEntry{"acme-site", at("2025-12-31T09:00"), 600, EntryKind::scope, "", "", true},
       "engagements[0].entries[10]: starts 2025-12-31, before the engagement's start 2026-01-05"},
      {NewEntry{"acme-site", at("2026-07-01T09:00"), 600, EntryKind::scope, "", "", true},
       "engagements[0].entries[10]: starts 2026-07-01, after the engagement's end 2026-06-30"},
      {NewEntry{"acme-site", at("2026-02-02T09:00"), 0, EntryKind::scope, "", "", true},
       "engagements[0].entries[10].minutes: must be a positive integer, got 0"},
      {NewEntry{"acme-site", at("2026-02-02T09:00"), 600, EntryKind::change, "R1", "", true},
       "engagements[0].entries[10]: a \"change\" entry must name a \"change\" request, but \"R1\" is a \"revision\" request"},
      {NewEntry{"acme-site", at("2026-02-02T09:00"), 600, EntryKind::call, "R1", "", true},
       "engagements[0].entries[10]: a \"call\" entry cannot name a request"},
      {NewEntry{"acme-site", at("2026-02-02T09:00"), 600, EntryKind::revision, "", "", true},
       "engagements[0].entries[10]: a \"revision\" entry must name its request"},
      {NewRequest{"acme-site", {"R1", RequestKind::revision, at("2026-03-01T09:00"), {}, {}, false}},
       "engagements[0].requests[4].id: duplicate request id \"R1\" in this engagement"},
      {NewRequest{"acme-site", {"R5", RequestKind::revision, at("2026-03-01T09:00"), at("2026-02-28T09:00"), {}, false}},
       "engagements[0].requests[4]: due 2026-02-28T09:00 is before received 2026-03-01T09:00"},
      {NewRequest{"acme-site", {"R5", RequestKind::revision, at("2026-03-01T09:00"), {}, eur("10"), false}},
       "engagements[0].requests[4]: \"quote\" is only for change requests"},
      {NewAppointment{"acme-site", {at("2026-03-03T10:00"), AppointmentStatus::cancelled, {}}},
       "engagements[0].appointments[4]: a cancelled appointment needs its \"cancelled\" time"},
      {NewInvoice{"acme-site", {"INV-1", Date(2026, 3, 5), {{Category::call, eur("120")}}}},
       "engagements[0].invoices[1].id: duplicate invoice id \"INV-1\""},
      {NewInvoice{"acme-site", {"INV-2", Date(2026, 3, 5), {}}}, "engagements[0].invoices[1].lines: an invoice needs at least one line"},
      {NewInvoice{"acme-site", {"INV-2", Date(2026, 3, 5), {{Category::call, Money::parse("12", Currency("USD"))}}}},
       "engagements[0].invoices[1].lines[0].amount: amount is in USD but the engagement is in EUR"},
      {NewPayment{"acme-site", {"INV-9", Date(2026, 3, 6), eur("10")}},
       "engagements[0].payments[1].invoice: unknown invoice \"INV-9\" (a payment must name an invoice of its engagement)"},
      {NewPayment{"acme-site", {"INV-1", Date(2026, 3, 6), eur("-10")}},
       "engagements[0].payments[1].amount: money must not be negative, got \"-10\""},
  };
  for (const auto& [event, message] : refused) {
    Book book = original;
    CHECK(record_message(book, event) == message);
    CHECK(book == original);
    // The same words as validate() of the book with the event put in unchecked (an unknown
    // engagement or request cannot even be put in).
    if (!message.starts_with("the book has no") && !message.ends_with("unknown request \"R9\""))
      CHECK(validate_message(original, event) == message);
  }
}

TEST_CASE("record and validate agree on every entry of a random walk around the engagement's edges", "[record][property]") {
  const Book original = example_a();
  std::mt19937 random(2026);
  const std::array<const char*, 6> starts{"2026-01-04T23:59", "2026-01-05T00:00", "2026-03-01T12:00",
                                          "2026-06-30T23:59", "2026-07-01T00:00", "2026-02-29T00:00"};
  const std::array<std::string, 5> requests{"", "R1", "C1", "R3", "R9"};
  std::size_t accepted = 0, refused = 0;
  for (int n = 0; n < 2000; ++n) {
    const char* start = starts[random() % starts.size()];
    if (std::string(start) == "2026-02-29T00:00") continue;  // not a date: no Time to make
    const NewEntry entry{"acme-site", at(start), static_cast<Seconds>(random() % 3) * 1800 - (random() % 4 == 0 ? 60 : 0),
                         static_cast<EntryKind>(random() % entry_kind_count), requests[random() % requests.size()], "", random() % 2 == 0};
    Book book = original;
    const std::string message = record_message(book, entry);
    if (message.empty()) {
      ++accepted;
      validate(book);
    } else {
      ++refused;
      CHECK(book == original);
    }
    if (entry.request != "R9") CHECK(validate_message(original, entry) == message);
  }
  CHECK(accepted > 50);
  CHECK(refused > 500);
}

TEST_CASE("a live balance refuses, through record, what a book would refuse", "[record][live]") {
  Engagement e = example_a().engagements[0];
  e.journal.entries = Entries{};
  LiveBalance live(e, Date(2026, 3, 10));
  const ClockSeconds nine = clock_seconds(at("2026-02-02T09:00"));
  CHECK_THROWS_WITH(live.append(nine, 0, EntryKind::scope), "entries[0].minutes: must be a positive integer, got 0");
  CHECK_THROWS_WITH(live.append(nine, 60, EntryKind::revision), "entries[0]: a \"revision\" entry must name its request");
  CHECK_THROWS_WITH(live.append(nine, 60, EntryKind::scope, 0), "entries[0]: a \"scope\" entry cannot name a request");
  CHECK_THROWS_WITH(live.append(clock_seconds(at("2026-07-01T09:00")), 60, EntryKind::scope),
                    "entries[0]: starts 2026-07-01, after the engagement's end 2026-06-30");
  CHECK(live.engagement().journal.entries.empty());
  live.append(nine, 3600, EntryKind::scope);
  CHECK(live.engagement().journal.entries.size() == 1);
}

TEST_CASE("record_entries adds all entries or none", "[record]") {
  Engagement e = example_a().engagements[0];
  const std::size_t before = e.journal.entries.size();
  Entries batch;
  batch.push_back(clock_seconds(at("2026-03-02T09:00")), 600, EntryKind::scope);
  batch.push_back(clock_seconds(at("2026-03-02T10:00")), 600, EntryKind::change, 0);  // request 0 is R1, a revision
  CHECK_THROWS_WITH(record_entries(e, batch, "engagements[0]"),
                    "engagements[0].entries[11]: a \"change\" entry must name a \"change\" request, but \"R1\" is a "
                    "\"revision\" request");
  CHECK(e.journal.entries.size() == before);
  Entries good;
  good.push_back(clock_seconds(at("2026-03-02T09:00")), 600, EntryKind::scope, no_request, "a note");
  good.push_back(clock_seconds(at("2026-03-02T10:00")), 600, EntryKind::revision, 0);
  record_entries(e, good);
  REQUIRE(e.journal.entries.size() == before + 2);
  CHECK(e.journal.entries.note(before) == "a note");
  CHECK(e.journal.entries.requests()[before + 1] == 0);
}

TEST_CASE("record_entry and record_entries refuse a note that is not UTF-8, as a book would", "[record]") {
  Engagement e = example_a().engagements[0];
  const std::size_t before = e.journal.entries.size();
  REQUIRE(before == 10);
  const ClockSeconds nine = clock_seconds(at("2026-03-02T09:00"));
  CHECK_THROWS_WITH(record_entry(e, nine, 600, EntryKind::scope, no_request, "Caf\xE9", true, "engagements[0]"),
                    "engagements[0].entries[10].note: not valid UTF-8: byte 0xE9 at byte 4");
  Entries batch;
  batch.push_back(nine, 600, EntryKind::scope, no_request, "fine");
  batch.push_back(nine + 3600, 600, EntryKind::scope, no_request, "Gr\xFC\xDF" "e");
  CHECK_THROWS_WITH(record_entries(e, batch), "entries[11].note: not valid UTF-8: byte 0xFC at byte 3");
  CHECK(e.journal.entries.size() == before);
  // What they refuse, validate() refuses in a book at the same place.
  Book book = example_a();
  book.engagements[0].journal.entries.push_back(nine, 600, EntryKind::scope, no_request, "Caf\xE9");
  CHECK_THROWS_WITH(validate(book), "engagements[0].entries[10].note: not valid UTF-8: byte 0xE9 at byte 4");
}
