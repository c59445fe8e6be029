"""Governance fixtures: cluster alfa on the evoluma profile with ten members, a Council of five
chaired by the `chair` persona, a General Assembly and a Council meeting on 30.06.2025 chaired by
`chair`. Time is frozen at 02.06.2025 10:00 Warsaw (never today's date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from klaster.rules.calendar import WARSAW

NOW = dt.datetime(2025, 6, 2, 10, 0, tzinfo=WARSAW)
MEETING_AT = dt.datetime(2025, 6, 30, 10, 0, tzinfo=WARSAW)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 6) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=WARSAW)


@dataclass
class Gov:
    world: Any
    organs: dict
    members: list  # all ten, coordinator first, then member_a, member_b, then seven more
    persons: dict  # member id -> DelegatedPerson
    ga: Any
    council: Any
    office: Any

    def member(self, i: int):
        return self.members[i]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def build_gov(world, preset: str = "evoluma", extra: int = 7) -> Gov:
    from klaster.core.services import statute_profile_set
    from klaster.governance import services
    from tests.factories import DelegatedPersonFactory, MemberFactory, NotificationEmailFactory

    office = world.users["office"]
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=office, preset=preset
    )
    organs = services.organs_ensure(cluster=world.alfa, user=office)
    types = [
        "micro",
        "small",
        "large",
        "iob",
        "science",
        "micro",
        "small",
        "medium",
        "small",
        "micro",
    ]
    others = [
        MemberFactory(
            cluster=world.alfa, name=f"Członek {i + 3:02d} sp. z o.o.", type=types[i % len(types)]
        )
        for i in range(extra)
    ]
    members = [world.coordinator, world.member_a, world.member_b, *others]
    persons = {}
    for m in members:
        persons[m.pk] = DelegatedPersonFactory(
            member=m,
            name=f"Osoba {m.name.split()[0]} {m.pk}",
            email=f"osoba{m.pk}@example.com",
            to_general_assembly=True,
        )
        NotificationEmailFactory(member=m, email=f"powiadomienia{m.pk}@example.com")
    council = organs["council"]
    for i, m in enumerate(members[:5]):
        services.seat_add(
            organ=council,
            user=office,
            person=persons[m.pk],
            starts=dt.date(2024, 1, 1),
            seat_user=world.users["chair"] if i == 3 else None,
            chairs=i == 3,
        )
    ga = services.meeting_convene(
        organ=organs["ga"],
        user=office,
        title="Walne Zgromadzenie czerwiec 2025",
        starts_at=MEETING_AT,
        second_term_at=MEETING_AT + dt.timedelta(minutes=15),
        place="Białystok",
        chair=world.users["chair"],
        notice_sent_at=at(1, 9),
        agenda=["Sprawozdanie Zarządu", "Plan działań"],
    )
    council_meeting = services.meeting_convene(
        organ=council,
        user=office,
        title="Rada Klastra czerwiec 2025",
        starts_at=at(30, 14),
        chair=world.users["chair"],
        notice_sent_at=at(1, 9),
    )
    return Gov(world, organs, members, persons, ga, council_meeting, office)


@pytest.fixture
def gov(world, frozen) -> Gov:
    return build_gov(world)


def check_in(gov: Gov, members, meeting=None, mode="in_person", when=None):
    from klaster.governance import services

    for m in members:
        services.attendance_check_in(
            meeting=meeting or gov.ga,
            member=m,
            user=gov.office,
            mode=mode,
            at=when or at(30, 9, 55),
        )


class Delivered:
    """The SMTP sink as the worker would fill it: reading ``envelopes`` first delivers what the
    outbox holds (`core.outbox.deliver_due`, the worker's tick), for tests of messages that are
    queued rather than sent at once."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    @property
    def envelopes(self) -> list:
        from klaster.core import outbox

        outbox.deliver_due()
        return self.sink.envelopes


class SmtpSink:
    def __init__(self):
        self.envelopes: list = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def rcpts(self) -> list[list[str]]:
        return [sorted(e.rcpt_tos) for e in self.envelopes]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free local port; EMAIL_HOST/EMAIL_PORT point at it."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()
