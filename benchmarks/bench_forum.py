"""Issue 13: the forum's comparison page for 200 clusters of 100 members each, beside the bare
query that reads the same figures, measured in the same run.

    .venv/bin/python benchmarks/bench_forum.py [--clusters 200] [--members 100] [--runs 3]
        [--requests 30] [--pg]

Set-up (not timed): a freshly migrated database — SQLite in a temporary folder, or with --pg
the database klaster_bench_forum on 127.0.0.1 (dropped at the end); `--clusters` clusters of
`--members` members each (bulk_create, a mix of types, each with its "admitted" event); every
cluster's figures computed by the product's own path (`forum.services.refresh_figures`: the
cluster's KKK evaluation read into the KKK 2021 set and stored); each cluster sharing a random
half of the indicators, a third of them named; all in one forum; a forum representative of the
first cluster.

Timed, alternating one request of each: the benchmark page (`forum_benchmark`, Django's test
client in this process: URL resolution, middleware, session and user, access, the comparison,
the charts, the template) against the bare query — two SQL statements that read every member
cluster's latest snapshot and the sharing rows, nothing computed. A run's figure is the median
of its requests; medians over the runs with their spread (min–max). Goal: the page ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KLASTER = [sys.executable, "-m", "klaster.cli"]
GOAL_MS = 300.0
TYPES = ("micro", "small", "medium", "large", "iob", "science", "other")
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "klaster_bench_forum"


def _pg(*statements: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def build(clusters: int, members: int) -> tuple[str, object]:
    import datetime as dt

    from django.contrib.auth import get_user_model

    from klaster.core.models import Cluster, ClusterRole
    from klaster.forum import services
    from klaster.forum.models import Forum, Membership, Sharing
    from klaster.members.models import Member, MembershipEvent
    from klaster.rules.forum.sets import KKK_2021

    rng = random.Random(13)
    forum = Forum.objects.create(slug="bench", name="Forum benchmarku")
    joined = dt.date(2020, 3, 1)
    as_of = dt.date(2026, 6, 30)
    started = time.perf_counter()
    for c in range(clusters):
        cluster = Cluster.objects.create(slug=f"bench-{c:03d}", name=f"Klaster {c:03d}")
        rows = [
            Member(
                cluster=cluster,
                key=f"m{i:04d}",
                name=f"Członek {c:03d}-{i:04d} sp. z o.o.",
                type=TYPES[(i + c) % len(TYPES)],
                category="partner",
                status="active",
                joined=joined,
                postal_code="80-001",
                city="Gdańsk",
            )
            for i in range(members)
        ]
        Member.objects.bulk_create(rows)
        MembershipEvent.objects.bulk_create(
            [MembershipEvent(member=m, kind="admitted", date=joined) for m in rows]
        )
        cluster.coordinator = rows[0]
        cluster.save(update_fields=["coordinator"])
        Membership.objects.create(
            forum=forum,
            cluster=cluster,
            joined_on=dt.date(2025, 1, 10),
            join_decision="Uchwała",
            named=c % 3 == 0,
        )
        services.refresh_figures(cluster=cluster, as_of=as_of)
        keys = rng.sample(list(KKK_2021.keys), len(KKK_2021.keys) // 2)
        Sharing.objects.bulk_create(
            Sharing(cluster=cluster, set_code=KKK_2021.code, key=k) for k in keys
        )
    print(
        f"set-up: {clusters} clusters × {members} members, figures computed "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    user = get_user_model().objects.create_user("forum-bench", password="x")
    ClusterRole.objects.create(
        user=user, cluster=Cluster.objects.get(slug="bench-000"), role="forum_viewer"
    )
    return forum.slug, user


def bare(forum_slug: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            'SELECT s.cluster_id, s."values" FROM forum_snapshot s '
            "JOIN forum_membership m ON m.cluster_id = s.cluster_id "
            "JOIN forum_forum f ON f.id = m.forum_id "
            "WHERE f.slug = %s AND m.left_on IS NULL AND s.set_code = 'kkk-2021' "
            "AND s.as_of = (SELECT MAX(s2.as_of) FROM forum_snapshot s2 "
            "WHERE s2.cluster_id = s.cluster_id AND s2.set_code = 'kkk-2021')",
            [forum_slug],
        )
        cur.fetchall()
        cur.execute(
            "SELECT h.cluster_id, h.key FROM forum_sharing h "
            "JOIN forum_membership m ON m.cluster_id = h.cluster_id "
            "JOIN forum_forum f ON f.id = m.forum_id WHERE f.slug = %s AND m.left_on IS NULL",
            [forum_slug],
        )
        cur.fetchall()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=200)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    if args.pg:
        _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'CREATE DATABASE "{PG_NAME}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME
    else:
        url = f"sqlite:///{tmp.name}/forum.sqlite3"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([*KLASTER, "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    try:
        slug, user = build(args.clusters, args.members)
        client = Client()
        client.force_login(user)
        url_page = reverse("forum_benchmark", args=[slug])
        assert client.get(url_page).status_code == 200
        page_runs, bare_runs = [], []
        for _run in range(args.runs):
            page_t, bare_t = [], []
            for i in range(args.requests):
                for what in ("page", "bare") if i % 2 == 0 else ("bare", "page"):
                    start = time.perf_counter()
                    if what == "page":
                        response = client.get(url_page)
                        assert response.status_code == 200
                        page_t.append((time.perf_counter() - start) * 1000)
                    else:
                        bare(slug)
                        bare_t.append((time.perf_counter() - start) * 1000)
            page_runs.append(statistics.median(page_t))
            bare_runs.append(statistics.median(bare_t))
        engine = "PostgreSQL" if args.pg else "SQLite"

        def spread(values: list[float]) -> str:
            return (
                f"median {statistics.median(values):.1f} ms, spread {min(values):.1f}–"
                f"{max(values):.1f} (runs: {', '.join(f'{v:.1f}' for v in values)})"
            )

        print(
            f"forum comparison page, {args.clusters} clusters × {args.members} members "
            f"({engine}, {args.runs} runs × {args.requests} requests):"
        )
        print(f"  page:       {spread(page_runs)}  — goal ≤ {GOAL_MS:.0f} ms")
        print(f"  bare query: {spread(bare_runs)}  (the same figures, two SQL statements)")
        ok = statistics.median(page_runs) <= GOAL_MS
        print(f"  {'met' if ok else 'NOT met'}")
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if args.pg:
            _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
        tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
