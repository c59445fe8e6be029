"""AID-4, AID-5 in a browser: the lending pages pass axe-core and do not scroll sideways at 360 px
and at the desktop width — the catalogue with its queues, a product with its price lists and a
return form, an application with its checklist, a ranking list awaiting approval, and what a
representative sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.aid.test_lending import ContractFactory, complete_app
from tests.browser.test_design import pages_problems
from tests.factories import AidApplicationFactory, EquipmentFactory, PriceListFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

W = ZoneInfo("Europe/Warsaw")
D = dt.date


@pytest.fixture
def chromium(request):
    return request.getfixturevalue("browser")


def test_aid_4_aid_5_lending_pages_are_accessible_at_phone_and_desktop(
    world, live_server, chromium
):
    from klaster.aid import services_lending as services

    printer = EquipmentFactory(
        cluster=world.alfa,
        name="Drukarka 3D Ultimaker S5 z komorą grzewczą i podwójną głowicą",
        description="Druk z PLA, ABS i nylonu; pole robocze 330 × 240 × 300 mm.",
    )
    PriceListFactory(equipment=printer, valid_from=D(2026, 1, 1))
    lent = complete_app(
        world,
        world.coordinator,
        D(2027, 2, 1),
        D(2027, 2, 10),
        dt.datetime(2026, 11, 2, 8, tzinfo=W),
        equipment=printer,
    )
    lent.status = "contracted"
    lent.save()
    ContractFactory(application=lent, signed_on=D(2026, 12, 1))
    a = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, tzinfo=W),
        equipment=printer,
    )
    complete_app(
        world,
        world.member_b,
        D(2027, 1, 15),
        D(2027, 1, 30),
        dt.datetime(2026, 12, 1, 10, tzinfo=W),
        equipment=printer,
    )
    ranking = services.ranking_create(
        cluster=world.alfa, equipment=printer, start=D(2027, 1, 1), end=D(2027, 1, 31), user=None
    )
    services.ranking_scores(ranking=ranking, scores={a.pk: Decimal("60")}, user=None)
    own = AidApplicationFactory(member=world.member_a, equipment=printer)
    services.document_add(
        application=own, user=None, kind="annex1", form="electronic", received_on=D(2026, 12, 2)
    )
    base = f"{live_server.url}/c/alfa/aid/lending"
    problems = pages_problems(
        chromium,
        live_server,
        base,
        (
            (
                "office",
                [
                    "/",
                    f"/equipment/{printer.pk}/",
                    "/equipment/new/",
                    f"/equipment/{printer.pk}/edit/",
                    "/applications/new/",
                    f"/applications/{own.pk}/",
                    f"/applications/{lent.pk}/",
                    "/rankings/new/",
                    f"/rankings/{ranking.pk}/",
                ],
            ),
            (
                "member",
                ["/", f"/equipment/{printer.pk}/", "/applications/new/", f"/applications/{a.pk}/"],
            ),
        ),
    )
    assert problems == [], "\n".join(problems)
