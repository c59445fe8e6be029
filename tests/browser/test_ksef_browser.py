"""The KSeF outbox page (FIN-2, issue 10 point 3) in Chromium: documents in every KSeF state,
the office's "Send now" without a configured KSeF says so and changes nothing; axe-core finds no
serious or critical violation and the page does not scroll sideways at 1280 and 360 px."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_design import WIDTHS, check_page, new_page
from tests.factories import KsefAttemptFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def money(world):
    from tests.money.conftest import build_money

    return build_money(world)


def test_fin_2_ksef_page_every_state_accessible_at_desktop_and_phone(money, live_server, browser):
    from django.test import override_settings
    from django.utils import timezone

    from klaster.money import outbox, services
    from klaster.money.models import Document
    from klaster.rules.message import Msg, to_json

    run = services.dues_run(cluster=money.cluster, through=dt.date(2026, 3, 1))
    outbox.mark_for_ksef(run.issued)
    first, second, third, *_rest = Document.objects.order_by("issued", "series", "seq")
    now = timezone.now()
    Document.objects.filter(pk=first.pk).update(ksef_state="offline")
    KsefAttemptFactory(
        document=first,
        at=now,
        error=json.dumps([to_json(Msg.of(outbox.UNEXPECTED, detail="timeout"))]),
    )
    Document.objects.filter(pk=second.pk).update(ksef_state="failed")
    KsefAttemptFactory(
        document=second, at=now, error=json.dumps([to_json(Msg.of(outbox.NOT_BUILT))])
    )
    Document.objects.filter(pk=third.pk).update(
        ksef_state="sent", ksef_number="5260250274-20260101-0123456789AB-1C"
    )
    problems: list[str] = []
    for label, viewport in WIDTHS.items():
        context, page = new_page(browser, viewport)
        try:
            login(page, live_server, "office")
            page.goto(f"{live_server.url}/c/alfa/money/ksef/")
            expect(page.get_by_role("heading", level=1)).to_have_text("E-faktury KSeF")
            problems += check_page(page, label)
        finally:
            context.close()
    assert problems == [], "\n".join(problems)

    context, page = new_page(browser, WIDTHS["phone"])
    try:
        login(page, live_server, "office")
        with override_settings(KLASTER_KSEF=None):
            page.goto(f"{live_server.url}/c/alfa/money/ksef/")
            page.get_by_role("button", name="Wyślij teraz").click()
            expect(page.get_by_text("KSeF nie jest skonfigurowany").first).to_be_visible()
    finally:
        context.close()
    assert Document.objects.filter(ksef_state="waiting").count() == len(run.issued) - 3
