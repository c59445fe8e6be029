"""The chair's live view of a meeting (issue point 11): attendance, quorum now and the running
tally of the open vote, as one JSON-safe dict polled by the page. Fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from klaster.governance.models import Attendance, Meeting, Vote, VoteRight
from klaster.governance.selectors import meeting_profile, presence_now, voting_roll_for
from klaster.governance.services.votes import tally
from klaster.rules import governance as rules


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S") if value else ""


def live_state(meeting: Meeting) -> dict[str, Any]:
    state: dict[str, Any] = {"meeting": meeting.pk, "status": meeting.status, "term": meeting.term}
    try:
        profile = meeting_profile(meeting)
    except ValidationError as exc:
        state["error"] = " ".join(exc.messages)
        return state
    roll = voting_roll_for(meeting, profile)
    now = presence_now(meeting, profile, roll)
    presence = now.presence()
    try:
        q = rules.quorum(profile, meeting.organ.kind, roll.entitled, presence, meeting.term)
        state["quorum"] = {"met": q.met, "required": q.required, "present": q.present, "reason": q.reason}
    except (ValueError, rules.NotInStatute) as exc:
        state["quorum"] = {"met": False, "required": None, "present": presence.total, "reason": str(exc)}
    state["entitled"] = roll.entitled
    state["presence"] = {"in_person": presence.in_person, "online": presence.online, "proxy": presence.proxy}
    names = {int(r.member_id): r.name for r in roll.rights}
    rows = Attendance.objects.filter(meeting=meeting).values_list("member_id", "person_name", "mode", "first_in",
                                                                  "last_out")
    state["attendance"] = sorted(
        ({"member": m, "name": names.get(m, str(m)), "person": p, "mode": mode, "in": _time(fi), "out": _time(lo)}
         for m, p, mode, fi, lo in rows), key=lambda r: r["name"])
    state["represented"] = sorted(
        ({"member": m, "name": names.get(m, str(m)), "holder": p.holder_name} for m, p in now.represented.items()),
        key=lambda r: r["name"])
    state.update(live_votes(meeting))
    return state


def live_votes(meeting: Meeting) -> dict[str, Any]:
    """The open vote's running tally and the last result: cheap, no roll (the page's first paint)."""
    state: dict[str, Any] = {}
    vote = meeting.votes.filter(status=Vote.Status.OPEN).defer("snapshot").first()
    if vote is not None:
        counts = tally(vote)
        state["vote"] = {"id": vote.pk, "number": vote.number, "title": vote.title, "counts": counts,
                         "cast": sum(counts.values()), "may_vote": VoteRight.objects.filter(vote=vote).count(),
                         "quorum": vote.quorum_reason}
    last = meeting.votes.filter(status=Vote.Status.CLOSED).defer("snapshot").order_by("-number").first()
    if last is not None:
        state["last_vote"] = {"number": last.number, "title": last.title, "passed": last.passed,
                              "reason": last.outcome_reason}
    return state
