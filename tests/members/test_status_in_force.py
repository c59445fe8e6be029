"""MEM-6: an event dated in the future (a resignation effective at the year's end) changes the
member's status on its day, without anyone touching the member — by the background worker's daily
job (`klaster worker`, started by `klaster serve`: at its start and after each midnight), or from
`klaster refresh-statuses`. A page never does it: reads never write (issue 8)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from klaster.core.models import AuditLog, Cluster
from klaster.exchange.dataset_io import cluster_import
from klaster.exchange.demo import demo_cluster
from klaster.members import services
from klaster.members.models import Member

pytestmark = pytest.mark.django_db

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def _resign_at_year_end(world):
    today = timezone.localdate()
    year_end = dt.date(today.year, 12, 31)
    if year_end == today:  # pragma: no cover - the test run on New Year's Eve
        year_end = today + dt.timedelta(days=1)
    member = world.member_a
    services.member_event_add(
        member=member, user=world.users["office"], kind="resigned", date=year_end
    )
    member.refresh_from_db()
    return member, year_end


def test_mem_6_future_resignation_changes_nothing_before_its_day(world):
    member, year_end = _resign_at_year_end(world)
    assert member.status == "active" and member.left == year_end
    assert services.statuses_bring_up_to_date(world.alfa) == 0
    member.refresh_from_db()
    assert member.status == "active"


def test_mem_6_the_first_page_of_the_day_writes_nothing(world, client_for):
    """Reads never write (issue 8): the cluster's statuses are a day behind, yet the day's first
    page neither catches up nor writes anything — that is the worker's job."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.core.dbstate import assert_unchanged, db_fingerprint
    from tests.core.test_reads_write_nothing import writes_in

    member, year_end = _resign_at_year_end(world)
    with time_machine.travel(
        dt.datetime.combine(year_end + dt.timedelta(days=1), dt.time(0, 5), WARSAW), tick=False
    ):
        office = client_for("office")  # logging in writes last_login: before the fingerprint
        before = db_fingerprint()
        with CaptureQueriesContext(connection) as ctx:
            response = office.get(reverse("member_list", args=["alfa"]), {"status": "active"})
        assert response.status_code == 200
        assert member.name in response.content.decode()  # still active until the worker has run
    assert writes_in(ctx.captured_queries) == []
    assert_unchanged(before, "the first page of the day")
    member.refresh_from_db()
    assert member.status == "active"


def test_mem_6_future_resignation_takes_effect_on_its_day_through_the_worker(world, client_for):
    member, year_end = _resign_at_year_end(world)
    url = reverse("member_list", args=["alfa"])
    # `klaster worker --once` shortly after midnight on 1 January (Warsaw) brings the clusters up to date
    with time_machine.travel(
        dt.datetime.combine(year_end + dt.timedelta(days=1), dt.time(0, 5), WARSAW), tick=False
    ):
        out = io.StringIO()
        call_command("worker", "--once", stdout=out)
        assert "member-statuses: alfa 1, beta 0" in out.getvalue()
        member.refresh_from_db()
        assert member.status == "former"
        entry = AuditLog.objects.get(action="status:in_force", object_id=str(member.pk))
        assert entry.user is None and entry.source == "system"
        assert entry.changes["status"] == ["active", "former"]
        assert Cluster.objects.get(pk=world.alfa.pk).statuses_as_of == year_end + dt.timedelta(
            days=1
        )
        response = client_for("office").get(url, {"status": "former"})
        assert member.name in response.content.decode()
        # once a day: the next run finds every cluster up to date and writes nothing
        out = io.StringIO()
        call_command("worker", "--once", stdout=out)
        assert "member-statuses: nic do zrobienia" in out.getvalue()
        assert AuditLog.objects.filter(action="status:in_force").count() == 1


def test_mem_6_the_worker_catches_up_at_start_and_right_after_midnight(world):
    """The worker's loop (klaster.core.jobs.run_forever) with a clock it is given: the job runs at
    start, sleeps until just past midnight, runs again for the new day, and not twice a day."""
    from klaster.core import jobs

    member, year_end = _resign_at_year_end(world)
    jobs.discover()
    schedule = jobs.Schedule([jobs.REGISTRY["member-statuses"]])
    eve = year_end - dt.timedelta(days=1)
    moments = iter(
        [
            dt.datetime.combine(eve, dt.time(23, 59, 50), WARSAW),
            dt.datetime.combine(year_end, dt.time(0, 0, 1), WARSAW),
            dt.datetime.combine(year_end, dt.time(0, 1, 1), WARSAW),
        ]
    )
    waits: list[float] = []
    statuses: list[str] = []
    outcomes: list[jobs.Outcome] = []

    def wait(seconds: float) -> bool:
        waits.append(seconds)
        member.refresh_from_db()
        statuses.append(member.status)
        return len(waits) == 3  # stop after the third tick

    jobs.run_forever(
        schedule, now=lambda: next(moments), wait=wait, report=outcomes.append, poll=60
    )
    assert statuses == ["active", "former", "former"]
    assert [(o.job, o.day) for o in outcomes] == [
        ("member-statuses", eve),
        ("member-statuses", year_end),
    ]
    assert outcomes[1].result == {"alfa": 1, "beta": 0}
    assert waits == [11.0, 60, 60]  # to a second past midnight, then the poll interval


def test_mem_6_refresh_command_for_a_scheduler(world):
    member, year_end = _resign_at_year_end(world)
    with time_machine.travel(dt.datetime.combine(year_end, dt.time(0, 1), WARSAW), tick=False):
        out = io.StringIO()
        call_command("refresh_statuses", stdout=out)
        assert "alfa: zmieniono status 1 członków" in out.getvalue()
        assert "beta: zmieniono status 0 członków" in out.getvalue()
    member.refresh_from_db()
    assert member.status == "former"
    # the other cluster's members are untouched
    assert not AuditLog.objects.filter(action="status:in_force", cluster=world.beta).exists()


def test_mem_6_existing_cluster_without_a_date_is_brought_up_to_date_in_full(world):
    member, year_end = _resign_at_year_end(world)
    Cluster.objects.filter(pk=world.alfa.pk).update(statuses_as_of=None)
    cluster = Cluster.objects.get(pk=world.alfa.pk)
    assert services.statuses_bring_up_to_date(cluster, today=year_end) == 1
    member.refresh_from_db()
    assert member.status == "former"


def test_mem_6_import_caches_the_status_in_force_today(world):
    ds = demo_cluster()
    today = timezone.localdate()
    leaving, joining = ds.members[5], ds.members[6]
    later = today + dt.timedelta(days=30)
    ds = _with_dates(ds, {leaving.id: {"left": later}, joining.id: {"joined": later}})
    cluster = cluster_import(ds, slug="daty")
    assert Member.objects.get(cluster=cluster, key=leaving.id).status == "active"
    assert Member.objects.get(cluster=cluster, key=joining.id).status == "candidate"
    assert services.statuses_bring_up_to_date(cluster, today=later) == 2
    assert Member.objects.get(cluster=cluster, key=leaving.id).status == "former"
    assert Member.objects.get(cluster=cluster, key=joining.id).status == "active"


def _with_dates(ds, changes):
    import dataclasses

    members = tuple(
        dataclasses.replace(m, **changes[m.id]) if m.id in changes else m for m in ds.members
    )
    return dataclasses.replace(ds, members=members)


def test_mem_6_bringing_up_to_date_costs_the_same_queries_for_3_or_30_members(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MemberFactory

    def queries() -> int:
        Cluster.objects.filter(pk=world.alfa.pk).update(statuses_as_of=None)
        cluster = Cluster.objects.get(pk=world.alfa.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert services.statuses_bring_up_to_date(cluster) == 0  # nothing changes
        return len(ctx.captured_queries)

    few = queries()
    for i in range(27):
        MemberFactory(cluster=world.alfa, key=f"q{i:03d}")
    assert Member.objects.filter(cluster=world.alfa).count() >= 30
    assert queries() == few
