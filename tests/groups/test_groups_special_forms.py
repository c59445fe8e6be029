"""GZW-3: project consortia and special-purpose companies — initiators, notifications to the
coordinator and the Board (sent through a real local SMTP server), the Council's opinion, and
the list of special forms still waiting."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.groups import selectors, services
from klaster.groups.models import SpecialFormNotification, WorkingGroup
from tests.groups.conftest import TODAY

pytestmark = pytest.mark.django_db


class _Sink:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on localhost; Django's SMTP backend pointed at it."""
    from aiosmtpd.controller import Controller

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


def _spin_off(gz, **kw):
    return services.group_create(
        cluster=gz.w.alfa,
        user=None,
        kind="special_purpose",
        name="RoboLab sp. z o.o.",
        initiator_ids=[gz.w.member_a.pk, gz.others[0].pk],
        company_form="spin_off",
        formed_on=dt.date(2025, 5, 15),
        description="Spółka celowa do komercjalizacji chwytaków.",
        **kw,
    )


def _board(gz, emails):
    """Board seats (klaster.governance) for delegated persons with these e-mails."""
    from tests.factories import DelegatedPersonFactory, OrganFactory, SeatFactory

    organ = OrganFactory(
        cluster=gz.w.alfa, kind="board"
    )  # the cluster's Board (made with the cluster)
    for i, email in enumerate(emails):
        person = DelegatedPersonFactory(
            member=gz.others[i], name=f"Członek Zarządu {i}", email=email
        )
        SeatFactory(organ=organ, person=person, member=gz.others[i], starts=dt.date(2024, 1, 1))
    # a seat that ended does not get the notice
    person = DelegatedPersonFactory(member=gz.spare, name="Były członek Zarządu", email="byly@x.pl")
    SeatFactory(
        organ=organ,
        person=person,
        member=gz.spare,
        starts=dt.date(2020, 1, 1),
        ends=dt.date(2023, 12, 31),
    )


def test_gzw_3_special_form_records_its_initiators_and_is_active_from_its_formation(gz):
    group = _spin_off(gz)
    assert (group.kind, group.company_form, group.status, group.started_on) == (
        "special_purpose",
        "spin_off",
        "active",
        dt.date(2025, 5, 15),
    )
    assert set(group.initiators.all()) == {gz.w.member_a, gz.others[0]}
    with pytest.raises(ValidationError):  # no initiators
        services.group_create(
            cluster=gz.w.alfa, user=None, kind="consortium", name="K", formed_on=TODAY
        )
    with pytest.raises(ValidationError):  # a company needs its form
        services.group_create(
            cluster=gz.w.alfa,
            user=None,
            kind="special_purpose",
            name="S",
            initiator_ids=[gz.w.member_a.pk],
            formed_on=TODAY,
        )


def test_gzw_3_notifications_go_by_smtp_to_the_office_and_the_board(gz, smtp, client_for):
    gz.w.alfa.contact_email = "biuro@klaster-alfa.pl"
    gz.w.alfa.save()
    _board(gz, ["prezes@firma-c.pl", "zarzad@firma-d.pl"])
    group = _spin_off(gz)
    member = client_for("member")  # represents member A, an initiator
    url = reverse("special_form_notify", kwargs={"slug": "alfa", "group_id": group.pk})
    r = member.post(url, {"n-recipient": "coordinator", "n-send": "on"})
    assert r.status_code == 302
    r = member.post(url, {"n-recipient": "board", "n-send": "on"})
    assert r.status_code == 302
    assert [sorted(e.rcpt_tos) for e in smtp.envelopes] == [
        ["biuro@klaster-alfa.pl"],
        ["prezes@firma-c.pl", "zarzad@firma-d.pl"],
    ]
    text = smtp.envelopes[0].content.decode()
    assert "RoboLab" in text
    rows = list(SpecialFormNotification.objects.filter(group=group).order_by("id"))
    assert [(n.recipient, n.notified_on, n.sent_at is not None) for n in rows] == [
        ("coordinator", TODAY, True),
        ("board", TODAY, True),
    ]
    assert rows[1].addresses == ["prezes@firma-c.pl", "zarzad@firma-d.pl"]
    assert (
        AuditLog.objects.filter(model="groups.SpecialFormNotification", action="notify").count()
        == 2
    )
    assert selectors.special_forms_pending(gz.w.alfa)[0].missing == ["opinion"]


def test_gzw_3_a_refused_mail_records_no_notification(gz, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    group = _spin_off(gz)
    with pytest.raises(ValidationError) as exc:
        services.special_form_notify(
            group=group, user=None, recipient="board", addresses=["zarzad@x.pl"]
        )
    assert "Nie udało się wysłać" in exc.value.message_dict["addresses"][0]
    assert not SpecialFormNotification.objects.exists()


def test_gzw_3_without_addresses_the_notice_is_refused_with_the_reason(gz):
    group = _spin_off(gz)
    with pytest.raises(ValidationError) as exc:  # the cluster has no office e-mail
        services.special_form_notify(group=group, user=None, recipient="coordinator")
    assert "adresu e-mail biura" in exc.value.message_dict["addresses"][0]
    with pytest.raises(ValidationError) as exc:  # no Board seats with e-mails
        services.special_form_notify(group=group, user=None, recipient="board")
    assert "Zarząd" in exc.value.message_dict["addresses"][0]


def test_gzw_3_a_notice_made_otherwise_is_recorded_with_its_date(gz):
    group = _spin_off(gz)
    n = services.special_form_notify(
        group=group,
        user=None,
        recipient="board",
        on=dt.date(2025, 5, 20),
        send=False,
        note="pismo z 20 maja",
    )
    assert (n.notified_on, n.sent_at, len(mail.outbox)) == (dt.date(2025, 5, 20), None, 0)
    with pytest.raises(ValidationError):  # before the form existed
        services.special_form_notify(
            group=group, user=None, recipient="coordinator", on=dt.date(2025, 5, 1), send=False
        )


def test_gzw_3_council_opinion_is_recorded_and_ends_the_wait(gz, client_for):
    group = _spin_off(gz)
    services.special_form_notify(
        group=group, user=None, recipient="coordinator", on=TODAY, send=False
    )
    services.special_form_notify(group=group, user=None, recipient="board", on=TODAY, send=False)
    assert [p.missing for p in selectors.special_forms_pending(gz.w.alfa)] == [["opinion"]]
    office = client_for("office")
    r = office.post(
        reverse("special_form_opinion", kwargs={"slug": "alfa", "group_id": group.pk}),
        {
            "o-opinion": "positive",
            "o-text": "Rada rekomenduje uwzględnienie w strategii.",
            "o-on": "2025-06-01",
            "o-recommends_for_strategy": "on",
        },
    )
    assert r.status_code == 302
    group.refresh_from_db()
    assert (
        group.council_opinion,
        group.council_opinion_date,
        group.council_recommends_for_strategy,
    ) == ("positive", dt.date(2025, 6, 1), True)
    assert "rekomenduje" in group.council_opinion_text
    assert selectors.special_forms_pending(gz.w.alfa) == []
    with pytest.raises(ValidationError):  # an area group gets no opinion
        services.special_form_opinion_record(
            group=gz.group, user=None, opinion="positive", text="x", on=TODAY
        )


def test_gzw_3_pending_list_names_what_each_special_form_still_waits_for(gz, client_for):
    a = _spin_off(gz)
    b = services.group_create(
        cluster=gz.w.alfa,
        user=None,
        kind="consortium",
        name="Konsorcjum H2",
        initiator_ids=[gz.others[1].pk],
        formed_on=dt.date(2025, 4, 1),
    )
    services.special_form_notify(
        group=b, user=None, recipient="coordinator", on=dt.date(2025, 4, 2), send=False
    )
    pending = {p.group.name: p.missing for p in selectors.special_forms_pending(gz.w.alfa)}
    assert pending == {a.name: ["coordinator", "board", "opinion"], b.name: ["board", "opinion"]}
    url = reverse("group_list", kwargs={"slug": "alfa"})
    for persona in ("office", "chair"):  # the office and the organs (Board, Council) see the list
        body = client_for(persona).get(url).content.decode()
        pending_part = body[body.index('id="pending"') :]
        assert "Konsorcjum H2" in pending_part and "RoboLab" in pending_part
    for persona in ("member", "forum"):  # not their to-do list
        assert 'id="pending"' not in client_for(persona).get(url).content.decode()
    assert WorkingGroup.objects.filter(kind__in=["consortium", "special_purpose"]).count() == 2


def test_gzw_3_only_the_initiators_and_the_office_notify(gz, client_for):
    group = _spin_off(gz)
    url = reverse("special_form_notify", kwargs={"slug": "alfa", "group_id": group.pk})
    data = {"n-recipient": "board", "n-on": "2025-05-20", "n-addresses": "zarzad@x.pl"}
    assert client_for("proxy").post(url, data).status_code == 403
    assert client_for("chair").post(url, data).status_code == 403
    assert not SpecialFormNotification.objects.exists()
    assert client_for("office").post(url, data).status_code == 302
    assert SpecialFormNotification.objects.get().notified_on == dt.date(2025, 5, 20)


def test_gzw_3_refusals_follow_the_reader_and_the_notice_is_in_the_clusters_language(gz):
    """Issue 9 point 4: an office working in English reads the refusals in English; the notice it
    sends goes to the coordinator and the Board in the cluster's language (Polish)."""
    from django.utils import translation

    group = _spin_off(gz)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            services.special_form_notify(group=group, user=None, recipient="coordinator")
        assert exc.value.message_dict["addresses"] == [
            "The cluster has no office e-mail address; fill it in in the cluster's data or give "
            "an address."
        ]
        with pytest.raises(ValidationError) as exc:
            services.group_create(
                cluster=gz.w.alfa, user=None, kind="consortium", name="K", formed_on=TODAY
            )
        assert exc.value.message_dict["initiators"] == [
            "Name the initiators (000 §14(4): they notify the Coordinator and the Board)."
        ]
        with pytest.raises(ValidationError) as exc:
            services.special_form_notify(
                group=group,
                user=None,
                recipient="board",
                on=TODAY + dt.timedelta(days=1),
                send=False,
            )
        assert exc.value.message_dict["on"] == [
            "The date (the notification) cannot be in the future."
        ]
        services.special_form_notify(
            group=group, user=None, recipient="board", addresses=["zarzad@x.pl"]
        )
    (message,) = mail.outbox
    assert message.subject == (
        "[Klaster Alfa] Powiadomienie o utworzeniu spółki celowej: RoboLab sp. z o.o."
    )
    assert message.body.startswith("Szanowni Państwo,\n\nzgodnie z § 14 ust. 4 porozumienia")
    assert "powiadamiają Zarząd Klastra o utworzeniu spółki celowej „RoboLab sp. z o.o.”" in (
        message.body
    )
    assert message.body.endswith(
        "Rada Klastra opiniuje tę formę współpracy (§ 14 ust. 5).\n\nBiuro Klastra"
    )
