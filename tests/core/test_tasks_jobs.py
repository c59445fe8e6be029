"""Background jobs on Django's task framework (issue 12 point 6; klaster.core.jobs): `klaster
run-scheduled` enqueues each job once a day whoever calls it how often, a worker takes a run only
by moving its JobRun row from queued/retry to running, a failure is recorded and retried after a
growing pause a bounded number of times, and two workers on PostgreSQL never run one job twice.
Time moves by time_machine; nothing here measures it."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from klaster.core import jobs
from klaster.core.models import JobRun
from klaster.rules.calendar import WARSAW
from tests.money.conftest import klaster

NOON = dt.datetime(2026, 12, 4, 12, 0, tzinfo=WARSAW)
DAY = NOON.date()


@pytest.fixture
def only(monkeypatch):
    """only(name=fn, …): the registry holds just these jobs for the test."""

    jobs.discover()  # the apps' jobs registered first, so that they stay out of the test's registry

    def register(**named):
        registry = {
            name.replace("_", "-"): jobs.Job(name.replace("_", "-"), fn)
            for name, fn in named.items()
        }
        monkeypatch.setattr(jobs, "REGISTRY", registry)
        return registry

    return register


def _ready() -> int:
    return DBTaskResult.objects.ready().count()


@pytest.mark.django_db
def test_run_scheduled_enqueues_each_job_once_a_day(only):
    calls: list[dt.date] = []
    only(count_days=calls.append)
    with time_machine.travel(NOON, tick=False):
        made = jobs.enqueue_due(DAY)
        assert [(r.name, r.day, r.state) for r in made] == [("count-days", DAY, "queued")]
        assert jobs.enqueue_due(DAY) == []  # a second scheduler, or cron twice: nothing new
        assert DBTaskResult.objects.count() == 1
        assert jobs.run_enqueued() == 1
        assert jobs.enqueue_due(DAY) == []  # done today: not again
        assert jobs.run_enqueued() == 0
    assert calls == [DAY]
    run = JobRun.objects.get()
    assert (run.state, run.attempts, run.result) == ("done", 1, "gotowe")
    tomorrow = DAY + dt.timedelta(days=1)
    assert [r.day for r in jobs.enqueue_due(tomorrow)] == [tomorrow]


@pytest.mark.django_db
def test_run_scheduled_from_the_command_line(world, capsys):
    """`klaster run-scheduled` enqueues every app's jobs for today, then (again) nothing."""
    assert klaster(["run-scheduled"]) == 0
    first = capsys.readouterr().out
    names = {job.name for job in jobs.discover()}
    assert {"member-statuses", "ksef-outbox", "governance-deadlines"} <= names
    today = timezone.localdate()
    assert set(JobRun.objects.filter(day=today).values_list("name", flat=True)) == names
    assert f"member-statuses {today:%Y-%m-%d}: w kolejce" in first
    assert klaster(["run-scheduled"]) == 0
    assert "nic nowego" in capsys.readouterr().out
    assert JobRun.objects.count() == len(names) == DBTaskResult.objects.count()


@pytest.mark.django_db
def test_the_worker_runs_what_run_scheduled_enqueued(world):
    """The jobs of the apps (the members' catch-up, KSeF's outbox, governance's deadlines) run
    through the queue: `klaster worker --once` enqueues and runs them and keeps each row done."""
    call_command("run_scheduled", stdout=io.StringIO())
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert " member-statuses: " in out.getvalue()
    assert " ksef-outbox: KSeF not configured: nothing sent" in out.getvalue()
    rows = JobRun.objects.filter(cluster=None)
    assert rows.exists()
    assert {r.name: r.state for r in rows} == {r.name: "done" for r in rows}
    assert not DBTaskResult.objects.ready().exists()


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_retried_after_a_growing_pause(only):
    tries: list[int] = []

    def flaky(today):
        tries.append(1)
        if len(tries) < 3:
            raise RuntimeError(f"SMTP said no ({len(tries)})")
        return {"alfa": 2}

    only(flaky=flaky)
    with time_machine.travel(NOON, tick=False) as clock:
        jobs.enqueue_due(DAY)
        assert jobs.run_enqueued() == 1
        run = JobRun.objects.get()
        assert (run.state, run.attempts) == ("retry", 1)
        assert run.result == "RuntimeError: SMTP said no (1)"
        waiting = DBTaskResult.objects.filter(status="READY").get()
        assert waiting.run_after == NOON + jobs.backoff(1)
        assert jobs.run_enqueued() == 0  # not before its pause is over
        assert jobs.enqueue_due(DAY) == []  # nor does the scheduler enqueue it again
        clock.move_to(NOON + jobs.backoff(1))
        assert jobs.run_enqueued() == 1
        run.refresh_from_db()
        assert (run.state, run.attempts) == ("retry", 2)
        assert DBTaskResult.objects.get(status="READY").run_after == NOON + jobs.backoff(
            1
        ) + jobs.backoff(2)
        assert jobs.backoff(2) == 2 * jobs.backoff(1)
        clock.move_to(NOON + jobs.backoff(1) + jobs.backoff(2))
        assert jobs.run_enqueued() == 1
    run.refresh_from_db()
    assert (run.state, run.attempts, run.result) == ("done", 3, "alfa 2")
    assert len(tries) == 3


@pytest.mark.django_db
def test_attempts_are_bounded_and_the_last_failure_stays_on_the_row(only):
    def broken(today):
        raise ValueError("no such table")

    only(broken=broken)
    moment = NOON
    with time_machine.travel(NOON, tick=False) as clock:
        jobs.enqueue_due(DAY)
        for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
            assert jobs.run_enqueued() == 1, attempt
            moment += jobs.backoff(attempt)
            clock.move_to(moment)
        assert jobs.run_enqueued() == 0
        assert jobs.enqueue_due(DAY) == []
    run = JobRun.objects.get()
    assert (run.state, run.attempts) == ("failed", jobs.MAX_ATTEMPTS)
    assert run.result == "ValueError: no such table"
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db
def test_a_run_enqueued_twice_is_run_once(only):
    calls: list[dt.date] = []
    only(once_only=calls.append)
    run = jobs.enqueue_due(DAY)[0]
    jobs.run_job.enqueue(run.pk)  # a stray second copy of its task
    assert jobs.run_enqueued() == 2
    assert calls == [DAY]
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [
        "already taken",
        "gotowe",
    ]


@pytest.mark.django_db
def test_a_run_left_running_by_a_killed_worker_goes_back_to_the_queue(only):
    calls: list[dt.date] = []
    only(survivor=calls.append)
    with time_machine.travel(NOON, tick=False) as clock:
        run = jobs.enqueue_due(DAY)[0]
        DBTaskResult.objects.all().delete()  # its worker took it and died mid-job
        JobRun.objects.filter(pk=run.pk).update(state="running", started=timezone.now())
        assert jobs.enqueue_due(DAY) == [] and jobs.run_enqueued() == 0
        clock.move_to(NOON + jobs.STALE_AFTER + dt.timedelta(minutes=1))
        jobs.enqueue_due(DAY)
        assert jobs.run_enqueued() == 1
    assert calls == [DAY]
    assert JobRun.objects.get().state == "done"


@pytest.mark.django_db
def test_once_keeps_a_step_to_one_success_per_key(world):
    sent: list[str] = []

    def step():
        sent.append("x")
        if len(sent) == 1:
            raise OSError("refused")
        return "sent"

    with pytest.raises(OSError):
        jobs.once("digest", DAY, world.alfa, step)
    row = JobRun.objects.get(cluster=world.alfa)
    assert (row.state, row.result) == ("failed", "OSError: refused")
    assert jobs.once("digest", DAY, world.alfa, step) == "sent"
    assert jobs.once("digest", DAY, world.alfa, step) is None
    assert jobs.once("digest", DAY, world.beta, lambda: "beta") == "beta"
    assert len(sent) == 2
    assert JobRun.objects.get(cluster=world.alfa).attempts == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_never_run_one_job_twice(only):
    """Two schedulers and two workers at once, each thread with its own connection: every job of
    the day is enqueued once and run once (SELECT … FOR UPDATE SKIP LOCKED on the queue, the
    conditional UPDATE on the JobRun row)."""
    if connection.vendor != "postgresql":
        pytest.skip("several workers side by side: PostgreSQL (SQLite has one writer)")
    lock = threading.Lock()
    calls: dict[str, int] = {}

    def counting(name):
        def run(today):
            with lock:
                calls[name] = calls.get(name, 0) + 1
            return name

        return run

    names = [f"job-{i}" for i in range(8)]
    only(**{n.replace("-", "_"): counting(n) for n in names})
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(ident: str) -> None:
        try:
            start.wait()
            jobs.enqueue_due(DAY)
            start.wait()
            jobs.run_enqueued(worker_id=ident)
            jobs.run_job.enqueue(JobRun.objects.order_by("pk").first().pk)  # a stray copy
            jobs.run_enqueued(worker_id=ident)
        except BaseException as exc:  # noqa: BLE001 — reported by the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert calls == dict.fromkeys(names, 1)
    assert JobRun.objects.count() == len(names)
    assert set(JobRun.objects.values_list("state", flat=True)) == {"done"}
    # each task ran on one worker only
    assert all(len(ids) == 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))
