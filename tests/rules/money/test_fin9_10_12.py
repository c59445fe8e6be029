"""FIN-9 (Board remuneration), FIN-10 (staff time in FTE), FIN-12 (statement requests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from klaster.rules.money import (
    Attendance,
    MoneyInputError,
    board_pay,
    month_time,
    register,
    statement_request,
    working_hours,
    year_time,
)

d = dt.date


def test_fin9_500_per_meeting_in_person_or_online_none_for_proxy_quarterly():
    facts = [
        Attendance("anna", "b1", d(2026, 1, 10), "in_person"),
        Attendance("anna", "b2", d(2026, 2, 10), "online"),
        Attendance("anna", "b3", d(2026, 3, 10), "proxy"),
        Attendance("anna", "b4", d(2026, 4, 10), "in_person"),
        Attendance("bartek", "b1", d(2026, 1, 10), "proxy"),
        Attendance("bartek", "b1", d(2026, 1, 10), "online"),  # came after all: the proxy lapsed
        Attendance("celina", "b1", d(2026, 1, 10), "absent"),
    ]
    pay = {
        (p.person, p.year, p.quarter): (p.meetings_paid, p.meetings_proxy, p.total)
        for p in board_pay(facts)
    }
    assert pay == {
        ("anna", 2026, 1): (2, 1, D("1000.00")),
        ("anna", 2026, 2): (1, 0, D("500.00")),
        ("bartek", 2026, 1): (1, 0, D("500.00")),
    }
    assert board_pay(facts[:1], per_meeting=D("650.00"))[0].total == D("650.00")


def test_fin10_month_hours_are_business_days_times_8_with_polish_holidays_skipped():
    assert working_hours(2026, 1) == 20 * 8  # 1 and 6 January are holidays
    assert working_hours(2026, 12) == 21 * 8  # 23 weekdays less 24, 25 December (holidays)
    m = month_time("ewa", 2026, 1, D("80"))
    assert m.fte == Fraction(1, 2) and m.full_hours == 160


def test_fin10_yearly_average_and_cost_at_the_boards_rate():
    hours = {1: D("160"), 2: D("160")}
    y = year_time("ewa", 2026, hours, {2026: D("85.50")})
    feb = working_hours(2026, 2)
    assert y.average_fte == (Fraction(1) + Fraction(160, feb)) / 12
    assert y.cost == D("27360.00")
    with pytest.raises(MoneyInputError) as err:
        year_time("ewa", 2027, hours, {2026: D("85.50")})
    assert err.value.field == "hourly_rates"
    assert register([("ewa", d(2026, 1, 2), D("4")), ("ewa", d(2026, 1, 5), D("3.5"))]) == {
        ("ewa", 2026, 1): D("7.5")
    }


def test_fin12_deadline_is_5_business_days_skipping_holidays():
    # requested Friday 30 Oct 2026: 2–6 Nov are business days (1 Nov is a Sunday)
    r = statement_request(d(2026, 10, 30), on=d(2026, 11, 6))
    assert (r.deadline, r.overdue, r.quarter) == (
        d(2026, 11, 6),
        False,
        (d(2026, 7, 1), d(2026, 9, 30)),
    )
    assert statement_request(d(2026, 10, 30), on=d(2026, 11, 9)).overdue
    # 11 November is a holiday: requested 9 Nov → 10, 12, 13, 16, 17
    assert statement_request(d(2026, 11, 9), on=d(2026, 11, 9)).deadline == d(2026, 11, 17)
    done = statement_request(d(2026, 10, 30), on=d(2026, 12, 1), provided=d(2026, 11, 9))
    assert not done.overdue and done.provided == d(2026, 11, 9)


def test_fin9_the_amount_in_force_on_each_meetings_day():
    facts = [
        Attendance("anna", "m1", dt.date(2026, 1, 15), "in_person"),
        Attendance("anna", "m2", dt.date(2026, 3, 10), "online"),
    ]
    (pay,) = board_pay(facts, per_meeting=lambda day: D("650.00") if day.month >= 3 else D("500"))
    assert pay.total == D("1150.00") and pay.message.code == "money.board.quarter_mixed"
    (same,) = board_pay(facts, per_meeting=lambda day: D("500"))
    assert same.total == D("1000.00") and same.message.code == "money.board.quarter"
