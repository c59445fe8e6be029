"""Rows of the access matrix (tests/core/test_access_matrix.py) for the register's facts by the API
(klaster/members/api_facts.py): as their pages — sub-units and links are read by whoever reads the
member and written by the office; a person's link end by the office and the member's own
representative (persona "member", of member A); personal data, holds, reminders and the cluster's
settings by the office alone."""

from __future__ import annotations

LOGIN = "login"
S = {"cluster_slug": "alfa"}
# the office only; the others of alfa 403, the office of beta 404, the anonymous 401
OFFICE = {
    "office": 200,
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": 401,
}
# whoever reads member A: the office, organ members, member A's representative
MEMBER_READ = {**OFFICE, "chair": 200, "member": 200}


def science(w) -> bool:
    """Member A as a science unit: only those have sub-units (MEM-3)."""
    from klaster.members.models import Member

    return bool(Member.objects.filter(pk=w.member_a.pk).update(type="science"))


def _member(w):
    return {**S, "pk": w.member_a.pk}


def _subunit(w):
    from tests.core.test_access_matrix import _subunit as build

    science(w)
    return {**S, "subunit_id": build(w)}


def _link(w):
    from tests.core.test_access_matrix import _link as build

    return {**S, "link_id": build(w)}


def _person(w):
    from tests.core.test_access_matrix import _delegate

    return {**S, "person_id": _delegate(w)}


def _hold(w):
    from tests.core.test_access_matrix import _hold as build

    return {**S, "hold_id": build(w)}


def _ended(w) -> bool:
    from tests.core.test_access_matrix import _erasable

    return _erasable(w)


def rows() -> dict:
    return {
        # the settings page (the office); a PATCH needs If-Match
        "api_cluster_settings": ("get", lambda w: S, OFFICE),
        "api_subunit_list": ("get", _member, MEMBER_READ),
        "api_subunit_detail": ("get", _subunit, MEMBER_READ),
        "api_independence_link_list": ("get", _member, MEMBER_READ),
        # a link shows on both members' pages: member B's representative ("proxy") reads it too
        "api_independence_link_detail": ("get", _link, {**MEMBER_READ, "proxy": 200}),
        "api_delegate_reminders": ("get", lambda w: S, OFFICE),
        # MEM-8: the office and the member's own representative (an empty call: 400 for them)
        "api_delegate_link_end": ("post", _person, {**OFFICE, "office": 400, "member": 400}),
        "api_delegate_link_end_reported": ("post", _person, {**OFFICE, "office": 400}),
        # MEM-12: the export is audited, so a POST
        "api_person_data_export": ("post", _person, OFFICE),
        # no confirmation: 400 with the page's words
        "api_person_data_erase": ("post", _person, {**OFFICE, "office": 400}),
        "api_legal_holds": ("get", _person, OFFICE),
        "api_legal_hold_release": ("post", _hold, OFFICE),
    }


def writes() -> dict:
    return {
        # the default PATCH body ({"city": …}) is not a field of the settings page: 400 by field
        "api_cluster_settings": ("patch", lambda w: S, {**OFFICE, "office": 400}),
        "api_subunit_list": ("post", _member, {**OFFICE, "office": 400}),
        "api_subunit_detail": ("patch", _subunit, OFFICE),
        "api_subunit_detail@delete": ("delete", _subunit, {**OFFICE, "office": 204}),
        "api_independence_link_list": ("post", _member, {**OFFICE, "office": 400}),
        "api_independence_link_detail": ("delete", _link, {**OFFICE, "office": 204}),
        "api_legal_holds": ("post", _person, {**OFFICE, "office": 400}),
    }


def payloads() -> dict:
    return {
        "api_subunit_list": lambda w: science(w) and {"name": "Wydział z API", "category": "A"},
        "api_independence_link_list": lambda w: {
            "other": w.member_b.pk,
            "kind": "partner",
            "since": "2024-01-01",
        },
        "api_delegate_link_end": lambda w: {"link_ended": "2024-01-01"},
        "api_delegate_link_end_reported": lambda w: (
            _ended(w) and {"link_end_reported": "2024-01-05"}
        ),
        "api_person_data_erase": lambda w: _ended(w) and {"confirm": True},
        "api_legal_holds": lambda w: {
            "reason": "Roszczenie z API",
            "basis": "art. 17 ust. 3 lit. e",
        },
    }
