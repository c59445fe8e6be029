"""Documents rows of the access matrix (tests/core/test_access_matrix.py), PLT-3: the office
adds documents and versions; every member's document is read by the office, organ members and
representatives; a confidential working group's document (GZW) only by the office and the
representative of the member in the group — its page and its file download alike; a forum
viewer has no archive."""

from __future__ import annotations

LOGIN = "login"
READERS = {
    "office": 200,
    "chair": 200,
    "member": 200,
    "proxy": 200,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE = {**READERS, "chair": 403, "member": 403, "proxy": 403}
# member A is in the group; B's representative and the chair do not know the document exists
GROUP_ONLY = {**READERS, "chair": 404, "proxy": 404}


def s(w):
    return {"slug": "alfa"}


def _doc(w, title, **kw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from klaster.documents.models import Document
    from klaster.documents.services import document_add

    found = Document.objects.filter(cluster=w.alfa, title=title).first()
    return found or document_add(
        cluster=w.alfa,
        user=None,
        title=title,
        upload=SimpleUploadedFile("plik.txt", b"tresc"),
        **kw,
    )


def _group(w):
    from klaster.groups.models import WorkingGroup
    from tests.factories import GroupDeclarationFactory, WorkingGroupFactory

    found = WorkingGroup.objects.filter(cluster=w.alfa, name="GZW macierzy").first()
    if found is None:
        found = WorkingGroupFactory(cluster=w.alfa, name="GZW macierzy", confidential=True)
        GroupDeclarationFactory(group=found, member=w.member_a)
    return found


def common(w):
    return {"slug": "alfa", "doc_id": _doc(w, "Dla członków", scope="members").pk}


def secret(w):
    return {
        "slug": "alfa",
        "doc_id": _doc(w, "Poufny GZW", scope="group", group=_group(w)).pk,
    }


def secret_file(w):
    from klaster.documents.models import Document

    ids = secret(w)
    version = Document.objects.get(pk=ids["doc_id"]).versions.get()
    return {**ids, "version_id": version.pk}


def rows():
    return {
        "documents": ("get", s, READERS),
        "document_new": ("get", s, OFFICE),
        "document": ("get", secret, GROUP_ONLY),
        "document_version_download": ("get", secret_file, GROUP_ONLY),
        # the office changes a card; a refused POST (widening who reads a GZW document) changes
        # nothing
        "document_edit": ("get", secret, OFFICE),
        "document_version_new": ("post", common, {**OFFICE, "office": 302}),
    }


def payloads():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "document_edit": lambda w: {
            "title": "Przejęty",
            "category": "other",
            "scope": "members",
            "description": "",
        },
        "document_version_new": lambda w: {
            "file": SimpleUploadedFile("nowa.txt", b"nowa wersja"),
            "note": "poprawka",
        },
    }
