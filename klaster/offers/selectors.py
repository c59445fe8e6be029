"""Reads of offers, competences, ideas and training needs (PLT-3), each page in a fixed number of
queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from klaster.core.models import Cluster
from klaster.offers.models import Competence, CompetenceArea, Offer, TrainingNeed, TrainingSurvey
from klaster.rules.text import fold


def offers_search(
    cluster: Cluster, *, q: str = "", category: str = "", public_only: bool = False
) -> QuerySet[Offer]:
    """Offers matching every word of ``q`` (Polish letters or not, either language, or the
    member's name or city)."""
    rows = Offer.objects.filter(cluster=cluster).select_related("member")
    if public_only:
        rows = rows.filter(public=True)
    if category in Offer.Category.values:
        rows = rows.filter(category=category)
    for word in fold(q).split()[:8]:
        # the member's name and city from its own folded column, so a renamed member is found
        # by its new name (Member.search, issue 9)
        rows = rows.filter(Q(search_text__contains=word) | Q(member__search__contains=word))
    return rows.order_by("name_pl", "id")


@dataclass(frozen=True)
class AreaRow:
    area: CompetenceArea
    holders: list[Competence]

    @property
    def gap(self) -> bool:
        return not self.holders


def competence_map(cluster: Cluster) -> list[AreaRow]:
    """000 §15.3.12–13: each area with the members having it; an area nobody has is a gap. Two
    queries."""
    areas = list(CompetenceArea.objects.filter(cluster=cluster).order_by("name"))
    holders: dict[int, list[Competence]] = defaultdict(list)
    for c in (
        Competence.objects.filter(area__cluster=cluster)
        .select_related("member")
        .order_by("member__name", "kind")
    ):
        holders[c.area_id].append(c)
    return [AreaRow(a, holders.get(a.pk, [])) for a in areas]


def training_summary(survey: TrainingSurvey) -> list[dict[str, Any]]:
    """Needs summed per topic (folded, so "Excel" and "excel" are one): members, people, the
    highest priority asked; most people first. One query."""
    order = {"high": 0, "medium": 1, "low": 2}
    topics: dict[str, dict[str, Any]] = {}
    for need in TrainingNeed.objects.filter(survey=survey).select_related("member"):
        key = fold(need.topic).strip()
        row = topics.setdefault(
            key,
            {"topic": need.topic, "members": set(), "people": 0, "priority": need.priority},
        )
        row["members"].add(need.member.name)
        row["people"] += need.people
        if order[need.priority] < order[row["priority"]]:
            row["priority"] = need.priority
    out = [
        {**row, "members": sorted(row["members"]), "member_count": len(row["members"])}
        for row in topics.values()
    ]
    return sorted(out, key=lambda r: (-r["people"], r["topic"]))


def ideas_with_interest(cluster: Cluster) -> QuerySet[Any]:
    from klaster.offers.models import Idea

    return (
        Idea.objects.filter(cluster=cluster)
        .select_related("member")
        .annotate(n_interest=Count("interests"))
        .order_by("-created_at", "-id")
    )
