"""Issue 7 point 8, in Debian's Chromium: with the Content-Security-Policy on, the pages work and
the browser reports no violation — the language switcher (was an inline onchange), the KKK
dashboard's bars (style attributes), and the API docs served offline (were loaded from a CDN)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page, live_server):
    """Record CSP violations and every request that leaves the live server (and refuse it)."""
    seen = {"violations": [], "outside": []}
    page.on(
        "console",
        lambda m: (
            seen["violations"].append(m.text) if "Content Security Policy" in m.text else None
        ),
    )

    def route(r):
        if r.request.url.startswith(live_server.url):
            r.continue_()
        else:
            seen["outside"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return seen


def test_pages_work_under_the_csp(world, live_server, page):
    seen = _watch(page, live_server)
    login(page, live_server, "office")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert (
        "default-src 'self'"
        in page.request.get(f"{live_server.url}/accounts/login/").headers["content-security-policy"]
    )
    # the language switcher submits on change, from the static script
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("select[name=language]", "pl")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    page.goto(f"{live_server.url}/c/alfa/kkk/")
    expect(page.locator(".bar").first).to_be_visible()
    assert seen == {"violations": [], "outside": []}


def test_api_docs_work_offline_under_the_csp(world, live_server, page):
    seen = _watch(page, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui")).to_contain_text("/api/clusters/")
    assert seen == {"violations": [], "outside": []}


def test_redoc_works_offline_under_the_csp(world, live_server, page):
    """Issue 9 point 6: Redoc from drf-spectacular-sidecar renders the schema with nothing loaded
    from outside and no CSP violation (its page alone allows run-time styles and a blob: worker)."""
    seen = _watch(page, live_server)
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.locator(".api-content").first).to_be_visible(timeout=30_000)
    expect(page.locator("body")).to_contain_text("/api/clusters/")
    assert seen == {"violations": [], "outside": []}
