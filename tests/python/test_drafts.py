"""Invoice drafts from Python (SPEC §11): Book.draft_invoice, InvoiceDraft, record()."""

import copy
import json
import pickle
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

import kontingent as k
from conftest import SOURCE, SPEC_EXAMPLES

AS_OF = date(2026, 3, 10)
OWNER = k.Owner(name="Studio Nord", address=k.Address(street="Hafenstraße 1", postcode="20457", city="Hamburg",
                                                       country="DE"),
                vat_id="DE123456789", iban="DE02120300000000202051", invoice_prefix="RE-2026-",
                vat=k.Vat(category="S", percent=19))
CLIENT_ADDRESS = k.Address(street="Alexanderplatz 1", postcode="10178", city="Berlin", country="DE")
VALIDATOR = SOURCE.parent / "shared" / "validators" / "en16931-cii" / "validate"


def example_a(owner=OWNER, **client) -> k.Book:
    """SPEC worked example A as a book of version 2: with an owner (VAT S 19 %)."""
    a = k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")
    return k.Book(clients=[c.replace(**client) for c in a.clients], engagements=a.engagements, owner=owner)


@pytest.fixture
def book() -> k.Book:
    return example_a()


# ---- the amounts of example A ---------------------------------------------------------------------

def test_the_draft_of_example_a(book):
    d = book.draft_invoice("acme-site", AS_OF)
    assert [(line["category"], line["net"]) for line in d.lines] == [
        ("change", Decimal("166.25")), ("call", Decimal("120.00")), ("rush", Decimal("142.50")),
        ("no_show", Decimal("240.00"))]
    assert (d.net, d.tax, d.total) == (Decimal("668.75"), Decimal("127.06"), Decimal("795.81"))
    assert all(type(v) is Decimal for v in (d.net, d.tax, d.total))
    assert d.vat_groups == [{"vat_category": "S", "vat_percent": Decimal("19"), "exemption_reason": "",
                             "net": Decimal("668.75"), "tax": Decimal("127.06")}]
    assert (d.number, d.credit_note, d.refers_to) == ("RE-2026-1", False, ())
    assert (d.date, d.due, d.as_of) == (AS_OF, date(2026, 4, 9), AS_OF)  # due: 30 days by default
    assert (d.currency, d.engagement, d.engagement_title) == ("EUR", "acme-site", "Website relaunch")
    assert d.seller == OWNER and d.buyer == book.client("acme")
    assert not d.empty and len(d) == 4
    assert repr(d) == ("<InvoiceDraft 'RE-2026-1' for 'acme-site' as of 2026-03-10: 4 lines, net 668.75 EUR, "
                       "tax 127.06 EUR, total 795.81 EUR>")
    assert book.draft_invoice("acme-site") == d  # as of the book's latest event, like evaluate()


def test_lines_go_into_pandas(book):
    d = book.draft_invoice("acme-site", AS_OF)
    frame = pd.DataFrame(d.lines)
    assert list(frame.columns) == ["category", "description", "net", "vat_category", "vat_percent"]
    assert frame.net.sum() == Decimal("668.75")
    assert frame.loc[0, "description"] == "Änderungswunsch C1: ohne Angebot 1:45 Std. × 95,00 EUR/Std."
    lines = d.lines_frame()
    assert list(lines.columns) == ["category", "description", "net", "vat_category", "vat_percent"]
    assert list(lines.category.cat.categories) == list(k.CATEGORIES)
    assert lines.net.tolist() == [Decimal("166.25"), Decimal("120.00"), Decimal("142.50"), Decimal("240.00")]
    cents = d.lines_frame(money="cents")
    assert cents.net_cents.dtype == "int64" and cents.net_cents.sum() == 66875
    with pytest.raises(ValueError, match='money must be "cents" or "decimal"'):
        d.lines_frame(money="float")
    d.record()
    empty = book.draft_invoice("acme-site", AS_OF)
    assert empty.lines == [] and list(empty.lines_frame().columns) == list(lines.columns)


def test_languages(book):
    d = book.draft_invoice("acme-site", AS_OF)
    assert d.lang == "de"
    assert d._repr_html_().startswith("<!DOCTYPE html>") and '<html lang="de">' in d._repr_html_()
    assert "Rechnung RE-2026-1" in d.to_text() and "Invoice RE-2026-1" in d.to_text("en")
    assert '<html lang="en">' in d.to_html("en") and str(d) == d.to_text()
    assert d.to_markdown("en") != d.to_markdown()
    english = book.draft_invoice("acme-site", AS_OF, lang="en")
    assert english.lines[0]["description"] == "Change request C1: without a quote 1:45 h × 95.00 EUR/h"
    assert '<html lang="en">' in english._repr_html_() and english != d
    d.lang = "en"
    assert d == english
    with pytest.raises(ValueError, match='lang is "de" or "en", not "fr"'):
        d.lang = "fr"
    with pytest.raises(ValueError, match='lang is "de" or "en", not "fr"'):
        d.to_text("fr")


def test_json_and_cii(book):
    d = example_a(address=CLIENT_ADDRESS).draft_invoice("acme-site", AS_OF)
    doc = json.loads(d.to_json())
    assert (doc["format"], doc["number"], doc["net"], doc["tax"], doc["total"]) == (
        "kontingent-invoice/1", "RE-2026-1", "668.75", "127.06", "795.81")
    cii = d.to_cii()
    assert type(cii) is bytes and cii.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(cii)
    ram = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    assert root.find(f".//{ram}GrandTotalAmount").text == "795.81"
    assert root.find(f".//{ram}TaxTotalAmount").text == "127.06"
    # An e-invoice needs the buyer's address (EN 16931 BR-10): the library says so.
    with pytest.raises(k.DraftError, match='client "acme" needs an "address"'):
        book.draft_invoice("acme-site", AS_OF).to_cii()


@pytest.mark.skipif(not VALIDATOR.exists() or not shutil.which("java") or not shutil.which("xmllint"),
                    reason="the EN 16931 validator (../shared/validators) or its tools are missing")
def test_the_e_invoice_passes_en16931(tmp_path):
    d = example_a(address=CLIENT_ADDRESS).draft_invoice("acme-site", AS_OF)
    (tmp_path / "invoice.xml").write_bytes(d.to_cii())
    run = subprocess.run([str(VALIDATOR), str(tmp_path / "invoice.xml")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr


# ---- recording -------------------------------------------------------------------------------------

def test_record_closes_the_leak(book):
    site = book["acme-site"]  # a live engagement: it sees the recorded invoice
    d = book.draft_invoice("acme-site", AS_OF)
    recorded = d.record()
    assert recorded == k.Invoice(id="RE-2026-1", date=AS_OF, due=date(2026, 4, 9), lines={
        "change": Decimal("166.25"), "call": Decimal("120.00"), "rush": Decimal("142.50"), "no_show": Decimal("240.00")})
    assert recorded == d.as_invoice() and site.invoices[-1] == recorded
    report = book.evaluate(AS_OF)["acme-site"]
    assert report.unbilled == Decimal("0.00")
    assert set(report.leakage.values()) == {Decimal("0.00")}
    assert "unbilled" not in report.alerts
    again = book.draft_invoice("acme-site", AS_OF)
    assert again.lines == [] and again.empty and len(again) == 0
    assert (again.net, again.tax, again.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert again.number == "RE-2026-2" and book.next_invoice_number() == "RE-2026-2"
    assert repr(again) == "<InvoiceDraft 'RE-2026-2' for 'acme-site' as of 2026-03-10: nothing to bill>"
    with pytest.raises(k.DraftError) as error:
        again.record()
    assert str(error.value) == 'nothing to bill for engagement "acme-site": the draft has no lines, so nothing is recorded'
    with pytest.raises(k.DraftError) as error:
        d.record()  # twice: the number is taken
    assert str(error.value) == 'invoice number "RE-2026-1" is taken: the book has an invoice with that id'
    assert len(site.invoices) == 2


def test_a_v2_book_with_a_recorded_draft_saves_and_loads(book, tmp_path):
    book.draft_invoice("acme-site", AS_OF).record()
    book.save(tmp_path / "a.json")
    loaded = k.Book.load(tmp_path / "a.json")
    assert loaded == book
    assert json.loads((tmp_path / "a.json").read_text())["format"] == "kontingent-book/2"
    assert loaded.evaluate(AS_OF)["acme-site"].unbilled == Decimal("0.00")


def test_record_into_a_book_file_under_its_lock(book, tmp_path):
    path = tmp_path / "a.json"
    book.save(path)
    d = book.draft_invoice("acme-site", AS_OF)
    k.Book.update(path, lambda on_disk: d.record(on_disk))
    assert k.Book.load(path).evaluate(AS_OF)["acme-site"].unbilled == Decimal("0.00")
    assert book.evaluate(AS_OF)["acme-site"].unbilled == Decimal("668.75")  # the book in memory is unchanged


def test_a_draft_from_an_older_copy_is_refused_by_the_book_on_disk(book, tmp_path):
    path = tmp_path / "a.json"
    book.save(path)
    d = book.draft_invoice("acme-site", AS_OF)
    k.Book.update(path, lambda on_disk: on_disk.record("acme-site", k.Invoice(
        id="MAN-1", date=date(2026, 3, 9), lines={"call": Decimal("120")})))  # another writer, meanwhile
    before = path.read_bytes()
    with pytest.raises(k.DraftError) as error:
        k.Book.update(path, lambda on_disk: d.record(on_disk))
    assert str(error.value) == ('invoice "RE-2026-1" no longer fits the book: as of 2026-03-10 it leaves call 0.00 '
                                '(drafted: 120.00) to bill; draft it again from the book as it is now')
    assert path.read_bytes() == before
    assert k.Book.load(path).evaluate(AS_OF)["acme-site"].leakage["call"] == Decimal("0.00")


def test_a_credit_note_for_overbilling(book):
    book.record("acme-site", k.Invoice(id="RE-2026-7", date=date(2026, 3, 9), lines={
        "change": Decimal("166.25"), "call": Decimal("200.00"), "rush": Decimal("142.50"), "no_show": Decimal("240.00")}))
    assert book.draft_invoice("acme-site", AS_OF).empty  # nothing left to bill
    note = book.draft_invoice("acme-site", AS_OF, credit=True)
    assert (note.credit_note, note.number, note.refers_to) == (True, "RE-2026-8", ("RE-2026-7",))
    assert [(line["category"], line["net"]) for line in note.lines] == [("call", Decimal("80.00"))]
    assert (note.net, note.tax, note.total) == (Decimal("80.00"), Decimal("15.20"), Decimal("95.20"))
    recorded = note.record()
    assert (recorded.credit_note, recorded.refers_to) == (True, "RE-2026-7")
    report = book.evaluate(AS_OF)["acme-site"]
    assert (report.unbilled, report.overbilled) == (Decimal("0.00"), Decimal("0.00"))
    assert book.draft_invoice("acme-site", AS_OF, credit=True).empty


# ---- options and refusals ----------------------------------------------------------------------------

def test_date_number_and_payment_days():
    book = example_a(payment_days=14)
    d = book.draft_invoice("acme-site", AS_OF, date=date(2026, 3, 12), number="2026/17")
    assert (d.number, d.date, d.due, d.as_of) == ("2026/17", date(2026, 3, 12), date(2026, 3, 26), AS_OF)
    with pytest.raises(k.DraftError) as error:  # dated after its as-of date, the report there would not count it
        d.record()
    assert str(error.value).startswith('invoice "2026/17" is dated 2026-03-12, after its as-of date 2026-03-10: ')
    assert book.draft_invoice("acme-site", AS_OF).number == "RE-2026-1"  # nothing was recorded
    with pytest.raises(k.DraftError) as error:
        book.draft_invoice("acme-site", AS_OF, number="INV-1")
    assert str(error.value) == 'invoice number "INV-1" is taken: the book has an invoice with that id'
    assert example_a(owner=OWNER.replace(invoice_prefix="INV-")).draft_invoice("acme-site", AS_OF).number == "INV-2"


def test_exempt_vat_has_no_tax():
    exempt = k.Vat(category="E", exemption_reason="Kleinunternehmer gemäß §19 UStG")
    d = example_a(owner=OWNER.replace(vat=exempt)).draft_invoice("acme-site", AS_OF)
    assert (d.net, d.tax, d.total) == (Decimal("668.75"), Decimal("0.00"), Decimal("668.75"))
    assert {(line["vat_category"], line["vat_percent"]) for line in d.lines} == {("E", None)}
    assert d.vat_groups[0]["exemption_reason"] == "Kleinunternehmer gemäß §19 UStG"
    assert "Kleinunternehmer gemäß §19 UStG" in d.to_text()


def test_what_a_draft_needs():
    a = k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")
    with pytest.raises(k.DraftError) as error:
        a.draft_invoice("acme-site", AS_OF)
    assert str(error.value) == ('the book has no owner: an invoice needs the seller\'s name and address '
                                '(set it with `kontingent owner set`, or add "owner" to the book)')
    with pytest.raises(k.DraftError) as error:
        example_a(owner=OWNER.replace(vat=None)).draft_invoice("acme-site", AS_OF)
    assert str(error.value) == ('engagement "acme-site" has no VAT category: give the owner a "vat" or the '
                                'engagement\'s terms one')
    with pytest.raises(k.DraftError) as error:
        example_a().draft_invoice("acme-site", date(2026, 1, 4))
    assert str(error.value) == 'engagement "acme-site" starts 2026-01-05, after the as-of date 2026-01-04'
    with pytest.raises(KeyError, match='no engagement "nope" in this book'):
        example_a().draft_invoice("nope")
    assert issubclass(k.DraftError, k.Error) and issubclass(k.DraftError, ValueError)


def test_drafting_never_changes_the_book(book):
    before = copy.deepcopy(book)
    book.draft_invoice("acme-site", AS_OF)
    book.draft_invoice("acme-site", AS_OF, credit=True)
    assert book == before


# ---- a value ----------------------------------------------------------------------------------------

def test_pickle_and_copy(book):
    d = book.draft_invoice("acme-site", AS_OF, lang="en")
    back = pickle.loads(pickle.dumps(d))
    assert back == d and back.lang == "en" and back.lines == d.lines and back.buyer == d.buyer
    assert copy.copy(d) == d and copy.deepcopy(d) == d
    with pytest.raises(k.DraftError, match=r'draft "RE-2026-1" does not know its book \(it was unpickled\)'):
        back.record()
    back.record(book)  # named, it records
    assert book.evaluate(AS_OF)["acme-site"].unbilled == Decimal("0.00")
    note = book.draft_invoice("acme-site", AS_OF, credit=True)
    assert pickle.loads(pickle.dumps(note)) == note
    blank = k.InvoiceDraft.__new__(k.InvoiceDraft)
    with pytest.raises(k.ArchiveError, match="not a kontingent pickle state"):
        blank.__setstate__(((1, 2),))
