"""The model in Python: Decimal money, datetime times, keyword construction, properties, repr,
==, copy and pickle for every public class, and changes that are checked (and undone when bad)."""

import copy
import pickle
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

import kontingent as k


def every_value(book: k.Book) -> list:
    e = book.engagements[0]
    report = book.evaluate()
    return [book, e, e.terms, e.terms.rounding, e.terms.call_fee, e.terms.rush, e.terms.no_show, book.clients[0],
            e.requests[0], e.entries[2], e.appointments[1], e.invoices[0], e.invoices[0].lines[0], e.payments[0],
            report, report[0], report[0].rounds]


def results(book: k.Book) -> list:
    """What a book computes, beyond its report: triage (and its parts), a what-if, a quote."""
    t = book.triage()
    row = next(r for r in t if r.reasons)
    e = book.engagements[0]
    quote = book.quote(e.id, k.Entry(start=e.entries[0].start, minutes=50, kind="call"))
    return [t, row, row.indicators, row.reasons[0], k.TriagePolicy(no_shows=5), book.what_if(included_rounds=3), quote]


# The public classes that are not values: errors pickle as exceptions (test_errors.py); Entries is a
# live view of an engagement (pickle the engagement); an ImportSummary is a report printed once.
NOT_VALUES = {"Entries", "ImportSummary"}


def test_every_public_class_has_repr_eq_copy_and_pickle(book_a, book_b, demo_book):
    values = every_value(book_a) + [book_b.evaluate()[0].contingent] + results(book_a) + results(demo_book)
    parties = [k.Address(city="Berlin", country="DE"), k.Vat(category="S", percent=19),
               k.Owner(name="Studio", address=k.Address(city="Hamburg", country="DE"))]
    values += parties
    classes = {name for name in k.__all__ if isinstance(getattr(k, name, None), type)
               and not issubclass(getattr(k, name), Exception)}
    # InvoiceDraft: test_drafts.py (it needs a book with an owner).
    assert {type(v).__name__ for v in values} == classes - NOT_VALUES - {"InvoiceDraft"}
    for value in values:
        assert " object at 0x" not in repr(value), type(value)
        assert value == copy.copy(value) == copy.deepcopy(value)
        again = pickle.loads(pickle.dumps(value))
        assert type(again) is type(value) and again == value
        assert not (value != again)


def test_value_reprs_read_like_constructors(book_a):
    e = book_a.engagements[0]
    assert repr(e.terms.rounding) == "Rounding(increment_minutes=15, mode='up')"
    assert repr(e.terms.call_fee) == "CallFee(free_minutes=15, block_minutes=30, fee=Decimal('40.00'))"
    assert repr(e.entries[2]) == ("Entry(start=datetime.datetime(2026, 2, 2, 10, 0), minutes=50, kind='revision', "
                                  "request='R1')")
    namespace = {"datetime": __import__("datetime"), "Decimal": Decimal, **{n: getattr(k, n) for n in k.__all__}}
    for value in (e.terms, e.requests[3], e.entries[5], e.appointments[1], e.invoices[0], e.payments[0]):
        assert eval(repr(value), namespace) == value  # noqa: S307 - our own reprs


def test_money_is_decimal_in_and_out():
    fee = k.CallFee(free_minutes=15, block_minutes=30, fee=Decimal("40.5"))
    assert fee.fee == Decimal("40.50") and type(fee.fee) is Decimal
    assert k.CallFee(free_minutes=0, block_minutes=1, fee=40).fee == Decimal(40)
    assert k.CallFee(free_minutes=0, block_minutes=1, fee="12.34").fee == Decimal("12.34")
    assert k.CallFee(free_minutes=0, block_minutes=1, fee=Decimal("1.500")).fee == Decimal("1.5")
    with pytest.raises(TypeError, match="floats are not exact"):
        k.CallFee(free_minutes=0, block_minutes=1, fee=40.5)
    with pytest.raises(k.ValidationError, match="more than 2 decimals"):
        k.CallFee(free_minutes=0, block_minutes=1, fee=Decimal("0.001"))
    with pytest.raises(k.ValidationError):
        k.CallFee(free_minutes=0, block_minutes=1, fee=Decimal("NaN"))


def test_hours_and_percent():
    rush = k.Rush(lead_hours=Decimal("1.5"), surcharge_percent=Decimal("12.5"))
    assert rush.lead_hours == 1.5 and rush.surcharge_percent == Decimal("12.5")
    assert k.Rush(lead_hours=timedelta(hours=2), surcharge_percent=0).lead_hours == 2.0
    terms = k.Terms(pricing="retainer", rate=100, contingent_hours=10, contingent_price=900, rollover_max_hours=5)
    assert (terms.contingent_hours, terms.rollover_max_hours) == (10.0, 5.0)


def test_times_are_datetimes_without_zone(book_a):
    e = book_a.engagements[0]
    entry = e.entries[1]
    assert entry.start == datetime(2026, 1, 7, 9) and entry.end == datetime(2026, 1, 7, 12, 20)
    assert entry.duration == timedelta(minutes=200) and entry.seconds == 12000
    assert e.start == date(2026, 1, 5) and e.review_by == date(2026, 3, 31)
    assert k.Entry(start="2026-01-07T09:00", minutes=1, kind="scope").start == datetime(2026, 1, 7, 9)
    with pytest.raises(k.ValidationError, match="whole seconds"):
        k.Entry(start=datetime(2026, 1, 1, 9, 0, 0, 5), minutes=1, kind="scope")
    with pytest.raises(k.ValidationError, match="a date was expected"):
        k.Invoice(id="I", date=datetime(2026, 1, 1, 9), lines={"base": 1})


def test_replace_gives_a_changed_copy(book_a):
    terms = book_a.engagements[0].terms
    fee = k.CallFee(free_minutes=0, block_minutes=15, fee=Decimal("25"))
    changed = terms.replace(call_fee=fee, included_rounds=3)
    assert changed.call_fee == fee and changed.included_rounds == 3 and changed.rate == terms.rate
    assert terms.call_fee.fee == Decimal("40")  # the original is untouched
    entry = book_a.engagements[0].entries[0].replace(minutes=30)
    assert entry.seconds == 1800 and entry.note == "wireframes"
    with pytest.raises(TypeError, match="no field"):
        terms.replace(colour="red")


def test_book_engagements_are_live(book_a):
    e = book_a.engagements[0]
    e.terms = e.terms.replace(call_fee=None)
    assert book_a.engagements[0].terms.call_fee is None
    assert book_a["acme-site"].terms.call_fee is None
    assert book_a.evaluate()[0].billable["call"] == Decimal("0.00")


def test_a_book_copies_what_it_is_given(book_a):
    e = copy.deepcopy(book_a.engagements[0])
    book = k.Book(clients=book_a.clients, engagements=[e])
    e.title = "changed later"
    assert book.engagements[0].title == "Website relaunch"


def test_a_change_that_breaks_a_rule_is_undone(book_a):
    e = book_a.engagements[0]
    before = copy.deepcopy(e)
    with pytest.raises(k.ValidationError) as error:
        e.terms = e.terms.replace(fixed_price=None)
    assert error.value.path == "terms" and error.value.rule == 'pricing "fixed" needs "fixed_price"'
    with pytest.raises(k.ValidationError):
        e.start = date(2026, 3, 1)
    with pytest.raises(k.ValidationError):
        e.requests = e.requests[1:]
    with pytest.raises(k.ValidationError):
        e.entries.extend([k.Entry(start=datetime(2026, 2, 1), minutes=10, kind="scope"),
                          k.Entry(start=datetime(2026, 2, 1), minutes=0, kind="scope")])
    assert e == before


def test_an_engagement_of_a_book_is_checked_against_the_book(book_a):
    """What ties an engagement to the rest of its book (SPEC §7, §10) is checked at the change too."""
    second = k.Engagement(id="care", client="acme", currency="EUR", start=date(2026, 1, 1),
                          terms=k.Terms(pricing="hourly", rate=Decimal("90")),
                          invoices=[k.Invoice(id="C-1", date=date(2026, 1, 5), lines={"base": Decimal("90")})])
    book = k.Book(clients=book_a.clients, engagements=[*book_a.engagements, second])
    before = book.to_json()
    site, care = book["acme-site"], book["care"]
    refusals = [
        (lambda: setattr(site, "client", "nope"), 'engagements[0].client: unknown client "nope"'),
        (lambda: setattr(care, "id", "acme-site"), 'engagements[1].id: duplicate engagement id "acme-site"'),
        (lambda: setattr(care, "invoices", [k.Invoice(id="INV-1", date=date(2026, 1, 5), lines={"base": 1})]),
         'engagements[1].invoices[0].id: duplicate invoice id "INV-1"'),
        (lambda: setattr(care, "terms", care.terms.replace(vat=k.Vat(category="AE", exemption_reason="reverse charge"))),
         'engagements[1].terms.vat: VAT category "AE" (reverse charge) needs the client\'s "vat_id", '
         'and client "acme" has none'),
    ]
    for change, message in refusals:
        with pytest.raises(k.ValidationError) as error:
            change()
        assert str(error.value) == message
    assert book.to_json() == before
    assert [row.engagement for row in book.triage().engagements] == ["acme-site", "care"]  # every reader takes the book
    # An engagement of its own has no book to be checked against.
    alone = k.Engagement(id="x", client="anyone", currency="EUR", start=date(2026, 1, 1), terms=k.Terms(pricing="hourly", rate=1))
    alone.client = "someone else"
    assert alone.client == "someone else"


def test_requests_keep_their_entries_when_reordered(book_a):
    e = book_a.engagements[0]
    e.requests = list(reversed(e.requests))
    assert e.entries[2].request == "R1" and e.requests[-1].id == "R1"
    assert book_a.evaluate()[0].unbilled == Decimal("668.75")


def test_entries_sequence(book_a):
    entries = book_a.engagements[0].entries
    assert len(entries) == 10 and entries[-1].kind == "internal"
    assert [x.kind for x in entries[:2]] == ["scope", "scope"]
    assert list(entries)[3] == entries[3]
    with pytest.raises(IndexError):
        entries[10]
    assert entries.kinds.dtype.name == "uint8" and entries.starts.dtype.name == "datetime64[ns]"
    assert entries.requests.tolist() == [-1, -1, 0, 1, 2, 3, -1, -1, -1, -1]
    entries.append(k.Entry(start=datetime(2026, 3, 1, 9), minutes=60, kind="scope"))
    assert len(book_a.engagements[0].entries) == 11


def test_currency_belongs_to_the_engagement(book_a):
    e = book_a.engagements[0]
    e.currency = "CHF"
    assert e.terms.rate == Decimal("95") and book_a.evaluate()[0].currency == "CHF"


def test_evaluate_releases_the_gil_and_can_run_in_threads(demo_book):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: demo_book.evaluate(threads=1), range(8)))
    assert all(r == reports[0] for r in reports)


def test_html_for_notebooks(book_a):
    report = book_a.evaluate()
    assert "<table>" in report._repr_html_() and "668.75" in report._repr_html_()
    assert "rush" in report[0]._repr_html_()


def test_views_keep_what_they_look_into_alive():
    import gc

    from conftest import SPEC_EXAMPLES

    book = k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")
    entries = book.engagements[0].entries
    engagement = book["acme-site"]
    del book
    gc.collect()
    assert len(entries) == 10 and entries[0].note == "wireframes"
    assert engagement.evaluate().unbilled == Decimal("668.75")


def test_repeated_access_returns_the_same_live_engagement(book_a):
    import sys

    e = book_a.engagements[0]
    before = sys.getrefcount(book_a)
    for _ in range(100):
        assert book_a.engagements[0] is e and book_a["acme-site"] is e
    assert sys.getrefcount(book_a) == before  # no keep-alive piles up
