"""The background worker (issue 8: reads never write, catch-up work is a job): the jobs registry
(klaster.core.jobs), `klaster worker`, and `klaster serve` running it beside gunicorn
(klaster/gunicorn_conf.py). The members' daily job itself: tests/members/test_status_in_force.py.
No timing is asserted: clocks are given to the loop, processes are only checked to be there or gone.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import time
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from klaster import gunicorn_conf
from klaster.core import jobs

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
ROOT = Path(__file__).resolve().parents[2]


def _at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), WARSAW)


def test_every_app_job_is_found_and_only_klaster_apps_are_asked():
    found = {job.name: job for job in jobs.discover()}
    assert "member-statuses" in found
    assert found["member-statuses"].run.__module__ == "klaster.members.jobs"


def test_a_failing_job_is_reported_and_tried_again_while_the_others_run():
    calls: list[tuple[str, dt.date]] = []
    failures = iter([True, False])

    def flaky(today):
        calls.append(("flaky", today))
        if next(failures):
            raise RuntimeError("database went away")
        return "ok"

    def steady(today):
        calls.append(("steady", today))
        return {"alfa": 0}

    schedule = jobs.Schedule([jobs.Job("a-flaky", flaky), jobs.Job("b-steady", steady)])
    day = dt.date(2026, 3, 2)
    first = schedule.run_due(day)
    assert [(o.job, bool(o.error)) for o in first] == [("a-flaky", True), ("b-steady", False)]
    assert "RuntimeError: database went away" in first[0].error
    second = schedule.run_due(day)  # the next tick, same day: only the failed one again
    assert [(o.job, o.error, o.result) for o in second] == [("a-flaky", "", "ok")]
    assert schedule.run_due(day) == []
    assert [name for name, _ in calls] == ["flaky", "steady", "flaky"]


@pytest.mark.parametrize(
    ("now", "seconds"),
    [
        (_at(dt.date(2026, 6, 30), 23, 59, 30), 30),
        (_at(dt.date(2026, 6, 30), 0, 0, 0), 24 * 3600),
        # the last Sunday of March has 23 hours in Warsaw, the last of October 25
        (_at(dt.date(2026, 3, 29), 0, 0, 0), 23 * 3600),
        (_at(dt.date(2026, 10, 25), 0, 0, 0), 25 * 3600),
    ],
)
def test_the_worker_sleeps_until_the_next_warsaw_midnight(now, seconds):
    assert jobs.seconds_to_next_day(now) == seconds


def test_the_loop_runs_a_daily_job_at_start_and_after_each_midnight_only():
    ran: list[dt.date] = []
    schedule = jobs.Schedule([jobs.Job("count", lambda today: ran.append(today))])
    day = dt.date(2026, 12, 31)
    moments = iter(
        [
            _at(day, 22, 0),
            _at(day, 23, 30),
            _at(day + dt.timedelta(days=1), 0, 0, 1),
            _at(day + dt.timedelta(days=1), 0, 1, 1),
        ]
    )
    waits: list[float] = []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        return len(waits) == 4

    jobs.run_forever(
        schedule, now=lambda: next(moments), wait=wait, report=lambda outcome: None, poll=3600
    )
    assert ran == [day, day + dt.timedelta(days=1)]
    assert waits == [3600, 1801, 3600, 3600]  # the poll, or a second past midnight if sooner


@pytest.mark.django_db
def test_worker_once_runs_what_is_due_and_exits(world):
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert "member-statuses:" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("worker", "--poll", "0")


# --- klaster serve: the worker beside gunicorn (klaster/gunicorn_conf.py) ---------------------


class _Log:
    def info(self, *args):
        pass


class _Server:
    log = _Log()


@pytest.fixture
def sleeper(monkeypatch):
    """The worker's command line replaced by a process that only waits to be stopped."""
    monkeypatch.setattr(
        gunicorn_conf,
        "worker_argv",
        lambda parent: [sys.executable, "-c", "import time; time.sleep(600)"],
    )
    yield
    gunicorn_conf.on_exit(_Server())  # nothing left running whatever the test did


def test_the_server_starts_the_worker_when_ready_and_stops_it_on_exit(sleeper, monkeypatch):
    monkeypatch.delenv("KLASTER_WORKER", raising=False)
    gunicorn_conf.when_ready(_Server())
    proc = gunicorn_conf._worker
    assert proc is not None and proc.poll() is None
    gunicorn_conf.on_reload(_Server())  # new code on SIGHUP: a new worker
    renewed = gunicorn_conf._worker
    assert renewed is not None and renewed.pid != proc.pid and proc.poll() is not None
    gunicorn_conf.on_exit(_Server())
    assert gunicorn_conf._worker is None and renewed.poll() is not None


def test_no_worker_when_it_runs_elsewhere(sleeper, monkeypatch):
    monkeypatch.setenv("KLASTER_WORKER", "false")
    gunicorn_conf.when_ready(_Server())
    assert gunicorn_conf._worker is None
    monkeypatch.setenv("KLASTER_WORKER", "maybe")  # fails loudly, as the settings do
    with pytest.raises(RuntimeError, match="KLASTER_WORKER"):
        gunicorn_conf.when_ready(_Server())


def test_the_worker_command_line_names_the_server_it_belongs_to():
    argv = gunicorn_conf.worker_argv(4321)
    assert argv[:4] == [sys.executable, "-m", "django", "worker"]
    assert argv[-2:] == ["--parent", "4321"]


def _children_running(parent: int, marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state = stat.rsplit(")", 1)[1].split()[0]
        if marker in cmdline and f"--parent {parent}" in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_klaster_serve_runs_the_worker_and_stops_it_with_the_server(tmp_path):
    import socket
    import urllib.request

    env = {
        k: v for k, v in os.environ.items() if not k.startswith("KLASTER_") and k != "DATABASE_URL"
    }
    env.update(
        {
            "KLASTER_VAR_DIR": str(tmp_path / "var"),
            "KLASTER_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "klaster.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "klaster.cli",
                "serve",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    try:
        workers: list[int] = []
        for _ in range(600):
            assert server.poll() is None, log.read_text()
            workers = _children_running(server.pid, "django worker")
            if workers and "Klaster worker:" in log.read_text():
                break
            time.sleep(0.2)
        assert len(workers) == 1, log.read_text()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=60) as page:  # noqa: S310
            assert page.status == 200
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    assert not _children_running(server.pid, "django worker"), log.read_text()
    assert "member-statuses" in log.read_text()
