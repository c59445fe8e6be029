"""Access-matrix rows of the de minimis app's lending pages (wired in tests/core/test_access_matrix.py).

The catalogue, a product's queue and the application form are the office's and members'
representatives' (persona `member` represents member A, `proxy` member B): members choose what
to apply for. An application is its member's representatives' and the office's; documents,
results, ranking lists and returns are the office's. Organ members and the forum, as such, see
none of it; the office of another cluster does not know alfa (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

LOGIN = "login"
W = ZoneInfo("Europe/Warsaw")
DENY = {
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE = {"office": 200, **DENY}
OFFICE_POST = {"office": 302, **DENY}
REPRESENTATIVES = {**DENY, "office": 200, "member": 200, "proxy": 200}
OWN = {**DENY, "office": 200, "member": 200}
OWN_POST = {**DENY, "office": 302, "member": 302}


def equipment(w, name="Drukarka 3D (macierz)"):
    from klaster.aid.models import Equipment
    from tests.factories import EquipmentFactory, PriceListFactory

    row = Equipment.objects.filter(cluster=w.alfa, name=name).first()
    if row is None:
        row = EquipmentFactory(cluster=w.alfa, name=name)
        PriceListFactory(equipment=row, valid_from=dt.date(2026, 1, 1))
    return row


def _app(w, member, *, name="Drukarka 3D (macierz)", start=(1, 11), end=(1, 22), complete=False):
    from klaster.aid.models import Application
    from tests.aid.test_lending import paper_set
    from tests.factories import AidApplicationFactory

    eq = equipment(w, name)
    row = Application.objects.filter(
        equipment=eq, member=member, start=dt.date(2027, *start)
    ).first()
    if row is None:
        row = AidApplicationFactory(
            member=member,
            equipment=eq,
            start=dt.date(2027, *start),
            end=dt.date(2027, *end),
            arrived_at=dt.datetime(2026, 12, 1, 9, member.pk % 60, tzinfo=W),
        )
        if complete:
            paper_set(row)
            row.status = "complete"
            row.save()
    return row


def application(w):
    return _app(w, w.member_a)


def document(w):
    from tests.factories import ApplicationDocumentFactory

    app = application(w)
    return app.documents.first() or ApplicationDocumentFactory(application=app)


def ranking(w):
    from django.db import transaction

    from klaster.aid import services_lending as services
    from klaster.aid.models import Ranking

    eq = equipment(w, "Skaner (ranking)")
    found = Ranking.objects.filter(equipment=eq).first()
    if found is not None:
        return found
    a = _app(w, w.member_a, name=eq.name, complete=True)
    b = _app(w, w.member_b, name=eq.name, start=(1, 20), end=(1, 30), complete=True)
    with transaction.atomic():
        found = services.ranking_create(
            cluster=w.alfa,
            equipment=eq,
            start=dt.date(2027, 1, 1),
            end=dt.date(2027, 1, 31),
            user=None,
        )
        services.ranking_scores(
            ranking=found, scores={a.pk: Decimal("10"), b.pk: Decimal("20")}, user=None
        )
    return found


def lone(w):
    """A complete application nobody competes with (to be chosen directly)."""
    return _app(w, w.member_a, name="Kamera termowizyjna (macierz)", complete=True)


def contract(w):
    from klaster.aid.models import Contract
    from tests.aid.test_lending import ContractFactory

    app = _app(w, w.member_a, name="Frezarka (macierz)", start=(2, 1), end=(2, 10))
    found = Contract.objects.filter(application=app).first()
    if found is not None:
        return found
    app.status = "contracted"
    app.save()
    return ContractFactory(application=app, signed_on=dt.date(2026, 12, 1))


def s(w):
    return {"slug": "alfa"}


def e(w):
    return {"slug": "alfa", "equipment_id": equipment(w).pk}


def a(w):
    return {"slug": "alfa", "application_id": application(w).pk}


def rows():
    return {
        "aid_lending": ("get", s, REPRESENTATIVES),
        "aid_equipment": ("get", e, REPRESENTATIVES),
        "aid_equipment_new": ("get", s, OFFICE),
        "aid_equipment_edit": ("get", e, OFFICE),
        "aid_price_new": ("post", e, OFFICE_POST),
        "aid_application_new": ("get", s, REPRESENTATIVES),
        "aid_application": ("get", a, OWN),
        "aid_document_add": ("post", a, OFFICE_POST),
        "aid_document_remove": (
            "post",
            lambda w: {**a(w), "document_id": document(w).pk},
            OFFICE_POST,
        ),
        "aid_application_notify": ("post", a, OFFICE_POST),
        "aid_application_decide": (
            "post",
            lambda w: {"slug": "alfa", "application_id": lone(w).pk},
            OFFICE_POST,
        ),
        "aid_application_withdraw": ("post", a, OWN_POST),
        "aid_ranking_new": ("get", s, OFFICE),
        "aid_ranking": ("get", lambda w: {"slug": "alfa", "ranking_id": ranking(w).pk}, OFFICE),
        "aid_ranking_scores": (
            "post",
            lambda w: {"slug": "alfa", "ranking_id": ranking(w).pk},
            OFFICE_POST,
        ),
        "aid_ranking_approve": (
            "post",
            lambda w: {"slug": "alfa", "ranking_id": ranking(w).pk},
            OFFICE_POST,
        ),
        "aid_return": (
            "post",
            lambda w: {"slug": "alfa", "contract_id": contract(w).pk},
            OFFICE_POST,
        ),
    }


def payloads():
    def scores(w):
        r = ranking(w)
        return {f"a{entry.application_id}": "55" for entry in r.entries.all()}

    return {
        "aid_equipment_new": lambda w: {"name": "Skaner 3D (nowy)", "active": "on"},
        "aid_price_new": lambda w: {
            "valid_from": "2026-12-02",
            "upkeep_fee_per_day": "25,00",
            "lending_fee_per_day": "35,00",
            "aid_per_day": "420,00",
        },
        "aid_application_new": lambda w: {
            "member": w.member_a.pk,
            "equipment": equipment(w).pk,
            "start": "2027-03-01",
            "end": "2027-03-05",
            "arrived_at": "2026-12-01T09:30",
        },
        "aid_document_add": lambda w: {
            "kind": "annex1",
            "form": "paper",
            "received_on": "2026-12-01",
        },
        "aid_application_decide": lambda w: {"confirm": "1"},
        "aid_ranking_new": lambda w: (
            lone(w)
            and _app(w, w.member_b, name="Kamera termowizyjna (macierz)", complete=True)
            and {
                "equipment": equipment(w, "Kamera termowizyjna (macierz)").pk,
                "start": "2027-01-01",
                "end": "2027-01-31",
            }
        ),
        "aid_ranking_scores": scores,
        "aid_ranking_approve": lambda w: {
            "approved_on": "2026-12-01",
            "approved_by": "Zarząd Instytutu",
            "approval_ref": "Uchwała 1/2026",
        },
        "aid_return": lambda w: {f"r{contract(w).pk}-returned_on": "2026-12-03"},
    }
