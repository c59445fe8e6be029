"""Rows of the access matrix (tests/core/test_access_matrix.py) for klaster/governance/api_more.py:
an admission's data (the admission page's "update" form) and a representative's online check-in
(the member's meeting page), as their pages."""

from __future__ import annotations

from tests.governance.matrix import admission, meeting

DENY = {"member": 403, "proxy": 403, "forum": 403, "outsider": 404, "anonymous": 401}


def _admission(w):
    return {"cluster_slug": "alfa", "admission_id": admission(w)}


def _meeting(w):
    return {"cluster_slug": "alfa", "meeting_id": meeting(w)}


def rows() -> dict:
    return {
        # GOV-5: read as the admission page (the office, organ members)
        "api_admission_data": ("get", _admission, {"office": 200, "chair": 200, **DENY}),
        # a representative checks its own member in (no member: 400 on "member"); as "meeting_my"
        "api_meeting_check_in": (
            "post",
            _meeting,
            {**DENY, "office": 403, "chair": 403, "member": 400, "proxy": 400},
        ),
    }


def writes() -> dict:
    return {
        # only the office changes it; the matrix's default PATCH body is no field of the form: 400
        "api_admission_data": ("patch", _admission, {"office": 400, "chair": 403, **DENY}),
    }


def payloads() -> dict:
    return {"api_meeting_check_in": lambda w: {"member": w.member_a.pk}}
