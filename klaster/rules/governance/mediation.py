"""Dispute mediation by the Council Presidium (GOV-13, 000 §10.3–10.5).

The Presidium has 30 days from the written report of the conflict to find a solution
(000 §10.5). Reading: counted as Polish civil law counts days (Kodeks cywilny art. 111) —
the day of the report is not counted, so a report on 1 March gives until the end of 31 March.
A presidium member involved in the dispute stands aside (000 §10.4); the Council should then
delegate a person the parties accept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from klaster.rules.governance._common import Explained, sentences
from klaster.rules.message import Msg, define
from klaster.rules.statute import StatuteProfile

RULE_ID = "GOV-13"

PERIOD = define(
    "mediation.period",
    "Reported on {reported}: the Council Presidium has {days} {days:day|days}, until {deadline}.",
)
ASIDE = define(
    "mediation.aside",
    "Presidium members involved in the dispute stand aside (number: {n}); the Cluster Council "
    "should delegate a person the parties accept.",
)
OVERDUE = define(
    "mediation.overdue",
    "The deadline passed without a solution: the Presidium may appoint a mediator or set a date "
    "for a decision the parties accept.",
)


@dataclass(frozen=True, kw_only=True)
class MediationCase(Explained):
    reported_on: dt.date
    deadline: dt.date
    deciding_ids: tuple[str, ...]
    standing_aside_ids: tuple[str, ...]
    council_should_delegate: bool
    on: dt.date
    overdue: bool
    days_left: int


def mediation_case(
    profile: StatuteProfile,
    reported_on: dt.date,
    presidium_ids: Sequence[str],
    involved_ids: Collection[str],
    on: dt.date,
    resolved: bool = False,
) -> MediationCase:
    rule = profile.mediation
    deadline = reported_on + dt.timedelta(days=rule.days)
    aside = tuple(
        p for p in presidium_ids if rule.involved_member_stands_aside and p in involved_ids
    )
    deciding = tuple(p for p in presidium_ids if p not in aside)
    overdue = not resolved and on > deadline
    days_left = (deadline - on).days
    parts = [Msg.of(PERIOD, reported=reported_on, days=rule.days, deadline=deadline)]
    if aside:
        parts.append(Msg.of(ASIDE, n=len(aside)))
    if overdue:
        parts.append(Msg.of(OVERDUE))
    return MediationCase(
        rule_id=RULE_ID,
        message=sentences(*parts),
        reported_on=reported_on,
        deadline=deadline,
        deciding_ids=deciding,
        standing_aside_ids=aside,
        council_should_delegate=bool(aside),
        on=on,
        overdue=overdue,
        days_left=days_left,
    )
