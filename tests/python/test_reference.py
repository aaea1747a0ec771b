"""The library against a second reading of the SPEC (reference/spec.py) on random books.

reference/spec.py computes reports and invoice drafts from SPEC §4-6 and §10-11 in plain Python,
written without reading the library; reference/books.py draws valid books that lean on the rules'
edges. Every report field, every alert and every draft line must come out the same. A failure
names its seed: `reference.books.book(seed)` is the book, and
`/usr/bin/python3 tests/python/reference/spec.py BOOK.json` prints what the model reports for it.
"""

import json
import random
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

import kontingent as k
from conftest import BINARY
from reference import books, spec

SEEDS_PER_CHUNK = 50
CHUNKS = 30  # 1,500 books, three as-of dates each: about 15 s


def as_of_dates(seed, book, loaded):
    """The book's own as-of date, one some weeks before it, and one drawn between the first start and a month after."""
    latest = loaded.default_as_of()
    first = min(date.fromisoformat(e["start"]) for e in book["engagements"])
    drawn = first + timedelta(days=random.Random(seed).randint(0, (latest - first).days + 30))
    return [None, latest - timedelta(days=seed % 60), drawn]


def differences(got: dict, want: dict) -> list[str]:
    """Each field of each engagement that differs, with both values: a readable assertion."""
    if (got["as_of"], [e["id"] for e in got["engagements"]]) != (want["as_of"], [e["id"] for e in want["engagements"]]):
        return [f"as_of/engagements: {got['as_of']} {[e['id'] for e in got['engagements']]} "
                f"!= {want['as_of']} {[e['id'] for e in want['engagements']]}"]
    return [f"{w['id']}.{field}: library {g[field]!r}, reference {w[field]!r}"
            for g, w in zip(got["engagements"], want["engagements"]) for field in w if g[field] != w[field]]


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_reports_are_the_references(chunk):
    for seed in range(chunk * SEEDS_PER_CHUNK, (chunk + 1) * SEEDS_PER_CHUNK):
        book = books.book(seed)
        loaded = k.Book.from_json(json.dumps(book))
        for as_of in as_of_dates(seed, book, loaded):
            got = json.loads(loaded.evaluate(as_of).to_json())
            want = spec.report(book, as_of and as_of.isoformat())
            assert differences(got, want) == [], f"seed {seed}, as of {as_of or 'the default'}"


@pytest.mark.parametrize("chunk", range(CHUNKS // 3))
def test_drafts_and_credit_notes_are_the_references(chunk):
    checked = 0
    for seed in range(chunk * 3 * SEEDS_PER_CHUNK, (chunk + 1) * 3 * SEEDS_PER_CHUNK):
        book = books.book(seed)
        if book["format"] != "kontingent-book/2":
            continue  # a draft needs the owner, a version 2 field
        loaded = k.Book.from_json(json.dumps(book))
        as_of = loaded.default_as_of()
        for engagement in book["engagements"]:
            if date.fromisoformat(engagement["start"]) > as_of:
                continue
            for credit in (False, True):
                want = spec.draft(book, engagement["id"], as_of.isoformat(), credit)
                draft = loaded.draft_invoice(engagement["id"], credit=credit)
                got = {"lines": [{"category": line["category"], "net": f"{line['net']:.2f}"} for line in draft.lines],
                       "net": f"{draft.net:.2f}", "tax": f"{draft.tax:.2f}", "total": f"{draft.total:.2f}"}
                assert got == {key: want[key] for key in got}, f"seed {seed}, {engagement['id']}, credit={credit}"
                assert draft.net == sum((Decimal(line["net"]) for line in want["lines"]), Decimal(0))
                checked += 1
    assert checked > 100  # the chunk drew enough version 2 books to mean something


def reordered(value, rng):
    """The same JSON with every object's keys in another order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {key: reordered(v, rng) for key, v in items}
    if isinstance(value, list):
        return [reordered(v, rng) for v in value]
    return value


LAYOUTS = {
    "compact": lambda book, rng: json.dumps(book, separators=(",", ":")),
    "python's default": lambda book, rng: json.dumps(book),
    "indented, not ASCII": lambda book, rng: json.dumps(book, indent=1, ensure_ascii=False),
    "keys in any order": lambda book, rng: json.dumps(reordered(book, rng), separators=(",", ":"), ensure_ascii=False),
    "keys in any order, tabs": lambda book, rng: json.dumps(reordered(book, rng), indent="\t"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_any_layout_read_from_a_file_gives_the_references_report(layout, tmp_path):
    path = tmp_path / "book.json"
    for seed in range(200):
        book = books.book(seed)
        path.write_text(LAYOUTS[layout](book, random.Random(seed)), encoding="utf-8")
        assert json.loads(k.Book.load(path).evaluate().to_json()) == spec.report(book), f"seed {seed}"


@pytest.mark.parametrize("seed", [0, 1])
def test_a_book_of_tens_of_megabytes_in_any_layout_gives_the_references_report(seed, tmp_path):
    # Over 8 MB the command cuts the book at its engagements and reads them on several threads,
    # through 4 MB buffers whose edges fall inside entries.
    book = books.book(seed, entry_count=40_000)
    want = spec.report(book)
    path = tmp_path / "book.json"
    for layout in ("compact", "keys in any order", "keys in any order, tabs"):
        path.write_text(LAYOUTS[layout](book, random.Random(seed)), encoding="utf-8")
        assert path.stat().st_size > 8 << 20
        command = subprocess.run([BINARY / "kontingent", "report", path, "--format", "json"],
                                 capture_output=True, text=True, check=True)
        assert json.loads(command.stdout) == want, layout


@pytest.mark.parametrize("suffix", k.BOOK_FORMATS)
def test_every_format_keeps_the_book_and_its_report(suffix, tmp_path):
    path = tmp_path / f"book{suffix}"
    for seed in range(150):
        book = books.book(seed)
        text = k.Book.from_json(json.dumps(book)).to_json()
        k.Book.from_json(text).save(path)
        again = k.Book.load(path)
        assert again.to_json() == text, f"seed {seed}"
        assert json.loads(again.evaluate().to_json()) == spec.report(book), f"seed {seed}"
        path.unlink()


# One broken rule of SPEC §7 each: (what it does to a valid book, the place the error must name,
# words of the rule it must give). The book must be refused whole, with the same message from
# every layout of the file as from the text.
def test_a_recorded_draft_settles_its_leakage_at_its_as_of_date_or_is_refused():
    """SPEC §11: after recording, the report at the same as-of date shows leakage 0 in every drafted
    category and drafting again gives nothing. An invoice the report at that date cannot count —
    dated after it, or already in the book after it — would break that, and is refused."""
    recorded = refused = 0
    for seed in range(400):
        book = books.book(seed)
        if book["format"] != "kontingent-book/2":
            continue
        rng = random.Random(seed)
        loaded = k.Book.from_json(json.dumps(book))
        engagement = rng.choice(book["engagements"])
        first, latest = date.fromisoformat(engagement["start"]), loaded.default_as_of()
        if first > latest:
            continue
        as_of = first + timedelta(days=rng.randint(0, (latest - first).days + 20))
        dated = as_of + timedelta(days=rng.choice([-3, 0, 0, 0, 2]))
        credit = rng.random() < 0.3
        draft = loaded.draft_invoice(engagement["id"], as_of, date=dated, credit=credit)
        if draft.empty:
            continue
        later = [i["id"] for i in engagement.get("invoices", []) if date.fromisoformat(i["date"]) > as_of]
        if dated > as_of or later:
            before = loaded.to_json()
            with pytest.raises(k.DraftError, match="after (its|the) as-of date " + as_of.isoformat()):
                draft.record()
            assert loaded.to_json() == before, f"seed {seed}"
            refused += 1
            continue
        draft.record()
        leakage = loaded.evaluate(as_of)[engagement["id"]].leakage
        assert {line["category"]: leakage[line["category"]] for line in draft.lines} == \
            {line["category"]: Decimal("0.00") for line in draft.lines}, f"seed {seed}"
        assert loaded.draft_invoice(engagement["id"], as_of, credit=credit).empty, f"seed {seed}"
        recorded += 1
    assert recorded > 50 and refused > 20, (recorded, refused)


def _entry(book, rng, **fields):
    i = rng.randrange(len(book["engagements"]))
    e = book["engagements"][i]
    e.setdefault("entries", []).append({"start": e["start"] + "T10:00", "minutes": 30, "kind": "scope", **fields})
    return f"engagements[{i}].entries[{len(e['entries']) - 1}]", e


def both_end_and_minutes(book, rng):
    path, e = _entry(book, rng, end=book["engagements"][0]["start"] + "T11:00")
    return path, "end"


def zero_minutes(book, rng):
    return _entry(book, rng, minutes=rng.choice([0, -5]))[0] + ".minutes", "positive integer"


def end_before_start(book, rng):
    path, e = _entry(book, rng)
    e["entries"][-1].pop("minutes")
    e["entries"][-1]["end"] = e["start"] + rng.choice(["T09:59", "T10:00"])
    return path, "start"


def revision_without_request(book, rng):
    return _entry(book, rng, kind="revision")[0], "request"


def scope_with_request(book, rng):
    path, e = _entry(book, rng, request="asked-by-phone")
    e.setdefault("requests", []).append({"id": "asked-by-phone", "kind": "change", "received": e["start"] + "T08:00"})
    return path, "request"


def unknown_request(book, rng):
    return _entry(book, rng, kind="change", request="no-such-request")[0] + ".request", "no-such-request"


def before_the_engagement(book, rng):
    path, e = _entry(book, rng)
    e["entries"][-1]["start"] = (date.fromisoformat(e["start"]) - timedelta(days=1)).isoformat() + "T23:00"
    return path, "before the engagement's start"


def unknown_entry_field(book, rng):
    return _entry(book, rng, billable=True)[0], "billable"


def due_before_received(book, rng):
    i = rng.randrange(len(book["engagements"]))
    e = book["engagements"][i]
    e.setdefault("requests", []).append({"id": "late", "kind": "revision", "received": e["start"] + "T10:00", "due": e["start"] + "T09:00"})
    return f"engagements[{i}].requests[{len(e['requests']) - 1}]", "due"


def cancelled_without_time(book, rng):
    i = rng.randrange(len(book["engagements"]))
    e = book["engagements"][i]
    e.setdefault("appointments", []).append({"at": e["start"] + "T10:00", "status": "cancelled"})
    return f"engagements[{i}].appointments[{len(e['appointments']) - 1}]", "cancelled"


def negative_rate(book, rng):
    i = rng.randrange(len(book["engagements"]))
    book["engagements"][i]["terms"]["rate"] = "-1"
    return f"engagements[{i}].terms.rate", "negative"


def three_decimals(book, rng):
    i = rng.randrange(len(book["engagements"]))
    book["engagements"][i]["terms"]["rate"] = "95.125"
    return f"engagements[{i}].terms.rate", "decimals"


def duplicate_engagement(book, rng):
    book["engagements"].append(dict(book["engagements"][0]))
    return f"engagements[{len(book['engagements']) - 1}].id", "e0"


def unknown_client(book, rng):
    i = rng.randrange(len(book["engagements"]))
    book["engagements"][i]["client"] = "nobody"
    return f"engagements[{i}].client", "nobody"


def impossible_date(book, rng):
    i = rng.randrange(len(book["engagements"]))
    book["engagements"][i]["review_by"] = "2026-02-30"
    return f"engagements[{i}].review_by", "2026-02-30"


def unknown_category(book, rng):
    i = rng.randrange(len(book["engagements"]))
    book["engagements"][i].setdefault("invoices", []).append({"id": "X-1", "date": book["engagements"][i]["start"],
                                               "lines": [{"category": "travel", "amount": "10"}]})
    return f"engagements[{i}].invoices[{len(book['engagements'][i]['invoices']) - 1}].lines[0].category", "travel"


def missing_price(book, rng):
    i = rng.randrange(len(book["engagements"]))
    terms = book["engagements"][i]["terms"]
    for price in ("fixed_price", "contingent_price"):
        terms.pop(price, None)
    terms["pricing"] = "fixed"
    for only_for_blocks in ("contingent_hours", "rollover_max_hours"):
        terms.pop(only_for_blocks, None)
    return f"engagements[{i}].terms", "fixed_price"


BROKEN_RULES = [both_end_and_minutes, zero_minutes, end_before_start, revision_without_request, scope_with_request,
                unknown_request, before_the_engagement, unknown_entry_field, due_before_received, cancelled_without_time,
                negative_rate, three_decimals, duplicate_engagement, unknown_client, impossible_date, unknown_category,
                missing_price]


@pytest.mark.parametrize("broken", BROKEN_RULES, ids=lambda rule: rule.__name__)
def test_a_broken_rule_is_refused_with_its_place_from_every_layout(broken, tmp_path):
    path = tmp_path / "book.json"
    for seed in range(40):
        book = books.book(seed)
        rng = random.Random(seed)
        place, words = broken(book, rng)
        with pytest.raises(k.ValidationError) as refused:
            k.Book.from_json(json.dumps(book))
        message = str(refused.value)
        assert message.startswith(place + ":") and words in message.split(": ", 1)[1], f"seed {seed}: {message}"
        for layout in LAYOUTS.values():
            path.write_text(layout(book, random.Random(seed)), encoding="utf-8")
            with pytest.raises(k.ValidationError) as again:
                k.Book.load(path)
            assert str(again.value) == f"{path}: {message}", f"seed {seed}"


def what_might_happen(engagement, rng):
    """One event that has not happened yet, on the engagement's last day: as the library takes it,
    and as the book's JSON would hold it."""
    day = date.fromisoformat(engagement["end"])
    at = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(8, 17))
    stamp = at.isoformat(timespec="minutes")
    choice = rng.choice(["revision", "change", "call", "no_show", "cancelled"])
    if choice in ("revision", "change"):
        due = (at + timedelta(hours=rng.choice([2, 24, 47, 48, 72]))).isoformat(timespec="minutes")
        minutes = rng.choice([30, 45, 90, 240])
        request = {"id": "asked-now", "kind": choice, "received": stamp, "due": due}
        if choice == "change" and rng.random() < 0.5:
            request["quote"] = "250"
        entry = {"start": stamp, "minutes": minutes, "kind": choice, "request": "asked-now"}
        events = [k.Request(id="asked-now", kind=choice, received=at, due=datetime.fromisoformat(due),
                            quote=request.get("quote")),
                  k.Entry(start=at, minutes=minutes, kind=choice, request="asked-now")]
        return events, {"requests": [request], "entries": [entry]}
    if choice == "call":
        minutes = rng.choice([5, 15, 16, 50, 95])
        return [k.Entry(start=at, minutes=minutes, kind="call")], {"entries": [{"start": stamp, "minutes": minutes, "kind": "call"}]}
    if choice == "no_show":
        return [k.Appointment(at=at, status="no_show")], {"appointments": [{"at": stamp, "status": "no_show"}]}
    cancelled = at - timedelta(hours=rng.choice([1, 23, 24, 25]))
    return ([k.Appointment(at=at, status="cancelled", cancelled=cancelled)],
            {"appointments": [{"at": stamp, "status": "cancelled", "cancelled": cancelled.isoformat(timespec="minutes")}]})


def test_a_quote_is_what_the_reference_bills_for_the_event():
    quoted = 0
    for seed in range(400):
        book = books.book(seed)
        rng = random.Random(seed)
        engagement = rng.choice(book["engagements"])
        if "end" not in engagement:
            continue  # the event is put on the last day, which an open engagement does not have
        loaded = k.Book.from_json(json.dumps(book))
        events, added = what_might_happen(engagement, rng)
        as_of = engagement["end"]
        quote = loaded.quote(engagement["id"], *events, as_of=as_of)
        before = spec.report(book, as_of)
        for field, items in added.items():
            engagement[field] = engagement.get(field, []) + items
        after = spec.report(book, as_of)
        index = [e["id"] for e in after["engagements"]].index(engagement["id"])
        change = {c: Decimal(after["engagements"][index]["billable"][c]) - Decimal(before["engagements"][index]["billable"][c])
                  for c in spec.CATEGORIES}
        assert quote.price == change, f"seed {seed}, {added}"
        quoted += 1
    assert quoted > 150
