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
    assert notice[0].statute_ref == "000 §8.4"  # the provision, from the statute profile
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


def _evoluma(world):
    """The evoluma statute from 2021: proxies (2 days before) and objections (GOV-4, GOV-5)."""
    from klaster.core.services import statute_profile_set

    statute_profile_set(
        cluster=world.alfa,
        valid_from=dt.date(2021, 1, 1),
        user=world.users["office"],
        preset="evoluma",
    )


def test_office_sees_the_proxy_deadline_gov_4(soon, world, client_for):
    """The infotech statute: a proxy reaches the coordinator by the day its rule says before the
    meeting (GOV-4); the home shows that last day, computed by the rule itself."""
    from klaster.rules.governance.proxies import proxy_last_day

    _evoluma(world)
    soon.statute_version = None  # not convened yet: the version in force decides
    soon.date = timezone.localdate() + dt.timedelta(days=5)
    soon.save()
    items = home(client_for, "office").context["agenda"]
    proxies = [i for i in items if i.code == "proxy_deadline"]
    expected = proxy_last_day(meeting_statute(soon).profile, "ga", soon.date)
    assert [i.due for i in proxies] == [expected]
    assert proxies[0].rule_id == "GOV-4"


def test_objection_window_closing_gov_5(soon, world, client_for):
    from klaster.rules.governance import objection_window

    _evoluma(world)
    soon.statute_version = None  # not convened yet: the version in force decides
    soon.date = timezone.localdate() - dt.timedelta(days=2)
    soon.status = "closed"
    soon.summary_sent_at = timezone.now() - dt.timedelta(days=1)
    soon.save()
    r = home(client_for, "office")
    window = objection_window(meeting_statute(soon).profile, soon.summary_sent_at)
    closing = [i for i in r.context["agenda"] if i.code == "objection_window"]
    assert [i.due for i in closing] == [window.last_day]
    assert "Upływa termin zastrzeżeń" in r.content.decode()
    # an organ member is not asked to watch objections
    assert [
        i for i in home(client_for, "chair").context["agenda"] if i.code == "objection_window"
    ] == []


def test_representative_is_asked_to_cast_its_ballot_gov_1(world, client_for):
    """An open vote in which the representative's member is present and has not voted: the home
    asks for the ballot and links to the member's voting page; once cast, the item is gone."""
    from tests.factories import BallotFactory, VoteFactory, VoteRightFactory

    m = MeetingFactory(cluster=world.alfa, title="Walne teraz", date=timezone.localdate())
    vote = VoteFactory(meeting=m, title="Budżet", status="open")
    VoteRightFactory(vote=vote, member=world.member_a)
    VoteRightFactory(vote=vote, member=world.member_b)  # someone else's member
    r = home(client_for, "member")
    ballots = [i for i in r.context["agenda"] if i.code == "ballot"]
    assert [(i.params["member"], i.params["title"]) for i in ballots] == [
        (world.member_a.name, "Budżet")
    ]
    assert reverse("meeting_my", args=["alfa", m.pk]) in r.content.decode()
    BallotFactory(vote=vote, member=world.member_a)
    again = home(client_for, "member").context["agenda"]
    assert [i for i in again if i.code == "ballot"] == []


def test_office_sees_recent_changes_in_words(world, client_for):
    """The office's home ends with the last changes in the change log's own sentences (field by
    its label, old → new); nobody else sees them there."""
    from django.db import transaction

    from klaster.core.audit import audit_record

    with transaction.atomic():
        audit_record(
            cluster=world.alfa,
            user=world.users["office"],
            action="update",
            instance=world.member_a,
            object_repr=world.member_a.name,
            changes={"postal_code": ["90-001", "90-002"]},
        )
    body = home(client_for, "office").content.decode()
    assert "Ostatnie zmiany" in body and world.member_a.name in body
    assert "90-001" in body and "90-002" in body and "postal_code" not in body
    for persona in ("chair", "member"):
        assert home(client_for, persona).context["recent"] == []


def test_office_is_reminded_of_the_boards_monthly_meeting_gov_9(world, client_for, monkeypatch):
    """GOV-9 (000 §11.3, evoluma: at least once a month): while the month has no Board meeting
    held or planned, the office is reminded by the month's last day, with a link that opens the
    convening form for the Board; one planned meeting in the month ends the reminder. The home
    is read three days before the month's end (inside the two weeks it looks ahead)."""
    from klaster.governance.services import organs_ensure
    from klaster.rules.agenda import month_end

    _evoluma(world)
    today = month_end(timezone.localdate()) - dt.timedelta(days=3)
    monkeypatch.setattr("klaster.office.views_home.timezone.localdate", lambda: today)
    r = home(client_for, "office")
    board = [i for i in r.context["agenda"] if i.code == "board_meeting"]
    assert [(i.due, i.rule_id) for i in board] == [(month_end(today), "GOV-9")]
    assert "Zarząd nie zebrał się jeszcze w tym miesiącu" in r.content.decode()
    form = client_for("office").get(board[0].link)
    assert form.context["form"].initial["organ"] == "board"
    # nobody else is reminded
    assert [
        i for i in home(client_for, "chair").context["agenda"] if i.code == "board_meeting"
    ] == []
    organs = organs_ensure(cluster=world.alfa)
    MeetingFactory(
        cluster=world.alfa, organ=organs["board"], title="Zarząd", date=today + dt.timedelta(days=1)
    )
    again = home(client_for, "office").context["agenda"]
    assert [i for i in again if i.code == "board_meeting"] == []


def test_organ_member_sees_the_matters_to_prepare(world, client_for):
    """An organ member's meeting ahead with matters to decide on its agenda reads as "prepare N
    matters"; declarations and presentations are not matters to vote on."""
    from tests.factories import AgendaItemFactory

    m = MeetingFactory(
        cluster=world.alfa, title="Rada grudniowa", date=timezone.localdate() + dt.timedelta(days=4)
    )
    for title in ("Budżet", "Plan"):
        AgendaItemFactory(meeting=m, title=title)
    AgendaItemFactory(meeting=m, title="Oświadczenie", kind="declaration")
    r = home(client_for, "chair")
    prepare = [i for i in r.context["agenda"] if i.code == "votes_prepare"]
    assert [(i.params["title"], i.params["matters"]) for i in prepare] == [("Rada grudniowa", 2)]
    assert "Przygotuj 2 sprawy do rozstrzygnięcia" in r.content.decode()
    # the office sees the meeting itself (and its duties), not a member's preparation
    assert [
        i for i in home(client_for, "office").context["agenda"] if i.code == "votes_prepare"
    ] == []


def test_office_sees_a_draft_kkk_application_with_problems_due_soon_kkk_2(world, client_for):
    """KKK-2: a draft whose submission date falls within two weeks and which the application check
    still finds problems in is a to-do for the office, linked to the application; one due later
    is not (yet)."""
    from klaster.kkk.selectors import application_check
    from tests.factories import ApplicationFactory

    today = timezone.localdate()
    soon = ApplicationFactory(cluster=world.alfa, as_of=today + dt.timedelta(days=6))
    ApplicationFactory(cluster=world.alfa, as_of=today + dt.timedelta(days=40))
    ApplicationFactory(cluster=world.beta, as_of=today + dt.timedelta(days=3))
    _, problems = application_check(soon)
    assert problems  # an empty draft has gaps
    r = home(client_for, "office")
    gaps = [i for i in r.context["agenda"] if i.code == "kkk_gap"]
    assert [(i.due, i.params["problems"]) for i in gaps] == [(soon.as_of, len(problems))]
    assert gaps[0].link == reverse("kkk_application_detail", args=["alfa", soon.pk])
    assert [i for i in home(client_for, "member").context["agenda"] if i.code == "kkk_gap"] == []


def test_recent_documents_minutes_and_resolutions(world, client_for):
    """The representative's home lists the minutes of the meetings it may see that closed in the
    last 30 days, with the count of resolutions adopted; another cluster's are not shown."""
    today = timezone.localdate()
    m = MeetingFactory(
        cluster=world.alfa,
        title="Walne listopadowe",
        date=today - dt.timedelta(days=3),
        status="closed",
    )
    MeetingFactory(
        cluster=world.alfa, title="Dawne", date=today - dt.timedelta(days=60), status="closed"
    )
    MeetingFactory(
        cluster=world.beta, title="Obce", date=today - dt.timedelta(days=2), status="closed"
    )
    r = home(client_for, "member")
    docs = r.context["documents"]
    assert [d["meeting"].title for d in docs] == ["Walne listopadowe"]
    assert reverse("minutes_pdf", args=["alfa", m.pk]) in r.content.decode()
    assert "Obce" not in r.content.decode()
    assert home(client_for, "forum").context["documents"] == []
