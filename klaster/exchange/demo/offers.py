"""The demo's offers, competences, ideas and training needs (PLT-3): a few members' offers (some
public, some in English too), the map of areas with one gap, an idea with interest, and a
training survey with answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaster.members.models import Member
from klaster.offers import services

OFFERS = [
    (
        "service",
        "Obróbka CNC i frezowanie 5-osiowe",
        "5-axis CNC machining",
        "Seryjna i jednostkowa obróbka metali, prototypy.",
        "Series and one-off metal machining.",
        True,
    ),
    (
        "research",
        "Badania wytrzymałościowe materiałów",
        "Materials strength testing",
        "Laboratorium akredytowane: próby rozciągania i zmęczeniowe.",
        "",
        True,
    ),
    (
        "product",
        "Czujniki IoT do monitoringu maszyn",
        "",
        "Bezprzewodowe czujniki drgań i temperatury z platformą analityczną.",
        "",
        False,
    ),
    (
        "training",
        "Szkolenia z lean management",
        "Lean management training",
        "Warsztaty dla kadry produkcyjnej.",
        "Workshops for production staff.",
        True,
    ),
    (
        "equipment",
        "Drukarka 3D do metali (udostępnienie)",
        "",
        "Udostępnienie drukarki SLM członkom klastra.",
        "",
        False,
    ),
]
AREAS = ["Automatyka i robotyka", "Badania materiałowe", "Internet rzeczy", "Technologie wodorowe"]


def offers_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    members = list(
        Member.objects.filter(cluster=cluster, status="active")
        .exclude(pk=cluster.coordinator_id)
        .order_by("id")[:6]
    )
    if len(members) < 5:
        return
    for member, (category, pl, en, desc_pl, desc_en, public) in zip(members, OFFERS, strict=False):
        services.offer_save(
            member=member,
            user=user,
            data={
                "category": category,
                "name_pl": pl,
                "name_en": en,
                "description_pl": desc_pl,
                "description_en": desc_en,
                "public": public,
            },
        )
    areas = [services.area_add(cluster=cluster, user=user, name=n) for n in AREAS]
    services.competence_add(member=members[0], user=user, area=areas[0], kind="competence")
    services.competence_add(
        member=members[1], user=user, area=areas[1], kind="resource", note="laboratorium"
    )
    services.competence_add(member=members[2], user=user, area=areas[2], kind="competence")
    # "Technologie wodorowe": nobody yet — the map shows it as a gap
    idea = services.idea_post(
        cluster=cluster,
        user=user,
        member=members[2],
        title="Wspólna platforma danych z maszyn",
        description="Połączenie danych z czujników kilku zakładów w jednej platformie analitycznej.",
        partners_sought="producenci z parkiem maszynowym, uczelnia",
    )
    services.idea_interest(idea=idea, member=members[0], user=user, note="Chętnie dołączymy.")
    survey = services.survey_open(
        cluster=cluster,
        user=user,
        title=f"Potrzeby szkoleniowe na {today.year + 1}",
        closes_on=today + dt.timedelta(days=30),
    )
    for member, topic, people, priority in (
        (members[0], "Zarządzanie projektami B+R", 3, "high"),
        (members[1], "Zarządzanie projektami B+R", 2, "medium"),
        (members[3], "Cyberbezpieczeństwo w produkcji", 4, "high"),
        (members[4], "Excel dla kontrolingu", 2, "low"),
    ):
        services.training_need_add(
            survey=survey, member=member, user=user, topic=topic, people=people, priority=priority
        )
