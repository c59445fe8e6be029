"""Staff time register (FIN-10).

001 "Kadra" 1: the coordinator's staff record their own time and that of persons delegated to
the cluster (GZW work included); a monthly register "w wymiarze etatów oraz ekwiwalentu czasu
pracy" and from the monthly reports the yearly average; hourly rates set yearly by the Board.

A month's full-time hours are its business days (Monday to Friday, Polish public holidays
skipped — klaster/rules/calendar.py) × 8 hours (the Labour Code's daily norm, art. 129 § 1 KP;
a parameter). FTE = hours worked / those hours, exact (Fraction), shown to 2 places. The yearly
average is the mean of the twelve months' FTE, a month without a record counting as 0.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from klaster.rules.calendar import is_business_day
from klaster.rules.message import Money, Msg, define
from klaster.rules.money._common import MISSING, MoneyInputError, amount, non_negative, to_grosz

RULE_ID = "FIN-10"
HOURS_PER_DAY = 8

MONTH = define(
    "money.staff.month",
    "{month}: {hours} h of {full} h ({days} {days:business day|business days} × {per_day} h) = {fte} FTE.",
)
YEAR = define(
    "money.staff.year",
    "{year}: {hours} h in total, average {fte} FTE over 12 months; cost {cost}.",
)
NO_RATE = define("money.staff.no_rate", "the Board's hourly rate for {year}")


def business_days_in_month(year: int, month: int) -> int:
    last = _stdcal.monthrange(year, month)[1]
    return sum(1 for d in range(1, last + 1) if is_business_day(dt.date(year, month, d)))


def working_hours(year: int, month: int, per_day: int = HOURS_PER_DAY) -> int:
    return business_days_in_month(year, month) * per_day


def fte_display(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class MonthTime:
    person: str
    year: int
    month: int
    hours: Decimal
    full_hours: int
    fte: Fraction
    message: Msg
    rule_id: str = RULE_ID


def month_time(
    person: str, year: int, month: int, hours: Decimal, per_day: int = HOURS_PER_DAY
) -> MonthTime:
    hours = non_negative("hours", amount("hours", hours))
    days = business_days_in_month(year, month)
    full = days * per_day
    fte = Fraction(hours) / full
    return MonthTime(
        person,
        year,
        month,
        hours,
        full,
        fte,
        Msg.of(
            MONTH,
            month=f"{month:02d}.{year}",
            hours=hours,
            full=full,
            days=days,
            per_day=per_day,
            fte=fte_display(fte),
        ),
    )


@dataclass(frozen=True)
class YearTime:
    person: str
    year: int
    months: tuple[MonthTime, ...]  # all twelve, zeros included
    hours: Decimal
    average_fte: Fraction
    rate: Decimal
    cost: Decimal
    message: Msg
    rule_id: str = RULE_ID


def year_time(
    person: str,
    year: int,
    hours_by_month: Mapping[int, Decimal],
    hourly_rates: Mapping[int, Decimal],
    per_day: int = HOURS_PER_DAY,
) -> YearTime:
    """The person's year: each month's FTE, the average over 12 months, and the cost at the
    Board's rate for that year (`hourly_rates[year]`)."""
    if year not in hourly_rates:
        raise MoneyInputError(
            "hourly_rates",
            Msg.of(MISSING, field="hourly_rates", what=Msg.of(NO_RATE, year=str(year))),
        )
    rate = non_negative("hourly_rates", amount("hourly_rates", hourly_rates[year]))
    months = tuple(
        month_time(person, year, m, hours_by_month.get(m, Decimal(0)), per_day)
        for m in range(1, 13)
    )
    hours = sum((m.hours for m in months), Decimal(0))
    average = sum((m.fte for m in months), Fraction(0)) / 12
    cost = to_grosz(hours * rate)
    return YearTime(
        person,
        year,
        months,
        hours,
        average,
        rate,
        cost,
        Msg.of(YEAR, year=str(year), hours=hours, fte=fte_display(average), cost=Money(cost)),
    )


def register(
    entries: Iterable[tuple[str, dt.date, Decimal]],
) -> dict[tuple[str, int, int], Decimal]:
    """Sum recorded time entries (person, day, hours) per person and month."""
    out: dict[tuple[str, int, int], Decimal] = {}
    for person, day, hours in entries:
        key = (person, day.year, day.month)
        out[key] = out.get(key, Decimal(0)) + non_negative("hours", amount("hours", hours))
    return out
