"""The contents of a ``klaster-aid/1`` file (AID-DATASET.md), as loaded and checked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

FORMAT = "klaster-aid/1"

R1407 = "1407/2013"
R2831 = "2023/2831"
R1408 = "1408/2013"
R717 = "717/2014"
#: The regulations a grant in the file may name (general, agricultural, fishery de minimis).
REGULATIONS = (R1407, R2831, R1408, R717)
#: SGEI de minimis: outside klaster-aid/1, a file naming it is refused.
SGEI = ("360/2012", "2023/2832")
#: What `--regulation` may name (the ceilings the check knows).
CHECKED = (R1407, R2831)

#: 1407/2013's schemes could grant until this day (transition of 2023/2831, Art. 7(4)).
LAST_1407 = dt.date(2024, 6, 30)
#: 2023/2831 applies from this day.
FIRST_2831 = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class Undertaking:
    nip: str
    name: str
    fiscal_year_start: tuple[int, int] = (1, 1)  # (month, day), day 1-28
    road_freight: bool = False


@dataclass(frozen=True)
class Link:
    """Control of ``child`` by ``parent`` from ``start`` to ``end`` (both included; None: lasts)."""

    parent: str
    child: str
    start: dt.date
    end: dt.date | None
    basis: str | None = None


@dataclass(frozen=True)
class Merger:
    date: dt.date
    into: str
    absorbed: tuple[str, ...]


@dataclass(frozen=True)
class Successor:
    nip: str
    equity_pln: Decimal


@dataclass(frozen=True)
class Split:
    date: dt.date
    undertaking: str
    successors: tuple[Successor, ...]
    assign: tuple[tuple[str, str], ...] = ()  # (grant id, successor nip)

    @property
    def continues(self) -> bool:
        """The split undertaking goes on existing (it is one of its successors)."""
        return any(s.nip == self.undertaking for s in self.successors)


@dataclass(frozen=True)
class Grant:
    id: str
    undertaking: str
    body: str
    regulation: str
    date: dt.date
    pln: Decimal | None
    eur: Decimal | None
    certificate: str | None = None


@dataclass(frozen=True)
class RateTable:
    """One NBP table A: its date, number (``043/A/NBP/2024``) and the EUR mid rate."""

    date: dt.date
    number: str
    mid: Decimal


@dataclass(frozen=True)
class Rates:
    tables: tuple[RateTable, ...]  # by date
    complete_through: dt.date | None  # None: no table at all


@dataclass(frozen=True)
class Ceased:
    """When and by which event (its path in the file) an undertaking ceased to exist."""

    date: dt.date
    where: str


@dataclass(frozen=True)
class AidFile:
    undertakings: tuple[Undertaking, ...]
    links: tuple[Link, ...]
    mergers: tuple[Merger, ...]
    splits: tuple[Split, ...]
    grants: tuple[Grant, ...]
    rates: Rates

    def undertaking(self, nip: str) -> Undertaking | None:
        for u in self.undertakings:
            if u.nip == nip:
                return u
        return None

    def ceased(self) -> dict[str, Ceased]:
        """Undertakings that cease: absorbed in a merger, or split without continuing."""
        out: dict[str, Ceased] = {}
        for i, m in enumerate(self.mergers):
            for nip in m.absorbed:
                out.setdefault(nip, Ceased(m.date, f"mergers[{i}]"))
        for i, s in enumerate(self.splits):
            if not s.continues:
                out.setdefault(s.undertaking, Ceased(s.date, f"splits[{i}]"))
        return out
