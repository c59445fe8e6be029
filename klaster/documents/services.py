"""Writes of the archive (PLT-3): a document added with its first version, a new version added
(the old ones stay), a document's title, description, category or readers changed. Each in one
transaction with its audit row; the search index follows in the same transaction."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.documents import search
from klaster.documents.models import Document, DocumentVersion
from klaster.documents.uploads import ALLOWED, MAX_TEXT, check_file, extension, extract_text
from klaster.governance.models import Organ
from klaster.groups.models import WorkingGroup
from klaster.rules.text import fold


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


def _read(upload: Any) -> tuple[bytes, str]:
    """The checked upload's bytes and searchable text — read before any row lock is taken."""
    check_file(upload)
    data = upload.read()
    upload.seek(0)
    return data, extract_text(upload.name, data)


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _version(
    document: Document, *, upload: Any, data: bytes, text: str, user: Any, note: str, number: int
) -> DocumentVersion:
    version = DocumentVersion(
        document=document,
        number=number,
        name=PurePath(upload.name).name[:255],
        size=len(data),
        content_type=ALLOWED[extension(upload.name)],
        note=note.strip()[:300],
        text=text,
        uploaded_by=_user(user),
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
    organ, group = _check_scope(cluster, scope, organ, group)
    data, text = _read(upload)
    document = Document.objects.create(
        cluster=cluster,
        title=title.strip()[:300],
        description=description.strip(),
        category=category if category in Document.Category.values else "other",
        scope=scope,
        organ=organ,
        group=group,
        created_by=_user(user),
    )
    version = _version(
        document, upload=upload, data=data, text=text, user=user, note=note, number=1
    )
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
    data, text = _read(upload)
    document = Document.objects.select_for_update().get(pk=document.pk)
    last = document.versions.aggregate(n=Max("number"))["n"] or 0
    version = _version(
        document, upload=upload, data=data, text=text, user=user, note=note, number=last + 1
    )
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


def _readers(document: Document) -> str:
    if document.scope == Document.Scope.ORGAN and document.organ is not None:
        return f"{document.get_scope_display()}: {document.organ.get_kind_display()}"
    if document.scope == Document.Scope.GROUP and document.group is not None:
        return f"{document.get_scope_display()}: {document.group.name}"
    return str(document.get_scope_display())


@transaction.atomic
def document_change(
    *,
    document: Document,
    user: Any,
    title: str,
    scope: str,
    category: str,
    description: str = "",
    organ: Organ | None = None,
    group: WorkingGroup | None = None,
) -> Document:
    """The office renames, describes, files or re-scopes a document; its versions stay as they
    are. Narrowing the readers takes effect at once (the next list, search or download)."""
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    document = Document.objects.select_for_update().get(pk=document.pk)
    organ, group = _check_scope(document.cluster, scope, organ, group)
    before = {
        "title": document.title,
        "description": document.description,
        "category": document.get_category_display(),
        "scope": _readers(document),
    }
    document.title = title.strip()[:300]
    document.description = description.strip()
    document.category = category if category in Document.Category.values else "other"
    document.scope, document.organ, document.group = scope, organ, group
    current = document.versions.order_by("-number").values_list("text", flat=True).first() or ""
    document.search_text = _search_text(document, current)
    document.save(
        update_fields=["title", "description", "category", "scope", "organ", "group", "search_text"]
    )
    search.index(document)
    after = {
        "title": document.title,
        "description": document.description,
        "category": document.get_category_display(),
        "scope": _readers(document),
    }
    changes = {k: [str(before[k]), str(after[k])] for k in before if before[k] != after[k]}
    if changes:
        audit_record(
            cluster=document.cluster,
            user=user,
            action="update",
            instance=document,
            object_repr=document.title,
            changes=changes,
        )
    return document
