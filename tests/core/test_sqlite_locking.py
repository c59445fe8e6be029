"""Issue 7 point 5: SQLite named in DATABASE_URL gets the same locking options as the embedded
default (immediate transactions, a busy timeout, WAL), and parallel imports queue.

The two end-to-end tests run the real processes — `klaster serve` (gunicorn, several workers
and threads) and two `klaster import` at once — because "database is locked" only shows when
separate processes share one database file. No timing is asserted: only that every request
answers without a 500 and that both imports succeed.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_URL = (
    os.environ.get("DATABASE_URL", "")
    if os.environ.get("DATABASE_URL", "").startswith("postgres")
    else ""
)

SETUP = r"""
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from klaster.core.models import Cluster, ClusterRole
from klaster.members.models import Member

cluster = Cluster.objects.create(slug="zamki", name="Klaster Zamki")
members = [Member.objects.create(cluster=cluster, key=f"z{i:03d}", name=f"Firma {i} sp. z o.o.", type="small",
                                 status="active") for i in range(10)]
user = get_user_model().objects.create_user(username="biuro-zamki", password="haslo-testowe-1")
ClusterRole.objects.create(user=user, cluster=cluster, role="office")
print(json.dumps({"token": Token.objects.create(user=user).key, "members": [m.pk for m in members]}))
"""


def _env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLASTER_")}
    env.update(
        {
            "KLASTER_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": database_url,
            "KLASTER_LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "klaster.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _klaster(
    env: dict[str, str], *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaster.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(
    port: int,
    method: str,
    path: str,
    body: dict | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(
            method,
            path,
            body=data,
            headers={**(headers or {}), **({"Content-Type": "application/json"} if data else {})},
        )
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_sqlite_url_parallel_api_patches_never_500(tmp_path):
    """~100 parallel PATCHes of members through the real server on a DATABASE_URL SQLite file:
    each ends 2xx or a clean 4xx (a stale If-Match may be refused), never 500."""
    env = _env(tmp_path, f"sqlite:///{tmp_path / 'url.sqlite3'}")
    migrated = _klaster(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    made = subprocess.run(
        [sys.executable, "-c", SETUP],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    world = json.loads(made.stdout.strip().splitlines()[-1])
    auth = {"Authorization": f"Token {world['token']}", "Accept": "application/json"}

    port = _free_port()
    log = (
        tmp_path / "server.log"
    )  # a file, not a pipe: a full pipe would stall the server's logging
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "klaster.cli", "serve", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        for _ in range(300):
            try:
                _request(port, "GET", "/accounts/login/")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.2)

        def patch(i: int) -> int:
            member = world["members"][i % len(world["members"])]
            path = f"/api/clusters/zamki/members/{member}/"
            status, headers, _ = _request(port, "GET", path, headers=auth)
            if status != 200:
                return status
            extra = {"If-Match": headers["etag"]} if "etag" in headers else {}
            return _request(
                port, "PATCH", path, {"city": f"Miasto {i}"}, headers={**auth, **extra}
            )[0]

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(patch, range(100)))
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
    assert 500 not in statuses, sorted(statuses)
    assert all(200 <= s < 500 for s in statuses), sorted(statuses)
    assert any(200 <= s < 300 for s in statuses), sorted(
        statuses
    )  # the token works: writes did happen


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def import_database(request, tmp_path):
    """A database the import processes share: a DATABASE_URL SQLite file, or (when the suite runs
    on PostgreSQL) a throwaway PostgreSQL database beside the test one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'imports.sqlite3'}"
        return
    if not PG_URL:
        pytest.skip("DATABASE_URL does not point to PostgreSQL")
    import psycopg

    config = dj_database_url.parse(PG_URL)
    name = f"{config['NAME']}_locks_{uuid.uuid4().hex[:8]}"
    admin = PG_URL.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_parallel_imports_queue_and_both_succeed(tmp_path, import_database):
    env = _env(tmp_path, import_database)
    migrated = _klaster(env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    src = tmp_path / "klaster.yaml"
    made = _klaster(
        env,
        "demo-data",
        "--members",
        "400",
        "--projects",
        "200",
        "--events",
        "400",
        "--out",
        str(src),
    )
    assert made.returncode == 0, made.stderr
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "klaster.cli", "import", str(src)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(p.wait(300), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
    slugs = [out.strip().splitlines()[-1] for _code, out, _err in results]
    assert len(set(slugs)) == 2
    assert sorted(_klaster(env, "clusters").stdout.split()) == sorted(slugs)


@pytest.mark.slow
def test_import_waiting_too_long_is_a_clean_polish_error(tmp_path):
    """Past the wait limit an import stops with a Polish message naming the limit, no traceback,
    nothing written: first while another import holds the import lock, then while another
    writer holds SQLite's write lock longer than the busy timeout."""
    import fcntl
    import sqlite3

    from klaster.core.locks import sqlite_lock_path

    db = tmp_path / "busy.sqlite3"
    env = {
        **_env(tmp_path, f"sqlite:///{db}"),
        "KLASTER_IMPORT_WAIT_SECONDS": "1",
        "KLASTER_SQLITE_TIMEOUT": "1",
    }
    assert _klaster(env, "migrate").returncode == 0
    src = tmp_path / "klaster.yaml"
    assert _klaster(env, "demo-data", "--members", "20", "--out", str(src)).returncode == 0

    lock_path = sqlite_lock_path(str(db), "dataset-import")
    assert lock_path is not None and lock_path.parent == db.parent
    with lock_path.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waited = _klaster(env, "import", str(src))
    assert waited.returncode != 0
    assert "inny import trwa dłużej niż 1 s" in waited.stderr and "Traceback" not in waited.stderr

    writer = sqlite3.connect(db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        busy = _klaster(env, "import", str(src))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert busy.returncode != 0
    assert "baza danych była zajęta" in busy.stderr and "Traceback" not in busy.stderr
    assert _klaster(env, "clusters").stdout.split() == []
