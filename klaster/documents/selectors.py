"""Reads of the archive (PLT-3): the documents a reader may see, searched and filtered."""

from __future__ import annotations

from django.db import connection
from django.db.models import Max, QuerySet
from django.db.models.expressions import RawSQL

from klaster.core.access import Grants
from klaster.core.models import Cluster
from klaster.documents import search
from klaster.documents.access import visible_documents
from klaster.documents.models import Document, DocumentVersion
from klaster.rules.text import fold


def documents_search(
    *, cluster: Cluster, grants: Grants, user, q: str = "", category: str = ""
) -> QuerySet[Document]:
    """The documents ``user`` may read, matching every word of ``q`` (full-text; prefixes; Polish
    letters or not) and of ``category``, newest first (a page's last version numbers:
    :func:`last_versions`)."""
    docs = visible_documents(cluster, grants, user)
    if category in Document.Category.values:
        docs = docs.filter(category=category)
    if q.strip():
        found = search.matching_ids_sql(q)
        if found is not None:
            sql, params = found
            docs = docs.filter(pk__in=RawSQL(sql, params))  # noqa: S611 — constant SQL, bound words
        elif connection.vendor not in ("sqlite", "postgresql"):
            for word in search.words(q):
                docs = docs.filter(search_text__contains=word)
        else:
            docs = docs.none() if fold(q).strip() else docs
    return docs.select_related("organ", "group").order_by("-updated_at", "-id")


def last_versions(documents: list[Document]) -> dict[int, int]:
    """The current version's number of each document of a page (one query)."""
    rows = (
        DocumentVersion.objects.filter(document__in=documents)
        .values("document_id")
        .annotate(n=Max("number"))
    )
    return {r["document_id"]: r["n"] for r in rows}
