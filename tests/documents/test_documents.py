"""The document archive (PLT-3): versions kept, access per scope — the office, every member, one
organ's seat holders, one working group's members (confidential GZW material never leaks: not in
the list, the search, the page or the download) — and full-text search on the database in use
(SQLite FTS5 or PostgreSQL), Polish letters or not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
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


def test_plt_3_another_clusters_office_finds_nothing_of_alfa(world, archive, client_for):
    """beta's office, under its own slug and with alfa's ids: not in its list, not in its search,
    no page, no card, no file; under alfa's slug: no archive at all."""
    from klaster.documents.selectors import documents_search

    outsider = client_for("outsider")
    assert titles(outsider, slug="beta", q="wodoru") == set()
    assert titles(outsider, slug="beta", q="statut") == set()
    assert titles(outsider, slug="alfa", q="wodoru") == 404
    for doc in (archive["group"], archive["members"]):
        version = doc.versions.get()
        for url in (
            reverse("document", args=["beta", doc.pk]),
            reverse("document_edit", args=["beta", doc.pk]),
            reverse("document_version_download", args=["beta", doc.pk, version.pk]),
        ):
            assert outsider.get(url).status_code == 404, url
    # the selector itself, called with alfa and beta's office, reads nothing
    user = world.users["outsider"]
    assert not documents_search(user=user, cluster=world.alfa, q="wodoru").exists()
    assert not documents_search(user=user, cluster=world.alfa, q="").exists()


def test_plt_3_search_runs_on_the_databases_own_index(world, archive):
    from django.db import connection

    from klaster.documents.selectors import documents_search

    found = documents_search(user=world.users["office"], cluster=world.alfa, q="Łódź wodór")
    sql = str(found.query)
    if connection.vendor == "sqlite":
        assert "documents_fts MATCH" in sql
    else:
        assert '"search_vector" @@' in sql and "to_tsquery" in sql
        # the planner can take the GIN index: the filter is the index's very expression
        from klaster.documents import search

        bare = search.matching(Document.objects.order_by(), "Łódź wodór").values("pk")
        pk_sql, params = bare.query.sql_with_params()
        with connection.cursor() as c:
            c.execute("SET LOCAL enable_seqscan = off")
            c.execute("EXPLAIN " + pk_sql, params)
            plan = "\n".join(r[0] for r in c.fetchall())
        assert "documents_document_fts" in plan, plan
    assert {d.title for d in found} == {"Poufny plan GZW"}


def test_plt_3_the_office_narrows_a_documents_readers(world, archive, client_for):
    from klaster.core.models import AuditLog
    from klaster.documents.services import document_change

    doc = archive["members"]
    group = archive["group"].group
    office = client_for("office")
    response = office.post(
        reverse("document_edit", args=["alfa", doc.pk]),
        {
            "title": "Statut klastra — projekt zmian",
            "category": "statute",
            "scope": "group",
            "group": group.pk,
            "description": "Projekt dla grupy",
        },
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.scope, doc.group, doc.versions.count()) == ("group", group, 1)
    assert titles(client_for("proxy"), q="statut") == set()  # B is not in the group
    assert client_for("proxy").get(reverse("document", args=["alfa", doc.pk])).status_code == 404
    assert titles(client_for("member"), q="projekt zmian") == {"Statut klastra — projekt zmian"}
    entry = AuditLog.objects.filter(object_id=str(doc.pk), action="update").latest("id")
    assert "scope" in entry.changes and "title" in entry.changes
    # an organ of another cluster is refused, naming the field
    beta_organ = Organ.objects.filter(cluster=world.beta).first()
    with pytest.raises(ValidationError) as refused:
        document_change(
            document=doc,
            user=world.users["office"],
            title=doc.title,
            scope="organ",
            category="statute",
            organ=beta_organ,
        )
    assert "organ" in refused.value.message_dict


def _pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in its text layer (built by hand: the test needs no writer)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_plt_3_a_pdfs_text_is_searched_and_a_disguised_file_refused(world, client_for):
    office_user = world.users["office"]
    add_document(
        world.alfa,
        office_user,
        title="Protokół",
        upload=upload(
            "protokol.pdf", _pdf("Rekomendacja dla Zarzadu w Gdansku"), "application/pdf"
        ),
    )
    assert titles(client_for("member"), q="gdańsku rekomendacja") == {"Protokół"}
    for name, content in (
        ("uchwala.pdf", b"MZ\x90\x00"),
        ("plan.docx", b"%PDF-1.4"),
        ("a.txt", b"\x00\x01"),
    ):
        with pytest.raises(ValidationError) as refused:
            add_document(world.alfa, office_user, title=name, upload=upload(name, content))
        assert "file" in refused.value.message_dict
    assert Document.objects.filter(cluster=world.alfa).count() == 1


def test_plt_3_the_archives_bound_passes_the_request_guard():
    """A file the archive takes is never cut off by the 413 guard in front of Django."""
    from klaster.core.uploads import REQUEST_MARGIN, max_request_bytes
    from klaster.documents.uploads import max_bytes

    assert max_bytes() <= max_request_bytes() - REQUEST_MARGIN


def test_plt_3_the_list_page_reads_in_a_fixed_number_of_queries(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = client_for("office")
    url = reverse("documents", args=["alfa"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert office.get(url, {"q": "raport"}).status_code == 200
        return len(ctx.captured_queries)

    add_document(world.alfa, world.users["office"], title="Raport 0")
    few = count()
    for i in range(1, 12):
        add_document(world.alfa, world.users["office"], title=f"Raport {i}")
    assert count() == few
