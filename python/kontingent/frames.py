"""pandas and numpy interop: whole columns cross the boundary as arrays, never one object per entry.

* ``book.entries_frame()`` / ``engagement.entries_frame()`` — one row per entry, classified by the
  evaluation's own per-entry step (C++ ``bill_entry``), columns filled in C++ and handed to numpy
  without a copy.
* ``report.to_frame()`` — one row per engagement and category; ``report.summary_frame()`` — one
  row per engagement (worked time, totals, unbilled, effective rate, alerts). Money is **int64 cents** by default
  (``billable_cents``, ``invoiced_cents``, ``leakage_cents``) next to a ``currency`` column: exact,
  fast to sum and group, and plain numbers for plotting. A column of ``decimal.Decimal`` objects is
  exact too but every operation on it runs in Python, object by object; ask for it with
  ``money="decimal"`` (fine for reports, which are small) or convert with :func:`cents_to_decimal`.
* ``engagement.add_entries(...)`` and ``book.with_entries(frame)`` — entries from numpy arrays or a
  DataFrame, checked in C++ (docs/formats.md) and appended all or nothing.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any, Optional

import numpy as np
import pandas as pd

from . import _core

__all__ = ["entries_frame", "report_frame", "summary_frame", "add_entries", "with_entries", "cents_to_decimal"]

_KIND_CODE = {kind: code for code, kind in enumerate(_core.ENTRY_KINDS)}


#: The context of every Decimal step here: money stays exact whatever context the caller has set
#: (``decimal.localcontext(prec=4)`` would otherwise round 5818.75 to 5819).
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _cents(value: Decimal) -> int:
    """The int cents of an amount."""
    return int(value.scaleb(2, _EXACT))


def _amount(cents) -> Decimal:
    """The amount of int cents."""
    return Decimal(int(cents)).scaleb(-2, _EXACT)


def _total(amounts) -> Decimal:
    """Σ amounts, exactly."""
    total = Decimal("0.00")
    for amount in amounts:
        total = _EXACT.add(total, amount)
    return total


def cents_to_decimal(cents: Any) -> Any:
    """Exact Decimal amounts from int cents: a scalar, or a Series/array (an object Series of Decimal).

    ``cents_to_decimal(frame["leakage_cents"])`` → ``Decimal('166.25')``, …; sums of the int64
    column are exact already, so convert after aggregating: ``cents_to_decimal(frame.leakage_cents.sum())``.
    """
    if isinstance(cents, (int, np.integer)):
        return _amount(cents)
    if isinstance(cents, pd.Series):
        return pd.Series([_amount(c) for c in cents.to_numpy()], index=cents.index, name=cents.name, dtype=object)
    return np.array([_amount(c) for c in np.asarray(cents)], dtype=object)


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


def _frame_from_columns(columns: dict) -> pd.DataFrame:
    data = {
        "engagement": _categorical(columns["engagement"], columns["engagements"]),
        "client": _categorical(columns["client"], columns["clients"]),
        "start": columns["start"],
        "seconds": columns["seconds"],
        "billed_seconds": columns["billed_seconds"],
        "kind": _categorical(columns["kind"], _core.ENTRY_KINDS),
        "request": _categorical(columns["request"], columns["requests"]),
        "round": columns["round"],
        "use": _categorical(columns["use"], _core.ENTRY_USES),
        "category": _categorical(columns["category"], _core.CATEGORIES),
        "rush": columns["rush"],
    }
    if "note" in columns:
        data["note"] = columns["note"]
    frame = pd.DataFrame(data, copy=False)
    frame.attrs["as_of"] = columns["as_of"]
    return frame


def entries_frame(owner, as_of=None, notes: bool = False) -> pd.DataFrame:
    """One row per entry of a Book or Engagement, classified as of ``as_of`` (default: docs/formats.md's).

    Columns: ``engagement``, ``client`` (categorical), ``start`` (datetime64[ns]), ``seconds`` (raw)
    and ``billed_seconds`` (after the terms' per-entry rounding), ``kind``, ``request`` (categorical,
    NaN for none), ``round`` (revision round number, 0 for none), ``use`` (what the time pays for:
    covered, extra_round, quoted_change, hourly_change, call_fee, internal, not_billable),
    ``category`` (the docs/formats.md category that prices it, NaN for internal and unbillable time — and
    covered time shows as ``base``, since overage is a sum over a period, not a property of an
    entry), ``rush`` (bool); with ``notes=True`` also ``note``. Entries dated after the as-of date
    have NaN ``use`` and ``category``. ``frame.attrs["as_of"]`` is the date used.
    """
    return _frame_from_columns(_core._entries_columns(owner, as_of, notes))


def report_frame(report, money: str = "cents") -> pd.DataFrame:
    """One row per engagement and category: ``engagement``, ``client``, ``currency``, ``category`` and

    * ``money="cents"`` (default): ``billable_cents``, ``invoiced_cents``, ``leakage_cents`` as int64;
    * ``money="decimal"``: ``billable``, ``invoiced``, ``leakage`` as Decimal objects.

    ``frame.pivot(index="engagement", columns="category", values="leakage_cents")`` gives the
    engagement × category table.
    """
    columns = _core._report_columns(report)
    engagement = columns["engagement"]
    data = {
        "engagement": _categorical(engagement, columns["engagements"]),
        "client": pd.Categorical(np.asarray(columns["clients"], dtype=object)[engagement]),
        "currency": pd.Categorical(np.asarray(columns["currencies"], dtype=object)[engagement]),
        "category": _categorical(columns["category"], _core.CATEGORIES),
    }
    if money == "cents":
        for name in ("billable", "invoiced", "leakage"):
            data[name + "_cents"] = columns[name]
    elif money == "decimal":
        for name in ("billable", "invoiced", "leakage"):
            data[name] = cents_to_decimal(columns[name])
    else:
        raise ValueError(f'money must be "cents" or "decimal", got {money!r}')
    frame = pd.DataFrame(data, copy=False)
    frame.attrs["as_of"] = report.as_of
    return frame


def summary_frame(report, money: str = "cents") -> pd.DataFrame:
    """One row per engagement of a Report: ``engagement``, ``client``, ``currency`` (categorical, as
    in :func:`report_frame`), ``worked_seconds`` (int64), the totals over the categories —

    * ``money="cents"`` (default): ``billable_cents``, ``invoiced_cents``, ``unbilled_cents`` (int64)
      and ``effective_rate_cents`` (nullable Int64: <NA> when nothing was worked);
    * ``money="decimal"``: ``billable``, ``invoiced``, ``unbilled``, ``effective_rate`` as Decimal
      (None for no effective rate) —

    and ``alerts`` (the report's alerts, comma-joined; "" for none). ``unbilled`` is the report's
    (Σ positive leakage), so billable − invoiced differs from it where a category is overbilled.
    """
    if money not in ("cents", "decimal"):
        raise ValueError(f'money must be "cents" or "decimal", got {money!r}')
    engagements = report.engagements
    amounts = {
        "billable": [_total(r.billable.values()) for r in engagements],
        "invoiced": [_total(r.invoiced.values()) for r in engagements],
        "unbilled": [r.unbilled for r in engagements],
        "effective_rate": [r.effective_rate for r in engagements],
    }
    ids = [r.id for r in engagements]
    data = {
        "engagement": pd.Categorical(ids, categories=pd.Index(ids, dtype=object)),
        "client": pd.Categorical([r.client for r in engagements]),
        "currency": pd.Categorical([r.currency for r in engagements]),
        "worked_seconds": np.array([r.worked_seconds for r in engagements], dtype=np.int64),
    }
    for name, values in amounts.items():
        if money == "decimal":
            data[name] = pd.Series(values, dtype=object)
        elif name == "effective_rate":
            data[name + "_cents"] = pd.array([None if v is None else _cents(v) for v in values], dtype="Int64")
        else:
            data[name + "_cents"] = np.array([_cents(v) for v in values], dtype=np.int64)
    data["alerts"] = pd.Series([",".join(r.alerts) for r in engagements], dtype=object)
    frame = pd.DataFrame(data)
    frame.attrs["as_of"] = report.as_of
    return frame


# ---- columns in --------------------------------------------------------------------------------

def _fail(path: str, rule: str):
    raise _core.ValidationError(f"{path}: {rule}" if path else rule, path, rule)


def _column(value, n: Optional[int]):
    """An ndarray of `value` (a scalar is repeated n times)."""
    if isinstance(value, (pd.Series, pd.Index)):
        return value
    if np.ndim(value) == 0:
        if n is None:
            raise ValueError("give at least one column as an array")
        return np.full(n, value, dtype=object if isinstance(value, str) else None)
    return value


_TICKS_PER_SECOND = {"ms": 10**3, "us": 10**6, "ns": 10**9}


def _clock_seconds(value, name: str) -> np.ndarray:
    """Wall-clock seconds since 1970 (int64) of datetime64 values, datetimes or ISO strings."""
    if isinstance(getattr(value, "dtype", None), pd.DatetimeTZDtype):
        _fail(name, "times have no zone in kontingent (local wall-clock time); use .dt.tz_localize(None)")
    array = np.asarray(value)
    if array.dtype.kind in "iu":
        return array.astype(np.int64, copy=False)
    if array.dtype.kind != "M":
        array = pd.to_datetime(pd.Series(array, dtype=object) if array.dtype == object else array).to_numpy()
        if array.dtype.kind != "M":
            _fail(name, "must be datetimes")
    if np.isnat(array).any():
        _fail(f"{name}[{int(np.flatnonzero(np.isnat(array))[0])}]", "missing time")
    unit, count = np.datetime_data(array.dtype)
    if unit in _TICKS_PER_SECOND and count == 1:
        # Integer division: numpy's astype("datetime64[s]") overflows near the ends of the ns range
        # (1677-09-21T00:12:44 came back as 2262).
        seconds, rest = np.divmod(array.view(np.int64), _TICKS_PER_SECOND[unit])
        if rest.any():
            _fail(name, "times are whole seconds")
        return seconds
    seconds = array.astype("datetime64[s]")
    if array.dtype != seconds.dtype and (seconds.astype(array.dtype) != array).any():
        _fail(name, "times are whole seconds")
    return seconds.view(np.int64)


def _whole(value, name: str, scale: int = 1) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.kind == "m":
        exact = array.astype("timedelta64[s]")
        if (exact.astype(array.dtype) != array).any() or np.isnat(array).any():
            _fail(name, "durations are whole seconds")
        return exact.view(np.int64)
    if array.dtype.kind == "f":
        if not np.isfinite(array).all() or (array != np.round(array)).any():
            _fail(name, "must be whole numbers")
    elif array.dtype.kind not in "iu":
        _fail(name, f"must be integers, got {array.dtype}")
    # Refused before scaling or casting, which would wrap (2**62 + 60 minutes became 60).
    most = _core._LONGEST_ENTRY_SECONDS // scale
    for wrong, rule in ((array > most, f"an entry lasts at most {_core._LONGEST_ENTRY_SECONDS // 60} minutes"),
                        (array < -most, "must be positive")):
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            _fail(f"{name}[{i}]", f"{rule}, got {array[i]!r}")
    return array.astype(np.int64) * scale


def _kind_codes(value, first: int) -> np.ndarray:
    if isinstance(getattr(value, "dtype", None), pd.CategoricalDtype) or isinstance(value, pd.Categorical):
        cat = pd.Categorical(value)
        lookup = np.array([_KIND_CODE.get(c, -1) for c in cat.categories], dtype=np.int16)
        codes = np.where(cat.codes >= 0, lookup[cat.codes] if len(lookup) else -1, -1)
        bad_values = np.asarray(cat)
    else:
        array = np.asarray(value)
        if array.dtype.kind in "iu":
            # Out of range before the cast, which would wrap (65536 became 0, "scope").
            codes = np.where((array >= 0) & (array < len(_core.ENTRY_KINDS)), array, -1).astype(np.int16)
            bad_values = array
        else:
            cat = pd.Categorical(array, categories=list(_core.ENTRY_KINDS))
            codes = cat.codes.astype(np.int16)
            bad_values = array
    bad = (codes < 0) | (codes >= len(_core.ENTRY_KINDS))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        _fail(f"entries[{first + i}].kind",
              f'entry kind must be {", ".join(_core.ENTRY_KINDS[:-1])} or {_core.ENTRY_KINDS[-1]}, got {bad_values[i]!r}')
    return codes.astype(np.uint8)


def _request_codes(value, n: int):
    """(int32 codes, ids): requests named by id; None, NaN and "" mean none."""
    if value is None:
        return np.full(n, -1, dtype=np.int32), []
    cat = pd.Categorical(_column(value, n))
    ids = [str(c) for c in cat.categories]
    codes = cat.codes.astype(np.int32)
    if "" in ids:
        codes = np.where(codes == ids.index(""), -1, codes).astype(np.int32)
    return codes, ids


def _notes(value, n: int):
    if value is None:
        return None
    return np.ascontiguousarray(np.asarray(_column(value, n), dtype=object))


def _entry_columns(first: int, start, seconds, minutes, end, duration, kind, request, note):
    n = None
    for v in (start, seconds, minutes, end, duration, kind, request, note):
        if v is not None and np.ndim(v) > 0:
            n = len(v)
            break
    if start is None or kind is None:
        raise TypeError("entries need start and kind")
    starts = _clock_seconds(_column(start, n), "start")
    n = len(starts)
    given = [name for name, v in (("seconds", seconds), ("minutes", minutes), ("end", end), ("duration", duration))
             if v is not None]
    if len(given) != 1:
        raise TypeError("give exactly one of seconds, minutes, end and duration, got " + (", ".join(given) or "none"))
    if seconds is not None:
        secs = _whole(_column(seconds, n), "seconds")
    elif minutes is not None:
        secs = _whole(_column(minutes, n), "minutes", 60)
    elif duration is not None:
        secs = _whole(_column(duration, n), "duration")
    else:
        secs = _clock_seconds(_column(end, n), "end") - starts
    kinds = _kind_codes(_column(kind, n), first)
    codes, ids = _request_codes(request, n)
    lengths = {len(starts), len(secs), len(kinds), len(codes)}
    if len(lengths) != 1:
        raise ValueError(f"entry columns differ in length: {sorted(lengths)}")
    return starts, secs, kinds, codes, ids, _notes(note, n)


def _from_frame(frame: pd.DataFrame, names):
    return {name: frame[name] for name in names if name in frame.columns}


_ENTRY_COLUMNS = ("start", "seconds", "minutes", "end", "duration", "kind", "request", "note")


def add_entries(engagement, frame: Optional[pd.DataFrame] = None, *, start=None, seconds=None, minutes=None,
                end=None, duration=None, kind=None, request=None, note=None) -> None:
    """Appends entries from columns: numpy arrays, Series, lists, or a DataFrame with those columns.

    ``start`` (datetime64 / datetime / ISO strings / int seconds since 1970), exactly one of
    ``seconds``, ``minutes``, ``duration`` (timedelta64) or ``end``, ``kind`` (strings, a
    Categorical or ENTRY_KINDS codes), ``request`` (ids; None/NaN/"" for none) and ``note``. A
    scalar is used for every row (``kind="scope"``). Everything is checked (docs/formats.md) before
    anything is added; errors name ``entries[i]`` as the entry would have been numbered.
    ``engagement.add_entries(other.entries_frame())`` copies entries between engagements.
    """
    if frame is not None:
        columns = _from_frame(frame, _ENTRY_COLUMNS)
        if "seconds" in columns:  # an entries_frame() also has end-free forms; seconds wins
            for other in ("minutes", "end", "duration"):
                columns.pop(other, None)
        return add_entries(engagement, **columns)
    first = len(engagement.entries)
    starts, secs, kinds, codes, ids, notes = _entry_columns(first, start, seconds, minutes, end, duration, kind,
                                                            request, note)
    _core._add_entry_columns(engagement, starts, secs, kinds, codes, ids, notes)


def with_entries(book, frame: pd.DataFrame):
    """A copy of the book whose entries are the rows of ``frame`` (all of them replace the book's).

    ``frame`` has an ``engagement`` column (ids) plus the columns of :func:`add_entries`; rows keep
    their order within each engagement. ``book.with_entries(book.entries_frame(notes=True))``
    equals ``book`` up to how entries are written in the file (minutes vs end).
    """
    if "engagement" not in frame.columns:
        raise ValueError("the frame needs an engagement column")
    columns = _from_frame(frame, _ENTRY_COLUMNS)
    if "seconds" in columns:
        for other in ("minutes", "end", "duration"):
            columns.pop(other, None)
    starts, secs, kinds, codes, ids, notes = _entry_columns(0, **{name: columns.get(name) for name in _ENTRY_COLUMNS})
    engagements = pd.Categorical(frame["engagement"])
    engagement_ids = [str(c) for c in engagements.categories]
    return _core._with_entries(book, engagements.codes.astype(np.int32), engagement_ids, starts, secs, kinds, codes,
                               ids, notes)


# ---- triage and imports ---------------------------------------------------------------------------


def triage_frame(triage, money: str = "cents") -> pd.DataFrame:
    """One row per client (and currency) and engagement of a :class:`Triage`, clients first.

    Columns: ``level`` ("client" or "engagement"), ``client``, ``client_name``, ``engagement``
    (None on client rows), ``currency``, ``verdict``; money (``invoiced``, ``billable``, ``unbilled``,
    ``outstanding``, ``list_rate``, ``effective_rate``, ``at_stake`` = Σ of the reasons) as int64
    ``…_cents`` (``money="cents"``, effective rate as nullable Int64) or Decimal (``money="decimal"``);
    ``rate_percent``, ``call_share_percent``, ``revision_share_percent``, ``rush_share_percent``,
    ``worked_seconds``, ``requests``, ``rush_requests``, ``extra_rounds``, ``no_shows``,
    ``days_to_pay_mean`` (nullable Int64), ``days_to_pay_worst``, ``review``, ``drains`` (the reasons'
    drains, comma-joined), ``reason_count`` and ``reasons`` (the sentences joined with "; ").
    """
    if money not in ("cents", "decimal"):
        raise ValueError(f'money must be "cents" or "decimal", got {money!r}')
    money_names = ("invoiced", "billable", "unbilled", "outstanding", "list_rate", "effective_rate", "at_stake")
    records = []
    for row in (*triage.clients, *triage.engagements):
        i = row.indicators
        amounts = {
            "invoiced": i.invoiced, "billable": i.billable, "unbilled": i.unbilled, "outstanding": i.outstanding,
            "list_rate": i.list_rate, "effective_rate": i.effective_rate,
            "at_stake": _total(r.at_stake for r in row.reasons),
        }
        record = {"level": row.level, "client": row.client, "client_name": row.client_name,
                  "engagement": row.engagement, "currency": row.currency, "verdict": row.verdict}
        for name in money_names:
            value = amounts[name]
            if money == "cents":
                record[name + "_cents"] = None if value is None else _cents(value)
            else:
                record[name] = value
        record.update({
            "rate_percent": i.rate_percent, "call_share_percent": i.call_share_percent,
            "revision_share_percent": i.revision_share_percent, "rush_share_percent": i.rush_share_percent,
            "worked_seconds": i.worked_seconds, "requests": i.requests, "rush_requests": i.rush_requests,
            "extra_rounds": i.extra_rounds, "no_shows": i.no_shows, "days_to_pay_mean": i.days_to_pay_mean,
            "days_to_pay_worst": i.days_to_pay_worst, "review": i.review,
            "drains": ",".join(r.drain for r in row.reasons), "reason_count": len(row.reasons),
            "reasons": "; ".join(r.sentence for r in row.reasons),
        })
        records.append(record)
    columns = ["level", "client", "client_name", "engagement", "currency", "verdict"]
    columns += [n + "_cents" for n in money_names] if money == "cents" else list(money_names)
    columns += ["rate_percent", "call_share_percent", "revision_share_percent", "rush_share_percent", "worked_seconds",
                "requests", "rush_requests", "extra_rounds", "no_shows", "days_to_pay_mean", "days_to_pay_worst",
                "review", "drains", "reason_count", "reasons"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    if money == "cents":
        for name in money_names:
            frame[name + "_cents"] = frame[name + "_cents"].astype("Int64" if name == "effective_rate" else "int64")
    int_columns = ["rate_percent", "call_share_percent", "revision_share_percent", "rush_share_percent", "worked_seconds",
                   "requests", "rush_requests", "extra_rounds", "no_shows", "days_to_pay_worst", "reason_count"]
    for name in int_columns:
        frame[name] = frame[name].astype("int64")
    frame["days_to_pay_mean"] = frame["days_to_pay_mean"].astype("Int64")
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=["keep", "renegotiate", "let_go", "too_early"])
    frame.attrs["as_of"] = triage.as_of
    return frame


def tracker_frame(columns: dict) -> pd.DataFrame:
    """The rows a reader kept, as a DataFrame (see kontingent.read_toggl)."""
    c = columns["columns"]
    frame = pd.DataFrame({
        "start": pd.to_datetime(np.asarray(c["start"], dtype="int64"), unit="s").astype("datetime64[ns]"),
        "seconds": np.asarray(c["seconds"], dtype="int64"),
        "client": pd.Series(c["client"], dtype=object),
        "project": pd.Series(c["project"], dtype=object),
        "task": pd.Series(c["task"], dtype=object),
        "description": pd.Series(c["description"], dtype=object),
        "tags": pd.Series(c["tags"], dtype=object),
        "billable": pd.Series(c["billable"], dtype="boolean"),
        "user": pd.Series(c["user"], dtype=object),
        "line": np.asarray(c["line"], dtype="int64"),
    })
    for key in ("tracker", "file", "rows_read", "skipped", "date_format"):
        frame.attrs[key] = columns[key]
    return frame
