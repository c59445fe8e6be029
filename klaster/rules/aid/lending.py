"""The lending queue's rules (SPEC §5 AID-4, AID-5; the cluster's de minimis rules, 003 §4–§5).

- :func:`checklist` — AID-4, 003 §4.4–§4.6: is an application's set of documents complete, and
  if not, what is missing and why. Required: the signed rules with the statement of acceptance
  (§4.6 pt 1), the information form, Annex 1 (pt 2), EITHER all de minimis certificates of the
  last 3 calendar years with the statement of aid received, Annex 2a (pt 3) OR the statement of
  no aid received, Annex 2b (pt 4), the form of the products and terms, Annex 3 (pt 5), and a
  KRS or CEIDG extract issued no more than 3 months before the application arrived (pt 6).
  Paper originals (§4.4); the certificates may be copies certified as true (§4.4, pt 3a), the
  extract a certified copy or a printout from KRS or CEIDG (pt 6). A document received only
  electronically does not count (§4.5).
- :func:`overlaps`, :func:`overlapping` — which applications for one product want it at the
  same time (both ends of a period are days of use).
- :func:`rank` — AID-5, 003 §5.3: the ranking list's order (the evaluation, highest first, then
  the order of arrival) and who is chosen: going down the list, each one whose period is free
  of the periods already taken and of those chosen above it; the rest wait.
- :func:`next_in_line` — 003 §5.4: on a return, the waiting application first in its approved
  ranking (then by arrival) whose period is free gets the product.

**Reading of "3 months back"** (003 §4.6 pt 6, "z datą wydania nie późniejszą niż 3 miesiące
wstecz od dnia, w którym Wnioskodawca składa wniosek"): the earliest day of issue accepted is
the day of arrival three calendar months back; a day that month lacks becomes its last day
(as Kodeks cywilny art. 112 ends a term counted in months): an application of 31 May 2026
accepts an extract issued on 28 February 2026 or later, one of 31 May 2028 one issued on
29 February 2028 or later. The day of arrival is the Warsaw calendar day (the caller's part).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from klaster.rules.calendar import add_months
from klaster.rules.message import Msg, define

# -- the vocabulary (the values stored in klaster.aid.models.ApplicationDocument) ---------------

RULES = "rules"
ANNEX1 = "annex1"
CERTIFICATES = "certificates"
STATEMENT_2A = "statement_2a"
STATEMENT_2B = "statement_2b"
ANNEX3 = "annex3"
EXTRACT = "extract"

PAPER = "paper"
COPY = "copy"
PRINTOUT = "printout"
ELECTRONIC = "electronic"

#: 003 §4.4–§4.6: the forms in which each document counts
ACCEPTED_FORMS: dict[str, frozenset[str]] = {
    RULES: frozenset({PAPER}),
    ANNEX1: frozenset({PAPER}),
    CERTIFICATES: frozenset({PAPER, COPY}),
    STATEMENT_2A: frozenset({PAPER}),
    STATEMENT_2B: frozenset({PAPER}),
    ANNEX3: frozenset({PAPER}),
    EXTRACT: frozenset({PAPER, COPY, PRINTOUT}),
}

EXTRACT_MONTHS = 3

# the positions of the checklist, in 003 §4.6's order
ITEM_RULES = "rules"
ITEM_ANNEX1 = "annex1"
ITEM_HISTORY = "aid_history"
ITEM_ANNEX3 = "annex3"
ITEM_EXTRACT = "extract"

# -- messages ------------------------------------------------------------------------------------

# the names of the documents and forms (the same words as the model's choices)
define("aid_document.rules", "Signed rules with the statement of acceptance")
define("aid_document.annex1", "Information form (Annex 1)")
define("aid_document.certificates", "De minimis certificates of the last 3 calendar years")
define("aid_document.statement_2a", "Statement of aid received (Annex 2a)")
define("aid_document.statement_2b", "Statement of no aid received (Annex 2b)")
define("aid_document.annex3", "Form of the products and terms (Annex 3)")
define("aid_document.extract", "KRS or CEIDG extract")
define("aid_form.paper", "paper original")
define("aid_form.copy", "copy certified as true")
define("aid_form.printout", "printout from KRS or CEIDG")
define("aid_form.electronic", "electronic only")

RECEIVED = define("aid.lending.received", "{document}: received {received} ({form}).")
MISSING = define("aid.lending.missing", "{document}: not received.")
ELECTRONIC_ONLY = define(
    "aid.lending.electronic",
    "{document}: received only electronically on {received}; documents sent only electronically "
    "are not accepted (§ 4(5) of the rules), the paper original is needed.",
)
WRONG_FORM = define(
    "aid.lending.wrong_form",
    "{document}: received as {form} on {received}; accepted is {accepted} (§ 4(4) of the rules).",
)
EXTRACT_NO_DATE = define(
    "aid.lending.extract_no_date",
    "{document}: received on {received} without its date of issue; the date decides whether it "
    "is current.",
)
EXTRACT_OLD = define(
    "aid.lending.extract_old",
    "{document}: issued on {issued}, more than 3 months before the application arrived on "
    "{arrived}; accepted is one issued on {cutoff} or later (§ 4(6)(6) of the rules).",
)
EXTRACT_OK = define(
    "aid.lending.extract_ok",
    "{document}: issued on {issued}, received {received} ({form}); current for an application "
    "of {arrived} (issued on {cutoff} or later).",
)
HISTORY_NEEDED = define(
    "aid.lending.history",
    "Aid of the last 3 calendar years: either all de minimis certificates with the statement "
    "of aid received (Annex 2a), or the statement of no aid received (Annex 2b).",
)
HISTORY_BOTH = define(
    "aid.lending.history_both",
    "Both the statement of aid received (Annex 2a) and the statement of no aid received "
    "(Annex 2b) were filed; they contradict each other — only one of them may stand.",
)

NOT_SCORED = define(
    "aid.lending.not_scored",
    "The ranking list needs the evaluation of every application: {missing} not evaluated yet.",
)
CHOSEN = define(
    "aid.lending.chosen",
    "Position {position}: evaluation {score}, arrived {arrived} — chosen for {start} – {end}.",
)
WAITS = define(
    "aid.lending.waits",
    "Position {position}: evaluation {score}, arrived {arrived} — waits: {start} – {end} "
    "overlaps a period already taken; gets the product when it is returned (§ 5(4) of the rules).",
)
NEXT = define(
    "aid.lending.next",
    "Next in line after the return on {day}: arrived {arrived}, position {position} on its "
    "ranking list, for {start} – {end}.",
)
LAPSED = define(
    "aid.lending.lapsed",
    "Waiting since {arrived} for {start} – {end}: the period ended before the return on {day}.",
)
STILL_TAKEN = define(
    "aid.lending.still_taken",
    "Waiting since {arrived} for {start} – {end}: the period is still taken by another lending.",
)
NOBODY_WAITS = define("aid.lending.nobody", "Nobody waits for the product.")


# -- AID-4: the checklist ------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A document received for an application: its kind, form, day received and (the extract)
    day of issue."""

    kind: str
    form: str
    received_on: dt.date
    issued_on: dt.date | None = None


@dataclass(frozen=True)
class Item:
    """One position of the checklist: fulfilled or not, and the messages saying by what or why."""

    key: str
    ok: bool
    messages: tuple[Msg, ...]


@dataclass(frozen=True)
class Checklist:
    """AID-4: the checklist of one application on the documents received so far."""

    arrived_on: dt.date
    extract_cutoff: dt.date
    items: tuple[Item, ...]
    rule_id: str = "AID-4"

    @property
    def complete(self) -> bool:
        return all(i.ok for i in self.items)

    @property
    def missing(self) -> tuple[Msg, ...]:
        """What keeps the application incomplete, in the checklist's order."""
        return tuple(m for i in self.items if not i.ok for m in i.messages)


def extract_cutoff(arrived_on: dt.date) -> dt.date:
    """The earliest day of issue of a current KRS/CEIDG extract (see the module's Reading)."""
    return add_months(arrived_on, -EXTRACT_MONTHS)


def _name(kind: str) -> Msg:
    return Msg.of(f"aid_document.{kind}")


def _form(form: str) -> Msg:
    return Msg.of(f"aid_form.{form}")


def _judge(doc: Document, arrived_on: dt.date) -> tuple[bool, Msg]:
    """Does this one document count, and why (not)."""
    name = _name(doc.kind)
    if doc.form == ELECTRONIC:
        return False, Msg.of(ELECTRONIC_ONLY, document=name, received=doc.received_on)
    accepted = ACCEPTED_FORMS[doc.kind]
    if doc.form not in accepted:
        return False, Msg.of(
            WRONG_FORM,
            document=name,
            form=_form(doc.form),
            received=doc.received_on,
            accepted=tuple(_form(f) for f in (PAPER, COPY, PRINTOUT) if f in accepted),
        )
    if doc.kind == EXTRACT:
        cutoff = extract_cutoff(arrived_on)
        if doc.issued_on is None:
            return False, Msg.of(EXTRACT_NO_DATE, document=name, received=doc.received_on)
        if doc.issued_on < cutoff:
            return False, Msg.of(
                EXTRACT_OLD, document=name, issued=doc.issued_on, arrived=arrived_on, cutoff=cutoff
            )
        return True, Msg.of(
            EXTRACT_OK,
            document=name,
            issued=doc.issued_on,
            received=doc.received_on,
            form=_form(doc.form),
            arrived=arrived_on,
            cutoff=cutoff,
        )
    return True, Msg.of(RECEIVED, document=name, received=doc.received_on, form=_form(doc.form))


def _one(kind: str, docs: Sequence[Document], arrived_on: dt.date) -> tuple[bool, Msg]:
    """The kind is there when any document of it counts (the latest such one is named);
    otherwise why the latest one received does not, or that none was received."""
    judged = [(_judge(d, arrived_on), d) for d in docs if d.kind == kind]
    judged.sort(key=lambda x: (x[1].received_on, x[1].issued_on or dt.date.min))
    good = [j for j, _d in judged if j[0]]
    if good:
        return good[-1]
    if judged:
        return judged[-1][0]
    return False, Msg.of(MISSING, document=_name(kind))


def checklist(documents: Iterable[Document], arrived_on: dt.date) -> Checklist:
    """AID-4 (003 §4.4–§4.6): the checklist of an application that arrived on ``arrived_on``
    (the Warsaw day) with ``documents`` received."""
    docs = tuple(documents)
    items: list[Item] = []
    for key, kind in ((ITEM_RULES, RULES), (ITEM_ANNEX1, ANNEX1)):
        ok, msg = _one(kind, docs, arrived_on)
        items.append(Item(key, ok, (msg,)))
    # 003 §4.6 pt 3 and 4: certificates with 2a, or 2b — never both statements
    certs, s2a, s2b = (
        _one(k, docs, arrived_on) for k in (CERTIFICATES, STATEMENT_2A, STATEMENT_2B)
    )
    if s2a[0] and s2b[0]:
        items.append(Item(ITEM_HISTORY, False, (Msg.of(HISTORY_BOTH),)))
    elif s2b[0]:
        items.append(Item(ITEM_HISTORY, True, (s2b[1],)))
    elif certs[0] and s2a[0]:
        items.append(Item(ITEM_HISTORY, True, (certs[1], s2a[1])))
    else:
        told = [m for ok, m in (certs, s2a, s2b) if ok or m.code != MISSING]
        items.append(Item(ITEM_HISTORY, False, (Msg.of(HISTORY_NEEDED), *told)))
    for key, kind in ((ITEM_ANNEX3, ANNEX3), (ITEM_EXTRACT, EXTRACT)):
        ok, msg = _one(kind, docs, arrived_on)
        items.append(Item(key, ok, (msg,)))
    return Checklist(arrived_on, extract_cutoff(arrived_on), tuple(items))


# -- AID-5: overlap, ranking, the waitlist -------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Days of use, both ends included."""

    start: dt.date
    end: dt.date

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass(frozen=True)
class Request:
    """A complete application for one product as the ranking sees it."""

    id: int
    start: dt.date
    end: dt.date
    arrived_at: dt.datetime
    score: Decimal | None = None
    #: its position on the approved ranking list it waits on (the waitlist), if any
    position: int | None = None

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


def overlaps(a: Request | Period, b: Request | Period) -> bool:
    pa = a.period if isinstance(a, Request) else a
    pb = b.period if isinstance(b, Request) else b
    return pa.overlaps(pb)


def overlapping(requests: Iterable[Request]) -> tuple[tuple[Request, ...], ...]:
    """The groups of applications that compete for the product: joined by overlapping periods
    (directly or through others), each with more than one application, in order of arrival."""
    ordered = sorted(requests, key=lambda r: (r.start, r.arrived_at, r.id))
    groups: list[list[Request]] = []
    reach: dt.date | None = None
    for r in ordered:
        if groups and reach is not None and r.start <= reach:
            groups[-1].append(r)
            reach = max(reach, r.end)
        else:
            groups.append([r])
            reach = r.end
    return tuple(tuple(sorted(g, key=lambda r: (r.arrived_at, r.id))) for g in groups if len(g) > 1)


def order_key(r: Request) -> tuple[Decimal, dt.datetime, int]:
    """003 §5.3: the evaluation (highest first), then the order of arrival (earliest first)."""
    score = r.score if r.score is not None else Decimal("-Infinity")
    return (-score, r.arrived_at, r.id)


@dataclass(frozen=True)
class Place:
    position: int
    request: Request
    chosen: bool
    message: Msg


@dataclass(frozen=True)
class Ranked:
    """AID-5: the ranking list: places in order, or why it cannot be made yet."""

    places: tuple[Place, ...]
    refusal: Msg | None = None
    rule_id: str = "AID-5"

    @property
    def chosen(self) -> tuple[Request, ...]:
        return tuple(p.request for p in self.places if p.chosen)

    @property
    def waiting(self) -> tuple[Request, ...]:
        return tuple(p.request for p in self.places if not p.chosen)


def rank(requests: Iterable[Request], taken: Iterable[Period] = ()) -> Ranked:
    """AID-5 (003 §5.3): order by the evaluation then arrival; going down the list, each whose
    period overlaps neither ``taken`` (lendings already decided) nor one chosen above it is
    chosen, the rest wait. Every application needs its evaluation first."""
    reqs = list(requests)
    unscored = sum(1 for r in reqs if r.score is None)
    if unscored:
        return Ranked((), Msg.of(NOT_SCORED, missing=unscored))
    busy = list(taken)
    places = []
    for i, r in enumerate(sorted(reqs, key=order_key), 1):
        free = not any(r.period.overlaps(p) for p in busy)
        if free:
            busy.append(r.period)
        message = Msg.of(
            CHOSEN if free else WAITS,
            position=i,
            score=r.score,
            arrived=r.arrived_at,
            start=r.start,
            end=r.end,
        )
        places.append(Place(i, r, free, message))
    return Ranked(tuple(places))


def waitlist_key(r: Request) -> tuple[bool, int, dt.datetime, int]:
    """003 §5.4: first in the approved ranking, then by arrival."""
    return (r.position is None, r.position or 0, r.arrived_at, r.id)


@dataclass(frozen=True)
class HandOver:
    """003 §5.4: who gets the product on its return, and the waiting ones passed over."""

    day: dt.date
    chosen: Request | None
    passed: tuple[tuple[Request, Msg], ...]
    message: Msg


def next_in_line(
    waiting: Iterable[Request], day: dt.date, taken: Iterable[Period] = ()
) -> HandOver:
    """003 §5.4: on the product's return on ``day``, the waiting application first in line
    (:func:`waitlist_key`) whose period has not ended before ``day`` and is free of ``taken``
    (the other lendings still running or decided)."""
    busy = list(taken)
    passed: list[tuple[Request, Msg]] = []
    for r in sorted(waiting, key=waitlist_key):
        params = {"arrived": r.arrived_at, "start": r.start, "end": r.end}
        if r.end < day:
            passed.append((r, Msg.of(LAPSED, day=day, **params)))
            continue
        use = Period(max(r.start, day), r.end)
        if any(use.overlaps(p) for p in busy):
            passed.append((r, Msg.of(STILL_TAKEN, **params)))
            continue
        return HandOver(day, r, tuple(passed), Msg.of(NEXT, day=day, position=r.position, **params))
    return HandOver(day, None, tuple(passed), Msg.of(NOBODY_WAITS))
