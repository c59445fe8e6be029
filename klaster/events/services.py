"""Writes of events (PLT-2): an event created, its invitation sent through the outbox (each
member's notification addresses, with the .ics attached; the members reading in the portal find
it there), a member's answer, and the attendance recorded afterwards. Each in one transaction
with its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klaster.comms.selectors import recipients
from klaster.core.audit import audit_record
from klaster.core.models import Cluster, OutboxMessage
from klaster.core.outbox import outbox_enqueue
from klaster.events.ics import event_ics
from klaster.events.models import Attendance, Event, Rsvp
from klaster.members.models import Member

MAX_PEOPLE = 50


@transaction.atomic
def event_create(
    *,
    cluster: Cluster,
    user: Any,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    description: str = "",
    place: str = "",
    online_link: str = "",
    capacity: int | None = None,
    rsvp_until: dt.date | None = None,
) -> Event:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the event a title.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The event ends after it starts.")
    if rsvp_until is not None and rsvp_until > timezone.localtime(starts_at).date():
        errors["rsvp_until"] = _("Answers are collected until the event's day at the latest.")
    if not place.strip() and not online_link.strip():
        errors["place"] = _("Give the place or the online link.")
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(
        cluster=cluster,
        title=title.strip(),
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        capacity=capacity,
        rsvp_until=rsvp_until,
        created_by=user,
    )
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=event,
        object_repr=event.title,
        changes={
            "title": [None, event.title],
            "starts_at": [None, f"{timezone.localtime(event.starts_at):%d.%m.%Y %H:%M}"],
        },
    )
    return event


def _invitation(event: Event, to: list[str], url: str, ics: bytes, sender: str) -> EmailMessage:
    start = timezone.localtime(event.starts_at)
    where = ", ".join(x for x in (event.place, event.online_link) if x)
    lines = [
        _("%(cluster)s invites you to: %(title)s")
        % {"cluster": event.cluster.name, "title": event.title},
        "",
        _("When: %(start)s") % {"start": f"{start:%d.%m.%Y, %H:%M}"},
        _("Where: %(where)s") % {"where": where},
        "",
        event.description.rstrip(),
        "",
        _("Please answer whether you will come: %(url)s") % {"url": url},
    ]
    if event.rsvp_until:
        lines.append(_("Answers until %(day)s.") % {"day": f"{event.rsvp_until:%d.%m.%Y}"})
    message = EmailMessage(
        _("Invitation: %(title)s (%(day)s)") % {"title": event.title, "day": f"{start:%d.%m.%Y}"},
        "\n".join(lines) + "\n",
        sender,
        to,
    )
    message.attach("zaproszenie.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


def event_invite(*, event: Event, user: Any, url: str) -> Event:
    """PLT-2: the invitation, with the .ics, queued to each current member's notification
    addresses (one message per member; the members reading in the portal find it there); sent
    once. ``url``: the event's page, where a member answers."""
    with transaction.atomic():
        event = Event.objects.select_for_update().select_related("cluster").get(pk=event.pk)
        if event.invited_at is not None:
            raise ValidationError(_("The invitations to this event were sent already."))
        if event.starts_at <= timezone.now():
            raise ValidationError(_("The event has started; invitations are no longer sent."))
        who = recipients(event.cluster)
        ics = event_ics(event, url=url)
        with translation.override("pl"):
            messages = [
                _invitation(event, addresses, url, ics, settings.DEFAULT_FROM_EMAIL)
                for addresses in who.by_member.values()
            ]
        outbox_enqueue(
            cluster=event.cluster,
            messages=messages,
            kind=OutboxMessage.Kind.EVENT,
            source=event.source,
            user=user,
        )
        event.invited_at = timezone.now()
        event.invited = len(who.emails)
        event.save(update_fields=["invited_at", "invited"])
        audit_record(
            cluster=event.cluster,
            user=user,
            action="event_invite",
            instance=event,
            object_repr=event.title,
            changes={"addresses": [None, event.invited]},
        )
    return event


def places_taken(event: Event, *, besides: Member | None = None) -> int:
    rows = Rsvp.objects.filter(event=event, answer=Rsvp.Answer.YES)
    if besides is not None:
        rows = rows.exclude(member=besides)
    return rows.aggregate(n=Sum("people"))["n"] or 0


def rsvp_answer(
    *, event: Event, member: Member, user: Any, answer: str, people: int = 1, note: str = ""
) -> Rsvp:
    """A member's answer (its representative's or the office's), changed by answering again until
    the deadline; a "yes" beyond the places left is refused, naming the places left."""
    if answer not in Rsvp.Answer.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError({"people": _("Between 1 and %(n)s people.") % {"n": MAX_PEOPLE}})
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)  # places counted one at a time
        if member.cluster_id != event.cluster_id:
            raise ValidationError(_("The member is not of this cluster."))
        now = timezone.now()
        if event.starts_at <= now:
            raise ValidationError(_("The event has started; answers are closed."))
        if event.rsvp_until is not None and timezone.localdate() > event.rsvp_until:
            raise ValidationError(
                _("Answers were collected until %(day)s.") % {"day": f"{event.rsvp_until:%d.%m.%Y}"}
            )
        if answer == Rsvp.Answer.YES and event.capacity is not None:
            left = event.capacity - places_taken(event, besides=member)
            if people > left:
                raise ValidationError(
                    {"people": _("Only %(left)s places are left.") % {"left": max(left, 0)}}
                )
        before = Rsvp.objects.filter(event=event, member=member).first()
        row, _created = Rsvp.objects.update_or_create(
            event=event,
            member=member,
            defaults={
                "answer": answer,
                "people": people if answer != Rsvp.Answer.NO else 0,
                "note": note.strip()[:300],
                "answered_at": now,
                "answered_by": user,
            },
        )
        audit_record(
            cluster=event.cluster,
            user=user,
            action="rsvp",
            instance=event,
            object_repr=f"{event.title}: {member.name}",
            changes={
                "answer": [before.answer if before else None, answer],
                "people": [before.people if before else None, row.people],
            },
        )
    return row


@transaction.atomic
def attendance_record(
    *, event: Event, user: Any, members: Iterable[Member], people: dict[int, int] | None = None
) -> int:
    """Who came, recorded by the office once the event has started; replaces the list before.
    Returns how many members came."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at > timezone.now():
        raise ValidationError(_("Attendance is recorded once the event has started."))
    chosen = list(members)
    if any(m.cluster_id != event.cluster_id for m in chosen):
        raise ValidationError(_("The member is not of this cluster."))
    before = sorted(Attendance.objects.filter(event=event).values_list("member_id", flat=True))
    Attendance.objects.filter(event=event).delete()
    Attendance.objects.bulk_create(
        [Attendance(event=event, member=m, people=(people or {}).get(m.pk, 1) or 1) for m in chosen]
    )
    audit_record(
        cluster=event.cluster,
        user=user,
        action="attendance",
        instance=event,
        object_repr=event.title,
        changes={"members": [len(before), len(chosen)]},
    )
    return len(chosen)
