"""The demo's events (PLT-2): a networking meeting in two weeks with its invitations queued and
the first answers in, and last month's workshop with its attendance recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from klaster.events import services
from klaster.events.models import Attendance, Event
from klaster.members.models import Member


def events_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    tz = timezone.get_current_timezone()
    ahead = dt.datetime.combine(today + dt.timedelta(days=14), dt.time(10), tz)
    meeting = services.event_create(
        cluster=cluster,
        user=user,
        title="Spotkanie sieciujące członków klastra",
        starts_at=ahead,
        ends_at=ahead + dt.timedelta(hours=3),
        place="Centrum Konferencyjne, ul. Piotrkowska 100, Łódź",
        capacity=60,
        rsvp_until=(ahead - dt.timedelta(days=3)).date(),
        description=(
            "Prezentacje nowych członków, wymiana ofert współpracy i rozmowy przy kawie.\n"
            "Prosimy o potwierdzenie udziału do podanego terminu."
        ),
    )
    services.event_invite(
        event=meeting, user=user, url=f"http://127.0.0.1:8000/c/{cluster.slug}/events/"
    )
    members = list(Member.objects.filter(cluster=cluster, status="active").order_by("id")[:8])
    for i, member in enumerate(members):
        services.rsvp_answer(
            event=meeting,
            member=member,
            user=user,
            answer=("yes", "yes", "maybe", "no")[i % 4],
            people=1 + i % 2,
        )
    past = dt.datetime.combine(today - dt.timedelta(days=30), dt.time(9), tz)
    workshop = Event.objects.create(
        cluster=cluster,
        title="Warsztaty: finansowanie projektów B+R",
        starts_at=past,
        ends_at=past + dt.timedelta(hours=5),
        place="Siedziba koordynatora",
        created_by=user,
        invited_at=past - dt.timedelta(days=21),
        invited=len(members),
    )
    Attendance.objects.bulk_create(
        [Attendance(event=workshop, member=m, people=1) for m in members[:5]]
    )
