"""The NBP mean EUR rate (table A) of a day, as a port for the apps below `aid`.

The series is kept by `aid` (AID-2: shipped offline, updated by `klaster rates update`), which
sits above `money` in the layer order; `money` still needs one rate — the EUR 40/70/100
compensation for recovery costs is converted at the NBP mean rate of the last business day of
the month before the payment fell due (FIN-4, art. 10 ust. 1 of the late-payment act). So
`core` holds the question and `aid` registers the answer when its app is ready; nothing here
imports `aid`.

`rate_on(day)` gives the table of the day or the last one before it, exactly as a de minimis
check reads it (`klaster.rules.aid.check.rate_on`), or raises :class:`RateMissing` with a
language-free message: no series on this installation, a day before the first table, or after
the day the series is complete through (a network error is never a holiday).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from klaster.rules.aid.check import AidRefused, RateUsed
from klaster.rules.message import Msg, define

NO_SOURCE = define(
    "core.eur_rates.no_source",
    "no series of NBP exchange rates is kept on this installation, so the rate of {date} "
    "cannot be read",
)


class RateMissing(Exception):
    """No rate can be given for the day; ``message`` says why (rendered at the edge)."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.code)


Source = Callable[[dt.date], RateUsed]

_source: Source | None = None


def register(source: Source | None) -> None:
    """Set the function that answers `rate_on` (the `aid` app does this when ready)."""
    global _source
    _source = source


def rate_on(day: dt.date) -> RateUsed:
    """The NBP table A of ``day`` or the last one before it, with its number and mid rate."""
    if _source is None:
        raise RateMissing(Msg.of(NO_SOURCE, date=day))
    try:
        return _source(day)
    except AidRefused as refused:
        raise RateMissing(refused.message) from None
