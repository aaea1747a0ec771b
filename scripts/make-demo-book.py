#!/usr/bin/env python3
"""Generate examples/data/studio.book.json, the demo book behind the README's main job.

The README shows kontingent doing what it is for: reading a whole year of one freelancer's
engagements and saying, client by client, how much billable work never made it onto an invoice.
A hand-written two-engagement example cannot show that, so this script simulates one:
"Studio Kranich", a small design studio in Flensburg, through 2026 (Jan 1 - Dec 31).

What it models:
  * 7 clients from different acquisition channels and 12 engagements using all four pricings
    (fixed, contingent, retainer, hourly) and every optional term (rounding up/down/nearest,
    call fee, rush surcharge, no-show fee, flat extra-round price, retainer rollover, review dates).
  * One working day at a time on a single timeline: scope work, revision and change requests
    (some rush, some quoted, some declined), calls, internal overhead, appointments (kept,
    no-show, cancelled late and early), then invoices written from what the terms make billable
    - minus what the studio forgot or chose not to bill - and payments on time, late, partial
    or never.
  * Möbelhaus Krüger & Söhne is the client that drains: long venting calls, rush after rush,
    round after round, no-shows, late and partial payment, lots of work never invoiced. One
    pair of its relaunch entries overlaps on purpose (a call logged inside a scope block), so the
    `overlap` alert has something to find.
  * Nordlicht Verlag is the pleasure: few short calls, no rush, rounds within what is included,
    every invoice paid within three weeks (the one dated Dec 31 is simply not due yet),
    everything billed: its leakage is exactly zero in every category.

The output is deterministic (random.Random(2026), standard library only). The self-check at the
end re-validates the book against docs/formats.md and the story above, so a change to this script
cannot silently produce a book that kontingent would refuse or that tells a different story.

Usage: /usr/bin/python3 scripts/make-demo-book.py [OUT]   (default: examples/data/studio.book.json)
"""

import calendar
import datetime as dt
import json
import math
import re
import random
import sys
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "examples" / "data" / "studio.book.json"

YEAR = 2026
YEAR_END = dt.date(YEAR, 12, 31)
DRAIN = "krueger"
PLEASURE = "nordlicht"
OVERLAP_ENGAGEMENT = "krueger-relaunch"

rng = random.Random(2026)

# ---------------------------------------------------------------------------------------------
# Calendar: Mon-Fri, without Schleswig-Holstein public holidays, summer break and Christmas.

HOLIDAYS = {dt.date(YEAR, m, d) for m, d in [(1, 1), (4, 3), (4, 6), (5, 1), (5, 14), (5, 25),
                                              (10, 3), (10, 31), (12, 24), (12, 25), (12, 31)]}
SUMMER_BREAK = (dt.date(YEAR, 8, 3), dt.date(YEAR, 8, 21))
LAST_WORKDAY = dt.date(YEAR, 12, 22)


def is_workday(d):
    return (d.weekday() < 5 and d not in HOLIDAYS
            and not SUMMER_BREAK[0] <= d <= SUMMER_BREAK[1] and d <= LAST_WORKDAY)


WORKDAYS = [dt.date(YEAR, 1, 1) + dt.timedelta(days=i) for i in range(365)]
WORKDAYS = [d for d in WORKDAYS if is_workday(d)]


def next_workday(d):
    d += dt.timedelta(days=1)
    while not is_workday(d) and d <= LAST_WORKDAY:
        d += dt.timedelta(days=1)
    return d


def month_end(d):
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def D(s):
    return dt.date.fromisoformat(s)


def fmt_dt(t):
    return t.strftime("%Y-%m-%dT%H:%M")


def at_minute(d, minute):
    return dt.datetime(d.year, d.month, d.day) + dt.timedelta(minutes=minute)


# ---------------------------------------------------------------------------------------------
# Money: integer cents in, book strings out ("4800", "95.5", "166.25").

def cents(s):
    assert re.fullmatch(r"\d+(\.\d{1,2})?", s), s
    whole, _, frac = s.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def money(c):
    assert isinstance(c, int) and c >= 0
    if c % 100 == 0:
        return str(c // 100)
    if c % 10 == 0:
        return f"{c // 100}.{(c % 100) // 10}"
    return f"{c // 100}.{c % 100:02d}"


def round_half_away(x):
    """Round a non-negative Fraction to an integer, half away from zero."""
    assert x >= 0
    return math.floor(x + Fraction(1, 2))


# ---------------------------------------------------------------------------------------------
# The studio's clients and engagements. `sim` holds what drives the simulation and the
# bookkeeping habits; everything else goes into the book as is.

# The seller (book version 2): what the studio's invoice drafts carry (`kontingent bill`).
OWNER = {
    "name": "Studio Kranich",
    "address": {"street": "Holm 12", "postcode": "24937", "city": "Flensburg", "country": "DE"},
    "vat_id": "DE298765432", "email": "hallo@studio-kranich.de", "iban": "DE02120300000000202051",
    "invoice_prefix": "RE-2026-", "vat": {"category": "S", "percent": 19},
}


def address(street, postcode, city):
    return {"street": street, "postcode": postcode, "city": city, "country": "DE"}


CLIENTS = [
    {"id": "krueger", "name": "Möbelhaus Krüger & Söhne", "channel": "event",
     "address": address("Industriestraße 4", "24941", "Flensburg"), "vat_id": "DE811234567"},
    {"id": "nordlicht", "name": "Nordlicht Verlag", "channel": "referral",
     "address": address("Große Straße 21", "24937", "Flensburg"), "vat_id": "DE812345678"},
    {"id": "sonnenschein", "name": "Bäckerei Sonnenschein", "channel": "referral",
     "address": address("Angelburger Straße 9", "24937", "Flensburg")},
    {"id": "brandt", "name": "Kanzlei Brandt & Öztürk", "channel": "website",
     "address": address("Holm 40", "24937", "Flensburg"), "vat_id": "DE813456789"},
    {"id": "gruenwerk", "name": "Grünwerk Energie eG", "channel": "social",
     "address": address("Am Windpark 2", "24983", "Handewitt"), "vat_id": "DE814567890"},
    {"id": "zuckerhut", "name": "Café Zuckerhut", "channel": "social",
     "address": address("Norderstraße 55", "24939", "Flensburg")},
    {"id": "hafenkino", "name": "Hafenkino Flensburg e.V.", "channel": "event",
     "address": address("Schiffbrücke 3", "24939", "Flensburg")},
]

PLANS = [
    {
        "id": "krueger-relaunch", "client": "krueger", "title": "Website-Relaunch Möbelhaus",
        "currency": "EUR", "start": "2026-02-02", "end": "2026-09-30", "review_by": "2026-05-29",
        "terms": {"pricing": "fixed", "rate": "95", "fixed_price": "9800", "included_rounds": 2,
                  "extra_round_price": "380",
                  "rounding": {"increment_minutes": 15, "mode": "up"},
                  "call_fee": {"free_minutes": 15, "block_minutes": 30, "fee": "45"},
                  "rush": {"lead_hours": 48, "surcharge_percent": 50},
                  "no_show": {"notice_hours": 24, "fee": "150"}},
        "sim": {"scope_h": 32, "chunk": (15, 100), "call_p": 0.35, "call_len": (20, 105),
                "evening_p": 0.12, "internal_p": 0.5, "end_form": 0.5,
                "revisions": 11, "changes": 6, "rush": 0.55, "declined": 1, "declined_changes": 1,
                "quoted": 2, "rev_min": (60, 260), "change_min": (90, 420), "odd_hours": 0.35,
                "appts": {"kept": 4, "no_show": 3, "late": 2, "early": 1}, "appt_len": (60, 120),
                "travel": True,
                "invoices": ["2026-02-06", "2026-05-29", "2026-10-09"],
                "base_shares": [3, 3, 4],
                "frac": {"revision": 0.35, "change": 0.5, "call": 0, "rush": 0, "no_show": 0},
                "pay": ["late", "partial", "unpaid"]},
    },
    {
        "id": "krueger-anzeigen", "client": "krueger", "title": "Anzeigen & Prospekte",
        "currency": "EUR", "start": "2026-01-07", "end": "2026-12-22", "review_by": "2026-06-30",
        "terms": {"pricing": "hourly", "rate": "95",
                  "rounding": {"increment_minutes": 15, "mode": "up"},
                  "call_fee": {"free_minutes": 10, "block_minutes": 15, "fee": "25"},
                  "rush": {"lead_hours": 24, "surcharge_percent": 30},
                  "no_show": {"notice_hours": 24, "fee": "120"}},
        "sim": {"scope_h": 18, "chunk": (15, 80), "call_p": 0.3, "call_len": (15, 80),
                "evening_p": 0.06, "internal_p": 0.45, "end_form": 0.4,
                "revisions": 15, "changes": 5, "rush": 0.5, "declined": 1, "declined_changes": 0,
                "quoted": 1, "rev_min": (30, 150), "change_min": (60, 240), "odd_hours": 0.3,
                "appts": {"kept": 2, "no_show": 1, "late": 1, "early": 1}, "appt_len": (45, 110),
                "travel": True,
                "invoices": ["2026-02-27", "2026-04-30", "2026-06-30", "2026-08-31", "2026-10-30",
                             "2026-12-31"],
                "frac": {"base": 0.75, "revision": 0.3, "change": 0.6, "call": 0, "rush": 0,
                         "no_show": 0},
                "pay": ["late", "partial", "on_time", "late", "partial", "unpaid"]},
    },
    {
        "id": "nordlicht-buchreihe", "client": "nordlicht", "title": "Reihengestaltung Küstenkrimi",
        "currency": "EUR", "start": "2026-01-12", "end": "2026-07-31",
        "terms": {"pricing": "fixed", "rate": "90", "fixed_price": "12500", "included_rounds": 3,
                  "rounding": {"increment_minutes": 15, "mode": "nearest"},
                  "rush": {"lead_hours": 48, "surcharge_percent": 50}},
        "sim": {"scope_h": 28, "chunk": (30, 110), "call_p": 0.03, "call_len": (10, 20),
                "evening_p": 0, "internal_p": 0.25, "end_form": 0.7,
                "revisions": 2, "changes": 2, "rush": 0, "declined": 0, "declined_changes": 0,
                "quoted": 2, "rev_min": (90, 240), "change_min": (120, 300), "odd_hours": 0,
                "appts": {"kept": 4, "early": 1}, "appt_len": (30, 60), "travel": False,
                "invoices": ["2026-01-16", "2026-04-30", "2026-07-31"],
                "base_shares": [1, 0, 1],
                "frac": {}, "pay": {"on_time": 1}},
    },
    {
        "id": "nordlicht-pflege", "client": "nordlicht", "title": "Verlagswebsite & Newsletter",
        "currency": "EUR", "start": "2026-01-01", "review_by": "2027-03-31",
        "terms": {"pricing": "retainer", "rate": "90", "contingent_hours": 12,
                  "contingent_price": "990", "rollover_max_hours": 6,
                  "rounding": {"increment_minutes": 6, "mode": "nearest"}},
        "sim": {"scope_h": 9.5, "chunk": (15, 60), "call_p": 0.03, "call_len": (10, 20),
                "evening_p": 0, "internal_p": 0.25, "end_form": 0.7,
                "revisions": 0, "changes": 3, "rush": 0, "declined": 0, "declined_changes": 0,
                "quoted": 3, "rev_min": (0, 0), "change_min": (120, 360), "odd_hours": 0,
                "appts": {"kept": 4}, "appt_len": (30, 50), "travel": False,
                "invoices": "monthly", "frac": {}, "pay": {"on_time": 1}},
    },
    {
        "id": "sonnenschein-verpackung", "client": "sonnenschein",
        "title": "Verpackungslinie Brot & Kuchen", "currency": "EUR",
        "start": "2026-01-05", "end": "2026-06-30", "review_by": "2026-03-13",
        "terms": {"pricing": "fixed", "rate": "85", "fixed_price": "6400", "included_rounds": 2,
                  "extra_round_price": "300",
                  "rounding": {"increment_minutes": 15, "mode": "up"}},
        "sim": {"scope_h": 20, "chunk": (20, 90), "call_p": 0.08, "call_len": (10, 35),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.3,
                "revisions": 4, "changes": 2, "rush": 0, "declined": 0, "declined_changes": 0,
                "quoted": 1, "rev_min": (60, 200), "change_min": (90, 240), "odd_hours": 0,
                "appts": {"kept": 3, "early": 1}, "appt_len": (40, 80), "travel": True,
                "invoices": ["2026-01-16", "2026-06-30"], "base_shares": [1, 1],
                "frac": {"revision": 0.5}, "pay": {"on_time": 3, "late": 1}},
    },
    {
        "id": "sonnenschein-advent", "client": "sonnenschein", "title": "Adventskampagne",
        "currency": "EUR", "start": "2026-10-01", "end": "2026-12-18",
        "terms": {"pricing": "fixed", "rate": "85", "fixed_price": "4200", "included_rounds": 2,
                  "extra_round_price": "300",
                  "rounding": {"increment_minutes": 10, "mode": "up"},
                  "rush": {"lead_hours": 48, "surcharge_percent": 30}},
        "sim": {"scope_h": 30, "chunk": (20, 90), "call_p": 0.1, "call_len": (10, 35),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.3,
                "revisions": 4, "changes": 2, "rush": 0.3, "declined": 0, "declined_changes": 0,
                "quoted": 1, "rev_min": (45, 150), "change_min": (60, 200), "odd_hours": 0,
                "appts": {"kept": 2, "early": 1}, "appt_len": (40, 80), "travel": True,
                "invoices": ["2026-10-02", "2026-12-18"], "base_shares": [1, 1],
                "frac": {"revision": 0.5, "rush": 0}, "pay": {"on_time": 1}},
    },
    {
        "id": "brandt-website", "client": "brandt", "title": "Kanzleiwebsite (Stundenkontingent)",
        "currency": "EUR", "start": "2026-03-02", "end": "2026-10-30", "review_by": "2026-06-30",
        "terms": {"pricing": "contingent", "rate": "110", "contingent_hours": 60,
                  "contingent_price": "6000", "included_rounds": 2,
                  "rounding": {"increment_minutes": 10, "mode": "down"},
                  "call_fee": {"free_minutes": 30, "block_minutes": 30, "fee": "55"},
                  "rush": {"lead_hours": 72, "surcharge_percent": 25},
                  "no_show": {"notice_hours": 48, "fee": "110"}},
        "sim": {"scope_h": 12, "chunk": (20, 80), "call_p": 0.1, "call_len": (15, 60),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.5,
                "revisions": 3, "changes": 3, "rush": 0.34, "declined": 0, "declined_changes": 1,
                "quoted": 1, "rev_min": (60, 180), "change_min": (120, 300), "odd_hours": 0,
                "appts": {"kept": 3, "no_show": 1, "late": 1}, "appt_len": (45, 90),
                "travel": False,
                "invoices": ["2026-03-06", "2026-06-30", "2026-10-30"], "base_shares": [1, 0, 0],
                "frac": {"overage": 0.6, "call": 0, "rush": 0.5},
                "pay": {"on_time": 3, "late": 1}},
    },
    {
        "id": "gruenwerk-social", "client": "gruenwerk", "title": "Social-Media-Betreuung",
        "currency": "EUR", "start": "2026-02-01", "end": "2026-11-30",
        "terms": {"pricing": "retainer", "rate": "85", "contingent_hours": 16,
                  "contingent_price": "1250", "included_rounds": 8,
                  "rounding": {"increment_minutes": 15, "mode": "nearest"},
                  "rush": {"lead_hours": 24, "surcharge_percent": 40}},
        "sim": {"scope_h": 15, "chunk": (15, 70), "call_p": 0.1, "call_len": (10, 40),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.6,
                "revisions": 11, "changes": 2, "rush": 0.25, "declined": 0, "declined_changes": 0,
                "quoted": 1, "rev_min": (30, 120), "change_min": (120, 240), "odd_hours": 0,
                "appts": {"kept": 5, "early": 1}, "appt_len": (30, 60), "travel": False,
                "invoices": "monthly",
                "frac": {"overage": 0.5, "revision": 0.5, "rush": 0},
                "pay": {"on_time": 6, "late": 2}},
    },
    {
        "id": "gruenwerk-messe", "client": "gruenwerk", "title": "Messestand Husum Wind",
        "currency": "EUR", "start": "2026-03-16", "end": "2026-05-29", "review_by": "2026-04-15",
        "terms": {"pricing": "hourly", "rate": "85", "included_rounds": 1,
                  "rounding": {"increment_minutes": 5, "mode": "up"}},
        "sim": {"scope_h": 28, "chunk": (20, 100), "call_p": 0.15, "call_len": (10, 40),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.6,
                "revisions": 3, "changes": 2, "rush": 0, "declined": 0, "declined_changes": 0,
                "quoted": 0, "rev_min": (45, 150), "change_min": (60, 200), "odd_hours": 0,
                "appts": {"kept": 2}, "appt_len": (45, 90), "travel": False,
                "invoices": ["2026-04-30", "2026-05-29"],
                "frac": {"base": 0.9}, "pay": {"on_time": 1}},
    },
    {
        "id": "gruenwerk-jahresbericht", "client": "gruenwerk", "title": "Geschäftsbericht 2026",
        "currency": "EUR", "start": "2026-09-14", "end": "2026-12-18", "review_by": "2026-11-13",
        "terms": {"pricing": "contingent", "rate": "85", "contingent_hours": 40,
                  "contingent_price": "3200", "included_rounds": 2,
                  "rounding": {"increment_minutes": 15, "mode": "nearest"}},
        "sim": {"scope_h": 22, "chunk": (20, 100), "call_p": 0.12, "call_len": (10, 40),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.6,
                "revisions": 3, "changes": 2, "rush": 0, "declined": 0, "declined_changes": 0,
                "quoted": 0, "rev_min": (60, 180), "change_min": (60, 200), "odd_hours": 0,
                "appts": {"kept": 3}, "appt_len": (45, 90), "travel": False,
                "invoices": ["2026-09-18", "2026-12-18"], "base_shares": [1, 0],
                "frac": {"overage": 0.5}, "pay": {"on_time": 1}},
    },
    {
        "id": "zuckerhut-speisekarte", "client": "zuckerhut", "title": "Speisekarten & Schilder",
        "currency": "EUR", "start": "2026-04-13", "end": "2026-12-18",
        "terms": {"pricing": "hourly", "rate": "75",
                  "no_show": {"notice_hours": 12, "fee": "60"}},
        "sim": {"scope_h": 10, "chunk": (15, 60), "call_p": 0.06, "call_len": (10, 30),
                "evening_p": 0, "internal_p": 0.2, "end_form": 0.3,
                "revisions": 2, "changes": 1, "rush": 0, "declined": 0, "declined_changes": 1,
                "quoted": 0, "rev_min": (30, 90), "change_min": (60, 120), "odd_hours": 0,
                "appts": {"kept": 2, "late": 1}, "appt_len": (30, 60), "travel": False,
                "invoices": ["2026-05-29", "2026-07-31", "2026-09-30", "2026-11-30", "2026-12-18"],
                "frac": {"base": 0.95, "no_show": 0}, "pay": {"on_time": 4, "late": 1}},
    },
    {
        "id": "hafenkino-festival", "client": "hafenkino", "title": "Erscheinungsbild Kurzfilmfest",
        "currency": "EUR", "start": "2026-05-04", "end": "2026-09-11", "review_by": "2026-07-03",
        "terms": {"pricing": "contingent", "rate": "90", "contingent_hours": 45,
                  "contingent_price": "3800", "included_rounds": 3, "extra_round_price": "250",
                  "rush": {"lead_hours": 48, "surcharge_percent": 50}},
        "sim": {"scope_h": 16, "chunk": (20, 90), "call_p": 0.08, "call_len": (10, 45),
                "evening_p": 0, "internal_p": 0.3, "end_form": 0.5,
                "revisions": 5, "changes": 2, "rush": 0.4, "declined": 0, "declined_changes": 0,
                "quoted": 1, "rev_min": (60, 180), "change_min": (90, 240), "odd_hours": 0.1,
                "appts": {"kept": 3}, "appt_len": (45, 90), "travel": False,
                "invoices": ["2026-05-08", "2026-09-11"], "base_shares": [1, 0],
                "frac": {"overage": 0.7, "change": 0.8, "rush": 0},
                "pay": {"on_time": 1, "unpaid": 1}},
    },
]

NOTES = {
    "krueger-relaunch": ["product page templates", "showroom photo selection", "navigation concept",
                         "style guide", "branch finder", "homepage hero variants", "icon set",
                         "kitchen planner teaser", "sofa configurator mockups", "footer & legal"],
    "krueger-anzeigen": ["weekend flyer", "newspaper ad 1/2 page", "Instagram carousel",
                         "sale poster A1", "catalogue spread", "mailing insert", "banner set"],
    "nordlicht-buchreihe": ["cover sketches vol. 1", "series spine system", "interior typography",
                            "typesetting vol. 2", "cover vol. 3", "proof check", "map of the coast"],
    "nordlicht-pflege": ["new releases page", "author portraits", "newsletter", "catalogue PDF",
                         "event calendar", "CMS updates"],
    "sonnenschein-advent": ["advent calendar poster", "stollen label", "shop window", "flyer",
                            "social posts", "gift voucher"],
    "gruenwerk-jahresbericht": ["report grid", "charts", "photo edit", "typesetting",
                                "cover", "print files"],
    "sonnenschein-verpackung": ["bread bag dieline", "cake box artwork", "label system",
                                "wheat illustration", "print proof", "coffee cup sleeve"],
    "brandt-website": ["practice area pages", "portrait retouching", "accessibility check",
                       "contact form design", "team page", "imprint & privacy layout"],
    "gruenwerk-social": ["weekly posts", "story templates", "reel covers", "infographic solar",
                         "member portrait series", "campaign visuals"],
    "gruenwerk-messe": ["booth rendering", "wall graphics 3 x 2.5 m", "roll-ups", "giveaway design",
                        "print files", "counter graphics"],
    "zuckerhut-speisekarte": ["menu layout", "seasonal menu", "chalkboard lettering",
                              "window sticker", "cake labels"],
    "hafenkino-festival": ["festival key visual", "programme booklet", "poster series",
                           "ticket design", "badges & lanyards", "trailer title cards"],
}
DRAIN_CALL_NOTES = ["venting about their week", "long call, mostly about the competitor",
                    "'quick question' (it was not)", "Mr Krüger re-explains the brief",
                    "the nephew has opinions about the logo", "colours again",
                    "complaint about the printer, not about us", None, None]
CALL_NOTES = ["short check-in", "schedule sync", "feedback call", None, None, None]
INTERNAL_NOTES = ["invoicing", "e-mail triage", "file prep & export", "print shop coordination",
                  "backup & archive", "quote writing", None]


# ---------------------------------------------------------------------------------------------
# Simulation

class Plan:
    def __init__(self, raw):
        self.raw = raw
        self.id = raw["id"]
        self.sim = raw["sim"]
        self.start = D(raw["start"])
        self.end = D(raw["end"]) if "end" in raw else YEAR_END
        self.terms = raw["terms"]
        self.requests = []        # book objects (with private "_" keys until written)
        self.queue = []           # pending work chunks [request, earliest datetime, minutes]
        self.entries = []         # (start datetime, minutes, kind, request id, note)
        self.appointments = []
        self.month_factor = {m: rng.uniform(0.7, 1.3) for m in range(1, 13)}

    def active(self, d):
        return self.start <= d <= self.end


PLANS_BY_ID = {}
plans = []
for raw in PLANS:
    p = Plan(raw)
    plans.append(p)
    PLANS_BY_ID[p.id] = p


def split_minutes(total, lo=25, hi=110):
    chunks = []
    while total > 0:
        c = min(total, rng.randint(lo, hi))
        if total - c < 15:
            c = total
        chunks.append(c)
        total -= c
    return chunks


def make_requests(p):
    s = p.sim
    kinds = ["revision"] * s["revisions"] + ["change"] * s["changes"]
    if not kinds:
        return
    first = p.start + dt.timedelta(days=10)
    last = min(p.end, LAST_WORKDAY) - dt.timedelta(days=12)
    days = [d for d in WORKDAYS if first <= d <= last]
    picked = sorted(rng.sample(days, len(kinds)))
    rng.shuffle(kinds)
    lead = p.terms.get("rush", {}).get("lead_hours")
    reqs = []
    for d, kind in zip(picked, kinds):
        if rng.random() < s["odd_hours"]:
            # the draining client mails on Saturday night or late in the evening
            if rng.random() < 0.5 and d.weekday() == 4:
                d = d + dt.timedelta(days=1)
            received = at_minute(d, rng.randint(19 * 12, 23 * 12) * 5)
        else:
            received = at_minute(d, rng.randint(8 * 12, 17 * 12) * 5)
        reqs.append({"kind": kind, "received": received})
    # which are rush / declined / quoted
    idx_rev = [i for i, r in enumerate(reqs) if r["kind"] == "revision"]
    idx_chg = [i for i, r in enumerate(reqs) if r["kind"] == "change"]
    declined = set(rng.sample(idx_rev, s["declined"])) | set(rng.sample(idx_chg, s["declined_changes"]))
    live_chg = [i for i in idx_chg if i not in declined]
    quoted = set(rng.sample(live_chg, min(s["quoted"], len(live_chg))))
    live = [i for i in range(len(reqs)) if i not in declined]
    n_rush = round(s["rush"] * len(live)) if lead else 0
    rush = set(rng.sample(live, n_rush))
    for i, r in enumerate(reqs):
        r["declined"] = i in declined
        r["rush"] = i in rush
        if i in rush:
            r["due"] = r["received"] + dt.timedelta(minutes=rng.randint(int(lead * 0.25 * 4), int(lead * 0.85 * 4)) * 15)
        elif rng.random() < 0.8:
            floor_h = max(lead or 0, 72)
            r["due"] = r["received"] + dt.timedelta(hours=floor_h + 24 * rng.randint(0, 9))
            r["due"] = r["due"].replace(hour=rng.choice([9, 12, 17]), minute=0)
            if lead and (r["due"] - r["received"]).total_seconds() < lead * 3600:
                r["due"] += dt.timedelta(days=1)
        if i in quoted:
            r["quote"] = rng.choice([240, 280, 350, 420, 480, 560, 640, 750, 890]) * 100
            if rng.random() < 0.3:
                r["quote"] += 50
    counters = {"revision": 0, "change": 0}
    for r in reqs:
        counters[r["kind"]] += 1
        rid = ("R" if r["kind"] == "revision" else "C") + str(counters[r["kind"]])
        obj = {"id": rid, "kind": r["kind"], "received": fmt_dt(r["received"])}
        if "due" in r:
            obj["due"] = fmt_dt(r["due"])
        if "quote" in r:
            obj["quote"] = money(r["quote"])
        if r["declined"]:
            obj["declined"] = True
        p.requests.append(obj)
        # the work it causes
        lo, hi = s["rev_min"] if r["kind"] == "revision" else s["change_min"]
        if r["declined"]:
            # a declined request usually costs nothing - except the one the drain declined
            # after the studio had already started on it
            total = rng.randint(35, 70) if p.raw["client"] == DRAIN else 0
        else:
            total = rng.randint(lo, hi)
        if total == 0:
            continue
        if r["rush"]:
            earliest = r["received"] + dt.timedelta(minutes=rng.randint(15, 60))
        else:
            earliest = at_minute(next_workday(r["received"].date()), 8 * 60)
            for _ in range(rng.randint(0, 2)):
                earliest = at_minute(next_workday(earliest.date()), 8 * 60)
        if not is_workday(earliest.date()) or earliest.hour >= 18:
            earliest = at_minute(next_workday(earliest.date()), 8 * 60)
        for c in split_minutes(total, 25, 100):
            p.queue.append({"req": obj, "earliest": earliest, "minutes": c, "rush": r["rush"]})


for p in plans:
    make_requests(p)

# Appointments: at most one per day in the whole studio, so their blocks never collide.
appt_days = {}
APPT_TIMES = [9 * 60 + 30, 10 * 60, 11 * 60, 14 * 60, 15 * 60, 16 * 60]
for p in plans:
    statuses = []
    for st, n in p.sim["appts"].items():
        statuses += [st] * n
    days = [d for d in WORKDAYS if p.start + dt.timedelta(days=3) <= d <= p.end - dt.timedelta(days=3)
            and d not in appt_days]
    picked = sorted(rng.sample(days, len(statuses)))
    rng.shuffle(statuses)
    notice = p.terms.get("no_show", {}).get("notice_hours", 24)
    for d, st in zip(picked, statuses):
        minute = rng.choice(APPT_TIMES)
        at = at_minute(d, minute)
        appt = {"at": fmt_dt(at), "status": "cancelled" if st in ("late", "early") else st}
        if st == "late":
            appt["cancelled"] = fmt_dt(at - dt.timedelta(minutes=rng.randint(12, (notice - 1) * 12) * 5))
        elif st == "early":
            appt["cancelled"] = fmt_dt(at - dt.timedelta(hours=notice + rng.randint(24, 120)))
        p.appointments.append(appt)
        appt_days[d] = (p, appt, minute)


DAY_START, DAY_END = 8 * 60 + 30, 18 * 60 + 30
LUNCH = (12 * 60 + 30, 13 * 60 + 15)
MEAN_DAYS_PER_MONTH = len(WORKDAYS) / 11.2


def place(occupied, earliest, dur):
    """First fit of `dur` minutes at or after `earliest` on a day's occupied intervals."""
    pos = earliest
    moved = True
    while moved:
        moved = False
        for s, e in occupied:
            if pos < e and pos + dur > s:
                pos = e
                moved = True
    if pos + dur > DAY_END:
        return None
    return pos


def gap():
    return rng.choice([0, 0, 5, 5, 10, 15])


for d in WORKDAYS:
    active = [p for p in plans if p.active(d)]
    occupied = [LUNCH]
    evening = False  # at most one evening call a day
    # fixed blocks: appointments (with travel), the drain's evening calls
    if d in appt_days:
        p, appt, minute = appt_days[d]
        lo, hi = p.sim["appt_len"]
        if appt["status"] == "kept":
            dur = rng.randint(lo, hi)
            if p.sim["travel"]:
                t1, t2 = rng.randint(20, 35), rng.randint(20, 35)
                p.entries.append((at_minute(d, minute - t1), t1, "internal", None, "travel to client"))
                p.entries.append((at_minute(d, minute + dur), t2, "internal", None, "travel back"))
                occupied.append((minute - t1, minute + dur + t2))
            else:
                occupied.append((minute, minute + dur))
            p.entries.append((at_minute(d, minute), dur, "call", None,
                              rng.choice(["meeting: review", "workshop", "presentation"])))
        elif appt["status"] == "no_show":
            dur = rng.randint(20, 30)
            p.entries.append((at_minute(d, minute), dur, "internal", None, "waited, client did not show"))
            occupied.append((minute, minute + dur))
    for p in active:
        if p.sim["evening_p"] and rng.random() < p.sim["evening_p"] and not evening:
            evening = True
            s = rng.randint(18 * 12 + 9, 20 * 12) * 5
            dur = rng.randint(35, 95)
            p.entries.append((at_minute(d, s), dur, "call", None, "evening call, " + rng.choice(
                ["mostly venting", "about the weekend sale", "wants it 'a bit more modern'"])))
    tasks = []
    for p in active:
        # request work: rush first, at most two chunks of each request a day
        per_req = {}
        for item in p.queue:
            if item["earliest"].date() <= d and per_req.get(item["req"]["id"], 0) < 2:
                per_req[item["req"]["id"]] = per_req.get(item["req"]["id"], 0) + 1
                tasks.append({"p": p, "item": item, "pri": 0 if item["rush"] else 1})
        s = p.sim
        lo, hi = s["chunk"]
        expect = s["scope_h"] * p.month_factor[d.month] * 60 / (MEAN_DAYS_PER_MONTH * (lo + hi) / 2)
        n = int(expect) + (rng.random() < expect - int(expect))
        notes = NOTES[p.id]
        for _ in range(n):
            tasks.append({"p": p, "kind": "scope", "dur": rng.randint(lo, hi), "pri": 2,
                          "note": rng.choice(notes) if rng.random() < 0.7 else None})
        if rng.random() < s["call_p"]:
            lo, hi = s["call_len"]
            pool = DRAIN_CALL_NOTES if p.raw["client"] == DRAIN else CALL_NOTES
            tasks.append({"p": p, "kind": "call", "dur": rng.randint(lo, hi), "pri": 2,
                          "note": rng.choice(pool)})
        if rng.random() < s["internal_p"]:
            tasks.append({"p": p, "kind": "internal", "dur": rng.randint(8, 35), "pri": 2,
                          "note": rng.choice(INTERNAL_NOTES)})
    rng.shuffle(tasks)
    tasks.sort(key=lambda t: t["pri"])
    start_of_day = DAY_START + rng.choice([0, 0, 5, 10, 15, 20, 30])
    for t in tasks:
        p = t["p"]
        if "item" in t:
            item = t["item"]
            earliest = start_of_day
            if item["earliest"].date() == d:
                earliest = max(earliest, item["earliest"].hour * 60 + item["earliest"].minute)
            pos = place(occupied, earliest, item["minutes"])
            if pos is None:
                continue
            p.queue.remove(item)
            req = item["req"]
            note = None
            if rng.random() < 0.5:
                note = ("feedback round" if req["kind"] == "revision" else
                        rng.choice(["additional format", "extra page", "new requirement"]))
            p.entries.append((at_minute(d, pos), item["minutes"], req["kind"], req["id"], note))
            occupied.append((pos, pos + item["minutes"] + gap()))
        else:
            pos = place(occupied, start_of_day, t["dur"])
            if pos is None:
                continue
            p.entries.append((at_minute(d, pos), t["dur"], t["kind"], None, t["note"]))
            occupied.append((pos, pos + t["dur"] + gap()))

# The one deliberate overlap: a call logged inside a relaunch scope block.
p = PLANS_BY_ID[OVERLAP_ENGAGEMENT]
host = max((e for e in p.entries if e[2] == "scope" and e[0].month == 6), key=lambda e: (e[1], e[0]))
assert host[1] >= 60
p.entries.append((host[0] + dt.timedelta(minutes=host[1] // 3), 20, "call", None,
                  "took Mr Krüger's call while exporting - logged twice"))


# ---------------------------------------------------------------------------------------------
# Billing as docs/formats.md defines it (used to write the invoices and by the self-check).

def entry_seconds(e):
    if "minutes" in e:
        return e["minutes"] * 60
    return int((dt.datetime.fromisoformat(e["end"]) - dt.datetime.fromisoformat(e["start"])).total_seconds())


def rounded_seconds(s, terms):
    r = terms.get("rounding")
    if not r:
        return s
    inc = r["increment_minutes"] * 60
    if r["mode"] == "up":
        return -(-s // inc) * inc
    if r["mode"] == "down":
        return s // inc * inc
    return (s + inc // 2) // inc * inc


def months_between(a, b):
    """Calendar months from a's month to b's month, inclusive, as (year, month) pairs."""
    out = []
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


CATEGORIES = ["base", "overage", "revision", "change", "call", "rush", "no_show"]


def billable(eng, as_of):
    t = eng["terms"]
    rate = cents(t["rate"])
    day = lambda s: D(s[:10])
    reqs = [r for r in eng["requests"] if day(r["received"]) <= as_of]
    req_by_id = {r["id"]: r for r in reqs}
    entries = [e for e in eng["entries"] if day(e["start"]) <= as_of]
    rounds = sorted((r for r in reqs if r["kind"] == "revision" and not r.get("declined")),
                    key=lambda r: (r["received"], r["id"]))
    included = t.get("included_rounds", 0)
    round_no = {r["id"]: n for n, r in enumerate(rounds, 1)}

    def billable_request(e):
        r = req_by_id.get(e.get("request"))
        return r is not None and not r.get("declined")

    def covered(e):
        if e["kind"] == "scope":
            return True
        if e["kind"] == "revision":
            return billable_request(e) and round_no[e["request"]] <= included
        return e["kind"] == "call" and "call_fee" not in t

    out = dict.fromkeys(CATEGORIES, 0)
    cov = [e for e in entries if covered(e)]
    cov_s = sum(rounded_seconds(entry_seconds(e), t) for e in cov)
    pricing = t["pricing"]
    if pricing == "fixed":
        out["base"] = cents(t["fixed_price"])
    elif pricing == "contingent":
        out["base"] = cents(t["contingent_price"])
        over = max(0, cov_s - Fraction(str(t["contingent_hours"])) * 3600)
        out["overage"] = round_half_away(rate * over / 3600)
    elif pricing == "retainer":
        last = min(D(eng["end"]) if "end" in eng else as_of, as_of)
        months = months_between(D(eng["start"]), last)
        out["base"] = cents(t["contingent_price"]) * len(months)
        hours = Fraction(str(t["contingent_hours"])) * 3600
        cap = Fraction(str(t.get("rollover_max_hours", 0))) * 3600
        carry, over = 0, 0
        for ym in months:
            used = sum(rounded_seconds(entry_seconds(e), t) for e in cov
                       if (int(e["start"][:4]), int(e["start"][5:7])) == ym)
            avail = hours + carry
            over += max(0, used - avail)
            carry = min(cap, max(0, avail - used))
        out["overage"] = round_half_away(rate * over / 3600)
    else:
        out["base"] = round_half_away(Fraction(rate * cov_s, 3600))
    extra_rounds = [r for r in rounds if round_no[r["id"]] > included]
    if "extra_round_price" in t:
        out["revision"] = cents(t["extra_round_price"]) * len(extra_rounds)
    else:
        extra_ids = {r["id"] for r in extra_rounds}
        s = sum(rounded_seconds(entry_seconds(e), t) for e in entries
                if e["kind"] == "revision" and e["request"] in extra_ids)
        out["revision"] = round_half_away(Fraction(rate * s, 3600))
    changes = [r for r in reqs if r["kind"] == "change" and not r.get("declined")]
    unquoted = {r["id"] for r in changes if "quote" not in r}
    s = sum(rounded_seconds(entry_seconds(e), t) for e in entries
            if e["kind"] == "change" and e["request"] in unquoted)
    out["change"] = sum(cents(r["quote"]) for r in changes if "quote" in r) + \
        round_half_away(Fraction(rate * s, 3600))
    if "call_fee" in t:
        cf = t["call_fee"]
        for e in entries:
            if e["kind"] == "call":
                c = max(0, entry_seconds(e) - cf["free_minutes"] * 60)
                out["call"] += -(-c // (cf["block_minutes"] * 60)) * cents(cf["fee"])
    if "rush" in t:
        lead = Fraction(str(t["rush"]["lead_hours"])) * 3600
        rush_ids = {r["id"] for r in reqs if not r.get("declined") and "due" in r and
                    (dt.datetime.fromisoformat(r["due"]) - dt.datetime.fromisoformat(r["received"])).total_seconds() < lead}
        s = sum(rounded_seconds(entry_seconds(e), t) for e in entries if e.get("request") in rush_ids)
        pct = Fraction(str(t["rush"]["surcharge_percent"]))
        out["rush"] = round_half_away(rate * pct * s / (100 * 3600))
    if "no_show" in t:
        ns = t["no_show"]
        notice = Fraction(str(ns["notice_hours"])) * 3600
        n = 0
        for a in eng["appointments"]:
            if day(a["at"]) > as_of:
                continue
            if a["status"] == "no_show":
                n += 1
            elif a["status"] == "cancelled" and (dt.datetime.fromisoformat(a["at"]) -
                                                 dt.datetime.fromisoformat(a["cancelled"])).total_seconds() < notice:
                n += 1
        out["no_show"] = n * cents(ns["fee"])
    return out


def invoiced(eng, as_of):
    out = dict.fromkeys(CATEGORIES, 0)
    for inv in eng["invoices"]:
        if D(inv["date"]) <= as_of:
            for line in inv["lines"]:
                out[line["category"]] += cents(line["amount"])
    return out


# ---------------------------------------------------------------------------------------------
# Book objects in the book format's key order

book_engagements = []
for p in plans:
    raw = p.raw
    eng = {"id": raw["id"], "client": raw["client"], "title": raw["title"],
           "currency": raw["currency"], "start": raw["start"]}
    if "end" in raw:
        eng["end"] = raw["end"]
    if "review_by" in raw:
        eng["review_by"] = raw["review_by"]
    eng["terms"] = raw["terms"]
    eng["requests"] = p.requests
    entries = []
    for start, minutes, kind, req, note in sorted(p.entries, key=lambda e: (e[0], e[1])):
        e = {"start": fmt_dt(start)}
        if rng.random() < p.sim["end_form"]:
            e["end"] = fmt_dt(start + dt.timedelta(minutes=minutes))
        else:
            e["minutes"] = minutes
        e["kind"] = kind
        if req:
            e["request"] = req
        if note:
            e["note"] = note
        entries.append(e)
    eng["entries"] = entries
    eng["appointments"] = p.appointments
    eng["invoices"] = []
    eng["payments"] = []
    book_engagements.append(eng)

# Invoices: what the terms make billable by the invoice date, minus what was billed before,
# times the studio's habit for that client (1 = bills everything; less = forgets or gives away).
all_invoices = []
for p, eng in zip(plans, book_engagements):
    s = p.sim
    t = eng["terms"]
    dates = s["invoices"]
    if dates == "monthly":
        last = min(p.end, YEAR_END)
        dates = [month_end(dt.date(YEAR, m, 1)) for m in range(p.start.month, last.month + 1)]
    else:
        dates = [D(x) for x in dates]
    shares = s.get("base_shares")
    for i, d in enumerate(dates):
        due = billable(eng, d)
        done = invoiced(eng, d)
        lines = []
        for cat in CATEGORIES:
            if cat == "base" and shares:
                price = due["base"]
                amount = price * sum(shares[:i + 1]) // sum(shares) - done["base"]
            else:
                f = s["frac"].get(cat, 1)
                target = due[cat] if f == 1 else int(due[cat] * f) // 100 * 100
                if cat == "revision" and "extra_round_price" in t and f != 1:
                    unit = cents(t["extra_round_price"])
                    target = int(due[cat] * f) // unit * unit
                amount = target - done[cat]
            if amount > 0:
                lines.append({"category": cat, "amount": money(amount)})
        if lines:
            inv = {"id": None, "date": d.isoformat(), "lines": lines}
            eng["invoices"].append(inv)
            all_invoices.append((d, len(all_invoices), eng, inv))

# Invoice numbers are the studio's, sequential over the year.
for n, (d, _, eng, inv) in enumerate(sorted(all_invoices, key=lambda x: (x[0], x[1])), 1):
    inv["id"] = f"RE-2026-{n:03d}"

# Payments
for p, eng in zip(plans, book_engagements):
    # a list is the client's behaviour invoice by invoice; a dict weighs habits at random
    pay = p.sim["pay"]
    habits = pay if isinstance(pay, list) else [h for h, w in pay.items() for _ in range(w)]
    for k, inv in enumerate(eng["invoices"]):
        total = sum(cents(l["amount"]) for l in inv["lines"])
        d = D(inv["date"])
        habit = habits[k] if isinstance(pay, list) else rng.choice(habits)
        pays = []
        if habit == "on_time":
            pays.append((d + dt.timedelta(days=rng.randint(5, 21)), total))
        elif habit == "late":
            pays.append((d + dt.timedelta(days=rng.randint(40, 95)), total))
        elif habit == "partial":
            first = total * rng.randint(40, 75) // 100 // 100 * 100
            pays.append((d + dt.timedelta(days=rng.randint(25, 70)), first))
            if rng.random() < 0.5:
                pays.append((d + dt.timedelta(days=rng.randint(100, 160)), total - first))
        for pd, amount in pays:
            if pd <= YEAR_END and amount > 0:
                eng["payments"].append({"invoice": inv["id"], "date": pd.isoformat(),
                                        "amount": money(amount)})
    eng["payments"].sort(key=lambda x: (x["date"], x["invoice"]))

book = {"format": "kontingent-book/2", "owner": OWNER, "clients": CLIENTS, "engagements": book_engagements}


# ---------------------------------------------------------------------------------------------
# Self-check: docs/formats.md rules plus the story this book has to tell.

KEY_ORDER = {
    "book": ["format", "owner", "clients", "engagements"],
    "client": ["id", "name", "channel", "address", "vat_id", "email", "buyer_reference", "payment_days"],
    "engagement": ["id", "client", "title", "currency", "start", "end", "review_by", "terms",
                   "requests", "entries", "appointments", "invoices", "payments"],
    "terms": ["pricing", "rate", "fixed_price", "contingent_hours", "contingent_price",
              "rollover_max_hours", "included_rounds", "extra_round_price", "rounding",
              "call_fee", "rush", "no_show"],
    "rounding": ["increment_minutes", "mode"],
    "call_fee": ["free_minutes", "block_minutes", "fee"],
    "rush": ["lead_hours", "surcharge_percent"],
    "no_show": ["notice_hours", "fee"],
    "request": ["id", "kind", "received", "due", "quote", "declined"],
    "entry": ["start", "end", "minutes", "kind", "request", "note"],
    "appointment": ["at", "status", "cancelled"],
    "invoice": ["id", "date", "lines"],
    "line": ["category", "amount"],
    "payment": ["invoice", "date", "amount"],
}
REQUIRED = {
    "book": ["format", "clients", "engagements"], "client": ["id", "name"],
    "engagement": ["id", "client", "currency", "start", "terms"],
    "terms": ["pricing", "rate"], "rounding": ["increment_minutes", "mode"],
    "call_fee": ["free_minutes", "block_minutes", "fee"], "rush": ["lead_hours", "surcharge_percent"],
    "no_show": ["notice_hours", "fee"], "request": ["id", "kind", "received"],
    "entry": ["start", "kind"], "appointment": ["at", "status"], "invoice": ["id", "date", "lines"],
    "line": ["category", "amount"], "payment": ["invoice", "date", "amount"],
}
MONEY_RE = re.compile(r"\d+(\.\d{1,2})?")
TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_keys(obj, what, where):
    keys = list(obj)
    order = KEY_ORDER[what]
    assert all(k in order for k in keys), f"{where}: unknown field in {keys}"
    assert keys == [k for k in order if k in obj], f"{where}: key order {keys}"
    for k in REQUIRED[what]:
        assert k in obj, f"{where}: missing {k}"


def check_money(v, where):
    assert isinstance(v, str) and MONEY_RE.fullmatch(v), f"{where}: bad money {v!r}"


def check_number(v, where, positive=False):
    assert isinstance(v, (int, float)) and not isinstance(v, bool), f"{where}: not a number"
    assert v > 0 if positive else v >= 0, f"{where}: out of range"


def check_time(v, where):
    assert isinstance(v, str) and TIME_RE.fullmatch(v), f"{where}: bad time {v!r}"
    return dt.datetime.fromisoformat(v)


def check_date(v, where):
    assert isinstance(v, str) and DATE_RE.fullmatch(v), f"{where}: bad date {v!r}"
    return D(v)


def self_check(book):
    check_keys(book, "book", "book")
    assert book["format"] == "kontingent-book/2"
    client_ids = [c["id"] for c in book["clients"]]
    assert len(set(client_ids)) == len(client_ids)
    for i, c in enumerate(book["clients"]):
        check_keys(c, "client", f"clients[{i}]")
    eng_ids = [e["id"] for e in book["engagements"]]
    assert len(set(eng_ids)) == len(eng_ids)
    inv_ids = [inv["id"] for e in book["engagements"] for inv in e["invoices"]]
    assert len(set(inv_ids)) == len(inv_ids), "invoice ids must be unique in the book"
    overlaps = {}
    event_dates = []
    for ei, eng in enumerate(book["engagements"]):
        w = f"engagements[{ei}]"
        check_keys(eng, "engagement", w)
        assert eng["client"] in client_ids
        assert re.fullmatch(r"[A-Z]{3}", eng["currency"])
        start = check_date(eng["start"], w)
        end = check_date(eng["end"], w) if "end" in eng else None
        assert end is None or end >= start
        if "review_by" in eng:
            check_date(eng["review_by"], w)
        t = eng["terms"]
        check_keys(t, "terms", w + ".terms")
        pricing = t["pricing"]
        assert pricing in ("fixed", "contingent", "retainer", "hourly")
        check_money(t["rate"], w)
        assert ("fixed_price" in t) == (pricing == "fixed")
        assert ("contingent_hours" in t) == ("contingent_price" in t) == (pricing in ("contingent", "retainer"))
        assert "rollover_max_hours" not in t or pricing == "retainer"
        for k in ("fixed_price", "contingent_price", "extra_round_price"):
            if k in t:
                check_money(t[k], w)
        if "contingent_hours" in t:
            check_number(t["contingent_hours"], w, positive=True)
        if "rollover_max_hours" in t:
            check_number(t["rollover_max_hours"], w)
        if "included_rounds" in t:
            assert isinstance(t["included_rounds"], int) and t["included_rounds"] >= 0
        for sub in ("rounding", "call_fee", "rush", "no_show"):
            if sub in t:
                check_keys(t[sub], sub, f"{w}.terms.{sub}")
        if "rounding" in t:
            assert isinstance(t["rounding"]["increment_minutes"], int) and t["rounding"]["increment_minutes"] > 0
            assert t["rounding"]["mode"] in ("up", "down", "nearest")
        if "call_fee" in t:
            assert isinstance(t["call_fee"]["free_minutes"], int) and t["call_fee"]["free_minutes"] >= 0
            assert isinstance(t["call_fee"]["block_minutes"], int) and t["call_fee"]["block_minutes"] > 0
            check_money(t["call_fee"]["fee"], w)
        if "rush" in t:
            check_number(t["rush"]["lead_hours"], w, positive=True)
            check_number(t["rush"]["surcharge_percent"], w)
        if "no_show" in t:
            check_number(t["no_show"]["notice_hours"], w)
            check_money(t["no_show"]["fee"], w)
        reqs = {}
        for ri, r in enumerate(eng["requests"]):
            rw = f"{w}.requests[{ri}]"
            check_keys(r, "request", rw)
            assert r["id"] not in reqs, rw + ": duplicate request id"
            assert r["kind"] in ("revision", "change")
            rec = check_time(r["received"], rw)
            event_dates.append(rec.date())
            if "due" in r:
                assert check_time(r["due"], rw) >= rec, rw + ": due before received"
            if "quote" in r:
                assert r["kind"] == "change"
                check_money(r["quote"], rw)
            if "declined" in r:
                assert isinstance(r["declined"], bool)
            reqs[r["id"]] = r
        spans = []
        for xi, e in enumerate(eng["entries"]):
            xw = f"{w}.entries[{xi}]"
            check_keys(e, "entry", xw)
            s = check_time(e["start"], xw)
            event_dates.append(s.date())
            assert ("end" in e) != ("minutes" in e), xw + ": exactly one of end and minutes"
            if "minutes" in e:
                assert isinstance(e["minutes"], int) and not isinstance(e["minutes"], bool) and e["minutes"] > 0
                f = s + dt.timedelta(minutes=e["minutes"])
            else:
                f = check_time(e["end"], xw)
                assert f > s, xw + ": end not after start"
            assert start <= s.date() and (end is None or s.date() <= end), xw + ": outside engagement"
            assert e["kind"] in ("scope", "revision", "change", "call", "internal")
            if e["kind"] in ("revision", "change"):
                assert "request" in e, xw + ": needs a request"
                r = reqs[e["request"]]
                assert r["kind"] == e["kind"], xw + ": kind does not match its request"
                assert s > dt.datetime.fromisoformat(r["received"]), xw + ": work before request received"
            else:
                assert "request" not in e, xw + ": request not allowed"
            spans.append((s, f, xi))
        spans.sort()
        pairs = []
        for i in range(len(spans)):
            for j in range(i + 1, len(spans)):
                if spans[j][0] >= spans[i][1]:
                    break
                pairs.append((spans[i][2], spans[j][2]))
        if pairs:
            overlaps[eng["id"]] = pairs
        for ai, a in enumerate(eng["appointments"]):
            aw = f"{w}.appointments[{ai}]"
            check_keys(a, "appointment", aw)
            at = check_time(a["at"], aw)
            event_dates.append(at.date())
            assert a["status"] in ("kept", "no_show", "cancelled")
            assert ("cancelled" in a) == (a["status"] == "cancelled")
            if "cancelled" in a:
                assert check_time(a["cancelled"], aw) < at
        own = set()
        for ii, inv in enumerate(eng["invoices"]):
            iw = f"{w}.invoices[{ii}]"
            check_keys(inv, "invoice", iw)
            event_dates.append(check_date(inv["date"], iw))
            assert inv["lines"], iw + ": no lines"
            for li, line in enumerate(inv["lines"]):
                check_keys(line, "line", f"{iw}.lines[{li}]")
                assert line["category"] in CATEGORIES
                check_money(line["amount"], iw)
            own.add(inv["id"])
        for pi, pay in enumerate(eng["payments"]):
            pw = f"{w}.payments[{pi}]"
            check_keys(pay, "payment", pw)
            assert pay["invoice"] in own, pw + ": invoice of another engagement"
            event_dates.append(check_date(pay["date"], pw))
            check_money(pay["amount"], pw)
    # exactly one deliberate overlapping pair, in the draining client's relaunch
    assert list(overlaps) == [OVERLAP_ENGAGEMENT] and len(overlaps[OVERLAP_ENGAGEMENT]) == 1, overlaps
    # the default as-of date is the year end
    assert max(event_dates) == YEAR_END, max(event_dates)

    # minimums
    engs = book["engagements"]
    by_pricing = {k: sum(e["terms"]["pricing"] == k for e in engs)
                  for k in ("fixed", "contingent", "retainer", "hourly")}
    assert len(book["clients"]) >= 6 and len(engs) >= 10
    assert all(by_pricing.values()) and by_pricing["fixed"] >= 2 and by_pricing["retainer"] >= 2
    entries = [x for e in engs for x in e["entries"]]
    assert len(entries) >= 2000
    assert any("minutes" in x for x in entries) and any("end" in x for x in entries)
    modes = {e["terms"]["rounding"]["mode"] for e in engs if "rounding" in e["terms"]}
    assert modes == {"up", "down", "nearest"}
    for k in ("call_fee", "rush", "no_show", "extra_round_price"):
        assert any(k in e["terms"] for e in engs), k
    assert any("rollover_max_hours" in e["terms"] for e in engs if e["terms"]["pricing"] == "retainer")
    assert any("end" not in e for e in engs if e["terms"]["pricing"] == "retainer")
    assert any("end" in e and 5 <= D(e["end"]).month <= 7 for e in engs)
    assert any("review_by" in e for e in engs)
    reqs = [r for e in engs for r in e["requests"]]
    assert any("quote" in r for r in reqs) and any(r.get("declined") for r in reqs)
    appts = [a for e in engs for a in e["appointments"]]
    assert {a["status"] for a in appts} == {"kept", "no_show", "cancelled"}

    # the story: per client billable, leakage, rush, rounds, payments
    def stats(client):
        out = {"unbilled": 0, "rush": 0, "extra": 0, "no_show": 0, "calls_min": 0, "late": 0,
               "partial": 0, "unpaid": 0, "max_call": 0,
               "overbilled": 0}
        for e in engs:
            if e["client"] != client:
                continue
            due, done = billable(e, YEAR_END), invoiced(e, YEAR_END)
            out["unbilled"] += sum(max(0, due[c] - done[c]) for c in CATEGORIES)
            out["overbilled"] += sum(max(0, done[c] - due[c]) for c in CATEGORIES)
            lead = e["terms"].get("rush", {}).get("lead_hours")
            for r in e["requests"]:
                if lead and "due" in r and not r.get("declined") and \
                        (dt.datetime.fromisoformat(r["due"]) - dt.datetime.fromisoformat(r["received"])).total_seconds() < lead * 3600:
                    out["rush"] += 1
            n_rounds = sum(r["kind"] == "revision" and not r.get("declined") for r in e["requests"])
            out["extra"] += max(0, n_rounds - e["terms"].get("included_rounds", 0))
            out["no_show"] += sum(a["status"] != "kept" for a in e["appointments"])
            calls = [entry_seconds(x) // 60 for x in e["entries"] if x["kind"] == "call"]
            out["calls_min"] += sum(calls)
            out["max_call"] = max([out["max_call"]] + calls)
            for inv in e["invoices"]:
                total = sum(cents(l["amount"]) for l in inv["lines"])
                pays = [p for p in e["payments"] if p["invoice"] == inv["id"]]
                paid = sum(cents(p["amount"]) for p in pays)
                assert paid <= total
                age = (YEAR_END - D(inv["date"])).days
                if paid < total and age > 30:
                    out["unpaid" if not pays else "partial"] += 1
                if any((D(p["date"]) - D(inv["date"])).days > 30 for p in pays):
                    out["late"] += 1
        return out

    all_stats = {c["id"]: stats(c["id"]) for c in book["clients"]}
    drain, joy = all_stats[DRAIN], all_stats[PLEASURE]
    assert joy["unbilled"] == joy["overbilled"] == 0 and joy["rush"] == 0 and joy["extra"] == 0
    assert joy["late"] == joy["partial"] == joy["unpaid"] == 0
    assert joy["calls_min"] * 10 < drain["calls_min"] and joy["max_call"] <= 60
    assert all(D(e.get("review_by", "9999-12-31")) >= YEAR_END for e in engs if e["client"] == PLEASURE)
    assert all(drain["unbilled"] > s["unbilled"] for c, s in all_stats.items() if c != DRAIN)
    assert all(drain["calls_min"] > s["calls_min"] for c, s in all_stats.items() if c != DRAIN)
    assert drain["rush"] >= 8 and drain["extra"] >= 8 and drain["no_show"] >= 4
    assert drain["late"] >= 1 and drain["partial"] >= 1 and drain["unpaid"] >= 1
    return by_pricing, all_stats


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    by_pricing, all_stats = self_check(book)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(book, f, ensure_ascii=False, indent=1)
        f.write("\n")
    engs = book["engagements"]
    print(f"wrote {out}: {len(book['clients'])} clients, {len(engs)} engagements {by_pricing}, "
          f"{sum(len(e['entries']) for e in engs)} entries, "
          f"{sum(len(e['requests']) for e in engs)} requests, "
          f"{sum(len(e['appointments']) for e in engs)} appointments, "
          f"{sum(len(e['invoices']) for e in engs)} invoices, "
          f"{sum(len(e['payments']) for e in engs)} payments", file=sys.stderr)


if __name__ == "__main__":
    main()
