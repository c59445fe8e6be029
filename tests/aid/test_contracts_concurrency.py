"""Two contracts signed at the same moment for one single undertaking (AID-1, AID-3, AID-6), on
PostgreSQL: the parent firm and the firm it controls each sign a contract whose aid fits the
group's headroom once. The signing locks the whole group before its verdict, so exactly one
grant is registered; a lock of the signing firm alone would let both through (shown by swapping
in such a lock)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = dt.date
SIGN = D(2026, 12, 2)


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the group's row locks under parallel connections are what this "
            "proves; SQLite serialises every write transaction anyway. Run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        )


@pytest.fixture
def group(pg):
    """Parent and child members of one single undertaking, each with a chosen application of
    12 days × 400 PLN (EUR 1,129.41 at 4.25); the parent used EUR 298,500 already."""
    from tests.aid.test_contracts import RateSeriesFactory, chosen
    from tests.factories import (
        AidSettingsFactory,
        ClusterFactory,
        ControlLinkFactory,
        EquipmentFactory,
        GrantFactory,
        MemberFactory,
        PriceListFactory,
        RateTableFactory,
        UndertakingFactory,
    )

    cluster = ClusterFactory(slug="alfa")
    AidSettingsFactory(cluster=cluster)
    RateTableFactory(date=D(2026, 12, 1), number="232/A/NBP/2026", mid=Decimal("4.2500"))
    RateSeriesFactory(complete_through=D(2026, 12, 3))
    parent_m = MemberFactory(cluster=cluster, name="Holding S.A.")
    child_m = MemberFactory(cluster=cluster, name="Córka sp. z o.o.")
    parent = UndertakingFactory(member=parent_m)
    child = UndertakingFactory(member=child_m)
    ControlLinkFactory(parent=parent, child=child)
    GrantFactory(undertaking=parent, granted_on=D(2025, 3, 1), amount_eur=Decimal("298500.00"))
    apps = []
    for i, member in enumerate((parent_m, child_m)):
        eq = EquipmentFactory(cluster=cluster)
        PriceListFactory(equipment=eq, valid_from=D(2024, 1, 1))
        apps.append(chosen(member, eq, D(2027, 1, 11 + i), D(2027, 1, 22 + i)))
    return apps


def _sign_at_once(apps) -> tuple[list, list]:
    from klaster.aid import services_contracts as services
    from klaster.rules.aid.check import AidRefused

    barrier = threading.Barrier(len(apps))
    done: list = []
    refused: list = []
    errors: list[BaseException] = []

    def run(app) -> None:
        try:
            barrier.wait()
            try:
                done.append(
                    services.sign_contract(application=app, signed_on=SIGN, user=None).number
                )
            except AidRefused as exc:
                refused.append(exc.rule_id)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors
    return done, refused


def test_aid_3_parallel_signings_for_one_single_undertaking_register_one_grant(group):
    from klaster.aid import engine
    from klaster.aid.models import Contract, Grant

    done, refused = _sign_at_once(group)
    assert len(done) == 1 and refused == ["AID-3"]
    assert Contract.objects.count() == 1
    assert Grant.objects.filter(source="contract").count() == 1
    nip = group[0].member.nip
    verdict = engine.verdict(group[0].cluster_id, nip, SIGN)
    assert verdict.used_eur <= verdict.ceiling.eur


def test_aid_3_locking_only_the_signing_firm_would_let_both_through(group, monkeypatch):
    """The same two signings with a lock of the signing firm's own row only, both held until
    both have locked: both verdicts miss the other's grant and the ceiling breaks — the reason
    the whole group is locked."""
    from klaster.aid import engine
    from klaster.aid import services_contracts as services
    from klaster.aid.models import Undertaking

    both = threading.Barrier(2)

    def own_row_only(cluster_id, root_id, day):
        list(Undertaking.objects.select_for_update().filter(pk=root_id).values_list("pk"))
        both.wait(timeout=30)
        return {root_id}

    monkeypatch.setattr(services, "LOCK", own_row_only)
    done, refused = _sign_at_once(group)
    assert len(done) == 2 and not refused
    verdict = engine.verdict(group[0].cluster_id, group[0].member.nip, SIGN)
    assert verdict.used_eur > verdict.ceiling.eur
