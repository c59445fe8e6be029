"""The home's "what to do now" (issue 9, point 1): reads the facts from governance and hands
them to the pure `klaster.rules.agenda`. A fixed number of queries whatever the meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from klaster.core import audit_text
from klaster.core.models import AuditLog, Cluster
from klaster.core.services import statute_profile_in_force
from klaster.governance.models import (
    AgendaItem,
    Ballot,
    Meeting,
    OrganKind,
    Resolution,
    Vote,
    VoteRight,
)
from klaster.governance.selectors import meetings_for, version_profile
from klaster.rules import agenda
from klaster.rules.governance import NotInStatute, objection_window
from klaster.rules.governance.proxies import proxy_last_day
from klaster.rules.statute import StatuteProfile, source_of

HORIZON_DAYS = 14


def office_agenda(cluster: Cluster, grants: Any, user: Any, today: dt.date) -> list[agenda.Item]:
    """What the reader has to do, due within the horizon, most urgent first:
    - everyone who takes part (office, organ members, representatives): the meetings ahead they
      may see (`governance.selectors.meetings_for`);
    - the office: notices still to send (GOV-7);
    - the office and representatives: the last day a proxy reaches the coordinator (GOV-4) and
      the last day of an objection window after a summary was sent (GOV-5);
    - whoever holds a ballot: votes open now in which it may still cast a member's ballot;
    - an organ member: the matters to decide at its meetings ahead (instead of the bare meeting);
    - the office: the Board's meeting of the month while it has none held or planned (GOV-9),
      and a draft KKK application due within the horizon that still has problems (KKK-2).
    A fixed number of queries whatever the meetings (the statute profile in force, read once)."""
    if not (grants.office or grants.organ_member or grants.representative):
        return []
    seen = meetings_for(cluster, grants, user).select_related("organ", "statute_version")
    meetings = list(
        seen.filter(
            date__gte=today - dt.timedelta(days=30),
            date__lte=today + dt.timedelta(days=HORIZON_DAYS + 60),
            status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
        )
        .annotate(
            matters=Count(
                "agenda_items",
                filter=~Q(
                    agenda_items__kind__in=[
                        AgendaItem.Kind.DECLARATION,
                        AgendaItem.Kind.PRESENTATION,
                    ]
                ),
            )
        )
        .order_by("date")
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
    if meetings or summaries or grants.office:
        current = statute_profile_in_force(cluster, today)

    def profile_of(m: Meeting) -> StatuteProfile | None:
        return version_profile(m.statute_version) if m.statute_version else current

    facts: list[agenda.Fact] = []
    for m in meetings:
        link = reverse("meeting_detail", args=[cluster.slug, m.pk])
        params = {"title": m.title, "organ": m.organ.get_kind_display(), "meeting_date": m.date}
        if grants.organ_member and m.matters and not grants.office:
            facts.append(
                agenda.Fact(
                    agenda.VOTES_PREPARE,
                    m.date,
                    "GOV-7",
                    "",
                    {**params, "matters": m.matters},
                    link=link,
                )
            )
        else:
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
                    agenda.Fact(
                        agenda.PROXY_DEADLINE,
                        last,
                        "GOV-4",
                        source_of(profile, f"{m.organ.kind}.proxy"),
                        params,
                        link=link,
                    )
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
                source_of(profile, f"{m.organ.kind}.notice_days"),
                {**params, "notice_days": days},
                link=link,
            )
        )
    for sent in summaries:
        profile = profile_of(sent)
        if profile is None or sent.summary_sent_at is None:
            continue
        try:
            window = objection_window(profile, sent.summary_sent_at)
        except NotInStatute:
            continue
        params = {
            "title": sent.title,
            "organ": sent.organ.get_kind_display(),
            "meeting_date": sent.date,
        }
        link = reverse("meeting_detail", args=[cluster.slug, sent.pk])
        facts.append(
            agenda.Fact(
                agenda.OBJECTION_WINDOW,
                window.last_day,
                "GOV-5",
                source_of(profile, "objections.business_days"),
                params,
                link=link,
            )
        )
    facts += _ballots_to_cast(cluster, grants, user, today)
    if grants.office:
        facts += _board_meeting(cluster, current, today)
        facts += _kkk_gaps(cluster, today)
        facts += _newsletter(cluster, today)
        facts += _money(cluster, today)
        facts += _aid(cluster, today)
    return agenda.agenda(facts, today, horizon_days=HORIZON_DAYS)


def _money(cluster: Cluster, today: dt.date) -> list[agenda.Fact]:
    """The office's money duties (issue 9 point 1, issue 10): the month's dues not yet issued
    (FIN-2), payments waiting to be assigned (FIN-3), members past the arrears limits with no
    step recorded for that stage (FIN-4), members' statement requests not yet answered (FIN-12). Nothing, in two queries, for a cluster that does not
    bill dues in Klaster."""
    from klaster.money.models import ArrearsStep, BankEntry, Document, MoneySettings
    from klaster.money.selectors import arrears
    from klaster.money.staff_selectors import statement_requests_due

    settings = MoneySettings.objects.filter(cluster=cluster).first()
    queued = BankEntry.objects.filter(cluster=cluster, state="queued").order_by("booked")
    oldest = queued.values_list("booked", flat=True).first()
    facts = []
    if oldest is not None:
        facts.append(
            agenda.Fact(
                agenda.PAYMENTS_QUEUED,
                oldest,
                "FIN-3",
                "",
                {"count": queued.count()},
                link=reverse("money_queue", args=[cluster.slug]),
            )
        )
    for due in statement_requests_due(cluster, today):
        facts.append(
            agenda.Fact(
                agenda.STATEMENT_REQUEST,
                due.deadline,
                "FIN-12",
                "",
                {"member": due.request.member.name},
                link=reverse("money_requests", args=[cluster.slug]),
            )
        )
    if settings is None:
        return facts
    month = today.replace(day=1)
    if (
        settings.billing_start <= today
        and not Document.objects.filter(
            cluster=cluster, fee_type__key="dues", issued__gte=month
        ).exists()
    ):
        facts.append(
            agenda.Fact(
                agenda.DUES_RUN,
                month,
                "FIN-2",
                "",
                {"month": month},
                link=reverse("money_home", args=[cluster.slug]),
            )
        )
    taken = set(ArrearsStep.objects.filter(cluster=cluster).values_list("member_id", "stage"))
    for row in arrears(cluster, today):
        late = [d for d in row.documents if d.stage.level >= 1]
        if not late:
            continue
        worst = max(late, key=lambda d: (d.stage.level, d.stage.days_overdue))
        if (row.member.pk, worst.stage.stage) in taken:
            continue
        crossed = today - dt.timedelta(days=worst.stage.days_overdue - int(worst.stage.stage) - 1)
        facts.append(
            agenda.Fact(
                agenda.ARREARS_STEP,
                crossed,
                "FIN-4",
                "",
                {
                    "member": row.member.name,
                    "days": int(worst.stage.stage),
                    "letter": worst.stage.level >= 2,
                },
                link=reverse("money_arrears", args=[cluster.slug]),
            )
        )
    return facts


def _board_meeting(
    cluster: Cluster, profile: StatuteProfile | None, today: dt.date
) -> list[agenda.Fact]:
    """GOV-9: while the month has fewer Board meetings held or planned than the statute asks for,
    the office is reminded by the month's last day. One query."""
    if profile is None:
        return []
    dates = Meeting.objects.filter(
        cluster=cluster,
        organ__kind=OrganKind.BOARD,
        date__year=today.year,
        date__month=today.month,
    ).values_list("date", flat=True)
    fact = agenda.board_meeting_due(today, dates, profile.board.min_meetings_per_month)
    if fact is None:
        return []
    link = reverse("meeting_create", args=[cluster.slug]) + f"?organ={OrganKind.BOARD}"
    paragraph = source_of(profile, "board.min_meetings_per_month")
    return [agenda.Fact(fact.code, fact.due, fact.rule_id, paragraph, fact.params, link=link)]


def _newsletter(cluster: Cluster, today: dt.date) -> list[agenda.Fact]:
    """PLT-2: no newsletter yet this month — due by the month's last day. One query."""
    from klaster.comms.selectors import cadence

    state = cadence(cluster, today)
    if not state.warn:
        return []
    return [
        agenda.Fact(
            agenda.NEWSLETTER,
            agenda.month_end(today),
            "PLT-2",
            "",
            {"missed": state.state == "late"},
            link=reverse("comms_newsletters", args=[cluster.slug]),
        )
    ]


def _kkk_gaps(cluster: Cluster, today: dt.date) -> list[agenda.Fact]:
    """KKK-2: a draft application whose submission date falls within the horizon and which the
    application check still finds problems in. One query; the check itself runs only for such a
    draft (rare: the weeks before a call closes)."""
    from klaster.kkk.models import Application
    from klaster.kkk.selectors import application_check

    facts = []
    drafts = Application.objects.filter(
        cluster=cluster,
        status=Application.Status.DRAFT,
        as_of__gte=today,
        as_of__lte=today + dt.timedelta(days=HORIZON_DAYS),
    ).order_by("as_of")
    for application in drafts:
        _, problems = application_check(application)
        if problems:
            facts.append(
                agenda.Fact(
                    agenda.KKK_GAP,
                    application.as_of,
                    "KKK-2",
                    "",
                    {"problems": len(problems), "as_of": application.as_of},
                    link=reverse("kkk_application_detail", args=[cluster.slug, application.pk]),
                )
            )
    return facts


def recent_documents(
    cluster: Cluster, grants: Any, user: Any, today: dt.date, days: int = 30
) -> list[dict[str, Any]]:
    """The documents of the last `days` days the reader's meetings produced: the minutes of each
    closed meeting it may see and the resolutions adopted there, newest first. Two queries."""
    if not (grants.office or grants.organ_member or grants.representative):
        return []
    since = today - dt.timedelta(days=days)
    seen = meetings_for(cluster, grants, user)
    closed = list(
        seen.filter(status=Meeting.Status.CLOSED, date__gte=since, date__lte=today)
        .select_related("organ")
        .order_by("-date", "-id")[:10]
    )
    resolutions = {
        m: n
        for m, n in Resolution.objects.filter(meeting__in=[m.pk for m in closed], passed=True)
        .values_list("meeting_id")
        .annotate(n=Count("id"))
    }
    return [
        {
            "meeting": m,
            "resolutions": resolutions.get(m.pk, 0),
            "minutes": reverse("minutes_pdf", args=[cluster.slug, m.pk]),
            "link": reverse("meeting_detail", args=[cluster.slug, m.pk]),
        }
        for m in closed
    ]


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


def _aid(cluster: Cluster, today: dt.date) -> list[agenda.Fact]:
    """The office's de minimis duties (issue 11 point 7): own grants to report to SHRIMP within
    7 days of the day of grant (AID-8), the reminder to apply for SHRIMP access once lending has
    begun, participants' usage reports past their due day (AID-7) and applications waiting for a
    result (AID-5). A fixed number of queries whatever the number of grants."""
    from django.db.models import Min
    from django.utils import timezone

    from klaster.aid.models import Application, Duty
    from klaster.aid.selectors_shrimp import own_grants, unreported
    from klaster.aid.views_shrimp import needs_access_reminder

    facts = []
    for row in unreported(cluster, today):
        facts.append(
            agenda.Fact(
                agenda.SHRIMP_REPORT,
                row.deadline,
                "AID-8",
                "",
                {"undertaking": row.grant.undertaking.name, "kind": row.grant.kind},
                link=reverse("aid_shrimp_sheet", args=[cluster.slug, row.grant.pk]),
            )
        )
    if needs_access_reminder(cluster):
        first = own_grants(cluster).values_list("granted_on", flat=True).first()
        facts.append(
            agenda.Fact(
                agenda.SHRIMP_ACCESS,
                min(first, today) if first else today,
                "AID-8",
                "",
                {},
                link=reverse("aid_settings", args=[cluster.slug]),
            )
        )
    late = (
        Duty.objects.filter(
            cluster=cluster,
            kind=Duty.Kind.USAGE_REPORT,
            done_on__isnull=True,
            due_on__lt=today,
        )
        .select_related("contract__application__member")
        .order_by("due_on", "pk")
    )
    for duty in late:
        facts.append(
            agenda.Fact(
                agenda.USAGE_REPORT,
                duty.due_on or today,
                "AID-7",
                "",
                {"member": duty.contract.application.member.name},
                link=reverse("aid_contract", args=[cluster.slug, duty.contract_id]),
            )
        )
    waiting = Application.objects.filter(
        cluster=cluster,
        status__in=[Application.Status.RECEIVED, Application.Status.COMPLETE],
        result_sent_at__isnull=True,
    ).aggregate(n=Count("pk"), oldest=Min("arrived_at"))
    if waiting["n"]:
        facts.append(
            agenda.Fact(
                agenda.AID_RESULT,
                timezone.localdate(waiting["oldest"]),
                "AID-5",
                "",
                {"count": waiting["n"]},
                link=reverse("aid_lending", args=[cluster.slug]),
            )
        )
    return facts
