"""FIN-9, FIN-10, FIN-12 in a browser: the Board's pay, the staff time register and the statement
requests pass axe-core and do not scroll sideways at 360 px and at the desktop width — for the
office (with its forms), the organ member (read only) and the member's representative (its
statements in the portal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.browser.test_design import pages_problems
from tests.factories import AttendanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _data(world):
    from klaster.money import staff_services as services
    from tests.factories import DelegatedPersonFactory, MeetingFactory, OrganFactory

    office = world.users["office"]
    anna = DelegatedPersonFactory(member=world.member_a, name="Anna Zarządowa")
    organ = OrganFactory(cluster=world.alfa, kind="board")
    for day, mode in ((dt.date(2026, 1, 15), "in_person"), (dt.date(2026, 5, 5), "proxy")):
        meeting = MeetingFactory(cluster=world.alfa, organ=organ, date=day, status="closed")
        AttendanceFactory(
            meeting=meeting, member=world.member_a, person=anna, person_name=anna.name, mode=mode
        )
    services.set_rate(
        cluster=world.alfa, user=office, year=2026, role="koordynator", rate=Decimal("80")
    )
    for month, hours in ((1, "160"), (2, "80.5")):
        services.save_staff_time(
            cluster=world.alfa,
            user=office,
            person="Ewa Biurowa",
            role="koordynator",
            month=dt.date(2026, month, 1),
            hours=Decimal(hours),
        )
    done = services.record_request(
        cluster=world.alfa, user=office, member=world.member_a, requested_on=dt.date(2026, 4, 2)
    )
    services.provide_request(request=done, user=office, provided_on=dt.date(2026, 4, 7))
    services.record_request(
        cluster=world.alfa, user=office, member=world.member_a, requested_on=dt.date(2026, 7, 2)
    )


def test_fin_9_10_12_pages_are_accessible_at_phone_and_desktop(world, live_server, browser):
    _data(world)
    base = f"{live_server.url}/c/alfa/money/staff"
    mine = f"/member/{world.member_a.pk}/statements/"
    problems = pages_problems(
        browser,
        live_server,
        base,
        (
            ("office", ["/?year=2026", "/board/?year=2026", "/requests/", mine]),
            ("chair", ["/?year=2026", "/board/?year=2026"]),
            ("member", [mine]),
        ),
    )
    assert problems == [], "\n".join(problems)
