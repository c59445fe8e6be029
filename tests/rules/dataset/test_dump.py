"""Writing the dataset format: DATASET.md's key order, defaults left out, exact decimals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from klaster.rules.dataset.dump import dump_data, dump_path, dump_text
from klaster.rules.dataset.load import load_path, load_text
from klaster.rules.dataset.model import (
    Cluster,
    Coordinator,
    Dataset,
    Expert,
    Member,
    MemberYear,
    Platforms,
    StartupCooperation,
)

EXAMPLE = Path(__file__).parent / "data" / "dataset_md_example.yaml"


def small() -> Dataset:
    return Dataset(
        cluster=Cluster(name="Klaster", coordinator=Coordinator(member="m0")),
        members=(
            Member(
                id="m0",
                name="Koordynator",
                type="iob",
                krs="0747144855",
                joined=dt.date(2012, 1, 23),
            ),
            Member(
                id="m1",
                name="Firma",
                type="small",
                independent=False,
                years=(MemberYear(year=2020, revenue=Decimal("1200000.10"), fte=Decimal("1E+1")),),
            ),
        ),
        startup_cooperations=(
            StartupCooperation(member="m1", startup="S", from_=dt.date(2020, 1, 1)),
        ),
        experts=(Expert(name="E", scores=(("10", 2), ("9", 5))),),
    )


def test_defaults_are_left_out_and_meaningful_values_kept() -> None:
    assert dump_data(small()) == {
        "format": "klaster-dataset/1",
        # eccp_registered false and an all-false platforms are the defaults; mode is kept
        "cluster": {"name": "Klaster", "mode": "grant", "coordinator": {"member": "m0"}},
        "members": [
            {
                "id": "m0",
                "name": "Koordynator",
                "type": "iob",
                "category": "partner",
                "krs": "0747144855",
                "joined": "2012-01-23",
            },
            {
                "id": "m1",
                "name": "Firma",
                "type": "small",
                "category": "partner",
                "independent": False,  # None is the default, False is information
                "years": [{"year": 2020, "revenue": "1200000.10", "fte": "10"}],
            },
        ],
        "startup_cooperations": [{"member": "m1", "startup": "S", "from": "2020-01-01"}],
        "experts": [{"name": "E", "scores": {"10": 2, "9": 5}}],
    }


def test_platforms_written_only_when_one_is_set() -> None:
    ds = small()
    assert "platforms" not in dump_data(ds)["cluster"]["coordinator"]
    on = Dataset(
        cluster=Cluster(
            name="K", coordinator=Coordinator(member="m0", platforms=Platforms(sales=True))
        ),
        members=ds.members,
    )
    assert dump_data(on)["cluster"]["coordinator"]["platforms"] == {"sales": True}


def test_keys_follow_dataset_md_order() -> None:
    data = dump_data(load_path(EXAMPLE))
    assert list(data)[:4] == ["format", "as_of", "cluster", "members"]
    assert list(data["cluster"]) == [
        "name", "website", "specialisation", "agreement_date", "actual_start", "eccp_registered",
        "mode", "strategies", "coordinator", "contact",
    ]  # fmt: skip
    assert list(data["members"][0]) == [
        "id", "name", "type", "category", "nip", "regon", "krs", "address", "location", "joined",
        "independent", "years", "iso", "certificates",
    ]  # fmt: skip
    assert list(data["events"][0]) == [
        "name", "kind", "location", "date", "coordinator_participated", "participants",
    ]  # fmt: skip


def test_decimals_are_written_as_exact_strings() -> None:
    ds = small()
    assert '"revenue": "1200000.10"' in dump_text(ds, "json")
    assert "revenue: '1200000.10'" in dump_text(ds, "yaml")
    negative_zero = Member(id="m2", name="Z", type="other", distance_km=Decimal("-0.00"))
    assert (
        dump_data(Dataset(cluster=ds.cluster, members=(negative_zero,)))["members"][0][
            "distance_km"
        ]
        == "0.00"
    )


def test_json_text_is_indented_utf8() -> None:
    text = dump_text(load_path(EXAMPLE), "json")
    assert text.startswith('{\n  "format": "klaster-dataset/1",\n')
    assert "Białystok" in text and text.endswith("}\n")
    json.loads(text)


def test_yaml_text_reads_well_and_safely() -> None:
    ds = load_path(EXAMPLE)
    shared_date = dt.date(2020, 1, 1)
    ds = Dataset(
        cluster=ds.cluster,
        members=ds.members,
        as_of=ds.as_of,
        startup_cooperations=(
            StartupCooperation(member="m005", startup="S", from_=shared_date, to=shared_date),
        ),
    )
    text = dump_text(ds, "yaml")
    assert "&id" not in text and "*id" not in text  # no anchors for repeated values
    assert "  name: Klaster Przykładowy\n" in text  # unicode as is
    assert "as_of: 2021-06-30\n" in text  # dates as plain YAML dates
    assert "  krs: '0000012345'\n" in text  # number-like text quoted, for YAML 1.2 readers too
    assert "postal_code: '15-001'" in text
    assert "  - {year: 2020, revenue: '1200000.00', export_revenue: '300000.00'" in text
    assert "- {member: m005, startup: S, from: 2020-01-01, to: 2020-01-01}" in text
    assert load_text(text, "yaml") == ds
    plain = yaml.safe_load(text)  # an ordinary YAML reader gets the same structure
    assert plain["members"][0]["krs"] == "0000012345"


def test_dump_path_chooses_the_format_by_ending(tmp_path: Path) -> None:
    ds = small()
    dump_path(ds, tmp_path / "a.json")
    dump_path(ds, tmp_path / "a.yaml")
    assert (tmp_path / "a.json").read_text(encoding="utf-8").startswith("{")
    assert (
        (tmp_path / "a.yaml").read_text(encoding="utf-8").startswith("format: klaster-dataset/1\n")
    )
    assert load_path(tmp_path / "a.json") == load_path(tmp_path / "a.yaml") == ds


def test_dump_refuses_an_unknown_format(tmp_path: Path) -> None:
    from klaster.rules.dataset.errors import DatasetError

    with pytest.raises(DatasetError):
        dump_path(small(), tmp_path / "a.txt")
    with pytest.raises(ValueError, match="unknown dataset format"):
        dump_text(small(), "xml")
