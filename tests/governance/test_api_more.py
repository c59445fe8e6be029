"""Issue 9 point 6: the admission page's "update" form (GOV-5) and a representative's online
check-in (GOV-4: a member present in person or online) by the API (klaster/governance/api_more.py),
with the pages' access helpers, forms and the same refusals by field. Who may call what:
tests/governance/matrix_api.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klaster.governance.models import Admission, Attendance
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.governance.matrix import admission, meeting

pytestmark = pytest.mark.django_db


def _patch(client, url, data, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return client.patch(url, data=data, content_type="application/json", headers=headers)


def test_gov_5_admission_data_by_the_api_as_the_page_form(world, client_for):
    office = client_for("office")
    url = reverse(
        "api_admission_data", kwargs={"cluster_slug": "alfa", "admission_id": admission(world)}
    )
    read = office.get(url)
    assert read.status_code == 200 and read.json()["monitoring_data_provided"] is False
    etag = read["ETag"]
    assert _patch(office, url, {"rules_accepted_on": "2025-05-05"}).status_code == 428
    before = db_fingerprint()
    bad = _patch(office, url, {"rules_accepted_on": "wczoraj"}, etag)
    assert bad.status_code == 400 and set(bad.json()) == {"rules_accepted_on"}
    stranger = _patch(office, url, {"recommenders": [world.member_beta.pk]}, etag)
    assert stranger.status_code == 400 and set(stranger.json()) == {"recommenders"}
    assert_unchanged(before, "refused admission data")
    done = _patch(
        office,
        url,
        {
            "rules_accepted_on": "2025-05-05",
            "monitoring_data_provided": True,
            "recommenders": [world.member_a.pk],
        },
        etag,
    )
    assert done.status_code == 200, done.content
    a = Admission.objects.get(pk=admission(world))
    assert a.rules_accepted_on == dt.date(2025, 5, 5) and a.monitoring_data_provided
    assert list(a.recommenders.values_list("pk", flat=True)) == [world.member_a.pk]
    assert done.json()["declaration_signed_on"] is None  # untouched fields stay as they were
    assert _patch(office, url, {"entry_fee_due": "100.00"}, etag).status_code == 412


def test_gov_5_a_decided_candidate_refuses_changes_with_the_services_words(world, client_for):
    office = client_for("office")
    aid = admission(world)
    Admission.objects.filter(pk=aid).update(decision=Admission.Decision.ADMITTED)
    url = reverse("api_admission_data", kwargs={"cluster_slug": "alfa", "admission_id": aid})
    etag = office.get(url)["ETag"]
    before = db_fingerprint()
    response = _patch(office, url, {"rules_accepted_on": "2025-05-05"}, etag)
    assert response.status_code == 400 and "non_field_errors" in response.json()
    assert_unchanged(before, "decided admission")


def test_gov_4_a_representative_checks_its_own_member_in_online(world, client_for):
    url = reverse(
        "api_meeting_check_in", kwargs={"cluster_slug": "alfa", "meeting_id": meeting(world)}
    )
    member = client_for("member")
    before = db_fingerprint()
    other = member.post(url, data={"member": world.member_b.pk}, content_type="application/json")
    assert other.status_code == 400 and set(other.json()) == {"member"}
    unknown = member.post(url, data={"member": "x"}, content_type="application/json")
    assert unknown.status_code == 400 and set(unknown.json()) == {"member"}
    assert_unchanged(before, "refused check-ins")
    done = member.post(url, data={"member": world.member_a.pk}, content_type="application/json")
    assert done.status_code == 201, done.content
    attendance = Attendance.objects.get(meeting_id=meeting(world), member=world.member_a)
    assert attendance.mode == "online" and done.json()["mode"] == "online"


def test_gov_another_clusters_office_cannot_touch_alfas_admission(world, client_for):
    aid, mid = admission(world), meeting(world)
    outsider = client_for("outsider")
    url = reverse("api_admission_data", kwargs={"cluster_slug": "beta", "admission_id": aid})
    before = db_fingerprint()
    assert _patch(outsider, url, {"rules_accepted_on": "2025-05-05"}, '"1.x"').status_code == 404
    check_in = reverse("api_meeting_check_in", kwargs={"cluster_slug": "beta", "meeting_id": mid})
    assert (
        outsider.post(
            check_in, data={"member": world.member_a.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    assert_unchanged(before, "beta's office on alfa's governance")
