"""Locks that make whole-database jobs (a dataset import) queue instead of colliding.

Two `klaster import` runs at once would otherwise race: on PostgreSQL both pick the same free
slug and the second dies on the unique index; on SQLite the second writer can wait only as long
as the busy timeout while the first holds the database for its whole transaction. Taking
`exclusive(...)` around the job makes the second run wait for the first to commit.

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`), polled until the limit;
  it is tied to the connection, so a killed process never leaves it behind.
- SQLite: an `fcntl` lock on a file next to the database file (`<name>.<lock>.lock`); the kernel
  drops it when the process ends. An in-memory database is private to its process: no lock.
- Any other database: no lock (the database's own constraints still hold).
"""

from __future__ import annotations

import fcntl
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

POLL_SECONDS = 0.2


class LockTimeout(Exception):
    """The lock was not free within the wait limit."""

    def __init__(self, name: str, waited: float) -> None:
        super().__init__(f"{name}: not free after {waited:.0f} s")
        self.name = name
        self.waited = waited


def _advisory_key(name: str) -> int:
    # a stable signed 64-bit key from the lock's name (advisory locks are keyed by bigint)
    return int.from_bytes(
        hashlib.sha256(f"klaster:{name}".encode()).digest()[:8], "big", signed=True
    )


def sqlite_lock_path(database_name: str, name: str) -> Path | None:
    """The lock file beside a SQLite database file, or None for an in-memory database."""
    text = str(database_name)
    if not text or text == ":memory:" or "mode=memory" in text:
        return None
    if text.startswith("file:"):
        text = text[len("file:") :].split("?", 1)[0]
    return Path(f"{text}.{name}.lock")


@contextmanager
def exclusive(name: str, *, wait_seconds: float, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Hold a lock named `name` shared by every process using the same database.

    Waits up to `wait_seconds` for it, then raises LockTimeout. Take it outside the job's
    transaction, so the lock is released only after the commit.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with _postgres_lock(connection, name, wait_seconds):
            yield
    elif connection.vendor == "sqlite":
        path = sqlite_lock_path(connection.settings_dict["NAME"], name)
        if path is None:
            yield
        else:
            with _file_lock(path, name, wait_seconds):
                yield
    else:
        yield


@contextmanager
def _postgres_lock(connection, name: str, wait_seconds: float) -> Iterator[None]:
    key = _advisory_key(name)
    deadline = time.monotonic() + wait_seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if cursor.fetchone()[0]:
                break
            if time.monotonic() >= deadline:
                raise LockTimeout(name, wait_seconds)
            time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except DatabaseError:  # the session is gone, and its advisory locks with it
            pass


@contextmanager
def _file_lock(path: Path, name: str, wait_seconds: float) -> Iterator[None]:
    deadline = time.monotonic() + wait_seconds
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(name, wait_seconds) from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
