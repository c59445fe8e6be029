"""The offline24 window: how long a document that failed to reach KSeF may still be sent.

VAT Act art. 106nda (offline24 mode): an invoice issued while it could not be sent to KSeF is
sent no later than the next business day after the day it was issued. Business days are Monday
to Friday that are not Polish public holidays (klaster.rules.calendar), counted in Warsaw.

So a document whose sending failed for a retryable reason (KSeF unreachable, overloaded, still
processing) is tried again until the end of that day — `retry_deadline`, an exclusive instant:
midnight starting the day after — and after it, or at once for a final reason (rejected,
duplicate, refused credentials), it is reported to the office (`after_failure`). A pure rule:
the outbox passes the times in and reads a code and parameters back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from klaster.rules.calendar import add_business_days, end_of_day_exclusive, warsaw_date
from klaster.rules.message import Msg

from . import messages as m

Action = Literal["retry", "report"]


def retry_deadline(issued_at: dt.datetime) -> dt.datetime:
    """The first instant the document may no longer be sent in offline24 mode (exclusive).

    Issued on Friday 2026-07-03 → until the end of Monday 2026-07-06 (deadline 07-07 00:00
    Warsaw); issued on 2026-12-23 → 24, 25 and 26 December are holidays, the 27th a Sunday:
    until the end of Monday the 28th. Raises NaiveDatetimeError for a naive `issued_at`.
    """
    last_day = add_business_days(warsaw_date(issued_at), 1)
    return end_of_day_exclusive(last_day)


def may_retry(issued_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a retryable failure may still be sent again at `now`."""
    return now < retry_deadline(issued_at)


@dataclass(frozen=True)
class AfterFailure:
    """What the outbox does next: `retry` (until `deadline`) or `report` to the office."""

    action: Action
    deadline: dt.datetime
    message: Msg


def after_failure(
    *, issued_at: dt.datetime, now: dt.datetime, retryable: bool, reason: Msg
) -> AfterFailure:
    """The next step after a failed send: `reason` is the gateway's message for the failure."""
    deadline = retry_deadline(issued_at)
    # the last day the document may be sent, as people say it ("until 06.07.2026")
    last_day = warsaw_date(deadline - dt.timedelta(microseconds=1))
    if not retryable:
        return AfterFailure("report", deadline, Msg.of(m.OFFLINE24_FINAL, reason=reason))
    if now < deadline:
        return AfterFailure(
            "retry", deadline, Msg.of(m.OFFLINE24_RETRY, reason=reason, deadline=last_day)
        )
    return AfterFailure(
        "report", deadline, Msg.of(m.OFFLINE24_EXPIRED, reason=reason, deadline=last_day)
    )
