"""Every URL tried by every persona; the allowed/denied matrix is asserted (SPEC MEM-1:
a user sees only clusters they are granted; issue 2 point 8).

The list of URL names is read from the resolver, so a new page without a row here fails
`test_every_url_has_a_row` — nobody can add a page and forget its access rule.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

P = ["office", "chair", "member", "proxy", "forum", "outsider", "anonymous"]
LOGIN = "login"  # anonymous is sent to the login page (web) or refused (API)


def ok(*personas, code=200):
    return {p: code for p in personas}


OFFICE_ONLY = {"chair": 403, "member": 403, "proxy": 403, "forum": 403, "outsider": 404, "anonymous": LOGIN}


def _strategy(w):
    from klaster.core.models import Strategy

    return Strategy.objects.get_or_create(cluster=w.alfa, name="Strategia testowa")[0].pk


def _subunit(w):
    from klaster.members.models import ScienceSubunit

    return ScienceSubunit.objects.get_or_create(member=w.member_a, name="Wydział testowy", category="A")[0].pk


def _link(w):
    from klaster.members.models import IndependenceLink

    return IndependenceLink.objects.get_or_create(member=w.member_a, other=w.member_b, kind="linked")[0].pk


def _delegate(w):
    from klaster.members.models import DelegatedPerson

    return DelegatedPerson.objects.get_or_create(member=w.member_a, name="Anna Testowa",
                                                 defaults={"to_general_assembly": True})[0].pk


def _hold(w):
    from klaster.members.models import LegalHold

    return LegalHold.objects.get_or_create(person_id=_delegate(w), reason="Roszczenie", basis="art. 17 ust. 3 lit. e")[0].pk


def _gid(w):
    from tests.groups.builders import it_group

    return {"slug": "alfa", "group_id": it_group(w).pk}


def _special(w):
    from tests.groups.builders import consortium

    return {"slug": "alfa", "group_id": consortium(w).pk}


def _material_file(w):
    from tests.groups.builders import material

    return {"slug": "alfa", "material_id": material(w, confidential=True, with_file=True).pk}


def _material_open(w):
    from tests.groups.builders import material

    return {"slug": "alfa", "material_id": material(w, confidential=False).pk}


def _contact(w):
    from tests.groups.builders import extra_contact

    return {"slug": "alfa", "contact_id": extra_contact(w).pk}


def _api_gid(w):
    from tests.groups.builders import it_group

    return {"cluster_slug": "alfa", "pk": it_group(w).pk}


def _api_group(w):
    from tests.groups.builders import it_group

    return {"cluster_slug": "alfa", "group_pk": it_group(w).pk}


ALFA_ROLES = ("office", "chair", "member", "proxy", "forum")
# every role of alfa reads; the outsider does not know alfa
READ_ALL = {**ok(*ALFA_ROLES), "outsider": 404, "anonymous": LOGIN}
API_READ_ALL = {**ok(*ALFA_ROLES), "outsider": 404, "anonymous": 401}
# GZW-4 / GZW-5: the office and the group's members only
GROUP_ONLY = {"office": 200, "member": 200, "chair": 403, "proxy": 403, "forum": 403, "outsider": 404,
              "anonymous": LOGIN}
GROUP_MATRIX = {
    "group_list": ("get", lambda w: {"slug": "alfa"}, READ_ALL),
    "group_export": ("get", lambda w: {"slug": "alfa"}, READ_ALL),
    "group_areas_ensure": ("post", lambda w: {"slug": "alfa"}, {"office": 302, **OFFICE_ONLY}),
    "group_create": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    # the member portal's part for groups: the member's own representatives only (as "portal")
    "group_portal": ("get", lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
                     {"member": 200, "office": 403, "chair": 403, "proxy": 403, "forum": 403, "outsider": 404,
                      "anonymous": LOGIN}),
    "group_detail": ("get", _gid, READ_ALL),
    # GZW-2: representatives declare for their own member (an empty form: back to the page with
    # the errors), the office for any; organ members and the forum do not declare
    "group_declare": ("post", _gid, {"office": 302, "member": 302, "proxy": 302, "chair": 403, "forum": 403,
                                     "outsider": 404, "anonymous": LOGIN}),
    "group_withdraw": ("post", _gid, {"office": 302, "member": 302, "proxy": 302, "chair": 403, "forum": 403,
                                      "outsider": 404, "anonymous": LOGIN}),
    "group_start": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_payment_add": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_meeting_add": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_contact_add": ("post", _gid, {"office": 302, **OFFICE_ONLY}),
    "group_contact_remove": ("post", _contact, {"office": 302, **OFFICE_ONLY}),
    "group_material_add": ("post", _gid, {**GROUP_ONLY, "office": 302, "member": 302}),
    "group_contacts_csv": ("get", _gid, GROUP_ONLY),
    # a confidential material's file: 404 for whoever is outside the group (GZW-4)
    "group_material_file": ("get", _material_file, {"office": 200, "member": 200, "chair": 404, "proxy": 404,
                                                    "forum": 404, "outsider": 404, "anonymous": LOGIN}),
    # a non-confidential material provided by member A: its provider and the office mark it
    "group_material_mark": ("post", _material_open, {**GROUP_ONLY, "office": 302, "member": 302}),
    # GZW-3: the initiators (member A) notify, the office may on their behalf; the office records the opinion
    "special_form_notify": ("post", _special, {**GROUP_ONLY, "office": 302, "member": 302}),
    "special_form_opinion": ("post", _special, {"office": 302, **OFFICE_ONLY}),
    "api_group_list": ("get", lambda w: {"cluster_slug": "alfa"}, API_READ_ALL),
    "api_group_detail": ("get", _api_gid, API_READ_ALL),
    "api_group_declarations": ("get", _api_group, API_READ_ALL),
    "api_group_contacts": ("get", _api_group, {**GROUP_ONLY, "anonymous": 401}),
}


# url name -> (method, kwargs builder, {persona: expected status}); unlisted personas: see DEFAULT_DENIED
MATRIX = {
    "home": ("get", lambda w: {}, {**ok("chair", "member", "proxy", "forum", "office", "outsider", code=302),
                                   "anonymous": LOGIN}),
    "cluster_home": ("get", lambda w: {"slug": "alfa"},
                     {**ok("office", "chair", "member", "proxy", "forum"), "outsider": 404, "anonymous": LOGIN}),
    "audit": ("get", lambda w: {"slug": "alfa"},
              {"office": 200, "chair": 403, "member": 403, "proxy": 403, "forum": 403, "outsider": 404,
               "anonymous": LOGIN}),
    "statute": ("get", lambda w: {"slug": "alfa"},
                {**ok("office", "chair"), "member": 403, "proxy": 403, "forum": 403, "outsider": 404,
                 "anonymous": LOGIN}),
    "cluster_edit": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    "strategy_add": ("post", lambda w: {"slug": "alfa"}, {"office": 302, **OFFICE_ONLY}),
    "strategy_edit": ("get", lambda w: {"slug": "alfa", "strategy_id": _strategy(w)}, {"office": 200, **OFFICE_ONLY}),
    # The office's POST removes the strategy; the others are refused before the row is looked up.
    "strategy_remove": ("post", lambda w: {"slug": "alfa", "strategy_id": _strategy(w)},
                        {"office": 302, **OFFICE_ONLY}),
    "member_list": ("get", lambda w: {"slug": "alfa"},
                    {**ok("office", "chair"), "member": 403, "proxy": 403, "forum": 403, "outsider": 404,
                     "anonymous": LOGIN}),
    "member_detail": ("get", lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
                      {**ok("office", "chair", "member"), "proxy": 403, "forum": 403, "outsider": 404,
                       "anonymous": LOGIN}),
    "member_edit": ("get", lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
                    {"office": 200, "member": 302, "chair": 403, "proxy": 403, "forum": 403, "outsider": 404,
                     "anonymous": LOGIN}),
    "member_event_add": ("post", lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
                         {"office": 302, "member": 302, "chair": 403, "proxy": 403, "forum": 403, "outsider": 404,
                          "anonymous": LOGIN}),
    "subunit_save": ("post", lambda w: {"slug": "alfa", "member_id": w.member_a.pk}, {"office": 302, **OFFICE_ONLY}),
    "subunit_remove": ("post", lambda w: {"slug": "alfa", "subunit_id": _subunit(w)}, {"office": 302, **OFFICE_ONLY}),
    "independence_link_add": ("post", lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
                              {"office": 302, **OFFICE_ONLY}),
    "independence_link_remove": ("post", lambda w: {"slug": "alfa", "link_id": _link(w)},
                                 {"office": 302, **OFFICE_ONLY}),
    # issue 2 point 6: the spreadsheet import is the office's; an unknown preview token
    # sends the office back to the upload page (302)
    "member_import": ("get", lambda w: {"slug": "alfa"},
                      {"office": 200, "chair": 403, "member": 403, "proxy": 403, "forum": 403, "outsider": 404,
                       "anonymous": LOGIN}),
    "member_import_preview": ("get", lambda w: {"slug": "alfa", "token": "no-such-preview"},
                              {"office": 302, "chair": 403, "member": 403, "proxy": 403, "forum": 403,
                               "outsider": 404, "anonymous": LOGIN}),
    "member_import_confirm": ("post", lambda w: {"slug": "alfa", "token": "no-such-preview"},
                              {"office": 302, "chair": 403, "member": 403, "proxy": 403, "forum": 403,
                               "outsider": 404, "anonymous": LOGIN}),
    "member_statistics": ("get", lambda w: {"slug": "alfa"},
                          {**ok("office", "chair", "member", "proxy", "forum"), "outsider": 404, "anonymous": LOGIN}),
    "delegate_reminders": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **OFFICE_ONLY}),
    # member A's own representative records its persons' link ends too (then lands on the portal)
    "delegate_link_end": ("post", lambda w: {"slug": "alfa", "person_id": _delegate(w)},
                          {"office": 302, "member": 302, "chair": 403, "proxy": 403, "forum": 403,
                           "outsider": 404, "anonymous": LOGIN}),
    "delegate_link_end_reported": ("post", lambda w: {"slug": "alfa", "person_id": _delegate(w)},
                                   {"office": 302, **OFFICE_ONLY}),
    # MEM-12 (RODO): a person's data is the office's alone, to see, export, erase or hold.
    "person_data": ("get", lambda w: {"slug": "alfa", "person_id": _delegate(w)}, {"office": 200, **OFFICE_ONLY}),
    "person_data_export": ("get", lambda w: {"slug": "alfa", "person_id": _delegate(w)},
                           {"office": 200, **OFFICE_ONLY}),
    "person_data_erase": ("post", lambda w: {"slug": "alfa", "person_id": _delegate(w)},
                          {"office": 302, **OFFICE_ONLY}),
    "legal_hold_add": ("post", lambda w: {"slug": "alfa", "person_id": _delegate(w)}, {"office": 302, **OFFICE_ONLY}),
    "legal_hold_release": ("post", lambda w: {"slug": "alfa", "hold_id": _hold(w)}, {"office": 302, **OFFICE_ONLY}),
    "portal": ("get", lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
               {"member": 200, "office": 403, "chair": 403, "proxy": 403, "forum": 403, "outsider": 404,
                "anonymous": LOGIN}),
    "api_cluster_list": ("get", lambda w: {}, {**ok("office", "chair", "member", "proxy", "forum", "outsider"),
                                               "anonymous": 401}),
    "api_cluster_detail": ("get", lambda w: {"slug": "alfa"},
                           {**ok("office", "chair", "member", "proxy", "forum"), "outsider": 404,
                            "anonymous": 401}),
    "api_member_list": ("get", lambda w: {"cluster_slug": "alfa"},
                        {**ok("office", "chair"), "member": 403, "proxy": 403, "forum": 403, "outsider": 404,
                         "anonymous": 401}),
    "api_member_detail": ("get", lambda w: {"cluster_slug": "alfa", "pk": w.member_a.pk},
                          {**ok("office", "chair", "member"), "proxy": 403, "forum": 403, "outsider": 404,
                           "anonymous": 401}),
    # POST without credentials: refused for everyone (tokens are issued only for a valid login)
    "api_token": ("post", lambda w: {}, ok(*P, code=400)),
    "api_schema": ("get", lambda w: {}, {**ok("office", "chair", "member", "proxy", "forum", "outsider"),
                                         "anonymous": 401}),
    "api_docs": ("get", lambda w: {}, {**ok("office", "chair", "member", "proxy", "forum", "outsider"),
                                       "anonymous": 401}),
    "login": ("get", lambda w: {}, ok(*P)),
    "logout": ("post", lambda w: {}, ok(*P, code=302)),
    "set_language": ("post", lambda w: {}, ok(*P, code=302)),
    # Advanced Cooperation Groups (GZW-1…GZW-5). The group is the IT area with member A (persona
    # "member") in it and member B (persona "proxy") not; confidential items are 404 for others.
    **GROUP_MATRIX,
}

# Governance (GOV-1…GOV-15): meetings, votes, proxies, organs, admissions — tests/governance/matrix.py.
from tests.governance.matrix import rows as governance_rows  # noqa: E402

MATRIX.update(governance_rows())

# The KKK application (KKK-1…KKK-3, KKK-EXPLAIN, KKK-S2-EXP) — tests/kkk/matrix.py.
from tests.kkk.matrix import rows as kkk_rows  # noqa: E402

MATRIX.update(kkk_rows())


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Files the row builders upload (KKK attachments) go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


# The member-scoped API write: PATCH as every persona.
WRITES = {
    "api_member_detail": ("patch", lambda w: {"cluster_slug": "alfa", "pk": w.member_a.pk},
                          {"office": 200, "member": 403, "chair": 403, "proxy": 403, "forum": 403,
                           "outsider": 404, "anonymous": 401}),
}


def _names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue  # the admin is covered by test_admin_is_office_only
            yield from _names(p, prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_url_has_a_row():
    missing = sorted(set(_names()) - set(MATRIX))
    assert not missing, f"URLs with no access rule in the matrix: {missing}"


def _check(client, method, url, expected, persona):
    if method == "patch":
        response = client.patch(url, data={"city": "Kraków"}, content_type="application/json")
    else:
        response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302, (persona, url, response.status_code)
        assert response["Location"].startswith(reverse("login")), (persona, url, response["Location"])
    else:
        assert response.status_code == expected, (persona, method, url, response.status_code)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_mem_1_every_url_as_every_persona(name, world, client_for):
    method, kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))
    assert set(expected) == set(P), f"{name}: every persona needs an expectation"
    for persona in P:
        _check(client_for(persona), method, url, expected[persona], persona)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_mem_1_api_writes_as_every_persona(name, world, client_for):
    method, kwargs, expected = WRITES[name]
    url = reverse(name, kwargs=kwargs(world))
    for persona in P:
        _check(client_for(persona), method, url, expected[persona], persona)


def test_mem_1_member_of_another_cluster_is_invisible(world, client_for):
    """A member id of cluster beta under cluster alfa's URL is 404 even for alfa's office."""
    office = client_for("office")
    assert office.get(reverse("member_detail", kwargs={"slug": "alfa", "member_id": world.member_beta.pk})
                      ).status_code == 404
    assert office.get(reverse("api_member_detail", kwargs={"cluster_slug": "alfa", "pk": world.member_beta.pk})
                      ).status_code == 404
    listing = office.get(reverse("api_cluster_list")).json()
    assert [c["slug"] for c in listing] == ["alfa"]


def test_admin_is_office_only(world, client_for):
    index = reverse("admin:index")
    changelist = reverse("admin:members_member_changelist")
    change = reverse("admin:members_member_change", args=[world.member_a.pk])
    for persona in P:
        c = client_for(persona)
        if persona == "office":
            assert c.get(index).status_code == 200
            body = c.get(changelist).content.decode()
            assert world.member_a.name in body and world.member_beta.name not in body
            assert c.get(change).status_code == 200
        elif persona == "outsider":
            # the office of beta reaches the admin but not alfa's rows
            assert c.get(index).status_code == 200
            body = c.get(changelist).content.decode()
            assert world.member_a.name not in body and world.member_beta.name in body
            assert c.get(change).status_code == 302
        else:
            for url in (index, changelist, change):
                r = c.get(url)
                assert r.status_code == 302 and "/admin/login/" in r["Location"], (persona, url)
