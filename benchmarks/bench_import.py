"""Issue 8: `klaster import` of a 10,000-member file beside a bare insert of the same rows,
measured in the same run. Goal: the import at most 3× the bare insert.

    .venv/bin/python benchmarks/bench_import.py [--members 10000] [--runs 5] [--index-share]
    .venv/bin/python benchmarks/run.py --only import          (the same, 3 runs)

SQLite in a temporary folder, or the database DATABASE_URL names (PostgreSQL).

Each figure is the wall time of one child process, from its start to its exit:

- the import: `python -m klaster.cli import FILE`, the command a coordinator runs (the CLI,
  Django, reading and checking the file, geocoding, statuses, the rows, the audit record, the
  import lock, one transaction);
- the bare insert (the goal's yardstick): `python benchmarks/bench_import.py --bare ROWS` —
  Python and Django started, the rows unpickled, and in one `transaction.atomic()` every row the
  import writes, table by table, with `Model.objects.bulk_create(objs)` (Django's default batch
  size), foreign keys pointed at the new rows' ids and the one reference that goes round (the
  cluster's coordinator, a member) set with one UPDATE. Nothing else: no validation, no
  geocoding, no signals, no audit call (the audit rows the import wrote go in as rows too);
- for reference, the database's floor: `--bare ROWS --raw`, the same but each table's rows as
  plain tuples through one prepared INSERT (`executemany`, SQLite) or `COPY … FROM STDIN`
  (PostgreSQL), the new ids read back; no model instance, no SQL compiled per row.

"The rows the import writes" are read, before the timed runs, from a database the same file was
imported into (the import rolled back afterwards): every row that the import added to any table,
the m2m link tables included — the cluster, its strategies, members, membership events, fiscal
years, ISO certificates, the KKK records and their member links, the organs the governance app
creates for a new cluster, the audit rows. So the yardsticks write the same rows with the same
values into the same schema (indexes included); only the cluster's slug gets a suffix (on
PostgreSQL the import's cluster is in the same table).

Each run writes into freshly migrated databases (SQLite: copies of one migrated file;
PostgreSQL: the same database, the yardsticks' clusters deleted after each run, and each run's
imported cluster but the last). The three alternate which goes first. Ratios are taken within
each run; the medians over the runs are printed with their spread (min–max) and every run's
figure. Peak memory is the child's maximum resident set size.

--index-share also measures, in one process, `cluster_import` and the bulk_create yardstick with
and without `member_list_idx` (the member list's covering index, members 0005), each in a
transaction rolled back (on PostgreSQL the DROP INDEX locks the members table until then), and
prints the index's share of each.
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import shutil
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
ME = [sys.executable, str(Path(__file__).resolve())]
GOAL = 3.0
TABLE_SECONDS: dict[str, float] = {}  # the last bare insert's time per table
MEDIANS: dict[str, float] = {}  # the last measure()'s medians


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
    import django

    django.setup()


# --- the children ----------------------------------------------------------------------------


def _table_models() -> list:
    from django.apps import apps

    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if not m._meta.proxy and m._meta.managed
    ]


def dump_rows(data: str, out: str) -> None:
    """Import `data` as `klaster import` does, keep every row it added, roll back."""
    _django()
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max

    models = [
        m
        for m in _table_models()
        if m._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
    ]
    before = {m._meta.label: m.objects.aggregate(x=Max("pk"))["x"] or 0 for m in models}
    rows: dict[str, list[dict]] = {}
    with transaction.atomic():
        call_command("import_dataset", data, stdout=io.StringIO())
        for m in models:
            attnames = [f.attname for f in m._meta.concrete_fields]
            found = list(
                m.objects.filter(pk__gt=before[m._meta.label]).order_by("pk").values(*attnames)
            )
            if found:
                rows[m._meta.label] = found
        transaction.set_rollback(True)
    with open(out, "wb") as fh:
        pickle.dump(rows, fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(" ".join(f"{label}={len(r)}" for label, r in rows.items()))


def bare_insert(path: str, *, raw: bool = False) -> None:
    """The yardstick: the same rows, bulk_create, one transaction, nothing else. With `raw`, the
    database's floor instead: each table's rows as tuples through one prepared INSERT
    (executemany, SQLite) or COPY FROM STDIN (PostgreSQL), their new ids read back."""
    _django()
    from django.apps import apps
    from django.db import transaction
    from django.db.models import Max

    with open(path, "rb") as fh:
        rows: dict[str, list[dict]] = pickle.load(fh)  # noqa: S301 — written by dump_rows in this run
    models = {label: apps.get_model(label) for label in rows}
    # parents before children; a nullable reference to a table not yet written is set afterwards
    order: list[str] = []
    pending = set(models)
    while pending:
        ready = sorted(
            label
            for label in pending
            if all(
                f.related_model._meta.label not in pending or f.null
                for f in models[label]._meta.concrete_fields
                if f.is_relation
            )
        )
        if not ready:
            raise SystemExit(f"no order for {sorted(pending)}")
        order.extend(ready)
        pending -= set(ready)
    new_ids: dict[str, dict[int, int]] = {}
    later: list[tuple] = []
    with transaction.atomic():
        for label in order:
            model = models[label]
            pk = model._meta.pk.attname
            fks = [
                (f.attname, f.related_model._meta.label)
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model._meta.label in models
            ]
            olds, values, unset = [], [], []
            for row in rows[label]:
                row = dict(row)
                olds.append(row.pop(pk))
                for attname, target in fks:
                    if row[attname] is not None:
                        if target in new_ids:
                            row[attname] = new_ids[target][row[attname]]
                        else:  # a table written later (the cluster's coordinator)
                            unset.append((len(values), attname, target, row[attname]))
                            row[attname] = None
                if label == "core.Cluster":  # a slug of its own: the import's cluster may be there
                    row["slug"] = f"{row['slug'][:40]}-bare-{os.getpid()}"
                values.append(row)
            start = time.perf_counter()
            if raw:
                before = model.objects.aggregate(x=Max("pk"))["x"] or 0
                _raw_insert(model, values)
                ids = list(
                    model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
                )
            else:
                objs = [model(**row) for row in values]
                model.objects.bulk_create(objs)
                ids = [obj.pk for obj in objs]
            TABLE_SECONDS[label] = time.perf_counter() - start
            new_ids[label] = dict(zip(olds, ids, strict=True))
            later.extend(
                (model, ids[index], attname, target, old) for index, attname, target, old in unset
            )
        for model, pk, attname, target, old in later:
            model.objects.filter(pk=pk).update(**{attname: new_ids[target][old]})
    print(next(iter(new_ids.get("core.Cluster", {}).values()), ""))


def _raw_insert(model, rows: list[dict]) -> None:
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # what the driver cannot take as it is (JSON, aware datetimes) in the form Django gives it
    convert = [
        i
        for i, f in enumerate(fields)
        if f.get_internal_type() in ("JSONField", "DateTimeField", "UUIDField", "TimeField")
    ]
    tuples = []
    for row in rows:
        values = [row[f.attname] for f in fields]
        for i in convert:
            if values[i] is not None:
                values[i] = fields[i].get_db_prep_save(values[i], connection)
        tuples.append(values)
    qn = connection.ops.quote_name
    table, names = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for values in tuples:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuples)


def delete_clusters(ids: list[str]) -> None:
    _django()
    from django.db import transaction

    from klaster.core.models import Cluster

    with transaction.atomic():
        clusters = Cluster.objects.filter(pk__in=[int(i) for i in ids])
        clusters.update(coordinator=None)  # it protects its member from the cascade
        clusters.delete()


def index_share(data: str, rows_path: str, runs: int, process_seconds: float) -> None:
    """cluster_import and the bulk_create yardstick, in process, with and without
    member_list_idx; the members table's insert timed apart, where the index costs."""
    import contextlib
    import io

    _django()
    from django.db import connection, transaction

    from klaster.exchange import dataset_io
    from klaster.members.models import Member
    from klaster.rules.dataset.load import load_path

    insert_rows = dataset_io.insert_rows
    members_seconds: list[float] = []

    def timed(model, *args, **kwargs):  # the members' insert inside cluster_import
        start = time.perf_counter()
        try:
            return insert_rows(model, *args, **kwargs)
        finally:
            if model is Member:
                members_seconds.append(time.perf_counter() - start)

    dataset_io.insert_rows = timed
    ds = load_path(data)
    times: dict[tuple[str, bool], list[float]] = {}
    members: dict[tuple[str, bool], list[float]] = {}
    for i in range(runs):
        for with_index in (True, False) if i % 2 == 0 else (False, True):
            for what in ("import", "bare"):
                members_seconds.clear()
                TABLE_SECONDS.clear()
                with transaction.atomic():
                    if not with_index:
                        with connection.cursor() as cursor:
                            cursor.execute("DROP INDEX member_list_idx")
                    start = time.perf_counter()
                    if what == "import":
                        dataset_io.cluster_import(ds, source="cli")
                    else:
                        with contextlib.redirect_stdout(io.StringIO()):
                            bare_insert(rows_path)  # its transaction a savepoint in this one
                    times.setdefault((what, with_index), []).append(time.perf_counter() - start)
                    transaction.set_rollback(True)
                took = sum(members_seconds) if what == "import" else TABLE_SECONDS["members.Member"]
                members.setdefault((what, with_index), []).append(took)
    print(
        f"  member_list_idx (members 0005), {connection.vendor}: in one process, {runs} runs each "
        "way, each in a transaction rolled back"
    )
    for what, label in (("import", "cluster_import"), ("bare", "bare insert (bulk_create)")):
        ms = {k: [v * 1000 for v in members[(what, k)]] for k in (True, False)}
        cost = statistics.median(ms[True]) - statistics.median(ms[False])
        whole = statistics.median(times[(what, True)])
        print(f"    {label + ', whole':<40} with the index  {spread(times[(what, True)])}")
        print(f"    {'':<40} without it      {spread(times[(what, False)])}")
        print(
            f"    {label + ', the members table':<40} with the index  {spread(ms[True], ' ms', 0)}"
        )
        print(f"    {'':<40} without it      {spread(ms[False], ' ms', 0)}")
        share = f"{cost / 10 / whole:.0f} % of {label}"
        if what == "import" and process_seconds:
            share += f", {cost / 10 / process_seconds:.0f} % of the `klaster import` process"
        print(f"    {'':<40} the index: {cost:.0f} ms (difference of the medians), {share}")


# --- the parent ------------------------------------------------------------------------------


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    return (
        f"median {statistics.median(values):.{digits}f}{unit}, spread {min(values):.{digits}f}–"
        f"{max(values):.{digits}f} (runs: {', '.join(f'{v:.{digits}f}' for v in values)})"
    )


def child(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall time (s), peak memory (MB) and output of one child process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env, cwd=ROOT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            sys.stderr.write(err.read())
            raise SystemExit(f"command failed: {' '.join(args)}")
        return elapsed, usage.ru_maxrss / 1024, out.read()


def measure(
    tmp: Path, env: dict[str, str], data: Path, runs: int, *, keep_last: bool = True
) -> str:
    """Print the figures; return the slug of the last run's imported cluster (its database in
    env["BENCH_DB"]), kept unless keep_last is false."""
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    template = tmp / "template.sqlite3"
    child(
        [*KLASTER, "migrate"], env if postgres else {**env, "DATABASE_URL": f"sqlite:///{template}"}
    )

    def fresh(name: str) -> dict[str, str]:
        if postgres:
            return env
        path = tmp / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, path)
        return {**env, "DATABASE_URL": f"sqlite:///{path}"}

    rows = tmp / "rows.pickle"
    counts = child([*ME, "--dump", str(data), str(rows)], fresh("dump"))[2].split()
    commands = {
        "import": [*KLASTER, "import", str(data)],
        "bare": [*ME, "--bare", str(rows)],
        "raw": [*ME, "--bare", str(rows), "--raw"],
    }
    times: dict[str, list[float]] = {what: [] for what in commands}
    peaks: dict[str, list[float]] = {what: [] for what in commands}
    slug = ""
    order = list(commands)
    for i in range(runs):
        made = []
        for what in order[i % 3 :] + order[: i % 3]:
            db = fresh(f"{what}-{i}")
            elapsed, peak, out = child(commands[what], db)
            times[what].append(elapsed)
            peaks[what].append(peak)
            if what == "import":
                slug = out.strip().splitlines()[-1]
                env["BENCH_DB"] = db["DATABASE_URL"]
            else:
                made.append(out.strip())
        if postgres:
            if i < runs - 1 or not keep_last:
                made.append(child([sys.executable, "-c", _CLUSTER_ID, slug], env)[2].strip())
            child([*ME, "--delete", *made], env)
    engine = "PostgreSQL" if postgres else "SQLite"
    MEDIANS.update({what: statistics.median(values) for what, values in times.items()})
    members = next((c.split("=")[1] for c in counts if c.startswith("members.Member=")), "?")
    ratio = [a / b for a, b in zip(times["import"], times["bare"], strict=True)]
    floor = [a / b for a, b in zip(times["import"], times["raw"], strict=True)]
    verdict = "within" if statistics.median(ratio) <= GOAL else "OVER"
    print(
        f"klaster import, {members} members, {engine} — goal ≤ {GOAL:g}× a bare insert of the same "
        f"rows measured in the same run ({runs} runs)"
    )
    print(f"  rows written: {' '.join(counts)}")
    print(f"  klaster import (process)             {spread(times['import'])} (target ≤ 15 s)")
    print(f"  bare insert, bulk_create (process)   {spread(times['bare'])}")
    print(
        f"  ratio import / bare insert           {spread(ratio, '×')} — {verdict} the goal ≤ {GOAL:g}×"
    )
    print(f"  for reference, executemany/COPY      {spread(times['raw'])}")
    print(f"  ratio import / executemany/COPY      {spread(floor, '×')}")
    _summary.record(f"klaster import, {members} members, {engine} / bare insert", ratio, goal=GOAL)
    print(
        f"  peak memory, import                  {spread(peaks['import'], ' MB', 0)} (target ≤ 500 MB)"
    )
    return slug


_CLUSTER_ID = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "klaster.settings"
django.setup()
from klaster.core.models import Cluster
print(Cluster.objects.get(slug=sys.argv[1]).pk)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", help="a dataset file (default: `klaster demo-data --members N`)")
    parser.add_argument(
        "--index-share", action="store_true", help="also the covering index's share"
    )
    parser.add_argument("--dump", nargs=2, metavar=("DATA", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--bare", metavar="ROWS", help=argparse.SUPPRESS)
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--delete", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument(
        "--share", nargs=4, metavar=("DATA", "ROWS", "RUNS", "SECONDS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.dump:
        dump_rows(*args.dump)
    elif args.bare:
        bare_insert(args.bare, raw=args.raw)
    elif args.delete is not None:
        delete_clusters(args.delete)
    elif args.share:
        index_share(args.share[0], args.share[1], int(args.share[2]), float(args.share[3]))
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with tempfile.TemporaryDirectory(prefix="klaster-bench-import-") as tmpdir:
            tmp = Path(tmpdir)
            env["KLASTER_VAR_DIR"] = str(tmp)
            data = Path(args.data) if args.data else tmp / "big.json"
            if not args.data:
                child(
                    [*KLASTER, "demo-data", "--members", str(args.members), "--out", str(data)], env
                )
            measure(tmp, env, data, args.runs, keep_last=False)
            if args.index_share:
                share(tmp, env, data, args.runs)
    return 0


def share(tmp: Path, env: dict[str, str], data: Path, runs: int) -> None:
    """The covering index's share, on the database of the runs (SQLite: the migrated copy the
    rows were read from, empty again)."""
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    db = env if postgres else {**env, "DATABASE_URL": f"sqlite:///{tmp}/dump.sqlite3"}
    seconds = str(MEDIANS.get("import", 0))
    args = [*ME, "--share", str(data), str(tmp / "rows.pickle"), str(max(3, runs)), seconds]
    sys.stdout.write(child(args, db)[2])


if __name__ == "__main__":
    raise SystemExit(main())
