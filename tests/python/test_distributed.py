"""A book evaluated on a Dask cluster, partitioned by engagement (kontingent.distributed), gives the
same report frame as one process — row for row, with the whole book's as-of date in every partition."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import dask.dataframe as dd
import numpy as np
import pytest
from distributed import Client, LocalCluster
from pandas.testing import assert_frame_equal

import kontingent as k
from kontingent.distributed import (default_as_of, evaluate_partitioned, partition_book, read_partitioned,
                                    skeleton_of, write_partitioned)

from conftest import DEMO_BOOK, SPEC_EXAMPLES

# distributed 2022.12 on tornado 6.2 (Debian 12) warns when it starts its event loop; harmless.
pytestmark = pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")

CURRENCIES = ("EUR", "CHF")


def random_book(seed: int = 7, engagements: int = 40) -> k.Book:
    """Engagements of every pricing, with requests, appointments, invoices and payments; some without
    entries, one starting after everything else happened (left out of the default report)."""
    rng = np.random.default_rng(seed)
    clients = [k.Client(id=f"c{i}", name=f"Client {i}") for i in range(6)]
    out = []
    for i in range(engagements):
        pricing = ["fixed", "contingent", "retainer", "hourly"][i % 4]
        fields = dict(pricing=pricing, rate=Decimal(int(rng.integers(40, 140))),
                      included_rounds=int(rng.integers(0, 3)),
                      rounding=k.Rounding(increment_minutes=15, mode="up") if i % 3 else None,
                      call_fee=k.CallFee(free_minutes=15, block_minutes=30, fee=Decimal("40")) if i % 2 else None,
                      rush=k.Rush(lead_hours=48, surcharge_percent=50) if i % 5 else None,
                      no_show=k.NoShow(notice_hours=24, fee=Decimal("60")) if i % 4 == 1 else None)
        if pricing == "fixed":
            fields["fixed_price"] = Decimal(int(rng.integers(1000, 9000)))
        if pricing in ("contingent", "retainer"):
            fields["contingent_hours"] = int(rng.integers(5, 40))
            fields["contingent_price"] = Decimal(int(rng.integers(500, 4000)))
        start = date(2025, 1, 1) + timedelta(days=int(rng.integers(0, 120)))
        first = datetime.combine(start, datetime.min.time()) + timedelta(hours=8)
        requests = [k.Request(id=f"R{j}", kind="revision", received=first + timedelta(days=10 * j + 3))
                    for j in range(3)]
        requests += [k.Request(id=f"C{j}", kind="change", received=first + timedelta(days=15 * j + 5),
                               due=first + timedelta(days=15 * j + 6), quote=Decimal("300") if j == 0 else None)
                     for j in range(2)]
        invoices = [k.Invoice(id=f"INV-{i}-{j}", date=start + timedelta(days=30 * (j + 1)),
                              lines={"base": Decimal(int(rng.integers(100, 3000))), "call": Decimal("40")})
                    for j in range(int(rng.integers(0, 3)))]
        payments = [k.Payment(invoice=inv.id, date=inv.date + timedelta(days=20), amount=Decimal("100"))
                    for inv in invoices]
        appointments = [k.Appointment(at=first + timedelta(days=7), status="no_show")] if i % 4 == 1 else []
        e = k.Engagement(id=f"e{i:02d}", client=clients[i % len(clients)].id, currency=CURRENCIES[i % 2],
                         start=start, terms=k.Terms(**fields), requests=requests, invoices=invoices,
                         payments=payments, appointments=appointments)
        n = 0 if i % 7 == 3 else int(rng.integers(20, 300))
        if n:
            kind = rng.choice(np.array(["scope", "revision", "change", "call", "internal"], dtype=object), n)
            request = np.full(n, None, dtype=object)
            revision = kind == "revision"
            request[revision] = rng.choice(np.array(["R0", "R1", "R2"], dtype=object), revision.sum())
            request[kind == "change"] = rng.choice(np.array(["C0", "C1"], dtype=object), (kind == "change").sum())
            starts = np.datetime64(first, "s") + np.sort(rng.integers(0, 200 * 24, n)) * np.timedelta64(3600, "s")
            e.add_entries(start=starts, minutes=rng.integers(5, 120, n), kind=kind, request=request)
        out.append(e)
    late = k.Engagement(id="late", client="c0", currency="EUR", start=date(2026, 6, 1),
                        terms=k.Terms(pricing="hourly", rate=Decimal("100")))
    return k.Book(clients=clients, engagements=[*out[:5], late, *out[5:]])


def entries_only_book() -> k.Book:
    """No requests, invoices, payments or appointments: the default as-of date is the latest entry,
    although an engagement starts later (SPEC §6: starts count only in a book without any events)."""
    terms = k.Terms(pricing="hourly", rate=Decimal("80"))
    a = k.Engagement(id="a", client="c", currency="EUR", start=date(2026, 1, 1), terms=terms,
                     entries=[k.Entry(start=datetime(2026, 1, 2, 9), minutes=60, kind="scope")])
    b = k.Engagement(id="b", client="c", currency="EUR", start=date(2026, 3, 1), terms=terms)
    return k.Book(clients=[k.Client(id="c", name="C")], engagements=[a, b])


BOOKS = {
    "studio": lambda: k.Book.load(DEMO_BOOK),
    "a-fixed": lambda: k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json"),
    "b-retainer": lambda: k.Book.load(SPEC_EXAMPLES / "b-retainer.book.json"),
    "random": random_book,
    "entries-only": entries_only_book,
}


@pytest.fixture(scope="module")
def cluster_client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


# ---- on the driver (synchronous scheduler) ---------------------------------------------------------

@pytest.mark.parametrize("name", [*BOOKS, "skeleton", "empty"])
def test_default_as_of_is_the_whole_books(name):
    book = {"skeleton": lambda: skeleton_of(random_book()), "empty": k.Book}.get(name, BOOKS.get(name))()
    skeleton, entries = partition_book(book, npartitions=3)
    with_dask = default_as_of(skeleton, entries.clear_divisions())
    if book.engagements:
        assert with_dask == book.evaluate().as_of
    else:
        assert with_dask is None


def test_partitions_hold_whole_engagements_in_book_order():
    book = random_book()
    skeleton, entries = partition_book(book, npartitions=5)
    assert entries.npartitions > 1 and entries.known_divisions
    assert list(entries.columns) == ["engagement", "start", "seconds", "kind", "request", "note"]
    seen = set()
    for part in entries.to_delayed():
        ids = set(part.compute(scheduler="sync")["engagement"].astype(str))
        assert ids and not ids & seen
        seen |= ids
    assert seen == {e.id for e in book.engagements if len(e.entries)}
    assert [e.id for e in skeleton.engagements] == [e.id for e in book.engagements]
    assert all(len(e.entries) == 0 for e in skeleton.engagements)
    assert skeleton.with_entries(entries.compute()) == book


def test_split_engagements_and_full_skeletons_are_refused():
    book = random_book(engagements=8)
    frame = book.entries_frame()[["engagement", "start", "seconds", "kind", "request"]]
    split = dd.from_pandas(frame.reset_index(drop=True), npartitions=4, sort=False)  # cuts through engagements
    with pytest.raises(ValueError, match="are in partitions"):
        evaluate_partitioned(skeleton_of(book), split, scheduler="sync")
    with pytest.raises(ValueError, match="skeleton has entries"):
        evaluate_partitioned(book, partition_book(book, 2)[1], scheduler="sync")
    stranger = frame.assign(engagement=frame["engagement"].astype(str).replace("e00", "nobody"))
    with pytest.raises(ValueError, match="nobody"):
        evaluate_partitioned(skeleton_of(book), dd.from_pandas(stranger, npartitions=1), scheduler="sync")


def test_written_partitions_are_the_dask_partitions(tmp_path):
    book = random_book(seed=5)
    _, entries = partition_book(book, npartitions=4)
    _, read = read_partitioned(write_partitioned(book, tmp_path / "book", npartitions=4))
    assert read.npartitions == entries.npartitions
    for mine, theirs in zip(entries.to_delayed(), read.to_delayed()):
        assert_frame_equal(theirs.compute(scheduler="sync"), mine.compute(scheduler="sync").reset_index(drop=True))


# ---- on a local cluster: two worker processes --------------------------------------------------------

@pytest.mark.parametrize("name", BOOKS)
def test_cluster_gives_the_single_process_report(cluster_client, name):
    book = BOOKS[name]()
    skeleton, entries = partition_book(book, npartitions=4)
    expected = book.evaluate().to_frame()
    got = evaluate_partitioned(skeleton, entries)
    assert_frame_equal(got, expected)
    assert got.attrs["as_of"] == expected.attrs["as_of"]


def test_cluster_with_an_explicit_as_of_date(cluster_client):
    book = random_book(seed=11)
    skeleton, entries = partition_book(book, npartitions=6)
    assert entries.npartitions >= 4
    for as_of in (date(2025, 3, 15), date(2025, 6, 30), date(2027, 1, 1)):
        expected = book.evaluate(as_of).to_frame()
        got = evaluate_partitioned(skeleton, entries, as_of)
        assert_frame_equal(got, expected)
        assert got.attrs["as_of"] == as_of
    # Early: later entries are ignored and engagements not yet started are left out, as in one process.
    assert len(got) > len(evaluate_partitioned(skeleton, entries, date(2025, 3, 15)))


def test_cluster_with_engagement_as_index_in_another_order(cluster_client):
    """A frame the user partitioned: engagement ids as a sorted string index, partitions not in book order."""
    book = random_book(seed=3)
    frame = book.entries_frame(notes=True)[["engagement", "start", "seconds", "kind", "request", "note"]]
    frame = frame.astype({"engagement": str}).set_index("engagement")
    entries = dd.from_pandas(frame, npartitions=5, sort=True)
    assert_frame_equal(evaluate_partitioned(skeleton_of(book), entries), book.evaluate().to_frame())


def test_cluster_reads_a_partitioned_data_set(cluster_client, tmp_path):
    book = random_book(seed=5)
    write_partitioned(book, tmp_path / "book", npartitions=4)
    skeleton, entries = read_partitioned(tmp_path / "book")
    assert entries.npartitions == len(list((tmp_path / "book").glob("entries-*.pkl"))) > 1
    assert_frame_equal(evaluate_partitioned(skeleton, entries), book.evaluate().to_frame())
    as_of = date(2025, 5, 1)
    assert_frame_equal(evaluate_partitioned(skeleton, entries, as_of), book.evaluate(as_of).to_frame())

