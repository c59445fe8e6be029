"""Board remuneration (FIN-9).

001 "Kadra" 2: the General Assembly set the Board members' remuneration at "500 zł brutto za
udział osobisty lub online płatne w ujęciu kwartalnym"; "nie dotyczy sytuacji przekazania
głosu na innego członka Zarządu" — nothing for a meeting attended only by proxy. The amount is
a cluster setting (default 500 PLN gross); the sums are per person and calendar quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from klaster.rules.message import Money, Msg, define
from klaster.rules.money._common import amount, choice, non_negative

RULE_ID = "FIN-9"
DEFAULT_AMOUNT = Decimal("500.00")  # 001 "Kadra" 2, a GA decision: the cluster may change it

Mode = Literal["in_person", "online", "proxy", "absent"]
MODES: tuple[Mode, ...] = ("in_person", "online", "proxy", "absent")
PAID_MODES = frozenset({"in_person", "online"})

QUARTER = define(
    "money.board.quarter",
    "{year} Q{quarter}: {paid} {paid:meeting|meetings} attended in person or online × {rate} = "
    "{total}; {proxy} by proxy only, unpaid (001 “Staff” 2).",
)
QUARTER_MIXED = define(
    "money.board.quarter_mixed",
    "{year} Q{quarter}: {paid} {paid:meeting|meetings} attended in person or online, each at "
    "the amount in force on its day ({rates}) = {total}; {proxy} by proxy only, unpaid "
    "(001 “Staff” 2).",
)


@dataclass(frozen=True)
class Attendance:
    person: str
    meeting: str  # the meeting's id: one attendance per person and meeting counts
    day: dt.date
    mode: Mode

    def __post_init__(self) -> None:
        choice("mode", self.mode, MODES)


@dataclass(frozen=True)
class BoardPay:
    person: str
    year: int
    quarter: int
    meetings_paid: int
    meetings_proxy: int
    rate: Decimal
    total: Decimal
    message: Msg
    rule_id: str = RULE_ID


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def board_pay(
    attendances: Iterable[Attendance],
    per_meeting: Decimal | Callable[[dt.date], Decimal] = DEFAULT_AMOUNT,
) -> list[BoardPay]:
    """Per person and quarter, sorted; a meeting attended both by proxy and in person counts
    as attended (the proxy lapsed, GOV-4). `per_meeting` is the amount, or the amount in force
    on a meeting's day (the General Assembly may change it from a date)."""
    if callable(per_meeting):
        rate_of = per_meeting
    else:
        fixed = per_meeting

        def rate_of(day: dt.date) -> Decimal:
            return fixed

    def checked(day: dt.date) -> Decimal:
        return non_negative("per_meeting", amount("per_meeting", rate_of(day)))

    best: dict[tuple[str, str], Attendance] = {}
    for a in attendances:
        key = (a.person, a.meeting)
        known = best.get(key)
        if known is None or (a.mode in PAID_MODES and known.mode not in PAID_MODES):
            best[key] = a
    groups: dict[tuple[str, int, int], list[Attendance]] = {}
    for a in best.values():
        groups.setdefault((a.person, *quarter_of(a.day)), []).append(a)
    out: list[BoardPay] = []
    for (person, year, quarter), items in sorted(groups.items()):
        paid_days = [a.day for a in items if a.mode in PAID_MODES]
        paid = len(paid_days)
        proxy = sum(1 for a in items if a.mode == "proxy")
        if paid == 0 and proxy == 0:
            continue
        amounts = [checked(day) for day in sorted(paid_days)]
        total = sum(amounts, Decimal("0.00"))
        distinct = sorted(set(amounts))
        rate = distinct[-1] if distinct else checked(items[0].day)
        if len(distinct) > 1:
            message = Msg.of(
                QUARTER_MIXED,
                year=str(year),
                quarter=quarter,
                paid=paid,
                rates=tuple(Money(r) for r in distinct),
                total=Money(total),
                proxy=proxy,
            )
        else:
            message = Msg.of(
                QUARTER,
                year=str(year),
                quarter=quarter,
                paid=paid,
                rate=Money(rate),
                total=Money(total),
                proxy=proxy,
            )
        out.append(
            BoardPay(
                person,
                year,
                quarter,
                paid,
                proxy,
                rate,
                total,
                message,
            )
        )
    return out
