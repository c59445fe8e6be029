"""Issue 9 point 6: every office action of the pages is in the REST API — the pages' POST actions
without an endpoint of their own through ``POST /api/actions/<page path>`` (klaster/api_pages.py).

The access matrix's rows and payloads (tests/core/test_access_matrix.py) drive every action as
every persona, on alfa's URL and on beta's with alfa's ids: the API answers as the page does (a
refusal is the page's refusal and writes nothing; an allowed call changes the same tables as
the page's own POST), in the user's language."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from klaster.api_pages import ACTIONS, NAMES
from tests.core.dbstate import assert_unchanged, changed_tables, db_fingerprint
from tests.core.test_access_matrix import MATRIX, PAYLOADS, P, _is_refusal

pytestmark = pytest.mark.django_db

# Page POSTs whose action has an endpoint of its own (the explicit API) — or none by design.
EXPLICIT = {
    "statute": "api_statute_versions",
    "cluster_edit": "api_cluster_settings",
    "strategy_add": "api_strategy_list",
    "strategy_edit": "api_strategy_detail",
    "strategy_remove": "api_strategy_detail",
    "member_edit": "api_member_detail",
    "member_event_add": "api_member_events",
    "subunit_save": "api_subunit_list",
    "subunit_remove": "api_subunit_detail",
    "independence_link_add": "api_independence_link_list",
    "independence_link_remove": "api_independence_link_detail",
    "delegate_link_end": "api_delegate_link_end",
    "delegate_link_end_reported": "api_delegate_link_end_reported",
    "person_data_export": "api_person_data_export",
    "person_data_erase": "api_person_data_erase",
    "legal_hold_add": "api_legal_holds",
    "legal_hold_release": "api_legal_hold_release",
    "kkk_application_create": "api_kkk_applications",
    "kkk_application_edit": "api_kkk_application_detail",
    "kkk_application_register": "api_kkk_application_register",
    "kkk_attachment_add": "api_kkk_attachments",
    "kkk_attachment_remove": "api_kkk_attachment",
    "kkk_record_add": "api_kkk_records",
    "kkk_record_edit": "api_kkk_record_detail",
    "kkk_record_remove": "api_kkk_record_detail",
    "kkk_coordinator": "api_kkk_coordinator",
    "kkk_experts": "api_kkk_experts",
    "kkk_panel": "api_kkk_panel",
    "governance_action": "api_governance_action",
    "declarations": "api_declaration_list",
    "extraordinary_requests": "api_extraordinary_requests",
    "mediation_list": "api_mediation_list",
    "mediation_resolve": "api_mediation_resolve",
    "contacts": "api_contacts",
    "admission_list": "api_admission_list",
    "admission_detail": "api_admission_detail",
    "meeting_create": "api_meeting_list",
    "meeting_control": "api_meeting_action",
    "proxy_add": "api_meeting_proxies",
    "meeting_my": "api_ballot_cast",
    "summary_send": "api_summary_send",
    "notice_send": "api_meeting_action",
    "objection_file": "api_objection_file",
    "group_areas_ensure": "api_group_areas_ensure",
    "group_create": "api_group_create",
    "group_declare": "api_group_declarations",
    "group_withdraw": "api_group_withdraw",
    "group_start": "api_group_start",
    "group_payment_add": "api_group_payments",
    "group_meeting_add": "api_group_meetings",
    "group_material_add": "api_group_materials",
    "group_contact_add": "api_group_contact_add",
    "special_form_notify": "api_special_form_notify",
    "special_form_opinion": "api_special_form_opinion",
    "group_material_mark": "api_group_material",
    "group_contact_remove": "api_group_contact_remove",
    # a person accepting an invitation by its secret link: no account yet, no API by design
    "invite_accept": None,
    # the login, password and language pages of Django and the product
    "login": None,
    "logout": None,
    "password_reset": None,
    "password_reset_confirm": None,
    "password_change": None,
    "set_language": None,
    "api_token": None,
    "api_token_revoke": None,
}


def _posts(view) -> bool:
    """Whether a page's view takes a POST: it reads the posted fields or files, or only takes
    POSTs (require_POST)."""
    func = inspect.unwrap(view)
    try:
        source = inspect.getsource(func)
        module = Path(inspect.getsourcefile(func) or "").read_text()
    except (OSError, TypeError):
        return False
    if "request.POST" in source or "request.FILES" in source:
        return True
    for node in ast.walk(ast.parse(module)):
        if isinstance(node, ast.FunctionDef) and node.name == func.__name__:
            return any(ast.unparse(d).endswith("require_POST") for d in node.decorator_list)
    return False


def _page_posts(resolver=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or str(p.pattern).startswith("api/"):
                continue
            yield from _page_posts(p)
        elif isinstance(p, URLPattern) and p.name and not str(p.pattern).startswith("api/"):
            module = getattr(p.callback, "__module__", "") or ""
            if module.startswith("klaster.") and _posts(p.callback):
                yield p.name


def test_every_page_action_is_in_the_api():
    """A page that takes a POST has its action in the API: an endpoint of its own, or the
    action route — so a new page action without either fails here."""
    names = set(_page_posts())
    assert "money_dues_run" in names and "member_edit" in names  # the detector sees them
    missing = sorted(names - NAMES - set(EXPLICIT))
    assert not missing, f"page actions the API lacks: {missing}"
    routes = {p.name for p in _all_patterns()}
    for page, endpoint in EXPLICIT.items():
        assert endpoint is None or endpoint in routes, (page, endpoint)
    assert NAMES <= set(MATRIX), sorted(NAMES - set(MATRIX))


def _all_patterns(resolver=None):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _all_patterns(p)
        else:
            yield p


def _rewound(payload):
    for value in payload.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return payload


def _api(client, url: str, payload: dict):
    """The same call by the API: JSON, or multipart when it carries a file."""
    api_url = "/api/actions" + url
    if any(hasattr(v, "read") for v in payload.values()):
        return client.post(api_url, data=_rewound(payload))
    return client.post(api_url, data=json.dumps(payload), content_type="application/json")


def _as_its_page(name, url, payload, persona, client):
    """One persona's call, once to the page (rolled back) and once by the API."""
    before = db_fingerprint()
    with transaction.atomic():
        page = client.post(url, data=_rewound(payload))
        page_changed = changed_tables(before, db_fingerprint())
        transaction.set_rollback(True)
    api = _api(client, url, payload)
    where = (name, persona, url, page.status_code, api.status_code)
    if _is_refusal(page):
        wanted = 401 if page.status_code == 302 else page.status_code
        assert api.status_code == wanted, (*where, api.content[:300])
        assert_unchanged(before, where)
        return
    assert api.status_code in (200, 400), (*where, api.content[:300])
    got = changed_tables(before, db_fingerprint())
    assert got == page_changed, (*where, got, page_changed, api.content[:300])
    if api.status_code == 400:
        assert not got, where
    if api.get("Content-Type", "").startswith("application/json"):
        body = api.json()
        assert body, where


@pytest.mark.parametrize("name", sorted(NAMES))
def test_mem_1_api_action_answers_as_its_page(name, world, client_for):
    _method, kwargs, _expected = MATRIX[name]
    own = kwargs(world)
    payload = PAYLOADS[name](world) if name in PAYLOADS else {}
    url = reverse(name, kwargs=own)
    for persona in P:
        _as_its_page(name, url, payload, persona, client_for(persona))
    if "slug" in own:
        # beta's office under its own slug with alfa's ids: what the page answers, nothing written
        foreign = reverse(name, kwargs={**own, "slug": "beta"})
        _as_its_page(name, foreign, payload, "outsider", client_for("outsider"))


def test_an_api_action_with_a_payload_writes_for_the_office(world, client_for):
    """Allowed calls with the matrix's payloads write, as the page's POST does (at least one
    table changes for every action with a payload the office may send)."""
    office = client_for("office")
    wrote = []
    for name in sorted(NAMES & set(PAYLOADS)):
        _method, kwargs, expected = MATRIX[name]
        if expected["office"] not in (200, 302):
            continue
        payload = PAYLOADS[name](world)
        before = db_fingerprint()
        response = _api(office, reverse(name, kwargs=kwargs(world)), payload)
        if response.status_code == 200 and changed_tables(before, db_fingerprint()):
            wrote.append(name)
    assert {"money_dues_run", "aid_undertaking_new", "event_new", "people_invite"} <= set(wrote)


def test_refused_input_is_400_by_field_in_the_users_language(world, client_for):
    """The page's form errors by the names the call sent, in the caller's language."""
    office = client_for("office")
    from tests.money.matrix import s

    s(world)  # alfa's books
    url = "/api/actions" + reverse("money_interest_rates", kwargs={"slug": "alfa"})
    response = office.post(url, data=json.dumps({"rate": "abc"}), content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["valid_from"] == ["To pole jest wymagane."]
    assert "rate" in body
    english = office.post(
        url,
        data=json.dumps({"rate": "abc"}),
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert english.json()["valid_from"] == ["This field is required."]


def test_an_empty_call_is_refused_and_a_done_one_says_where_it_went(world, client_for):
    office = client_for("office")
    url = "/api/actions" + reverse("event_new", kwargs={"slug": "alfa"})
    empty = office.post(url, data="{}", content_type="application/json")
    assert empty.status_code == 400
    assert empty.json()["non_field_errors"] == ["Wyślij pola formularza strony."]
    from tests.events.matrix import payloads

    done = office.post(
        url, data=json.dumps(payloads()["event_new"](world)), content_type="application/json"
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["detail"].startswith("Wydarzenie zapisane")
    assert body["location"].startswith("/c/alfa/events/")


def test_the_action_list_and_unknown_pages(world, client_for):
    office = client_for("office")
    listed = office.get("/api/actions/").json()
    paths = {row["name"]: row["path"] for row in listed}
    assert set(paths) == NAMES
    assert paths["money_entry_fee"] == "/c/{slug}/money/member/{member_id}/entry-fee/"
    assert {row["app"] for row in listed} == set(ACTIONS)
    # a page that is not an action here (it has its own endpoint) and a path that is no page
    for page in ("c/alfa/members/1/edit/", "c/alfa/nothing/"):
        before = db_fingerprint()
        got = office.post(f"/api/actions/{page}", data="{}", content_type="application/json")
        assert got.status_code == 404
        assert_unchanged(before, page)
    assert client_for("anonymous").get("/api/actions/").status_code == 401


def test_a_page_that_says_only_a_warning_answers_with_it(world, client_for):
    """The page's words, not a bare "done", when it did nothing but say why (an import preview
    that is gone)."""
    office = client_for("office")
    url = "/api/actions" + reverse(
        "member_import_confirm", kwargs={"slug": "alfa", "token": "no-such-preview"}
    )
    before = db_fingerprint()
    got = office.post(url, data=json.dumps({"digest": "x"}), content_type="application/json")
    assert_unchanged(before, "confirm of a preview that is gone")
    assert got.status_code == 200
    assert got.json()["detail"] == (
        "Ten podgląd importu nie jest już dostępny; wczytaj plik ponownie."
    )
    assert got.json()["location"] == reverse("member_import", kwargs={"slug": "alfa"})


def test_a_token_caller_runs_an_action_without_a_session(world):
    """As an integration calls it: a token, JSON, no cookies — the dues run issues documents."""
    from django.test import Client

    from klaster.money.models import Document
    from tests.factories import TokenFactory
    from tests.money.matrix import s

    s(world)  # alfa bills dues from January 2026
    token = TokenFactory(user=world.users["office"]).key
    issued = Document.objects.filter(member__cluster=world.alfa).count()
    url = "/api/actions" + reverse("money_dues_run", kwargs={"slug": "alfa"})
    got = Client().post(
        url,
        data=json.dumps({"through": "2026-03-01"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert got.status_code == 200, got.content
    assert got.json()["location"] == reverse("money_home", kwargs={"slug": "alfa"})
    assert Document.objects.filter(member__cluster=world.alfa).count() > issued
    # a member's token: the page's refusal, nothing written
    member_token = TokenFactory(user=world.users["member"]).key
    before = db_fingerprint()
    refused = Client().post(
        url,
        data=json.dumps({"through": "2026-04-01"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {member_token}",
    )
    assert refused.status_code == 403
    assert_unchanged(before, "member's token")
