"""Plots a freelancer would rather look at than read (matplotlib; safe under the Agg backend).

* :func:`leakage_by_client` — stacked bars: what each client's terms made billable but was never
  invoiced, by category (overbilling stacks below zero).
* :func:`contingent_burndown` — hours left in each contingent over time, the overage shaded; dates
  as month and year.
* :func:`effective_rate` — what each client really pays per hour worked vs the list rate, each bar
  coloured by that share (red below the list rate, green above).
* :func:`triage_quadrant` — whom to keep: effective rate against drains, bubbles sized by revenue,
  coloured by the triage verdict, labels placed so that none covers another.

Every function takes an optional ``ax`` and returns the Axes (or the Figure for several engagements).
A figure made here is laid out so that legends beside the plot stay inside it.
Amounts are the report's exact cents, divided by 100 only to draw them. Nothing here computes a
billing rule: the numbers come from ``evaluate``, ``contingent_periods`` and ``entries_frame``.
"""

from __future__ import annotations

from typing import Iterable, Optional

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import matplotlib.pyplot as plt  # headless, matplotlib falls back to Agg; nothing here calls show()
import numpy as np
import pandas as pd
from matplotlib.transforms import Bbox

from . import _core, frames

__all__ = ["leakage_by_client", "contingent_burndown", "effective_rate", "triage_quadrant", "CATEGORY_COLOURS",
           "VERDICT_COLOURS", "RATE_COLOURS", "RATE_SHARE_RANGE"]

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
VERDICT_COLOURS = {"keep": "#59a14f", "renegotiate": "#f28e2b", "let_go": "#e15759", "too_early": "#bab0ac"}

#: Effective rate as a share of the list rate → colour: red below, yellow at, green above the list
#: rate, saturated at half and at one and a half times it, the same in every book.
RATE_COLOURS = plt.get_cmap("RdYlGn")
RATE_SHARE_RANGE = mcolors.Normalize(vmin=0.5, vmax=1.5, clip=True)


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
    if ax.get_legend_handles_labels()[0]:
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


def _date_axis(ax, most_ticks: int = 8):
    """Whole dates on the x axis: the first of each month (or of every few), labelled with month and
    year; a span under two months gets days. Slanted, so that long labels do not run into each other."""
    first, last = (mdates.num2date(v) for v in ax.get_xlim())
    months = (last.year - first.year) * 12 + last.month - first.month
    if months >= 2:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonthday=1, interval=max(1, -(-months // most_ticks))))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    else:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=most_ticks))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    ax.tick_params(axis="x", labelrotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


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
        if as_of is None:  # one date for every panel: the book's default as-of date, not each engagement's own
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
    _date_axis(ax)
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
        invoiced = sum(frames._cents(v) for v in r.invoiced.values())
        rows.append((r.client, r.currency, invoiced, r.worked_seconds, frames._cents(rates[r.id])))
    frame = pd.DataFrame(rows, columns=["client", "currency", "invoiced_cents", "worked_seconds", "rate_cents"])
    frame, currency = _single_currency(frame, currency)
    frame = frame.assign(rate_seconds=frame.rate_cents * frame.worked_seconds)
    per_client = frame.groupby("client", sort=False)[["invoiced_cents", "worked_seconds", "rate_seconds"]].sum()
    per_client = per_client[per_client.worked_seconds > 0]
    effective = per_client.invoiced_cents * 36 / per_client.worked_seconds  # cents·3600/s/100 = units per hour
    listed = per_client.rate_seconds / per_client.worked_seconds / 100
    share = effective / listed
    order = share.sort_values().index
    names = _client_names(book)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 1.1 * len(order) + 2), 4.5), layout="constrained")
    ax.set_title("Effective rate (invoiced ÷ hours worked) vs list rate, per client")
    ax.set_ylabel(f"{currency} per hour worked")
    if not len(order):
        ax.text(0.5, 0.5, "no hours worked yet", ha="center", va="center", transform=ax.transAxes, color="grey")
        ax.set_xticks([])
        return ax
    x = np.arange(len(order))
    # The colour says how far below or above the list rate a client pays: 48 % and 85 % look different.
    colours = RATE_COLOURS(RATE_SHARE_RANGE(share[order].to_numpy(dtype=float)))
    bars = ax.bar(x, effective[order], color=colours, edgecolor="black", linewidth=0.5,
                  label="effective rate (colour: share of the list rate)")
    ax.scatter(x, listed[order], marker="_", s=900, color="black", linewidths=2.5, label="list rate", zorder=3)
    for bar, e, s in zip(bars, effective[order], share[order]):
        ax.annotate(f"{e:,.0f}\n({s:.0%})", (bar.get_x() + bar.get_width() / 2, e), ha="center", va="bottom",
                    fontsize=8)
    ax.set_xticks(x, [names.get(c, c) for c in order], rotation=30, ha="right")
    ax.set_ylim(top=1.12 * max(effective.max(), listed.max()))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), markerscale=0.4)
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
        _, ax = plt.subplots(figsize=(8, 5.5), layout="constrained")
    colours = [VERDICT_COLOURS[str(v)] for v in frame.verdict]
    ax.scatter(x, yv, s=size, c=colours, alpha=0.65, edgecolors="black", linewidths=0.6, zorder=3)
    ax.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    list_rate = ax.annotate("list rate", (1.0, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12),
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
    labels = frame.client_name if level == "client" else frame.engagement
    _place_labels(ax, x, yv, np.sqrt(size) / 2, [str(label) for label in labels], avoid=[list_rate])
    return ax


def _place_labels(ax, x, y, radii, labels, *, avoid=()):
    """Labels next to their points, none over another: greedy, the biggest bubble first, each label
    takes the first place around its point (further out when all near ones are taken) whose box
    overlaps no label placed before it, no bubble and no artist in `avoid`, and stays inside the axes;
    where every place clashes, the one that covers least.

    Boxes are measured in display units with the axes as they are now: the figure is laid out first,
    and the labels take no part in the layout, so placing them does not move the axes again.
    """
    figure = ax.figure
    figure.canvas.draw()  # lays the figure out: the axes' place and scale are final from here on
    inside = ax.get_window_extent()
    taken = [artist.get_window_extent() for artist in avoid]
    centres = ax.transData.transform(np.column_stack([x, y]))
    pixels = radii * figure.dpi / 72
    bubbles = [Bbox.from_extents(cx - r, cy - r, cx + r, cy + r) for (cx, cy), r in zip(centres, pixels)]
    directions = [(1, 1), (1, -1), (-1, 1), (-1, -1), (0, 1), (0, -1), (1, 0), (-1, 0)]
    for i in np.argsort(-radii, kind="stable"):
        best = None  # (clash, distance, offset, alignment, box)
        for distance in (1.0, 1.6, 2.4, 3.4):
            for dx, dy in directions:
                gap = radii[i] / np.sqrt(2 if dx and dy else 1) + 3  # clear of the bubble's edge, in points
                offset = (dx * gap * distance, dy * gap * distance)
                align = {"ha": {1: "left", 0: "center", -1: "right"}[dx], "va": {1: "bottom", 0: "center", -1: "top"}[dy]}
                trial = ax.annotate(labels[i], (x[i], y[i]), xytext=offset, textcoords="offset points", fontsize=8, **align)
                box = trial.get_window_extent()
                trial.remove()
                clash = (sum(_overlap(box, other) for other in taken) + _outside(box, inside)
                         + sum(_overlap(box, bubble) for k, bubble in enumerate(bubbles) if k != i))
                if best is None or clash < best[0]:
                    best = (clash, distance, offset, align, box)
                if clash == 0:
                    break
            if best[0] == 0:
                break
        clash, distance, offset, align, box = best
        # A label pushed away from its bubble keeps a thin line to it, so it is clear whose it is.
        arrow = dict(arrowstyle="-", color="grey", linewidth=0.6, shrinkA=0, shrinkB=pixels[i] * 72 / figure.dpi) \
            if distance > 1 else None
        text = ax.annotate(labels[i], (x[i], y[i]), xytext=offset, textcoords="offset points", fontsize=8,
                           arrowprops=arrow, zorder=4, **align)
        text.set_in_layout(False)
        taken.append(box)


def _overlap(a, b) -> float:
    """The area two boxes share (display units²)."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _outside(box, frame) -> float:
    """The area of `box` outside `frame`."""
    return box.width * box.height - _overlap(box, frame)
