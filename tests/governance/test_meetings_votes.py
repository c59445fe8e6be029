"""Governance on the Django side: the rules wired to records (GOV-1 … GOV-5, GOV-7, GOV-14)."""

from __future__ import annotations

import datetime as dt
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.core import outbox
from klaster.core.models import OutboxMessage
from klaster.core.say import say
from klaster.governance import services
from klaster.governance.models import (
    AgendaItem,
    Ballot,
    Meeting,
    Proxy,
    Resolution,
    Vote,
)
from klaster.governance.selectors import voting_roll_for
from tests.factories import VotingRestrictionFactory
from tests.governance.conftest import MEETING_AT, at, build_gov, check_in

pytestmark = pytest.mark.django_db


def open_ga(gov, term=1):
    return services.meeting_open(meeting=gov.ga, user=gov.office, term=term)


# --- GOV-1 ---


def test_gov_1_roll_as_of_meeting_day_with_reasons(gov):
    exempt, suspended = gov.member(3), gov.member(4)
    VotingRestrictionFactory(member=exempt, kind="dues_exempt", starts=dt.date(2025, 1, 1))
    services.voting_restriction_add(
        member=gov.member(5), user=gov.office, kind="vote_withdrawn", starts=dt.date(2025, 7, 1)
    )  # after the meeting: still votes
    from klaster.members.services import member_event_add

    member_event_add(member=suspended, user=gov.office, kind="suspended", date=dt.date(2025, 5, 1))
    roll = voting_roll_for(gov.ga)
    rights = {int(r.member_id): r for r in roll.rights}
    assert roll.entitled == 8
    assert not rights[exempt.pk].may_vote and rights[exempt.pk].may_attend
    assert "Zwolniony ze składek" in say(rights[exempt.pk].message)
    assert not rights[suspended.pk].may_attend and "zawieszone" in say(rights[suspended.pk].message)
    assert rights[gov.member(5).pk].may_vote
    # the exempted member may attend and speak, the suspended one may not even check in
    services.attendance_check_in(meeting=gov.ga, member=exempt, user=gov.office, at=at(30, 9))
    with pytest.raises(ValidationError, match="zawieszone"):
        services.attendance_check_in(
            meeting=gov.ga, member=suspended, user=gov.office, at=at(30, 9)
        )


def test_gov_1_one_entity_one_ballot_member_and_caster_recorded(gov, client_for):
    check_in(gov, gov.members[:6])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Plan działań")
    member_user, proxy_user = gov.world.users["member"], gov.world.users["proxy"]
    [ballot] = services.ballot_cast(
        vote=vote, user=member_user, choices={gov.world.member_a.pk: "for"}
    )
    assert (ballot.member_id, ballot.cast_by_id, ballot.via) == (
        gov.world.member_a.pk,
        member_user.pk,
        "own",
    )
    with pytest.raises(ValidationError, match="już głosował"):
        services.ballot_cast(
            vote=vote, user=member_user, choices={gov.world.member_a.pk: "against"}
        )
    with pytest.raises(ValidationError, match="nie możesz oddać"):
        services.ballot_cast(vote=vote, user=proxy_user, choices={gov.world.member_a.pk: "against"})
    # through the API, as a member's page does
    c = client_for("proxy")
    url = reverse("api_ballot_cast", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})
    r = c.post(
        url, {"choices": {str(gov.world.member_b.pk): "against"}}, content_type="application/json"
    )
    assert r.status_code == 201, r.content
    r = c.post(
        url, {"choices": {str(gov.world.member_b.pk): "for"}}, content_type="application/json"
    )
    assert r.status_code == 400 and "już głosował" in r.content.decode()
    assert Ballot.objects.filter(vote=vote).count() == 2


# --- GOV-2 ---


def test_gov_2_vote_opens_only_with_quorum_and_keeps_snapshot(gov):
    check_in(gov, gov.members[:4])
    open_ga(gov)
    with pytest.raises(
        ValidationError, match="Brak kworum Walnego Zgromadzenia: obecnych .* 4 z 10"
    ):
        services.vote_open(meeting=gov.ga, user=gov.office, title="Sprawozdanie")
    assert not Vote.objects.exists()
    check_in(gov, [gov.member(4)], mode="online")
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Sprawozdanie")
    assert (vote.entitled, vote.present_in_person, vote.present_online, vote.quorum_required) == (
        10,
        4,
        1,
        5,
    )
    assert set(vote.snapshot["present"]) == {str(m.pk) for m in gov.members[:5]}
    assert len(vote.snapshot["rights"]) == 10 and vote.snapshot["quorum"]["met"]
    # a later check-out does not change what the vote was opened with
    services.attendance_check_out(
        meeting=gov.ga, member=gov.member(4), user=gov.office, at=at(30, 10, 30)
    )
    vote.refresh_from_db()
    assert vote.present_online == 1


def test_gov_2_second_term_sits_without_quorum(gov):
    check_in(gov, gov.members[:2])
    open_ga(gov, term=2)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Drugi termin")
    assert "drugi termin" in vote.quorum_words and "nie jest wymagane" in vote.quorum_words


def test_gov_2_council_needs_three_quarters(gov):
    council = gov.council
    check_in(gov, gov.members[:3], meeting=council)
    services.meeting_open(meeting=council, user=gov.world.users["chair"])
    with pytest.raises(ValidationError, match="75%"):
        services.vote_open(meeting=council, user=gov.office, title="Uchwała Rady")
    check_in(gov, [gov.member(3)], meeting=council)
    assert services.vote_open(meeting=council, user=gov.office, title="Uchwała Rady").entitled == 5
    with pytest.raises(ValidationError, match="przedstawiciela w tym organie"):
        check_in(gov, [gov.member(8)], meeting=council)


# --- GOV-3 ---


def test_gov_3_outcome_with_rule_full_count_and_register_number(gov):
    check_in(gov, gov.members[:6])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Budżet")
    services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={**{m.pk: "for" for m in gov.members[:5]}, gov.member(5).pk: "against"},
    )
    resolution = services.vote_close(vote=vote, user=gov.office)
    vote.refresh_from_db()
    # evoluma: more than half of all entitled — 5 of 10 is not enough (SPEC GOV-3 reading)
    assert resolution.passed is False and vote.passed is False
    assert (
        vote.for_count,
        vote.against_count,
        vote.abstain_count,
        vote.not_voting_count,
        vote.absent_count,
    ) == (5, 1, 0, 0, 4)
    assert "uprawnionych" in resolution.rule_words and "6 z 10" in resolution.reading_words
    assert (resolution.number, resolution.year) == (1, 2025)
    vote2 = services.vote_open(meeting=gov.ga, user=gov.office, title="Plan")
    services.ballot_cast(
        vote=vote2, user=gov.office, chair=True, choices={m.pk: "for" for m in gov.members[:6]}
    )
    r2 = services.vote_close(vote=vote2, user=gov.office)
    assert r2.passed and r2.number == 2
    with pytest.raises(ValidationError, match="zamknięte"):
        services.ballot_cast(
            vote=vote2, user=gov.office, chair=True, choices={gov.member(0).pk: "for"}
        )


def test_gov_3_infotech_simple_majority_of_votes_cast(world, frozen):
    gov = build_gov(world, preset="infotech")
    check_in(gov, gov.members[:6])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Zwykła większość")
    services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={
            gov.member(0).pk: "for",
            gov.member(1).pk: "for",
            gov.member(2).pk: "against",
            gov.member(3).pk: "abstain",
        },
    )
    resolution = services.vote_close(vote=vote, user=gov.office)
    assert resolution.passed and "zwykła większość" in resolution.rule_words


def test_gov_3_results_csv(gov, client_for):
    check_in(gov, gov.members[:6])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="CSV")
    services.ballot_cast(
        vote=vote, user=gov.office, chair=True, choices={m.pk: "for" for m in gov.members[:6]}
    )
    services.vote_close(vote=vote, user=gov.office)
    body = client_for("office").get(
        reverse("vote_results_csv", kwargs={"slug": "alfa", "vote_id": vote.pk})
    )
    text = body.content.decode()
    assert (
        body.status_code == 200
        and text.count("\n") >= 9
        and gov.world.member_a.name in text
        and ",tak," in text
    )


# --- GOV-4 ---


def test_gov_4_late_proxy_refused_with_reason(gov):
    late = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(6),
        holder_name="Jan Nowak",
        received_at=at(29, 0, 0),
    )
    assert late.status == Proxy.Status.REFUSED and late.code == "late"
    assert "28.06.2025" in late.reason_words
    ok = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(6),
        holder_name="Jan Nowak",
        received_at=at(28, 23, 59),
    )
    assert ok.status == Proxy.Status.ACCEPTED


def test_gov_4_cap_checked_when_granted(gov):
    # GA of 10: 10% is 1 vote, the lower of (1, 12) — one person casts at most one vote.
    check_in(gov, [gov.world.member_b])
    refused = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(6),
        holder_name="",
        holder_user=gov.world.users["proxy"],
        received_at=at(20),
    )
    assert refused.status == Proxy.Status.REFUSED and refused.code == "over_cap"
    assert "limit 1" in refused.reason_words and "10%" in refused.reason_words
    first = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(7),
        holder_name="Anna Wolna",
        received_at=at(20),
    )
    second = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(8),
        holder_name="anna  WOLNA",
        received_at=at(21),
    )
    assert first.status == Proxy.Status.ACCEPTED and second.code == "over_cap"


def test_gov_4_cap_rechecked_when_vote_opens_and_lapse(world, frozen):
    gov = build_gov(world, extra=17)  # 20 members: cap 2 (10% of 20)
    proxy_user = gov.world.users["proxy"]
    accepted = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(6),
        holder_name="",
        holder_user=proxy_user,
        received_at=at(20),
    )
    second = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(7),
        holder_name="",
        holder_user=proxy_user,
        received_at=at(21),
    )
    assert (
        accepted.status == second.status == Proxy.Status.ACCEPTED
    )  # the holder's own member is absent
    # the giver of the second attends: its proxy lapses (001 dec. 11)
    check_in(gov, [gov.member(7)], mode="online")
    second.refresh_from_db()
    assert second.status == Proxy.Status.LAPSED and "wygasło" in second.reason_words
    third = services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(8),
        holder_name="",
        holder_user=proxy_user,
        received_at=at(22),
    )
    assert third.status == Proxy.Status.ACCEPTED
    # now the holder's own member checks in: own vote + 2 proxies = 3 > 2 at the vote's opening
    check_in(gov, [gov.world.member_b, *gov.members[9:16]])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Kontrola limitu")
    represented = vote.snapshot["represented"]
    assert str(gov.member(6).pk) in represented and str(gov.member(8).pk) not in represented
    [refusal] = vote.snapshot["proxies_refused"]
    assert refusal["code"] == "over_cap" and refusal["giver"] == gov.member(8).pk
    with pytest.raises(ValidationError, match="nie był obecny ani reprezentowany"):
        services.ballot_cast(vote=vote, user=proxy_user, choices={gov.member(8).pk: "for"})
    ballots = services.ballot_cast(
        vote=vote, user=proxy_user, choices={gov.member(6).pk: "for", gov.world.member_b.pk: "for"}
    )
    assert {b.via for b in ballots} == {"proxy", "own"}


def test_gov_4_csv_import_every_refusal_says_why(gov):
    csv_text = (
        "giver;holder;received_at\n"
        f"{gov.member(6).key};Jan Nowak;2025-06-20 12:00\n"
        f"{gov.member(7).key};Ewa Lis;2025-06-29 08:00\n"
        "nieznany;Ewa Lis;2025-06-20 12:00\n"
        f"{gov.member(8).key};Jan Nowak;2025-06-21 12:00\n"
    )
    rows = services.proxies_import_csv(meeting=gov.ga, user=gov.office, content=csv_text)
    by_giver = {r.giver: r for r in rows}
    assert by_giver[gov.member(6).key].error == ""
    assert "po terminie" in by_giver[gov.member(7).key].error
    assert "Nie znaleziono" in by_giver["nieznany"].error
    assert "limit" in by_giver[gov.member(8).key].error
    assert Proxy.objects.filter(meeting=gov.ga, status="accepted").count() == 1


# --- GOV-5 ---


def _closed_second_term_vote(gov):
    check_in(gov, gov.members[:3])
    open_ga(gov, term=2)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Zmiana składki")
    services.ballot_cast(
        vote=vote, user=gov.office, chair=True, choices={m.pk: "for" for m in gov.members[:3]}
    )
    services.vote_close(vote=vote, user=gov.office)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    Meeting.objects.filter(pk=gov.ga.pk).update(
        summary_sent_at=at(13, 12)
    )  # Friday before Corpus Christi? no
    vote.refresh_from_db()
    return vote


def test_gov_5_objections_window_and_return_to_next_agenda(gov):
    vote = _closed_second_term_vote(gov)
    # sent Fri 13.06.2025: business days 16, 17, 18, (19 Corpus Christi skipped), 20, 23 → closes end of 23.06
    late = services.objection_file(
        vote=vote, member=gov.member(3), user=gov.office, received_at=at(24, 0, 1)
    )
    assert not late.valid and "po terminie" in late.reason_words
    present = services.objection_file(
        vote=vote, member=gov.member(0), user=gov.office, received_at=at(16)
    )
    assert not present.valid and "uczestniczył" in present.reason_words
    for m in gov.members[3:8]:
        services.objection_file(vote=vote, member=m, user=gov.office, received_at=at(23, 23, 0))
    assert not AgendaItem.objects.filter(kind="returned").exists()  # 5 of 10 is not more than half
    services.objection_file(
        vote=vote, member=gov.member(8), user=gov.office, received_at=at(23, 23, 30)
    )
    item = AgendaItem.objects.get(kind="returned")
    assert (
        item.meeting is None and item.organ_id == gov.ga.organ_id and "wraca" in item.reason_words
    )
    assert Resolution.objects.get(vote=vote).returned_on is not None
    nxt = services.meeting_convene(
        organ=gov.ga.organ,
        user=gov.office,
        title="Następne WZ",
        starts_at=at(30, 10, month=9),
        notice_sent_at=at(1, 9, month=8),
    )
    item.refresh_from_db()
    assert item.meeting_id == nxt.pk


def test_gov_5_not_in_infotech(world, frozen):
    gov = build_gov(world, preset="infotech")
    vote = _closed_second_term_vote(gov)
    with pytest.raises(ValidationError, match="nie przewiduje"):
        services.objection_file(
            vote=vote, member=gov.member(5), user=gov.office, received_at=at(16)
        )


# --- GOV-7 ---


def test_gov_7_late_notice_refused_or_marked_irregular(gov):
    kwargs = dict(
        organ=gov.ga.organ,
        user=gov.office,
        title="Za późno",
        starts_at=at(20, 10, month=7),
        notice_sent_at=at(30, 9),
    )
    with pytest.raises(ValidationError, match="za późno"):
        services.meeting_convene(**kwargs)
    meeting = services.meeting_convene(**kwargs, accept_irregular=True)
    assert meeting.irregular and "najpóźniej 29.06.2025" in meeting.irregular_words
    on_time = services.meeting_convene(**{**kwargs, "notice_sent_at": at(29, 23)})
    assert not on_time.irregular


def test_gov_7_extraordinary_request_quarter_and_month(gov):
    few = services.extraordinary_request_file(
        cluster=gov.world.alfa,
        user=gov.office,
        source="members",
        received_on=dt.date(2025, 6, 2),
        matters="Zmiana regulaminu",
        requesters=gov.members[:2],
    )
    assert not few.threshold_met and "wymagane co najmniej 25%, czyli 3" in few.reason_words
    enough = services.extraordinary_request_file(
        cluster=gov.world.alfa,
        user=gov.office,
        source="members",
        received_on=dt.date(2025, 6, 2),
        matters="Zmiana regulaminu",
        requesters=gov.members[:3],
    )
    assert enough.threshold_met and enough.sit_by == dt.date(2025, 7, 2)
    with pytest.raises(ValidationError, match="nie mieści się"):
        services.meeting_convene(
            organ=gov.ga.organ,
            user=gov.office,
            title="NWZ",
            kind="extraordinary",
            starts_at=at(3, 10, month=7),
            notice_sent_at=at(2, 11),
            extraordinary_request=enough,
            accept_irregular=False,
        )
    nwz = services.meeting_convene(
        organ=gov.ga.organ,
        user=gov.office,
        title="NWZ",
        kind="extraordinary",
        starts_at=at(2, 10, month=7),
        notice_sent_at=at(20),
        extraordinary_request=enough,
        accept_irregular=True,
    )  # notice shorter than 21 days: irregular, says why
    assert nwz.irregular and [i.title for i in nwz.agenda_items.all()] == ["Zmiana regulaminu"]
    with pytest.raises(ValidationError, match="tylko nad sprawami"):
        services.agenda_item_add(meeting=nwz, user=gov.office, title="Wolne wnioski")


# --- GOV-14 ---


def test_gov_14_minutes_pdf_and_summary_through_smtp(gov, settings, client_for):
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            self.messages.append(envelope)
            return "250 OK"

    services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(9),
        holder_name="Jan Nowak",
        received_at=at(20),
    )
    check_in(gov, gov.members[:6])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Sprawozdanie Zarządu")
    services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={m.pk: "for" for m in gov.members[:7] if m.pk != gov.member(6).pk},
    )
    services.vote_close(vote=vote, user=gov.office)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    pdf = client_for("office").get(
        reverse("minutes_pdf", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = services.minutes.minutes_html(gov.ga)
    assert (
        "Lista obecności" in html
        and "Jan Nowak" in html
        and "Kworum jest" in html
        and "za 6" in html
    )

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        dispatch = services.summary_send(meeting=gov.ga, user=gov.office)
        assert sink.messages == []  # queued (PLT-2): the worker sends it
        assert outbox.deliver_due().sent == 10
    finally:
        controller.stop()
    assert dispatch.sent_count == 10 and len(sink.messages) == 10
    rcpts = {r for e in sink.messages for r in e.rcpt_tos}
    assert f"powiadomienia{gov.world.member_a.pk}@example.com" in rcpts
    assert b"application/pdf" in sink.messages[0].content
    gov.ga.refresh_from_db()
    assert gov.ga.summary_sent_at is not None


def test_gov_14_plt_2_summary_with_the_server_away_waits_in_the_outbox(gov, settings):
    """A statutory summary is queued whatever the server does; a refused delivery is kept on its
    outbox row with the server's words and retried, never lost."""
    check_in(gov, gov.members[:6])
    open_ga(gov)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port  # nobody listens
    dispatch = services.summary_send(meeting=gov.ga, user=gov.office)
    report = outbox.deliver_due()
    assert report.retried == dispatch.sent_count > 0 and report.sent == 0
    rows = OutboxMessage.objects.filter(source=f"summary:{gov.ga.pk}")
    assert {(r.state, r.statutory, r.kind) for r in rows} == {("retry", True, "summary")}
    assert all("Błąd wysyłki SMTP" in r.error for r in rows)
    gov.ga.refresh_from_db()
    assert gov.ga.summary_sent_at == dispatch.sent_at


# --- live page and lists ---


def test_live_json_shows_attendance_quorum_and_tally(gov, client_for):
    check_in(gov, gov.members[:5])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Na żywo")
    services.ballot_cast(
        vote=vote, user=gov.world.users["member"], choices={gov.world.member_a.pk: "against"}
    )
    url = reverse("meeting_live_json", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    state = client_for("chair").get(url).json()
    assert state["quorum"]["met"] and state["entitled"] == 10 and len(state["attendance"]) == 5
    assert (
        state["vote"]["counts"] == {"for": 0, "against": 1, "abstain": 0}
        and state["vote"]["may_vote"] == 5
    )
    assert client_for("member").get(url).status_code == 403


def test_meeting_list_and_register_constant_queries(gov, client_for, django_assert_max_num_queries):
    c = client_for("office")
    url = reverse("meeting_list", kwargs={"slug": "alfa"})
    with CaptureQueriesContext(__import__("django.db", fromlist=["connection"]).connection) as few:
        assert c.get(url).status_code == 200
    for i in range(8):
        services.meeting_convene(
            organ=gov.ga.organ,
            user=gov.office,
            title=f"WZ {i}",
            starts_at=MEETING_AT + dt.timedelta(days=30 + i),
            notice_sent_at=at(1),
        )
    with CaptureQueriesContext(__import__("django.db", fromlist=["connection"]).connection) as many:
        body = c.get(url).content.decode()
    assert "WZ 7" in body and len(many.captured_queries) == len(few.captured_queries)
    reg = reverse("resolution_list", kwargs={"slug": "alfa"})
    with django_assert_max_num_queries(8):
        assert c.get(reg).status_code == 200


def test_member_page_check_in_and_vote(gov, client_for):
    c = client_for("member")
    url = reverse("meeting_my", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    assert (
        c.post(
            url, {"action": "check_in", "member": gov.world.member_a.pk, "mode": "online"}
        ).status_code
        == 302
    )
    check_in(gov, gov.members[2:6])
    open_ga(gov)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Z mojej strony")
    page = c.get(url).content.decode()
    assert "Z mojej strony" in page and f"member_{gov.world.member_a.pk}" in page
    c.post(url, {f"member_{gov.world.member_a.pk}": "for"})
    assert Ballot.objects.get(vote=vote).cast_by == gov.world.users["member"]
    assert client_for("forum").get(url).status_code == 403


def test_smtp_thread_helper_is_not_leaking():
    # aiosmtpd's controller runs in a thread; make sure earlier tests stopped theirs.
    assert all(not t.name.startswith("aiosmtpd") for t in threading.enumerate())


def test_gov_7_plt_2_notice_is_queued_as_statutory_to_those_entitled(gov, client_for, smtp):
    """The notice of a convened GA goes to the entitled members' notification addresses through
    the outbox — an address that left the newsletter gets it all the same."""
    from klaster.comms.services import unsubscribe

    address = f"powiadomienia{gov.world.member_a.pk}@example.com"
    unsubscribe(cluster=gov.world.alfa, email=address)
    office = client_for("office")
    url = reverse("notice_send", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    assert office.post(url).status_code == 302
    rows = OutboxMessage.objects.filter(source=services.notice_source(gov.ga))
    assert rows.count() == 10 and {(r.kind, r.statutory) for r in rows} == {("notice", True)}
    assert outbox.deliver_due().sent == 10
    assert address in {r for e in smtp.envelopes for r in e.rcpt_tos}
    body = smtp.envelopes[0].content.decode()
    assert "Zawiadomienie" in body and gov.ga.title in body
    # the chair may not send it; the page shows the office what went
    assert client_for("chair").post(url).status_code == 302
    assert rows.count() == 10
    page = office.get(reverse("meeting_detail", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk}))
    assert "Wyślij zawiadomienie ponownie" in page.content.decode()
    # a closed meeting takes no notice
    check_in(gov, gov.members[:6])
    open_ga(gov)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    with pytest.raises(ValidationError):
        services.notice_send(meeting=gov.ga, user=gov.office)
