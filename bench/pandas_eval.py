#!/usr/bin/python3
"""SPEC §5-6 in vectorised pandas/numpy: what a user would write instead of kontingent.

It is the benchmarks' yardstick (docs/performance.md), and it must give the very report that
`kontingent report BOOK --format json` gives; bench/run.py checks that. Rules are computed with
whole-column operations: no Python loop runs over entries (loading the JSON into frames iterates,
as json.load does; the rules do not). Loops run over retainer months (a few dozen) and over
engagements only to write the report.

    /usr/bin/python3 bench/pandas_eval.py BOOK.json [--as-of YYYY-MM-DD] [--out REPORT.json] [--timings]

--timings prints {"load_s", "frames_s", "evaluate_s"} to stderr, in CPU seconds: json.load,
building the frames, and the rules on the frames (the figure compared with evaluate() in C++).
"""

import argparse
import json
import sys
import time

import numpy as np
import pandas as pd

CATEGORIES = ["base", "overage", "revision", "change", "call", "rush", "no_show"]
KINDS = ["scope", "revision", "change", "call", "internal"]
PRICINGS = ["fixed", "contingent", "retainer", "hourly"]
MODES = ["up", "down", "nearest"]
DAY = 86400


def cents(text):
    """Money string -> integer cents (the book is valid: at most 2 decimals)."""
    if text is None:
        return None
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def seconds_of(times):
    """ISO wall-clock times (YYYY-MM-DDTHH:MM[:SS]) -> int64 seconds since 1970-01-01T00:00."""
    return np.array(times, dtype="datetime64[s]").astype(np.int64)


def days_of(dates):
    return np.array(dates, dtype="datetime64[D]").astype(np.int64)


def month_of_days(days):
    """Months since 1970-01 of day numbers."""
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def divide_rounded(numerator, denominator):
    """Half away from zero, on Python ints (object arrays): exact however large."""
    numerator = np.asarray(numerator, dtype=object)
    denominator = np.asarray(denominator, dtype=object)
    sign = np.where(numerator < 0, -1, 1).astype(object)
    magnitude = numerator * sign
    return sign * ((2 * magnitude + denominator) // (2 * denominator))


def money_text(c):
    c = int(c)
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


# --------------------------------------------------------------------------------------------
# Frames from the book


def frames(book):
    """The book as frames: engagements (with terms), requests, entries, appointments, invoice lines, payments."""
    engagements = book["engagements"]
    rows = []
    for i, e in enumerate(engagements):
        t = e["terms"]
        rounding = t.get("rounding") or {}
        call_fee = t.get("call_fee") or {}
        rush = t.get("rush") or {}
        no_show = t.get("no_show") or {}
        rows.append({
            "eng": i, "id": e["id"], "client": e["client"], "currency": e["currency"],
            "start": e["start"], "end": e.get("end"), "review_by": e.get("review_by"),
            "pricing": PRICINGS.index(t["pricing"]), "rate": cents(t["rate"]),
            "fixed_price": cents(t.get("fixed_price")) or 0,
            "contingent": round(t.get("contingent_hours", 0) * 3600),
            "contingent_price": cents(t.get("contingent_price")) or 0,
            "rollover_max": round(t.get("rollover_max_hours", 0) * 3600),
            "included_rounds": t.get("included_rounds", 0),
            "has_extra_round_price": "extra_round_price" in t,
            "extra_round_price": cents(t.get("extra_round_price")) or 0,
            "increment": rounding.get("increment_minutes", 0) * 60,
            "mode": MODES.index(rounding["mode"]) if rounding else -1,
            "has_call_fee": bool(call_fee), "call_free": call_fee.get("free_minutes", 0) * 60,
            "call_block": call_fee.get("block_minutes", 1) * 60, "call_fee": cents(call_fee.get("fee")) or 0,
            "has_rush": bool(rush), "rush_lead": round(rush.get("lead_hours", 0) * 3600),
            "rush_micro": round(rush.get("surcharge_percent", 0) * 1_000_000),
            "has_no_show": bool(no_show), "notice": round(no_show.get("notice_hours", 0) * 3600),
            "no_show_fee": cents(no_show.get("fee")) or 0,
        })
    eng = pd.DataFrame(rows)
    eng["start_day"] = days_of(eng["start"].tolist())
    eng["end_day"] = days_of(eng["end"].fillna("NaT").tolist())  # NaT -> int64 min
    eng["review_day"] = days_of(eng["review_by"].fillna("NaT").tolist())

    def flat(field):
        items = [x for e in engagements for x in e.get(field, ())]
        owner = np.repeat(np.arange(len(engagements)), [len(e.get(field, ())) for e in engagements])
        return items, owner

    items, owner = flat("requests")
    requests = pd.DataFrame({
        "eng": owner,
        "id": [r["id"] for r in items],
        "revision": np.array([r["kind"] == "revision" for r in items], dtype=bool),
        "received": seconds_of([r["received"] for r in items]),
        "due": seconds_of([r.get("due", "NaT") for r in items]),
        "has_quote": np.array(["quote" in r for r in items], dtype=bool),
        "quote": np.array([cents(r.get("quote")) or 0 for r in items], dtype=np.int64),
        "declined": np.array([r.get("declined", False) for r in items], dtype=bool),
    })

    items, owner = flat("entries")
    start = seconds_of([x["start"] for x in items])
    minutes = np.array([x.get("minutes", 0) for x in items], dtype=np.int64)
    end = seconds_of([x.get("end", "NaT") for x in items])
    entries = pd.DataFrame({
        "eng": owner,
        "start": start,
        "seconds": np.where(minutes > 0, minutes * 60, end - start),
        "kind": pd.Categorical([x["kind"] for x in items], categories=KINDS).codes.astype(np.int8),
        "request": [x.get("request") for x in items],
    })

    items, owner = flat("appointments")
    appointments = pd.DataFrame({
        "eng": owner,
        "at": seconds_of([a["at"] for a in items]),
        "status": [a["status"] for a in items],
        "cancelled": seconds_of([a.get("cancelled", "NaT") for a in items]),
    })

    items, owner = flat("invoices")
    line_owner = np.repeat(owner, [len(i["lines"]) for i in items])
    lines = pd.DataFrame({
        "eng": line_owner,
        "invoice": [i["id"] for i in items for _ in i["lines"]],
        "date": days_of([i["date"] for i in items for _ in i["lines"]]),
        "category": [l["category"] for i in items for l in i["lines"]],
        "amount": np.array([cents(l["amount"]) for i in items for l in i["lines"]], dtype=np.int64),
    })

    items, owner = flat("payments")
    payments = pd.DataFrame({
        "eng": owner,
        "invoice": [p["invoice"] for p in items],
        "date": days_of([p["date"] for p in items]),
        "amount": np.array([cents(p["amount"]) for p in items], dtype=np.int64),
    })
    return {"eng": eng, "requests": requests, "entries": entries, "appointments": appointments,
            "lines": lines, "payments": payments}


# --------------------------------------------------------------------------------------------
# The rules


def default_as_of(f):
    """Latest date of any entry, request, appointment, invoice or payment; else the latest start."""
    candidates = []
    if len(f["entries"]):
        candidates.append(f["entries"]["start"].max() // DAY)
    if len(f["requests"]):
        candidates.append(f["requests"]["received"].max() // DAY)
    if len(f["appointments"]):
        candidates.append(f["appointments"]["at"].max() // DAY)
    if len(f["lines"]):
        candidates.append(f["lines"]["date"].max())
    if len(f["payments"]):
        candidates.append(f["payments"]["date"].max())
    if not candidates:
        candidates.append(f["eng"]["start_day"].max())
    return int(max(candidates))


def per_engagement(n, index):
    """How many rows each engagement has, as a dense int64 array of length n."""
    return np.bincount(np.asarray(index, dtype=np.int64), minlength=n).astype(np.int64)


def sum_by(n, index, values):
    """Σ values by engagement, as a dense int64 array of length n. bincount adds in float64, which
    is exact for integers below 2^53: seconds of 10^8 entries (< 2·10^12) and cents stay far below."""
    sums = np.bincount(np.asarray(index, dtype=np.int64), weights=np.asarray(values, dtype=np.float64), minlength=n)
    return np.rint(sums).astype(np.int64)


def evaluate(f, as_of_day=None):
    eng = f["eng"]
    n = len(eng)
    if as_of_day is None:
        as_of_day = default_as_of(f)
    cut_off = (as_of_day + 1) * DAY

    # Requests: counted ones, rush, revision rounds numbered by (received, id).
    rq = f["requests"]
    counted = (~rq["declined"].to_numpy()) & (rq["received"].to_numpy() < cut_off)
    lead = eng["rush_lead"].to_numpy()[rq["eng"].to_numpy()]
    has_rush = eng["has_rush"].to_numpy()[rq["eng"].to_numpy()]
    due = rq["due"].to_numpy()
    due_known = due != np.iinfo(np.int64).min
    rq_rush = counted & has_rush & due_known & ((due - rq["received"].to_numpy()) < lead)
    revision = rq["revision"].to_numpy()
    rounds = rq[counted & revision].sort_values(["eng", "received", "id"], kind="stable")
    round_number = np.zeros(len(rq), dtype=np.int64)
    round_number[rounds.index.to_numpy()] = rounds.groupby("eng").cumcount().to_numpy() + 1
    included = eng["included_rounds"].to_numpy()[rq["eng"].to_numpy()]
    # 0 not billable, 1 covered (included round), 2 extra round, 3 quoted change, 4 hourly change
    quoted = rq["has_quote"].to_numpy()
    work = np.select(
        [~counted, revision & (round_number <= included), revision, quoted],
        [0, 1, 2, 3], default=4)
    rounds_used = per_engagement(n, rq["eng"].to_numpy()[counted & revision])
    extra_rounds = np.maximum(0, rounds_used - eng["included_rounds"].to_numpy())
    quotes = sum_by(n, rq["eng"].to_numpy()[work == 3], rq["quote"].to_numpy()[work == 3])

    # Entries up to the as-of date.
    en = f["entries"]
    keep = en["start"].to_numpy() < cut_off
    e_eng = en["eng"].to_numpy()[keep]
    start = en["start"].to_numpy()[keep]
    raw = en["seconds"].to_numpy()[keep]
    kind = en["kind"].to_numpy()[keep]
    worked = sum_by(n, e_eng, raw)
    by_kind = sum_by(n * len(KINDS), e_eng * len(KINDS) + kind, raw).reshape(n, len(KINDS))

    # Per-entry rounding (SPEC §2).
    inc = eng["increment"].to_numpy()[e_eng]
    mode = eng["mode"].to_numpy()[e_eng]
    safe = np.where(inc > 0, inc, 1)
    billed = np.select([mode == 0, mode == 1, mode == 2],
                       [(raw + safe - 1) // safe * safe, raw // safe * safe, (raw + safe // 2) // safe * safe], default=raw)

    # Where each entry's time goes.
    request_position = np.full(len(e_eng), -1, dtype=np.int64)
    on_request = (kind == 1) | (kind == 2)
    if on_request.any():
        keys = pd.MultiIndex.from_arrays([rq["eng"].to_numpy(), rq["id"].to_numpy()])
        wanted = pd.MultiIndex.from_arrays([e_eng[on_request], en["request"].to_numpy()[keep][on_request]])
        request_position[on_request] = keys.get_indexer(wanted)
    # A sentinel row after the requests answers for entries without one (work -1, no rush).
    entry_work = np.append(work, -1)[request_position]
    entry_rush = np.append(rq_rush, False)[request_position] & (entry_work != 0)
    has_call_fee = eng["has_call_fee"].to_numpy()[e_eng]
    covered_mask = (kind == 0) | ((kind == 3) & ~has_call_fee) | (entry_work == 1)
    covered = sum_by(n, e_eng[covered_mask], billed[covered_mask])
    extra_round_s = sum_by(n, e_eng[entry_work == 2], billed[entry_work == 2])
    unquoted_s = sum_by(n, e_eng[entry_work == 4], billed[entry_work == 4])
    rush_s = sum_by(n, e_eng[entry_rush], billed[entry_rush])
    call_mask = (kind == 3) & has_call_fee
    free = eng["call_free"].to_numpy()[e_eng[call_mask]]
    block = eng["call_block"].to_numpy()[e_eng[call_mask]]
    blocks = (np.maximum(0, raw[call_mask] - free) + block - 1) // block
    call_blocks = sum_by(n, e_eng[call_mask], blocks)

    # Overlap: sort each engagement's intervals by (start, end); any start before the previous end.
    order = np.lexsort((start + raw, start, e_eng))
    s_eng, s_start, s_end = e_eng[order], start[order], (start + raw)[order]
    clash = (s_eng[1:] == s_eng[:-1]) & (s_start[1:] < s_end[:-1])
    overlap = np.zeros(n, dtype=bool)
    overlap[s_eng[1:][clash]] = True

    # Retainer months: covered seconds per counted month, carried month by month.
    pricing = eng["pricing"].to_numpy()
    start_day = eng["start_day"].to_numpy()
    end_day = eng["end_day"].to_numpy()
    has_end = end_day != np.iinfo(np.int64).min
    last_day = np.where(has_end & (end_day < as_of_day), end_day, as_of_day)
    first_month = month_of_days(start_day)
    months = np.where((pricing == 2) & (start_day <= as_of_day), month_of_days(last_day) - first_month + 1, 0)
    hours = eng["contingent"].to_numpy()
    available = np.zeros(n, dtype=np.int64)
    consumed = np.zeros(n, dtype=np.int64)
    over = np.zeros(n, dtype=np.int64)
    last_available = np.zeros(n, dtype=np.int64)
    last_consumed = np.zeros(n, dtype=np.int64)
    # contingent: one block
    block_mask = pricing == 1
    available[block_mask] = hours[block_mask]
    consumed[block_mask] = covered[block_mask]
    over[block_mask] = np.maximum(0, covered - hours)[block_mask]
    last_available[block_mask], last_consumed[block_mask] = hours[block_mask], covered[block_mask]
    any_over = over > 0
    retainers = np.flatnonzero(months > 0)
    if len(retainers):
        width = int(months.max())
        ret_mask = covered_mask & (pricing[e_eng] == 2)
        month_index = month_of_days(start[ret_mask] // DAY) - first_month[e_eng[ret_mask]]
        used = sum_by(n * width, e_eng[ret_mask] * width + month_index, billed[ret_mask]).reshape(n, width)
        rollover = eng["rollover_max"].to_numpy()
        carry = np.zeros(n, dtype=np.int64)
        for m in range(width):  # months, not entries
            active = (months > m)
            avail = hours + carry
            month_over = np.maximum(0, used[:, m] - avail)
            available += np.where(active, avail, 0)
            consumed += np.where(active, used[:, m], 0)
            over += np.where(active, month_over, 0)
            any_over |= active & (month_over > 0)
            last = active & (months == m + 1)
            last_available[last], last_consumed[last] = avail[last], used[:, m][last]
            carry = np.where(active, np.minimum(rollover, np.maximum(0, avail - used[:, m])), 0)

    # No-shows.
    ap = f["appointments"]
    a_eng = ap["eng"].to_numpy()
    notice = eng["notice"].to_numpy()[a_eng]
    status = ap["status"].to_numpy().astype(str)
    late_cancel = (status == "cancelled") & eng["has_no_show"].to_numpy()[a_eng] & \
                  ((ap["at"].to_numpy() - ap["cancelled"].to_numpy()) < notice)
    missed = ((status == "no_show") | late_cancel) & (ap["at"].to_numpy() < cut_off)
    no_shows = per_engagement(n, a_eng[missed])

    # Money (SPEC §5), on Python ints: rate × seconds × percent overflows int64.
    rate = eng["rate"].to_numpy().astype(object)
    billable = {}
    billable["base"] = np.select(
        [pricing == 0, pricing == 1, pricing == 2],
        [eng["fixed_price"].to_numpy().astype(object), eng["contingent_price"].to_numpy().astype(object),
         eng["contingent_price"].to_numpy().astype(object) * months.astype(object)],
        default=divide_rounded(rate * covered.astype(object), 3600))
    billable["overage"] = divide_rounded(rate * over.astype(object), 3600)
    billable["revision"] = np.where(eng["has_extra_round_price"].to_numpy(),
                                    eng["extra_round_price"].to_numpy().astype(object) * extra_rounds.astype(object),
                                    divide_rounded(rate * extra_round_s.astype(object), 3600))
    billable["change"] = quotes.astype(object) + divide_rounded(rate * unquoted_s.astype(object), 3600)
    billable["call"] = np.where(eng["has_call_fee"].to_numpy(), eng["call_fee"].to_numpy().astype(object) * call_blocks.astype(object), 0)
    billable["rush"] = np.where(eng["has_rush"].to_numpy(),
                                divide_rounded(rate * eng["rush_micro"].to_numpy().astype(object) * rush_s.astype(object), 100 * 1_000_000 * 3600), 0)
    billable["no_show"] = np.where(eng["has_no_show"].to_numpy(), eng["no_show_fee"].to_numpy().astype(object) * no_shows.astype(object), 0)

    ln = f["lines"]
    dated = ln[ln["date"] <= as_of_day]
    invoiced = {}
    for c in CATEGORIES:
        part = dated[dated["category"] == c]
        invoiced[c] = sum_by(n, part["eng"].to_numpy(), part["amount"].to_numpy())

    # Overdue invoices: dated by the as-of date, more than 30 days old, not fully paid by then.
    pay = f["payments"]
    paid = pay[pay["date"] <= as_of_day].groupby("invoice")["amount"].sum()
    totals = dated.groupby(["invoice", "eng", "date"])["amount"].sum().reset_index()
    totals["due"] = totals["amount"] - totals["invoice"].map(paid).fillna(0).astype(np.int64)
    late = totals[(as_of_day - totals["date"] > 30) & (totals["due"] > 0)]
    invoice_overdue = np.zeros(n, dtype=bool)
    invoice_overdue[late["eng"].to_numpy()] = True

    leakage = {c: billable[c] - invoiced[c].astype(object) for c in CATEGORIES}
    unbilled = sum(np.where(leakage[c] > 0, leakage[c], 0) for c in CATEGORIES)
    overbilled = sum(np.where(leakage[c] < 0, -leakage[c], 0) for c in CATEGORIES)
    invoiced_total = sum(invoiced[c].astype(object) for c in CATEGORIES)
    effective = divide_rounded(invoiced_total * 3600, np.where(worked > 0, worked, 1).astype(object))
    review_day = eng["review_day"].to_numpy()
    has_contingent = (pricing == 1) | (pricing == 2)

    alerts = {
        "contingent_80": has_contingent & (last_consumed * 5 >= last_available * 4),
        "contingent_exceeded": has_contingent & any_over,
        "extra_rounds": extra_rounds > 0,
        "invoice_overdue": invoice_overdue,
        "overlap": overlap,
        "review_overdue": (review_day != np.iinfo(np.int64).min) & (review_day < as_of_day),
        "rounds_exhausted": (eng["included_rounds"].to_numpy() > 0) & (rounds_used >= eng["included_rounds"].to_numpy()),
        "unbilled": unbilled > 0,
    }

    # The report, engagements in book order (those started by the as-of date).
    as_of_text = str(np.datetime64(int(as_of_day), "D"))
    report = {"format": "kontingent-report/1", "as_of": as_of_text, "engagements": []}
    ids, clients, currencies, included_rounds = eng["id"].tolist(), eng["client"].tolist(), eng["currency"].tolist(), eng["included_rounds"].tolist()
    for i in np.flatnonzero(start_day <= as_of_day):
        report["engagements"].append({
            "id": ids[i], "client": clients[i], "currency": currencies[i],
            "billable": {c: money_text(billable[c][i]) for c in CATEGORIES},
            "invoiced": {c: money_text(invoiced[c][i]) for c in CATEGORIES},
            "leakage": {c: money_text(leakage[c][i]) for c in CATEGORIES},
            "unbilled": money_text(unbilled[i]), "overbilled": money_text(overbilled[i]),
            "worked_seconds": int(worked[i]),
            "seconds_by_kind": {k: int(by_kind[i, j]) for j, k in enumerate(KINDS)},
            "effective_rate": money_text(effective[i]) if worked[i] > 0 else None,
            "rounds": {"included": int(included_rounds[i]), "used": int(rounds_used[i]), "extra": int(extra_rounds[i])},
            "contingent": {"available_seconds": int(available[i]), "consumed_seconds": int(consumed[i]),
                           "overage_seconds": int(over[i])} if has_contingent[i] else None,
            "alerts": [a for a in alerts if alerts[a][i]],
        })
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book")
    parser.add_argument("--as-of")
    parser.add_argument("--out", help="write the report here (default: standard output)")
    parser.add_argument("--timings", action="store_true")
    args = parser.parse_args(argv)
    clock = time.process_time  # CPU time: steadier than the wall clock on a shared machine
    t0 = clock()
    with open(args.book, encoding="utf-8") as fh:
        book = json.load(fh)
    t1 = clock()
    f = frames(book)
    del book
    t2 = clock()
    as_of = int(np.datetime64(args.as_of, "D").astype(np.int64)) if args.as_of else None
    report = evaluate(f, as_of)
    t3 = clock()
    text = json.dumps(report, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    if args.timings:
        print(json.dumps({"load_s": t1 - t0, "frames_s": t2 - t1, "evaluate_s": t3 - t2}), file=sys.stderr)


if __name__ == "__main__":
    main()
