"""The fast readers (schema.py, ``CompiledSchema.read_clean``) build exactly what the
reference readers build, and stop at whatever the reference readers would report.

``load_data`` reads a file with the fast readers and, at the first problem, reads it again
with the reference readers for the messages; so the contract checked here is:

* a value the reference readers accept is read into an equal dataset (same values, same
  types: ``Decimal('1.50')`` stays ``'1.50'``), whatever form its values take (texts, JSON
  numbers, Decimals, dates);
* a value the reference readers refuse makes the fast readers raise ``NotClean``, never
  return something;
* the caller's data is never changed.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaster.rules.dataset.dump import dump_data
from klaster.rules.dataset.load import HOOKS, _member_ids, load_data, parse_text
from klaster.rules.dataset.schema import COMPILED, Ctx, NotClean
from tests.rules.dataset.dataset_strategies import datasets

EXAMPLE = Path(__file__).parent / "data" / "dataset_md_example.yaml"
SETTINGS = settings(
    max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _reference(data: Any) -> tuple[Any, list[str]]:
    ctx = Ctx(hooks=HOOKS, member_ids=_member_ids(data))
    return COMPILED.read(data, "", "", ctx), [issue.message() for issue in ctx.issues]


def _fast(data: Any) -> Any:
    return COMPILED.read_clean(data, hooks=HOOKS, member_ids=_member_ids(data))


def _same(a: Any, b: Any) -> None:
    # equal and alike: repr shows the Decimals' exponents and every type
    assert a == b
    assert repr(a) == repr(b)


@SETTINGS
@given(datasets())
def test_fast_read_builds_what_the_reference_builds(ds: Any) -> None:
    for fmt in ("json", "yaml"):
        data = parse_text(
            json.dumps(dump_data(ds), default=str) if fmt == "json" else _yaml(ds), fmt
        )
        before = copy.deepcopy(data)
        reference, issues = _reference(data)
        assert issues == []
        _same(_fast(data), reference)
        _same(reference, ds)
        assert data == before  # the caller's data is left as it was


def _yaml(ds: Any) -> str:
    from klaster.rules.dataset.dump import dump_text

    return dump_text(ds, "yaml")


def _with_other_types(value: Any, draw: Any) -> Any:
    """The same data with numbers as JSON numbers or Decimals and dates as date objects,
    where the loader accepts them."""
    if isinstance(value, dict):
        return {k: _with_other_types(v, draw) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_other_types(v, draw) for v in value]
    if isinstance(value, str):
        choice = draw(st.integers(0, 2))
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is not None and len(value) == 10 and choice:
            return day
        if value.replace(".", "", 1).isdigit() and value.isascii() and choice == 1:
            return Decimal(value)
        if value.isdigit() and value.isascii() and choice == 2 and not value.startswith("0"):
            return int(value)
    return value


@SETTINGS
@given(datasets(), st.data())
def test_fast_read_of_numbers_and_dates_in_other_forms(ds: Any, data_: st.DataObject) -> None:
    data = _with_other_types(dump_data(ds), data_.draw)
    reference, issues = _reference(data)
    if issues:  # an identifier given as a number, say: refused by both
        with pytest.raises(NotClean):
            _fast(data)
    else:
        _same(_fast(data), reference)


_BAD_VALUES = [
    None,
    7,
    -1,
    1.5,
    "x",
    "",
    "2015-13-01",
    "2021-02-29",
    True,
    [],
    {},
    "99999999999999999",
    "1e5",
    " 12",
    "12.",
    "m999",
    Decimal("NaN"),
    "5260250275",
    "a" * 400,
    dt.date(2020, 1, 1),
]


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _places(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _places(v, (*path, i))
    return found


def _mutated(data: Any, path: tuple[Any, ...], how: int, bad: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    key = path[-1]
    if how == 0 or isinstance(node, list):
        node[key] = bad
    elif how == 1:
        node[f"{key}x"] = node.pop(key)
    else:
        del node[key]
    return data


@SETTINGS
@given(datasets(), st.data())
def test_fast_read_stops_where_the_reference_reports(ds: Any, data_: st.DataObject) -> None:
    data = dump_data(ds)
    places = _places(data)
    path = data_.draw(st.sampled_from(places))
    bad = _mutated(
        data, path, data_.draw(st.integers(0, 2)), data_.draw(st.sampled_from(_BAD_VALUES))
    )
    reference, issues = _reference(bad)
    if issues:
        with pytest.raises(NotClean):
            _fast(bad)
    else:
        _same(_fast(bad), reference)


def test_load_data_reports_every_problem_as_before() -> None:
    """The fast read gives up at the first problem; load_data still reports all of them."""
    from klaster.rules.dataset.errors import DatasetError
    from klaster.rules.dataset.yamlio import parse_yaml

    data = parse_yaml(EXAMPLE.read_text(encoding="utf-8"))
    data["members"][0]["joined"] = "2015-13-01"
    data["members"][1]["nipp"] = "1"
    data["projects"][0]["participants"] = ["nobody"]
    with pytest.raises(DatasetError) as refused:
        load_data(data)
    assert refused.value.messages == _reference(data)[1]
    assert len(refused.value.messages) == 3


def test_the_generated_readers_are_there_to_read() -> None:
    source = COMPILED.fast_source(HOOKS)
    assert "def read_root(value, ctx):" in source
    compile(source, "<fast readers>", "exec")
