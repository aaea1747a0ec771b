"""Entries to a DataFrame and back: ``book.with_entries(book.entries_frame(notes=True)) == book`` for
any book whose times a datetime64[ns] column holds, and a clear error — never a wrapped-around time —
for a book with times outside them (pandas 1.5 has no other unit: 2300-01-01 used to show as 1715)."""

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kontingent as k

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What 64 bits of nanoseconds hold, in whole seconds.
FIRST = datetime(1677, 9, 21, 0, 12, 44)
LAST = datetime(2262, 4, 11, 23, 47, 16)
TERMS = k.Terms(pricing="hourly", rate=95)


def engagement(id: str, start: date, entries=(), requests=()) -> k.Engagement:
    return k.Engagement(id=id, client="c", currency="EUR", start=start, terms=TERMS, requests=requests, entries=entries)


def book_of(*engagements) -> k.Book:
    return k.Book(clients=[k.Client(id="c", name="C")], engagements=engagements)


notes = st.one_of(st.just(""), st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))


@st.composite
def engagements(draw, index: int):
    # Anywhere in the range, entries up to about three years after the start (seconds, not minutes).
    start = draw(st.dates(min_value=FIRST.date() + timedelta(days=1), max_value=LAST.date() - timedelta(days=1200)))
    origin = datetime.combine(start, datetime.min.time())
    moments = st.integers(0, 3 * 365 * 86400).map(lambda s: origin + timedelta(seconds=s))
    requests = [k.Request(id=f"Q{i}", kind=draw(st.sampled_from(["revision", "change"])), received=draw(moments))
                for i in range(draw(st.integers(0, 3)))]
    entries = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(k.ENTRY_KINDS))
        fitting = [r.id for r in requests if r.kind == kind]
        if kind in ("revision", "change") and not fitting:
            kind = "scope"
        request = draw(st.sampled_from(fitting)) if kind in ("revision", "change") else None
        entries.append(k.Entry(start=draw(moments), seconds=draw(st.integers(1, 36000)), kind=kind, request=request,
                               note=draw(notes)))
    return engagement(f"e{index}", start, entries, requests)


@st.composite
def books(draw):
    return book_of(*[draw(engagements(i)) for i in range(draw(st.integers(1, 4)))])


@SETTINGS
@given(books())
def test_a_book_goes_to_a_frame_and_back_unchanged(book):
    frame = book.entries_frame(notes=True)
    assert book.with_entries(frame) == book
    for e in book.engagements:
        assert frame[frame.engagement == e.id].start.tolist() == [pd.Timestamp(entry.start) for entry in e.entries]


def test_the_first_and_last_times_of_the_range_go_to_a_frame_and_back():
    book = book_of(engagement("early", FIRST.date(), [k.Entry(start=FIRST, seconds=1, kind="scope")]),
                   engagement("late", date(2262, 1, 1), [k.Entry(start=LAST, seconds=1, kind="scope")]))
    frame = book.entries_frame()
    assert frame.start.tolist() == [pd.Timestamp(FIRST), pd.Timestamp(LAST)]
    assert book.with_entries(book.entries_frame(notes=True)) == book
    starts = book.engagements[1].entries.starts
    assert starts.dtype == np.dtype("datetime64[ns]") and (starts == np.array([LAST], dtype="datetime64[ns]")).all()


@pytest.mark.parametrize("when, shown", [
    (datetime(2300, 1, 1, 9), "2300-01-01T09:00"),
    (LAST + timedelta(seconds=1), "2262-04-11T23:47:17"),
    (datetime(1500, 6, 1, 12), "1500-06-01T12:00"),
    (FIRST - timedelta(seconds=1), "1677-09-21T00:12:43"),
])
def test_a_time_outside_the_range_is_refused_not_wrapped(when, shown):
    inside = engagement("inside", date(2026, 1, 1), [k.Entry(start=datetime(2026, 1, 2, 9), minutes=30, kind="scope")])
    outside = engagement("outside", when.date(), [k.Entry(start=when, minutes=30, kind="scope")])
    book = book_of(inside, outside)
    rule = (f"{shown} is outside the times a datetime64[ns] column holds (1677-09-21T00:12:44 to "
            "2262-04-11T23:47:16; pandas 1.5 knows no other unit)")
    with pytest.raises(k.ValidationError) as raised:
        book.entries_frame()
    assert (raised.value.path, raised.value.rule) == ("engagements[1].entries[0].start", rule)
    for inside_the_engagement in (lambda: book.engagements[1].entries_frame(), lambda: book.engagements[1].entries.starts):
        with pytest.raises(k.ValidationError) as raised:
            inside_the_engagement()
        assert (raised.value.path, raised.value.rule) == ("entries[0].start", rule)
    assert len(book.engagements[0].entries_frame()) == 1  # an engagement within the range is fine
