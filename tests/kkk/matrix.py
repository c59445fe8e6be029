"""KKK rows of the access matrix (tests/core/test_access_matrix.py): every KKK URL tried by every
persona. The readiness dashboard is read by the office and organ members (persona `chair`);
everything that prepares, registers or scores the application is the office's. Member
representatives and forum viewers get 403, the office of another cluster 404."""

from __future__ import annotations

import datetime as dt

LOGIN = "login"
DENY = {
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
D = dt.date(2026, 6, 30)
PDF = b"%PDF-1.4\n%%EOF\n"


def _draft(w):
    from klaster.kkk.models import Application
    from klaster.kkk.services import application_create

    existing = Application.objects.filter(cluster=w.alfa, status="draft").first()
    return existing or application_create(cluster=w.alfa, user=None, as_of=D)


def _registered(w):
    import uuid

    from django.utils import timezone

    from klaster.kkk.models import Application
    from tests.factories import ApplicationFactory

    existing = Application.objects.filter(cluster=w.alfa, status="registered").first()
    if existing:
        return existing
    content = {
        "cluster": w.alfa.name,
        "mode": "grant",
        "as_of": D.isoformat(),
        "sections": [],
        "applicant": {"name": w.coordinator.name, "address": "15-001 Białystok"},
    }
    return ApplicationFactory(
        cluster=w.alfa,
        as_of=D,
        registered=True,
        year=2026,
        seq=1,
        number="KKK/2026/001",
        public_id=uuid.uuid4(),
        checksum="0" * 64,
        registered_at=timezone.now(),
        content=content,
    )


def _attachment(w):
    from django.core.files.base import ContentFile

    from klaster.kkk.models import ApplicationAttachment

    a = ApplicationAttachment(
        application=_draft(w), kind="1", name="umowa.pdf", size=len(PDF), sha256="0" * 64
    )
    a.file.save("umowa.pdf", ContentFile(PDF), save=False)
    a.save()
    return a.pk


def _record(w):
    from tests.factories import StaffFactory

    return StaffFactory(cluster=w.alfa, name="Anna Testowa", email="anna@example.org").pk


def rows():
    app = lambda w: {"slug": "alfa", "application_id": _draft(w).pk}  # noqa: E731
    return {
        "kkk_dashboard": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **DENY, "chair": 200}),
        "kkk_application_list": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **DENY}),
        # an empty form sends the office back to the list
        "kkk_application_create": ("post", lambda w: {"slug": "alfa"}, {"office": 302, **DENY}),
        "kkk_application_detail": ("get", app, {"office": 200, **DENY}),
        "kkk_application_edit": ("get", app, {"office": 200, **DENY}),
        "kkk_application_check": ("get", app, {"office": 200, **DENY}),
        # the draft fails the check: the office is sent to the list of problems
        "kkk_application_register": ("post", app, {"office": 302, **DENY}),
        "kkk_application_pdf": ("get", app, {"office": 200, **DENY}),
        "kkk_application_xlsx": ("get", app, {"office": 200, **DENY}),
        "kkk_application_letter": (
            "get",
            lambda w: {"slug": "alfa", "application_id": _registered(w).pk},
            {"office": 200, **DENY},
        ),
        "kkk_attachment_add": ("post", app, {"office": 302, **DENY}),
        "kkk_attachment_download": (
            "get",
            lambda w: {"slug": "alfa", "attachment_id": _attachment(w)},
            {"office": 200, **DENY},
        ),
        "kkk_attachment_remove": (
            "post",
            lambda w: {"slug": "alfa", "attachment_id": _attachment(w)},
            {"office": 302, **DENY},
        ),
        "kkk_record_index": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **DENY}),
        # the KKK API (issue 9 point 6): the office only, as the pages
        "api_kkk_applications": (
            "get",
            lambda w: {"cluster_slug": "alfa"},
            {"office": 200, **DENY, "anonymous": 401},
        ),
        "api_kkk_record_detail": (
            "get",
            lambda w: {"cluster_slug": "alfa", "kind": "staff", "record_id": _record(w)},
            {"office": 200, **DENY, "anonymous": 401},
        ),
        "api_kkk_records": (
            "get",
            lambda w: {"cluster_slug": "alfa", "kind": "projects"},
            {"office": 200, **DENY, "anonymous": 401},
        ),
        "kkk_record_list": (
            "get",
            lambda w: {"slug": "alfa", "kind": "projects"},
            {"office": 200, **DENY},
        ),
        "kkk_record_add": (
            "get",
            lambda w: {"slug": "alfa", "kind": "staff"},
            {"office": 200, **DENY},
        ),
        "kkk_record_edit": (
            "get",
            lambda w: {"slug": "alfa", "kind": "staff", "record_id": _record(w)},
            {"office": 200, **DENY},
        ),
        "kkk_record_remove": (
            "post",
            lambda w: {"slug": "alfa", "kind": "staff", "record_id": _record(w)},
            {"office": 302, **DENY},
        ),
        "kkk_coordinator": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **DENY}),
        "kkk_experts": ("get", lambda w: {"slug": "alfa"}, {"office": 200, **DENY}),
        # an empty panel form clears the scores
        "kkk_panel": ("post", lambda w: {"slug": "alfa"}, {"office": 302, **DENY}),
        # the application by the API (issue 9 point 6): the office only, as its pages
        "api_kkk_application_detail": ("get", api_app, API_OFFICE),
        "api_kkk_application_check": ("get", api_app, API_OFFICE),
        # the draft fails the check: 400 with the service's words
        "api_kkk_application_register": ("post", api_app, {**API_OFFICE, "office": 400}),
        "api_kkk_application_export": (
            "get",
            lambda w: {
                "cluster_slug": "alfa",
                "application_id": _registered(w).pk,
                "fmt": "letter",
            },
            API_OFFICE,
        ),
    }


API_OFFICE = {"office": 200, **DENY, "anonymous": 401}


def api_app(w):
    return {"cluster_slug": "alfa", "application_id": _draft(w).pk}


def writes():
    """The second method of the routes above (tests/core/test_access_matrix.py `WRITES`)."""
    return {
        # a PATCH names the version it read (If-Match); an unchanged draft saves as it is
        "api_kkk_application_detail": ("patch", api_app, API_OFFICE),
    }
