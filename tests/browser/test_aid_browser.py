"""Issue 11 in a browser (AID-4 … AID-6): two complete applications want one product for
overlapping days; the office makes the ranking list, enters the evaluations, records the
management's approval, opens the chosen application's contract, sees the aid against the
headroom, signs, and downloads the certificate of de minimis aid as PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klaster.aid.models import Application, Certificate, Contract, RateSeries
from tests.aid.test_lending import complete_app
from tests.browser.conftest import login
from tests.factories import (
    AidSettingsFactory,
    EquipmentFactory,
    PriceListFactory,
    RateTableFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
W = ZoneInfo("Europe/Warsaw")


class RateSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateSeries


def test_aid_4_to_6_an_application_through_ranking_to_a_signed_contract_and_its_certificate(
    world, live_server, page
):
    today = timezone.localdate()
    RateTableFactory(date=today - dt.timedelta(days=400), mid=Decimal("4.3000"))
    RateTableFactory(date=today, number="999/A/NBP/2026", mid=Decimal("4.2500"))
    RateSeriesFactory(complete_through=today, source="test")
    AidSettingsFactory(cluster=world.alfa)
    robot = EquipmentFactory(cluster=world.alfa, name="Robot spawalniczy KUKA")
    PriceListFactory(equipment=robot, valid_from=today - dt.timedelta(days=30))
    start = today + dt.timedelta(days=10)
    a = complete_app(
        world,
        world.member_a,
        start,
        start + dt.timedelta(days=4),
        dt.datetime(2026, 12, 1, 9, tzinfo=W),
        equipment=robot,
    )
    b = complete_app(
        world,
        world.member_b,
        start + dt.timedelta(days=2),
        start + dt.timedelta(days=6),
        dt.datetime(2026, 12, 1, 10, tzinfo=W),
        equipment=robot,
    )
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/c/alfa/aid/lending/rankings/new/")
    page.get_by_label("Produkt").select_option(str(robot.pk))
    page.get_by_label("Okres od").fill(start.isoformat())
    page.get_by_label("Okres do").fill((start + dt.timedelta(days=6)).isoformat())
    page.locator("main form[method=post] button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Robot spawalniczy KUKA")
    page.get_by_label(f"Ocena: {world.member_a.name}").fill("60")
    page.get_by_label(f"Ocena: {world.member_b.name}").fill("80")
    page.locator("form[action$='/scores/'] button[type=submit]").click()
    page.get_by_label("Data zatwierdzenia").or_(page.locator("input[name=approved_on]")).first.fill(
        today.isoformat()
    )
    page.locator("input[name=approved_by]").fill("Zarząd Koordynatora")
    page.locator("input[name=approval_ref]").fill("Uchwała 7/2026")
    page.locator("form[action$='/approve/'] button[type=submit]").click()
    expect(page.get_by_text("Zarząd Koordynatora").first).to_be_visible()
    b.refresh_from_db()
    a.refresh_from_db()
    assert b.status == Application.Status.CHOSEN and a.status == Application.Status.WAITING
    page.goto(f"{live_server.url}/c/alfa/aid/contracts/new/{b.pk}/")
    expect(page.get_by_text("4,2500").first).to_be_visible()  # the NBP table of the day
    page.locator("main form[method=post] input[name=signed_on]").fill(today.isoformat())
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    contract = Contract.objects.get(application=b)
    expect(page.get_by_text(contract.number).first).to_be_visible()
    certificate = Certificate.objects.get(grant=contract.grant)
    link = page.locator(f"a[href$='/certificates/{certificate.pk}/pdf/']").first
    expect(link).to_be_visible()
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.body()[:4] == b"%PDF"
