"""The demo's offers, competences, ideas and training needs (PLT-3): the first members' offers
(three public, some in English too, with keywords for the search), the map of the areas the cluster
needs with one gap, two ideas (one with interest, in discussion), and a training survey with
answers that sum per topic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaster.members.models import Member
from klaster.offers import services

# (category, name PL, name EN, description PL, description EN, keywords, public) — one per member
OFFERS = [
    (
        "service",
        "Obróbka CNC i frezowanie 5-osiowe",
        "5-axis CNC machining",
        "Seryjna i jednostkowa obróbka metali i tworzyw na centrach 5-osiowych, prototypy "
        "i krótkie serie z dokumentacją pomiarową.",
        "Series and one-off machining of metals and plastics on 5-axis centres, prototypes and "
        "short runs with measurement reports.",
        "frezowanie, toczenie, prototypy, aluminium, stal nierdzewna",
        True,
    ),
    (
        "research",
        "Badania wytrzymałościowe materiałów",
        "Materials strength testing",
        "Akredytowane laboratorium: próby rozciągania, zginania i zmęczeniowe, badania "
        "metalograficzne złączy spawanych.",
        "",
        "laboratorium, akredytacja, spawanie, zmęczenie materiału",
        True,
    ),
    (
        "product",
        "Czujniki IoT do monitoringu maszyn",
        "",
        "Bezprzewodowe czujniki drgań i temperatury z platformą analityczną i alarmami "
        "o zbliżającej się awarii łożysk.",
        "",
        "IoT, predykcyjne utrzymanie ruchu, drgania, LoRaWAN",
        False,
    ),
    (
        "training",
        "Szkolenia z lean management",
        "Lean management training",
        "Warsztaty dla kadry produkcyjnej: 5S, SMED, mapowanie strumienia wartości, "
        "w zakładzie klienta lub w Łodzi.",
        "Workshops for production staff: 5S, SMED, value stream mapping, on site or in Łódź.",
        "lean, 5S, kaizen, szkolenia zamknięte",
        True,
    ),
    (
        "equipment",
        "Drukarka 3D do metali (udostępnienie)",
        "",
        "Udostępnienie drukarki SLM członkom klastra wraz z obsługą technika; proszki stali "
        "i tytanu.",
        "",
        "druk 3D, SLM, tytan, wytwarzanie przyrostowe",
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
    for member, (category, pl, en, desc_pl, desc_en, keywords, public) in zip(
        members, OFFERS, strict=False
    ):
        services.offer_save(
            member=member,
            user=user,
            data={
                "category": category,
                "name_pl": pl,
                "name_en": en,
                "description_pl": desc_pl,
                "description_en": desc_en,
                "keywords": keywords,
                "public": public,
            },
        )
    robots, materials, iot, _hydrogen = (
        services.area_add(cluster=cluster, user=user, name=n) for n in AREAS
    )
    for member, area, kind, note in (
        (members[0], robots, "competence", "programowanie robotów spawalniczych"),
        (members[3], robots, "competence", "wdrożenia linii zrobotyzowanych"),
        (members[1], materials, "resource", "laboratorium akredytowane"),
        (members[4], materials, "resource", "drukarka SLM, piec próżniowy"),
        (members[2], iot, "competence", "czujniki i platforma analityczna"),
    ):
        services.competence_add(member=member, user=user, area=area, kind=kind, note=note)
    # "Technologie wodorowe": nobody yet — the map shows it as a gap
    idea = services.idea_post(
        cluster=cluster,
        user=user,
        member=members[2],
        title="Wspólna platforma danych z maszyn",
        description="Połączenie danych z czujników kilku zakładów w jednej platformie "
        "analitycznej, by porównywać awaryjność i zużycie energii.",
        partners_sought="producenci z parkiem maszynowym, uczelnia",
    )
    services.idea_interest(idea=idea, member=members[0], user=user, note="Chętnie dołączymy.")
    services.idea_interest(
        idea=idea, member=members[3], user=user, note="Udostępnimy dane z dwóch linii."
    )
    services.idea_status(idea=idea, user=user, status="discussion")
    services.idea_post(
        cluster=cluster,
        user=user,
        member=members[1],
        title="Magazyn wodoru przy strefie przemysłowej",
        description="Studium wykonalności wspólnego magazynu i stacji tankowania wodoru dla "
        "wózków widłowych członków klastra.",
        partners_sought="dostawca elektrolizerów, gmina",
    )
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
        (members[2], "Cyberbezpieczeństwo w produkcji", 1, "medium"),
        (members[4], "Excel dla kontrolingu", 2, "low"),
    ):
        services.training_need_add(
            survey=survey, member=member, user=user, topic=topic, people=people, priority=priority
        )
