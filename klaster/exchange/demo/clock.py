"""Helpers for the demo data that `klaster demo` builds through the services.

The services stamp what they record with `timezone.now()` (a vote's opening, a ballot, the
audit row, a candidate's event) and refuse dates "from the future" against `localdate()`. The
demo's history is written relative to its anchor day D = 2026-06-30, so the builders run under
`demo_clock`, which moves Django's clock to the moment each step happens.

The demo lives in the present (issue 9): `klaster demo` computes, from the day it is run, a shift
of whole weeks (`demo_shift`: weekdays stay weekdays) and builds the history under `shifted`, so
that every `at(...)` and `day(...)` of the builders lands that many weeks later — a General
Assembly behind today, one ahead with its notice sent and proxies coming in, a Board meeting in
the coming days. Before D nothing moves (the history would precede the members' own dates).
The members' dates in demo.yaml (which feed the KKK scoring as of the cluster's D) do not move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from klaster.rules.calendar import WARSAW

ANCHOR = dt.date(2026, 6, 30)  # the day the demo's history is written around (D)

_shift = dt.timedelta(0)


def demo_shift(today: dt.date) -> dt.timedelta:
    """The most whole weeks that keep the moved D before `today` (D itself, the history's last day,
    lands 1 to 7 days ago: nothing of it is later than now); none before D + 1."""
    return dt.timedelta(weeks=max(0, (today - ANCHOR).days - 1) // 7)


def current_shift() -> dt.timedelta:
    return _shift


@contextmanager
def shifted(delta: dt.timedelta) -> Iterator[dt.timedelta]:
    """Inside, `at` and `day` are `delta` later than written."""
    global _shift
    before, _shift = _shift, delta
    try:
        yield delta
    finally:
        _shift = before


class DemoClock:
    """The moment the demo is at; `set` moves it (forward or back) to the next step."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def set(self, at: dt.datetime) -> dt.datetime:
        self.at = at
        return at

    def now(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A Warsaw wall-clock moment, moved by the current shift (the wall-clock time stays)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW) + _shift


def day(year: int, month: int, day_: int) -> dt.date:
    """A date of the demo's history, moved by the current shift."""
    return dt.date(year, month, day_) + _shift


@contextmanager
def demo_clock(start: dt.datetime) -> Iterator[DemoClock]:
    """Django's `timezone.now` (and so `localdate`, `auto_now_add`) reads `clock.at` inside."""
    clock = DemoClock(start)
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock
