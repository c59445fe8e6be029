"""What the money rules share: exact amounts, rounding to the grosz, periods, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from klaster.rules.governance._common import Explained, NotInStatute
from klaster.rules.governance.voting import Period
from klaster.rules.message import Msg, define, render

__all__ = [
    "GROSZ",
    "Explained",
    "MoneyInputError",
    "NotInStatute",
    "Period",
    "month_start",
    "months_between",
    "next_month",
    "to_grosz",
]

GROSZ = Decimal("0.01")

BAD_AMOUNT = define("money.input.amount", "“{field}” must be an amount in PLN, not {value}.")
NEGATIVE = define("money.input.negative", "“{field}” cannot be negative ({value}).")
BAD_DATES = define("money.input.dates", "“{field}”: {end} is before {start}.")
BAD_CHOICE = define("money.input.choice", "“{field}” must be one of: {allowed}; got {value}.")
NOT_POSITIVE = define("money.input.positive", "“{field}” must be more than 0, not {value}.")
EMPTY = define("money.input.empty", "“{field}” cannot be empty.")
MISSING = define("money.input.missing", "“{field}” is missing: {what}.")
BAD_WHOLE = define(
    "money.input.whole", "“{field}” must be a whole number not below {minimum}, not {value}."
)


class MoneyInputError(ValueError):
    """Bad input to a money rule: names the field, says why as a `Msg`; nothing is computed."""

    def __init__(self, field: str, message: Msg) -> None:
        self.field = field
        self.message = message
        super().__init__(render(message, "en", lambda code, text: text))


def to_grosz(value: Decimal | Fraction | int) -> Decimal:
    """Round to the grosz, half up (0.005 → 0.01): once per document line or document."""
    if isinstance(value, Fraction):
        # exact: numerator/denominator to 2 places, half up, without a float in between
        scaled = value * 100
        whole, rest = divmod(scaled.numerator, scaled.denominator)
        if 2 * rest >= scaled.denominator:
            whole += 1
        return (Decimal(whole) / 100).quantize(GROSZ)
    return Decimal(value).quantize(GROSZ, rounding=ROUND_HALF_UP)


def amount(field: str, value: object) -> Decimal:
    """A PLN amount from input (Decimal, int or a string such as "221.40"); never a float."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyInputError(field, Msg.of(BAD_AMOUNT, field=field, value=repr(value)))
    try:
        result = Decimal(str(value)) if isinstance(value, str | int) else value
    except ArithmeticError:
        raise MoneyInputError(field, Msg.of(BAD_AMOUNT, field=field, value=repr(value))) from None
    if not isinstance(result, Decimal) or not result.is_finite():
        raise MoneyInputError(field, Msg.of(BAD_AMOUNT, field=field, value=repr(value)))
    return result


def non_negative(field: str, value: Decimal) -> Decimal:
    if value < 0:
        raise MoneyInputError(field, Msg.of(NEGATIVE, field=field, value=str(value)))
    return value


def check_order(field: str, start: dt.date, end: dt.date) -> None:
    if end < start:
        raise MoneyInputError(field, Msg.of(BAD_DATES, field=field, start=start, end=end))


def choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise MoneyInputError(
            field, Msg.of(BAD_CHOICE, field=field, allowed=allowed, value=str(value))
        )
    return value


def whole_days(field: str, value: object, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise MoneyInputError(
            field, Msg.of(BAD_WHOLE, field=field, minimum=minimum, value=repr(value))
        )
    return value


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from `first`'s month to `last`'s month, both included."""
    out: list[dt.date] = []
    current = month_start(first)
    end = month_start(last)
    while current <= end:
        out.append(current)
        current = next_month(current)
    return out
