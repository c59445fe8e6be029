"""The application in the web app: assembled from the registry, checked, registered (frozen,
numbered without gaps, checksummed), exported as PDF and XLSX, the confirmation letter."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from klaster.core.models import AuditLog
from klaster.core.say import say
from klaster.kkk import selectors, services
from klaster.kkk.models import Application, Project, Staff
from klaster.members.models import Member
from klaster.rules import kkk_application as ka
from tests.forms import versioned
from tests.kkk.conftest import PDF, D, complete, pdf_upload
from tests.kkk.pdftext import pdf_text

pytestmark = pytest.mark.django_db
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def at(year, month=7, day=1, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=WARSAW)


@pytest.fixture
def ready(demo):
    """A demo application that passes the check."""
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    return complete(application, demo.office)


def _client(client, demo):
    client.force_login(demo.office)
    return client


# --- KKK-1 ------------------------------------------------------------------------------------------


def test_kkk_1_application_figures_are_the_dashboards(ready, client, demo):
    """The application and the readiness dashboard show the engine's figures for the same D."""
    content = selectors.application_content(ready)
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    assert ka.item(content, "7")["rows"][-1]["count"] == ev.members.total
    assert ka.item_value(content, "8.liczba") == ev.members.within_200_km
    assert content["evaluation"]["stage2"]["total"] == ev.stage2.total
    page = _client(client, demo).get(
        reverse("kkk_application_detail", kwargs={"slug": "demo", "application_id": ready.pk})
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Fundacja Rozwoju Automatyki Przemysłowej" in body and 'id="f-4-m000"' in body
    assert "NIE DOTYCZY" in body


def test_kkk_1_draft_follows_the_registry(ready, demo):
    """A draft is assembled live: a change in the member register shows at once."""
    member = Member.objects.get(cluster=demo, key="m005")
    Member.objects.filter(pk=member.pk).update(name="Nowa Nazwa sp. z o.o.")
    rows = ka.item(selectors.application_content(ready), "4")["rows"]
    assert any(r["name"] == "Nowa Nazwa sp. z o.o." for r in rows)


# --- KKK-2 ------------------------------------------------------------------------------------------


def test_kkk_2_check_page_names_each_field_and_links_to_it(demo, client):
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    record = Staff.objects.filter(cluster=demo).order_by("position", "id").first()
    Staff.objects.filter(pk=record.pk).update(email="")
    content, problems = selectors.application_check(application)
    assert problems
    page = _client(client, demo).get(
        reverse("kkk_application_check", kwargs={"slug": "demo", "application_id": application.pk})
    )
    body = page.content.decode()
    detail = reverse(
        "kkk_application_detail", kwargs={"slug": "demo", "application_id": application.pk}
    )
    for p in problems:
        assert f'href="{detail}#{p.anchor}"' in body, p  # the field in the assembled application
    assert (
        "3.5" in body
        and reverse(
            "kkk_application_edit", kwargs={"slug": "demo", "application_id": application.pk}
        )
        in body
    )
    # a row problem links to the record's own edit page
    assert (
        reverse("kkk_record_edit", kwargs={"slug": "demo", "kind": "staff", "record_id": record.pk})
        in body
    )
    assert "brak wymaganego załącznika nr 1" in body
    # and the anchors exist on the application page
    page = client.get(detail)
    for p in problems:
        assert f'id="{p.anchor}"' in page.content.decode(), p


def test_kkk_2_check_speaks_the_readers_language_on_the_page_and_in_the_api(demo, client):
    """Issue 9 point 4: the check's field labels and messages are rendered at the edge — the page
    and the API in the reader's language, the registration refusal too — while the application
    itself stays the Polish form."""
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    c = _client(client, demo)
    url = reverse(
        "kkk_application_check", kwargs={"slug": "demo", "application_id": application.pk}
    )
    english = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    polish = c.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "required attachment no. 1 (Signed Cluster agreement" in english
    assert "Attachments (PDF format)" in english and "Załączniki (format PDF)" not in english
    assert "brak wymaganego załącznika nr 1 (Podpisana umowa Klastra" in polish
    assert "Załączniki (format PDF)" in polish
    api = reverse(
        "api_kkk_application_check",
        kwargs={"cluster_slug": "demo", "application_id": application.pk},
    )
    problems = c.get(api, HTTP_ACCEPT_LANGUAGE="en").json()["problems"]
    statement = next(p for p in problems if p["ref"] == "statement:1")
    assert (statement["label"], statement["message"]) == (
        "The applicant states that",
        "statement no. 1 has not been made",
    )
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.application_register(application=application, user=demo.office)
    assert refused.value.messages[1] == (
        "3.5.dokument Document appointing the Coordinator: a required field is not filled in"
    )
    content = selectors.application_content(application)
    assert ka.item(content, "O")["label"] == "Wnioskodawca oświadcza, że"


def test_kkk_2_attachments_must_be_pdf_by_their_bytes(demo, client, media):
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    with pytest.raises(ValidationError, match="nie jest plikiem PDF"):
        services.application_attachment_add(
            application=application,
            user=demo.office,
            kind="1",
            upload=pdf_upload("udaje.pdf", b"PK\x03\x04 not a pdf"),
        )
    url = reverse("kkk_attachment_add", kwargs={"slug": "demo", "application_id": application.pk})
    c = _client(client, demo)
    c.post(url, {"a-kind": "2", "a-file": pdf_upload("statut.pdf")})
    attachment = application.attachments.get()
    assert attachment.name == "statut.pdf" and attachment.sha256 and attachment.size == len(PDF)
    assert (media / attachment.file.name).read_bytes() == PDF  # stored under MEDIA_ROOT
    download = c.get(
        reverse("kkk_attachment_download", kwargs={"slug": "demo", "attachment_id": attachment.pk})
    )
    assert b"".join(download.streaming_content) == PDF
    # a stored file that stopped being a PDF is caught by the check, not only at upload
    (media / attachment.file.name).write_bytes(b"garbage")
    _, problems = selectors.application_check(application)
    assert any(
        p.field == "Z"
        and "statut.pdf" in say(p.message)
        and "nie jest plikiem PDF" in say(p.message)
        for p in problems
    )


# --- KKK-3 ------------------------------------------------------------------------------------------


def test_kkk_3_registration_freezes_numbers_and_checksums(ready, demo, client):
    registered = services.application_register(application=ready, user=demo.office, now=at(2026))
    assert registered.status == "registered" and registered.number == "KKK/2026/001"
    assert registered.public_id is not None and len(registered.checksum) == 64
    assert registered.checksum == ka.checksum(registered.content)
    frozen = Application.objects.get(pk=registered.pk)
    assert (
        ka.checksum(frozen.content) == frozen.checksum
    )  # the JSON column gives back the same content

    # the registry changes afterwards; the registered application does not
    Member.objects.filter(cluster=demo, key="m005").update(name="Zmieniona sp. z o.o.")
    Staff.objects.filter(cluster=demo).delete()
    content = selectors.application_content(frozen)
    assert content == frozen.content and ka.checksum(content) == frozen.checksum
    assert not any(r["name"] == "Zmieniona sp. z o.o." for r in ka.item(content, "4")["rows"])

    # and it cannot be edited any more (004 B.12)
    with pytest.raises(ValidationError, match="nie podlega edycji"):
        services.application_update(
            application=frozen, user=demo.office, data={"applicant_name": "X"}
        )
    with pytest.raises(ValidationError, match="nie podlega edycji"):
        services.application_attachment_add(
            application=frozen, user=demo.office, kind="8", upload=pdf_upload()
        )
    with pytest.raises(ValidationError, match="nie podlega edycji"):
        services.application_register(application=frozen, user=demo.office)
    c = _client(client, demo)
    response = c.get(
        reverse("kkk_application_edit", kwargs={"slug": "demo", "application_id": frozen.pk})
    )
    assert response.status_code == 302
    entry = AuditLog.objects.filter(
        model="kkk.Application", object_id=str(frozen.pk), action="register"
    ).get()
    assert entry.changes["number"] == [None, "KKK/2026/001"]


def test_kkk_3_only_a_validated_application_is_registered(demo):
    draft = services.application_create(cluster=demo, user=demo.office, as_of=D)
    with pytest.raises(ValidationError) as exc:
        services.application_register(application=draft, user=demo.office, now=at(2026))
    assert "Sprawdź wniosek" in exc.value.messages[0]
    assert any(m.startswith("3.5") for m in exc.value.messages)
    draft.refresh_from_db()
    assert draft.is_draft and draft.number == "" and draft.seq is None


def test_kkk_3_numbers_are_gap_free_per_cluster_and_year(ready, demo):
    first = services.application_register(application=ready, user=demo.office, now=at(2026, 7, 1))
    # a failed registration in between uses no number
    broken = services.application_create(cluster=demo, user=demo.office, as_of=D)
    services.application_update(application=broken, user=demo.office, data={"statements": []})
    with pytest.raises(ValidationError):
        services.application_register(application=broken, user=demo.office, now=at(2026, 7, 2))
    second = complete(
        services.application_create(cluster=demo, user=demo.office, as_of=D), demo.office
    )
    second = services.application_register(application=second, user=demo.office, now=at(2026, 7, 3))
    third = complete(
        services.application_create(cluster=demo, user=demo.office, as_of=D), demo.office
    )
    third = services.application_register(application=third, user=demo.office, now=at(2027, 1, 4))
    assert [first.number, second.number, third.number] == [
        "KKK/2026/001",
        "KKK/2026/002",
        "KKK/2027/001",
    ]
    assert len({first.public_id, second.public_id, third.public_id}) == 3
    # 004 B.13: of several registered applications the last counts
    assert selectors.counting_application(demo) == third


def test_kkk_3_the_last_registered_counts_and_is_shown(ready, demo, client):
    first = services.application_register(application=ready, user=demo.office, now=at(2026, 7, 1))
    second = complete(
        services.application_create(cluster=demo, user=demo.office, as_of=D), demo.office
    )
    second = services.application_register(application=second, user=demo.office, now=at(2026, 7, 2))
    c = _client(client, demo)
    listing = c.get(reverse("kkk_application_list", kwargs={"slug": "demo"})).content.decode()
    assert "KKK/2026/002" in listing and "KKK/2026/001" in listing
    page = c.get(
        reverse("kkk_application_detail", kwargs={"slug": "demo", "application_id": first.pk})
    )
    assert "KKK/2026/002" in page.content.decode()  # superseded: the later one counts
    page = c.get(
        reverse("kkk_application_detail", kwargs={"slug": "demo", "application_id": second.pk})
    )
    assert page.status_code == 200 and second.checksum in page.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises every write transaction, "
    "so two registrations can never run in parallel there",
)
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_kkk_3_parallel_registrations_get_distinct_consecutive_numbers(
    demo_dataset, settings, tmp_path, monkeypatch
):
    """Two registrations of one cluster at the same moment: the cluster row lock makes the
    second wait for the first, so the numbers are 1 and 2 — never both 1, never a gap.

    To make the race certain rather than lucky, each registration, once it has checked its
    application, waits (up to 3 s) for the other to get as far: without the lock both then
    read the same last number at once; with it the second is still queued on the lock, the
    wait times out, and the first commits before the second reads."""
    from klaster.exchange.dataset_io import cluster_import
    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    cluster = cluster_import(demo_dataset, slug="demo-pg")
    user = UserFactory(username="pg-office")
    drafts = [
        complete(services.application_create(cluster=cluster, user=user, as_of=D), user)
        for _ in range(2)
    ]
    start, checked = threading.Barrier(2), threading.Barrier(2)
    check = selectors.application_check

    def check_then_meet(application):
        result = check(application)
        try:
            checked.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return result

    monkeypatch.setattr(services.selectors, "application_check", check_then_meet)
    results, errors = [], []

    def register(application):
        try:
            start.wait()
            results.append(
                services.application_register(application=application, user=user, now=at(2026)).seq
            )
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert sorted(results) == [1, 2]
    assert sorted(Application.objects.filter(cluster=cluster).values_list("number", flat=True)) == [
        "KKK/2026/001",
        "KKK/2026/002",
    ]


def test_kkk_3_confirmation_letter_is_a_pdf_with_the_registration_data(ready, demo, client):
    registered = services.application_register(
        application=ready, user=demo.office, now=at(2026, 7, 1, 14)
    )
    c = _client(client, demo)
    response = c.get(
        reverse("kkk_application_letter", kwargs={"slug": "demo", "application_id": registered.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in (
        registered.number,
        str(registered.public_id),
        registered.checksum,
        "Fundacja Rozwoju Automatyki Przemysłowej",
        "ul. Piotrkowska 276, 90-361 Łódź",
        "Klaster Automatyki i Robotyki",
        "01.07.2026, 14:00",
    ):
        assert expected in text.replace("\n", ""), expected
    # a draft has no letter
    draft = services.application_create(cluster=demo, user=demo.office, as_of=D)
    assert (
        c.get(
            reverse("kkk_application_letter", kwargs={"slug": "demo", "application_id": draft.pk})
        ).status_code
        == 404
    )


def test_kkk_3_application_exports_as_pdf(ready, demo, client):
    registered = services.application_register(application=ready, user=demo.office, now=at(2026))
    response = _client(client, demo).get(
        reverse("kkk_application_pdf", kwargs={"slug": "demo", "application_id": registered.pk})
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert registered.number in text
    assert "Aktualny wykaz wszystkich członków Klastra" in text and "NIE DOTYCZY" in text
    assert "Wspólne produkty i usługi Klastra" in text


def test_kkk_3_application_exports_as_xlsx_with_numbers(ready, demo, client):
    from openpyxl import load_workbook

    response = _client(client, demo).get(
        reverse("kkk_application_xlsx", kwargs={"slug": "demo", "application_id": ready.pk})
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:3] == ["Wniosek", "Tabela 4", "Tabela 4a"]
    table4 = wb["Tabela 4"]
    header = [c.value for c in table4[2]]
    assert header[:2] == ["Lp.", "Nazwa podmiotu"]
    distance = header.index("Odległość od siedziby Koordynatora (km)") + 1
    values = [table4.cell(row=r, column=distance).value for r in range(3, table4.max_row + 1)]
    assert all(isinstance(v, int | float) for v in values if v is not None) and any(
        v and v > 0 for v in values
    )
    assert table4.cell(row=3, column=1).value == 1
    fields = {
        row[1].value: row[3].value for row in wb["Wniosek"].iter_rows(min_row=10) if row[1].value
    }
    assert isinstance(fields["8.liczba"], int)
    assert (
        isinstance(fields["8.udzial"], float) and 0 < fields["8.udzial"] <= 1
    )  # a share, as a number
    assert isinstance(fields["15"], int | float) and fields["15"] > 1_000_000  # money, as a number
    assert isinstance(fields["3.7"], dt.datetime)  # a date, as a date
    t7 = wb["Tabela 7"]
    assert isinstance(t7.cell(row=3, column=2).value, int)


# --- every edit is audited --------------------------------------------------------------------------


def test_every_edit_of_the_records_and_the_application_is_audited(demo, client):
    c = _client(client, demo)
    before = AuditLog.objects.count()
    members = list(
        Member.objects.filter(cluster=demo).order_by("id").values_list("pk", flat=True)[:3]
    )
    response = c.post(
        reverse("kkk_record_add", kwargs={"slug": "demo", "kind": "projects"}),
        {
            "name": "Wspólny projekt B+R",
            "type": "research",
            "rd": "on",
            "participants": members,
            "value": "1000000.00",
            "start": "2025-01-01",
            "description": "Projekt testowy",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(cluster=demo, name="Wspólny projekt B+R")
    assert project.key and project.participants.count() == 3
    entry = AuditLog.objects.filter(
        model="kkk.Project", object_id=str(project.pk), action="create"
    ).get()
    assert sorted(entry.changes["participants"][1]) == sorted(
        Member.objects.filter(pk__in=members).values_list("key", flat=True)
    )
    edit = reverse(
        "kkk_record_edit", kwargs={"slug": "demo", "kind": "projects", "record_id": project.pk}
    )
    c.post(
        edit,
        versioned(
            c,
            edit,
            {
                "key": project.key,
                "name": "Wspólny projekt B+R",
                "type": "research",
                "rd": "on",
                "participants": members[:2],
                "value": "1500000.00",
                "start": "2025-01-01",
                "description": "Projekt testowy",
            },
        ),
    )
    entry = AuditLog.objects.filter(
        model="kkk.Project", object_id=str(project.pk), action="update"
    ).get()
    assert (
        entry.changes["value"] == ["1000000.00", "1500000.00"] and "participants" in entry.changes
    )
    c.post(
        reverse(
            "kkk_record_remove",
            kwargs={"slug": "demo", "kind": "projects", "record_id": project.pk},
        )
    )
    assert AuditLog.objects.filter(
        model="kkk.Project", object_id=str(project.pk), action="delete"
    ).exists()

    coordinator = reverse("kkk_coordinator", kwargs={"slug": "demo"})
    c.post(
        coordinator,
        versioned(c, coordinator, {"coordinator_experience_years": "4", "platform_sales": "on"}),
    )
    entry = AuditLog.objects.filter(model="core.Cluster", action="update").latest("id")
    assert "coordinator_experience_years" in entry.changes
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    edit = reverse(
        "kkk_application_edit", kwargs={"slug": "demo", "application_id": application.pk}
    )
    c.post(
        edit,
        versioned(
            c,
            edit,
            {
                "as_of": "2026-06-30",
                "mode": "grant",
                "edition": "2021",
                "applicant_address": "ul. Piotrkowska 276, 90-361 Łódź",
                "statements": ["1", "2"],
                "fte_iob": "12.5",
            },
        ),
    )
    entry = AuditLog.objects.filter(
        model="kkk.Application", object_id=str(application.pk), action="update"
    ).get()
    assert entry.changes["statements"] == [[], [1, 2]] and entry.changes["fte"] == [
        {},
        {"iob": "12.5"},
    ]
    assert AuditLog.objects.count() >= before + 6


def test_kis_are_at_most_three(demo, client):
    """004 pt 25: at most three KIS; the fourth is refused when entered."""
    from klaster.kkk.models import Kis

    c = _client(client, demo)
    have = Kis.objects.filter(cluster=demo).count()
    for n in range(have, 4):
        c.post(
            reverse("kkk_record_add", kwargs={"slug": "demo", "kind": "kis"}),
            {"number": str(n + 1), "justification": "Projekty klastra."},
        )
    assert Kis.objects.filter(cluster=demo).count() == 3
    with pytest.raises(ValidationError):
        services.activity_record_create(
            cluster=demo, kind="kis", user=demo.office, data={"number": 9, "justification": "x"}
        )


def test_a_project_key_is_unique_in_the_cluster(demo, client):
    """A second project with the key of an existing one is refused with a message, not a server error."""
    taken = Project.objects.filter(cluster=demo).order_by("id").first().key
    response = _client(client, demo).post(
        reverse("kkk_record_add", kwargs={"slug": "demo", "kind": "projects"}),
        {"key": taken, "name": "Duplikat", "type": "other"},
    )
    assert response.status_code == 200 and "już istnieje" in response.content.decode()
    assert not Project.objects.filter(cluster=demo, name="Duplikat").exists()
