"""Late-payment interest and the recovery compensation (FIN-4).

Two regimes, chosen per fee type (`FeeType.interest_regime`):

- "statutory" (the default) — odsetki ustawowe za opóźnienie, art. 481 § 2 KC: the NBP
  reference rate + 5.5 percentage points, changing with every change of the reference rate
  (since 1 January 2016);
- "commercial" — odsetki ustawowe za opóźnienie w transakcjach handlowych, art. 4 pkt 3 and
  art. 7 ust. 1 of the ustawa o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach
  handlowych: the reference rate + 10 pp (+ 8 pp before 2020), the reference rate being the
  one in force on 1 January for the first half-year and on 1 July for the second, so the rate
  is fixed per half-year.

The reference rates are a dated table shipped as data (klaster/rules/data/nbp_reference_rate.csv,
source in its NOTICE); the Django side may keep its own edited copy and pass it in
(`parse_rate_table`). Interest runs for every day after the due date up to and including the
day of payment (or the day asked), on the amount still open that day, at the rate in force that
day, per day on a 365-day year; it is summed exactly (Fraction) across rate changes and
payments and rounded half up to the grosz once per document.

The EUR 40/70/100 compensation for recovery costs (art. 10 ust. 1 of the same act) is an option,
off by default (`FeeType.recovery_compensation`): 40 EUR when the amount is at most 5,000 PLN,
70 EUR above 5,000 and below 50,000 PLN, 100 EUR from 50,000 PLN, converted at the NBP mean
EUR rate of the last business day of the month before the month the payment became due (the
rate is an input; `compensation_rate_day` says which day's).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Literal

from klaster.rules.calendar import is_business_day
from klaster.rules.message import Money, Msg, define
from klaster.rules.money._common import (
    MISSING,
    NOT_POSITIVE,
    MoneyInputError,
    amount,
    choice,
    non_negative,
    to_grosz,
)

RULE_ID = "FIN-4"
DATA = Path(__file__).resolve().parent.parent / "data" / "nbp_reference_rate.csv"

Regime = Literal["statutory", "commercial"]
REGIMES: tuple[Regime, ...] = ("statutory", "commercial")

#: The legal basis each regime prints (MONEY-CLI `regime`): citations, the same in every language.
BASIS = {
    "statutory": "art. 481 KC",
    "commercial": "art. 7 ust. 1 ustawy o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych",
}
COMPENSATION_BASIS = (
    "art. 10 ust. 1 ustawy o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych"
)

STATUTORY = define(
    "money.interest.statutory",
    "Statutory interest for delay ({basis}: the NBP reference rate + {margin} pp)",
)
COMMERCIAL = define(
    "money.interest.commercial",
    "Statutory interest for delay in commercial transactions ({basis}: the NBP reference rate "
    "on 1 January or 1 July + {margin} pp, fixed for the half-year)",
)
INTEREST = define(
    "money.interest.amount",
    "{regime}: {amount} on {principal} due {due}, to {to}: {pieces}.",
)
NONE_DUE = define(
    "money.interest.none", "{regime}: no interest — nothing was overdue on {to} (due {due})."
)
PIECE = define(
    "money.interest.piece",
    "{start} – {end}, {days} {days:day|days} at {rate}% on {base}",
)
NO_RATE = define("money.interest.no_rate", "the rate table has no reference rate in force on {day}")
NO_MARGIN = define(
    "money.interest.no_margin", "no margin for the “{regime}” regime is known on {day}"
)
BAD_TABLE = define(
    "money.interest.bad_table", "line {line} of the rate table cannot be read: {text}"
)
COMPENSATION = define(
    "money.interest.compensation",
    "Compensation for recovery costs ({basis}): {eur} EUR for an amount of {gross} "
    "({band}), at {rate} PLN/EUR of {rate_day}: {pln}.",
)
BAND_40 = define("money.interest.band40", "not more than {low}")
BAND_70 = define("money.interest.band70", "more than {low} and less than {high}")
BAND_100 = define("money.interest.band100", "{high} or more")


@dataclass(frozen=True)
class RateChange:
    """The NBP reference rate, in percent a year, from `valid_from` to the next change."""

    valid_from: dt.date
    rate: Decimal


@dataclass(frozen=True)
class Margin:
    """Percentage points over the reference rate, from `valid_from` (by statute)."""

    valid_from: dt.date
    points: Decimal


#: art. 481 § 2 KC as in force from 1 January 2016.
STATUTORY_MARGINS: tuple[Margin, ...] = (Margin(dt.date(2016, 1, 1), Decimal("5.5")),)
#: art. 4 pkt 3 lit. a of the act as in force from 2016 (+8 pp); lit. b from 1 January 2020 (+10 pp,
#: a debtor other than a public entity that is a healthcare provider).
COMMERCIAL_MARGINS: tuple[Margin, ...] = (
    Margin(dt.date(2016, 1, 1), Decimal("8")),
    Margin(dt.date(2020, 1, 1), Decimal("10")),
)
_MARGINS = {"statutory": STATUTORY_MARGINS, "commercial": COMMERCIAL_MARGINS}


def parse_rate_table(text: str) -> tuple[RateChange, ...]:
    """Read a table in the shipped CSV's form (valid_from, rate_percent[, anything else])."""
    rows: list[RateChange] = []
    reader = csv.reader(io.StringIO(text))
    for number, row in enumerate(reader, start=1):
        if not row or row[0].strip() in ("", "valid_from") or row[0].startswith("#"):
            continue
        try:
            rows.append(RateChange(dt.date.fromisoformat(row[0].strip()), Decimal(row[1].strip())))
        except (ValueError, IndexError, ArithmeticError):
            raise MoneyInputError(
                "rates", Msg.of(BAD_TABLE, line=number, text=",".join(row))
            ) from None
    return tuple(sorted(rows, key=lambda r: r.valid_from))


@lru_cache(maxsize=1)
def reference_rates() -> tuple[RateChange, ...]:
    """The shipped history of the NBP reference rate (see the NOTICE next to the CSV)."""
    return parse_rate_table(DATA.read_text(encoding="utf-8"))


def _in_force(rows: Sequence[RateChange], day: dt.date) -> RateChange:
    best: RateChange | None = None
    for row in rows:
        if row.valid_from <= day and (best is None or row.valid_from >= best.valid_from):
            best = row
    if best is None:
        raise MoneyInputError(
            "rates", Msg.of(MISSING, field="rates", what=Msg.of(NO_RATE, day=day))
        )
    return best


def _margin(regime: Regime, day: dt.date) -> Decimal:
    in_force = [m for m in _MARGINS[regime] if m.valid_from <= day]
    if not in_force:
        raise MoneyInputError(
            "regime",
            Msg.of(MISSING, field="regime", what=Msg.of(NO_MARGIN, regime=regime, day=day)),
        )
    return max(in_force, key=lambda m: m.valid_from).points


def rate_on(regime: Regime, day: dt.date, rates: Sequence[RateChange] | None = None) -> Decimal:
    """The annual interest rate, in percent, of `regime` on `day`."""
    choice("regime", regime, REGIMES)
    rows = reference_rates() if rates is None else rates
    if regime == "commercial":
        # art. 4 pkt 3: the reference rate in force on 1 January / 1 July, for the half-year
        anchor = dt.date(day.year, 1 if day.month <= 6 else 7, 1)
        return _in_force(rows, anchor).rate + _margin(regime, day)
    return _in_force(rows, day).rate + _margin(regime, day)


def regime_message(regime: Regime, day: dt.date) -> Msg:
    code = STATUTORY if regime == "statutory" else COMMERCIAL
    return Msg.of(code, basis=BASIS[regime], margin=_margin(regime, day))


@dataclass(frozen=True)
class InterestPiece:
    start: dt.date
    end: dt.date  # included
    base: Decimal  # the amount open on those days
    rate: Decimal  # percent a year
    exact: Fraction

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Interest:
    regime: Regime
    basis: str  # the legal basis, e.g. "art. 481 KC"
    due: dt.date
    to: dt.date
    pieces: tuple[InterestPiece, ...]
    exact: Fraction
    amount: Decimal  # rounded half up to the grosz, once
    message: Msg
    rule_id: str = RULE_ID


def interest(
    principal: Decimal,
    due: dt.date,
    to: dt.date,
    *,
    payments: Iterable[tuple[dt.date, Decimal]] = (),
    regime: Regime = "statutory",
    rates: Sequence[RateChange] | None = None,
) -> Interest:
    """Interest on one document of `principal` (its gross) due on `due`, for the days after
    `due` up to and including `to`; `payments` (date, amount) reduce the open amount from the
    day after each payment (the day of payment still bears interest on what it paid)."""
    choice("regime", regime, REGIMES)
    principal = non_negative("principal", amount("principal", principal))
    paid = sorted((d, non_negative("payments", amount("payments", a))) for d, a in payments)
    rows = reference_rates() if rates is None else tuple(rates)
    first, stop = due + dt.timedelta(days=1), to + dt.timedelta(days=1)
    # the open amount or the rate change only on these days: cut the span there
    cuts = {first, stop}
    cuts.update(d + dt.timedelta(days=1) for d, _ in paid)
    cuts.update(r.valid_from for r in rows)
    cuts.update(m.valid_from for m in _MARGINS[regime])
    cuts.update(dt.date(y, m, 1) for y in range(first.year, stop.year + 1) for m in (1, 7))
    edges = sorted(c for c in cuts if first <= c <= stop)
    pieces: list[InterestPiece] = []
    for start, end in zip(edges, edges[1:], strict=False):
        base = max(principal - sum((a for d, a in paid if d < start), Decimal(0)), Decimal(0))
        if base == 0:
            continue
        rate = rate_on(regime, start, rows)
        days = (end - start).days
        exact_piece = Fraction(base) * Fraction(rate) / 100 * days / 365
        last = pieces[-1] if pieces else None
        if (
            last
            and last.base == base
            and last.rate == rate
            and last.end + dt.timedelta(days=1) == start
        ):
            pieces[-1] = InterestPiece(
                last.start, end - dt.timedelta(days=1), base, rate, last.exact + exact_piece
            )
        else:
            pieces.append(InterestPiece(start, end - dt.timedelta(days=1), base, rate, exact_piece))
    exact = sum((p.exact for p in pieces), Fraction(0))
    rounded = to_grosz(exact)
    regime_msg = regime_message(regime, max(to, first))
    if not pieces:
        message = Msg.of(NONE_DUE, regime=regime_msg, to=to, due=due)
    else:
        message = Msg.of(
            INTEREST,
            regime=regime_msg,
            amount=Money(rounded),
            principal=Money(principal),
            due=due,
            to=to,
            pieces=tuple(
                Msg.of(
                    PIECE, start=p.start, end=p.end, days=p.days, rate=p.rate, base=Money(p.base)
                )
                for p in pieces
            ),
        )
    return Interest(
        regime=regime,
        basis=BASIS[regime],
        due=due,
        to=to,
        pieces=tuple(pieces),
        exact=exact,
        amount=rounded,
        message=message,
    )


# --- compensation for recovery costs -----------------------------------------------------------

BAND_LOW = Decimal("5000")
BAND_HIGH = Decimal("50000")


def compensation_rate_day(due: dt.date) -> dt.date:
    """The last business day of the month before the month in which the payment fell due:
    the day of the NBP mean EUR rate the compensation is converted at (art. 10 ust. 1)."""
    day = due.replace(day=1) - dt.timedelta(days=1)
    while not is_business_day(day):
        day -= dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Compensation:
    eur: int
    pln: Decimal
    rate: Decimal
    rate_day: dt.date
    basis: str
    message: Msg
    rule_id: str = RULE_ID


def recovery_compensation(gross: Decimal, due: dt.date, eur_rate: Decimal) -> Compensation:
    """40/70/100 EUR by the document's gross, in PLN at `eur_rate` (PLN per EUR, the NBP mean
    rate of `compensation_rate_day(due)`), rounded half up to the grosz."""
    gross = non_negative("gross", amount("gross", gross))
    eur_rate = amount("eur_rate", eur_rate)
    if eur_rate <= 0:
        raise MoneyInputError(
            "eur_rate", Msg.of(NOT_POSITIVE, field="eur_rate", value=str(eur_rate))
        )
    if gross <= BAND_LOW:
        eur, band = 40, Msg.of(BAND_40, low=Money(BAND_LOW))
    elif gross < BAND_HIGH:
        eur, band = 70, Msg.of(BAND_70, low=Money(BAND_LOW), high=Money(BAND_HIGH))
    else:
        eur, band = 100, Msg.of(BAND_100, high=Money(BAND_HIGH))
    pln = to_grosz(eur_rate * eur)
    rate_day = compensation_rate_day(due)
    return Compensation(
        eur=eur,
        pln=pln,
        rate=eur_rate,
        rate_day=rate_day,
        basis=COMPENSATION_BASIS,
        message=Msg.of(
            COMPENSATION,
            basis=COMPENSATION_BASIS,
            eur=eur,
            gross=Money(gross),
            band=band,
            rate=eur_rate,
            rate_day=rate_day,
            pln=Money(pln),
        ),
    )
