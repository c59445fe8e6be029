"""Periodic work, run by the background worker (`klaster worker`), never by a page: reads never
write (STYLE), so what must happen "once a day" is a job here, not a side effect of the day's
first request.

Each app declares its own jobs in its ``jobs.py`` with :func:`daily`; the worker imports the
``jobs`` module of every Klaster app (as Django's admin discovers ``admin.py``), so core names no
app above it. A daily job runs when the worker starts and again after each midnight in Warsaw
(TIME_ZONE). It is given that day and must be idempotent — a restarted worker, or a second one,
runs it again — deciding from the database what is still due. A job that fails is logged and
tried again at the worker's next tick; the others run regardless.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

log = logging.getLogger("klaster.worker")


@dataclass(frozen=True)
class Job:
    name: str
    #: does the day's work; what it returns is printed in the worker's log
    run: Callable[[dt.date], object]


REGISTRY: dict[str, Job] = {}


def daily(name: str) -> Callable[[Callable[[dt.date], object]], Callable[[dt.date], object]]:
    """Register ``fn(today)`` as a job run once a Warsaw day (decorator, in an app's jobs.py)."""

    def register(fn: Callable[[dt.date], object]) -> Callable[[dt.date], object]:
        REGISTRY[name] = Job(name, fn)
        return fn

    return register


def discover() -> list[Job]:
    """Every Klaster app's ``jobs`` module imported; the registered jobs in name order."""
    for config in apps.get_app_configs():
        if config.name.startswith("klaster.") and module_has_submodule(config.module, "jobs"):
            import_module(f"{config.name}.jobs")
    return sorted(REGISTRY.values(), key=lambda job: job.name)


@dataclass(frozen=True)
class Outcome:
    job: str
    day: dt.date
    result: object = None
    error: str = ""


class Schedule:
    """Which jobs are due: each daily job once a day, the first time as soon as the worker runs."""

    def __init__(self, jobs: Iterable[Job]) -> None:
        self.jobs = list(jobs)
        self.done_on: dict[str, dt.date] = {}

    def due(self, today: dt.date) -> list[Job]:
        return [job for job in self.jobs if self.done_on.get(job.name) != today]

    def run_due(self, today: dt.date) -> list[Outcome]:
        out = []
        for job in self.due(today):
            try:
                result = job.run(today)
            except Exception as exc:  # noqa: BLE001 — one job's failure must not stop the worker
                log.exception(
                    "job %s failed on %s; it is tried again at the next tick", job.name, today
                )
                out.append(Outcome(job.name, today, error=f"{type(exc).__name__}: {exc}"))
                continue
            self.done_on[job.name] = today
            out.append(Outcome(job.name, today, result=result))
        return out


def seconds_to_next_day(now: dt.datetime) -> float:
    """From an aware ``now`` to the next midnight in its time zone (DST days are 23 or 25 hours)."""
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), now.tzinfo)
    # in UTC: within one tzinfo Python subtracts wall-clock times, which a DST change makes wrong
    return max((tomorrow.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds(), 0.0)


def run_forever(
    schedule: Schedule,
    *,
    now: Callable[[], dt.datetime],
    wait: Callable[[float], bool],
    report: Callable[[Outcome], None],
    poll: float = 60.0,
) -> None:
    """The worker's loop: run what is due, then sleep until the next midnight or ``poll`` seconds
    (whichever comes first: a failed job is retried, a clock that jumps is noticed). ``wait``
    sleeps and returns True when the worker is to stop; ``now`` is Warsaw time."""
    while True:
        moment = now()
        for outcome in schedule.run_due(moment.date()):
            report(outcome)
        # a second past midnight, so that the day has certainly changed when it wakes
        if wait(min(poll, seconds_to_next_day(moment) + 1.0)):
            return
