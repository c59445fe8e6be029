"""Demo Advanced Cooperation Groups for `klaster demo`, written through the services.

Run once, when the demo cluster is first created, under `demo_clock` (dates before the demo's
day D = 2026-06-30 as written, moved by whole weeks to the day the demo is loaded: clock.shifted):

- the six standing areas of 000 §14.1 (GZW-1);
- "technology, R&D" active since 20.04.2026 with seven declarations, a meeting and a
  confidential material provided by a member (GZW-2, GZW-4);
- "internationalisation" still collecting declarations: three of the five needed (GZW-2);
- a project consortium formed on 08.06.2026, the coordinator and the Board notified by letter,
  waiting for the Council's opinion (GZW-3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from klaster.core.models import Cluster
from klaster.exchange.demo.clock import DemoClock, at, day
from klaster.groups import services
from klaster.groups.models import GroupArea, GroupKind, Recipient, WorkingGroup
from klaster.members.models import Member
from klaster.rules.calendar import WARSAW


@dataclass
class DemoGroups:
    active: WorkingGroup
    forming: WorkingGroup
    consortium: WorkingGroup


def _declare(
    group: WorkingGroup, members: list[Member], user: Any, clock: DemoClock, first: dt.date
) -> None:
    for i, member in enumerate(members):
        on = first + dt.timedelta(days=3 * i)
        clock.set(dt.datetime.combine(on, dt.time(10, 0), tzinfo=WARSAW))
        person = member.delegates.order_by("id").first()
        services.declaration_add(
            group=group,
            member=member,
            user=user,
            on=on,
            contact_name=person.name if person else "",
            contact_email=person.email if person else "",
        )


def groups_demo_build(*, cluster: Cluster, user: Any, clock: DemoClock) -> DemoGroups:
    clock.set(at(2026, 2, 2, 9, 0))
    services.group_areas_ensure(cluster=cluster, user=user)
    areas = {g.area: g for g in WorkingGroup.objects.filter(cluster=cluster, kind=GroupKind.AREA)}
    active_members = [
        m
        for m in cluster.members.filter(status="active").order_by("id")
        if m.pk != cluster.coordinator_id
    ]
    enterprises = [m for m in active_members if m.type in ("micro", "small", "medium", "large")]
    science = [m for m in active_members if m.type == "science"]

    tech = areas[GroupArea.TECHNOLOGY_RD]
    _declare(tech, [*enterprises[:5], *science[:2]], user, clock, day(2026, 3, 2))
    clock.set(at(2026, 4, 20, 12, 0))
    services.group_start(group=tech, user=user, on=day(2026, 4, 20))
    clock.set(at(2026, 5, 14, 16, 0))
    meeting = services.group_meeting_add(
        group=tech,
        user=user,
        date=day(2026, 5, 14),
        place="Łódź, ul. Piotrkowska 276, sala 2.14",
        agenda="1. Wspólny wniosek do programu FENG „Ścieżka SMART”.\n2. Podział zadań badawczych.\n"
        "3. Harmonogram prac do końca 2026 r.",
        summary="Uczestnicy uzgodnili przygotowanie wspólnego wniosku; lider: pierwszy z członków grupy.",
    )
    clock.set(at(2026, 5, 15, 9, 30))
    services.group_material_add(
        group=tech,
        user=user,
        meeting=meeting,
        provided_by=enterprises[0],
        title="Koncepcja demonstratora zrobotyzowanego gniazda spawalniczego",
        body="Opis założeń technicznych, wstępny budżet i podział prac między partnerów (materiał poufny).",
    )

    intl = areas[GroupArea.INTERNATIONALISATION]
    _declare(intl, enterprises[5:8], user, clock, day(2026, 5, 18))

    initiators = [enterprises[1], enterprises[8], science[0]] if science else enterprises[1:4]
    clock.set(at(2026, 6, 8, 12, 0))
    consortium = services.group_create(
        cluster=cluster,
        user=user,
        kind=GroupKind.CONSORTIUM,
        name="Konsorcjum „Cyfrowy bliźniak linii produkcyjnej”",
        description="Konsorcjum projektowe do wspólnego wniosku o dofinansowanie prac B+R nad cyfrowym "
        "bliźniakiem linii montażowej.",
        initiator_ids=[m.pk for m in initiators],
        formed_on=day(2026, 6, 8),
    )
    # 000 §14.4: the initiators notified the coordinator and the Board by letter (nothing e-mailed);
    # the Council's opinion (§14.5) is still to come.
    clock.set(at(2026, 6, 10, 11, 0))
    for recipient in (Recipient.COORDINATOR, Recipient.BOARD):
        services.special_form_notify(
            group=consortium,
            user=user,
            recipient=recipient,
            on=day(2026, 6, 10),
            send=False,
            note="Pismo inicjatorów złożone w biurze klastra.",
        )
    return DemoGroups(tech, intl, consortium)
