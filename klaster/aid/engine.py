"""The register read into the pure rules (AID-1 … AID-3): one path for every verdict.

`aid_file` reads from the database exactly the part of a cluster's register that a check of one
undertaking on one day can touch, as a `klaster.rules.aid.model.AidFile`; `verdict` hands it to
`klaster.rules.aid.check.check` — the same function `klaster aid check` runs on a file, so the
page, the contract signing and `klaster aid headroom` can never disagree with the file check.

The part read, in a handful of indexed queries whatever the register's size:
- the undertakings joined to the NIP by control links in force on the day, found level by
  level (AID-1) — the rules draw the single undertaking again from these links;
- the undertakings whose history the group holds: absorbed in a merger into one of them, or
  split into one of them (AID-3), and the mergers and splits touching any of these;
- their grants dated in the four years up to the day (every window of AID-3 lies inside),
  without the superseded and voided ones (a correction counts instead of what it corrects);
- the NBP tables a rate is needed for (AID-2): the series' first and, per date, the last table
  on or before it, so `rate_on` answers as on the whole series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q, Subquery

from klaster.aid.models import (
    ControlLink,
    Grant,
    Merger,
    RateSeries,
    RateTable,
    Split,
    Undertaking,
)
from klaster.rules.aid import model as m
from klaster.rules.aid.check import AidRefused, Verdict, check
from klaster.rules.aid.load import valid_nip
from klaster.rules.message import Msg, define

#: every window of AID-3 lies within this many years before the day
HISTORY_YEARS = 4

UNKNOWN = define(
    "aid.register.unknown",
    "{nip} is not in the cluster's register of undertakings: add it (with its links) first",
)
BAD_NIP = define("aid.register.bad_nip", "{nip} is not a NIP (10 digits with a valid check digit)")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 2, 28)


def group_ids(cluster_id: int, start_ids: Iterable[int], day: dt.date) -> set[int]:
    """The undertakings joined to ``start_ids`` by a chain of links in force on ``day`` (either
    direction), by id: one query per level of the chain."""
    seen = set(start_ids)
    frontier = set(seen)
    in_force = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))
    while frontier:
        # by the ids alone (they are the cluster's): with the cluster too, SQLite picks the
        # (cluster, start) index and scans every link of the cluster
        rows = ControlLink.objects.filter(
            in_force, Q(parent_id__in=frontier) | Q(child_id__in=frontier)
        ).values_list("parent_id", "child_id")
        found = {i for pair in rows for i in pair} - seen
        seen |= found
        frontier = found
    return seen


def _history(cluster_id: int, ids: set[int], day: dt.date) -> tuple[set[int], list, list]:
    """Add the undertakings whose grants may have passed to ``ids`` (absorbed into one of them,
    or split into one of them) and return the mergers and splits touching any of them."""
    ids = set(ids)
    mergers: dict[int, Merger] = {}
    splits: dict[int, Split] = {}
    frontier = set(ids)
    while frontier:
        new_m = list(
            Merger.objects.filter(cluster_id=cluster_id, date__lte=day)
            .filter(Q(into_id__in=frontier) | Q(absorbed__in=frontier))
            .exclude(pk__in=list(mergers))
            .distinct()
            .prefetch_related("absorbed")
        )
        new_s = list(
            Split.objects.filter(cluster_id=cluster_id, date__lte=day)
            .filter(Q(undertaking_id__in=frontier) | Q(successors__undertaking_id__in=frontier))
            .exclude(pk__in=list(splits))
            .distinct()
            .prefetch_related("successors__undertaking", "assignments")
        )
        found: set[int] = set()
        for merger in new_m:
            mergers[merger.pk] = merger
            found.add(merger.into_id)
            found.update(u.pk for u in merger.absorbed.all())
        for split in new_s:
            splits[split.pk] = split
            found.add(split.undertaking_id)
            found.update(s.undertaking_id for s in split.successors.all())
        frontier = found - ids
        ids |= found
    return ids, list(mergers.values()), list(splits.values())


def grant_ref(grant: Grant) -> str:
    """The grant's id as the rules and the JSON name it: the file's id, else ``#<pk>``."""
    return grant.ref or f"#{grant.pk}"


def counting_grants(cluster_id: int):
    """The grants that count: neither superseded by a correction or a voiding, nor a voiding."""
    return Grant.objects.filter(cluster_id=cluster_id, superseded_by__isnull=True).exclude(
        kind=Grant.Kind.VOID
    )


def rates_for(days: Iterable[dt.date]) -> m.Rates:
    """The NBP tables a check on these days needs (AID-2): the series' first table and, for each
    day, the last table on or before it — one query whatever the series' length — with the day
    the stored series is complete through. `rate_on` then answers for each day exactly as on the
    whole series: the same table, or the same refusal (before the first, after the end)."""
    series = RateSeries.objects.order_by("pk").first()
    wanted = Q(pk=Subquery(RateTable.objects.order_by("date").values("pk")[:1]))
    for day in sorted(set(days)):
        last = RateTable.objects.filter(date__lte=day).order_by("-date").values("pk")[:1]
        wanted |= Q(pk=Subquery(last))
    tables = tuple(
        m.RateTable(date, number, mid)
        for date, number, mid in RateTable.objects.filter(wanted)
        .order_by("date")
        .values_list("date", "number", "mid")
    )
    # no stated end: no rate at all (AID-2 Reading: never guess how far a series goes)
    return m.Rates(tables, series.complete_through if series else None)


def rates(day: dt.date, until: dt.date | None = None) -> m.Rates:
    """What a check on ``day`` needs of the series (``until``: kept for callers, unused)."""
    return rates_for([day])


def _undertaking(u: Undertaking) -> m.Undertaking:
    return m.Undertaking(
        u.nip, u.name, (u.fiscal_year_start_month, u.fiscal_year_start_day), u.road_freight
    )


def find(cluster_id: int, nip: str) -> Undertaking:
    """The register's undertaking of ``nip``; AidRefused naming it when it is not one."""
    nip = (nip or "").strip().replace("-", "").removeprefix("PL")
    if not valid_nip(nip):
        raise AidRefused("AID-1", Msg.of(BAD_NIP, nip=nip))
    try:
        return Undertaking.objects.get(cluster_id=cluster_id, nip=nip)
    except Undertaking.DoesNotExist:
        raise AidRefused("AID-1", Msg.of(UNKNOWN, nip=nip)) from None


def aid_file(cluster_id: int, root: Undertaking, day: dt.date) -> m.AidFile:
    """The part of the register a check of ``root`` on ``day`` can touch, as the rules' file."""
    ids = group_ids(cluster_id, [root.pk], day)
    ids, mergers, splits = _history(cluster_id, ids, day)
    # the history may hold undertakings whose own links join others on the day
    more = group_ids(cluster_id, ids, day)
    if more != ids:
        ids, mergers, splits = _history(cluster_id, more, day)
    undertakings = {u.pk: u for u in Undertaking.objects.filter(pk__in=ids)}
    nip = {pk: u.nip for pk, u in undertakings.items()}
    links = ControlLink.objects.filter(start__lte=day).filter(
        Q(parent_id__in=ids) | Q(child_id__in=ids)
    )
    # by the undertakings' ids, not the cluster (SQLite would scan the cluster's grants by its
    # cluster index); the same rule as counting_grants
    grants = list(
        Grant.objects.filter(superseded_by__isnull=True)
        .exclude(kind=Grant.Kind.VOID)
        .filter(
            undertaking_id__in=ids,
            granted_on__gte=_years_before(day, HISTORY_YEARS),
            granted_on__lte=day,
        )
    )
    refs = {g.pk: grant_ref(g) for g in grants}
    need_rate = [g.granted_on for g in grants if g.amount_eur is None]
    file_links = tuple(
        m.Link(nip[link.parent_id], nip[link.child_id], link.start, link.end, link.basis or None)
        for link in links
        if link.parent_id in nip and link.child_id in nip
    )
    file_mergers = tuple(
        m.Merger(x.date, nip[x.into_id], tuple(nip[u.pk] for u in x.absorbed.all()))
        for x in sorted(mergers, key=lambda x: (x.date, x.pk))
    )
    file_splits = tuple(
        m.Split(
            s.date,
            nip[s.undertaking_id],
            tuple(m.Successor(nip[x.undertaking_id], x.equity_pln) for x in s.successors.all()),
            tuple(
                (refs[a.grant_id], nip[a.to_id]) for a in s.assignments.all() if a.grant_id in refs
            ),
        )
        for s in sorted(splits, key=lambda s: (s.date, s.pk))
    )
    file_grants = tuple(
        m.Grant(
            refs[g.pk],
            nip[g.undertaking_id],
            g.body_name,
            g.regulation,
            g.granted_on,
            g.amount_pln,
            g.amount_eur,
            g.certificate_no or None,
        )
        for g in sorted(grants, key=lambda g: (g.granted_on, g.pk))
    )
    return m.AidFile(
        undertakings=tuple(_undertaking(u) for u in undertakings.values()),
        links=file_links,
        mergers=file_mergers,
        splits=file_splits,
        grants=file_grants,
        rates=rates_for([day, *need_rate]),
    )


def verdict(
    cluster_id: int,
    nip: str,
    day: dt.date,
    amount_pln: Decimal = Decimal("0.00"),
    regulation: str | None = None,
) -> Verdict:
    """AID-1 … AID-3 from the register: what `klaster aid check` answers on the same data.
    AidRefused (with its message) when the check cannot be made."""
    root = find(cluster_id, nip)
    return check(aid_file(cluster_id, root, day), root.nip, day, amount_pln, regulation)
