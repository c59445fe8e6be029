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
from klaster.rules.governance._common import Explained, NotInStatute
from klaster.rules.message import Msg, define
from klaster.rules.statute import StatuteProfile

RULE_ID = "GOV-15"

NO_DUTY = define("contacts.not_in_statute", "the duty of yearly individual meetings")
NOT_MET = define(
    "contacts.not_met",
    "The coordinator has not met the member within {months} {months:month|months} (last met "
    "on {last}; due by {due_by}, now past).",
)
NEVER_MET = define(
    "contacts.never_met",
    "The coordinator has not met the member within {months} {months:month|months} (no meeting "
    "since joining; due by {due_by}, now past).",
)


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
        raise NotInStatute(profile, Msg.of(NO_DUTY), RULE_ID)
    result: list[NotMet] = []
    for m in members:
        past = [d for d in m.met_on if d <= on]
        last = max(past) if past else None
        due_by = add_months(max(last or m.joined, m.joined), months)
        if due_by < on:
            message = (
                Msg.of(NOT_MET, months=months, last=last, due_by=due_by)
                if last
                else Msg.of(NEVER_MET, months=months, due_by=due_by)
            )
            result.append(
                NotMet(
                    rule_id=RULE_ID,
                    message=message,
                    member_id=m.member_id,
                    last_met=last,
                    due_by=due_by,
                )
            )
    return tuple(result)
