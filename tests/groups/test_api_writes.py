"""Issue 9 point 6: the groups' pages' writes by the API (klaster/groups/api_writes.py), GZW-1…GZW-5,
with the pages' access helpers, forms (the same messages by field) and services. Who may call what:
tests/groups/matrix.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.groups.models import GroupContact, GroupMaterial, GroupMeeting, WorkingGroup
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.groups.builders import consortium, evoluma, extra_contact, it_group, material

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name, slug="alfa", **kwargs):
    return reverse(name, kwargs={"cluster_slug": slug, **kwargs})


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_gzw_1_the_office_creates_a_group_by_the_api_as_on_the_page(world, client_for):
    office = client_for("office")
    url = _url("api_group_create")
    body = {
        "kind": "additional",
        "name": "Grupa AI",
        "by_coordinator": True,
        "board_resolution": "1/2025",
        "board_resolution_date": "2025-05-05",
    }
    before = db_fingerprint()
    # no statute profile in force: the service's words, on the field the page shows them
    refused = _post(office, url, body)
    assert refused.status_code == 400 and set(refused.json()) == {"board_resolution_date"}
    no_resolution = _post(office, url, {"kind": "additional", "name": "Grupa AI"})
    assert no_resolution.status_code == 400 and "board_resolution" in no_resolution.json()
    assert_unchanged(before, "refused group")
    evoluma(world.alfa)
    done = _post(office, url, body)
    assert done.status_code == 201, done.content
    assert WorkingGroup.objects.get(pk=done.json()["id"]).name == "Grupa AI"
    areas = _post(office, _url("api_group_areas_ensure"), {})
    assert areas.status_code == 200 and areas.json()["created"]


def test_gzw_2_withdrawal_by_the_api_own_member_only(world, client_for):
    group = it_group(world)
    url = _url("api_group_withdraw", group_pk=group.pk)
    proxy, member = client_for("proxy"), client_for("member")
    before = db_fingerprint()
    # member B's representative may not withdraw member A
    assert _post(proxy, url, {"member": world.member_a.pk, "on": "2025-06-01"}).status_code == 403
    bad = _post(member, url, {"member": world.member_a.pk, "on": "jutro"})
    assert bad.status_code == 400 and set(bad.json()) == {"on"}
    assert_unchanged(before, "refused withdrawals")
    done = _post(member, url, {"member": world.member_a.pk, "on": "2025-06-01"})
    assert done.status_code == 201, done.content
    assert group.declarations.get(member=world.member_a).withdrawn_on.isoformat() == "2025-06-01"


def test_gzw_4_meetings_materials_and_contacts_by_the_api(world, client_for):
    group = it_group(world)
    office, member = client_for("office"), client_for("member")
    meeting = _post(office, _url("api_group_meetings", group_pk=group.pk), {"date": "2025-05-05"})
    assert meeting.status_code == 201, meeting.content
    assert GroupMeeting.objects.filter(pk=meeting.json()["id"], confidential=False).exists()
    # a representative's material is its own member's, file uploaded as on the page
    upload = SimpleUploadedFile("analiza.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    added = member.post(
        _url("api_group_materials", group_pk=group.pk),
        data={"title": "Analiza", "file": upload, "confidential": "on"},
    )
    assert added.status_code == 201, added.content
    m = GroupMaterial.objects.get(pk=added.json()["id"])
    assert m.provided_by_id == world.member_a.pk and m.confidential and m.file
    got = member.get(_url("api_group_material_file", material_id=m.pk))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    # outside the group a confidential material does not exist
    assert (
        client_for("chair").get(_url("api_group_material_file", material_id=m.pk)).status_code
        == 404
    )
    marked = client_for("member").patch(
        _url("api_group_material", material_id=m.pk),
        data={"confidential": False},
        content_type="application/json",
    )
    assert marked.status_code == 200
    m.refresh_from_db()
    assert m.confidential is False
    contact = _post(
        office,
        _url("api_group_contact_add", group_pk=group.pk),
        {"name": "Ewa", "email": "nie-adres"},
    )
    assert contact.status_code == 400 and set(contact.json()) == {"email"}
    contact = _post(
        office,
        _url("api_group_contact_add", group_pk=group.pk),
        {"name": "Ewa", "email": "ewa@example.org"},
    )
    assert contact.status_code == 201
    removed = office.delete(_url("api_group_contact_remove", contact_id=contact.json()["id"]))
    assert removed.status_code == 204
    assert not GroupContact.objects.filter(pk=contact.json()["id"]).exists()


def test_gzw_4_an_oversized_material_is_refused_on_its_field(world, client_for, settings):
    settings.KLASTER_UPLOAD_LIMITS = {"group_material": 10}
    group = it_group(world)
    member = client_for("member")
    before = db_fingerprint()
    response = member.post(
        _url("api_group_materials", group_pk=group.pk),
        data={"title": "Duży", "file": SimpleUploadedFile("d.pdf", b"x" * 100)},
    )
    assert response.status_code == 400 and set(response.json()) == {"file"}
    assert_unchanged(before, "oversized material")


def test_gzw_3_notify_and_opinion_by_the_api(world, client_for):
    group = consortium(world)
    notified = _post(
        client_for("member"),
        _url("api_special_form_notify", group_pk=group.pk),
        {"recipient": "coordinator", "send": False, "on": "2025-05-05"},
    )
    assert notified.status_code == 201, notified.content
    assert group.notifications.count() == 1
    bad = _post(
        client_for("office"),
        _url("api_special_form_opinion", group_pk=group.pk),
        {"opinion": "maybe", "text": "", "on": "2025-05-06"},
    )
    assert bad.status_code == 400 and {"opinion", "text"} <= set(bad.json())


def test_gzw_another_clusters_office_cannot_write_alfas_groups(world, client_for):
    group = it_group(world)
    contact = extra_contact(world)
    mat = material(world, confidential=False)
    outsider = client_for("outsider")
    before = db_fingerprint()
    assert (
        _post(
            outsider, _url("api_group_meetings", "beta", group_pk=group.pk), {"date": "2025-05-05"}
        ).status_code
        == 404
    )
    assert (
        outsider.delete(_url("api_group_contact_remove", "beta", contact_id=contact.pk)).status_code
        == 404
    )
    assert (
        outsider.patch(
            _url("api_group_material", "beta", material_id=mat.pk),
            data={"confidential": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert_unchanged(before, "beta's office on alfa's groups")
