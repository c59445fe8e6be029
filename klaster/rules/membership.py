"""Membership history as dated events (MEM-6): the state on any day is replayed from the events.

000 §6.3: a resignation takes effect the day the statement reaches the coordinator, so the
event's date is that day; the member is no longer a member from that day on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# Event kinds and the status each one leaves behind.
_STATUS_AFTER = {
    "candidate": "candidate",
    "admitted": "active",
    "returned": "active",
    "resumed": "active",
    "suspended": "suspended",
    "resigned": "former",
    "struck_off": "former",
    "excluded": "former",
}
ENDING_KINDS = frozenset({"resigned", "struck_off", "excluded"})
STARTING_KINDS = frozenset({"admitted", "returned"})
MEMBER_STATUSES = frozenset({"active", "suspended"})


@dataclass(frozen=True)
class MembershipEvent:
    kind: str
    date: dt.date
    seq: int = 0  # order among events on the same day


@dataclass(frozen=True)
class MembershipState:
    status: str | None  # None: nothing had happened yet on that day
    joined: dt.date | None  # start of the membership in force (or the last one)
    left: dt.date | None  # end of the last membership, if it ended

    @property
    def is_member(self) -> bool:
        return self.status in MEMBER_STATUSES


def state_on(events: Iterable[MembershipEvent], on: dt.date | None = None) -> MembershipState:
    """Replay the events up to and including ``on`` (all of them when ``on`` is None)."""
    status: str | None = None
    joined: dt.date | None = None
    left: dt.date | None = None
    for ev in sorted(events, key=lambda e: (e.date, e.seq)):
        if on is not None and ev.date > on:
            break
        if ev.kind not in _STATUS_AFTER:
            continue  # category changes, honorary titles: no effect on membership
        if ev.kind in STARTING_KINDS and status not in MEMBER_STATUSES:
            joined, left = ev.date, None
        elif ev.kind in ENDING_KINDS and status in MEMBER_STATUSES:
            left = ev.date
        status = _STATUS_AFTER[ev.kind]
    return MembershipState(status=status, joined=joined, left=left)


def check_transition(current_status: str | None, kind: str) -> str | None:
    """Why an event cannot follow the current status (Polish), or None when it can."""
    allowed: dict[str, set[str | None]] = {
        "candidate": {None, "former", "candidate"},
        "admitted": {None, "candidate"},
        "returned": {"former"},
        "suspended": {"active"},
        "resumed": {"suspended"},
        "resigned": {"active", "suspended"},
        "struck_off": {"active", "suspended"},
        "excluded": {"active", "suspended"},
    }
    if kind not in allowed:
        return None
    if current_status in allowed[kind]:
        return None
    names = {
        None: "brak historii",
        "candidate": "kandydat",
        "active": "członek",
        "suspended": "zawieszony",
        "former": "były członek",
    }
    return f"Zdarzenie „{kind}” nie może nastąpić, gdy status to „{names.get(current_status, current_status)}”."


def members_at_year_ends(
    spans: Iterable[tuple[dt.date | None, dt.date | None]], years: Iterable[int], today: dt.date
) -> list[tuple[int, int]]:
    """How many members the cluster had at the end of each year (today for the current year), from
    each member's (joined, left) span: a member on day D joined on or before D and had not left by
    D — leaving dated D means not a member on D (the engine's reading of "member on D"). A member
    with no joining date is not counted. For the chart of members over time (issue 9)."""
    joined: list[tuple[dt.date, dt.date | None]] = []
    for start, end in spans:
        if start is not None:
            joined.append((start, end))
    out: list[tuple[int, int]] = []
    for year in years:
        day = min(dt.date(year, 12, 31), today)
        count = 0
        for start_, end_ in joined:
            if start_ <= day and (end_ is None or end_ > day):
                count += 1
        out.append((year, count))
    return out
