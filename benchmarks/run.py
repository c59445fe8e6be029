"""Every figure the issues ask for, printed by one command: `bin/bench` (or this file).

    .venv/bin/python benchmarks/run.py [--members 10000] [--runs 5] [--only import,list,kkk,votes,money]

Works on a throwaway SQLite database in a temporary folder (or on DATABASE_URL when set:
then it imports into that database and leaves the cluster there). Medians of several runs;
peak memory is the child process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _summary  # benchmarks/_summary.py: the goals' table printed last

ROOT = Path(__file__).resolve().parent.parent
KLASTER = [sys.executable, "-m", "klaster.cli"]


def run_child(
    args: list[str], env: dict[str, str]
) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall time (s) and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    # A wrapper process per run reports its own child's peak, so runs do not mask each other.
    wrapped = [sys.executable, str(Path(__file__).with_name("_peak.py")), *args]
    proc = subprocess.run(wrapped, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    peak = 0.0
    for line in proc.stderr.splitlines():
        if line.startswith("PEAK_RSS_KB="):
            peak = int(line.split("=", 1)[1]) / 1024
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"command failed: {' '.join(args)}")
    return elapsed, peak, proc


def fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} (runs: {', '.join(f'{v:.2f}' for v in values)})"


def bench_import(tmp: Path, env: dict[str, str], members: int, runs: int) -> str | None:
    data = tmp / "big.json"
    if not data.exists():
        run_child([*KLASTER, "demo-data", "--members", str(members), "--out", str(data)], env)
    if runs >= 3:
        # issue 8: beside a bare insert of the same rows in the same run (benchmarks/bench_import.py)
        from bench_import import measure

        return measure(tmp, env, data, runs)
    times, peaks, slug = [], [], None
    for i in range(runs):
        db_env = dict(env)
        if "DATABASE_URL" not in os.environ:
            db_env["DATABASE_URL"] = f"sqlite:///{tmp}/import-{i}.sqlite3"
            run_child([*KLASTER, "migrate"], db_env)
        t, peak, proc = run_child([*KLASTER, "import", str(data)], db_env)
        times.append(t)
        peaks.append(peak)
        slug = proc.stdout.strip().splitlines()[-1]
        env["BENCH_DB"] = db_env.get("DATABASE_URL", "")
    print(f"klaster import, {members} members (target ≤ 15 s, ≤ 500 MB)")
    print(f"  wall time s: {fmt(times)}")
    print(f"  peak memory MB: {fmt(peaks)}")
    return slug


def bench_list(env: dict[str, str], slug: str, runs: int) -> None:
    code = f"""
import os, statistics, time, django
os.environ['DJANGO_SETTINGS_MODULE'] = 'klaster.settings'
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
from klaster.core.models import Cluster, ClusterRole
cluster = Cluster.objects.get(slug={slug!r})
user, _ = get_user_model().objects.get_or_create(username='bench-office')
ClusterRole.objects.get_or_create(user=user, cluster=cluster, role='office')
c = Client(); c.force_login(user)
for label, url in [('page', '/c/{slug}/members/'), ('api', '/api/clusters/{slug}/members/')]:
    for query in ['?page=1', '?page=100', '?page=20&type=small', '?q=sp&distance=200']:
        c.get(url + query)  # warm
    times, queries = [], set()
    for i in range({runs} * 4):
        query = ['?page=1', '?page=100', '?page=20&type=small', '?q=sp&distance=200'][i % 4]
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter(); r = c.get(url + query); times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.status_code
        queries.add(len(ctx.captured_queries))
    print(f"  {{label}}: median {{statistics.median(times):.1f}} ms, p95 {{sorted(times)[int(len(times)*0.95)-1]:.1f}} ms, queries per request {{sorted(queries)}}")
"""
    print(
        "member list, page of 50, 10,000-member cluster (target median ≤ 100 ms; queries constant)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, "DATABASE_URL": env.get("BENCH_DB") or os.environ.get("DATABASE_URL", "")},
        cwd=ROOT,
        check=False,
    )
    sys.stdout.write(proc.stdout)
    if proc.returncode:
        sys.stderr.write(proc.stderr)


def bench_kkk(tmp: Path, env: dict[str, str], members: int, runs: int) -> None:
    data = tmp / "big.json"
    if not data.exists():
        run_child([*KLASTER, "demo-data", "--members", str(members), "--out", str(data)], env)
    for path in (data, tmp / "big.yaml"):
        if not path.exists():
            run_child([*KLASTER, "demo-data", "--members", str(members), "--out", str(path)], env)
        times, peaks = [], []
        for _ in range(runs):
            t, peak, proc = run_child([*KLASTER, "kkk", "evaluate", str(path)], env)
            json.loads(proc.stdout)
            times.append(t)
            peaks.append(peak)
        print(
            f"klaster kkk evaluate {path.suffix}, {members} members, 2,000 projects, 5,000 events "
            "(target ≤ 3 s, ≤ 400 MB)"
        )
        print(f"  wall time s: {fmt(times)}")
        print(f"  peak memory MB: {fmt(peaks)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only",
        default="import,list,kkk,votes,hostile,engine,startup,timings,money,aid,comms,documents",
        help="comma-separated: import, list, kkk, votes (votes needs PostgreSQL), hostile, engine, startup, timings, money, aid, comms, documents",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="klaster-bench-") as tmpdir:
        tmp = Path(tmpdir)
        env["KLASTER_VAR_DIR"] = str(tmp)
        summary = tmp / "goals.jsonl"
        env[_summary.ENV] = os.environ[_summary.ENV] = str(summary)
        slug = None
        if "import" in only or "list" in only:
            slug = bench_import(tmp, env, args.members, 3 if "import" in only else 1)
        if "list" in only and slug:
            bench_list(env, slug, args.runs)
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "bench_member_list.py"),
                    "--slug",
                    slug,  # issue 8
                    "--runs",
                    str(args.runs),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "kkk" in only:
            bench_kkk(tmp, env, args.members, args.runs)
        if only & {
            "engine",
            "startup",
        }:  # issue 8: kkk evaluate vs json.load; a command's start vs 0.3 s
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "bench_startup_and_engine.py"),
                    "--members",
                    str(args.members),
                    "--runs",
                    str(args.runs),
                    "--only",
                    ",".join(sorted(only & {"engine", "startup"})),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "timings" in only:  # issue 8: the rules' timings that were test assertions
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "bench_rules_timings.py"),
                    "--runs",
                    str(args.runs),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "hostile" in only:
            # issue 7: hostile XLSX files refused before parsing
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "bench_hostile_uploads.py"),
                    "--runs",
                    str(min(args.runs, 3)),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "votes" in only:
            # issue "Governance": 1,000 voters over HTTP on PostgreSQL; the chair's live page
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "bench_governance.py"),
                    "--runs",
                    str(min(args.runs, 3)),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "money" in only:
            # issue 10: the dues run and a statement's matching, each beside a bare bulk insert
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "benchmarks" / "bench_money.py"),
                    "--members",
                    str(args.members),
                    "--runs",
                    str(min(args.runs, 3)),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "aid" in only:
            # issue 11: 1,000,000 grants loaded through the import path beside a bare insert;
            # headroom per check beside one indexed SQL sum
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "bench_aid.py"), "--runs", "1"],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "comms" in only:
            # issue 12: a newsletter to 10,000 addresses queued; delivered beside a bare smtplib loop
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "bench_comms.py"), "--runs", "3"],
                env=env,
                cwd=ROOT,
                check=False,
            )
        if "documents" in only:
            # issue 12: full-text search over 10,000 documents (SQLite FTS5; --pg on its own)
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "bench_documents.py"), "--runs", "3"],
                env=env,
                cwd=ROOT,
                check=False,
            )
        print(_summary.table(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
