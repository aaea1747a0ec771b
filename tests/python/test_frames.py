"""DataFrames: shapes, dtypes and values; bulk construction from arrays and frames; round trips."""

from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import kontingent as k

ENTRY_COLUMNS = ["engagement", "client", "start", "seconds", "billed_seconds", "kind", "request", "round", "use",
                 "category", "rush"]


def test_entries_frame_of_example_a(book_a):
    f = book_a.entries_frame()
    assert list(f.columns) == ENTRY_COLUMNS and len(f) == 10
    assert f.dtypes.astype(str).to_dict() == {
        "engagement": "category", "client": "category", "start": "datetime64[ns]", "seconds": "int64",
        "billed_seconds": "int64", "kind": "category", "request": "category", "round": "int32", "use": "category",
        "category": "category", "rush": "bool"}
    assert f.attrs["as_of"] == date(2026, 3, 10)
    # SPEC §8: minutes → rounded (15 min up)
    assert (f.seconds // 60).tolist() == [180, 200, 50, 70, 40, 100, 25, 50, 10, 30]
    assert (f.billed_seconds // 60).tolist() == [180, 210, 60, 75, 45, 105, 30, 60, 15, 30]
    assert f.kind.astype(str).tolist() == ["scope"] * 2 + ["revision"] * 3 + ["change"] + ["call"] * 3 + ["internal"]
    assert f.request.astype(object).where(f.request.notna(), None).tolist() == [None, None, "R1", "R2", "R3", "C1",
                                                                                 None, None, None, None]
    assert f["round"].tolist() == [0, 0, 1, 2, 3, 0, 0, 0, 0, 0]
    assert f.use.astype(str).tolist() == ["covered"] * 4 + ["extra_round", "hourly_change"] + ["call_fee"] * 3 + [
        "internal"]
    assert f.category.astype(object).where(f.category.notna(), None).tolist() == [
        "base", "base", "base", "base", "revision", "change", "call", "call", "call", None]
    assert f.rush.tolist() == [False, False, False, True, False, True, False, False, False, False]
    assert f.start.iloc[1] == pd.Timestamp("2026-01-07T09:00")


def test_entries_frame_agrees_with_the_report(demo_book):
    """Per-entry classification sums to the report's seconds: one rule, two views."""
    f = demo_book.entries_frame()
    report = demo_book.evaluate()
    worked = f.groupby("engagement", observed=True).seconds.sum()
    for r in report:
        assert worked.get(r.id, 0) == r.worked_seconds
        if r.contingent is not None:
            covered = f[(f.engagement == r.id) & (f.use == "covered")].billed_seconds.sum()
            assert covered == r.contingent.consumed_seconds
        rounds = f[f.engagement == r.id]["round"]
        assert rounds.max() <= r.rounds.used


def test_entries_after_the_as_of_date_are_not_classified(book_a):
    f = book_a.entries_frame(as_of=date(2026, 1, 31))
    assert f.use.notna().tolist() == [True, True] + [False] * 8
    assert f.attrs["as_of"] == date(2026, 1, 31)


def test_notes_on_request(book_a):
    f = book_a.entries_frame(notes=True)
    assert f.note.tolist()[:3] == ["wireframes", "first layout", ""]


def test_report_frame_in_cents(book_a):
    f = book_a.evaluate().to_frame()
    assert list(f.columns) == ["engagement", "client", "currency", "category", "billable_cents", "invoiced_cents",
                               "leakage_cents"]
    assert len(f) == 7 and f.billable_cents.dtype == np.int64
    assert f.category.astype(str).tolist() == list(k.CATEGORIES)
    assert f.leakage_cents.tolist() == [0, 0, 0, 16625, 12000, 14250, 24000]
    assert (f.leakage_cents == f.billable_cents - f.invoiced_cents).all()
    assert k.cents_to_decimal(f.leakage_cents.sum()) == Decimal("668.75")
    table = f.pivot(index="engagement", columns="category", values="leakage_cents")
    assert table.loc["acme-site", "call"] == 12000


def test_report_frame_in_decimal(book_a):
    f = book_a.evaluate().to_frame(money="decimal")
    assert f.leakage.tolist()[3] == Decimal("166.25") and type(f.leakage.iloc[3]) is Decimal
    assert sum(f.leakage) == Decimal("668.75")
    with pytest.raises(ValueError):
        book_a.evaluate().to_frame(money="float")


def test_engagement_report_frame(book_a):
    f = book_a.evaluate()[0].to_frame()
    assert f.leakage_cents.tolist() == [0, 0, 0, 16625, 12000, 14250, 24000] and (f.currency == "EUR").all()


def test_add_entries_from_arrays(book_a):
    e = book_a.engagements[0]
    e.add_entries(start=np.array(["2026-03-02T09:00", "2026-03-03T09:00"], dtype="datetime64[s]"),
                  minutes=np.array([60, 45]), kind="scope", note=["one", None])
    assert len(e.entries) == 12
    assert e.entries[10].seconds == 3600 and e.entries[10].note == "one" and e.entries[11].note == ""
    e.add_entries(start=pd.Series(pd.to_datetime(["2026-03-04 10:00"])), duration=pd.to_timedelta(["25min"]),
                  kind=pd.Categorical(["revision"]), request=["R1"])
    assert e.entries[12].request == "R1" and e.entries[12].seconds == 1500


def test_add_entries_from_a_frame(book_a, book_b):
    a = book_a.engagements[0]
    frame = pd.DataFrame({"start": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 11:00"]),
                          "end": pd.to_datetime(["2026-03-02 10:30", "2026-03-02 11:20"]),
                          "kind": ["scope", "call"]})
    a.add_entries(frame)
    assert [x.seconds for x in a.entries[10:]] == [5400, 1200]


def test_add_entries_is_all_or_nothing(book_a):
    e = book_a.engagements[0]
    with pytest.raises(k.ValidationError) as error:
        e.add_entries(start=["2026-03-02T09:00", "2026-03-02T10:00", "2026-03-02T11:00"], minutes=[10, 10, 10],
                      kind=["scope", "revision", "change"], request=[None, "R1", "R2"])
    assert error.value.path == "entries[12]"  # the third new entry
    assert "change" in error.value.rule
    with pytest.raises(k.ValidationError) as error:
        e.add_entries(start=["2026-03-02T09:00"], minutes=[10], kind=["meeting"])
    assert error.value.path == "entries[10].kind"
    with pytest.raises(k.ValidationError, match="whole seconds"):
        e.add_entries(start=np.array(["2026-03-02T09:00:00.5"], dtype="datetime64[ms]"), minutes=[1], kind="scope")
    with pytest.raises(k.ValidationError, match="no zone"):
        e.add_entries(start=pd.Series(pd.to_datetime(["2026-03-02 09:00"]).tz_localize("UTC")), minutes=[1],
                      kind="scope")
    with pytest.raises(TypeError, match="exactly one"):
        e.add_entries(start=["2026-03-02T09:00"], minutes=[1], seconds=[60], kind="scope")
    assert len(e.entries) == 10


def test_with_entries_round_trip(demo_book):
    frame = demo_book.entries_frame(notes=True)
    again = demo_book.with_entries(frame)
    assert again.evaluate() == demo_book.evaluate()
    assert again.entries_frame(notes=True).equals(frame)
    for a, b in zip(again.engagements, demo_book.engagements):
        assert list(a.entries) == list(b.entries)


def test_with_entries_filters_and_regroups(book_a):
    frame = book_a.entries_frame()
    fewer = book_a.with_entries(frame[frame.kind != "call"])
    assert len(fewer.engagements[0].entries) == 7
    assert fewer.evaluate()[0].billable["call"] == Decimal("0.00")
    assert len(book_a.engagements[0].entries) == 10  # the original book is unchanged
    with pytest.raises(k.ValidationError, match="unknown engagement"):
        book_a.with_entries(frame.assign(engagement="nope"))


def test_columns_are_numpy_without_python_objects(demo_book):
    f = demo_book.entries_frame()
    assert f.engagement.cat.codes.dtype.kind == "i"
    for name in ("seconds", "billed_seconds", "round"):
        assert f[name].to_numpy().dtype.kind == "i"


SUMMARY_ROWS = [  # the SPEC's worked examples A and B, by hand from their reports
    ("acme-site", "acme", "EUR", 45300, "5818.75", "5150.00", "668.75", "409.27", "extra_rounds,rounds_exhausted,unbilled"),
    ("bolt-retainer", "bolt", "EUR", 116880, "2950.00", "2700.00", "250.00", "83.16",
     "contingent_80,contingent_exceeded,unbilled"),
]


@pytest.mark.parametrize("book, row", [("book_a", SUMMARY_ROWS[0]), ("book_b", SUMMARY_ROWS[1])])
def test_the_summary_frame_is_one_row_per_engagement(book, row, request):
    report = request.getfixturevalue(book).evaluate()
    cents = report.summary_frame()
    assert list(cents.columns) == ["engagement", "client", "currency", "worked_seconds", "billable_cents",
                                   "invoiced_cents", "unbilled_cents", "effective_rate_cents", "alerts"]
    assert cents.dtypes.astype(str).tolist() == ["category", "category", "category", "int64", "int64", "int64", "int64",
                                                 "Int64", "object"]
    engagement, client, currency, worked, billable, invoiced, unbilled, rate, alerts = row
    as_cents = [int(Decimal(v).scaleb(2)) for v in (billable, invoiced, unbilled, rate)]
    assert cents.astype(object).values.tolist() == [[engagement, client, currency, worked, *as_cents, alerts]]
    decimal = report.summary_frame(money="decimal")
    assert list(decimal.columns) == ["engagement", "client", "currency", "worked_seconds", "billable", "invoiced",
                                     "unbilled", "effective_rate", "alerts"]
    values = decimal.astype(object).values.tolist()
    assert values == [[engagement, client, currency, worked, *map(Decimal, (billable, invoiced, unbilled, rate)), alerts]]
    assert all(type(v) is Decimal for v in values[0][4:8])
    assert decimal.attrs["as_of"] == cents.attrs["as_of"] == report.as_of


def test_the_summary_frame_agrees_with_the_category_frame(demo_book):
    report = demo_book.evaluate()
    summary = report.summary_frame().set_index("engagement")
    by_category = report.to_frame().groupby("engagement", observed=True)[["billable_cents", "invoiced_cents"]].sum()
    assert (summary[["billable_cents", "invoiced_cents"]] == by_category).all().all()
    assert summary.index.tolist() == [r.id for r in report]
    nothing_worked = [r.id for r in report if r.effective_rate is None]
    assert summary.effective_rate_cents.isna().tolist() == [i in nothing_worked for i in summary.index]
    with pytest.raises(ValueError, match='money must be "cents" or "decimal", got \'euros\''):
        report.summary_frame(money="euros")


def test_money_is_exact_in_any_decimal_context(book_a):
    """A caller's low-precision decimal context rounds nothing of ours, on the way in or out."""
    import decimal

    report = book_a.evaluate()
    draft_book = k.Book(clients=[book_a.client("acme").replace(address=k.Address(city="Berlin", country="DE"))],
                        engagements=book_a.engagements,
                        owner=k.Owner(name="Studio", address=k.Address(city="Hamburg", country="DE"), vat_id="DE1",
                                      vat=k.Vat(category="S", percent=19)))
    expected = (report.summary_frame().billable_cents.tolist(), report[0].to_frame().billable_cents.tolist(),
                report.to_frame(money="decimal").billable.tolist(), book_a.triage().to_frame().at_stake_cents.tolist(),
                draft_book.draft_invoice("acme-site").lines_frame(money="cents").net_cents.tolist())
    with decimal.localcontext() as context:
        context.prec = 4
        assert k.InvoiceLine(category="base", amount=Decimal("4800.55")).amount == Decimal("4800.55")
        assert k.cents_to_decimal(123456789) == Decimal("1234567.89")
        assert str(k.cents_to_decimal(np.array([581875]))[0]) == "5818.75"
        assert (report.summary_frame().billable_cents.tolist(), report[0].to_frame().billable_cents.tolist(),
                report.to_frame(money="decimal").billable.tolist(), book_a.triage().to_frame().at_stake_cents.tolist(),
                draft_book.draft_invoice("acme-site").lines_frame(money="cents").net_cents.tolist()) == expected
    assert expected[0] == [581875]
