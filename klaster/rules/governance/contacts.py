"""Members the coordinator has not met in the last year (GOV-15, 001 "Zasady współpracy" 2–3).

The coordinator meets each member individually at least once a year unless they met on
another occasion. Reading: "a year" is the 12 months ending on the day of the check; any
recorded meeting with the member counts; a member who joined less than 12 months ago is not
yet due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from klaster.rules.calendar import add_months
from klaster.rules.governance._common import Explained, NotInStatute, date_text
from klaster.rules.statute import StatuteProfile

RULE_ID = "GOV-15"


@dataclass(frozen=True)
class MemberContacts:
    member_id: str
    joined: dt.date
    met_on: tuple[dt.date, ...] = ()


@dataclass(frozen=True, kw_only=True)
class NotMet(Explained):
    member_id: str
    last_met: dt.date | None
    #: The day by which a meeting was due.
    due_by: dt.date


def members_not_met(
    profile: StatuteProfile, members: Iterable[MemberContacts], on: dt.date
) -> tuple[NotMet, ...]:
    months = profile.individual_meeting_months
    if months is None:
        raise NotInStatute(profile, "obowiązku corocznych spotkań indywidualnych", RULE_ID)
    result: list[NotMet] = []
    for m in members:
        past = [d for d in m.met_on if d <= on]
        last = max(past) if past else None
        due_by = add_months(max(last or m.joined, m.joined), months)
        if due_by < on:
            since = (
                f"ostatnie spotkanie {date_text(last)}" if last else "brak spotkań od przystąpienia"
            )
            result.append(
                NotMet(
                    rule_id=RULE_ID,
                    reason=(
                        f"Koordynator nie spotkał się z członkiem w ciągu {months} miesięcy "
                        f"({since}; termin minął {date_text(due_by)})."
                    ),
                    member_id=m.member_id,
                    last_met=last,
                    due_by=due_by,
                )
            )
    return tuple(result)
