"""Rows of the access matrix (tests/core/test_access_matrix.py) for the KKK pages' remaining writes
by the API (klaster/kkk/api_scores.py): attachments, the coordinator's facts, the experts' and the
panel's scores — the office only, as the pages."""

from __future__ import annotations

S = {"cluster_slug": "alfa"}
API_OFFICE = {
    "office": 200,
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": 401,
}


def _app(w):
    from tests.kkk.matrix import _draft

    return {**S, "application_id": _draft(w).pk}


def _attachment(w):
    from tests.kkk.matrix import _attachment as build

    return {**S, "attachment_id": build(w)}


def rows() -> dict:
    return {
        "api_kkk_attachments": ("get", _app, API_OFFICE),
        "api_kkk_attachment": ("get", _attachment, API_OFFICE),
        "api_kkk_coordinator": ("get", lambda w: S, API_OFFICE),
        "api_kkk_experts": ("get", lambda w: S, API_OFFICE),
        "api_kkk_panel": ("get", lambda w: S, API_OFFICE),
    }


def writes() -> dict:
    return {
        # no file: 400 by field
        "api_kkk_attachments": ("post", _app, {**API_OFFICE, "office": 400}),
        "api_kkk_attachment": ("delete", _attachment, {**API_OFFICE, "office": 204}),
        # the matrix's default PATCH body ({"city": …}) is no field of the coordinator's facts
        "api_kkk_coordinator": ("patch", lambda w: S, {**API_OFFICE, "office": 400}),
        # a PUT without If-Match: 428 for the office
        "api_kkk_experts": ("put", lambda w: S, {**API_OFFICE, "office": 428}),
        "api_kkk_panel": ("put", lambda w: S, {**API_OFFICE, "office": 428}),
    }
