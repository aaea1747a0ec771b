"""What-if from Python: values are taken as Terms takes them (amounts never as float), and errors name
the change's key and the keyword arguments — Python's names, not the command's `--set` options."""

from decimal import Decimal

import pytest

import kontingent as k

FLOAT_RULE = 'money must be a Decimal, int or str, not float {}: floats are not exact (write Decimal("95.50") or "95.50")'
MONEY_KEYS = ["rate", "fixed_price", "contingent_price", "extra_round_price", "call_fee.fee", "no_show.fee"]


@pytest.mark.parametrize("key", MONEY_KEYS)
def test_an_amount_given_as_float_is_refused_like_terms_refuses_it(book_a, key):
    with pytest.raises(TypeError) as terms_error:
        k.Terms(pricing="hourly", rate=110.5)
    assert str(terms_error.value) == FLOAT_RULE.format("110.5")
    with pytest.raises(TypeError) as raised:
        book_a.what_if({key: 110.5})
    assert str(raised.value) == f"{key}: " + FLOAT_RULE.format("110.5")


def test_a_call_fee_given_with_a_float_fee_is_refused(book_a):
    # The part is taken apart into call_fee.* changes; CallFee itself refuses the float first.
    with pytest.raises(TypeError, match="floats are not exact"):
        book_a.what_if(call_fee=k.CallFee(free_minutes=15, block_minutes=30, fee=40.5))


@pytest.mark.parametrize("value", [Decimal("110"), 110, "110", "110.00"], ids=repr)
def test_amounts_as_decimal_int_or_str_are_taken(book_a, value):
    w = book_a.what_if(rate=value)
    assert w.after["acme-site"].billable["change"] == Decimal("192.50")  # 1.75 h of change work at 110
    assert w.before["acme-site"].billable["change"] == Decimal("166.25")  # at 95


def test_hours_may_be_floats_as_in_terms(book_a):
    # Terms takes hours (and percentages) as any number, floats included: so does what-if.
    assert k.Rush(lead_hours=72.0, surcharge_percent=50).lead_hours == 72.0
    assert book_a.what_if({"rush.lead_hours": 72.0}) == book_a.what_if({"rush.lead_hours": 72})


@pytest.mark.parametrize("call, path, rule", [
    (lambda b: b.what_if(rate="abc"), "rate", 'not an amount: "abc" (write money as a string like "95.50")'),
    (lambda b: b.what_if({"rate": Decimal("-1")}), "rate", 'money must not be negative, got "-1.00"'),
    (lambda b: b.what_if({"included_rounds": "many"}), "included_rounds",
     'expected a whole number from 0 to 10000000, got "many"'),
    (lambda b: b.what_if({"colour": "red"}), "colour", None),
    (lambda b: b.what_if({"no_show.fee": 30}), "no_show",
     "the terms have no no_show yet: set all of no_show.notice_hours, no_show.fee to add one"),
    (lambda b: b.what_if(rate=100, client="nobody"), "client", 'the book has no client "nobody"'),
    (lambda b: b.what_if(rate=100, engagement="nothing"), "engagement", 'the book has no engagement "nothing"'),
])
def test_errors_name_the_key_or_the_argument_not_a_command_option(book_b, call, path, rule):
    with pytest.raises(k.ValidationError) as raised:
        call(book_b)
    assert raised.value.path == path
    if rule is not None:
        assert raised.value.rule == rule
    assert "--" not in str(raised.value)
    assert str(raised.value) == f"{raised.value.path}: {raised.value.rule}"
