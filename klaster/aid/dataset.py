"""A ``klaster-aid/1`` file (shared/spec/AID-DATASET.md) into one cluster's register (AID-1 …
AID-3): `klaster aid import FILE --cluster SLUG`.

The file is read and validated by the pure reader (`klaster.rules.aid.load.load_path`); what
this module adds is the register's side: everything is checked against what is already stored
before anything is written, and then written in one transaction — all or nothing.

- **Undertakings** are matched by NIP. One already in the register is kept as it is when the
  file says the same of it (name — compared without case and runs of spaces —, the first day
  of its fiscal year, road freight); when the file says otherwise the import is refused naming
  the field: the register is never changed behind the office's back. A new one is linked to
  the cluster's member of the same NIP, if there is one.
- **Links, mergers, splits** already stored (the same parent, child and days; the same date,
  absorbing and absorbed; the same date, split undertaking, successors and equity) are kept
  once, so importing a file again adds nothing. An undertaking may cease once: a merger or a
  split ceasing one the register already has ceased is refused, and so are a grant to, or an
  event of, an undertaking ceased by then in the register, and a new ceasing of one that the
  register holds later grants for.
- **Grants** get ``ref`` = the file's id, ``source`` = import, ``body_name`` = body, the batch
  of this import; a grant whose id the same undertaking already has in the register is the
  same grant: kept when every value is the same, refused otherwise (never edited: a correction
  is a new row superseding it, AID-8).
- **NBP tables** (shared by every cluster, AID-2): a table of a date not stored is added; a
  stored date with another number or mid is refused naming it (never changed); a new date
  inside the stored series' complete range is refused too (the stored series says NBP
  published no table that day). The tables then go through the series' one door,
  `klaster.aid.rates.store`: ``complete_through`` becomes the file's when none is stored, or
  when the file goes further and its tables continue the stored ones with no business day
  between — otherwise it stays and the result says why: a gap would let a check use an older
  rate, which AID-2 forbids.

Rows go in with `klaster.core.bulk.insert_rows` (executemany on SQLite, COPY on PostgreSQL):
the benchmark loads a million grants (benchmarks/bench_aid.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction

from klaster.aid import rates as nbp
from klaster.aid.models import (
    ControlLink,
    Grant,
    ImportBatch,
    Merger,
    RateSeries,
    RateTable,
    Split,
    SplitAssignment,
    SplitSuccessor,
    Undertaking,
)
from klaster.core.audit import audit_record
from klaster.core.bulk import insert_rows
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.rules.aid import model as m
from klaster.rules.message import Msg, define

T = TypeVar("T")

#: values per ``IN (…)`` list: below SQLite's and PostgreSQL's parameter limits
CHUNK = 5000
MAX_ISSUES = 100

NAME_CONFLICT = define(
    "aid.import.name",
    "{path}: {nip} is in the register as “{stored}”, the file names it “{value}”; "
    "correct one of them first",
)
FISCAL_CONFLICT = define(
    "aid.import.fiscal_year_start",
    "{path}: {nip}'s fiscal year begins on {stored} (MM-DD) in the register, {value} in the file",
)
ROAD_CONFLICT = define(
    "aid.import.road_freight",
    "{path}: road_freight of {nip} is {stored} in the register, {value} in the file",
)
GRANT_CONFLICT = define(
    "aid.import.grant",
    "{path}: {nip} already has grant {ref} in the register with other values; a grant is never "
    "edited — record a correction instead",
)
TOO_LONG = define(
    "aid.import.too_long", "{path}: too long for the register: {length} characters, at most {limit}"
)
CEASED = define(
    "aid.import.ceased",
    "{path}: {nip} ceased on {ceased} according to the register and no longer exists on {date}",
)
CEASES_TWICE = define(
    "aid.import.ceases_twice", "{path}: {nip} already ceased on {ceased} according to the register"
)
LATER_GRANTS = define(
    "aid.import.later_grants",
    "{path}: {nip} would cease on {date}, but the register holds its grant {ref} of {granted}",
)
RATE_CONFLICT = define(
    "aid.import.rate",
    "eur_rates.tables ({date}): the stored NBP table of {date} is {stored_number} at {stored_mid}, "
    "the file says {number} at {mid}; a stored rate is never changed",
)
RATE_NO_TABLE = define(
    "aid.import.rate_no_table",
    "eur_rates.tables ({date}): the stored series is complete from {first} through {through} "
    "and has no table on {date}",
)
NOT_JOINED = define(
    "aid.import.not_joined",
    "The stored NBP series stays complete through {through}: the file's tables begin on {first}, "
    "so the days between are not known",
)
TOO_MANY = define("aid.import.too_many", "stopped after {limit} problems")


class ImportRefused(ValueError):
    """The file cannot go into the register: ``issues`` says why (nothing was written)."""

    def __init__(self, issues: Sequence[Msg]) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(i.code for i in self.issues))


class _Stop(Exception):
    pass


@dataclass
class Imported:
    """What an import wrote (new) and found already stored (kept)."""

    batch: ImportBatch
    undertakings: int = 0
    undertakings_kept: int = 0
    links: int = 0
    links_kept: int = 0
    mergers: int = 0
    mergers_kept: int = 0
    splits: int = 0
    splits_kept: int = 0
    grants: int = 0
    grants_kept: int = 0
    rates: int = 0
    rates_kept: int = 0
    complete_through: dt.date | None = None
    notes: list[Msg] = field(default_factory=list)


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip().casefold()

    return norm(a) == norm(b)


def _fiscal(month: int, day: int) -> str:
    return f"{month:02d}-{day:02d}"


def _max_length(model: type, name: str) -> int:
    return int(model._meta.get_field(name).max_length)  # type: ignore[attr-defined]


class _Issues:
    def __init__(self) -> None:
        self.items: list[Msg] = []

    def add(self, code: str, **params: Any) -> None:
        self.items.append(Msg.of(code, **params))
        if len(self.items) >= MAX_ISSUES:
            self.items.append(Msg.of(TOO_MANY, limit=MAX_ISSUES))
            raise _Stop

    def length(self, path: str, value: str | None, model: type, name: str) -> None:
        limit = _max_length(model, name)
        if value is not None and len(value) > limit:
            self.add(TOO_LONG, path=path, length=len(value), limit=limit)


def _grant_values(g: m.Grant) -> tuple[Any, ...]:
    return (g.body, g.regulation, g.date, g.pln, g.eur, g.certificate or "")


def _stored_ceased(cluster: Cluster) -> tuple[dict[str, dt.date], list[Merger], list[Split]]:
    """The register's mergers and splits, and the NIPs they ceased with the day."""
    mergers = list(
        Merger.objects.filter(cluster=cluster).select_related("into").prefetch_related("absorbed")
    )
    splits = list(
        Split.objects.filter(cluster=cluster)
        .select_related("undertaking")
        .prefetch_related("successors__undertaking", "assignments__grant", "assignments__to")
    )
    ceased: dict[str, dt.date] = {}
    for x in mergers:
        for u in x.absorbed.all():
            ceased[u.nip] = min(ceased.get(u.nip, x.date), x.date)
    for s in splits:
        if not any(succ.undertaking_id == s.undertaking_id for succ in s.successors.all()):
            nip = s.undertaking.nip
            ceased[nip] = min(ceased.get(nip, s.date), s.date)
    return ceased, mergers, splits


def register_import(
    *, cluster: Cluster, aid_file: m.AidFile, filename: str, user: Any = None
) -> Imported:
    """The file's undertakings, links, mergers, splits, grants and NBP tables into ``cluster``'s
    register, all or nothing (see the module). ImportRefused with every problem found."""
    with transaction.atomic():
        return _import(cluster, aid_file, filename, user)


def _import(cluster: Cluster, f: m.AidFile, filename: str, user: Any) -> Imported:
    issues = _Issues()
    try:
        plan = _plan(cluster, f, issues)
    except _Stop:
        plan = None
    if issues.items or plan is None:
        raise ImportRefused(issues.items)
    return _write(cluster, f, filename, user, plan)


@dataclass
class _Plan:
    ids: dict[str, int]  # NIP → pk of the undertakings already stored
    new_undertakings: list[m.Undertaking]
    members: dict[str, int]  # NIP → member pk, for the new ones
    links: list[m.Link]
    links_kept: int
    mergers: list[m.Merger]
    mergers_kept: int
    splits: list[m.Split]
    splits_kept: int
    grants: list[m.Grant]
    grants_kept: dict[tuple[str, str], int]  # (NIP, ref) → pk of the stored grant
    rates: list[m.RateTable]
    rates_kept: int


def _plan(cluster: Cluster, f: m.AidFile, issues: _Issues) -> _Plan:
    ids: dict[str, int] = {}
    new: list[m.Undertaking] = []
    nips = [u.nip for u in f.undertakings]
    stored: dict[str, tuple[int, str, int, int, bool]] = {}
    for chunk in _chunks(nips):
        for pk, nip, name, month, day, road in Undertaking.objects.filter(
            cluster=cluster, nip__in=chunk
        ).values_list(
            "pk", "nip", "name", "fiscal_year_start_month", "fiscal_year_start_day", "road_freight"
        ):
            stored[nip] = (pk, name, month, day, road)
    for i, u in enumerate(f.undertakings):
        path = f"undertakings[{i}]"
        issues.length(f"{path}.name", u.name, Undertaking, "name")
        known = stored.get(u.nip)
        if known is None:
            new.append(u)
            continue
        pk, name, month, day, road = known
        ids[u.nip] = pk
        if not _same_name(name, u.name):
            issues.add(NAME_CONFLICT, path=f"{path}.name", nip=u.nip, stored=name, value=u.name)
        if (month, day) != u.fiscal_year_start:
            issues.add(
                FISCAL_CONFLICT,
                path=f"{path}.fiscal_year_start",
                nip=u.nip,
                stored=_fiscal(month, day),
                value=_fiscal(*u.fiscal_year_start),
            )
        if road != u.road_freight:
            issues.add(
                ROAD_CONFLICT,
                path=f"{path}.road_freight",
                nip=u.nip,
                stored="true" if road else "false",
                value="true" if u.road_freight else "false",
            )
    members: dict[str, int] = {}
    new_nips = [u.nip for u in new]
    for chunk in _chunks(new_nips):
        seen: dict[str, list[int]] = {}
        for pk, nip in Member.objects.filter(cluster=cluster, nip__in=chunk).values_list(
            "pk", "nip"
        ):
            seen.setdefault(nip, []).append(pk)
        members.update({nip: pks[0] for nip, pks in seen.items() if len(pks) == 1})

    existing = set(ids.values())
    ceased, stored_mergers, stored_splits = _stored_ceased(cluster) if existing else ({}, [], [])

    # -- links: the same link stored is kept once
    stored_links: set[tuple[int, int, dt.date, dt.date | None]] = set()
    if existing:
        for pks in _chunks(sorted(existing)):
            stored_links.update(
                ControlLink.objects.filter(cluster=cluster, parent_id__in=pks).values_list(
                    "parent_id", "child_id", "start", "end"
                )
            )
    links: list[m.Link] = []
    kept_links = 0
    for i, link in enumerate(f.links):
        key = (ids.get(link.parent, -1), ids.get(link.child, -1), link.start, link.end)
        if key in stored_links:
            kept_links += 1
            continue
        for role in ("parent", "child"):
            nip = getattr(link, role)
            gone = ceased.get(nip)
            if gone is not None and gone <= link.start:
                issues.add(CEASED, path=f"links[{i}].{role}", nip=nip, ceased=gone, date=link.start)
        links.append(link)

    # -- mergers and splits: the same event stored is kept once; one ceasing per undertaking
    merger_keys = {
        (x.date, x.into.nip, frozenset(u.nip for u in x.absorbed.all())) for x in stored_mergers
    }
    split_keys = {
        (
            s.date,
            s.undertaking.nip,
            tuple((x.undertaking.nip, x.equity_pln) for x in s.successors.all()),
        )
        for s in stored_splits
    }
    mergers: list[m.Merger] = []
    kept_mergers = 0
    ceasing: list[tuple[str, dt.date, str]] = []  # (NIP, day, path) ceasing anew
    for i, x in enumerate(f.mergers):
        if (x.date, x.into, frozenset(x.absorbed)) in merger_keys:
            kept_mergers += 1
            continue
        mergers.append(x)
        _alive(issues, ceased, x.into, x.date, f"mergers[{i}].into")
        for j, nip in enumerate(x.absorbed):
            path = f"mergers[{i}].absorbed[{j}]"
            if nip in ceased:
                issues.add(CEASES_TWICE, path=path, nip=nip, ceased=ceased[nip])
            else:
                ceasing.append((nip, x.date, path))
    splits: list[m.Split] = []
    kept_splits = 0
    for i, s in enumerate(f.splits):
        split_key = (s.date, s.undertaking, tuple((x.nip, x.equity_pln) for x in s.successors))
        if split_key in split_keys:
            kept_splits += 1
            continue
        splits.append(s)
        path = f"splits[{i}].undertaking"
        if s.continues:
            _alive(issues, ceased, s.undertaking, s.date, path)
        elif s.undertaking in ceased:
            issues.add(CEASES_TWICE, path=path, nip=s.undertaking, ceased=ceased[s.undertaking])
        else:
            ceasing.append((s.undertaking, s.date, path))
        for j, succ in enumerate(s.successors):
            if succ.nip != s.undertaking:
                _alive(issues, ceased, succ.nip, s.date, f"splits[{i}].successors[{j}].nip")

    # -- grants: the same id of the same undertaking is the same grant
    stored_grants: dict[tuple[int, str], tuple[int, tuple[Any, ...]]] = {}
    if existing:
        for pks in _chunks(sorted(existing)):
            for row in (
                Grant.objects.filter(cluster=cluster, undertaking_id__in=pks)
                .exclude(ref="")
                .values_list(
                    "pk",
                    "undertaking_id",
                    "ref",
                    "body_name",
                    "regulation",
                    "granted_on",
                    "amount_pln",
                    "amount_eur",
                    "certificate_no",
                )
            ):
                stored_grants[(row[1], row[2])] = (row[0], tuple(row[3:]))
    grants: list[m.Grant] = []
    kept_grants: dict[tuple[str, str], int] = {}
    for i, g in enumerate(f.grants):
        path = f"grants[{i}]"
        issues.length(f"{path}.id", g.id, Grant, "ref")
        issues.length(f"{path}.body", g.body, Grant, "body_name")
        issues.length(f"{path}.certificate", g.certificate, Grant, "certificate_no")
        found = stored_grants.get((ids.get(g.undertaking, -1), g.id))
        if found is not None:
            if found[1] == _grant_values(g):
                kept_grants[(g.undertaking, g.id)] = found[0]
            else:
                issues.add(GRANT_CONFLICT, path=f"{path}.id", nip=g.undertaking, ref=g.id)
            continue
        _alive(issues, ceased, g.undertaking, g.date, f"{path}.undertaking")
        grants.append(g)
    # a new ceasing may not leave later grants of the register behind it
    if ceasing:
        first: dict[str, tuple[dt.date, str]] = {}
        for nip, when, path in ceasing:
            if nip in ids and (nip not in first or when < first[nip][0]):
                first[nip] = (when, path)
        by_pk = {ids[nip]: nip for nip in first}
        for pks in _chunks(sorted(by_pk)):
            for uid, ref, pk, granted in Grant.objects.filter(
                cluster=cluster, undertaking_id__in=pks
            ).values_list("undertaking_id", "ref", "pk", "granted_on"):
                nip = by_pk[uid]
                when, path = first[nip]
                if granted >= when:
                    issues.add(
                        LATER_GRANTS,
                        path=path,
                        nip=nip,
                        date=when,
                        ref=ref or f"#{pk}",
                        granted=granted,
                    )

    rates, rates_kept = _plan_rates(f.rates, issues)
    return _Plan(
        ids=ids,
        new_undertakings=new,
        members=members,
        links=links,
        links_kept=kept_links,
        mergers=mergers,
        mergers_kept=kept_mergers,
        splits=splits,
        splits_kept=kept_splits,
        grants=grants,
        grants_kept=kept_grants,
        rates=rates,
        rates_kept=rates_kept,
    )


def _alive(issues: _Issues, ceased: dict[str, dt.date], nip: str, day: dt.date, path: str) -> None:
    gone = ceased.get(nip)
    if gone is not None and gone <= day:
        issues.add(CEASED, path=path, nip=nip, ceased=gone, date=day)


def _plan_rates(rates: m.Rates, issues: _Issues) -> tuple[list[m.RateTable], int]:
    """The file's tables not stored yet; every stored one that differs is an issue (the one
    door, klaster.aid.rates.store, would refuse it too — here it is named with the rest)."""
    if not rates.tables:
        return [], 0
    dates = [t.date for t in rates.tables]
    stored: dict[dt.date, tuple[str, Decimal]] = {}
    for chunk in _chunks(dates):
        for date, number, mid in RateTable.objects.filter(date__in=chunk).values_list(
            "date", "number", "mid"
        ):
            stored[date] = (number, mid)
    series = RateSeries.objects.order_by("pk").first()
    through = series.complete_through if series else None
    first_stored = RateTable.objects.order_by("date").values_list("date", flat=True).first()
    new: list[m.RateTable] = []
    kept = 0
    for t in rates.tables:
        known = stored.get(t.date)
        if known is not None:
            if known != (t.number, t.mid):
                issues.add(
                    RATE_CONFLICT,
                    date=t.date,
                    stored_number=known[0],
                    stored_mid=f"{known[1]:.4f}",
                    number=t.number,
                    mid=f"{t.mid:.4f}",
                )
            else:
                kept += 1
            continue
        if through is not None and first_stored is not None and first_stored <= t.date <= through:
            issues.add(RATE_NO_TABLE, date=t.date, first=first_stored, through=through)
            continue
        new.append(t)
    return new, kept


def _write(cluster: Cluster, f: m.AidFile, filename: str, user: Any, plan: _Plan) -> Imported:
    batch = ImportBatch.objects.create(
        cluster=cluster,
        filename=filename[: _max_length(ImportBatch, "filename")],
        rows=len(plan.grants),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    done = Imported(batch=batch)
    ids = dict(plan.ids)
    if plan.new_undertakings:
        insert_rows(
            Undertaking,
            (
                "cluster_id",
                "nip",
                "name",
                "member_id",
                "fiscal_year_start_month",
                "fiscal_year_start_day",
                "road_freight",
            ),
            (
                (
                    cluster.pk,
                    u.nip,
                    u.name,
                    plan.members.get(u.nip),
                    u.fiscal_year_start[0],
                    u.fiscal_year_start[1],
                    u.road_freight,
                )
                for u in plan.new_undertakings
            ),
        )
        for chunk in _chunks([u.nip for u in plan.new_undertakings]):
            ids.update(
                Undertaking.objects.filter(cluster=cluster, nip__in=chunk).values_list("nip", "pk")
            )
    done.undertakings = len(plan.new_undertakings)
    done.undertakings_kept = len(f.undertakings) - done.undertakings

    insert_rows(
        ControlLink,
        ("cluster_id", "parent_id", "child_id", "start", "end", "basis"),
        (
            (cluster.pk, ids[x.parent], ids[x.child], x.start, x.end, x.basis or "")
            for x in plan.links
        ),
    )
    done.links, done.links_kept = len(plan.links), plan.links_kept

    done.grants = insert_rows(
        Grant,
        (
            "cluster_id",
            "undertaking_id",
            "kind",
            "source",
            "ref",
            "body_name",
            "regulation",
            "granted_on",
            "amount_pln",
            "amount_eur",
            "certificate_no",
            "batch_id",
            "created_by_id",
        ),
        (
            (
                cluster.pk,
                ids[g.undertaking],
                Grant.Kind.ORIGINAL.value,
                Grant.Source.IMPORT.value,
                g.id,
                g.body,
                g.regulation,
                g.date,
                g.pln,
                g.eur,
                g.certificate or "",
                batch.pk,
                batch.created_by_id,
            )
            for g in plan.grants
        ),
    )
    done.grants_kept = len(plan.grants_kept)

    _write_events(cluster, plan, ids, batch)
    done.mergers, done.mergers_kept = len(plan.mergers), plan.mergers_kept
    done.splits, done.splits_kept = len(plan.splits), plan.splits_kept

    if f.rates.tables:
        # the one door into the stored series (AID-2): complete_through moves only forward and
        # only when the file's tables continue the stored ones without a business day between
        assert f.rates.complete_through is not None
        old = nbp.series_state()[0]
        stored = nbp.store(
            [nbp.Table(t.date, t.number, t.mid) for t in f.rates.tables],
            covered=(f.rates.tables[0].date, f.rates.complete_through),
            source=f"klaster aid import {filename}",
            user=user,
            cluster=cluster,
        )
        done.rates, done.rates_kept = stored.added, stored.unchanged
        done.complete_through = stored.complete_through
        if stored.gap is not None:
            first = f.rates.tables[0].date
            done.notes.append(Msg.of(NOT_JOINED, through=old, first=first))
    else:
        done.complete_through = nbp.series_state()[0]

    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=batch,
        object_repr=f"klaster-aid/1 {filename}"[:300],
        changes={
            "undertakings": [done.undertakings],
            "links": [done.links],
            "mergers": [done.mergers],
            "splits": [done.splits],
            "grants": [done.grants],
            "rates": [done.rates],
        },
        source="cli" if user is None else None,
    )
    return done


def _write_events(cluster: Cluster, plan: _Plan, ids: dict[str, int], batch: ImportBatch) -> None:
    """Mergers and splits: few, so row by row (each needs its own id for its parts)."""
    for x in plan.mergers:
        merger = Merger.objects.create(cluster=cluster, date=x.date, into_id=ids[x.into])
        merger.absorbed.add(*(ids[nip] for nip in x.absorbed))
    if not plan.splits:
        return
    # a grant id is unique in the file: the assigned grant is the one of this import with it,
    # or the stored one the import kept for it
    refs = sorted({gid for s in plan.splits for gid, _to in s.assign})
    grant_pk = {ref: pk for (_nip, ref), pk in plan.grants_kept.items() if ref in set(refs)}
    for chunk in _chunks(refs):
        grant_pk.update(Grant.objects.filter(batch=batch, ref__in=chunk).values_list("ref", "pk"))
    for s in plan.splits:
        split = Split.objects.create(
            cluster=cluster, date=s.date, undertaking_id=ids[s.undertaking]
        )
        SplitSuccessor.objects.bulk_create(
            SplitSuccessor(
                split=split, undertaking_id=ids[x.nip], equity_pln=x.equity_pln, position=k
            )
            for k, x in enumerate(s.successors)
        )
        SplitAssignment.objects.bulk_create(
            SplitAssignment(split=split, grant_id=grant_pk[gid], to_id=ids[to])
            for gid, to in s.assign
        )
