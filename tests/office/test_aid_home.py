"""The office's de minimis duties for its home (issue 11 point 7): SHRIMP reports due or overdue
(AID-8), the SHRIMP-access reminder, overdue usage reports (AID-7) and applications waiting for
a result (AID-5), each with its link; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import factory
import pytest

from klaster.aid.models import Duty, Grant
from klaster.office.selectors import _aid
from klaster.rules import agenda
from tests.aid.test_shrimp import ContractFactory
from tests.factories import (
    AidApplicationFactory,
    AidSettingsFactory,
    ClusterFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 12, 10)


class DutyFactory(factory.django.DjangoModelFactory):
    """A participant's duty under a contract (AID-7)."""

    class Meta:
        model = Duty


def contract(cluster, day):
    return ContractFactory(application__member=MemberFactory(cluster=cluster), signed_on=day)


def codes(facts):
    return sorted(f.code for f in facts)


def test_aid_8_shrimp_reports_due_and_overdue_with_links():
    cluster = ClusterFactory(slug="alfa")
    AidSettingsFactory(cluster=cluster, shrimp_access_since=D(2026, 1, 1))
    late = contract(cluster, D(2026, 12, 1))  # due 08.12: overdue on the 10th
    fresh = contract(cluster, D(2026, 12, 9))  # due 16.12
    done = contract(cluster, D(2026, 12, 2))
    Grant.objects.filter(pk=done.grant.pk).update(reported_on=D(2026, 12, 3))
    facts = [f for f in _aid(cluster, TODAY) if f.code == agenda.SHRIMP_REPORT]
    assert [(f.due, f.link.rstrip("/").rsplit("/", 1)[1]) for f in facts] == [
        (D(2026, 12, 8), str(late.grant.pk)),
        (D(2026, 12, 16), str(fresh.grant.pk)),
    ]
    items = agenda.agenda(facts, TODAY, horizon_days=14)
    assert [i.severity for i in items] == [agenda.OVERDUE, agenda.LATER]


@pytest.mark.parametrize(("since", "shown"), [(None, True), (D(2026, 11, 1), False)])
def test_aid_8_shrimp_access_reminder(since, shown):
    cluster = ClusterFactory(slug="alfa")
    AidSettingsFactory(cluster=cluster, shrimp_access_since=since)
    AidApplicationFactory(member=MemberFactory(cluster=cluster), status="chosen")
    assert (agenda.SHRIMP_ACCESS in codes(_aid(cluster, TODAY))) is shown


def test_aid_7_only_overdue_usage_reports_are_listed():
    cluster = ClusterFactory(slug="alfa")
    AidSettingsFactory(cluster=cluster, shrimp_access_since=D(2026, 1, 1))
    c = contract(cluster, D(2026, 1, 5))
    Grant.objects.filter(pk=c.grant.pk).update(reported_on=D(2026, 1, 6))
    kw = {"cluster": cluster, "contract": c, "kind": "usage_report", "requested_on": D(2026, 11, 1)}
    make = DutyFactory
    make(**kw, due_on=D(2026, 12, 1))  # overdue
    make(**kw, due_on=D(2026, 12, 20))  # not yet
    make(**kw, due_on=D(2026, 11, 30), done_on=D(2026, 11, 29))  # done
    late = [f for f in _aid(cluster, TODAY) if f.code == agenda.USAGE_REPORT]
    assert [f.due for f in late] == [D(2026, 12, 1)]
    assert late[0].params["member"] == c.application.member.name


def test_aid_5_applications_waiting_for_a_result_are_counted():
    cluster = ClusterFactory(slug="alfa")
    m = MemberFactory(cluster=cluster)
    AidApplicationFactory(member=m, status="received")
    AidApplicationFactory(member=m, status="complete")
    AidApplicationFactory(member=m, status="refused")
    (fact,) = [f for f in _aid(cluster, TODAY) if f.code == agenda.AID_RESULT]
    assert fact.params["count"] == 2


def test_aid_8_home_facts_read_a_fixed_number_of_queries(django_assert_max_num_queries):
    cluster = ClusterFactory(slug="alfa")
    for i in range(6):
        contract(cluster, D(2026, 12, 1 + i))
    with django_assert_max_num_queries(6):
        facts = _aid(cluster, TODAY)
    assert codes(facts).count(agenda.SHRIMP_REPORT) == 6


def test_aid_8_the_office_home_says_what_to_report_to_shrimp_in_words(world, client_for):
    """The home page shows the de minimis duties as sentences with their links (the facts above
    reach the page through office_agenda)."""
    import time_machine
    from django.urls import reverse

    AidSettingsFactory(cluster=world.alfa)  # no SHRIMP access date: the reminder too
    c = ContractFactory(application__member=world.member_a, signed_on=D(2026, 12, 8))
    with time_machine.travel(dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)):
        html = client_for("office").get(reverse("cluster_home", args=["alfa"])).content.decode()
    assert "Zgłoś do SHRIMP pomoc de minimis" in html
    assert reverse("aid_shrimp_sheet", args=["alfa", c.grant.pk]) in html
    assert "Wystąp o dostęp do SHRIMP" in html
