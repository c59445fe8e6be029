"""Sending through KSeF (FIN-2): ksef-client against the local fake KSeF, over real HTTP."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys

import pytest
from lxml import etree

from klaster.money.ksef import (
    ENVIRONMENTS,
    ClientGateway,
    KsefConfig,
    KsefSendError,
    SendReference,
    build_fa3,
    ksef_number_valid,
)
from klaster.money.ksef import messages as m

from .conftest import BUYER_NIP, FAKE_NOW, SELLER_NIP, TOKEN, dues_invoice

UPO = {"u": "http://upo.schematy.mf.gov.pl/KSeF/v3-1"}


def gateway(fake, *, token=TOKEN, nip=SELLER_NIP, max_polls=5) -> ClientGateway:
    config = KsefConfig(
        nip=nip, token=token, base_url=fake.url, poll_interval_seconds=0, max_polls=max_polls
    )
    return ClientGateway(config, sleep=lambda seconds: None)


def test_fin_2_a_valid_invoice_gets_its_ksef_number_and_upo(fake_ksef, invoice):
    xml = build_fa3(invoice)
    result = gateway(fake_ksef).send(xml)

    assert ksef_number_valid(result.ksef_number)
    assert len(result.ksef_number) == 35
    # the seller's NIP and the Warsaw day KSeF took it
    assert result.ksef_number.startswith(f"{SELLER_NIP}-20260701-")
    assert result.sent_at == FAKE_NOW
    upo = etree.fromstring(result.upo_xml)
    assert upo.findtext("u:Dokument/u:NumerKSeFDokumentu", namespaces=UPO) == result.ksef_number
    assert upo.findtext("u:Dokument/u:NumerFaktury", namespaces=UPO) == "FV/2026/07/0001"
    # what KSeF got, decrypted, is byte for byte what was built
    (accepted,) = fake_ksef.accepted
    assert accepted.xml == xml
    assert accepted.ksef_number == result.ksef_number
    assert not accepted.offline
    # the whole protocol was spoken, the session closed
    routes = [route for _method, route in fake_ksef.requests]
    assert routes[:5] == [
        "/security/public-key-certificates",
        "/auth/challenge",
        "/auth/ksef-token",
        f"/auth/{routes[3].split('/')[-1]}",
        "/auth/token/redeem",
    ]
    assert routes[-1] == f"/sessions/online/{result.reference.session}/close"


def test_fin_2_each_invoice_gets_its_own_number(fake_ksef):
    sender = gateway(fake_ksef)
    first = sender.send(build_fa3(dues_invoice()))
    second = sender.send(build_fa3(dues_invoice(number="FV/2026/07/0002")))
    assert first.ksef_number != second.ksef_number
    assert all(ksef_number_valid(r.ksef_number) for r in (first, second))


def test_an_offline24_send_is_declared_offline(fake_ksef, invoice):
    gateway(fake_ksef).send(build_fa3(invoice), offline=True)
    assert fake_ksef.accepted[0].offline


def test_a_second_send_of_the_same_invoice_is_a_final_duplicate(fake_ksef, invoice):
    sender = gateway(fake_ksef)
    sender.send(build_fa3(invoice))
    with pytest.raises(KsefSendError) as caught:
        sender.send(build_fa3(invoice))
    error = caught.value
    assert (error.message.code, error.status, error.retryable) == (m.SEND_DUPLICATE, 440, False)


def test_fin_2_the_fake_validates_against_the_schema(fake_ksef, invoice):
    broken = build_fa3(invoice).replace(b"<P_15>221.40</P_15>", b"<P_15>lots</P_15>")
    with pytest.raises(KsefSendError) as caught:
        gateway(fake_ksef).send(broken)
    error = caught.value
    assert (error.message.code, error.status, error.retryable) == (m.SEND_REJECTED, 450, False)
    assert "/Faktura/Fa/P_15" in error.message.kwargs["detail"]
    assert fake_ksef.accepted == []


def test_another_sellers_invoice_is_refused(fake_ksef):
    other = dues_invoice()
    other = dues_invoice(seller=other.buyer, buyer=other.seller)
    with pytest.raises(KsefSendError) as caught:
        gateway(fake_ksef).send(build_fa3(other))
    assert (caught.value.status, caught.value.retryable) == (410, False)
    assert BUYER_NIP in caught.value.message.kwargs["detail"]


def test_a_wrong_token_is_final_and_names_the_credentials(fake_ksef, invoice):
    with pytest.raises(KsefSendError) as caught:
        gateway(fake_ksef, token="not-the-token").send(build_fa3(invoice))
    assert (caught.value.message.code, caught.value.retryable) == (m.SEND_AUTH, False)
    assert fake_ksef.accepted == []


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_an_overloaded_ksef_is_retryable_and_the_document_is_sent_again(fake_ksef, invoice, status):
    fake_ksef.fail_next(status, path="^/sessions/online$")
    sender = gateway(fake_ksef)
    with pytest.raises(KsefSendError) as caught:
        sender.send(build_fa3(invoice))
    error = caught.value
    assert (error.message.code, error.retryable, error.resumable) == (
        m.SEND_UNAVAILABLE,
        True,
        False,  # nothing was taken: send again
    )
    assert ksef_number_valid(sender.send(build_fa3(invoice)).ksef_number)


def test_a_still_processing_invoice_is_resumed_not_sent_again(invoice):
    from klaster.money.ksef.fake import FakeKsef

    with FakeKsef(nip=SELLER_NIP, token=TOKEN, clock=lambda: FAKE_NOW, processing_polls=3) as fake:
        sender = gateway(fake, max_polls=2)
        with pytest.raises(KsefSendError) as caught:
            sender.send(build_fa3(invoice))
        error = caught.value
        assert (error.message.code, error.retryable, error.resumable) == (
            m.SEND_PENDING,
            True,
            True,
        )
        assert isinstance(error.reference, SendReference)
        assert fake.accepted == []
        result = sender.resume(error.reference)
        assert ksef_number_valid(result.ksef_number)
        assert [a.ksef_number for a in fake.accepted] == [result.ksef_number]


def test_an_unreachable_ksef_is_retryable():
    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = KsefConfig(
        nip=SELLER_NIP, token=TOKEN, base_url=f"http://127.0.0.1:{port}", timeout_seconds=2
    )
    with pytest.raises(KsefSendError) as caught:
        ClientGateway(config).send(b"<x/>")
    assert (caught.value.message.code, caught.value.retryable) == (m.SEND_UNREACHABLE, True)


def test_an_unknown_environment_is_refused():
    with pytest.raises(ValueError, match="Unknown KSeF environment"):
        KsefConfig(nip=SELLER_NIP, token=TOKEN, env="staging").url()
    assert KsefConfig(nip=SELLER_NIP, token=TOKEN).url() == "https://api-test.ksef.mf.gov.pl"


def test_the_token_never_shows_in_the_config_repr():
    assert TOKEN not in repr(KsefConfig(nip=SELLER_NIP, token=TOKEN))


def test_the_sent_at_is_aware(fake_ksef, invoice):
    result = gateway(fake_ksef).send(build_fa3(invoice))
    assert result.sent_at.tzinfo is not None
    assert result.sent_at.astimezone(dt.UTC) == FAKE_NOW


def test_the_environments_are_ksef_clients():
    from ksef_client import KsefEnvironment

    assert ENVIRONMENTS == {
        "test": KsefEnvironment.TEST.value,
        "demo": KsefEnvironment.DEMO.value,
        "prod": KsefEnvironment.PROD.value,
    }


def test_importing_the_adapter_leaves_the_client_library_for_later():
    """The money app's models may import the package: ksef-client loads with the gateway."""
    code = (
        "import sys, klaster.money.ksef as k; assert 'ksef_client' not in sys.modules; "
        "k.ClientGateway; assert 'ksef_client' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_late_upo_keeps_the_number_and_is_resumed(fake_ksef, invoice):
    fake_ksef.fail_next(404, path="/upo$")
    sender = gateway(fake_ksef)
    with pytest.raises(KsefSendError) as caught:
        sender.send(build_fa3(invoice))
    error = caught.value
    assert (error.message.code, error.retryable, error.resumable) == (
        m.SEND_UPO_PENDING,
        True,
        True,
    )
    number = error.message.kwargs["ksef_number"]
    assert ksef_number_valid(number)
    assert sender.resume(error.reference).ksef_number == number
    assert len(fake_ksef.accepted) == 1


def test_an_access_token_lost_while_waiting_is_resumed(fake_ksef, invoice):
    fake_ksef.fail_next(401, path="^/sessions/[^/]+/invoices/[^/]+$")
    sender = gateway(fake_ksef)
    with pytest.raises(KsefSendError) as caught:
        sender.send(build_fa3(invoice))
    error = caught.value
    assert (error.message.code, error.retryable, error.resumable) == (m.SEND_AUTH, True, True)
    assert ksef_number_valid(sender.resume(error.reference).ksef_number)
