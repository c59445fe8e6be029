"""Helpers for the demo data that `klaster demo` builds through the services.

The services stamp what they record with `timezone.now()` (a vote's opening, a ballot, the
audit row, a candidate's event) and refuse dates "from the future" against `localdate()`. The
demo's history is dated relative to its own day D = 2026-06-30 (never the real today), so the
builders run under `demo_clock`, which moves Django's clock to the moment each step happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from klaster.rules.calendar import WARSAW


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
    """A Warsaw wall-clock moment."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@contextmanager
def demo_clock(start: dt.datetime) -> Iterator[DemoClock]:
    """Django's `timezone.now` (and so `localdate`, `auto_now_add`) reads `clock.at` inside."""
    clock = DemoClock(start)
    with mock.patch("django.utils.timezone.now", clock.now):
        yield clock
