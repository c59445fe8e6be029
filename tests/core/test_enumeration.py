"""Other tenants' usernames and cluster names cannot be enumerated (issue 7 point 9).

Derived from the access matrix (tests/core/test_access_matrix.py), so a new page is covered
without a change here: no page or API answer of cluster alfa, for any of its roles, names cluster
beta, its members or its users; a cluster one has no role in answers exactly as a cluster that
does not exist; the login pages answer a wrong password exactly as an unknown login."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, reverse

from tests.core.test_access_matrix import ALFA_ROLES, MATRIX, PAYLOADS, WRITES, _route

# what alfa's people must never see: beta's name, its members' names, other clusters' users
FOREIGN = ["Klaster Beta", "Obca Firma", "Beta Koordynator", "outsider", "superuser"]
BINARY = (
    "application/pdf",
    "application/vnd.openxmlformats",
    "application/octet-stream",
    "application/zip",
)
UNKNOWN_SLUG = "nie-ma-takiego"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _text(response) -> str | None:
    if response.streaming or response.get("Content-Type", "").startswith(BINARY):
        return None
    return response.content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[0] == "get"))
def test_no_page_names_another_clusters_people(name, world, client_for):
    _method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))
    # the browsable API renders forms with choices: try it as well as the JSON
    accepts = ["text/html", "application/json"] if url.startswith("/api/") else ["text/html"]
    for persona in ALFA_ROLES:
        if expected[persona] != 200:
            continue
        client = client_for(persona)
        for accept in accepts:
            body = _text(client.get(url, headers={"Accept": accept}))
            if body is None:
                continue
            leaked = [needle for needle in FOREIGN if needle in body]
            assert not leaked, (name, persona, accept, leaked)


def _slug_kwarg(name) -> str | None:
    for _possibilities, _pattern, _defaults, converters in get_resolver().reverse_dict.getlist(
        name
    ):
        for key in ("slug", "cluster_slug"):
            if key in converters:
                return key
    return None


def _normalise(body: str, slug: str) -> str:
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return body.replace(slug, "SLUG")


SLUGGED = sorted(
    [(n, "matrix") for n in MATRIX if _slug_kwarg(n)] + [(n, "writes") for n in WRITES]
)


@pytest.mark.parametrize(("name", "table"), SLUGGED, ids=[f"{n}-{t}" for n, t in SLUGGED])
def test_another_cluster_answers_as_a_cluster_that_does_not_exist(name, table, world, client_for):
    """alfa's office asks for beta — which exists — and for a slug nobody has: the same answer,
    word for word, so the pages and the API cannot be used to find out which clusters exist."""
    from tests.core.dbstate import assert_unchanged, db_fingerprint
    from tests.core.test_access_matrix import _request

    method, kwargs, _expected = (MATRIX if table == "matrix" else WRITES)[name]
    own = kwargs(world)
    key = _slug_kwarg(_route(name))
    payload = PAYLOADS[name](world) if name in PAYLOADS else None
    client = client_for("office")
    answers = []
    before = db_fingerprint()
    for slug in ("beta", UNKNOWN_SLUG):
        response = _request(
            client, method, reverse(_route(name), kwargs={**own, key: slug}), payload
        )
        answers.append((response.status_code, _normalise(_text(response) or "", slug)))
    assert_unchanged(before, name)
    assert answers[0][0] in (404, 401, 403), (name, answers[0][0])
    assert answers[0] == answers[1], name


def _login_answer(client, url, username, password):
    response = client.post(url, {"username": username, "password": password})
    body = _normalise(response.content.decode(), f'value="{username}"')
    return response.status_code, body


@pytest.mark.parametrize("url_name", ["login", "api_token"])
def test_a_wrong_password_answers_as_an_unknown_login(url_name, world):
    """The login page and the API token endpoint tell nobody which logins exist."""
    from django.test import Client

    url = reverse(url_name)
    known = _login_answer(Client(), url, "outsider", "zle-haslo-1")
    unknown = _login_answer(Client(), url, "nikt-taki-nie-istnieje", "zle-haslo-1")
    assert known[0] in (200, 400), known[0]
    assert known == unknown


def test_home_lists_only_the_users_own_clusters(world, client_for):
    from tests.factories import ClusterFactory, grant

    gamma = ClusterFactory(slug="gamma", name="Klaster Gamma")
    grant(world.users["office"], gamma, "forum_viewer")
    body = client_for("office").get(reverse("home")).content.decode()
    assert "Klaster Alfa" in body and "Klaster Gamma" in body
    assert "Klaster Beta" not in body
    listing = client_for("office").get(reverse("api_cluster_list")).json()
    assert sorted(c["slug"] for c in listing) == ["alfa", "gamma"]


# --- governance: logins are looked up among the people of this cluster only ----------------------
# `UsernameField` (klaster/governance/forms.py: a meeting's chair, a proxy holder's login, a seat's
# person) and the proxy CSV import answer another cluster's login exactly like a login nobody has.


def _meeting_form(chair):
    # no title: the form is refused either way, so nothing is convened
    return {
        "organ": "ga",
        "kind": "ordinary",
        "title": "",
        "starts_at": "2025-09-01T10:00",
        "chair": chair,
    }


def test_meeting_chair_login_of_another_cluster_answers_as_an_unknown_one(world, client_for):
    url = reverse("meeting_create", kwargs={"slug": "alfa"})
    client = client_for("office")
    answers = []
    for login in ("outsider", "nikt-taki"):
        response = client.post(url, _meeting_form(login))
        answers.append((response.status_code, _normalise(response.content.decode(), login)))
    assert answers[0] == answers[1]


def test_proxy_holder_login_of_another_cluster_is_refused_as_an_unknown_one(world, client_for):
    from klaster.governance.models import Proxy
    from tests.governance.matrix import meeting

    url = reverse("proxy_add", kwargs={"slug": "alfa", "meeting_id": meeting(world)})
    client_for("office").post(
        url,
        {
            "px-giver": world.member_b.pk,
            "px-holder_name": "",
            "px-holder_user": "outsider",
            "px-received_at": "2025-06-20T10:00",
        },
    )
    assert not Proxy.objects.filter(holder_user=world.users["outsider"]).exists()


def test_proxy_csv_import_links_no_account_of_another_cluster(world):
    """GOV-4 proxies from a CSV: a holder named by another tenant's login gets no account link."""
    from klaster.governance.models import Meeting, Proxy
    from klaster.governance.services.proxies import proxies_import_csv
    from tests.governance.matrix import meeting

    m = Meeting.objects.get(pk=meeting(world))
    Meeting.objects.filter(pk=m.pk).update(status="convened")
    proxies_import_csv(
        meeting=m,
        user=world.users["office"],
        content=f"giver;holder;received_at\n{world.member_b.key};outsider;2025-06-20 10:00\n",
    )
    assert Proxy.objects.filter(meeting=m).exists()
    assert not Proxy.objects.filter(holder_user=world.users["outsider"]).exists()
