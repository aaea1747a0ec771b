"""book.triage(): verdicts, reasons and indicators of the C++ triage, as Python values and a DataFrame."""

import copy
import datetime
import pickle
from decimal import Decimal

import pandas as pd
import pytest

import kontingent as k
from conftest import SPEC_EXAMPLES

SENTENCES = [
    ("unbilled", Decimal("668.75"), "668.75 EUR that your terms with ACME GmbH make billable was never invoiced"),
    ("no_shows", Decimal("240.00"),
     "2 appointments with ACME GmbH were missed or cancelled late; 240.00 EUR of no-show fees are not invoiced"),
    ("rush", Decimal("142.50"),
     "2 of 4 requests from ACME GmbH (50 %) were rush; 142.50 EUR of surcharges are not invoiced"),
    ("revisions", Decimal("0.00"), "21 % of your time with ACME GmbH is revision work, with 1 extra round"),
]


def book_a_with_chf() -> k.Book:
    """Example A with a second, CHF engagement for the same client (as tests/cpp/triage_test.cpp)."""
    text = (SPEC_EXAMPLES / "a-fixed.book.json").read_text()
    begin = text.index("{", text.index('"engagements": ['))
    end = text.rindex("]")
    last = text.rindex("}", 0, end) + 1
    chf = text[begin:last]
    for old, new in (('"acme-site"', '"acme-ch"'), ('"EUR"', '"CHF"'), ('"INV-1"', '"INV-CH-1"')):
        chf = chf.replace(old, new)
    return k.Book.from_json(text[:last] + ",\n" + chf + text[last:])


def test_worked_example_a_renegotiates_for_four_reasons(book_a):
    t = book_a.triage()
    assert isinstance(t, k.Triage)
    assert t.as_of == datetime.date(2026, 3, 10)
    assert len(t.engagements) == 1 and len(t.clients) == 1
    row = t.engagements[0]
    assert row.engagement == "acme-site" and row.level == "engagement"
    assert row.verdict == "renegotiate"
    assert [(r.drain, r.at_stake, r.sentence) for r in row.reasons] == SENTENCES
    assert all(isinstance(r.at_stake, Decimal) for r in row.reasons)
    client = t.clients[0]
    assert client.engagement is None and client.client == "acme" and client.client_name == "ACME GmbH"
    assert client.verdict == "renegotiate" and client.currency == "EUR"


def test_indicators_are_decimal_int_and_timedelta(book_a):
    i = book_a.triage().engagements[0].indicators
    assert i.invoiced == Decimal("5150.00")
    assert i.billable == Decimal("5818.75")
    assert i.unbilled == Decimal("668.75")
    assert i.outstanding == Decimal("0.00")
    assert i.list_rate == Decimal("95.00")
    assert i.effective_rate == Decimal("409.27")
    assert i.rate_percent == 431
    assert (i.call_share_percent, i.revision_share_percent, i.rush_share_percent) == (11, 21, 50)
    assert (i.requests, i.rush_requests, i.extra_rounds, i.no_shows) == (4, 2, 1, 2)
    assert i.worked == datetime.timedelta(seconds=45300) and i.worked_seconds == 45300
    assert i.seconds_by_kind["call"] == 5100 and i.seconds_by_kind["revision"] == 9600
    assert (i.days_to_pay_mean, i.days_to_pay_worst) == (10, 10)
    assert i.review == "pending"
    assert i.call_fee_would_bring == Decimal("0.00") and i.suggested_call_fee is None


def test_a_policy_that_lets_go(book_a):
    policy = k.TriagePolicy(renegotiate_below_rate_percent=500, let_go_below_rate_percent=450)
    assert policy.let_go_min_drains == 3 and policy.no_shows == 2
    assert book_a.triage(policy=policy).engagements[0].verdict == "let_go"
    policy.let_go_min_drains = 4
    assert book_a.triage(policy=policy).engagements[0].verdict == "renegotiate"
    keep = k.TriagePolicy(revision_share_percent=22, extra_rounds=2, rush_share_percent=51, no_shows=3)
    row = book_a.triage(policy=keep).engagements[0]
    assert row.verdict == "keep" and [r.drain for r in row.reasons] == ["unbilled"]
    assert k.TriagePolicy() == k.TriagePolicy()
    assert "let_go_below_rate_percent=450" in repr(k.TriagePolicy(let_go_below_rate_percent=450))
    with pytest.raises(TypeError):
        k.TriagePolicy(75)  # keyword arguments only
    strict = k.TriagePolicy(days_to_pay=9, no_shows=5)
    assert pickle.loads(pickle.dumps(strict)) == strict
    assert copy.copy(strict) == strict and copy.copy(strict) is not strict


def test_as_of_moves_the_date(book_a):
    t = book_a.triage(as_of=datetime.date(2026, 4, 30))
    assert t.as_of == datetime.date(2026, 4, 30)
    assert book_a.triage("2026-04-30").as_of == datetime.date(2026, 4, 30)


def test_chf_and_eur_are_two_client_rows():
    t = book_a_with_chf().triage()
    assert [(c.client, c.currency) for c in t.clients] == [("acme", "EUR"), ("acme", "CHF")]
    assert t.clients[0].indicators.invoiced == Decimal("5150.00")
    assert t.clients[1].indicators.invoiced == Decimal("5150.00")
    frame = t.to_frame()
    assert list(frame.level) == ["client", "client", "engagement", "engagement"]
    assert list(frame.currency) == ["EUR", "CHF", "EUR", "CHF"]


def test_to_frame_has_cents_verdicts_and_reasons(book_a):
    frame = book_a.triage().to_frame()
    assert len(frame) == 2
    row = frame[frame.level == "engagement"].iloc[0]
    assert row.engagement == "acme-site" and row.verdict == "renegotiate"
    assert frame.invoiced_cents.dtype == "int64" and row.invoiced_cents == 515000
    assert row.unbilled_cents == 66875 and row.effective_rate_cents == 40927
    assert row.at_stake_cents == 66875 + 24000 + 14250
    assert row.days_to_pay_mean == 10 and row.rate_percent == 431 and row.reason_count == 4
    assert row.drains == "unbilled,no_shows,rush,revisions"
    assert row.reasons == "; ".join(s for _, _, s in SENTENCES)
    assert pd.isna(frame.engagement.iloc[0])
    decimal = book_a.triage().to_frame(money="decimal")
    assert decimal.unbilled.iloc[1] == Decimal("668.75")
    with pytest.raises(ValueError):
        book_a.triage().to_frame(money="float")


def test_repr_html_and_text(book_a):
    t = book_a.triage()
    assert repr(t) == "<Triage as of 2026-03-10: 1 clients (0 keep, 1 renegotiate, 0 let_go, 0 too_early), 1 engagements>"
    html = t._repr_html_()
    assert "<table>" in html and "renegotiate" in html and "ACME GmbH" in html
    assert "acme-site" in t.to_text()
    assert t.to_json().startswith("{")
    assert "\nclient,acme,,EUR,renegotiate,5150.00,5818.75,668.75,0.00,95.00,409.27,45300,11,21,4,2,1,2,10,10,pending," in t.to_csv()
    assert [r.level for r in t] == ["client", "engagement"]
    assert repr(t.engagements[0].reasons[0]) == "<TriageReason unbilled: 668.75 at stake>"


JANUARY_INVOICE = '{"id": "INV-1", "date": "2026-01-31", "lines": [{"category": "base", "amount": "1000"}]}'


def month_end_book(invoices: str = JANUARY_INVOICE) -> k.Book:
    """Hourly at 100: ten hours in January, six in February up to 02-20; invoiced at month end (as tests/cpp/triage_test.cpp)."""
    days = ["01-06", "01-07", "01-08", "01-09", "01-12", "02-02", "02-03", "02-20"]
    entries = ", ".join(f'{{"start": "2026-{d}T09:00", "minutes": 120, "kind": "scope"}}' for d in days)
    return k.Book.from_json(
        '{"format": "kontingent-book/1", "clients": [{"id": "eins", "name": "Kunde Eins"}], "engagements": [{"id": "site",'
        ' "client": "eins", "currency": "EUR", "start": "2026-01-05", "terms": {"pricing": "hourly", "rate": "100"},'
        f' "requests": [], "entries": [{entries}], "appointments": [], "invoices": [{invoices}], "payments": []}}]}}')


def test_work_not_yet_invoiceable_is_no_drain_and_the_report_does_not_move():
    book = month_end_book()
    row = book.triage().engagements[0]
    assert row.verdict == "keep"
    assert row.indicators.effective_rate == Decimal("100.00")  # not 1000 / 16 h = 62.50
    assert row.indicators.unbilled == Decimal("0.00")
    assert [(r.drain, r.at_stake) for r in row.reasons] == [("not_yet_invoiceable", Decimal("600.00"))]
    assert row.reasons[0].sentence == (
        "600.00 EUR billable with Kunde Eins since 2026-02-01 (6:00 h of work) is not yet invoiceable: it belongs on your"
        " next invoice and is left out of the rate and the unbilled amount")
    report = book.evaluate()["site"]
    assert report.unbilled == Decimal("600.00") and report.effective_rate == Decimal("62.50")


def test_a_client_never_invoiced_is_too_early_to_tell():
    t = month_end_book(invoices="").triage()
    assert [r.verdict for r in t] == ["too_early", "too_early"]
    assert [r.drain for r in t.engagements[0].reasons] == ["too_early", "unbilled", "not_yet_invoiceable"]
    assert t.engagements[0].reasons[0].sentence == (
        "too early to tell for Kunde Eins: 0 invoices and 10:00 h of invoiceable work so far;"
        " a verdict needs at least 1 invoice and 10:00 h")
    assert repr(t) == "<Triage as of 2026-02-20: 1 clients (0 keep, 0 renegotiate, 0 let_go, 1 too_early), 1 engagements>"


def test_the_minimum_of_evidence_is_part_of_the_policy():
    policy = k.TriagePolicy(min_invoices=2, min_invoiceable_hours=0)
    assert k.TriagePolicy().min_invoices == 1 and k.TriagePolicy().min_invoiceable_hours == 10
    assert "min_invoices=2, min_invoiceable_hours=0" in repr(policy)
    assert pickle.loads(pickle.dumps(policy)) == policy
    assert month_end_book().triage(policy=policy).engagements[0].verdict == "too_early"
    assert month_end_book().triage(policy=k.TriagePolicy(min_invoices=0, min_invoiceable_hours=0)).engagements[0].verdict == "keep"
