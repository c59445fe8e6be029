"""Issue 12: full-text search over the document archive, 10,000 documents.

    .venv/bin/python benchmarks/bench_documents.py [--documents 10000] [--runs 3] [--pg]
    .venv/bin/python benchmarks/run.py --only documents          (the same, SQLite)

Fills a cluster's archive with `--documents` documents (titles, descriptions and a few hundred
words of text each, Polish words with their letters, folded into `search_text` as the service
does, the SQLite FTS5 rows or PostgreSQL's stored vectors written as
`klaster.documents.search.index` writes them) and times
what the archive page does for a search — `klaster.documents.selectors.documents_search` as the
office, its page of 50, their version numbers and the total count — for 20 queries of one to three words (with and
without Polish letters, prefixes), each run. Goal: median ≤ 100 ms per search. Beside it, a
plain `LIKE '%word%'` scan of the same column for the first word (what a search without the
index would cost).
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _summary  # noqa: E402  (benchmarks/_summary.py, also when run on its own)
from _pg import PG_ADMIN  # noqa: E402
from _pg import admin as _pg  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KLASTER = [sys.executable, "-m", "klaster.cli"]
PG_NAME = "klaster_bench_documents"
GOAL_MS = 100.0
WORDS = (
    "sprawozdanie uchwała protokół statut regulamin składki członkowie zarząd rada walne "
    "zgromadzenie projekt badawczy rozwój eksport innowacja szkolenie wodór energia łódź "
    "kraków gdańsk poznań wrocław budżet harmonogram umowa porozumienie grupa robocza "
    "technologia produkcja automatyzacja przemysł cyfryzacja kompetencje oferta współpraca "
    "inwestycja dotacja rozliczenie kontrola audyt certyfikat jakość norma bezpieczeństwo "
    "logistyka transport magazyn surowce recykling gospodarka obieg emisja klimat"
).split()
QUERIES = [
    "sprawozdanie",
    "uchwala",
    "łódź",
    "lodz eksport",
    "wodor energia",
    "statut skladki",
    "harmonogram",
    "automatyz",
    "certyfikat jakosc",
    "recykling",
    "gdansk logistyka",
    "protokol walne",
    "innowac",
    "budzet projekt",
    "cyfryzacja przemysl",
    "audyt kontrola",
    "oferta wspolpraca",
    "magazyn surowce emisja",
    "kompetencje szkolenie",
    "archiwum klastra",  # in every document: the worst case, every document counted
]


def build(n: int):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from klaster.core.models import Cluster, ClusterRole
    from klaster.documents import search
    from klaster.documents.models import Document
    from klaster.rules.text import fold

    rng = random.Random(12)
    # a real archive's vocabulary is large: the topic words are a few per document, the rest of
    # its text from some thousands of other words (so a query matches a part of the archive)
    other = [f"slowo{k}" for k in range(5000)]
    cluster = Cluster.objects.create(slug="bench-docs", name="Klaster archiwum")
    user = get_user_model().objects.create(username="biuro.docs")
    ClusterRole.objects.create(user=user, cluster=cluster, role="office")
    rows = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
        text = " ".join(
            [rng.choice(WORDS) for _ in range(8)] + [rng.choice(other) for _ in range(292)]
        )
        rows.append(
            Document(
                cluster=cluster,
                title=f"{title} {i}",
                description="Dokument archiwum klastra",
                category=rng.choice(["minutes", "report", "resolution", "other"]),
                scope="members",
                search_text=fold(f"{title} Dokument archiwum klastra {text}"),
            )
        )
    with transaction.atomic():
        Document.objects.bulk_create(rows, batch_size=1000)
        if connection.vendor == "sqlite":
            with connection.cursor() as c:
                c.executemany(
                    "INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)",
                    list(Document.objects.filter(cluster=cluster).values_list("pk", "search_text")),
                )
    if connection.vendor == "postgresql":
        # the stored vectors, as klaster.documents.search.index writes them
        Document.objects.filter(cluster=cluster).update(search_vector=search.pg_vector())
        with connection.cursor() as c:
            c.execute("ANALYZE documents_document")
    return cluster, user


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    if args.pg:
        _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}"', f'CREATE DATABASE "{PG_NAME}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME
    else:
        url = f"sqlite:///{tmp.name}/documents.sqlite3"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([*KLASTER, "migrate"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="klaster.settings")
    import django

    django.setup()
    from django.core.paginator import Paginator
    from django.db import connection

    from klaster.core.access import grants_for
    from klaster.documents.selectors import documents_search, last_versions
    from klaster.rules.text import fold

    engine = "PostgreSQL" if args.pg else "SQLite"
    try:
        cluster, user = build(args.documents)
        grants = grants_for(user, cluster)
        medians, scans, found, slowest = [], [], [], []
        for _run in range(args.runs):
            times, scan_times = [], []
            for q in QUERIES:
                start = time.perf_counter()
                page = Paginator(
                    documents_search(user=user, cluster=cluster, q=q, grants=grants), 50
                ).get_page(1)
                last_versions(list(page.object_list))
                total = page.paginator.count
                times.append((time.perf_counter() - start) * 1000)
                found.append(total)
                word = fold(q).split()[0]
                start = time.perf_counter()
                with connection.cursor() as c:
                    c.execute(
                        "SELECT COUNT(*) FROM documents_document WHERE search_text LIKE %s",
                        [f"%{word}%"],
                    )
                    c.fetchone()
                scan_times.append((time.perf_counter() - start) * 1000)
            medians.append(statistics.median(times))
            slowest.append(max(times))
            scans.append(statistics.median(scan_times))
        print(
            f"document search over {args.documents} documents ({engine}, {args.runs} runs × "
            f"{len(QUERIES)} queries; page of 50 and the count; median hits "
            f"{statistics.median(found):.0f}):"
        )
        verdict = "within" if statistics.median(medians) <= GOAL_MS else "OVER"
        print(
            f"  search: median {statistics.median(medians):.1f} ms, spread {min(medians):.1f}–"
            f"{max(medians):.1f} (runs: {', '.join(f'{v:.1f}' for v in medians)})  — goal ≤ "
            f"{GOAL_MS:.0f} ms: {verdict} the goal"
        )
        print(f"  the slowest query of a run: median {statistics.median(slowest):.1f} ms")
        print(
            f"  beside it, a LIKE scan of the same column for one word: median "
            f"{statistics.median(scans):.1f} ms"
        )
        _summary.record(
            f"document search, {args.documents} documents ({engine})",
            medians,
            goal=GOAL_MS,
            unit="ms",
        )
    finally:
        if args.pg:
            from django.db import connections

            connections.close_all()
            _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
