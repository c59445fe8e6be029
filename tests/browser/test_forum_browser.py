"""Issue 13 in a browser (FOR-1): two clusters share some indicators; the forum persona opens the
forum, sees the comparison with its charts, opens one indicator and downloads the report; the
forum's pages and a cluster office's sharing page pass axe-core and fit at 360 px and desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_design import pages_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _forum(world):
    from tests.factories import (
        ForumFactory,
        ForumMembershipFactory,
        SharingFactory,
        SnapshotFactory,
    )

    forum = ForumFactory(slug="pomorze", name="Forum Klastrów Pomorza")
    for n, cluster in enumerate((world.alfa, world.beta)):
        ForumMembershipFactory(forum=forum, cluster=cluster, named=n == 1)
        SnapshotFactory(
            cluster=cluster,
            values={"s2.total": str(40 + 20 * n), "members.total": str(30 + 50 * n), "s2.16": "3"},
        )
        for key in ("s2.total", "members.total"):
            SharingFactory(cluster=cluster, key=key)
    return forum


def test_for_1_the_forum_persona_compares_and_downloads_the_report(world, live_server, page):
    forum = _forum(world)
    login(page, live_server, "forum")
    page.goto(f"{live_server.url}/forum/")
    page.get_by_role("link", name=forum.name).click()
    page.get_by_role("link", name="Benchmarking").first.click()
    expect(page.get_by_role("heading", name="Benchmarking", level=1)).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_text("Klaster Alfa (twój klaster)").first).to_be_attached()
    page.get_by_role("link", name="Członkowie (wraz z koordynatorem)").click()
    expect(page.locator("td[data-label=Wartość]", has_text="80")).to_be_visible()
    expect(page.locator("th[data-label=Klaster]", has_text="Klaster Beta")).to_be_visible()  # named
    page.go_back()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Pobierz raport (PDF)").click()
    path = pdf.value.path()
    assert path is not None and open(path, "rb").read(4) == b"%PDF"
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Pobierz XLSX").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")


def test_for_1_forum_pages_are_accessible_at_phone_and_desktop(world, live_server, browser):
    forum = _forum(world)
    problems = pages_problems(
        browser,
        live_server,
        live_server.url,
        (
            (
                "forum",
                [
                    "/forum/",
                    f"/forum/{forum.slug}/",
                    f"/forum/{forum.slug}/benchmark/",
                    f"/forum/{forum.slug}/benchmark/members.total/",
                ],
            ),
            ("office", ["/c/alfa/forum/"]),
        ),
    )
    assert problems == [], "\n".join(problems)
