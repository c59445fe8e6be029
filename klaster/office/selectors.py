"""The home's "what to do now" (issue 9, point 1): reads the facts from governance and hands
them to the pure `klaster.rules.agenda`. A fixed number of queries whatever the meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import Cluster
from klaster.core.services import statute_profile_in_force
from klaster.governance.models import Meeting
from klaster.governance.selectors import meetings_for, version_profile
from klaster.rules import agenda
from klaster.rules.statute import StatuteProfile

HORIZON_DAYS = 14


def office_agenda(cluster: Cluster, grants: Any, user: Any, today: dt.date) -> list[agenda.Item]:
    """Office: notices still to send (GOV-7) and meetings ahead; everyone else: the meetings
    ahead they may see (`governance.selectors.meetings_for`: the General Assembly's, their
    organs', their member's organs')."""
    if not (grants.office or grants.organ_member or grants.representative):
        return []
    meetings = list(
        meetings_for(cluster, grants, user)
        .filter(
            date__gte=today - dt.timedelta(days=30),
            date__lte=today + dt.timedelta(days=HORIZON_DAYS + 60),
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
        )
        .select_related("organ", "statute_version")
        .order_by("date")
    )
    current: StatuteProfile | None = None
    if meetings and grants.office:
        current = statute_profile_in_force(cluster, today)
    facts: list[agenda.Fact] = []
    for m in meetings:
        link = reverse("meeting_detail", args=[cluster.slug, m.pk])
        params = {"title": m.title, "organ": m.organ.get_kind_display(), "meeting_date": m.date}
        facts.append(agenda.Fact(agenda.MEETING, m.date, "GOV-7", "", params, link=link))
        if not grants.office or m.notice_sent_at is not None:
            continue
        profile = version_profile(m.statute_version) if m.statute_version else current
        if profile is None:
            continue
        try:
            days = profile.organ(m.organ.kind).notice_days  # type: ignore[arg-type]
        except (AttributeError, ValidationError):
            continue
        if days is None:
            continue
        facts.append(
            agenda.Fact(
                agenda.NOTICE_SEND,
                agenda.notice_send_by(m.date, days),
                "GOV-7",
                "§8 ust. 4",
                {**params, "notice_days": days},
                link=link,
            )
        )
    return agenda.agenda(facts, today, horizon_days=HORIZON_DAYS)
