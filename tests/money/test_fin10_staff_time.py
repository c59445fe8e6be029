"""FIN-10: the staff time register — monthly hours and FTE (Polish business days × 8 h), the
yearly average, the Board's hourly rates per year and role, the cost; the office writes, organ
members read."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.money.services import MoneyError


@pytest.fixture
def register(money):
    from klaster.money import staff_services as services

    user = money.world.users["office"]
    services.set_rate(
        cluster=money.cluster,
        user=user,
        year=2026,
        role="koordynator",
        rate=Decimal("80.00"),
        resolution="Uchwała 2/2026 Zarządu",
    )
    # May 2026: 20 business days (1 May, 3 May on Sunday, Corpus Christi 4 June is later)
    services.save_staff_time(
        cluster=money.cluster,
        user=user,
        person="Ewa Biurowa",
        role="koordynator",
        month=dt.date(2026, 1, 1),
        hours=Decimal("160"),
    )
    services.save_staff_time(
        cluster=money.cluster,
        user=user,
        person="Ewa Biurowa",
        role="koordynator",
        month=dt.date(2026, 2, 1),
        hours=Decimal("80"),
        gzw_hours=Decimal("10"),
    )
    return money


def test_fin_10_month_fte_year_average_and_cost(register):
    from klaster.money.staff_selectors import staff_year
    from klaster.rules.money.staff import working_hours

    year = staff_year(register.cluster, 2026)
    assert year.full_hours[0] == working_hours(2026, 1)  # January: 1 and 6 January are holidays
    (row,) = year.rows
    assert row.person == "Ewa Biurowa" and row.rate == Decimal("80.00")
    jan, feb = row.months[0], row.months[1]
    assert jan.full_hours == 160 and jan.fte == 1  # 20 business days in January 2026
    assert feb.full_hours == 160 and feb.fte * 2 == 1
    assert row.average_fte == Decimal("0.13")  # (1 + 0.5) / 12
    assert row.year.cost == Decimal("19200.00")  # 240 h × 80
    assert row.gzw_hours == Decimal("10")
    assert year.cost == Decimal("19200.00") and year.missing_rates == []


def test_fin_10_correcting_a_month_replaces_it(register):
    from klaster.money import staff_services as services
    from klaster.money.models import StaffTime

    services.save_staff_time(
        cluster=register.cluster,
        user=register.world.users["office"],
        person="Ewa Biurowa",
        role="koordynator",
        month=dt.date(2026, 2, 15),
        hours=Decimal("100"),
    )
    assert StaffTime.objects.filter(cluster=register.cluster).count() == 2
    assert StaffTime.objects.get(month=dt.date(2026, 2, 1)).hours == Decimal("100")


@pytest.mark.parametrize(
    "field, kwargs",
    [
        ("hours", {"hours": Decimal("-1")}),
        ("hours", {"hours": Decimal("672.01")}),  # February 2026: 28 days × 24 h = 672
        ("gzw_hours", {"hours": Decimal("10"), "gzw_hours": Decimal("-2")}),
        ("gzw_hours", {"hours": Decimal("10"), "gzw_hours": Decimal("11")}),
        ("person", {"hours": Decimal("10"), "person": "  "}),
    ],
)
def test_fin_10_refuses_impossible_hours_naming_the_field(money, field, kwargs):
    from klaster.core.say import say
    from klaster.money import staff_services as services

    args = {"person": "Ewa", "month": dt.date(2026, 2, 1)} | kwargs
    with pytest.raises(MoneyError) as exc:
        services.save_staff_time(
            cluster=money.cluster, user=money.world.users["office"], labels={field: "LABEL"}, **args
        )
    assert exc.value.field == field
    assert "LABEL" in say(exc.value.message)


def test_fin_10_bound_is_the_calendar_month(money):
    from klaster.money import staff_services as services

    row = services.save_staff_time(
        cluster=money.cluster,
        user=money.world.users["office"],
        person="Ewa",
        month=dt.date(2026, 2, 1),
        hours=Decimal("672"),
    )
    assert row.hours == Decimal("672")


def test_fin_10_page_post_and_xlsx(register, client_for):
    from openpyxl import load_workbook

    from klaster.money.models import HourlyRate, StaffTime

    url = reverse("money_staff", args=["alfa"])
    office = client_for("office")
    page = office.get(url, {"year": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ewa Biurowa" in html and "19 200,00" in html.replace("\xa0", " ")
    r = office.post(
        url,
        {
            "person": "Jan Delegowany",
            "role": "ekspert",
            "month": "2026-03",
            "hours": "42,5",  # a Polish decimal comma
            "gzw_hours": "40",
        },
    )
    assert r.status_code == 302
    jan = StaffTime.objects.get(person="Jan Delegowany")
    assert jan.month == dt.date(2026, 3, 1) and jan.hours == Decimal("42.5")
    page = office.get(url, {"year": 2026})
    assert "Jan Delegowany" in page.content.decode()  # without a rate: no cost yet
    bad = office.post(url, {"person": "Jan", "month": "2026-03", "hours": "9999"}, follow=True)
    assert StaffTime.objects.filter(person="Jan").count() == 0
    assert bad.status_code == 200
    r = office.post(
        reverse("money_rate", args=["alfa"]), {"year": 2026, "role": "ekspert", "rate": "120,00"}
    )
    assert r.status_code == 302
    assert HourlyRate.objects.get(role="ekspert").rate == Decimal("120.00")
    # the chair reads, does not write
    chair = client_for("chair")
    assert chair.get(url).status_code == 200
    assert chair.post(url, {"person": "X", "month": "2026-03", "hours": "1"}).status_code == 403
    xlsx = office.get(reverse("money_staff_xlsx", args=["alfa"]), {"year": 2026})
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    people = [row[0] for row in ws.iter_rows(values_only=True)]
    assert "Ewa Biurowa" in people and "Jan Delegowany" in people
