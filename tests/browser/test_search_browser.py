"""Issue 9: the global search box in the header, on a phone (360 px wide) in Debian's Chromium:
the office types a member's name without Polish letters and finds it; no sideways scroll."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from klaster.rules.text import fold
from tests.browser.conftest import login
from tests.browser.test_design import check_page, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "klaster-demo"  # noqa: S105 — the demo's printed password


def test_office_searches_without_diacritics_on_a_phone(live_server, browser):
    call_command("demo", stdout=io.StringIO())
    from klaster.members.models import Member

    member = next(
        m for m in Member.objects.filter(cluster__slug="demo") if fold(m.name) != m.name.lower()
    )
    context, page = new_page(browser, {"width": 360, "height": 740})
    try:
        login(page, live_server, "biuro", PASSWORD)
        page.goto(f"{live_server.url}/c/demo/")
        box = page.get_by_role("search").get_by_role("searchbox", name="Wyszukiwanie w klastrze")
        box.fill(fold(member.name))
        box.press("Enter")
        page.wait_for_url("**/c/demo/search/?q=*")
        expect(page.get_by_role("heading", name="Członkowie")).to_be_visible()
        expect(page.locator("main").get_by_role("link", name=member.name)).to_be_visible()
        sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[0] <= sizes[1], sizes
        # axe's serious and critical findings (the design's own check), the page and the box
        assert check_page(page, "search results") == []
        page.goto(f"{live_server.url}/c/demo/search/?q=x")  # too short: the hint, no results
        expect(page.locator("main")).to_contain_text("Wpisz co najmniej 2 znaki")
    finally:
        context.close()
