"""Issue 9, point 7: in the demo, "Wyślij podsumowanie" (send the meeting summary) works end to end —
real SMTP to the local catcher, the messages then in the office's demo mailbox (GOV-14)."""

from __future__ import annotations

import io
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse

from klaster.core import mailbox, outbox
from klaster.governance.models import Meeting, SummaryDispatch

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_send_summary_button_in_the_demo_reaches_the_mailbox(settings, tmp_path, client):
    settings.DEMO_MAILBOX_DIR = tmp_path / "mailbox"
    settings.DEMO_MAILBOX = True
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    call_command("demo", stdout=io.StringIO())
    controller = mailbox.catcher(
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.DEMO_MAILBOX_DIR
    )
    try:
        council = Meeting.objects.get(cluster__slug="demo", organ__kind="council")
        client.login(username="biuro", password="klaster-demo")  # noqa: S106 — the demo's password
        r = client.post(
            reverse("summary_send", kwargs={"slug": "demo", "meeting_id": council.pk}), follow=True
        )
        assert r.status_code == 200
        dispatch = SummaryDispatch.objects.filter(meeting=council).latest("id")
        assert dispatch.error == "" and dispatch.sent_count > 0
        outbox.deliver_due()  # the worker's tick (PLT-2): the demo's newsletter and invitations too
        caught = [m for m in mailbox.messages_for("demo") if m.subject.startswith("Podsumowanie:")]
        assert len(caught) == dispatch.sent_count
        assert all(m.subject.startswith("Podsumowanie:") for m in caught), [
            m.subject for m in caught
        ]
        assert any(name.endswith(".pdf") for m in caught for name, _k, _s in m.attachments())
        page = client.get(reverse("mailbox", kwargs={"slug": "demo"})).content.decode()
        assert caught[0].subject in page
    finally:
        controller.stop()
