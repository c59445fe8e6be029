"""FIN-9: the Board's remuneration — 500 PLN gross per Board meeting attended in person or online,
per quarter; nothing for proxy-only attendance; from governance's attendance records."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import AttendanceFactory


def board_meeting(world, day, attendance, status="closed", kind="board"):
    from tests.factories import MeetingFactory, OrganFactory

    organ = OrganFactory(cluster=world.alfa, kind=kind)
    meeting = MeetingFactory(cluster=world.alfa, organ=organ, date=day, status=status)
    for person, mode in attendance:
        AttendanceFactory(
            meeting=meeting,
            member=person.member,
            person=person,
            person_name=person.name,
            mode=mode,
        )
    return meeting


@pytest.fixture
def board(world, db):
    from tests.factories import DelegatedPersonFactory

    anna = DelegatedPersonFactory(member=world.member_a, name="Anna Zarządowa")
    bogdan = DelegatedPersonFactory(member=world.member_b, name="Bogdan Online")
    board_meeting(world, dt.date(2026, 1, 15), [(anna, "in_person"), (bogdan, "online")])
    board_meeting(world, dt.date(2026, 2, 20), [(anna, "in_person"), (bogdan, "proxy")])
    board_meeting(world, dt.date(2026, 3, 10), [(anna, "absent"), (bogdan, "online")])
    board_meeting(world, dt.date(2026, 4, 10), [(anna, "online"), (bogdan, "in_person")])
    # not counted: a meeting not closed, another organ's meeting, another year
    board_meeting(world, dt.date(2026, 5, 10), [(anna, "in_person")], status="convened")
    board_meeting(world, dt.date(2026, 5, 11), [(anna, "in_person")], kind="council")
    board_meeting(world, dt.date(2025, 12, 10), [(anna, "in_person")])
    return anna, bogdan


def test_fin_9_quarters_per_board_member(board, world):
    from klaster.money.staff_selectors import board_pay_year

    anna, bogdan = board
    year = board_pay_year(world.alfa, 2026)
    rows = {r.name.split(" (")[0]: r for r in year.rows}
    a, b = rows["Anna Zarządowa"], rows["Bogdan Online"]
    assert [p.meetings_paid if p else 0 for p in a.quarters] == [2, 1, 0, 0]
    assert [p.meetings_paid if p else 0 for p in b.quarters] == [2, 1, 0, 0]
    assert b.quarters[0].meetings_proxy == 1  # proxy only: unpaid
    assert a.total == Decimal("1500.00") and b.total == Decimal("1500.00")
    assert year.quarter_totals == [Decimal("2000.00"), Decimal("1000.00"), 0, 0]
    assert year.total == Decimal("3000.00")
    assert year.rate == Decimal("500.00")


def test_fin_9_page_and_xlsx(board, client_for):
    from openpyxl import load_workbook

    url = reverse("money_board_pay", args=["alfa"])
    page = client_for("office").get(url, {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anna Zarządowa" in html and "1 500,00" in html.replace("\xa0", " ")
    # the chair (an organ member) reads it too
    assert client_for("chair").get(url, {"year": 2026}).status_code == 200
    assert client_for("member").get(url).status_code == 403
    empty = client_for("office").get(url, {"year": 2024})
    assert 'class="empty"' in empty.content.decode()
    xlsx = client_for("office").get(reverse("money_board_pay_xlsx", args=["alfa"]), {"year": 2026})
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert any("Anna Zarządowa" in str(v) for v in values)
    assert Decimal("3000") in [Decimal(str(v)) for v in values if isinstance(v, int | float)]


def test_fin_9_the_amount_per_meeting_follows_the_assemblys_decision_from_its_day(
    board, world, client_for
):
    from klaster.money.models import BoardRate
    from klaster.money.staff_selectors import board_pay_year

    office = client_for("office")
    office.post(
        reverse("money_board_rate", args=["alfa"]),
        {
            "rate-valid_from": "2026-03-01",
            "rate-amount": "650.00",
            "rate-resolution": "Uchwała WZ nr 3/2026",
        },
    )
    assert BoardRate.objects.get().amount == Decimal("650.00")
    year = board_pay_year(world.alfa, 2026)
    rows = {r.name.split(" (")[0]: r for r in year.rows}
    anna, bogdan = rows["Anna Zarządowa"], rows["Bogdan Online"]
    # Anna: 15.01 and 20.02 at 500; Bogdan: 15.01 at 500 and 10.03 at 650 (a mixed quarter)
    assert anna.quarters[0].total == Decimal("1000.00")
    assert bogdan.quarters[0].total == Decimal("1150.00")
    assert anna.quarters[1].total == Decimal("650.00")  # 10.04 at 650
    assert year.rate == Decimal("650.00")
    html = office.get(reverse("money_board_pay", args=["alfa"]), {"year": 2026}).content.decode()
    assert "Uchwała WZ nr 3/2026" in html
    # a missing resolution is refused and nothing is written
    office.post(
        reverse("money_board_rate", args=["alfa"]),
        {"rate-valid_from": "2026-09-01", "rate-amount": "700", "rate-resolution": ""},
    )
    assert BoardRate.objects.count() == 1
    office.post(reverse("money_board_rate_remove", args=["alfa", BoardRate.objects.get().pk]))
    assert not BoardRate.objects.exists()
    assert board_pay_year(world.alfa, 2026).total == Decimal("3000.00")
