"""Votes over HTTP on PostgreSQL: 1,000 voters cast in one vote in parallel, beside the limit — a
trivial authenticated POST on the same server in the same run; the chair's page with 1,000
attendees. Every ballot must be counted exactly once.

    .venv/bin/python benchmarks/bench_governance.py [--voters 1000] [--concurrency 64] [--runs 3]
    .venv/bin/python benchmarks/run.py --only votes

Uses DATABASE_URL when it is PostgreSQL, otherwise postgres://postgres@127.0.0.1:5432/klaster_bench
(created and migrated here). Starts the server `klaster serve` runs (gunicorn, 2 workers x 8
threads, backlog 1,024: benchmarks/_serve.py) on 127.0.0.1 and a free port against that
database, with Klaster's settings plus one trivial authenticated POST and a per-request count of
SQL statements (benchmarks/_trivial_settings.py), and drives it with a pool of HTTP clients on
the same two cores (token auth, as the API is used by a member's page). Beside the throughputs it
prints the CPU time the server and its PostgreSQL backends spend per request (Linux /proc): other
work on a shared machine moves req/s a lot, the CPU a request costs much less.

Each run casts every voter's ballot (and a second attempt by every tenth voter, refused) and
sends as many trivial POSTs with the same tokens, bodies and parallelism, alternating which goes
first; the figure is the ratio of the two throughputs (goal ≥ 0.8×) and the statements one ballot
sends (goal ≤ 6), with the medians and spreads of the runs.
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
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _summary  # noqa: E402  (benchmarks/_summary.py, also when run on its own)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/klaster_bench"

SETUP = r"""
import datetime as dt, json, os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from rest_framework.authtoken.models import Token
from klaster.core.models import Cluster, ClusterRole
from klaster.core.services import statute_profile_set
from klaster.governance import services
from klaster.governance.models import Attendance, Meeting
from klaster.members.models import Member, MembershipEvent
from klaster.rules.calendar import WARSAW

n, slug = int(sys.argv[1]), sys.argv[2]
User = get_user_model()
cluster = Cluster.objects.create(slug=slug, name="Benchmark głosowań")
statute_profile_set(cluster=cluster, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma")
members = Member.objects.bulk_create([
    Member(cluster=cluster, key=f"v{i:05d}", name=f"Głosujący {i:05d} sp. z o.o.", type="small",
           joined=dt.date(2016, 1, 1), status="active") for i in range(n)])
MembershipEvent.objects.bulk_create([MembershipEvent(member=m, kind="admitted", date=dt.date(2016, 1, 1))
                                     for m in members])
users = User.objects.bulk_create([User(username=f"bv-{m.pk}", password="!") for m in members])
ClusterRole.objects.bulk_create([ClusterRole(user=u, cluster=cluster, role="representative", member=m)
                                 for u, m in zip(users, members)])
tokens = Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in users])
chair, _ = User.objects.get_or_create(username=f"bv-chair-{slug}")
ClusterRole.objects.get_or_create(user=chair, cluster=cluster, role="office")
organs = services.organs_ensure(cluster=cluster)
starts = dt.datetime(2025, 6, 30, 10, 0, tzinfo=WARSAW)
meeting = services.meeting_convene(organ=organs["ga"], user=chair, title="WZ benchmark", starts_at=starts,
                                   notice_sent_at=starts - dt.timedelta(days=30), chair=chair)
Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m, mode="in_person", first_in=starts,
                                           person_name=f"Osoba {m.pk}") for m in members])
services.meeting_open(meeting=meeting, user=chair)
session = SessionStore()
session["_auth_user_id"] = str(chair.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = chair.get_session_auth_hash()
session.create()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"meeting": meeting.pk, "chair": chair.username, "session": session.session_key,
                  "conn_max_age": db.get("CONN_MAX_AGE", 0), "health_checks": db.get("CONN_HEALTH_CHECKS", False),
                  "voters": [[m.pk, t.key] for m, t in zip(members, tokens)]}))
"""

OPEN_VOTE = r"""
import os, sys, json, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.contrib.auth import get_user_model
from klaster.governance import services
from klaster.governance.models import Meeting, Vote
meeting = Meeting.objects.get(pk=int(sys.argv[1]))
chair = get_user_model().objects.get(username=sys.argv[2])
for v in Vote.objects.filter(meeting=meeting, status="open"):
    services.vote_close(vote=v, user=chair)
vote = services.vote_open(meeting=meeting, user=chair, title=f"Głosowanie {Vote.objects.count() + 1}")
print(json.dumps({"vote": vote.pk}))
"""

CHECK = r"""
import os, sys, json, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from django.contrib.auth import get_user_model
from django.db.models import Count
from klaster.governance import services
from klaster.governance.models import Ballot, Vote
vote = Vote.objects.get(pk=int(sys.argv[1]))
per_member = Ballot.objects.filter(vote=vote).values("member_id").annotate(n=Count("id"))
doubled = sum(1 for r in per_member if r["n"] > 1)
resolution = services.vote_close(vote=vote, user=get_user_model().objects.get(username=sys.argv[2]))
vote.refresh_from_db()
print(json.dumps({"ballots": Ballot.objects.filter(vote=vote).count(), "members": len(per_member),
                  "doubled": doubled, "counted": vote.for_count + vote.against_count + vote.abstain_count,
                  "passed": vote.passed}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child(code: str, env: dict[str, str], *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit("setup step failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, float, bytes, int | None]:
    """(status, milliseconds, body, SQL statements the server sent for it — the X-Queries header)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    queries = response.getheader("X-Queries")
    conn.close()
    return response.status, elapsed * 1000, data, int(queries) if queries else None


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered))) - 1))]


def spread(values: list[float], digits: int = 0) -> str:
    """The median, then every run and the spread (max − min) as a share of the median."""
    med = statistics.median(values)
    rel = (max(values) - min(values)) / med * 100 if med else 0.0
    return (
        f"median {med:.{digits}f} (runs: {', '.join(f'{v:.{digits}f}' for v in values)}; "
        f"spread {min(values):.{digits}f}–{max(values):.{digits}f}, {rel:.0f}% of the median)"
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time each process has used so far (Linux /proc; none elsewhere)."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return out


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings: a process new since (a connection opened, or reopened when
    CONN_MAX_AGE ran out) counts from its start; one gone since is lost (a slight undercount)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def server_pids(server: subprocess.Popen) -> list[int]:
    """gunicorn's master and its workers."""
    pids = [server.pid]
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else ():
        if entry.name.isdigit():
            try:
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(server.pid):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def database_pids(url: str) -> list[int]:
    """The PostgreSQL backends serving this database (the server's connections among them)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]


def drive(port: int, path: str, work: list, concurrency: int) -> tuple[float, list]:
    """POST one body per item of `work` (index, (member id, token)) with `concurrency` clients."""

    def post(item, choices=("for", "against", "abstain")):
        i, (member_id, token) = item
        body = json.dumps({"choices": {str(member_id): choices[i % 3]}}).encode()
        return request(
            port,
            "POST",
            path,
            body,
            {"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(post, work))
    return time.perf_counter() - start, results


BALLOT_GOAL, QUERY_GOAL = 0.8, 6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--page-requests", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = DEFAULT_DB
    ensure_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "klaster.settings",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True
    )
    slug = f"bench-votes-{int(time.time())}"
    world = child(SETUP, env, str(args.voters), slug)
    meeting, session, voters = world["meeting"], world["session"], world["voters"]

    port = free_port()
    server_env = {
        **env,
        "KLASTER_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "_trivial_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")]),
    }
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_serve.py")), str(port)],
        env=server_env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                request(port, "GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        # every voter once, plus a second attempt by every tenth voter at the same time
        work = list(enumerate(voters)) + list(enumerate(voters))[::10]
        trivial_path = "/bench/trivial/"
        # warm both paths (imports, first connections) before anything is timed
        drive(port, trivial_path, work[: args.concurrency], args.concurrency)
        ballots, trivials, ratios, p50s, p95s = [], [], [], [], []
        cpu_ms: dict[str, list[list[float]]] = {"ballot": [], "trivial": []}
        ballot_queries: set[int] = set()
        repeat_queries: set[int] = set()
        trivial_queries: set[int] = set()
        for run in range(args.runs):
            vote = child(OPEN_VOTE, env, str(meeting), world["chair"])["vote"]
            path = f"/api/clusters/{slug}/votes/{vote}/ballots/"
            order = ("ballot", "trivial") if run % 2 == 0 else ("trivial", "ballot")
            timed = {}
            for kind in order:
                # CPU the server and its database backends spend per request: unlike req/s, hardly
                # moved by other work on the machine (the two cores are shared)
                before = (cpu_seconds(server_pids(server)), cpu_seconds(database_pids(url)))
                timed[kind] = drive(
                    port, path if kind == "ballot" else trivial_path, work, args.concurrency
                )
                after = (cpu_seconds(server_pids(server)), cpu_seconds(database_pids(url)))
                spent = [cpu_spent(b, a) for b, a in zip(before, after, strict=True)]
                cpu_ms[kind].append([1000 * x / len(timed[kind][1]) for x in spent])
            wall, results = timed["ballot"]
            t_wall, t_results = timed["trivial"]
            first = results[: len(voters)]
            statuses = sorted({s for s, _, _, _ in results})
            latencies = [ms for _, ms, _, _ in first]
            ballot_queries |= {q for s, _, _, q in results if s == 201 and q is not None}
            repeat_queries |= {q for s, _, _, q in results if s != 201 and q is not None}
            trivial_queries |= {q for _, _, _, q in t_results if q is not None}
            t_statuses = sorted({s for s, _, _, _ in t_results})
            check = child(CHECK, env, str(vote), world["chair"])
            created = sum(1 for s, _, _, _ in results if s == 201)
            ok = (
                check["ballots"] == check["members"] == check["counted"] == len(voters) == created
                and check["doubled"] == 0
                and t_statuses == [201]
            )
            ballots.append(len(results) / wall)
            trivials.append(len(t_results) / t_wall)
            ratios.append(ballots[-1] / trivials[-1])
            p50s.append(statistics.median(latencies))
            p95s.append(pct(latencies, 0.95))
            print(
                f"run {run + 1} ({' then '.join(order)}): {len(results)} ballot POSTs ({len(voters)} voters + "
                f"{len(results) - len(voters)} repeats) in {wall:.2f} s, {ballots[-1]:.0f} req/s, p50 "
                f"{p50s[-1]:.0f} ms, p95 {p95s[-1]:.0f} ms, HTTP {statuses}; {len(t_results)} trivial POSTs in "
                f"{t_wall:.2f} s, {trivials[-1]:.0f} req/s, HTTP {t_statuses}; ratio {ratios[-1]:.2f}×; "
                f"ballots {check['ballots']}, counted {check['counted']}, doubled {check['doubled']} — "
                f"{'OK' if ok else 'MISMATCH'}"
            )
            if not ok:
                return 1
        ratio = statistics.median(ratios)
        per_ballot = max(ballot_queries) if ballot_queries else None
        print(
            f"ballots over HTTP, {args.voters} voters (+{len(work) - len(voters)} repeats), {args.concurrency} "
            f"parallel clients, PostgreSQL, conn_max_age={world['conn_max_age']}, "
            f"health checks {world['health_checks']}, {args.runs} runs:"
        )
        print(f"  ballot POST req/s:  {spread(ballots)}")
        print(
            f"  trivial authenticated POST req/s (the limit, same server, same run): {spread(trivials)}"
        )
        print(
            f"  ratio ballot / trivial: {spread(ratios, 2)} — goal ≥ {BALLOT_GOAL}×: "
            f"{'met' if ratio >= BALLOT_GOAL else 'NOT met'}"
        )
        _summary.record(
            "ballots over HTTP, PostgreSQL / trivial POST",
            ratios,
            goal=BALLOT_GOAL,
            higher_is_better=True,
        )
        trivial_n = max(trivial_queries) if trivial_queries else 0
        print(
            f"  SQL statements per ballot POST: {sorted(ballot_queries)} in all, {trivial_n} of them the token "
            f"authentication the trivial POST sends too ({sorted(trivial_queries)}), so "
            f"{per_ballot - trivial_n if per_ballot is not None else '?'} for the ballot itself; a refused repeat "
            f"{sorted(repeat_queries)}; BEGIN/COMMIT and the connection's health check not counted — goal ≤ "
            f"{QUERY_GOAL}: {'met' if per_ballot is not None and per_ballot <= QUERY_GOAL else 'NOT met'}"
        )
        cost = {k: [sum(run) for run in v] for k, v in cpu_ms.items()}
        for kind in ("ballot", "trivial"):
            print(
                f"  CPU per {kind} POST ms (server + its PostgreSQL backends): {spread(cost[kind], 2)}; server "
                f"{statistics.median(r[0] for r in cpu_ms[kind]):.2f}, PostgreSQL "
                f"{statistics.median(r[1] for r in cpu_ms[kind]):.2f}"
            )
        cpu_ratios = [t / b for t, b in zip(cost["trivial"], cost["ballot"], strict=True) if b]
        print(
            f"  CPU-cost ratio trivial / ballot (the throughput ratio when the cores are the limit, whatever "
            f"else runs on the machine; the HTTP clients' CPU and PostgreSQL's WAL writer not counted): "
            f"{spread(cpu_ratios, 2)}"
        )
        print(
            f"  latency of a ballot ms: p50 median {statistics.median(p50s):.0f}, p95 median "
            f"{statistics.median(p95s):.0f} (runs: {', '.join(f'{p:.0f}' for p in p95s)})"
        )

        cookie = {"Cookie": f"sessionid={session}"}
        for label, page in (
            ("page", f"/c/{slug}/meetings/{meeting}/live/"),
            ("json", f"/c/{slug}/meetings/{meeting}/live.json"),
        ):
            request(port, "GET", page, headers=cookie)
            times, queries = [], set()
            for _ in range(args.page_requests):
                status, ms, _, q = request(port, "GET", page, headers=cookie)
                assert status == 200, status
                times.append(ms)
                queries.add(q)
            print(
                f"chair's live {label}, {args.voters} attendees (target median ≤ 200 ms): "
                f"median {statistics.median(times):.0f} ms, p95 {pct(times, 0.95):.0f} ms, "
                f"SQL statements {sorted(q for q in queries if q is not None)}"
            )
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
