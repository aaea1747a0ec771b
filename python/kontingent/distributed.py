"""Evaluating a book that does not fit one process: Dask, partitioned by engagement.

A book splits into

* its **skeleton** — clients and engagements with terms, requests, appointments, invoices and
  payments but no entries (small: a few records per engagement), and
* its **entries** — a Dask DataFrame with an ``engagement`` column (plus ``start``, ``seconds`` or
  ``minutes``/``end``/``duration``, ``kind``, ``request``, ``note``: the columns of
  ``Book.with_entries``), **partitioned by engagement**: all entries of an engagement are in one
  partition, in their order.

Every rule of docs/formats.md looks at one engagement only, so each partition can be evaluated on its own:
a worker builds a book from the skeleton's engagements of that partition and its rows (one bulk
``Book.with_entries``, checked in C++, no loop per row), evaluates it and returns
``report.to_frame()``. The driver concatenates the frames in the skeleton's engagement order; the
result equals ``book.evaluate(as_of).to_frame()`` of the whole book, row for row.

The one thing that is *not* local to an engagement is the default as-of date (docs/formats.md: the latest
event of the whole book). :func:`evaluate_partitioned` therefore fixes the date once, on the
driver — the one given, or :func:`default_as_of` of skeleton and entries together — and hands the
same date to every partition.

    from distributed import Client, LocalCluster
    import kontingent as k
    from kontingent.distributed import partition_book, evaluate_partitioned

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster):
        skeleton, entries = partition_book(k.Book.load("studio.book.json"), npartitions=4)
        frame = evaluate_partitioned(skeleton, entries)    # == book.evaluate().to_frame()

:func:`write_partitioned` / :func:`read_partitioned` keep such a data set on disk (the skeleton as
a ``.kbin`` archive, one pickled pandas frame per partition).
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Optional, Sequence, Tuple

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from . import _core

__all__ = ["skeleton_of", "partition_book", "default_as_of", "evaluate_partition", "evaluate_partitioned",
           "write_partitioned", "read_partitioned"]

#: The columns of an entries frame that ``Book.with_entries`` reads (the rest are derived by evaluation).
ENTRY_COLUMNS = ("engagement", "start", "seconds", "kind", "request", "note")


def skeleton_of(book):
    """The book without its entries: clients and engagements with everything else."""
    return book.with_entries(book.entries_frame().iloc[:0])


def partition_book(book, npartitions: int) -> Tuple[object, dd.DataFrame]:
    """``(skeleton, entries)`` of a book: its :func:`skeleton_of` and a Dask DataFrame of its entries.

    ``entries`` has the columns ``engagement``, ``start``, ``seconds``, ``kind``, ``request`` and
    ``note``, indexed by the engagement's position in the book (``engagement_number``, sorted, with
    known divisions), at most ``npartitions`` partitions of about equal numbers of rows, and never an
    engagement split between two partitions (so there are fewer partitions than asked when
    engagements are few or very unequal).
    """
    frame = book.entries_frame(notes=True)[list(ENTRY_COLUMNS)]
    frame.index = pd.Index(frame["engagement"].cat.codes.to_numpy(np.int64), name="engagement_number")
    return skeleton_of(book), dd.from_pandas(frame, npartitions=max(1, int(npartitions)), sort=True)


def _starts(part: pd.DataFrame) -> pd.Series:
    start = part["start"]
    if pd.api.types.is_datetime64_any_dtype(start):
        return start
    if pd.api.types.is_integer_dtype(start):  # seconds since 1970, as Book.with_entries reads them
        return pd.to_datetime(start, unit="s")
    return pd.to_datetime(start)


def _latest_start(part: pd.DataFrame) -> Optional[_dt.date]:
    latest = _starts(part).max() if len(part) else pd.NaT
    return None if pd.isna(latest) else latest.date()


def default_as_of(skeleton, entries: dd.DataFrame) -> Optional[_dt.date]:
    """docs/formats.md's default as-of date of the whole book that skeleton and entries make.

    The latest date of any entry (one pass over ``entries``, computed with the current Dask
    scheduler), request, appointment, invoice or payment; for a book without any of these its latest
    engagement start; None for a book without engagements. Equals ``book.evaluate().as_of``.
    """
    # The skeleton holds every event but the entries: the library dates those (and falls back to the
    # latest engagement start), the entries' dates come from the partitions.
    latest = [skeleton.latest_event_date()]
    latest += dask.compute(*[dask.delayed(_latest_start)(p) for p in entries.to_delayed()])
    latest = [d for d in latest if d is not None]
    return max(latest) if latest else skeleton.default_as_of()


def _engagement_column(part: pd.DataFrame) -> pd.DataFrame:
    """The partition with an ``engagement`` column (it may be the index) holding only ids it uses."""
    if "engagement" not in part.columns:
        if part.index.name != "engagement":
            raise ValueError("the entries need an engagement column (or index)")
        part = part.reset_index()
    column = part["engagement"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        part = part.assign(engagement=column.cat.remove_unused_categories())
    return part


def evaluate_partition(skeleton, part: pd.DataFrame, as_of: Optional[_dt.date], threads: int = 1):
    """``(engagement ids, report frame)`` of one partition: the skeleton's engagements that have rows
    in ``part``, with those rows as their entries, evaluated as of ``as_of``. Runs in a worker."""
    part = _engagement_column(part)
    ids = [str(i) for i in pd.unique(part["engagement"])]
    known = {e.id for e in skeleton.engagements}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ValueError(f"entries name engagements the skeleton does not have: {', '.join(unknown[:5])}")
    wanted = set(ids)
    book = _core.Book(clients=skeleton.clients, engagements=[e for e in skeleton.engagements if e.id in wanted],
                      owner=skeleton.owner)
    report = book.with_entries(part).evaluate(as_of, threads=threads)
    return ids, report.to_frame()


def _combined(frames: Sequence[pd.DataFrame], order: Sequence[str], as_of) -> pd.DataFrame:
    """The partitions' report frames as one, engagements in the book's order, typed like to_frame()."""
    frame = pd.concat([f.astype({"engagement": object, "client": object, "currency": object}) for f in frames],
                      ignore_index=True)
    position = {engagement: i for i, engagement in enumerate(order)}
    frame = frame.iloc[np.argsort(frame["engagement"].map(position).to_numpy(), kind="stable")]
    frame = frame.reset_index(drop=True)
    # As Report.to_frame(): engagements in report order, clients and currencies sorted, all categories.
    frame["engagement"] = pd.Categorical(frame["engagement"], categories=pd.unique(frame["engagement"]))
    frame["client"] = pd.Categorical(frame["client"])
    frame["currency"] = pd.Categorical(frame["currency"])
    frame["category"] = pd.Categorical(frame["category"], categories=list(_core.CATEGORIES))
    frame.attrs["as_of"] = as_of
    return frame


def evaluate_partitioned(skeleton, entries: dd.DataFrame, as_of: Optional[_dt.date] = None, *,
                         threads: int = 1, **compute_options) -> pd.DataFrame:
    """The report frame (``Report.to_frame()``, int64 cents) of the book that skeleton and entries make.

    ``skeleton`` is a Book without entries (:func:`skeleton_of`); ``entries`` a Dask DataFrame with an
    ``engagement`` column, each engagement's entries in exactly one partition (:func:`partition_book`,
    or e.g. ``frame.set_index("engagement")``). Each partition is evaluated as a Dask task
    (:func:`evaluate_partition`) with ``threads`` threads; engagements without entries are evaluated
    on the driver. ``as_of`` defaults to :func:`default_as_of` of the whole data set, computed once
    (an extra pass over ``entries``; give the date to skip it) and the same for every partition, so
    the result equals ``book.evaluate(as_of).to_frame()``. ``frame.attrs["as_of"]`` is the date used.

    Runs on the current Dask scheduler — a ``distributed.Client`` once one is made — or on the one
    ``compute_options`` name (passed to ``dask.compute``, e.g. ``scheduler="processes"``). Raises
    ValueError when an engagement's entries are in two partitions or name an unknown engagement, and
    ValidationError (docs/formats.md) for entries that break a rule.
    """
    if any(len(e.entries) for e in skeleton.engagements):
        raise ValueError("the skeleton has entries: give a book without entries (kontingent.distributed.skeleton_of)")
    if as_of is None:
        as_of = default_as_of(skeleton, entries)
    shared = dask.delayed(skeleton, pure=True)  # one copy in the graph, sent once per worker
    tasks = [dask.delayed(evaluate_partition, pure=True)(shared, part, as_of, threads) for part in entries.to_delayed()]
    results = dask.compute(*tasks, **compute_options)

    seen = {}
    for number, (ids, _) in enumerate(results):
        for engagement in ids:
            if engagement in seen:
                raise ValueError(f'the entries of engagement "{engagement}" are in partitions {seen[engagement]} and '
                                 f"{number}: partition them by engagement")
            seen[engagement] = number
    rest = [e for e in skeleton.engagements if e.id not in seen]
    frames = [frame for _, frame in results]
    frames.append(_core.Book(clients=skeleton.clients, engagements=rest, owner=skeleton.owner).evaluate(as_of).to_frame())
    order = [e.id for e in skeleton.engagements]
    return _combined(frames, order, as_of if as_of is not None else frames[-1].attrs["as_of"])


# ---- on disk ------------------------------------------------------------------------------------

def write_partitioned(book, directory, npartitions: int) -> Path:
    """Writes ``book`` as a partitioned data set: ``skeleton.kbin`` and ``entries-00000.pkl``, … (one
    pandas frame per partition, engagements never split). Returns the directory. Read it back with
    :func:`read_partitioned`. (Debian 12 has no pyarrow, hence pickles rather than Parquet: read
    only data sets you wrote yourself.)"""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    skeleton, entries = partition_book(book, npartitions)
    skeleton.save(os.fspath(directory / "skeleton.kbin"))
    frame = book.entries_frame(notes=True)[list(ENTRY_COLUMNS)]
    numbers = frame["engagement"].cat.codes.to_numpy(np.int64)
    bounds = np.searchsorted(numbers, entries.divisions[1:-1])  # the same cuts, taken with pandas
    cuts = [0, *bounds.tolist(), len(frame)]
    for number, (first, last) in enumerate(zip(cuts, cuts[1:])):
        frame.iloc[first:last].reset_index(drop=True).to_pickle(directory / f"entries-{number:05d}.pkl")
    return directory


def read_partitioned(directory) -> Tuple[object, dd.DataFrame]:
    """``(skeleton, entries)`` of a data set written by :func:`write_partitioned`; each partition is
    read by the worker that evaluates it."""
    directory = Path(directory)
    skeleton = _core.Book.load(os.fspath(directory / "skeleton.kbin"))
    files = sorted(directory.glob("entries-*.pkl"))
    if not files:
        raise FileNotFoundError(f"no entries-*.pkl in {directory}")
    meta = pd.read_pickle(files[0]).iloc[:0]
    return skeleton, dd.from_delayed([dask.delayed(pd.read_pickle)(os.fspath(f)) for f in files], meta=meta,
                                     verify_meta=False)
