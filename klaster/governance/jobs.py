"""Governance's deadline jobs (issue 12 point 6), run by `klaster worker` through the task
framework (klaster.core.jobs): once a day each cluster's office gets an e-mail digest of what is
due within the week — notices still to send (GOV-7, also when already late), the last days for
proxies (GOV-4) and objection windows closing (GOV-5) — and once a month the members the
coordinator has not met within the statute's period (GOV-15).

The deadlines are computed as the office's home computes them (klaster.office.selectors
.office_agenda), by the same pure rules — ``agenda.notice_send_by``, ``proxy_last_day``,
``objection_window`` on the meeting's statute version (``version_profile``) — and made into items
by ``agenda.agenda``; governance may not import office (tests/test_layers.py).

Each cluster's e-mail is a step kept by ``jobs.once`` — one row per (job, day, cluster): a retried
job (the SMTP server refused, the database went away) sends only the clusters not sent yet, so an
item goes out once a day, never twice.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.utils import translation

from klaster.core.jobs import daily, once
from klaster.core.models import Cluster
from klaster.core.outbox import office_addresses
from klaster.core.services import statute_profile_in_force
from klaster.core.smtp import smtp_send
from klaster.governance.models import Meeting
from klaster.governance.selectors import members_not_met, version_profile
from klaster.rules import agenda
from klaster.rules.governance import NotInStatute, objection_window
from klaster.rules.governance.proxies import proxy_last_day
from klaster.rules.statute import StatuteProfile

DEADLINES = "governance-deadlines"
YEARLY_MEETINGS = "governance-yearly-meetings"
WEEK = 7
#: how far ahead a meeting may be and still have its notice due within the week (the longest
#: notice period of a statute is well under it)
NOTICE_LOOKAHEAD = dt.timedelta(days=120)


def week_deadlines(cluster: Cluster, today: dt.date) -> list[agenda.Item]:
    """GOV-7, GOV-4, GOV-5: what the office must do within the week, most urgent first — the
    notices of meetings ahead still to send (late ones too: the meeting has not happened yet),
    the last days for proxies from today on, and the objection windows still open. Two queries,
    whatever the meetings."""
    current: StatuteProfile | None = None

    def profile_of(m: Meeting) -> StatuteProfile | None:
        nonlocal current
        if m.statute_version is not None:
            return version_profile(m.statute_version)
        if current is None:
            current = statute_profile_in_force(cluster, today)
        return current

    facts: list[agenda.Fact] = []
    ahead = Meeting.objects.filter(
        cluster=cluster,
        date__gte=today,
        date__lte=today + NOTICE_LOOKAHEAD,
        status__in=[Meeting.Status.PLANNED, Meeting.Status.CONVENED],
    ).select_related("organ", "statute_version")
    for m in ahead.order_by("date", "pk"):
        profile = profile_of(m)
        if profile is None:
            continue
        params = {
            "title": m.title,
            "organ": str(m.organ.get_kind_display()),
            "meeting_date": m.date,
        }
        try:
            last = proxy_last_day(profile, m.organ.kind, m.date)  # type: ignore[arg-type]
        except (NotInStatute, AttributeError, ValidationError):
            pass  # the statute has no proxies for this organ
        else:
            if last >= today:
                facts.append(agenda.Fact(agenda.PROXY_DEADLINE, last, "GOV-4", "", params))
        if m.notice_sent_at is not None:
            continue
        try:
            days = profile.organ(m.organ.kind).notice_days  # type: ignore[arg-type]
        except (AttributeError, ValidationError):
            continue
        if days is not None:
            facts.append(
                agenda.Fact(
                    agenda.NOTICE_SEND,
                    agenda.notice_send_by(m.date, days),
                    "GOV-7",
                    "",
                    {**params, "notice_days": days},
                )
            )
    summaries = Meeting.objects.filter(
        cluster=cluster,
        summary_sent_at__isnull=False,
        summary_sent_at__date__gte=today - dt.timedelta(days=30),
    ).select_related("organ", "statute_version")
    for m in summaries.order_by("date", "pk"):
        profile = profile_of(m)
        if profile is None or m.summary_sent_at is None:
            continue
        try:
            window = objection_window(profile, m.summary_sent_at)
        except NotInStatute:
            continue
        if window.last_day >= today:
            params = {
                "title": m.title,
                "organ": str(m.organ.get_kind_display()),
                "meeting_date": m.date,
            }
            facts.append(agenda.Fact(agenda.OBJECTION_WINDOW, window.last_day, "GOV-5", "", params))
    return agenda.agenda(facts, today, horizon_days=WEEK)


def _line(item: agenda.Item) -> str:
    p = item.params
    what = f"„{p['title']}” ({p['organ']}, {p['meeting_date']:%d.%m.%Y})"
    when = f"{item.due:%d.%m.%Y}"
    if item.code == agenda.NOTICE_SEND:
        late = f" — spóźnione o {item.days_overdue} dn." if item.days_left < 0 else ""
        return (
            f"- do {when}: wysłać zawiadomienie o posiedzeniu {what}, co najmniej "
            f"{p['notice_days']} dni przed posiedzeniem{late}"
        )
    if item.code == agenda.PROXY_DEADLINE:
        return f"- {when}: ostatni dzień na doręczenie pełnomocnictw na posiedzenie {what}"
    return f"- {when}: upływa termin sprzeciwów wobec uchwał posiedzenia {what}"


def _send(cluster: Cluster, subject: str, body: str) -> str:
    """One e-mail to the office through the configured SMTP server; a refusal raises (the step
    fails, the job is retried)."""
    from klaster.core.mailbox import CLUSTER_HEADER

    to = office_addresses(cluster)
    if not to:
        return "brak adresu biura: nic nie wysłano"
    message = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, to, headers={CLUSTER_HEADER: cluster.slug}
    )
    sent, error = smtp_send([message])
    if error or not sent:
        raise RuntimeError(error or "serwer poczty nie przyjął wiadomości")
    return f"wysłano na {len(to)} adr."


def _each_cluster(
    step_for: dict[Cluster, tuple[str, str]], name: str, day: dt.date
) -> dict[str, str]:
    """Every cluster's step, the others tried when one fails; then the failures raised."""
    done: dict[str, str] = {}
    failed: list[str] = []
    for cluster, (subject, body) in step_for.items():
        try:
            result = once(name, day, cluster, functools.partial(_send, cluster, subject, body))
        except Exception as exc:  # noqa: BLE001 — recorded on the step's row; raised below
            failed.append(f"{cluster.slug}: {exc}")
            continue
        done[cluster.slug] = result or "wysłane wcześniej"
    if failed:
        raise RuntimeError("; ".join(failed))
    return done


@daily(DEADLINES)
def deadlines_digest(today: dt.date) -> dict[str, str]:
    """GOV-7, GOV-4, GOV-5: each cluster with something due within the week gets one e-mail to
    its office a day (never a second one that day, whatever the retries). Returns
    {cluster slug: what was done}."""
    steps: dict[Cluster, tuple[str, str]] = {}
    with translation.override("pl"):
        for cluster in Cluster.objects.order_by("slug"):
            items = week_deadlines(cluster, today)
            if not items:
                continue
            body = (
                f"Terminy w klastrze {cluster.name} na najbliższy tydzień (stan na "
                f"{today:%d.%m.%Y}):\n\n" + "\n".join(_line(i) for i in items) + "\n\n"
                "Wiadomość wysłana automatycznie przez Klaster raz na dobę.\n"
            )
            subject = f"Terminy na tydzień — {cluster.name} ({today:%d.%m.%Y})"
            steps[cluster] = (subject, body)
    return _each_cluster(steps, DEADLINES, today)


@daily(YEARLY_MEETINGS)
def yearly_meetings_reminder(today: dt.date) -> dict[str, str]:
    """GOV-15: once a month (the first day the worker runs in it) the office of each cluster with
    members the coordinator has not met within the statute's period gets their list. A statute
    without that duty: nothing. Returns {cluster slug: what was done}."""
    month = today.replace(day=1)
    steps: dict[Cluster, tuple[str, str]] = {}
    with translation.override("pl"):
        for cluster in Cluster.objects.order_by("slug"):
            try:
                behind = members_not_met(cluster, today)
            except ValidationError:
                continue  # the statute sets no yearly meetings
            if not behind:
                continue
            lines = [
                f"- {member.name}: spotkanie należało odbyć do {n.due_by:%d.%m.%Y}"
                + (f" (ostatnie {n.last_met:%d.%m.%Y})" if n.last_met else " (jeszcze żadnego)")
                for member, n in behind
            ]
            body = (
                f"Członkowie klastra {cluster.name}, z którymi koordynator nie spotkał się "
                f"indywidualnie w terminie ze statutu (stan na {today:%d.%m.%Y}):\n\n"
                + "\n".join(lines)
                + "\n\nPrzypomnienie wysyłane automatycznie przez Klaster raz w miesiącu.\n"
            )
            subject = f"Spotkania z członkami do odbycia — {cluster.name}"
            steps[cluster] = (subject, body)
    return _each_cluster(steps, YEARLY_MEETINGS, month)
