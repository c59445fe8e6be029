"""Shared data for the KSeF adapter's tests: one dues invoice and a running fake KSeF."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from klaster.money.ksef import Address, Invoice, Line, Party, Payment
from klaster.money.ksef.fake import FakeKsef

SELLER_NIP = "5260250274"
BUYER_NIP = "7740001454"
TOKEN = "20260701-EC-0123456789-ABCDEF0123-45|nip-5260250274|secret"
# the fake's clock: 1 July 2026, 10:15 in Warsaw
FAKE_NOW = dt.datetime(2026, 7, 1, 8, 15, tzinfo=dt.UTC)


def dues_invoice(**changes: object) -> Invoice:
    """July 2026 dues of a micro member of `evoluma` (FIN-1: 180 PLN net + 23 % VAT)."""
    base = Invoice(
        number="FV/2026/07/0001",
        issue_date=dt.date(2026, 7, 1),
        created_at=dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),
        seller=Party("Klaster Evoluma", SELLER_NIP, Address("ul. Prosta 1", "00-950 Warszawa")),
        buyer=Party("Mikrofirma Sp. z o.o.", BUYER_NIP, Address("ul. Krzywa 2", "09-400 Płock")),
        lines=(
            Line(
                "Składka członkowska za lipiec 2026", Decimal("1"), "mies.", Decimal("180.00"), "23"
            ),
        ),
        period_from=dt.date(2026, 7, 1),
        period_to=dt.date(2026, 7, 31),
        payment=Payment(
            dt.date(2026, 7, 15), "PL61109010140000071219812874", "FV/2026/07/0001 M-0007"
        ),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def invoice() -> Invoice:
    return dues_invoice()


@pytest.fixture
def fake_ksef():
    with FakeKsef(nip=SELLER_NIP, token=TOKEN, clock=lambda: FAKE_NOW) as fake:
        yield fake
