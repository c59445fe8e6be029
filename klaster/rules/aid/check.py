"""May an undertaking get X PLN of de minimis aid on day D? (SPEC §5, AID-1…AID-3)

Everything here follows shared/spec/AID-DATASET.md "The rules the check applies" and
"Rounding", on an :class:`~klaster.rules.aid.model.AidFile` already loaded:

- :func:`single_undertaking` — AID-1: the undertaking and every undertaking joined to it by a
  chain of control links in force on D, in either direction; a ceased one has no links;
- :func:`rate_on` — AID-2: the NBP table A of a day, or the last one before it, only from the
  first table to ``complete_through``; otherwise :class:`AidRefused` (never an older rate);
- :func:`holders` — AID-3: whom a grant belongs to on D after the mergers and splits dated after
  it (merger: to ``into``; split: an assigned grant whole, any other pro rata to equity);
- :func:`window`, :func:`ceiling`, :func:`check` — AID-3: the window of the regulation, its
  ceiling, the counted grants, the verdict (refused whole, never trimmed) and the headroom.

Money is Decimal; every division is exact (Fraction) and rounded once, half up to 0.01 EUR;
the PLN headroom is rounded down to the grosz.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from klaster.rules.aid.model import (
    CHECKED,
    FIRST_2831,
    LAST_1407,
    R1407,
    R2831,
    AidFile,
    Ceased,
    Grant,
    Merger,
    Rates,
    RateTable,
    Split,
    Undertaking,
)
from klaster.rules.message import Money, Msg, define

CENT = Decimal("0.01")

CEILING_2831 = Decimal("300000.00")
CEILING_1407 = Decimal("200000.00")
CEILING_1407_ROAD = Decimal("100000.00")

REASON_CEILING = "ceiling_exceeded"

# -- messages ----------------------------------------------------------------------------------

MEMBERS = define(
    "aid.single_undertaking",
    "Single undertaking of {nip} on {date} (Art. 2(2) of 1407/2013 and 2023/2831): {members}",
)
WINDOW_2831 = define(
    "aid.window.2831",
    "Regulation 2023/2831 counts aid over the three years ending on the day of grant, both "
    "ends included: {start} – {end}.",
)
WINDOW_1407 = define(
    "aid.window.1407",
    "Regulation 1407/2013 counts aid in the current and the two previous fiscal years of {nip} "
    "(its fiscal year begins on {fiscal_year_start}, MM-DD): {start} – {end}.",
)
CEILING_2831_MSG = define(
    "aid.ceiling.2831", "Regulation 2023/2831, Art. 3(2): EUR 300,000 per single undertaking."
)
CEILING_1407_MSG = define(
    "aid.ceiling.1407", "Regulation 1407/2013, Art. 3(2): EUR 200,000 per single undertaking."
)
CEILING_1407_ROAD_MSG = define(
    "aid.ceiling.1407_road",
    "Regulation 1407/2013, Art. 3(2): EUR 100,000 for a single undertaking performing road "
    "freight transport for hire or reward.",
)
RATE = define("aid.rate", "NBP table {table} of {date}: 1 EUR = {mid} PLN.")
COUNTED = define(
    "aid.counted",
    "Grant {id} ({regulation}) of {date} to {undertaking}, held by {member} on the day: EUR {eur}.",
)
ALLOWED = define(
    "aid.verdict.allowed",
    "Allowed: aid used EUR {used} + this grant EUR {eur} ({pln}) is within the ceiling of "
    "EUR {ceiling}; headroom before it EUR {headroom_eur} ({headroom_pln}).",
)
REFUSED = define(
    "aid.verdict.refused",
    "Refused whole, it is not trimmed: aid used EUR {used} + this grant EUR {eur} ({pln}) "
    "exceeds the ceiling of EUR {ceiling}; headroom EUR {headroom_eur} ({headroom_pln}).",
)

UNKNOWN_UNDERTAKING = define(
    "aid.arg.unknown", "--undertaking {nip}: no such undertaking in the file (undertakings[].nip)"
)
CEASED_UNDERTAKING = define(
    "aid.arg.ceased",
    "--undertaking {nip}: the undertaking ceased on {ceased} ({where}) and cannot be checked "
    "on {date}",
)
NOT_APPLICABLE = define(
    "aid.arg.regulation",
    "--regulation {regulation} does not apply on {date}: 1407/2013 up to {last_1407}, "
    "2023/2831 from {first_2831}",
)
UNKNOWN_REGULATION = define(
    "aid.arg.regulation_unknown", "--regulation {regulation}: allowed are {allowed}"
)
NO_TABLES = define(
    "aid.rate.none",
    "no NBP table A rate for {date} ({what}): the file lists no tables (eur_rates.tables)",
)
BEFORE_FIRST = define(
    "aid.rate.before",
    "no NBP table A rate for {date} ({what}): the file's first table is of {first}",
)
AFTER_COMPLETE = define(
    "aid.rate.after",
    "no NBP table A rate for {date} ({what}): the file's tables are complete only through "
    "{through} (eur_rates.complete_through); an older rate is never used",
)
FOR_DAY = define("aid.rate.for_day", "the day of the new grant")
FOR_GRANT = define("aid.rate.for_grant", "grant {id}")


class AidRefused(ValueError):
    """The check cannot be made (a bad argument, a rate missing): ``message`` says why."""

    def __init__(self, rule_id: str, message: Msg) -> None:
        self.rule_id = rule_id
        self.message = message
        super().__init__(message.code)


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SingleUndertaking:
    """AID-1: the members of the single undertaking of ``nip`` on ``date``, by NIP."""

    nip: str
    date: dt.date
    members: tuple[Undertaking, ...]
    message: Msg
    rule_id: str = "AID-1"

    @property
    def nips(self) -> frozenset[str]:
        return frozenset(u.nip for u in self.members)


@dataclass(frozen=True)
class RateUsed:
    """AID-2: the NBP table A used for ``day`` (its own date may be earlier)."""

    day: dt.date
    table: RateTable
    message: Msg
    rule_id: str = "AID-2"


@dataclass(frozen=True)
class Window:
    """AID-3: the days whose grants count, both ends included."""

    regulation: str
    start: dt.date
    end: dt.date
    message: Msg
    rule_id: str = "AID-3"


@dataclass(frozen=True)
class Ceiling:
    regulation: str
    eur: Decimal
    message: Msg
    rule_id: str = "AID-3"


@dataclass(frozen=True)
class Counted:
    """A grant (or the part of a split one) that counts: ``member`` holds it on the day."""

    id: str
    undertaking: str  # the recipient in the file
    member: str
    regulation: str
    date: dt.date
    eur: Decimal
    rate: RateUsed | None  # the table that converted a grant given only in PLN
    message: Msg
    rule_id: str = "AID-3"


@dataclass(frozen=True)
class Verdict:
    """AID-3: may ``undertaking`` get ``amount_pln`` on ``date``?"""

    undertaking: str
    date: dt.date
    regulation: str
    single: SingleUndertaking
    window: Window
    ceiling: Ceiling
    rate: RateUsed
    counted: tuple[Counted, ...]
    used_eur: Decimal
    headroom_eur: Decimal
    headroom_pln: Decimal
    amount_pln: Decimal
    amount_eur: Decimal
    allowed: bool
    reason: str | None
    message: Msg
    rule_id: str = "AID-3"


# -- rounding ----------------------------------------------------------------------------------


def half_up(value: Fraction) -> Decimal:
    """An exact value rounded half up to 0.01 (values here are never negative)."""
    scaled = value * 100
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return (Decimal(whole) / 100).quantize(CENT)


def to_eur(pln: Decimal, mid: Decimal) -> Decimal:
    """PLN ÷ mid, half up to 0.01 EUR (as a certificate shows it)."""
    return half_up(Fraction(pln) / Fraction(mid))


def to_pln_down(eur: Decimal, mid: Decimal) -> Decimal:
    """EUR × mid rounded down to the grosz (so that any amount up to it is allowed)."""
    return (eur * mid).quantize(CENT, rounding=ROUND_DOWN)


# -- AID-1 -------------------------------------------------------------------------------------


def _ceased_by(ceased: dict[str, Ceased], nip: str, day: dt.date) -> bool:
    c = ceased.get(nip)
    return c is not None and c.date <= day


def single_undertaking(f: AidFile, nip: str, day: dt.date) -> SingleUndertaking:
    """The undertaking and all joined to it by a chain of links in force on ``day``."""
    ceased = f.ceased()
    graph: dict[str, set[str]] = {}
    for link in f.links:
        if link.start > day or (link.end is not None and link.end < day):
            continue
        if _ceased_by(ceased, link.parent, day) or _ceased_by(ceased, link.child, day):
            continue  # a ceased undertaking has no links from the day it ceased
        graph.setdefault(link.parent, set()).add(link.child)
        graph.setdefault(link.child, set()).add(link.parent)
    seen = {nip}
    todo = [nip]
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    by_nip = {u.nip: u for u in f.undertakings}
    members = tuple(by_nip[n] for n in sorted(seen) if n in by_nip)
    message = Msg.of(
        MEMBERS, nip=nip, date=day, members=tuple(f"{u.nip} {u.name}" for u in members)
    )
    return SingleUndertaking(nip, day, members, message)


# -- AID-2 -------------------------------------------------------------------------------------


def rate_on(rates: Rates, day: dt.date, what: Msg | None = None) -> RateUsed:
    """The table of ``day``, else the last one before it; AidRefused outside the series."""
    what = what or Msg.of(FOR_DAY)
    tables = rates.tables
    if not tables or rates.complete_through is None:
        raise AidRefused("AID-2", Msg.of(NO_TABLES, date=day, what=what))
    if day < tables[0].date:
        raise AidRefused("AID-2", Msg.of(BEFORE_FIRST, date=day, what=what, first=tables[0].date))
    if day > rates.complete_through:
        raise AidRefused(
            "AID-2", Msg.of(AFTER_COMPLETE, date=day, what=what, through=rates.complete_through)
        )
    index = bisect.bisect_right([t.date for t in tables], day) - 1
    table = tables[index]
    return RateUsed(day, table, Msg.of(RATE, table=table.number, date=table.date, mid=table.mid))


# -- AID-3: regulation, window, ceiling ---------------------------------------------------------


def default_regulation(day: dt.date) -> str:
    return R1407 if day < FIRST_2831 else R2831


def applies(regulation: str, day: dt.date) -> bool:
    """1407/2013 may be named up to 2024-06-30, 2023/2831 from 2024-01-01."""
    if regulation == R1407:
        return day <= LAST_1407
    if regulation == R2831:
        return day >= FIRST_2831
    return False


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; a 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 2, 28)


def window(undertaking: Undertaking, day: dt.date, regulation: str) -> Window:
    if regulation == R2831:
        start = years_before(day, 3)
        return Window(regulation, start, day, Msg.of(WINDOW_2831, start=start, end=day))
    month, first_day = undertaking.fiscal_year_start
    current = dt.date(day.year, month, first_day)
    if current > day:
        current = dt.date(day.year - 1, month, first_day)
    start = dt.date(current.year - 2, month, first_day)
    message = Msg.of(
        WINDOW_1407,
        nip=undertaking.nip,
        fiscal_year_start=f"{month:02d}-{first_day:02d}",
        start=start,
        end=day,
    )
    return Window(regulation, start, day, message)


def ceiling(undertaking: Undertaking, regulation: str) -> Ceiling:
    if regulation == R2831:
        return Ceiling(regulation, CEILING_2831, Msg.of(CEILING_2831_MSG))
    if undertaking.road_freight:
        return Ceiling(regulation, CEILING_1407_ROAD, Msg.of(CEILING_1407_ROAD_MSG))
    return Ceiling(regulation, CEILING_1407, Msg.of(CEILING_1407_MSG))


# -- AID-3: mergers and splits -----------------------------------------------------------------

# A part of a grant: who holds it, and the splits (split index, successor index) that made it.
Part = tuple[str, tuple[tuple[int, int], ...]]


def _events(f: AidFile) -> list[tuple[dt.date, int, int, Merger | Split]]:
    """Mergers and splits by date; on one day mergers first, then splits, in file order."""
    events: list[tuple[dt.date, int, int, Merger | Split]] = []
    events.extend((m.date, 0, i, m) for i, m in enumerate(f.mergers))
    events.extend((s.date, 1, i, s) for i, s in enumerate(f.splits))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return events


def holders(f: AidFile, grant: Grant, day: dt.date) -> list[Part]:
    """Whom ``grant`` belongs to on ``day``: the recipient, moved by the mergers and splits
    dated after the grant and on or before ``day``."""
    parts: list[Part] = [(grant.undertaking, ())]
    for date, _kind, index, event in _events(f):
        if date <= grant.date or date > day:
            continue
        moved: list[Part] = []
        if isinstance(event, Merger):
            for holder, steps in parts:
                moved.append((event.into if holder in event.absorbed else holder, steps))
        else:
            assigned = dict(event.assign).get(grant.id)
            for holder, steps in parts:
                if holder != event.undertaking:
                    moved.append((holder, steps))
                elif assigned is not None:
                    moved.append((assigned, steps))
                else:
                    for k, successor in enumerate(event.successors):
                        moved.append((successor.nip, (*steps, (index, k))))
        parts = moved
    return parts


def _share(amount: Decimal, split: Split, k: int) -> Decimal:
    """Successor ``k``'s part of ``amount``: pro rata to equity, half up; the last listed
    takes the remainder, so the parts add up to the amount."""
    total = Fraction(sum((s.equity_pln for s in split.successors), Decimal(0)))
    last = len(split.successors) - 1

    def part(j: int) -> Decimal:
        return half_up(Fraction(amount) * Fraction(split.successors[j].equity_pln) / total)

    if k < last:
        return part(k)
    return amount - sum((part(j) for j in range(last)), Decimal(0))


def part_eur(f: AidFile, eur: Decimal, steps: tuple[tuple[int, int], ...]) -> Decimal:
    for split_index, k in steps:
        eur = _share(eur, f.splits[split_index], k)
    return eur


# -- AID-3: the verdict -------------------------------------------------------------------------


def _undertaking_on(f: AidFile, nip: str, day: dt.date) -> Undertaking:
    u = f.undertaking(nip)
    if u is None:
        raise AidRefused("AID-1", Msg.of(UNKNOWN_UNDERTAKING, nip=nip))
    c = f.ceased().get(nip)
    if c is not None and c.date <= day:
        raise AidRefused(
            "AID-3", Msg.of(CEASED_UNDERTAKING, nip=nip, ceased=c.date, where=c.where, date=day)
        )
    return u


def counted(f: AidFile, members: frozenset[str], win: Window, day: dt.date) -> tuple[Counted, ...]:
    """Every grant dated in the window that on ``day`` belongs to a member (split parts
    held by one member summed), by date, id and member."""
    out: list[Counted] = []
    for grant in f.grants:
        if grant.date < win.start or grant.date > win.end or grant.date > day:
            continue
        mine: dict[str, list[tuple[tuple[int, int], ...]]] = {}
        for holder, steps in holders(f, grant, day):
            if holder in members:
                mine.setdefault(holder, []).append(steps)
        if not mine:
            continue  # not counted: needs no rate
        rate: RateUsed | None = None
        if grant.eur is not None:
            eur = grant.eur
        else:
            assert grant.pln is not None
            rate = rate_on(f.rates, grant.date, Msg.of(FOR_GRANT, id=grant.id))
            eur = to_eur(grant.pln, rate.table.mid)
        for member, paths in mine.items():
            value = sum((part_eur(f, eur, steps) for steps in paths), Decimal(0)).quantize(CENT)
            message = Msg.of(
                COUNTED,
                id=grant.id,
                regulation=grant.regulation,
                date=grant.date,
                undertaking=grant.undertaking,
                member=member,
                eur=value,
            )
            out.append(
                Counted(
                    grant.id,
                    grant.undertaking,
                    member,
                    grant.regulation,
                    grant.date,
                    value,
                    rate,
                    message,
                )
            )
    out.sort(key=lambda c: (c.date, c.id, c.member))
    return tuple(out)


def check(
    f: AidFile,
    nip: str,
    day: dt.date,
    amount_pln: Decimal,
    regulation: str | None = None,
) -> Verdict:
    """May ``nip`` get ``amount_pln`` of de minimis aid granted on ``day``?

    AidRefused for a NIP not in the file or ceased by ``day``, a regulation not applicable
    on ``day``, or a rate that is needed and missing."""
    undertaking = _undertaking_on(f, nip, day)
    if regulation is None:
        regulation = default_regulation(day)
    elif regulation not in CHECKED:
        raise AidRefused(
            "AID-3", Msg.of(UNKNOWN_REGULATION, regulation=regulation, allowed=CHECKED)
        )
    if not applies(regulation, day):
        raise AidRefused(
            "AID-3",
            Msg.of(
                NOT_APPLICABLE,
                regulation=regulation,
                date=day,
                last_1407=LAST_1407,
                first_2831=FIRST_2831,
            ),
        )
    rate = rate_on(f.rates, day)
    single = single_undertaking(f, nip, day)
    win = window(undertaking, day, regulation)
    limit = ceiling(undertaking, regulation)
    grants = counted(f, single.nips, win, day)
    used = sum((c.eur for c in grants), Decimal("0.00")).quantize(CENT)
    amount = amount_pln.quantize(CENT)
    amount_eur = to_eur(amount, rate.table.mid)
    headroom = max(Decimal("0.00"), limit.eur - used).quantize(CENT)
    headroom_pln = to_pln_down(headroom, rate.table.mid)
    allowed = used + amount_eur <= limit.eur
    params = {
        "used": used,
        "eur": amount_eur,
        "pln": Money(amount),
        "ceiling": limit.eur,
        "headroom_eur": headroom,
        "headroom_pln": Money(headroom_pln),
    }
    message = Msg.of(ALLOWED if allowed else REFUSED, **params)
    return Verdict(
        undertaking=nip,
        date=day,
        regulation=regulation,
        single=single,
        window=win,
        ceiling=limit,
        rate=rate,
        counted=grants,
        used_eur=used,
        headroom_eur=headroom,
        headroom_pln=headroom_pln,
        amount_pln=amount,
        amount_eur=amount_eur,
        allowed=allowed,
        reason=None if allowed else REASON_CEILING,
        message=message,
    )
