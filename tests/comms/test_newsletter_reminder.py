"""PLT-2: the monthly newsletter as a job and on the office's home — the office is reminded five
days before the month's end and on its last day, once each; the home lists it until it is sent."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from klaster.comms import jobs
from klaster.core.models import OutboxMessage
from klaster.rules.calendar import WARSAW
from tests.comms.factories import NewsletterFactory


def test_plt_2_office_is_reminded_before_the_month_ends_once(world):
    world.users["office"].email = "biuro@alfa.example.pl"
    world.users["office"].save()
    assert jobs.newsletter_reminder(dt.date(2026, 12, 20)) == {}  # 12 days left: not yet
    done = jobs.newsletter_reminder(dt.date(2026, 12, 27))  # 5 days left
    assert set(done) == {"alfa", "beta"}
    [row] = OutboxMessage.objects.filter(cluster=world.alfa, kind="reminder")
    assert row.to == ["biuro@alfa.example.pl"] and "12.2026" in bytes(row.raw).decode()
    jobs.newsletter_reminder(dt.date(2026, 12, 27))  # a retried job sends nothing twice
    assert OutboxMessage.objects.filter(cluster=world.alfa, kind="reminder").count() == 1
    NewsletterFactory(
        cluster=world.alfa, status="sent", sent_at=dt.datetime(2026, 12, 28, 9, tzinfo=WARSAW)
    )
    assert "alfa" not in jobs.newsletter_reminder(dt.date(2026, 12, 31))


@time_machine.travel(dt.datetime(2026, 12, 28, 9, 0, tzinfo=WARSAW), tick=False)
def test_plt_2_office_home_lists_the_newsletter_until_it_is_sent(world, client_for):
    NewsletterFactory(
        cluster=world.alfa, status="sent", sent_at=dt.datetime(2026, 11, 5, 9, tzinfo=WARSAW)
    )
    office = client_for("office")
    home = office.get(reverse("cluster_home", args=["alfa"])).content.decode()
    assert "Wyślij newsletter w tym miesiącu" in home
    NewsletterFactory(
        cluster=world.alfa, status="sent", sent_at=dt.datetime(2026, 12, 2, 9, tzinfo=WARSAW)
    )
    home = office.get(reverse("cluster_home", args=["alfa"])).content.decode()
    assert "Wyślij newsletter w tym miesiącu" not in home
