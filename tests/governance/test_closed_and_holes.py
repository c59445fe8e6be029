"""Issue 7, governance: a closed meeting takes no new proxies (GOV-4); no minutes of a meeting that
never sat (GOV-14); the member's voting page of another organ's meeting, the open redirect of the
chair's controls and the 500 of the contacts page under `infotech` (GOV-15)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.governance import services
from klaster.governance.models import Proxy
from tests.governance.conftest import at, build_gov, check_in

pytestmark = pytest.mark.django_db


def _closed_ga(gov):
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    services.meeting_close(meeting=gov.ga, user=gov.office)


# --- GOV-4: a closed meeting takes no new proxies ---


def test_gov_4_closed_meeting_refuses_new_proxies_clearly(gov):
    _closed_ga(gov)
    with pytest.raises(
        ValidationError, match="jest zamknięte: nie przyjmuje się już pełnomocnictw"
    ):
        services.proxy_grant(
            meeting=gov.ga,
            user=gov.office,
            giver=gov.member(9),
            holder_name="Jan Nowak",
            received_at=at(20),
        )
    with pytest.raises(ValidationError, match="nie przyjmuje się już pełnomocnictw"):
        services.proxies_import_csv(
            meeting=gov.ga,
            user=gov.office,
            content=f"giver,holder,received_at\n{gov.member(9).key},Jan Nowak,2025-06-20 10:00\n",
        )
    assert not Proxy.objects.filter(meeting=gov.ga).exists()


def test_gov_4_closed_meeting_page_offers_no_proxy_form(gov, client_for):
    url = reverse("meeting_detail", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    open_page = client_for("office").get(url).content.decode()
    assert 'name="px-giver"' in open_page and 'name="csv-file"' in open_page
    _closed_ga(gov)
    page = client_for("office").get(url).content.decode()
    assert 'name="px-giver"' not in page and 'name="csv-file"' not in page
    response = client_for("office").post(
        reverse("proxy_add", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk}),
        {
            "px-giver": gov.member(9).pk,
            "px-holder_name": "Jan Nowak",
            "px-received_at": "2025-06-20T10:00",
        },
        follow=True,
    )
    assert not Proxy.objects.filter(meeting=gov.ga).exists()
    assert "nie przyjmuje się już pełnomocnictw" in response.content.decode()


# --- GOV-14: no minutes of a meeting that never sat ---


def test_gov_14_no_minutes_for_a_meeting_that_never_sat(gov, client_for):
    url = reverse("minutes_pdf", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    response = client_for("office").get(url)
    assert response.status_code == 302 and not response.content.startswith(b"%PDF")
    followed = client_for("office").get(url, follow=True).content.decode()
    assert "nie zostało otwarte" in followed and "protokołu" in followed
    with pytest.raises(ValidationError, match="nie zostało otwarte"):
        services.minutes_pdf(meeting=gov.ga)
    detail = client_for("office").get(
        reverse("meeting_detail", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    )
    assert url not in detail.content.decode()
    # closed without ever sitting: still nothing to record
    services.meeting_close(meeting=gov.council, user=gov.office)
    with pytest.raises(ValidationError, match="nie zostało otwarte"):
        services.minutes_pdf(meeting=gov.council)
    with pytest.raises(ValidationError, match="nie zostało otwarte"):
        services.summary_send(meeting=gov.council, user=gov.office)
    # once it sat, the minutes are there
    services.meeting_open(meeting=gov.ga, user=gov.office)
    assert client_for("office").get(url).content.startswith(b"%PDF")


# --- the member's voting page of a meeting of an organ its member does not sit in ---


def _board_meeting(gov):
    board = gov.organs["board"]
    for m in gov.members[3:8]:  # member A (the `member` persona) and member B have no Board seat
        services.seat_add(
            organ=board, user=gov.office, person=gov.persons[m.pk], starts=dt.date(2024, 1, 1)
        )
    meeting = services.meeting_convene(
        organ=board,
        user=gov.office,
        title="Zarząd czerwiec",
        starts_at=at(30, 16),
        notice_sent_at=at(1),
    )
    check_in(gov, gov.members[3:8], meeting=meeting, when=at(30, 15, 55))
    services.meeting_open(meeting=meeting, user=gov.office)
    services.vote_open(meeting=meeting, user=gov.office, title="Tajna sprawa Zarządu")
    return meeting


def test_board_meeting_ballot_page_refused_to_a_representative_not_on_the_board(gov, client_for):
    meeting = _board_meeting(gov)
    kwargs = {"slug": "alfa", "meeting_id": meeting.pk}
    for name in ("meeting_my", "meeting_my_json"):
        response = client_for("member").get(reverse(name, kwargs=kwargs))
        assert response.status_code == 403, name
        assert "Tajna sprawa Zarządu" not in response.content.decode()
    # the same rule as the meeting itself: not visible to them either
    assert client_for("member").get(reverse("meeting_detail", kwargs=kwargs)).status_code == 403
    # nor is the ballot API of its vote (refused before the ballot, as the page is)
    vote = meeting.votes.get()
    api = reverse("api_ballot_cast", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})
    r = client_for("member").post(
        api, {"choices": {str(gov.world.member_a.pk): "for"}}, content_type="application/json"
    )
    assert r.status_code == 403 and "Tajna" not in r.content.decode()
    # a representative of a member with a Board seat sees it
    from tests.factories import ProxyFactory, UserFactory, grant

    seated = UserFactory(username="zarzad")
    grant(seated, gov.world.alfa, "representative", gov.member(3))
    c = client_for("member")
    c.force_login(seated)
    assert (
        c.get(reverse("meeting_my_json", kwargs=kwargs)).json()["vote"]["title"]
        == "Tajna sprawa Zarządu"
    )
    # the General Assembly's page stays open to every member's representative
    assert (
        client_for("member")
        .get(reverse("meeting_my", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk}))
        .status_code
        == 200
    )
    # and the holder of a proxy for the Board meeting (the `proxy` persona: member B, no Board seat)
    ProxyFactory(
        meeting=meeting,
        giver=gov.member(7),
        holder_name="Pełnomocnik",
        holder_user=gov.world.users["proxy"],
        received_at=at(20),
        status=Proxy.Status.ACCEPTED,
    )
    assert client_for("proxy").get(reverse("meeting_my", kwargs=kwargs)).status_code == 200


# --- meeting_control: no open redirect ---


def test_meeting_control_never_redirects_off_site(gov, client_for):
    url = reverse("meeting_control", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    live = reverse("meeting_live", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    office = client_for("office")
    office.raise_request_exception = False
    for target in (
        "https://evil.example/phish",
        "//evil.example/",
        "http://testserver.evil/x",
        "javascript:alert(1)",
    ):
        response = office.post(url, {"action": "agenda", "title": "Wolne wnioski", "next": target})
        assert (response.status_code, response["Location"]) == (302, live), target
    # a page of this site is kept
    back = reverse("meeting_detail", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    response = office.post(url, {"action": "agenda", "title": "Wolne wnioski", "next": back})
    assert response.status_code == 302 and response["Location"] == back


# --- GOV-15 under infotech: a page, not a 500 ---


def test_gov_15_contacts_page_under_infotech_says_the_statute_has_no_such_duty(
    world, frozen, client_for
):
    build_gov(world, preset="infotech")
    response = client_for("office").get(reverse("contacts", kwargs={"slug": "alfa"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "nie przewiduje obowiązku corocznych spotkań" in body


def test_every_governance_page_answers_under_infotech(world, frozen, client_for):
    """Sweep: no governance page of an `infotech` cluster ends in a 500."""
    gov = build_gov(world, preset="infotech")
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    s = {"slug": "alfa"}
    m = {**s, "meeting_id": gov.ga.pk}
    office = client_for("office")
    office.raise_request_exception = False
    for name, kwargs in [
        ("governance_home", s),
        ("attendance_duties", s),
        ("declarations", s),
        ("extraordinary_requests", s),
        ("mediation_list", s),
        ("contacts", s),
        ("admission_list", s),
        ("resolution_list", s),
        ("meeting_list", s),
        ("meeting_detail", m),
        ("meeting_live", m),
        ("meeting_live_json", m),
        ("minutes_pdf", m),
    ]:
        assert office.get(reverse(name, kwargs=kwargs)).status_code == 200, name


def test_gov_6_closing_a_meeting_that_never_sat_records_no_absences(world):
    """GOV-6: attendance duties count sessions held; a meeting closed without ever being opened
    (called off) writes no attendance rows, and closing it twice is refused."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from klaster.governance.models import Attendance
    from klaster.governance.services import meeting_close
    from klaster.rules.calendar import WARSAW
    from tests.factories import MeetingFactory
    from tests.governance.matrix import meeting

    meeting(world)  # statute version and organs
    starts = dt.datetime(2025, 9, 30, 10, 0, tzinfo=WARSAW)
    called_off = MeetingFactory(
        cluster=world.alfa,
        organ__kind="ga",
        title="WZ odwołane",
        date=starts.date(),
        starts_at=starts,
        status="convened",
    )
    meeting_close(meeting=called_off, user=world.users["office"])
    called_off.refresh_from_db()
    assert called_off.status == "closed"
    assert not Attendance.objects.filter(meeting=called_off).exists()
    with pytest.raises(ValidationError):
        meeting_close(meeting=called_off, user=world.users["office"])
