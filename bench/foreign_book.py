#!/usr/bin/python3
"""Rewrites a book as another program would write it: the foreign layout of docs/performance.md.

    /usr/bin/python3 bench/foreign_book.py IN.book.json OUT.book.json [--seed 2026]

Our writer indents, keeps one key order and writes every entry alike. Programs that export books
(time trackers, scripts with `json.dumps(..., sort_keys=True)`, `jq -S -c`) do not, so the reader
must be fast on their layout too. The output is the same book in this layout:

- compact: no white space at all, keys sorted alphabetically (so an engagement's `entries` come
  before its `requests`, and an entry reads `end`, `kind`, `minutes`, `note`, `request`, `start`);
- every time written with seconds; half of the entries written with `end` instead of `minutes`,
  and those start 0-59 seconds later than they did (a real tracker's clock), so durations are not
  whole minutes;
- one entry in ten with a note full of escapes (quotes, backslashes, new lines, tabs) and
  non-ASCII letters written as \\u escapes (ensure_ascii).

Only entries change, and each stays valid (it only gets shorter, never overlaps its neighbours),
so the result is a valid book; its report differs from IN's wherever a start moved.
"""

import argparse
import datetime as dt
import json
import random

NOTES = [
    'Call about the "logo" again\nand the colours',
    "Änderungswunsch: Größe der Überschrift\t(3. Runde)",
    "Path C:\\Kunden\\Müller\\final_final_v3.pdf",
    "Client said: \u201cjust one tiny change\u201d \u2013 50 minutes",
    "Réunion annulée\r\nnicht erschienen",
]


def with_seconds(text):
    return text if len(text) == 19 else text + ":00"


def parse(text):
    return dt.datetime.fromisoformat(text)


def rewrite_entry(entry, rng):
    out = dict(entry)
    start = parse(entry["start"])
    if "end" in entry:
        seconds = int((parse(entry["end"]) - start).total_seconds())
    else:
        seconds = entry["minutes"] * 60
    if rng.random() < 0.5:
        out.pop("minutes", None)
        shift = rng.randrange(60) if seconds > 60 else 0
        out["end"] = (start + dt.timedelta(seconds=seconds)).isoformat()
        start += dt.timedelta(seconds=shift)
    elif seconds % 60 == 0:
        out.pop("end", None)
        out["minutes"] = seconds // 60
    out["start"] = start.isoformat()
    if "end" in out:
        out["end"] = with_seconds(out["end"])
    out["start"] = with_seconds(out["start"])
    if rng.random() < 0.1:
        out["note"] = rng.choice(NOTES)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open(args.source, encoding="utf-8") as f:
        book = json.load(f)
    for engagement in book["engagements"]:
        engagement["entries"] = [rewrite_entry(e, rng) for e in engagement["entries"]]
    with open(args.target, "w", encoding="utf-8") as f:
        json.dump(book, f, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


if __name__ == "__main__":
    main()
