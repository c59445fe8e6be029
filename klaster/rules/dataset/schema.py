"""schema.json compiled into readers that validate and build the model in one pass.

schema.json is the single source of truth of the file format: outside tools validate
against it with any JSON Schema validator. Our loader does not run a general-purpose
validator over the whole file — jsonschema's Python validator takes seconds on a
10,000-member cluster (see benchmarks/bench_dataset_load.py) — but compiles the schema,
once, into one small closure per schema node. Each closure checks its value against
that node's keywords and converts it to the model type in the same step, so a large
file is walked once and every problem is collected with its path.

Only the keywords listed in ``_ASSERTIONS`` are compiled; a schema that uses any other
keyword (``anyOf``, ``if`` …) is refused when this module is imported, so the schema and
the loader cannot drift apart silently. The compiler also checks the schema against the
dataclasses of model.py: every object's properties are exactly its class's fields
(``from`` ↔ ``from_``), and every field without a default is ``required``.

For a file without a problem, :meth:`CompiledSchema.read_clean` builds the same dataset
faster: Python source generated from the same compiled nodes (one function per list and per
object class in a list, the checks inline, no paths) that stops at the first problem, after
which ``load_data`` reads the file again with the readers above for the messages.

Three deliberate extensions over plain JSON Schema, for Python callers and YAML:
a ``"format": "date"`` string also accepts a ``datetime.date``; ``minimum``/``maximum``
also apply to a numeric string once it is read as a Decimal; and an integer key of a
map (YAML reads ``9:`` as 9) is taken as its decimal text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import marshal
import os
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from klaster.rules.dataset.errors import Issue, json_type
from klaster.rules.dataset.model import Dataset

SCHEMA_PATH = Path(__file__).with_name("schema.json")

_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "examples"}
)
_ASSERTIONS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "maxItems",
        "minItems", "enum", "const", "pattern", "minimum", "maximum", "minLength",
        "maxLength", "propertyNames", "format",
    }
)  # fmt: skip


class SchemaModelError(Exception):
    """schema.json and model.py disagree, or the schema uses an unsupported keyword."""


class TooManyErrors(Exception):
    """Raised by :class:`Ctx` when it has collected its limit of issues."""


class _Invalid:
    __slots__ = ()

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
"""What a reader returns for a value it could not build (its issue is already recorded)."""

Key = str | int
Reader = Callable[[Any, str, Key, "Ctx"], Any]
Hook = Callable[[Any, str, "Ctx"], Any]


def join(parent: str, key: Key) -> str:
    """``members`` + 3 → ``members[3]``; ``members[3]`` + ``nip`` → ``members[3].nip``."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


class Ctx:
    """State of one read: collected issues, per-class hooks, and what hooks remember."""

    __slots__ = ("hooks", "issues", "limit", "member_ids", "seen")

    def __init__(
        self,
        *,
        hooks: Mapping[type, Hook] | None = None,
        member_ids: frozenset[str] | None = None,
        limit: int = 100,
    ) -> None:
        self.issues: list[Issue] = []
        self.hooks: Mapping[type, Hook] = hooks or {}
        self.member_ids = member_ids
        self.limit = limit
        self.seen: dict[str, dict[object, str]] = {}

    def add(self, parent: str, key: Key | None, code: str, **params: object) -> None:
        path = parent if key is None else join(parent, key)
        self.issues.append(Issue(path, code, params))
        if len(self.issues) >= self.limit:
            raise TooManyErrors

    def first_seen(self, namespace: str, value: object, path: str) -> str | None:
        """The path where ``value`` was first seen in ``namespace``, or None (and remember it)."""
        seen = self.seen.setdefault(namespace, {})
        first = seen.get(value)
        if first is None:
            seen[value] = path
        return first


def load_schema() -> dict[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
    return loaded


# -- compiling -------------------------------------------------------------------------


def _end_anchor(pattern: str) -> re.Pattern[str]:
    # ECMA-262 "$" (as JSON Schema means it) matches only at the very end; Python's
    # also matches before a final newline, so "12\n" would pass a money pattern.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def unoptional(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise SchemaModelError(f"unsupported union type {tp!r}")
        return args[0], True
    return tp, False


def _types_of(node: Mapping[str, Any]) -> tuple[str, ...]:
    t = node.get("type", ())
    return (t,) if isinstance(t, str) else tuple(t)


def _field_key(attr: str) -> str:
    return attr[:-1] if attr.endswith("_") else attr  # StartupCooperation.from_ is "from"


class _Spec:
    """What one compiled reader checks, kept for the generated fast readers (_FastBuilder).

    A plain class rather than a dataclass: it is made at import, and a dataclass with this
    many fields costs a millisecond to create."""

    kind: str  # object | array | map | boolean | integer | decimal | date | string | const
    nullable: bool
    # object
    cls: type | None
    fields: tuple[tuple[str, str, Reader], ...]  # (key, attr, reader), in the schema's order
    attrs: tuple[str, ...]  # the dataclass's fields, in their order
    required: frozenset[str]
    defaults: Mapping[str, Any]
    direct: bool
    # array (and map: the values' reader)
    item: Reader | None
    min_items: int
    max_items: int | None
    # scalars
    lo: Decimal | None
    hi: Decimal | None
    pattern: re.Pattern[str] | None
    allowed: frozenset[str] | None
    min_len: int
    max_len: int | None
    const: str | None

    def __init__(self, kind: str, nullable: bool = False, **given: Any) -> None:
        self.kind, self.nullable = kind, nullable
        self.cls = self.item = self.max_items = self.lo = self.hi = None
        self.pattern = self.allowed = self.max_len = self.const = None
        self.fields, self.attrs, self.required, self.defaults = (), (), frozenset(), {}
        self.direct, self.min_items, self.min_len = True, 0, 0
        for name, value in given.items():
            if not hasattr(self, name):
                raise TypeError(f"_Spec has no {name!r}")
            setattr(self, name, value)


class _Compiler:
    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.defs: Mapping[str, Any] = schema.get("$defs", {})
        self.class_keys: dict[type, tuple[tuple[str, str], ...]] = {}
        self.specs: dict[Reader, _Spec] = {}

    def resolve(self, node: Mapping[str, Any], where: str) -> Mapping[str, Any]:
        seen = 0
        while "$ref" in node:
            extra = set(node) - {"$ref"} - _ANNOTATIONS
            if extra:
                raise SchemaModelError(
                    f"{where}: keywords beside $ref are not supported: {sorted(extra)}"
                )
            ref = node["$ref"]
            if not ref.startswith("#/$defs/"):
                raise SchemaModelError(
                    f"{where}: only local '#/$defs/…' references are supported: {ref}"
                )
            node = self.defs[ref.removeprefix("#/$defs/")]
            seen += 1
            if seen > 20:
                raise SchemaModelError(f"{where}: reference loop at {ref}")
        unknown = set(node) - _ASSERTIONS - _ANNOTATIONS
        if unknown:
            raise SchemaModelError(f"{where}: unsupported keywords {sorted(unknown)}")
        return node

    def compile(self, node: Mapping[str, Any], tp: Any, where: str) -> Reader:
        node = self.resolve(node, where)
        base, optional = unoptional(tp)
        kinds = _types_of(node)
        nullable = "null" in kinds
        origin = typing.get_origin(base)
        if origin is tuple:
            args = typing.get_args(base)
            if len(args) != 2 or args[1] is not Ellipsis:
                raise SchemaModelError(f"{where}: only tuple[X, ...] fields are supported")
            if typing.get_origin(args[0]) is tuple:
                return self._map(node, args[0], where)
            return self._array(node, args[0], where)
        if nullable and not optional:
            raise SchemaModelError(
                f"{where}: the schema allows null but the model field is not optional"
            )
        if dataclasses.is_dataclass(base) and isinstance(base, type):
            return self._object(node, base, where)
        if base is bool:
            return self._boolean(node, where)
        if base is int:
            return self._integer(node, where)
        if base is Decimal:
            return self._decimal(node, where)
        if base is dt.date:
            return self._date(node, where)
        if typing.get_origin(base) is typing.Literal:
            allowed = [v for v in node.get("enum", ()) if v is not None]
            if sorted(allowed) != sorted(typing.get_args(base)):
                raise SchemaModelError(f"{where}: enum {allowed} differs from the model's {base!r}")
            return self._string(node, where)
        if base is str:
            return self._string(node, where)
        raise SchemaModelError(f"{where}: unsupported model type {tp!r}")

    # objects and collections

    def _object(self, node: Mapping[str, Any], cls: type, where: str) -> Reader:
        kinds = _types_of(node)
        if set(kinds) - {"object", "null"} or "object" not in kinds:
            raise SchemaModelError(f'{where}: {cls.__name__} needs "type": "object"')
        if node.get("additionalProperties") is not False:
            raise SchemaModelError(f'{where}: {cls.__name__} needs "additionalProperties": false')
        hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        props: Mapping[str, Any] = node.get("properties", {})
        by_key = {_field_key(name): name for name in fields}
        if set(props) != set(by_key):
            raise SchemaModelError(
                f"{where}: properties of {cls.__name__} differ from its fields: "
                f"schema only {sorted(set(props) - set(by_key))}, model only {sorted(set(by_key) - set(props))}"
            )
        required = tuple(node.get("required", ()))
        no_default = {
            _field_key(f.name)
            for f in fields.values()
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        }
        if not no_default <= set(required):
            raise SchemaModelError(
                f"{where}: {cls.__name__} fields without a default must be required: {sorted(no_default - set(required))}"
            )
        readers: dict[str, tuple[str, Reader]] = {}
        for key, sub in props.items():
            attr = by_key[key]
            readers[key] = (attr, self.compile(sub, hints[attr], f"{where}.{key}"))
        self.class_keys[cls] = tuple((key, by_key[key]) for key in props)
        expected = kinds
        nullable = "null" in kinds
        defaults: dict[str, Any] = {}
        for f in fields.values():
            if f.default is not dataclasses.MISSING:
                defaults[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                defaults[f.name] = f.default_factory()  # shared, but the instances are frozen
        # A frozen dataclass's __init__ calls object.__setattr__ once per field; filling
        # __dict__ gives the same object in less than half the time (about a tenth of a
        # 10,000-member load). Only for plain dataclasses: no __post_init__, no slots,
        # every field in __init__; anything else goes through the constructor.
        direct = (
            not hasattr(cls, "__post_init__")
            and "__slots__" not in cls.__dict__
            and all(f.init for f in fields.values())
        )
        new = object.__new__
        required_attrs = tuple(by_key[k] for k in required)

        def read_object(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if not isinstance(value, dict):
                if value is None and nullable:
                    return None
                ctx.add(
                    parent, key, "type", expected=expected, actual=json_type(value), value=value
                )
                return INVALID
            here = (
                f"{parent}[{key}]" if isinstance(key, int) else f"{parent}.{key}" if parent else key
            )
            attrs = defaults.copy()
            ok = True
            for k, v in value.items():
                entry = readers.get(k)
                if entry is None:
                    ctx.add(here, str(k), "unknown_key")
                    continue
                result = entry[1](v, here, k, ctx)
                if result is INVALID:
                    ok = False
                else:
                    attrs[entry[0]] = result
            for k in required:
                if k not in value:
                    ctx.add(here, k, "missing_key")
                    ok = False
            hook = ctx.hooks.get(cls)
            if not ok:
                # Still run the record's own checks (a duplicate id, an unknown member) when
                # every required field is usable, with the broken optional ones left at
                # their defaults: all problems of a file are reported in one go.
                if hook is not None and all(attr in attrs for attr in required_attrs):
                    hook(cls(**attrs), here, ctx)
                return INVALID
            if direct:
                obj: Any = new(cls)
                obj.__dict__.update(attrs)
            else:
                obj = cls(**attrs)
            return obj if hook is None else hook(obj, here, ctx)

        self.specs[read_object] = _Spec(
            "object", nullable, cls=cls,
            fields=tuple((key, attr, reader) for key, (attr, reader) in readers.items()),
            attrs=tuple(fields), required=frozenset(required), defaults=defaults, direct=direct,
        )  # fmt: skip
        return read_object

    def _array(self, node: Mapping[str, Any], item_tp: Any, where: str) -> Reader:
        kinds = _types_of(node)
        if set(kinds) - {"array", "null"} or "array" not in kinds or "items" not in node:
            raise SchemaModelError(f'{where}: a tuple field needs "type": "array" with "items"')
        item = self.compile(node["items"], item_tp, f"{where}[]")
        nullable = "null" in kinds
        max_items: int | None = node.get("maxItems")
        min_items: int = node.get("minItems", 0)

        def read_array(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if not isinstance(value, list | tuple):
                if value is None and nullable:
                    return ()
                ctx.add(parent, key, "type", expected=kinds, actual=json_type(value), value=value)
                return INVALID
            if max_items is not None and len(value) > max_items:
                ctx.add(parent, key, "max_items", length=len(value), limit=max_items)
            if len(value) < min_items:
                ctx.add(parent, key, "min_items", length=len(value), limit=min_items)
            here = join(parent, key)
            out = tuple([item(v, here, i, ctx) for i, v in enumerate(value)])
            for v in out:
                if v is INVALID:
                    return INVALID
            return out

        self.specs[read_array] = _Spec(
            "array", nullable, item=item, min_items=min_items, max_items=max_items
        )
        return read_array

    def _map(self, node: Mapping[str, Any], pair_tp: Any, where: str) -> Reader:
        """An object with free keys read into ((key, value), …) pairs, in file order."""
        kinds = _types_of(node)
        key_tp, value_tp = typing.get_args(pair_tp)
        sub = node.get("additionalProperties")
        if (
            key_tp is not str
            or not isinstance(sub, dict)
            or "properties" in node
            or "object" not in kinds
        ):
            raise SchemaModelError(
                f"{where}: a pairs field needs an object with an additionalProperties schema"
            )
        value_reader = self.compile(sub, value_tp, f"{where}.*")
        names = node.get("propertyNames", {})
        if set(names) - {"pattern"} - _ANNOTATIONS:
            raise SchemaModelError(f"{where}: propertyNames supports only pattern")
        key_re = _end_anchor(names["pattern"]) if "pattern" in names else None
        nullable = "null" in kinds

        def read_map(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if not isinstance(value, dict):
                if value is None and nullable:
                    return ()
                ctx.add(parent, key, "type", expected=kinds, actual=json_type(value), value=value)
                return INVALID
            here = join(parent, key)
            pairs: list[tuple[str, Any]] = []
            seen: set[str] = set()
            ok = True
            for k, v in value.items():
                if isinstance(k, int) and not isinstance(k, bool):
                    k = str(k)  # YAML reads an unquoted 9: as the integer 9
                if not isinstance(k, str) or (key_re is not None and not key_re.search(k)):
                    ctx.add(here, str(k), "key_pattern", value=k)
                    ok = False
                    continue
                if k in seen:
                    ctx.add(here, k, "duplicate_key", value=k)
                    ok = False
                    continue
                seen.add(k)
                result = value_reader(v, here, k, ctx)
                if result is INVALID:
                    ok = False
                pairs.append((k, result))
            return tuple(pairs) if ok else INVALID

        self.specs[read_map] = _Spec("map", nullable, item=value_reader)
        return read_map

    # scalars

    def _check_kinds(
        self, node: Mapping[str, Any], allowed: set[str], where: str
    ) -> tuple[str, ...]:
        kinds = _types_of(node)
        if not kinds or set(kinds) - allowed - {"null"}:
            raise SchemaModelError(
                f'{where}: "type" must be one of {sorted(allowed)} (and null), not {list(kinds)}'
            )
        return kinds

    def _boolean(self, node: Mapping[str, Any], where: str) -> Reader:
        kinds = self._check_kinds(node, {"boolean"}, where)
        nullable = "null" in kinds

        def read_boolean(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if value is True or value is False or (value is None and nullable):
                return value
            ctx.add(parent, key, "type", expected=kinds, actual=json_type(value), value=value)
            return INVALID

        self.specs[read_boolean] = _Spec("boolean", nullable)
        return read_boolean

    def _bounds(self, node: Mapping[str, Any]) -> tuple[Decimal | None, Decimal | None]:
        lo, hi = node.get("minimum"), node.get("maximum")
        return (None if lo is None else Decimal(str(lo)), None if hi is None else Decimal(str(hi)))

    def _integer(self, node: Mapping[str, Any], where: str) -> Reader:
        kinds = self._check_kinds(node, {"integer"}, where)
        nullable = "null" in kinds
        lo, hi = self._bounds(node)

        def read_integer(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if isinstance(value, int) and not isinstance(value, bool):
                pass
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            elif value is None and nullable:
                return None
            else:
                ctx.add(parent, key, "type", expected=kinds, actual=json_type(value), value=value)
                return INVALID
            if lo is not None and value < lo:
                ctx.add(parent, key, "minimum", value=value, limit=lo)
                return INVALID
            if hi is not None and value > hi:
                ctx.add(parent, key, "maximum", value=value, limit=hi)
                return INVALID
            return value

        self.specs[read_integer] = _Spec("integer", nullable, lo=lo, hi=hi)
        return read_integer

    def _decimal(self, node: Mapping[str, Any], where: str) -> Reader:
        kinds = self._check_kinds(node, {"number", "string"}, where)
        if "number" not in kinds:
            raise SchemaModelError(f'{where}: a Decimal field needs "number" among its types')
        strings = "string" in kinds
        if strings and "pattern" not in node:
            raise SchemaModelError(f"{where}: a numeric string needs a pattern")
        pattern = _end_anchor(node["pattern"]) if strings else None
        nullable = "null" in kinds
        lo, hi = self._bounds(node)

        def read_decimal(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            result: Decimal
            if isinstance(value, Decimal):
                if not value.is_finite():
                    ctx.add(parent, key, "number", value=value)
                    return INVALID
                result = value
            elif isinstance(value, str) and pattern is not None:
                if not pattern.search(value):
                    ctx.add(parent, key, "number", value=value)
                    return INVALID
                try:
                    result = Decimal(value)
                except InvalidOperation:
                    ctx.add(parent, key, "number", value=value)
                    return INVALID
            elif isinstance(value, int) and not isinstance(value, bool):
                result = Decimal(value)
            elif isinstance(value, float):
                # only from a caller's own Python objects: our JSON and YAML readers never make
                # floats; repr() is the shortest text that reads back as the same float
                if value != value or value in (float("inf"), float("-inf")):
                    ctx.add(parent, key, "number", value=value)
                    return INVALID
                result = Decimal(repr(value))
            elif value is None and nullable:
                return None
            else:
                ctx.add(parent, key, "type", expected=kinds, actual=json_type(value), value=value)
                return INVALID
            if lo is not None and result < lo:
                ctx.add(parent, key, "minimum", value=result, limit=lo)
                return INVALID
            if hi is not None and result > hi:
                ctx.add(parent, key, "maximum", value=result, limit=hi)
                return INVALID
            return result

        self.specs[read_decimal] = _Spec("decimal", nullable, lo=lo, hi=hi, pattern=pattern)
        return read_decimal

    def _date(self, node: Mapping[str, Any], where: str) -> Reader:
        kinds = self._check_kinds(node, {"string"}, where)
        if node.get("format") != "date" or "pattern" not in node:
            raise SchemaModelError(f'{where}: a date field needs "format": "date" and a pattern')
        pattern = _end_anchor(node["pattern"])
        nullable = "null" in kinds
        cache: dict[str, dt.date] = {}

        def read_date(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if isinstance(value, str):
                day = cache.get(value)
                if day is not None:
                    return day
                if pattern.search(value):
                    try:
                        day = dt.date.fromisoformat(value)
                    except ValueError:
                        pass
                    else:
                        if len(cache) < 100_000:
                            cache[value] = day
                        return day
                ctx.add(parent, key, "date", value=value)
                return INVALID
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value  # a YAML library other than ours already made a date
            if value is None and nullable:
                return None
            if isinstance(value, dt.datetime):
                ctx.add(parent, key, "date", value=value.isoformat())
            else:
                ctx.add(parent, key, "type", expected=kinds, actual=json_type(value), value=value)
            return INVALID

        self.specs[read_date] = _Spec("date", nullable, pattern=pattern)
        return read_date

    def _string(self, node: Mapping[str, Any], where: str) -> Reader:
        kinds = _types_of(node)
        if "const" in node:
            const = node["const"]
            if not isinstance(const, str) or set(kinds) - {"string"}:
                raise SchemaModelError(f"{where}: only a string const is supported")

            def read_const(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
                if isinstance(value, str) and value == const:
                    return value
                ctx.add(parent, key, "const", value=value, allowed=(const,))
                return INVALID

            self.specs[read_const] = _Spec("const", const=const)
            return read_const
        kinds = self._check_kinds(node, {"string"}, where)
        nullable = "null" in kinds
        enum: tuple[Any, ...] | None = tuple(node["enum"]) if "enum" in node else None
        allowed = frozenset(v for v in enum if v is not None) if enum is not None else None
        shown = tuple(v for v in enum if v is not None) if enum is not None else ()
        min_len: int = node.get("minLength", 0)
        max_len: int | None = node.get("maxLength")
        pattern = _end_anchor(node["pattern"]) if "pattern" in node else None
        plain = allowed is None and not min_len and max_len is None and pattern is None

        def read_string(value: Any, parent: str, key: Key, ctx: Ctx) -> Any:
            if not isinstance(value, str):
                if value is None and nullable:
                    return None
                actual = json_type(value)
                code = (
                    "type_quote" if actual in ("integer", "number", "boolean", "date") else "type"
                )
                ctx.add(parent, key, code, expected=kinds, actual=actual, value=value)
                return INVALID
            if plain:
                return value
            if allowed is not None and value not in allowed:
                ctx.add(parent, key, "enum", value=value, allowed=shown)
                return INVALID
            if len(value) < min_len:
                ctx.add(parent, key, "min_length", value=value, limit=min_len)
                return INVALID
            if max_len is not None and len(value) > max_len:
                ctx.add(parent, key, "max_length", length=len(value), limit=max_len)
                return INVALID
            if pattern is not None and not pattern.search(value):
                ctx.add(parent, key, "pattern", value=value)
                return INVALID
            return value

        self.specs[read_string] = _Spec(
            "string", nullable, allowed=allowed, min_len=min_len, max_len=max_len, pattern=pattern
        )
        return read_string


# -- the fast path: one generated function per list and per object class in a list --------


class NotClean(Exception):
    """Raised by :meth:`CompiledSchema.read_clean` when a value has a problem to report."""


class _CleanCtx(Ctx):
    """A Ctx for a read that must not find anything: the first issue stops it."""

    __slots__ = ()

    def add(self, parent: str, key: Key | None, code: str, **params: object) -> None:
        raise NotClean


_MISSING: Any = object()
_CACHE_LIMIT = 100_000  # distinct texts remembered per date or number field


def _int_if_whole(bound: Decimal) -> int | Decimal:
    """A whole bound as an int: an int compares with it as with the Decimal, only faster."""
    return int(bound) if bound == bound.to_integral_value() else bound


class _Known:
    """Reads a date or a number as its reference reader does, remembering what each text
    reads as (the same text always reads the same: an immutable date or Decimal)."""

    __slots__ = ("cache", "hi", "lo", "pattern", "read")

    def __init__(self, read: Reader, spec: _Spec) -> None:
        self.read = read
        self.cache: dict[str, Any] = {}
        # numeric text is read by the generated code itself (see _FastBuilder._miss)
        self.pattern = spec.pattern.search if spec.kind == "decimal" and spec.pattern else None
        self.lo, self.hi = spec.lo, spec.hi

    def __call__(self, value: Any, ctx: Ctx) -> Any:
        result = self.read(value, "", "", ctx)
        if value.__class__ is str and len(self.cache) < _CACHE_LIMIT:
            self.cache[value] = result
        return result


def _reference(read: Reader) -> Callable[[Any, Ctx], Any]:
    def read_with_reference(value: Any, ctx: Ctx) -> Any:
        return read(value, "", "", ctx)

    return read_with_reference


class _FastBuilder:
    """Python source for a reader that builds what the compiled readers build, faster.

    The readers above are the reference: they walk a value once, collecting every problem
    with its path. On a large file most of their time goes to calling one closure per value
    and formatting paths nobody reads. The generated functions (one per list, and one per
    object class a list holds) make the same checks inline and take no paths. They run with
    a :class:`_CleanCtx`: a value they do not accept as plainly valid goes to the reference
    reader of its field, which either returns what it would have returned anyway (a number
    given as a JSON number, a date given as a date) or records an issue, and that stops the
    whole fast read (:class:`NotClean`); ``load_data`` then reads the data again with the
    reference readers, which report every problem as before. What a file has once
    (``cluster``, ``panel``) is read by the reference readers.
    tests/rules/dataset/test_fast_read.py checks that both read the same.
    """

    def __init__(self, specs: Mapping[Reader, _Spec], hooks: Mapping[type, Hook]) -> None:
        self.specs = specs
        self.hooks = hooks
        self.ns: dict[str, Any] = {
            "NotClean": NotClean, "MISSING": _MISSING, "new": object.__new__, "type_": type,
            "STR": frozenset({str}), "DEC": Decimal, "LIMIT": _CACHE_LIMIT,
        }  # fmt: skip
        self.named: dict[int, str] = {}
        self.names: dict[Reader, str] = {}
        self.known: dict[Reader, _Known] = {}
        self.source: list[str] = []

    def constant(self, value: Any, prefix: str) -> str:
        """A name for ``value`` in the generated code (one per distinct object)."""
        name = self.named.get(id(value))
        if name is None:
            name = self.named[id(value)] = f"{prefix}{len(self.ns)}"
            self.ns[name] = value
        return name

    def function(self, reader: Reader, *, repeated: bool = True) -> str:
        """The name of a function ``f(value, ctx)`` that reads what ``reader`` reads."""
        spec = self.specs[reader]
        if spec.kind not in ("object", "array") or (spec.kind == "object" and not repeated):
            return self.constant(_reference(reader), "F")
        name = self.names.get(reader)
        if name is None:
            name = self.names[reader] = f"read_{len(self.names)}_{spec.kind}"
            body = (
                self._object(reader, spec) if spec.kind == "object" else self._array(reader, spec)
            )
            self.source += [f"def {name}(value, ctx):", *body, ""]
        return name

    def _test(self, reader: Reader) -> str | None:
        """A test on ``v``, true when the value is not plainly valid (the reference reader
        then reads it); None for what is not checked inline."""
        spec = self.specs[reader]
        bad: list[str]
        if spec.kind == "boolean":
            bad = ["v is not True and v is not False"]
        elif spec.kind == "const":
            bad = [f"v.__class__ is not str or v != {spec.const!r}"]
        elif spec.kind == "integer":
            bad = ["v.__class__ is not int"]
            if spec.lo is not None:
                bad.append(f"v < {self.constant(_int_if_whole(spec.lo), 'N')}")
            if spec.hi is not None:
                bad.append(f"v > {self.constant(_int_if_whole(spec.hi), 'N')}")
        elif spec.kind == "string":
            bad = ["v.__class__ is not str"]
            if spec.allowed is not None:
                bad.append(f"v not in {self.constant(spec.allowed, 'E')}")
            if spec.min_len:
                bad.append(f"len(v) < {spec.min_len}")
            if spec.max_len is not None:
                bad.append(f"len(v) > {spec.max_len}")
            if spec.pattern is not None:
                bad.append(f"{self.constant(spec.pattern.search, 'P')}(v) is None")
        else:
            return None
        test = " or ".join(bad)
        return f"v is not None and ({test})" if spec.nullable else test

    def _value(self, reader: Reader, key: str, pad: str, *, repeated: bool) -> list[str]:
        """Lines that leave in ``v`` what ``reader`` makes of the value in ``v``."""
        spec = self.specs[reader]
        if spec.kind in ("date", "decimal"):
            # each distinct text is read once: the same text always reads the same
            known = self.known.setdefault(reader, _Known(reader, spec))
            cache = self.constant(known.cache, "C")
            return [
                f"{pad}if v.__class__ is str and (seen := {cache}.get(v)) is not None:",
                f"{pad}    v = seen",
                f"{pad}else:",
                *self._miss(reader, known, pad + "    "),
            ]
        test = self._test(reader)
        if test is None:
            return [f"{pad}v = {self.function(reader, repeated=repeated)}(v, ctx)"]
        return [
            f"{pad}if {test}:",
            f"{pad}    v = {self.constant(reader, 'R')}(v, '', {key!r}, ctx)",
        ]

    def _miss(self, reader: Reader, known: _Known, pad: str) -> list[str]:
        """A date or number not seen before: a numeric text within bounds is read right
        here; anything else by the reference reader (through ``known``, which remembers)."""
        call = f"v = {self.constant(known, 'M')}(v, ctx)"
        if known.pattern is None:
            return [pad + call]
        spec = self.specs[reader]
        bad = ["n is None"]
        if spec.lo is not None:
            bad.append(f"n < {self.constant(spec.lo, 'N')}")
        if spec.hi is not None:
            bad.append(f"n > {self.constant(spec.hi, 'N')}")
        cache = self.constant(known.cache, "C")
        pattern = self.constant(known.pattern, "P")
        return [
            f"{pad}n = DEC(v) if v.__class__ is str and {pattern}(v) is not None else None",
            f"{pad}if {' or '.join(bad)}:",
            f"{pad}    {call}",
            f"{pad}else:",
            f"{pad}    if len({cache}) < LIMIT:",
            f"{pad}        {cache}[v] = n",
            f"{pad}    v = n",
        ]

    def _object(self, reader: Reader, spec: _Spec, *, repeated: bool = True) -> list[str]:
        assert spec.cls is not None
        # An unknown key: the reference reader names it. A missing one raises KeyError below,
        # which read_clean takes for NotClean.
        keys = self.constant(frozenset(key for key, _, _ in spec.fields), "K")
        lines = [
            "    if value.__class__ is not dict:",
            f"        return {self.constant(reader, 'R')}(value, '', '', ctx)",
            f"    if not {keys}.issuperset(value):",
            "        raise NotClean",
            "    get = value.get",
        ]
        values: dict[str, str] = {}
        for i, (key, attr, sub) in enumerate(spec.fields):
            if key in spec.required:
                lines += [
                    f"    v = value[{key!r}]",
                    *self._value(sub, key, "    ", repeated=repeated),
                ]
            else:
                lines += [
                    f"    v = get({key!r}, MISSING)",
                    "    if v is MISSING:",
                    f"        v = {self.constant(spec.defaults[attr], 'D')}",
                    "    else:",
                    *self._value(sub, key, "        ", repeated=repeated),
                ]
            lines.append(f"    a{i} = v")
            values[attr] = f"a{i}"
        cls = self.constant(spec.cls, "T")
        if spec.direct:
            # as the reference reader does: fill __dict__ of a plain frozen dataclass
            lines += [f"    obj = new({cls})", "    attrs = obj.__dict__"]
            lines += [f"    attrs[{attr!r}] = {values[attr]}" for attr in spec.attrs]
        else:
            args = ", ".join(f"{attr}={values[attr]}" for attr in spec.attrs)
            lines.append(f"    obj = {cls}({args})")
        hook = self.hooks.get(spec.cls)
        if hook is None:
            lines.append("    return obj")
        else:
            lines.append(f"    return {self.constant(hook, 'H')}(obj, '', ctx)")
        return lines

    def _array(self, reader: Reader, spec: _Spec) -> list[str]:
        assert spec.item is not None
        slow = f"{self.constant(reader, 'R')}(value, '', '', ctx)"
        lines = ["    if value.__class__ is not list:", f"        return {slow}"]
        if spec.max_items is not None:
            lines += [f"    if len(value) > {spec.max_items}:", f"        return {slow}"]
        if spec.min_items:
            lines += [f"    if len(value) < {spec.min_items}:", f"        return {slow}"]
        item = self.specs[spec.item]
        if (
            item.kind == "string"
            and not item.nullable
            and item.allowed is None
            and item.pattern is None
        ):
            # lists of ids and short texts: checked a whole list at a time
            bad = ["not STR.issuperset(map(type_, value))"]
            if item.min_len:
                bad.append(f"min(map(len, value)) < {item.min_len}")
            if item.max_len is not None:
                bad.append(f"max(map(len, value)) > {item.max_len}")
            return [*lines, f"    if value and ({' or '.join(bad)}):", f"        return {slow}",
                    "    return tuple(value)"]  # fmt: skip
        if item.kind == "object":
            return [*lines, f"    read = {self.function(spec.item)}",
                    "    return tuple([read(v, ctx) for v in value])"]  # fmt: skip
        return [*lines, "    out = []", "    for v in value:", *self._value(spec.item, "", "        ", repeated=True),
                "        out.append(v)", "    return tuple(out)"]  # fmt: skip

    def build(self, root: Reader) -> Callable[[Any, Ctx], Any]:
        """The fast reader of the object ``root``: its lists generated, its single records
        (``cluster``, ``panel``) left to the reference readers. Its memory of texts read
        (self.known) is for one read: clear it after each."""
        self.names[root] = "read_root"
        self.source += [
            "def read_root(value, ctx):",
            *self._object(root, self.specs[root], repeated=False),
            "",
        ]
        text = "\n".join(self.source)
        # made from the schema alone: no text of a file reaches the generated source
        exec(_compiled(text, f"<fast readers of {SCHEMA_PATH.name}>"), self.ns)  # noqa: S102
        reader: Callable[[Any, Ctx], Any] = self.ns["read_root"]
        return reader


def _compiled(text: str, name: str) -> types.CodeType:
    """``compile(text, name, "exec")``, kept in __pycache__ as Python keeps a module's bytecode.

    Compiling the generated readers is a fiftieth of a `klaster kkk evaluate` run; loading
    them compiled is a twentieth of that. The file is named by the interpreter's tag
    (marshal's format is the interpreter's) and starts with a hash of the source, so a
    changed schema, hook or generator never loads stale code: it is compiled and the file
    written again. Like bytecode, it is not written when the process must not write any
    (PYTHONDONTWRITEBYTECODE) or cannot."""
    digest = hashlib.sha256(f"{name}\n{text}".encode()).digest()
    cached = SCHEMA_PATH.parent / "__pycache__" / f"fast_readers.{sys.implementation.cache_tag}.bin"
    try:
        kept = cached.read_bytes()
        if kept[: len(digest)] == digest:
            code = marshal.loads(kept[len(digest) :])  # noqa: S302 - our own __pycache__, as a .pyc is
            if isinstance(code, types.CodeType):
                return code
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = compile(text, name, "exec")
    if not sys.dont_write_bytecode:
        try:
            cached.parent.mkdir(exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            partial.write_bytes(digest + marshal.dumps(code))
            os.replace(partial, cached)  # whole or not at all, whoever else writes it
        except OSError:
            pass
    return code


@dataclasses.dataclass(frozen=True)
class CompiledSchema:
    """The dataset reader and, for the dumper, each class's keys in the schema's order."""

    schema: Mapping[str, Any]
    read: Reader
    class_keys: Mapping[type, tuple[tuple[str, str], ...]]
    specs: Mapping[Reader, _Spec] = dataclasses.field(default_factory=dict, repr=False)
    _fast: dict[int, tuple[Mapping[type, Hook], _FastBuilder, Callable[[Any, Ctx], Any]]] = (
        dataclasses.field(default_factory=dict, repr=False, compare=False)
    )

    def read_clean(
        self, value: Any, *, hooks: Mapping[type, Hook], member_ids: frozenset[str] | None
    ) -> Any:
        """What ``read(value, "", "", Ctx(hooks=hooks, member_ids=member_ids))`` returns when
        it finds no problem at all; raises :class:`NotClean` as soon as there is one to report
        (read it again with ``read`` for the messages)."""
        fast = self._fast.get(id(hooks))
        if fast is None or fast[0] is not hooks:
            builder = _FastBuilder(self.specs, hooks)
            fast = self._fast[id(hooks)] = (hooks, builder, builder.build(self.read))
        try:
            return fast[2](value, _CleanCtx(hooks=hooks, member_ids=member_ids))
        except KeyError:  # a required key is missing: the reference reader names it
            raise NotClean from None
        except InvalidOperation:  # pragma: no cover - a text the pattern passes is a number
            raise NotClean from None
        finally:
            # what texts read as is remembered for one file only (a server reads many)
            for known in fast[1].known.values():
                known.cache.clear()

    def fast_source(self, hooks: Mapping[type, Hook] | None = None) -> str:
        """The generated fast readers' Python text, for a curious reader."""
        builder = _FastBuilder(self.specs, hooks or {})
        builder.build(self.read)
        return "\n".join(builder.source)


def nesting(specs: Mapping[Reader, _Spec], reader: Reader) -> int:
    """How deep the values ``reader`` accepts nest: 0 for a scalar, 1 for an object of
    scalars, ... — for the Dataset, the bound on a file the readers take (load.read_path)."""
    spec = specs[reader]
    if spec.kind == "object":
        return 1 + max((nesting(specs, sub) for _key, _attr, sub in spec.fields), default=0)
    if spec.kind in ("array", "map"):
        assert spec.item is not None
        return 1 + nesting(specs, spec.item)
    return 0


def compile_schema(schema: Mapping[str, Any] | None = None) -> CompiledSchema:
    """Compile ``schema`` (default: schema.json) against the model; raises SchemaModelError."""
    if schema is None:
        schema = load_schema()
    compiler = _Compiler(schema)
    reader = compiler.compile(schema, Dataset, "(root)")
    return CompiledSchema(
        schema=schema, read=reader, class_keys=compiler.class_keys, specs=compiler.specs
    )


COMPILED = compile_schema()
