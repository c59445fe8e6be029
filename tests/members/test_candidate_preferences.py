"""MEM-10 on a candidate's page: which admission preferences it meets, the distance limit read
from the cluster's statute profile in force (the preset's number when none is set)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from klaster.core.services import statute_profile_set
from klaster.members import services
from klaster.rules import statute
from tests.factories import MemberFactory, MembershipEventFactory
from tests.forms import versioned

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 6, 16, 12, 0, tzinfo=dt.UTC)


def _candidate(world, **kw):
    fields = {
        "name": "Kandydat sp. z o.o.",
        "status": "candidate",
        "joined": None,
        "pkd_codes": ["62.01.Z"],
        "branch_revenue": True,
        "distance_override_km": Decimal("120.0"),
        **kw,
    }
    m = MemberFactory(cluster=world.alfa, **fields)
    MembershipEventFactory(member=m, kind="candidate", date=dt.date(2025, 6, 1))
    return m


@pytest.fixture
def pkd_cluster(world):
    world.alfa.specialisation_classification = "PKD"
    world.alfa.specialisation_codes = ["62.01.Z", "62.02.Z"]
    world.alfa.save()
    return world


def _prefs(client, member):
    r = client.get(reverse("member_detail", kwargs={"slug": "alfa", "member_id": member.pk}))
    assert r.status_code == 200
    p = r.context["preferences"]
    return r, (None if p is None else {i.key: i.met for i in p.result.items})


@time_machine.travel(TODAY, tick=False)
def test_mem_10_candidate_page_shows_which_preferences_are_met(pkd_cluster, client_for):
    world = pkd_cluster
    cand = _candidate(world)
    r, met = _prefs(client_for("office"), cand)
    assert met == {"seat": True, "branch": True}
    # no profile set: the preset's number, and the page says where it comes from
    assert (r.context["preferences"].radius_km, r.context["preferences"].radius_from) == (
        150,
        "preset",
    )
    assert "150 km" in r.content.decode()
    # organ members see it too; a member that is not a candidate has no such card
    assert _prefs(client_for("chair"), cand)[1] == {"seat": True, "branch": True}
    assert _prefs(client_for("office"), world.member_a)[1] is None
    # not meeting them is shown, never refused: the candidate can still be admitted
    far = _candidate(
        world, key="k-far", distance_override_km=Decimal("310.0"), pkd_codes=["47.11.Z"]
    )
    assert _prefs(client_for("office"), far)[1] == {"seat": False, "branch": False}
    services.member_event_add(
        member=far, user=world.users["office"], kind="admitted", date=dt.date(2025, 6, 16)
    )
    far.refresh_from_db()
    assert far.status == "active"


@time_machine.travel(TODAY, tick=False)
def test_mem_10_distance_limit_comes_from_the_statute_profile_in_force(pkd_cluster, client_for):
    world = pkd_cluster
    cand = _candidate(world)  # 120 km
    data = statute.profile_to_dict(statute.PRESETS["infotech"])
    data["admission"]["preferred_radius_km"] = 100
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2025, 1, 1), user=world.users["office"], data=data
    )
    r, met = _prefs(client_for("office"), cand)
    assert met == {"seat": False, "branch": True}
    assert (r.context["preferences"].radius_km, r.context["preferences"].radius_from) == (
        100,
        "profile",
    )
    assert "100 km" in r.content.decode() and "2025-01-01" in r.content.decode()
    # a later version, not yet in force, does not count
    data["admission"]["preferred_radius_km"] = 200
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2025, 9, 1), user=world.users["office"], data=data
    )
    assert _prefs(client_for("office"), cand)[1]["seat"] is False
    # a statute with no seat preference: the line is left out
    data["admission"]["preferred_radius_km"] = None
    statute_profile_set(
        cluster=world.alfa, valid_from=dt.date(2025, 2, 1), user=world.users["office"], data=data
    )
    assert _prefs(client_for("office"), cand)[1] == {"branch": True}


@time_machine.travel(TODAY, tick=False)
def test_mem_10_science_candidate_and_undeclared_revenue(pkd_cluster, client_for):
    world = pkd_cluster
    uni = _candidate(
        world,
        key="k-uni",
        type="science",
        science_category="B+",
        pkd_codes=["72.19.Z"],
        branch_revenue=None,
    )
    assert _prefs(client_for("office"), uni)[1] == {"seat": True, "branch": False, "science": False}
    undeclared = _candidate(world, key="k-und", branch_revenue=None)
    assert _prefs(client_for("office"), undeclared)[1] == {"seat": True, "branch": None}


@time_machine.travel(TODAY, tick=False)
def test_mem_10_office_enters_pkd_codes_and_declared_revenue(pkd_cluster, client_for):
    world = pkd_cluster
    cand = _candidate(world, pkd_codes=[], branch_revenue=None)
    url = reverse("member_edit", kwargs={"slug": "alfa", "member_id": cand.pk})
    form = {
        "name": cand.name,
        "type": "small",
        "nip": cand.nip,
        "postal_code": "00-001",
        "city": "Warszawa",
        "distance_override_km": "120.0",
        "independent": "true",
        "pkd_codes": "6202Z, 47.11.Z",
        "branch_revenue": "true",
    }
    office = client_for("office")
    r = office.post(url, versioned(office, url, form))
    assert r.status_code == 302, r.context["form"].errors
    cand.refresh_from_db()
    assert (cand.pkd_codes, cand.branch_revenue) == (["62.02.Z", "47.11.Z"], True)
    assert _prefs(client_for("office"), cand)[1] == {"seat": True, "branch": True}
    r = office.post(url, versioned(office, url, {**form, "pkd_codes": "62.0.Z"}))
    assert r.status_code == 200 and "pkd_codes" in r.context["form"].errors
