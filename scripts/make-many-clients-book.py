#!/usr/bin/python3
"""A book of many clients with one engagement each, and a Toggl export for it (issue 18 item 5).

    scripts/make-many-clients-book.py CLIENTS OUT.book.json [--toggl OUT.csv] [--seed 2026]

The benchmark books of bench/generate.hpp have ~1,000 engagements and many entries each; this one
has the other shape: CLIENTS clients (10^5 in docs/performance.md), each with one engagement of a
few entries, so that anything that looks a client or an engagement up by id inside a loop over
them shows. Pricings, optional terms, requests, appointments, invoices and payments vary as in a
real book. The numbers come from Python's `random.Random(seed)`, so the same seed and size give the
same book on any machine.

`--toggl` also writes a Toggl Track detailed CSV with one row per client in 2026-12, after every
entry of the book, whose `Client` column is the client's id: `kontingent import --from toggl` maps
each row to the client's only engagement (docs/import.md, mapping rule 4) without a mapping file.
"""

import argparse
import csv
import json
import random
from pathlib import Path

PRICINGS = ("hourly", "fixed", "contingent", "retainer")
KINDS = ("scope", "scope", "scope", "call", "revision", "change", "internal")


def money(rng, low, high):
    return str(rng.randint(low, high))


def terms(rng, pricing):
    t = {"pricing": pricing, "rate": money(rng, 60, 150)}
    if pricing == "fixed":
        t["fixed_price"] = money(rng, 1_000, 20_000)
    elif pricing in ("contingent", "retainer"):
        t["contingent_hours"] = rng.randint(5, 40)
        t["contingent_price"] = money(rng, 400, 4_000)
        if pricing == "retainer" and rng.random() < 0.5:
            t["rollover_max_hours"] = rng.randint(0, 10)
    t["included_rounds"] = rng.randint(0, 3)
    if rng.random() < 0.5:
        t["extra_round_price"] = money(rng, 100, 500)
    if rng.random() < 0.7:
        t["rounding"] = {"increment_minutes": rng.choice((5, 6, 15, 30)), "mode": rng.choice(("up", "down", "nearest"))}
    if rng.random() < 0.5:
        t["call_fee"] = {"free_minutes": rng.choice((0, 15)), "block_minutes": rng.choice((15, 30)), "fee": money(rng, 20, 60)}
    if rng.random() < 0.5:
        t["rush"] = {"lead_hours": rng.randint(12, 72), "surcharge_percent": rng.choice((25, 50))}
    if rng.random() < 0.5:
        t["no_show"] = {"notice_hours": 24, "fee": money(rng, 50, 150)}
    return t


def stamp(day, minute):
    return f"2026-{day[0]:02d}-{day[1]:02d}T{minute // 60:02d}:{minute % 60:02d}"


def engagement(rng, index, client):
    month = rng.randint(1, 6)
    e = {
        "id": f"E{index:06d}",
        "client": client,
        "title": f"Engagement {index}",
        "currency": "EUR",
        "start": f"2026-{month:02d}-01",
        "terms": terms(rng, rng.choice(PRICINGS)),
    }
    # One entry a working day from the start, at most one a day, so that none overlap.
    days = [(m, d) for m in range(month, 12) for d in (3, 7, 12, 16, 21, 25)]
    entries = []
    for day in sorted(rng.sample(days, rng.randint(3, 12))):
        kind = rng.choice(KINDS)
        entry = {"start": stamp(day, rng.randint(8 * 60, 15 * 60)), "minutes": rng.randint(10, 180), "kind": kind}
        if kind in ("revision", "change"):
            entry["request"] = "R1" if kind == "revision" else "C1"
        entries.append(entry)
    first = entries[0]["start"]
    e["requests"] = [{"id": "R1", "kind": "revision", "received": first, "due": first[:11] + "23:00"},
                     {"id": "C1", "kind": "change", "received": first}]
    e["entries"] = entries
    e["appointments"] = [{"at": stamp(rng.choice(days), 10 * 60), "status": rng.choice(("kept", "kept", "no_show"))}
                         for _ in range(rng.randint(0, 2))]
    e["invoices"], e["payments"] = [], []
    for n in range(rng.randint(0, 3)):
        invoice = {"id": f"{e['id']}-{n + 1}", "date": f"2026-{month + 2 * n + 1:02d}-28",
                   "lines": [{"category": "base", "amount": money(rng, 200, 3_000)}]}
        e["invoices"].append(invoice)
        if rng.random() < 0.7:
            e["payments"].append({"invoice": invoice["id"], "date": f"2026-{month + 2 * n + 2:02d}-15",
                                  "amount": invoice["lines"][0]["amount"]})
    return e


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clients", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--toggl", type=Path, help="also write a Toggl CSV of one row per client")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    clients, engagements = [], []
    for i in range(1, args.clients + 1):
        clients.append({"id": f"C{i:06d}", "name": f"Client {i}"})
        engagements.append(engagement(rng, i, clients[-1]["id"]))
    with args.out.open("w") as f:
        json.dump({"format": "kontingent-book/1", "clients": clients, "engagements": engagements}, f, indent=1)
    if args.toggl:
        with args.toggl.open("w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["User", "Email", "Client", "Project", "Task", "Description", "Billable",
                        "Start date", "Start time", "End date", "End time", "Duration", "Tags"])
            for c in clients:
                w.writerow(["Jo Doe", "jo@example.test", c["id"], "", "", "layout", "Yes",
                            "2026-12-02", "09:00:00", "2026-12-02", "10:30:00", "01:30:00", ""])


if __name__ == "__main__":
    main()
