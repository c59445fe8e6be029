"""Reads of the archive (PLT-3): the documents a reader may see, searched and filtered."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet

from klaster.core.access import Grants, grants_for
from klaster.core.models import Cluster
from klaster.documents import search
from klaster.documents.access import visible_documents
from klaster.documents.models import Document, DocumentVersion


def documents_search(
    *,
    user: Any,
    cluster: Cluster,
    q: str = "",
    category: str = "",
    grants: Grants | None = None,
) -> QuerySet[Document]:
    """The documents ``user`` may read (klaster.documents.access, the one rule), matching every
    word of ``q`` (full text; prefixes; Polish letters or not) and ``category``, newest first (a
    page's current version numbers: :func:`last_versions`)."""
    grants = grants if grants is not None else grants_for(user, cluster)
    docs = visible_documents(cluster, grants, user)
    if category in Document.Category.values:
        docs = docs.filter(category=category)
    if q.strip():
        docs = search.matching(docs, q)
    return docs.select_related("organ", "group").order_by("-updated_at", "-id")


def last_versions(documents: list[Document]) -> dict[int, int]:
    """The current version's number of each document of a page (one query)."""
    rows = (
        DocumentVersion.objects.filter(document__in=documents)
        .values("document_id")
        .annotate(n=Max("number"))
    )
    return {r["document_id"]: r["n"] for r in rows}
