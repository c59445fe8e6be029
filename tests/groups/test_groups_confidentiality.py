"""GZW-4 (confidential meetings and materials: pages, API, exports, files) and GZW-5 (each
group's contact list), tried as every persona: the office; member A's representative (in the
group); member B's (never in it); member W's (withdrew); the chair (organ member, not in the
group); the forum viewer; the office of another cluster; nobody logged in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.groups import selectors, services
from klaster.groups.models import GroupMaterial, GroupMeeting
from tests.factories import (
    DelegatedPersonFactory,
    GroupDeclarationFactory,
    NotificationEmailFactory,
    WorkingGroupFactory,
)
from tests.groups.conftest import GROUP_PERSONAS, INSIDE, WITHDRAWN

pytestmark = pytest.mark.django_db

SECRET_MEETING = "Strategia cenowa — TAJNE"
SECRET_MATERIAL = "Poufna analiza rynku"
OPEN_MATERIAL = "Jawne podsumowanie"
OPEN_MEETING = "Dzień otwarty grupy"


@pytest.fixture
def items(gz, settings, tmp_path):
    """In the IT group: a confidential meeting, a confidential material with a file (both by
    default), a meeting and a material marked not confidential."""
    settings.MEDIA_ROOT = tmp_path
    g = gz.group
    services.group_meeting_add(
        group=g, user=None, date=dt.date(2025, 5, 5), place="Białystok", agenda=SECRET_MEETING
    )
    services.group_meeting_add(
        group=g,
        user=None,
        date=dt.date(2025, 5, 6),
        place="Łódź",
        agenda=OPEN_MEETING,
        confidential=False,
    )
    services.group_material_add(
        group=g,
        user=None,
        title=SECRET_MATERIAL,
        body="marże 12%",
        file=SimpleUploadedFile("analiza.txt", b"tajne dane"),
        provided_by=gz.w.member_a,
    )
    services.group_material_add(
        group=g, user=None, title=OPEN_MATERIAL, confidential=False, provided_by=gz.others[0]
    )
    return g


def test_gzw_4_meetings_and_materials_are_confidential_by_default(gz):
    m = services.group_meeting_add(group=gz.group, user=None, date=dt.date(2025, 5, 5))
    a = services.group_material_add(group=gz.group, user=None, title="Notatka")
    assert m.confidential and a.confidential
    assert GroupMeeting._meta.get_field("confidential").default is True
    assert GroupMaterial._meta.get_field("confidential").default is True


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_gzw_4_group_page_shows_confidential_items_only_to_the_group_and_the_office(
    items, client_for, persona
):
    r = client_for(persona).get(
        reverse("group_detail", kwargs={"slug": "alfa", "group_id": items.pk})
    )
    if persona == "outsider":
        assert r.status_code == 404
        return
    if persona == "anonymous":
        assert r.status_code == 302
        return
    assert r.status_code == 200
    body = r.content.decode()
    assert (OPEN_MATERIAL in body) and (OPEN_MEETING in body)
    inside = persona in INSIDE
    assert (SECRET_MEETING in body) is inside, persona
    assert (SECRET_MATERIAL in body) is inside, persona
    assert ("marże 12%" in body) is inside, persona


def _csv_rows(response):
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    ).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_gzw_4_exports_drop_confidential_items_for_everyone_outside_the_group(
    items, client_for, persona
):
    c = client_for(persona)
    url = reverse("group_export", kwargs={"slug": "alfa"})
    r_csv, r_json = c.get(url), c.get(url + "?format=json")
    if persona in ("outsider", "anonymous"):
        assert r_csv.status_code in (302, 404) and r_json.status_code in (302, 404)
        return
    csv_titles = {row["title"] for row in _csv_rows(r_csv)}
    data = json.loads(r_json.content)
    (group,) = [g for g in data["groups"] if g["id"] == items.pk]
    json_text = json.dumps(data, ensure_ascii=False)
    inside = persona in INSIDE
    assert (SECRET_MATERIAL in csv_titles) is inside and (SECRET_MATERIAL in json_text) is inside, (
        persona
    )
    assert ("Białystok" in csv_titles) is inside and (SECRET_MEETING in json_text) is inside, (
        persona
    )
    assert OPEN_MATERIAL in csv_titles and OPEN_MEETING in json_text
    assert all(not m["confidential"] for m in group["meetings"] + group["materials"]) or inside
    assert group["member_count"] == 5


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_gzw_4_api_drops_confidential_items_for_everyone_outside_the_group(
    items, client_for, persona
):
    c = client_for(persona)
    detail = c.get(reverse("api_group_detail", kwargs={"cluster_slug": "alfa", "pk": items.pk}))
    listing = c.get(reverse("api_group_list", kwargs={"cluster_slug": "alfa"}))
    if persona == "outsider":
        assert detail.status_code == listing.status_code == 404
        return
    if persona == "anonymous":
        assert detail.status_code == listing.status_code in (401, 403)
        return
    inside = persona in INSIDE
    for text in (detail.content.decode(), listing.content.decode()):
        text = json.dumps(json.loads(text), ensure_ascii=False)
        assert (SECRET_MATERIAL in text) is inside and (SECRET_MEETING in text) is inside, persona
        assert OPEN_MATERIAL in text and OPEN_MEETING in text


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_gzw_4_a_confidential_file_is_served_only_to_the_group_and_the_office(
    items, client_for, persona
):
    material = GroupMaterial.objects.get(title=SECRET_MATERIAL)
    r = client_for(persona).get(
        reverse("group_material_file", kwargs={"slug": "alfa", "material_id": material.pk})
    )
    if persona in INSIDE:
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"tajne dane"
    elif persona == "anonymous":
        assert r.status_code == 302
    else:
        assert r.status_code == 404


def test_gzw_4_withdrawal_ends_access_from_its_day(gz, items, client_for):
    import time_machine

    url = reverse("group_detail", kwargs={"slug": "alfa", "group_id": items.pk})
    leaver = client_for("leaver")
    with time_machine.travel(dt.datetime(2025, 2, 28, 12, 0)):
        assert SECRET_MATERIAL in leaver.get(url).content.decode()
    with time_machine.travel(dt.datetime.combine(WITHDRAWN, dt.time(12, 0))):
        assert SECRET_MATERIAL not in leaver.get(url).content.decode()


def test_gzw_4_a_member_marks_the_information_it_gave_as_confidential(gz, items, client_for):
    open_one = GroupMaterial.objects.get(title=OPEN_MATERIAL)  # provided by member C
    mine = GroupMaterial.objects.get(title=SECRET_MATERIAL)  # provided by member A
    member = client_for("member")
    url = lambda m: reverse("group_material_mark", kwargs={"slug": "alfa", "material_id": m.pk})  # noqa: E731
    # member A may not change what member C gave
    assert member.post(url(open_one), {"confidential": "1"}).status_code == 403
    open_one.refresh_from_db()
    assert not open_one.confidential
    # its own: it may open it to the cluster, then close it again
    assert member.post(url(mine), {"confidential": "0"}).status_code == 302
    mine.refresh_from_db()
    assert not mine.confidential
    assert (
        SECRET_MATERIAL
        in client_for("proxy")
        .get(reverse("group_detail", kwargs={"slug": "alfa", "group_id": items.pk}))
        .content.decode()
    )
    member.post(url(mine), {"confidential": "1"})
    mine.refresh_from_db()
    assert mine.confidential
    # a member of the group adds a material: confidential unless it says otherwise, and its own
    member.post(
        reverse("group_material_add", kwargs={"slug": "alfa", "group_id": items.pk}),
        {"ma-title": "Oferta wspólna", "ma-confidential": "on"},
    )
    added = GroupMaterial.objects.get(title="Oferta wspólna")
    assert added.confidential and added.provided_by == gz.w.member_a
    # a member outside the group cannot add one
    assert (
        client_for("proxy")
        .post(
            reverse("group_material_add", kwargs={"slug": "alfa", "group_id": items.pk}),
            {"ma-title": "X"},
        )
        .status_code
        == 403
    )


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_gzw_4_a_group_confidential_as_a_whole_is_invisible_outside_it(gz, client_for, persona):
    secret = WorkingGroupFactory(
        cluster=gz.w.alfa,
        kind="consortium",
        name="Projekt Tajny",
        confidential=True,
        status="active",
        started_on=dt.date(2025, 1, 1),
    )
    GroupDeclarationFactory(group=secret, member=gz.w.member_a, declared_on=dt.date(2025, 1, 1))
    c = client_for(persona)
    pages = [
        c.get(reverse("group_list", kwargs={"slug": "alfa"})),
        c.get(reverse("group_export", kwargs={"slug": "alfa"}) + "?format=json"),
        c.get(reverse("api_group_list", kwargs={"cluster_slug": "alfa"})),
    ]
    detail = c.get(reverse("group_detail", kwargs={"slug": "alfa", "group_id": secret.pk}))
    if persona in ("outsider", "anonymous"):
        assert detail.status_code in (302, 404)
        return
    visible = persona in INSIDE
    assert all(("Projekt Tajny" in p.content.decode()) is visible for p in pages), persona
    assert detail.status_code == (200 if visible else 404)


# --- GZW-5 ---------------------------------------------------------------------------------------


def test_gzw_5_contact_list_comes_from_the_members_in_the_group_and_the_extra_contacts(gz):
    from klaster.groups.models import Declaration

    a, c, d = gz.w.member_a, gz.others[0], gz.others[1]
    Declaration.objects.filter(group=gz.group, member=a).update(
        contact_name="Anna Alfa", contact_email="anna@alfa-tech.pl"
    )
    DelegatedPersonFactory(member=c, name="Celina C", email="celina@c.pl", position="CTO")
    DelegatedPersonFactory(
        member=c, name="Odeszła", email="odeszla@c.pl", link_ended=dt.date(2025, 1, 1)
    )
    NotificationEmailFactory(member=d, email="biuro@d.pl")
    DelegatedPersonFactory(member=gz.leaver, name="Wiesław W", email="w@w.pl")  # withdrew
    services.group_contact_add(
        group=gz.group,
        user=None,
        name="Ewa Ekspert",
        email="ewa@uczelnia.pl",
        role="ekspert zewnętrzny",
    )
    with pytest.raises(ValidationError):
        services.group_contact_add(group=gz.group, user=None, name="Ewa 2", email="EWA@uczelnia.pl")
    contacts = selectors.group_contacts(gz.group, dt.date(2025, 6, 2))
    by_email = {x.email: x for x in contacts}
    assert (
        by_email["anna@alfa-tech.pl"].member == a.name
        and by_email["anna@alfa-tech.pl"].name == "Anna Alfa"
    )
    assert by_email["celina@c.pl"].name == "Celina C" and by_email["celina@c.pl"].member == c.name
    assert by_email["biuro@d.pl"].member == d.name  # no person named: the notification address
    assert by_email["ewa@uczelnia.pl"].source == "extra"
    assert "odeszla@c.pl" not in by_email and "w@w.pl" not in by_email
    # on a day before W withdrew, W's person is on the list
    assert "w@w.pl" in {x.email for x in selectors.group_contacts(gz.group, dt.date(2025, 2, 1))}


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_gzw_5_contact_list_export_is_for_the_group_and_the_office_only(gz, client_for, persona):
    from klaster.groups.models import Declaration

    Declaration.objects.filter(group=gz.group, member=gz.w.member_a).update(
        contact_name="Anna Alfa", contact_email="anna@alfa-tech.pl"
    )
    c = client_for(persona)
    r = c.get(reverse("group_contacts_csv", kwargs={"slug": "alfa", "group_id": gz.group.pk}))
    api = c.get(
        reverse("api_group_contacts", kwargs={"cluster_slug": "alfa", "group_pk": gz.group.pk})
    )
    page = c.get(reverse("group_detail", kwargs={"slug": "alfa", "group_id": gz.group.pk}))
    expected = {"office": 200, "member": 200, "outsider": 404, "anonymous": 302}.get(persona, 403)
    assert r.status_code == expected, persona
    assert api.status_code == {"anonymous": 401}.get(persona, expected), persona
    if expected == 200:
        rows = _csv_rows(r)
        assert {
            "name": "Anna Alfa",
            "email": "anna@alfa-tech.pl",
            "member": gz.w.member_a.name,
            "role": "",
            "source": "declaration",
        } in rows
        assert "anna@alfa-tech.pl" in {x["email"] for x in api.json()}
    if page.status_code == 200:
        assert ("anna@alfa-tech.pl" in page.content.decode()) is (expected == 200), persona


def test_gzw_4_export_and_api_list_use_a_fixed_number_of_queries(
    gz, items, client_for, django_assert_max_num_queries
):
    """However many groups and items, the filtered export and the API list cost the same."""
    urls = [
        reverse("group_export", kwargs={"slug": "alfa"}) + "?format=json",
        reverse("api_group_list", kwargs={"cluster_slug": "alfa"}),
    ]
    c = client_for("member")
    for url in urls:
        with django_assert_max_num_queries(12):
            assert c.get(url).status_code == 200
    for i in range(15):
        g = WorkingGroupFactory(cluster=gz.w.alfa, kind="additional", name=f"Grupa {i}")
        GroupDeclarationFactory(group=g, member=gz.others[i % 4], declared_on=dt.date(2025, 1, 1))
        services.group_meeting_add(group=g, user=None, date=dt.date(2025, 5, 1))
        services.group_material_add(group=g, user=None, title=f"M{i}", confidential=False)
    for url in urls:
        with django_assert_max_num_queries(12):
            assert c.get(url).status_code == 200
