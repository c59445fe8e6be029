"""Writes of the archive (PLT-3): a document added with its first version, a new version added
(the old ones stay), a document's description or scope changed. Each in one transaction with its
audit row; the search index follows in the same transaction."""

from __future__ import annotations

import io
import logging
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.core.uploads import check_size
from klaster.documents import search
from klaster.documents.models import Document, DocumentVersion
from klaster.governance.models import Organ
from klaster.groups.models import WorkingGroup
from klaster.rules.text import fold

log = logging.getLogger("klaster.documents")

#: the kinds of file the archive takes (by extension; the content is never executed or rendered)
ALLOWED = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
#: the text taken from one file for the search, at most (a long report is found by its start)
MAX_TEXT = 200_000
#: pages of a PDF read for the search, at most
MAX_PDF_PAGES = 100


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def check_file(upload: Any) -> None:
    """Bounded in size and kind before anything reads it."""
    if upload is None:
        raise ValidationError({"file": _("Choose a file.")})
    check_size(upload, "document")
    if _extension(upload.name) not in ALLOWED:
        raise ValidationError(
            {
                "file": _("Files of this kind are not kept in the archive; allowed: %(kinds)s.")
                % {"kinds": ", ".join(sorted(ALLOWED))}
            }
        )


def extract_text(name: str, data: bytes) -> str:
    """The searchable text of a file: plain text as it is, a PDF's text layer (pypdf, the first
    pages), nothing for other kinds (their title and description are searched)."""
    ext = _extension(name)
    if ext in (".txt", ".md", ".csv"):
        return data[: MAX_TEXT * 4].decode("utf-8", "replace")[:MAX_TEXT]
    if ext == ".pdf":
        try:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            parts = []
            for page in reader.pages[:MAX_PDF_PAGES]:
                parts.append(page.extract_text() or "")
                if sum(len(p) for p in parts) > MAX_TEXT:
                    break
            return "\n".join(parts)[:MAX_TEXT]
        except Exception:  # noqa: BLE001 — a damaged PDF is kept, only not searchable by content
            log.warning("no text from %s", name, exc_info=True)
            return ""
    return ""


def _search_text(document: Document, text: str) -> str:
    return fold(" ".join((document.title, document.description, text)))[: MAX_TEXT + 2000]


def _check_scope(
    cluster: Cluster, scope: str, organ: Organ | None, group: WorkingGroup | None
) -> tuple[Organ | None, WorkingGroup | None]:
    if scope not in Document.Scope.values:
        raise ValidationError({"scope": _("Choose who reads the document.")})
    if scope == Document.Scope.ORGAN:
        if organ is None or organ.cluster_id != cluster.pk:
            raise ValidationError({"organ": _("Choose the organ whose members read it.")})
        return organ, None
    if scope == Document.Scope.GROUP:
        if group is None or group.cluster_id != cluster.pk:
            raise ValidationError({"group": _("Choose the working group whose members read it.")})
        return None, group
    return None, None


def _version(
    document: Document, *, upload: Any, user: Any, note: str, number: int
) -> DocumentVersion:
    data = upload.read()
    upload.seek(0)
    version = DocumentVersion(
        document=document,
        number=number,
        name=PurePath(upload.name).name[:255],
        size=len(data),
        content_type=ALLOWED[_extension(upload.name)],
        note=note.strip()[:300],
        text=extract_text(upload.name, data),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    version.file.save(upload.name, upload, save=False)
    version.save()
    return version


@transaction.atomic
def document_add(
    *,
    cluster: Cluster,
    user: Any,
    title: str,
    upload: Any,
    scope: str,
    category: str = Document.Category.OTHER,
    description: str = "",
    organ: Organ | None = None,
    group: WorkingGroup | None = None,
    note: str = "",
) -> Document:
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    check_file(upload)
    organ, group = _check_scope(cluster, scope, organ, group)
    document = Document.objects.create(
        cluster=cluster,
        title=title.strip()[:300],
        description=description,
        category=category if category in Document.Category.values else "other",
        scope=scope,
        organ=organ,
        group=group,
        created_by=user if getattr(user, "pk", None) else None,
    )
    version = _version(document, upload=upload, user=user, note=note, number=1)
    document.search_text = _search_text(document, version.text)
    document.save(update_fields=["search_text"])
    search.index(document)
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=document,
        object_repr=document.title,
        changes={"file": [None, version.name], "scope": [None, document.get_scope_display()]},
    )
    return document


@transaction.atomic
def version_add(*, document: Document, user: Any, upload: Any, note: str = "") -> DocumentVersion:
    """A new version: numbered after the last (under the document's row lock), the old ones kept."""
    check_file(upload)
    document = Document.objects.select_for_update().get(pk=document.pk)
    last = document.versions.aggregate(n=Max("number"))["n"] or 0
    version = _version(document, upload=upload, user=user, note=note, number=last + 1)
    document.updated_at = timezone.now()
    document.search_text = _search_text(document, version.text)
    document.save(update_fields=["updated_at", "search_text"])
    search.index(document)
    audit_record(
        cluster=document.cluster,
        user=user,
        action="update",
        instance=document,
        object_repr=document.title,
        changes={"version": [last, version.number], "file": [None, version.name]},
    )
    return version
