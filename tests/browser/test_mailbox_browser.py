"""Issue 9, point 7, in Debian's Chromium: the office sends the Council meeting's summary in the
demo ("Wyślij podsumowanie"), finds it in the demo mailbox through the menu and reads it — on a
phone (360 px) without sideways scroll."""

from __future__ import annotations

import io
import socket

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from klaster.core import mailbox, outbox
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "klaster-demo"  # noqa: S105 — the demo's printed password
PHONE = {"width": 360, "height": 740}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fits(page):
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], (page.url, sizes)


def test_office_sends_a_summary_and_reads_it_in_the_demo_mailbox(
    live_server, browser, settings, tmp_path
):
    settings.DEMO_MAILBOX_DIR = tmp_path / "mailbox"
    settings.DEMO_MAILBOX = True
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    call_command("demo", stdout=io.StringIO())
    from klaster.governance.models import Meeting

    council = Meeting.objects.get(cluster__slug="demo", organ__kind="council")
    controller = mailbox.catcher(
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.DEMO_MAILBOX_DIR
    )
    context = browser.new_context(locale="pl-PL", viewport=PHONE, has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        login(page, live_server, "biuro", PASSWORD)
        page.goto(f"{live_server.url}/c/demo/meetings/{council.pk}/")
        page.get_by_role("button", name="Wyślij podsumowanie").first.click()
        expect(page.locator("body")).to_contain_text("Podsumowanie jest opublikowane")
        outbox.deliver_due()  # the worker's tick (PLT-2): the summary leaves the queue
        page.get_by_role("button", name="Menu").click()
        nav = page.get_by_role("navigation", name="Nawigacja główna")
        nav.get_by_role("link", name="Poczta demonstracyjna").click()
        page.wait_for_url("**/c/demo/mailbox/")
        _fits(page)
        link = page.locator("main table a").filter(has_text="Podsumowanie:").first
        expect(link).to_be_visible()
        link.click()
        expect(page.locator("h1")).to_contain_text("Podsumowanie:")
        expect(page.locator("main")).to_contain_text(".pdf")
        _fits(page)
    finally:
        context.close()
        controller.stop()
