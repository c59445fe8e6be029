"""Issue 12: a newsletter to 10,000 addresses, each figure beside its limit measured in the same
run.

    .venv/bin/python benchmarks/bench_comms.py [--addresses 10000] [--runs 3] [--pg]
    .venv/bin/python benchmarks/run.py --only comms          (the same)

(a) queueing: `klaster.comms.services.newsletter_send` — the recipients read, one message made
    per address with its own unsubscribe link and headers, and the rows bulk-inserted into the
    outbox — for a cluster of `--addresses` members with one notification address each. Goal
    ≤ 10 s.
(b) delivery: `klaster.core.outbox.deliver_due` (what the worker's tick runs: claim a batch by one
    UPDATE, send it over one SMTP connection, mark it sent by one UPDATE) of those messages to a
    local SMTP sink (aiosmtpd's Sink handler, in a process of its own), beside the limit: a bare
    `smtplib` loop sending the same messages' bytes over one connection to the same sink, in the
    same run, alternating which goes first. Goal: ours ≥ 50 % of the bare loop's rate.

SQLite in a temporary folder (the embedded default), or PostgreSQL with --pg (the local server;
database klaster_bench_comms, dropped at the end).
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _summary  # noqa: E402  (benchmarks/_summary.py, also when run on its own)
from _pg import PG_ADMIN  # noqa: E402
from _pg import admin as _pg  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KLASTER = [sys.executable, "-m", "klaster.cli"]
PG_NAME = "klaster_bench_comms"
QUEUE_GOAL_S = 10.0
RATE_GOAL = 0.5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sink(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the SMTP sink did not start")


def build(addresses: int):
    from django.contrib.auth import get_user_model

    from klaster.core.models import Cluster
    from klaster.members.models import Member, NotificationEmail

    cluster = Cluster.objects.create(slug="bench-comms", name="Klaster newslettera")
    user = get_user_model().objects.create(username="biuro.bench")
    Member.objects.bulk_create(
        [
            Member(cluster=cluster, key=f"m{i:05d}", name=f"Firma {i:05d} sp. z o.o.", type="micro")
            for i in range(addresses)
        ],
        batch_size=2000,
    )
    ids = list(Member.objects.filter(cluster=cluster).values_list("pk", flat=True))
    NotificationEmail.objects.bulk_create(
        [NotificationEmail(member_id=pk, email=f"biuro{pk}@firma{pk}.example.pl") for pk in ids],
        batch_size=2000,
    )
    return cluster, user


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    if args.pg:
        _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'CREATE DATABASE "{PG_NAME}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME
    else:
        url = f"sqlite:///{tmp.name}/comms.sqlite3"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([*KLASTER, "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    sink = _sink(port)
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="klaster.settings",
        KLASTER_SMTP_HOST="127.0.0.1",
        KLASTER_SMTP_PORT=str(port),
    )
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    from klaster.comms import services
    from klaster.comms.models import Newsletter
    from klaster.core import outbox
    from klaster.core.models import OutboxMessage

    engine = "PostgreSQL" if args.pg else "SQLite"
    try:
        cluster, user = build(args.addresses)
        queue_s: list[float] = []
        ratios: list[float] = []
        ours_rate: list[float] = []
        bare_rate: list[float] = []

        def link(token: str) -> str:
            return f"https://klaster.example.pl/newsletter/leave/{token}/"

        for run in range(args.runs):
            letter = services.newsletter_create(
                cluster=cluster, user=user, subject=f"Newsletter {run + 1}", body="Treść " * 200
            )
            start = time.perf_counter()
            services.newsletter_send(newsletter=letter, user=user, link=link)
            queue_s.append(time.perf_counter() - start)
            rows = OutboxMessage.objects.filter(source=letter.source)
            assert rows.count() == args.addresses
            batch = [(r.sender, r.to, bytes(r.raw)) for r in rows.order_by("id")]

            def ours() -> float:
                start = time.perf_counter()
                report = outbox.deliver_due()
                elapsed = time.perf_counter() - start
                assert report.sent == args.addresses, report
                return args.addresses / elapsed

            def bare(batch: list = batch) -> float:
                start = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", port) as smtp:
                    for sender, to, raw in batch:
                        smtp.sendmail(sender, to, raw)
                return len(batch) / (time.perf_counter() - start)

            if run % 2 == 0:
                o, b = ours(), bare()
            else:
                b, o = bare(), ours()
            ours_rate.append(o)
            bare_rate.append(b)
            ratios.append(o / b)
            Newsletter.objects.filter(pk=letter.pk).update(status="sent")
        print(
            f"newsletter to {args.addresses} addresses ({engine}, {args.runs} runs; "
            "local SMTP sink in its own process):"
        )
        print(
            f"  queued in: median {statistics.median(queue_s):.2f} s, spread "
            f"{min(queue_s):.2f}–{max(queue_s):.2f} (runs: "
            f"{', '.join(f'{v:.2f}' for v in queue_s)})  — goal ≤ {QUEUE_GOAL_S:.0f} s"
        )
        print(
            f"  delivered by the worker: median {statistics.median(ours_rate):.0f} msg/s; bare "
            f"smtplib loop: median {statistics.median(bare_rate):.0f} msg/s; ratio median "
            f"{statistics.median(ratios):.2f}, spread {min(ratios):.2f}–{max(ratios):.2f} "
            f"(runs: {', '.join(f'{v:.2f}' for v in ratios)})  — goal ≥ {RATE_GOAL:.2f}"
        )
        _summary.record(
            f"newsletter queued, {args.addresses} addresses ({engine})",
            queue_s,
            goal=QUEUE_GOAL_S,
            unit="s",
        )
        _summary.record(
            f"newsletter delivery vs bare smtplib ({engine})",
            ratios,
            goal=RATE_GOAL,
            higher_is_better=True,
        )
    finally:
        sink.terminate()
        sink.wait()
        if args.pg:
            from django.db import connections

            connections.close_all()
            _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
