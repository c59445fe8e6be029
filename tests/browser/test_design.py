"""Issue 9 point 2 (one design system) and point 8 (friendly error pages), in Debian's Chromium,
on the demo cluster (`klaster demo`) as its personas — the office (biuro), an organ member (rada)
and a representative (czlonek):

- axe-core (vendored, tests/browser/vendor/axe.min.js) finds no serious or critical violation on
  any main page, at desktop (1280 px) and phone (360 px) width;
- no page scrolls sideways: `scrollWidth <= innerWidth` at both widths;
- on a phone the header is compact: the menu button opens the navigation, from the keyboard too;
- a refused page is the friendly 403 in the layout, in Polish.

Every page a persona may open from the list below is checked; a page the persona may not open is
skipped (the access matrix covers who sees what), and each persona must reach a minimum."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SOURCE = AXE.read_text(encoding="utf-8")


def new_page(browser, viewport):
    """A page in Polish at `viewport`, under the product's real Content Security Policy; what the
    policy refuses (an inline script or style, a foreign host) is collected on `page.csp_violations`
    and reported by `check_page`."""
    context = browser.new_context(locale="pl-PL", viewport=viewport)
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda m: (
            page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    page.set_default_timeout(15000)
    return context, page


PASSWORD = "klaster-demo"  # noqa: S105 — the demo's printed password
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
PERSONAS = {"biuro": 24, "rada": 12, "czlonek": 8}  # persona → pages it must reach at least


def demo_pages() -> list[str]:
    """The main pages of the demo cluster: lists, a detail of each, the forms people use most."""
    from klaster.core.models import ClusterRole
    from klaster.governance.models import Admission, Meeting
    from klaster.groups.models import WorkingGroup
    from klaster.kkk.records import RECORD_KINDS
    from klaster.members.models import Member

    c = "/c/demo"
    member = Member.objects.filter(cluster__slug="demo").exclude(status="candidate").first()
    own = ClusterRole.objects.filter(cluster__slug="demo", role="representative").first()
    meeting = (
        Meeting.objects.filter(organ__cluster__slug="demo", organ__kind="ga")
        .order_by("-pk")
        .first()
    )
    group = WorkingGroup.objects.filter(cluster__slug="demo").first()
    admission = Admission.objects.filter(cluster__slug="demo").first()
    pages = [
        "/",
        f"{c}/",
        f"{c}/members/",
        f"{c}/statute/",
        f"{c}/statistics/",
        f"{c}/meetings/",
        f"{c}/governance/",
        f"{c}/governance/duties/",
        f"{c}/governance/declarations/",
        f"{c}/governance/contacts/",
        f"{c}/resolutions/",
        f"{c}/admissions/",
        f"{c}/groups/",
        f"{c}/kkk/",
        f"{c}/kkk/applications/",
        f"{c}/kkk/records/",
        f"{c}/kkk/records/{next(iter(RECORD_KINDS))}/",
        f"{c}/kkk/experts/",
        f"{c}/audit/",
        f"{c}/settings/",
        f"{c}/meetings/new/",
        f"{c}/search/?q=auto",
        f"{c}/mailbox/",
        f"{c}/money/",
        f"{c}/money/statements/",
        f"{c}/money/queue/",
        f"{c}/money/arrears/",
        f"{c}/money/settings/",
        f"{c}/money/ksef/",
        f"{c}/money/plan/",
        f"{c}/money/staff/",
        f"{c}/money/staff/board/",
        f"{c}/money/staff/requests/",
        f"{c}/aid/",
        f"{c}/aid/import/",
        f"{c}/aid/lending/",
        f"{c}/aid/contracts/",
        f"{c}/aid/shrimp/",
        f"{c}/aid/rates/",
        f"{c}/people/",
        f"{c}/forum/",
        "/forum/",
        "/forum/lodzkie/",
        "/forum/lodzkie/benchmark/",
        "/forum/lodzkie/benchmark/s2.total/",
        # the member platform (issue 12)
        f"{c}/outbox/",
        f"{c}/newsletters/",
        f"{c}/newsletters/new/",
        f"{c}/events/",
        f"{c}/events/new/",
        f"{c}/documents/",
        f"{c}/documents/new/",
        f"{c}/documents/?q=statut",
        f"{c}/offers/",
        f"{c}/offers/new/",
        f"{c}/offers/public/",
        f"{c}/offers/competences/",
        f"{c}/offers/ideas/",
        f"{c}/offers/training/",
        f"{c}/statistics/round/",
    ]
    from klaster.comms.models import Newsletter
    from klaster.documents.models import Document as ArchiveDocument
    from klaster.events.models import Event
    from klaster.offers.models import Idea

    for model, prefix in (
        (Newsletter, "newsletters"),
        (Event, "events"),
        (ArchiveDocument, "documents"),
        (Idea, "offers/ideas"),
    ):
        row = model.objects.filter(cluster__slug="demo").order_by("pk").first()
        if row is not None:
            pages.append(f"{c}/{prefix}/{row.pk}/")
    if member:
        pages += [f"{c}/members/{member.pk}/", f"{c}/members/{member.pk}/edit/"]
    if own and own.member_id:
        pages += [
            f"{c}/members/{own.member_id}/",
            f"{c}/portal/{own.member_id}/",
            f"{c}/groups/member/{own.member_id}/",
            f"{c}/money/member/{own.member_id}/",
            f"{c}/aid/member/{own.member_id}/",
        ]
        from klaster.money.models import Document

        document = Document.objects.filter(member_id=own.member_id).first()
        if document:
            pages.append(f"{c}/money/documents/{document.pk}/")
    if meeting:
        pages += [f"{c}/meetings/{meeting.pk}/", f"{c}/meetings/{meeting.pk}/my/"]
    if group:
        pages.append(f"{c}/groups/{group.pk}/")
    if admission:
        pages.append(f"{c}/admissions/{admission.pk}/")
    return list(dict.fromkeys(pages))


def check_page(page, where: str) -> list[str]:
    """axe's serious and critical violations and a sideways scroll on the open page."""
    problems = []
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
        problems.append(f"{where}: scrolls sideways ({width[0]} > {width[1]} px): {wide}")
    # axe is evaluated through the browser's protocol, which the page's CSP does not govern:
    # the pages are tested under the policy they are served with (no bypass_csp)
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    problems += [f"{where}: {message}" for message in getattr(page, "csp_violations", [])]
    result = page.evaluate(
        """async () => {
             const r = await axe.run(document, {resultTypes: ['violations']});
             return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => ({id: v.id, impact: v.impact,
                           targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
           }"""
    )
    problems += [f"{where}: axe {v['impact']} {v['id']} at {v['targets']}" for v in result]
    return problems


def pages_problems(browser, live_server, base: str, persona_paths, password=None) -> list[str]:
    """Every path (below `base`) each persona opens, at desktop and phone width: each must answer
    200, and `check_page`'s problems are collected. The test personas' password unless given."""
    problems: list[str] = []
    for persona, paths in persona_paths:
        for label, viewport in WIDTHS.items():
            context, page = new_page(browser, viewport)
            try:
                if password is None:
                    login(page, live_server, persona)
                else:
                    login(page, live_server, persona, password)
                for path in paths:
                    response = page.goto(base + path)
                    assert response is not None and response.status == 200, (persona, path)
                    problems += check_page(page, f"{persona} {label} {path}")
            finally:
                context.close()
    return problems


def test_every_main_page_is_accessible_and_fits_at_desktop_and_phone(live_server, browser):
    call_command("demo", stdout=io.StringIO())
    pages = demo_pages()
    problems: list[str] = []
    reached: dict[str, int] = {}
    for persona in PERSONAS:
        for label, viewport in WIDTHS.items():
            context, page = new_page(browser, viewport)
            try:
                login(page, live_server, persona, PASSWORD)
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                count = 0
                for path in pages:
                    response = page.goto(f"{live_server.url}{path}")
                    if response is None or response.status != 200:
                        continue
                    count += 1
                    problems += check_page(page, f"{persona} {label} {path}")
                reached[persona] = count
            finally:
                context.close()
    assert problems == [], "\n".join(problems)
    for persona, minimum in PERSONAS.items():
        assert reached[persona] >= minimum, (persona, reached[persona])


def test_login_and_error_pages_are_accessible_and_friendly(live_server, browser):
    call_command("demo", stdout=io.StringIO())
    problems: list[str] = []
    for label, viewport in WIDTHS.items():
        context, page = new_page(browser, viewport)
        try:
            page.goto(f"{live_server.url}/accounts/login/")
            problems += check_page(page, f"anonymous {label} login")
            login(page, live_server, "czlonek", PASSWORD)
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
            # issue 9 point 8: a representative may not read the audit log — the friendly 403
            response = page.goto(f"{live_server.url}/c/demo/audit/")
            assert response is not None and response.status == 403
            expect(page.locator("h1")).to_have_text("Nie masz dostępu do tej strony")
            expect(page.locator("header.top .brand")).to_be_visible()
            problems += check_page(page, f"czlonek {label} 403")
            response = page.goto(f"{live_server.url}/c/demo/members/999999/")
            assert response is not None and response.status == 404
            expect(page.locator("h1")).to_have_text("Nie znaleziono strony")
            problems += check_page(page, f"czlonek {label} 404")
        finally:
            context.close()
    assert problems == [], "\n".join(problems)


def test_phone_header_menu_opens_from_the_keyboard(live_server, browser):
    call_command("demo", stdout=io.StringIO())
    context = browser.new_context(locale="pl-PL", viewport=WIDTHS["phone"])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, "biuro", PASSWORD)
        page.goto(f"{live_server.url}/c/demo/")
        toggle = page.get_by_role("button", name="Menu")
        nav = page.get_by_role("navigation", name="Nawigacja główna")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(nav).to_be_hidden()
        header_height = page.locator("header.top").bounding_box()["height"]
        assert header_height < 120, header_height  # compact: brand and the button, not the nav
        toggle.focus()
        page.keyboard.press("Enter")
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(nav.get_by_role("link", name="Członkowie")).to_be_visible()
        # the user and the language switcher are reachable on a phone too
        expect(page.locator("header.top .user")).to_contain_text("biuro")
        expect(page.locator("select[name=language]")).to_be_visible()
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(toggle).to_be_focused()
        # at desktop width the navigation is a row and the button is gone
        page.set_viewport_size(WIDTHS["desktop"])
        expect(toggle).to_be_hidden()
        expect(nav).to_be_visible()
    finally:
        context.close()


def test_tables_become_cards_on_a_phone_and_sort_by_a_header_button(live_server, browser):
    call_command("demo", stdout=io.StringIO())
    context = browser.new_context(locale="pl-PL", viewport=WIDTHS["phone"])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, "biuro", PASSWORD)
        page.goto(f"{live_server.url}/c/demo/members/")
        first = page.locator("main table tbody tr").first
        assert first.evaluate("e => getComputedStyle(e).display") == "block"
        cell = first.locator("td").first
        label = cell.get_attribute("data-label")
        assert label, "a card's cell names its column"
        before = cell.evaluate("e => getComputedStyle(e, '::before').content")
        assert label in before
        # at desktop width it is a table again, sorted by a button in the column's header
        page.set_viewport_size(WIDTHS["desktop"])
        page.goto(f"{live_server.url}/c/demo/meetings/")
        assert (
            page.locator("main table tbody tr").first.evaluate("e => getComputedStyle(e).display")
            == "table-row"
        )
        header = page.locator("main table thead th").first
        sort = header.get_by_role("button", name="Data")
        dates = page.locator("main table tbody tr td:first-child")

        def iso() -> list[str]:
            return ["-".join(reversed(d.split("."))) for d in dates.all_inner_texts()]

        assert len(iso()) >= 3
        sort.focus()
        page.keyboard.press("Enter")
        expect(header).to_have_attribute("aria-sort", "ascending")
        assert iso() == sorted(iso())
        sort.click()
        expect(header).to_have_attribute("aria-sort", "descending")
        assert iso() == sorted(iso(), reverse=True)
    finally:
        context.close()


def test_disabled_buttons_and_badges_are_visibly_distinct(live_server, browser):
    """A disabled button looks disabled (not just greyed by the browser): another background, a
    dashed border, the not-allowed cursor; the badges' colours pass axe's contrast check."""
    context, page = new_page(browser, WIDTHS["desktop"])
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.evaluate(
            """() => document.querySelector('main').insertAdjacentHTML('beforeend',
                 '<p id="kit"><button id="on">A</button> <button id="off" disabled>B</button> ' +
                 '<a class="button secondary" href="#">C</a> <button class="danger">D</button> ' +
                 '<span class="badge ok">ok</span> <span class="badge warn">warn</span> ' +
                 '<span class="badge err">err</span> <span class="badge info">info</span></p>' +
                 '<div class="empty"><p>Brak posiedzeń.</p><a class="button" href="#">Zwołaj</a></div>')"""
        )
        style = "(e) => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderStyle, s.cursor]; }"
        on = page.locator("#on").evaluate(style)
        off = page.locator("#off").evaluate(style)
        assert on[0] != off[0] and off[1] == "dashed" and off[2] == "not-allowed", (on, off)
        assert check_page(page, "login with the style kit") == []
    finally:
        context.close()


def test_the_pages_are_checked_under_their_real_content_security_policy(live_server, browser):
    """The design check runs without bypass_csp: something the product's policy refuses (here an
    image from a foreign host, as a CDN would be) is reported by `check_page`."""
    context, page = new_page(browser, WIDTHS["phone"])
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert check_page(page, "login") == []
        page.evaluate(
            """() => document.body.insertAdjacentHTML('beforeend',
                 '<img alt="" src="https://cdn.example.org/x.png">')"""
        )
        page.wait_for_timeout(300)
        problems = check_page(page, "login with a foreign image")
        assert any("Content Security Policy" in p for p in problems), problems
    finally:
        context.close()
