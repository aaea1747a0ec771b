"""Time-tracker exports from Python: read_toggl & co. as DataFrames, book.import_entries, ImportFileError."""

import json
import pickle
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest

import kontingent as k
from conftest import SOURCE, expected_report

IMPORT = SOURCE / "tests" / "data" / "import"


@pytest.fixture
def in_import_folder(monkeypatch):
    monkeypatch.chdir(IMPORT)


def test_example_a_from_its_toggl_export_gives_the_spec_report():
    terms = k.Book.load(IMPORT / "a-fixed.terms.book.json")
    book, summary = terms.import_entries("toggl", IMPORT / "a-fixed.toggl.csv")
    assert isinstance(summary, k.ImportSummary)
    assert (summary.rows_read, summary.imported, summary.duplicates) == (11, 10, 0)
    assert summary.skipped == {"zero-length timer": 1} and summary.skipped_total == 1
    assert summary.by_engagement == {"acme-site": 10} and summary.new_requests == []
    assert summary.tracker == "toggl" and summary.date_format == "YYYY-MM-DD"
    assert len(terms.engagements[0].entries) == 0  # the given book is not touched
    assert book.evaluate().to_json() == (SOURCE / "tests" / "data" / "spec-examples" / "a-fixed.report.json").read_text()
    report = book.evaluate()["acme-site"]
    assert report.unbilled == Decimal("668.75")
    assert report.leakage["call"] == Decimal(expected_report("a-fixed")["engagements"][0]["leakage"]["call"])


def test_importing_twice_adds_nothing():
    terms = k.Book.load(IMPORT / "a-fixed.terms.book.json")
    once, _ = terms.import_entries("toggl", IMPORT / "a-fixed.toggl.csv")
    twice, summary = once.import_entries("toggl", str(IMPORT / "a-fixed.toggl.csv"))
    assert (summary.imported, summary.duplicates) == (0, 10)
    assert twice.to_json() == once.to_json()
    assert "0 imported, 10 duplicates" in repr(summary)


def test_one_engagement_and_a_mapping_dict():
    terms = k.Book.load(IMPORT / "a-fixed.terms.book.json")
    book, summary = terms.import_entries("toggl", IMPORT / "a-fixed.toggl.csv", engagement="acme-site",
                                         mapping={"date_format": "YYYY-MM-DD"})
    assert summary.imported == 10


def test_read_toggl_gives_the_rows_as_a_frame():
    frame = k.read_toggl(IMPORT / "a-fixed.toggl.csv")
    assert len(frame) == 10
    assert frame.start.dtype == "datetime64[ns]" and frame.seconds.dtype == "int64"
    assert frame.start.iloc[0] == pd.Timestamp("2026-01-06 09:00:00") and frame.seconds.iloc[0] == 10800
    assert (frame.client.iloc[0], frame.project.iloc[0], frame.description.iloc[0]) == ("ACME GmbH", "Website relaunch", "wireframes")
    assert frame.line.iloc[0] == 2
    assert frame.attrs["rows_read"] == 11 and frame.attrs["skipped"] == {"zero-length timer": 1}


@pytest.mark.parametrize("reader, file, rows", [
    (k.read_toggl, "toggl-quirks.csv", 6),
    (k.read_clockify, "clockify-quirks.csv", 3),
    (k.read_harvest, "harvest-quirks.csv", 4),
    (k.read_kimai, "kimai-de.csv", 3),
    (k.read_timeclock, "quirks.timeclock", 2),
])
def test_every_reader(reader, file, rows):
    frame = reader(IMPORT / file)
    assert len(frame) == rows
    assert list(frame.columns) == ["start", "seconds", "client", "project", "task", "description", "tags", "billable",
                                   "user", "line"]


def test_tags_and_billable():
    frame = k.read_toggl(IMPORT / "toggl-quirks.csv")
    assert frame.tags.iloc[1] == ["Kunde", "call"]
    assert frame.billable.dtype == "boolean"
    assert k.read_timeclock(IMPORT / "quirks.timeclock").billable.isna().all()
    assert k.read_kimai(IMPORT / "kimai-de.csv").attrs["date_format"] == "DD.MM.YYYY"


def test_a_bad_file_names_file_line_and_column(in_import_folder):
    book = k.Book.load("a-fixed.terms.book.json")
    with pytest.raises(k.ImportFileError) as caught:
        book.import_entries("toggl", "errors/short-row.csv")
    e = caught.value
    assert str(e) == "errors/short-row.csv:3:94: row has 11 fields but the header has 14"
    assert (e.file, e.line, e.column, e.rule) == ("errors/short-row.csv", 3, 94, "row has 11 fields but the header has 14")
    assert isinstance(e, ValueError) and isinstance(e, k.Error)
    again = pickle.loads(pickle.dumps(e))
    assert (again.file, again.line, again.column, again.rule) == (e.file, e.line, e.column, e.rule)
    with pytest.raises(k.ImportFileError, match=r"^errors/impossible-date.csv:3:54: impossible date"):
        k.read_toggl("errors/impossible-date.csv")
    with pytest.raises(k.ImportFileError) as caught:
        k.read_timeclock("errors/clock-out-first.timeclock")
    assert str(caught.value) == "errors/clock-out-first.timeclock:2:1: clock-out without a clock-in"


def test_bad_tracker_and_mapping():
    book = k.Book.load(IMPORT / "a-fixed.terms.book.json")
    with pytest.raises(k.ValidationError, match="tracker must be"):
        book.import_entries("excel", IMPORT / "a-fixed.toggl.csv")
    with pytest.raises(k.ImportFileError, match="no engagement \"nope\""):
        book.import_entries("toggl", IMPORT / "a-fixed.toggl.csv", engagement="nope")
    with pytest.raises(k.FileError):
        k.read_toggl(IMPORT / "missing.csv")


def test_an_edited_timer_is_an_overlap_reported_not_added_twice():
    week, _ = k.Book.load(IMPORT / "studio.book.json").import_entries("toggl", IMPORT / "sync-week.csv")
    book, summary = week.import_entries("toggl", IMPORT / "sync-week-edited.csv")
    assert (summary.imported, summary.duplicates, summary.skipped_total) == (2, 3, 2)
    assert summary.overlaps == [{
        "line": 2,
        "row": {"engagement": "relaunch", "start": datetime(2026, 3, 2, 9), "seconds": 35100, "kind": "scope", "note": "wireframes"},
        "book": {"engagement": "relaunch", "start": datetime(2026, 3, 2, 9), "seconds": 27000, "kind": "scope", "note": "wireframes"},
    }]
    assert summary.replaced is None and summary.changes == [] and summary.removals == []
    assert summary.requests_without_due == ["relaunch/C3"]


@pytest.mark.parametrize("period", ["2026-03-01..2026-03-31", (date(2026, 3, 1), date(2026, 3, 31))])
def test_replace_period_replaces_the_period_and_says_what_changed(period):
    week, _ = k.Book.load(IMPORT / "studio.book.json").import_entries("toggl", IMPORT / "sync-week.csv")
    book, summary = week.import_entries("toggl", IMPORT / "sync-week-edited.csv", replace_period=period)
    assert summary.replaced == (date(2026, 3, 1), date(2026, 3, 31))
    assert summary.replaced_in == ["drei-logo", "relaunch"]
    assert (summary.imported, summary.changed, summary.removed, summary.duplicates, summary.outside_period) == (2, 1, 1, 2, 1)
    assert summary.changes[0]["line"] == 2
    assert summary.changes[0]["book"]["seconds"] == 27000 and summary.changes[0]["row"]["seconds"] == 35100
    assert summary.removals == [{"engagement": "relaunch", "start": datetime(2026, 3, 4, 10), "seconds": 1800, "kind": "call",
                                 "note": "call with Anna"}]
    assert "  changed:    1\n" in str(summary)
    entries = book.engagement("relaunch").entries
    assert sorted(e.note for e in entries) == ["R2 menu", "february tail", "layout", "wireframes", "Änderungswunsch 3: footer"]
    assert next(q for q in book.engagement("relaunch").requests if q.id == "R2").due == datetime(2026, 3, 12, 23, 59)
    again, summary = book.import_entries("toggl", IMPORT / "sync-week-edited.csv", replace_period=period)
    assert (summary.imported, summary.changed, summary.removed, summary.duplicates) == (0, 0, 0, 5)
    assert again.to_json() == book.to_json()


def test_strict_and_bad_periods_raise():
    week, _ = k.Book.load(IMPORT / "studio.book.json").import_entries("toggl", IMPORT / "sync-week.csv")
    with pytest.raises(k.ImportFileError) as caught:
        week.import_entries("toggl", IMPORT / "sync-week-edited.csv", strict=True)
    assert caught.value.rule == ('strict: 2 of 7 rows would not be imported (1 no engagement for client "Kunde Zwei", '
                                 'project "Other"; 1 overlaps an entry already in the book); nothing was imported')
    with pytest.raises(k.ValidationError, match=r"^replace_period: the period ends 2026-03-01, before it starts 2026-03-31$"):
        week.import_entries("toggl", IMPORT / "sync-week.csv", replace_period=(date(2026, 3, 31), date(2026, 3, 1)))
    with pytest.raises(TypeError):
        week.import_entries("toggl", IMPORT / "sync-week.csv", None, None, "2026-03-01..2026-03-31")  # keyword only


def test_solidtime_export_as_a_frame():
    frame = k.read_tracker("solidtime", IMPORT / "solidtime-generic.csv")
    assert len(frame) == 1 and frame.attrs["skipped"] == {"zero-length timer": 1}
    assert frame.start.iloc[0] == pd.Timestamp("2024-03-04 09:23:00") and frame.seconds.iloc[0] == 3601
    assert (frame.client.iloc[0], frame.task.iloc[0], frame.user.iloc[0]) == ("Big Company", "Task 1", "Peter Tester")
