"""Issue "Governance" done-when, in Debian's Chromium: the chair opens a meeting, members check in
(the chair's page updates without a reload), a proxy is refused for exceeding the cap, a vote runs
with a member voting from its own page, and the minutes PDF is produced."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.governance.conftest import build_gov

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_gov_2_gov_4_gov_14_chair_runs_a_meeting(world, live_server, browser):
    gov = build_gov(world)
    contexts = []
    try:
        _run_meeting(world, gov, live_server, browser, contexts)
    finally:
        # close every page before the database goes: the members' and the chair's pages poll
        for context in contexts:
            context.close()


def _new_page(browser, contexts):
    context = browser.new_context(locale="pl-PL")
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _run_meeting(world, gov, live_server, browser, contexts):
    base = live_server.url
    chair = _new_page(browser, contexts)
    login(chair, live_server, "chair")
    chair.goto(f"{base}/c/alfa/meetings/")
    chair.get_by_role("link", name=gov.ga.title).click()
    chair.locator(f"a[href='/c/alfa/meetings/{gov.ga.pk}/live/']").first.click()
    chair.click("button[value=open]")
    # a function expression: the CSP forbids eval, and Playwright evaluates a function only once
    chair.wait_for_function("() => document.getElementById('quorum').className === 'errorlist'")
    assert "Brak kworum" in chair.locator("#quorum").inner_text()

    # the chair checks four members in
    for m in gov.members[2:6]:
        chair.fill("input[name=member]", m.key)
        chair.click("button[value=check_in]")
        chair.wait_for_selector(f"#attendance td:text-is('{m.name}')")
    chair.wait_for_function("() => document.getElementById('in-person').textContent === '4'")

    # member A checks itself in online from its own page; the chair's page follows without a reload
    member = _new_page(browser, contexts)
    login(member, live_server, "member")
    member.goto(f"{base}/c/alfa/meetings/{gov.ga.pk}/my/")
    member.select_option("select[name=mode]", "online")
    member.click("form.checkin button")
    chair.wait_for_function("() => document.getElementById('online').textContent === '1'")
    chair.wait_for_function("() => document.getElementById('quorum').className === 'ok'")
    assert "Kworum jest" in chair.locator("#quorum").inner_text()

    # the office records a proxy for member B's representative: over the GA cap of 10 members (1 vote)
    office = _new_page(browser, contexts)
    login(office, live_server, "office")
    office.goto(f"{base}/c/alfa/meetings/{gov.ga.pk}/")
    office.select_option("#id_px-giver", str(gov.member(8).pk))
    office.fill("#id_px-holder_user", "proxy")
    office.fill("#id_px-received_at", "2025-06-20T12:00")
    office.click("form.proxy-form button[type=submit]")
    error = office.locator("ul.messages li.error").first.inner_text()
    assert "limit 1" in error and "10%" in error
    assert "odrzucone" in office.locator("table.proxies").inner_text()

    # the chair opens a vote; member A votes from its own page; the tally updates live
    chair.fill("input[name=title]", "Przyjęcie sprawozdania")
    chair.click("button[value=vote_open]")
    chair.wait_for_selector("#t-for")
    # member A's page reloads itself when the vote opens (it polls every 3 s); a goto here
    # would race that reload, so wait for the ballot the reload brings
    member.wait_for_selector("form.ballot")
    member.check(f"input[name=member_{world.member_a.pk}][value=for]")
    member.click("form.ballot button[type=submit]")
    expect(member.locator(".cast")).to_have_count(1)
    chair.wait_for_function("() => document.getElementById('t-for').textContent === '1'")
    chair.click("button[value=vote_close]")
    expect(chair.locator("ul.messages")).to_contain_text("nieprzyjęta: za 1")  # 1 of 10 entitled
    chair.click("button[value=close]")
    response = chair.request.get(f"{base}/c/alfa/meetings/{gov.ga.pk}/minutes.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
