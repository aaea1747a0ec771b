"""Errors map to Python exceptions that say where and what (SPEC §7), with the builtin they resemble."""

import pickle
from datetime import datetime
from decimal import Decimal

import pytest

import kontingent as k
from conftest import SPEC_EXAMPLES


def test_the_hierarchy():
    assert issubclass(k.ValidationError, ValueError) and issubclass(k.ValidationError, k.Error)
    assert issubclass(k.CurrencyMismatch, ValueError) and issubclass(k.CurrencyMismatch, k.Error)
    assert issubclass(k.ArchiveError, ValueError) and issubclass(k.ArchiveError, k.Error)
    assert issubclass(k.FileError, OSError) and issubclass(k.FileError, k.Error)


def test_a_bad_book_names_the_place_and_the_rule():
    text = (SPEC_EXAMPLES / "a-fixed.book.json").read_text().replace('"minutes": 50', '"minutes": 0')
    with pytest.raises(k.ValidationError) as error:
        k.Book.from_json(text)
    assert error.value.path == "engagements[0].entries[2].minutes"
    assert error.value.rule == "must be a positive integer, got 0"
    assert str(error.value) == "engagements[0].entries[2].minutes: must be a positive integer, got 0"


def test_unknown_fields_and_words():
    text = (SPEC_EXAMPLES / "a-fixed.book.json").read_text().replace('"kind": "call"', '"kind": "chat"', 1)
    with pytest.raises(k.ValidationError, match="chat") as error:
        k.Book.from_json(text)
    assert error.value.path.startswith("engagements[0].entries[6]")
    with pytest.raises(k.ValidationError, match="pricing must be"):
        k.Terms(pricing="monthly", rate=1)


def test_errors_inside_an_engagement_name_the_place_inside_it(book_a):
    e = book_a.engagements[0]
    with pytest.raises(k.ValidationError) as error:
        e.entries.append(k.Entry(start=datetime(2026, 2, 2, 10), minutes=5, kind="revision", request="C1"))
    assert error.value.path == "entries[10]"
    assert error.value.rule == 'a "revision" entry must name a "revision" request, but "C1" is a "change" request'
    with pytest.raises(k.ValidationError) as error:
        e.entries.append(k.Entry(start=datetime(2026, 2, 2, 10), minutes=5, kind="revision", request="R9"))
    assert (error.value.path, error.value.rule) == ("entries[10].request", 'unknown request "R9"')
    assert len(e.entries) == 10


def test_a_book_is_checked_whole(book_a):
    with pytest.raises(k.ValidationError) as error:
        k.Book(clients=[], engagements=book_a.engagements)
    assert (error.value.path, error.value.rule) == ("engagements[0].client", 'unknown client "acme"')
    with pytest.raises(k.ValidationError, match="duplicate client id"):
        k.Book(clients=book_a.clients * 2)


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(k.FileError):
        k.Book.load(tmp_path / "missing.json")
    (tmp_path / "junk.kbin").write_bytes(b"\x00" * 100)
    with pytest.raises(k.ArchiveError) as error:
        k.Book.load(tmp_path / "junk.kbin")
    assert "junk.kbin" in error.value.where


def test_damaged_pickles_raise_archive_error(book_a):
    state = book_a.__getstate__()
    damaged = bytearray(state[0])
    damaged[-3] ^= 0xFF
    with pytest.raises(k.ArchiveError, match="checksum|damaged"):
        k.Book.__new__(k.Book).__setstate__((bytes(damaged),))
    with pytest.raises(k.ArchiveError):
        k.Terms.__new__(k.Terms).__setstate__((b"not an archive",))
    with pytest.raises(k.ArchiveError):  # a Terms archive is not a Client
        k.Client.__new__(k.Client).__setstate__(book_a.engagements[0].terms.__getstate__())


def test_exceptions_pickle_with_their_place():
    error = k.ValidationError("entries[3]: bad", "entries[3]", "bad")
    again = pickle.loads(pickle.dumps(error))
    assert (again.path, again.rule, str(again)) == ("entries[3]", "bad", "entries[3]: bad")


def test_types_that_are_not_money():
    with pytest.raises(TypeError, match="not float"):
        k.Payment(invoice="I", date="2026-01-01", amount=1.0)
    with pytest.raises(TypeError, match="not bool"):
        k.Payment(invoice="I", date="2026-01-01", amount=True)
    with pytest.raises(k.ValidationError, match="too large"):
        k.Payment(invoice="I", date="2026-01-01", amount=10**20)


def test_numbers_of_numpy_are_numbers_and_its_bools_are_not():
    """Hours and percents read numpy's integers exactly and its floats as floats, as int and float."""
    import numpy as np

    assert k.Rush(lead_hours=np.int64(48), surcharge_percent=np.int32(50)) == k.Rush(lead_hours=48, surcharge_percent=50)
    assert k.Rush(lead_hours=np.float32(1.5), surcharge_percent=np.float16(0.5)) == k.Rush(lead_hours=1.5, surcharge_percent=0.5)
    assert k.Vat(category="S", percent=np.uint8(19)).percent == Decimal("19")
    with pytest.raises(k.ValidationError, match="^lead_hours must be at most 1000000, got 9223372036854775808$"):
        k.Rush(lead_hours=np.uint64(2**63), surcharge_percent=1)
    with pytest.raises(TypeError, match=r"^lead_hours must be a number \(int, Decimal, Fraction or float\), not bool_$"):
        k.Rush(lead_hours=np.bool_(True), surcharge_percent=1)
    assert k.Payment(invoice="I", date="2026-01-01", amount=np.int64(5)).amount == Decimal("5.00")
    with pytest.raises(TypeError, match="^money must be a Decimal, int or str, not bool_$"):
        k.Payment(invoice="I", date="2026-01-01", amount=np.bool_(True))


def test_a_damaged_database_quoting_bytes_that_are_not_utf8_is_a_validation_error(book_a, tmp_path):
    """SQLite's message quotes the garbled name; it comes out escaped, not as a UnicodeDecodeError."""
    path = tmp_path / "a.kdb"
    book_a.save(path)
    data = path.read_bytes()
    assert data.count(b"sqlite_autoindex_invoice_lines_1") == 1
    path.write_bytes(data.replace(b"sqlite_autoindex_invoice_lines_1", b"sqlite_autoindex_inv\xefice_lines_1"))
    with pytest.raises(k.ValidationError) as error:
        k.Book.load(path)
    assert str(error.value) == (f"{path}: not a kontingent book database (malformed database schema "
                                "(sqlite_autoindex_inv\\xEFice_lines_1) - orphan index)")


def test_a_value_of_the_wrong_type_is_a_type_error_naming_both_types(book_a):
    from datetime import date, datetime

    with pytest.raises(TypeError) as error:
        book_a.evaluate()[None]
    assert str(error.value).startswith("Unable to cast Python instance of type <class 'NoneType'> to C++ type")
    with pytest.raises(TypeError) as error:
        k.Entry(start=datetime(2026, 3, 2, 9), end=date(2026, 3, 2), kind="scope")
    assert str(error.value) == ("Unable to cast Python instance of type <class 'datetime.date'> to C++ type "
                                "'boost::posix_time::ptime'")
