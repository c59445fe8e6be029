"""Access-matrix rows of the money app's staff pages (wired in tests/core/test_access_matrix.py).

FIN-9 and FIN-10: the office keeps the Board's remuneration and the staff register; organ members
(persona `chair`) read them and write nothing. FIN-12: members' statement requests are the
office's; a member's statements are also its own representatives' (persona `member` represents
member A, whose requests these are), never another member's (`proxy`), the organs' or the forum's;
another cluster's office does not see alfa's."""

from __future__ import annotations

import datetime as dt

from tests.money.matrix import DENY, OFFICE, OFFICE_POST, OWN

READ = {**DENY, "office": 200, "chair": 200}
WRITE = {**OFFICE_POST, "chair": 403}


def requests(w):
    """Member A's two statement requests: one provided (its statement in the portal), one not."""
    from klaster.money import staff_services
    from klaster.money.models import StatementRequest

    found = list(StatementRequest.objects.filter(cluster=w.alfa).order_by("requested_on"))
    if not found:
        user = w.users["office"]
        done = staff_services.record_request(
            cluster=w.alfa, user=user, member=w.member_a, requested_on=dt.date(2026, 4, 2)
        )
        staff_services.provide_request(request=done, user=user, provided_on=dt.date(2026, 4, 7))
        staff_services.record_request(
            cluster=w.alfa, user=user, member=w.member_a, requested_on=dt.date(2026, 7, 2)
        )
        found = list(StatementRequest.objects.filter(cluster=w.alfa).order_by("requested_on"))
    return found


def s(w):
    return {"slug": "alfa"}


def a(w):
    return {"slug": "alfa", "member_id": w.member_a.pk}


def provided(w):
    return {"slug": "alfa", "request_id": requests(w)[0].pk}


def pending(w):
    return {"slug": "alfa", "request_id": requests(w)[1].pk}


def board_rate(w):
    """An amount per meeting alfa's General Assembly decided (FIN-9)."""
    from decimal import Decimal

    from klaster.money import rates
    from klaster.money.models import BoardRate

    found = BoardRate.objects.filter(cluster=w.alfa).first()
    if found is None:
        found = rates.board_rate_add(
            cluster=w.alfa,
            valid_from=dt.date(2026, 7, 1),
            amount=Decimal("650.00"),
            resolution="Uchwała WZ nr 5/2026",
            user=w.users["office"],
        )
    return {"slug": "alfa", "rate_id": found.pk}


def rows():
    return {
        "money_board_pay": ("get", s, READ),
        "money_board_pay_xlsx": ("get", s, READ),
        "money_staff": ("get", s, READ),
        "money_staff_xlsx": ("get", s, READ),
        "money_rate": ("post", s, WRITE),
        "money_board_rate": ("post", s, WRITE),
        "money_board_rate_remove": ("post", board_rate, WRITE),
        "money_requests": ("get", s, OFFICE),
        "money_request_provide": ("post", pending, OFFICE_POST),
        "money_my_statements": ("get", a, OWN),
        "money_statement_pdf": ("get", provided, OWN),
    }


def payloads():
    return {
        "money_staff": lambda w: {
            "person": "Ewa Biurowa",
            "role": "koordynator",
            "month": "2026-03",
            "hours": "120",
            "gzw_hours": "10",
        },
        "money_rate": lambda w: {"year": 2026, "role": "koordynator", "rate": "85.00"},
        "money_board_rate": lambda w: {
            "rate-valid_from": "2027-01-01",
            "rate-amount": "700.00",
            "rate-resolution": "Uchwała WZ nr 9/2026",
        },
        "money_requests": lambda w: {"member": w.member_a.pk, "requested_on": "2026-05-04"},
        "money_request_provide": lambda w: {"provided_on": "2026-07-06"},
    }
