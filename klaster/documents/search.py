"""Full-text search over the archive (PLT-3): SQLite's FTS5 on the embedded default, PostgreSQL's
full-text search (django.contrib.postgres: SearchVector, SearchQuery) when DATABASE_URL names
one. Both index ``Document.search_text`` (FTS5's table; PostgreSQL's stored
``Document.search_vector`` with its GIN index): the title, the description and the current
version's text, folded (klaster.rules.text.fold: "Łódź" → "lodz") — and the query is folded the same way,
so a query typed without Polish letters finds them and the other way round. Words are matched
by prefix ("sprawozd" finds "sprawozdanie"), all of them required."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from klaster.documents.models import Document
from klaster.rules.text import fold

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8
#: the text search configuration: 'simple' (no stemming, no stop words) — the text is folded
#: already, and a Polish dictionary is not part of a stock PostgreSQL
PG_CONFIG = "simple"


def words(query: str) -> list[str]:
    """The query's words, folded (at most MAX_WORDS); only letters, digits and "_" are kept, so a
    word never carries FTS5 or tsquery syntax."""
    return WORD.findall(fold(query))[:MAX_WORDS]


def index(document: Document) -> None:
    """Keep the search index of ``document`` in step with its ``search_text``: the SQLite FTS5
    row, or PostgreSQL's stored vector (in the caller's transaction)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("DELETE FROM documents_fts WHERE rowid = %s", [document.pk])
            c.execute(
                "INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)",
                [document.pk, document.search_text],
            )
    elif connection.vendor == "postgresql":
        Document.objects.filter(pk=document.pk).update(search_vector=pg_vector())


def pg_vector():
    """``search_text`` as PostgreSQL's tsvector: what ``Document.search_vector`` stores."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector("search_text", config=PG_CONFIG)


def matching(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """``documents`` narrowed to those matching every word of ``query`` (as prefixes); unchanged
    when the query has no words."""
    terms = words(query)
    if not terms:
        return documents
    if connection.vendor == "sqlite":
        match = " ".join(f'"{t}"*' for t in terms)
        return documents.filter(
            pk__in=RawSQL("SELECT rowid FROM documents_fts WHERE documents_fts MATCH %s", [match])  # noqa: S611 — constant SQL, the words bound
        )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        tsquery = SearchQuery(
            " & ".join(f"{t}:*" for t in terms), search_type="raw", config=PG_CONFIG
        )
        return documents.filter(search_vector=tsquery)
    for term in terms:  # another database: a scan of the folded column
        documents = documents.filter(search_text__contains=term)
    return documents
