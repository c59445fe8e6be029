"""Issue 7 point 4 for the KKK application's shared records: the application's data, the records
behind sections 9–34, the coordinator's facts, the experts' and the panel's scores. A save from a
form shown before somebody else's save is refused with who changed what; nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from klaster.core.concurrency import StaleEdit
from klaster.kkk import services
from klaster.kkk.models import Application, ExpertScore, PanelScore
from tests.core.test_stale_edits import version_in
from tests.kkk.conftest import D


@pytest.fixture
def two(demo):
    from tests.factories import UserFactory, grant

    ewa = UserFactory(username="ewa-kkk", first_name="Ewa", last_name="Nowak")
    grant(ewa, demo, "office")
    first, second = Client(), Client()
    first.force_login(demo.office)
    second.force_login(ewa)
    return first, second


def test_issue7_application_edit_from_a_stale_form_is_refused(demo, two):
    first, second = two
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    url = reverse("kkk_application_edit", kwargs={"slug": "demo", "application_id": application.pk})
    seen = version_in(first.get(url))
    base = {"as_of": D.isoformat(), "mode": application.mode, "edition": application.edition}
    r = second.post(
        url, {**base, "applicant_name": "Fundacja Ewy", "version": version_in(second.get(url))}
    )
    assert r.status_code == 302
    r = first.post(url, {**base, "appointment_document": "Umowa § 3", "version": seen})
    assert r.status_code == 200 and "Ewa Nowak" in r.content.decode()
    application.refresh_from_db()
    assert application.applicant_name == "Fundacja Ewy" and application.appointment_document == ""


def test_issue7_record_edit_from_a_stale_form_is_refused(demo, two):
    from klaster.kkk.records import RECORD_KINDS

    first, second = two
    record = RECORD_KINDS["projects"].queryset(demo).order_by("id").first()
    url = reverse(
        "kkk_record_edit", kwargs={"slug": "demo", "kind": "projects", "record_id": record.pk}
    )
    seen = version_in(first.get(url))
    tracked = services.activity_record_tracked(record, "projects")
    services.activity_record_update(
        record=record,
        kind="projects",
        user=None,
        data={"name": "Nowy tytuł"},
        expected_version=version_in(second.get(url)),
    )
    with pytest.raises(StaleEdit):
        services.activity_record_update(
            record=record,
            kind="projects",
            user=None,
            data={"name": "Inny tytuł"},
            expected_version=seen,
        )
    record.refresh_from_db()
    assert record.name == "Nowy tytuł"
    assert services.activity_record_tracked(record, "projects").values != tracked.values


def test_issue7_coordinator_facts_experts_and_panel_refuse_stale_versions(demo, two):
    first, second = two
    url = reverse("kkk_coordinator", kwargs={"slug": "demo"})
    seen = version_in(first.get(url))
    assert (
        second.post(
            url, {"coordinator_experience_years": "9.5", "version": version_in(second.get(url))}
        ).status_code
        == 302
    )
    r = first.post(
        url, {"coordinator_experience_years": "3", "platform_sales": "on", "version": seen}
    )
    assert r.status_code == 200
    demo.refresh_from_db()
    assert str(demo.coordinator_experience_years) == "9.5" and not demo.platform_sales

    experts = reverse("kkk_experts", kwargs={"slug": "demo"})
    seen = version_in(first.get(experts))
    assert (
        second.post(
            experts, {"e1_name": "Ewa Ekspert", "version": version_in(second.get(experts))}
        ).status_code
        == 302
    )
    r = first.post(experts, {"e1_name": "Jan Ekspert", "version": seen})
    assert r.status_code == 200 and "Ewa Nowak" in r.content.decode()
    assert list(ExpertScore.objects.filter(cluster=demo).values_list("name", flat=True)) == [
        "Ewa Ekspert"
    ]

    panel = reverse("kkk_panel", kwargs={"slug": "demo"})
    page = first.get(experts).content.decode()
    import re

    seen = re.search(r'name="p-version" value="([^"]+)"', page).group(1)
    scores = {
        "p-successes_strategy": "5",
        "p-knowledge_transfer": "5",
        "p-public_policies": "5",
        "p-pandemic": "5",
    }
    assert second.post(panel, {**scores, "p-version": seen}).status_code == 302
    assert PanelScore.objects.get(cluster=demo).pandemic == 5
    r = first.post(panel, {**scores, "p-pandemic": "1", "p-version": seen}, follow=True)
    assert "nic nie zapisano" in r.content.decode().lower()
    assert PanelScore.objects.get(cluster=demo).pandemic == 5


def test_issue7_services_without_a_version_still_write(demo):
    """Imports, the CLI and the services' own follow-up writes pass no version: no check."""
    application = services.application_create(cluster=demo, user=demo.office, as_of=D)
    services.application_update(
        application=application, user=demo.office, data={"applicant_name": "A"}
    )
    with pytest.raises(ValidationError):
        services.application_update(
            application=application,
            user=demo.office,
            data={"applicant_name": "B"},
            expected_version="garbage",
        )
    assert Application.objects.get(pk=application.pk).applicant_name == "A"
