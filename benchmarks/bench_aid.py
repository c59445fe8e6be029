"""Issue 11: the de minimis register at scale, each figure beside its limit measured in the same
run.

    .venv/bin/python benchmarks/bench_aid.py [--undertakings 100000] [--grants 1000000]
        [--checks 300] [--runs 1] [--pg]
    .venv/bin/python benchmarks/run.py --only aid          (the same)

(a) loading: a register of `--grants` grants for `--undertakings` undertakings (a fifth of them
    in groups of 2–5 under a parent by control links, some links ended; 1 % absorbed in mergers;
    a tenth of the grants given only in PLN; NBP table A for every business day from December
    2020 to November 2026) through the import path — `klaster aid import`'s own steps,
    `klaster.rules.aid.load.load_path` and `klaster.aid.dataset.register_import`, in process —
    from ten `klaster-aid/1` JSON files (the reader takes at most 100,000 entries a list and
    16 MB a file, so the register comes in ten parts, each its own undertakings, links,
    mergers and grants; the first with the rates). Goal ≤ 120 s. Beside it, the limit: a bare
    bulk insert of the same undertaking and grant rows (tuples computed before the clock starts)
    through the same path the import writes with (klaster.core.bulk.insert_rows), nothing else.
(b) headroom: `klaster.aid.engine.verdict` (what `klaster aid headroom` runs) for `--checks`
    random undertakings on random days from July 2024 to November 2026, on the register of (a):
    median and spread per check — goal ≤ 20 ms — beside one indexed SQL sum of the same
    undertaking's grants over the three years up to the day (``SELECT SUM(amount_eur) FROM
    aid_grant WHERE undertaking_id = %s AND granted_on BETWEEN %s AND %s``), timed check by
    check in the same run; the queries per check are counted in a second pass.

Every child starts from a freshly migrated database — SQLite: a copy of one migrated file in a
temporary folder; PostgreSQL (DATABASE_URL naming one, or --pg: the local server): the database
klaster_bench_aid made from a migrated template before each child and dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _summary  # noqa: E402  (benchmarks/_summary.py, also when run on its own)

ROOT = Path(__file__).resolve().parent.parent
KLASTER = [sys.executable, "-m", "klaster.cli"]
ME = [sys.executable, str(Path(__file__).resolve())]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/klaster_bench_aid"
PG_NAME = "klaster_bench_aid"
LOAD_GOAL = 120.0
CHECK_GOAL_MS = 20.0
PARTS = 10
SEED = 20261204
FIRST_GRANT = dt.date(2021, 1, 1)
LAST_GRANT = dt.date(2025, 12, 31)
MERGERS_FROM = dt.date(2026, 1, 5)  # after every grant: the absorbed receive nothing later
CHECK_FROM = dt.date(2024, 7, 1)
CHECK_TO = dt.date(2026, 11, 30)
RATES_FROM = dt.date(2020, 12, 1)
BODIES = ("PUP Kraków", "Gmina Wieliczka", "MARR", "ARiMR", "Urząd Miasta Krakowa", "WUP Kraków")
_W = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
    import django

    django.setup()


# --- the register, as ten klaster-aid/1 files -------------------------------------------------


def nips(count: int) -> list[str]:
    """``count`` distinct valid NIPs (10 digits, check digit by weights 6,5,7,2,3,4,5,6,7)."""
    out: list[str] = []
    stem = 100_000_000
    while len(out) < count:
        digits = f"{stem:09d}"
        check = sum(w * int(d) for w, d in zip(_W, digits, strict=True)) % 11
        if check != 10:
            out.append(digits + str(check))
        stem += 7
    return out


def business_days(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start
    while day <= end:
        if day.weekday() < 5 and (day.month, day.day) not in ((1, 1), (12, 25), (12, 26)):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def rates() -> dict:
    rng = random.Random(SEED + 1)
    tables, mid, seq, year = [], 4.45, 0, 0
    for day in business_days(RATES_FROM, CHECK_TO):
        if day.year != year:
            year, seq = day.year, 0
        seq += 1
        mid = min(4.75, max(4.15, mid + rng.uniform(-0.01, 0.01)))
        tables.append(
            {"date": day.isoformat(), "number": f"{seq:03d}/A/NBP/{year}", "mid": f"{mid:.4f}"}
        )
    return {"complete_through": CHECK_TO.isoformat(), "tables": tables}


def part(k: int, all_nips: list[str], per: int, grants: int) -> dict:
    """Part ``k`` of the register: its undertakings, their links, mergers and grants."""
    rng = random.Random(SEED * 100 + k)
    mine = all_nips[k * per : (k + 1) * per]
    undertakings = [
        {"nip": n, "name": f"Przedsiębiorstwo {n} Sp. z o.o."}
        | ({"fiscal_year_start": "07-01"} if i % 10 == 3 else {})
        | ({"road_freight": True} if i % 50 == 7 else {})
        for i, n in enumerate(mine)
    ]
    links = []
    i = 0
    grouped = per // 5
    while i < grouped:  # groups of 2-5: the first of each controls the others
        size = rng.randint(2, 5)
        parent = mine[i]
        for child in mine[i + 1 : min(i + size, grouped)]:
            start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            end = None
            if rng.random() < 0.2:
                end = start + dt.timedelta(days=rng.randrange(200, 2000))
            links.append(
                {"parent": parent, "child": child, "from": start.isoformat()}
                | ({"to": end.isoformat()} if end else {})
            )
        i += size
    absorbed_pool = mine[grouped:]
    rng.shuffle(absorbed_pool)
    count = max(1, per // 100)
    mergers = []
    for j in range(count):
        into, gone = absorbed_pool[2 * j], absorbed_pool[2 * j + 1]
        date = MERGERS_FROM + dt.timedelta(days=rng.randrange(300))
        mergers.append({"date": date.isoformat(), "into": into, "absorbed": [gone]})
    span = (LAST_GRANT - FIRST_GRANT).days
    out_grants = []
    for j in range(grants):
        date = FIRST_GRANT + dt.timedelta(days=rng.randrange(span + 1))
        g: dict = {
            "id": f"g{k:02d}{j:07d}",
            "undertaking": mine[rng.randrange(per)],
            "body": BODIES[j % len(BODIES)],
            "regulation": "1407/2013" if date < dt.date(2024, 1, 1) else "2023/2831",
            "date": date.isoformat(),
        }
        amount = Decimal(rng.randrange(10_000, 500_000)) / 100
        if j % 10 == 0:
            g["pln"] = f"{amount * 4:.2f}"
        else:
            g["eur"] = f"{amount:.2f}"
        out_grants.append(g)
    return {
        "format": "klaster-aid/1",
        "undertakings": undertakings,
        "links": links,
        "mergers": mergers,
        "grants": out_grants,
    }


def write_files(folder: Path, undertakings: int, grants: int) -> tuple[list[Path], list[str]]:
    """The ten files (the first with the rates) and the NIPs that are absorbed."""
    all_nips = nips(undertakings)
    per, per_grants = undertakings // PARTS, grants // PARTS
    paths, absorbed = [], []
    for k in range(PARTS):
        data = part(k, all_nips, per, per_grants)
        if k == 0:
            data["eur_rates"] = rates()
        absorbed += [n for x in data["mergers"] for n in x["absorbed"]]
        path = folder / f"aid-{k:02d}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        paths.append(path)
    return paths, absorbed


# --- the children: one measurement each, on a fresh database --------------------------------


def _cluster():
    from klaster.core.models import Cluster

    return Cluster.objects.create(slug=f"bench-aid-{os.getpid()}", name="Benchmark de minimis")


def child_load(undertakings: int, grants: int, checks: int, folder: str) -> dict:
    """(a) the import of the ten files, timed; then (b) on the register it made."""
    _django()
    from klaster.aid.dataset import register_import
    from klaster.rules.aid.load import load_path

    paths = sorted(Path(folder).glob("aid-*.json"))
    absorbed = set(json.loads((Path(folder) / "absorbed.json").read_text()))
    cluster = _cluster()
    read = write = cpu = 0.0
    rows = 0
    for path in paths:
        c0 = time.process_time()
        t0 = time.perf_counter()
        aid_file = load_path(path)
        t1 = time.perf_counter()
        done = register_import(cluster=cluster, aid_file=aid_file, filename=path.name)
        t2 = time.perf_counter()
        cpu += time.process_time() - c0
        read += t1 - t0
        write += t2 - t1
        rows += done.grants
        del aid_file
    out = {"seconds": read + write, "read": read, "write": write, "rows": rows, "cpu": cpu}
    out.update(_checks(cluster, checks, absorbed))
    return out


def _checks(cluster, count: int, absorbed: set[str]) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from klaster.aid import engine
    from klaster.aid.models import Undertaking

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    rng = random.Random(SEED + 2)
    pool = [
        (pk, nip)
        for pk, nip in Undertaking.objects.filter(cluster=cluster).values_list("pk", "nip")
        if nip not in absorbed
    ]
    span = (CHECK_TO - CHECK_FROM).days
    cases = [
        (*pool[rng.randrange(len(pool))], CHECK_FROM + dt.timedelta(days=rng.randrange(span + 1)))
        for _ in range(count)
    ]
    sql = (
        "SELECT SUM(amount_eur) FROM aid_grant WHERE undertaking_id = %s "
        "AND granted_on BETWEEN %s AND %s"
    )
    for _pk, nip, day in cases[:5]:  # warm up the connection and the caches
        engine.verdict(cluster.pk, nip, day)
    verdict_ms, sum_ms, allowed, members = [], [], 0, []
    with connection.cursor() as cur:
        for pk, nip, day in cases:
            t0 = time.perf_counter()
            v = engine.verdict(cluster.pk, nip, day)
            t1 = time.perf_counter()
            cur.execute(
                sql,
                [
                    pk,
                    day.replace(year=day.year - 3)
                    if (day.month, day.day) != (2, 29)
                    else dt.date(day.year - 3, 2, 28),
                    day,
                ],
            )
            cur.fetchone()
            t2 = time.perf_counter()
            verdict_ms.append((t1 - t0) * 1000)
            sum_ms.append((t2 - t1) * 1000)
            allowed += v.allowed
            members.append(len(v.single.members))
    queries = []
    for _pk, nip, day in cases:
        with CaptureQueriesContext(connection) as ctx:
            engine.verdict(cluster.pk, nip, day)
        queries.append(len(ctx.captured_queries))
    # where a check's time goes: each query's shape (IN lists folded), its time summed
    shapes: dict[str, float] = {}

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = re.sub(r"(%s, )+%s", "%s…", sql)
            shapes[shape] = shapes.get(shape, 0.0) + (time.perf_counter() - t0) * 1000

    t0 = time.perf_counter()
    with connection.execute_wrapper(timed):
        for _pk, nip, day in cases:
            engine.verdict(cluster.pk, nip, day)
    total = (time.perf_counter() - t0) * 1000
    return {
        "shapes": sorted(((ms / len(cases), q) for q, ms in shapes.items()), reverse=True)[:8],
        "python_ms": (total - sum(shapes.values())) / len(cases),
        "verdict_ms": verdict_ms,
        "sum_ms": sum_ms,
        "queries": queries,
        "allowed": allowed,
        "members": members,
    }


def child_bare(undertakings: int, grants: int, checks: int, folder: str) -> dict:
    """(a)'s limit: the same undertaking and grant rows, already plain tuples, through the bulk
    path the import writes with, one transaction, nothing else."""
    _django()
    from django.db import transaction

    from klaster.aid.models import Grant, Undertaking
    from klaster.core.bulk import insert_rows

    paths = sorted(Path(folder).glob("aid-*.json"))
    cluster = _cluster()
    u_rows, g_rows = [], []
    for path in paths:
        data = json.loads(path.read_text())
        u_rows += [(cluster.pk, u["nip"], u["name"]) for u in data["undertakings"]]
        g_rows += [
            (
                g["id"],
                g["undertaking"],
                g["body"],
                g["regulation"],
                dt.date.fromisoformat(g["date"]),
                Decimal(g["pln"]) if "pln" in g else None,
                Decimal(g["eur"]) if "eur" in g else None,
            )
            for g in data["grants"]
        ]
    seconds = cpu = 0.0
    with transaction.atomic():
        c0, t0 = time.process_time(), time.perf_counter()
        insert_rows(Undertaking, ("cluster_id", "nip", "name"), u_rows)
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
        ids = dict(Undertaking.objects.filter(cluster=cluster).values_list("nip", "pk"))
        rows = [
            (cluster.pk, ids[nip], "import", ref, body, reg, day, pln, eur)
            for ref, nip, body, reg, day, pln, eur in g_rows
        ]
        c0, t0 = time.process_time(), time.perf_counter()
        insert_rows(
            Grant,
            (
                "cluster_id",
                "undertaking_id",
                "source",
                "ref",
                "body_name",
                "regulation",
                "granted_on",
                "amount_pln",
                "amount_eur",
            ),
            rows,
        )
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
    return {"seconds": seconds, "rows": len(rows), "cpu": cpu}


CHILDREN = {"load": child_load, "bare": child_bare}


# --- the parent ------------------------------------------------------------------------------


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    return (
        f"median {statistics.median(values):.{digits}f}{unit}, spread {min(values):.{digits}f}–"
        f"{max(values):.{digits}f}"
    )


def child(args: list[str], env: dict[str, str]) -> tuple[dict, float]:
    """The child's JSON and its peak memory (MB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=ROOT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status):
            sys.stderr.write(err.read())
            raise SystemExit(f"command failed: {' '.join(args)}")
        lines = out.read().strip().splitlines()
        return json.loads(lines[-1]), usage.ru_maxrss / 1024


class Databases:
    """A fresh, migrated database for every child (as benchmarks/bench_money.py)."""

    def __init__(self, tmp: Path, env: dict[str, str], pg_url: str | None) -> None:
        self.tmp, self.env, self.pg = tmp, env, pg_url
        if pg_url:
            base = pg_url.rsplit("/", 1)[0]
            self.admin, self.url, self.template = (
                base + "/postgres",
                base + "/" + PG_NAME,
                PG_NAME + "_tpl",
            )
            self._sql(
                f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'DROP DATABASE IF EXISTS "{self.template}"'
            )
            self._sql(f'CREATE DATABASE "{self.template}"')
            target = base + "/" + self.template
        else:
            self.file = tmp / "template.sqlite3"
            target = f"sqlite:///{self.file}"
        subprocess.run(
            [*KLASTER, "migrate"],
            env={**env, "DATABASE_URL": target},
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    @property
    def engine(self) -> str:
        return "PostgreSQL" if self.pg else "SQLite"

    def _sql(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def fresh(self, name: str) -> dict[str, str]:
        if self.pg:
            self._sql(
                f'DROP DATABASE IF EXISTS "{PG_NAME}"',
                f'CREATE DATABASE "{PG_NAME}" TEMPLATE "{self.template}"',
            )
            return {**self.env, "DATABASE_URL": self.url}
        for old in self.tmp.glob("run-*.sqlite3*"):
            old.unlink()  # one run's database at a time on disk
        path = self.tmp / f"{name}.sqlite3"
        shutil.copyfile(self.file, path)
        return {**self.env, "DATABASE_URL": f"sqlite:///{path}"}

    def close(self) -> None:
        if self.pg:
            self._sql(
                f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'DROP DATABASE IF EXISTS "{self.template}"'
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--undertakings", type=int, default=100_000)
    parser.add_argument("--grants", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL (DATABASE_URL's, or local)")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        out = CHILDREN[args.child](args.undertakings, args.grants, args.checks, args.folder)
        print(json.dumps(out))
        return 0

    url = os.environ.get("DATABASE_URL", "")
    pg_url = url if url.startswith("postgres") else (PG_DEFAULT if args.pg else None)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="klaster-bench-aid-") as tmpdir:
        tmp = Path(tmpdir)
        env["KLASTER_VAR_DIR"] = str(tmp)
        files = tmp / "files"
        files.mkdir()
        t0 = time.perf_counter()
        paths, absorbed = write_files(files, args.undertakings, args.grants)
        (files / "absorbed.json").write_text(json.dumps(absorbed))
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"(the ten files written in {time.perf_counter() - t0:.1f} s, {size:.0f} MB; "
            f"{len(absorbed)} undertakings absorbed in mergers)"
        )
        dbs = Databases(tmp, env, pg_url)
        sizes = [
            "--undertakings", str(args.undertakings), "--grants", str(args.grants),
            "--checks", str(args.checks), "--folder", str(files),
        ]  # fmt: skip
        load, bare, peaks, outs, bare_cpu = [], [], [], [], []
        try:
            for i in range(args.runs):
                order = ("load", "bare") if i % 2 == 0 else ("bare", "load")
                for what in order:
                    out, peak = child([*ME, "--child", what, *sizes], dbs.fresh(f"run-{what}-{i}"))
                    if what == "load":
                        load.append(out["seconds"])
                        peaks.append(peak)
                        outs.append(out)
                    else:
                        bare.append(out["seconds"])
                        bare_cpu.append(out["cpu"])
        finally:
            dbs.close()
    rows = outs[0]["rows"]
    verdict = "within" if statistics.median(load) <= LOAD_GOAL else "OVER"
    print(
        f"(a) loading {rows:,} grants for {args.undertakings:,} undertakings from {PARTS} "
        f"klaster-aid/1 files, {dbs.engine} ({args.runs} runs) — goal ≤ {LOAD_GOAL:g} s"
    )
    print(f"  {'load_path + register_import':<44} {spread(load)} — {verdict} the goal")
    print(f"  {'  of which reading and validating':<44} {spread([o['read'] for o in outs])}")
    print(f"  {'  of which checking and writing':<44} {spread([o['write'] for o in outs])}")
    print(
        f"  {'  its CPU time in the child (SQLite: all of it)':<44} {spread([o['cpu'] for o in outs])}"
    )
    print(f"  {'limit: bare insert_rows of the same rows':<44} {spread(bare)}")
    print(f"  {'  its CPU time in the child':<44} {spread(bare_cpu)}")
    print(
        f"  {'ratio to the bare insert':<44} {spread([a / b for a, b in zip(load, bare, strict=True)], '×')}"
    )
    print(f"  {'peak memory of the child':<44} {spread(peaks, ' MB', 0)}")
    _summary.record(
        f"aid register load, {rows} grants, {dbs.engine} (s)", load, goal=LOAD_GOAL, unit=" s"
    )

    per_run = [statistics.median(o["verdict_ms"]) for o in outs]
    all_v = [x for o in outs for x in o["verdict_ms"]]
    all_s = [x for o in outs for x in o["sum_ms"]]
    queries = [q for o in outs for q in o["queries"]]
    members = [m for o in outs for m in o["members"]]
    verdict = "within" if statistics.median(all_v) <= CHECK_GOAL_MS else "OVER"
    print(
        f"(b) headroom, {args.checks} random undertakings × days per run on that register, "
        f"{dbs.engine} — goal median ≤ {CHECK_GOAL_MS:g} ms per check"
    )
    p95 = sorted(all_v)[int(len(all_v) * 0.95) - 1]
    print(
        f"  {'engine.verdict per check':<44} {spread(all_v, ' ms')}, p95 {p95:.2f} ms — {verdict} the goal"
    )
    print(f"  {'limit: one indexed SQL sum per check':<44} {spread(all_s, ' ms', 3)}")
    print(
        f"  {'queries per check (min / median / max)':<44} {min(queries)} / {statistics.median(queries):g} / {max(queries)}"
    )
    print(
        f"  {'members of the single undertaking':<44} {min(members)}–{max(members)}, allowed {sum(o['allowed'] for o in outs)} of {len(all_v)}"
    )
    python_ms = statistics.mean(o["python_ms"] for o in outs)
    print(
        f"  {'outside cursor.execute (mean per check)':<44} {python_ms:.2f} ms — Python, and the "
        "fetching of rows, where SQLite runs most of a scan"
    )
    print("  the queries' cursor.execute, mean ms per check (first run):")
    for ms, shape in outs[0]["shapes"]:
        print(f"    {ms:8.2f}  {shape[:400]}")
    _summary.record(
        f"aid headroom per check, {dbs.engine} (ms)", per_run, goal=CHECK_GOAL_MS, unit=" ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
