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
start dates, ``science_category`` on science units only, one entry per fiscal year,
``bank_accounts`` valid IBAN/NRB (check digits), each listed once.

Money never passes through a float: JSON numbers with a fraction are read as Decimal
(``parse_float=Decimal``), and YAML floats are read from their scalar text
(yamlio.py, :class:`DatasetYamlLoader`).

Reading is bounded (issue 7): a file over ``MAX_FILE_BYTES`` is refused before it is read,
nesting deeper than ``MAX_DEPTH`` and more than ``MAX_ALIASES`` YAML aliases while it is
parsed (for JSON, by a scan of its brackets before ``json.loads``), and every string and
number by schema.json, whose bounds are those of the database columns the values land in.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from klaster.rules import identifiers
from klaster.rules.dataset.errors import DatasetError, Issue
from klaster.rules.dataset.limits import MAX_ALIASES, MAX_DEPTH
from klaster.rules.dataset.model import (
    Cluster,
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
from klaster.rules.dataset.schema import COMPILED, Ctx, Hook, NotClean, TooManyErrors, join, nesting

if TYPE_CHECKING:
    import yaml

    from klaster.rules.dataset.yamlio import DatasetYamlLoader

Format = Literal["yaml", "json"]

MAX_ISSUES = 100
# How deep a file the readers build nests (root, members, a member, its years, a year).
SCHEMA_DEPTH = nesting(COMPILED.specs, COMPILED.read)
# A 10,000-member cluster is a 13 MB JSON or 8 MB YAML file; `klaster import` takes its own
# limit from the deployment's settings (klaster.core.uploads, "dataset"), this by default.
MAX_FILE_BYTES = 64 * 1024 * 1024

__all__ = [
    "MAX_ALIASES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_ISSUES",
    "DatasetError",
    "DatasetYamlLoader",
    "Format",
    "format_of",
    "load_data",
    "load_path",
    "load_text",
    "parse_path",
    "parse_text",
    "read_path",
    "schema",
]


def __getattr__(name: str) -> Any:
    # PyYAML is imported only when YAML is read: a JSON file never pays for it
    if name == "DatasetYamlLoader":
        from klaster.rules.dataset import yamlio

        return yamlio.DatasetYamlLoader
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def _size(n: int) -> str:
    """A size for a message: "64 MB", "1,5 MB", "1000 B"."""
    if n < 1024 * 1024:
        return f"{n} B"
    mb = n / (1024 * 1024)
    text = f"{mb:.0f}" if mb >= 10 or mb == int(mb) else f"{mb:.1f}"
    return text.replace(".", ",") + " MB"


def _too_large(where: str, size: int, limit: int) -> DatasetError:
    return DatasetError([Issue(where, "file_size", {"size": _size(size), "limit": _size(limit)})])


_JSON_KEEP = frozenset(b'[]{}"')
_JSON_DROP = bytes(i for i in range(256) if i not in _JSON_KEEP)
_JSON_STRINGS = re.compile(rb'"[^"]*"')
_JSON_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _json_too_deep(text: str, limit: int, raw: bytes | None = None) -> tuple[int, int] | None:
    """(line, column) where JSON ``text`` first nests deeper than ``limit``, else None.

    Runs in C-speed passes before ``json.loads`` (a tenth of its time): as UTF-8 bytes (no
    multi-byte sequence holds an ASCII byte; ``raw``, when the caller read them, else
    encoded here), drop the escapes ``\\\\`` and ``\\"`` (when there is a backslash at all),
    every byte but brackets and quotes, then the strings; then strip the innermost
    ``[]``/``{}`` pairs once per level, at most ``limit`` + 1 times. Brackets that do not
    pair up are left for ``json.loads`` to report.
    """
    if raw is None:
        raw = text.encode("utf-8", "surrogatepass")
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    # quotes alternate open/close: removing "" removes an empty string or joins two adjacent
    # ones, so what is inside a string stays inside; the few strings left hold brackets
    brackets = _JSON_STRINGS.sub(b"", raw.translate(None, _JSON_DROP).replace(b'""', b""))
    for _level in range(limit):
        if not brackets:
            return None
        fewer = _JSON_EMPTY_PAIR.sub(b"", brackets)
        if fewer == brackets:
            return None  # malformed: json.loads says where
        brackets = fewer
    if not brackets or _JSON_EMPTY_PAIR.sub(b"", brackets) == brackets:
        return None
    # too deep: find where, token by token (only on this error path)
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        lexeme = match.group()
        if lexeme in ("[", "{"):
            depth += 1
            if depth > limit:
                start = match.start()
                line = text.count("\n", 0, start) + 1
                return line, start - (text.rfind("\n", 0, start) + 1) + 1
        elif lexeme in ("]", "}"):
            depth -= 1
    return None  # pragma: no cover - the passes above found the same nesting


def parse_text(text: str, fmt: str) -> Any:
    """Parse YAML or JSON text into plain Python values (Decimal for fractions)."""
    if fmt in ("yaml", "yml"):
        return _parse_yaml(text)
    if fmt == "json":
        return _parse_json(text)
    raise DatasetError([Issue("", "file_type", {"value": fmt})])


def _parse_yaml(text: str) -> Any:
    import yaml

    from klaster.rules.dataset.yamlio import (
        DuplicateKeyError,
        NestingTooDeep,
        TooManyAliases,
        parse_yaml,
    )

    try:
        return parse_yaml(text)
    except NestingTooDeep as exc:
        raise DatasetError(
            [Issue(exc.path, "depth", {**_where(exc), "limit": MAX_DEPTH})]
        ) from None
    except TooManyAliases as exc:
        raise DatasetError([Issue("", "aliases", {**_where(exc), "limit": MAX_ALIASES})]) from None
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
        raise _unplaced_syntax_error("YAML", exc) from exc


def _unplaced_syntax_error(fmt: str, exc: BaseException) -> DatasetError:
    """A parser's failure that gives no line (absurd nesting, a 5000-digit number)."""
    return DatasetError(
        [Issue("", "syntax", {"line": "?", "column": "?", "fmt": fmt, "reason": str(exc)})]
    )


def _check_json_depth(text: str, raw: bytes | None = None) -> None:
    """DatasetError when JSON ``text`` (whose UTF-8 bytes are ``raw``, when the caller has
    them) nests deeper than MAX_DEPTH."""
    deep = _json_too_deep(text, MAX_DEPTH, raw)
    if deep is not None:
        where = {"line": deep[0], "column": deep[1]}
        raise DatasetError([Issue("", "depth", {**where, "limit": MAX_DEPTH})])


def _parse_json(text: str, raw: bytes | None = None) -> Any:
    """JSON ``text`` (whose UTF-8 bytes are ``raw``, when the caller has them)."""
    _check_json_depth(text, raw)
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno}
        raise DatasetError(
            [Issue("", "syntax", {**where, "fmt": "JSON", "reason": exc.msg})]
        ) from exc
    except (RecursionError, ValueError) as exc:  # absurd nesting, a 5000-digit number
        raise _unplaced_syntax_error("JSON", exc) from exc


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


def load_text(text: str, fmt: str, *, max_chars: int = MAX_FILE_BYTES) -> Dataset:
    """Read a dataset from YAML (``fmt="yaml"``) or JSON (``fmt="json"``) text."""
    if len(text) > max_chars:
        raise _too_large("", len(text), max_chars)
    with gc_paused():
        return load_data(parse_text(text, fmt))


def _read_file(path: str | Path, max_bytes: int) -> tuple[Format, bytes, str]:
    """A dataset file's format, bytes and text; DatasetError when it cannot be had."""
    fmt = format_of(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            raise _too_large(str(path), size, max_bytes)
        with Path(path).open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # the file may grow after stat(): read no more
        if len(raw) > max_bytes:
            raise _too_large(str(path), len(raw), max_bytes)
    except OSError as exc:
        raise DatasetError(
            [Issue(str(path), "file_read", {"reason": exc.strerror or str(exc)})]
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError([Issue(str(path), "encoding", {})]) from exc
    return fmt, raw, text


def parse_path(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """A dataset file's contents as plain values (what :func:`load_data` takes); the format
    follows the file's ending (.yaml, .yml, .json).

    A file over ``max_bytes`` is refused before it is read."""
    fmt, raw, text = _read_file(path, max_bytes)
    with gc_paused():
        return _parse_json(text, raw) if fmt == "json" else parse_text(text, fmt)


def read_path(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[Any, Dataset]:
    """What :func:`load_path` reads, with the file's parsed contents (for a caller that
    leaves their memory to the operating system, as ``klaster kkk evaluate`` does).

    A JSON file is parsed before its nesting is scanned, and a file that the fast readers
    build as it is is never scanned (the scan is a tenth of the parse of a large file): they
    take only what schema.json describes, which nests ``SCHEMA_DEPTH`` levels, within
    MAX_DEPTH, so the scan could find nothing there. Any other file is scanned before a
    message is given, so every file gets the messages of :func:`load_path`, and a file
    nested too deep its one message."""
    fmt, raw, text = _read_file(path, max_bytes)
    if fmt != "json" or SCHEMA_DEPTH > MAX_DEPTH:
        with gc_paused():
            parsed = _parse_json(text, raw) if fmt == "json" else parse_text(text, fmt)
            return parsed, load_data(parsed)
    with gc_paused():
        try:
            parsed = json.loads(text, parse_float=Decimal, parse_constant=_json_constant)
        except (RecursionError, ValueError):
            parsed = _parse_json(text, raw)  # raises, the nesting checked first as always
        return parsed, _load(parsed, MAX_ISSUES, lambda: _check_json_depth(text, raw))


def load_path(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> Dataset:
    """Read a dataset file; the format follows the file's ending (.yaml, .yml, .json).

    A file over ``max_bytes`` is refused before it is read."""
    with gc_paused():
        return load_data(parse_path(path, max_bytes=max_bytes))


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
        if ids.issuperset(value) and len(set(value)) == len(value):
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


def _check_accounts(accounts: tuple[str, ...], path: str, ctx: Ctx) -> None:
    """``bank_accounts``: each a valid IBAN or NRB, each once (compared as the money app
    compares them: without spaces and the PL prefix)."""
    # only for a file that lists accounts: the money rules import stdnum (see identifiers)
    from klaster.rules.money.bank.model import normalize_account, valid_iban

    here = join(path, "bank_accounts")
    seen: dict[str, str] = {}
    for i, account in enumerate(accounts):
        if not valid_iban(account):
            ctx.add(here, i, "bank_account", value=account)
            continue
        key = normalize_account(account)
        first = seen.get(key)
        if first is None:
            seen[key] = join(here, i)
        else:
            ctx.add(here, i, "duplicate_account", value=account, first=first)


def _cluster(c: Cluster, path: str, ctx: Ctx) -> Cluster:
    if c.bank_accounts:
        _check_accounts(c.bank_accounts, path, ctx)
    return c


def _member(m: Member, path: str, ctx: Ctx) -> Member:
    # Runs for every member of a file: the common case is kept to plain attribute reads.
    seen = ctx.seen.get("members")
    if seen is None:
        seen = ctx.seen["members"] = {}
    first = seen.get(m.id)
    if first is None:
        seen[m.id] = path
    else:
        ctx.add(path, "id", "duplicate_id", value=m.id, first=first)
    changed: dict[str, str] = {}
    if m.nip is not None or m.regon is not None or m.krs is not None:
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
    if m.bank_accounts:
        _check_accounts(m.bank_accounts, path, ctx)
    if m.science_category is not None and m.type != "science":
        ctx.add(path, "science_category", "science_only", value=m.type)
    # independent is only meaningful for enterprises (MEM-11) but is not refused on others:
    # DATASET.md's own example sets it on its IOB coordinator; the rules ignore it there.
    if m.left is not None and m.joined is not None and m.left < m.joined:
        _check_order(m, path, ctx, "joined", "left")
    if len(m.years) > 1 and len({fy.year for fy in m.years}) != len(m.years):
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
    _participants(p, path, ctx)
    if p.start is not None and p.end is not None and p.end < p.start:
        _check_order(p, path, ctx, "start", "end")
    return p


def _kis(k: Kis, path: str, ctx: Ctx) -> Kis:
    if ctx.first_seen("kis", k.number, path) is not None:
        ctx.add(path, "number", "duplicate_number", value=k.number)
    return k


def _refs(*fields: str) -> Hook:
    """A hook checking that the records' fields name members, each once."""
    if len(fields) == 1:
        (attr,) = fields

        def one(obj: Any, path: str, ctx: Ctx) -> Any:
            # the usual case first: a list of known members, each once (thousands of events)
            value = getattr(obj, attr)
            ids = ctx.member_ids
            if (
                value.__class__ is tuple
                and ids is not None
                and ids.issuperset(value)
                and len(set(value)) == len(value)
            ):
                return obj
            _check_refs(obj, path, ctx, fields)
            return obj

        return one

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


_participants = _refs("participants")

HOOKS: Mapping[type, Hook] = {
    Cluster: _cluster,
    Member: _member,
    Project: _project,
    Kis: _kis,
    Coordinator: _refs("member"),
    SharedResource: _refs("provider"),
    FundingApplication: _refs("applicants"),
    IpRight: _refs("holder"),
    Innovation: _refs("by"),
    Event: _participants,
    Mission: _participants,
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
    return _load(obj, max_issues)


def _load(obj: Any, max_issues: int, before_reporting: Callable[[], None] | None = None) -> Dataset:
    """load_data(); ``before_reporting`` runs when the file has a problem, before the
    reference readers read it again for the messages (and may raise its own)."""
    member_ids = _member_ids(obj)
    with gc_paused():
        # A file without a problem (the usual case) is built by the fast readers; at the
        # first problem the reference readers read it again and report each one with its path.
        try:
            clean = COMPILED.read_clean(obj, hooks=HOOKS, member_ids=member_ids)
        except NotClean:
            clean = None
    if isinstance(clean, Dataset):
        return clean
    if before_reporting is not None:
        before_reporting()
    ctx = Ctx(hooks=HOOKS, member_ids=member_ids, limit=max_issues)
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
