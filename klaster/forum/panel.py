"""The KKK dashboard's forum panel (issue 13 point 4), registered from ForumConfig.ready through
kkk's panel hook. Light on purpose: loaded at start-up, it imports no spreadsheet or PDF library."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string

from klaster.core.say import say
from klaster.forum import selectors
from klaster.forum.models import Membership
from klaster.rules.forum.sets import KKK_2021, IndicatorSet

SET = KKK_2021


def _titles(indicator_set: IndicatorSet) -> dict[str, str]:
    return {i.key: say(i.title) for i in indicator_set.indicators}


def _num(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}"
    return text.replace(".", ",")


def kkk_panel(cluster, grants) -> str:
    """The KKK dashboard's panel (issue 13 point 4): for the office, the cluster's stage II total
    and its members against each forum's median and best, and the way to the sharing page."""
    if not grants.office:
        return ""
    memberships = list(
        Membership.objects.filter(cluster=cluster, left_on__isnull=True).select_related("forum")
    )
    if not memberships:
        return ""
    titles = _titles(SET)
    forums = []
    for m in memberships:
        data = selectors.comparison(selectors.Reader(m.forum, False, (cluster,)), SET)
        rows = [
            {
                "title": titles[r.key],
                "own": next((_num(e.value) for e in r.entries if e.own), "–"),
                "median": _num(r.median),
                "best": _num(r.best),
            }
            for r in data["rows"]
            if r.key in ("s2.total", "members.total") and r.count
        ]
        forums.append({"forum": m.forum, "rows": rows})
    return render_to_string("forum/_kkk_panel.html", {"cluster": cluster, "forums": forums})
