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

from klaster.rules.governance._common import (
    Explained,
    count,
    organ_genitive,
    organ_locative,
    organ_name,
)
from klaster.rules.statute import GROUP_NAMES_PL, SeatRounding, StatuteProfile

GOV_8 = "GOV-8"
GOV_9 = "GOV-9"

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


def seat_count(profile: StatuteProfile, organ: SeatOrgan, members: int) -> SeatCount:
    """Seats for `members` cluster members (the coordinator included, MEM-2)."""
    if members < 0:
        raise ValueError("Liczba członków nie może być ujemna.")
    if organ == "council":
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
    how = "w górę" if rounding == "ceil" else "w dół"
    reason = (
        f"{organ_name(organ)}: {members} członków klastra, 1 miejsce na {per} "
        f"(zaokrąglenie {how}) — {count(elected, 'miejsce wybieralne', 'miejsca wybieralne', 'miejsc wybieralnych')}"
        + (f" i {coordinator} przedstawiciel Koordynatora" if coordinator else "")
        + f", razem {total}; kadencja {count(term, 'rok', 'lata', 'lat')}."
    )
    below = total < presidium
    if below:
        reason += (
            f" Uwaga: skład mniejszy niż prezydium ({count(presidium, 'osoba', 'osoby', 'osób')})."
        )
    return SeatCount(
        rule_id=rule_id,
        reason=reason,
        organ=organ,
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
    profile: StatuteProfile, organ: SeatOrgan, seat_groups: Iterable[str]
) -> GroupRepresentation:
    """Which groups of 000 §9.1 (§11.2 for the Board) no seat holder represents.

    `seat_groups` is the group of each seat holder's member: micro, small, medium, large,
    iob, public_authority, rd_education (science units and schools).
    """
    expected = (
        profile.council.represented_groups
        if organ == "council"
        else profile.board.represented_groups
    )
    have = set(seat_groups)
    represented = tuple(g for g in expected if g in have)
    missing = tuple(g for g in expected if g not in have)
    reason = (
        f"W składzie {organ_genitive(organ)} brakuje przedstawicieli: "
        + ", ".join(GROUP_NAMES_PL[g] for g in missing)
        + "."
        if missing
        else f"Skład {organ_genitive(organ)} reprezentuje wszystkie grupy podmiotów."
    )
    return GroupRepresentation(
        rule_id=GOV_8 if organ == "council" else GOV_9,
        reason=reason,
        organ=organ,
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
        reason = "Statut nie określa minimalnej częstotliwości posiedzeń Zarządu."
    elif short:
        reason = (
            "Zarząd nie zebrał się wymaganą liczbę razy w miesiącach: " + ", ".join(short) + "."
        )
    else:
        reason = "Zarząd zbierał się co najmniej raz w każdym zakończonym miesiącu."
    if current_empty:
        reason += " W bieżącym miesiącu nie było jeszcze posiedzenia Zarządu."
    return BoardCadence(
        rule_id=GOV_9,
        reason=reason,
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
    #: What is missing, as sentences (empty when complete).
    missing: tuple[str, ...]
    #: What breaks the statute (e.g. too many seats), as sentences.
    excess: tuple[str, ...]


def presidium_composition(
    profile: StatuteProfile, organ: PresidiumOrgan, seats: Iterable[PresidiumSeat]
) -> PresidiumComposition:
    """GOV-8 / GOV-9: the Council Presidium has `size` persons (000 §10.1: five); the Board
    Presidium `size` (000 §12.1: three), of whom `permanent_from_coordinator` are permanent
    members from the coordinator's management and the rest rotate."""
    rules_p = profile.council_presidium if organ == "council_presidium" else profile.board_presidium
    size, permanent_required = rules_p.size, rules_p.permanent_from_coordinator
    rows = list(seats)
    permanent = [s for s in rows if s.kind == PERMANENT]
    rotating_allowed = size - permanent_required
    rotating = [s for s in rows if s.kind != PERMANENT]
    rule_id = GOV_8 if organ == "council_presidium" else GOV_9
    name = organ_name(organ)
    missing: list[str] = []
    excess: list[str] = []
    if len(rows) > size:
        excess.append(f"{name} liczy {len(rows)} osób, a statut przewiduje {size}.")
    if len(permanent) > permanent_required:
        excess.append(
            f"Stałych członków z zarządu Koordynatora jest {len(permanent)}, "
            f"a statut przewiduje {permanent_required}."
        )
    if any(not s.from_coordinator_management for s in permanent):
        excess.append("Stały członek musi być członkiem zarządu Koordynatora.")
    if permanent_required and len(rotating) > rotating_allowed:
        excess.append(
            f"Członków rotacyjnych jest {len(rotating)}, a statut przewiduje {rotating_allowed}."
        )
    if len(permanent) < permanent_required:
        missing.append(
            f"Brakuje stałego członka z zarządu Koordynatora "
            f"({len(permanent)} z {permanent_required})."
        )
    if permanent_required:
        if len(rotating) < rotating_allowed:
            missing.append(f"Brakuje członków rotacyjnych ({len(rotating)} z {rotating_allowed}).")
    elif len(rows) < size:
        missing.append(f"Brakuje członków ({len(rows)} z {size}).")
    if excess or missing:
        reason = f"{name}: " + " ".join([*excess, *missing])
    else:
        reason = f"{name} ma pełny skład: {count(size, 'osoba', 'osoby', 'osób')}."
    return PresidiumComposition(
        rule_id=rule_id,
        reason=reason,
        organ=organ,
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
    organ: PresidiumOrgan,
    held: Iterable[PresidiumSeat],
    new: PresidiumSeat,
) -> PresidiumSeatCheck:
    """GOV-8 / GOV-9: may one more person take a seat in the presidium? Refused beyond the size,
    and in the Board Presidium beyond its rotating seats or for a permanent member who is not from
    the coordinator's management (000 §10.1, §12.1)."""
    after = presidium_composition(profile, organ, [*held, new])
    allowed = not after.excess
    if allowed:
        reason = f"Miejsce w {organ_locative(organ)} przyznane. {after.reason}"
    else:
        reason = f"Odmowa miejsca w {organ_locative(organ)}: " + " ".join(after.excess)
    return PresidiumSeatCheck(rule_id=after.rule_id, reason=reason, allowed=allowed)
