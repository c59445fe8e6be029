"""Offers, competences, ideas and training needs (PLT-3): a representative keeps its own member's
offers (never another's), public offers are on the page without login in the reader's language,
search ignores Polish letters, the map names the areas nobody covers, interest in ideas, and the
training needs summed per topic."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from klaster.offers import selectors, services
from klaster.offers.models import Offer, TrainingNeed


def _offer(member, name, **kw):
    data = {"category": "service", "name_pl": name, "description_pl": f"Opis: {name}", **kw}
    return services.offer_save(member=member, user=None, data=data)


def test_plt_3_representative_keeps_its_own_offers_only(world, client_for):
    mine = _offer(world.member_a, "Frezowanie CNC")
    theirs = _offer(world.member_b, "Druk 3D")
    member = client_for("member")
    assert member.get(reverse("offer_edit", args=["alfa", theirs.pk])).status_code == 404
    resp = member.post(
        reverse("offer_edit", args=["alfa", theirs.pk]),
        {
            "member": world.member_b.pk,
            "category": "product",
            "name_pl": "Przejęte",
            "description_pl": "x",
        },
    )
    assert resp.status_code == 404 and Offer.objects.get(pk=theirs.pk).name_pl == "Druk 3D"
    # creating an offer in another member's name is refused too
    resp = member.post(
        reverse("offer_new", args=["alfa"]),
        {
            "member": world.member_b.pk,
            "category": "product",
            "name_pl": "Podszyte",
            "description_pl": "x",
        },
    )
    assert resp.status_code == 200 and not Offer.objects.filter(name_pl="Podszyte").exists()
    resp = member.post(
        reverse("offer_edit", args=["alfa", mine.pk]),
        {
            "member": world.member_a.pk,
            "category": "service",
            "name_pl": "Frezowanie 5-osiowe",
            "description_pl": "Obróbka w Łodzi",
            "name_en": "5-axis milling",
            "description_en": "Machining in Lodz",
            "public": "on",
        },
    )
    assert resp.status_code == 302
    mine.refresh_from_db()
    assert (mine.name_pl, mine.public) == ("Frezowanie 5-osiowe", True)
    assert member.post(reverse("offer_delete", args=["alfa", mine.pk])).status_code == 302
    assert not Offer.objects.filter(pk=mine.pk).exists()


def test_plt_3_public_page_shows_public_offers_in_the_readers_language(world):
    url = reverse("offers_public", args=["alfa"])
    assert Client().get(url).status_code == 404  # nothing public: no page
    _offer(world.member_a, "Frezowanie", public=True, name_en="Milling", description_en="CNC work")
    _offer(world.member_b, "Tajna usługa", public=False)
    page = Client().get(reverse("offers_public", args=["alfa"])).content.decode()
    assert "Frezowanie" in page and "Tajna" not in page
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("offers_public", args=["alfa"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = english.content.decode()
    assert "Milling" in body and "CNC work" in body  # English where the member wrote it


def test_plt_3_search_ignores_polish_letters(world, django_assert_max_num_queries):
    _offer(world.member_a, "Spawanie w Łodzi", keywords="spawalnia")
    _offer(world.member_b, "Lakierowanie")
    with django_assert_max_num_queries(1):
        found = [o.name_pl for o in selectors.offers_search(world.alfa, q="lodzi spaw")]
    assert found == ["Spawanie w Łodzi"]


def test_plt_3_competence_map_names_the_gaps(world, client_for):
    robots = services.area_add(cluster=world.alfa, user=None, name="Robotyka")
    hydrogen = services.area_add(cluster=world.alfa, user=None, name="Wodór")
    services.competence_add(member=world.member_a, user=None, area=robots, kind="competence")
    with pytest.raises(Exception, match="już"):
        services.area_add(cluster=world.alfa, user=None, name="robotyka")
    rows = selectors.competence_map(world.alfa)
    assert [(r.area.name, r.gap) for r in rows] == [("Robotyka", False), ("Wodór", True)]
    page = client_for("chair").get(reverse("offers_competences", args=["alfa"])).content.decode()
    assert "Wodór" in page and world.member_a.name in page
    # a representative cannot add an area (the office's list) — refused, nothing added
    resp = client_for("member").post(
        reverse("offers_competences", args=["alfa"]), {"action": "area", "a-name": "Inne"}
    )
    assert resp.status_code == 403
    assert hydrogen.holders.count() == 0


def test_plt_3_ideas_gather_interest(world, client_for):
    idea = services.idea_post(
        cluster=world.alfa,
        user=None,
        member=world.member_a,
        title="Wspólny magazyn",
        description="Opis",
    )
    proxy = client_for("proxy")
    url = reverse("offers_idea", args=["alfa", idea.pk])
    assert proxy.post(url, {"action": "interest", "member": world.member_b.pk}).status_code == 302
    assert proxy.post(url, {"action": "interest", "member": world.member_a.pk}).status_code == 404
    assert list(idea.interests.values_list("member_id", flat=True)) == [world.member_b.pk]
    assert proxy.post(url, {"action": "status", "status": "project"}).status_code == 403
    client_for("office").post(url, {"action": "status", "status": "project"})
    idea.refresh_from_db()
    assert idea.status == "project"


def test_plt_3_training_needs_summed_per_topic(world):
    survey = services.survey_open(
        cluster=world.alfa, user=None, title="Szkolenia 2027", closes_on=dt.date(2100, 1, 31)
    )
    for member, topic, people, priority in (
        (world.member_a, "Excel zaawansowany", 3, "medium"),
        (world.member_b, "excel ZAAWANSOWANY", 2, "high"),
        (world.member_b, "RODO", 1, "low"),
    ):
        services.training_need_add(
            survey=survey, member=member, user=None, topic=topic, people=people, priority=priority
        )
    summary = selectors.training_summary(survey)
    assert [(r["member_count"], r["people"], r["priority"]) for r in summary] == [
        (2, 5, "high"),
        (1, 1, "low"),
    ]
    assert TrainingNeed.objects.count() == 3
