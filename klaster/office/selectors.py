"""The home's "what to do now" (issue 9, point 1): reads the facts from governance and hands
them to the pure `klaster.rules.agenda`. A fixed number of queries whatever the meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from klaster.core import audit_text
from klaster.core.models import AuditLog, Cluster
from klaster.core.services import statute_profile_in_force
from klaster.governance.models import Ballot, Meeting, Vote, VoteRight
from klaster.governance.selectors import meetings_for, version_profile
from klaster.rules import agenda
from klaster.rules.governance import NotInStatute, objection_window
from klaster.rules.governance.proxies import proxy_last_day
from klaster.rules.statute import StatuteProfile

HORIZON_DAYS = 14


def office_agenda(cluster: Cluster, grants: Any, user: Any, today: dt.date) -> list[agenda.Item]:
    """What the reader has to do, due within the horizon, most urgent first:
    - everyone who takes part (office, organ members, representatives): the meetings ahead they
      may see (`governance.selectors.meetings_for`);
    - the office: notices still to send (GOV-7);
    - the office and representatives: the last day a proxy reaches the coordinator (GOV-4) and
      the last day of an objection window after a summary was sent (GOV-5);
    - whoever holds a ballot: votes open now in which it may still cast a member's ballot.
    A fixed number of queries whatever the meetings (the statute profile in force, read once)."""
    if not (grants.office or grants.organ_member or grants.representative):
        return []
    seen = meetings_for(cluster, grants, user).select_related("organ", "statute_version")
    meetings = list(
        seen.filter(
            date__gte=today - dt.timedelta(days=30),
            date__lte=today + dt.timedelta(days=HORIZON_DAYS + 60),
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
        ).order_by("date")
    )
    summaries = (
        list(
            seen.filter(
                summary_sent_at__isnull=False,
                summary_sent_at__date__gte=today - dt.timedelta(days=30),
            ).order_by("date")
        )
        if grants.office or grants.representative
        else []
    )
    current: StatuteProfile | None = None
    if meetings or summaries:
        current = statute_profile_in_force(cluster, today)

    def profile_of(m: Meeting) -> StatuteProfile | None:
        return version_profile(m.statute_version) if m.statute_version else current

    facts: list[agenda.Fact] = []
    for m in meetings:
        link = reverse("meeting_detail", args=[cluster.slug, m.pk])
        params = {"title": m.title, "organ": m.organ.get_kind_display(), "meeting_date": m.date}
        facts.append(agenda.Fact(agenda.MEETING, m.date, "GOV-7", "", params, link=link))
        profile = profile_of(m)
        if profile is None:
            continue
        if grants.office or grants.representative:
            try:
                last = proxy_last_day(profile, m.organ.kind, m.date)  # type: ignore[arg-type]
            except (NotInStatute, AttributeError, ValidationError):
                pass  # the statute has no proxies for this organ
            else:
                facts.append(
                    agenda.Fact(agenda.PROXY_DEADLINE, last, "GOV-4", "", params, link=link)
                )
        if not grants.office or m.notice_sent_at is not None:
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
                "",
                {**params, "notice_days": days},
                link=link,
            )
        )
    for m in summaries:
        profile = profile_of(m)
        if profile is None or m.summary_sent_at is None:
            continue
        try:
            window = objection_window(profile, m.summary_sent_at)
        except NotInStatute:
            continue
        params = {"title": m.title, "organ": m.organ.get_kind_display(), "meeting_date": m.date}
        link = reverse("meeting_detail", args=[cluster.slug, m.pk])
        facts.append(
            agenda.Fact(agenda.OBJECTION_WINDOW, window.last_day, "GOV-5", "", params, link=link)
        )
    facts += _ballots_to_cast(cluster, grants, user, today)
    return agenda.agenda(facts, today, horizon_days=HORIZON_DAYS)


def _ballots_to_cast(cluster: Cluster, grants: Any, user: Any, today: dt.date) -> list[agenda.Fact]:
    """Open votes in which `user` may still cast a member's ballot: as the holder of its proxy, or
    as a representative of a member present in person or online (`votes._via`, "own"). One query."""
    whose = Q(mode="proxy", holder_user=user)
    if grants.member_ids:
        whose |= Q(member_id__in=grants.member_ids) & ~Q(mode="proxy")
    rights = (
        VoteRight.objects.filter(
            whose, vote__status=Vote.Status.OPEN, vote__meeting__cluster=cluster
        )
        .exclude(Exists(Ballot.objects.filter(vote=OuterRef("vote"), member=OuterRef("member"))))
        .select_related("vote__meeting__organ", "member")
        .order_by("vote_id", "member__name")
    )
    facts: list[agenda.Fact] = []
    for r in rights:
        meeting = r.vote.meeting
        facts.append(
            agenda.Fact(
                agenda.BALLOT,
                today,
                "GOV-1",
                "",
                {"title": r.vote.title, "meeting": meeting.title, "member": r.member.name},
                link=reverse("meeting_my", args=[cluster.slug, meeting.pk]),
            )
        )
    return facts


def recent_changes(cluster: Cluster, grants: Any, limit: int = 5) -> list[audit_text.Entry]:
    """The office's last changes, as sentences (the change log's own words)."""
    if not grants.office:
        return []
    rows = list(
        AuditLog.objects.filter(cluster=cluster)
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )
    return audit_text.entries(rows)
