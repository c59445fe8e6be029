"""Issue 9 point 6: the register's facts by the API (klaster/members/api_facts.py) — science
sub-units (MEM-3), independence links (MEM-11), a person's link end (MEM-8), personal data and
legal holds (MEM-12), the cluster's settings (MEM-1, MEM-2) — with the pages' access helpers, forms
(the same messages by field) and services. Who may call what: tests/members/matrix.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klaster.core.models import AuditLog, Cluster
from klaster.members.models import IndependenceLink, LegalHold, ScienceSubunit
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.factories import DelegatedPersonFactory, ScienceSubunitFactory

pytestmark = pytest.mark.django_db


def _url(name, slug="alfa", **kwargs):
    return reverse(name, kwargs={"cluster_slug": slug, **kwargs})


def _json(client, method, url, data=None, **headers):
    return getattr(client, method)(
        url, data=data or {}, content_type="application/json", headers=headers
    )


def _science(world):
    world.member_a.type = "science"
    world.member_a.save(update_fields=["type"])


def _person(world, **extra):
    return DelegatedPersonFactory(
        member=world.member_a, name="Anna Testowa", to_general_assembly=True, **extra
    )


def test_mem_3_subunits_by_the_api_add_rename_remove(world, client_for):
    _science(world)
    office = client_for("office")
    added = _json(
        office,
        "post",
        _url("api_subunit_list", pk=world.member_a.pk),
        {"name": "Wydział Fizyki", "category": "A+"},
    )
    assert added.status_code == 201, added.content
    sid = added.json()["id"]
    # the member's representative reads it, as on the member's page
    listed = client_for("member").get(_url("api_subunit_list", pk=world.member_a.pk)).json()
    assert [s["name"] for s in listed] == ["Wydział Fizyki"]
    url = _url("api_subunit_detail", subunit_id=sid)
    assert _json(office, "patch", url, {"category": "A"}).status_code == 428
    etag = office.get(url)["ETag"]
    changed = _json(office, "patch", url, {"category": "A"}, **{"If-Match": etag})
    assert changed.status_code == 200, changed.content
    assert ScienceSubunit.objects.get(pk=sid).category == "A"
    # the version read before the change is stale now: 412, nothing changes
    stale = _json(office, "patch", url, {"name": "Inny"}, **{"If-Match": etag})
    assert stale.status_code == 412
    assert ScienceSubunit.objects.get(pk=sid).name == "Wydział Fizyki"
    assert office.delete(url).status_code == 204
    assert not ScienceSubunit.objects.filter(pk=sid).exists()


def test_mem_3_subunit_refusals_by_field_and_nothing_written(world, client_for):
    office, chair = (
        client_for("office"),
        client_for("chair"),
    )  # logins write: before the fingerprint
    url = _url("api_subunit_list", pk=world.member_a.pk)
    before = db_fingerprint()
    # member A is an enterprise: the service's own words, on the name
    wrong_kind = _json(office, "post", url, {"name": "Wydział", "category": "A"})
    assert wrong_kind.status_code == 400
    assert "science" in wrong_kind.json()["name"][0] or "naukow" in wrong_kind.json()["name"][0]
    _science(world)
    before = db_fingerprint()
    bad = _json(office, "post", url, {"name": "Wydział", "category": "B"})
    assert bad.status_code == 400 and set(bad.json()) == {"category"}
    # an organ member reads the member but may not write
    assert _json(chair, "post", url, {"name": "W", "category": "A"}).status_code == 403
    assert_unchanged(before, "subunit refusals")


def test_mem_11_links_by_the_api(world, client_for):
    office = client_for("office")
    url = _url("api_independence_link_list", pk=world.member_a.pk)
    added = _json(office, "post", url, {"other": world.member_b.pk, "kind": "linked"})
    assert added.status_code == 201, added.content
    link_id = added.json()["id"]
    # shown on both members' pages: member B's representative reads it from B's side
    other_side = client_for("proxy").get(_url("api_independence_link_list", pk=world.member_b.pk))
    assert [row["id"] for row in other_side.json()] == [link_id]
    before = db_fingerprint()
    again = _json(office, "post", url, {"other": world.member_b.pk, "kind": "partner"})
    assert again.status_code == 400  # the service refuses a second link of the same pair
    unknown = _json(office, "post", url, {"other": world.member_beta.pk, "kind": "partner"})
    assert unknown.status_code == 400 and "other" in unknown.json()
    assert_unchanged(before, "link refusals")
    assert office.delete(_url("api_independence_link_detail", link_id=link_id)).status_code == 204
    assert not IndependenceLink.objects.filter(pk=link_id).exists()


def test_mem_8_link_end_by_the_office_and_by_the_representative(world, client_for):
    person = _person(world)
    url = _url("api_delegate_link_end", person_id=person.pk)
    bad = _json(client_for("member"), "post", url, {"link_ended": "not a date"})
    assert bad.status_code == 400 and set(bad.json()) == {"link_ended"}
    # the representative's "reported" is ignored, as on the portal
    done = _json(
        client_for("member"),
        "post",
        url,
        {"link_ended": "2025-03-01", "link_end_reported": "2025-03-02"},
    )
    assert done.status_code == 200, done.content
    person.refresh_from_db()
    assert person.link_ended == dt.date(2025, 3, 1) and person.link_end_reported is None
    reminders = client_for("office").get(_url("api_delegate_reminders")).json()
    assert [r["person"]["id"] for r in reminders] == [person.pk]
    reported = _json(
        client_for("office"),
        "post",
        _url("api_delegate_link_end_reported", person_id=person.pk),
        {"link_end_reported": "2025-03-05"},
    )
    assert reported.status_code == 200
    assert client_for("office").get(_url("api_delegate_reminders")).json() == []


def test_mem_8_reported_before_the_end_is_refused_by_field(world, client_for):
    person = _person(world)
    office = client_for("office")
    before = db_fingerprint()
    response = _json(
        office,
        "post",
        _url("api_delegate_link_end_reported", person_id=person.pk),
        {"link_end_reported": "2025-03-05"},
    )
    assert response.status_code == 400
    assert "link_end_reported" in response.json()
    assert_unchanged(before, "reported before the end")


def test_mem_12_holds_export_and_erasure_by_the_api(world, client_for):
    person = _person(world, email="anna@example.org", link_ended=dt.date(2024, 1, 1))
    office = client_for("office")
    holds = _url("api_legal_holds", person_id=person.pk)
    missing = _json(office, "post", holds, {"reason": "Roszczenie"})
    assert missing.status_code == 400 and set(missing.json()) == {"basis"}
    held = _json(office, "post", holds, {"reason": "Roszczenie", "basis": "art. 17 ust. 3 lit. e"})
    assert held.status_code == 201 and held.json()["in_force"] is True
    export = _json(office, "post", _url("api_person_data_export", person_id=person.pk))
    assert export.status_code == 200
    assert export.json()["delegated_person_records"][0]["email"] == "anna@example.org"
    erase = _url("api_person_data_erase", person_id=person.pk)
    unconfirmed = _json(office, "post", erase, {})
    assert unconfirmed.status_code == 400 and set(unconfirmed.json()) == {"confirm"}
    before = db_fingerprint()
    refused = _json(office, "post", erase, {"confirm": True})  # the hold stands: refused
    assert refused.status_code == 400
    assert_unchanged(before, "erasure under a hold")
    hold_id = held.json()["id"]
    released = _json(office, "post", _url("api_legal_hold_release", hold_id=hold_id))
    assert released.status_code == 200 and released.json()["in_force"] is False
    again = _json(office, "post", _url("api_legal_hold_release", hold_id=hold_id))
    assert again.status_code == 400 and "hold" in again.json()
    erased = _json(office, "post", erase, {"confirm": True})
    assert erased.status_code == 200, erased.content
    person.refresh_from_db()
    assert person.erased is not None and person.email != "anna@example.org"
    assert LegalHold.objects.filter(person=person).count() == 1


def test_mem_1_cluster_settings_by_the_api(world, client_for):
    office = client_for("office")
    url = _url("api_cluster_settings")
    read = office.get(url)
    assert read.status_code == 200 and read.json()["name"] == "Klaster Alfa"
    assert _json(office, "patch", url, {"name": "Klaster Alfa Plus"}).status_code == 428
    etag = read["ETag"]
    before = db_fingerprint()
    bad = _json(
        office, "patch", url, {"contact_email": "nie-adres", "city": "X"}, **{"If-Match": etag}
    )
    assert bad.status_code == 400 and set(bad.json()) == {"city"}
    bad = _json(office, "patch", url, {"contact_email": "nie-adres"}, **{"If-Match": etag})
    assert bad.status_code == 400 and set(bad.json()) == {"contact_email"}
    assert_unchanged(before, "settings refusals")
    done = _json(
        office,
        "patch",
        url,
        {"name": "Klaster Alfa Plus", "specialisation_codes": ["62.01.Z", "62.02.Z"]},
        **{"If-Match": etag},
    )
    assert done.status_code == 200, done.content
    cluster = Cluster.objects.get(pk=world.alfa.pk)
    assert cluster.name == "Klaster Alfa Plus"
    assert cluster.specialisation_codes == ["62.01.Z", "62.02.Z"]
    assert cluster.coordinator_id == world.coordinator.pk  # untouched fields stay as they were
    assert AuditLog.objects.filter(cluster=cluster, action="update").exists()
    stale = _json(office, "patch", url, {"name": "Znowu"}, **{"If-Match": etag})
    assert stale.status_code == 412


def test_mem_1_another_clusters_office_cannot_touch_alfas_facts(world, client_for):
    """The office of beta with its own slug and alfa's ids: 404, nothing written."""
    _science(world)
    sub = ScienceSubunitFactory(member=world.member_a, name="Wydział", category="A")
    person = _person(world)
    outsider = client_for("outsider")
    before = db_fingerprint()
    assert outsider.delete(_url("api_subunit_detail", "beta", subunit_id=sub.pk)).status_code == 404
    assert (
        _json(
            outsider,
            "post",
            _url("api_legal_holds", "beta", person_id=person.pk),
            {"reason": "x", "basis": "y"},
        ).status_code
        == 404
    )
    assert (
        _json(
            outsider,
            "post",
            _url("api_subunit_list", "beta", pk=world.member_a.pk),
            {"name": "Obcy", "category": "A"},
        ).status_code
        == 404
    )
    assert_unchanged(before, "beta's office on alfa's ids")
