"""Issue 2 "done when": the office logs in, finds a member, edits it and sees the change in its history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plt_4_office_finds_edits_and_sees_history(world, live_server, page):
    login(page, live_server, "office")
    page.get_by_role("link", name="Członkowie").first.click()
    page.fill("main input[name=q]", "Alfa-Tech")
    page.get_by_role("button", name="Filtruj").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link").click()
    page.get_by_role("link", name="Edytuj").click()
    page.fill("#id_name", "Alfa-Tech Robotyka sp. z o.o.")
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(f"**/members/{world.member_a.pk}/")
    expect(page.locator("h1")).to_contain_text("Alfa-Tech Robotyka sp. z o.o.")
    history = page.locator("table.history")
    expect(history).to_contain_text("Alfa-Tech sp. z o.o.")
    expect(history).to_contain_text("Alfa-Tech Robotyka sp. z o.o.")
    expect(history).to_contain_text("office")
    page.screenshot(path=str(live_server_screenshot_dir() / "member_history.png"), full_page=True)


def test_mem_4_bad_nip_in_browser_shows_polish_message(world, live_server, page):
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/c/alfa/members/{world.member_a.pk}/edit/")
    page.fill("#id_nip", "1234567890")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator(".errorlist").first).to_contain_text("NIP")


def live_server_screenshot_dir():
    from django.conf import settings

    path = settings.VAR_DIR / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
