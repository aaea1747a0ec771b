"""Plots a freelancer would rather look at than read (matplotlib; safe under the Agg backend).

* :func:`leakage_by_client` — stacked bars: what each client's terms made billable but was never
  invoiced, by category (overbilling stacks below zero).
* :func:`contingent_burndown` — hours left in each contingent over time, the overage shaded.
* :func:`effective_rate` — what each client really pays per hour worked vs the list rate.
* :func:`triage_quadrant` — whom to keep: effective rate against drains, bubbles sized by revenue,
  coloured by the triage verdict.

Every function takes an optional ``ax`` and returns the Axes (or the Figure for several engagements).
Amounts are the report's exact cents, divided by 100 only to draw them. Nothing here computes a
billing rule: the numbers come from ``evaluate``, ``contingent_periods`` and ``entries_frame``.
"""

from __future__ import annotations

from typing import Iterable, Optional

import matplotlib.dates as mdates
import matplotlib.pyplot as plt  # headless, matplotlib falls back to Agg; nothing here calls show()
import numpy as np
import pandas as pd

from . import _core

__all__ = ["leakage_by_client", "contingent_burndown", "effective_rate", "triage_quadrant", "CATEGORY_COLOURS",
           "VERDICT_COLOURS"]

#: One colour per billing category, the same in every plot.
CATEGORY_COLOURS = {
    "base": "#4e79a7",
    "overage": "#e15759",
    "revision": "#f28e2b",
    "change": "#76b7b2",
    "call": "#edc948",
    "rush": "#b07aa1",
    "no_show": "#9c755f",
}

#: One colour per triage verdict.
VERDICT_COLOURS = {"keep": "#59a14f", "renegotiate": "#f28e2b", "let_go": "#e15759"}


def _client_names(book) -> dict:
    return {c.id: c.name for c in book.clients} if book is not None else {}


def _single_currency(frame: pd.DataFrame, currency: Optional[str]) -> tuple[pd.DataFrame, str]:
    currencies = list(frame["currency"].unique())
    if currency is None:
        if len(currencies) > 1:
            raise ValueError(f"the report has several currencies {currencies}: pass currency=")
        currency = currencies[0] if currencies else ""
    return frame[frame["currency"] == currency], currency


def leakage_by_client(report, book=None, *, ax=None, currency: Optional[str] = None, top: Optional[int] = None):
    """Stacked bars per client: leakage (billable − invoiced) by category, largest first.

    Positive leakage (unbilled) stacks upwards, negative (overbilled) downwards. ``book`` supplies
    client names; ``top`` keeps the clients that leak most.
    """
    frame, currency = _single_currency(report.to_frame(), currency)
    table = (frame.groupby(["client", "category"], observed=True)["leakage_cents"].sum()
             .unstack("category", fill_value=0).reindex(columns=list(_core.CATEGORIES), fill_value=0))
    table = table.loc[table.clip(lower=0).sum(axis=1).sort_values(ascending=False).index]
    if top is not None:
        table = table.iloc[:top]
    names = _client_names(book)
    labels = [names.get(c, c) for c in table.index]
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 1.1 * len(table) + 2), 4.5))
    x = np.arange(len(table))
    up = np.zeros(len(table))
    down = np.zeros(len(table))
    for category in _core.CATEGORIES:
        amount = table[category].to_numpy() / 100
        if not amount.any():
            continue
        positive, negative = np.clip(amount, 0, None), np.clip(amount, None, 0)
        ax.bar(x, positive, bottom=up, color=CATEGORY_COLOURS[category], label=category)
        if negative.any():
            ax.bar(x, negative, bottom=down, color=CATEGORY_COLOURS[category], hatch="//", alpha=0.6)
        up += positive
        down += negative
    for xi, total in zip(x, up):
        if total > 0:
            ax.annotate(f"{total:,.0f}", (xi, total), ha="center", va="bottom", fontsize=8)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.set_ylabel(f"leakage ({currency})")
    ax.set_title(f"Where money leaks, by client and category (as of {report.as_of.isoformat()})")
    ax.legend(title="category", fontsize=8)
    ax.figure.tight_layout()
    return ax


def _burndown_steps(engagement, as_of):
    """(times, hours left) for each period, plus the periods: a step line per period."""
    periods = engagement.contingent_periods(as_of)
    entries = engagement.entries_frame(as_of)
    covered = entries[entries["use"] == "covered"].sort_values("start", kind="stable")
    starts = covered["start"].to_numpy()
    billed = covered["billed_seconds"].to_numpy()
    lines = []
    for i, (first_day, use) in enumerate(periods):
        begin = np.datetime64(first_day, "ns")
        end = (np.datetime64(periods[i + 1][0], "ns") if i + 1 < len(periods)
               else np.datetime64(as_of if as_of else entries.attrs["as_of"], "ns") + np.timedelta64(1, "D"))
        if engagement.terms.pricing == "contingent":
            end = max(end, starts[-1] + np.timedelta64(1, "s")) if len(starts) else end
        inside = (starts >= begin) & (starts < end)
        t = np.concatenate([[begin], starts[inside], [end]])
        left = use.available_seconds - np.concatenate([[0], np.cumsum(billed[inside]), [billed[inside].sum()]])
        lines.append((t, left / 3600, use))
    return lines


def contingent_burndown(book_or_engagement, engagement: Optional[str] = None, *, as_of=None, ax=None):
    """Hours left in the contingent over time, per engagement: the overage (below zero) shaded red.

    A retainer restarts each month at its available hours (carry included); a contingent block is
    one period. With a Book, pass ``engagement=`` (an id) or get one panel per contingent/retainer
    engagement (returns the Figure).
    """
    if isinstance(book_or_engagement, _core.Book):
        book = book_or_engagement
        if engagement is not None:
            return contingent_burndown(book.engagement(engagement), as_of=as_of, ax=ax)
        if as_of is None:  # one date for every panel: the book's (SPEC §6), not each engagement's own
            as_of = book.evaluate().as_of
        chosen = [e for e in book.engagements if e.terms.pricing in ("contingent", "retainer") and e.start <= as_of]
        if not chosen:
            raise ValueError("no engagement of this book has a contingent")
        fig, axes = plt.subplots(len(chosen), 1, figsize=(9, 2.8 * len(chosen)), squeeze=False)
        for e, a in zip(chosen, axes[:, 0]):
            contingent_burndown(e, as_of=as_of, ax=a)
        fig.tight_layout()
        return fig
    e = book_or_engagement
    if e.terms.pricing not in ("contingent", "retainer"):
        raise ValueError(f"engagement {e.id!r} has {e.terms.pricing} pricing: no contingent to burn down")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2))
    over_labelled = False
    for t, left, use in _burndown_steps(e, as_of):
        ax.step(t, left, where="post", color="#4e79a7", linewidth=1.5)
        ax.fill_between(t, left, 0, where=left >= 0, step="post", color="#4e79a7", alpha=0.15)
        if (left < 0).any():
            ax.fill_between(t, left, 0, where=left < 0, step="post", color="#e15759", alpha=0.5,
                            label=None if over_labelled else "overage")
            over_labelled = True
    ax.axhline(0, color="black", linewidth=0.8)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("hours left")
    ax.set_title(f"{e.id}: {e.terms.pricing} of {e.terms.contingent_hours:g} h"
                 + (" a month" if e.terms.pricing == "retainer" else ""))
    if over_labelled:
        ax.legend(loc="upper right", fontsize=8)
    return ax


def effective_rate(report, book, *, ax=None, currency: Optional[str] = None):
    """Per client: invoiced per hour worked (all their engagements) against the list rate.

    The list rate is the client's engagements' hourly rates weighted by the hours worked on each;
    a bar well below it means the terms let work go unpaid.
    """
    rows = []
    rates = {e.id: e.terms.rate for e in book.engagements}
    for r in report.engagements:
        if currency is not None and r.currency != currency:
            continue
        invoiced = sum(int(v.scaleb(2)) for v in r.invoiced.values())
        rows.append((r.client, r.currency, invoiced, r.worked_seconds, int(rates[r.id].scaleb(2))))
    frame = pd.DataFrame(rows, columns=["client", "currency", "invoiced_cents", "worked_seconds", "rate_cents"])
    frame, currency = _single_currency(frame, currency)
    frame = frame.assign(rate_seconds=frame.rate_cents * frame.worked_seconds)
    per_client = frame.groupby("client", sort=False)[["invoiced_cents", "worked_seconds", "rate_seconds"]].sum()
    per_client = per_client[per_client.worked_seconds > 0]
    effective = per_client.invoiced_cents * 36 / per_client.worked_seconds  # cents·3600/s/100 = units per hour
    listed = per_client.rate_seconds / per_client.worked_seconds / 100
    order = (effective / listed).sort_values().index
    names = _client_names(book)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 1.1 * len(order) + 2), 4.5))
    x = np.arange(len(order))
    bars = ax.bar(x, effective[order], color=["#e15759" if e < l else "#59a14f" for e, l in
                                                zip(effective[order], listed[order])], label="effective rate")
    ax.scatter(x, listed[order], marker="_", s=900, color="black", linewidths=2.5, label="list rate", zorder=3)
    for bar, e, l in zip(bars, effective[order], listed[order]):
        ax.annotate(f"{e:,.0f}\n({e / l:.0%})", (bar.get_x() + bar.get_width() / 2, e), ha="center", va="bottom",
                    fontsize=8)
    ax.set_xticks(x, [names.get(c, c) for c in order], rotation=30, ha="right")
    ax.set_ylabel(f"{currency} per hour worked")
    ax.set_title("Effective rate (invoiced ÷ hours worked) vs list rate, per client")
    ax.set_ylim(top=1.12 * max(effective.max(), listed.max()))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.figure.tight_layout()
    return ax


def triage_quadrant(triage, *, level: str = "client", y: str = "drains", ax=None, currency: Optional[str] = None):
    """Whom to keep: one bubble per client (``level="engagement"``: per engagement) of a :class:`Triage`.

    x is the effective rate as a share of the list rate (1.0 = pays the list rate); y is the number
    of drain reasons (``y="drains"``) or the unbilled and outstanding money as a share of what the
    terms made billable (``y="share"``). Bubble area is the invoiced revenue, colour the verdict.
    Bottom right (full rate, few drains) is where the clients to keep sit; top left the ones to let go.
    """
    if level not in ("client", "engagement"):
        raise ValueError(f'level must be "client" or "engagement", got {level!r}')
    if y not in ("drains", "share"):
        raise ValueError(f'y must be "drains" or "share", got {y!r}')
    frame = triage.to_frame()
    frame = frame[frame.level == level]
    frame, currency = _single_currency(frame, currency)
    frame = frame[frame.effective_rate_cents.notna()]
    x = frame.rate_percent.to_numpy(dtype=float) / 100
    if y == "drains":
        yv = frame.drains.map(lambda d: len([part for part in d.split(",") if part])).to_numpy(dtype=float)
        ylabel = "drain reasons"
    else:
        billable = frame.billable_cents.to_numpy(dtype=float)
        drained = (frame.unbilled_cents + frame.outstanding_cents).to_numpy(dtype=float)
        yv = np.divide(drained, billable, out=np.zeros_like(drained), where=billable > 0)
        ylabel = "unbilled + outstanding, share of billable"
    invoiced = frame.invoiced_cents.to_numpy(dtype=float) / 100
    size = 60 + 1400 * invoiced / invoiced.max() if len(invoiced) and invoiced.max() > 0 else np.full(len(frame), 60.0)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5.5))
    colours = [VERDICT_COLOURS[str(v)] for v in frame.verdict]
    ax.scatter(x, yv, s=size, c=colours, alpha=0.65, edgecolors="black", linewidths=0.6, zorder=3)
    labels = frame.client_name if level == "client" else frame.engagement
    for xi, yi, label in zip(x, yv, labels):
        ax.annotate(str(label), (xi, yi), xytext=(6, 6), textcoords="offset points", fontsize=8)
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    ax.annotate("list rate", (1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12),
                textcoords="offset points", fontsize=8, color="grey")
    for verdict, colour in VERDICT_COLOURS.items():
        ax.scatter([], [], s=80, color=colour, alpha=0.65, edgecolors="black", linewidths=0.6,
                   label=verdict.replace("_", " "))
    ax.legend(title="verdict", fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_xlabel("effective rate ÷ list rate")
    ax.set_ylabel(ylabel)
    if y == "share":
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    margin = 0.1
    if len(x):
        ax.set_xlim(min(x.min(), 1.0) - margin, max(x.max(), 1.0) + margin)
        ax.set_ylim(min(0.0, yv.min()) - (0.5 if y == "drains" else 0.05), yv.max() + (1 if y == "drains" else 0.08))
    ax.set_title(f"Whom to keep ({currency}): bubble size = invoiced, as of {triage.as_of.isoformat()}")
    ax.grid(True, alpha=0.3)
    ax.figure.tight_layout()
    return ax
