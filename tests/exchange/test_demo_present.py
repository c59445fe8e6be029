"""Issue 9, point 7: the demo lives in the present. Loaded on any day, its history is moved by
whole weeks to that day: a General Assembly behind (closed, with resolutions and the summary
recorded), one ahead (convened, its notice sent, proxies coming in), the Board meeting just ahead,
an extraordinary GA sitting right then with a vote open that the `czlonek` persona casts on its
page, nothing recorded after the moment itself."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from klaster.core.models import AuditLog, Cluster
from klaster.exchange.demo.clock import ANCHOR, demo_shift
from klaster.governance.models import Ballot, Meeting, Proxy, Resolution, Vote
from klaster.members.models import Member

pytestmark = pytest.mark.django_db


def test_shift_is_whole_weeks_and_never_backwards():
    assert demo_shift(ANCHOR) == dt.timedelta(0)
    assert demo_shift(ANCHOR - dt.timedelta(days=400)) == dt.timedelta(0)
    assert demo_shift(ANCHOR + dt.timedelta(days=7)) == dt.timedelta(0)
    assert demo_shift(ANCHOR + dt.timedelta(days=8)) == dt.timedelta(weeks=1)
    for today in (dt.date(2027, 5, 3), dt.date(2027, 5, 4), dt.date(2026, 12, 4)):
        shift = demo_shift(today)
        assert shift.days % 7 == 0 and 1 <= (today - ANCHOR - shift).days <= 7


# a Friday; a day whole weeks after D (the moved D must still be before it); a leap day
@pytest.mark.parametrize(
    "today", [dt.date(2026, 12, 4), dt.date(2026, 12, 29), dt.date(2028, 2, 29)]
)
def test_demo_on_a_day_has_a_ga_behind_one_ahead_and_a_vote_open(today, client):
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 9, 0, tzinfo=dt.UTC)):
        assert timezone.localdate() == today
        call_command("demo", stdout=io.StringIO())
        cluster = Cluster.objects.get(slug="demo")
        gas = Meeting.objects.filter(cluster=cluster, organ__kind="ga").exclude(date=today)
        behind = gas.get(date__lt=today)
        ahead = gas.get(date__gt=today)

        # behind: held and closed within the last half year, resolutions adopted, summary sent
        assert behind.status == "closed" and (today - behind.date).days < 183
        assert Resolution.objects.filter(meeting=behind, passed=True).exists()
        assert behind.summary_sent_at is not None
        # ahead: convened within the next quarter, notice already sent, proxies already in
        assert behind.date < ahead.date and (ahead.date - today).days < 92
        assert ahead.status == "convened" and ahead.notice_sent_at is not None
        assert timezone.localtime(ahead.notice_sent_at).date() <= today
        assert Proxy.objects.filter(meeting=ahead, status="accepted").exists()
        # the Board meets in the coming weeks
        board = Meeting.objects.get(cluster=cluster, organ__kind="board")
        assert today < board.date <= today + dt.timedelta(days=21)
        # nothing of the history is recorded after now (the organs: created with the cluster)
        assert not AuditLog.objects.filter(
            cluster=cluster, model__startswith="governance.", at__gt=timezone.now()
        ).exists()

        # a vote open now, at the GA sitting today; the `czlonek` persona casts its member's ballot
        vote = Vote.objects.get(meeting__cluster=cluster, status=Vote.Status.OPEN)
        assert vote.meeting.date == today and vote.meeting.status == "open"
        member = Member.objects.get(representatives__user__username="czlonek")
        assert not Ballot.objects.filter(vote=vote, member=member).exists()
        client.login(username="czlonek", password="klaster-demo")  # noqa: S106 — the demo's password
        url = reverse("meeting_my", kwargs={"slug": "demo", "meeting_id": vote.meeting_id})
        page = client.get(url)
        assert page.status_code == 200 and vote.title in page.content.decode()
        client.post(url, {"vote": str(vote.pk), f"member_{member.pk}": "for"})
        assert Ballot.objects.get(vote=vote, member=member).choice == "for"
