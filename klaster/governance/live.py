"""The chair's live view of a meeting (issue point 11): attendance, quorum now and the running
tally of the open vote, as one JSON-safe dict polled by the page. Fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from klaster.governance.models import Meeting, Vote, VoteRight
from klaster.governance.selectors import MeetingSituation, meeting_situation
from klaster.governance.services.votes import tally


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S") if value else ""


def live_state(meeting: Meeting, situation: MeetingSituation | None = None) -> dict[str, Any]:
    """The feed from the meeting's situation (`meeting_situation`, built here when not given):
    its attendance rows are the list shown, its roll names them, its quorum is the one shown."""
    state: dict[str, Any] = {"meeting": meeting.pk, "status": meeting.status, "term": meeting.term}
    try:
        situation = situation or meeting_situation(meeting)
    except ValidationError as exc:
        state["error"] = " ".join(exc.messages)
        return state
    presence, q = situation.presence, situation.quorum
    if q is not None:
        state["quorum"] = {
            "met": q.met,
            "required": q.required,
            "present": q.present,
            "reason": situation.quorum_reason,
        }
    else:
        state["quorum"] = {
            "met": False,
            "required": None,
            "present": presence.total,
            "reason": situation.quorum_reason,
        }
    state["entitled"] = situation.roll.entitled
    state["presence"] = {
        "in_person": presence.in_person,
        "online": presence.online,
        "proxy": presence.proxy,
    }
    names = {int(r.member_id): r.name for r in situation.roll.rights}
    state["attendance"] = sorted(
        (
            {
                "member": a.member_id,
                "name": names.get(a.member_id, str(a.member_id)),
                "person": a.person_name,
                "mode": a.mode,
                "in": _time(a.first_in),
                "out": _time(a.last_out),
            }
            for a in situation.attendance
        ),
        key=lambda r: r["name"],
    )
    state["represented"] = sorted(
        (
            {"member": m, "name": names.get(m, str(m)), "holder": p.holder_name}
            for m, p in situation.represented.items()
        ),
        key=lambda r: r["name"],
    )
    state.update(live_votes(meeting))
    return state


def live_votes(meeting: Meeting) -> dict[str, Any]:
    """The open vote's running tally and the last result: cheap, no roll (the page's first paint)."""
    state: dict[str, Any] = {}
    vote = meeting.votes.filter(status=Vote.Status.OPEN).defer("snapshot").first()
    if vote is not None:
        counts = tally(vote)
        state["vote"] = {
            "id": vote.pk,
            "number": vote.number,
            "title": vote.title,
            "counts": counts,
            "cast": sum(counts.values()),
            "may_vote": VoteRight.objects.filter(vote=vote).count(),
            "quorum": vote.quorum_words,
        }
    last = (
        meeting.votes.filter(status=Vote.Status.CLOSED)
        .defer("snapshot")
        .order_by("-number")
        .first()
    )
    if last is not None:
        state["last_vote"] = {
            "number": last.number,
            "title": last.title,
            "passed": last.passed,
            "reason": last.outcome_words,
        }
    return state
