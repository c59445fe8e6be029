"""Write a cluster dataset (shared/spec/DATASET.md) as YAML or JSON.

    dump_data(ds) -> dict          # the JSON form: dates and Decimals as strings
    dump_text(ds, "yaml") -> str
    dump_path(ds, "klaster.json")  # format by the file's ending

Keys come in the order of schema.json (which follows DATASET.md). A key is left out
when its value is what the loader fills in when the key is absent — None, an empty
list, ``false`` for a flag that defaults to false, an all-false ``platforms`` — so
``load_data(dump_data(ds)) == ds`` for every dataset the loader accepts. Values with a
meaning of their own (``category: partner``, ``mode: grant``) are always written.

Decimals are written as strings of their exact digits (``"1200000.10"``), never as
floats. In YAML, dates are plain ``2021-06-30`` scalars; in JSON, ISO strings.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import typing
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from klaster.rules.dataset.load import format_of
from klaster.rules.dataset.model import Dataset
from klaster.rules.dataset.schema import COMPILED, unoptional
from klaster.rules.dataset.yamlio import emit_yaml

_OMIT_NONE, _OMIT_EMPTY, _OMIT_FALSE, _OMIT_EQUAL, _KEEP = range(5)

Convert = Callable[[Any], Any]
Plan = tuple[tuple[str, str, int, object, Convert | None], ...]


def _decimal_text(value: Decimal) -> str:
    # "f" never gives an exponent ("1E+3" would fail the schema's pattern); -0 is 0
    return format(abs(value) if value.is_zero() else value, "f")


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _pairs(value: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    return dict(value)


class _Writer:
    """Turns model objects into plain dicts, one precomputed plan per dataclass.

    The plan knows each field's type from the model, so writing ten thousand members
    is a loop over fields with no type tests on the values.
    """

    def __init__(self, date: Convert | None) -> None:
        self.date = date
        self.plans: dict[type, Plan] = {cls: self.plan(cls) for cls in COMPILED.class_keys}

    def convert(self, tp: Any) -> Convert | None:
        base, _ = unoptional(tp)
        if typing.get_origin(base) is tuple:
            item = typing.get_args(base)[0]
            if typing.get_origin(item) is tuple:
                return _pairs  # Expert.scores: ((indicator, points), …) → {indicator: points}
            inner = self.convert(item)
            if inner is None:
                return list
            return lambda value: [inner(v) for v in value]
        if base is Decimal:
            return _decimal_text
        if base is dt.date:
            return self.date
        if dataclasses.is_dataclass(base) and isinstance(base, type):
            return self.write
        return None  # str, int, bool, Literal: written as they are

    def plan(self, cls: type) -> Plan:
        hints = typing.get_type_hints(cls)
        defaults: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                defaults[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                defaults[f.name] = f.default_factory()
        rows: list[tuple[str, str, int, object, Convert | None]] = []
        for key, attr in COMPILED.class_keys[cls]:
            default = defaults.get(attr)
            if attr not in defaults:
                rule = _KEEP  # required
            elif default is None:
                rule = _OMIT_NONE
            elif default == ():
                rule = _OMIT_EMPTY
            elif default is False:
                rule = _OMIT_FALSE
            elif dataclasses.is_dataclass(default):
                rule = _OMIT_EQUAL
            else:
                rule = _KEEP  # e.g. category "partner": written out, it means something
            rows.append((key, attr, rule, default, self.convert(hints[attr])))
        return tuple(rows)

    def write(self, obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, attr, rule, default, convert in self.plans[type(obj)]:
            value = getattr(obj, attr)
            if value is None:
                if rule == _OMIT_NONE:
                    continue
            elif rule == _OMIT_EMPTY:
                if not value:
                    continue
            elif rule == _OMIT_FALSE:
                if value is False:
                    continue
            elif rule == _OMIT_EQUAL and value == default:
                continue
            out[key] = value if convert is None or value is None else convert(value)
        return out


_JSON = _Writer(_iso)
_YAML = _Writer(None)  # dates stay dates: the YAML dumper writes them as plain 2021-06-30


def dump_data(ds: Dataset) -> dict[str, Any]:
    """The dataset in its JSON form: dicts and lists, str/int/bool, dates and Decimals as str."""
    return _JSON.write(ds)


def dump_text(ds: Dataset, fmt: str) -> str:
    """YAML (``fmt="yaml"``) or JSON (``fmt="json"``) text of the dataset."""
    if fmt in ("yaml", "yml"):
        return emit_yaml(_YAML.write(ds))
    if fmt == "json":
        return json.dumps(dump_data(ds), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown dataset format {fmt!r} (yaml or json)")


def dump_path(ds: Dataset, path: str | Path) -> None:
    """Write the dataset to ``path`` (.yaml/.yml or .json), replacing the file whole."""
    target = Path(path)
    text = dump_text(ds, format_of(target))
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)  # gone after os.replace; left only by a failed write
