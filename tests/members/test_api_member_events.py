"""Issue 9 point 6: membership events in the API (MEM-5, MEM-6) -- the member page's form and
service, the office writes, whoever reads the member reads its events."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.members.models import MembershipEvent
from tests.core.dbstate import assert_unchanged, db_fingerprint

pytestmark = pytest.mark.django_db


def _url(member, slug="alfa"):
    return reverse("api_member_events", kwargs={"cluster_slug": slug, "pk": member.pk})


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_mem_6_office_records_an_event_and_the_member_reads_it(world, client_for):
    office = client_for("office")
    response = _post(
        office, _url(world.member_a), {"kind": "suspended", "date": "2024-01-10", "document": "U/1"}
    )
    assert response.status_code == 201, response.content
    assert MembershipEvent.objects.filter(member=world.member_a, kind="suspended").exists()
    events = client_for("member").get(_url(world.member_a)).json()
    assert "suspended" in [e["kind"] for e in events]


def test_mem_5_a_category_change_names_the_category_as_on_the_page(world, client_for):
    office = client_for("office")
    before = db_fingerprint()
    response = _post(office, _url(world.member_a), {"kind": "category", "date": "2024-01-10"})
    assert response.status_code == 400
    assert response.json()["category"] == ["Wybierz nową kategorię."]
    assert_unchanged(before, "category without category")


def test_only_the_office_records_events(world, client_for):
    for persona, code in [("member", 403), ("chair", 403), ("outsider", 404)]:
        client = client_for(persona)
        before = db_fingerprint()
        response = _post(client, _url(world.member_a), {"kind": "suspended", "date": "2025-01-01"})
        assert response.status_code == code, persona
        assert_unchanged(before, persona)
    # another cluster's member under this cluster's slug: 404 even for this cluster's office
    office = client_for("office")
    before = db_fingerprint()
    foreign = _post(office, _url(world.member_beta), {"kind": "suspended", "date": "2025-01-01"})
    assert foreign.status_code == 404
    assert_unchanged(before, "foreign member")
