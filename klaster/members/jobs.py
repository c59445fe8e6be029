"""The members' periodic work (klaster.core.jobs), run by `klaster worker`."""

from __future__ import annotations

import datetime as dt

from klaster.core.jobs import daily
from klaster.core.models import Cluster
from klaster.members.services import statuses_bring_up_to_date


@daily("member-statuses")
def member_statuses(today: dt.date) -> dict[str, int]:
    """MEM-6: membership events dated up to today take effect on members' cached status (a
    resignation effective at the year's end, a suspension from the 1st), in every cluster not
    yet brought up to date today. Returns {cluster slug: members changed}."""
    behind = Cluster.objects.exclude(statuses_as_of__gte=today).order_by("slug")
    return {cluster.slug: statuses_bring_up_to_date(cluster, today) for cluster in behind}
