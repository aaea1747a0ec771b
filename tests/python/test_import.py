"""Time-tracker exports from Python: read_toggl & co. as DataFrames, book.import_entries, ImportFileError."""

import json
import pickle
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
