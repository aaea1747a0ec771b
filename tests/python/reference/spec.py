#!/usr/bin/python3
"""The billing contract (SPEC §4-6, §10-11) written a second time, as the oracle of test_reference.py.

Written from the SPEC and its two worked examples alone, without reading the library, in plain
Python: a dict per book, exact Fractions, one function per §5 category, no speed tricks. Where it
and the library disagree on a book, one of them misreads the SPEC. Books are assumed valid (§7):
nothing is checked here. Where the SPEC is silent, READINGS.md says what this model does (cited
as "READINGS #n"); three of those readings follow the library's documented choice (#1, #28, #32).

    /usr/bin/python3 tests/python/reference/spec.py BOOK.json [--as-of YYYY-MM-DD] | --check
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor
from pathlib import Path

CATEGORIES = ("base", "overage", "revision", "change", "call", "rush", "no_show")
KINDS = ("scope", "revision", "change", "call", "internal")
REPORT_FORMAT = "kontingent-report/1"

# --------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------


def seconds_of_hours(x) -> int:
    """Hours kept to the nearest second: durations are whole seconds (READINGS #32)."""
    f = num(x) * 3600
    return int(f + Fraction(1, 2)) if f >= 0 else -int(-f + Fraction(1, 2))


def num(x) -> Fraction:
    """A JSON number (int, float, Decimal) or numeric string, exactly as written (READINGS #31)."""
    if isinstance(x, bool):
        raise TypeError("boolean is not a number")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    # str(float) is the shortest repr, i.e. the literal that was in the JSON text.
    return Fraction(str(x))


def money(s) -> Fraction:
    """Money is a decimal string with at most 2 decimals (SPEC §2, §7)."""
    return Fraction(str(s))


def round_cents(x: Fraction) -> int:
    """Round an exact amount to integer cents, half away from zero (SPEC §2)."""
    c = Fraction(x) * 100
    n = floor(abs(c) + Fraction(1, 2))
    return -n if c < 0 else n


def cents_exact(x: Fraction) -> int:
    """Amounts that are exact multiples of a cent (money inputs times integers)."""
    return round_cents(x)


def fmt_cents(c: int) -> str:
    """Integer cents -> "1234.50" / "-12.34" (SPEC §6)."""
    sign = "-" if c < 0 else ""
    a = abs(c)
    return f"{sign}{a // 100}.{a % 100:02d}"


_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$")


def parse_date(s: str) -> date:
    m = _DATE_RE.match(s)
    if not m:
        raise ValueError(f"bad date {s!r}")
    return date(int(m[1]), int(m[2]), int(m[3]))


def parse_time(s: str) -> datetime:
    m = _TIME_RE.match(s)
    if not m:
        raise ValueError(f"bad time {s!r}")
    return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0))


def seconds_between(a: datetime, b: datetime) -> int:
    """b - a in whole seconds, plain clock difference (SPEC §2)."""
    d = b - a
    return d.days * 86400 + d.seconds


def month_of(d) -> tuple[int, int]:
    return (d.year, d.month)


def next_month(ym: tuple[int, int]) -> tuple[int, int]:
    y, m = ym
    return (y + 1, 1) if m == 12 else (y, m + 1)


def month_range(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    ym = first
    while ym <= last:
        out.append(ym)
        ym = next_month(ym)
    return out


# --------------------------------------------------------------------------------------
# as-of date
# --------------------------------------------------------------------------------------


def event_dates(eng: dict):
    """Dates that events belong to (SPEC §6): entry start, request received, appointment at,
    invoice date, payment date."""
    for e in eng.get("entries", []) or []:
        yield parse_time(e["start"]).date()
    for r in eng.get("requests", []) or []:
        yield parse_time(r["received"]).date()
    for a in eng.get("appointments", []) or []:
        yield parse_time(a["at"]).date()
    for i in eng.get("invoices", []) or []:
        yield parse_date(i["date"])
    for p in eng.get("payments", []) or []:
        yield parse_date(p["date"])


def default_as_of(book: dict) -> date:
    """Latest event date in the whole book (SPEC §6); without events, the latest engagement start (READINGS #1)."""
    dates = [d for eng in book.get("engagements", []) or [] for d in event_dates(eng)]
    if not dates:
        dates = [parse_date(eng["start"]) for eng in book.get("engagements", []) or []]
    if not dates:
        raise ValueError("book has no engagements; an as-of date must be given")
    return max(dates)


# --------------------------------------------------------------------------------------
# per-engagement state at the as-of date
# --------------------------------------------------------------------------------------


@dataclass
class Entry:
    start: datetime
    end: datetime
    raw: int          # raw seconds
    rounded: int      # per-entry rounded seconds (SPEC §2)
    kind: str
    request: str | None
    # classification
    live_request: bool = False    # names a request that is not declined and received by as-of
    round_no: int | None = None   # revision round number of its request, if live revision


@dataclass
class Request:
    id: str
    kind: str
    received: datetime
    due: datetime | None
    quote: Fraction | None
    declined: bool
    live: bool = False            # not declined and received on or before as-of
    round_no: int | None = None   # revision rounds only


@dataclass
class Ctx:
    book: dict
    eng: dict
    as_of: date
    terms: dict
    pricing: str
    rate: Fraction
    included_rounds: int
    entries: list[Entry] = field(default_factory=list)
    requests: dict[str, Request] = field(default_factory=dict)
    appointments: list[dict] = field(default_factory=list)
    invoices: list[dict] = field(default_factory=list)
    payments: list[dict] = field(default_factory=list)


def round_seconds(s: int, terms: dict) -> int:
    """Per-entry rounding (SPEC §2).  nearest at an exact half goes up (READINGS #13)."""
    r = terms.get("rounding")
    if not r:
        return s
    inc = int(r["increment_minutes"]) * 60
    mode = r["mode"]
    if mode == "up":
        return -(-s // inc) * inc
    if mode == "down":
        return (s // inc) * inc
    if mode == "nearest":
        return ((s + inc // 2) // inc) * inc   # inc is a multiple of 60, so inc/2 is whole
    raise ValueError(f"unknown rounding mode {mode!r}")


def build_ctx(book: dict, eng: dict, as_of: date) -> Ctx:
    terms = eng["terms"]
    ctx = Ctx(
        book=book,
        eng=eng,
        as_of=as_of,
        terms=terms,
        pricing=terms["pricing"],
        rate=money(terms["rate"]),
        included_rounds=int(terms.get("included_rounds", 0) or 0),
    )

    # Requests: every request is known (entries may name it), but only requests received on
    # or before as-of and not declined are "live" (SPEC §4, §6).
    for r in eng.get("requests", []) or []:
        req = Request(
            id=r["id"],
            kind=r["kind"],
            received=parse_time(r["received"]),
            due=parse_time(r["due"]) if r.get("due") is not None else None,
            quote=money(r["quote"]) if r.get("quote") is not None else None,
            declined=bool(r.get("declined", False)),
        )
        req.live = (not req.declined) and req.received.date() <= as_of
        ctx.requests[req.id] = req

    # Revision rounds: live revision requests numbered 1, 2, ... by received, ties by id
    # compared as plain strings (SPEC §4).  Received compared as instants (READINGS #8).
    revs = sorted(
        (q for q in ctx.requests.values() if q.kind == "revision" and q.live),
        key=lambda q: (q.received, q.id),
    )
    for n, q in enumerate(revs, start=1):
        q.round_no = n

    # Entries belonging to a date on or before as-of (by start date, SPEC §6).
    for e in eng.get("entries", []) or []:
        start = parse_time(e["start"])
        if start.date() > as_of:
            continue
        if e.get("end") is not None:
            end = parse_time(e["end"])
            raw = seconds_between(start, end)
        else:
            raw = int(e["minutes"]) * 60
            end = start + timedelta(seconds=raw)
        ent = Entry(
            start=start, end=end, raw=raw, rounded=round_seconds(raw, terms),
            kind=e["kind"], request=e.get("request"),
        )
        if ent.request is not None and ent.request in ctx.requests:
            req = ctx.requests[ent.request]
            ent.live_request = req.live
            ent.round_no = req.round_no
        ctx.entries.append(ent)

    ctx.appointments = [a for a in eng.get("appointments", []) or []
                        if parse_time(a["at"]).date() <= as_of]
    ctx.invoices = [i for i in eng.get("invoices", []) or [] if parse_date(i["date"]) <= as_of]
    ctx.payments = [p for p in eng.get("payments", []) or [] if parse_date(p["date"]) <= as_of]
    return ctx


# ---- classification of work (SPEC §4) ------------------------------------------------


def has_call_fee(ctx: Ctx) -> bool:
    return bool(ctx.terms.get("call_fee"))


def is_included_revision(ctx: Ctx, e: Entry) -> bool:
    return (e.kind == "revision" and e.live_request and e.round_no is not None
            and e.round_no <= ctx.included_rounds)


def is_extra_revision(ctx: Ctx, e: Entry) -> bool:
    return (e.kind == "revision" and e.live_request and e.round_no is not None
            and e.round_no > ctx.included_rounds)


def is_covered(ctx: Ctx, e: Entry) -> bool:
    """Covered work: scope entries; revision entries of included rounds; call entries when
    the terms have no call_fee (SPEC §4)."""
    if e.kind == "scope":
        return True
    if e.kind == "revision":
        return is_included_revision(ctx, e)
    if e.kind == "call":
        return not has_call_fee(ctx)
    return False


def covered_seconds(ctx: Ctx) -> int:
    return sum(e.rounded for e in ctx.entries if is_covered(ctx, e))


# ---- rounds (SPEC §4, §6) --------------------------------------------------------------


def rounds(ctx: Ctx) -> dict:
    """used = live revision rounds (received on/before as-of, not declined) (READINGS #9)."""
    used = sum(1 for q in ctx.requests.values() if q.kind == "revision" and q.live)
    return {"included": ctx.included_rounds, "used": used,
            "extra": max(0, used - ctx.included_rounds)}


# ---- contingent periods (SPEC §5 overage, §6 contingent) -----------------------------


@dataclass
class Period:
    available: int
    used: int
    over: int


def counted_months(ctx: Ctx) -> list[tuple[int, int]]:
    """Calendar months from the start month to the end month, capped at the as-of month;
    without an end, to the as-of month (SPEC §5 base).  (READINGS #3)"""
    first = month_of(parse_date(ctx.eng["start"]))
    last = month_of(ctx.as_of)
    if ctx.eng.get("end") is not None:
        last = min(last, month_of(parse_date(ctx.eng["end"])))
    return month_range(first, last)


def periods(ctx: Ctx) -> list[Period] | None:
    """Contingent periods: one block (contingent) or one per counted month (retainer)."""
    if ctx.pricing == "contingent":
        avail = seconds_of_hours(ctx.terms["contingent_hours"])
        used = covered_seconds(ctx)
        return [Period(avail, used, max(0, used - avail))]
    if ctx.pricing == "retainer":
        hours = seconds_of_hours(ctx.terms["contingent_hours"])
        roll_max = seconds_of_hours(ctx.terms.get("rollover_max_hours", 0) or 0)
        used_by_month: dict[tuple[int, int], int] = {}
        for e in ctx.entries:
            if is_covered(ctx, e):
                ym = month_of(e.start)
                used_by_month[ym] = used_by_month.get(ym, 0) + e.rounded
        out = []
        carry = 0   # carry(first) = 0
        for ym in counted_months(ctx):
            avail = hours + carry
            used = used_by_month.get(ym, 0)
            out.append(Period(avail, used, max(0, used - avail)))
            carry = min(roll_max, max(0, avail - used))
        # Covered entries outside counted months cannot exist in a valid book (READINGS #5).
        return out
    return None


# --------------------------------------------------------------------------------------
# SPEC §5: one function per category; each returns integer cents
# --------------------------------------------------------------------------------------


def billable_base(ctx: Ctx) -> int:
    t = ctx.terms
    if ctx.pricing == "fixed":
        return cents_exact(money(t["fixed_price"]))
    if ctx.pricing == "contingent":
        return cents_exact(money(t["contingent_price"]))
    if ctx.pricing == "retainer":
        return cents_exact(money(t["contingent_price"]) * len(counted_months(ctx)))
    if ctx.pricing == "hourly":
        return round_cents(ctx.rate * covered_seconds(ctx) / 3600)
    raise ValueError(f"unknown pricing {ctx.pricing!r}")


def billable_overage(ctx: Ctx) -> int:
    ps = periods(ctx)
    if not ps:
        return 0
    total_over = sum(p.over for p in ps)
    return round_cents(ctx.rate * total_over / 3600)   # summed over all months, rounded once


def billable_revision(ctx: Ctx) -> int:
    price = ctx.terms.get("extra_round_price")
    if price is not None:
        # a requested round counts even with no time logged
        return cents_exact(money(price) * rounds(ctx)["extra"])
    s = sum(e.rounded for e in ctx.entries if is_extra_revision(ctx, e))
    return round_cents(ctx.rate * s / 3600)


def billable_change(ctx: Ctx) -> int:
    live_changes = [q for q in ctx.requests.values() if q.kind == "change" and q.live]
    quotes = sum((q.quote for q in live_changes if q.quote is not None), Fraction(0))
    unquoted = {q.id for q in live_changes if q.quote is None}
    s = sum(e.rounded for e in ctx.entries if e.kind == "change" and e.request in unquoted)
    return cents_exact(quotes) + round_cents(ctx.rate * s / 3600)


def billable_call(ctx: Ctx) -> int:
    cf = ctx.terms.get("call_fee")
    if not cf:
        return 0
    free = int(cf["free_minutes"]) * 60
    block = int(cf["block_minutes"]) * 60
    fee = money(cf["fee"])
    total = Fraction(0)
    for e in ctx.entries:
        if e.kind == "call":
            blocks = -(-max(0, e.raw - free) // block)   # raw seconds, never rounded
            total += blocks * fee
    return cents_exact(total)


def rush_requests(ctx: Ctx) -> set[str]:
    r = ctx.terms.get("rush")
    if not r:
        return set()
    lead = seconds_of_hours(r["lead_hours"])
    return {q.id for q in ctx.requests.values()
            if q.live and q.due is not None and seconds_between(q.received, q.due) < lead}


def billable_rush(ctx: Ctx) -> int:
    r = ctx.terms.get("rush")
    if not r:
        return 0
    ids = rush_requests(ctx)
    s = sum(e.rounded for e in ctx.entries if e.request in ids)
    return round_cents(ctx.rate * num(r["surcharge_percent"]) * s / (100 * 3600))


def billable_no_show(ctx: Ctx) -> int:
    ns = ctx.terms.get("no_show")
    if not ns:
        return 0
    notice = seconds_of_hours(ns["notice_hours"])
    count = 0
    for a in ctx.appointments:
        st = a["status"]
        if st == "no_show":
            count += 1
        elif st == "cancelled":
            if seconds_between(parse_time(a["cancelled"]), parse_time(a["at"])) < notice:
                count += 1
    return cents_exact(money(ns["fee"]) * count)


BILLABLE = {
    "base": billable_base,
    "overage": billable_overage,
    "revision": billable_revision,
    "change": billable_change,
    "call": billable_call,
    "rush": billable_rush,
    "no_show": billable_no_show,
}


# --------------------------------------------------------------------------------------
# invoiced, payments, overdue (SPEC §6, §10)
# --------------------------------------------------------------------------------------


def is_credit_note(inv: dict) -> bool:
    return bool(inv.get("credit_note", False))


def invoiced_by_category(ctx: Ctx) -> dict[str, int]:
    out = {c: 0 for c in CATEGORIES}
    for inv in ctx.invoices:
        sign = -1 if is_credit_note(inv) else 1
        for line in inv["lines"]:
            out[line["category"]] += sign * cents_exact(money(line["amount"]))
    return out


def book_version(book: dict) -> int:
    return 2 if book.get("format") == "kontingent-book/2" else 1


def client_of(book: dict, client_id: str) -> dict:
    for c in book.get("clients", []) or []:
        if c["id"] == client_id:
            return c
    return {}


def invoice_overdue(ctx: Ctx) -> bool:
    v2 = book_version(ctx.book) == 2
    client = client_of(ctx.book, ctx.eng["client"])
    pay_days = int(client.get("payment_days", 30)) if v2 else 30
    paid: dict[str, int] = {}
    for p in ctx.payments:                                  # payments dated on/before as-of
        paid[p["invoice"]] = paid.get(p["invoice"], 0) + cents_exact(money(p["amount"]))
    for inv in ctx.invoices:                                # READINGS #28: what a credit note takes back
        if is_credit_note(inv):                             # is no longer owed (docs/formats.md)
            paid[inv["refers_to"]] = paid.get(inv["refers_to"], 0) + sum(
                cents_exact(money(l["amount"])) for l in inv["lines"])
    for inv in ctx.invoices:                                # invoices dated on/before as-of
        if is_credit_note(inv):
            continue                                        # READINGS #29
        d = parse_date(inv["date"])
        if v2 and inv.get("due") is not None:
            due = parse_date(inv["due"])
        else:
            due = d + timedelta(days=pay_days)
        if not due < ctx.as_of:                             # "more than 30 days old" == date+30 < as-of
            continue
        total = sum(cents_exact(money(l["amount"])) for l in inv["lines"])
        if paid.get(inv["id"], 0) < total:                  # READINGS #28
            return True
    return False


# --------------------------------------------------------------------------------------
# alerts (SPEC §6)
# --------------------------------------------------------------------------------------


def has_overlap(ctx: Ctx) -> bool:
    """Any two entries (all kinds, dated on/before as-of) overlap as half-open [start, end)."""
    spans = sorted((e.start, e.end) for e in ctx.entries)
    max_end = None
    for s, e in spans:
        if max_end is not None and s < max_end:
            return True
        max_end = e if max_end is None else max(max_end, e)
    return False


def alerts(ctx: Ctx, unbilled: int, rnd: dict, ps: list[Period] | None) -> list[str]:
    out = []
    if ps:
        last = ps[-1]
        if last.used * 5 >= last.available * 4:            # consumption >= 80 % of available
            out.append("contingent_80")
        if any(p.over > 0 for p in ps):
            out.append("contingent_exceeded")
    if rnd["included"] > 0 and rnd["used"] >= rnd["included"]:
        out.append("rounds_exhausted")
    if rnd["extra"] > 0:
        out.append("extra_rounds")
    rb = ctx.eng.get("review_by")
    if rb is not None and parse_date(rb) < ctx.as_of:
        out.append("review_overdue")
    if invoice_overdue(ctx):
        out.append("invoice_overdue")
    if unbilled > 0:
        out.append("unbilled")
    if has_overlap(ctx):
        out.append("overlap")
    return sorted(out)


# --------------------------------------------------------------------------------------
# report (SPEC §6)
# --------------------------------------------------------------------------------------


def engagement_report(book: dict, eng: dict, as_of: date) -> dict:
    ctx = build_ctx(book, eng, as_of)
    billable = {c: BILLABLE[c](ctx) for c in CATEGORIES}
    invoiced = invoiced_by_category(ctx)
    leakage = {c: billable[c] - invoiced[c] for c in CATEGORIES}
    unbilled = sum(v for v in leakage.values() if v > 0)
    overbilled = sum(-v for v in leakage.values() if v < 0)

    by_kind = {k: 0 for k in KINDS}
    for e in ctx.entries:
        by_kind[e.kind] += e.raw
    worked = sum(by_kind.values())
    total_invoiced = sum(invoiced.values())                 # cents
    eff = None
    if worked > 0:
        eff = fmt_cents(round_cents(Fraction(total_invoiced, 100) * 3600 / worked))

    rnd = rounds(ctx)
    ps = periods(ctx)
    contingent = None
    if ps is not None:
        contingent = {
            "available_seconds": sum(p.available for p in ps),
            "consumed_seconds": sum(p.used for p in ps),
            "overage_seconds": sum(p.over for p in ps),
        }

    return {
        "id": eng["id"],
        "client": eng["client"],
        "currency": eng["currency"],
        "billable": {c: fmt_cents(billable[c]) for c in CATEGORIES},
        "invoiced": {c: fmt_cents(invoiced[c]) for c in CATEGORIES},
        "leakage": {c: fmt_cents(leakage[c]) for c in CATEGORIES},
        "unbilled": fmt_cents(unbilled),
        "overbilled": fmt_cents(overbilled),
        "worked_seconds": worked,
        "seconds_by_kind": by_kind,
        "effective_rate": eff,
        "rounds": rnd,
        "contingent": contingent,
        "alerts": alerts(ctx, unbilled, rnd, ps),
    }


def resolve_as_of(book: dict, as_of) -> date:
    if as_of is None:
        return default_as_of(book)
    if isinstance(as_of, date):
        return as_of
    return parse_date(as_of)


def report(book: dict, as_of: str | None = None) -> dict:
    d = resolve_as_of(book, as_of)
    engs = [eng for eng in book.get("engagements", []) or []
            if parse_date(eng["start"]) <= d]                 # starting after as-of: left out
    return {
        "format": REPORT_FORMAT,
        "as_of": d.isoformat(),
        "engagements": [engagement_report(book, eng, d) for eng in engs],
    }


# --------------------------------------------------------------------------------------
# drafts (SPEC §11, without descriptions)
# --------------------------------------------------------------------------------------


def fmt_percent(p: Fraction) -> str:
    """Exact percent as a plain decimal string: "19", "7.5", "0"."""
    p = Fraction(p)
    d = Decimal(p.numerator) / Decimal(p.denominator)
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def vat_of(book: dict, eng: dict) -> dict | None:
    v = eng["terms"].get("vat")
    if v is None:
        v = (book.get("owner") or {}).get("vat")
    return v


def draft(book: dict, engagement_id: str, as_of: str | None = None, credit: bool = False) -> dict:
    d = resolve_as_of(book, as_of)
    engs = [e for e in book.get("engagements", []) or [] if e["id"] == engagement_id]
    if not engs:
        raise KeyError(f"unknown engagement {engagement_id!r}")
    eng = engs[0]
    if parse_date(eng["start"]) > d:
        raise ValueError(f"engagement {engagement_id!r} starts after the as-of date")  # READINGS #37
    rep = engagement_report(book, eng, d)
    lines = []
    for c in CATEGORIES:
        leak = cents_exact(money(rep["leakage"][c]))
        if (not credit and leak > 0) or (credit and leak < 0):
            lines.append({"category": c, "net": abs(leak)})

    vat = vat_of(book, eng)
    if vat is None:
        vat_cat, percent = None, Fraction(0)                 # READINGS #38
    else:
        vat_cat = vat["category"]
        percent = num(vat.get("percent", 0) or 0) if vat_cat == "S" else Fraction(0)  # READINGS #39

    groups = []
    if lines:
        # All lines share the engagement's one VAT setting, so there is one (category, percent)
        # group; the grouping is kept general anyway.
        bucket: dict[tuple, int] = {}
        for ln in lines:
            key = (vat_cat, percent)
            bucket[key] = bucket.get(key, 0) + ln["net"]
        for (cat, pct), net in bucket.items():
            tax = 0 if cat in ("E", "AE", "Z") else round_cents(Fraction(net, 100) * pct / 100)
            groups.append({"category": cat, "percent": fmt_percent(pct),
                           "net": net, "tax": tax})
    net_total = sum(ln["net"] for ln in lines)
    tax_total = sum(g["tax"] for g in groups)
    return {
        "lines": [{"category": ln["category"], "net": fmt_cents(ln["net"])} for ln in lines],
        "groups": [{"category": g["category"], "percent": g["percent"],
                    "net": fmt_cents(g["net"]), "tax": fmt_cents(g["tax"])} for g in groups],
        "tax": fmt_cents(tax_total),
        "total": fmt_cents(net_total + tax_total),
        "net": fmt_cents(net_total),
    }


# --------------------------------------------------------------------------------------
# self-check and command line
# --------------------------------------------------------------------------------------

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "spec-examples"


def load_book(path) -> dict:
    with open(path, encoding="utf-8") as f:
        # keep JSON numbers exact (hours, percents may have decimals)
        return json.load(f, parse_float=Decimal)


def check_examples(examples_dir=EXAMPLES_DIR) -> None:
    examples_dir = Path(examples_dir)
    books = sorted(examples_dir.glob("*.book.json"))
    assert books, f"no examples in {examples_dir}"
    for bp in books:
        rp = bp.with_name(bp.name.replace(".book.json", ".report.json"))
        with open(rp, encoding="utf-8") as f:
            expected = json.load(f)
        # default as-of (the expected report's as_of must come out by itself) ...
        got = report(load_book(bp))
        assert got == expected, f"{bp.name}: default as-of\n got {json.dumps(got, indent=1)}"
        # ... and the explicit as-of; also with plain json.load (floats for numbers)
        with open(bp, encoding="utf-8") as f:
            plain = json.load(f)
        got2 = report(plain, expected["as_of"])
        assert got2 == expected, f"{bp.name}: explicit as-of"
        # draft of a fully drafted engagement is consistent with leakage
        for e in expected["engagements"]:
            dr = draft(plain, e["id"], expected["as_of"])
            assert dr["net"] == e["unbilled"], (bp.name, dr)
    print(f"check_examples: {len(books)} examples OK")


def main(argv: list[str]) -> int:
    args = list(argv)
    as_of = None
    if "--check" in args:
        check_examples()
        return 0
    if "--as-of" in args:
        i = args.index("--as-of")
        as_of = args[i + 1]
        del args[i:i + 2]
    else:
        for a in list(args):
            if a.startswith("--as-of="):
                as_of = a.split("=", 1)[1]
                args.remove(a)
    if len(args) != 1:
        print("usage: spec.py BOOK.json [--as-of YYYY-MM-DD] | --check", file=sys.stderr)
        return 2
    book = load_book(args[0])
    json.dump(report(book, as_of), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
