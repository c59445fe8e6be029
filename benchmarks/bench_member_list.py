"""Issue 8: the member list page of a 10,000-member cluster over HTTP, on the server `klaster serve`
runs (gunicorn, 2 workers x 8 threads: benchmarks/_serve.py), beside a trivial login-required view
measured in the same run. Goal: the list at most 2x the trivial view.

    .venv/bin/python benchmarks/bench_member_list.py [--members 10000] [--runs 5] [--requests 30]
    .venv/bin/python benchmarks/run.py --only list          (the same, on the cluster run.py imports)

The trivial view is `home` for a user whose only role is in the benchmark cluster: login required,
the session and the user read, one query, a redirect — what every page pays before its own work.
The list is read in four shapes (first page, page 100, a type filter on page 20, a search with a
distance band), each the office's page of 50 rows. Requests alternate between the trivial view and
the list, one at a time on a new connection, so that the noise of two shared cores falls on both;
a run's figure is the median of its requests and its ratio is list / trivial within the run. The
medians over the runs are printed with their spread (min-max) and each run's figure.

Without --slug it builds its own database in a temporary folder (`klaster demo-data --members N`,
`klaster migrate`, `klaster import`), SQLite unless DATABASE_URL is set. With --slug it uses that
cluster in BENCH_DB or DATABASE_URL (what run.py passes).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _summary  # noqa: E402  (benchmarks/_summary.py, also when run on its own)

ROOT = Path(__file__).resolve().parent.parent
KLASTER = [sys.executable, "-m", "klaster.cli"]
GOAL = 2.0
SHAPES = ["?page=1", "?page=100", "?page=20&type=small", "?q=sp&distance=200"]

SETUP = r"""
import json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from klaster.core.models import Cluster, ClusterRole
slug = sys.argv[1]
cluster = Cluster.objects.get(slug=slug)
# A user of its own per cluster: with one role only, `home` redirects to the cluster (no list to render).
user, _ = get_user_model().objects.get_or_create(username=f"bench-list-{cluster.pk}")
ClusterRole.objects.get_or_create(user=user, cluster=cluster, role="office")
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
db = settings.DATABASES["default"]
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                  "members": cluster.members.count(), "engine": db["ENGINE"].rsplit(".", 1)[-1],
                  "conn_max_age": db.get("CONN_MAX_AGE", 0)}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"command failed: {' '.join(args)}")
    return proc.stdout


def get(port: int, path: str, cookie: str) -> tuple[int, float, bytes, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return response.status, elapsed, body, response.getheader("Location") or ""


def spread(values: list[float], unit: str = " ms", digits: int = 1) -> str:
    return (
        f"median {statistics.median(values):.{digits}f}{unit}, spread {min(values):.{digits}f}–"
        f"{max(values):.{digits}f} (runs: {', '.join(f'{v:.{digits}f}' for v in values)})"
    )


def build(tmp: Path, env: dict[str, str], members: int) -> str:
    data = tmp / "members.json"
    run([*KLASTER, "demo-data", "--members", str(members), "--out", str(data)], env)
    run([*KLASTER, "migrate"], env)
    return run([*KLASTER, "import", str(data)], env).strip().splitlines()[-1]


def measure(env: dict[str, str], slug: str, runs: int, requests: int) -> None:
    world = json.loads(run([sys.executable, "-c", SETUP, slug], env).strip().splitlines()[-1])
    cookie = world["cookie"]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_serve.py")), str(port)],
        env={**env, "KLASTER_LOG_LEVEL": "ERROR"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    trivial_path, list_path = "/", f"/c/{slug}/members/"
    try:
        for _ in range(150):
            try:
                get(port, "/accounts/login/", "")
                break
            except OSError:
                time.sleep(0.2)
        # warm both workers: templates compiled, the day's status catch-up done, caches filled
        for _ in range(10):
            status, _, _, location = get(port, trivial_path, cookie)
            if status != 302 or "login" in location:
                raise SystemExit(f"trivial view: {status} → {location!r} (not logged in?)")
            for shape in SHAPES:
                status, _, body, _ = get(port, list_path + shape, cookie)
                if status != 200:
                    raise SystemExit(f"member list {shape}: {status}")
        rows = {
            shape: get(port, list_path + shape, cookie)[2].count(b"<tr") - 1 for shape in SHAPES
        }
        trivial: list[float] = []
        pages: dict[str, list[float]] = {shape: [] for shape in SHAPES}
        ratios: dict[str, list[float]] = {shape: [] for shape in SHAPES}
        for _ in range(runs):
            t_times: list[float] = []
            l_times: dict[str, list[float]] = {shape: [] for shape in SHAPES}
            for _ in range(requests):
                for shape in SHAPES:
                    t_times.append(get(port, trivial_path, cookie)[1])
                    l_times[shape].append(get(port, list_path + shape, cookie)[1])
            base = statistics.median(t_times)
            trivial.append(base)
            for shape in SHAPES:
                pages[shape].append(statistics.median(l_times[shape]))
                ratios[shape].append(pages[shape][-1] / base)
    finally:
        server.terminate()
        server.wait()
    print(
        f"member list over HTTP, {world['members']:,} members, gunicorn, {world['engine']}, "
        f"conn_max_age={world['conn_max_age']} (goal ≤ {GOAL:g}× a trivial login-required view in "
        f"the same run; {runs} runs × {requests} requests per figure)"
    )
    print(f"  trivial login-required view (home, redirect): {spread(trivial)}")
    for shape in SHAPES:
        ratio = statistics.median(ratios[shape])
        print(f"  list {shape} ({rows[shape]} rows): {spread(pages[shape])}")
        print(
            f"    ratio: {spread(ratios[shape], '×', 2)} — {'within' if ratio <= GOAL else 'OVER'} the goal"
        )
        _summary.record(
            f"member list {shape}, {world['engine']} / trivial view", ratios[shape], goal=GOAL
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30, help="requests per shape and run")
    parser.add_argument("--slug", help="an imported cluster in BENCH_DB or DATABASE_URL")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if args.slug:
        url = os.environ.get("BENCH_DB") or os.environ.get("DATABASE_URL", "")
        if url:
            env["DATABASE_URL"] = url
        measure(env, args.slug, args.runs, args.requests)
        return 0
    with tempfile.TemporaryDirectory(prefix="klaster-bench-list-") as tmpdir:
        tmp = Path(tmpdir)
        env["KLASTER_VAR_DIR"] = str(tmp)
        if not env.get("DATABASE_URL"):
            env["DATABASE_URL"] = f"sqlite:///{tmp}/list.sqlite3"
        slug = build(tmp, env, args.members)
        measure(env, slug, args.runs, args.requests)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
