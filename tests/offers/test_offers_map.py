"""The map of competences kept true and the ideas base's interest (PLT-3; 000 §15.3.12–13,
§9.2.5): a representative takes its own member's entry off the map (never another's), the office
removes an area it no longer needs, an area whose last holder leaves is a gap again, and an
idea's own member does not express interest in it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.offers import selectors, services
from klaster.offers.models import Competence, CompetenceArea, IdeaInterest


def _map(world):
    robots = services.area_add(cluster=world.alfa, user=None, name="Robotyka")
    mine = services.competence_add(member=world.member_a, user=None, area=robots, kind="competence")
    theirs = services.competence_add(
        member=world.member_b, user=None, area=robots, kind="resource", note="hala testowa"
    )
    return robots, mine, theirs


def test_plt_3_representative_takes_off_its_own_entry_only(world, client_for):
    robots, mine, theirs = _map(world)
    member = client_for("member")
    url = reverse("offers_competence_remove", args=["alfa", theirs.pk])
    assert member.post(url).status_code == 404  # B's entry: A's representative does not know it
    assert Competence.objects.filter(pk=theirs.pk).exists()
    page = member.get(reverse("offers_competences", args=["alfa"])).content.decode()
    assert reverse("offers_competence_remove", args=["alfa", mine.pk]) in page
    assert reverse("offers_competence_remove", args=["alfa", theirs.pk]) not in page
    assert reverse("offers_area_remove", args=["alfa", robots.pk]) not in page
    resp = member.post(reverse("offers_competence_remove", args=["alfa", mine.pk]))
    assert resp.status_code == 302
    assert list(robots.holders.values_list("member_id", flat=True)) == [world.member_b.pk]
    assert AuditLog.objects.filter(action="delete", model="offers.Competence").count() == 1


def test_plt_3_area_whose_last_holder_leaves_is_a_gap_again(world, client_for):
    robots, mine, theirs = _map(world)
    office = client_for("office")
    for entry in (mine, theirs):
        url = reverse("offers_competence_remove", args=["alfa", entry.pk])
        assert office.post(url).status_code == 302
    assert [(r.area.name, r.gap) for r in selectors.competence_map(world.alfa)] == [
        ("Robotyka", True)
    ]


def test_plt_3_office_removes_an_area_representatives_cannot(world, client_for):
    robots, _mine, _theirs = _map(world)
    url = reverse("offers_area_remove", args=["alfa", robots.pk])
    for persona in ("member", "proxy", "chair"):
        assert client_for(persona).post(url).status_code == 403
    assert CompetenceArea.objects.filter(pk=robots.pk).exists() and robots.holders.count() == 2
    # another cluster's office does not know alfa's area, under its own slug either
    outsider = client_for("outsider")
    assert outsider.post(reverse("offers_area_remove", args=["beta", robots.pk])).status_code == 404
    assert client_for("office").post(url).status_code == 302
    assert not CompetenceArea.objects.filter(pk=robots.pk).exists()
    assert not Competence.objects.filter(area_id=robots.pk).exists()
    entry = AuditLog.objects.get(action="delete", model="offers.CompetenceArea")
    assert entry.changes["holders"][0] == sorted([world.member_a.name, world.member_b.name])


def test_plt_3_an_ideas_own_member_does_not_express_interest(world, client_for):
    idea = services.idea_post(
        cluster=world.alfa, user=None, member=world.member_a, title="Magazyn", description="Opis"
    )
    with pytest.raises(ValidationError):
        services.idea_interest(idea=idea, member=world.member_a, user=None)
    member = client_for("member")  # A's representative: its own idea, nobody to speak for
    url = reverse("offers_idea", args=["alfa", idea.pk])
    page = member.get(url).content.decode()
    assert 'name="member"' not in page
    member.post(url, {"action": "interest", "member": world.member_a.pk})
    assert not IdeaInterest.objects.exists()
    # a malformed member id is not an error page
    assert client_for("proxy").post(url, {"action": "interest", "member": "x"}).status_code == 404
