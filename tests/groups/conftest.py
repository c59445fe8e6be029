"""The groups' world, on top of tests/conftest.py's personas.

Cluster alfa runs under the `evoluma` preset (5 declarations start a group). The IT area group
is active with members A (persona "member"), C, D, E and F in it. Member B (persona "proxy") is
not in it. Member W (persona "leaver") declared and withdrew on 2025-03-01. The chair is an organ
member, not in the group. Time is frozen on 2 June 2025 in Warsaw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.groups.builders import D0, evoluma, it_group

TODAY = dt.date(2025, 6, 2)
WITHDRAWN = dt.date(2025, 3, 1)
GROUP_PERSONAS = ["office", "chair", "member", "proxy", "leaver", "forum", "outsider", "anonymous"]
#: who sees a group's confidential meetings and materials (GZW-4)
INSIDE = {"office", "member"}


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))):
        yield


@dataclass
class GroupWorld:
    w: Any
    group: Any
    others: list[Any]  # members C, D, E, F (in the group)
    leaver: Any  # member W, withdrew
    spare: Any  # member G, active, in no group


@pytest.fixture
def gz(world) -> GroupWorld:
    from tests.factories import GroupDeclarationFactory, MemberFactory, UserFactory, grant

    evoluma(world.alfa)
    others = [MemberFactory(cluster=world.alfa, name=f"Członek {c}") for c in "CDEF"]
    leaver = MemberFactory(cluster=world.alfa, name="Wychodzący sp. z o.o.")
    spare = MemberFactory(cluster=world.alfa, name="Zapasowy S.A.")
    group = it_group(world)
    for m in others:
        GroupDeclarationFactory(group=group, member=m, declared_on=D0)
    GroupDeclarationFactory(group=group, member=leaver, declared_on=D0, withdrawn_on=WITHDRAWN)
    user = UserFactory(username="leaver")
    grant(user, world.alfa, "representative", leaver)
    world.users["leaver"] = user
    return GroupWorld(w=world, group=group, others=others, leaver=leaver, spare=spare)
