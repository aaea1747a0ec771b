"""Book files: load and save round trips in every format, atomically, from Python."""

import pickle
from multiprocessing import get_context

import pytest

import kontingent as k
from conftest import DEMO_BOOK, SPEC_EXAMPLES


@pytest.mark.parametrize("suffix", k.BOOK_FORMATS)
def test_save_and_load_round_trip(book_a, tmp_path, suffix):
    path = tmp_path / f"book{suffix}"
    book_a.save(path)
    again = k.Book.load(path)
    assert again == book_a
    assert again.evaluate() == book_a.evaluate()


def test_json_text_round_trip(book_b):
    assert k.Book.from_json(book_b.to_json()) == book_b
    assert book_b.to_json() == (SPEC_EXAMPLES / "b-retainer.book.json").read_text()


def test_paths_may_be_str_or_pathlike(tmp_path, book_a):
    book_a.save(str(tmp_path / "a.json"))
    assert k.load(str(tmp_path / "a.json")) == k.load(tmp_path / "a.json")


def test_the_demo_book_round_trips(tmp_path, demo_book):
    demo_book.save(tmp_path / "studio.kbin")
    assert k.Book.load(tmp_path / "studio.kbin") == demo_book == k.Book.load(DEMO_BOOK)


def _unbilled(book):
    return str(book.evaluate()[0].unbilled)


def test_books_cross_process_boundaries(book_a):
    with get_context("spawn").Pool(1) as pool:
        assert pool.apply(_unbilled, (book_a,)) == "668.75"
    assert pickle.loads(pickle.dumps(book_a.evaluate(), protocol=pickle.HIGHEST_PROTOCOL)) == book_a.evaluate()


def test_golden_pickles_of_old_releases_keep_loading(book_a):
    """Pickles written by kontingent 0.1.0 (tests/python/golden/): never change what they load as."""
    from pathlib import Path

    golden = pickle.loads((Path(__file__).parent / "golden" / "a-fixed-0.1.0.pickle").read_bytes())
    assert golden["book"] == book_a
    assert golden["report"] == book_a.evaluate()
    assert golden["engagement"] == book_a.engagements[0]
    assert golden["terms"] == book_a.engagements[0].terms
    assert golden["entry"] == book_a.engagements[0].entries[2] and golden["entry"].request == "R1"


# --- the store: formats from the library's registry, and the writers' lock -----------------------

def test_the_formats_come_from_the_library():
    assert k.BOOK_FORMATS == (".json", ".kbin", ".kxml", ".ktxt", ".kdb")
    assert ".json, .kbin, .kxml, .ktxt or .kdb" in k.Book.load.__doc__
    assert ".json, .kbin, .kxml, .ktxt or .kdb" in k.Book.save.__doc__
    assert ".json, .kbin, .kxml, .ktxt, .kdb" in k.load.__doc__


def test_an_unknown_extension_is_refused_with_the_list(book_a, tmp_path):
    with pytest.raises(k.FileError) as error:
        book_a.save(tmp_path / "book.doc")
    assert str(error.value) == (f'{tmp_path / "book.doc"}: unknown book format ".doc" '
                                "(name the file .json, .kbin, .kxml, .ktxt or .kdb)")
    assert not (tmp_path / "book.doc").exists()


def test_the_dates_evaluate_takes(book_a):
    import datetime as dt
    assert book_a.latest_event_date() == dt.date(2026, 3, 10)  # INV-1's payment
    assert book_a.default_as_of() == dt.date(2026, 3, 10) == book_a.evaluate().as_of
    a = book_a.engagements[0]
    quiet = k.Engagement(id=a.id, client=a.client, currency=a.currency, start=a.start, terms=a.terms)
    empty = k.Book(clients=book_a.clients, engagements=[quiet])
    assert empty.latest_event_date() is None
    assert empty.default_as_of() == dt.date(2026, 1, 5)  # the engagement's start
    assert k.Book().default_as_of() is None


def _scope_entry(n):
    import datetime as dt
    return k.Entry(start=dt.datetime(2026, 3, 2, 8, 0) + dt.timedelta(minutes=2 * n), minutes=1, kind="scope")


def test_update_changes_the_book_under_the_lock_and_writes_nothing_on_failure(book_a, tmp_path):
    path = tmp_path / "book.json"
    book_a.save(path)
    saved = k.Book.update(path, lambda b: b.engagements[0].entries.append(_scope_entry(0)))
    assert len(saved.engagements[0].entries) == 11
    assert k.Book.load(path) == saved
    before = path.read_bytes()

    def fails(book):
        book.engagements[0].entries.append(_scope_entry(1))
        raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError, match="changed my mind"):
        k.Book.update(path, fails)
    assert path.read_bytes() == before


def _append_entries(path, first, count):
    for n in range(first, first + count):
        k.Book.update(path, lambda b, n=n: b.engagements[0].entries.append(_scope_entry(n)))


def test_concurrent_updates_from_processes_lose_nothing(book_a, tmp_path):
    path = tmp_path / "book.kbin"
    book_a.save(path)
    context = get_context("spawn")
    workers = [context.Process(target=_append_entries, args=(str(path), 10 * p, 10)) for p in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert len(k.Book.load(path).engagements[0].entries) == 10 + 40


def test_a_kdb_book_is_readable_with_the_standard_library_and_pandas(book_a, tmp_path):
    import sqlite3

    import pandas as pd
    path = tmp_path / "book.kdb"
    book_a.save(path)
    with sqlite3.connect(path) as db:
        entries = pd.read_sql("SELECT engagement, start, seconds, kind, request, note FROM entries ORDER BY position", db)
        assert db.execute("PRAGMA user_version").fetchone() == (3,)
        assert db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() == ("kontingent-book-db/2",)
    assert len(entries) == 10
    assert list(entries.iloc[0]) == ["acme-site", "2026-01-06T09:00", 10800, "scope", None, "wireframes"]
    assert entries.seconds.sum() == 45300  # worked example A's worked seconds


def test_a_kdb_book_changed_by_another_program_reads_as_its_rows_say(book_a, tmp_path):
    import sqlite3
    path = tmp_path / "book.kdb"
    book_a.save(path)
    db = sqlite3.connect(path)
    with db:  # one transaction, committed
        # The entries are also kept packed in one block (docs/formats.md); a changed row drops it.
        assert db.execute("SELECT position, entry_count FROM entry_blocks").fetchall() == [(0, 10)]
        db.execute("UPDATE entries SET note = 'changed with sqlite3' WHERE position = 4")
        assert db.execute("SELECT count(*) FROM entry_blocks").fetchone() == (0,)
    db.close()
    entries = k.Book.load(path).engagements[0].entries
    assert entries[4].note == "changed with sqlite3"
    assert [e.note for e in entries][:4] == [e.note for e in book_a.engagements[0].entries][:4]
