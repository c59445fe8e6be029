"""Issue 10: the money app at scale, each figure beside its limit measured in the same run.

    .venv/bin/python benchmarks/bench_money.py [--members 10000] [--months 12] [--lines 50000]
        [--runs 3] [--only dues,match] [--pg]
    .venv/bin/python benchmarks/run.py --only money          (the same, 3 runs)

(a) the dues run: `services.dues_run` for `--members` members billed monthly for `--months`
    months (10,000 × 12 = 120,000 documents) — goal ≤ 30 s; beside it, the limit: a bare bulk
    insert of as many rows — the same Document rows (computed before the clock starts), written
    as plain tuples through the bulk path the dues run itself writes with
    (klaster.core.bulk.insert_rows: executemany on SQLite, COPY on PostgreSQL), nothing else.
(b) matching a statement: `services.import_statement` of an MT940 file in PKO BP's dialect
    (built in memory beforehand) with `--lines` entries — 60 % naming an open document's number,
    20 % the member's reference (its key), 10 % coming from a payer's account the member has on
    file (PayerAccount rows), 10 % unknown — against a cluster of `--members` members billed for
    `--match-months` months (all open) — goal ≤ 30 s; beside it, the limit: a bare bulk insert of
    as many BankEntry rows (the same entries, already parsed) through the same bulk path.

Each figure is the wall time, inside one child process, of the call alone (the cluster, its
members and the input made before the clock starts); every child starts from a freshly migrated
database — SQLite: a copy of one migrated file in a temporary folder; PostgreSQL (DATABASE_URL
naming one, or --pg): the database klaster_bench_money on that server, created from a migrated
template (klaster_bench_money_tpl) before each child and dropped at the end. The work and its
limit alternate which goes first. Ratios are taken within each run; medians, spreads (min–max)
and every run's figure are printed. Peak memory: the child's maximum resident set size.

The members are made fast: `bulk_create` of Member rows and one "admitted" MembershipEvent each
(joined the year before billing starts), a mix of enterprise sizes and other partners.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
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
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/klaster_bench_money"
PG_NAME = "klaster_bench_money"
GOAL_SECONDS = 30.0
BATCH = 2000  # services.dues_run's and services._store_entries' bulk_create batch size
YEAR = 2026
ACCOUNT = "PL61109010140000071219812874"
TYPES = ("micro", "small", "medium", "large", "iob", "science", "other")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
    import django

    django.setup()


# --- the children: one measurement each, on a fresh database --------------------------------


def _cluster(members: int, months: int, *, money: bool = True):
    """A cluster with `members` members (bulk_create), its money settings and evoluma's tariff
    from 1 January (billing from then, `months` months up to `through`)."""
    from klaster.core.models import Cluster
    from klaster.members.models import Member, MembershipEvent
    from klaster.money import services
    from klaster.rules import money as rules

    start = dt.date(YEAR, 1, 1)
    cluster = Cluster.objects.create(slug=f"bench-money-{os.getpid()}", name="Benchmark składek")
    joined = dt.date(YEAR - 1, 3, 1)
    rows = [
        Member(
            cluster=cluster,
            key=f"bm{i:05d}",
            name=f"Członek {i:05d} sp. z o.o.",
            type=TYPES[i % len(TYPES)],
            category="strategic_partner" if i % 50 == 0 else "partner",
            status="active",
            joined=joined,
        )
        for i in range(1, members + 1)
    ]
    Member.objects.bulk_create(rows, batch_size=BATCH)
    MembershipEvent.objects.bulk_create(
        [MembershipEvent(member=m, kind="admitted", date=joined) for m in rows], batch_size=BATCH
    )
    if money:
        tariff = rules.evoluma_tariff(
            start,
            iob=Decimal("180"),
            science=Decimal("180"),
            other=Decimal("180"),
            strategic_partner=Decimal("1200"),
        )
        services.money_setup(
            cluster=cluster,
            billing_start=start,
            payment_term_days=14,
            sub_account_iban=ACCOUNT,
            tariff=tariff,
            accounts=(ACCOUNT,),
        )
    through = dt.date(YEAR + (months - 1) // 12, (months - 1) % 12 + 1, 1)
    return cluster, rows, through


def child_dues(members: int, months: int) -> dict:
    """(a) the dues run, timed."""
    _django()
    from klaster.money import services

    cluster, _rows, through = _cluster(members, months)
    start = time.perf_counter()
    run = services.dues_run(cluster=cluster, through=through)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": run.count}


def _dues_rows(cluster, through: dt.date) -> list:
    """The column values `dues_run` would write, computed as it does (not timed, not written)."""
    from klaster.money import selectors
    from klaster.money import services as s
    from klaster.rules import money as rules

    settings, tariffs, (fee_row, fee) = s._setup_for_run(cluster, through)
    rows, seq = [], {}
    for mid, member in selectors.member_dues_facts(cluster).items():
        for d in rules.dues_documents(
            member,
            tariffs,
            fee,
            start=settings.billing_start,
            through=through,
            payment_term_days=settings.payment_term_days,
        ):
            series = rules.SERIES[d.kind]
            key = (series, d.issued.year)
            seq[key] = seq.get(key, 0) + 1
            rows.append(
                s._document_values(cluster.pk, fee_row.pk, mid, d, series, key[1], seq[key], None)
            )
    return rows


def child_dues_bare(members: int, months: int) -> dict:
    """(a)'s limit: as many Document rows, already as plain tuples, through the same bulk path
    the dues run writes with (klaster.core.bulk.insert_rows), one transaction, nothing else."""
    _django()
    from django.db import transaction

    from klaster.core.bulk import insert_rows
    from klaster.money.models import Document
    from klaster.money.services import DOCUMENT_COLUMNS

    cluster, _rows, through = _cluster(members, months)
    rows = _dues_rows(cluster, through)
    start = time.perf_counter()
    with transaction.atomic():
        insert_rows(Document, DOCUMENT_COLUMNS, rows)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(rows)}


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _iban(n: int) -> str:
    bban = f"10201026{n:016d}"
    return f"PL{98 - int(bban + '252100') % 97:02d}{bban}"


def statement_bytes(lines: list[tuple[Decimal, str, str, str]], day: dt.date) -> bytes:
    """A PKO BP statement (MT940, `~NN` sub-fields, CP852): (amount, title, name, IBAN)."""
    d = day.strftime("%y%m%d")
    total = sum((a for a, *_ in lines), Decimal("0.00"))
    out = [":20:MT940", f":25:/{ACCOUNT}", f":28C:{day:%m}/{day:%Y}/M", f":60F:C{d}PLN0,00"]
    for i, (amount, title, name, iban) in enumerate(lines, 1):
        out.append(f":61:{d}{d[2:]}CN{_amount(amount)}S020NONREF//{d}{i:06d}")
        out.append(f":86:020~00VE02~20{title[:35]}~21{title[35:70]}~27{name[:35]}~38{iban}")
    out.append(f":62F:C{d}PLN{_amount(total)}")
    out.append("-")
    return ("\r\n".join(out) + "\r\n").encode("cp852")


def _statement_for(cluster, members: list, count: int, day: dt.date) -> bytes:
    """`count` lines: 60 % a document number, 20 % the member's key, 10 % a payer's account on
    file (PayerAccount rows made here), 10 % unknown. Amounts: the document's, the member's
    monthly gross; unknown ones odd amounts from unknown accounts."""
    from klaster.money.models import Document, PayerAccount

    rng = random.Random(10)
    docs = list(
        Document.objects.filter(cluster=cluster)
        .order_by("due", "number")
        .values_list("number", "member_id", "gross")
    )
    gross = {mid: g for _n, mid, g in docs}
    by_id = {m.pk: m for m in members}
    n_doc, n_ref, n_iban = count * 6 // 10, count * 2 // 10, count // 10
    n_unknown = count - n_doc - n_ref - n_iban
    payers = members[: max(1, min(len(members), n_iban))]
    PayerAccount.objects.bulk_create(
        [PayerAccount(member=m, account=_iban(m.pk)[2:]) for m in payers], batch_size=BATCH
    )
    lines: list[tuple[Decimal, str, str, str]] = []
    for i in range(n_doc):
        number, mid, g = docs[i % len(docs)]
        lines.append((g, f"Składka członkowska {number}", by_id[mid].name, _iban(10**9 + i)))
    for _ in range(n_ref):
        m = members[rng.randrange(len(members))]
        lines.append((gross.get(m.pk, Decimal("100.00")), f"Składka {m.key}", m.name, ""))
    for i in range(n_iban):
        m = payers[i % len(payers)]
        lines.append((gross.get(m.pk, Decimal("100.00")), "Przelew", m.name, _iban(m.pk)))
    for i in range(n_unknown):
        odd = Decimal(rng.randrange(100, 9999) * 10 + 3) / 100  # ends in 3 grosze: no dues
        lines.append((odd, "Zwrot kosztów", "Firma spoza klastra", _iban(2 * 10**9 + i)))
    rng.shuffle(lines)
    return statement_bytes(lines, day)


def child_match(members: int, months: int, lines: int) -> dict:
    """(b) import_statement, timed; the cluster billed for `months` months beforehand."""
    _django()
    from klaster.money import services
    from klaster.money.models import BankEntry

    cluster, rows, through = _cluster(members, months)
    services.dues_run(cluster=cluster, through=through)
    data = _statement_for(cluster, rows, lines, through + dt.timedelta(days=20))
    start = time.perf_counter()
    done = services.import_statement(cluster=cluster, data=data)
    seconds = time.perf_counter() - start
    states = {
        s: BankEntry.objects.filter(statement=done.statement, state=s).count()
        for s in BankEntry.State.values
    }
    return {
        "seconds": seconds,
        "rows": done.statement.lines,
        "bytes": len(data),
        "states": {k: v for k, v in states.items() if v},
    }


def child_match_bare(members: int, months: int, lines: int) -> dict:
    """(b)'s limit: as many BankEntry rows (the same entries, parsed beforehand, as plain
    tuples) through the bulk path the import writes with, one transaction, nothing else."""
    _django()
    from django.db import transaction

    from klaster.core.bulk import insert_rows
    from klaster.money import services
    from klaster.money.models import BankEntry, Statement
    from klaster.money.services import ENTRY_COLUMNS
    from klaster.rules.money.bank.matching import entry_key
    from klaster.rules.money.bank.model import normalize_account

    cluster, rows, through = _cluster(members, months)
    services.dues_run(cluster=cluster, through=through)
    data = _statement_for(cluster, rows, lines, through + dt.timedelta(days=20))
    parsed = services.read_statement(data)
    statement = Statement.objects.create(
        cluster=cluster,
        account=normalize_account(parsed.account),
        opening=parsed.opening,
        closing=parsed.closing,
        format=parsed.format,
        sha256="0" * 64,
        lines=len(parsed.entries),
    )
    entries = [
        BankEntry(
            cluster=cluster,
            statement=statement,
            line=e.line,
            key="|".join(str(k) for k in entry_key(parsed.account, e)),
            booked=e.booking_date,
            amount=e.amount,
            currency=e.currency,
            title=e.title[:2000],
            counterparty_name=e.counterparty_name[:300],
            counterparty_iban=normalize_account(e.counterparty_iban)[:34],
            bank_reference=e.bank_reference[:100],
            state=BankEntry.State.MATCHED,
            candidates=[],
        )
        for e in parsed.entries
    ]
    values = [[getattr(e, c) for c in ENTRY_COLUMNS] for e in entries]
    start = time.perf_counter()
    with transaction.atomic():
        insert_rows(BankEntry, ENTRY_COLUMNS, values)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(entries)}


CHILDREN = {
    "dues": child_dues,
    "dues-bare": child_dues_bare,
    "match": child_match,
    "match-bare": child_match_bare,
}


# --- the parent ------------------------------------------------------------------------------


def spread(values: list[float], unit: str = " s", digits: int = 2) -> str:
    return (
        f"median {statistics.median(values):.{digits}f}{unit}, spread {min(values):.{digits}f}–"
        f"{max(values):.{digits}f} (runs: {', '.join(f'{v:.{digits}f}' for v in values)})"
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
    """A fresh, migrated database for every child: SQLite copies of a migrated file, or on
    PostgreSQL klaster_bench_money made again from a migrated template."""

    def __init__(self, tmp: Path, env: dict[str, str], pg_url: str | None) -> None:
        self.tmp, self.env, self.pg = tmp, env, pg_url
        if pg_url:
            self.admin = pg_url.rsplit("/", 1)[0] + "/postgres"
            self.url = pg_url.rsplit("/", 1)[0] + "/" + PG_NAME
            self.template = PG_NAME + "_tpl"
            self._sql(
                f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'DROP DATABASE IF EXISTS "{self.template}"'
            )
            self._sql(f'CREATE DATABASE "{self.template}"')
            tpl_url = pg_url.rsplit("/", 1)[0] + "/" + self.template
            subprocess.run(
                [*KLASTER, "migrate"],
                env={**env, "DATABASE_URL": tpl_url},
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            self.file = tmp / "template.sqlite3"
            subprocess.run(
                [*KLASTER, "migrate"],
                env={**env, "DATABASE_URL": f"sqlite:///{self.file}"},
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
        path = self.tmp / f"{name}.sqlite3"
        for old in self.tmp.glob("run-*.sqlite3*"):
            old.unlink()  # one run's database at a time on disk
        shutil.copyfile(self.file, path)
        return {**self.env, "DATABASE_URL": f"sqlite:///{path}"}

    def close(self) -> None:
        if self.pg:
            self._sql(
                f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'DROP DATABASE IF EXISTS "{self.template}"'
            )


def measure(
    dbs: Databases, runs: int, work: str, limit: str, args: list[str]
) -> tuple[dict[str, list[float]], dict[str, list[float]], list[dict]]:
    times: dict[str, list[float]] = {work: [], limit: []}
    peaks: dict[str, list[float]] = {work: [], limit: []}
    outs: list[dict] = []
    for i in range(runs):
        for what in (work, limit) if i % 2 == 0 else (limit, work):
            out, peak = child([*ME, "--child", what, *args], dbs.fresh(f"run-{what}-{i}"))
            times[what].append(out["seconds"])
            peaks[what].append(peak)
            if what == work:
                outs.append(out)
    return times, peaks, outs


def report(
    title: str,
    work_label: str,
    limit_label: str,
    times: dict[str, list[float]],
    peaks: dict[str, list[float]],
    work: str,
    limit: str,
    summary: str,
) -> None:
    ratio = [a / b for a, b in zip(times[work], times[limit], strict=True)]
    verdict = "within" if statistics.median(times[work]) <= GOAL_SECONDS else "OVER"
    print(title)
    print(f"  {work_label:<44} {spread(times[work])} — {verdict} the goal ≤ {GOAL_SECONDS:g} s")
    print(f"  {limit_label:<44} {spread(times[limit])}")
    print(f"  {'ratio to the bare insert':<44} {spread(ratio, '×')}")
    print(f"  {'peak memory of the child':<44} {spread(peaks[work], ' MB', 0)}")
    _summary.record(summary, times[work], goal=GOAL_SECONDS, unit=" s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=12, help="(a): months billed")
    parser.add_argument("--lines", type=int, default=50_000, help="(b): statement lines")
    parser.add_argument(
        "--match-months", type=int, default=3, help="(b): months billed (open) before the import"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="dues,match", help="comma-separated: dues, match")
    parser.add_argument(
        "--pg", action="store_true", help="PostgreSQL (DATABASE_URL's server, or the local one)"
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fn = CHILDREN[args.child]
        if args.child.startswith("dues"):
            out = fn(args.members, args.months)
        else:
            out = fn(args.members, args.match_months, args.lines)
        print(json.dumps(out))
        return 0

    url = os.environ.get("DATABASE_URL", "")
    pg_url = url if url.startswith("postgres") else (PG_DEFAULT if args.pg else None)
    only = set(args.only.split(","))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="klaster-bench-money-") as tmpdir:
        tmp = Path(tmpdir)
        env["KLASTER_VAR_DIR"] = str(tmp)
        dbs = Databases(tmp, env, pg_url)
        try:
            if "dues" in only:
                size = ["--members", str(args.members), "--months", str(args.months)]
                times, peaks, outs = measure(dbs, args.runs, "dues", "dues-bare", size)
                rows = outs[0]["rows"]
                report(
                    f"dues run, {args.members} members × {args.months} months = {rows} documents, "
                    f"{dbs.engine} — goal ≤ {GOAL_SECONDS:g} s; the limit: a bare bulk insert of "
                    f"as many rows, measured in the same run ({args.runs} runs)",
                    "services.dues_run",
                    f"bare insert, insert_rows({rows} Document)",
                    times,
                    peaks,
                    "dues",
                    "dues-bare",
                    f"dues run, {rows} documents, {dbs.engine} (s)",
                )
            if "match" in only:
                size = [
                    "--members",
                    str(args.members),
                    "--match-months",
                    str(args.match_months),
                    "--lines",
                    str(args.lines),
                ]
                times, peaks, outs = measure(dbs, args.runs, "match", "match-bare", size)
                out = outs[0]
                report(
                    f"bank statement import, {out['rows']} lines (60 % document number, 20 % "
                    f"reference, 10 % payer's account, 10 % unknown; MT940 PKO BP, "
                    f"{out['bytes'] / 1e6:.1f} MB), {args.members} members with "
                    f"{args.members * args.match_months} open documents, {dbs.engine} — goal ≤ "
                    f"{GOAL_SECONDS:g} s; the limit: a bare bulk insert of as many BankEntry rows, "
                    f"measured in the same run ({args.runs} runs)",
                    "services.import_statement",
                    f"bare insert, insert_rows({out['rows']} BankEntry)",
                    times,
                    peaks,
                    "match",
                    "match-bare",
                    f"bank import, {out['rows']} lines, {dbs.engine} (s)",
                )
                print(f"  entries by state (first run): {out['states']}")
        finally:
            dbs.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
