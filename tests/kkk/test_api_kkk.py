"""Issue 9 point 6: KKK records and applications in the API -- the office only, the pages' forms
(so the same messages) and the same services (KKK-1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.kkk.models import Application, Project
from tests.core.dbstate import assert_unchanged, db_fingerprint

pytestmark = pytest.mark.django_db


def _records(kind="projects", slug="alfa"):
    return reverse("api_kkk_records", kwargs={"cluster_slug": slug, "kind": kind})


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def _project(world, name="Wspólny projekt B+R"):
    return {
        "name": name,
        "type": "research",
        "rd": True,
        "participants": [world.member_a.pk, world.member_b.pk],
        "value": "1000000.00",
        "start": "2025-01-01",
        "description": "Projekt testowy",
    }


def test_kkk_1_office_adds_a_record_as_on_the_page(world, client_for):
    office = client_for("office")
    response = _post(office, _records(), _project(world))
    assert response.status_code == 201, response.content
    project = Project.objects.get(cluster=world.alfa, name="Wspólny projekt B+R")
    assert set(project.participants.values_list("pk", flat=True)) == {
        world.member_a.pk,
        world.member_b.pk,
    }
    [row] = office.get(_records()).json()
    assert row["id"] == project.pk and sorted(row["participants"]) == sorted(
        [world.member_a.pk, world.member_b.pk]
    )


def test_a_record_naming_another_clusters_member_is_refused_by_field(world, client_for):
    office = client_for("office")
    before = db_fingerprint()
    bad = {**_project(world), "participants": [world.member_beta.pk], "name": ""}
    response = _post(office, _records(), bad)
    assert response.status_code == 400
    errors = response.json()
    assert {"participants", "name"} <= set(errors)
    assert "To pole jest wymagane." in errors["name"]
    assert_unchanged(before, "foreign participant")


def test_an_unknown_kind_is_not_found(world, client_for):
    assert client_for("office").get(_records("nie-ma")).status_code == 404


def test_kkk_applications_by_the_api(world, client_for):
    office = client_for("office")
    url = reverse("api_kkk_applications", kwargs={"cluster_slug": "alfa"})
    response = _post(office, url, {"as_of": "2026-06-30", "mode": "grant", "edition": "2021"})
    assert response.status_code == 201, response.content
    assert Application.objects.filter(cluster=world.alfa, pk=response.json()["id"]).exists()
    assert [a["id"] for a in office.get(url).json()] == [response.json()["id"]]
    chair = client_for("chair")
    before = db_fingerprint()
    assert (
        _post(chair, url, {"as_of": "2026-06-30", "mode": "grant", "edition": "2021"}).status_code
        == 403
    )
    assert_unchanged(before, "chair")


def test_record_list_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    office = client_for("office")
    _post(office, _records(), _project(world, "Projekt 0"))
    with django_assert_max_num_queries(20) as one:
        assert len(office.get(_records()).json()) == 1
    baseline = len(one.captured_queries)  # read now: every request clears the query log
    for i in range(1, 12):
        _post(office, _records(), _project(world, f"Projekt {i}"))
    with django_assert_max_num_queries(baseline):
        assert len(office.get(_records()).json()) == 12


def _detail(record_id, kind="projects"):
    return reverse(
        "api_kkk_record_detail",
        kwargs={"cluster_slug": "alfa", "kind": kind, "record_id": record_id},
    )


def _patch(client, url, data, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return client.patch(url, data=data, content_type="application/json", headers=headers)


def test_a_record_edit_names_what_it_read_and_a_stale_one_is_refused(world, client_for):
    office = client_for("office")
    record_id = _post(office, _records(), _project(world)).json()["id"]
    url = _detail(record_id)
    read = office.get(url)
    etag = read["ETag"]
    assert read.json()["name"] == "Wspólny projekt B+R"
    assert _patch(office, url, {"name": "Bez wersji"}).status_code == 428
    changed = _patch(office, url, {"name": "Projekt po zmianie"}, etag)
    assert changed.status_code == 200, changed.content
    assert Project.objects.get(pk=record_id).name == "Projekt po zmianie"
    assert changed.json()["participants"]  # fields not sent stay as they were
    before = db_fingerprint()
    stale = _patch(office, url, {"name": "Z nieaktualnego odczytu"}, etag)
    assert stale.status_code == 412
    # the edit form's message (klaster.core.concurrency.StaleEdit), in Polish
    assert stale.json()["detail"].startswith("Ktoś inny zapisał ten rekord")
    assert_unchanged(before, "stale record edit")
    assert _patch(office, url, {"name": "Świeży"}, stale["ETag"]).status_code == 200
    assert office.delete(url).status_code == 204
    assert not Project.objects.filter(pk=record_id).exists()
