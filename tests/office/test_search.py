"""Issue 9: accent-insensitive search ("lodz" finds "Łódź") in the member list and in the one
global search box, which shows each persona only what it may see (GZW-4: confidential group
material never leaks through it; another cluster sees nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.members import services as member_services
from klaster.members.models import DelegatedPerson, Member
from klaster.office.search import LIMIT, global_search
from tests.factories import (
    DelegatedPersonFactory,
    MeetingFactory,
    MemberFactory,
    WorkingGroupFactory,
)
from tests.groups.builders import it_group, material

pytestmark = pytest.mark.django_db

SEARCH = "/c/alfa/search/"


def _body(client, q: str, slug: str = "alfa") -> str:
    response = client.get(f"/c/{slug}/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


# --- the stored folded column, on every write path ---


def test_member_search_column_follows_every_save(world):
    m = MemberFactory(cluster=world.alfa, name="Zakład Łódzki", city="Łódź")
    assert m.search == "zaklad lodzki\nlodz"
    m.city = "Żagań"
    m.save(update_fields=["city"])  # a save limited to some fields saves the column too
    assert Member.objects.get(pk=m.pk).search == "zaklad lodzki\nzagan"
    member_services.member_update(member=m, user=None, data={"name": "Ślązak S.A."})
    assert Member.objects.get(pk=m.pk).search == "slazak s.a.\nzagan"


def test_person_search_column_follows_every_save(world):
    p = DelegatedPersonFactory(member=world.member_a, name="Łucja Żak")
    assert DelegatedPerson.objects.get(pk=p.pk).search == "lucja zak"
    p.name = "Łucja Wróbel"
    p.save(update_fields=["name"])
    assert DelegatedPerson.objects.get(pk=p.pk).search == "lucja wrobel"


def test_dataset_import_fills_the_column_as_save_does(db):
    from klaster.exchange.dataset_io import cluster_import
    from klaster.exchange.demo import demo_cluster

    cluster = cluster_import(demo_cluster())
    members = list(Member.objects.filter(cluster=cluster))
    assert members
    for m in members:
        stored = m.search
        m.save()
        assert stored == m.search != ""


# --- the member list ---


def test_member_list_search_ignores_case_and_diacritics(world, client_for):
    MemberFactory(cluster=world.alfa, name="Łódzka Spółdzielnia", city="Łódź")
    MemberFactory(cluster=world.alfa, name="Poznańska Firma", city="Poznań")
    c = client_for("office")
    for q in ("lodz", "ŁÓDŹ", "Łódź", "łodz", "spoldzielnia"):
        body = c.get("/c/alfa/members/", {"q": q}).content.decode()
        assert "Łódzka Spółdzielnia" in body, q
        assert "Poznańska Firma" not in body, q
    body = c.get("/c/alfa/members/", {"q": "bialystok"}).content.decode()  # the city folded too
    assert "Alfa-Tech sp. z o.o." in body and "Łódzka" not in body


def test_member_list_distance_band_keeps_the_override_first(world):
    """MEM-9 with the band written as COALESCE: the override wins, decimals compared as numbers."""
    from decimal import Decimal

    from klaster.members.selectors import member_list

    near_by_hand = MemberFactory(
        cluster=world.alfa, name="A", distance_km=400, distance_override_km=Decimal("49.5")
    )
    far_by_hand = MemberFactory(
        cluster=world.alfa, name="B", distance_km=10, distance_override_km=Decimal("250.0")
    )
    computed = MemberFactory(cluster=world.alfa, name="C", distance_km=201)
    edge = MemberFactory(
        cluster=world.alfa, name="D", distance_km=10, distance_override_km=Decimal("200.4")
    )
    within_50 = set(member_list(world.alfa, distance="50"))
    assert near_by_hand in within_50 and far_by_hand not in within_50
    far = set(member_list(world.alfa, distance="far"))
    assert {far_by_hand, computed} <= far and near_by_hand not in far and edge not in far
    assert edge not in set(member_list(world.alfa, distance="200"))


# --- the global search ---


@pytest.fixture
def things(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lodz = MemberFactory(cluster=world.alfa, name="Łódzkie Zakłady", city="Łódź")
    DelegatedPersonFactory(member=world.member_a, name="Łucja Żółkiewska", position="prezes")
    DelegatedPersonFactory(member=world.member_b, name="Łukasz Żółkiewski", position="członek")
    DelegatedPersonFactory(member=lodz, name="Żaneta Żółkiewska")
    MeetingFactory(cluster=world.alfa, title="Walne Zgromadzenie — Łódź 2025")
    MeetingFactory(cluster=world.beta, title="Walne Zgromadzenie — Łódź, obce")
    material(world, confidential=True, title="Poufna analiza rynku łódzkiego")
    material(world, confidential=False, title="Jawne podsumowanie z Łodzi")
    WorkingGroupFactory(cluster=world.alfa, name="Tajna grupa łódzka", confidential=True)
    MemberFactory(cluster=world.beta, name="Obce Zakłady Łódzkie", city="Łódź")
    return world


def test_office_finds_every_kind_folded(things, client_for):
    body = _body(client_for("office"), "LODZ")
    for text in (
        "Łódzkie Zakłady",
        "Walne Zgromadzenie — Łódź 2025",
        "Poufna analiza rynku łódzkiego",
        "Jawne podsumowanie z Łodzi",
        "Tajna grupa łódzka",
    ):
        assert text in body, text
    assert "Obce Zakłady" not in body and "obce" not in body  # another cluster's rows
    body = _body(client_for("office"), "zolkiewsk")
    assert "Łucja Żółkiewska" in body and "Łukasz Żółkiewski" in body
    assert reverse("member_detail", args=["alfa", things.member_a.pk]) + "#delegates" in body


def test_gzw_4_confidential_material_and_groups_do_not_leak_through_search(things, client_for):
    """GZW-4: member A's representative is in the IT group and sees its confidential material;
    the chair, member B's representative and the forum viewer do not, nor the confidential
    group; the material marked not confidential shows to all of them."""
    inside = _body(client_for("member"), "lodz")
    assert "Poufna analiza rynku łódzkiego" in inside
    for persona in ("chair", "proxy", "forum"):
        body = _body(client_for(persona), "lodz")
        assert "Poufna analiza" not in body, persona
        assert "Tajna grupa" not in body, persona
        assert "Jawne podsumowanie z Łodzi" in body, persona
    assert it_group(things).confidential is False  # the IT group itself is open


def test_roles_see_only_their_part_of_the_register(things, client_for):
    member = _body(client_for("member"), "zolkiewsk")  # member A's representative
    assert "Łucja Żółkiewska" in member
    assert "Łukasz Żółkiewski" not in member and "Żaneta" not in member
    assert "Łódzkie Zakłady" not in _body(client_for("member"), "lodz")
    assert "Alfa-Tech" in _body(client_for("member"), "alfa-tech")
    assert "Beta-Soft" not in _body(client_for("member"), "beta-soft")
    forum = _body(client_for("forum"), "lodz")
    assert "Łódzkie Zakłady" not in forum and "Walne Zgromadzenie" not in forum
    assert "Żółkiewsk" not in _body(client_for("forum"), "zolkiewsk")
    chair = _body(client_for("chair"), "lodz")
    assert "Łódzkie Zakłady" in chair and "Walne Zgromadzenie — Łódź 2025" in chair


def test_another_cluster_and_strangers_see_nothing(things, client_for):
    assert client_for("outsider").get(SEARCH, {"q": "lodz"}).status_code == 404
    anonymous = client_for("anonymous").get(SEARCH, {"q": "lodz"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    beta = _body(client_for("outsider"), "lodz", slug="beta")
    assert "Obce Zakłady Łódzkie" in beta and "Walne Zgromadzenie — Łódź, obce" in beta
    for text in ("Łódzkie Zakłady", "Poufna", "Jawne", "Tajna", "Łódź 2025"):
        assert text not in beta, text


def test_erased_persons_are_not_found(things):
    from klaster.members.selectors import ERASED

    p = DelegatedPersonFactory(member=things.member_a, name=ERASED, erased=dt.date(2025, 1, 1))
    assert p.search
    sections = global_search(things.alfa, _grants(things, "office"), things.users["office"], "dane")
    assert all(s.kind != "people" for s in sections)


def _grants(world, persona):
    from klaster.core.access import grants_for

    return grants_for(world.users[persona], world.alfa)


def test_short_text_searches_nothing_and_hits_are_limited(things, client_for):
    assert global_search(things.alfa, _grants(things, "office"), things.users["office"], "ł") == []
    for i in range(LIMIT + 3):
        MemberFactory(cluster=things.alfa, name=f"Wrocławska Firma {i:02d}", city="Wrocław")
    members = next(
        s
        for s in global_search(
            things.alfa, _grants(things, "office"), things.users["office"], "wroclaw"
        )
        if s.kind == "members"
    )
    assert len(members.hits) == LIMIT and members.more


def test_search_query_count_is_fixed(things, client_for):
    c = client_for("office")
    c.get(SEARCH, {"q": "lodz"})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(SEARCH, {"q": "lodz"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(15):
        lodz = MemberFactory(cluster=things.alfa, name=f"Łódź Spółka {i}", city="Łódź")
        DelegatedPersonFactory(member=lodz, name=f"Łódzki Delegat {i}")
        MeetingFactory(cluster=things.alfa, title=f"Posiedzenie w Łodzi {i}")
        material(things, confidential=bool(i % 2), title=f"Materiał łódzki {i}")
    assert count() == few


def test_admin_member_search_is_folded_too(world, client):
    MemberFactory(cluster=world.alfa, name="Łódzkie Młyny", city="Łódź")
    client.force_login(world.users["superuser"])
    body = client.get("/admin/members/member/", {"q": "lodzkie mlyny"}).content.decode()
    assert "Łódzkie Młyny" in body and "Beta-Soft" not in body


def test_data_migration_fills_existing_rows(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("klaster.members.migrations.0007_fill_search_folded")
    DelegatedPersonFactory(member=world.member_a, name="Łucja Żak")
    Member.objects.update(search="")  # rows as they stood before the column
    DelegatedPerson.objects.update(search="")
    migration.fill(apps, None)
    assert Member.objects.get(pk=world.member_a.pk).search == "alfa-tech sp. z o.o.\nbialystok"
    assert set(DelegatedPerson.objects.values_list("search", flat=True)) == {"lucja zak"}
    for m in Member.objects.all():
        stored = m.search
        m.save()
        assert m.search == stored  # the same text as save() writes


def test_mem_4_a_nip_typed_with_dashes_finds_the_member(world):
    nip = world.member_b.nip
    typed = f"PL {nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    sections = global_search(world.alfa, _grants(world, "office"), world.users["office"], typed)
    members = next(s for s in sections if s.kind == "members")
    assert [h.title for h in members.hits] == ["Beta-Soft S.A."]
