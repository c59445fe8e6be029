"""Issue 7: a fuzz run of the dataset loader in CI, for a fixed budget. Random YAML and JSON
documents (nested dicts, lists, strings, numbers), random text, and mutations of the small valid
dataset of DATASET.md: ``load_text``/``load_data`` return a Dataset or raise DatasetError,
nothing else; and a dataset that loads is scored by ``klaster kkk evaluate`` without a crash
(KkkError, its own refusal, allowed).

CI sets CI=true: Hypothesis then derandomises (tests/conftest.py), so a run is repeatable.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from klaster.rules import kkk
from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import load_data, load_text
from klaster.rules.dataset.yamlio import parse_yaml
from klaster.rules.kkk import dumps, to_text

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

EXAMPLE = Path(__file__).parent.parent / "rules" / "dataset" / "data" / "dataset_md_example.yaml"
VALID: dict[str, Any] = parse_yaml(EXAMPLE.read_text(encoding="utf-8"))

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.text(max_size=30),
    st.sampled_from(
        [
            "klaster-dataset/1",
            "m000",
            "m001",
            "2021-06-30",
            "2015-13-01",
            "1200000.10",
            "-1",
            "5260250274",
            "micro",
            "science",
            "A+",
            "1e400",
            ".inf",
            "0x1F",
            "yes",
            "~",
            "<<",
            "x" * 600,
        ]
    ),
    st.dates(min_value=dt.date(1, 1, 1)),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=12) | st.integers(0, 40), children, max_size=5)
    ),
    max_leaves=40,
)


def _as_json(value: Any) -> Any:
    """Plain JSON data: dates as text, Decimals as numbers (json cannot write them)."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _as_yaml(value: Any) -> str:
    return yaml.safe_dump(_as_json(value), allow_unicode=True, sort_keys=False)


def _load(text: str, fmt: str) -> None:
    try:
        dataset = load_text(text, fmt)
    except DatasetError as exc:
        assert exc.messages and all(exc.messages)
        return
    _evaluate(dataset)


def _evaluate(dataset) -> None:
    """What `klaster kkk evaluate` does with a file that loads: score it and print it."""
    try:
        result = kkk.evaluate(dataset, as_of=dataset.as_of or dt.date(2021, 6, 30))
    except kkk.KkkError:
        return
    dumps(result)
    to_text(result)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


PATHS = _paths(VALID)[1:]


def _at(path: tuple[Any, ...]) -> Any:
    node: Any = VALID
    for key in path:
        node = node[key]
    return node


# numbers are where a bound matters most (a score, a KIS number, money): drawn as often as the rest
NUMBER_PATHS = [
    p for p in PATHS if isinstance(_at(p), int | Decimal) and not isinstance(_at(p), bool)
]


def _alike(value: Any) -> st.SearchStrategy[Any]:
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(-3, 40) | st.integers(0, 2**40) | st.integers(10**300, 10**400)
    if isinstance(value, Decimal | float):
        return st.decimals(min_value=0, max_value=10**15, places=2) | st.decimals(-1, 400, places=4)
    if isinstance(value, str):
        return st.sampled_from(
            [
                "m000",
                "m001",
                "m002",
                "p1",
                "2020-02-29",
                "2031-01-01",
                "micro",
                "iob",
                "science",
                "partner",
                "",
            ]
        ) | st.text(max_size=20)
    if isinstance(value, list):  # items dropped, repeated or reordered
        return st.lists(st.sampled_from(value), max_size=len(value) + 2) if value else st.just([])
    if isinstance(value, dict):
        return (
            st.sets(st.sampled_from(sorted(value, key=str))).map(
                lambda drop: {k: v for k, v in value.items() if k not in drop}
            )
            if value
            else st.just({})
        )
    return st.none()


@st.composite
def mutated(draw) -> Any:
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(NUMBER_PATHS) | st.sampled_from(PATHS))
        parent: Any = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            key = path[-1]
            parent[key]  # noqa: B018 — the path may be gone after an earlier mutation
        except (KeyError, IndexError, TypeError):
            continue
        action = draw(
            st.sampled_from(["alike", "alike", "alike", "replace", "drop", "extra", "nest"])
        )
        if action == "alike":  # a value of the same kind: such files often still load
            parent[key] = draw(_alike(parent[key]))
        elif action == "replace":
            parent[key] = draw(VALUES)
        elif action == "drop":
            del parent[key]
        elif action == "extra" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(VALUES)
        elif action == "nest":
            parent[key] = [parent[key]] if draw(st.booleans()) else {"x": parent[key]}
    return data


def _huge_expert_score() -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data["experts"][0]["scores"]["9"] = 10**400  # overflowed a float when printed (issue 7)
    return data


DOCUMENTS = st.one_of(
    st.tuples(VALUES, st.sampled_from(["yaml", "json"])),  # random documents
    st.tuples(
        st.text(max_size=300)
        | st.text(st.sampled_from("[]{}:,-&*!|>'\"\n #?<=~0a."), max_size=300),
        st.sampled_from(["yaml-text", "json-text"]),
    ),  # random text
    st.tuples(mutated(), st.sampled_from(["dict", "yaml", "json"])),  # a valid dataset mutated
)


@settings(FUZZ, max_examples=600)
@given(document=DOCUMENTS)
@example(document=(_huge_expert_score(), "dict"))
@example(document=(_huge_expert_score(), "yaml"))
def test_issue7_fuzz_dataset_loader(document):
    data, fmt = document
    if fmt == "dict":
        try:
            dataset = load_data(data)
        except DatasetError:
            return
        _evaluate(dataset)
    elif fmt.endswith("-text"):
        _load(data, fmt.removesuffix("-text"))
    elif fmt == "yaml":
        _load(_as_yaml(data), "yaml")
    else:
        _load(json.dumps(_as_json(data), allow_nan=True), "json")
