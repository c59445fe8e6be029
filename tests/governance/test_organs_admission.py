"""Organs, elections, duties, declarations, admission, mediation, contacts on the Django side
(GOV-6, GOV-8 … GOV-13, GOV-15, MEM-8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.say import say
from klaster.governance import selectors, services
from klaster.governance.models import AgendaItem, Candidacy, Seat
from klaster.members.models import Member
from tests.factories import DelegatedPersonFactory, MemberFactory
from tests.governance.conftest import at, check_in

pytestmark = pytest.mark.django_db


def test_gov_8_gov_9_seat_counts_groups_and_page(gov, client_for):
    report = selectors.seat_report(gov.world.alfa, dt.date(2025, 6, 2))
    assert report["members"] == 10
    assert report["council"]["count"].elected == 2  # 10 members, one per started five
    assert (
        report["board"]["count"].total == 2
    )  # one per started thirty + the coordinator's representative
    missing = report["council"]["groups"].missing
    # seats: coordinator (iob), member_a (small), member_b (medium), micro, small
    assert "large" in missing and "public_authority" in missing and "iob" not in missing
    page = (
        client_for("chair")
        .get(reverse("governance_home", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    assert "brakuje przedstawicieli" in page and "duże firmy" in page
    assert "Zarząd" in page


def test_gov_9_board_cadence_warns_after_an_empty_month(gov):
    board = gov.organs["board"]
    services.meeting_convene(
        organ=board,
        user=gov.office,
        title="Zarząd kwiecień",
        starts_at=at(10, 10, month=4),
        notice_sent_at=at(1, 9, month=4),
    )
    report = selectors.seat_report(gov.world.alfa, dt.date(2025, 6, 2))
    assert report["cadence"].warn and "2025-05" in report["cadence"].months_short


def test_gov_10_election_refuses_incompatible_candidate_with_reason(gov):
    board = gov.organs["board"]
    board_person = gov.persons[gov.member(5).pk]
    services.seat_add(organ=board, user=gov.office, person=board_person, starts=dt.date(2024, 1, 1))
    spouse = gov.persons[gov.member(6).pk]
    services.person_relation_add(
        cluster=gov.world.alfa, user=gov.office, person=spouse, other=board_person, kind="marriage"
    )
    clean = gov.persons[gov.member(7).pk]
    # the Council of 10 members has 2 elected seats, the fixture fills 5 — end three of them first
    for seat in Seat.objects.filter(organ=gov.organs["council"]).order_by("pk")[:5]:
        services.seat_end(
            seat=seat, user=gov.office, on=dt.date(2025, 5, 31), reason="koniec kadencji"
        )
    election = services.election_hold(
        organ=gov.organs["council"],
        user=gov.office,
        held_on=dt.date(2025, 6, 2),
        candidates=[(board_person, False), (spouse, False), (clean, False)],
    )
    outcomes = {c.person_id: c for c in election.candidacies.all()}
    assert outcomes[board_person.pk].outcome == Candidacy.Outcome.REFUSED
    assert "zasiada obecnie w Zarządzie" in outcomes[board_person.pk].reason_words
    assert (
        outcomes[spouse.pk].outcome == Candidacy.Outcome.REFUSED
        and "małżeństwa" in outcomes[spouse.pk].reason_words
    )
    assert outcomes[clean.pk].outcome == Candidacy.Outcome.ELECTED
    seat = Seat.objects.get(organ=gov.organs["council"], person=clean)
    assert seat.ends == dt.date(2028, 6, 1)  # term of 3 years
    with pytest.raises(ValidationError, match="Za dużo wybranych"):
        services.election_hold(
            organ=gov.organs["council"],
            user=gov.office,
            held_on=dt.date(2025, 6, 2),
            candidates=[
                (gov.persons[gov.member(8).pk], False),
                (gov.persons[gov.member(9).pk], False),
            ],
        )
    convicted = services.election_hold(
        organ=gov.organs["council"],
        user=gov.office,
        held_on=dt.date(2025, 6, 2),
        candidates=[(gov.persons[gov.member(8).pk], True)],
    )
    assert "skazana" in convicted.candidacies.get().reason_words


def test_mem_8_link_end_ends_seats(gov):
    from klaster.members.services import delegate_link_end

    person = gov.persons[gov.member(1).pk]
    seat = Seat.objects.get(person=person)
    delegate_link_end(delegate=person, user=gov.office, ended=dt.date(2025, 5, 20))
    seat.refresh_from_db()
    assert seat.ended_on == dt.date(2025, 5, 20) and "MEM-8" in seat.end_reason
    assert (
        not selectors.seats_on(gov.organs["council"], dt.date(2025, 6, 1))
        .filter(person=person)
        .exists()
    )


def test_membership_end_is_an_event_and_ends_seats(gov):
    member = gov.member(2)
    services.membership_end(
        member=member, user=gov.office, kind="resigned", date=dt.date(2025, 5, 15)
    )
    member.refresh_from_db()
    assert member.status == "former" and member.events.filter(kind="resigned").exists()
    assert Seat.objects.get(member=member).ended_on == dt.date(2025, 5, 15)
    assert selectors.voting_roll_for(gov.ga).entitled == 9


def test_gov_6_attendance_shortfall_with_drafted_notice(gov, client_for):
    ga = gov.organs["ga"]
    for i, month in enumerate((1, 2, 3, 4, 5)):
        meeting = services.meeting_convene(
            organ=ga,
            user=gov.office,
            title=f"WZ {month}",
            starts_at=at(20, 10, month=month),
            notice_sent_at=at(1, 9, month=month) - dt.timedelta(days=31),
            accept_irregular=True,
        )
        present = gov.members[:8] if i == 0 else gov.members[:7]
        check_in(gov, present, meeting=meeting, when=at(20, 9, month=month))
        services.meeting_open(meeting=meeting, user=gov.office)
        services.meeting_close(meeting=meeting, user=gov.office)
    rows = selectors.attendance_duties(gov.world.alfa, dt.date(2025, 6, 2))
    short = {r.attendee_id for r in rows}
    # 001 dec. 4a: 25% of 5 meetings is 2; member 7 came once, members 8 and 9 never
    assert short == {f"m{gov.member(7).pk}", f"m{gov.member(8).pk}", f"m{gov.member(9).pk}"}
    notice = next(r for r in rows if r.attendee_id == f"m{gov.member(8).pk}").notice
    assert "pełnomocnika nie jest wliczany" in say(notice.body)
    page = (
        client_for("office")
        .get(reverse("attendance_duties", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    assert gov.member(8).name in page and "Niewystarczająca frekwencja" in page


def test_gov_11_declaration_goes_on_next_agenda(gov):
    person = gov.persons[gov.member(1).pk]
    decl = services.declaration_file(
        organ=gov.organs["council"],
        user=gov.office,
        person=person,
        kind="conflict",
        text="Konflikt interesów w sprawie zakupu",
        declared_on=dt.date(2025, 6, 2),
    )
    assert (
        decl.agenda_item.meeting_id == gov.council.pk
        and "30.06.2025" in decl.agenda_item.reason_words
    )
    with pytest.raises(ValidationError, match="nie zasiada"):
        services.declaration_file(
            organ=gov.organs["council"],
            user=gov.office,
            person=gov.persons[gov.member(8).pk],
            kind="inability",
            text="x",
            declared_on=dt.date(2025, 6, 2),
        )


def test_gov_12_candidate_not_put_to_vote_while_anything_missing(gov):
    board = gov.organs["board"]
    for m in gov.members[:5]:
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
    candidate = MemberFactory(
        cluster=gov.world.alfa, name="Kandydat sp. z o.o.", joined=None, status="candidate"
    )
    admission = services.admission_open(
        cluster=gov.world.alfa,
        user=gov.office,
        candidate=candidate,
        category="partner",
        filed_on=dt.date(2025, 6, 2),
    )
    with pytest.raises(ValidationError, match=r"Partnera Strategicznego decyduje Rada Klastra"):
        services.admission_schedule(
            admission=services.admission_update(
                admission=admission, user=gov.office, data={"category": "strategic_partner"}
            ),
            user=gov.office,
            meeting=meeting,
        )
    services.admission_update(admission=admission, user=gov.office, data={"category": "partner"})
    services.admission_schedule(admission=admission, user=gov.office, meeting=meeting)
    check_in(gov, gov.members[:5], meeting=meeting)
    services.meeting_open(meeting=meeting, user=gov.office)
    with pytest.raises(ValidationError) as missing:
        services.vote_open(meeting=meeting, user=gov.office, title="", admission=admission)
    text = " ".join(missing.value.messages)
    for what in (
        "deklaracji",
        "akceptacji regulaminu",
        "monitorowania",
        "Rekomendacje",
        "Prezentacja",
    ):
        assert what in text, what
    services.admission_update(
        admission=admission,
        user=gov.office,
        recommenders=gov.members[1:3],
        data={
            "declaration_signed_on": dt.date(2025, 6, 1),
            "rules_accepted_on": dt.date(2025, 6, 1),
            "monitoring_data_provided": True,
            "presentation_sent_on": dt.date(2025, 6, 24),
            "entry_fee_due": Decimal("2000.00"),
        },
    )
    services.fee_payment_add(
        admission=admission, user=gov.office, paid_on=dt.date(2025, 6, 10), amount=Decimal("499.99")
    )
    with pytest.raises(ValidationError) as still:
        services.vote_open(meeting=meeting, user=gov.office, title="", admission=admission)
    assert "Prezentację przesłano 24.06.2025" in " ".join(still.value.messages)
    assert "499,99 zł z wymaganych 500,00 zł" in " ".join(still.value.messages)
    services.admission_update(
        admission=admission, user=gov.office, data={"presentation_sent_on": dt.date(2025, 6, 20)}
    )
    services.fee_payment_add(
        admission=admission, user=gov.office, paid_on=dt.date(2025, 6, 11), amount=Decimal("0.01")
    )
    vote = services.vote_open(meeting=meeting, user=gov.office, title="", admission=admission)
    assert vote.decision == "admit_partner"
    services.ballot_cast(
        vote=vote, user=gov.office, chair=True, choices={m.pk: "for" for m in gov.members[:5]}
    )
    resolution = services.vote_close(vote=vote, user=gov.office)
    assert resolution.passed
    candidate.refresh_from_db()
    admission.refresh_from_db()
    assert (
        admission.decision == "admitted"
        and candidate.events.filter(kind="admitted", date=meeting.date).exists()
    )
    assert AgendaItem.objects.filter(meeting=meeting, kind="presentation").exists()


def test_gov_13_mediation_deadline_and_standing_aside(gov, client_for):
    presidium = gov.organs["council_presidium"]
    for m in gov.members[:3]:
        services.seat_add(
            organ=presidium, user=gov.office, person=gov.persons[m.pk], starts=dt.date(2024, 1, 1)
        )
    case = services.mediation_open(
        cluster=gov.world.alfa,
        user=gov.office,
        reported_on=dt.date(2025, 5, 1),
        subject="Spór o prawa do wyników",
        parties=gov.members[1:3],
        involved_persons=[gov.persons[gov.member(1).pk]],
    )
    status = selectors.mediation_status(case, dt.date(2025, 6, 2))
    assert status.deadline == dt.date(2025, 5, 31) and status.overdue
    assert status.standing_aside_ids == (str(gov.persons[gov.member(1).pk].pk),)
    page = (
        client_for("office")
        .get(reverse("mediation_list", kwargs={"slug": "alfa"}))
        .content.decode()
    )
    assert "31.05.2025" in page and "Termin minął" in page
    services.mediation_resolve(
        case=case, user=gov.office, resolved_on=dt.date(2025, 6, 2), outcome="Ugoda"
    )
    case.refresh_from_db()
    assert not selectors.mediation_status(case, dt.date(2025, 6, 2)).overdue


def test_gov_15_members_not_met(gov, client_for):
    for m in gov.members[1:9]:
        services.individual_meeting_add(
            cluster=gov.world.alfa, user=gov.office, member=m, met_on=dt.date(2025, 3, 1)
        )
    services.individual_meeting_add(
        cluster=gov.world.alfa, user=gov.office, member=gov.member(9), met_on=dt.date(2024, 5, 1)
    )
    rows = selectors.members_not_met(gov.world.alfa, dt.date(2025, 6, 2))
    assert [m.pk for m, _ in rows] == [gov.member(9).pk]  # the coordinator itself is not listed
    page = client_for("office").get(reverse("contacts", kwargs={"slug": "alfa"})).content.decode()
    assert gov.member(9).name in page and "01.05.2024" in page


def test_persons_and_members_stay_in_their_cluster(gov):
    other = Member.objects.get(pk=gov.world.member_beta.pk)
    stranger = DelegatedPersonFactory(member=other, name="Obcy", to_general_assembly=True)
    with pytest.raises(ValidationError):
        services.seat_add(
            organ=gov.organs["council"],
            user=gov.office,
            person=stranger,
            starts=dt.date(2025, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.attendance_check_in(meeting=gov.ga, member=other, user=gov.office, at=at(30, 9))


def test_gov_12_fin_6_a_refused_candidate_keeps_no_claim_to_its_advance(gov, client_for):
    """FIN-6 (001 „Nowi członkowie” 2c): the admission page says the advance paid is kept when
    the organ refuses the candidate, and says so in advance while the candidate is pending."""
    candidate = MemberFactory(
        cluster=gov.world.alfa, name="Odrzucony sp. z o.o.", joined=None, status="candidate"
    )
    admission = services.admission_open(
        cluster=gov.world.alfa,
        user=gov.office,
        candidate=candidate,
        category="partner",
        filed_on=dt.date(2025, 6, 2),
    )
    services.fee_payment_add(
        admission=admission, user=gov.office, paid_on=dt.date(2025, 6, 10), amount=Decimal("500")
    )
    url = reverse("admission_detail", args=["alfa", admission.pk])
    office = client_for("office")
    assert "wpłacona zaliczka przepada" in office.get(url).content.decode()
    services.admission_decide(
        admission=admission, user=gov.office, admitted=False, on=dt.date(2025, 6, 30)
    )
    html = office.get(url).content.decode().replace("\xa0", " ")
    assert "500,00 zł" in html and "nie podlega zwrotowi" in html
