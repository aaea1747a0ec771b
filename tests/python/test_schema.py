"""The book's JSON Schema (docs/kontingent-book.schema.json) against the reader.

The reader is the authority: the schema names the fields the reader knows, passes every book the
library accepts in the repository, and refuses the broken books below that the library refuses too.
The rules a schema cannot express are in the schema's description; the last test keeps that list
honest.
"""

import copy
import json
import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

import kontingent as k
from conftest import SOURCE

SCHEMA_FILE = SOURCE / "docs" / "kontingent-book.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
# With the format checker, "format": "date" refuses impossible days (2026-02-30) as the reader does.
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())

BOOK_DIRS = ["tests/data", "examples"]
TEMPLATES = ["fixed", "contingent", "retainer", "hourly"]


def schema_errors(book) -> list:
    return list(VALIDATOR.iter_errors(book))


def library_refuses(book) -> k.ValidationError:
    with pytest.raises(k.ValidationError) as refused:
        k.Book.from_json(json.dumps(book, ensure_ascii=False))
    return refused.value


# --- the schema itself ------------------------------------------------------------------------

def test_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["format"]["enum"] == ["kontingent-book/1", "kontingent-book/2"]


def walk(node, path=()):
    """Every subschema with its path in the schema."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, path + (i,))


def test_every_object_and_field_has_help_for_the_editor():
    assert SCHEMA["title"] and SCHEMA["description"]
    for name, definition in SCHEMA["$defs"].items():
        assert definition.get("title") and definition.get("description"), f"$defs/{name}"
    for path, node in walk(SCHEMA):
        if "if" in path:
            continue  # a condition, not a field
        for field, sub in node.get("properties", {}).items():
            if sub is not False:  # false: a field that is not allowed there
                assert sub.get("description"), "/".join(map(str, path + ("properties", field)))
        if node.get("type") == "object":
            assert node.get("additionalProperties") is False, "/".join(map(str, path))


# The reader's field lists (src/formats/json_read.cpp) and the schema's objects.
READER_ARRAYS = {"book": None, "owner": "owner", "address": "address", "vat": "vat", "client": "client",
                 "engagement": "engagement", "terms": "terms", "rounding": "rounding", "call_fee": "call_fee",
                 "rush": "rush", "no_show": "no_show", "request": "request", "entry": "entry",
                 "appointment": "appointment", "invoice": "invoice", "line": "line", "payment": "payment"}


def reader_fields() -> dict:
    text = (SOURCE / "src" / "formats" / "json_read.cpp").read_text(encoding="utf-8")
    found = {}
    for name, body in re.findall(r"std::array<std::string_view, \d+> (\w+)_fields\{([^}]*)\}", text):
        found[name] = re.findall(r'"([^"]*)"', body)
    return found


def test_the_schema_knows_exactly_the_readers_fields():
    fields = reader_fields()
    assert set(fields) == set(READER_ARRAYS), "a kind of object was added to or removed from the reader"
    for reader_name, definition in READER_ARRAYS.items():
        schema_object = SCHEMA if definition is None else SCHEMA["$defs"][definition]
        assert sorted(schema_object["properties"]) == sorted(fields[reader_name]), reader_name


def enum_words() -> dict:
    words = {}
    for header in (SOURCE / "include" / "kontingent").glob("*.hpp"):
        text = header.read_text(encoding="utf-8")
        for name, body in re.findall(r"struct enum_names<(\w+)>\s*\{\s*static constexpr std::array<std::string_view,"
                                     r"\s*\w+>\s*values\s*\{([^}]*)\}", text):
            words[name] = re.findall(r'"([^"]*)"', body)
    return words


@pytest.mark.parametrize("enum, where", [
    ("Pricing", ("terms", "pricing")), ("RoundingMode", ("rounding", "mode")),
    ("RequestKind", ("request", "kind")), ("EntryKind", ("entry", "kind")),
    ("AppointmentStatus", ("appointment", "status")), ("Category", ("line", "category")),
    ("VatCategory", ("vat", "category")),
])
def test_the_schema_spells_the_libraries_words(enum, where):
    definition, field = where
    assert SCHEMA["$defs"][definition]["properties"][field]["enum"] == enum_words()[enum]


# --- valid books --------------------------------------------------------------------------------

def repository_books():
    books = set()
    for folder in BOOK_DIRS:
        books.update((SOURCE / folder).rglob("*.book.json"))
    return sorted(books)


def test_the_repository_has_the_books_this_test_expects():
    names = {p.relative_to(SOURCE).as_posix() for p in repository_books()}
    expected = {"tests/data/spec-examples/a-fixed.book.json", "tests/data/spec-examples/b-retainer.book.json",
                "examples/data/studio.book.json", "tests/data/invoices/s19.book.json",
                "tests/data/invoices/ae-reverse-charge.book.json", "tests/data/import/a-fixed.terms.book.json",
                "tests/data/golden/version-2/parties.book.json"}
    expected |= {f"examples/books/{name}.book.json" for name in TEMPLATES}
    assert expected <= names


@pytest.mark.parametrize("path", repository_books(), ids=lambda p: p.relative_to(SOURCE).as_posix())
def test_every_book_of_the_repository_passes(path):
    k.Book.load(path)  # a valid book: the library takes it
    errors = schema_errors(json.loads(path.read_text(encoding="utf-8")))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def documented_books():
    """The complete books in the documentation's JSON blocks."""
    for page in sorted((SOURCE / "docs").glob("*.md")) + [SOURCE / "README.md", SOURCE / "examples/books/README.md"]:
        for i, block in enumerate(re.findall(r"```json\n(.*?)```", page.read_text(encoding="utf-8"), re.S)):
            if '"kontingent-book/' in block:
                yield pytest.param(block, id=f"{page.relative_to(SOURCE).as_posix()}#{i}")


@pytest.mark.parametrize("text", documented_books())
def test_every_documented_book_the_library_takes_passes(text):
    try:
        k.Book.from_json(text)
    except k.ValidationError:
        pytest.skip("a book the documentation shows as broken")
    assert not schema_errors(json.loads(text))


@pytest.mark.parametrize("name", TEMPLATES)
def test_starter_templates_are_complete_version_2_books(name):
    path = SOURCE / "examples" / "books" / f"{name}.book.json"
    book = k.Book.load(path)
    assert book.format_version == 2
    assert book.to_json() == path.read_text(encoding="utf-8")  # laid out as kontingent writes it
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["owner"]["vat"] == {"category": "S", "percent": 19}
    [client] = data["clients"]
    assert "address" in client
    [engagement] = data["engagements"]
    terms = engagement["terms"]
    assert terms["pricing"] == name
    assert {"rounding", "call_fee", "rush", "no_show"} <= set(terms)
    for events in ("requests", "entries", "appointments", "invoices", "payments"):
        assert engagement[events] == []
    assert book.evaluate()[engagement["id"]] is not None


# --- broken books: the schema and the library refuse them both ----------------------------------

def load(relative):
    return json.loads((SOURCE / relative).read_text(encoding="utf-8"))


V1 = load("tests/data/spec-examples/a-fixed.book.json")  # every object of version 1, every kind of event


def make_v2():
    """Worked example A as version 2, with every object of version 2 too."""
    book = copy.deepcopy(V1)
    book["format"] = "kontingent-book/2"
    book["owner"] = load("examples/books/fixed.book.json")["owner"]
    book["clients"][0].update({"address": {"street": "Hauptstraße 1", "postcode": "10115", "city": "Berlin",
                                           "country": "DE"},
                               "vat_id": "DE987654321", "email": "ap@acme.example", "payment_days": 14})
    engagement = book["engagements"][0]
    engagement["terms"]["vat"] = {"category": "S", "percent": 7}
    engagement["invoices"][0]["due"] = "2026-03-14"
    engagement["invoices"].append({"id": "GS-1", "date": "2026-03-01", "lines": [{"category": "base", "amount": "100"}],
                                   "credit_note": True, "refers_to": "INV-1"})
    return book


V2 = make_v2()
V1_WITH_CREDIT_NOTE = V1["engagements"][0]["invoices"] + V2["engagements"][0]["invoices"][1:]

E = "engagements.0"
T = f"{E}.terms"


def mutated(base, path, key, value=None, delete=False):
    book = copy.deepcopy(base)
    node = book
    for part in path.split(".") if path else []:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if delete:
        del node[key]
    else:
        node[key] = value
    return book


def case(name, base, path, key, value=None, delete=False, message=""):
    return pytest.param(base, path, key, value, delete, message, id=name)


UNKNOWN = [case(f"unknown field in {where or 'book'}", base, where, "remark", "x", message='unknown field "remark"')
           for where, base in [
               ("", V1), ("owner", V2), ("owner.address", V2), ("owner.vat", V2), ("clients.0", V1),
               ("clients.0.address", V2), (E, V1), (T, V1), (f"{T}.rounding", V1), (f"{T}.call_fee", V1),
               (f"{T}.rush", V1), (f"{T}.no_show", V1), (f"{T}.vat", V2), (f"{E}.requests.0", V1),
               (f"{E}.entries.0", V1), (f"{E}.appointments.0", V1), (f"{E}.invoices.0", V1),
               (f"{E}.invoices.0.lines.0", V1), (f"{E}.payments.0", V1)]]

# Fields the reader requires (src/formats/json_read.cpp: required(), text(), word()).
REQUIRED = {"": ["format", "clients", "engagements"], "owner": ["name", "address"],
            "owner.address": ["city", "country"], "owner.vat": ["category"], "clients.0": ["id", "name"],
            E: ["id", "client", "currency", "start", "terms"], T: ["pricing", "rate"],
            f"{T}.rounding": ["increment_minutes", "mode"], f"{T}.call_fee": ["free_minutes", "block_minutes", "fee"],
            f"{T}.rush": ["lead_hours", "surcharge_percent"], f"{T}.no_show": ["notice_hours", "fee"],
            f"{E}.requests.0": ["id", "kind", "received"], f"{E}.entries.0": ["start", "kind"],
            f"{E}.appointments.0": ["at", "status"], f"{E}.invoices.0": ["id", "date", "lines"],
            f"{E}.invoices.0.lines.0": ["category", "amount"], f"{E}.payments.0": ["invoice", "date", "amount"]}
MISSING = [case(f"missing {where or 'book'}.{field}", V2, where, field, delete=True,
                message=f'missing field "{field}"')
           for where, fields in REQUIRED.items() for field in fields]

WRONG = [
    # money
    case("money as a number", V1, T, "rate", 95, message="money must be a string"),
    case("money negative", V1, T, "fixed_price", "-5", message="must not be negative"),
    case("money with an exponent", V1, T, "rate", "1e3", message="not an amount"),
    case("money with a comma", V1, f"{E}.payments.0", "amount", "9,50", message="not an amount"),
    case("money with 3 decimals", V1, f"{E}.invoices.0.lines.0", "amount", "95.555", message="more than 2 decimals"),
    case("money too large", V1, f"{T}.call_fee", "fee", "1234567890123456", message="too large"),
    case("money with a trailing point", V1, f"{T}.no_show", "fee", "95.", message="not an amount"),
    case("money with a plus", V1, T, "extra_round_price", "+5", message="not an amount"),
    case("money empty", V1, T, "rate", "", message="not an amount"),
    # dates, times, currency
    case("date not ISO", V1, E, "start", "05.01.2026", message="not a date"),
    case("date impossible", V1, E, "end", "2026-02-30", message="impossible date"),
    case("date out of range", V1, E, "review_by", "0999-01-01", message="out of range"),
    case("time with a zone", V1, f"{E}.entries.0", "start", "2026-01-06T09:00Z", message="not a time"),
    case("time with a space", V1, f"{E}.requests.0", "received", "2026-02-01 09:00", message="not a time"),
    case("time 24:00", V1, f"{E}.appointments.0", "at", "2026-01-01T24:00", message="impossible time"),
    case("time without minutes", V1, f"{E}.requests.0", "due", "2026-02-05T09", message="not a time"),
    case("currency in lower case", V1, E, "currency", "eur", message="3 capital letters"),
    # words
    case("unknown format", V1, "", "format", "kontingent-book/3", message='expected "kontingent-book/1"'),
    case("unknown pricing", V1, T, "pricing", "flat", message="unknown pricing"),
    case("unknown rounding mode", V1, f"{T}.rounding", "mode", "ceil", message="unknown rounding mode"),
    case("unknown request kind", V1, f"{E}.requests.0", "kind", "bug", message="unknown request kind"),
    case("unknown entry kind", V1, f"{E}.entries.0", "kind", "meeting", message="unknown entry kind"),
    case("unknown appointment status", V1, f"{E}.appointments.0", "status", "missed",
         message="unknown appointment status"),
    case("unknown category", V1, f"{E}.invoices.0.lines.0", "category", "tax", message="unknown category"),
    case("unknown VAT category", V2, "owner.vat", "category", "X", message="unknown VAT category"),
    case("unknown country", V2, "owner.address", "country", "XX", message="ISO 3166-1"),
    case("country in lower case", V2, "clients.0.address", "country", "de", message="ISO 3166-1"),
    # JSON types, counts, numbers
    case("name as a number", V1, "clients.0", "name", 42, message="expected a string"),
    case("clients as an object", V1, "", "clients", {}, message="expected a list"),
    case("terms as a list", V1, E, "terms", [], message="expected an object"),
    case("declined as a string", V1, f"{E}.requests.0", "declined", "yes", message="true or false"),
    case("rounds as a string", V1, T, "included_rounds", "2", message="an integer >= 0"),
    case("rounds with decimals", V1, T, "included_rounds", 2.5, message="an integer >= 0"),
    case("rounds negative", V1, T, "included_rounds", -1, message="an integer >= 0"),
    case("rounds too many", V1, T, "included_rounds", 10_000_001, message="at most 10000000"),
    case("increment 0", V1, f"{T}.rounding", "increment_minutes", 0, message="a positive integer"),
    case("block 0", V1, f"{T}.call_fee", "block_minutes", 0, message="a positive integer"),
    case("entry of 0 minutes", V1, f"{E}.entries.0", "minutes", 0, message="a positive integer"),
    case("lead hours 0", V1, f"{T}.rush", "lead_hours", 0, message="> 0"),
    case("surcharge negative", V1, f"{T}.rush", "surcharge_percent", -1, message=">= 0"),
    case("hours as a string", V1, f"{T}.no_show", "notice_hours", "24", message="a number"),
    case("hours too many", V1, f"{T}.no_show", "notice_hours", 1_000_001, message="at most 1000000"),
    case("payment days negative", V2, "clients.0", "payment_days", -1, message="an integer >= 0"),
    # rules within one object
    case("entry with end and minutes", V1, f"{E}.entries.0", "end", "2026-01-06T12:00", message="not both"),
    case("entry without end and minutes", V1, f"{E}.entries.0", "minutes", delete=True,
         message='give its "end" or its "minutes"'),
    case("revision entry without request", V1, f"{E}.entries.2", "request", delete=True, message="must name its request"),
    case("scope entry with a request", V1, f"{E}.entries.0", "request", "R1", message="cannot name a request"),
    case("call entry with a request", V1, f"{E}.entries.7", "request", "R1", message="cannot name a request"),
    case("cancelled appointment without its time", V1, f"{E}.appointments.1", "cancelled", delete=True,
         message="needs its \"cancelled\" time"),
    case("kept appointment with a cancelled time", V1, f"{E}.appointments.3", "cancelled", "2026-02-20T10:00",
         message="only for appointments with status"),
    case("fixed without fixed_price", V1, T, "fixed_price", delete=True, message='needs "fixed_price"'),
    case("fixed with contingent_hours", V1, T, "contingent_hours", 10, message="only for pricing"),
    case("fixed with rollover", V1, T, "rollover_max_hours", 5, message="only for pricing \"retainer\""),
    case("hourly with fixed_price", load("examples/books/hourly.book.json"), T, "fixed_price", "100",
         message='"fixed_price" is only for pricing "fixed"'),
    case("hourly with contingent_price", load("examples/books/hourly.book.json"), T, "contingent_price", "100",
         message='"contingent_price" is only for pricing "contingent" and "retainer"'),
    case("retainer without contingent_price", load("examples/books/retainer.book.json"), T, "contingent_price",
         delete=True, message='needs "contingent_price"'),
    case("contingent without contingent_hours", load("examples/books/contingent.book.json"), T, "contingent_hours",
         delete=True, message='needs "contingent_hours"'),
    case("contingent with rollover", load("examples/books/contingent.book.json"), T, "rollover_max_hours", 5,
         message="only for pricing \"retainer\""),
    case("quote on a revision request", V1, f"{E}.requests.0", "quote", "100", message="only for change requests"),
    case("invoice without lines", V1, f"{E}.invoices.0", "lines", [], message="at least one line"),
    case("owner name empty", V2, "owner", "name", "", message="must not be empty"),
    case("city empty", V2, "clients.0.address", "city", "", message="must not be empty"),
    case("VAT S without percent", V2, "owner.vat", "percent", delete=True, message='needs a "percent" > 0'),
    case("VAT S at 0 percent", V2, f"{T}.vat", "percent", 0, message='needs a "percent" > 0'),
    case("VAT Z with a percent", V2, f"{T}.vat", "category", "Z", message='only VAT category "S" has a percent'),
    case("VAT E without reason", V2, "owner", "vat", {"category": "E"}, message="needs an \"exemption_reason\""),
    case("VAT E with an empty reason", V2, "owner", "vat", {"category": "E", "exemption_reason": ""},
         message="needs an \"exemption_reason\""),
    case("VAT AE without reason", V2, T, "vat", {"category": "AE"}, message="needs an \"exemption_reason\""),
    case("credit note without refers_to", V2, f"{E}.invoices.1", "refers_to", delete=True, message='needs "refers_to"'),
    case("invoice with refers_to", V2, f"{E}.invoices.0", "refers_to", "GS-1", message="only for credit notes"),
    # version 2 fields in a version 1 book
    *[case(f"v2 field {where or 'book'}.{field} in a /1 book", V1, where, field, value, message="a field of book version 2")
      for where, field, value in [
          ("", "owner", V2["owner"]), ("clients.0", "address", {"city": "Berlin", "country": "DE"}),
          ("clients.0", "vat_id", "DE987654321"), ("clients.0", "email", "ap@acme.example"),
          ("clients.0", "buyer_reference", "04011000-12345-67"), ("clients.0", "payment_days", 14),
          (T, "vat", {"category": "S", "percent": 19}), (f"{E}.invoices.0", "due", "2026-03-14"),
          (E, "invoices", V1_WITH_CREDIT_NOTE)]],
]


def is_about(error, place):
    """The schema's error is about the changed field, the object that holds it, or an object containing that."""
    error_path = list(error.absolute_path)
    return error_path == place[:len(error_path)] or error_path[:len(place) - 1] == place[:-1]


@pytest.mark.parametrize("base, path, key, value, delete, message", UNKNOWN + MISSING + WRONG)
def test_a_broken_book_is_refused_by_the_schema_and_the_library(base, path, key, value, delete, message):
    book = mutated(base, path, key, value, delete)
    refused = library_refuses(book)
    assert message in str(refused)
    errors = schema_errors(book)
    assert errors, "the schema passes a book the library refuses"
    place = [int(p) if p.isdigit() else p for p in path.split(".") if path] + [key]
    assert any(is_about(e, place) for e in errors), [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def test_the_bases_of_the_broken_books_are_valid():
    for book in (V1, V2):
        k.Book.from_json(json.dumps(book, ensure_ascii=False))
        assert not schema_errors(book)


@pytest.mark.parametrize("base, path, key, value", [
    pytest.param(V1, T, "rate", "0095.50", id="money with leading zeros"),
    pytest.param(V1, T, "rate", "95.5", id="money with one decimal"),
    pytest.param(V1, f"{E}.entries.0", "start", "2026-01-06T09:00:30", id="time with seconds"),
    pytest.param(V1, f"{T}.rush", "lead_hours", 0.5, id="hours with decimals"),
    pytest.param(V1, f"{T}.rush", "surcharge_percent", 0, id="surcharge 0"),
    pytest.param(V2, f"{T}.vat", "percent", 5.5, id="VAT percent with decimals"),
    pytest.param(V2, "owner", "vat", {"category": "Z", "percent": 0}, id="VAT Z at 0 percent"),
    pytest.param(V2, "owner", "vat", {"category": "E", "exemption_reason": "Kleinunternehmer gemäß §19 UStG"},
                 id="VAT E with a reason"),
    pytest.param(V1, "clients.0", "vat_id", "", id="empty v2 text in a /1 book"),
    pytest.param(V1, f"{E}.invoices.0", "credit_note", False, id="credit_note false in a /1 book"),
    pytest.param(V2, f"{E}.invoices.0", "refers_to", "", id="empty refers_to on an invoice"),
    pytest.param(V1, "", "engagements", [], id="no engagements"),
])
def test_edge_cases_both_accept(base, path, key, value):
    book = mutated(base, path, key, value)
    k.Book.from_json(json.dumps(book, ensure_ascii=False))
    assert not schema_errors(book), [f"{list(e.absolute_path)}: {e.message}" for e in schema_errors(book)]


# --- what the schema leaves to kontingent check ---------------------------------------------------

LEFT_TO_THE_LIBRARY = [
    pytest.param(V1, "", "clients", V1["clients"] * 2, 'duplicate client id "acme"', id="duplicate client id"),
    pytest.param(V1, "", "engagements", V1["engagements"] * 2, "duplicate engagement id", id="duplicate engagement id"),
    pytest.param(V1, E, "client", "nobody", 'unknown client "nobody"', id="unknown client"),
    pytest.param(V1, f"{E}.entries.2", "request", "R9", 'unknown request "R9"', id="unknown request"),
    pytest.param(V1, f"{E}.entries.2", "request", "C1", 'but "C1" is a "change" request', id="request of another kind"),
    pytest.param(V1, f"{E}.payments.0", "invoice", "INV-9", 'unknown invoice "INV-9"', id="unknown invoice"),
    pytest.param(V1, E, "end", "2026-01-01", "is before start", id="end before start"),
    pytest.param(V1, f"{E}.entries.0", "start", "2025-12-01T09:00", "before the engagement's start",
                 id="entry before the engagement"),
    pytest.param(V1, f"{E}.requests.0", "due", "2026-01-31T09:00", "is before received", id="due before received"),
    pytest.param(V2, f"{E}.invoices.0", "due", "2026-02-01", "is before the date", id="invoice due before its date"),
    pytest.param(V2, "clients.0", "vat_id", "", 'VAT category "AE" (reverse charge) needs the client',
                 id="reverse charge without the client's VAT id"),
    pytest.param(V1, f"{E}.entries.0", "start", "2026-02-30T09:00", "impossible date", id="impossible day in a time"),
    pytest.param(V1, f"{E}.entries.0", "minutes", 180.0, "must be a positive integer, got 180.0",
                 id="integer written with a point"),
    pytest.param(V1, f"{T}.rush", "lead_hours", 0.0001, "less than one second", id="hours below a second"),
]


@pytest.mark.parametrize("base, path, key, value, message", LEFT_TO_THE_LIBRARY)
def test_rules_the_schema_leaves_to_the_library(base, path, key, value, message):
    """Listed in the schema's description; if the schema learns one, move it to the broken books."""
    book = mutated(base, path, key, value)
    if message.startswith('VAT category "AE"'):
        book["engagements"][0]["terms"]["vat"] = {"category": "AE", "exemption_reason": "Reverse charge"}
    assert message in str(library_refuses(book))
    assert not schema_errors(book)


def test_the_schema_is_stricter_only_for_negative_zero():
    """"-0" is no amount anyone means: the reader reads it as 0, the schema refuses it."""
    book = mutated(V1, T, "rate", "-0")
    k.Book.from_json(json.dumps(book))
    assert schema_errors(book)
    assert '"-0"' in SCHEMA["description"]


def test_the_schema_lists_what_it_leaves_to_the_library():
    description = SCHEMA["description"]
    for words in ("unique", "references", "before its start", "due before", '"AE"', "impossible calendar days",
                  "docs/formats.md", "$schema"):
        assert words in description, words
