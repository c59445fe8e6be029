"""Votes over HTTP on PostgreSQL: 1,000 voters cast in one vote in parallel; the chair's page with
1,000 attendees. Every ballot must be counted exactly once.

    .venv/bin/python benchmarks/bench_governance.py [--voters 1000] [--concurrency 64] [--runs 3]
    .venv/bin/python benchmarks/run.py --only votes

Uses DATABASE_URL when it is PostgreSQL, otherwise postgres://postgres@127.0.0.1:5432/klaster_bench
(created and migrated here). Starts the server `klaster serve` runs (gunicorn, 2 workers x 8
threads, backlog 1,024: benchmarks/_serve.py) on 127.0.0.1 and a free port against that
database, and drives it with a pool of HTTP clients on the same two cores (token auth, as the
API is used by a member's page).
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
print(json.dumps({"meeting": meeting.pk, "chair": chair.username, "session": session.session_key,
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
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                          check=False)
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


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, elapsed * 1000, data


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p * len(ordered))) - 1))]


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
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "klaster.settings"}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    slug = f"bench-votes-{int(time.time())}"
    world = child(SETUP, env, str(args.voters), slug)
    meeting, session, voters = world["meeting"], world["session"], world["voters"]

    port = free_port()
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_serve.py")), str(port)],
                              env={**env, "KLASTER_LOG_LEVEL": "ERROR"}, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                request(port, "GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        throughputs, p50s, p95s = [], [], []
        for run in range(args.runs):
            vote = child(OPEN_VOTE, env, str(meeting), world["chair"])["vote"]
            path = f"/api/clusters/{slug}/votes/{vote}/ballots/"
            def cast(item, path=path, choices=("for", "against", "abstain")):
                i, (member_id, token) = item
                body = json.dumps({"choices": {str(member_id): choices[i % 3]}}).encode()
                return request(port, "POST", path, body, {"Authorization": f"Token {token}",
                                                          "Content-Type": "application/json"})

            # every voter once, plus a second attempt by every tenth voter at the same time
            work = list(enumerate(voters)) + list(enumerate(voters))[:: 10]
            start = time.perf_counter()
            with ThreadPoolExecutor(args.concurrency) as pool:
                results = list(pool.map(cast, work))
            wall = time.perf_counter() - start
            first = results[: len(voters)]
            statuses = sorted({s for s, _, _ in results})
            latencies = [ms for _, ms, _ in first]
            check = child(CHECK, env, str(vote), world["chair"])
            created = sum(1 for s, _, _ in results if s == 201)
            ok = check["ballots"] == check["members"] == check["counted"] == len(voters) == created \
                and check["doubled"] == 0
            throughputs.append(len(results) / wall)
            p50s.append(statistics.median(latencies))
            p95s.append(pct(latencies, 0.95))
            print(f"run {run + 1}: {len(results)} requests ({len(voters)} voters + {len(results) - len(voters)} "
                  f"repeats) in {wall:.2f} s, {len(results) / wall:.0f} req/s; p50 {p50s[-1]:.0f} ms, "
                  f"p95 {p95s[-1]:.0f} ms; HTTP {statuses}; ballots {check['ballots']}, counted "
                  f"{check['counted']}, doubled {check['doubled']} — {'OK' if ok else 'MISMATCH'}")
            if not ok:
                return 1
        print(f"ballots over HTTP, {args.voters} voters, {args.concurrency} parallel clients, PostgreSQL:")
        print(f"  throughput req/s: median {statistics.median(throughputs):.0f} "
              f"(runs: {', '.join(f'{t:.0f}' for t in throughputs)})")
        print(f"  latency ms: p50 median {statistics.median(p50s):.0f}, p95 median {statistics.median(p95s):.0f} "
              f"(runs: {', '.join(f'{p:.0f}' for p in p95s)})")

        cookie = {"Cookie": f"sessionid={session}"}
        for label, page in (("page", f"/c/{slug}/meetings/{meeting}/live/"),
                            ("json", f"/c/{slug}/meetings/{meeting}/live.json")):
            request(port, "GET", page, headers=cookie)
            times = []
            for _ in range(args.page_requests):
                status, ms, _ = request(port, "GET", page, headers=cookie)
                assert status == 200, status
                times.append(ms)
            print(f"chair's live {label}, {args.voters} attendees (target median ≤ 200 ms): "
                  f"median {statistics.median(times):.0f} ms, p95 {pct(times, 0.95):.0f} ms")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
