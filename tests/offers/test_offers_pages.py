"""The offers app's list pages (PLT-3) read in a fixed number of queries: the catalogue, the public
page, the map, the ideas base, one idea and the training survey cost the same with three rows as
with thirty (STYLE: list pages assert their query count)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.offers import services
from tests.factories import MemberFactory

PAGES = [
    # (url name, persona, with an idea id)
    ("offers", "office", False),
    ("offers", "member", False),
    ("offers_public", "anonymous", False),
    ("offers_competences", "office", False),
    ("offers_competences", "member", False),
    ("offers_ideas", "chair", False),
    ("offers_idea", "office", True),
    ("offers_idea", "proxy", True),
    ("offers_training", "office", False),
    ("offers_training", "member", False),
]


def _fill(world, n: int):
    """n members of alfa, each with a public offer, an entry on the map, interest in the idea and
    a training need; member A too."""
    area = services.area_add(cluster=world.alfa, user=None, name="Automatyka")
    services.area_add(cluster=world.alfa, user=None, name="Wodór")
    idea = services.idea_post(
        cluster=world.alfa,
        user=None,
        member=world.member_b,
        title="Wspólna platforma danych",
        description="Opis",
    )
    survey = services.survey_open(
        cluster=world.alfa, user=None, title="Szkolenia 2027", closes_on=dt.date(2100, 1, 31)
    )
    members = [world.member_a] + [MemberFactory(cluster=world.alfa) for _ in range(n - 1)]
    for i, member in enumerate(members):
        services.offer_save(
            member=member,
            user=None,
            data={
                "category": "service",
                "name_pl": f"Usługa {i}",
                "name_en": f"Service {i}",
                "description_pl": "Opis",
                "public": True,
            },
        )
        services.competence_add(member=member, user=None, area=area, kind="competence")
        services.idea_interest(idea=idea, member=member, user=None)
        services.training_need_add(
            survey=survey,
            member=member,
            user=None,
            topic=f"Temat {i % 4}",
            people=2,
            priority="low",
        )
        services.idea_post(
            cluster=world.alfa, user=None, member=member, title=f"Pomysł {i}", description="Opis"
        )
    return idea


def _url(world, name, with_idea, idea):
    return reverse(name, args=["alfa", idea.pk] if with_idea else ["alfa"])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "persona", "with_idea"), PAGES)
def test_plt_3_list_pages_read_in_fixed_queries(
    name, persona, with_idea, world, client_for, django_assert_max_num_queries
):
    idea = _fill(world, 3)
    url = _url(world, name, with_idea, idea)
    client = client_for(persona) if persona != "anonymous" else Client()
    client.get(url)  # the session and the language settle on the first request
    few = _count(client, url)
    _fill_more(world, idea, 27)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200
    assert few <= 16, (name, persona, few)


def _fill_more(world, idea, n: int) -> None:
    area = world.alfa.competence_areas.get(name="Automatyka")
    survey = world.alfa.training_surveys.get()
    for i in range(n):
        member = MemberFactory(cluster=world.alfa)
        services.offer_save(
            member=member,
            user=None,
            data={
                "category": "product",
                "name_pl": f"Produkt {i}",
                "description_pl": "Opis",
                "public": True,
            },
        )
        services.competence_add(
            member=member, user=None, area=area, kind="resource", note="laboratorium"
        )
        services.idea_interest(idea=idea, member=member, user=None, note="Chętnie")
        services.training_need_add(
            survey=survey,
            member=member,
            user=None,
            topic=f"Temat {i % 5}",
            people=1,
            priority="high",
        )
        services.idea_post(
            cluster=world.alfa, user=None, member=member, title=f"Idea {i}", description="Opis"
        )
