"""The local PostgreSQL server's admin connection for the benchmarks that make and drop their
own database (bench_comms, bench_documents)."""

from __future__ import annotations

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def admin(*statements: str) -> None:
    """Run ``statements`` on the server's postgres database, outside a transaction."""
    import psycopg

    url = PG_ADMIN.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)
