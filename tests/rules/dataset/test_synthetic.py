"""The synthetic benchmark clusters (`klaster demo-data`, MEM-3, MEM-4, MEM-9, MEM-12)."""

from __future__ import annotations

import pytest
from stdnum.pl import nip

from klaster.rules import geo
from klaster.rules.dataset.model import MEMBER_TYPES, Dataset
from klaster.rules.dataset.synthetic import nip_check_digit, synthetic_cluster
from tests.rules.dataset.references import assert_identifiers_valid, member_references


@pytest.fixture(scope="module")
def synthetic() -> Dataset:
    return synthetic_cluster(500, projects=200, events=300, seed=7)


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


def test_synthetic_10k_members_are_all_placed() -> None:
    """The size `bin/bench` uses; how long it takes is a benchmark's figure, not a test's."""
    ds = synthetic_cluster(10_000)
    assert len(ds.members) == 10_000
    distances = geo.member_distances(ds)
    assert sum(1 for d in distances.values() if d.km is None) == 0


@pytest.mark.parametrize(
    ("first9", "check"),
    [("526025027", 4), ("100000016", None)],  # no tenth digit makes it valid
)
def test_mem4_nip_check_digit(first9: str, check: int | None) -> None:
    assert nip_check_digit(first9) == check
    if check is not None:
        assert nip.is_valid(first9 + str(check))
