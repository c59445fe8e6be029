"""gunicorn's configuration for `klaster serve`: the background worker runs beside the server.

`klaster serve` starts gunicorn with ``-c python:klaster.gunicorn_conf``. When the arbiter is
ready it starts one `klaster worker` process (the periodic jobs, klaster.core.jobs), restarts it
on a reload (SIGHUP: new code) and stops it when the arbiter exits — so one command runs the
server and its worker (README's `bin/run`). The worker also exits by itself when the arbiter goes
away without stopping it (``--parent``). ``KLASTER_WORKER=false`` (or `klaster serve --no-worker`)
leaves the worker out, for a deployment that runs `klaster worker` as a service of its own.

With ``KLASTER_DEMO_MAILBOX=true`` (the demo: bin/run) it also starts `klaster mailbox`, the local
SMTP catcher the product's mail goes to (klaster.core.mailbox), and stops it the same way.

Only gunicorn's server hooks are here; every other option is on the command line in
klaster/core/management/commands/serve.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

STOP_TIMEOUT = 30  # seconds the worker gets to finish a job before it is killed

_worker: subprocess.Popen[bytes] | None = None
_mailbox: subprocess.Popen[bytes] | None = None


def _switch(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise RuntimeError(f"{name} must be true or false, got {value!r}")


def enabled() -> bool:
    """KLASTER_WORKER, read as klaster.settings reads its switches: a value it does not know stops
    the start (the arbiter runs before Django's settings are loaded, so it reads it itself)."""
    return _switch("KLASTER_WORKER", "true")


def mailbox_enabled() -> bool:
    """KLASTER_DEMO_MAILBOX (off unless set): the demo's local SMTP catcher."""
    return _switch("KLASTER_DEMO_MAILBOX", "false")


def mailbox_argv(parent: int) -> list[str]:
    return [sys.executable, "-m", "django", "mailbox", "--parent", str(parent)]


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "klaster.settings"),
    }


def start_mailbox(server: Any) -> None:
    global _mailbox
    _mailbox = subprocess.Popen(mailbox_argv(os.getpid()), env=_env())  # noqa: S603 — fixed argv, no shell
    server.log.info("Demo mailbox started (pid %s)", _mailbox.pid)


def stop_mailbox(server: Any) -> None:
    global _mailbox
    proc, _mailbox = _mailbox, None
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_argv(parent: int) -> list[str]:
    return [sys.executable, "-m", "django", "worker", "--parent", str(parent)]


def start_worker(server: Any) -> None:
    global _worker
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "klaster.settings"),
    }
    _worker = subprocess.Popen(worker_argv(os.getpid()), env=env)  # noqa: S603 — fixed argv, no shell
    server.log.info("Background worker started (pid %s)", _worker.pid)


def stop_worker(server: Any) -> None:
    global _worker
    proc, _worker = _worker, None
    if proc is None:
        return
    # poll() first: gunicorn's arbiter reaps every child it is told of, ours included; a process
    # already gone is not signalled (its pid may be someone else's by now)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    server.log.info("Background worker stopped")


def when_ready(server: Any) -> None:
    if enabled():
        start_worker(server)
    if mailbox_enabled():
        start_mailbox(server)


def on_reload(server: Any) -> None:
    if _worker is not None:
        stop_worker(server)
        start_worker(server)


def on_exit(server: Any) -> None:
    stop_worker(server)
    stop_mailbox(server)
