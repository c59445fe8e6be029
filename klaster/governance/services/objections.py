"""Objections (GOV-5, 001 dec. 12–13): filed within 5 business days of the summary by entities that
did not take part; when more than half of those with decision rights object, the matter goes on
the organ's next meeting's agenda by itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.say import say
from klaster.governance import literals
from klaster.governance.models import AgendaItem, Objection, Vote
from klaster.governance.selectors import meeting_profile, next_meeting
from klaster.members.models import Member
from klaster.rules import governance as rules
from klaster.rules.governance.objections import ACCEPTED, NO_OBJECTIONS, RETURNED_ITEM
from klaster.rules.message import Msg, to_json


def _participants(vote: Vote) -> set[str]:
    snap = vote.snapshot or {}
    return set(snap.get("present", {})) | set(snap.get("represented", {}))


def _entitled(vote: Vote) -> set[str]:
    return {str(r["member"]) for r in (vote.snapshot or {}).get("rights", []) if r.get("may_vote")}


@transaction.atomic
def objection_file(
    *, vote: Vote, member: Member, user: Any, text: str = "", received_at: dt.datetime | None = None
) -> Objection:
    """Record an objection and say whether it counts; when the count passes the threshold the
    matter returns to the organ's next meeting (an agenda item, waiting if none is convened)."""
    vote = (
        Vote.objects.select_for_update()
        .select_related("meeting__organ", "meeting__cluster")
        .get(pk=vote.pk)
    )
    meeting = vote.meeting
    profile = meeting_profile(meeting)
    if profile.objections is None:
        raise ValidationError(
            say(rules.NotInStatute(profile, Msg.of(NO_OBJECTIONS), "GOV-5").message)
        )
    if vote.status != Vote.Status.CLOSED:
        raise ValidationError(_("Objections are raised against a closed vote."))
    if meeting.summary_sent_at is None:
        raise ValidationError(
            _(
                "The meeting summary has not been sent yet; the time for objections "
                "runs from when it is sent (GOV-5)."
            )
        )
    received_at = received_at or timezone.now()
    window = rules.objection_window(profile, meeting.summary_sent_at)
    previous = list(vote.objections.filter(valid=True))
    new = rules.Objection(str(member.pk), received_at)
    outcome = rules.objections_outcome(
        profile,
        literals.organ(meeting.organ.kind),
        window,
        [rules.Objection(str(o.member_id), o.received_at) for o in previous] + [new],
        _entitled(vote),
        _participants(vote),
    )
    valid = str(member.pk) in outcome.valid_ids and str(member.pk) not in {
        str(o.member_id) for o in previous
    }
    refusal = next((r.message for r in outcome.refused if r.member_id == str(member.pk)), None)
    if valid:
        reason = to_json(Msg.of(ACCEPTED, window=window.message, outcome=outcome.message))
    else:
        reason = to_json(refusal) if refusal is not None else {}
    objection = Objection.objects.create(
        vote=vote,
        member=member,
        received_at=received_at,
        text=text,
        valid=valid,
        reason_msg=reason,
        filed_by=user if getattr(user, "pk", None) else None,
    )
    resolution = getattr(vote, "resolution", None)
    if (
        valid
        and outcome.returns_to_next_meeting
        and resolution is not None
        and resolution.returned_on is None
    ):
        on = timezone.localdate()
        target = next_meeting(meeting.organ, on)
        position = (target.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1 if target else 0
        AgendaItem.objects.create(
            organ=meeting.organ,
            meeting=target,
            position=position,
            kind=AgendaItem.Kind.RETURNED,
            title=f"Ponowne rozpatrzenie: {vote.title}"[:500],
            source_vote=vote,
            reason_msg=to_json(
                Msg.of(
                    RETURNED_ITEM,
                    number=resolution.number,
                    year=resolution.year,
                    outcome=outcome.message,
                )
            ),
        )
        resolution.returned_on = on
        resolution.save(update_fields=["returned_on"])
    audit_record(
        cluster=meeting.cluster,
        user=user,
        action="objection",
        instance=objection,
        object_repr=f"{member}: {vote}",
        changes={"valid": [None, valid], "reason": [None, reason]},
    )
    return objection
