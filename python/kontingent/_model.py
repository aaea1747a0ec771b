"""The pure-Python half of the model classes: repr, replace(), iteration, DataFrames and HTML.

The classes themselves live in ``_core`` (so that objects coming out of C++ — ``book.engagements``,
``report.engagements`` — are the same classes users construct, and pickle and ``==`` go straight to
C++). This module adds, in one place, what is easier to say in Python.
"""

from __future__ import annotations

import html
from decimal import Decimal

from . import _core, frames

# Constructor fields of the immutable values, and the defaults a repr leaves out.
_FIELDS = {
    _core.Rounding: (("increment_minutes", None), ("mode", None)),
    _core.CallFee: (("free_minutes", None), ("block_minutes", None), ("fee", None)),
    _core.Rush: (("lead_hours", None), ("surcharge_percent", None)),
    _core.NoShow: (("notice_hours", None), ("fee", None)),
    _core.Terms: (("pricing", None), ("rate", None), ("fixed_price", None), ("contingent_hours", None),
                  ("contingent_price", None), ("rollover_max_hours", None), ("included_rounds", 0),
                  ("extra_round_price", None), ("rounding", None), ("call_fee", None), ("rush", None),
                  ("no_show", None), ("vat", None)),
    _core.Address: (("street", ""), ("postcode", ""), ("city", None), ("country", None)),
    _core.Vat: (("category", None), ("percent", None), ("exemption_reason", "")),
    _core.Owner: (("name", None), ("address", None), ("vat_id", ""), ("tax_number", ""), ("email", ""), ("iban", ""),
                  ("invoice_prefix", ""), ("vat", None)),
    _core.Client: (("id", None), ("name", None), ("channel", ""), ("address", None), ("vat_id", ""), ("email", ""),
                   ("buyer_reference", ""), ("payment_days", None)),
    _core.Request: (("id", None), ("kind", None), ("received", None), ("due", None), ("quote", None),
                    ("declined", False)),
    _core.Entry: (("start", None), ("seconds", None), ("kind", None), ("request", None), ("note", "")),
    _core.Appointment: (("at", None), ("status", None), ("cancelled", None)),
    _core.InvoiceLine: (("category", None), ("amount", None)),
    _core.Invoice: (("id", None), ("date", None), ("lines", None), ("credit_note", False), ("refers_to", None),
                    ("due", None)),
    _core.Payment: (("invoice", None), ("date", None), ("amount", None)),
    _core.Rounds: (("included", None), ("used", None), ("extra", None)),
    _core.ContingentUse: (("available_seconds", None), ("consumed_seconds", None), ("overage_seconds", None)),
}
_SHOWN_EVEN_IF_NONE = frozenset()
_DURATION_FORMS = ("minutes", "end", "duration")


def _fields(self) -> dict:
    return {name: getattr(self, name) for name, _ in _FIELDS[type(self)]}


def _repr(self) -> str:
    parts = []
    for name, default in _FIELDS[type(self)]:
        value = getattr(self, name)
        if value is None and default is None and name not in _SHOWN_EVEN_IF_NONE:
            continue
        if value == default and default is not None:
            continue
        if type(self) is _core.Entry and name == "seconds" and value % 60 == 0:
            parts.append(f"minutes={value // 60}")
            continue
        if type(self) is _core.Invoice and name == "lines":
            value = [(line.category, line.amount) for line in value]
        parts.append(f"{name}={value!r}")
    return f"{type(self).__name__}({', '.join(parts)})"


def _replace(self, **changes):
    """A copy with some fields changed: ``terms.replace(call_fee=CallFee(...))``."""
    fields = _fields(self)
    if type(self) is _core.Entry and any(k in changes for k in _DURATION_FORMS):
        fields.pop("seconds")
    if type(self) is _core.Invoice and "lines" not in changes:
        fields["lines"] = [(line.category, line.amount) for line in fields["lines"]]
    unknown = set(changes) - set(fields) - (set(_DURATION_FORMS) if type(self) is _core.Entry else set())
    if unknown:
        raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
    fields.update(changes)
    return type(self)(**fields)


for _cls in _FIELDS:
    _cls.__repr__ = _repr
    _cls.replace = _replace
    _cls._asdict = _fields


# ---- sequences ----------------------------------------------------------------------------------

def _entries_iter(self):
    for i in range(len(self)):
        yield self[i]


_core.Entries.__iter__ = _entries_iter

def _report_iter(self):
    return iter(self.engagements)


_core.Report.__iter__ = _report_iter


# ---- frames --------------------------------------------------------------------------------------

_core.Book.entries_frame = frames.entries_frame
_core.Engagement.entries_frame = frames.entries_frame
_core.Engagement.add_entries = frames.add_entries
_core.Book.with_entries = frames.with_entries
_core.Report.to_frame = frames.report_frame
_core.Report.summary_frame = frames.summary_frame


def _engagement_report_frame(self, money: str = "cents"):
    """This engagement's category table: one row per category, like Report.to_frame()."""
    import pandas as pd

    data = {"category": pd.Categorical(list(_core.CATEGORIES), categories=list(_core.CATEGORIES))}
    for name in ("billable", "invoiced", "leakage"):
        amounts = getattr(self, name)
        if money == "cents":
            data[name + "_cents"] = [frames._cents(amounts[c]) for c in _core.CATEGORIES]
        elif money == "decimal":
            data[name] = [amounts[c] for c in _core.CATEGORIES]
        else:
            raise ValueError(f'money must be "cents" or "decimal", got {money!r}')
    frame = pd.DataFrame(data)
    if money == "cents":
        frame = frame.astype({n + "_cents": "int64" for n in ("billable", "invoiced", "leakage")})
    frame.insert(0, "currency", self.currency)
    return frame


_core.EngagementReport.to_frame = _engagement_report_frame


# ---- what-if ------------------------------------------------------------------------------------

_PARTS = {
    _core.Rounding: ("rounding", ("increment_minutes", "mode")),
    _core.CallFee: ("call_fee", ("free_minutes", "block_minutes", "fee")),
    _core.Rush: ("rush", ("lead_hours", "surcharge_percent")),
    _core.NoShow: ("no_show", ("notice_hours", "fee")),
}


def _what_if(self, changes: dict | None = None, *, client: str | None = None, engagement: str | None = None,
             as_of=None, **terms):
    """The book re-evaluated under changed terms (``kontingent whatif``): a :class:`WhatIf`.

    Changes are the command's ``KEY=VALUE`` settings as a dict (``{"call_fee.fee": Decimal("40")}``)
    and/or keyword arguments, where a whole part may be given as its class:
    ``book.what_if(call_fee=CallFee(free_minutes=15, block_minutes=30, fee=Decimal("40")))``.
    ``client=`` or ``engagement=`` limits the change to one client's engagements or one engagement.
    A part the terms do not have yet is added only when every field of it is set.
    """
    settings = dict(changes or {})
    for key, value in terms.items():
        if type(value) in _PARTS:
            part, fields = _PARTS[type(value)]
            if key != part:
                raise TypeError(f"{key}= takes a value, not a {type(value).__name__}")
            for field in fields:
                settings[f"{part}.{field}"] = getattr(value, field)
        else:
            settings[key] = value
    if not settings:
        raise TypeError("what_if needs at least one change")
    return _core._what_if(self, settings, client, engagement, as_of)


def _what_if_frame(self, money: str = "cents"):
    """One row per client and category whose billable amount changed: before, after, difference."""
    import pandas as pd

    rows = self.rows
    frame = pd.DataFrame(rows, columns=["client", "currency", "category", "before", "after"])
    frame["difference"] = [frames._EXACT.subtract(after, before) for *_, before, after in rows]
    frame["category"] = pd.Categorical(frame["category"], categories=list(_core.CATEGORIES))
    if money == "cents":
        for name in ("before", "after", "difference"):
            frame[name + "_cents"] = [frames._cents(v) for v in frame.pop(name)]
            frame[name + "_cents"] = frame[name + "_cents"].astype("int64")
    elif money != "decimal":
        raise ValueError(f'money must be "cents" or "decimal", got {money!r}')
    return frame


_core.Book.what_if = _what_if
_core.WhatIf.to_frame = _what_if_frame


# ---- HTML for notebooks ---------------------------------------------------------------------------

def _money(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f}"


def _leak_cell(value: Decimal) -> str:
    style = ' style="color:#b00020;font-weight:bold"' if value > 0 else (' style="color:#1565c0"' if value < 0 else "")
    return f"<td{style}>{_money(value)}</td>"


def _engagement_html(r) -> str:
    rows = "".join(
        f"<tr><th>{c}</th><td>{_money(r.billable[c])}</td><td>{_money(r.invoiced[c])}</td>{_leak_cell(r.leakage[c])}</tr>"
        for c in _core.CATEGORIES)
    hours = r.worked_seconds / 3600
    facts = [f"unbilled <b>{r.currency} {_money(r.unbilled)}</b>", f"overbilled {r.currency} {_money(r.overbilled)}",
             f"worked {hours:,.1f} h", f"effective rate {_money(r.effective_rate)}",
             f"rounds {r.rounds.used}/{r.rounds.included} (+{r.rounds.extra})"]
    if r.contingent is not None:
        c = r.contingent
        facts.append(f"contingent {c.consumed_seconds / 3600:,.1f} of {c.available_seconds / 3600:,.1f} h"
                     f" (overage {c.overage_seconds / 3600:,.1f} h)")
    if r.alerts:
        facts.append("alerts: " + ", ".join(r.alerts))
    return (f"<div><b>{html.escape(r.id)}</b> (client {html.escape(r.client)}, {r.currency})"
            f"<table><tr><th>category</th><th>billable</th><th>invoiced</th><th>leakage</th></tr>{rows}</table>"
            f"<p>{' · '.join(html.escape(f, quote=False) if '<b>' not in f else f for f in facts)}</p></div>")


def _report_html(self) -> str:
    head = "".join(f"<th>{c}</th>" for c in _core.CATEGORIES)
    body = []
    for r in self.engagements:
        cells = "".join(_leak_cell(r.leakage[c]) for c in _core.CATEGORIES)
        body.append(f"<tr><th>{html.escape(r.id)}</th><td>{html.escape(r.client)}</td><td>{r.currency}</td>{cells}"
                    f"<td><b>{_money(r.unbilled)}</b></td><td>{_money(r.effective_rate)}</td>"
                    f"<td>{html.escape(', '.join(r.alerts))}</td></tr>")
    return (f"<div><p>Report as of {self.as_of.isoformat()}: leakage (billable − invoiced) per category</p>"
            f"<table><tr><th>engagement</th><th>client</th><th>currency</th>{head}<th>unbilled</th>"
            f"<th>effective rate</th><th>alerts</th></tr>{''.join(body)}</table></div>")


_core.Report._repr_html_ = _report_html
_core.EngagementReport._repr_html_ = _engagement_html


# ---- triage ---------------------------------------------------------------------------------------

def _triage(self, as_of=None, policy=None):
    """Verdicts (keep, renegotiate, let_go, too_early) for every client and engagement as of a date: a :class:`Triage`.

    ``policy`` is a :class:`TriagePolicy` (default thresholds when None; docs/triage.md explains them).
    """
    return _core._triage(self, as_of, policy)


_VERDICT_STYLE = {"keep": "color:#2e7d32", "renegotiate": "color:#ef6c00;font-weight:bold",
                  "let_go": "color:#b00020;font-weight:bold", "too_early": "color:#757575"}


def _triage_html(self) -> str:
    body = []
    for row in (*self.clients, *self.engagements):
        i = row.indicators
        name = row.client_name if row.engagement is None else row.engagement
        reasons = "<br>".join(html.escape(r.sentence) for r in row.reasons)
        rate = "—" if i.effective_rate is None else f"{_money(i.effective_rate)} ({i.rate_percent} %)"
        body.append(f"<tr><td>{row.level}</td><th>{html.escape(name)}</th><td>{row.currency}</td>"
                    f"<td style=\"{_VERDICT_STYLE[row.verdict]}\">{row.verdict}</td><td>{_money(i.invoiced)}</td>"
                    f"<td>{_money(i.unbilled)}</td><td>{rate}</td><td>{reasons}</td></tr>")
    return (f"<div><p>Triage as of {self.as_of.isoformat()}</p><table><tr><th>level</th><th>client / engagement</th>"
            f"<th>currency</th><th>verdict</th><th>invoiced</th><th>unbilled</th><th>effective rate</th>"
            f"<th>reasons</th></tr>{''.join(body)}</table></div>")


_core.Book.triage = _triage
_core.Triage.to_frame = frames.triage_frame
_core.Triage._repr_html_ = _triage_html
_core.Triage.__iter__ = lambda self: iter((*self.clients, *self.engagements))


# ---- imports --------------------------------------------------------------------------------------

def _import_entries(self, tracker: str, path, engagement: str | None = None, mapping=None, *,
                    replace_period=None, strict: bool = False):
    """Imports a time-tracker export (``kontingent import``) into a copy of the book.

    ``tracker`` is one of TRACKERS ("toggl", "clockify", "harvest", "kimai", "timeclock",
    "solidtime"); ``engagement`` sends every row to one engagement; ``mapping`` is a mapping file's
    path or its JSON as a dict (docs/import.md). Returns ``(new_book, summary)``; rows the book
    already has count as duplicates, so importing the same file twice adds nothing, and a row
    overlapping an entry is skipped and listed in ``summary.overlaps``. ``replace_period`` ("FROM..TO"
    or a pair of dates) replaces that period's entries by the export's (``kontingent import
    --replace-period``); ``strict=True`` raises on any row not imported. Errors raise
    :class:`ImportFileError` (``file:line:column: rule``); the book itself is never changed.
    """
    return _core._import_entries(self, tracker, path, engagement, mapping, replace_period=replace_period, strict=strict)


_core.Book.import_entries = _import_entries


# --- keeping a book: thin shapes over Book.record, which checks every event ------------------------

def _log(self, engagement: str, start, *, minutes=None, duration=None, end=None, kind: str = "scope",
         request=None, note: str = ""):
    """Records time worked: ``book.log("acme-site", datetime(2026, 3, 2, 9), minutes=90)``, or with
    ``duration=timedelta(...)`` or ``end=datetime(...)``; ``kind`` and ``request`` as in Entry.
    Returns the recorded Entry; ValidationError (nothing recorded) for an entry the book refuses."""
    entry = _core.Entry(start=start, kind=kind, minutes=minutes, duration=duration, end=end, request=request, note=note)
    self.record(engagement, entry)
    return entry


def _request(self, engagement: str, kind: str = "revision", *, received, id=None, due=None, quote=None):
    """Records a revision round or change request received at ``received`` (``id`` default: the next
    free R1, R2, … or C1, C2, …). Returns the recorded Request. ``book.quote(...)`` of the same Request
    says first what it will cost."""
    if id is None:
        id = self.engagement(engagement).next_request_id(kind)
    request = _core.Request(id=id, kind=kind, received=received, due=due, quote=quote)
    self.record(engagement, request)
    return request


def _call(self, engagement: str, minutes: int, *, at, note: str = ""):
    """Records a call of ``minutes`` minutes starting ``at``; returns the Entry. Its fee is
    ``book.quote(engagement, Entry(...)).price["call"]`` before, and in the report after."""
    return _log(self, engagement, at, minutes=minutes, kind="call", note=note)


def _status(self, as_of=None):
    """Where each open engagement stands as of ``as_of`` (default: today), most urgent first, as a
    DataFrame: contingent used and left (hours), rounds, unbilled (Decimal), review date and days left,
    overdue invoices."""
    import json

    import pandas as pd
    rows = []
    for e in json.loads(self._status_json(as_of))["engagements"]:
        c = e["contingent"]
        rows.append({
            "engagement": e["id"], "client": e["client"], "currency": e["currency"], "pricing": e["pricing"],
            "contingent_used_h": None if c is None else Decimal(c["consumed_seconds"]) / 3600,
            "contingent_left_h": None if c is None else Decimal(c["left_seconds"]) / 3600,
            "contingent_used_percent": None if c is None else c["used_per_mille"] / 10,
            "rounds_used": e["rounds"]["used"], "rounds_included": e["rounds"]["included"],
            "unbilled": Decimal(e["unbilled"]), "review_by": e["review_by"], "days_to_review": e["days_to_review"],
            "overdue_invoices": e["overdue_invoices"],
        })
    return pd.DataFrame(rows, columns=["engagement", "client", "currency", "pricing", "contingent_used_h",
                                       "contingent_left_h", "contingent_used_percent", "rounds_used", "rounds_included",
                                       "unbilled", "review_by", "days_to_review", "overdue_invoices"])


_core.Book.log = _log
_core.Book.request = _request
_core.Book.call = _call
_core.Book.status = _status


# ---- invoice drafts -------------------------------------------------------------------------------

_DRAFT_LINE_COLUMNS = ("category", "description", "net", "vat_category", "vat_percent")


def _draft_lines_frame(self, money: str = "decimal"):
    """The draft's lines as a DataFrame: category (categorical, report order), description (in the
    draft's ``lang``), net, vat_category, vat_percent. ``money="decimal"`` (the default: an invoice
    has a handful of lines, and these are the amounts it prints) gives ``net`` as Decimal;
    ``money="cents"`` gives ``net_cents`` as int64 like the other frames."""
    import pandas as pd

    frame = pd.DataFrame(self.lines, columns=list(_DRAFT_LINE_COLUMNS))
    frame["category"] = pd.Categorical(frame["category"], categories=list(_core.CATEGORIES))
    if money == "cents":
        frame.insert(2, "net_cents", pd.Series([frames._cents(v) for v in frame.pop("net")], dtype="int64"))
    elif money != "decimal":
        raise ValueError(f'money must be "cents" or "decimal", got {money!r}')
    return frame


_core.InvoiceDraft.lines_frame = _draft_lines_frame
