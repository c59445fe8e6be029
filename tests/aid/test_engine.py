"""The register read into the pure rules (klaster/aid/engine.py): AID-1, AID-2, AID-3 from the
database — the part read is the group and its history, whatever else the register holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
import pytest

from klaster.aid import engine
from klaster.aid.models import Merger, RateSeries, Split, SplitSuccessor
from klaster.rules.aid.check import AidRefused
from tests.factories import (
    ClusterFactory,
    ControlLinkFactory,
    GrantFactory,
    KlasterFactory,
    RateTableFactory,
    UndertakingFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 6, 16)


class RateSeriesFactory(KlasterFactory):
    class Meta:
        model = RateSeries

    complete_through = DAY
    source = "test"


class MergerFactory(KlasterFactory):
    class Meta:
        model = Merger

    cluster = factory.LazyAttribute(lambda o: o.into.cluster)


class SplitFactory(KlasterFactory):
    class Meta:
        model = Split

    cluster = factory.LazyAttribute(lambda o: o.undertaking.cluster)


class SuccessorFactory(KlasterFactory):
    class Meta:
        model = SplitSuccessor


@pytest.fixture
def rates():
    """One table each Monday from 2021 to DAY (a Monday too) at 4.0000 PLN/EUR."""
    day = dt.date(2021, 1, 4)
    while day <= DAY:
        RateTableFactory(date=day, mid=Decimal("4.0000"))
        day += dt.timedelta(days=7)
    assert day - dt.timedelta(days=7) == DAY
    RateSeriesFactory()


def test_aid_1_the_group_follows_links_in_force_on_the_day_in_both_directions(rates):
    cluster = ClusterFactory()
    a, b, c, d = (UndertakingFactory(cluster=cluster) for _ in range(4))
    ControlLinkFactory(parent=a, child=b, start=dt.date(2020, 1, 1))
    ControlLinkFactory(parent=c, child=b, start=DAY)  # starts on the day: counts
    ControlLinkFactory(parent=c, child=d, start=dt.date(2020, 1, 1), end=DAY - dt.timedelta(1))
    for u in (a, b, c, d):
        GrantFactory(undertaking=u, amount_eur=Decimal("1000.00"), granted_on=dt.date(2024, 5, 1))
    v = engine.verdict(cluster.pk, a.nip, DAY)
    assert sorted(m.nip for m in v.single.members) == sorted([a.nip, b.nip, c.nip])
    assert v.used_eur == Decimal("3000.00")  # d's link ended the day before
    assert v.rule_id == "AID-3" and v.single.rule_id == "AID-1"


def test_aid_3_a_correction_counts_instead_of_the_original_and_a_voiding_counts_nothing(rates):
    u = UndertakingFactory()
    original = GrantFactory(undertaking=u, amount_eur=Decimal("5000.00"))
    GrantFactory(
        undertaking=u, kind="correction", supersedes=original, amount_eur=Decimal("7000.00")
    )
    voided = GrantFactory(undertaking=u, amount_eur=Decimal("9000.00"))
    GrantFactory(undertaking=u, kind="void", supersedes=voided, amount_eur=Decimal("9000.00"))
    v = engine.verdict(u.cluster_id, u.nip, DAY)
    assert [c.eur for c in v.counted] == [Decimal("7000.00")]
    assert v.headroom_eur == Decimal("293000.00")
    assert v.headroom_pln == Decimal("1172000.00")


def test_aid_3_a_merger_brings_the_absorbed_history_and_a_split_shares_it(rates):
    cluster = ClusterFactory()
    into, absorbed, split, heir = (UndertakingFactory(cluster=cluster) for _ in range(4))
    GrantFactory(
        undertaking=absorbed, amount_eur=Decimal("1000.00"), granted_on=dt.date(2023, 1, 5)
    )
    merger = MergerFactory(into=into, date=dt.date(2024, 4, 2))
    merger.absorbed.add(absorbed)
    GrantFactory(undertaking=split, amount_eur=Decimal("3000.00"), granted_on=dt.date(2023, 2, 1))
    s = SplitFactory(undertaking=split, date=dt.date(2024, 10, 1))
    SuccessorFactory(split=s, undertaking=split, equity_pln=Decimal("700000.00"), position=0)
    SuccessorFactory(split=s, undertaking=heir, equity_pln=Decimal("300000.00"), position=1)
    assert engine.verdict(cluster.pk, into.nip, DAY).used_eur == Decimal("1000.00")
    assert engine.verdict(cluster.pk, heir.nip, DAY).used_eur == Decimal("900.00")
    assert engine.verdict(cluster.pk, split.nip, DAY).used_eur == Decimal("2100.00")
    with pytest.raises(AidRefused) as refused:
        engine.verdict(cluster.pk, absorbed.nip, DAY)
    assert refused.value.rule_id == "AID-3"  # ceased by the merger


def test_aid_2_a_day_after_the_series_is_refused_never_an_older_rate(rates):
    u = UndertakingFactory()
    with pytest.raises(AidRefused) as refused:
        engine.verdict(u.cluster_id, u.nip, DAY + dt.timedelta(days=1))
    assert refused.value.rule_id == "AID-2"
    RateSeries.objects.all().delete()
    with pytest.raises(AidRefused) as refused:
        engine.verdict(u.cluster_id, u.nip, DAY)
    assert refused.value.rule_id == "AID-2"  # a series without a stated end gives no rate


def test_aid_2_a_day_without_a_table_takes_the_last_one_before_it(rates):
    u = UndertakingFactory()
    v = engine.verdict(u.cluster_id, u.nip, DAY - dt.timedelta(days=1))
    assert v.rate.table.date < DAY - dt.timedelta(days=1)
    assert v.rate.rule_id == "AID-2"


def test_aid_1_a_nip_is_read_as_the_import_reads_it_and_an_unknown_one_is_refused(rates):
    u = UndertakingFactory()
    spaced = f"PL{u.nip[:3]}-{u.nip[3:6]}-{u.nip[6:8]}-{u.nip[8:]}"
    assert engine.verdict(u.cluster_id, spaced, DAY).undertaking == u.nip
    other = UndertakingFactory()  # another cluster's undertaking is not in this register
    with pytest.raises(AidRefused) as refused:
        engine.verdict(u.cluster_id, other.nip, DAY)
    assert refused.value.message.code == "aid.register.unknown"
    with pytest.raises(AidRefused) as refused:
        engine.verdict(u.cluster_id, "1234567890", DAY)
    assert refused.value.message.code == "aid.register.bad_nip"


def test_the_queries_of_one_check_do_not_grow_with_the_register(
    rates, django_assert_max_num_queries
):
    cluster = ClusterFactory()
    root = UndertakingFactory(cluster=cluster)
    child = UndertakingFactory(cluster=cluster)
    ControlLinkFactory(parent=root, child=child)
    GrantFactory(undertaking=child, amount_eur=Decimal("10.00"))
    with django_assert_max_num_queries(12) as small:
        engine.verdict(cluster.pk, root.nip, DAY)
    for _ in range(30):  # others' groups, links and grants
        a = UndertakingFactory(cluster=cluster)
        b = UndertakingFactory(cluster=cluster)
        ControlLinkFactory(parent=a, child=b)
        GrantFactory(undertaking=b)
    with django_assert_max_num_queries(len(small.captured_queries)):
        v = engine.verdict(cluster.pk, root.nip, DAY)
    assert v.used_eur == Decimal("10.00")
