"""GOV-7 ordinary and reporting-electoral GA calendar; GOV-8 / GOV-9 presidium composition."""

import datetime as dt

import pytest

from klaster.rules.governance import (
    PresidiumSeat,
    check_presidium_seat,
    ga_calendar,
    presidium_composition,
)
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH

D = dt.date


def test_gov_7_ga_calendar_two_ordinary_a_year_and_electoral_every_three_years():
    meetings = [
        (D(2024, 4, 10), "ordinary"),
        (D(2024, 11, 5), "reporting_electoral"),
        (D(2025, 3, 1), "extraordinary"),
        (D(2025, 5, 20), "ordinary"),
    ]
    cal = ga_calendar(INFOTECH, D(2025, 6, 2), meetings)
    current, previous = cal.years
    assert (previous.year, previous.held, previous.short) == (2024, 2, False)
    assert (current.year, current.held, current.required, current.short) == (2025, 1, 2, True)
    assert cal.last_electoral == D(2024, 11, 5) and cal.electoral_due_by == D(2027, 11, 5)
    assert not cal.electoral_overdue and cal.warn and cal.rule_id == "GOV-7"
    assert "05.11.2027" in say(cal.message)


def test_gov_7_ga_calendar_previous_year_short_and_electoral_overdue():
    cal = ga_calendar(
        EVOLUMA,
        D(2025, 6, 2),
        [
            (D(2021, 5, 1), "reporting_electoral"),
            (D(2025, 4, 1), "ordinary"),
            (D(2025, 10, 1), "ordinary"),
        ],
    )
    assert cal.years[1].short and not cal.years[0].short
    assert cal.electoral_overdue and cal.warn and "termin minął" in say(cal.message)


def test_gov_7_ga_calendar_without_any_electoral_warns():
    cal = ga_calendar(EVOLUMA, D(2025, 6, 2), [])
    assert (
        cal.last_electoral is None and cal.warn and "sprawozdawczo-wyborczego" in say(cal.message)
    )


R, P, E = "rotating", "permanent", "elected"


def test_gov_9_board_presidium_two_rotating_one_permanent_from_coordinator():
    full = [PresidiumSeat(R), PresidiumSeat(R), PresidiumSeat(P, True)]
    assert presidium_composition(INFOTECH, "board_presidium", full).missing == ()
    third = check_presidium_seat(INFOTECH, "board_presidium", full[:2], PresidiumSeat(R))
    assert not third.allowed and "rotacyjnych" in say(third.message) and third.rule_id == "GOV-9"
    outsider = check_presidium_seat(INFOTECH, "board_presidium", full[:2], PresidiumSeat(P, False))
    assert not outsider.allowed and "zarządu Koordynatora" in say(outsider.message)
    assert check_presidium_seat(
        INFOTECH, "board_presidium", full[:2], PresidiumSeat(P, True)
    ).allowed
    comp = presidium_composition(INFOTECH, "board_presidium", full[:1])
    assert any("stałego" in say(m) for m in comp.missing) and any(
        "rotacyjnych (1 z 2)" in say(m) for m in comp.missing
    )


@pytest.mark.parametrize(("held", "allowed"), [(4, True), (5, False)])
def test_gov_8_council_presidium_of_five(held, allowed):
    check = check_presidium_seat(
        INFOTECH, "council_presidium", [PresidiumSeat(E)] * held, PresidiumSeat(E)
    )
    assert check.allowed is allowed and check.rule_id == "GOV-8"
    comp = presidium_composition(INFOTECH, "council_presidium", [PresidiumSeat(E)] * 3)
    assert [say(m) for m in comp.missing] == ["Brakuje członków (3 z 5)."]
