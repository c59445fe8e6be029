"""Access-matrix rows of the de minimis app's contracts pages (wired in tests/core/test_access_matrix.py).

The list and the signing are the office's; a contract and its certificates' PDFs are the
office's and the member's own representatives' (persona `member` represents member A, whose
contracts these are; `proxy` represents member B); corrections and voidings are the office's.
Organ members and the forum, as such, see none of it; another cluster's office does not know
alfa (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

LOGIN = "login"
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
OWN = {**DENY, "office": 200, "member": 200}
SIGN = dt.date(2026, 12, 2)


def _ready(w) -> None:
    """The grantor's settings and an NBP rate for the day of signing."""
    from klaster.aid.models import AidSettings, RateSeries, RateTable
    from tests.aid.test_contracts import RateSeriesFactory
    from tests.factories import AidSettingsFactory, RateTableFactory

    if not AidSettings.objects.filter(cluster=w.alfa).exists():
        AidSettingsFactory(cluster=w.alfa)
    if not RateTable.objects.filter(date=dt.date(2026, 12, 1)).exists():
        RateTableFactory(date=dt.date(2026, 12, 1), number="232/A/NBP/2026", mid=Decimal("4.25"))
    if not RateSeries.objects.exists():
        RateSeriesFactory(complete_through=dt.date(2026, 12, 3))


def chosen_app(w, name="Ploter (umowy)", month=5):
    from klaster.aid.models import Application
    from tests.aid.matrix_lending import equipment
    from tests.factories import AidApplicationFactory

    _ready(w)
    eq = equipment(w, name)
    row = Application.objects.filter(equipment=eq, member=w.member_a).first()
    if row is None:
        row = AidApplicationFactory(
            member=w.member_a,
            equipment=eq,
            start=dt.date(2027, month, 1),
            end=dt.date(2027, month, 10),
            status="chosen",
        )
    return row


def contract(w, name="Laser (umowy)", month=6):
    from django.db import transaction

    from klaster.aid import services_contracts as services
    from klaster.aid.models import Contract

    app = chosen_app(w, name, month)
    found = Contract.objects.filter(application=app).first()
    if found is None:
        with transaction.atomic():
            found = services.sign_contract(application=app, signed_on=SIGN, user=None)
    return found


def s(w):
    return {"slug": "alfa"}


def c(w):
    return {"slug": "alfa", "contract_id": contract(w).pk}


def rows():
    return {
        "aid_contracts": ("get", s, OFFICE),
        "aid_contract_new": (
            "get",
            lambda w: {"slug": "alfa", "application_id": chosen_app(w).pk},
            OFFICE,
        ),
        "aid_contract": ("get", c, OWN),
        "aid_certificate_pdf": (
            "get",
            lambda w: {"slug": "alfa", "certificate_id": contract(w).grant.certificate.pk},
            OWN,
        ),
        "aid_certificate_correct": ("post", c, OFFICE_POST),
        "aid_contract_void": (
            "post",
            lambda w: {"slug": "alfa", "contract_id": contract(w, "Tokarka (umowy)", 7).pk},
            OFFICE_POST,
        ),
    }


def payloads():
    return {
        "aid_contract_new": lambda w: {"signed_on": "2026-12-02", "number": ""},
        "aid_certificate_correct": lambda w: {
            "amount_pln": "3000,00",
            "granted_on": "2026-12-02",
            "reason": "błąd w liczbie dni",
        },
        "aid_contract_void": lambda w: {"reason": "umowa rozwiązana"},
    }
