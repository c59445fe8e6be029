"""Issue 11: the demo cluster's de minimis side. `klaster demo` gives the office a register with
groups (AID-1) and grants from other bodies under both regulations (AID-3), the shipped NBP
series (AID-2), equipment with price lists, a queue with a complete application, one missing its
KRS extract and two overlapping ones waiting for a ranking (AID-4, AID-5), and — on a day the
series has a table — one signed contract with its grant and certificate (AID-6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from klaster.aid import engine
from klaster.aid.models import (
    AidSettings,
    Application,
    Certificate,
    Contract,
    ControlLink,
    Equipment,
    Grant,
    PriceList,
    RateSeries,
    RateTable,
    Undertaking,
)
from klaster.core.models import Cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)):
        call_command("demo", stdout=io.StringIO())
        yield Cluster.objects.get(slug="demo")


def test_aid_1_to_aid_6_the_demo_has_a_register_a_queue_and_a_signed_contract(demo):
    cluster = demo
    settings = AidSettings.objects.get(cluster=cluster)
    assert (settings.grantor_nip, settings.grantor_name) == (
        cluster.coordinator.nip,
        cluster.coordinator.name,
    )
    assert settings.shrimp_access_since is not None

    # AID-1: members by their NIP, two firms that are not members, two groups
    register = Undertaking.objects.filter(cluster=cluster)
    linked = register.exclude(member=None)
    assert linked.count() == 6
    assert all(u.nip == u.member.nip for u in linked)
    assert register.filter(member=None).count() == 2
    links = ControlLink.objects.filter(cluster=cluster)
    assert links.count() == 3 and links.exclude(end=None).count() == 1

    # AID-3: grants from other bodies under both regulations (and the agricultural one)
    imported = Grant.objects.filter(cluster=cluster, source=Grant.Source.IMPORT)
    assert imported.count() == 10
    assert set(imported.values_list("regulation", flat=True)) == {
        "1407/2013",
        "2023/2831",
        "1408/2013",
    }
    assert imported.values("body_name").distinct().count() >= 4

    # AID-2: the shipped series is there, complete through a day with a table
    series = RateSeries.objects.get()
    assert series.complete_through is not None
    assert RateTable.objects.filter(date=series.complete_through).exists()

    # AID-4, AID-5: three products with prices; the queue
    assert Equipment.objects.filter(cluster=cluster).count() == 3
    assert PriceList.objects.filter(equipment__cluster=cluster).count() == 3
    apps = Application.objects.filter(cluster=cluster)
    S = Application.Status
    assert apps.filter(status=S.INCOMPLETE).count() == 1
    missing = apps.get(status=S.INCOMPLETE)
    assert not missing.documents.filter(kind="extract").exists()
    complete = list(apps.filter(status=S.COMPLETE).order_by("arrived_at"))
    assert len(complete) == 3
    by_item: dict[int, list[Application]] = {}
    for a in complete:
        by_item.setdefault(a.equipment_id, []).append(a)
    overlapping = [x for x in by_item.values() if len(x) == 2]
    assert len(overlapping) == 1
    first, second = overlapping[0]
    assert first.start <= second.end and second.start <= first.end and first.member != second.member

    # AID-6: the contract, its grant within the headroom and its certificate
    contract = Contract.objects.get(cluster=cluster)
    grant = contract.grant
    assert grant.source == Grant.Source.CONTRACT and grant.granted_on == contract.signed_on
    assert RateTable.objects.filter(date=contract.signed_on, number=grant.rate_table).exists()
    assert grant.amount_pln == contract.aid_pln
    assert contract.application.status == S.CONTRACTED
    certificate = Certificate.objects.get(grant=grant)
    assert certificate.fields["beneficiary"]["nip"] == contract.application.member.nip
    assert certificate.fields["gross_pln"] == f"{grant.amount_pln:.2f}"
    # the register's engine counts it for the member on the day after
    day = contract.signed_on + dt.timedelta(days=1)
    if day <= series.complete_through:
        verdict = engine.verdict(cluster.pk, contract.application.member.nip, day)
        assert any(c.id == f"#{grant.pk}" for c in verdict.counted)


def test_aid_3_the_demo_headroom_of_a_group_counts_the_subsidiary(demo):
    """The `czlonek` persona's enterprise controls a service firm: its headroom counts that
    firm's grant (AID-1), read through the engine as `klaster aid headroom` reads it."""
    cluster = demo
    parent = ControlLink.objects.get(cluster=cluster, child__member=None).parent
    verdict = engine.verdict(cluster.pk, parent.nip, dt.date(2025, 6, 30))
    assert len(verdict.single.members) == 2
    assert {c.member for c in verdict.counted} == {u.nip for u in verdict.single.members}
    assert verdict.allowed
