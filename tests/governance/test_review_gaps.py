"""Review gaps: GOV-11 declarations sent to the coordinator and the chair, GOV-7 GA calendar on the
organs page, GOV-8 / GOV-9 presidia, GOV-14 summary recipients by organ, the member's voting page
refreshing itself."""

from __future__ import annotations

import datetime as dt
import email

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core import outbox
from klaster.governance import services
from klaster.governance.models import Declaration, Seat
from tests.governance.conftest import at, check_in, free_port

OFFICE_MAIL = "biuro@alfa.example.com"


@pytest.fixture
def office_mail(gov):
    gov.world.alfa.contact_email = OFFICE_MAIL
    gov.world.alfa.save(update_fields=["contact_email"])
    return OFFICE_MAIL


def _declare(client, gov, person, **extra):
    return client.post(
        reverse("declarations", kwargs={"slug": "alfa"}),
        {
            "organ": "council",
            "person": person.pk,
            "kind": "conflict",
            "declared_on": "2025-06-02",
            "text": "Konflikt interesów w sprawie zamówienia.",
            **extra,
        },
    )


# --- GOV-11 ---


def test_gov_11_declaration_goes_by_smtp_to_coordinator_and_chair(
    gov, smtp, office_mail, client_for
):
    c = client_for("member")  # member_a's representative; member_a holds a Council seat
    own = gov.persons[gov.world.member_a.pk]
    assert _declare(c, gov, own).status_code == 302
    decl = Declaration.objects.get(person=own)
    chair_mail = gov.persons[gov.member(3).pk].email  # the seat with the chair role
    assert (
        decl.sent_at is not None
        and decl.send_error == ""
        and decl.filed_by == gov.world.users["member"]
    )
    assert smtp.rcpts() == [sorted([OFFICE_MAIL, chair_mail])]
    body = email.message_from_bytes(smtp.envelopes[0].content).get_payload(decode=True).decode()
    assert "Konflikt interesów w sprawie zamówienia." in body and own.name in body
    assert decl.agenda_item.meeting == gov.council  # still on the next agenda
    # not for another member's person: the form refuses it, nothing is recorded or sent
    _declare(c, gov, gov.persons[gov.world.member_b.pk])
    assert not Declaration.objects.filter(person=gov.persons[gov.world.member_b.pk]).exists()
    assert len(smtp.envelopes) == 1
    # the representative sees its own declarations only; the forum viewer nothing
    assert (
        client_for("proxy")
        .get(reverse("declarations", kwargs={"slug": "alfa"}))
        .content.decode()
        .count(own.name)
        == 0
    )
    assert _declare(client_for("forum"), gov, own).status_code == 403


def test_gov_11_smtp_failure_keeps_declaration_not_sent_and_resend_works(
    gov, smtp, office_mail, settings, client_for
):
    settings.EMAIL_PORT = free_port()  # nobody listens there
    person = gov.persons[gov.member(4).pk]
    decl = services.declaration_file(
        organ=gov.organs["council"],
        user=gov.office,
        person=person,
        kind="inability",
        text="Nie mogę pełnić funkcji do września.",
        declared_on=dt.date(2025, 6, 2),
    )
    assert decl.pk and decl.sent_at is None and "Błąd wysyłki SMTP" in decl.send_error
    office = client_for("office")
    page = office.get(reverse("declarations", kwargs={"slug": "alfa"})).content.decode()
    assert "Błąd wysyłki SMTP" in page and 'value="resend"' in page
    assert (
        client_for("member")
        .post(
            reverse("declarations", kwargs={"slug": "alfa"}),
            {"action": "resend", "declaration": decl.pk},
        )
        .status_code
        == 403
    )
    settings.EMAIL_PORT = smtp.port
    office.post(
        reverse("declarations", kwargs={"slug": "alfa"}),
        {"action": "resend", "declaration": decl.pk},
    )
    decl.refresh_from_db()
    assert decl.sent_at is not None and decl.send_error == "" and len(smtp.envelopes) == 1


# --- GOV-7 ---


def test_gov_7_organs_page_warns_when_ordinary_ga_short_and_electoral_due(gov, client_for):
    page = (
        client_for("office")
        .get(reverse("governance_home", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    block = page[page.index('id="ga-calendar"') - 30 :]
    block = block[: block.index("</p>")]
    assert (
        "errorlist" in block
        and "W roku 2024 zwyczajne Walne Zgromadzenie obradowało 0 razy" in block
    )
    assert "W roku 2025" in block and "1 raz z wymaganych 2" in block
    assert "Nie odnotowano sprawozdawczo-wyborczego" in block


# --- GOV-8 / GOV-9 presidia ---


def test_gov_9_board_presidium_refuses_third_rotating_and_permanent_outside_coordinator(
    gov, client_for
):
    bp, day = gov.organs["board_presidium"], dt.date(2025, 1, 1)
    p = gov.persons
    for m in gov.members[1:3]:
        services.seat_add(
            organ=bp, user=gov.office, person=p[m.pk], starts=day, kind=Seat.Kind.ROTATING
        )
    with pytest.raises(ValidationError, match="rotacyjnych"):
        services.seat_add(
            organ=bp,
            user=gov.office,
            person=p[gov.member(3).pk],
            starts=day,
            kind=Seat.Kind.ROTATING,
        )
    with pytest.raises(ValidationError, match="zarządu Koordynatora"):
        services.seat_add(
            organ=bp,
            user=gov.office,
            person=p[gov.member(3).pk],
            starts=day,
            kind=Seat.Kind.PERMANENT,
        )
    page = (
        client_for("office")
        .get(reverse("governance_home", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    assert "Brakuje stałego członka z zarządu Koordynatora" in page
    services.seat_add(
        organ=bp,
        user=gov.office,
        person=p[gov.world.coordinator.pk],
        starts=day,
        kind=Seat.Kind.PERMANENT,
    )
    page = (
        client_for("office")
        .get(reverse("governance_home", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    assert "Prezydium Zarządu Klastra ma pełny skład" in page


def test_gov_8_council_presidium_election_refuses_sixth_member(gov, client_for):
    election = services.election_hold(
        organ=gov.organs["council_presidium"],
        user=gov.office,
        held_on=dt.date(2025, 5, 1),
        candidates=[(gov.persons[m.pk], False) for m in gov.members[:6]],
    )
    outcomes = [c.outcome for c in election.candidacies.order_by("id")]
    assert outcomes == ["elected"] * 5 + ["refused"]
    assert "statut przewiduje 5" in election.candidacies.order_by("id").last().reason_words
    page = (
        client_for("office")
        .get(reverse("governance_home", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    assert "Prezydium Rady Klastra ma pełny skład" in page


# --- GOV-14 ---


def test_gov_14_summary_recipients_differ_by_organ(gov, smtp, office_mail):
    services.voting_restriction_add(
        member=gov.member(9), user=gov.office, kind="vote_withdrawn", starts=dt.date(2025, 1, 1)
    )
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    services.summary_send(meeting=gov.ga, user=gov.office)
    outbox.deliver_due()
    ga_rcpts = {r for e in smtp.envelopes for r in e.rcpt_tos}
    assert ga_rcpts == {
        f"powiadomienia{m.pk}@example.com" for m in gov.members[:9]
    }  # member 9 not entitled
    smtp.envelopes.clear()
    check_in(gov, gov.members[:5], meeting=gov.council, when=at(30, 13, 55))
    services.meeting_open(meeting=gov.council, user=gov.office)
    services.meeting_close(meeting=gov.council, user=gov.office)
    services.summary_send(meeting=gov.council, user=gov.office)
    outbox.deliver_due()
    council_rcpts = {r for e in smtp.envelopes for r in e.rcpt_tos}
    assert council_rcpts == {gov.persons[m.pk].email for m in gov.members[:5]} | {OFFICE_MAIL}
    assert council_rcpts.isdisjoint(ga_rcpts)


# --- the member's voting page refreshes itself ---


def test_member_voting_page_json_says_vote_open_and_checks_access(gov, client_for):
    c = client_for("member")
    url = reverse("meeting_my_json", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
    assert c.get(url).json() == {"meeting": gov.ga.pk, "status": "convened", "vote": None}
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Plan działań")
    state = c.get(url).json()
    assert state["vote"]["id"] == vote.pk and state["vote"]["may_cast"] == [gov.world.member_a.pk]
    services.ballot_cast(
        vote=vote, user=gov.world.users["member"], choices={gov.world.member_a.pk: "for"}
    )
    assert c.get(url).json()["vote"]["cast"] == [gov.world.member_a.pk]
    services.vote_close(vote=vote, user=gov.office)
    assert c.get(url).json()["vote"] is None
    assert (
        url
        in c.get(
            reverse("meeting_my", kwargs={"slug": "alfa", "meeting_id": gov.ga.pk})
        ).content.decode()
    )
    for persona, code in (("forum", 403), ("office", 403), ("outsider", 404)):
        assert client_for(persona).get(url).status_code == code
