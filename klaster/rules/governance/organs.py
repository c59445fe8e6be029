"""Seats in the Council and the Board, the groups they should represent, and the Board's
monthly meetings (GOV-8, GOV-9).

Seats: 1 Council seat per 5 cluster members (000 §9.1), 1 Board seat per 30 plus the
coordinator's representative (000 §11.2). Reading: the proportion is rounded up — every
started five (thirty) earns a seat. Rounding down would give a cluster of 51 members (the
KKK minimum) a Board of 1 elected member plus the coordinator's, too few for the three-person
Board Presidium of 000 §12.1 with its two rotating members. The rounding is profile data
(`seat_rounding`), so a cluster that reads it the other way can say so.

Board cadence: the Board meets at least once a month (000 §11.3); a calendar month that has
ended without a meeting is reported, and the month in progress is flagged while it has none.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from klaster.rules.governance._common import Explained, group, organ, sentences
from klaster.rules.message import Msg, define
from klaster.rules.statute import SeatRounding, StatuteProfile

GOV_8 = "GOV-8"
GOV_9 = "GOV-9"

ROUND_UP = define("seats.rounded_up", "rounded up")
ROUND_DOWN = define("seats.rounded_down", "rounded down")
SEATS = define(
    "seats.count",
    "{organ}: {members} cluster members, 1 seat per {per} ({rounding}) — {elected} elected "
    "{elected:seat|seats}, {total} in all; term {term} {term:year|years}.",
)
SEATS_COORDINATOR = define(
    "seats.count_coordinator",
    "{organ}: {members} cluster members, 1 seat per {per} ({rounding}) — {elected} elected "
    "{elected:seat|seats} and {coordinator} representative of the Coordinator, {total} in all; "
    "term {term} {term:year|years}.",
)
BELOW_PRESIDIUM = define(
    "seats.below_presidium",
    "Warning: fewer than the presidium ({presidium} {presidium:person|people}).",
)
GROUPS_MISSING = define(
    "seats.groups_missing", "The composition of {organ:gen} lacks representatives of: {groups}."
)
GROUPS_ALL = define(
    "seats.groups_all", "The composition of {organ:gen} represents every group of members."
)
CADENCE_NO_RULE = define(
    "board_cadence.no_rule", "The statute sets no minimum frequency of Board meetings."
)
CADENCE_SHORT = define(
    "board_cadence.short", "The Board did not meet the required number of times in: {months}."
)
CADENCE_OK = define(
    "board_cadence.ok", "The Board met at least once in every month that has ended."
)
CADENCE_CURRENT_EMPTY = define(
    "board_cadence.current_empty", "The Board has not met yet this month."
)
PRESIDIUM_TOO_MANY = define(
    "presidium.too_many", "{organ} has {n} {n:person|people}, the statute provides {size}."
)
PERMANENT_TOO_MANY = define(
    "presidium.permanent_too_many",
    "There are {n} permanent members from the Coordinator's management, the statute provides "
    "{required}.",
)
PERMANENT_NOT_MANAGEMENT = define(
    "presidium.permanent_not_management",
    "A permanent member must be a member of the Coordinator's management.",
)
ROTATING_TOO_MANY = define(
    "presidium.rotating_too_many",
    "There are {n} rotating members, the statute provides {allowed}.",
)
PERMANENT_MISSING = define(
    "presidium.permanent_missing",
    "A permanent member from the Coordinator's management is missing ({n} of {required}).",
)
ROTATING_MISSING = define(
    "presidium.rotating_missing", "Rotating members are missing ({n} of {allowed})."
)
MEMBERS_MISSING = define("presidium.members_missing", "Members are missing ({n} of {size}).")
PRESIDIUM_PROBLEMS = define("presidium.problems", "{organ}: {problems}")
PRESIDIUM_FULL = define("presidium.full", "{organ} is complete: {size} {size:person|people}.")
SEAT_GRANTED = define("presidium.seat_granted", "Seat in {organ:loc} granted. {composition}")
SEAT_REFUSED = define("presidium.seat_refused", "Seat in {organ:loc} refused: {problems}")

SeatOrgan = Literal["council", "board"]


@dataclass(frozen=True, kw_only=True)
class SeatCount(Explained):
    organ: SeatOrgan
    members: int
    members_per_seat: int
    rounding: SeatRounding
    elected: int
    coordinator: int
    total: int
    term_years: int
    presidium_size: int
    #: The organ would be smaller than its presidium.
    below_presidium: bool


def _divide(members: int, per: int, rounding: SeatRounding) -> int:
    return math.ceil(members / per) if rounding == "ceil" else members // per


def seat_count(profile: StatuteProfile, seat_organ: SeatOrgan, members: int) -> SeatCount:
    """Seats for `members` cluster members (the coordinator included, MEM-2)."""
    if members < 0:
        raise ValueError("Liczba członków nie może być ujemna.")
    if seat_organ == "council":
        rules_c = profile.council
        per, rounding, term = rules_c.members_per_seat, rules_c.seat_rounding, rules_c.term_years
        coordinator, presidium, rule_id = 0, profile.council_presidium.size, GOV_8
    else:
        rules_b = profile.board
        per, rounding, term = rules_b.members_per_seat, rules_b.seat_rounding, rules_b.term_years
        coordinator, presidium, rule_id = (
            rules_b.coordinator_seats,
            profile.board_presidium.size,
            GOV_9,
        )
    elected = _divide(members, per, rounding)
    total = elected + coordinator
    message = Msg.of(
        SEATS_COORDINATOR if coordinator else SEATS,
        organ=organ(seat_organ),
        members=members,
        per=per,
        rounding=Msg.of(ROUND_UP if rounding == "ceil" else ROUND_DOWN),
        elected=elected,
        coordinator=coordinator,
        total=total,
        term=term,
    )
    below = total < presidium
    if below:
        message = sentences(message, Msg.of(BELOW_PRESIDIUM, presidium=presidium))
    return SeatCount(
        rule_id=rule_id,
        message=message,
        organ=seat_organ,
        members=members,
        members_per_seat=per,
        rounding=rounding,
        elected=elected,
        coordinator=coordinator,
        total=total,
        term_years=term,
        presidium_size=presidium,
        below_presidium=below,
    )


@dataclass(frozen=True, kw_only=True)
class GroupRepresentation(Explained):
    organ: SeatOrgan
    represented: tuple[str, ...]
    missing: tuple[str, ...]


def missing_groups(
    profile: StatuteProfile, seat_organ: SeatOrgan, seat_groups: Iterable[str]
) -> GroupRepresentation:
    """Which groups of 000 §9.1 (§11.2 for the Board) no seat holder represents.

    `seat_groups` is the group of each seat holder's member: micro, small, medium, large,
    iob, public_authority, rd_education (science units and schools).
    """
    expected = (
        profile.council.represented_groups
        if seat_organ == "council"
        else profile.board.represented_groups
    )
    have = set(seat_groups)
    represented = tuple(g for g in expected if g in have)
    missing = tuple(g for g in expected if g not in have)
    message = (
        Msg.of(GROUPS_MISSING, organ=organ(seat_organ), groups=tuple(group(g) for g in missing))
        if missing
        else Msg.of(GROUPS_ALL, organ=organ(seat_organ))
    )
    return GroupRepresentation(
        rule_id=GOV_8 if seat_organ == "council" else GOV_9,
        message=message,
        organ=seat_organ,
        represented=represented,
        missing=missing,
    )


@dataclass(frozen=True, kw_only=True)
class BoardCadence(Explained):
    #: Ended months (YYYY-MM) with fewer meetings than required.
    months_short: tuple[str, ...]
    #: The month containing `on` has had no meeting so far (a reminder, not yet a breach).
    current_month_without_meeting: bool
    #: An ended month fell short: the product warns.
    warn: bool


def board_cadence(
    profile: StatuteProfile, meeting_dates: Iterable[dt.date], since: dt.date, on: dt.date
) -> BoardCadence:
    """Months from `since`'s month up to `on` in which the Board did not meet often enough."""
    required = profile.board.min_meetings_per_month
    per_month: dict[tuple[int, int], int] = {}
    for d in meeting_dates:
        if d <= on:
            per_month[(d.year, d.month)] = per_month.get((d.year, d.month), 0) + 1
    short: list[str] = []
    current_empty = False
    if required is not None:
        year, month = since.year, since.month
        while (year, month) <= (on.year, on.month):
            held = per_month.get((year, month), 0)
            last_day = dt.date(year, month, _stdcal.monthrange(year, month)[1])
            if last_day < on:
                if held < required:
                    short.append(f"{year:04d}-{month:02d}")
            else:
                current_empty = held == 0
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if required is None:
        message = Msg.of(CADENCE_NO_RULE)
    elif short:
        message = Msg.of(CADENCE_SHORT, months=tuple(short))
    else:
        message = Msg.of(CADENCE_OK)
    if current_empty:
        message = sentences(message, Msg.of(CADENCE_CURRENT_EMPTY))
    return BoardCadence(
        rule_id=GOV_9,
        message=message,
        months_short=tuple(short),
        current_month_without_meeting=current_empty,
        warn=bool(short),
    )


PresidiumOrgan = Literal["council_presidium", "board_presidium"]
#: Kinds of presidium seat: "rotating" and "permanent" in the Board Presidium (000 §12.1);
#: any other kind (e.g. "elected") is an ordinary seat of the Council Presidium.
PERMANENT = "permanent"


@dataclass(frozen=True)
class PresidiumSeat:
    """A seat held in a presidium: its kind and whether its person comes from the coordinator's
    management (for the product: a delegated person of the coordinator member)."""

    kind: str
    from_coordinator_management: bool = False


@dataclass(frozen=True, kw_only=True)
class PresidiumComposition(Explained):
    organ: PresidiumOrgan
    size: int
    held: int
    permanent_required: int
    permanent_held: int
    rotating_allowed: int
    rotating_held: int
    #: What is missing, as messages (empty when complete).
    missing: tuple[Msg, ...]
    #: What breaks the statute (e.g. too many seats), as messages.
    excess: tuple[Msg, ...]


def presidium_composition(
    profile: StatuteProfile, presidium: PresidiumOrgan, seats: Iterable[PresidiumSeat]
) -> PresidiumComposition:
    """GOV-8 / GOV-9: the Council Presidium has `size` persons (000 §10.1: five); the Board
    Presidium `size` (000 §12.1: three), of whom `permanent_from_coordinator` are permanent
    members from the coordinator's management and the rest rotate."""
    rules_p = (
        profile.council_presidium if presidium == "council_presidium" else profile.board_presidium
    )
    size, permanent_required = rules_p.size, rules_p.permanent_from_coordinator
    rows = list(seats)
    permanent = [s for s in rows if s.kind == PERMANENT]
    rotating_allowed = size - permanent_required
    rotating = [s for s in rows if s.kind != PERMANENT]
    rule_id = GOV_8 if presidium == "council_presidium" else GOV_9
    name = organ(presidium)
    missing: list[Msg] = []
    excess: list[Msg] = []
    if len(rows) > size:
        excess.append(Msg.of(PRESIDIUM_TOO_MANY, organ=name, n=len(rows), size=size))
    if len(permanent) > permanent_required:
        excess.append(Msg.of(PERMANENT_TOO_MANY, n=len(permanent), required=permanent_required))
    if any(not s.from_coordinator_management for s in permanent):
        excess.append(Msg.of(PERMANENT_NOT_MANAGEMENT))
    if permanent_required and len(rotating) > rotating_allowed:
        excess.append(Msg.of(ROTATING_TOO_MANY, n=len(rotating), allowed=rotating_allowed))
    if len(permanent) < permanent_required:
        missing.append(Msg.of(PERMANENT_MISSING, n=len(permanent), required=permanent_required))
    if permanent_required:
        if len(rotating) < rotating_allowed:
            missing.append(Msg.of(ROTATING_MISSING, n=len(rotating), allowed=rotating_allowed))
    elif len(rows) < size:
        missing.append(Msg.of(MEMBERS_MISSING, n=len(rows), size=size))
    if excess or missing:
        message = Msg.of(PRESIDIUM_PROBLEMS, organ=name, problems=sentences(*excess, *missing))
    else:
        message = Msg.of(PRESIDIUM_FULL, organ=name, size=size)
    return PresidiumComposition(
        rule_id=rule_id,
        message=message,
        organ=presidium,
        size=size,
        held=len(rows),
        permanent_required=permanent_required,
        permanent_held=len(permanent),
        rotating_allowed=rotating_allowed,
        rotating_held=len(rotating),
        missing=tuple(missing),
        excess=tuple(excess),
    )


@dataclass(frozen=True, kw_only=True)
class PresidiumSeatCheck(Explained):
    allowed: bool


def check_presidium_seat(
    profile: StatuteProfile,
    presidium: PresidiumOrgan,
    held: Iterable[PresidiumSeat],
    new: PresidiumSeat,
) -> PresidiumSeatCheck:
    """GOV-8 / GOV-9: may one more person take a seat in the presidium? Refused beyond the size,
    and in the Board Presidium beyond its rotating seats or for a permanent member who is not from
    the coordinator's management (000 §10.1, §12.1)."""
    after = presidium_composition(profile, presidium, [*held, new])
    allowed = not after.excess
    if allowed:
        message = Msg.of(SEAT_GRANTED, organ=organ(presidium), composition=after.message)
    else:
        message = Msg.of(SEAT_REFUSED, organ=organ(presidium), problems=sentences(*after.excess))
    return PresidiumSeatCheck(rule_id=after.rule_id, message=message, allowed=allowed)
