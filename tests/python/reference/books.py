"""Random valid books (SPEC §7, §10) that lean on the rules' edges, one per seed.

Every value is drawn where a rule turns: durations at a rounding increment and at half of one,
due dates just inside and outside a rush lead, cancellations just inside and outside the notice,
ties in `received`, hours with decimals, declined requests and requests received after the work,
entries in no particular order, credit notes, due dates and payment days. The same seed gives the
same book, so a failure names the book that shows it.
"""

import random
from datetime import date, datetime, timedelta

CATEGORIES = ["base", "overage", "revision", "change", "call", "rush", "no_show"]


def money(rng, top=2000):
    cents = rng.choice([0, rng.randint(0, 100), rng.randint(0, top * 100), rng.randint(1, 40) * 500])
    whole, fraction = divmod(cents, 100)
    style = rng.random()
    if fraction == 0 and style < 0.5:
        return str(whole)
    if fraction % 10 == 0 and style < 0.7:
        return f"{whole}.{fraction // 10}"
    return f"{whole}.{fraction:02d}"


def hours(rng, positive=True):
    low = 1 if positive else 0
    return rng.choice([rng.randint(low, 40), rng.randint(low, 80) / 2, rng.randint(1, 400) / 4,
                       rng.randint(1, 1000) / 10, rng.randint(1, 99999) / 1000, 0.01, 0.5])


def text(moment, rng):
    """A time as a book writes it: seconds when it has them, and sometimes `:00` when it has none."""
    if moment.second or rng.random() < 0.3:
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return moment.strftime("%Y-%m-%dT%H:%M")


def moment_between(rng, first: date, last: date):
    day = first + timedelta(days=rng.randint(0, (last - first).days))
    second = rng.randint(0, 59) if rng.random() < 0.15 else 0
    return datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.choice([0, 15, 30, 45, rng.randint(0, 59)]),
                    second)


def vat(rng):
    category = rng.choice(["S", "S", "Z", "E", "AE"])
    v = {"category": category}
    if category == "S":
        v["percent"] = rng.choice([19, 7, 7.7, 20, 16, 2.5])
    if category in ("E", "AE"):
        v["exemption_reason"] = "Steuerfrei"
    return v


def terms(rng, v2):
    pricing = rng.choice(["fixed", "contingent", "retainer", "hourly"])
    t = {"pricing": pricing, "rate": money(rng, 200)}
    if pricing == "fixed":
        t["fixed_price"] = money(rng, 9000)
    if pricing in ("contingent", "retainer"):
        t["contingent_hours"] = hours(rng)
        t["contingent_price"] = money(rng, 5000)
        if pricing == "retainer" and rng.random() < 0.6:
            t["rollover_max_hours"] = hours(rng, positive=False)
    if rng.random() < 0.7:
        t["included_rounds"] = rng.randint(0, 3)
    if rng.random() < 0.5:
        t["extra_round_price"] = money(rng, 500)
    if rng.random() < 0.6:
        t["rounding"] = {"increment_minutes": rng.choice([1, 5, 6, 7, 10, 15, 30, 60]),
                         "mode": rng.choice(["up", "down", "nearest"])}
    if rng.random() < 0.5:
        t["call_fee"] = {"free_minutes": rng.choice([0, 5, 15, 30]), "block_minutes": rng.choice([1, 10, 15, 30, 60]),
                         "fee": money(rng, 100)}
    if rng.random() < 0.5:
        t["rush"] = {"lead_hours": hours(rng),
                     "surcharge_percent": rng.choice([0, 25, 50, 100, 12.5, 33.3, rng.randint(1, 200)])}
    if rng.random() < 0.5:
        t["no_show"] = {"notice_hours": rng.choice([0, 2, 24, 48, 1.5]), "fee": money(rng, 300)}
    if v2 and rng.random() < 0.4:
        t["vat"] = vat(rng)
    return t


def requests(rng, first: date, last: date):
    made = []
    for n in range(rng.choice([0, 1, 3, 6])):
        kind = rng.choice(["revision", "revision", "change"])
        received = moment_between(rng, first, last + timedelta(days=rng.choice([0, 0, 10])))
        if made and rng.random() < 0.2:
            received = datetime.fromisoformat(made[-1]["received"])  # a tie, broken by id as plain strings
        request = {"id": rng.choice(["R", "C", "r", "Z", "10", "9"]) + str(n) if rng.random() < 0.5 else f"R{n}",
                   "kind": kind, "received": text(received, rng)}
        if any(r["id"] == request["id"] for r in made):
            request["id"] += "x"
        if rng.random() < 0.6:
            lead = rng.choice([0, 60, 12 * 60, 47 * 60, 48 * 60, 49 * 60, rng.randint(0, 20000)])
            request["due"] = text(received + timedelta(minutes=lead), rng)
        if kind == "change" and rng.random() < 0.5:
            request["quote"] = money(rng, 800)
        if rng.random() < 0.2:
            request["declined"] = rng.random() < 0.8
        made.append(request)
    return made


def entries(rng, count, first: date, last: date, made_requests, increment):
    made = []
    for _ in range(count):
        start = moment_between(rng, first, last)
        kind = rng.choice(["scope", "scope", "revision", "change", "call", "call", "internal"])
        named = [r for r in made_requests if r["kind"] == kind]
        if kind in ("revision", "change") and not named:
            kind = "scope"
        entry = {"start": text(start, rng)}
        if rng.random() < 0.5:
            entry["minutes"] = rng.choice([1, 7, 15, 29, 30, 31, 45, 59, 60, 61, 90, rng.randint(1, 600)])
        else:
            seconds = rng.choice([1, 60, 899, 900, 901, 1800, rng.randint(1, 36000),
                                  rng.randint(0, 5) * increment + increment // 2, rng.randint(1, 5) * increment])
            entry["end"] = text(start + timedelta(seconds=seconds), rng)
        entry["kind"] = kind
        if kind in ("revision", "change"):
            entry["request"] = rng.choice(named)["id"]
        if rng.random() < 0.2:
            entry["note"] = rng.choice(["a", "Ä \"quoted\"", "line\nbreak", ""])
        made.append(entry)
    return made


def appointments(rng, first: date, last: date):
    made = []
    for _ in range(rng.choice([0, 1, 4])):
        at = moment_between(rng, first, last + timedelta(days=5))
        appointment = {"at": text(at, rng), "status": rng.choice(["kept", "no_show", "cancelled"])}
        if appointment["status"] == "cancelled":
            ahead = rng.choice([0, 30, 24 * 60 - 1, 24 * 60, 24 * 60 + 1, 48 * 60, -30, rng.randint(0, 9000)])
            appointment["cancelled"] = text(at - timedelta(minutes=ahead), rng)
        made.append(appointment)
    return made


def paid_in_full(invoice):
    cents = 0
    for line in invoice["lines"]:
        whole, _, fraction = line["amount"].partition(".")
        cents += int(whole) * 100 + int((fraction + "00")[:2])
    return f"{cents // 100}.{cents % 100:02d}"


def invoices_and_payments(rng, first: date, last: date, v2, numbers):
    invoices, payments = [], []
    for _ in range(rng.choice([0, 1, 3])):
        numbers.append(f"INV-{len(numbers) + 1}")
        day = first + timedelta(days=rng.randint(0, (last - first).days + 40))
        invoice = {"id": numbers[-1], "date": day.isoformat(),
                   "lines": [{"category": rng.choice(CATEGORIES), "amount": money(rng, 3000)}
                             for _ in range(rng.choice([1, 1, 2, 4]))]}
        correctable = [i for i in invoices if not i.get("credit_note")]
        if v2 and correctable and rng.random() < 0.3:
            invoice["credit_note"] = True
            invoice["refers_to"] = rng.choice(correctable)["id"]
        if v2 and rng.random() < 0.4:
            invoice["due"] = (day + timedelta(days=rng.choice([0, 7, 14, 30, 60]))).isoformat()
        invoices.append(invoice)
        if not invoice.get("credit_note"):
            for _ in range(rng.choice([0, 1, 2])):
                payments.append({"invoice": invoice["id"],
                                 "date": (day + timedelta(days=rng.choice([0, 10, 31, 45, 90]))).isoformat(),
                                 "amount": rng.choice([money(rng, 3000), paid_in_full(invoice)])})
    return invoices, payments


def engagement(rng, index, client, v2, numbers, entry_count):
    start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 500))
    if rng.random() < 0.2:
        start = start.replace(day=1)
    end = start + timedelta(days=rng.choice([0, 3, 20, 40, 75, 120, 300])) if rng.random() < 0.7 else None
    last = end or start + timedelta(days=rng.choice([10, 60, 150]))
    e = {"id": f"e{index}", "client": client["id"], "currency": rng.choice(["EUR", "EUR", "USD", "CHF"]),
         "start": start.isoformat()}
    if end:
        e["end"] = end.isoformat()
    if rng.random() < 0.5:
        e["review_by"] = (start + timedelta(days=rng.randint(0, 200))).isoformat()
    e["terms"] = terms(rng, v2)
    e["requests"] = requests(rng, start, last)
    count = entry_count if entry_count is not None else rng.choice([0, 2, 5, 12, 30])
    increment = e["terms"].get("rounding", {}).get("increment_minutes", 15) * 60
    e["entries"] = entries(rng, count, start, last, e["requests"], increment)
    e["appointments"] = appointments(rng, start, last)
    e["invoices"], e["payments"] = invoices_and_payments(rng, start, last, v2, numbers)
    for events in ("requests", "entries", "appointments", "invoices", "payments"):
        if not e[events] and rng.random() < 0.5:
            del e[events]  # the lists are optional, empty by default
    return e


def book(seed, entry_count=None):
    """The book of `seed`: version 1 or 2, one to four engagements of `entry_count` entries each
    (a few dozen at most when not given)."""
    rng = random.Random(seed)
    v2 = rng.random() < 0.5
    clients = []
    for n in range(rng.randint(1, 3)):
        client = {"id": f"c{n}", "name": f"Client {n}"}
        if rng.random() < 0.5:
            client["channel"] = rng.choice(["website", "referral"])
        if v2:
            client["address"] = {"city": "Berlin", "country": "DE"}
            client["vat_id"] = f"DE{100000000 + n}"
            if rng.random() < 0.6:
                client["payment_days"] = rng.choice([0, 7, 14, 30, 45])
        clients.append(client)
    numbers = []
    engagements = [engagement(rng, n, rng.choice(clients), v2, numbers, entry_count) for n in range(rng.randint(1, 4))]
    if not v2:
        return {"format": "kontingent-book/1", "clients": clients, "engagements": engagements}
    owner = {"name": "Studio", "address": {"city": "Köln", "country": "DE"}, "vat": vat(rng), "invoice_prefix": "INV-"}
    return {"format": "kontingent-book/2", "owner": owner, "clients": clients, "engagements": engagements}
