"""Book files: load and save round trips in every format, atomically, from Python."""

import pickle
from multiprocessing import get_context

import pytest

import kontingent as k
from conftest import DEMO_BOOK, SPEC_EXAMPLES


@pytest.mark.parametrize("suffix", [".json", ".kbin", ".kxml", ".ktxt"])
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
