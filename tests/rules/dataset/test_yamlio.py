"""The fast YAML reader and writer give exactly what PyYAML's full machinery gives (yamlio.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from klaster.rules.dataset.dump import _YAML
from klaster.rules.dataset.model import Dataset
from klaster.rules.dataset.yamlio import (
    DatasetYamlLoader,
    DuplicateKeyError,
    emit_yaml,
    emit_yaml_reference,
    parse_yaml,
)
from tests.rules.dataset.dataset_strategies import datasets


def full(text: str) -> Any:
    return yaml.load(text, Loader=DatasetYamlLoader)  # noqa: S506 - a SafeLoader subclass


DOCUMENTS = [
    "a: 1\nb: [1, 2.50, '3', \"4\"]\nc: {d: null, e: ~, f: }\n",
    "money: [1200000.10, 0.1, 1_000.5, .5, 1., -2.5e+3, .inf, -.Inf, .nan, 1:30.5]\n",
    "ints: [0, 017, 0x1F, 0b101, 1_000, 1:30, -42, +7]\n",
    "bools: [yes, No, ON, off, true, False, y, n]\n",
    "dates: [2021-06-30, 2015-13-01, 2021-6-3, 2001-12-14t21:59:43.10-05:00, 2020-01-01 10:00:00]\n",
    "tags: [!!str 12, !!int '7', !!float '0.1', !!bool yes, !!null '', ! 12, !!str 2020-01-01]\n",
    "anchors: {a: &x [1, {b: 2}], c: *x, d: &y text, e: *y}\n",
    "merge:\n  base: &b {x: 1, y: 2}\n  item:\n    <<: *b\n    y: 3\n",
    "keys: {9: a, '10': b, 1.5: c, true: d, null: e, 2020-01-01: f}\n",
    "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
    'unicode: Zażółć gęślą jaźń\nemoji: "\\u263A \\U0001F600"\n',
    "",
    "# only a comment\n",
    "- top\n- level\n- list\n",
    "plain scalar document\n",
    "binary: !!binary aGVsbG8=\n",
    "set: !!set {a, b}\n",
    "omap: !!omap [a: 1, b: 2]\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_fast_reader_matches_the_full_loader(text: str) -> None:
    assert parse_yaml(text) == full(text)


def test_floats_are_exact_decimals() -> None:
    assert parse_yaml("[1200000.10, 0.1]") == [Decimal("1200000.10"), Decimal("0.1")]
    assert str(parse_yaml("x: 1200000.10")["x"]) == "1200000.10"
    assert parse_yaml("x: .inf")["x"] == ".inf"  # left as text: refused later as a number


def test_timestamps_stay_text() -> None:
    assert parse_yaml("d: 2021-06-30")["d"] == "2021-06-30"
    assert parse_yaml("d: 2015-13-01")["d"] == "2015-13-01"


BAD = [
    ("a: 1\na: 2\n", DuplicateKeyError),
    ("{a: 1, a: 2}", DuplicateKeyError),
    ("a: {b: 1, c: 2, b: 3}", DuplicateKeyError),
    ("a: *nowhere\n", yaml.YAMLError),
    ("a: 1\n---\nb: 2\n", yaml.YAMLError),
    ("a: [1, 2\n", yaml.YAMLError),
    ("? [a, b]\n: 1\n", yaml.YAMLError),
    ("a: !!python/object:os.system x\n", yaml.YAMLError),
    ("a: &x [1, *x]\n", yaml.YAMLError),  # recursive: the dataset never needs it
]


@pytest.mark.parametrize(("text", "error"), BAD)
def test_bad_documents_fail_in_both_readers(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_yaml(text)
    with pytest.raises(error):
        full(text)


def test_duplicate_key_has_its_position() -> None:
    with pytest.raises(DuplicateKeyError) as caught:
        parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert caught.value.key == "c"
    assert caught.value.problem_mark is not None
    assert (caught.value.problem_mark.line, caught.value.problem_mark.column) == (3, 2)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_fast_writer_gives_the_text_of_pyyaml_representer(ds: Dataset) -> None:
    plain = _YAML.write(ds)
    assert emit_yaml(plain) == emit_yaml_reference(plain)


def test_fast_writer_on_odd_text() -> None:
    plain = {
        "a": [
            "yes",
            "No",
            "null",
            "~",
            "12",
            "0747144855",
            "-1",
            ".5",
            "1e3",
            "x: y",
            "# no",
            "- a",
        ],
        "b": [
            "",
            " lead",
            "trail ",
            "multi\nline",
            "tab\there",
            "quote's",
            'dq"',
            "\u2028",
            "\x85",
            "ąę",
        ],
        "c": {"9": 5, "nested": {"deep": [1, True, None, dt.date(2020, 1, 2)]}},
        "d": [],
        "e": {},
    }
    assert emit_yaml(plain) == emit_yaml_reference(plain)
    assert yaml.safe_load(emit_yaml(plain))["b"] == plain["b"]
