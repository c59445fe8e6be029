"""The outbox (PLT-2; klaster.core.outbox): messages are queued by the modules and delivered by
the worker through a real local SMTP server (aiosmtpd); a temporary refusal is retried after a
pause and the message arrives once; a permanent refusal is recorded as a bounce and not retried;
two workers on PostgreSQL never send one message twice; every message is kept and readable by
the office only."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from klaster.core import outbox
from klaster.core.models import OutboxMessage
from klaster.rules.calendar import WARSAW
from tests.governance.conftest import free_port

NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=WARSAW)


class Sink:
    """A local SMTP server: refuses the first ``refuse_first`` DATA commands with 451 and every
    recipient in ``unknown`` with 550."""

    def __init__(self, refuse_first=0, unknown=()):
        self.refuse_first, self.unknown = refuse_first, set(unknown)
        self.envelopes: list = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.unknown:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            if self.refuse_first > 0:
                self.refuse_first -= 1
                return "451 4.3.0 try again later"
            self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture
def sink_for(settings):
    from aiosmtpd.controller import Controller

    started = []

    def make(**kw):
        sink = Sink(**kw)
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return sink

    yield make
    for c in started:
        c.stop()


def queue(cluster, *addresses, subject="Newsletter grudniowy", **kw):
    return outbox.outbox_enqueue(
        cluster=cluster,
        messages=[EmailMessage(subject, "Treść", "biuro@klaster.pl", [a]) for a in addresses],
        kind=kw.pop("kind", OutboxMessage.Kind.NEWSLETTER),
        **kw,
    )


@time_machine.travel(NOON, tick=False)
def test_plt_2_queued_message_is_sent_by_the_worker_and_kept(world, sink_for):
    sink = sink_for()
    [row] = queue(world.alfa, "a@example.org")
    assert row.state == "queued" and sink.envelopes == []  # nothing goes out from the page
    report = outbox.deliver_due()
    assert report.sent == 1
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at) == ("sent", 1, timezone.now())
    assert len(sink.envelopes) == 1 and sink.envelopes[0].rcpt_tos == ["a@example.org"]
    # the copy kept is the message as sent, with the cluster's header
    assert "X-Klaster-Cluster: alfa" in bytes(row.raw).decode()
    assert outbox.body_text(row).strip() == "Treść"
    assert outbox.deliver_due().sent == 0  # nothing sent twice


def test_plt_2_refused_first_attempt_is_retried_and_sent_once(world, sink_for):
    sink = sink_for(refuse_first=1)
    with time_machine.travel(NOON, tick=False):
        [row] = queue(world.alfa, "a@example.org")
        report = outbox.deliver_due()
    assert (report.sent, report.retried) == (0, 1)
    row.refresh_from_db()
    assert row.state == "retry" and "451" in row.error
    assert row.next_attempt_at == NOON + outbox.FIRST_PAUSE
    with time_machine.travel(NOON + dt.timedelta(seconds=30), tick=False):
        assert outbox.deliver_due().sent == 0  # its pause is not over
    with time_machine.travel(NOON + dt.timedelta(minutes=2), tick=False):
        assert outbox.deliver_due().sent == 1
        assert outbox.deliver_due().sent == 0
    row.refresh_from_db()
    assert (row.state, row.attempts, row.error) == ("sent", 2, "")
    assert len(sink.envelopes) == 1


def test_plt_2_server_away_is_retried_then_given_up(world, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    moment = NOON
    with time_machine.travel(moment, tick=False):
        [row] = queue(world.alfa, "a@example.org")
    for _ in range(outbox.MAX_ATTEMPTS):
        with time_machine.travel(moment, tick=False):
            outbox.deliver_due()
        row.refresh_from_db()
        moment = row.next_attempt_at + dt.timedelta(seconds=1)
    assert (row.state, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert "SMTP" in row.error


@time_machine.travel(NOON, tick=False)
def test_plt_2_permanent_refusal_is_a_bounce_not_retried(world, sink_for):
    sink = sink_for(unknown={"nikt@example.org"})
    bad, good = queue(world.alfa, "nikt@example.org", "a@example.org")
    report = outbox.deliver_due()
    assert (report.sent, report.bounced) == (1, 1)
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.state == "bounced" and "550" in bad.error
    assert good.state == "sent"
    assert outbox.deliver_due().bounced == 0  # not tried again
    assert [e.rcpt_tos for e in sink.envelopes] == [["a@example.org"]]


def test_plt_2_message_left_sending_is_never_sent_again_by_itself(world, sink_for):
    sink = sink_for()
    with time_machine.travel(NOON, tick=False):
        [row] = queue(world.alfa, "a@example.org")
        outbox._claim(timezone.now(), "dead-worker", 10)  # a worker took it and died
    with time_machine.travel(NOON + outbox.STALE_AFTER + dt.timedelta(minutes=1), tick=False):
        report = outbox.deliver_due()
    row.refresh_from_db()
    assert (report.stale, report.sent, row.state) == (1, 0, "failed")
    assert sink.envelopes == []


def test_plt_2_oversized_message_is_refused_and_nothing_queued(world, settings):
    big = EmailMessage("Duży", "x", "biuro@klaster.pl", ["a@example.org"])
    big.attach("plik.bin", b"\0" * (outbox.MAX_MESSAGE_BYTES + 1), "application/octet-stream")
    small = EmailMessage("Mały", "x", "biuro@klaster.pl", ["b@example.org"])
    with pytest.raises(Exception, match="MB"):
        outbox.outbox_enqueue(cluster=world.alfa, messages=[small, big])
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_plt_2_two_workers_on_postgresql_never_send_one_message_twice(world, sink_for):
    if connection.vendor != "postgresql":
        pytest.skip("several workers side by side: PostgreSQL (SQLite has one writer)")
    sink = sink_for()
    queue(world.alfa, *[f"m{i}@example.org" for i in range(300)])
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            outbox.deliver_due()
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    got = sorted(r for e in sink.envelopes for r in e.rcpt_tos)
    assert got == sorted(f"m{i}@example.org" for i in range(300))
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}


def test_plt_2_office_reads_and_resends_its_own_cluster_mail_only(world, client_for, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    [row] = queue(world.alfa, "a@example.org", subject="Zaproszenie na Forum")
    [beta_row] = queue(world.beta, "b@example.org", subject="Beta")
    OutboxMessage.objects.filter(pk=row.pk).update(state="bounced", error="550 no such mailbox")
    office = client_for("office")
    page = office.get(reverse("outbox", args=["alfa"]))
    assert page.status_code == 200
    assert "Zaproszenie na Forum" in page.content.decode() and "Beta" not in page.content.decode()
    detail = office.get(reverse("outbox_message", args=["alfa", row.pk]))
    assert "550 no such mailbox" in detail.content.decode()
    assert office.get(reverse("outbox_message", args=["alfa", beta_row.pk])).status_code == 404
    assert client_for("member").get(reverse("outbox", args=["alfa"])).status_code == 403
    resp = office.post(reverse("outbox_resend", args=["alfa", row.pk]))
    assert resp.status_code == 302
    assert OutboxMessage.objects.filter(cluster=world.alfa, state="queued").count() == 1
    # a message that went out is not sent again from the page
    OutboxMessage.objects.filter(cluster=world.alfa, state="queued").update(state="sent")
    copy = OutboxMessage.objects.filter(cluster=world.alfa, state="sent").get()
    office.post(reverse("outbox_resend", args=["alfa", copy.pk]))
    assert OutboxMessage.objects.filter(cluster=world.alfa).count() == 2


@time_machine.travel(NOON, tick=False)
def test_plt_2_the_workers_tick_delivers_the_queue(world, sink_for):
    from klaster.core import jobs

    sink = sink_for()
    queue(world.alfa, "a@example.org", "b@example.org")
    outcomes = jobs.TaskSchedule().run_due(NOON.date())
    assert [o.job for o in outcomes if o.job == "outbox"] == ["outbox"]
    assert len(sink.envelopes) == 2


DSN = """From: MAILER-DAEMON@mx.example.org
To: biuro@klaster.pl
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; a@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable

--B
Content-Type: text/rfc822-headers

Message-ID: {message_id}
Subject: Newsletter grudniowy

--B--
"""


@time_machine.travel(NOON, tick=False)
def test_plt_2_a_bounce_that_comes_back_later_is_recorded(world, sink_for, tmp_path):
    from django.core.management import call_command

    sink_for()
    [row] = queue(world.alfa, "a@example.org")
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.state == "sent" and row.message_id.startswith("<")
    report = tmp_path / "zwrot.eml"
    report.write_text(DSN.format(message_id=row.message_id).replace("\n", "\r\n"))
    call_command("bounce", str(report), stdout=io.StringIO())
    row.refresh_from_db()
    assert row.state == "bounced" and "5.1.1" in row.error
    # a report about someone else's message, or a delay (4.x.x), changes nothing
    other = DSN.format(message_id="<obcy@example.org>").encode()
    assert outbox.bounce_record(other) is None
    delayed = DSN.format(message_id=row.message_id).replace("Status: 5.1.1", "Status: 4.4.1")
    OutboxMessage.objects.filter(pk=row.pk).update(state="sent", error="")
    assert outbox.bounce_record(delayed.encode()) is None
