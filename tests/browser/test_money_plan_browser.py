"""FIN-11 in a browser: the plan pages pass axe-core and do not scroll sideways at 360 px and at
the desktop width — the list, a plan with a deviation that needs an explanation (the chart, the
add, edit and approval forms) and the organ member's read-only view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_design import pages_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan(world):
    from klaster.money import plan_services as services

    office = world.users["office"]
    plan = services.create_plan(cluster=world.alfa, user=office, year=2026)
    for side, name, planned, executed in (
        ("income", "Składki członkowskie za rok obrotowy", "60000", "59000"),
        ("income", "Dotacja", "20000", None),
        ("cost", "Biuro koordynatora", "8000", "12500"),
    ):
        services.save_line(
            plan=plan,
            user=office,
            expected_version=None,
            side=side,
            name=name,
            planned=Decimal(planned),
            executed=Decimal(executed) if executed else None,
        )
    return plan


def test_fin_11_plan_pages_are_accessible_at_phone_and_desktop(world, live_server, browser):
    plan = _plan(world)
    line = plan.lines.get(side="cost")
    base = f"{live_server.url}/c/alfa/money/plan"
    problems = pages_problems(
        browser,
        live_server,
        base,
        (("office", ["/", "/2026/", f"/2026/?line={line.pk}"]), ("chair", ["/", "/2026/"])),
    )
    assert problems == [], "\n".join(problems)


def test_fin_11_office_fills_in_the_execution_and_explains(world, live_server, page):
    from klaster.money import plan_services as services

    plan = _plan(world)
    services.approve_plan(
        plan=plan, user=world.users["office"], approved_on=dt.date(2026, 3, 20), approval="3/2026"
    )
    line = plan.lines.get(side="cost")
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/c/alfa/money/plan/2026/")
    expect(page.locator("tr.needs-explanation")).to_contain_text("Biuro koordynatora")
    page.locator("tr.needs-explanation").get_by_role("link", name="Edytuj").click()
    page.get_by_label("Wyjaśnienie odchylenia").fill("Nowe biuro od lipca")
    page.get_by_role("button", name="Zapisz pozycję").click()
    expect(page.locator("main")).to_contain_text("Pozycję zapisano.")
    expect(page.locator("tr.needs-explanation")).to_have_count(0)
    line.refresh_from_db()
    assert line.explanation == "Nowe biuro od lipca"
