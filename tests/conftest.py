"""Shared fixtures. The named personas (STYLE: Healthchecks' alice, bob, charlie):

office    — the cluster office of cluster "alfa" (everything in it)
chair     — an organ member of "alfa" (reads the register)
member    — representative of member A of "alfa" (its own member only)
proxy     — representative of member B of "alfa" (another member; later holds proxies)
forum     — a forum viewer of "alfa"
outsider  — the office of another cluster "beta" (nothing in "alfa")
anonymous — not logged in
superuser — an operator (Django superuser) with no role in any cluster: the only one the
            Django admin lets in (issue 7); not one of PERSONAS, the product's own personas

Django is imported lazily so that tests/rules run without it (`-p no:django`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# No deadlines (two cores shared by xdist workers make timings meaningless); in CI the
# examples are derandomised so a run is repeatable, locally they explore.
hypothesis_settings.register_profile(
    "klaster",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI") == "true",
)
hypothesis_settings.load_profile("klaster")


@dataclass
class World:
    alfa: Any
    beta: Any
    coordinator: Any
    member_a: Any
    member_b: Any
    member_beta: Any
    users: dict[str, Any]


def pytest_configure(config):
    try:
        from django.conf import settings

        # Fast hashing in tests: real PBKDF2 costs a second per six users.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    except Exception:  # noqa: BLE001, S110 — tests/rules run without Django
        pass


PERSONAS = ["office", "chair", "member", "proxy", "forum", "outsider", "anonymous"]


@pytest.fixture
def world(db) -> World:
    from tests.factories import ClusterFactory, MemberFactory, UserFactory, grant

    alfa = ClusterFactory(slug="alfa", name="Klaster Alfa")
    beta = ClusterFactory(slug="beta", name="Klaster Beta")
    coordinator = MemberFactory(
        cluster=alfa,
        key="m000",
        name="Fundacja Koordynator",
        type="iob",
        postal_code="15-001",
        city="Białystok",
    )
    alfa.coordinator = coordinator
    alfa.save()
    member_a = MemberFactory(
        cluster=alfa,
        key="m001",
        name="Alfa-Tech sp. z o.o.",
        postal_code="15-950",
        city="Białystok",
    )
    member_b = MemberFactory(
        cluster=alfa,
        key="m002",
        name="Beta-Soft S.A.",
        type="medium",
        postal_code="00-001",
        city="Warszawa",
    )
    coord_beta = MemberFactory(cluster=beta, key="b000", name="Beta Koordynator", type="iob")
    beta.coordinator = coord_beta
    beta.save()
    member_beta = MemberFactory(cluster=beta, key="b001", name="Obca Firma")
    users = {name: UserFactory(username=name) for name in PERSONAS if name != "anonymous"}
    grant(users["office"], alfa, "office")
    grant(users["chair"], alfa, "organ_member")
    grant(users["member"], alfa, "representative", member_a)
    grant(users["proxy"], alfa, "representative", member_b)
    grant(users["forum"], alfa, "forum_viewer")
    grant(users["outsider"], beta, "office")
    users["office"].is_staff = True
    users["office"].save()
    users["outsider"].is_staff = True
    users["outsider"].save()
    users["superuser"] = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    return World(alfa, beta, coordinator, member_a, member_b, member_beta, users)


@pytest.fixture
def client_for(client, world):
    """client_for("office") → a test client logged in as that persona."""
    from django.test import Client

    def make(persona: str) -> Client:
        c = Client()
        if persona != "anonymous":
            c.force_login(world.users[persona])
        return c

    return make


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the product's default language (Polish). A request made in English
    leaves English active in the worker's thread (LocaleMiddleware activates it and nothing
    deactivates it), and a later test that builds a message outside a request would otherwise
    read it in English, depending on the order xdist gives the tests."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path_factory):
    """Files a test stores (documents, materials, attachments) go to a folder of the test run,
    never to the project's var/media; the nightly backup writes nothing unless a test asks."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.KLASTER_BACKUP_DIR = ""  # the nightly backup off unless a test turns it on
