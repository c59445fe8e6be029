"""The demo mailbox (issue 9, point 7): real SMTP to a local catcher, read by the office in the
product — its own cluster's messages only."""

from __future__ import annotations

import socket

import pytest
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from klaster.core import mailbox


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def catcher(settings, tmp_path):
    """The catcher on a free port, the product's SMTP settings pointed at it."""
    settings.DEMO_MAILBOX_DIR = tmp_path / "mailbox"
    settings.DEMO_MAILBOX = True
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    controller = mailbox.catcher(
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.DEMO_MAILBOX_DIR
    )
    yield settings
    controller.stop()


def _send(settings, slug: str, subject: str) -> int:
    message = EmailMessage(
        subject,
        "Treść wiadomości: zażółć gęślą jaźń.",
        "biuro@klaster.localhost",
        ["ala@firma.example.pl", "jan@firma.example.pl"],
        headers={mailbox.CLUSTER_HEADER: slug},
    )
    message.attach("protokol.pdf", b"%PDF-1.4 demo", "application/pdf")
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        timeout=10,
    )
    return connection.send_messages([message])


def test_smtp_round_trip_to_the_office_page(catcher, world, client_for):
    assert _send(catcher, "alfa", "Podsumowanie posiedzenia Rady") == 1
    assert _send(catcher, "beta", "Sprawa klastra Beta") == 1

    office = client_for("office")
    page = office.get(reverse("mailbox", kwargs={"slug": "alfa"}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Podsumowanie posiedzenia Rady" in html and "ala@firma.example.pl" in html
    assert "Sprawa klastra Beta" not in html  # another cluster's mail

    (alfa_msg,) = mailbox.messages_for("alfa")
    (beta_msg,) = mailbox.messages_for("beta")
    one = office.get(reverse("mailbox_message", kwargs={"slug": "alfa", "message_id": alfa_msg.id}))
    assert one.status_code == 200
    body = one.content.decode()
    assert "zażółć gęślą jaźń" in body and "protokol.pdf" in body and "application/pdf" in body

    # beta's message is not alfa's office's to read, nor is alfa's message beta's office's
    other = office.get(
        reverse("mailbox_message", kwargs={"slug": "alfa", "message_id": beta_msg.id})
    )
    assert other.status_code == 404
    outsider = client_for("outsider")  # beta's office
    foreign = outsider.get(
        reverse("mailbox_message", kwargs={"slug": "beta", "message_id": alfa_msg.id})
    )
    assert foreign.status_code == 404
    assert (
        "Podsumowanie posiedzenia Rady"
        not in outsider.get(reverse("mailbox", kwargs={"slug": "beta"})).content.decode()
    )


def test_the_nav_link_only_when_the_catcher_is_on(catcher, world, client_for):
    office = client_for("office")
    url = reverse("mailbox", kwargs={"slug": "alfa"})
    assert (
        f'href="{url}"'
        in office.get(reverse("cluster_home", kwargs={"slug": "alfa"})).content.decode()
    )
    catcher.DEMO_MAILBOX = False
    assert (
        f'href="{url}"'
        not in office.get(reverse("cluster_home", kwargs={"slug": "alfa"})).content.decode()
    )


def test_odd_ids_are_not_files(catcher, world, client_for):
    office = client_for("office")
    for bad in ["..", "x.eml", "20260101T000000000000-" + "0" * 31]:
        r = office.get(reverse("mailbox_message", kwargs={"slug": "alfa", "message_id": bad}))
        assert r.status_code == 404
