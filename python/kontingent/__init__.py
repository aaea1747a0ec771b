"""kontingent — billing leakage for freelancers and agencies, from Python.

The model (docs/formats.md) with Decimal money, datetime times and timedelta durations::

    import kontingent as k
    book = k.Book.load("studio.book.json")
    report = book.evaluate()                 # as of the book's latest event
    report.to_frame()                        # engagement × category, int64 cents
    book.entries_frame()                     # one row per entry, classified
    k.plots.leakage_by_client(report, book)

Everything here is a re-export of ``kontingent._core`` (the compiled half) plus ``frames``
(pandas) and ``plots`` (matplotlib, imported on first use).
"""

from __future__ import annotations

try:
    from . import _core
except ImportError as error:  # pragma: no cover - depends on the build
    raise ImportError(
        "kontingent's compiled module kontingent._core could not be imported — did you forget to build? "
        "Build it with `cmake --preset dev && cmake --build --preset dev` and put <build>/python on "
        "PYTHONPATH, or install it with `cmake --install <build>`; run it with /usr/bin/python3 "
        f"(the interpreter it was built for). ({error})"
    ) from error

from ._core import (  # noqa: F401  (re-exports)
    ALERTS,
    CATEGORIES,
    VAT_CATEGORIES,
    ENTRY_KINDS,
    ENTRY_USES,
    Address,
    Appointment,
    ArchiveError,
    Book,
    CallFee,
    Client,
    ContingentUse,
    CurrencyMismatch,
    DraftError,
    MoneyOverflow,
    Engagement,
    EngagementReport,
    Entries,
    Entry,
    Error,
    FileError,
    ImportFileError,
    ImportSummary,
    Invoice,
    InvoiceDraft,
    InvoiceLine,
    NoShow,
    Owner,
    Payment,
    Quote,
    Report,
    Request,
    Rounding,
    Rounds,
    Rush,
    Terms,
    TRACKERS,
    BOOK_FORMATS,
    Triage,
    TriageIndicators,
    TriagePolicy,
    TriageReason,
    TriageRow,
    ValidationError,
    Vat,
    WhatIf,
    __version__,
)
from . import _model, frames  # noqa: E402,F401  (_model attaches repr, replace, frames, HTML)
from .frames import cents_to_decimal  # noqa: E402

__all__ = [
    "ALERTS", "CATEGORIES", "ENTRY_KINDS", "ENTRY_USES", "VAT_CATEGORIES",
    "Address", "Appointment", "ArchiveError", "Book", "CallFee", "Client", "ContingentUse", "CurrencyMismatch", "DraftError", "MoneyOverflow",
    "Engagement", "EngagementReport", "Entries", "Entry", "Error", "FileError", "Invoice", "InvoiceDraft", "InvoiceLine",
    "NoShow", "Owner", "Payment", "Quote", "Report", "Request", "Rounding", "Rounds", "Rush", "Terms", "ValidationError", "Vat", "WhatIf",
    "ImportFileError", "ImportSummary", "TRACKERS", "BOOK_FORMATS", "Triage", "TriageIndicators", "TriagePolicy", "TriageReason",
    "TriageRow",
    "cents_to_decimal", "evaluate", "frames", "load", "plots",
    "read_tracker", "read_toggl", "read_clockify", "read_harvest", "read_kimai", "read_timeclock",
]


def load(path) -> Book:
    return Book.load(path)


load.__doc__ = f"""Reads and checks a book file ({", ".join(BOOK_FORMATS)}, by its extension): ``Book.load(path)``."""


def evaluate(what, as_of=None):
    """The Report of a Book, or the EngagementReport of an Engagement, as of a date (default: docs/formats.md)."""
    return what.evaluate(as_of)


def read_tracker(tracker: str, path, mapping=None):
    """The rows of a time-tracker export as a pandas DataFrame, before any book is involved.

    Columns: ``start`` (datetime64[ns]), ``seconds`` (int64), ``client``, ``project`` (timeclock: the
    account), ``task``, ``description``, ``tags`` (lists), ``billable`` (nullable bool), ``user``,
    ``line`` (where the row starts in the file). ``frame.attrs`` holds ``tracker``, ``file``,
    ``rows_read``, ``skipped`` (reason → rows) and ``date_format``. ``mapping`` (a mapping file's path
    or its JSON as a dict) is used for its date format, decimal separator and day start only.
    Errors raise :class:`ImportFileError`.
    """
    return frames.tracker_frame(_core._read_tracker(tracker, path, mapping))


def read_toggl(path, mapping=None):
    """A Toggl Track CSV export as a DataFrame (see :func:`read_tracker`)."""
    return read_tracker("toggl", path, mapping)


def read_clockify(path, mapping=None):
    """A Clockify CSV export as a DataFrame (see :func:`read_tracker`)."""
    return read_tracker("clockify", path, mapping)


def read_harvest(path, mapping=None):
    """A Harvest CSV export as a DataFrame (see :func:`read_tracker`)."""
    return read_tracker("harvest", path, mapping)


def read_kimai(path, mapping=None):
    """A Kimai CSV export as a DataFrame (see :func:`read_tracker`)."""
    return read_tracker("kimai", path, mapping)


def read_timeclock(path, mapping=None):
    """A ledger/hledger timeclock file as a DataFrame, one row per session (see :func:`read_tracker`)."""
    return read_tracker("timeclock", path, mapping)


def __getattr__(name: str):
    # matplotlib is imported only when plots are asked for.
    if name == "plots":
        import importlib

        module = importlib.import_module(".plots", __name__)
        globals()["plots"] = module
        return module
    raise AttributeError(f"module 'kontingent' has no attribute {name!r}")
