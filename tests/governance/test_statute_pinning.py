"""Statute versions pinned (issue 7; SPEC §2, GOV-2, GOV-3, GOV-4, GOV-14): a meeting keeps the
version it was convened under, a vote records that version and the numbers it applied, a version a
meeting used never changes — a correction is the day's next revision — and the minutes say which
version and which numbers decided each vote."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from klaster.core.models import AuditLog, StatuteProfileVersion
from klaster.core.services import statute_profile_set
from klaster.governance import services
from klaster.governance.models import Meeting, Organ
from klaster.governance.selectors import meeting_statute
from klaster.governance.services.minutes import minutes_html
from klaster.rules.statute import EVOLUMA, profile_to_dict
from tests.factories import MeetingFactory
from tests.governance.conftest import MEETING_AT, at, check_in

pytestmark = pytest.mark.django_db

START = dt.date(2020, 1, 1)


def _original(gov) -> StatuteProfileVersion:
    return StatuteProfileVersion.objects.get(cluster=gov.world.alfa, valid_from=START, revision=1)


def _ga_majority_of_votes_cast() -> dict:
    """evoluma with the General Assembly deciding by votes cast — a different majority."""
    data = copy.deepcopy(profile_to_dict(EVOLUMA))
    data["ga"]["majority"] = {"kind": "of_votes_cast", "share": "1/2", "strict": True}
    return data


def _five_for_one_against(gov):
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Budżet 2026")
    services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={**{m.pk: "for" for m in gov.members[:5]}, gov.member(5).pk: "against"},
    )
    return vote


def test_gov_3_vote_closes_under_the_version_it_opened_under_after_a_correction(gov):
    """Open a vote, add a correction for the same day with another majority, close the vote: the
    outcome is the opening version's (5 for of 10 entitled is not more than half of them), the old
    version's row is unchanged, and the minutes print the version and the numbers applied."""
    original = _original(gov)
    before = copy.deepcopy(original.data)
    vote = _five_for_one_against(gov)
    correction = statute_profile_set(
        cluster=gov.world.alfa,
        valid_from=START,
        user=gov.office,
        data=_ga_majority_of_votes_cast(),
        note="uchwała WZ 7/2025",
        correction=True,
    )
    assert (correction.valid_from, correction.revision) == (
        START,
        2,
    ) and correction.pk != original.pk
    resolution = services.vote_close(vote=vote, user=gov.office)
    vote.refresh_from_db()
    # 5 for, 1 against: passes "more for than against", fails "more than half of the 10 entitled"
    assert resolution.passed is False and vote.majority_kind == "of_entitled"
    assert vote.statute_version_id == original.pk and resolution.statute_version_id == original.pk
    original.refresh_from_db()
    assert original.data == before and original.revision == 1
    html = minutes_html(gov.ga)
    assert "wersja obowiązująca od 01.01.2020, rewizja 1" in html
    assert "Większość: więcej niż połowa uprawnionych do głosowania" in html
    assert "Kworum: co najmniej 50% uprawnionych" in html
    assert "rewizja 2" not in html
    # a meeting convened after the correction is governed by it
    later = services.meeting_convene(
        organ=gov.ga.organ,
        user=gov.office,
        title="WZ lipiec",
        starts_at=MEETING_AT + dt.timedelta(days=30),
        notice_sent_at=at(1),
    )
    assert later.statute_version_id == correction.pk
    assert meeting_statute(later).profile.ga.majority.kind == "of_votes_cast"
    assert meeting_statute(gov.ga).version.pk == original.pk


def test_gov_3_vote_close_uses_the_votes_recorded_version(gov):
    """Closing takes the version recorded on the vote, not whatever the meeting points at later."""
    original = _original(gov)
    vote = _five_for_one_against(gov)
    correction = statute_profile_set(
        cluster=gov.world.alfa,
        valid_from=START,
        user=gov.office,
        data=_ga_majority_of_votes_cast(),
        correction=True,
    )
    Meeting.objects.filter(pk=gov.ga.pk).update(
        statute_version=correction
    )  # as a careless admin would
    resolution = services.vote_close(vote=vote, user=gov.office)
    assert resolution.passed is False and resolution.statute_version_id == original.pk


def test_gov_2_gov_3_gov_4_vote_records_its_version_and_numbers(gov):
    original = _original(gov)
    services.proxy_grant(
        meeting=gov.ga,
        user=gov.office,
        giver=gov.member(9),
        holder_name="Jan Nowak",
        received_at=at(20),
    )
    vote = _five_for_one_against(gov)
    assert vote.statute_version_id == original.pk
    statute, numbers = vote.snapshot["statute"], vote.snapshot["numbers"]
    assert statute == {
        "version": original.pk,
        "name": "evoluma",
        "valid_from": "2020-01-01",
        "revision": 1,
    }
    assert numbers["quorum"]["threshold"] == "1/2" and numbers["quorum"]["counts_proxies"] is True
    assert (
        numbers["majority"]["kind"],
        numbers["majority"]["share"],
        numbers["majority"]["strict"],
    ) == ("of_entitled", "1/2", True)
    assert (
        numbers["proxy"]["share_cap"],
        numbers["proxy"]["count_cap"],
        numbers["proxy"]["cap"],
    ) == ("1/10", 12, 1)
    resolution = services.vote_close(vote=vote, user=gov.office)
    assert resolution.statute_version_id == original.pk
    opened = AuditLog.objects.get(action="vote_open", object_id=str(vote.pk))
    assert opened.changes["statute_version"][1] == str(original)
    html = minutes_html(gov.ga)
    assert "Pełnomocnictwa: jedna osoba najwyżej 10% głosów i nie więcej niż 12" in html


def test_gov_2_editing_a_used_version_is_refused(gov):
    """The version the two fixture meetings were convened under cannot change; the message names the
    meetings and says to add a correction. An unused version may still be replaced in place."""
    original = _original(gov)
    before = copy.deepcopy(original.data)
    audits = AuditLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        statute_profile_set(
            cluster=gov.world.alfa, valid_from=START, user=gov.office, preset="infotech"
        )
    text = " ".join(refused.value.messages)
    assert "użyto już" in text and "(2)" in text and "poprawkę" in text
    assert gov.ga.title in text and gov.council.title in text
    original.refresh_from_db()
    assert original.data == before and original.preset == "evoluma"
    assert StatuteProfileVersion.objects.filter(cluster=gov.world.alfa).count() == 1
    assert AuditLog.objects.count() == audits
    # the same numbers again change nothing and are not an error
    assert (
        statute_profile_set(
            cluster=gov.world.alfa, valid_from=START, user=gov.office, preset="evoluma"
        ).pk
        == original.pk
    )
    # a version no meeting used is a draft: replaced in place, audited
    draft = statute_profile_set(
        cluster=gov.world.alfa, valid_from=dt.date(2026, 1, 1), user=gov.office, preset="evoluma"
    )
    replaced = statute_profile_set(
        cluster=gov.world.alfa, valid_from=dt.date(2026, 1, 1), user=gov.office, preset="infotech"
    )
    assert replaced.pk == draft.pk and replaced.revision == 1 and replaced.preset == "infotech"
    assert AuditLog.objects.filter(action="update", object_id=str(draft.pk)).exists()


def test_gov_2_a_correction_is_a_new_audited_revision(gov):
    original = _original(gov)
    correction = statute_profile_set(
        cluster=gov.world.alfa,
        valid_from=START,
        user=gov.office,
        preset="infotech",
        correction=True,
    )
    audit = AuditLog.objects.get(action="correct", object_id=str(correction.pk))
    assert audit.changes["revision"] == [1, 2] and audit.changes["preset"] == [
        "evoluma",
        "infotech",
    ]
    with pytest.raises(ValidationError, match="niczego nie zmienia"):
        statute_profile_set(
            cluster=gov.world.alfa,
            valid_from=START,
            user=gov.office,
            preset="infotech",
            correction=True,
        )
    assert list(
        StatuteProfileVersion.objects.filter(cluster=gov.world.alfa).values_list(
            "revision", flat=True
        )
    ) == [2, 1]
    assert original.pk in {gov.ga.statute_version_id, gov.council.statute_version_id}


def test_gov_2_every_way_of_creating_a_meeting_pins_its_version(gov):
    """A meeting created directly (a demo builder, a factory) takes the version in force on its day."""
    original = _original(gov)
    direct = Meeting.objects.create(
        cluster=gov.world.alfa,
        organ=gov.ga.organ,
        title="WZ bez zwołania",
        date=MEETING_AT.date(),
        starts_at=MEETING_AT,
        status="open",
    )
    assert direct.statute_version_id == original.pk
    assert (
        gov.ga.statute_version_id == original.pk and gov.council.statute_version_id == original.pk
    )


def test_gov_2_meeting_without_a_version_falls_back_and_pins_it_at_first_use(world, frozen):
    from klaster.governance.services import organs_ensure

    organs = organs_ensure(cluster=world.alfa, user=world.users["office"])
    meeting = MeetingFactory(
        cluster=world.alfa,
        organ=organs["ga"],
        title="WZ sprzed statutu",
        date=MEETING_AT.date(),
        starts_at=MEETING_AT,
    )
    assert meeting.statute_version_id is None
    with pytest.raises(ValidationError, match="nie ma wersji statutu"):
        meeting_statute(meeting)
    version = statute_profile_set(
        cluster=world.alfa, valid_from=START, user=world.users["office"], preset="evoluma"
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    statute = meeting_statute(
        meeting
    )  # a read falls back to the version in force, and writes nothing
    assert statute.version.pk == version.pk and not statute.pinned
    assert Meeting.objects.get(pk=meeting.pk).statute_version_id is None
    services.meeting_open(meeting=meeting, user=world.users["office"])  # the first write pins it
    assert Meeting.objects.get(pk=meeting.pk).statute_version_id == version.pk
    assert AuditLog.objects.filter(action="statute_pin", object_id=str(meeting.pk)).exists()
    # from now on it is this meeting's: the version is used and cannot be edited in place
    with pytest.raises(ValidationError, match="użyto już"):
        statute_profile_set(
            cluster=world.alfa, valid_from=START, user=world.users["office"], preset="infotech"
        )


def test_gov_2_no_version_no_convening(world, frozen):
    from klaster.governance.services import organs_ensure

    organs = organs_ensure(cluster=world.alfa, user=world.users["office"])
    with pytest.raises(ValidationError, match="nie ma wersji statutu"):
        services.meeting_convene(
            organ=organs["ga"],
            user=world.users["office"],
            title="WZ",
            starts_at=MEETING_AT,
            notice_sent_at=at(1),
        )
    assert not Meeting.objects.exists()


def test_gov_3_gov_12_evoluma_board_admission_needs_two_thirds_of_votes_cast(gov):
    """SPEC "Reading (evoluma and its agreement)": under evoluma the Board admits a Partner by 2/3
    of the votes cast (000 §6.3), not by more than half of those entitled: 3 for and 2 against of 5
    entitled, all present, is refused; the record names the rule."""
    from decimal import Decimal

    from tests.factories import MemberFactory

    board: Organ = gov.organs["board"]
    for m in gov.members[3:8]:
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
    services.admission_update(
        admission=admission,
        user=gov.office,
        recommenders=gov.members[1:3],
        data={
            "declaration_signed_on": dt.date(2025, 6, 1),
            "rules_accepted_on": dt.date(2025, 6, 1),
            "monitoring_data_provided": True,
            "presentation_sent_on": dt.date(2025, 6, 20),
            "entry_fee_due": Decimal("2000.00"),
        },
    )
    services.fee_payment_add(
        admission=admission, user=gov.office, paid_on=dt.date(2025, 6, 10), amount=Decimal("500.00")
    )
    services.admission_schedule(admission=admission, user=gov.office, meeting=meeting)
    check_in(gov, gov.members[3:8], meeting=meeting, when=at(30, 15, 55))
    services.meeting_open(meeting=meeting, user=gov.office)
    vote = services.vote_open(meeting=meeting, user=gov.office, title="", admission=admission)
    assert vote.decision == "admit_partner"
    assert vote.snapshot["numbers"]["majority"]["kind"] == "two_thirds_cast_half_present"
    services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={
            **{m.pk: "for" for m in gov.members[3:6]},
            **{m.pk: "against" for m in gov.members[6:8]},
        },
    )
    resolution = services.vote_close(vote=vote, user=gov.office)
    admission.refresh_from_db()
    assert resolution.passed is False and admission.decision == "refused"
    assert "2/3 głosów oddanych" in resolution.rule_words
    assert "połowy uprawnionych" in resolution.rule_words
