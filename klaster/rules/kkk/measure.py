"""Exact arithmetic for KKK figures: shares as Fractions, bands, "1 point per N", dates.

Shares are never floats: 14.99 % must fail a 15 % band and 15 % must pass it, so every
comparison is between Fractions and every threshold is a Fraction.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from klaster.rules.message import Msg, define

IDS_MORE = define("kkk.ids_more", "{shown} … ({n} in all)")


def share(part: int, whole: int) -> Fraction:
    """part ÷ whole; an empty whole gives 0, so a share of nothing never passes a band."""
    return Fraction(part, whole) if whole else Fraction(0)


def pct(value: Fraction) -> str:
    """A share as a percentage with two decimals, rounded DOWN.

    Rounding down keeps the printed figure on the same side of every band edge as the
    exact share (bands are whole or two-decimal percentages): 14.996 % prints "14.99%"
    and indeed fails a 15 % band.
    """
    hundredths = math.floor(value * 10000)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def pct_up(value: Fraction) -> str:
    """A share rounded UP to 0.01 % — for "at least this much is needed"."""
    hundredths = math.ceil(value * 10000)
    return f"{hundredths // 100}.{hundredths % 100:02d}%"


def pct_threshold(threshold: Fraction) -> str:
    """A band edge as written in the instruction: "15%", "2/3"."""
    hundred = threshold * 100
    if hundred.denominator == 1:
        return f"{hundred.numerator}%"
    return f"{threshold.numerator}/{threshold.denominator}"


# The Decimal working precision for sums of many ratios, and a bound on its total error far
# above what 60 digits can lose over millions of terms, far below any band edge's resolution.
_MEAN_PRECISION = 60
_MEAN_ERROR = Fraction(1, 10**30)


def _exact_sum(terms: list[Fraction]) -> Fraction:
    """Pairwise sum: keeps the intermediate denominators balanced."""
    if not terms:
        return Fraction(0)
    while len(terms) > 1:
        terms = [
            terms[i] + terms[i + 1] if i + 1 < len(terms) else terms[i]
            for i in range(0, len(terms), 2)
        ]
    return terms[0]


def mean_of_ratios(pairs: list[tuple[Decimal, Decimal]], edges: Iterable[Fraction]) -> Fraction:
    """The mean of a_i ÷ b_i, exact wherever it matters.

    Summing thousands of exact fractions with unrelated denominators builds numbers of tens of
    thousands of digits (a 10,000-member cluster took 0.4 s). So the mean is summed in 60-digit
    Decimals, whose error is far below 10⁻³⁰, and returned as that Decimal's exact Fraction —
    unless it lies within the error of one of `edges` (the band thresholds) or of a 0.01 %
    display step, where the exact pairwise Fraction sum decides. Comparing the result with any
    edge, or printing it with pct(), therefore gives what the exact mean would give.
    """
    n = len(pairs)
    if n == 0:
        return Fraction(0)
    with localcontext() as ctx:
        ctx.prec = _MEAN_PRECISION
        total = sum((a / b for a, b in pairs), Decimal(0))
        approx = Fraction(total / n)
    step = math.floor(approx * 10000)
    near = [Fraction(step, 10000), Fraction(step + 1, 10000), *edges]
    if any(abs(approx - edge) <= _MEAN_ERROR for edge in near):
        return _exact_sum([Fraction(a) / Fraction(b) for a, b in pairs]) / n
    return approx


def money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


@dataclass(frozen=True)
class Band:
    """Points given when a share reaches `at_least` (≥, never >)."""

    at_least: Fraction
    points: int


def band_for(value: Fraction, bands: tuple[Band, ...]) -> tuple[Band | None, Band | None]:
    """The highest band reached and the next one up (bands sorted by threshold)."""
    reached: Band | None = None
    following: Band | None = None
    for band in bands:
        if value >= band.at_least:
            reached = band
        elif following is None:
            following = band
    return reached, following


def more_needed_fixed(count: int, whole: int, at_least: Fraction) -> int | None:
    """How many more of the current `whole` must have the property for count/whole ≥ at_least.

    None when even all of them would not be enough (or there is no whole at all).
    """
    if whole == 0:
        return None
    needed = math.ceil(at_least * whole) - count
    needed = max(needed, 0)
    return needed if count + needed <= whole else None


def more_needed_growing(count: int, whole: int, at_least: Fraction) -> int | None:
    """How many NEW members having the property make (count+k)/(whole+k) ≥ at_least.

    Adding k to both sides: k ≥ (at_least·whole − count) / (1 − at_least).
    """
    if at_least >= 1:
        return None if count < whole else 0
    needed = math.ceil((at_least * whole - count) / (1 - at_least))
    return max(needed, 0)


def per_unit(
    quantity: int | Decimal, unit: int | Decimal, cap: int
) -> tuple[int, int | Decimal | None]:
    """ "1 point per `unit`", whole multiples only (floor), capped; and how much more for +1.

    Returns (points, more needed for the next point or None at the cap).
    """
    points = min(int(quantity // unit), cap) if quantity > 0 else 0
    if points >= cap:
        return points, None
    return points, (points + 1) * unit - quantity


def minus_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier; 29 February becomes 28 February.

    Polish Civil Code art. 112: a period in years ends on the day matching by date, and when
    that month has no such day, on its last day.
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def minus_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, clamped to the month's last day (KC art. 112)."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _days_in_month(year, month)))


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    """calendar.monthrange(year, month)[1], without importing calendar (and locale) for it."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]


def months_between(start: dt.date, end: dt.date) -> int:
    """Calendar months from `start` to `end` counted as year×12+month (SPEC KKK-S1-18)."""
    return (end.year * 12 + end.month) - (start.year * 12 + start.month)


def fmt_ids(ids: tuple[str, ...] | list[str], limit: int = 12) -> str | Msg:
    """A short list of record references for a note (a message when some are left out: "…
    (razem 40)"); the full list is in `basis`."""
    if not ids:
        return "—"
    shown = ", ".join(ids[:limit])
    if len(ids) > limit:
        return Msg.of(IDS_MORE, shown=shown, n=len(ids))
    return shown
