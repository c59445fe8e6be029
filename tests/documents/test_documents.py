"""The document archive (PLT-3): versions kept, access per scope — the office, every member, one
organ's seat holders, one working group's members (confidential GZW material never leaks: not in
the list, the search, the page or the download) — and full-text search on the database in use
(SQLite FTS5 or PostgreSQL), Polish letters or not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.documents.models import Document, DocumentVersion
from klaster.documents.services import version_add
from klaster.governance.models import Organ
from tests.documents.factories import add_document, upload
from tests.factories import GroupDeclarationFactory, SeatFactory, WorkingGroupFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def archive(world):
    office = world.users["office"]
    council = Organ.objects.get(cluster=world.alfa, kind="council")
    SeatFactory(organ=council, member=world.member_b, user=world.users["chair"])
    group = WorkingGroupFactory(cluster=world.alfa, name="GZW Wodór", confidential=True)
    GroupDeclarationFactory(group=group, member=world.member_a)
    return {
        "members": add_document(world.alfa, office, title="Statut klastra", category="statute"),
        "office": add_document(world.alfa, office, title="Notatka biura", scope="office"),
        "council": add_document(
            world.alfa, office, title="Uchwała Rady", scope="organ", organ=council
        ),
        "group": add_document(
            world.alfa,
            office,
            title="Poufny plan GZW",
            scope="group",
            group=group,
            text="Magazyn wodoru w Łodzi",
        ),
        "beta": add_document(world.beta, world.users["outsider"], title="Dokument Bety"),
    }


def titles(client, slug="alfa", **params):
    response = client.get(reverse("documents", args=[slug]), params)
    return (
        {d.title for d in response.context["page"].object_list}
        if response.status_code == 200
        else response.status_code
    )


def test_plt_3_each_reader_sees_what_the_scope_allows(world, archive, client_for):
    all_alfa = {"Statut klastra", "Notatka biura", "Uchwała Rady", "Poufny plan GZW"}
    assert titles(client_for("office")) == all_alfa
    assert titles(client_for("member")) == {"Statut klastra", "Poufny plan GZW"}  # in the group
    assert titles(client_for("proxy")) == {
        "Statut klastra",
        "Uchwała Rady",
    }  # B sits on the Council
    assert titles(client_for("chair")) == {"Statut klastra", "Uchwała Rady"}  # the chair's own seat
    assert titles(client_for("forum")) == 403
    assert titles(client_for("outsider")) == 404
    assert titles(client_for("outsider"), slug="beta") == {"Dokument Bety"}


def test_plt_3_confidential_group_material_never_leaks(world, archive, client_for):
    doc = archive["group"]
    version = doc.versions.get()
    for persona in ("proxy", "chair"):
        c = client_for(persona)
        assert c.get(reverse("document", args=["alfa", doc.pk])).status_code == 404
        url = reverse("document_version_download", args=["alfa", doc.pk, version.pk])
        assert c.get(url).status_code == 404
        assert titles(c, q="wodoru") == set()
    # another cluster's office with this cluster's ids, under its own slug
    outsider = client_for("outsider")
    assert outsider.get(reverse("document", args=["beta", doc.pk])).status_code == 404
    url = reverse("document_version_download", args=["beta", doc.pk, version.pk])
    assert outsider.get(url).status_code == 404
    member = client_for("member")
    got = member.get(reverse("document_version_download", args=["alfa", doc.pk, version.pk]))
    assert (
        got.status_code == 200
        and b"".join(got.streaming_content) == "Magazyn wodoru w Łodzi".encode()
    )


def test_plt_3_search_finds_words_with_or_without_polish_letters(world, archive, client_for):
    office = client_for("office")
    assert titles(office, q="lodzi") == {"Poufny plan GZW"}
    assert titles(office, q="ŁODZI magazyn") == {"Poufny plan GZW"}
    assert titles(office, q="uchwal") == {"Uchwała Rady"}  # a prefix
    assert titles(office, q="statut", category="statute") == {"Statut klastra"}
    assert titles(office, q="statut", category="minutes") == set()
    assert titles(office, q="nieistniejące słowo") == set()
    assert titles(office, q="' OR 1=1 --") == set()


def test_plt_3_a_new_version_keeps_the_old_and_is_searched(world, archive, client_for):
    doc = archive["members"]
    version_add(
        document=doc,
        user=world.users["office"],
        upload=upload("statut-2026.txt", "Zmiana paragrafu o składkach".encode()),
        note="Uchwała WZC z 2026",
    )
    assert list(doc.versions.values_list("number", flat=True)) == [2, 1]
    first, second = doc.versions.order_by("number")
    member = client_for("member")
    got = member.get(reverse("document_version_download", args=["alfa", doc.pk, first.pk]))
    assert b"".join(got.streaming_content) == b"Statut klastra"
    assert titles(client_for("office"), q="skladkach") == {"Statut klastra"}
    page = member.get(reverse("document", args=["alfa", doc.pk])).content.decode()
    assert "statut-2026.txt" in page and "Uchwała WZC z 2026" in page


def test_plt_3_a_file_of_a_kind_not_kept_is_refused_and_nothing_stored(world, client_for, settings):
    office = client_for("office")
    url = reverse("document_new", args=["alfa"])
    base = {"title": "Skrypt", "category": "other", "scope": "members"}
    resp = office.post(url, {**base, "file": upload("virus.exe", b"MZ")})
    assert resp.status_code == 200 and "virus" not in str(Document.objects.all())
    assert "rodzaju" in resp.content.decode() or ".pdf" in resp.content.decode()
    settings.KLASTER_UPLOAD_LIMITS = {"document": 10}
    resp = office.post(url, {**base, "file": upload("duzy.txt", b"x" * 11)})
    assert resp.status_code == 200
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    # a group scope without its group is refused, naming the field
    resp = office.post(url, {**base, "scope": "group", "file": upload("ok.txt", b"ok")})
    assert resp.status_code == 200 and "group" in resp.context["form"].errors
