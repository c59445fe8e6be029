"""Suspension of membership (FIN-7).

001 "Zawieszenie" 1: on a written request with reasons, "na okres nie dłuższy niż 12 miesięcy";
2: no dues and no part in the cluster's life meanwhile; 3: membership resumes by itself when
the period ends; 4: no extension beyond the limit and no new request "w okresie 12 miesięcy od
daty ustania ostatniego zawieszenia"; 5: commitments in projects (durability periods included)
stay in force — the caller lists them (`commitments`), this rule only carries them through.

The numbers are the profile's `SuspensionRule` (max_months, gap_months). A suspension is a
`Period` with both days included: it starts on `start`, its last day is `end`, and the member
is back on `end` + 1 day. Months are calendar months (KC art. 112): the longest suspension
from 15 March ends on 14 March of the next year; the earliest new one after a suspension that
ended on 31 May starts on 1 June of the next year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from klaster.rules.calendar import add_months
from klaster.rules.message import Msg, define
from klaster.rules.money._common import NotInStatute, Period, check_order
from klaster.rules.statute import StatuteProfile

RULE_ID = "FIN-7"

ALLOWED = define(
    "money.suspension.allowed",
    "Suspension from {start} to {end} allowed: at most {max} {max:month|months} (until {latest_end}); "
    "membership resumes by itself on {resumes}.{commitments}",
)
TOO_LONG = define(
    "money.suspension.too_long",
    "Suspension refused: from {start} it may last at most {max} {max:month|months}, that is "
    "until {latest_end}; asked until {end}.",
)
TOO_SOON = define(
    "money.suspension.too_soon",
    "Suspension refused: the last one ended on {last_end}; a new one may start {gap} "
    "{gap:month|months} later at the earliest, on {earliest}.",
)
OVERLAP = define(
    "money.suspension.overlap",
    "Suspension refused: it overlaps the suspension from {other_start} to {other_end} "
    "(an extension beyond the limit is not possible).",
)
OPEN_ENDED = define(
    "money.suspension.open_ended",
    "Suspension refused: it needs an end date (at most {max} {max:month|months}).",
)
COMMITMENTS = define(
    "money.suspension.commitments",
    " Commitments stay in force (001 “Suspension” 5): {items}.",
)
SUSPENSION_WORDS = define("money.suspension.what", "suspension of membership")
STATE_SUSPENDED = define(
    "money.suspension.on", "Suspended on {on} (from {start}); resumes by itself on {resumes}."
)
STATE_ACTIVE = define("money.suspension.off", "Not suspended on {on}.")


@dataclass(frozen=True)
class SuspensionDecision:
    allowed: bool
    code: str  # "allowed", "too_long", "too_soon", "overlap", "open_ended"
    latest_end: dt.date | None
    resumes: dt.date | None
    commitments: tuple[str, ...]
    message: Msg
    rule_id: str = RULE_ID


def check_suspension(
    profile: StatuteProfile,
    request: Period,
    previous: Iterable[Period] = (),
    commitments: Iterable[str] = (),
) -> SuspensionDecision:
    """May the member be suspended for `request`, given its earlier suspensions?"""
    rule = profile.suspension
    if rule is None:
        raise NotInStatute(profile, Msg.of(SUSPENSION_WORDS), RULE_ID)
    items = tuple(commitments)
    if request.end is None:
        return SuspensionDecision(
            False, "open_ended", None, None, items, Msg.of(OPEN_ENDED, max=rule.max_months)
        )
    check_order("end", request.start, request.end)
    latest_end = add_months(request.start, rule.max_months) - dt.timedelta(days=1)
    if request.end > latest_end:
        return SuspensionDecision(
            False,
            "too_long",
            latest_end,
            None,
            items,
            Msg.of(
                TOO_LONG,
                start=request.start,
                max=rule.max_months,
                latest_end=latest_end,
                end=request.end,
            ),
        )
    earlier = sorted(previous, key=lambda p: p.start)
    for other in earlier:
        other_end = other.end or dt.date.max
        if other.start <= request.end and request.start <= other_end:
            return SuspensionDecision(
                False,
                "overlap",
                latest_end,
                None,
                items,
                Msg.of(OVERLAP, other_start=other.start, other_end=other.end),
            )
    ended = [p.end for p in earlier if p.end is not None and p.end < request.start]
    if ended:
        last_end = max(ended)
        earliest = add_months(last_end, rule.gap_months) + dt.timedelta(days=1)
        if request.start < earliest:
            return SuspensionDecision(
                False,
                "too_soon",
                latest_end,
                None,
                items,
                Msg.of(TOO_SOON, last_end=last_end, gap=rule.gap_months, earliest=earliest),
            )
    resumes = request.end + dt.timedelta(days=1)
    return SuspensionDecision(
        True,
        "allowed",
        latest_end,
        resumes,
        items,
        Msg.of(
            ALLOWED,
            start=request.start,
            end=request.end,
            max=rule.max_months,
            latest_end=latest_end,
            resumes=resumes,
            commitments=Msg.of(COMMITMENTS, items=items) if items else "",
        ),
    )


@dataclass(frozen=True)
class SuspensionState:
    suspended: bool
    period: Period | None
    resumes: dt.date | None
    message: Msg
    rule_id: str = RULE_ID


def suspension_on(suspensions: Iterable[Period], on: dt.date) -> SuspensionState:
    """Suspended on `on`? A suspension ends by itself: from `end` + 1 day the member is back."""
    for p in suspensions:
        if p.covers(on):
            resumes = p.end + dt.timedelta(days=1) if p.end is not None else None
            return SuspensionState(
                True, p, resumes, Msg.of(STATE_SUSPENDED, on=on, start=p.start, resumes=resumes)
            )
    return SuspensionState(False, None, None, Msg.of(STATE_ACTIVE, on=on))
