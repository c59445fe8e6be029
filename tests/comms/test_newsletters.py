"""Newsletters (PLT-2): written by the office, queued in the outbox to every current member's
notification addresses (less those that left and the members reading in the portal, 001 Kom. 3),
published in the portal, with a link to leave (RFC 8058 one-click too); the monthly warning."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from klaster.comms import services
from klaster.comms.models import Newsletter, PortalReading, Unsubscribed
from klaster.core import outbox
from klaster.core.models import OutboxMessage
from klaster.rules.calendar import WARSAW
from tests.comms.factories import NewsletterFactory
from tests.factories import MemberFactory, NotificationEmailFactory
from tests.governance.conftest import smtp  # noqa: F401 — the real local SMTP server fixture

NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=WARSAW)


def link(token):
    return f"https://klaster.example/newsletter/leave/{token}/"


@pytest.fixture
def addresses(world):
    NotificationEmailFactory(member=world.member_a, email="a1@example.org")
    NotificationEmailFactory(member=world.member_a, email="a2@example.org")
    NotificationEmailFactory(member=world.member_b, email="b1@example.org")
    former = MemberFactory(cluster=world.alfa, key="m900", name="Dawny Członek", status="former")
    NotificationEmailFactory(member=former, email="dawny@example.org")
    NotificationEmailFactory(member=world.member_beta, email="beta@example.org")
    return world


def test_plt_2_newsletter_is_queued_to_current_members_addresses_once(addresses, world):
    letter = NewsletterFactory(cluster=world.alfa, created_by=world.users["office"])
    services.unsubscribe(cluster=world.alfa, email="A2@example.org")
    sent = services.newsletter_send(newsletter=letter, user=world.users["office"], link=link)
    assert (sent.status, sent.addresses) == ("sent", 2)
    rows = OutboxMessage.objects.filter(source=letter.source).order_by("id")
    assert [r.to for r in rows] == [["a1@example.org"], ["b1@example.org"]]
    assert {r.kind for r in rows} == {"newsletter"} and not any(r.statutory for r in rows)
    mime = email.message_from_bytes(bytes(rows[0].raw), policy=email.policy.default)
    url = mime["List-Unsubscribe"].strip().strip("<>")
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = mime.get_body().get_content()
    assert url in text and "Aby nie otrzymywać" in text  # in Polish, whoever pressed "send"
    assert services.unsubscribe_read(url.rsplit("/", 2)[-2]) == (world.alfa, "a1@example.org")
    with pytest.raises(Exception, match="już wysłany"):
        services.newsletter_send(newsletter=letter, user=world.users["office"], link=link)
    assert OutboxMessage.objects.count() == 2


def test_plt_2_member_reading_in_the_portal_gets_no_newsletter_mail(addresses, world):
    services.portal_reading_set(member=world.member_b, user=world.users["proxy"], portal_only=True)
    letter = NewsletterFactory(cluster=world.alfa)
    sent = services.newsletter_send(newsletter=letter, user=world.users["office"], link=link)
    assert (sent.addresses, sent.portal_only) == (2, 1)
    assert [r for r in OutboxMessage.objects.order_by("id").values_list("to", flat=True)] == [
        ["a1@example.org"],
        ["a2@example.org"],
    ]
    # …and reads it in the portal
    page = Client()
    page.force_login(world.users["proxy"])
    listing = page.get(reverse("comms_newsletters", args=["alfa"])).content.decode()
    assert letter.subject in listing
    read = page.get(reverse("comms_newsletter", args=["alfa", letter.pk]))
    assert read.status_code == 200 and "w tym miesiącu" in read.content.decode()


def test_plt_2_newsletter_reaches_the_smtp_server_through_the_worker(addresses, world, smtp):  # noqa: F811
    letter = NewsletterFactory(cluster=world.alfa)
    services.newsletter_send(newsletter=letter, user=world.users["office"], link=link)
    assert smtp.envelopes == []
    assert outbox.deliver_due().sent == 3
    assert smtp.rcpts() == [["a1@example.org"], ["a2@example.org"], ["b1@example.org"]]


def test_plt_2_leaving_the_newsletter_asks_first_and_accepts_one_click(addresses, world, client):
    token = services.unsubscribe_token(world.alfa, "a1@example.org")
    url = reverse("comms_unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "a1@example.org" in page.content.decode()
    assert not Unsubscribed.objects.exists()  # a link scanner's GET changes nothing
    client.handler.enforce_csrf_checks = True
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert list(Unsubscribed.objects.values_list("cluster__slug", "email")) == [
        ("alfa", "a1@example.org")
    ]
    assert client.post(url).status_code == 200  # twice is harmless
    assert Unsubscribed.objects.count() == 1
    assert client.get(reverse("comms_unsubscribe", args=[token + "x"])).status_code == 404


def test_plt_2_draft_edit_from_a_stale_form_is_refused(world, client_for):
    letter = NewsletterFactory(cluster=world.alfa, subject="Grudzień")
    office = client_for("office")
    url = reverse("comms_newsletter", args=["alfa", letter.pk])
    form = office.get(url).context["form"]
    version = form.initial["version"]
    services.newsletter_update(
        newsletter=letter, user=world.users["office"], subject="Grudzień 2026", body="Nowa treść"
    )
    resp = office.post(url, {"subject": "Mój temat", "body": "Moja treść", "version": version})
    assert resp.status_code == 200
    letter.refresh_from_db()
    assert (letter.subject, letter.body) == ("Grudzień 2026", "Nowa treść")


def test_plt_2_readers_see_sent_newsletters_only(world, client_for):
    draft = NewsletterFactory(cluster=world.alfa, subject="Szkic tajny")
    sent = NewsletterFactory(cluster=world.alfa, subject="Wysłany", status="sent", sent_at=NOON)
    member = client_for("member")
    listing = member.get(reverse("comms_newsletters", args=["alfa"])).content.decode()
    assert "Wysłany" in listing and "Szkic tajny" not in listing
    assert member.get(reverse("comms_newsletter", args=["alfa", draft.pk])).status_code == 404
    assert member.get(reverse("comms_newsletter", args=["alfa", sent.pk])).status_code == 200
    assert client_for("forum").get(reverse("comms_newsletters", args=["alfa"])).status_code == 403
    resp = member.post(reverse("comms_newsletter_send", args=["alfa", draft.pk]))
    assert resp.status_code == 403
    assert Newsletter.objects.get(pk=draft.pk).status == "draft"


def test_plt_2_representative_chooses_portal_reading_for_its_own_member_only(world, client_for):
    member = client_for("member")
    own = reverse("comms_portal_reading", args=["alfa", world.member_a.pk])
    other = reverse("comms_portal_reading", args=["alfa", world.member_b.pk])
    assert member.post(own, {"portal": "1"}).status_code == 302
    assert member.post(other, {"portal": "1"}).status_code == 404
    assert list(PortalReading.objects.values_list("member_id", flat=True)) == [world.member_a.pk]
    member.post(own, {"portal": "0"})
    assert not PortalReading.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_plt_2_office_is_warned_when_a_month_passes_without_a_newsletter(world, client_for):
    NewsletterFactory(
        cluster=world.alfa, status="sent", sent_at=dt.datetime(2026, 10, 5, 10, tzinfo=WARSAW)
    )
    office = client_for("office")
    page = office.get(reverse("comms_newsletters", args=["alfa"])).content.decode()
    assert "11.2026" in page and "28" in page
    NewsletterFactory(cluster=world.alfa, status="sent", sent_at=NOON - dt.timedelta(hours=1))
    page = office.get(reverse("comms_newsletters", args=["alfa"])).content.decode()
    assert "11.2026" not in page
