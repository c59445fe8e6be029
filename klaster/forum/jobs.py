"""The forum's periodic work (klaster.core.jobs), run by `klaster worker`."""

from __future__ import annotations

import datetime as dt

from klaster.core.jobs import daily


@daily("forum-figures")
def forum_figures(today: dt.date) -> dict[str, int]:
    """FOR-1: every cluster of a forum gets its figures as of the day (its KKK evaluation read
    into the indicator set), so the comparison is never older than a day. Idempotent: a cluster
    that already has the day's figures is left alone; of a year's earlier figures only the last
    is kept (the trend is by year), the one just made being that year's last."""
    from klaster.core.models import Cluster
    from klaster.forum import services
    from klaster.forum.models import Membership, Snapshot
    from klaster.rules.forum.sets import KKK_2021

    clusters = Cluster.objects.filter(
        pk__in=Membership.objects.filter(left_on__isnull=True).values("cluster_id")
    )
    done = set(
        Snapshot.objects.filter(set_code=KKK_2021.code, as_of=today).values_list(
            "cluster_id", flat=True
        )
    )
    made = 0
    for cluster in clusters.exclude(pk__in=done):
        services.refresh_figures(cluster=cluster, as_of=today)
        Snapshot.objects.filter(
            cluster=cluster, set_code=KKK_2021.code, as_of__year=today.year, as_of__lt=today
        ).delete()
        made += 1
    return {"computed": made, "already": len(done)}
