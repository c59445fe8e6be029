"""Events (PLT-2): an invitation queued to each member's notification addresses with the event's
.ics attached (members reading in the portal find it there), answers (RSVP) by a member's
representative until the deadline and within the places, attendance recorded afterwards."""

from __future__ import annotations

import datetime as dt
import email
import email.policy

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from klaster.comms import services as comms
from klaster.core.models import OutboxMessage
from klaster.events import services
from klaster.events.models import Attendance, Rsvp
from klaster.rules.calendar import WARSAW
from tests.events.factories import EventFactory
from tests.factories import NotificationEmailFactory

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=WARSAW)
START = dt.datetime(2026, 12, 16, 10, 0, tzinfo=WARSAW)

pytestmark = pytest.mark.usefixtures("_frozen")


@pytest.fixture
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def event(world):
    NotificationEmailFactory(member=world.member_a, email="a1@example.org")
    NotificationEmailFactory(member=world.member_a, email="a2@example.org")
    NotificationEmailFactory(member=world.member_b, email="b1@example.org")
    return EventFactory(
        cluster=world.alfa,
        title="Warsztaty B+R",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=4),
        capacity=3,
        rsvp_until=dt.date(2026, 12, 14),
    )


def test_plt_2_invitation_goes_to_each_member_with_the_ics(world, event):
    comms.portal_reading_set(member=world.member_b, user=world.users["proxy"], portal_only=True)
    services.event_invite(event=event, user=world.users["office"], url="https://k.example/e/1/")
    [row] = OutboxMessage.objects.filter(source=event.source)
    assert (row.kind, row.to) == ("event", ["a1@example.org", "a2@example.org"])
    mime = email.message_from_bytes(bytes(row.raw), policy=email.policy.default)
    assert "16.12.2026, 10:00" in mime.get_body(preferencelist=("plain",)).get_content()
    [ics] = list(mime.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    [vevent] = Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")
    assert vevent["SUMMARY"] == "Warsztaty B+R"
    assert vevent.decoded("DTSTART") == START
    assert "Łódź" in vevent["LOCATION"]
    with pytest.raises(Exception, match="już wysłane|sent already"):
        services.event_invite(event=event, user=world.users["office"], url="x")
    assert OutboxMessage.objects.count() == 1


def test_plt_2_representative_answers_for_its_member_within_places_and_deadline(
    world, event, client_for
):
    event.invited_at = NOW
    event.save()
    member = client_for("member")
    url = reverse("event_rsvp", args=["alfa", event.pk, world.member_a.pk])
    p = f"m{world.member_a.pk}-"
    assert member.post(url, {p + "answer": "yes", p + "people": "2"}).status_code == 302
    services.rsvp_answer(
        event=event, member=world.member_b, user=world.users["proxy"], answer="yes", people=1
    )
    # the places are full: B wants one more → refused, its answer unchanged
    with pytest.raises(Exception, match="1"):
        services.rsvp_answer(
            event=event, member=world.member_b, user=world.users["proxy"], answer="yes", people=2
        )
    assert Rsvp.objects.get(member=world.member_b).people == 1
    # member A changes its mind
    member.post(url, {p + "answer": "no", p + "people": "1"})
    assert Rsvp.objects.get(member=world.member_a).answer == "no"
    # another member's answer is not hers to give
    other = reverse("event_rsvp", args=["alfa", event.pk, world.member_b.pk])
    assert member.post(other, {f"m{world.member_b.pk}-answer": "no"}).status_code == 404
    assert Rsvp.objects.get(member=world.member_b).answer == "yes"
    page = client_for("office").get(reverse("event", args=["alfa", event.pk])).content.decode()
    assert world.member_a.name in page and world.member_b.name in page
    with time_machine.travel(dt.datetime(2026, 12, 15, 9, 0, tzinfo=WARSAW), tick=False):
        with pytest.raises(Exception, match="14.12.2026"):
            services.rsvp_answer(
                event=event, member=world.member_a, user=world.users["member"], answer="yes"
            )


def test_plt_2_attendance_is_recorded_after_the_start(world, event, client_for):
    with pytest.raises(Exception, match="started|rozpocz"):
        services.attendance_record(event=event, user=world.users["office"], members=[])
    office = client_for("office")
    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        url = reverse("event_attendance", args=["alfa", event.pk])
        resp = office.post(url, {"came": [world.member_a.pk, world.member_beta.pk]})
        assert resp.status_code == 302
    # another cluster's member id is ignored: only alfa's member is recorded
    assert list(Attendance.objects.values_list("member_id", flat=True)) == [world.member_a.pk]


def test_plt_2_members_see_announced_events_and_download_the_ics(world, event, client_for):
    member = client_for("member")
    assert event.title not in member.get(reverse("events", args=["alfa"])).content.decode()
    assert member.get(reverse("event", args=["alfa", event.pk])).status_code == 404
    event.invited_at = NOW
    event.save()
    assert event.title in member.get(reverse("events", args=["alfa"])).content.decode()
    ics = member.get(reverse("event_ics", args=["alfa", event.pk]))
    assert ics["Content-Type"] == "text/calendar"
    assert b"Warsztaty B+R" in ics.content
    assert (
        client_for("outsider").get(reverse("event_ics", args=["alfa", event.pk])).status_code == 404
    )
