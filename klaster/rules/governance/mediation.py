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

from klaster.rules.governance._common import Explained, date_text
from klaster.rules.statute import StatuteProfile

RULE_ID = "GOV-13"


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
    reason = (
        f"Zgłoszenie z {date_text(reported_on)}: Prezydium Rady ma {rule.days} dni, "
        f"do {date_text(deadline)}."
    )
    if aside:
        reason += (
            f" Członkowie Prezydium zaangażowani w spór wyłączają się (liczba: {len(aside)}); "
            "Rada Klastra powinna wydelegować osobę akceptowaną przez strony."
        )
    if overdue:
        reason += (
            " Termin minął bez rozwiązania: Prezydium może powołać mediatora lub ustalić "
            "termin rozstrzygnięcia akceptowany przez strony."
        )
    return MediationCase(
        rule_id=RULE_ID,
        reason=reason,
        reported_on=reported_on,
        deadline=deadline,
        deciding_ids=deciding,
        standing_aside_ids=aside,
        council_should_delegate=bool(aside),
        on=on,
        overdue=overdue,
        days_left=days_left,
    )
