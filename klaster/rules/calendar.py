"""Time in the cluster's own terms: Europe/Warsaw days and Polish business days.

Statute deadlines are counted in Warsaw calendar days ("2 days before the meeting",
"21 days before") or in business days ("5 business days", 001 dec. 12, 001 "Nowi
członkowie" 2b, 001 fin. 7). A business day is Monday to Friday and not a Polish public
holiday; the holidays come from the `holidays` package's Polish calendar, which knows
that Christmas Eve (24 December) is a public holiday from 2025 on.

Counting convention (the one every statute rule here uses): a period "N business days
from day D" does not count D itself; it ends at the end of the N-th business day after D.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WARSAW = ZoneInfo("Europe/Warsaw")


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone reached a rule that needs the instant it means."""


def _require_aware(moment: dt.datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{what}: data i godzina muszą mieć strefę czasową (np. Europe/Warsaw), "
            f"otrzymano {moment.isoformat()}"
        )


def to_warsaw(moment: dt.datetime) -> dt.datetime:
    """The same instant seen on a Warsaw clock. Naive datetimes are refused, never guessed."""
    _require_aware(moment, "to_warsaw")
    return moment.astimezone(WARSAW)


def warsaw_date(moment: dt.datetime) -> dt.date:
    """The Warsaw calendar day an instant falls on (an e-mail at 23:30 UTC is already tomorrow)."""
    return to_warsaw(moment).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in Warsaw, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=WARSAW)


def end_of_day_exclusive(day: dt.date) -> dt.datetime:
    """The first instant after `day` ends in Warsaw (midnight of the next day).

    "By the end of day D" means strictly before this instant: 23:59:59.999 still counts,
    00:00 of the next day does not.
    """
    return start_of_day(day + dt.timedelta(days=1))


def add_months(day: dt.date, months: int) -> dt.date:
    """Shift by calendar months; a day that the target month lacks becomes its last day.

    This is how Polish civil law ends a term counted in months (Kodeks cywilny art. 112):
    one month from 31 January ends on 28 (29) February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = _stdcal.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


@lru_cache(maxsize=64)
def _polish_holidays(year: int) -> dict[dt.date, str]:
    # One year at a time, cached: the package computes movable feasts (Easter) per year.
    calendar = holidays.country_holidays("PL", years=year, language="pl")
    return {day: str(name) for day, name in calendar.items()}


def holiday_name(day: dt.date) -> str | None:
    """The Polish name of the public holiday on `day`, or None."""
    return _polish_holidays(day.year).get(day)


def is_public_holiday(day: dt.date) -> bool:
    return day in _polish_holidays(day.year)


def is_business_day(day: dt.date) -> bool:
    """Monday–Friday and not a Polish public holiday (Saturdays and Sundays never are)."""
    return day.weekday() < 5 and not is_public_holiday(day)


def add_business_days(day: dt.date, n: int) -> dt.date:
    """The n-th business day after `day` (n > 0) or before it (n < 0); `day` is not counted.

    `add_business_days(d, 0)` is `d` itself, whatever day it is.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += dt.timedelta(days=step)
        if is_business_day(current):
            remaining -= 1
    return current


def business_days_between(start: dt.date, end: dt.date) -> int:
    """How many business days lie in (start, end]: `start` excluded, `end` included.

    Zero when `end` is not after `start`. So `business_days_between(d, add_business_days(d, n))`
    is `n` for every n ≥ 0.
    """
    if end <= start:
        return 0
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_business_day(current):
            count += 1
    return count


#: The months' names in Polish, nominative ("styczeń 2026"): a month named on its own, as in an
#: invoice line or a meeting's title.
MONTHS_PL = (
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
)


def month_name_pl(day: dt.date) -> str:
    """ "październik 2026": the month of `day` and its year, in Polish."""
    return f"{MONTHS_PL[day.month - 1]} {day.year}"
