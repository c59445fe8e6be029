"""Rows of the access matrix (tests/core/test_access_matrix.py) for the groups' writes by the API
(klaster/groups/api_writes.py): as their pages (GROUP_MATRIX there), with the API's answers — a
refusal is a 403 where the page redirects, the anonymous get 401, an empty call is a 400 for
whoever may write. The group is the IT area with member A (persona "member") in it."""

from __future__ import annotations

S = {"cluster_slug": "alfa"}
OFFICE = {
    "office": 400,
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": 401,
}


def _group(w):
    from tests.groups.builders import it_group

    return {**S, "group_pk": it_group(w).pk}


def _special(w):
    from tests.groups.builders import consortium

    return {**S, "group_pk": consortium(w).pk}


def _material_open(w):
    from tests.groups.builders import material

    return {**S, "material_id": material(w, confidential=False).pk}


def _material_file(w):
    from tests.groups.builders import material

    return {**S, "material_id": material(w, confidential=True, with_file=True).pk}


def _contact(w):
    from tests.groups.builders import extra_contact

    return {**S, "contact_id": extra_contact(w).pk}


def _statute(w) -> bool:
    """The groups' thresholds come from the statute profile in force (GZW-1)."""
    import datetime as dt

    from klaster.core.services import statute_profile_in_force
    from tests.groups.builders import evoluma

    if statute_profile_in_force(w.alfa, dt.date(2025, 5, 5)) is None:
        evoluma(w.alfa)
    return True


def rows() -> dict:
    return {
        "api_group_create": ("post", lambda w: S, OFFICE),
        "api_group_areas_ensure": ("post", lambda w: S, {**OFFICE, "office": 200}),
        # GZW-2: representatives withdraw their own member, the office any
        "api_group_withdraw": (
            "post",
            _group,
            {**OFFICE, "member": 400, "proxy": 400},
        ),
        "api_group_start": ("post", _group, OFFICE),
        "api_group_payments": ("post", _group, OFFICE),
        "api_group_meetings": ("post", _group, OFFICE),
        # GZW-4: the office and the group's members add materials
        "api_group_materials": ("post", _group, {**OFFICE, "member": 400}),
        "api_group_contact_add": ("post", _group, OFFICE),
        "api_group_contact_remove": ("delete", _contact, {**OFFICE, "office": 204}),
        # a non-confidential material provided by member A: its provider and the office mark it
        # (the matrix's default PATCH body has no "confidential": 400 for them)
        "api_group_material": ("patch", _material_open, {**OFFICE, "member": 400}),
        # a confidential material's file: 404 for whoever is outside the group
        "api_group_material_file": (
            "get",
            _material_file,
            {
                "office": 200,
                "member": 200,
                "chair": 404,
                "proxy": 404,
                "forum": 404,
                "outsider": 404,
                "anonymous": 401,
            },
        ),
        # GZW-3: the initiators (member A) notify, the office may on their behalf
        "api_special_form_notify": ("post", _special, {**OFFICE, "member": 400}),
        "api_special_form_opinion": ("post", _special, OFFICE),
    }


def payloads() -> dict:
    return {
        "api_group_create": lambda w: (
            _statute(w)
            and {
                "kind": "additional",
                "name": "Grupa z API",
                "by_coordinator": True,
                "board_resolution": "1/2025",
                "board_resolution_date": "2025-05-05",
            }
        ),
        "api_group_meetings": lambda w: {"date": "2025-05-05", "place": "Białystok"},
        "api_group_payments": lambda w: {
            "member": w.member_a.pk,
            "amount": "100.00",
            "paid_on": "2025-05-05",
            "purpose": "Składka",
        },
        "api_group_contact_add": lambda w: {"name": "Obcy Ekspert", "email": "obcy@example.org"},
        "api_group_materials": lambda w: {"title": "Obcy materiał", "body": "Treść"},
    }
