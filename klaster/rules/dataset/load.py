"""Read a cluster dataset (shared/spec/DATASET.md) from YAML or JSON into the model.

    load_path("klaster.yaml") -> Dataset        # .yaml/.yml or .json, by the file's ending
    load_text(text, "json") -> Dataset
    load_data(obj) -> Dataset                   # an already parsed dict

Everything wrong with a file is raised at once as :class:`DatasetError`, one message
per problem, each starting with the path of the field (``members[12].joined:
niepoprawna data: '2015-13-01'``), up to ``MAX_ISSUES`` of them.

Beyond schema.json the loader checks: real calendar dates, NIP/REGON/KRS check digits
(stored in their compact form), unique member ids, project ids and KIS numbers, every
member reference resolving to ``members[].id`` (and listed once), end dates not before
start dates, ``science_category`` on science units only, one entry per fiscal year.

Money never passes through a float: JSON numbers with a fraction are read as Decimal
(``parse_float=Decimal``), and YAML floats are read from their scalar text
(yamlio.py, :class:`DatasetYamlLoader`).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml

from klaster.rules import identifiers
from klaster.rules.dataset.errors import DatasetError, Issue
from klaster.rules.dataset.model import (
    Coordinator,
    Dataset,
    DualEducation,
    EntitiesPractice,
    Event,
    FundingApplication,
    Innovation,
    IpRight,
    JointProduct,
    Kis,
    Member,
    Mission,
    Project,
    Service,
    SharedResource,
    Staff,
    StartupCooperation,
    Strategy,
)
from klaster.rules.dataset.schema import COMPILED, Ctx, Hook, TooManyErrors, join
from klaster.rules.dataset.yamlio import DatasetYamlLoader, DuplicateKeyError, parse_yaml

Format = Literal["yaml", "json"]

MAX_ISSUES = 100

__all__ = [
    "MAX_ISSUES",
    "DatasetError",
    "DatasetYamlLoader",
    "Format",
    "format_of",
    "load_data",
    "load_path",
    "load_text",
    "parse_text",
    "schema",
]


def schema() -> Mapping[str, Any]:
    """The JSON Schema of the format (schema.json), as loaded. Do not modify it."""
    return COMPILED.schema


# -- text ------------------------------------------------------------------------------


def _json_constant(name: str) -> str:
    return name  # NaN / Infinity stay text, so the schema refuses them with their path


def format_of(path: str | Path) -> Format:
    """``yaml`` for .yaml/.yml, ``json`` for .json; DatasetError otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    raise DatasetError([Issue(str(path), "file_type", {"value": suffix or Path(path).name})])


def _where(exc: yaml.YAMLError) -> dict[str, object]:
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return {"line": "?", "column": "?"}
    return {"line": mark.line + 1, "column": mark.column + 1}


def parse_text(text: str, fmt: str) -> Any:
    """Parse YAML or JSON text into plain Python values (Decimal for fractions)."""
    if fmt in ("yaml", "yml"):
        try:
            return parse_yaml(text)
        except DuplicateKeyError as exc:
            raise DatasetError(
                [Issue("", "yaml_duplicate_key", {**_where(exc), "value": exc.key})]
            ) from exc
        except yaml.YAMLError as exc:
            reason = getattr(exc, "problem", None) or str(exc)
            raise DatasetError(
                [Issue("", "syntax", {**_where(exc), "fmt": "YAML", "reason": reason})]
            ) from exc
        except (RecursionError, ValueError) as exc:  # absurd nesting, a 5000-digit number
            raise DatasetError(
                [
                    Issue(
                        "",
                        "syntax",
                        {"line": "?", "column": "?", "fmt": "YAML", "reason": str(exc)},
                    )
                ]
            ) from exc
    if fmt == "json":
        try:
            return json.loads(text, parse_float=Decimal, parse_constant=_json_constant)
        except json.JSONDecodeError as exc:
            where = {"line": exc.lineno, "column": exc.colno}
            raise DatasetError(
                [Issue("", "syntax", {**where, "fmt": "JSON", "reason": exc.msg})]
            ) from exc
        except (RecursionError, ValueError) as exc:  # absurd nesting, a 5000-digit number
            raise DatasetError(
                [
                    Issue(
                        "",
                        "syntax",
                        {"line": "?", "column": "?", "fmt": "JSON", "reason": str(exc)},
                    )
                ]
            ) from exc
    raise DatasetError([Issue("", "file_type", {"value": fmt})])


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large file is parsed and built (and, in
    ``klaster kkk evaluate``, scored).

    Reading creates hundreds of thousands of objects and no reference cycles, so the
    collector's repeated passes over them are pure cost (about 15% of a load). The switch
    is process-wide: another thread loading at the same time only sees it stay off a
    little longer.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_text(text: str, fmt: str) -> Dataset:
    """Read a dataset from YAML (``fmt="yaml"``) or JSON (``fmt="json"``) text."""
    with gc_paused():
        return load_data(parse_text(text, fmt))


def load_path(path: str | Path) -> Dataset:
    """Read a dataset file; the format follows the file's ending (.yaml, .yml, .json)."""
    fmt = format_of(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DatasetError(
            [Issue(str(path), "file_read", {"reason": exc.strerror or str(exc)})]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError([Issue(str(path), "encoding", {})]) from exc
    return load_text(text, fmt)


# -- checks beyond the schema (run as each record is built) ----------------------------


def _check_refs(obj: Any, path: str, ctx: Ctx, fields: tuple[str, ...]) -> None:
    ids = ctx.member_ids
    if ids is None:
        return  # no list of members to check against: that error is reported already
    for attr in fields:
        value = getattr(obj, attr)
        if value is None:
            continue
        if isinstance(value, str):
            if value not in ids:
                ctx.add(path, attr, "unknown_member", value=value)
            continue
        if len(set(value)) == len(value) and all(v in ids for v in value):
            continue
        here = join(path, attr)
        seen: set[str] = set()
        for i, ref in enumerate(value):
            if ref not in ids:
                ctx.add(here, i, "unknown_member", value=ref)
            elif ref in seen:
                ctx.add(here, i, "duplicate_member", value=ref)
            seen.add(ref)


def _check_order(obj: Any, path: str, ctx: Ctx, first: str, then: str) -> None:
    start, end = getattr(obj, first), getattr(obj, then)
    if start is not None and end is not None and end < start:
        key = first.rstrip("_")  # from_ is "from" in the file
        ctx.add(path, then.rstrip("_"), "date_order", value=end, other_key=key, other=start)


_IDENTIFIERS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("nip", identifiers.validate_nip),
    ("regon", identifiers.validate_regon),
    ("krs", identifiers.validate_krs),
)


def _member(m: Member, path: str, ctx: Ctx) -> Member:
    first = ctx.first_seen("members", m.id, path)
    if first is not None:
        ctx.add(path, "id", "duplicate_id", value=m.id, first=first)
    changed: dict[str, str] = {}
    for attr, validate in _IDENTIFIERS:
        value = getattr(m, attr)
        if value is None:
            continue
        try:
            compact = validate(value)
        except identifiers.IdentifierError as exc:
            ctx.add(path, attr, "identifier", reason=exc.code, value=value)
        else:
            if compact != value:
                changed[attr] = compact
    if m.science_category is not None and m.type != "science":
        ctx.add(path, "science_category", "science_only", value=m.type)
    # independent is only meaningful for enterprises (MEM-11) but is not refused on others:
    # DATASET.md's own example sets it on its IOB coordinator; the rules ignore it there.
    _check_order(m, path, ctx, "joined", "left")
    if len(m.years) > 1:
        years: set[int] = set()
        for i, fy in enumerate(m.years):
            if fy.year in years:
                ctx.add(join(path, "years"), i, "duplicate_year", value=fy.year)
            years.add(fy.year)
    if changed:
        return replace(
            m,
            nip=changed.get("nip", m.nip),
            regon=changed.get("regon", m.regon),
            krs=changed.get("krs", m.krs),
        )
    return m


def _project(p: Project, path: str, ctx: Ctx) -> Project:
    first = ctx.first_seen("projects", p.id, path)
    if first is not None:
        ctx.add(path, "id", "duplicate_id", value=p.id, first=first)
    _check_refs(p, path, ctx, ("participants",))
    _check_order(p, path, ctx, "start", "end")
    return p


def _kis(k: Kis, path: str, ctx: Ctx) -> Kis:
    if ctx.first_seen("kis", k.number, path) is not None:
        ctx.add(path, "number", "duplicate_number", value=k.number)
    return k


def _refs(*fields: str) -> Hook:
    def hook(obj: Any, path: str, ctx: Ctx) -> Any:
        _check_refs(obj, path, ctx, fields)
        return obj

    return hook


def _order(first: str, then: str) -> Hook:
    def hook(obj: Any, path: str, ctx: Ctx) -> Any:
        _check_order(obj, path, ctx, first, then)
        return obj

    return hook


def _startup(s: StartupCooperation, path: str, ctx: Ctx) -> StartupCooperation:
    _check_refs(s, path, ctx, ("member",))
    _check_order(s, path, ctx, "from_", "to")
    return s


HOOKS: Mapping[type, Hook] = {
    Member: _member,
    Project: _project,
    Kis: _kis,
    Coordinator: _refs("member"),
    SharedResource: _refs("provider"),
    FundingApplication: _refs("applicants"),
    IpRight: _refs("holder"),
    Innovation: _refs("by"),
    Event: _refs("participants"),
    Mission: _refs("participants"),
    Service: _refs("beneficiaries"),
    DualEducation: _refs("entities"),
    StartupCooperation: _startup,
    EntitiesPractice: _refs("entities"),
    JointProduct: _refs("offered_by"),
    Strategy: _order("valid_from", "valid_to"),
    Staff: _order("employed_from", "employed_to"),
}


def _member_ids(obj: Any) -> frozenset[str] | None:
    members = obj.get("members") if isinstance(obj, dict) else None
    if not isinstance(members, list | tuple):
        return None
    return frozenset(
        m["id"] for m in members if isinstance(m, dict) and isinstance(m.get("id"), str)
    )


def load_data(obj: Any, *, max_issues: int = MAX_ISSUES) -> Dataset:
    """Validate an already parsed dataset (dicts, lists, str, int, Decimal, bool, None;
    ``datetime.date`` and float are accepted too) and build the model from it."""
    ctx = Ctx(hooks=HOOKS, member_ids=_member_ids(obj), limit=max_issues)
    try:
        with gc_paused():
            result = COMPILED.read(obj, "", "", ctx)
    except TooManyErrors:
        ctx.issues.append(Issue("", "too_many", {"limit": max_issues}))
        raise DatasetError(ctx.issues) from None
    if ctx.issues:
        raise DatasetError(ctx.issues)
    if not isinstance(result, Dataset):  # pragma: no cover - INVALID always comes with an issue
        raise DatasetError(
            [Issue("", "type", {"expected": ("object",), "actual": "other", "value": obj})]
        )
    return result
