"""`klaster demo`: the demo cluster with its governance and working-group history, built through
the services once (written around D = 2026-06-30 and moved by whole weeks to today: the demo lives
in the present, issue 9), idempotent, and with no mail server."""

from __future__ import annotations

import datetime as dt
import io
import smtplib
import socket

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from klaster.core.models import AuditLog, Cluster
from klaster.exchange.demo.clock import demo_shift
from klaster.governance.models import (
    Admission,
    Attendance,
    Meeting,
    Objection,
    Proxy,
    Resolution,
    Seat,
    SummaryDispatch,
)
from klaster.groups.models import GroupKind, GroupStatus, WorkingGroup
from klaster.members.models import DelegatedPerson, Member, NotificationEmail

pytestmark = pytest.mark.django_db


def _on(year: int, month: int, day: int) -> dt.date:
    """A date of the demo's history as written, moved as `klaster demo` moves it today."""
    return dt.date(year, month, day) + demo_shift(timezone.localdate())


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def no_smtp(settings, monkeypatch):
    """A closed SMTP port, and any attempt to open an SMTP connection recorded."""
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    attempts: list[tuple] = []

    def connect(self, host="localhost", port=0, source_address=None):
        attempts.append((host, port))
        raise ConnectionRefusedError("no SMTP in the demo")

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    return attempts


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in ("core", "members", "governance", "groups", "auth")
    }


def test_demo_builds_governance_and_groups_through_services_without_smtp(no_smtp, client):
    call_command("demo", stdout=io.StringIO())
    assert no_smtp == []
    cluster = Cluster.objects.get(slug="demo")
    members = list(Member.objects.filter(cluster=cluster).exclude(status="candidate"))

    # MEM-7: 1–3 persons per member, one to the GA; 1–2 notification addresses on @….example.pl
    for m in members:
        persons = list(DelegatedPerson.objects.filter(member=m))
        assert 1 <= len(persons) <= 3 and any(p.to_general_assembly for p in persons), m
        emails = list(NotificationEmail.objects.filter(member=m).values_list("email", flat=True))
        assert 1 <= len(emails) <= 2 and all(e.endswith(".example.pl") for e in emails)

    # Organs (GOV-8, GOV-9): the Council as elected, the `rada` persona chairing; the coordinator's
    # representative on the Board; both presidia filled.
    council_seats = Seat.objects.filter(organ__cluster=cluster, organ__kind="council")
    assert council_seats.count() >= 14
    assert council_seats.get(chairs=True).user.username == "rada"
    assert (
        Seat.objects.get(organ__cluster=cluster, organ__kind="board", kind="coordinator").member_id
        == cluster.coordinator_id
    )
    assert Seat.objects.filter(organ__cluster=cluster, organ__kind="council_presidium").count() == 5
    assert Seat.objects.filter(organ__cluster=cluster, organ__kind="board_presidium").count() == 3

    # The March GA: notice, attendance in three modes, a late proxy refused, two numbered
    # resolutions (one adopted, one not), summary recorded without SMTP, an objection.
    ga = Meeting.objects.get(cluster=cluster, organ__kind="ga", date=_on(2026, 3, 19))
    assert (
        ga.status == "closed"
        and not ga.irregular
        and timezone.localtime(ga.notice_sent_at).date() == _on(2026, 2, 20)
    )
    modes = set(Attendance.objects.filter(meeting=ga).values_list("mode", flat=True))
    assert {"in_person", "online", "proxy", "absent"} <= modes
    refused = Proxy.objects.get(meeting=ga, status="refused")
    assert "po terminie" in refused.reason_words
    resolutions = list(Resolution.objects.filter(meeting=ga).order_by("number"))
    assert [(r.number, r.year, r.passed) for r in resolutions] == [
        (1, _on(2026, 3, 19).year, True),
        (2, _on(2026, 3, 19).year, False),
    ]
    assert ga.summary_sent_at is not None and SummaryDispatch.objects.get(meeting=ga).error == ""
    assert Objection.objects.filter(vote__meeting=ga, valid=True).count() == 1
    czlonek_member = Member.objects.get(representatives__user__username="czlonek")
    assert Attendance.objects.get(meeting=ga, member=czlonek_member).mode == "in_person"

    council = Meeting.objects.get(cluster=cluster, organ__kind="council")
    assert council.chair.username == "rada" and council.date == _on(2026, 6, 16)
    assert Resolution.objects.get(meeting=council).passed
    upcoming = Meeting.objects.get(cluster=cluster, organ__kind="ga", date=_on(2026, 9, 15))
    assert upcoming.status == "convened" and upcoming.agenda_items.count() >= 5
    assert Proxy.objects.filter(
        meeting=upcoming, status="accepted", holder_user__username="czlonek"
    ).exists()

    # GOV-12: the admission file lacks things the product lists.
    from klaster.governance.services.admissions import readiness

    admission = Admission.objects.get(cluster=cluster)
    assert admission.candidate.status == "candidate" and admission.meeting.organ.kind == "board"
    assert not readiness(admission).ready

    # GZW: one active group with ≥5 declarations, a meeting and a confidential material; one
    # still forming with declarations; a consortium waiting for the Council's opinion.
    active = WorkingGroup.objects.get(
        cluster=cluster, status=GroupStatus.ACTIVE, kind=GroupKind.AREA
    )
    assert active.declarations.count() >= 5 and active.meetings.count() == 1
    assert active.materials.get().confidential
    assert (
        WorkingGroup.objects.filter(
            cluster=cluster, status=GroupStatus.FORMING, declarations__isnull=False
        )
        .distinct()
        .count()
        == 1
    )
    consortium = WorkingGroup.objects.get(cluster=cluster, kind=GroupKind.CONSORTIUM)
    assert consortium.council_opinion == "" and consortium.notifications.count() == 2

    # Dated by the demo's clock: no governance or group audit row is later than now —
    # but the five organs', created with the cluster itself (governance.apps, issue 8), as the system.
    organs = AuditLog.objects.filter(cluster=cluster, model="governance.Organ", action="create")
    assert organs.count() == 5 and not organs.filter(user__isnull=False).exists()
    late = (
        AuditLog.objects.filter(
            cluster=cluster, model__startswith="governance.", at__gt=timezone.now()
        )
        .exclude(pk__in=organs)
        .count()
        + AuditLog.objects.filter(
            cluster=cluster, model__startswith="groups.", at__gt=timezone.now()
        ).count()
    )
    assert late == 0

    # The personas see something.
    client.login(username="rada", password="klaster-demo")  # noqa: S106 — the demo's printed password
    r = client.get(reverse("meeting_detail", kwargs={"slug": "demo", "meeting_id": council.pk}))
    assert r.status_code == 200

    # PLT-2: last month's newsletter queued in the outbox (for the worker, not sent by the demo),
    # this month's a draft, one member reading in the portal
    from klaster.comms.models import Newsletter, PortalReading
    from klaster.core.models import OutboxMessage

    sent, draft = Newsletter.objects.filter(cluster=cluster).order_by("id")
    assert (sent.status, draft.status) == ("sent", "draft")
    assert sent.sent_at.date() < timezone.localdate().replace(day=1)
    queued = OutboxMessage.objects.filter(cluster=cluster, source=sent.source)
    assert queued.count() == sent.addresses > 0 and {q.state for q in queued} == {"queued"}
    assert PortalReading.objects.filter(member__cluster=cluster).count() == 1
    from klaster.events.models import Attendance as EventAttendance
    from klaster.events.models import Event, Rsvp

    ahead, past = Event.objects.filter(cluster=cluster).order_by("-starts_at")
    assert ahead.starts_at > timezone.now() > past.ends_at
    assert OutboxMessage.objects.filter(source=ahead.source).count() > 0
    assert Rsvp.objects.filter(event=ahead).count() == 8
    assert EventAttendance.objects.filter(event=past).count() == 5
    from klaster.documents.models import Document

    docs = Document.objects.filter(cluster=cluster)
    assert docs.count() >= 8 and docs.get(title="Statut Klastra").versions.count() == 2
    assert docs.filter(scope="group").exists() and docs.filter(scope="organ").count() == 3
    from klaster.offers.models import Offer
    from klaster.offers.selectors import competence_map

    assert Offer.objects.filter(cluster=cluster).count() == 5
    assert Offer.objects.filter(cluster=cluster, public=True).count() == 3
    assert [r.area.name for r in competence_map(cluster) if r.gap] == ["Technologie wodorowe"]


def test_demo_second_run_adds_and_changes_nothing(no_smtp):
    call_command("demo", stdout=io.StringIO())
    before = _counts()
    last_audit = AuditLog.objects.order_by("-id").values_list("id", flat=True).first()
    hashes = dict(apps.get_model("auth", "User").objects.values_list("username", "password"))
    call_command("demo", stdout=io.StringIO())
    assert _counts() == before
    assert AuditLog.objects.order_by("-id").values_list("id", flat=True).first() == last_audit
    assert (
        dict(apps.get_model("auth", "User").objects.values_list("username", "password")) == hashes
    )
    assert no_smtp == []
