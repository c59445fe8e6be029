"""Business days and Warsaw time (klaster.rules.calendar), on real Polish dates."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.rules.calendar import (
    WARSAW,
    NaiveDatetimeError,
    add_business_days,
    add_months,
    business_days_between,
    end_of_day_exclusive,
    holiday_name,
    is_business_day,
    warsaw_date,
)

D = dt.date
UTC = dt.UTC


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 5, 1), False),  # Święto Pracy, Thursday
        (D(2025, 5, 2), True),  # the Friday between: an ordinary business day
        (D(2025, 5, 3), False),  # Konstytucja 3 Maja, on a Saturday
        (D(2026, 5, 1), False),  # Friday
        (D(2025, 11, 11), False),  # Niepodległości, Tuesday
        (D(2025, 4, 21), False),  # Easter Monday 2025
        (D(2026, 4, 6), False),  # Easter Monday 2026
        (D(2025, 6, 19), False),  # Corpus Christi 2025
        (D(2024, 12, 24), True),  # Christmas Eve 2024: still a working day
        (D(2025, 12, 24), False),  # Christmas Eve is a public holiday from 2025
        (D(2026, 12, 24), False),
        (D(2025, 12, 27), False),  # Saturday
        (D(2025, 12, 29), True),
    ],
)
def test_is_business_day_polish_holidays(day: dt.date, expected: bool) -> None:
    assert is_business_day(day) is expected


def test_holiday_names_are_polish() -> None:
    assert holiday_name(D(2025, 12, 24)) == "Wigilia Bożego Narodzenia"
    assert holiday_name(D(2025, 12, 23)) is None


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2025, 4, 30), 1, D(2025, 5, 2)),  # skips 1 May
        (D(2025, 4, 30), 2, D(2025, 5, 5)),  # skips the weekend with 3 May
        (D(2025, 11, 7), 2, D(2025, 11, 12)),  # Mon 10, (Tue 11 holiday), Wed 12
        (D(2025, 4, 17), 2, D(2025, 4, 22)),  # Fri 18, (Easter Monday 21), Tue 22
        (D(2025, 12, 23), 1, D(2025, 12, 29)),  # 24, 25, 26 holidays, 27-28 weekend
        (D(2024, 12, 23), 1, D(2024, 12, 24)),  # before 2025 the 24th was a working day
        (D(2025, 12, 31), 1, D(2026, 1, 2)),  # across the year and New Year's Day
        (D(2025, 6, 14), 0, D(2025, 6, 14)),  # zero: the day itself, even a Saturday
        (D(2025, 6, 16), -5, D(2025, 6, 9)),
        (D(2025, 5, 6), -5, D(2025, 4, 28)),  # back across 3 May weekend and 1 May
        (D(2025, 5, 5), -1, D(2025, 5, 2)),
    ],
)
def test_add_business_days_table(start: dt.date, n: int, expected: dt.date) -> None:
    assert add_business_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2025, 4, 30), D(2025, 5, 8), 5),
        (D(2025, 12, 23), D(2026, 1, 5), 5),  # 29, 30, 31, 2, 5
        (D(2025, 6, 9), D(2025, 6, 9), 0),
        (D(2025, 6, 10), D(2025, 6, 9), 0),
        (D(2025, 6, 13), D(2025, 6, 16), 1),  # Friday to Monday: only Monday counts
    ],
)
def test_business_days_between_table(start: dt.date, end: dt.date, expected: int) -> None:
    assert business_days_between(start, end) == expected


dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


@given(dates, st.integers(min_value=0, max_value=40))
def test_business_days_between_inverts_add(day: dt.date, n: int) -> None:
    later = add_business_days(day, n)
    assert business_days_between(day, later) == n
    if n > 0:
        assert is_business_day(later)
        assert add_business_days(later, -n) <= day


@given(dates, st.integers(min_value=0, max_value=30))
def test_add_business_days_is_monotone(day: dt.date, n: int) -> None:
    assert add_business_days(day, n) < add_business_days(day, n + 1)


def test_warsaw_date_and_day_end_across_dst() -> None:
    assert warsaw_date(dt.datetime(2025, 3, 1, 23, 30, tzinfo=UTC)) == D(2025, 3, 2)
    assert warsaw_date(dt.datetime(2025, 7, 1, 21, 59, tzinfo=UTC)) == D(2025, 7, 1)
    assert warsaw_date(dt.datetime(2025, 7, 1, 22, 0, tzinfo=UTC)) == D(2025, 7, 2)
    # 30 March 2025 is the spring change; the day before still ends at 23:00 UTC.
    end = end_of_day_exclusive(D(2025, 3, 29))
    assert end == dt.datetime(2025, 3, 30, 0, 0, tzinfo=WARSAW)
    assert end.astimezone(UTC) == dt.datetime(2025, 3, 29, 23, 0, tzinfo=UTC)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(NaiveDatetimeError, match="strefę czasową"):
        warsaw_date(dt.datetime(2025, 1, 1, 12, 0))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 6, 15), -24, D(2023, 6, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected
