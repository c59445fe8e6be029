"""PLT-2: the newsletter goes out at least monthly, and the product warns when a month passes
without one (001 "Komunikacja"; SPEC §8).

**Reading:** "at least monthly" is read per calendar month (Europe/Warsaw): each month should
carry at least one newsletter. Within the month the office is told how many days are left; once a
month has ended without one, that month is named as missed until a newsletter goes out. A cluster
that has never sent one is told so from its first month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from klaster.rules.message import Msg, define

SENT_THIS_MONTH = define(
    "newsletter.sent", "This month's newsletter went out on {sent}. The next is due in {month}."
)
DUE = define(
    "newsletter.due",
    "No newsletter yet in {month}: {days} {days:day is|days are} left to send one "
    "(at least one a month).",
)
MISSED = define(
    "newsletter.missed",
    "No newsletter went out in {missed}; the last was sent on {last}. Send one this month "
    "({days} {days:day|days} left).",
)
NEVER = define(
    "newsletter.never",
    "The cluster has not sent a newsletter yet: at least one a month is due "
    "({days} {days:day|days} left in {month}).",
)


@dataclass(frozen=True)
class Cadence:
    #: "ok" (this month has one), "due" (not yet, the month still runs), "late" (a month missed)
    state: str
    message: Msg
    days_left: int
    last_sent: dt.date | None

    @property
    def warn(self) -> bool:
        return self.state != "ok"


def month_words(day: dt.date) -> str:
    """A month in any language: "12.2026"."""
    return f"{day.month:02d}.{day.year}"


def newsletter_cadence(sent: Iterable[dt.date], today: dt.date) -> Cadence:
    """Where the cluster stands with its monthly newsletter on ``today``, given the days its
    newsletters went out."""
    days = sorted(set(sent))
    past = [d for d in days if d <= today]
    last = past[-1] if past else None
    month_end = dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    left = (month_end - today).days + 1  # today included
    this_month = [d for d in past if (d.year, d.month) == (today.year, today.month)]
    if this_month:
        nxt = month_end + dt.timedelta(days=1)
        return Cadence(
            "ok",
            Msg.of(SENT_THIS_MONTH, sent=this_month[-1], month=month_words(nxt)),
            left,
            last,
        )
    if last is None:
        return Cadence("late", Msg.of(NEVER, days=left, month=month_words(today)), left, None)
    previous = today.replace(day=1) - dt.timedelta(days=1)
    if (last.year, last.month) < (previous.year, previous.month):
        return Cadence(
            "late", Msg.of(MISSED, missed=month_words(previous), last=last, days=left), left, last
        )
    return Cadence("due", Msg.of(DUE, month=month_words(today), days=left), left, last)
