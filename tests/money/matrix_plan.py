"""Access-matrix rows of the money app's plan pages (wired in tests/core/test_access_matrix.py).

FIN-11: the office keeps the plans; organ members (persona `chair`) read them — the Board
prepares the plan with the coordinator — and write nothing; members' representatives and the
forum are refused; another cluster's office does not see alfa's plans."""

from __future__ import annotations

from decimal import Decimal

from tests.money.matrix import DENY, OFFICE_POST

YEAR = 2026
READ = {**DENY, "office": 200, "chair": 200}
WRITE = {**OFFICE_POST, "chair": 403}


def plan(w):
    """Alfa's plan for 2026 with one line on each side (not approved)."""
    from klaster.money import plan_services
    from klaster.money.models import FinancialPlan

    found = FinancialPlan.objects.filter(cluster=w.alfa, year=YEAR).first()
    if found is None:
        user = w.users["office"]
        found = plan_services.create_plan(cluster=w.alfa, user=user, year=YEAR)
        for side, name, planned in (("income", "Składki", "60000"), ("cost", "Biuro", "8000")):
            plan_services.save_line(
                plan=found,
                user=user,
                expected_version=None,
                side=side,
                name=name,
                planned=Decimal(planned),
            )
        found.refresh_from_db()
    return found


def s(w):
    return {"slug": "alfa"}


def p(w):
    plan(w)
    return {"slug": "alfa", "year": YEAR}


def rows():
    return {
        "money_plans": ("get", s, READ),
        "money_plan": ("get", p, READ),
        "money_plan_line": ("post", p, WRITE),
        "money_plan_approve": ("post", p, WRITE),
        "money_plan_report_xlsx": ("get", p, READ),
    }


def payloads():
    def version(w):
        from klaster.money import plan_services

        return plan_services.version_of(plan(w))

    return {
        "money_plan_line": lambda w: {
            "prefix": "new",
            "new-version": version(w),
            "new-side": "cost",
            "new-name": "Podróże",
            "new-planned": "1500.00",
        },
        "money_plan_approve": lambda w: {
            "version": version(w),
            "what": "plan",
            "day": "2026-03-20",
            "approval": "Uchwała nr 3/2026 WZ",
        },
    }
