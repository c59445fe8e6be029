"""The comparison a reader of a forum may see (FOR-1, issue 13 point 3), pure.

Each cluster chooses, per indicator, what it shares with the forum — nothing by default. Only
shared figures enter anything here: the rows, the median, the best and the areas. A reader sees
its own cluster's figures whether shared or not (they are its own) — but they count in the
median and the best only when shared, so what the others see never depends on what a cluster
kept to itself. A cluster is named only if it agreed; otherwise it is "Klaster A", "B", … by a
stable order drawn from the forum's secret and the cluster's id (not by name or by value, which
would let a reader guess who is who).

Median of an even count: the mean of the two middle values (exact, Decimal). "Best": the highest,
or the lowest where less is better.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from klaster.rules.forum.sets import RADAR_AREAS, IndicatorSet
from klaster.rules.message import Msg, define

ANONYMOUS = define("forum.anonymous", "Cluster {letter}")
OWN = define("forum.own", "{name} (your cluster)")
NAMED = define("forum.named", "{name}")


@dataclass(frozen=True)
class Entry:
    """One cluster's figure of one indicator as the reader may see it."""

    label: Msg
    value: Decimal
    own: bool  # the reader's cluster
    shared: bool  # counted in the median and the best


@dataclass(frozen=True)
class Row:
    key: str
    entries: tuple[Entry, ...]  # by value, best first
    median: Decimal | None  # of shared figures only
    best: Decimal | None
    count: int  # shared figures


@dataclass(frozen=True)
class ClusterFigures:
    cluster_id: int
    name: str
    named: bool  # agreed to be named to the forum
    values: Mapping[str, Decimal]  # every figure computed for it
    shared: frozenset[str]  # the keys it shares with the forum


def median(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def letters(secret: str, cluster_ids: Sequence[int]) -> dict[int, str]:
    """A stable anonymous letter per cluster: A, B, … Z, AA, AB, … in an order drawn from the
    forum's secret and the id, so neither the name nor a figure gives it away."""
    order = sorted(cluster_ids, key=lambda i: hashlib.sha256(f"{secret}:{i}".encode()).hexdigest())
    out: dict[int, str] = {}
    for n, cid in enumerate(order):
        text = ""
        k = n
        while True:
            text = chr(ord("A") + k % 26) + text
            k = k // 26 - 1
            if k < 0:
                break
        out[cid] = text
    return out


def label(c: ClusterFigures, viewer: int | None, letter: str) -> Msg:
    if c.cluster_id == viewer:
        return Msg.of(OWN, name=c.name)
    if c.named:
        return Msg.of(NAMED, name=c.name)
    return Msg.of(ANONYMOUS, letter=letter)


def visible(c: ClusterFigures, key: str, viewer: int | None) -> bool:
    """May the reader (of cluster ``viewer``, or the forum's office: None) see this figure?"""
    return key in c.values and (key in c.shared or c.cluster_id == viewer)


def compare(
    indicator_set: IndicatorSet,
    clusters: Sequence[ClusterFigures],
    viewer: int | None,
    secret: str,
) -> tuple[Row, ...]:
    """Per indicator of the set: the figures the reader may see, the median and the best of the
    shared ones. An indicator nobody shares (and the reader lacks) has no row."""
    names = letters(secret, [c.cluster_id for c in clusters])
    rows: list[Row] = []
    for ind in indicator_set.indicators:
        entries: list[Entry] = []
        for c in clusters:
            if not visible(c, ind.key, viewer):
                continue
            entries.append(
                Entry(
                    label(c, viewer, names[c.cluster_id]),
                    c.values[ind.key],
                    c.cluster_id == viewer,
                    ind.key in c.shared,
                )
            )
        if not entries:
            continue
        counted = [e.value for e in entries if e.shared]
        best = (max if ind.higher_is_better else min)(counted) if counted else None
        entries.sort(key=lambda e: e.value, reverse=ind.higher_is_better)
        rows.append(Row(ind.key, tuple(entries), median(counted), best, len(counted)))
    return tuple(rows)


def area_shares(
    indicator_set: IndicatorSet, c: ClusterFigures, viewer: int | None
) -> dict[str, Decimal]:
    """The radar: per area, the points as a share (0–100) of the area's maximum — only for an
    area whose every indicator the reader may see (a partial sum would mislead)."""
    out: dict[str, Decimal] = {}
    for area in RADAR_AREAS:
        inds = [i for i in indicator_set.indicators if i.area == area and i.maximum]
        if not inds or not all(visible(c, i.key, viewer) for i in inds):
            continue
        got = sum((c.values[i.key] for i in inds), Decimal(0))
        top = sum((i.maximum or Decimal(0) for i in inds), Decimal(0))
        out[area] = (got * 100 / top).quantize(Decimal("0.1"))
    return out


def area_medians(
    indicator_set: IndicatorSet, clusters: Sequence[ClusterFigures]
) -> dict[str, Decimal]:
    """The forum's median per area, over the clusters that share the whole area."""
    shares: dict[str, list[Decimal]] = {}
    for c in clusters:
        for area, value in area_shares(indicator_set, c, viewer=None).items():
            shares.setdefault(area, []).append(value)
    return {a: m for a, v in shares.items() if (m := median(v)) is not None}
