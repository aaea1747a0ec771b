// kontingent/journal.hpp: the entry columns, filled entry by entry or in bulk.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kontingent/journal.hpp"

using namespace kontingent;

TEST_CASE("entries appended in bulk are the entries pushed one by one") {
  const std::vector<Entries::Row> rows = {
      {1000, 3600, EntryKind::scope, no_request, "", true},
      {5000, 90, EntryKind::revision, 0, "Logo v2", false},
      {9000, 60, EntryKind::change, 1, "", true},
      {9100, 61, EntryKind::call, no_request, "Anruf \"lang\"", false},
  };
  Entries pushed;
  for (const Entries::Row& r : rows) pushed.push_back(r.start, r.seconds, r.kind, r.request, r.note, r.written_as_minutes);

  // After an entry already there, as a reader appends to a journal.
  Entries appended;
  appended.push_back(rows[0].start, rows[0].seconds, rows[0].kind, rows[0].request, rows[0].note, rows[0].written_as_minutes);
  appended.append(rows.size() - 1, [&](std::size_t i) { return rows[i + 1]; });
  CHECK(appended == pushed);
  REQUIRE(appended.size() == 4);
  CHECK(appended.note(1) == "Logo v2");
  CHECK(appended.note(2).empty());
  CHECK(appended.note(3) == "Anruf \"lang\"");
  CHECK(appended.note_texts().size() == 2);
  CHECK_FALSE(appended.written_as_minutes(3));
  CHECK(appended.requests()[2] == 1);

  appended.append(0, [&](std::size_t) -> Entries::Row { FAIL("no row is asked for"); return {}; });
  CHECK(appended == pushed);
}

TEST_CASE("only an entry of whole minutes is kept as written in minutes, however it is added") {
  Entries e;
  e.push_back(1000, 120, EntryKind::scope, no_request, "", true);
  e.push_back(1000, 90, EntryKind::scope, no_request, "", true);  // 1.5 minutes: only `end` can say it
  e.push_back(1000, -120, EntryKind::scope, no_request, "", true);
  e.append(2, [](std::size_t i) { return Entries::Row{1000, i == 0 ? 1802 : 60, EntryKind::call, no_request, "", true}; });
  e.push_back(1000, 120, EntryKind::scope, no_request, "", false);
  std::vector<bool> forms;
  for (std::size_t i = 0; i < e.size(); ++i) forms.push_back(e.written_as_minutes(i));
  CHECK(forms == std::vector<bool>{true, false, true, false, true, false});
  CHECK_FALSE(e[1].written_as_minutes);
}

TEST_CASE("note texts are kept one after another in one buffer, each followed by a line feed") {
  NoteTexts texts;
  texts.push_back("Logo v2");
  texts.push_back("");
  texts.push_back("zwei\nZeilen, äöü");
  REQUIRE(texts.size() == 3);
  CHECK(texts[0] == "Logo v2");
  CHECK(texts[1].empty());
  CHECK(texts[2] == "zwei\nZeilen, äöü");
  CHECK(texts.joined() == "Logo v2\n\nzwei\nZeilen, äöü\n");
  NoteTexts same;
  for (std::size_t k = 0; k < texts.size(); ++k) same.push_back(texts[k]);
  CHECK(same == texts);
  same.push_back("x");
  CHECK_FALSE(same == texts);

  // An entry may take its note from an entry of the same columns, though the buffer grows.
  Entries e;
  e.push_back(1000, 60, EntryKind::scope, no_request, "Telefonat mit dem Kunden über die Startseite");
  for (int i = 0; i < 100; ++i) e.push_back(1000, 60, EntryKind::call, no_request, e.note(static_cast<std::size_t>(i)));
  CHECK(e.note(100) == "Telefonat mit dem Kunden über die Startseite");
  CHECK(e.note_texts().size() == 101);
}

TEST_CASE("entries appended from other columns keep their notes and take their requests renumbered") {
  // As the JSON reader adds an entry list it read before the journal's requests: requests 0 and 1
  // of the list are the journal's 3 and 1.
  Entries read;
  read.push_back(1000, 3600, EntryKind::revision, 0, "Logo v2", false);
  read.push_back(5000, 60, EntryKind::scope, no_request, "", true);
  read.push_back(9000, 120, EntryKind::change, 1, "Anruf \"lang\"", true);
  read.push_back(9100, 61, EntryKind::revision, 0, "", false);

  Entries journal;
  journal.push_back(500, 60, EntryKind::call, no_request, "schon da", true);
  const std::vector<RequestIndex> in_journal = {no_request, 3, 1};  // for no request, 0 and 1
  journal.append(read, [&](RequestIndex r) { return in_journal[static_cast<std::size_t>(r + 1)]; });

  Entries expected;
  expected.push_back(500, 60, EntryKind::call, no_request, "schon da", true);
  expected.push_back(1000, 3600, EntryKind::revision, 3, "Logo v2", false);
  expected.push_back(5000, 60, EntryKind::scope, no_request, "", true);
  expected.push_back(9000, 120, EntryKind::change, 1, "Anruf \"lang\"", true);
  expected.push_back(9100, 61, EntryKind::revision, 3, "", false);
  CHECK(journal == expected);
  CHECK(journal.requests()[2] == no_request);
  CHECK(journal.note(3) == "Anruf \"lang\"");
  CHECK(journal.note_texts().joined() == "schon da\nLogo v2\nAnruf \"lang\"\n");

  // Without a renumbering, requests stay as they are; cleared columns are empty and fill again.
  Entries copy;
  copy.append(read);
  CHECK(copy == read);
  copy.clear();
  CHECK(copy.empty());
  CHECK(copy.note_texts().empty());
  CHECK(copy == Entries{});
  copy.push_back(1, 60, EntryKind::scope, no_request, "neu", true);
  CHECK(copy.note(0) == "neu");
  CHECK(copy.note_texts().size() == 1);

  // Entries appended to themselves come twice.
  copy.append(copy);
  REQUIRE(copy.size() == 2);
  CHECK(copy.note(1) == "neu");
  CHECK(copy.note_texts().joined() == "neu\nneu\n");
}

TEST_CASE("the latest start is kept however entries are added, and forgotten when they are cleared") {
  Entries e;
  CHECK_FALSE(e.latest_start());
  e.push_back(5000, 60, EntryKind::scope);
  e.push_back(-86400, 60, EntryKind::scope);  // before 1970, and out of order
  CHECK(e.latest_start() == 5000);
  e.append(2, [](std::size_t i) { return Entries::Row{i == 0 ? 9000 : 7000, 60, EntryKind::call, no_request, "", true}; });
  CHECK(e.latest_start() == 9000);
  Entries later;
  later.push_back(12000, 60, EntryKind::scope);
  e.append(later);
  CHECK(e.latest_start() == 12000);
  e.append(Entries{});
  CHECK(e.latest_start() == 12000);
  e.clear();
  CHECK_FALSE(e.latest_start());
  e.push_back(-1, 60, EntryKind::scope);
  CHECK(e.latest_start() == -1);
}
