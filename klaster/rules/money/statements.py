"""Statement requests (FIN-12).

001 fin. 7: on a member's written request the office provides the cluster sub-account's
statements "za co najmniej ostatni zamknięty kwartał" within 5 business days. The deadline is
the 5th business day after the day the request arrived (that day not counted; Polish public
holidays skipped — klaster/rules/calendar.py); the number of days is a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klaster.rules.calendar import add_business_days
from klaster.rules.message import Msg, define
from klaster.rules.money._common import check_order, whole_days

RULE_ID = "FIN-12"
BUSINESS_DAYS = 5  # 001 fin. 7

PENDING = define(
    "money.statement.pending",
    "Requested on {requested}: statements for the quarter {quarter} are due by {deadline} "
    "({days} {days:business day|business days}).",
)
OVERDUE = define(
    "money.statement.overdue",
    "Requested on {requested}: the statements were due by {deadline} and are overdue on {on}.",
)
PROVIDED = define(
    "money.statement.provided",
    "Requested on {requested}, provided on {provided} — {in_time}.",
)
IN_TIME = define("money.statement.in_time", "in time (by {deadline})")
LATE = define("money.statement.late", "late (due by {deadline})")


def last_closed_quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    """The last calendar quarter that ended before `day`: (first day, last day)."""
    q_start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    end = q_start - dt.timedelta(days=1)
    start = dt.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    return start, end


@dataclass(frozen=True)
class StatementRequest:
    requested: dt.date
    deadline: dt.date
    quarter: tuple[dt.date, dt.date]  # at least this quarter's statements
    overdue: bool
    provided: dt.date | None
    message: Msg
    rule_id: str = RULE_ID


def statement_request(
    requested: dt.date,
    on: dt.date,
    provided: dt.date | None = None,
    business_days: int = BUSINESS_DAYS,
) -> StatementRequest:
    whole_days("business_days", business_days, minimum=1)
    deadline = add_business_days(requested, business_days)
    quarter = last_closed_quarter(requested)
    if provided is not None:
        check_order("provided", requested, provided)
        in_time = provided <= deadline
        msg = Msg.of(
            PROVIDED,
            requested=requested,
            provided=provided,
            in_time=Msg.of(IN_TIME if in_time else LATE, deadline=deadline),
        )
        return StatementRequest(requested, deadline, quarter, False, provided, msg)
    if on > deadline:
        msg = Msg.of(OVERDUE, requested=requested, deadline=deadline, on=on)
        return StatementRequest(requested, deadline, quarter, True, None, msg)
    msg = Msg.of(
        PENDING,
        requested=requested,
        quarter=f"{quarter[0]:%m.%Y}–{quarter[1]:%m.%Y}",
        deadline=deadline,
        days=business_days,
    )
    return StatementRequest(requested, deadline, quarter, False, None, msg)
