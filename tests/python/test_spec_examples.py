"""SPEC §8-9: both worked examples through Python, every number exact (Decimal, not float)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

import kontingent as k
from conftest import expected_report


def assert_matches(report: k.Report, expected: dict) -> None:
    assert report.as_of == date.fromisoformat(expected["as_of"])
    assert len(report) == len(expected["engagements"])
    for got, want in zip(report, expected["engagements"]):
        assert (got.id, got.client, got.currency) == (want["id"], want["client"], want["currency"])
        for field in ("billable", "invoiced", "leakage"):
            assert got.__getattribute__(field) == {c: Decimal(v) for c, v in want[field].items()}, field
            assert all(type(v) is Decimal for v in getattr(got, field).values())
            assert list(getattr(got, field)) == list(k.CATEGORIES)
        assert got.unbilled == Decimal(want["unbilled"])
        assert got.overbilled == Decimal(want["overbilled"])
        assert got.worked_seconds == want["worked_seconds"]
        assert got.worked == timedelta(seconds=want["worked_seconds"])
        assert got.seconds_by_kind == want["seconds_by_kind"]
        assert got.effective_rate == (Decimal(want["effective_rate"]) if want["effective_rate"] else None)
        assert (got.rounds.included, got.rounds.used, got.rounds.extra) == tuple(want["rounds"].values())
        if want["contingent"] is None:
            assert got.contingent is None
        else:
            c = got.contingent
            assert (c.available_seconds, c.consumed_seconds, c.overage_seconds) == tuple(want["contingent"].values())
        assert got.alerts == tuple(want["alerts"])


@pytest.mark.parametrize("name", ["a-fixed", "b-retainer"])
def test_worked_examples_come_out_exactly(name, book_a, book_b):
    book = book_a if name == "a-fixed" else book_b
    assert_matches(book.evaluate(), expected_report(name))


def test_worked_example_a_in_numbers(book_a):
    r = book_a.evaluate()["acme-site"]
    assert r.billable["change"] == Decimal("166.25")  # 1.75 h × 95
    assert r.billable["rush"] == Decimal("142.50")  # 3 h × 95 × 50 %
    assert r.unbilled == Decimal("668.75")
    assert r.effective_rate == Decimal("409.27")
    assert r.has("extra_rounds") and not r.has("overlap")


def test_worked_example_b_months(book_b):
    e = book_b.engagements[0]
    periods = e.contingent_periods()
    assert [first for first, _ in periods] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert [(u.available_seconds, u.consumed_seconds, u.overage_seconds) for _, u in periods] == [
        (36000, 30600, 0), (41400, 50400, 9000), (36000, 36000, 0)]


def example_a_in_python() -> k.Book:
    """Worked example A typed in Python with keyword arguments (no file)."""
    t = datetime
    terms = k.Terms(pricing="fixed", rate=Decimal("95"), fixed_price=Decimal("4800"), included_rounds=2,
                    extra_round_price=Decimal("350"), rounding=k.Rounding(increment_minutes=15, mode="up"),
                    call_fee=k.CallFee(free_minutes=15, block_minutes=30, fee=Decimal("40")),
                    rush=k.Rush(lead_hours=48, surcharge_percent=50),
                    no_show=k.NoShow(notice_hours=24, fee=Decimal("120")))
    requests = [
        k.Request(id="R1", kind="revision", received=t(2026, 2, 1, 9), due=t(2026, 2, 5, 9)),
        k.Request(id="R2", kind="revision", received=t(2026, 2, 10, 9), due=t(2026, 2, 11, 9)),
        k.Request(id="R3", kind="revision", received=t(2026, 2, 20, 9)),
        k.Request(id="C1", kind="change", received=t(2026, 2, 15, 9), due=t(2026, 2, 16, 17)),
    ]
    entries = [
        k.Entry(start=t(2026, 1, 6, 9), minutes=180, kind="scope", note="wireframes"),
        k.Entry(start=t(2026, 1, 7, 9), end=t(2026, 1, 7, 12, 20), kind="scope", note="first layout"),
        k.Entry(start=t(2026, 2, 2, 10), minutes=50, kind="revision", request="R1"),
        k.Entry(start=t(2026, 2, 10, 14), minutes=70, kind="revision", request="R2"),
        k.Entry(start=t(2026, 2, 21, 10), minutes=40, kind="revision", request="R3"),
        k.Entry(start=t(2026, 2, 15, 13), minutes=100, kind="change", request="C1", note="extra landing page"),
        k.Entry(start=t(2026, 2, 3, 11), minutes=25, kind="call"),
        k.Entry(start=t(2026, 2, 12, 16), duration=timedelta(minutes=50), kind="call", note="venting about their week"),
        k.Entry(start=t(2026, 2, 13, 10), seconds=600, kind="call"),
        k.Entry(start=t(2026, 2, 14, 8), minutes=30, kind="internal", note="invoicing"),
    ]
    appointments = [
        k.Appointment(at=t(2026, 2, 17, 10), status="no_show"),
        k.Appointment(at=t(2026, 2, 18, 10), status="cancelled", cancelled=t(2026, 2, 18, 8)),
        k.Appointment(at=t(2026, 2, 19, 10), status="cancelled", cancelled=t(2026, 2, 16, 10)),
        k.Appointment(at=t(2026, 2, 24, 10), status="kept"),
    ]
    engagement = k.Engagement(
        id="acme-site", client="acme", title="Website relaunch", currency="EUR", start=date(2026, 1, 5),
        end=date(2026, 6, 30), review_by=date(2026, 3, 31), terms=terms, requests=requests, entries=entries,
        appointments=appointments,
        invoices=[k.Invoice(id="INV-1", date=date(2026, 2, 28), lines={"base": Decimal("4800"), "revision": 350})],
        payments=[k.Payment(invoice="INV-1", date=date(2026, 3, 10), amount="5150")])
    return k.Book(clients=[k.Client(id="acme", name="ACME GmbH", channel="referral")], engagements=[engagement])


def test_worked_example_a_built_in_python():
    book = example_a_in_python()
    assert_matches(book.evaluate(), expected_report("a-fixed"))
    assert book.evaluate(as_of=date(2026, 3, 10)) == k.Book.load(
        __import__("conftest").SPEC_EXAMPLES / "a-fixed.book.json").evaluate()


def test_the_python_book_equals_the_file(book_a):
    built = example_a_in_python()
    assert built.clients == book_a.clients
    assert built.engagements[0].terms == book_a.engagements[0].terms
    assert built.engagements[0].requests == book_a.engagements[0].requests
    assert list(built.engagements[0].entries) == list(book_a.engagements[0].entries)
    assert built.engagements[0].invoices == book_a.engagements[0].invoices
    assert built.engagements[0].payments == book_a.engagements[0].payments
    assert built.evaluate() == book_a.evaluate()


def test_engagement_evaluates_alone(book_a):
    e = book_a.engagements[0]
    assert e.evaluate() == book_a.evaluate()[0]
    assert k.evaluate(e, date(2026, 3, 10)) == book_a.evaluate()[0]
    assert e.evaluate(date(2026, 1, 31)).billable["call"] == Decimal("0.00")


def test_text_csv_and_json_reports(book_a):
    r = book_a.evaluate()
    assert "668.75" in r.to_text()
    assert r.to_csv().splitlines()[0] == "engagement,client,currency,category,billable,invoiced,leakage"
    assert r.to_json() .strip() == (__import__("conftest").SPEC_EXAMPLES / "a-fixed.report.json").read_text().strip()
