"""Issue 12 "tests": the office invites a representative by e-mail (through a real local SMTP
server), the person accepts from the link, logs in, answers an event's invitation and finds a
document in the archive — PLT-1, PLT-2, PLT-3 end to end in Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klaster.events.models import Rsvp
from tests.browser.conftest import login
from tests.documents.factories import add_document
from tests.events.factories import EventFactory
from tests.governance.conftest import smtp  # noqa: F401 — the real local SMTP server fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plt_1_2_3_invited_representative_answers_an_event_and_finds_a_document(
    world,
    live_server,
    browser,
    smtp,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    start = timezone.now() + dt.timedelta(days=10)
    event = EventFactory(
        cluster=world.alfa,
        title="Forum wodorowe",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        invited_at=timezone.now(),
    )
    add_document(
        world.alfa,
        world.users["office"],
        title="Regulamin Rady Klastra",
        text="Posiedzenia Rady w Łodzi",
    )

    office = browser.new_context(locale="pl-PL").new_page()
    office.set_default_timeout(15000)
    login(office, live_server, "office")
    office.goto(f"{live_server.url}/c/alfa/people/invite/")
    office.fill("#id_email", "nowa.osoba@alfa-tech.example.pl")
    office.select_option("#id_role", "representative")
    office.select_option("#id_member", str(world.member_a.pk))
    office.locator("main button[type=submit]").click()
    expect(office.locator("ul.messages")).to_be_visible()
    [envelope] = smtp.envelopes
    assert envelope.rcpt_tos == ["nowa.osoba@alfa-tech.example.pl"]
    link = re.search(r"https?://\S+/invite/\S+/", envelope.content.decode()).group(0)

    person = browser.new_context(locale="pl-PL").new_page()
    person.set_default_timeout(15000)
    person.goto(link)
    person.fill("#id_new_password1", "Mocne-haslo-2026!")
    person.fill("#id_new_password2", "Mocne-haslo-2026!")
    person.locator("main button[type=submit]").click()
    person.wait_for_url("**/c/alfa/")
    # logs out and in again with the new password
    person.context.clear_cookies()
    login(person, live_server, "nowa.osoba@alfa-tech.example.pl", "Mocne-haslo-2026!")
    person.wait_for_url("**/c/alfa/**")

    person.get_by_role("link", name="Wydarzenia").first.click()
    person.get_by_role("link", name="Forum wodorowe").click()
    prefix = f"#id_m{world.member_a.pk}-"
    person.select_option(prefix + "answer", "yes")
    person.fill(prefix + "people", "2")
    person.locator("main form button[type=submit]").first.click()
    expect(person.locator("ul.messages")).to_contain_text("Odpowiedź zapisana")
    answer = Rsvp.objects.get(event=event, member=world.member_a)
    assert (answer.answer, answer.people) == ("yes", 2)
    assert answer.answered_by.email == "nowa.osoba@alfa-tech.example.pl"

    person.get_by_role("link", name="Dokumenty").first.click()
    person.fill("#doc-q", "lodzi")
    person.locator("main").get_by_role("button", name="Szukaj").click()
    person.get_by_role("link", name="Regulamin Rady Klastra").click()
    expect(person.locator("h1")).to_have_text("Regulamin Rady Klastra")
    with person.expect_download() as download:
        person.locator("main table a").first.click()
    assert download.value.suggested_filename.endswith(".txt")
