"""Money at the limit of the book format, from Python: the largest amount has
``limits::money_digits`` (include/kontingent/limits.hpp) digits before the point. Every way money
enters from Python (Decimal, str, int; every money field of the values; what-if; a book's JSON)
takes 999999999999999.99 exactly and refuses 1000000000000000 with the library's message, on both
sides of zero. Values take negative amounts; a book refuses them (SPEC §7), with its own message."""

import re
from decimal import Decimal

import pytest

import kontingent as k
from conftest import SOURCE, SPEC_EXAMPLES

DIGITS = int(re.search(r"money_digits = (\d+);", (SOURCE / "include/kontingent/limits.hpp").read_text()).group(1))
LARGEST = "9" * DIGITS + ".99"  # 999999999999999.99
BEYOND = "1" + "0" * DIGITS  # 1000000000000000


def test_the_limit_is_the_librarys():
    assert DIGITS == 15 and LARGEST == "999999999999999.99" and int(BEYOND) == 10**15


# Every constructor argument that is money: the value read back.
MONEY_FIELDS = {
    "CallFee.fee": lambda v: k.CallFee(free_minutes=0, block_minutes=1, fee=v).fee,
    "NoShow.fee": lambda v: k.NoShow(notice_hours=1, fee=v).fee,
    "Terms.rate": lambda v: k.Terms(pricing="hourly", rate=v).rate,
    "Terms.fixed_price": lambda v: k.Terms(pricing="fixed", rate=1, fixed_price=v).fixed_price,
    "Terms.contingent_price": lambda v: k.Terms(pricing="contingent", rate=1, contingent_hours=1,
                                                contingent_price=v).contingent_price,
    "Terms.extra_round_price": lambda v: k.Terms(pricing="hourly", rate=1, extra_round_price=v).extra_round_price,
    "Request.quote": lambda v: k.Request(id="C1", kind="change", received="2026-01-01T09:00", quote=v).quote,
    "InvoiceLine.amount": lambda v: k.InvoiceLine(category="base", amount=v).amount,
    "Invoice.lines (dict)": lambda v: k.Invoice(id="I", date="2026-01-01", lines={"base": v}).lines[0].amount,
    "Invoice.lines (pairs)": lambda v: k.Invoice(id="I", date="2026-01-01", lines=[("base", v)]).total,
    "Payment.amount": lambda v: k.Payment(invoice="I", date="2026-01-01", amount=v).amount,
}

# (value, what comes back): exact, as a two-place Decimal.
AT_THE_LIMIT = [
    (Decimal(LARGEST), LARGEST),
    (LARGEST, LARGEST),
    (int(LARGEST[:-3]), LARGEST[:-3] + ".00"),
    (Decimal("-" + LARGEST), "-" + LARGEST),
    ("-" + LARGEST, "-" + LARGEST),
    (-int(LARGEST[:-3]), "-" + LARGEST[:-3] + ".00"),
]

# (value, the exact message): one cent beyond on either side, in every spelling.
BEYOND_THE_LIMIT = [
    (Decimal(BEYOND + ".00"), 'amount "1000000000000000.00" is too large'),
    (BEYOND, 'amount "1000000000000000" is too large'),
    (BEYOND + ".00", 'amount "1000000000000000.00" is too large'),
    (10**DIGITS, 'amount "1000000000000000" is too large'),
    (Decimal("1E+15"), 'amount "1E+15" is too large'),
    (Decimal("-" + BEYOND + ".00"), 'amount "-1000000000000000.00" is too large'),
    ("-" + BEYOND, 'amount "-1000000000000000" is too large'),
    (-(10**DIGITS), 'amount "-1000000000000000" is too large'),
    (10**20, 'amount "100000000000000000000" is too large'),  # beyond 64 bits too
    (Decimal(LARGEST + "9"), 'more than 2 decimals in "999999999999999.999"'),
    (LARGEST + "9", 'more than 2 decimals in "999999999999999.999"'),
]


@pytest.mark.parametrize("value, back", AT_THE_LIMIT, ids=repr)
@pytest.mark.parametrize("field", MONEY_FIELDS)
def test_the_largest_amount_is_taken_exactly(field, value, back):
    got = MONEY_FIELDS[field](value)
    assert type(got) is Decimal and str(got) == back


@pytest.mark.parametrize("value, message", BEYOND_THE_LIMIT, ids=repr)
@pytest.mark.parametrize("field", MONEY_FIELDS)
def test_one_cent_more_is_refused(field, value, message):
    with pytest.raises(k.ValidationError) as error:
        MONEY_FIELDS[field](value)
    assert (str(error.value), error.value.rule, error.value.path) == (message, message, "")


def test_the_largest_amount_survives_a_book(book_a):
    e = book_a.engagements[0]
    e.terms = e.terms.replace(rate=Decimal(LARGEST), call_fee=e.terms.call_fee.replace(fee=LARGEST))
    e.payments = [e.payments[0].replace(amount=int(LARGEST[:-3]))]
    again = k.Book.from_json(book_a.to_json())
    assert str(again.engagements[0].terms.rate) == LARGEST
    assert str(again.engagements[0].terms.call_fee.fee) == LARGEST
    assert str(again.engagements[0].payments[0].amount) == LARGEST[:-3] + ".00"


def test_a_book_refuses_negative_amounts_even_at_the_limit(book_a):
    e = book_a.engagements[0]
    with pytest.raises(k.ValidationError) as error:
        e.terms = e.terms.replace(rate=Decimal("-" + LARGEST))
    assert str(error.value) == 'terms.rate: money must not be negative, got "-999999999999999.99"'
    with pytest.raises(k.ValidationError) as error:
        e.payments = [e.payments[0].replace(amount="-" + LARGEST)]
    assert str(error.value) == 'payments[0].amount: money must not be negative, got "-999999999999999.99"'
    assert str(e.terms.rate) == "95.00" and str(e.payments[0].amount) != "-" + LARGEST  # undone


@pytest.mark.parametrize("value", [Decimal(LARGEST), LARGEST, int(LARGEST[:-3])], ids=repr)
def test_what_if_takes_the_largest_rate(book_a, value):
    # The rate is taken; pricing example A's 1.75 h of change work at it is then past the largest
    # amount, which is refused for what it is rather than reported wrapped.
    with pytest.raises(k.MoneyOverflow) as raised:
        book_a.what_if(rate=value)
    assert str(raised.value) == 'engagement "acme-site": an amount exceeds 999999999999999.99 EUR, the largest a book holds'



@pytest.mark.parametrize("value, message", [
    (Decimal(BEYOND + ".00"), 'rate: amount "1000000000000000.00" is too large'),
    (BEYOND, 'rate: amount "1000000000000000" is too large'),
    (10**DIGITS, 'rate: amount "1000000000000000" is too large'),
    (-(10**DIGITS), 'rate: amount "-1000000000000000" is too large'),
    (Decimal("-" + LARGEST), 'rate: money must not be negative, got "-999999999999999.99"'),
], ids=repr)
def test_what_if_refuses_beyond_the_limit(book_a, value, message):
    with pytest.raises(k.ValidationError) as error:
        book_a.what_if(rate=value)
    assert str(error.value) == message


@pytest.mark.parametrize("rate, message", [
    (LARGEST, None),
    (BEYOND, 'engagements[0].terms.rate: amount "1000000000000000" is too large'),
    ("-" + BEYOND, 'engagements[0].terms.rate: amount "-1000000000000000" is too large'),
    ("-" + LARGEST, 'engagements[0].terms.rate: money must not be negative, got "-999999999999999.99"'),
])
def test_the_json_reader_draws_the_same_line(rate, message):
    text = (SPEC_EXAMPLES / "a-fixed.book.json").read_text()
    assert text.count('"rate": "95"') == 1
    text = text.replace('"rate": "95"', f'"rate": "{rate}"')
    if message is None:
        assert str(k.Book.from_json(text).engagements[0].terms.rate) == LARGEST
    else:
        with pytest.raises(k.ValidationError) as error:
            k.Book.from_json(text)
        assert str(error.value) == message


def test_an_amount_computed_past_the_limit_raises_money_overflow_naming_the_engagement():
    book = k.Book.from_json("""{"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}],
      "engagements": [{"id": "huge", "client": "c", "currency": "EUR", "start": "2026-01-01",
        "terms": {"pricing": "hourly", "rate": "%s"},
        "entries": [{"start": "2026-01-02T00:00", "minutes": 10000000, "kind": "scope"}]}]}""" % LARGEST)
    with pytest.raises(k.MoneyOverflow) as raised:
        book.evaluate()
    assert str(raised.value) == 'engagement "huge": an amount exceeds 999999999999999.99 EUR, the largest a book holds'
    assert isinstance(raised.value, OverflowError) and isinstance(raised.value, k.Error)


HUGE = [(2**62 + 60, "an entry lasts at most 10000000 minutes, got 4611686018427387964"),
        (2**63, "an entry lasts at most 10000000 minutes, got 9223372036854775808"),
        (10_000_001, "an entry lasts at most 10000000 minutes, got 10000001"),
        (-2**70, "must be positive, got -1180591620717411303424")]


@pytest.mark.parametrize("minutes, rule", HUGE)
def test_an_entry_too_long_to_hold_is_refused_not_wrapped(book_a, minutes, rule):
    """2**62 + 60 minutes times 60 wraps to 3600 seconds in 64 bits: refused before it can."""
    import numpy as np
    from datetime import datetime

    with pytest.raises(k.ValidationError) as error:
        k.Entry(start=datetime(2026, 3, 2, 9), minutes=minutes, kind="scope")
    assert (error.value.path, error.value.rule) == ("minutes", rule)
    before = book_a.to_json()
    with pytest.raises(k.ValidationError) as error:
        book_a.log("acme-site", datetime(2026, 3, 2, 9), minutes=minutes)
    assert error.value.rule == rule
    if minutes >= -2**63:  # a numpy column: int64, or uint64 past it
        column = np.array([minutes], dtype=np.int64 if minutes < 2**63 else np.uint64)
        with pytest.raises(k.ValidationError) as error:
            book_a["acme-site"].add_entries(start=np.array(["2026-03-03T09:00"], dtype="datetime64[s]"), minutes=column,
                                            kind="scope")
        assert (error.value.path, error.value.rule) == ("minutes[0]", rule)
    assert book_a.to_json() == before
    assert k.Entry(start=datetime(2026, 3, 2, 9), minutes=10_000_000, kind="scope").seconds == 600_000_000


def test_an_entry_kind_code_out_of_range_is_refused_not_wrapped(book_a):
    import numpy as np

    with pytest.raises(k.ValidationError) as error:
        book_a["acme-site"].add_entries(start=np.array(["2026-03-04T09:00"], dtype="datetime64[s]"), minutes=30,
                                        kind=np.array([65536]))
    assert str(error.value) == "entries[10].kind: entry kind must be scope, revision, change, call or internal, got 65536"
    assert len(book_a["acme-site"].entries) == 10
