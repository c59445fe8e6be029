"""Who sees a forum, and the comparison they may see (FOR-1; issue 13 points 1, 3, 4).

A forum is seen by its office (the forum's officers) and by the people of its member clusters:
each member cluster's office and its forum representatives (the ``forum_viewer`` role). Anyone
else gets a 404 — a forum's existence is its members' business. The figures come from stored
snapshots (one query for the latest of every member cluster), the sharing choices from one
more; `klaster.rules.forum.compare` decides what the reader sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q
from django.http import Http404

from klaster.core.models import Cluster, ClusterRole, Role
from klaster.forum.models import Forum, Membership, Sharing, Snapshot
from klaster.rules.forum import compare as cmp
from klaster.rules.forum.sets import IndicatorSet

FORUM_ROLES = (Role.OFFICE, Role.FORUM_VIEWER)


@dataclass(frozen=True)
class Reader:
    forum: Forum
    officer: bool
    #: the member clusters the reader acts for (its office or forum role), by id
    clusters: tuple[Cluster, ...]

    @property
    def cluster(self) -> Cluster | None:
        return self.clusters[0] if self.clusters else None


def forums_for(user) -> list[Forum]:
    if not user.is_authenticated:
        return []
    mine = ClusterRole.objects.filter(user=user, role__in=FORUM_ROLES).values("cluster_id")
    return list(
        Forum.objects.filter(
            Q(officers=user)
            | Q(memberships__cluster_id__in=mine, memberships__left_on__isnull=True)
        )
        .distinct()
        .order_by("name")
    )


def access_forum(user, slug: str, *, as_cluster: str | None = None) -> Reader:
    """The forum and who reads it; Http404 for anyone who is neither its officer nor acts for
    one of its member clusters. ``as_cluster``: which of the reader's clusters (by slug)."""
    if not user.is_authenticated:
        raise Http404
    try:
        forum = Forum.objects.get(slug=slug)
    except Forum.DoesNotExist:
        raise Http404 from None
    officer = forum.officers.filter(pk=user.pk).exists()
    clusters = list(
        Cluster.objects.filter(
            forum_memberships__forum=forum,
            forum_memberships__left_on__isnull=True,
            roles__user=user,
            roles__role__in=FORUM_ROLES,
        )
        .distinct()
        .order_by("name")
    )
    if not officer and not clusters:
        raise Http404
    if as_cluster:
        chosen = [c for c in clusters if c.slug == as_cluster]
        clusters = chosen + [c for c in clusters if c.slug != as_cluster]
    return Reader(forum, officer, tuple(clusters))


def members(forum: Forum) -> list[Membership]:
    return list(
        Membership.objects.filter(forum=forum)
        .select_related("cluster")
        .order_by("left_on", "cluster__name")
    )


def cluster_figures(
    forum: Forum, indicator_set: IndicatorSet, as_of: dt.date | None = None
) -> list[cmp.ClusterFigures]:
    """Every current member cluster's latest figures (as of ``as_of`` or before), with its
    sharing choices: three queries whatever the number of clusters."""
    current = list(
        Membership.objects.filter(forum=forum, left_on__isnull=True)
        .select_related("cluster")
        .only("named", "cluster__id", "cluster__name")
    )
    ids = [m.cluster_id for m in current]
    snaps = Snapshot.objects.filter(cluster_id__in=ids, set_code=indicator_set.code)
    if as_of is not None:
        snaps = snaps.filter(as_of__lte=as_of)
    latest = snaps.values("cluster_id").annotate(day=Max("as_of"))
    day_of = {row["cluster_id"]: row["day"] for row in latest}
    values: dict[int, dict[str, Decimal]] = {}
    if day_of:
        q = Q()
        for cid, day in day_of.items():
            q |= Q(cluster_id=cid, as_of=day)
        for cid, vals in snaps.filter(q).values_list("cluster_id", "values"):
            values[cid] = {k: Decimal(v) for k, v in vals.items()}
    shared: dict[int, set[str]] = {}
    for cid, key in Sharing.objects.filter(
        cluster_id__in=ids, set_code=indicator_set.code
    ).values_list("cluster_id", "key"):
        shared.setdefault(cid, set()).add(key)
    return [
        cmp.ClusterFigures(
            m.cluster_id,
            m.cluster.name,
            m.named,
            values.get(m.cluster_id, {}),
            frozenset(shared.get(m.cluster_id, ())),
        )
        for m in current
    ]


def trend(
    cluster_ids: list[int], indicator_set: IndicatorSet, key: str, shared_only: dict[int, bool]
) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """The figure ``key`` over the years: per cluster, each stored snapshot's value — only for
    clusters whose figure the reader may see (``shared_only[cid]`` True)."""
    out: dict[int, list[tuple[dt.date, Decimal]]] = {}
    rows = Snapshot.objects.filter(
        cluster_id__in=[c for c in cluster_ids if shared_only.get(c)],
        set_code=indicator_set.code,
    ).order_by("as_of")
    for cid, day, vals in rows.values_list("cluster_id", "as_of", "values"):
        if key in vals:
            out.setdefault(cid, []).append((day, Decimal(vals[key])))
    return out


def comparison(reader: Reader, indicator_set: IndicatorSet) -> dict[str, Any]:
    """What the reader sees: the rows, the radar (own areas and the forum's medians) and the
    trend of the stage II total — from shared figures only (own figures for the own cluster)."""
    clusters = cluster_figures(reader.forum, indicator_set)
    viewer = reader.cluster.pk if reader.cluster else None
    rows = cmp.compare(indicator_set, clusters, viewer, reader.forum.secret)
    own = next((c for c in clusters if c.cluster_id == viewer), None)
    may = {c.cluster_id: cmp.visible(c, "s2.total", viewer) for c in clusters}
    history = trend([c.cluster_id for c in clusters], indicator_set, "s2.total", may)
    medians_by_year: dict[int, list[Decimal]] = {}
    shared_total = {c.cluster_id for c in clusters if "s2.total" in c.shared}
    for cid, points in history.items():
        if cid in shared_total:
            for day, value in points:
                medians_by_year.setdefault(day.year, []).append(value)
    return {
        "clusters": clusters,
        "rows": rows,
        "own": own,
        "own_areas": cmp.area_shares(indicator_set, own, viewer) if own else {},
        "median_areas": cmp.area_medians(indicator_set, clusters),
        "own_trend": history.get(viewer, []) if viewer else [],
        "median_trend": sorted(
            (year, m)
            for year, vals in medians_by_year.items()
            if (m := cmp.median(vals)) is not None
        ),
    }
