"""The annual statistics round (MEM-12, issue 12 point 5): the office opens a round for a fiscal
year with a deadline, members fill their figures in the portal, completeness is tracked per
member, reminders go out by themselves (14, 7, 1 days before and weekly after, once a day), and
the KKK dashboard shows what is still missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from klaster.core.models import OutboxMessage
from klaster.members import jobs, selectors, services
from klaster.members.models import StatisticsRound
from klaster.rules.calendar import WARSAW
from tests.factories import MemberYearFactory, NotificationEmailFactory

TODAY = dt.date(2026, 12, 4)
DEADLINE = dt.date(2027, 1, 31)


@pytest.fixture
def round_(world):
    NotificationEmailFactory(member=world.member_a, email="a@example.org")
    NotificationEmailFactory(member=world.member_b, email="b@example.org")
    return services.statistics_round_open(
        cluster=world.alfa, user=world.users["office"], year=2025, deadline=DEADLINE, today=TODAY
    )


def test_mem_12_round_is_opened_once_per_year_and_one_at_a_time(world, round_):
    with pytest.raises(Exception, match="2025"):
        services.statistics_round_open(
            cluster=world.alfa,
            user=world.users["office"],
            year=2025,
            deadline=DEADLINE,
            today=TODAY,
        )
    with pytest.raises(Exception, match="Zamknij|Close"):
        services.statistics_round_open(
            cluster=world.alfa,
            user=world.users["office"],
            year=2024,
            deadline=DEADLINE,
            today=TODAY,
        )
    with pytest.raises(Exception, match="przeszłości|past"):
        services.statistics_round_open(
            cluster=world.beta,
            user=world.users["outsider"],
            year=2025,
            deadline=TODAY - dt.timedelta(days=1),
            today=TODAY,
        )
    assert StatisticsRound.objects.count() == 1


def test_mem_12_completeness_is_tracked_per_member(world, round_, django_assert_max_num_queries):
    MemberYearFactory(
        member=world.member_a,
        year=2025,
        revenue=Decimal("100"),
        export_revenue=Decimal("10"),
        rd_expenditure=Decimal("1"),
        fte=Decimal("3.5"),
    )
    MemberYearFactory(member=world.member_b, year=2025, revenue=Decimal("5"))
    MemberYearFactory(member=world.member_b, year=2024, fte=Decimal("1"))  # another year
    with django_assert_max_num_queries(2):
        progress = selectors.statistics_round_progress(round_)
    states = {r.member_id: (r.state, r.missing) for r in progress.rows}
    assert states[world.member_a.pk] == ("complete", ())
    assert states[world.member_b.pk] == ("partial", ("export_revenue", "rd_expenditure", "fte"))
    assert states[world.coordinator.pk][0] == "missing"
    assert world.member_beta.pk not in states  # another cluster's member
    assert progress.complete == 1 and progress.total == len(progress.rows)


def test_mem_12_member_sees_the_round_in_the_portal_and_the_office_the_progress(
    world, round_, client_for
):
    portal = client_for("member").get(reverse("portal", args=["alfa", world.member_a.pk]))
    text = portal.content.decode()
    assert "2025" in text and "31.01.2027" in text and "eksport" in text.lower()
    page = client_for("office").get(reverse("statistics_round", args=["alfa"])).content.decode()
    assert world.member_a.name in page and "31.01.2027" in page
    assert client_for("member").get(reverse("statistics_round", args=["alfa"])).status_code == 403
    dashboard = client_for("office").get(reverse("kkk_dashboard", args=["alfa"])).content.decode()
    assert 'id="statistics-round"' in dashboard and world.member_b.name in dashboard


def test_mem_12_reminders_go_by_themselves_to_members_missing_figures_once(world, round_):
    MemberYearFactory(
        member=world.member_a,
        year=2025,
        revenue=Decimal("1"),
        export_revenue=Decimal("0"),
        rd_expenditure=Decimal("0"),
        fte=Decimal("1"),
    )
    assert jobs.statistics_reminders(DEADLINE - dt.timedelta(days=10)) == {}
    assert "alfa" in jobs.statistics_reminders(DEADLINE - dt.timedelta(days=7))
    rows = OutboxMessage.objects.filter(kind="reminder", source=f"statistics:{round_.pk}")
    assert [r.to for r in rows.all()] == [["b@example.org"]]  # member A's figures are complete
    jobs.statistics_reminders(DEADLINE - dt.timedelta(days=7))  # a retried job
    assert rows.count() == 1
    assert "alfa" in jobs.statistics_reminders(DEADLINE + dt.timedelta(days=14))  # weekly after
    assert rows.count() == 2
    services.statistics_round_close(round_=round_, user=world.users["office"])
    assert jobs.statistics_reminders(DEADLINE + dt.timedelta(days=21)) == {}


@time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=WARSAW), tick=False)
def test_mem_12_office_opens_and_closes_a_round_from_its_page(world, client_for):
    office = client_for("office")
    url = reverse("statistics_round", args=["alfa"])
    assert office.post(url, {"year": "2025", "deadline": "2027-01-31"}).status_code == 302
    current = StatisticsRound.objects.get()
    close = reverse("statistics_round_close", args=["alfa", current.pk])
    assert client_for("outsider").post(close).status_code == 404
    assert office.post(close).status_code == 302
    current.refresh_from_db()
    assert current.closed_at is not None
