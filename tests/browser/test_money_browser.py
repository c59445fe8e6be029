"""Issue 10's browser test: the office imports a bank statement, assigns the payment the product
was not sure of, sees the member's balance; the member's representative sees it in its portal."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def money(world):
    from tests.money.conftest import build_money

    return build_money(world)


def test_fin_3_import_resolve_balance_and_portal(money, live_server, page, browser, tmp_path):
    from klaster.money import services
    from tests.money.conftest import mt940

    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    statement = tmp_path / "wyciag.sta"
    statement.write_bytes(
        mt940(
            [
                ("1107.00", "FV/2026/0002", "Beta-Soft", ""),
                ("516.60", "przelew", "Ktoś", ""),  # fits member A's invoices only: a guess
            ]
        )
    )
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/c/alfa/money/statements/")
    page.set_input_files("#id_file", str(statement))
    page.get_by_role("button", name="Importuj i dopasuj").click()
    page.wait_for_url("**/money/queue/")
    expect(page.locator(".messages, [role=status], body").first).to_contain_text("dopasowano 1")
    card = page.locator("section.card").first
    expect(card).to_contain_text("516,60")
    card.get_by_label("Członek, który zapłacił").select_option(str(money.a.pk))
    card.get_by_role("button", name="Przypisz").click()
    expect(page.locator("main")).to_contain_text("Żadna wpłata nie czeka na przypisanie.")
    page.goto(f"{live_server.url}/c/alfa/money/member/{money.a.pk}/")
    expect(page.locator("dl.facts")).to_contain_text("516,60")  # February still owed

    context = browser.new_context(locale="pl-PL", viewport={"width": 360, "height": 740})
    portal = context.new_page()
    try:
        login(portal, live_server, "member")
        portal.goto(f"{live_server.url}/c/alfa/money/my/")
        portal.wait_for_url(f"**/money/member/{money.a.pk}/")
        expect(portal.locator("main")).to_contain_text("FV/2026/0001")
        expect(portal.locator("dl.facts")).to_contain_text("516,60")
        expect(portal.locator("main")).not_to_contain_text("FV/2026/0002")  # member B's
    finally:
        context.close()
