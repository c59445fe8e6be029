"""The KSeF outbox (FIN-2, issue 10 point 3) against the local fake KSeF over real HTTP: the dues
run's invoices to VAT payers wait for KSeF, are sent and get their KSeF number and UPO; debit
notes and non-VAT payers get nothing; a document whose FA(3) cannot be made is never sent; a
transport failure is offline24 — tried again within its window, failed after it; two senders
never send one document twice; `klaster ksef check` fails fast without a network."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from klaster.money import outbox
from klaster.money.ksef import ClientGateway, KsefConfig, ksef_number_valid
from klaster.money.ksef import messages as km
from klaster.money.ksef.fake import FakeKsef
from klaster.money.models import Document, KsefAttempt
from klaster.rules.message import say
from tests.factories import MemberBillingFactory, VatTreatmentFactory

TOKEN = "20260101-EC-0123456789-ABCDEF0123-45|klaster-alfa|secret"
# Friday 2 January 2026, 10:00 in Warsaw: the documents were made then
MADE = dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)
SOON = dt.datetime(2026, 1, 2, 10, 0, tzinfo=dt.UTC)
# offline24: the next business day is Monday 5 January; from the 6th on it is too late
MONDAY = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
TOO_LATE = dt.datetime(2026, 1, 6, 0, 30, tzinfo=dt.UTC)

W = Document.Ksef
ROOT = Path(__file__).resolve().parents[2]


def issue(money, through: dt.date) -> list[Document]:
    """The dues run and the outbox's marking, as `services.dues_run` does them."""
    from klaster.money import services

    run = services.dues_run(cluster=money.cluster, through=through)
    outbox.mark_for_ksef(run.issued)
    Document.objects.filter(pk__in=[d.pk for d in run.issued]).update(created_at=MADE)
    return run.issued


def ksef_state(money) -> dict[tuple[str, str], str]:
    return {
        (d.member.key, d.period_start.isoformat()): d.ksef_state
        for d in Document.objects.filter(cluster=money.cluster).select_related("member")
    }


@pytest.fixture
def fake(money):
    with FakeKsef(nip=money.world.coordinator.nip, token=TOKEN, clock=lambda: SOON) as server:
        yield server


def gateway(fake) -> ClientGateway:
    config = KsefConfig(
        nip=fake.nip, token=TOKEN, base_url=fake.url, poll_interval_seconds=0, max_polls=5
    )
    return ClientGateway(config, sleep=lambda seconds: None)


def configured(fake):
    return override_settings(
        KLASTER_KSEF={"env": "test", "token": TOKEN, "nip": fake.nip, "base_url": fake.url}
    )


# --- which documents wait for KSeF ------------------------------------------------------------


def test_fin_2_dues_run_invoices_to_vat_payers_wait_for_ksef(money):
    issued = issue(money, dt.date(2026, 2, 1))
    assert len(issued) == 4
    assert {d.ksef_state for d in issued} == {W.WAITING}
    assert set(ksef_state(money).values()) == {W.WAITING}
    # marking again changes nothing
    assert outbox.mark_for_ksef(Document.objects.filter(cluster=money.cluster)) == 0


def test_fin_2_non_vat_payer_and_debit_note_get_nothing(money):
    from klaster.money.models import FeeType

    MemberBillingFactory(member=money.b, vat_payer=False)
    dues = FeeType.objects.get(cluster=money.cluster, key="dues")
    VatTreatmentFactory(fee_type=dues, valid_from=dt.date(2026, 2, 1), treatment="outside_vat")
    issue(money, dt.date(2026, 2, 1))
    kinds = dict(
        Document.objects.filter(cluster=money.cluster).values_list("number", "kind").distinct()
    )
    assert "debit_note" in kinds.values()
    assert ksef_state(money) == {
        ("m001", "2026-01-01"): W.WAITING,  # an invoice to a VAT payer
        ("m001", "2026-02-01"): "",  # a debit note never goes to KSeF
        ("m002", "2026-01-01"): "",  # not a VAT payer
        ("m002", "2026-02-01"): "",
    }


# --- the invoice --------------------------------------------------------------------------------


def test_fin_2_invoice_of_a_document_passes_the_official_schema(money):
    from klaster.money.ksef import build_fa3, check_invoice, validate_fa3

    document = issue(money, dt.date(2026, 1, 1))[0]
    document.refresh_from_db()
    invoice = outbox.invoice_of(document)
    assert check_invoice(invoice) == []
    assert validate_fa3(build_fa3(invoice)) == []
    coordinator = money.world.coordinator
    assert (invoice.seller.name, invoice.seller.nip) == (coordinator.name, coordinator.nip)
    assert invoice.buyer.nip == document.member.nip
    assert (invoice.period_from, invoice.period_to) == (document.period_start, document.period_end)
    assert invoice.payment is not None
    assert invoice.payment.due == document.due
    assert invoice.payment.iban == "PL61109010140000071219812874"
    assert [line.vat_rate for line in invoice.lines] == ["23"] * len(document.months)
    assert invoice.computed_totals().gross == document.gross


# --- sending ----------------------------------------------------------------------------------


def test_fin_2_send_gives_each_invoice_its_ksef_number_and_upo(money, fake):
    issue(money, dt.date(2026, 2, 1))
    report = outbox.send_waiting(money.cluster, gateway(fake), SOON)

    assert report.sent == 4
    documents = list(Document.objects.filter(cluster=money.cluster))
    assert {d.ksef_state for d in documents} == {W.SENT}
    for d in documents:
        assert len(d.ksef_number) == 35
        assert ksef_number_valid(d.ksef_number)
        assert d.ksef_number in d.ksef_upo
        assert d.ksef_attempts.get().ok
    assert sorted(a.number for a in fake.accepted) == sorted(d.number for d in documents)

    # idempotent: nothing waits any more, nothing is sent again
    again = outbox.send_waiting(money.cluster, gateway(fake), SOON)
    assert again.outcomes == []
    assert len(fake.accepted) == 4


def test_fin_2_every_state_change_is_audited(money, fake):
    from klaster.core.models import AuditLog

    (document, *_rest) = issue(money, dt.date(2026, 1, 1))
    outbox.send_waiting(money.cluster, gateway(fake), SOON)
    changes = [
        entry.changes["ksef_state"]
        for entry in AuditLog.objects.filter(source="money").order_by("id")
        if "ksef_state" in entry.changes
    ]
    assert ["", W.WAITING] in changes
    assert changes.count([W.WAITING, W.SENT]) == 2


def test_fin_2_a_document_whose_fa3_cannot_be_made_fails_unsent(money, fake):
    coordinator = money.world.coordinator
    coordinator.nip = "1234567890"  # not a NIP: the seller's data is wrong
    coordinator.save()
    issue(money, dt.date(2026, 1, 1))
    report = outbox.send_waiting(money.cluster, gateway(fake), SOON)

    assert {o.state for o in report.outcomes} == {W.FAILED}
    assert fake.requests == []  # never sent
    document = Document.objects.filter(cluster=money.cluster).first()
    attempt = document.ksef_attempts.get()
    codes = [m.code for m in outbox.attempt_messages(attempt)]
    assert codes[0] == outbox.NOT_BUILT
    assert km.INPUT_NIP in codes
    assert "NIP" in say(outbox.attempt_messages(attempt)[1], "pl")


def test_fin_2_a_schema_invalid_invoice_fails_unsent(money, fake, monkeypatch):
    issue(money, dt.date(2026, 1, 1))
    monkeypatch.setattr(outbox.ksef, "build_fa3", lambda invoice: b"<Faktura/>")
    report = outbox.send_waiting(money.cluster, gateway(fake), SOON)

    assert {o.state for o in report.outcomes} == {W.FAILED}
    assert fake.requests == []
    attempt = KsefAttempt.objects.filter(document__cluster=money.cluster).first()
    codes = [m.code for m in outbox.attempt_messages(attempt)]
    assert codes[0] == outbox.NOT_BUILT
    assert set(codes[1:]) <= {km.SCHEMA_INVALID, km.SCHEMA_NOT_XML} and codes[1:]


def only_one_waiting(money) -> Document:
    MemberBillingFactory(member=money.b, vat_payer=False)
    issue(money, dt.date(2026, 1, 1))
    return Document.objects.get(cluster=money.cluster, ksef_state=W.WAITING)


def test_fin_2_transport_error_goes_offline_and_is_retried_within_the_window(money, fake):
    document = only_one_waiting(money)
    fake.fail_next(503, path="^/security/public-key-certificates$")
    first = outbox.send_waiting(money.cluster, gateway(fake), SOON)

    (outcome,) = first.outcomes
    assert outcome.state == W.OFFLINE
    document.refresh_from_db()
    assert document.ksef_state == W.OFFLINE
    attempt = document.ksef_attempts.get()
    (message,) = outbox.attempt_messages(attempt)
    assert message.code == km.OFFLINE24_RETRY
    assert outbox.last_retry_day(document) == dt.date(2026, 1, 5)
    assert fake.accepted == []

    second = outbox.send_waiting(money.cluster, gateway(fake), MONDAY)
    assert [o.state for o in second.outcomes] == [W.SENT]
    document.refresh_from_db()
    assert document.ksef_state == W.SENT
    assert ksef_number_valid(document.ksef_number)
    (accepted,) = fake.accepted
    assert accepted.offline  # declared as issued offline (offline24)
    assert document.ksef_attempts.count() == 2


def test_fin_2_transport_error_fails_after_the_offline24_window(money, fake):
    document = only_one_waiting(money)
    fake.fail_next(503, path="^/security/public-key-certificates$")
    outbox.send_waiting(money.cluster, gateway(fake), SOON)
    requests = len(fake.requests)

    late = outbox.send_waiting(money.cluster, gateway(fake), TOO_LATE)
    assert [o.state for o in late.outcomes] == [W.FAILED]
    assert len(fake.requests) == requests  # not tried: the window is closed
    document.refresh_from_db()
    assert document.ksef_state == W.FAILED
    last = document.ksef_attempts.order_by("-id").first()
    (message,) = outbox.attempt_messages(last)
    assert message.code == km.OFFLINE24_EXPIRED
    # and it stays failed
    assert outbox.send_waiting(money.cluster, gateway(fake), TOO_LATE).outcomes == []


def test_fin_2_a_transport_error_after_the_window_fails_at_once(money, fake):
    document = only_one_waiting(money)
    fake.fail_next(503, path="^/security/public-key-certificates$")
    (outcome,) = outbox.send_waiting(money.cluster, gateway(fake), TOO_LATE).outcomes
    assert outcome.state == W.FAILED
    document.refresh_from_db()
    assert document.ksef_state == W.FAILED


def test_fin_2_a_final_refusal_fails_at_once(money):
    only_one_waiting(money)
    with FakeKsef(nip=money.world.coordinator.nip, token="another", clock=lambda: SOON) as other:
        (outcome,) = outbox.send_waiting(money.cluster, gateway(other), SOON).outcomes
    assert outcome.state == W.FAILED
    assert outcome.messages[0].code == km.OFFLINE24_FINAL


# --- configuration, the job, the command ------------------------------------------------------


def test_fin_2_no_configuration_sends_nothing(money, caplog):
    from klaster.money.jobs import ksef_outbox

    issue(money, dt.date(2026, 1, 1))
    with override_settings(KLASTER_KSEF=None):
        assert outbox.configured_gateway(money.cluster) is None
        problem = outbox.send_configured(money.cluster, SOON)
        assert problem.code == outbox.NOT_CONFIGURED
        with caplog.at_level("INFO", logger="klaster.worker"):
            assert "not configured" in ksef_outbox(dt.date(2026, 1, 2))
    assert "not configured" in caplog.text
    assert set(ksef_state(money).values()) == {W.WAITING}


def test_fin_2_the_job_sends_with_the_configured_ksef(money, fake):
    from klaster.money.jobs import ksef_outbox

    issue(money, dt.date(2026, 1, 1))
    with configured(fake):
        assert ksef_outbox(dt.date(2026, 1, 2)) == {"alfa": {W.SENT: 2}}
    assert set(ksef_state(money).values()) == {W.SENT}


def test_fin_2_configured_for_another_nip_sends_nothing(money, fake):
    issue(money, dt.date(2026, 1, 1))
    with override_settings(KLASTER_KSEF={"env": "test", "token": TOKEN, "nip": "5260250274"}):
        problem = outbox.send_configured(money.cluster, SOON)
    assert problem.code == outbox.OTHER_NIP
    assert fake.requests == []


def test_fin_2_ksef_send_command_prints_each_document_and_a_count(money, fake):
    issue(money, dt.date(2026, 1, 1))
    out = io.StringIO()
    with configured(fake):
        call_command("ksef", "send", "alfa", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert all("\twysłany\t" in line for line in lines[:2])
    assert lines[2].startswith("Wysłano do KSeF: 2;")


def test_fin_2_ksef_send_command_without_configuration_refuses(money):
    with override_settings(KLASTER_KSEF=None), pytest.raises(CommandError) as caught:
        call_command("ksef", "send", "alfa")
    assert caught.value.returncode == 2
    assert "KSeF" in str(caught.value)


def test_fin_2_ksef_check_names_the_host_it_cannot_reach():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CommandError) as caught:
        call_command("ksef", "check", "--env", "test", "--url", f"http://127.0.0.1:{port}")
    assert caught.value.returncode == 1
    assert f"Nie można połączyć się z KSeF TEST (http://127.0.0.1:{port})" in str(caught.value)


def test_fin_2_ksef_check_answers_against_the_fake(money, fake):
    out = io.StringIO()
    call_command("ksef", "check", "--env", "test", "--url", fake.url, stdout=out)
    assert fake.url in out.getvalue()


def test_fin_2_ksef_check_gives_up_on_a_hanging_lookup(monkeypatch):
    """A name lookup that never returns (httpx's timeout does not cover it) does not hang the
    command: it stops waiting after CHECK_SECONDS and says there was no answer."""
    import threading

    from django.core.management.base import CommandError

    from klaster.money import ksef
    from klaster.money.management.commands import ksef as command

    released = threading.Event()
    monkeypatch.setattr(command, "CHECK_SECONDS", 0.2)
    monkeypatch.setattr(ksef, "check_environment", lambda *a, **k: released.wait())
    try:
        with pytest.raises(CommandError) as caught:
            call_command("ksef", "check", "--env", "test")
    finally:
        released.set()
    assert "brak odpowiedzi w ciągu" in str(caught.value)
    assert caught.value.returncode == 1


def test_fin_2_klaster_ksef_check_env_test_fails_fast_without_a_network():
    """The real command, as the office types it: no network here, so a non-zero exit and a
    Polish sentence naming the host (how long it may take is bounded by the command itself:
    test_fin_2_ksef_check_gives_up_on_a_hanging_lookup)."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("klaster")), "ksef", "check", "--env", "test"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
    )
    if done.returncode == 0:
        pytest.skip("this machine reaches KSeF TEST: nothing to prove about a missing network")
    assert "api-test.ksef.mf.gov.pl" in done.stderr
    assert "Nie można połączyć się z KSeF TEST" in done.stderr
    assert "Traceback" not in done.stderr


# --- the page ---------------------------------------------------------------------------------


def test_fin_2_the_ksef_page_shows_documents_by_state(money, fake, client_for):
    issue(money, dt.date(2026, 2, 1))
    a_jan = Document.objects.get(member=money.a, period_start=dt.date(2026, 1, 1))
    b_jan = Document.objects.get(member=money.b, period_start=dt.date(2026, 1, 1))
    fake.fail_next(503, path="^/security/public-key-certificates$")
    outbox.send_waiting(
        money.cluster, gateway(fake), SOON
    )  # the first goes offline, the rest are sent
    Document.objects.filter(pk=b_jan.pk).update(ksef_state=W.WAITING, ksef_number="")
    page = client_for("office").get(reverse("money_ksef", kwargs={"slug": "alfa"}))
    assert page.status_code == 200
    html = page.content.decode()
    first = Document.objects.order_by("issued", "series", "seq").first()
    assert first.ksef_state == W.OFFLINE
    assert first.number in html
    assert "05.01.2026" in html  # tried again until the end of Monday
    assert a_jan.number in html and b_jan.number in html
    sent = Document.objects.filter(ksef_state=W.SENT).first()
    assert sent.ksef_number in html


def test_fin_2_send_now_without_configuration_changes_nothing(money, client_for):
    issue(money, dt.date(2026, 1, 1))
    client = client_for("office")
    with override_settings(KLASTER_KSEF=None):
        response = client.post(reverse("money_ksef_send", kwargs={"slug": "alfa"}), follow=True)
    assert response.status_code == 200
    assert "KLASTER_KSEF" in response.content.decode()
    assert set(ksef_state(money).values()) == {W.WAITING}
    assert not KsefAttempt.objects.exists()


def test_fin_2_send_now_sends_with_the_configured_ksef(money, fake, client_for):
    issue(money, dt.date(2026, 1, 1))
    client = client_for("office")
    with configured(fake):
        response = client.post(reverse("money_ksef_send", kwargs={"slug": "alfa"}), follow=True)
    assert response.status_code == 200
    assert set(ksef_state(money).values()) == {W.SENT}
    assert len(fake.accepted) == 2


# --- two senders ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fin_2_two_concurrent_senders_never_send_one_document_twice(money):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the row lock (select_for_update skip_locked) between two "
            "connections is what this proves. Run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        )
    issue(money, dt.date(2026, 3, 1))  # 6 invoices
    total = Document.objects.filter(cluster=money.cluster, ksef_state=W.WAITING).count()
    assert total == 6
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    reports: list[outbox.SendReport] = []
    with FakeKsef(nip=money.world.coordinator.nip, token=TOKEN, clock=lambda: SOON) as server:

        def send() -> None:
            try:
                barrier.wait()
                reports.append(outbox.send_waiting(money.cluster, gateway(server), SOON))
            except BaseException as exc:  # noqa: BLE001 — reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        accepted = [a.number for a in server.accepted]
    assert errors == []
    assert sorted(accepted) == sorted(set(accepted))  # none twice
    assert len(accepted) == total
    assert sum(r.sent for r in reports) == total
    assert Document.objects.filter(cluster=money.cluster, ksef_state=W.SENT).count() == total
    assert KsefAttempt.objects.filter(ok=True).count() == total
    assert json.dumps([o.number for r in reports for o in r.outcomes])  # one outcome each
    assert len({o.number for r in reports for o in r.outcomes}) == total


# --- correcting invoices (FA(3) KOR) ------------------------------------------------------------


def _exempt_february(money) -> Document:
    """Alfa's February, invoiced, is freed by a later exemption: the next run corrects it."""
    from klaster.money import services
    from tests.factories import VotingRestrictionFactory

    VotingRestrictionFactory(
        member=money.a, kind="dues_exempt", starts=dt.date(2026, 2, 1), ends=dt.date(2026, 2, 28)
    )
    run = services.dues_run(cluster=money.cluster, through=dt.date(2026, 3, 1))
    (kor,) = [d for d in run.issued if d.kind == Document.Kind.CORRECTION]
    Document.objects.filter(pk=kor.pk).update(created_at=MADE)
    return Document.objects.get(pk=kor.pk)


def _fa(xml: bytes):
    from lxml import etree

    from klaster.money.ksef.fa3 import FA3_NAMESPACE

    root = etree.fromstring(xml)
    return root, {"f": FA3_NAMESPACE}


def test_fin_2_a_correction_of_a_sent_invoice_goes_to_ksef_as_kor(money, fake):
    from klaster.money.ksef import build_fa3, validate_fa3

    issue(money, dt.date(2026, 2, 1))
    outbox.send_waiting(money.cluster, gateway(fake), SOON)
    original = Document.objects.get(member=money.a, period_start=dt.date(2026, 2, 1))
    assert original.ksef_state == W.SENT
    kor = _exempt_february(money)
    assert kor.ksef_state == W.WAITING  # a correction of a VAT invoice waits as the invoice did

    invoice = outbox.invoice_of(kor)
    assert invoice.corrected is not None
    assert invoice.corrected.ksef_number == original.ksef_number
    assert [line.before for line in invoice.lines] == [True]  # February as it stood; none after
    assert invoice.computed_totals().gross == kor.gross == -original.gross
    xml = build_fa3(invoice)
    assert validate_fa3(xml) == []
    root, ns = _fa(xml)
    assert root.findtext("f:Fa/f:RodzajFaktury", namespaces=ns) == "KOR"
    data = "f:Fa/f:DaneFaKorygowanej/"
    assert root.findtext(data + "f:NrFaKorygowanej", namespaces=ns) == original.number
    assert root.findtext(data + "f:DataWystFaKorygowanej", namespaces=ns) == "2026-02-01"
    assert root.findtext(data + "f:NrKSeF", namespaces=ns) == "1"
    assert root.findtext(data + "f:NrKSeFFaKorygowanej", namespaces=ns) == original.ksef_number
    assert root.findtext("f:Fa/f:P_15", namespaces=ns) == "-516.60"
    assert root.findtext("f:Fa/f:FaWiersz/f:StanPrzed", namespaces=ns) == "1"
    assert original.number in root.findtext("f:Fa/f:PrzyczynaKorekty", namespaces=ns)
    assert root.find("f:Fa/f:Platnosc", namespaces=ns) is None  # nothing to pay on a minus

    report = outbox.send_waiting(money.cluster, gateway(fake), SOON)
    assert {o.number: o.state for o in report.outcomes}[kor.number] == W.SENT  # beside March's
    kor.refresh_from_db()
    assert ksef_number_valid(kor.ksef_number)
    accepted = {a.number: a for a in fake.accepted}[kor.number]
    assert b"<RodzajFaktury>KOR</RodzajFaktury>" in accepted.xml


def test_fin_2_a_correction_waits_for_its_invoice_to_be_accepted(money, fake):
    issue(money, dt.date(2026, 2, 1))
    original = Document.objects.get(member=money.a, period_start=dt.date(2026, 2, 1))
    Document.objects.filter(pk=original.pk).update(ksef_state=W.FAILED)
    Document.objects.exclude(pk=original.pk).update(ksef_state=W.SENT)
    kor = _exempt_february(money)
    Document.objects.filter(kind=Document.Kind.INVOICE, ksef_state=W.WAITING).update(
        ksef_state=W.SENT
    )  # March's invoices, issued by the same run: not what this test is about
    report = outbox.send_waiting(money.cluster, gateway(fake), SOON)
    (outcome,) = report.outcomes
    assert (outcome.number, outcome.state) == (kor.number, W.WAITING)
    assert original.number in say(outcome.messages[0])
    assert fake.accepted == [] and not KsefAttempt.objects.filter(document=kor).exists()
    kor.refresh_from_db()
    assert kor.ksef_state == W.WAITING  # tried again once the invoice is in KSeF


def test_fin_2_a_correction_of_an_invoice_issued_outside_ksef_says_so(money):
    from klaster.money.ksef import build_fa3

    issue(money, dt.date(2026, 2, 1))
    # the invoice was issued before the member was a VAT payer on file: not in KSeF
    original = Document.objects.get(member=money.a, period_start=dt.date(2026, 2, 1))
    Document.objects.filter(pk=original.pk).update(ksef_state="")
    kor = _exempt_february(money)
    assert kor.ksef_state == W.WAITING
    root, ns = _fa(build_fa3(outbox.invoice_of(kor)))
    data = "f:Fa/f:DaneFaKorygowanej/"
    assert root.findtext(data + "f:NrKSeFN", namespaces=ns) == "1"
    assert root.find(data + "f:NrKSeFFaKorygowanej", namespaces=ns) is None


def test_fin_2_corrections_to_a_non_vat_payer_get_no_ksef_document(money):
    MemberBillingFactory(member=money.a, vat_payer=False)
    issue(money, dt.date(2026, 2, 1))
    kor = _exempt_february(money)
    assert kor.ksef_state == ""
