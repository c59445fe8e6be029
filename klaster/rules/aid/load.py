"""Read a ``klaster-aid/1`` file (shared/spec/AID-DATASET.md) into :class:`AidFile`.

    load_path("aid.yaml") -> AidFile        # .yaml/.yml or .json, by the file's ending
    load_data(obj) -> AidFile               # an already parsed dict

Everything wrong is raised at once as :class:`AidFileError`, one message per problem, each
starting with the path of the field (``grants[3].date: niepoprawna data: '2024-13-01'``), up to
``MAX_ISSUES`` of them. Messages are rule messages (``define``), Polish at the edge.

Parsing is the dataset reader's (klaster.rules.dataset.load): bounded before and while parsing
(file size, nesting, YAML aliases), money never through a float (YAML floats and JSON numbers
with a fraction become Decimal from their text), YAML timestamps left as text so that a bad
date is reported with its path. Beyond the shape (unknown keys refused, required keys, types)
this module checks: NIP check digits, unique NIPs and grant ids, every NIP and grant id
referring to one in the file, money > 0 with at most 2 decimals, ``mid`` > 0 with at most 4,
``to`` not before ``from``, an undertaking ceasing once and receiving nothing (grants, mergers,
splits) from the day it ceased, the regulation of a grant within its dates (1407/2013 up to
2024-06-30, 2023/2831 from 2024-01-01), SGEI de minimis refused, lists and texts bounded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from klaster.rules.aid.model import (
    FIRST_2831,
    FORMAT,
    LAST_1407,
    R1407,
    R2831,
    REGULATIONS,
    SGEI,
    AidFile,
    Ceased,
    Grant,
    Link,
    Merger,
    Rates,
    RateTable,
    Split,
    Successor,
    Undertaking,
)
from klaster.rules.dataset.errors import show
from klaster.rules.message import Msg, Term, define, say

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ISSUES",
    "MAX_ITEMS",
    "AidFileError",
    "load_data",
    "load_path",
    "parse_amount",
    "parse_date",
    "valid_nip",
]

Lang = Literal["pl", "en"]

MAX_ISSUES = 100
# An aid file holds one cluster's undertakings and their grants: a few thousand records at most.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_ITEMS = 100_000  # entries of any one list
MAX_TEXT = 500  # characters of any one text (a name, a granting body)
MAX_DIGITS = 15  # digits before the decimal point of an amount (PLN 999 trillion)

ROOT = define("aid.path.root", "(document)")

UNKNOWN_KEY = define("aid.file.unknown_key", "{path}: unknown key")
MISSING_KEY = define("aid.file.missing_key", "{path}: required key is missing")
NOT_OBJECT = define("aid.file.not_object", "{path}: expected an object (key: value), got {value}")
NOT_LIST = define("aid.file.not_list", "{path}: expected a list, got {value}")
NOT_TEXT = define("aid.file.not_text", "{path}: expected a string, got {value}")
NOT_BOOL = define("aid.file.not_bool", "{path}: expected true or false, got {value}")
EMPTY = define("aid.file.empty", "{path}: empty value")
TOO_LONG = define(
    "aid.file.too_long", "{path}: too long: {length} characters, at most {limit} allowed"
)
TOO_MANY_ITEMS = define(
    "aid.file.too_many_items", "{path}: too many entries: {length}, at most {limit} allowed"
)
BAD_FORMAT = define(
    "aid.file.format", "{path}: unsupported format {value}; expected 'klaster-aid/1'"
)
BAD_DATE = define("aid.file.date", "{path}: not a date (YYYY-MM-DD): {value}")
BAD_MONEY = define(
    "aid.file.money",
    "{path}: not an amount (a decimal above 0 with at most 2 decimals): {value}",
)
BAD_MID = define(
    "aid.file.mid",
    "{path}: not an exchange rate (a decimal above 0 with at most 4 decimals): {value}",
)
BAD_NIP = define("aid.file.nip", "{path}: not a NIP (10 digits with a valid check digit): {value}")
NIP_QUOTE = define(
    "aid.file.nip_quote", "{path}: a NIP is text: put it in quotes ('{value}'), not a number"
)
BAD_FISCAL = define(
    "aid.file.fiscal_year_start",
    "{path}: not the first day of a fiscal year (MM-DD, day 01–28): {value}",
)
BAD_TABLE = define(
    "aid.file.table_number",
    "{path}: not the number of an NBP table A (such as 043/A/NBP/2024): {value}",
)
BAD_CHOICE = define("aid.file.choice", "{path}: value {value} is not allowed; allowed: {allowed}")
SGEI_REFUSED = define(
    "aid.file.sgei",
    "{path}: de minimis for services of general economic interest ({value}) is outside "
    "klaster-aid/1",
)
DUPLICATE_NIP = define(
    "aid.file.duplicate_nip", "{path}: NIP {value} is listed twice (first at {first})"
)
DUPLICATE_ID = define(
    "aid.file.duplicate_id", "{path}: grant id {value} is used twice (first at {first})"
)
DUPLICATE_TABLE = define(
    "aid.file.duplicate_table", "{path}: a second table of {value} (first at {first})"
)
REPEATED = define("aid.file.repeated", "{path}: {value} is listed twice")
UNKNOWN_NIP = define(
    "aid.file.unknown_nip", "{path}: {value} is not an undertaking of the file (undertakings[].nip)"
)
UNKNOWN_GRANT = define("aid.file.unknown_grant", "{path}: no grant has the id {value}")
DATE_ORDER = define("aid.file.date_order", "{path}: {value} is before {other_key} ({other})")
SELF_LINK = define("aid.file.self_link", "{path}: an undertaking cannot control itself ({value})")
SELF_MERGER = define("aid.file.self_merger", "{path}: {value} cannot absorb itself")
CEASED = define(
    "aid.file.ceased", "{path}: {value} ceased on {ceased} ({where}) and no longer exists on {date}"
)
CEASES_TWICE = define(
    "aid.file.ceases_twice", "{path}: {value} already ceased on {ceased} ({where})"
)
NOT_SUCCESSOR = define(
    "aid.file.not_successor", "{path}: {value} is not one of this split's successors"
)
ASSIGN_NOT_BEFORE = define(
    "aid.file.assign_date",
    "{path}: grant {value} is dated {grant_date}, not before the split ({date})",
)
NO_VALUE = define("aid.file.no_value", "{path}: a grant needs pln, eur or both")
TOO_LATE = define(
    "aid.file.regulation_late",
    "{path}: a grant under {regulation} is dated {limit} at the latest, not {value}",
)
TOO_EARLY = define(
    "aid.file.regulation_early",
    "{path}: a grant under {regulation} is dated {limit} at the earliest, not {value}",
)
TOO_MANY = define("aid.file.too_many", "stopped after {limit} problems")


class AidFileError(ValueError):
    """An aid file could not be read: ``issues`` holds one message per problem."""

    def __init__(self, issues: list[Msg], parse_lines: Mapping[str, list[str]] | None = None):
        self.issues = tuple(issues)
        self._parse_lines = dict(parse_lines or {})
        super().__init__("\n".join(self.render("en")))

    def render(self, lang: Lang = "pl") -> list[str]:
        """One line per problem, in ``lang``."""
        if self._parse_lines:
            return list(self._parse_lines.get(lang, self._parse_lines["pl"]))
        return [say(m, lang) for m in self.issues]

    @property
    def messages(self) -> list[str]:
        return self.render("pl")


class _TooMany(Exception):
    pass


_MISSING: Any = object()
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DECIMAL_TEXT = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_FISCAL = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$")
_TABLE_NUMBER = re.compile(r"^[0-9]{3}/A/NBP/[0-9]{4}$")


def valid_nip(value: object) -> bool:
    """A string of 10 digits whose check digit holds (weights 6,5,7,2,3,4,5,6,7, sum mod 11)."""
    if not isinstance(value, str) or len(value) != 10 or not value.isascii():
        return False
    if not value.isdigit():
        return False
    check = sum(w * int(d) for w, d in zip(_NIP_WEIGHTS, value, strict=False)) % 11
    return check != 10 and check == int(value[9])


def parse_date(value: object) -> dt.date | None:
    """``YYYY-MM-DD`` (text, or a date a reader made) as a date; None if it is not one."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_amount(value: object, places: int = 2) -> Decimal | None:
    """A decimal > 0 with at most ``places`` decimals (a string or a number, never a float)."""
    if isinstance(value, bool) or isinstance(value, float):
        return None
    if isinstance(value, str):
        if not _DECIMAL_TEXT.match(value):
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            return None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    else:
        return None
    if not number.is_finite() or number <= 0:
        return None
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    if exponent < -places or len(digits) + exponent > MAX_DIGITS:
        return None
    return number


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


class _Ctx:
    def __init__(self, limit: int) -> None:
        self.issues: list[Msg] = []
        self.limit = limit

    def add(self, code: str, path: str, **params: Any) -> None:
        where: Any = path if path else Term("aid.path", "root")
        self.issues.append(Msg.of(code, path=where, **params))
        if len(self.issues) >= self.limit:
            raise _TooMany

    # -- shapes ---------------------------------------------------------------------------

    def obj(
        self, value: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.add(NOT_OBJECT, path, value=show(value))
            return None
        allowed = set(required) | set(optional)
        for key in value:
            if key not in allowed:
                self.add(UNKNOWN_KEY, _join(path, str(key)))
        for key in required:
            if key not in value:
                self.add(MISSING_KEY, _join(path, key))
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.add(NOT_LIST, path, value=show(value))
            return []
        if len(value) > MAX_ITEMS:
            self.add(TOO_MANY_ITEMS, path, length=len(value), limit=MAX_ITEMS)
            return []
        return value

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            self.add(NOT_TEXT, path, value=show(value))
            return None
        if not value.strip():
            self.add(EMPTY, path)
            return None
        if len(value) > MAX_TEXT:
            self.add(TOO_LONG, path, length=len(value), limit=MAX_TEXT)
            return None
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        parsed = parse_date(value)
        if parsed is None:
            self.add(BAD_DATE, path, value=show(value))
        return parsed

    def money(self, value: Any, path: str, places: int = 2) -> Decimal | None:
        parsed = parse_amount(value, places)
        if parsed is None:
            self.add(BAD_MONEY if places == 2 else BAD_MID, path, value=show(value))
        return parsed

    def nip(self, value: Any, path: str, known: Mapping[str, object] | None = None) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and valid_nip(f"{value:010d}"):
            self.add(NIP_QUOTE, path, value=f"{value:010d}")
            return None
        if not valid_nip(value):
            self.add(BAD_NIP, path, value=show(value))
            return None
        if known is not None and value not in known:
            self.add(UNKNOWN_NIP, path, value=value)
            return None
        assert isinstance(value, str)
        return value


def _get(record: dict[str, Any], key: str, default: Any = _MISSING) -> Any:
    return record.get(key, default)


# -- the file, part by part --------------------------------------------------------------------


def _undertakings(ctx: _Ctx, raw: Any) -> dict[str, Undertaking]:
    out: dict[str, Undertaking] = {}
    first: dict[str, str] = {}
    for i, item in enumerate(ctx.items(raw, "undertakings")):
        path = _join("undertakings", i)
        rec = ctx.obj(item, path, ("nip", "name"), ("fiscal_year_start", "road_freight"))
        if rec is None:
            continue
        nip = ctx.nip(rec["nip"], _join(path, "nip")) if "nip" in rec else None
        name = ctx.text(rec["name"], _join(path, "name")) if "name" in rec else None
        fiscal = (1, 1)
        if "fiscal_year_start" in rec:
            value = rec["fiscal_year_start"]
            if isinstance(value, str) and _FISCAL.match(value):
                fiscal = (int(value[:2]), int(value[3:]))
            else:
                ctx.add(BAD_FISCAL, _join(path, "fiscal_year_start"), value=show(value))
        road = rec.get("road_freight", False)
        if not isinstance(road, bool):
            ctx.add(NOT_BOOL, _join(path, "road_freight"), value=show(road))
            road = False
        if nip is None:
            continue
        if nip in first:
            ctx.add(DUPLICATE_NIP, _join(path, "nip"), value=nip, first=first[nip])
            continue
        first[nip] = _join(path, "nip")
        if name is not None:
            out[nip] = Undertaking(nip, name, fiscal, road)
    return out


def _links(ctx: _Ctx, raw: Any, known: Mapping[str, object]) -> list[Link]:
    out: list[Link] = []
    for i, item in enumerate(ctx.items(raw, "links")):
        path = _join("links", i)
        rec = ctx.obj(item, path, ("parent", "child", "from"), ("to", "basis"))
        if rec is None:
            continue
        parent = ctx.nip(rec["parent"], _join(path, "parent"), known) if "parent" in rec else None
        child = ctx.nip(rec["child"], _join(path, "child"), known) if "child" in rec else None
        start = ctx.date(rec["from"], _join(path, "from")) if "from" in rec else None
        end = None
        if rec.get("to") is not None:
            end = ctx.date(rec["to"], _join(path, "to"))
            if end is None:
                continue
        basis = rec.get("basis")
        if basis is not None and basis not in ("a", "b", "c", "d"):
            ctx.add(BAD_CHOICE, _join(path, "basis"), value=show(basis), allowed="a, b, c, d")
        if parent is not None and parent == child:
            ctx.add(SELF_LINK, _join(path, "child"), value=child)
            continue
        if start is not None and end is not None and end < start:
            ctx.add(DATE_ORDER, _join(path, "to"), value=end, other_key="from", other=start)
            continue
        if parent is not None and child is not None and start is not None:
            out.append(Link(parent, child, start, end, basis))
    return out


def _nip_list(ctx: _Ctx, raw: Any, path: str, known: Mapping[str, object]) -> list[str] | None:
    items = ctx.items(raw, path)
    if isinstance(raw, list) and not raw:
        ctx.add(EMPTY, path)
        return None
    out: list[str] = []
    ok = True
    for j, value in enumerate(items):
        nip = ctx.nip(value, _join(path, j), known)
        if nip is None:
            ok = False
        elif nip in out:
            ctx.add(REPEATED, _join(path, j), value=nip)
            ok = False
        else:
            out.append(nip)
    return out if ok and items else None


def _mergers(ctx: _Ctx, raw: Any, known: Mapping[str, object]) -> list[Merger]:
    out: list[Merger] = []
    for i, item in enumerate(ctx.items(raw, "mergers")):
        path = _join("mergers", i)
        rec = ctx.obj(item, path, ("date", "into", "absorbed"), ())
        if rec is None:
            continue
        date = ctx.date(rec["date"], _join(path, "date")) if "date" in rec else None
        into = ctx.nip(rec["into"], _join(path, "into"), known) if "into" in rec else None
        absorbed = (
            _nip_list(ctx, rec["absorbed"], _join(path, "absorbed"), known)
            if "absorbed" in rec
            else None
        )
        if into is not None and absorbed is not None and into in absorbed:
            ctx.add(SELF_MERGER, _join(path, f"absorbed[{absorbed.index(into)}]"), value=into)
            continue
        if date is not None and into is not None and absorbed is not None:
            out.append(Merger(date, into, tuple(absorbed)))
    return out


def _splits(
    ctx: _Ctx, raw: Any, known: Mapping[str, object], listed: frozenset[object]
) -> list[tuple[Split, list[tuple[str, str]]]]:
    """The splits, each with the paths of its ``assign`` entries' grant ids (checked later)."""
    out: list[tuple[Split, list[tuple[str, str]]]] = []
    for i, item in enumerate(ctx.items(raw, "splits")):
        path = _join("splits", i)
        rec = ctx.obj(item, path, ("date", "undertaking", "successors"), ("assign",))
        if rec is None:
            continue
        ok = True
        date = ctx.date(rec["date"], _join(path, "date")) if "date" in rec else None
        who = (
            ctx.nip(rec["undertaking"], _join(path, "undertaking"), known)
            if "undertaking" in rec
            else None
        )
        successors: list[Successor] = []
        if "successors" in rec:
            spath = _join(path, "successors")
            raw_successors = ctx.items(rec["successors"], spath)
            if isinstance(rec["successors"], list) and not rec["successors"]:
                ctx.add(EMPTY, spath)
                ok = False
            for j, s in enumerate(raw_successors):
                sp = _join(spath, j)
                srec = ctx.obj(s, sp, ("nip", "equity_pln"), ())
                if srec is None:
                    ok = False
                    continue
                nip = ctx.nip(srec["nip"], _join(sp, "nip"), known) if "nip" in srec else None
                equity = (
                    ctx.money(srec["equity_pln"], _join(sp, "equity_pln"))
                    if "equity_pln" in srec
                    else None
                )
                if nip is not None and any(x.nip == nip for x in successors):
                    ctx.add(REPEATED, _join(sp, "nip"), value=nip)
                    ok = False
                elif nip is None or equity is None:
                    ok = False
                else:
                    successors.append(Successor(nip, equity))
        assign: list[tuple[str, str]] = []
        assign_paths: list[tuple[str, str]] = []
        if "assign" in rec:
            apath = _join(path, "assign")
            seen: set[str] = set()
            for j, a in enumerate(ctx.items(rec["assign"], apath)):
                ap = _join(apath, j)
                arec = ctx.obj(a, ap, ("grant", "to"), ())
                if arec is None:
                    ok = False
                    continue
                grant = ctx.text(arec["grant"], _join(ap, "grant")) if "grant" in arec else None
                to = ctx.nip(arec["to"], _join(ap, "to"), known) if "to" in arec else None
                if to is not None and successors and all(s.nip != to for s in successors):
                    ctx.add(NOT_SUCCESSOR, _join(ap, "to"), value=to)
                    ok = False
                if grant is not None and grant not in listed:
                    ctx.add(UNKNOWN_GRANT, _join(ap, "grant"), value=grant)
                    ok = False
                elif grant is not None and grant in seen:
                    ctx.add(REPEATED, _join(ap, "grant"), value=grant)
                    ok = False
                elif grant is None or to is None:
                    ok = False
                else:
                    seen.add(grant)
                    assign.append((grant, to))
                    assign_paths.append((grant, _join(ap, "grant")))
        if ok and date is not None and who is not None and successors:
            out.append((Split(date, who, tuple(successors), tuple(assign)), assign_paths))
    return out


def _grants(ctx: _Ctx, raw: Any, known: Mapping[str, object]) -> list[tuple[Grant, str]]:
    out: list[tuple[Grant, str]] = []
    first: dict[str, str] = {}
    for i, item in enumerate(ctx.items(raw, "grants")):
        path = _join("grants", i)
        rec = ctx.obj(
            item,
            path,
            ("id", "undertaking", "body", "regulation", "date"),
            ("pln", "eur", "certificate"),
        )
        if rec is None:
            continue
        gid = ctx.text(rec["id"], _join(path, "id")) if "id" in rec else None
        who = (
            ctx.nip(rec["undertaking"], _join(path, "undertaking"), known)
            if "undertaking" in rec
            else None
        )
        body = ctx.text(rec["body"], _join(path, "body")) if "body" in rec else None
        regulation: str | None = None
        if "regulation" in rec:
            value = rec["regulation"]
            if value in REGULATIONS:
                regulation = value
            elif value in SGEI:
                ctx.add(SGEI_REFUSED, _join(path, "regulation"), value=value)
            else:
                ctx.add(
                    BAD_CHOICE,
                    _join(path, "regulation"),
                    value=show(value),
                    allowed=", ".join(REGULATIONS),
                )
        date = ctx.date(rec["date"], _join(path, "date")) if "date" in rec else None
        pln = ctx.money(rec["pln"], _join(path, "pln")) if "pln" in rec else None
        eur = ctx.money(rec["eur"], _join(path, "eur")) if "eur" in rec else None
        if "pln" not in rec and "eur" not in rec:
            ctx.add(NO_VALUE, path)
        certificate = None
        if "certificate" in rec:
            certificate = ctx.text(rec["certificate"], _join(path, "certificate"))
        if regulation is not None and date is not None:
            if regulation == R1407 and date > LAST_1407:
                ctx.add(
                    TOO_LATE, _join(path, "date"), regulation=R1407, limit=LAST_1407, value=date
                )
                date = None
            elif regulation == R2831 and date < FIRST_2831:
                ctx.add(
                    TOO_EARLY, _join(path, "date"), regulation=R2831, limit=FIRST_2831, value=date
                )
                date = None
        if gid is not None:
            if gid in first:
                ctx.add(DUPLICATE_ID, _join(path, "id"), value=gid, first=first[gid])
                continue
            first[gid] = _join(path, "id")
        values_ok = ("pln" not in rec or pln is not None) and ("eur" not in rec or eur is not None)
        if (
            gid is not None
            and who is not None
            and body is not None
            and regulation is not None
            and date is not None
            and (pln is not None or eur is not None)
            and values_ok
        ):
            out.append((Grant(gid, who, body, regulation, date, pln, eur, certificate), path))
    return out


def _rates(ctx: _Ctx, raw: Any) -> Rates:
    rec = ctx.obj(raw, "eur_rates", ("tables",), ("complete_through",))
    if rec is None:
        return Rates((), None)
    through = None
    if "complete_through" in rec:
        through = ctx.date(rec["complete_through"], "eur_rates.complete_through")
    tables: list[RateTable] = []
    first: dict[dt.date, str] = {}
    for i, item in enumerate(ctx.items(rec.get("tables", []), "eur_rates.tables")):
        path = _join("eur_rates.tables", i)
        trec = ctx.obj(item, path, ("date", "number", "mid"), ())
        if trec is None:
            continue
        date = ctx.date(trec["date"], _join(path, "date")) if "date" in trec else None
        number = None
        if "number" in trec:
            value = trec["number"]
            if isinstance(value, str) and _TABLE_NUMBER.match(value):
                number = value
            else:
                ctx.add(BAD_TABLE, _join(path, "number"), value=show(value))
        mid = ctx.money(trec["mid"], _join(path, "mid"), places=4) if "mid" in trec else None
        if date is not None and date in first:
            ctx.add(DUPLICATE_TABLE, _join(path, "date"), value=date, first=first[date])
            continue
        if date is not None:
            first[date] = _join(path, "date")
        if date is not None and number is not None and mid is not None:
            tables.append(RateTable(date, number, mid))
    tables.sort(key=lambda t: t.date)
    if through is None and tables:
        through = tables[-1].date
    return Rates(tuple(tables), through)


def _ceased_checks(
    ctx: _Ctx,
    mergers: list[Merger],
    splits: list[Split],
    grants: list[tuple[Grant, str]],
    assign_paths: list[list[tuple[str, str]]],
) -> None:
    """An undertaking ceases once and takes part in nothing dated from that day."""
    ceased: dict[str, Ceased] = {}

    def cease(nip: str, date: dt.date, path: str, where: str) -> None:
        known = ceased.get(nip)
        if known is not None:
            ctx.add(CEASES_TWICE, path, value=nip, ceased=known.date, where=known.where)
        else:
            ceased[nip] = Ceased(date, where)

    for i, m in enumerate(mergers):
        for j, nip in enumerate(m.absorbed):
            cease(nip, m.date, f"mergers[{i}].absorbed[{j}]", f"mergers[{i}]")
    for i, s in enumerate(splits):
        if not s.continues:
            cease(s.undertaking, s.date, f"splits[{i}].undertaking", f"splits[{i}]")

    def alive(nip: str, date: dt.date, path: str, own: str | None = None) -> None:
        known = ceased.get(nip)
        if known is not None and known.where != own and known.date <= date:
            ctx.add(CEASED, path, value=nip, ceased=known.date, where=known.where, date=date)

    for i, m in enumerate(mergers):
        here = f"mergers[{i}]"
        alive(m.into, m.date, f"{here}.into")
        for j, nip in enumerate(m.absorbed):
            alive(nip, m.date, f"{here}.absorbed[{j}]", own=here)
    for i, s in enumerate(splits):
        here = f"splits[{i}]"
        alive(s.undertaking, s.date, f"{here}.undertaking", own=here)
        for j, succ in enumerate(s.successors):
            if succ.nip != s.undertaking:
                alive(succ.nip, s.date, f"{here}.successors[{j}].nip")
    for g, path in grants:
        alive(g.undertaking, g.date, f"{path}.undertaking")
    by_id = {g.id: g for g, _ in grants}
    for s, paths in zip(splits, assign_paths, strict=True):
        for gid, path in paths:
            found = by_id.get(gid)  # None: unknown (reported by _splits) or refused itself
            if found is not None and found.date >= s.date:
                ctx.add(ASSIGN_NOT_BEFORE, path, value=gid, grant_date=found.date, date=s.date)


def _file(ctx: _Ctx, obj: Any) -> AidFile | None:
    keys = ("undertakings", "links", "mergers", "splits", "grants", "eur_rates")
    rec = ctx.obj(obj, "", ("format", "undertakings"), keys)
    if rec is None:
        return None
    if "format" in rec and rec["format"] != FORMAT:
        ctx.add(BAD_FORMAT, "format", value=show(rec["format"]))
    known = _undertakings(ctx, rec.get("undertakings", []))
    # a NIP listed but refused (bad name…) still resolves, so that its references are not
    # reported a second time
    names: dict[str, object] = dict(known)
    for item in rec.get("undertakings", []) if isinstance(rec.get("undertakings"), list) else []:
        if isinstance(item, dict) and valid_nip(item.get("nip")):
            names.setdefault(item["nip"], None)
    links = _links(ctx, rec.get("links", []), names)
    mergers = _mergers(ctx, rec.get("mergers", []), names)
    raw_grants = rec.get("grants")
    listed = frozenset(
        g.get("id")
        for g in (raw_grants if isinstance(raw_grants, list) else [])
        if isinstance(g, dict) and isinstance(g.get("id"), str)
    )
    split_records = _splits(ctx, rec.get("splits", []), names, listed)
    grants = _grants(ctx, rec.get("grants", []), names)
    rates = _rates(ctx, rec["eur_rates"]) if "eur_rates" in rec else Rates((), None)
    splits = [s for s, _ in split_records]
    _ceased_checks(ctx, mergers, splits, grants, [p for _, p in split_records])
    return AidFile(
        undertakings=tuple(known.values()),
        links=tuple(links),
        mergers=tuple(mergers),
        splits=tuple(splits),
        grants=tuple(g for g, _ in grants),
        rates=rates,
    )


def load_data(obj: Any, *, max_issues: int = MAX_ISSUES) -> AidFile:
    """Validate an already parsed aid file (dicts, lists, str, int, Decimal, bool, None)."""
    ctx = _Ctx(max_issues)
    try:
        result = _file(ctx, obj)
    except _TooMany:
        ctx.issues.append(Msg.of(TOO_MANY, limit=max_issues))
        raise AidFileError(ctx.issues) from None
    if ctx.issues or result is None:
        raise AidFileError(ctx.issues)
    return result


def load_path(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> AidFile:
    """Read an aid file; YAML or JSON by its ending (.yaml, .yml, .json).

    A file over ``max_bytes`` is refused before it is read; nesting and YAML aliases are
    bounded while it is parsed (klaster.rules.dataset.limits)."""
    from klaster.rules.dataset.errors import DatasetError
    from klaster.rules.dataset.load import parse_path

    try:
        parsed = parse_path(path, max_bytes=max_bytes)
    except DatasetError as exc:
        raise AidFileError([], {"pl": exc.render("pl"), "en": exc.render("en")}) from exc
    return load_data(parsed)
