"""Issue 9 point 6: statute profile versions in the API -- the statute page's access, its service
(`statute_profile_set`) and its refusal of a save from a stale read (here: If-Match / ETag)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from klaster.core.models import StatuteProfileVersion
from klaster.core.services import statute_profile_set
from tests.core.dbstate import assert_unchanged, db_fingerprint

pytestmark = pytest.mark.django_db
URL = reverse("api_statute_versions", kwargs={"cluster_slug": "alfa"})


def _save(client, data, etag=None):
    headers = {"If-Match": etag} if etag else {}
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def test_office_saves_a_version_naming_what_it_read(world, client_for):
    office = client_for("office")
    read = office.get(URL)
    assert read.status_code == 200 and read.json() == []
    saved = _save(office, {"valid_from": "2020-01-01", "preset": "evoluma"}, read["ETag"])
    assert saved.status_code == 201, saved.content
    assert StatuteProfileVersion.objects.filter(cluster=world.alfa, preset="evoluma").count() == 1
    listed = client_for("chair").get(URL).json()  # organ members read them
    assert [v["preset"] for v in listed] == ["evoluma"]
    assert listed[0]["data"] == saved.json()["data"]


def test_a_save_from_a_stale_read_is_refused(world, client_for):
    office = client_for("office")
    etag = office.get(URL)["ETag"]
    # someone else saves meanwhile (the page, another client)
    statute_profile_set(
        cluster=world.alfa,
        valid_from=dt.date(2020, 1, 1),
        user=world.users["office"],
        preset="evoluma",
    )
    before = db_fingerprint()
    stale = _save(office, {"valid_from": "2024-01-01", "preset": "infotech"}, etag)
    assert stale.status_code == 412
    assert "zmieni" in stale.json()["detail"]  # the page's message, in Polish
    assert stale["ETag"] != etag
    assert_unchanged(before, "stale statute save")
    missing = _save(office, {"valid_from": "2024-01-01", "preset": "infotech"})
    assert missing.status_code == 428
    assert_unchanged(before, "statute save without If-Match")
    fresh = _save(office, {"valid_from": "2024-01-01", "preset": "infotech"}, stale["ETag"])
    assert fresh.status_code == 201


def test_service_refusals_are_400_by_field(world, client_for):
    office = client_for("office")
    etag = office.get(URL)["ETag"]
    before = db_fingerprint()
    response = _save(office, {"valid_from": "2020-01-01", "preset": "nie-ma-takiego"}, etag)
    assert response.status_code == 400
    assert "Nieznany profil statutu" in response.json()["preset"][0]
    assert_unchanged(before, "unknown preset")


def test_only_the_office_saves(world, client_for):
    for persona, code in [("chair", 403), ("member", 403), ("outsider", 404)]:
        client = client_for(persona)
        before = db_fingerprint()
        response = _save(client, {"valid_from": "2020-01-01", "preset": "evoluma"}, '"statute-0"')
        assert response.status_code == code, persona
        assert_unchanged(before, persona)
