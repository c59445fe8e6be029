"""Issue 9 point 1: the home's "what to do now" — table-driven on both sides of each edge.
Deadlines named: GOV-7 (notice), GOV-4 (proxies), GOV-5 (objection window)."""

from __future__ import annotations

import datetime as dt

import pytest

from klaster.rules.agenda import (
    LATER,
    NOTICE_SEND,
    OBJECTION_WINDOW,
    OVERDUE,
    PROXY_DEADLINE,
    SOON,
    TODAY,
    Fact,
    agenda,
    notice_send_by,
    severity,
)

D = dt.date
TODAY_ = D(2026, 11, 9)  # a Monday; 11.11 (Wednesday) is Independence Day


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (D(2026, 11, 8), OVERDUE),  # one day late
        (D(2026, 11, 9), TODAY),
        (D(2026, 11, 10), SOON),
        (D(2026, 11, 12), SOON),  # 3 days: the last "soon" day
        (D(2026, 11, 13), LATER),  # 4 days
    ],
)
def test_severity_edges(due, expected):
    assert severity(TODAY_, due, soon_days=3) == expected


@pytest.mark.parametrize(
    ("due", "shown"),
    [
        (D(2026, 11, 16), True),  # 7 days ahead: last day of the horizon
        (D(2026, 11, 17), False),  # 8 days ahead
        (D(2026, 10, 10), True),  # 30 days overdue: still shown
        (D(2026, 10, 9), False),  # 31 days overdue: dropped
    ],
)
def test_horizon_edges(due, shown):
    items = agenda([Fact(PROXY_DEADLINE, due, "GOV-4")], TODAY_, horizon_days=7, overdue_days=30)
    assert bool(items) is shown


def test_done_facts_are_left_out():
    assert agenda([Fact(NOTICE_SEND, TODAY_, "GOV-7", done=True)], TODAY_) == []


def test_sorted_most_urgent_first_then_by_date():
    facts = [
        Fact(OBJECTION_WINDOW, D(2026, 11, 15), "GOV-5"),
        Fact(PROXY_DEADLINE, D(2026, 11, 10), "GOV-4"),
        Fact(NOTICE_SEND, D(2026, 11, 5), "GOV-7", params={"organ": "ga"}),
        Fact(PROXY_DEADLINE, TODAY_, "GOV-4"),
    ]
    items = agenda(facts, TODAY_)
    assert [(i.code, i.severity) for i in items] == [
        (NOTICE_SEND, OVERDUE),
        (PROXY_DEADLINE, TODAY),
        (PROXY_DEADLINE, SOON),
        (OBJECTION_WINDOW, LATER),
    ]
    assert items[0].days_left == -4
    assert items[0].days_overdue == 4
    assert items[0].params == {"organ": "ga"}
    assert items[0].rule_id == "GOV-7"


@pytest.mark.parametrize(
    ("due", "business"),
    [
        (D(2026, 11, 10), 1),
        (D(2026, 11, 11), 1),  # Independence Day is not a business day
        (D(2026, 11, 12), 2),
        (D(2026, 11, 14), 3),  # Saturday adds nothing
        (D(2026, 11, 16), 4),
    ],
)
def test_business_days_left_skip_polish_holidays_and_weekends(due, business):
    (item,) = agenda([Fact(OBJECTION_WINDOW, due, "GOV-5")], TODAY_)
    assert item.business_days_left == business
    assert item.days_left == (due - TODAY_).days
    assert item.days_overdue == 0


@pytest.mark.parametrize(
    ("meeting", "days", "send_by"),
    [
        (D(2026, 12, 21), 21, D(2026, 11, 30)),  # GOV-7: 000 §8.4, 21 days before
        (D(2026, 12, 1), 7, D(2026, 11, 24)),
    ],
)
def test_notice_send_by_gov_7(meeting, days, send_by):
    assert notice_send_by(meeting, days) == send_by


def test_board_meeting_reminder_by_the_months_last_day_gov_9():
    """GOV-9: fewer Board meetings held or planned in the month than the statute asks for → a
    reminder due on the month's last day; enough → none; no cadence in the statute → none."""
    from klaster.rules.agenda import BOARD_MEETING, board_meeting_due, month_end

    today = dt.date(2026, 12, 4)
    fact = board_meeting_due(today, [dt.date(2026, 11, 30)], 1)
    assert fact is not None and (fact.code, fact.due, fact.rule_id) == (
        BOARD_MEETING,
        dt.date(2026, 12, 31),
        "GOV-9",
    )
    assert board_meeting_due(today, [dt.date(2026, 12, 28)], 1) is None  # planned later this month
    assert board_meeting_due(today, [dt.date(2026, 12, 1)], 2) is not None  # one of two
    assert board_meeting_due(today, [], None) is None
    assert month_end(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
