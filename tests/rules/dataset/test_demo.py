"""The demo cluster and the synthetic benchmark clusters (MEM-3, MEM-4, MEM-9, MEM-12)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest
from stdnum.pl import nip, regon

from klaster.rules import geo
from klaster.rules.dataset.demo import (
    DEMO_AS_OF,
    demo_cluster,
    nip_check_digit,
    synthetic_cluster,
)
from klaster.rules.dataset.model import ENTERPRISE_TYPES, MEMBER_TYPES, Dataset


@pytest.fixture(scope="module")
def demo() -> Dataset:
    return demo_cluster()


@pytest.fixture(scope="module")
def synthetic() -> Dataset:
    return synthetic_cluster(500, projects=200, events=300, seed=7)


def member_references(ds: Dataset) -> Iterator[tuple[str, str]]:
    """Every place in a dataset that names a member id: (where, id)."""
    yield "cluster.coordinator.member", ds.cluster.coordinator.member
    for r in ds.shared_resources:
        if r.provider is not None:
            yield f"shared_resources[{r.name}].provider", r.provider
    for p in ds.projects:
        for x in p.participants:
            yield f"projects[{p.id}].participants", x
    for f in ds.funding_applications:
        for x in f.applicants:
            yield f"funding_applications[{f.name}]", x
    for ip in ds.ip_rights:
        yield f"ip_rights[{ip.number}].holder", ip.holder
    for i in ds.innovations:
        for x in i.by:
            yield f"innovations[{i.name}].by", x
    for e in ds.events:
        for x in e.participants:
            yield f"events[{e.name}].participants", x
    for mi in ds.missions:
        for x in mi.participants:
            yield f"missions[{mi.name}].participants", x
    for s in ds.services:
        for x in s.beneficiaries:
            yield f"services[{s.name}].beneficiaries", x
    for de in ds.dual_education:
        for x in de.entities:
            yield f"dual_education[{de.kind}].entities", x
    for sc in ds.startup_cooperations:
        yield f"startup_cooperations[{sc.startup}].member", sc.member
    for practice in (*ds.circular_economy, *ds.low_emission):
        for x in practice.entities:
            yield f"practices[{practice.kind}].entities", x
    for jp in ds.joint_products:
        for x in jp.offered_by:
            yield f"joint_products[{jp.name}].offered_by", x


def assert_identifiers_valid(ds: Dataset) -> None:
    nips = [m.nip for m in ds.members if m.nip]
    regons = [m.regon for m in ds.members if m.regon]
    krss = [m.krs for m in ds.members if m.krs]
    assert all(nip.is_valid(n) for n in nips), [n for n in nips if not nip.is_valid(n)]
    assert all(regon.is_valid(r) for r in regons), [r for r in regons if not regon.is_valid(r)]
    assert all(len(k) == 10 and k.isdigit() for k in krss)
    for values in (nips, regons, krss):
        assert len(values) == len(set(values))


# --- demo ------------------------------------------------------------------------------


def test_demo_is_deterministic() -> None:
    assert demo_cluster() == demo_cluster()


def test_demo_has_enough_members_of_every_type(demo: Dataset) -> None:
    current = [m for m in demo.members if m.left is None or m.left > DEMO_AS_OF]
    assert len(current) >= 70
    types = Counter(m.type for m in current)
    assert set(types) == set(MEMBER_TYPES)
    assert sum(types[t] for t in ENTERPRISE_TYPES) >= 2 / 3 * len(current)
    assert types["science"] >= 3 and types["iob"] >= 3
    assert types["medium"] + types["large"] >= 5
    assert any(m.left is not None for m in demo.members)  # a former member too


def test_demo_member_ids_are_unique(demo: Dataset) -> None:
    ids = [m.id for m in demo.members]
    assert len(ids) == len(set(ids))
    assert len({p.id for p in demo.projects}) == len(demo.projects)


def test_mem4_demo_identifiers_are_valid(demo: Dataset) -> None:
    assert all(m.nip and m.regon for m in demo.members)
    assert_identifiers_valid(demo)


def test_mem3_demo_science_categories_only_on_science_units(demo: Dataset) -> None:
    for m in demo.members:
        if m.type == "science":
            assert m.science_category in ("A+", "A", "B+", "B", "C")
        else:
            assert m.science_category is None
    assert {m.science_category for m in demo.members if m.type == "science"} >= {"A+", "A"}


def test_mem11_demo_independence_only_for_enterprises(demo: Dataset) -> None:
    for m in demo.members:
        assert (m.independent is not None) == m.is_enterprise
    enterprises = [m for m in demo.members if m.is_enterprise]
    assert sum(1 for m in enterprises if m.independent) >= 0.75 * len(enterprises)
    assert any(m.independent is False for m in enterprises)


def test_demo_every_member_reference_resolves(demo: Dataset) -> None:
    ids = {m.id for m in demo.members}
    dangling = [(where, x) for where, x in member_references(demo) if x not in ids]
    assert dangling == []


def test_mem9_demo_addresses_are_real_towns_in_several_voivodeships(demo: Dataset) -> None:
    voivodeships = set()
    for m in demo.members:
        assert m.address is not None and m.address.city
        place = geo.locate(m.address.postal_code, m.address.city)
        assert place is not None, m.address
        if m.address.postal_code:
            assert geo.postal_code_locality(m.address.postal_code) == (
                m.address.city,
                place.voivodeship,
            )
        voivodeships.add(place.voivodeship)
    assert len(voivodeships) >= 3


def test_mem9_demo_distances_mostly_within_200_km(demo: Dataset) -> None:
    distances = geo.member_distances(demo)
    assert all(d.km is not None for d in distances.values()), [
        d.problem for d in distances.values() if d.km is None
    ]
    kms = [d.km for d in distances.values() if d.km is not None]
    within = sum(1 for km in kms if km <= 200)
    assert within > 0.5 * len(kms)
    assert any(km > 200 for km in kms)
    sources = Counter(d.source for d in distances.values())
    assert sources[geo.Source.POSTAL_CODE] and sources[geo.Source.COORDINATES]
    assert sources[geo.Source.OVERRIDE] == 1 and sources[geo.Source.LOCALITY] == 1


def test_mem12_demo_has_three_fiscal_years_of_figures(demo: Dataset) -> None:
    for m in demo.members:
        if m.is_enterprise:
            assert [y.year for y in m.years] == [2023, 2024, 2025]
            for y in m.years:
                assert isinstance(y.revenue, Decimal) and y.revenue > 0
                assert y.revenue.as_tuple().exponent == -2
                assert y.fte is not None and y.fte == y.fte.quantize(Decimal("0.1"))
                if y.export_revenue is not None:
                    assert 0 < y.export_revenue <= y.revenue
    exporters = [m for m in demo.members if any(y.export_revenue for y in m.years)]
    rd = [m for m in demo.members if any(y.rd_expenditure for y in m.years)]
    assert exporters and len(rd) >= 10


def test_demo_dates_do_not_depend_on_today(demo: Dataset) -> None:
    assert demo.as_of == DEMO_AS_OF == dt.date(2026, 6, 30)
    assert all(m.joined is not None and m.joined <= DEMO_AS_OF for m in demo.members)
    assert demo.cluster.agreement_date is not None
    assert demo.cluster.agreement_date <= dt.date(2023, 6, 30)


def test_demo_has_every_block(demo: Dataset) -> None:
    for f in dataclasses.fields(Dataset):
        if f.name in ("experts",):
            continue
        value = getattr(demo, f.name)
        assert value not in (None, ()), f.name
    assert any(p.international for p in demo.projects)
    assert any(p.rd for p in demo.projects)
    assert any(e.kind == "fair" and e.location == "abroad" for e in demo.events)
    assert any(m.certificates for m in demo.members)
    assert any(m.iso for m in demo.members)
    assert any(s.manager for s in demo.staff)


# --- synthetic -------------------------------------------------------------------------


def test_synthetic_is_deterministic_per_seed() -> None:
    a = synthetic_cluster(60, projects=20, events=30, seed=3)
    assert a == synthetic_cluster(60, projects=20, events=30, seed=3)
    assert a != synthetic_cluster(60, projects=20, events=30, seed=4)


def test_synthetic_has_every_type_and_valid_identifiers(synthetic: Dataset) -> None:
    assert len(synthetic.members) == 500
    assert {m.type for m in synthetic.members} == set(MEMBER_TYPES)
    assert len(synthetic.projects) == 200 and len(synthetic.events) == 300
    assert_identifiers_valid(synthetic)
    ids = {m.id for m in synthetic.members}
    assert all(x in ids for _, x in member_references(synthetic))


def test_synthetic_members_need_geocoding_sometimes(synthetic: Dataset) -> None:
    with_location = sum(1 for m in synthetic.members if m.location is not None)
    assert 0.15 * 500 < with_location < 0.5 * 500
    for m in synthetic.members[:50]:
        assert m.address is not None
        assert geo.locate(m.address.postal_code, m.address.city) is not None


def test_synthetic_enterprises_have_three_fiscal_years(synthetic: Dataset) -> None:
    for m in synthetic.members:
        if m.is_enterprise:
            assert [y.year for y in m.years] == [2023, 2024, 2025]


def test_synthetic_refuses_too_few_members() -> None:
    with pytest.raises(ValueError):
        synthetic_cluster(6)


def test_synthetic_10k_members_is_fast() -> None:
    geo.load()
    start = time.perf_counter()
    ds = synthetic_cluster(10_000)
    elapsed = time.perf_counter() - start
    assert len(ds.members) == 10_000
    assert elapsed < 5.0
    start = time.perf_counter()
    distances = geo.member_distances(ds)
    assert time.perf_counter() - start < 2.0
    assert sum(1 for d in distances.values() if d.km is None) == 0


@pytest.mark.parametrize(
    ("first9", "check"),
    [("526025027", 4), ("100000016", None)],  # no tenth digit makes it valid
)
def test_mem4_nip_check_digit(first9: str, check: int | None) -> None:
    assert nip_check_digit(first9) == check
    if check is not None:
        assert nip.is_valid(first9 + str(check))


def test_kkk_demo_passes_stage1_and_lands_between_60_and_80_in_stage2(demo: Dataset) -> None:
    """The demo is built for an interesting dashboard: KKK-S1-* all pass, KKK-S2 ~70."""
    engine = pytest.importorskip("klaster.rules.kkk.engine")

    def locate(address: object) -> tuple[float, float] | None:
        place = geo.locate(getattr(address, "postal_code", None), getattr(address, "city", None))
        return None if place is None else (place.lat, place.lon)

    ev = engine.evaluate(demo, locate=locate)
    assert [c.id for c in ev.stage1.criteria if not c.passed] == []
    assert 60 <= ev.stage2.total <= 80
    assert ev.members.unplaced == ()
