"""A fingerprint of the whole database, to prove that a refused request wrote nothing (issue 7).

Every table of every app, read with SQL over `connection.introspection.table_names()` (so a table
a new app adds is covered without a change here): its row count and a hash of all its rows.
Sessions, django-axes' records of attempts and cache tables are left out — a refused request
may legitimately touch those."""

from __future__ import annotations

import hashlib

EXCLUDED_PREFIXES = ("django_session", "axes_")


def _excluded() -> set[str]:
    from django.conf import settings

    return {
        c["LOCATION"]
        for c in getattr(settings, "CACHES", {}).values()
        if c.get("BACKEND", "").endswith("DatabaseCache")
    }


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def db_fingerprint() -> dict[str, tuple[int, str]]:
    from django.db import connection

    skip = _excluded()
    out: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in skip or table.startswith(EXCLUDED_PREFIXES):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — a table name
            rows = sorted(repr(tuple(_plain(v) for v in row)) for row in cursor.fetchall())
            out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def changed_tables(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


def assert_unchanged(before: dict[str, tuple[int, str]], context: object) -> None:
    changed = changed_tables(before, db_fingerprint())
    assert not changed, f"{context}: a refused request changed the tables {changed}"
