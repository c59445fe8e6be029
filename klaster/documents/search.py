"""Full-text search over the archive (PLT-3): SQLite's FTS5 on the embedded default, PostgreSQL's
full-text search when DATABASE_URL names one. Both read ``Document.search_text``: the title,
the description and the current version's text, folded (klaster.rules.text.fold: "Łódź" →
"lodz"), so a query typed without Polish letters finds them and the other way round. Words are
matched by prefix ("sprawozd" finds "sprawozdanie"), all of them required."""

from __future__ import annotations

import re

from django.db import connection

from klaster.documents.models import Document
from klaster.rules.text import fold

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def words(query: str) -> list[str]:
    return WORD.findall(fold(query))[:MAX_WORDS]


def index(document: Document) -> None:
    """Keep the SQLite FTS5 row of ``document`` in step (PostgreSQL indexes the column itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as c:
        c.execute("DELETE FROM documents_fts WHERE rowid = %s", [document.pk])
        c.execute(
            "INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)",
            [document.pk, document.search_text],
        )


def unindex(document_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("DELETE FROM documents_fts WHERE rowid = %s", [document_id])


def matching_ids_sql(query: str) -> tuple[str, list[str]] | None:
    """The SQL (and params) selecting the ids of the documents matching ``query``, to be used as
    ``pk__in=RawSQL(...)``; None when the query has no words."""
    terms = words(query)
    if not terms:
        return None
    if connection.vendor == "sqlite":
        match = " ".join(f'"{t}"*' for t in terms)
        return "SELECT rowid FROM documents_fts WHERE documents_fts MATCH %s", [match]
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        return (
            "SELECT id FROM documents_document "
            "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",
            [tsquery],
        )
    return None
