"""Issue 7 point 9: the dataset loader is bounded. Nesting depth and YAML aliases are limited
while parsing (deep flow nesting made libyaml quadratic: minutes for a few hundred KB), the
file's size before reading, and every string and number by schema.json — each refusal a
DatasetError naming the field's path (or the line) and the limit."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import MAX_FILE_BYTES, load_data, load_path, load_text
from klaster.rules.dataset.yamlio import MAX_ALIASES, MAX_DEPTH, parse_yaml

DATA = Path(__file__).with_name("data")
VALID_YAML = (DATA / "dataset_md_example.yaml").read_text(encoding="utf-8")


def refused(text: str, fmt: str = "yaml") -> list[str]:
    with pytest.raises(DatasetError) as caught:
        load_text(text, fmt)
    return caught.value.messages


def _valid() -> dict[str, Any]:
    return json.loads(json.dumps(parse_yaml(VALID_YAML), default=str))


# ------------------------------------------------------------------ depth


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_issue7_deep_flow_nesting_is_refused_with_its_path_and_the_limit(fmt):
    assert load_text(VALID_YAML, "yaml").members  # a valid file is well within the limit
    depth = 50_000  # libyaml alone took seconds here, and minutes at ten times this
    if fmt == "yaml":
        text = "format: klaster-dataset/1\nmembers: " + "[" * depth + "]" * depth + "\n"
    else:
        text = '{"format": "klaster-dataset/1", "members": ' + "[" * depth + "]" * depth + "}"
    messages = refused(text, fmt)
    assert len(messages) == 1
    assert f"zagnieżdżenie głębsze niż {MAX_DEPTH} poziomów" in messages[0]
    assert "wiersz" in messages[0]
    if fmt == "yaml":
        # the root is level 1 and members level 2: the first container too deep is this one
        assert messages[0].startswith("members" + "[0]" * (MAX_DEPTH - 1) + ":")


def test_issue7_json_nesting_just_over_the_limit_is_refused_below_the_recursion_limit():
    """JSON 100 levels deep parses in Python; the loader still refuses it by its own limit."""
    text = '{"members": ' + "[" * 100 + "]" * 100 + "}"
    (message,) = refused(text, "json")
    assert f"zagnieżdżenie głębsze niż {MAX_DEPTH} poziomów" in message and "wiersz 1" in message


def test_issue7_deep_block_mappings_are_refused():
    text = (
        "format: klaster-dataset/1\nmembers:\n"
        + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 200))
        + " " * 400
        + "x\n"
    )
    (message,) = refused(text)
    assert f"zagnieżdżenie głębsze niż {MAX_DEPTH} poziomów" in message


def test_issue7_depth_is_limited_on_the_full_loader_path_too():
    """A custom tag sends the file to PyYAML's own (recursive) loader: the depth is checked
    before it runs, instead of a RecursionError reported as a syntax error."""
    depth = 5_000
    text = "format: !custom klaster-dataset/1\nmembers: " + "[" * depth + "]" * depth + "\n"
    (message,) = refused(text)
    assert f"zagnieżdżenie głębsze niż {MAX_DEPTH} poziomów" in message


# ------------------------------------------------------------------ aliases and documents


def test_issue7_yaml_aliases_are_limited():
    anchors = "x: &a [1]\n"
    text = (
        "format: klaster-dataset/1\n"
        + anchors
        + "members: ["
        + ", ".join(["*a"] * (MAX_ALIASES + 1))
        + "]\n"
    )
    (message,) = refused(text)
    assert f"więcej niż {MAX_ALIASES} odwołań" in message


def test_issue7_a_billion_laughs_document_is_refused_by_the_alias_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 100) + "]")
    (message,) = refused("\n".join(lines) + "\n")
    assert f"więcej niż {MAX_ALIASES} odwołań" in message


# ------------------------------------------------------------------ size


def test_issue7_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "klaster.yaml"
    path.write_text(VALID_YAML, encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_path(path, max_bytes=1000)
    (message,) = caught.value.messages
    size = path.stat().st_size
    assert message == f"{path}: za duży plik: {size} B, dozwolone najwyżej 1000 B"
    assert MAX_FILE_BYTES == 64 * 1024 * 1024


def test_issue7_text_over_the_size_limit_is_refused():
    with pytest.raises(DatasetError, match="dozwolone najwyżej 64 MB"):
        load_text(" " * (MAX_FILE_BYTES + 1), "yaml")


# ------------------------------------------------------------------ every number and string bounded


def _set(data: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ["kis", 0, "number"],
            10**30,
            "kis[0].number: wartość 1000000000000000000000000000000 jest większa niż 2147483647",
        ),
        (
            ["members", 0, "name"],
            "x" * 5000,
            "members[0].name: za długie: 5000 znaków, dozwolone najwyżej 300",
        ),
        (
            ["members", 0, "id"],
            "m" * 41,
            "members[0].id: za długie: 41 znaków, dozwolone najwyżej 40",
        ),
        (
            ["members", 0, "address", "postal_code"],
            "15-001 Białystok",
            "members[0].address.postal_code: za długie",
        ),
        (
            ["members", 0, "years", 0, "revenue"],
            "99999999999999.01",
            "members[0].years[0].revenue: wartość 99999999999999.01 jest większa niż 99999999999999",
        ),
        (
            ["members", 0, "years", 0, "fte"],
            10**8,
            "members[0].years[0].fte: wartość 100000000 jest większa niż",
        ),
        (
            ["cluster", "coordinator", "clustering_experience_years"],
            10_000,
            "cluster.coordinator.clustering_experience_years: wartość 10000 jest większa niż 9999.9",
        ),
        (
            ["cluster", "contact", "phone"],
            "1" * 51,
            "cluster.contact.phone: za długie: 51 znaków, dozwolone najwyżej 50",
        ),
        (
            ["projects", 0, "name"],
            "p" * 501,
            "projects[0].name: za długie: 501 znaków, dozwolone najwyżej 500",
        ),
        (
            ["experts"],
            [{"name": "E", "scores": {"9": 2**31}}],
            "experts[0].scores.9: wartość 2147483648 jest większa niż",
        ),
        (
            ["kis", 0, "justification"],
            "j" * 20_001,
            "kis[0].justification: za długie: 20001 znaków, dozwolone najwyżej 20000",
        ),
        (
            ["members", 0, "nip"],
            "5" * 33,
            "members[0].nip: za długie: 33 znaków, dozwolone najwyżej 32",
        ),
    ],
)
def test_issue7_numbers_and_strings_over_the_schema_bounds_are_refused_by_path(
    path, value, expected
):
    with pytest.raises(DatasetError) as caught:
        load_data(_set(_valid(), path, value))
    assert any(m.startswith(expected) for m in caught.value.messages), caught.value.messages


def test_issue7_values_at_the_bounds_load_and_one_past_is_refused():
    data = _valid()
    data["kis"][0]["number"] = 2**31 - 1
    data["members"][0]["name"] = "n" * 300
    data["members"][0]["years"][0]["revenue"] = "99999999999999.00"
    data["cluster"]["coordinator"]["clustering_experience_years"] = "9999.9"
    ds = load_data(data)
    assert ds.kis[0].number == 2**31 - 1 and len(ds.members[0].name) == 300
    assert str(ds.members[0].years[0].revenue) == "99999999999999.00"
    data["kis"][0]["number"] = 2**31
    data["members"][0]["name"] = "n" * 301
    data["members"][0]["years"][0]["revenue"] = "100000000000000"
    data["cluster"]["coordinator"]["clustering_experience_years"] = "10000"
    with pytest.raises(DatasetError) as caught:
        load_data(data)
    assert [m.split(":")[0] for m in caught.value.messages] == [
        "cluster.coordinator.clustering_experience_years",
        "members[0].name",
        "members[0].years[0].revenue",
        "kis[0].number",
    ]


def test_issue7_huge_expert_scores_cannot_crash_the_evaluation():
    """Two experts' mean of a 400-digit score overflowed a float in `klaster kkk evaluate`;
    the schema now bounds the points, so such a file is refused with its path instead."""
    data = _valid()
    data["experts"] = [
        {"name": "A", "scores": {"9": 10**400 + 1}},
        {"name": "B", "scores": {"9": 0}},
    ]
    with pytest.raises(DatasetError) as caught:
        load_data(data)
    (message,) = caught.value.messages
    assert message.startswith("experts[0].scores.9: wartość 1000") and message.endswith(
        "większa niż 2147483647"
    )
