"""Lean database paths for the statements a busy write sends many times (issue 8).

`hot_cursor()` prepares its statements on PostgreSQL (planned once per connection);
`insert_instances()` inserts model instances in one statement without the ORM's save machinery. The
ballot path uses both; `audit_record` uses `insert_instances` for every change's log entry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, models


@contextmanager
def hot_cursor() -> Iterator[Any]:
    """A cursor for the few statements every ballot sends (`access_ballot`, `_rights_locked`, the
    ballots' and the audit entry's inserts, `insert_instances`): Django's own cursor — its statements counted and logged like any other, its
    errors Django's — but on PostgreSQL it binds the values on the server and prepares each
    statement, so the server plans it once per connection (connections are kept: CONN_MAX_AGE)
    instead of on every ballot. Planning those joins took PostgreSQL longer than running them
    (EXPLAIN ANALYZE: about 0.25 and 0.4 ms against 0.05–0.07 ms; issue 8).

    Every other query keeps Django's default, client-side binding, which never prepares. The
    connection's threshold for preparing by count is set so high that only the statements sent
    here (`prepare=True`) are ever prepared. Off with KLASTER_DB_PREPARED_BALLOTS=false (behind a
    pooler that moves a client between server connections). Other databases: Django's cursor as
    it is. What it reads must not be a timestamp: it does not take Django's time-zone loader."""
    if connection.vendor != "postgresql" or not settings.KLASTER_DB_PREPARED_BALLOTS:
        with connection.cursor() as cur:
            yield cur
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    pg = connection.connection
    if pg.prepare_threshold is None:  # Django's default: none prepared
        pg.prepare_threshold = _ONLY_WHEN_ASKED
    cursor_class, debug_wrapper = _hot_classes()
    raw = cursor_class(pg)
    cur = (
        debug_wrapper(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    )
    with cur:
        yield cur


#: A count of executions no statement reaches: psycopg then prepares only when told to.
_ONLY_WHEN_ASKED = 2**62


@cache
def _hot_classes() -> tuple[type, type]:
    """The psycopg cursor that prepares what it runs, and the debug wrapper that logs (tests,
    DEBUG) a prepared statement's text with its values, as Django logs any other — psycopg keeps no
    text of a statement it ran by name."""
    # ServerBindingCursor (psycopg 3 only) is missing from django-stubs' postgresql.base.
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        CursorDebugWrapper,
        ServerBindingCursor,
    )

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(
                query, params, prepare=True if prepare is None else prepare, binary=binary
            )

    class HotDebugWrapper(CursorDebugWrapper):
        def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
            if use_last_executed_query and not many:
                sql, use_last_executed_query = self.db.ops.compose_sql(sql, params), False
            return super().debug_sql(sql, params, use_last_executed_query, many)

    return PreparingCursor, HotDebugWrapper


def insert_instances(rows: Sequence[models.Model]) -> None:
    """Insert instances of one model in one statement and set their ids — what `bulk_create`
    does, without its machinery (the checks, batching, the insert compiler, the returning
    fields), which cost more than the statement itself on the ballot's path. Each field's
    `pre_save` runs as `save()` would run it (an `auto_now_add` time is set), and each value is
    prepared by its field; the columns are every concrete one but an automatic id. No signals
    are sent (as `bulk_create`)."""
    if not rows:
        return
    model = type(rows[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(rows))} RETURNING {qn(meta.pk.column)}"
    )
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in rows for f in fields]
    with hot_cursor() as cur:  # planned once per connection on PostgreSQL
        cur.execute(sql, params)
        ids = [r[0] for r in cur.fetchall()]
    if connection.vendor != "postgresql":  # RETURNING's order is PostgreSQL's promise only
        ids = sorted(ids)
    for obj, pk in zip(rows, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
