"""The entry fee (FIN-6): its terms from the tariff and the statute, issued as a document, and the
advance the admission file reads from the ledger through governance's hook (GOV-12)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from klaster.money import selectors, services
from tests.money.conftest import mt940

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(money):
    from klaster.governance.services import admission_open
    from tests.factories import MemberFactory

    member = MemberFactory(
        cluster=money.cluster, key="m100", name="Kandydat sp. z o.o.", type="small", joined=None,
        status="candidate", distance_km=400,
    )  # fmt: skip
    with transaction.atomic():
        admission = admission_open(
            cluster=money.cluster,
            user=money.world.users["office"],
            candidate=member,
            category="partner",
            filed_on=dt.date(2026, 2, 1),
        )
    return member, admission


def test_fin_6_terms_twice_the_annual_dues_far_away_once_near(money, candidate):
    member, _ = candidate
    far = selectors.entry_fee_terms(money.cluster, member, dt.date(2026, 2, 1))
    assert far.fee == Decimal("10080.00")  # small: 420 × 12 × 2
    assert far.deposit == Decimal("2520.00")  # 25 % before the deciding meeting
    member.distance_km = 40
    near = selectors.entry_fee_terms(money.cluster, member, dt.date(2026, 2, 1))
    assert near.fee == Decimal("5040.00")  # within 150 km: once


def test_fin_6_gov_12_the_admission_reads_the_advance_from_the_ledger(money, candidate):
    from klaster.governance.services.admissions import fee_paid
    from tests.factories import FeePaymentFactory

    member, admission = candidate
    FeePaymentFactory(admission=admission, paid_on=dt.date(2026, 2, 2), amount=Decimal("99.00"))
    assert fee_paid(admission) == [(dt.date(2026, 2, 2), Decimal("99.00"))]  # typed: no document
    document = services.entry_fee_issue(
        cluster=money.cluster, member=member, amount=Decimal("10080.00"), issued=dt.date(2026, 2, 3)
    )
    assert document.number == "FV/2026/0001" and document.gross == Decimal("12398.40")
    assert document.due == dt.date(2026, 2, 17)
    assert fee_paid(admission) == []  # the ledger now decides: nothing paid yet
    services.import_statement(
        cluster=money.cluster,
        data=mt940(
            [("3099.60", f"Wpisowe {document.number}", "Kandydat", "")], day=dt.date(2026, 2, 10)
        ),
    )
    assert fee_paid(admission) == [(dt.date(2026, 2, 10), Decimal("3099.60"))]


def test_fin_6_entry_fee_is_issued_once_and_refuses_bad_amounts(money, candidate):
    member, _ = candidate
    with pytest.raises(services.MoneyError) as e:
        services.entry_fee_issue(
            cluster=money.cluster, member=member, amount=Decimal("0"), issued=dt.date(2026, 2, 3)
        )
    assert e.value.field == "amount"
    services.entry_fee_issue(
        cluster=money.cluster, member=member, amount=Decimal("100"), issued=dt.date(2026, 2, 3)
    )
    with pytest.raises(services.MoneyError) as e:
        services.entry_fee_issue(
            cluster=money.cluster, member=member, amount=Decimal("100"), issued=dt.date(2026, 2, 4)
        )
    assert e.value.field == "member"
    with pytest.raises(services.MoneyError):
        services.entry_fee_issue(
            cluster=money.cluster,
            member=money.world.member_beta,
            amount=Decimal("100"),
            issued=dt.date(2026, 2, 4),
        )


def test_fin_8_a_member_returning_within_two_years_pays_half(money, client_for, time_machine):
    from klaster.members.services import member_event_add

    time_machine.move_to(dt.datetime(2026, 9, 1, 10, 0))
    office = money.world.users["office"]
    with transaction.atomic():
        member_event_add(member=money.a, kind="resigned", date=dt.date(2025, 10, 1), user=office)
    returning = selectors.return_terms(
        money.cluster, money.a, dt.date(2026, 9, 1), Decimal("10080.00")
    )
    assert returning.within and returning.amount == Decimal("5040.00")
    later = selectors.return_terms(
        money.cluster, money.a, dt.date(2027, 10, 1), Decimal("10080.00")
    )
    assert not later.within and later.amount == Decimal("10080.00")
    page = client_for("office").get(f"/c/alfa/money/member/{money.a.pk}/")
    assert page.context["fee_form"].initial["amount"] == Decimal("5040.00")
    assert selectors.return_terms(money.cluster, money.b, dt.date(2026, 9, 1), Decimal("1")) is None
