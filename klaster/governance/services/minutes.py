"""Minutes (GOV-14): a PDF made from the recorded data — the statute version the meeting sat under,
attendance with its times and modes, the proxies and what became of them, the quorum at each vote,
the numbers each vote applied and every result — only for a meeting that sat — and the summary
e-mailed through SMTP to the meeting's organ: a GA's entitled members at their notification addresses
(MEM-7, PLT-2), another organ's seat holders and the coordinator's office."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klaster.core import charts
from klaster.core.audit import audit_record

# The summary goes through real SMTP (KLASTER_SMTP_HOST/PORT), whatever EMAIL_BACKEND a test run sets.
from klaster.core.models import OutboxMessage
from klaster.core.outbox import outbox_enqueue  # the queue every app sends through (PLT-2)
from klaster.governance.models import (
    Attendance,
    AttendanceEvent,
    AttendanceMode,
    Meeting,
    OrganKind,
    Proxy,
    SummaryDispatch,
)
from klaster.governance.selectors import meeting_statute, seats_on, voting_roll_for
from klaster.members.models import NotificationEmail


def minutes_refusal(meeting: Meeting) -> str | None:
    """Why there can be no minutes of this meeting yet, or None: a meeting that never sat (never
    opened) has nothing to record — its minutes would be a document of nothing."""
    if meeting.opened_at is None and meeting.status != Meeting.Status.OPEN:
        return (
            f"Posiedzenie „{meeting}” nie zostało otwarte — nie obradowało, więc nie ma z czego sporządzić "
            "protokołu. Protokół powstaje po otwarciu posiedzenia."
        )
    return None


def _vote_rows(votes: list[Any]) -> list[tuple[Any, dict[str, Any], dict[str, Any]]]:
    """Each vote with the statute version and the numbers it recorded when it opened."""
    return [
        (v, (v.snapshot or {}).get("statute") or {}, (v.snapshot or {}).get("numbers") or {})
        for v in votes
    ]


def attendance_chart(attendance: list[Attendance]) -> str:
    """Issue 9 point 9: the attendance by mode (in person, online, by proxy, absent) against the
    whole list, as the SVG chart pages use (klaster.core.charts); drawn in the minutes PDF."""
    if not attendance:
        return ""
    counts = {mode: 0 for mode in AttendanceMode.values}
    for a in attendance:
        counts[a.mode] = counts.get(a.mode, 0) + 1
    return charts.hbars(
        _("Attendance by mode"),
        [
            charts.Point(str(AttendanceMode(mode).label), n, len(attendance))
            for mode, n in counts.items()
        ],
        value_head=_("Members"),
        max_head=_("On the list"),
    )


def minutes_context(meeting: Meeting) -> dict[str, Any]:
    attendance = list(
        Attendance.objects.filter(meeting=meeting).select_related("member").order_by("member__name")
    )
    events: dict[int, list[AttendanceEvent]] = {}
    for e in AttendanceEvent.objects.filter(meeting=meeting).order_by("at", "id"):
        events.setdefault(e.member_id, []).append(e)
    rows = [(a, events.get(a.member_id, [])) for a in attendance]
    votes = list(meeting.votes.select_related("resolution", "statute_version").order_by("number"))
    try:
        statute = meeting_statute(meeting)
    except ValidationError:
        statute = None
    return {
        "meeting": meeting,
        "attendance": rows,
        "attendance_chart": attendance_chart(attendance),
        "statute": statute,
        "vote_rows": _vote_rows(votes),
        "proxies": list(
            Proxy.objects.filter(meeting=meeting)
            .select_related("giver")
            .order_by("received_at", "id")
        ),
        "votes": votes,
        "agenda": list(meeting.agenda_items.order_by("position", "id")),
        "generated_at": timezone.localtime(),
    }


def minutes_html(meeting: Meeting) -> str:
    with translation.override("pl"):
        return render_to_string("governance/minutes_pdf.html", minutes_context(meeting))


def minutes_pdf(*, meeting: Meeting) -> bytes:
    """The minutes as PDF bytes (WeasyPrint), from the recorded data only; refused for a meeting
    that never sat (`minutes_refusal`)."""
    from weasyprint import HTML

    refusal = minutes_refusal(meeting)
    if refusal:
        raise ValidationError(refusal)

    return HTML(string=minutes_html(meeting)).write_pdf()


def summary_recipients(meeting: Meeting) -> dict[str, list[str]]:
    """GOV-14: who receives a meeting's summary, one e-mail per key.

    General Assembly: every member entitled to vote on the meeting's day (GOV-1), at its
    notification addresses (MEM-7). Council, Board and presidia: the persons holding the organ's
    seats on that day, at their own e-mails, and the coordinator's office (the cluster's contact
    e-mail) — the other members are not that organ's."""
    if meeting.organ.kind == OrganKind.GA:
        entitled = {int(i) for i in voting_roll_for(meeting).entitled_ids}
        out: dict[str, list[str]] = {}
        for mid, email in (
            NotificationEmail.objects.filter(member_id__in=entitled)
            .order_by("member_id", "id")
            .values_list("member_id", "email")
        ):
            out.setdefault(f"m{mid}", []).append(email)
        return out
    out = {
        f"p{pid}": [email]
        for pid, email in seats_on(meeting.organ, meeting.date)
        .exclude(person__email="")
        .order_by("person_id")
        .values_list("person_id", "person__email")
    }
    if meeting.cluster.contact_email:
        out["office"] = [meeting.cluster.contact_email]
    return out


def summary_send(*, meeting: Meeting, user: Any) -> SummaryDispatch:
    """E-mail the summary with the minutes attached to its recipients (`summary_recipients`: the
    entitled members for a GA, the seat holders and the office for the other organs) — queued in
    the outbox as statutory messages (PLT-2: every recipient gets them, newsletter choices or
    not), which the worker delivers, retrying a refusal; what became of each is on the office's
    "Sent mail" page. The summary is published to the members on the meeting's page at the same
    moment, so the objection window (GOV-5: "sent or published") runs from now."""
    meeting = Meeting.objects.select_related("organ", "cluster").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.CLOSED:
        raise ValidationError(_("The summary is sent after the meeting is closed."))
    pdf = minutes_pdf(meeting=meeting)
    by_member = summary_recipients(meeting)
    with translation.override("pl"):
        body = render_to_string("governance/summary_email.txt", minutes_context(meeting))
    subject = f"Podsumowanie: {meeting.title} ({meeting.date:%d.%m.%Y})"
    messages = []
    for addresses in by_member.values():
        msg = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
        msg.attach(f"protokol-{meeting.pk}.pdf", pdf, "application/pdf")
        messages.append(msg)
    with transaction.atomic():
        queued = outbox_enqueue(
            cluster=meeting.cluster,
            messages=messages,
            kind=OutboxMessage.Kind.SUMMARY,
            source=f"summary:{meeting.pk}",
            statutory=True,
            user=user,
        )
        now = timezone.now()
        dispatch = SummaryDispatch.objects.create(
            meeting=meeting,
            sent_at=now,
            recipients=[a for v in by_member.values() for a in v],
            sent_count=len(queued),
            error="",
            sent_by=user if getattr(user, "pk", None) else None,
        )
        meeting.summary_sent_at = now
        meeting.save(update_fields=["summary_sent_at"])
        audit_record(
            cluster=meeting.cluster,
            user=user,
            action="summary_send",
            instance=meeting,
            changes={"sent": [None, len(queued)], "error": [None, ""]},
        )
    return dispatch


def notice_source(meeting: Meeting) -> str:
    return f"notice:{meeting.pk}"


def notice_send(*, meeting: Meeting, user: Any) -> int:
    """GOV-7, PLT-2: the notice of a convened meeting e-mailed to those its summary goes to (the
    members entitled on its day for a GA; the seat holders and the office for the other organs) —
    queued in the outbox as statutory messages, which no newsletter choice stops. It may be sent
    again (a corrected place, a reminder); each sending is kept. Returns the messages queued."""
    meeting = Meeting.objects.select_related("organ", "cluster").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.CONVENED:
        raise ValidationError(_("A notice is sent for a convened meeting that has not started."))
    by_member = summary_recipients(meeting)
    if not by_member:
        raise ValidationError(_("Nobody has an e-mail address to send the notice to."))
    with translation.override("pl"):
        starts = timezone.localtime(meeting.starts_at)
        lines = [
            f"{meeting.cluster.name} zawiadamia o posiedzeniu: {meeting.organ.get_kind_display()}.",
            "",
            f"{meeting.title}",
            f"Termin: {starts:%d.%m.%Y, godz. %H:%M}",
        ]
        if meeting.second_term_at:
            lines.append(
                f"Drugi termin: {timezone.localtime(meeting.second_term_at):%d.%m.%Y, godz. %H:%M}"
            )
        if meeting.place:
            lines.append(f"Miejsce: {meeting.place}")
        if meeting.online_link:
            lines.append(f"Udział zdalny: {meeting.online_link}")
        agenda = list(meeting.agenda_items.order_by("position").values_list("title", flat=True))
        if agenda:
            lines += ["", "Porządek obrad:"] + [f"{i}. {t}" for i, t in enumerate(agenda, 1)]
        lines += [
            "",
            "Zawiadomienie statutowe: wysyłane na adresy do powiadomień niezależnie od zgody na "
            "newsletter.",
        ]
        subject = f"Zawiadomienie: {meeting.title} ({starts:%d.%m.%Y})"
    body = "\n".join(lines) + "\n"
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
        for addresses in by_member.values()
    ]
    with transaction.atomic():
        queued = outbox_enqueue(
            cluster=meeting.cluster,
            messages=messages,
            kind=OutboxMessage.Kind.NOTICE,
            source=notice_source(meeting),
            statutory=True,
            user=user,
        )
        audit_record(
            cluster=meeting.cluster,
            user=user,
            action="notice_send",
            instance=meeting,
            changes={"sent": [None, len(queued)]},
        )
    return len(queued)
