"""Keeping a book from Python: record (the library's record(): the readers' checks and messages),
log/request/call, quote (SPEC §12: exactly what recording adds) and status."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

import kontingent as k
from conftest import SPEC_EXAMPLES


def test_record_adds_each_kind_of_event_and_says_where(book_a):
    request = k.Request(id="R4", kind="revision", received=dt.datetime(2026, 3, 1, 9))
    entry = k.Entry(start=dt.datetime(2026, 3, 2, 9), minutes=90, kind="revision", request="R4")
    missed = k.Appointment(at=dt.datetime(2026, 3, 3, 10), status="no_show")
    invoice = k.Invoice(id="INV-2", date=dt.date(2026, 3, 5), lines={"revision": Decimal("350")})
    payment = k.Payment(invoice="INV-2", date=dt.date(2026, 3, 6), amount=Decimal("350"))
    assert book_a.record("acme-site", request, entry, missed, invoice, payment) == [
        "engagements[0].requests[4]", "engagements[0].entries[10]", "engagements[0].appointments[4]",
        "engagements[0].invoices[1]", "engagements[0].payments[1]"]
    e = book_a.engagement("acme-site")
    assert e.requests[-1] == request and e.entries[-1] == entry and e.invoices[-1].id == "INV-2"
    assert book_a.evaluate(dt.date(2026, 3, 10))[0].billable["revision"] == Decimal("700.00")


def test_record_refuses_with_the_readers_message_and_records_nothing(book_a):
    before = book_a.to_json()
    good = k.Entry(start=dt.datetime(2026, 3, 2, 9), minutes=30, kind="scope")
    late = k.Entry(start=dt.datetime(2026, 7, 1, 9), minutes=30, kind="scope")
    with pytest.raises(k.ValidationError) as error:
        book_a.record("acme-site", good, late)
    assert (error.value.path, error.value.rule) == (
        "engagements[0].entries[11]", "starts 2026-07-01, after the engagement's end 2026-06-30")
    assert book_a.to_json() == before  # all or nothing: the good entry is not recorded either
    with pytest.raises(k.ValidationError, match='duplicate request id "R1" in this engagement'):
        book_a.record("acme-site", k.Request(id="R1", kind="revision", received=dt.datetime(2026, 3, 1, 9)))
    with pytest.raises(KeyError, match="no engagement"):
        book_a.record("nope", good)
    with pytest.raises(TypeError, match="an event is an Entry, Request, Appointment, Invoice or Payment, not str"):
        book_a.record("acme-site", "an entry")
    assert book_a.to_json() == before


def test_log_request_and_call_return_what_they_recorded(book_a):
    entry = book_a.log("acme-site", dt.datetime(2026, 3, 2, 9), duration=dt.timedelta(hours=1, minutes=30))
    assert entry == k.Entry(start=dt.datetime(2026, 3, 2, 9), minutes=90, kind="scope")
    request = book_a.request("acme-site", "change", received=dt.datetime(2026, 3, 3, 9), quote=Decimal("400"))
    assert request.id == "C2" and request.quote == Decimal("400.00")
    assert book_a.engagement("acme-site").next_request_id("revision") == "R4"
    call = book_a.call("acme-site", 50, at=dt.datetime(2026, 3, 4, 11))
    assert call.kind == "call" and len(book_a.engagement("acme-site").entries) == 12
    report = book_a.evaluate(dt.date(2026, 3, 10))[0]
    assert report.billable["change"] == Decimal("566.25")  # 166.25 + the quote of 400
    assert report.billable["call"] == Decimal("200.00")  # 120 + 80


def test_a_quote_says_what_a_fourth_round_due_tomorrow_costs(book_a):
    r4 = k.Request(id="R4", kind="revision", received=dt.datetime(2026, 3, 1, 9), due=dt.datetime(2026, 3, 2, 9))
    work = k.Entry(start=dt.datetime(2026, 3, 1, 9), minutes=90, kind="revision", request="R4")
    q = book_a.quote("acme-site", r4, work)
    assert isinstance(q, k.Quote)
    assert (q.engagement, q.currency, q.as_of) == ("acme-site", "EUR", dt.date(2026, 3, 10))
    assert q.total == Decimal("421.25")
    assert q.price["revision"] == Decimal("350.00") and q.price["rush"] == Decimal("71.25")
    assert q.facts == ["revision round 4, 2 included: an extra round at 350.00 EUR flat",
                       "due in 24 h, less than the 48 h lead time: rush, +50 % on its hours",
                       "1:30 h of revision work on R4"]
    assert json.loads(q.to_json())["total"] == "421.25"
    assert str(q).startswith("acme-site: 421.25 EUR (as of 2026-03-10)\n")
    assert repr(q) == "<Quote for 'acme-site': 421.25 EUR>"
    assert len(book_a.engagement("acme-site").requests) == 4  # a quote never changes the book


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["scope", "call", "internal", "revision", "change"]),
       minutes=st.integers(min_value=1, max_value=600),
       hours_ahead=st.integers(min_value=1, max_value=120),
       day=st.integers(min_value=1, max_value=28))
def test_a_quote_is_what_recording_adds(kind, minutes, hours_ahead, day):
    book = k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")
    at = dt.datetime(2026, 4, day, 9)
    events = []
    if kind in ("revision", "change"):
        events.append(k.Request(id="Q1", kind=kind, received=at, due=at + dt.timedelta(hours=hours_ahead)))
        events.append(k.Entry(start=at, minutes=minutes, kind=kind, request="Q1"))
    else:
        events.append(k.Entry(start=at, minutes=minutes, kind=kind))
    q = book.quote("acme-site", *events)
    before = book.evaluate(q.as_of)[0].billable
    book.record("acme-site", *events)
    after = book.evaluate(q.as_of)[0].billable
    assert q.price == {c: after[c] - before[c] for c in after}


def test_status_is_a_frame_of_open_engagements_most_urgent_first(book_a, book_b):
    frame = book_a.status(dt.date(2026, 3, 10))
    assert list(frame["engagement"]) == ["acme-site"]
    row = frame.iloc[0]
    assert (row["rounds_used"], row["rounds_included"], row["unbilled"]) == (3, 2, Decimal("668.75"))
    assert (row["review_by"], row["days_to_review"]) == ("2026-03-31", 21)
    b = book_b.status(dt.date(2026, 3, 31)).iloc[0]
    assert (b["contingent_used_h"], b["contingent_left_h"], b["contingent_used_percent"]) == (Decimal(10), Decimal(0), 100.0)
    assert book_b.status(dt.date(2026, 4, 1)).empty  # ended the day before
