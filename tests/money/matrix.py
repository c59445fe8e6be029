"""Money rows of the access matrix (tests/core/test_access_matrix.py): every money URL tried by
every persona. The books are the office's; a member's account and its documents are also its own
representatives' (persona `member` represents member A, `proxy` member B); organ members and the
forum see no member's money. Alfa bills dues from January 2026; member A's January and February
invoices are open, and one bank entry waits in the queue."""

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
ACCOUNT = "PL61109010140000071219812874"


def books(w):
    """Alfa's money, set up once per test: settings, two months of dues, one queued entry."""
    from django.db import transaction

    from klaster.money import services
    from klaster.money.models import BankEntry, MoneySettings
    from klaster.rules import money as rules
    from tests.factories import StatuteProfileVersionFactory
    from tests.money.conftest import mt940

    if not MoneySettings.objects.filter(cluster=w.alfa).exists():
        if not w.alfa.statute_versions.exists():
            StatuteProfileVersionFactory(cluster=w.alfa, valid_from=dt.date(2015, 1, 1))
        with transaction.atomic():
            services.money_setup(
                cluster=w.alfa,
                billing_start=dt.date(2026, 1, 1),
                sub_account_iban=ACCOUNT,
                tariff=rules.evoluma_tariff(dt.date(2026, 1, 1), iob=Decimal("180")),
                accounts=(ACCOUNT,),
            )
        services.dues_run(cluster=w.alfa, through=dt.date(2026, 2, 1))
        services.import_statement(
            cluster=w.alfa, data=mt940([("516.60", "przelew", "Ktoś", "")], day=dt.date(2026, 2, 2))
        )
    return BankEntry.objects.filter(cluster=w.alfa, state="queued").first()


def document(w):
    from klaster.money.models import Document

    books(w)
    return Document.objects.filter(member=w.member_a).order_by("seq").first().pk


def entry(w):
    return books(w).pk


def s(w):
    books(w)
    return {"slug": "alfa"}


def a(w):
    books(w)
    return {"slug": "alfa", "member_id": w.member_a.pk}


def doc(w):
    return {"slug": "alfa", "document_id": document(w)}


def export(w):
    books(w)
    return {"slug": "alfa", "what": "ledger"}


def reference_rate(w):
    """An NBP reference rate alfa's office entered (FIN-4)."""
    from klaster.money import rates
    from klaster.money.models import ReferenceRate

    found = ReferenceRate.objects.filter(cluster=w.alfa).first()
    if found is None:
        found = rates.reference_rate_add(
            cluster=w.alfa,
            valid_from=dt.date(2026, 11, 5),
            rate=Decimal("3.50"),
            source="Uchwała RPP",
            user=w.users["office"],
        )
    return {"slug": "alfa", "rate_id": found.pk}


def rows():
    return {
        "money_home": ("get", s, OFFICE),
        "money_dues_run": ("post", s, OFFICE_POST),
        # the portal's entry: a representative is sent to its member's account, the office home
        "money_my": (
            "get",
            s,
            {**DENY, "office": 302, "member": 302, "proxy": 302},
        ),
        "money_account": ("get", a, OWN),
        "money_document": ("get", doc, OWN),
        "money_document_pdf": ("get", doc, OWN),
        "money_statements": ("get", s, OFFICE),
        "money_settings": ("get", s, OFFICE),
        "money_queue": ("get", s, OFFICE),
        "money_entry_resolve": (
            "post",
            lambda w: {"slug": "alfa", "entry_id": entry(w)},
            OFFICE_POST,
        ),
        "money_entry_fee": ("post", a, OFFICE_POST),
        "money_suspension": ("post", a, OFFICE_POST),
        "money_arrears": ("get", s, OFFICE),
        "money_interest_rates": ("get", s, OFFICE),
        "money_interest_rate_remove": ("post", reference_rate, OFFICE_POST),
        "money_arrears_step": ("post", a, OFFICE_POST),
        "money_arrears_letter": ("get", a, OFFICE),
        "money_export": ("get", export, OFFICE),
    }


def payloads():
    return {
        "money_dues_run": lambda w: s(w) and {"through": "2026-03-01"},
        "money_entry_fee": lambda w: a(w) and {"amount": "2000.00", "issued": "2026-02-01"},
        "money_suspension": lambda w: (
            a(w)
            and {"s-start": "2026-09-01", "s-end": "2027-02-28", "s-reasons": "Restrukturyzacja"}
        ),
        "money_entry_resolve": lambda w: {f"e{entry(w)}-member": w.member_a.pk},
        "money_arrears_step": lambda w: (
            a(w)
            and {
                f"m{w.member_a.pk}-member": w.member_a.pk,
                f"m{w.member_a.pk}-kind": "notice",
                f"m{w.member_a.pk}-day": "2026-04-01",
            }
        ),
    }
