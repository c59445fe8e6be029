"""The cluster's own data (MEM-1), its coordinator and sub-account (MEM-2), edited by the
office through `cluster_update` and the strategy services, every change audited (PLT-4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core import services
from klaster.core.models import AuditLog, Cluster, Strategy
from klaster.members import geocoding
from klaster.members import services as member_services
from tests.factories import MemberFactory, StrategyFactory
from tests.forms import versioned

pytestmark = pytest.mark.django_db

# 001 "Finansowanie" 3: the Evoluma sub-account, typed as the bylaws print it (an NRB).
EVOLUMA_NRB = "52 8063 0001 0100 0103 3301 0057"


def _form(world, **overrides):
    data = {
        "name": "Klaster Alfa",
        "website": "https://alfa.example.pl",
        "specialisation_classification": "PKD",
        "specialisation_codes": "62.01.Z, 6202Z",
        "specialisation_description": "oprogramowanie dla przemysłu",
        "agreement_date": "2012-01-23",
        "actual_start_year": "2012",
        "actual_start_kinds": ["joint_project", "strategic_document"],
        "actual_start_description": "Wspólny projekt szkoleniowy",
        "eccp_registered": "on",
        "coordinator": str(world.coordinator.pk),
        "coordinator_appointment": "Uchwała WZ nr 1/2012 z 23.01.2012",
        "contact_name": "Jan Kowalski",
        "contact_position": "Dyrektor",
        "contact_email": "jan@alfa.example.pl",
        "contact_phone": "+48 85 000 00 00",
        "contact_address": "ul. Przykładowa 1, 15-001 Białystok",
        "sub_account_iban": EVOLUMA_NRB,
    }
    data.update(overrides)
    # the edit version the page would carry (issue 7 point 4)
    from klaster.core.concurrency import edit_version
    from klaster.core.models import Cluster

    data["version"] = edit_version(
        Cluster.objects.get(pk=world.alfa.pk), member_services.CLUSTER_FIELDS
    )
    return data


def test_mem_1_office_edits_the_cluster_data_and_the_change_is_audited(world, client_for):
    url = reverse("cluster_edit", kwargs={"slug": "alfa"})
    r = client_for("office").post(url, _form(world))
    assert r.status_code == 302, r.content.decode()[:2000]
    c = Cluster.objects.get(slug="alfa")
    assert c.website == "https://alfa.example.pl"
    assert c.specialisation_codes == ["62.01.Z", "62.02.Z"]  # normalised PKD
    assert c.agreement_date == dt.date(2012, 1, 23)
    assert (c.actual_start_year, c.actual_start_kinds) == (
        2012,
        ["joint_project", "strategic_document"],
    )
    assert c.eccp_registered is True
    assert c.coordinator_appointment.startswith("Uchwała WZ")
    assert c.contact_name == "Jan Kowalski"
    assert c.sub_account_iban == "PL52806300010100010333010057"
    entry = AuditLog.objects.get(model="core.Cluster", object_id=str(c.pk))
    assert entry.user == world.users["office"]
    assert entry.changes["eccp_registered"] == [False, True]
    assert entry.changes["sub_account_iban"] == ["", "PL52806300010100010333010057"]
    assert entry.source == "web"
    # every role of the cluster sees the data on the cluster's home
    body = (
        client_for("forum").get(reverse("cluster_home", kwargs={"slug": "alfa"})).content.decode()
    )
    assert "Uchwała WZ nr 1/2012" in body and "PL52806300010100010333010057" in body


def test_mem_1_specialisation_description_is_at_most_150_characters(world, client_for):
    r = client_for("office").post(
        reverse("cluster_edit", kwargs={"slug": "alfa"}),
        _form(world, specialisation_description="x" * 151),
    )
    assert r.status_code == 200
    assert "specialisation_description" in r.context["form"].errors
    with pytest.raises(ValidationError) as exc:
        member_services.cluster_update(
            cluster=world.alfa,
            user=world.users["office"],
            data={
                "specialisation_classification": "description",
                "specialisation_description": "y" * 151,
            },
        )
    assert "specialisation_description" in exc.value.message_dict
    assert not AuditLog.objects.filter(model="core.Cluster").exists()


def test_mem_1_pkd_specialisation_codes_are_checked(world):
    with pytest.raises(ValidationError) as exc:
        member_services.cluster_update(
            cluster=world.alfa,
            user=world.users["office"],
            data={"specialisation_classification": "PKD", "specialisation_codes": ["62.0.Z"]},
        )
    assert "62.0.Z" in exc.value.message_dict["specialisation_codes"][0]


def test_mem_2_sub_account_must_be_a_valid_polish_iban(world, client_for):
    bad = EVOLUMA_NRB[:-1] + "8"  # one digit off: the check digits no longer agree
    r = client_for("office").post(
        reverse("cluster_edit", kwargs={"slug": "alfa"}), _form(world, sub_account_iban=bad)
    )
    assert r.status_code == 200
    errors = r.context["form"].errors["sub_account_iban"]
    assert errors and errors[0].startswith("IBAN:")
    assert Cluster.objects.get(slug="alfa").sub_account_iban == ""
    with pytest.raises(ValidationError) as exc:
        member_services.cluster_update(
            cluster=world.alfa,
            user=world.users["office"],
            data={"sub_account_iban": "DE89370400440532013000"},
        )
    assert "sub_account_iban" in exc.value.message_dict


def test_mem_2_coordinator_must_be_a_member_of_this_cluster(world):
    with pytest.raises(ValidationError) as exc:
        member_services.cluster_update(
            cluster=world.alfa, user=world.users["office"], data={"coordinator": world.member_beta}
        )
    assert "coordinator" in exc.value.message_dict
    with pytest.raises(ValidationError):
        member_services.cluster_update(
            cluster=world.alfa, user=world.users["office"], data={"coordinator": None}
        )


def test_mem_2_changing_the_coordinator_recomputes_every_distance(world, client_for):
    for m in (world.coordinator, world.member_a, world.member_b):
        m.refresh_from_db()
        geocoding.place_member(m)
        m.save()
    world.member_a.refresh_from_db()
    assert (
        world.member_a.distance_km is not None and world.member_a.distance_km <= 10
    )  # both in Białystok
    r = client_for("office").post(
        reverse("cluster_edit", kwargs={"slug": "alfa"}),
        _form(world, coordinator=str(world.member_b.pk)),
    )
    assert r.status_code == 302
    world.member_a.refresh_from_db()
    world.member_b.refresh_from_db()
    assert world.member_b.distance_km == 0  # the new coordinator (Warszawa)
    assert 170 <= world.member_a.distance_km <= 200  # Białystok – Warszawa, rounded to 10 km
    entry = AuditLog.objects.get(model="core.Cluster")
    assert entry.changes["coordinator"] == [world.coordinator.name, world.member_b.name]


def test_mem_2_a_new_coordinator_never_placed_is_placed_first(world):
    new = MemberFactory(
        cluster=world.alfa, name="Nowy Koordynator", postal_code="15-950", city="Białystok"
    )
    assert new.lat is None
    member_services.cluster_update(
        cluster=world.alfa, user=world.users["office"], data={"coordinator": new}
    )
    new.refresh_from_db()
    assert new.lat is not None and new.distance_km == 0


def test_mem_1_strategies_are_added_edited_and_removed_with_audit(world, client_for):
    office = client_for("office")
    r = office.post(
        reverse("strategy_add", kwargs={"slug": "alfa"}),
        {
            "s-name": "Strategia 2020-2025",
            "s-adopted": "2020-03-01",
            "s-valid_from": "2020-03-01",
            "s-valid_to": "2025-12-31",
        },
    )
    assert r.status_code == 302
    s = Strategy.objects.get(cluster=world.alfa)
    assert (s.name, s.valid_to) == ("Strategia 2020-2025", dt.date(2025, 12, 31))
    edit = reverse("strategy_edit", kwargs={"slug": "alfa", "strategy_id": s.pk})
    r = office.post(
        edit,
        versioned(
            office,
            edit,
            {
                "name": "Strategia 2020-2027",
                "adopted": "2023-06-01",
                "valid_from": "2020-03-01",
                "valid_to": "2027-12-31",
            },
        ),
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.name, s.adopted, s.valid_to) == (
        "Strategia 2020-2027",
        dt.date(2023, 6, 1),
        dt.date(2027, 12, 31),
    )
    r = office.post(reverse("strategy_remove", kwargs={"slug": "alfa", "strategy_id": s.pk}))
    assert r.status_code == 302
    assert not Strategy.objects.filter(cluster=world.alfa).exists()
    log = list(
        AuditLog.objects.filter(model="core.Strategy")
        .order_by("id")
        .values_list("action", "changes")
    )
    assert [a for a, _ in log] == ["create", "update", "delete"]
    assert log[1][1]["name"] == ["Strategia 2020-2025", "Strategia 2020-2027"]
    assert log[2][1]["name"] == ["Strategia 2020-2027", None]


def test_mem_1_strategy_validity_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        services.strategy_add(
            cluster=world.alfa,
            user=world.users["office"],
            data={
                "name": "Zła",
                "valid_from": dt.date(2024, 1, 1),
                "valid_to": dt.date(2023, 1, 1),
            },
        )
    assert "valid_to" in exc.value.message_dict
    assert not Strategy.objects.exists()


def test_mem_1_a_strategy_of_another_cluster_is_invisible(world, client_for):
    other = StrategyFactory(cluster=world.beta, name="Obca")
    r = client_for("office").get(
        reverse("strategy_edit", kwargs={"slug": "alfa", "strategy_id": other.pk})
    )
    assert r.status_code == 404


def test_api_token_auth_reads_the_members_list(world, client):
    """Token auth for the API (issue 2 point 8): a token issued for a login works without a session."""
    from rest_framework.test import APIClient

    r = client.post("/api/token/", {"username": "office", "password": "haslo-testowe-1"})
    assert r.status_code == 200
    token = r.json()["token"]
    api = APIClient()
    assert api.get("/api/clusters/alfa/members/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = api.get("/api/clusters/alfa/members/").json()
    assert {m["key"] for m in body["results"]} >= {"m001", "m002"}
    api.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert api.get("/api/clusters/alfa/members/").status_code == 401


def test_gov_statute_profile_office_adds_a_dated_version(world, client_for):
    """SPEC §2: statute numbers are dated data; organ members read them, only the office adds one."""
    import datetime as dt

    from klaster.core.models import StatuteProfileVersion
    from klaster.core.services import statute_profile_in_force

    url = "/c/alfa/statute/"
    assert (
        client_for("chair").post(url, {"valid_from": "2020-01-01", "preset": "evoluma"}).status_code
        == 403
    )
    r = client_for("office").post(url, {"valid_from": "2020-01-01", "preset": "evoluma"})
    assert r.status_code == 302
    # neither a preset nor the numbers (the numbers are a form now, issue 9: no JSON)
    r = client_for("office").post(url, {"valid_from": "2024-01-01"})
    assert r.status_code == 200 and "preset" in r.context["form"].errors
    r = client_for("office").post(
        url, {"valid_from": "2024-01-01", "take": "numbers", "n-ga.notice_days": "dwa"}
    )
    assert r.status_code == 200 and "n-ga.notice_days" in r.context["numbers"].errors
    r = client_for("office").post(
        url, {"valid_from": "2024-01-01", "preset": "infotech", "note": "uchwała WZ 3/2023"}
    )
    assert r.status_code == 302
    assert StatuteProfileVersion.objects.filter(cluster=world.alfa).count() == 2
    assert (
        statute_profile_in_force(world.alfa, dt.date(2023, 12, 31)).name
        != statute_profile_in_force(world.alfa, dt.date(2024, 1, 1)).name
    )
    assert "uchwała WZ 3/2023" in client_for("chair").get(url).content.decode()


def test_mem_3_cluster_home_counts_members_by_type_with_polish_names(world, client_for):
    body = client_for("chair").get("/c/alfa/").content.decode()
    assert "małe przedsiębiorstwo" in body and "instytucja otoczenia biznesu (IOB)" in body
    assert ">small<" not in body
