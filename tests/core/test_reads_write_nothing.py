"""Reads never write (STYLE, issue 8): no page or API read, by any persona, writes to the
database — not on the first request of a day, not when a cluster's member statuses are behind
(the worker brings them up to date: tests/members/test_status_in_force.py).

Every GET row of the access matrix (tests/core/test_access_matrix.py, itself read from the URL
resolver) is requested by every persona, and the SQL it runs is captured: no INSERT, UPDATE,
DELETE or row lock may be among it. Sessions and django-axes' records are left out, as in
tests/core/dbstate.py. A new page gets its row in the matrix, and so its check here.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.dbstate import EXCLUDED_PREFIXES
from tests.core.test_access_matrix import MATRIX, P

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b|\bFOR (NO KEY )?UPDATE\b", re.IGNORECASE)
TABLE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE
)

READS = sorted(name for name, row in MATRIX.items() if row[0] == "get")


def writes_in(queries: list[dict]) -> list[str]:
    out = []
    for q in queries:
        sql = q["sql"]
        if not WRITE.search(sql):
            continue
        table = TABLE.match(sql)
        if table and table.group(1).startswith(EXCLUDED_PREFIXES):
            continue
        out.append(sql[:200])
    return out


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("name", READS)
def test_reads_never_write(name, world, client_for):
    from klaster.core.models import Cluster

    method, kwargs, _expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))  # the row's own objects are made before we listen
    # the day's status catch-up is due in both clusters: a page must still not do it
    Cluster.objects.update(statuses_as_of=dt.date(2000, 1, 1))
    for persona in P:
        client = client_for(persona)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert writes_in(ctx.captured_queries) == [], (name, persona)


def test_the_check_sees_a_write():
    """The pattern catches what a write looks like on SQLite and PostgreSQL, and leaves sessions."""
    queries = [
        {"sql": 'UPDATE "core_cluster" SET "statuses_as_of" = %s'},
        {"sql": 'SELECT "members_member"."id" FROM "members_member" FOR UPDATE'},
        {"sql": 'INSERT INTO "governance_organ" ("cluster_id") VALUES (%s)'},
        {"sql": 'UPDATE "django_session" SET "session_data" = %s'},
        {"sql": 'SELECT "core_cluster"."updated" FROM "core_cluster"'},
    ]
    assert len(writes_in(queries)) == 3
