"""Book version 2 from Python (SPEC §10): parties, VAT, payment terms, credit notes."""

import copy
import json
import pickle
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

import kontingent as k
from conftest import SPEC_EXAMPLES

HAMBURG = k.Address(street="Hafenstraße 1", postcode="20457", city="Hamburg", country="DE")
VIENNA = k.Address(street="Ring 3", postcode="1010", city="Wien", country="AT")
STANDARD = k.Vat(category="S", percent=19)
OWNER = k.Owner(name="Studio Nord", address=HAMBURG, vat_id="DE123456789", tax_number="22/815/08154",
                email="post@studio-nord.example", iban="DE02120300000000202051", invoice_prefix="RE-2026-",
                vat=STANDARD)


def acme(**fields) -> k.Client:
    values = dict(id="acme", name="ACME GmbH", channel="referral", address=HAMBURG, email="ap@acme.example",
                  buyer_reference="04011000-12345-67", payment_days=14)
    values.update(fields)
    return k.Client(**values)


def site(terms_vat=None, invoices=None) -> k.Engagement:
    terms = k.Terms(pricing="hourly", rate=Decimal("95"), vat=terms_vat)
    return k.Engagement(
        id="acme-site", client="acme", currency="EUR", start=date(2026, 1, 5), terms=terms,
        entries=[k.Entry(start=datetime(2026, 1, 6, 9), minutes=180, kind="scope")],
        invoices=invoices if invoices is not None else [
            k.Invoice(id="RE-2026-0001", date=date(2026, 1, 31), lines={"base": Decimal("285")},
                      due=date(2026, 2, 28)),
            k.Invoice(id="RE-2026-0002", date=date(2026, 2, 5), lines={"base": Decimal("95")}, credit_note=True,
                      refers_to="RE-2026-0001"),
        ])


def v2_book() -> k.Book:
    vienna = k.Client(id="wien", name="Wiener Werkstätten", address=VIENNA, vat_id="ATU12345678")
    reverse = k.Vat(category="AE", exemption_reason="Steuerschuldnerschaft des Leistungsempfängers")
    export = k.Engagement(id="wien-shop", client="wien", currency="EUR", start=date(2026, 2, 1),
                          terms=k.Terms(pricing="hourly", rate=Decimal("110"), vat=reverse))
    return k.Book(clients=[acme(), vienna], engagements=[site(), export], owner=OWNER)


# ---- the values ---------------------------------------------------------------------------------

def test_parties_are_values_with_python_types():
    assert (HAMBURG.street, HAMBURG.postcode, HAMBURG.city, HAMBURG.country) == ("Hafenstraße 1", "20457", "Hamburg", "DE")
    assert STANDARD.category == "S" and STANDARD.percent == Decimal("19") and type(STANDARD.percent) is Decimal
    assert k.Vat(category="S", percent=Decimal("7.7")).percent == Decimal("7.7")
    assert k.Vat(category="S", percent=Fraction(31, 2)).percent == Decimal("15.5")
    exempt = k.Vat(category="E", exemption_reason="Kleinunternehmer gemäß §19 UStG")
    assert exempt.percent is None and exempt.exemption_reason == "Kleinunternehmer gemäß §19 UStG"
    assert k.VAT_CATEGORIES == ("S", "Z", "E", "AE")
    assert OWNER.address == HAMBURG and OWNER.vat == STANDARD and OWNER.invoice_prefix == "RE-2026-"
    with pytest.raises(k.ValidationError, match='VAT category must be S, Z, E or AE, got "X"'):
        k.Vat(category="X")
    with pytest.raises(TypeError):
        k.Vat(category="S", percent="19")  # a number, not text


def test_client_terms_and_invoice_carry_the_new_fields():
    c = acme()
    assert (c.address, c.vat_id, c.email, c.buyer_reference, c.payment_days, c.days_to_pay) == (
        HAMBURG, "", "ap@acme.example", "04011000-12345-67", 14, 14)
    plain = k.Client(id="x", name="X")
    assert (plain.address, plain.vat_id, plain.payment_days, plain.days_to_pay) == (None, "", None, 30)
    assert k.Terms(pricing="hourly", rate=1).vat is None
    assert k.Terms(pricing="hourly", rate=1, vat=STANDARD).vat == STANDARD
    note = k.Invoice(id="CN-1", date=date(2026, 3, 1), lines={"base": 5}, credit_note=True, refers_to="INV-1")
    assert (note.credit_note, note.refers_to, note.due) == (True, "INV-1", None)
    invoice = k.Invoice(id="INV-1", date="2026-02-28", lines={"base": 5}, due="2026-03-14")
    assert (invoice.credit_note, invoice.refers_to, invoice.due) == (False, None, date(2026, 3, 14))


@pytest.mark.parametrize("value", [
    HAMBURG, STANDARD, OWNER, k.Vat(category="E", exemption_reason="§19 UStG"), acme(), k.Client(id="x", name="X"),
    k.Terms(pricing="hourly", rate=1, vat=k.Vat(category="Z")),
    k.Invoice(id="CN-1", date=date(2026, 3, 1), lines={"base": 5}, credit_note=True, refers_to="INV-1",
              due=date(2026, 3, 31)),
])
def test_values_repr_replace_copy_and_pickle(value):
    import datetime as datetime_module
    namespace = {name: getattr(k, name) for name in k.__all__ if not name[0].islower()}
    namespace.update(Decimal=Decimal, datetime=datetime_module)
    assert eval(repr(value), namespace) == value  # noqa: S307 - our own repr
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.deepcopy(value) == value
    assert value.replace() == value


def test_replace_changes_one_field():
    assert OWNER.replace(vat=None).vat is None and OWNER.replace(vat=None).name == "Studio Nord"
    assert acme().replace(payment_days=None).days_to_pay == 30
    assert repr(k.Vat(category="S", percent=19)) == "Vat(category='S', percent=Decimal('19'))"


def test_damaged_party_pickles_raise_archive_errors():
    for value in (HAMBURG, STANDARD, OWNER):
        blank = type(value).__new__(type(value))
        with pytest.raises(k.ArchiveError, match="not a kontingent pickle state"):
            blank.__setstate__(("garbage",))


# ---- books --------------------------------------------------------------------------------------

def test_a_v2_book_saves_as_json_and_loads_equal(tmp_path):
    book = v2_book()
    assert book.format_version == 2
    assert book.owner == OWNER
    path = tmp_path / "studio.book.json"
    book.save(path)
    text = json.loads(path.read_text())
    assert text["format"] == "kontingent-book/2"
    assert text["owner"]["vat"] == {"category": "S", "percent": 19}
    assert text["clients"][0]["payment_days"] == 14
    assert text["engagements"][0]["invoices"][1]["credit_note"] is True
    loaded = k.Book.load(path)
    assert loaded == book
    assert loaded.client("acme") == acme()
    assert loaded["acme-site"].invoices[1].refers_to == "RE-2026-0001"
    assert loaded["wien-shop"].terms.vat.category == "AE"
    assert k.Book.from_json(book.to_json()) == book
    assert pickle.loads(pickle.dumps(book)) == book


@pytest.mark.parametrize("extension", [".kbin", ".kxml", ".ktxt", ".kdb"])
def test_a_v2_book_in_every_other_format(tmp_path, extension):
    book = v2_book()
    book.save(tmp_path / f"studio{extension}")
    assert k.Book.load(tmp_path / f"studio{extension}") == book


def test_a_v1_book_still_saves_as_version_1(tmp_path):
    book = k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")
    assert book.format_version == 1 and book.owner is None
    book.save(tmp_path / "a.json")
    assert json.loads((tmp_path / "a.json").read_text())["format"] == "kontingent-book/1"
    assert json.loads(book.to_json())["format"] == "kontingent-book/1"
    made = k.Book(clients=[k.Client(id="acme", name="ACME GmbH")],
                  engagements=[site(invoices=[k.Invoice(id="INV-1", date=date(2026, 1, 31), lines={"base": 285})])])
    assert made.format_version == 1
    assert json.loads(made.to_json())["format"] == "kontingent-book/1"
    # One field of version 2 is enough.
    book.owner = OWNER
    assert book.format_version == 2
    assert json.loads(book.to_json())["format"] == "kontingent-book/2"
    book.owner = None
    assert json.loads(book.to_json())["format"] == "kontingent-book/1"


def test_the_owner_is_settable_and_checked():
    book = k.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")
    book.owner = OWNER
    with pytest.raises(k.ValidationError) as error:
        book.owner = OWNER.replace(address=k.Address(city="Hamburg", country="XX"))
    assert str(error.value) == 'owner.address.country: must be an ISO 3166-1 alpha-2 country code like "DE", got "XX"'
    assert book.owner == OWNER  # the old owner stays


# ---- the rules, with the library's messages -------------------------------------------------------

def test_reverse_charge_needs_the_clients_vat_id():
    reverse = k.Vat(category="AE", exemption_reason="Reverse charge")
    e = site(terms_vat=reverse)  # the engagement alone is fine: the client is the book's
    with pytest.raises(k.ValidationError) as error:
        k.Book(clients=[acme()], engagements=[e], owner=OWNER)
    assert error.value.path == "engagements[0].terms.vat"
    assert error.value.rule == 'VAT category "AE" (reverse charge) needs the client\'s "vat_id", and client "acme" has none'
    assert str(error.value) == ('engagements[0].terms.vat: VAT category "AE" (reverse charge) needs the client\'s '
                                '"vat_id", and client "acme" has none')
    assert k.Book(clients=[acme(vat_id="DE999999999")], engagements=[e], owner=OWNER).format_version == 2
    # The owner's VAT is the default: the error names it.
    with pytest.raises(k.ValidationError) as error:
        k.Book(clients=[acme()], engagements=[site()], owner=OWNER.replace(vat=reverse))
    assert str(error.value) == ('owner.vat: VAT category "AE" (reverse charge) needs the client\'s "vat_id", '
                                'and client "acme" has none')
    book = k.Book(clients=[acme()], engagements=[site()], owner=OWNER)
    with pytest.raises(k.ValidationError, match='^owner.vat: VAT category "AE"'):
        book.owner = OWNER.replace(vat=reverse)
    assert book.owner == OWNER


def test_a_credit_note_must_refer_to_an_invoice_of_its_engagement():
    unknown = k.Invoice(id="CN-9", date=date(2026, 2, 5), lines={"base": 95}, credit_note=True, refers_to="INV-9")
    with pytest.raises(k.ValidationError) as error:
        site(invoices=[unknown])
    assert str(error.value) == ('invoices[0].refers_to: unknown invoice "INV-9" (a credit note must refer to an '
                                'invoice of its engagement)')
    book = v2_book()
    with pytest.raises(k.ValidationError) as error:
        book.record("acme-site", unknown)
    assert str(error.value) == ('engagements[0].invoices[2].refers_to: unknown invoice "INV-9" (a credit note must '
                                'refer to an invoice of its engagement)')
    assert len(book["acme-site"].invoices) == 2  # nothing recorded
    with pytest.raises(k.ValidationError) as error:
        site(invoices=[k.Invoice(id="CN-1", date=date(2026, 2, 5), lines={"base": 95}, credit_note=True)])
    assert str(error.value) == 'invoices[0]: a credit note needs "refers_to": the invoice it corrects'
    with pytest.raises(k.ValidationError) as error:
        site(invoices=[k.Invoice(id="INV-1", date=date(2026, 2, 5), lines={"base": 95}, refers_to="INV-0")])
    assert str(error.value) == 'invoices[0].refers_to: "refers_to" is only for credit notes'
    with pytest.raises(k.ValidationError) as error:
        site(invoices=[k.Invoice(id="INV-1", date=date(2026, 2, 5), lines={"base": 95}, due=date(2026, 2, 4))])
    assert str(error.value) == "invoices[0].due: due 2026-02-04 is before the date 2026-02-05"


def test_standard_vat_needs_a_percent():
    with pytest.raises(k.ValidationError) as error:
        k.Book(clients=[acme()], engagements=[site()], owner=OWNER.replace(vat=k.Vat(category="S")))
    assert (error.value.path, error.value.rule) == ("owner.vat", 'VAT category "S" needs a "percent" > 0')
    with pytest.raises(k.ValidationError) as error:
        site(terms_vat=k.Vat(category="S"))
    assert str(error.value) == 'terms.vat: VAT category "S" needs a "percent" > 0'
    e = site()
    with pytest.raises(k.ValidationError, match='^terms.vat: VAT category "S" needs a "percent" > 0$'):
        e.terms = e.terms.replace(vat=k.Vat(category="S", percent=0))
    assert e.terms.vat is None  # the change is undone
    with pytest.raises(k.ValidationError) as error:
        site(terms_vat=k.Vat(category="E"))
    assert str(error.value) == ('terms.vat: VAT category "E" needs an "exemption_reason" (printed on the invoice, '
                                'e.g. "Kleinunternehmer gemäß §19 UStG")')
    with pytest.raises(k.ValidationError) as error:
        site(terms_vat=k.Vat(category="Z", percent=7))
    assert str(error.value) == 'terms.vat.percent: only VAT category "S" has a percent; "Z" is charged at 0'


def test_client_fields_are_checked_by_the_book():
    with pytest.raises(k.ValidationError) as error:
        k.Book(clients=[acme(payment_days=-1)], engagements=[site()])
    assert str(error.value) == "clients[0].payment_days: must be an integer >= 0 and at most 10000000"
    with pytest.raises(k.ValidationError) as error:
        k.Book(clients=[acme(address=k.Address(city="", country="DE"))], engagements=[site()])
    assert str(error.value) == "clients[0].address.city: must not be empty"


def test_payment_days_set_when_an_invoice_is_overdue():
    book = k.Book(clients=[acme(payment_days=7)], engagements=[site(invoices=[
        k.Invoice(id="INV-1", date=date(2026, 1, 31), lines={"base": 285})])])
    assert "invoice_overdue" not in book.evaluate(date(2026, 2, 7))["acme-site"].alerts
    assert "invoice_overdue" in book.evaluate(date(2026, 2, 8))["acme-site"].alerts
    # The engagement evaluated on its own, as part of its book, knows its client's payment days.
    live = book["acme-site"]
    assert "invoice_overdue" not in live.evaluate(date(2026, 2, 7)).alerts
    assert "invoice_overdue" in live.evaluate(date(2026, 2, 8)).alerts
    assert live.evaluate(date(2026, 2, 8)) == book.evaluate(date(2026, 2, 8))["acme-site"]
    # Without a book there is no client: 30 days.
    alone = k.Engagement(id="x", client="acme", currency="EUR", start=live.start, terms=live.terms, invoices=live.invoices)
    assert "invoice_overdue" not in alone.evaluate(date(2026, 3, 2)).alerts
    assert "invoice_overdue" in alone.evaluate(date(2026, 3, 3)).alerts


def test_an_engagement_is_not_evaluated_before_its_start():
    live = k.Book(clients=[acme()], engagements=[site()])["acme-site"]
    with pytest.raises(ValueError) as error:
        live.evaluate(live.start - timedelta(days=1))
    assert str(error.value) == (f'engagement "acme-site" starts {live.start}, after the as-of date '
                                f'{live.start - timedelta(days=1)}: a report leaves it out')
    assert live.evaluate(live.start).worked == timedelta(0)


def test_copies_of_a_book_keep_its_version_2_fields():
    book = v2_book()
    assert book.with_entries(book.entries_frame(notes=True)) == book
    assert copy.deepcopy(book) == book
    from kontingent.distributed import skeleton_of
    assert skeleton_of(book).owner == OWNER
