"""Shared fixtures: where the data is, and the two worked examples of the SPEC."""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("KONTINGENT_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BINARY = Path(os.environ.get("KONTINGENT_BINARY_DIR", SOURCE / "build" / "py"))
SPEC_EXAMPLES = SOURCE / "tests" / "data" / "spec-examples"
DEMO_BOOK = SOURCE / "examples" / "data" / "studio.book.json"

import kontingent  # noqa: E402  (after the paths, so a failure names them in the traceback)


def expected_report(name: str) -> dict:
    """The SPEC's expected report, money as Decimal."""
    return json.loads((SPEC_EXAMPLES / f"{name}.report.json").read_text(), parse_float=Decimal)


@pytest.fixture
def book_a() -> kontingent.Book:
    return kontingent.Book.load(SPEC_EXAMPLES / "a-fixed.book.json")


@pytest.fixture
def book_b() -> kontingent.Book:
    return kontingent.Book.load(SPEC_EXAMPLES / "b-retainer.book.json")


@pytest.fixture(scope="session")
def demo_book() -> kontingent.Book:
    return kontingent.Book.load(DEMO_BOOK)
