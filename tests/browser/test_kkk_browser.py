"""KKK in a real browser (Debian's Chromium): the office reads the readiness dashboard in Polish,
creates an application, runs "Sprawdź wniosek" and follows a problem to its field.
Screenshots go to var/screenshots/ for a look at how the pages read."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots():
    from django.conf import settings

    path = settings.VAR_DIR / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def demo_office(settings, tmp_path):
    from klaster.exchange.dataset_io import cluster_import
    from klaster.exchange.demo import demo_cluster
    from tests.factories import UserFactory, grant

    settings.MEDIA_ROOT = tmp_path / "media"
    cluster = cluster_import(demo_cluster(), slug="demo")
    grant(UserFactory(username="demo-office"), cluster, "office")
    return cluster


def test_kkk_explain_office_reads_the_dashboard_and_checks_an_application(
    demo_office, live_server, page
):
    login(page, live_server, "demo-office")
    page.get_by_role("link", name="KKK", exact=True).click()
    expect(page.locator("h1")).to_have_text("Krajowy Klaster Kluczowy: gotowość")
    expect(page.locator("table.checklist tbody tr")).to_have_count(21)
    assert page.locator(".bar > span").count() >= 26
    assert "Co podniesie wynik" in page.content()
    page.screenshot(path=str(_shots() / "kkk_dashboard.png"), full_page=True)

    page.get_by_role("link", name="Wnioski", exact=True).click()
    page.fill("#id_as_of", dt.date(2026, 6, 30).isoformat())
    page.get_by_role("button", name="Utwórz projekt").click()
    expect(page.locator("body")).to_contain_text("Projekt złożony teraz z rejestru")
    page.get_by_role("link", name="Sprawdź wniosek").first.click()
    problems = page.locator("ol.problems li")
    expect(problems.first).to_contain_text("3.5")
    page.screenshot(path=str(_shots() / "kkk_check.png"), full_page=True)
    problems.first.locator("a.field").click()
    expect(page).to_have_url(re.compile(r"#f-3-5-dokument$"))
    page.screenshot(path=str(_shots() / "kkk_application.png"))

    page.get_by_role("link", name="Eksperci i panel").click()
    expect(page.locator("body")).to_contain_text("Suma średnich ekspertów")
    page.screenshot(path=str(_shots() / "kkk_experts.png"), full_page=True)
