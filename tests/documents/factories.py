"""Documents are made through their service (it files the upload and keeps the search index)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from klaster.documents.services import document_add


def upload(name="dokument.txt", content=b"Tresc dokumentu", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_document(cluster, user=None, *, title="Dokument", scope="members", text="", **kw):
    return document_add(
        cluster=cluster,
        user=user,
        title=title,
        upload=kw.pop("upload", None) or upload(content=(text or title).encode()),
        scope=scope,
        **kw,
    )
