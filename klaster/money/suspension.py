"""Suspension of membership (FIN-7) as the office records it: checked against the statute's
limits (at most N months, none within M months of the last one's end), then written as two dated
membership events — "suspended" on its first day and "resumed" the day after its last, so that
membership resumes by itself (MEM-6 replays the events; dues stop for the months it covers, the
FIN-2 Reading). Project commitments stay in force and are listed in the decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from klaster.core.services import statute_profile_in_force
from klaster.members.models import Member, MembershipEvent
from klaster.members.services import member_event_add
from klaster.money.services import MoneyError
from klaster.rules import money as rules
from klaster.rules.governance._common import NotInStatute
from klaster.rules.message import Msg, define

NO_STATUTE = define("money.suspension.no_statute", "The cluster has no statute in force on {day}.")


def suspensions_of(member: Member) -> list[rules.Period]:
    """The member's suspensions so far, from its events: (first day, last day)."""
    periods: list[rules.Period] = []
    start: dt.date | None = None
    for kind, date in member.events.order_by("date", "id").values_list("kind", "date"):
        if kind == MembershipEvent.Kind.SUSPENDED:
            start = date
        elif kind == MembershipEvent.Kind.RESUMED and start is not None:
            periods.append(rules.Period(start, date - dt.timedelta(days=1)))
            start = None
    if start is not None:
        periods.append(rules.Period(start, None))
    return periods


def suspension_check(
    *, member: Member, start: dt.date, end: dt.date | None, commitments: list[str]
) -> rules.SuspensionDecision:
    profile = statute_profile_in_force(member.cluster, start)
    if profile is None:
        raise MoneyError("start", Msg.of(NO_STATUTE, day=start))
    try:
        return rules.check_suspension(
            profile, rules.Period(start, end), suspensions_of(member), commitments
        )
    except rules.MoneyInputError as e:
        raise MoneyError(e.field, e.message) from e
    except NotInStatute as e:  # the statute has no suspension at all
        raise MoneyError("start", e.message) from e


@transaction.atomic
def suspension_record(
    *,
    member: Member,
    start: dt.date,
    end: dt.date | None,
    reasons: str,
    commitments: list[str],
    user: Any,
) -> rules.SuspensionDecision:
    """Record an allowed suspension (both events, one transaction); a refused one writes
    nothing and raises MoneyError with the rule's reason."""
    decision = suspension_check(member=member, start=start, end=end, commitments=commitments)
    if not decision.allowed or end is None:
        raise MoneyError(
            "end" if decision.code in ("too_long", "open_ended") else "start", decision.message
        )
    member_event_add(member=member, user=user, kind="suspended", date=start, note=reasons[:500])
    member_event_add(
        member=member,
        user=user,
        kind="resumed",
        date=end + dt.timedelta(days=1),
        note="wznowienie z mocy zawieszenia",
    )
    return decision
