"""A cluster with money set up (FIN-1): the `world`'s Alfa, evoluma's statute and tariff from
1 January 2026, dues billed from then, a 14-day term, one bank account; statements are written
in PKO BP's MT940 dialect by `mt940(...)`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.governance.conftest import smtp  # noqa: F401 — the real local SMTP server fixture

ACCOUNT = "PL61109010140000071219812874"
START = dt.date(2026, 1, 1)


@dataclass
class Money:
    world: object
    cluster: object
    a: object  # small: 420 net, 516.60 gross a month
    b: object  # medium: 900 net, 1107.00 gross a month


def _tariff():
    from klaster.rules import money as rules

    return rules.evoluma_tariff(
        START,
        iob=Decimal("180"),
        science=Decimal("180"),
        other=Decimal("180"),
        strategic_partner=Decimal("1200"),
    )


@pytest.fixture
def money(world, db) -> Money:
    return build_money(world)


def build_money(world) -> Money:
    from django.db import transaction

    from klaster.money import services
    from tests.factories import StatuteProfileVersionFactory

    StatuteProfileVersionFactory(cluster=world.alfa, valid_from=dt.date(2015, 1, 1))
    with transaction.atomic():
        services.money_setup(
            cluster=world.alfa,
            billing_start=START,
            payment_term_days=14,
            sub_account_iban=ACCOUNT,
            tariff=_tariff(),
            accounts=(ACCOUNT,),
        )
    return Money(world, world.alfa, world.member_a, world.member_b)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def mt940(
    entries: list[tuple[str, str, str, str]],
    *,
    day: dt.date = dt.date(2026, 12, 1),
    number: str = "09/2026/M",
    account: str = ACCOUNT,
) -> bytes:
    """A PKO BP statement (MT940, `~` sub-fields, CP852) of `entries`: (amount — negative for a
    debit, title, payer's name, payer's IBAN); the bank reference is the line number."""
    d = day.strftime("%y%m%d")
    total = sum((Decimal(a) for a, *_ in entries), Decimal("0.00"))
    out = [":20:MT940", f":25:/{account}", f":28C:{number}", f":60F:C{d}PLN0,00"]
    for i, (amount, title, name, iban) in enumerate(entries, 1):
        value = Decimal(amount)
        mark = "C" if value >= 0 else "D"
        out.append(f":61:{d}{d[2:]}{mark}N{_amount(abs(value))}S020NONREF//{d}{i:04d}")
        out.append(f":86:020~00VE02~20{title[:35]}~21{title[35:70]}~27{name}~38{iban}")
    mark = "C" if total >= 0 else "D"
    out.append(f":62F:{mark}{d}PLN{_amount(abs(total))}")
    out.append("-")
    return ("\r\n".join(out) + "\r\n").encode("cp852")


def klaster(args: list[str]) -> int:
    """`klaster ARGS` run in the test's process, as the console script runs it (klaster.cli.main),
    exit code returned. Django's command runner closes every connection when a command ends;
    inside a test's transaction on PostgreSQL that would close the test's own, so it is kept."""
    from unittest import mock

    from klaster import cli

    with mock.patch("django.db.connections.close_all"):
        return cli.main(args)
