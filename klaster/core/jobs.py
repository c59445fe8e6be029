"""Periodic work, run by the background worker (`klaster worker`), never by a page: reads never
write (STYLE), so what must happen "once a day" is a job here, not a side effect of the day's
first request.

Each app declares its own jobs in its ``jobs.py`` with :func:`daily`; the worker imports the
``jobs`` module of every Klaster app (as Django's admin discovers ``admin.py``), so core names no
app above it. A job is given its Warsaw day and must be idempotent, deciding from the database
what is still due.

They run through Django's task framework (the django-tasks backport, its database backend:
settings.TASKS; issue 12 point 6). :func:`enqueue_due` — `klaster run-scheduled`, safe from cron
and from any number of schedulers — makes one :class:`~klaster.core.models.JobRun` per job and day
(a unique key) and enqueues :func:`run_job` for the row it made; nothing for a row that exists.
:func:`run_job` takes the row by moving it from queued/retry to running in one UPDATE, so of two
workers (or two copies of the task) exactly one runs it. A failed run is recorded on the row and
enqueued again after a growing pause (:func:`backoff`) until :data:`MAX_ATTEMPTS`; then it stays
failed. :func:`run_enqueued` runs the queue's ready tasks with the backend's worker;
:class:`TaskSchedule` is both, once per tick of the worker's loop (:func:`run_forever`).

:func:`once` keeps a job's step for one cluster (an e-mail to its office) to once per key: a row of
its own, done or not, so a retried job repeats only the steps that did not succeed.

:class:`Schedule` runs jobs in the process, without the queue (kept for a caller that wants that).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import module_has_submodule
from django_tasks import task

from klaster.core.models import Cluster, JobRun
from klaster.core.outbox import deliver_due

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
    schedule: Schedule | TaskSchedule,
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


# --- through the task framework (issue 12 point 6) ---------------------------------------------

#: a job is tried at most this many times a day; then its row stays failed (the error on it)
MAX_ATTEMPTS = 5
#: the pause before the second attempt, doubled before each next one (1, 2, 4, 8 minutes)
FIRST_PAUSE = dt.timedelta(minutes=1)
#: a run left "running" this long (its worker was killed mid-job) is given to the queue again
STALE_AFTER = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """The pause after the ``attempts``-th failed attempt."""
    return FIRST_PAUSE * 2 ** max(attempts - 1, 0)


def summary(result: object) -> str:
    """A job's return value as the one line kept on its row and printed by the worker."""
    if isinstance(result, dict):
        return ", ".join(f"{k} {v}" for k, v in result.items()) or "nic do zrobienia"
    return "gotowe" if result is None else str(result)


def enqueue_due(today: dt.date) -> list[JobRun]:
    """`klaster run-scheduled`: each registered job gets its row for ``today`` and its task on the
    queue, once. The row and the task are written in one transaction; a second scheduler (or a
    second call) finds the row — or trips on the unique key when it races the first — and
    enqueues nothing. Runs left running by a killed worker are given back to the queue. Returns
    the rows made now."""
    made = []
    for job in discover():
        try:
            with transaction.atomic():
                run, created = JobRun.objects.get_or_create(name=job.name, day=today, cluster=None)
                if created:
                    run_job.enqueue(run.pk)
        except IntegrityError:  # another scheduler made it between our read and our insert
            continue
        if created:
            made.append(run)
    stale = timezone.now() - STALE_AFTER
    for pk in JobRun.objects.filter(
        cluster=None, state=JobRun.State.RUNNING, started__lt=stale
    ).values_list("pk", flat=True):
        with transaction.atomic():
            if JobRun.objects.filter(pk=pk, state=JobRun.State.RUNNING, started__lt=stale).update(
                state=JobRun.State.RETRY, result="przerwane (proces pracownika zniknął)"
            ):
                run_job.enqueue(pk)
    return made


@task()
def run_job(run_id: int) -> str:
    """The task: run one JobRun's job for its day, if no one else has it. Taking the row is one
    conditional UPDATE (queued or retry → running, attempts + 1): of any number of workers, one
    gets it. A failure is kept on the row and the task enqueued again after :func:`backoff`, in
    one transaction, until :data:`MAX_ATTEMPTS`."""
    taken = JobRun.objects.filter(
        pk=run_id, state__in=(JobRun.State.QUEUED, JobRun.State.RETRY)
    ).update(
        state=JobRun.State.RUNNING,
        attempts=F("attempts") + 1,
        started=timezone.now(),
        finished=None,
    )
    if not taken:
        return "already taken"
    run = JobRun.objects.get(pk=run_id)
    discover()
    job = REGISTRY.get(run.name)
    try:
        if job is None:
            raise LookupError(f"no job named {run.name!r} is registered")
        result = summary(job.run(run.day))
    except Exception as exc:  # noqa: BLE001 — recorded on the row and retried, never lost
        error = f"{type(exc).__name__}: {exc}"
        log.exception("job %s (%s) failed, attempt %s", run.name, run.day, run.attempts)
        with transaction.atomic():
            if run.attempts < MAX_ATTEMPTS:
                state = JobRun.State.RETRY
                run_job.using(run_after=timezone.now() + backoff(run.attempts)).enqueue(run_id)
            else:
                state = JobRun.State.FAILED
            JobRun.objects.filter(pk=run_id).update(
                state=state, finished=timezone.now(), result=error
            )
        return error
    JobRun.objects.filter(pk=run_id).update(
        state=JobRun.State.DONE, finished=timezone.now(), result=result
    )
    return result


def run_enqueued(
    *, backend: str = "default", worker_id: str | None = None, ran_runs: list[int] | None = None
) -> int:
    """Run every task ready on the queue now, one by one, with the database backend's worker: a
    task is claimed with SELECT … FOR UPDATE SKIP LOCKED (an exclusive transaction on SQLite), so
    workers on several machines share the queue. Returns how many it ran; the JobRun ids of the
    :func:`run_job` tasks among them are added to ``ran_runs``."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

    ident = worker_id or get_random_string(32)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name=backend,
        startup_delay=False,
        max_tasks=None,
        worker_id=ident,
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name=backend)
        try:
            with exclusive_transaction(ready.db):
                claimed = ready.get_locked()
                if claimed is not None:
                    claimed.claim(ident)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            return ran  # another worker holds the queue (SQLite): the next tick comes back
        if claimed is None:
            return ran
        worker.run_task(claimed)  # records the task's result or its failure on its row
        if ran_runs is not None and claimed.task_path == f"{__name__}.run_job":
            ran_runs.extend(claimed.args_kwargs.get("args", [])[:1])
        ran += 1


class TaskSchedule:
    """One tick of the worker on the queue: enqueue what is due today, run what is ready. Its
    outcomes are the job runs this tick ran (for the worker's log)."""

    def __init__(self, *, worker_id: str | None = None) -> None:
        self.worker_id = worker_id or get_random_string(32)

    def run_due(self, today: dt.date) -> list[Outcome]:
        ran: list[int] = []
        try:
            enqueue_due(today)
            run_enqueued(worker_id=self.worker_id, ran_runs=ran)
            delivery = deliver_due()
        except Exception as exc:  # noqa: BLE001 — e.g. the database away: the next tick tries again
            log.exception("the worker's tick on %s failed; it is tried again at the next", today)
            return [Outcome("worker", today, error=f"{type(exc).__name__}: {exc}")]
        finished = JobRun.objects.filter(pk__in=ran).order_by("name", "day")
        mail = [Outcome("outbox", today, result=delivery.summary())] if delivery.summary() else []
        return mail + [
            Outcome(
                r.name,
                r.day,
                result=r.result if r.state == JobRun.State.DONE else None,
                error="" if r.state == JobRun.State.DONE else r.result,
            )
            for r in finished
        ]

    def done_before(self, today: dt.date, reported: Iterable[str]) -> list[JobRun]:
        """The day's job runs done before this tick (not among the ``reported`` job names)."""
        return list(
            JobRun.objects.filter(cluster=None, day=today, state=JobRun.State.DONE)
            .exclude(name__in=list(reported))
            .order_by("name")
        )


def once(name: str, key_day: dt.date, cluster: Cluster, step: Callable[[], object]) -> str | None:
    """Run ``step`` for ``cluster`` unless its row (``name``, ``key_day``, cluster) is done: a
    retried job repeats only the clusters whose step failed, so what a step sends is sent once.
    The step's failure is kept on its row and raised (its job fails and is retried). Returns the
    step's summary, or None when it was done before. Called inside a job, which one worker runs
    at a time."""
    run, _ = JobRun.objects.get_or_create(name=name, day=key_day, cluster=cluster)
    if run.state == JobRun.State.DONE:
        return None
    JobRun.objects.filter(pk=run.pk).update(
        state=JobRun.State.RUNNING, attempts=F("attempts") + 1, started=timezone.now()
    )
    try:
        result = summary(step())
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(
            state=JobRun.State.FAILED,
            finished=timezone.now(),
            result=f"{type(exc).__name__}: {exc}",
        )
        raise
    JobRun.objects.filter(pk=run.pk).update(
        state=JobRun.State.DONE, finished=timezone.now(), result=result
    )
    return result


@daily("backup-nightly")
def backup_nightly(today: dt.date) -> str:
    """Issue 12 point 8: the installation's nightly backup with its retention
    (klaster.core.backup.nightly)."""
    from klaster.core.backup import nightly

    return nightly(today)
