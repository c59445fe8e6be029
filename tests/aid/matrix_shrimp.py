"""Access-matrix rows of the de minimis app's SHRIMP pages (wired in tests/core/test_access_matrix.py).

SHRIMP reporting (AID-8) is the office's alone: the list, the XLSX of the grants to report, one
grant's data sheet and its "reported" form. Organ members, representatives and the forum see
none of it; another cluster's office does not know alfa (404)."""

from __future__ import annotations

from tests.aid.matrix_contracts import DENY, OFFICE, OFFICE_POST, contract


def s(w):
    return {"slug": "alfa"}


def g(w):
    return {"slug": "alfa", "grant_id": contract(w).grant.pk}


def rows():
    return {
        "aid_shrimp": ("get", s, OFFICE),
        "aid_settings": ("get", s, OFFICE),
        "aid_shrimp_export": ("get", s, OFFICE),
        "aid_shrimp_sheet": ("get", g, OFFICE),
        "aid_shrimp_reported": ("post", g, OFFICE_POST),
        # AID-7: the office's duties page; a member's own duties (its representatives too)
        "aid_duties": ("get", lambda w: contract(w) and s(w), OFFICE),
        "aid_my_duties": (
            "get",
            lambda w: (
                contract(w) and {"slug": "alfa", "member_id": contract(w).application.member_id}
            ),
            {**DENY, "office": 200, "member": 200},
        ),
    }


def payloads():
    return {
        "aid_shrimp_reported": lambda w: {"reported_on": "2026-12-03", "reported_ref": "SH/1"},
    }


__all__ = ["DENY", "rows", "payloads"]
