"""Issue 9 point 1: the home says what to do now, per role. GOV-7: the office sees the last day
to send a meeting's notice; members see the meetings ahead they may see; the forum an
explanation. The home writes nothing and its query count does not grow with the meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klaster.governance.selectors import meeting_statute
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def home(client_for, persona):
    return client_for(persona).get(reverse("cluster_home", args=["alfa"]))


@pytest.fixture
def soon(world):
    """A General Assembly in 22 days whose notice is not sent: the office must send it by
    tomorrow when the statute says 21 days (GOV-7, 000 §8.4)."""
    from klaster.core.services import statute_profile_set

    statute_profile_set(
        cluster=world.alfa,
        valid_from=dt.date(2020, 1, 1),
        user=world.users["office"],
        preset="infotech",
    )
    today = timezone.localdate()
    m = MeetingFactory(cluster=world.alfa, title="Walne roczne", date=today + dt.timedelta(days=22))
    return m


def test_office_sees_notice_to_send_gov_7(soon, client_for):
    r = home(client_for, "office")
    assert r.status_code == 200
    items = r.context["agenda"]
    days = meeting_statute(soon).profile.organ("ga").notice_days
    notice = [i for i in items if i.code == "notice_send"]
    assert days == 21  # 000 §8.4
    assert [i.due for i in notice] == [timezone.localdate() + dt.timedelta(days=1)]
    assert notice[0].severity == "soon"
    assert reverse("meeting_detail", args=["alfa", soon.pk]) in r.content.decode()
    assert "Walne roczne" in r.content.decode()


def test_sent_notice_is_not_a_todo(soon, client_for):
    soon.notice_sent_at = timezone.now()
    soon.save()
    items = home(client_for, "office").context["agenda"]
    assert [i.code for i in items if i.code == "notice_send"] == []


def test_representative_sees_the_general_assembly_but_no_notice_duty(world, client_for):
    today = timezone.localdate()
    MeetingFactory(cluster=world.alfa, title="Walne", date=today + dt.timedelta(days=5))
    items = home(client_for, "member").context["agenda"]
    assert [(i.code, i.params["title"]) for i in items] == [("meeting", "Walne")]


def test_other_clusters_meetings_not_shown(world, client_for):
    MeetingFactory(cluster=world.beta, title="Obce", date=timezone.localdate())
    r = home(client_for, "office")
    assert r.context["agenda"] == []
    assert "Obce" not in r.content.decode()


def test_forum_gets_an_explanation(world, client_for):
    r = home(client_for, "forum")
    assert r.status_code == 200
    assert r.context["agenda"] == []
    assert not r.context["agenda_shown"]


def test_query_count_fixed(world, client_for):
    c = client_for("office")
    url = reverse("cluster_home", args=["alfa"])
    today = timezone.localdate()
    MeetingFactory(cluster=world.alfa, date=today + dt.timedelta(days=3))
    with CaptureQueriesContext(connection) as one:
        c.get(url)
    for k in range(5):
        MeetingFactory(cluster=world.alfa, date=today + dt.timedelta(days=4 + k))
    with CaptureQueriesContext(connection) as six:
        r = c.get(url)
    assert len(r.context["agenda"]) >= 6
    assert len(six) == len(one)
