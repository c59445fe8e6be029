"""YAML for the dataset format: exact decimals in, no float and no anchors out, and fast.

Reading keeps PyYAML's YAML 1.1 safe schema with three changes (:class:`DatasetYamlLoader`):

- a float scalar becomes a Decimal made from its text, so ``1200000.10`` and ``0.1``
  stay exact (``.inf``/``.nan`` and sexagesimal ``1:30.5`` stay text, refused later as
  numbers);
- a timestamp scalar stays its text; the schema's date check then accepts exactly
  ``YYYY-MM-DD`` and refuses ``2015-13-01`` with the field's path instead of the YAML
  library failing the whole file;
- a key repeated in one mapping is an error instead of silently keeping the last.

Booleans stay YAML 1.1 (``yes``/``no``/``on``/``off``); a text field that gets one is
reported with a hint to quote the value.

:func:`parse_yaml` builds the Python values straight from libyaml's event stream,
resolving each plain scalar with the same resolver and constructors as the loader
(cached per distinct text). That is about five times faster than PyYAML's node
composer and constructor on a 10,000-member file. Anything unusual — merge keys
(``<<``), tags other than the standard scalar ones, recursive anchors, a second
document — falls back to the full loader, so both paths give the same result.

Both paths are bounded (issue 7): nesting deeper than :data:`MAX_DEPTH` or more than
:data:`MAX_ALIASES` alias references stop the parse at once (:class:`NestingTooDeep`,
:class:`TooManyAliases`). libyaml's scanner is quadratic in the flow nesting depth (a
few hundred KB of ``[[[[`` took minutes) and PyYAML's composer is recursive, so the
fast path checks as it builds and the full loader runs only after the same check over
the event stream.

Writing uses :class:`DatasetYamlDumper`: never anchors/aliases for repeated values, and
strings that look like numbers (``'0747144855'``, ``'15-001'``) are quoted so that a
YAML 1.2 reader does not take them for numbers either.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from klaster.rules.dataset.limits import MAX_ALIASES, MAX_DEPTH

_LoaderBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DumperBase: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _CParser = None

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A key appears twice in one mapping."""

    def __init__(self, key: object, mark: Any) -> None:
        super().__init__(None, None, f"duplicate key {key!r}", mark)
        self.key = key


class NestingTooDeep(yaml.YAMLError):
    """Collections nested deeper than MAX_DEPTH; ``path`` is the innermost one's, when known."""

    def __init__(self, path: str, mark: Any) -> None:
        super().__init__(f"nested deeper than {MAX_DEPTH} levels")
        self.path = path
        self.problem_mark = mark


class TooManyAliases(yaml.YAMLError):
    """More than MAX_ALIASES alias references (``*name``)."""

    def __init__(self, mark: Any) -> None:
        super().__init__(f"more than {MAX_ALIASES} aliases")
        self.problem_mark = mark


class DatasetYamlLoader(_LoaderBase):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader (libyaml when available), changed as the module says."""


def _construct_decimal(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node))
    clean = text.replace("_", "")
    if ":" in clean or clean.lower().lstrip("+-") in (".inf", ".nan"):
        return text
    try:
        return Decimal(clean)
    except InvalidOperation:
        return text


def _construct_timestamp_text(
    loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode
) -> str:
    return str(loader.construct_scalar(node))


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        if key_node.tag == _MERGE:
            continue
        key = loader.construct_object(key_node)
        try:
            if key in seen:
                raise DuplicateKeyError(key, key_node.start_mark)
            seen.add(key)
        except TypeError:
            continue  # unhashable: construct_mapping below reports it
    return loader.construct_mapping(node, deep=True)


DatasetYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
DatasetYamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_text)
DatasetYamlLoader.add_constructor(_MAP, _construct_mapping)


# -- the fast path ---------------------------------------------------------------------


class _Fallback(Exception):
    """Something the event builder does not handle: use the full loader."""


_RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = {
    tag: fn
    for tag, fn in DatasetYamlLoader.yaml_constructors.items()
    if tag is not None
    and tag not in (_MAP, _SEQ, _MERGE)
    and not tag.endswith(("omap", "pairs", "set"))
}


def _scalar(tag: str, text: str) -> Any:
    if tag == _STR:
        return text
    construct = _SCALAR_CONSTRUCTORS.get(tag)
    if construct is None:
        raise _Fallback
    return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, text))


def _open_path(stack: list[Any]) -> str:
    """The path of the innermost open container: each one is the last value added to its
    parent (the last item of a list, the last key of a dict), as it is still open."""
    path = ""
    for parent in stack[:-1]:
        if parent.__class__ is list:
            path = f"{path}[{len(parent) - 1}]"
        else:
            key = str(next(reversed(parent)))
            path = f"{path}.{key}" if path else key
    return path


def _events_to_data(text: str) -> Any:
    parser = _CParser(text)
    get = parser.get_event
    plain_cache: dict[str, Any] = {}
    anchors: dict[str, Any] = {}
    open_containers: set[int] = set()
    stack: list[Any] = []  # open containers
    keys: list[Any] = []  # per open mapping: the key waiting for its value
    no_key = keys  # a sentinel no YAML value can be
    root: Any = None
    documents = 0
    aliases = 0

    def add(value: Any, mark: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if top.__class__ is list:
            top.append(value)
            return
        key = keys[-1]
        if key is no_key:
            if value.__class__ in (dict, list):
                raise _Fallback  # a collection as a key: the full loader reports it
            if value in top:
                raise DuplicateKeyError(value, mark)
            keys[-1] = value
        else:
            top[key] = value
            keys[-1] = no_key

    while True:
        ev: Any = get()
        cls = ev.__class__
        if cls is ScalarEvent:
            tag = ev.tag
            if tag is None and ev.implicit[0]:
                value_text = ev.value
                try:
                    value = plain_cache[value_text]
                except KeyError:
                    value = _scalar(
                        _RESOLVER.resolve(yaml.ScalarNode, value_text, (True, False)), value_text
                    )
                    plain_cache[value_text] = value
            elif tag is None:
                value = ev.value
            elif tag == "!":
                raise _Fallback  # the non-specific tag: rare, and PyYAML resolves it its own way
            else:
                value = _scalar(tag, ev.value)
            if ev.anchor is not None:
                anchors[ev.anchor] = value
            add(value, ev.start_mark)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            tag = ev.tag
            if (
                tag is not None
                and tag != "!"
                and tag != (_MAP if cls is MappingStartEvent else _SEQ)
            ):
                raise _Fallback
            container: Any = {} if cls is MappingStartEvent else []
            if ev.anchor is not None:
                anchors[ev.anchor] = container
            add(container, ev.start_mark)
            stack.append(container)
            if len(stack) > MAX_DEPTH:
                raise NestingTooDeep(_open_path(stack), ev.start_mark)
            open_containers.add(id(container))
            if cls is MappingStartEvent:
                keys.append(no_key)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            done = stack.pop()
            open_containers.discard(id(done))
            if cls is MappingEndEvent:
                keys.pop()
        elif cls is AliasEvent:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise TooManyAliases(ev.start_mark)
            if ev.anchor not in anchors:
                raise _Fallback  # the full loader reports the undefined alias
            value = anchors[ev.anchor]
            if id(value) in open_containers:
                raise _Fallback  # recursive structure
            add(value, ev.start_mark)
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Fallback  # the full loader reports "expected a single document"
        elif cls is StreamEndEvent:
            return root
        elif cls is not DocumentEndEvent and cls is not StreamStartEvent:  # pragma: no cover
            raise _Fallback


def check_structure(text: str) -> None:
    """Walk the event stream only, raising NestingTooDeep or TooManyAliases at the first
    excess: what the fast path checks as it builds, done before the full loader runs."""
    events: Any
    if _CParser is not None:
        parser = _CParser(text)
        events = iter(parser.get_event, None)
    else:  # pragma: no cover - PyYAML built without libyaml
        events = yaml.parse(text, Loader=yaml.SafeLoader)
    depth = aliases = documents = 0
    for ev in events:
        cls = ev.__class__
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            depth += 1
            if depth > MAX_DEPTH:
                raise NestingTooDeep("", ev.start_mark)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            depth -= 1
        elif cls is AliasEvent:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise TooManyAliases(ev.start_mark)
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                return  # the full loader reports "expected a single document"
        elif cls is StreamEndEvent:
            return


def parse_yaml(text: str) -> Any:
    """Parse one YAML document as :class:`DatasetYamlLoader` does, fast when libyaml is there.

    Raises ``yaml.YAMLError`` (including :class:`DuplicateKeyError`, :class:`NestingTooDeep`
    and :class:`TooManyAliases`) for a bad document.
    """
    if _CParser is not None:
        try:
            return _events_to_data(text)
        except _Fallback:
            pass
    check_structure(text)
    return yaml.load(text, Loader=DatasetYamlLoader)  # noqa: S506 - a SafeLoader subclass


# -- writing ---------------------------------------------------------------------------

_NUMBER_LIKE = re.compile(r"[-+.]?[0-9]")


class DatasetYamlDumper(_DumperBase):  # type: ignore[valid-type,misc]
    """PyYAML's safe dumper (libyaml when available) without anchors, quoting number-like text."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "'" if _NUMBER_LIKE.match(data) else None
    return dumper.represent_scalar(_STR, data, style=style)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[Any, Any]) -> yaml.MappingNode:
    node = dumper.represent_mapping(_MAP, data)
    # PyYAML writes a mapping in flow style only when no value is quoted; one-line
    # records ({year: 2020, revenue: '1200000.00'}) read better, quoted or not
    node.flow_style = all(isinstance(v, yaml.ScalarNode) for _, v in node.value)
    return node


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    node = dumper.represent_sequence(_SEQ, data)
    node.flow_style = all(isinstance(v, yaml.ScalarNode) for v in node.value)
    return node


DatasetYamlDumper.add_representer(str, _represent_str)
DatasetYamlDumper.add_representer(dict, _represent_dict)
DatasetYamlDumper.add_representer(list, _represent_list)


def emit_yaml_reference(data: Any) -> str:
    """:func:`emit_yaml` through PyYAML's representer: the same text, five times slower."""
    return str(
        yaml.dump(
            data,
            Dumper=DatasetYamlDumper,
            allow_unicode=True,
            sort_keys=False,
            default_flow_style=False,
            width=120,
        )
    )


_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def emit_yaml(data: Any) -> str:
    """YAML text of plain data: unicode as is, keys in the given order, short records on one line.

    Writes the events that PyYAML's representer and serializer would produce for
    :class:`DatasetYamlDumper` straight to its (libyaml) emitter, with the quoting
    decision cached per distinct string: the same text as :func:`emit_yaml_reference`,
    in a fraction of the time for a large cluster.
    """
    stream = io.StringIO()
    dumper = DatasetYamlDumper(stream, allow_unicode=True, width=120)
    out = dumper.emit
    strings: dict[str, Any] = {}

    def scalar(value: Any) -> None:
        if isinstance(value, str):
            event = strings.get(value)
            if event is None:
                plain = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR
                style = "'" if _NUMBER_LIKE.match(value) else None
                event = strings[value] = ScalarEvent(None, _STR, (plain, True), value, style=style)
            out(event)
        elif value is True or value is False:
            out(ScalarEvent(None, _BOOL, (True, False), "true" if value else "false"))
        elif isinstance(value, int):
            out(ScalarEvent(None, _INT, (True, False), str(value)))
        elif value is None:
            out(ScalarEvent(None, _NULL, (True, False), "null"))
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            out(ScalarEvent(None, _TIMESTAMP, (True, False), value.isoformat()))
        else:
            raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")

    def node(value: Any) -> None:
        if isinstance(value, dict):
            flow = not any(isinstance(v, dict | list) for v in value.values())
            out(MappingStartEvent(None, _MAP, True, flow_style=flow))
            for key, item in value.items():
                scalar(key)
                node(item)
            out(MappingEndEvent())
        elif isinstance(value, list):
            flow = not any(isinstance(v, dict | list) for v in value)
            out(SequenceStartEvent(None, _SEQ, True, flow_style=flow))
            for item in value:
                node(item)
            out(SequenceEndEvent())
        else:
            scalar(value)

    try:
        out(StreamStartEvent())
        out(DocumentStartEvent(explicit=False))
        node(data)
        out(DocumentEndEvent(explicit=False))
        out(StreamEndEvent())
    finally:
        dumper.dispose()
    return stream.getvalue()
