"""Issue 9: the office's three most common tasks, done on a phone (360 px wide) in Debian's
Chromium on the demo cluster, with the menu button for navigation and no sideways scroll at any
step: find a member and edit it; open a meeting and record attendance; cast a vote as a
representative."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "klaster-demo"  # noqa: S105 — the demo's printed password
PHONE = {"width": 360, "height": 740}


def _phone(browser, contexts):
    context = browser.new_context(locale="pl-PL", viewport=PHONE, has_touch=True)
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _fits(page):
    # after a click the next page may still be on its way: measure the page that is there
    page.wait_for_load_state("load")
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], (page.url, sizes)


def _menu(page, link: str):
    """Open the phone menu and follow one of its links."""
    toggle = page.get_by_role("button", name="Menu")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_role("navigation", name="Nawigacja główna").get_by_role("link", name=link).click()


@pytest.fixture
def demo(live_server):
    call_command("demo", stdout=io.StringIO())
    from klaster.core.models import ClusterRole
    from klaster.governance.models import Meeting

    role = ClusterRole.objects.get(cluster__slug="demo", user__username="czlonek")
    meeting = Meeting.objects.filter(
        organ__cluster__slug="demo", organ__kind="ga", status="convened"
    ).get()
    return {"member": role.member, "meeting": meeting}


def test_office_finds_a_member_and_edits_it_on_a_phone(demo, live_server, browser):
    contexts: list = []
    try:
        page = _phone(browser, contexts)
        login(page, live_server, "biuro", PASSWORD)
        page.goto(f"{live_server.url}/c/demo/")
        _fits(page)
        _menu(page, "Członkowie")
        page.wait_for_url("**/c/demo/members/")
        _fits(page)
        member = demo["member"]
        # a word of the name, as people type it
        page.fill("main input[name=q]", max(member.name.split(), key=len))
        page.get_by_role("button", name="Filtruj").click()
        page.wait_for_url("**/c/demo/members/?*q=*")
        card = page.locator("main table tbody tr").filter(has_text=member.name)
        expect(card).to_have_count(1)
        _fits(page)
        card.get_by_role("link", name=member.name).click()
        page.wait_for_url(f"**/members/{member.pk}/")
        _fits(page)
        page.get_by_role("link", name="Edytuj").first.click()
        page.wait_for_url(f"**/members/{member.pk}/edit/")
        _fits(page)
        page.fill("#id_city", "Supraśl")
        page.get_by_role("button", name="Zapisz").click()
        page.wait_for_url(f"**/members/{member.pk}/")
        expect(page.locator("main")).to_contain_text("Supraśl")
        _fits(page)
        member.refresh_from_db()
        assert member.city == "Supraśl"
    finally:
        for context in contexts:
            context.close()


def test_office_opens_a_meeting_and_records_attendance_on_a_phone(demo, live_server, browser):
    contexts: list = []
    meeting = demo["meeting"]
    member = demo["member"]
    try:
        page = _phone(browser, contexts)
        login(page, live_server, "biuro", PASSWORD)
        page.goto(f"{live_server.url}/c/demo/")
        _menu(page, "Spotkania")
        page.wait_for_url("**/c/demo/meetings/")
        _fits(page)
        page.get_by_role("link", name=meeting.title).click()
        page.wait_for_url(f"**/meetings/{meeting.pk}/")
        _fits(page)
        page.goto(f"{live_server.url}/c/demo/meetings/{meeting.pk}/live/")
        _fits(page)
        page.click("button[value=open]")
        page.wait_for_function("() => document.getElementById('quorum') !== null")
        page.fill("input[name=member]", member.key)
        page.click("button[value=check_in]")
        page.wait_for_selector(f"#attendance td:text-is('{member.name}')")
        _fits(page)
        from klaster.governance.models import Attendance

        assert Attendance.objects.filter(meeting=meeting, member=member).exists()
    finally:
        for context in contexts:
            context.close()


def test_representative_casts_a_vote_on_a_phone(demo, live_server, browser):
    contexts: list = []
    meeting = demo["meeting"]
    member = demo["member"]
    base = live_server.url
    try:
        office = _phone(browser, contexts)
        login(office, live_server, "biuro", PASSWORD)
        office.goto(f"{base}/c/demo/meetings/{meeting.pk}/live/")
        office.click("button[value=open]")
        office.wait_for_function("() => document.getElementById('quorum') !== null")

        rep = _phone(browser, contexts)
        login(rep, live_server, "czlonek", PASSWORD)
        rep.goto(f"{base}/c/demo/")
        _menu(rep, "Spotkania")
        rep.wait_for_url("**/c/demo/meetings/")
        _fits(rep)
        rep.locator("main table tbody tr").filter(has_text=meeting.title).get_by_role(
            "link", name="Głosowanie"
        ).click()
        rep.wait_for_url(f"**/meetings/{meeting.pk}/my/")
        _fits(rep)
        rep.select_option("select[name=mode]", "online")
        rep.click("form.checkin button")
        # checked in: the page comes back without the check-in form
        expect(rep.locator("form.checkin")).to_have_count(0)

        # the rest of the room checks in at the desk (quorum: half of those entitled)
        _check_in_others(meeting, member)
        office.fill("input[name=title]", "Przyjęcie sprawozdania z działalności")
        office.click("button[value=vote_open]")
        office.wait_for_selector("#t-for")
        # the representative's page reloads itself when the vote opens
        rep.wait_for_selector("form.ballot")
        _fits(rep)
        rep.check(f"input[name=member_{member.pk}][value=for]")
        rep.get_by_role("button", name="Oddaj głos").click()
        expect(rep.locator(".cast")).to_have_count(1)
        _fits(rep)
        office.wait_for_function("() => document.getElementById('t-for').textContent !== '0'")
    finally:
        for context in contexts:
            context.close()


def _check_in_others(meeting, member) -> None:
    from django.contrib.auth import get_user_model

    from klaster.governance import services
    from klaster.members.models import Member

    office = get_user_model().objects.get(username="biuro")
    others = Member.objects.filter(cluster=meeting.organ.cluster, status="active").exclude(
        pk=member.pk
    )
    for other in others:
        if not meeting.attendances.filter(member=other).exists():
            _retry_locked(
                lambda other=other: services.attendance_check_in(
                    meeting=meeting, member=other, user=office
                )
            )


def _retry_locked(write, attempts: int = 20):
    """The live server's thread shares the test's in-memory SQLite database (shared cache), where
    a table another connection is reading is "locked" at once — no busy timeout applies — while
    the chair's page polls. A file database (the product's) waits instead; here the write is
    tried again after a moment, as that wait would."""
    import time

    from django.db import OperationalError

    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)
    return None
