"""The demo cluster `klaster demo` loads: a data file in the dataset format
(klaster/exchange/data/demo.yaml), read by the dataset loader (MEM-3, MEM-4, MEM-9, MEM-12)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from klaster.exchange.demo import DEMO_AS_OF, demo_cluster
from klaster.rules import geo
from klaster.rules.dataset.dump import dump_path
from klaster.rules.dataset.load import load_path
from klaster.rules.dataset.model import ENTERPRISE_TYPES, MEMBER_TYPES, Dataset
from tests.rules.dataset.references import assert_identifiers_valid, member_references


@pytest.fixture(scope="module")
def demo() -> Dataset:
    return demo_cluster()


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


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_file_round_trip_of_the_demo_cluster(tmp_path: Path, suffix: str) -> None:
    ds = demo_cluster()
    path = tmp_path / f"demo{suffix}"
    dump_path(ds, path)
    assert load_path(path) == ds
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left behind


def test_the_demo_is_a_data_file_shipped_with_the_package() -> None:
    """Data, not code: the file is package data (pyproject's package-data takes *.yaml) and
    loads with the same loader as any imported file, comments and all."""
    from importlib.resources import files

    shipped = files("klaster.exchange").joinpath("data", "demo.yaml")
    assert shipped.is_file()
    text = shipped.read_text(encoding="utf-8")
    assert text.startswith("# ") and "format: klaster-dataset/1" in text
    assert load_path(Path(str(shipped))) == demo_cluster()
