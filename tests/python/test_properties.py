"""Properties over generated engagements (hypothesis): money stays exact, rounding is monotone,
billable amounts are never negative, leakage is billable − invoiced in every category."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kontingent as k

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
START = date(2026, 1, 1)

amounts = st.integers(min_value=0, max_value=10**9).map(lambda cents: Decimal(cents).scaleb(-2))
signed_amounts = st.integers(min_value=-(10**12), max_value=10**12).map(lambda cents: Decimal(cents).scaleb(-2))
moments = st.integers(min_value=0, max_value=89 * 24 * 60).map(
    lambda minutes: datetime(2026, 1, 1) + timedelta(minutes=minutes))


@st.composite
def terms(draw):
    pricing = draw(st.sampled_from(["fixed", "contingent", "retainer", "hourly"]))
    fields = dict(pricing=pricing, rate=draw(amounts), included_rounds=draw(st.integers(0, 3)))
    if pricing == "fixed":
        fields["fixed_price"] = draw(amounts)
    if pricing in ("contingent", "retainer"):
        fields["contingent_hours"] = draw(st.integers(1, 40))
        fields["contingent_price"] = draw(amounts)
    if pricing == "retainer" and draw(st.booleans()):
        fields["rollover_max_hours"] = draw(st.integers(0, 10))
    if draw(st.booleans()):
        fields["extra_round_price"] = draw(amounts)
    if draw(st.booleans()):
        fields["rounding"] = k.Rounding(increment_minutes=draw(st.sampled_from([1, 6, 10, 15, 30])),
                                        mode=draw(st.sampled_from(["up", "down", "nearest"])))
    if draw(st.booleans()):
        fields["call_fee"] = k.CallFee(free_minutes=draw(st.integers(0, 30)), block_minutes=draw(st.integers(1, 60)),
                                       fee=draw(amounts))
    if draw(st.booleans()):
        fields["rush"] = k.Rush(lead_hours=draw(st.integers(1, 96)), surcharge_percent=draw(st.integers(0, 100)))
    if draw(st.booleans()):
        fields["no_show"] = k.NoShow(notice_hours=draw(st.integers(0, 48)), fee=draw(amounts))
    return k.Terms(**fields)


@st.composite
def engagements(draw):
    requests = []
    for i in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["revision", "change"]))
        received = draw(moments)
        due = received + timedelta(hours=draw(st.integers(0, 120))) if draw(st.booleans()) else None
        quote = draw(amounts) if kind == "change" and draw(st.booleans()) else None
        requests.append(k.Request(id=f"Q{i}", kind=kind, received=received, due=due, quote=quote,
                                  declined=draw(st.booleans())))
    entries = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(k.ENTRY_KINDS))
        fitting = [r.id for r in requests if r.kind == kind]
        if kind in ("revision", "change") and not fitting:
            kind = "scope"
        request = draw(st.sampled_from(fitting)) if kind in ("revision", "change") else None
        entries.append(k.Entry(start=draw(moments), minutes=draw(st.integers(1, 600)), kind=kind, request=request))
    appointments = []
    for _ in range(draw(st.integers(0, 3))):
        at = draw(moments)
        status = draw(st.sampled_from(["kept", "no_show", "cancelled"]))
        cancelled = at - timedelta(hours=draw(st.integers(0, 72))) if status == "cancelled" else None
        appointments.append(k.Appointment(at=at, status=status, cancelled=cancelled))
    invoices = [k.Invoice(id=f"I{i}", date=draw(moments).date(),
                          lines=[(draw(st.sampled_from(k.CATEGORIES)), draw(amounts)) for _ in range(draw(st.integers(1, 4)))])
                for i in range(draw(st.integers(0, 3)))]
    return k.Engagement(id="e", client="c", currency="EUR", start=START, terms=draw(terms()), requests=requests,
                        entries=entries, appointments=appointments, invoices=invoices)


@SETTINGS
@given(engagements(), st.integers(0, 120).map(lambda d: START + timedelta(days=d)))
def test_billable_is_never_negative_and_leakage_is_billable_minus_invoiced(engagement, as_of):
    r = engagement.evaluate(as_of)
    assert all(type(v) is Decimal for v in r.billable.values())
    assert all(v >= 0 for v in r.billable.values())
    for c in k.CATEGORIES:
        assert r.leakage[c] == r.billable[c] - r.invoiced[c]
    assert r.unbilled == sum((v for v in r.leakage.values() if v > 0), Decimal(0))
    assert r.overbilled == -sum((v for v in r.leakage.values() if v < 0), Decimal(0))
    assert r.worked_seconds == sum(r.seconds_by_kind.values())


@SETTINGS
@given(engagements())
def test_invoiced_is_the_exact_sum_of_the_lines(engagement):
    r = engagement.evaluate(date(2026, 12, 31))
    expected = {c: Decimal(0) for c in k.CATEGORIES}
    for invoice in engagement.invoices:
        assert invoice.total == sum((line.amount for line in invoice.lines), Decimal(0))
        for line in invoice.lines:
            expected[line.category] += line.amount
    assert r.invoiced == expected


@SETTINGS
@given(engagements())
def test_the_entries_frame_sums_to_the_report(engagement):
    frame = engagement.entries_frame(date(2026, 12, 31))
    r = engagement.evaluate(date(2026, 12, 31))
    assert frame.seconds.sum() == r.worked_seconds
    if r.contingent is not None:
        assert frame[frame.use == "covered"].billed_seconds.sum() == r.contingent.consumed_seconds


@SETTINGS
@given(signed_amounts)
def test_money_round_trips_exactly(amount):
    payment = k.Payment(invoice="I", date=START, amount=amount)
    assert payment.amount == amount and type(payment.amount) is Decimal
    assert k.Payment(invoice="I", date=START, amount=str(amount)).amount == amount


@SETTINGS
@given(st.lists(amounts, min_size=1, max_size=30))
def test_sums_of_money_are_exact(values):
    invoice = k.Invoice(id="I", date=START, lines=[("base", v) for v in values])
    assert invoice.total == sum(values, Decimal(0))  # where a float sum would drift


@SETTINGS
@given(st.sampled_from([1, 5, 6, 15, 60]), st.sampled_from(["up", "down", "nearest"]),
       st.integers(0, 10**7), st.integers(0, 10**7))
def test_rounding_is_monotone(increment, mode, a, b):
    rounding = k.Rounding(increment_minutes=increment, mode=mode)
    low, high = sorted((a, b))
    assert rounding.apply(low) <= rounding.apply(high)
    step = increment * 60
    assert rounding.apply(low) % step == 0 and abs(rounding.apply(low) - low) < step
