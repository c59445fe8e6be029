"""Issue 9 point 6: the office's governance pages in the REST API — organs (elections, seats,
relations, end of membership), declarations (GOV-11), extraordinary requests (GOV-7), mediation
(GOV-13), contacts (GOV-15), a meeting's agenda, its summary (GOV-14) and proxies by CSV (GOV-4) —
with the pages' access rules, their forms (the same messages by field) and the same services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core import outbox
from klaster.governance import services
from klaster.governance.models import (
    AgendaItem,
    Candidacy,
    Declaration,
    ExtraordinaryRequest,
    IndividualMeeting,
    MediationCase,
    PersonRelation,
    Proxy,
    Seat,
)
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.governance.conftest import check_in

pytestmark = pytest.mark.django_db


def _url(name, slug="alfa", **kwargs):
    return reverse(name, kwargs={"cluster_slug": slug, **kwargs})


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def _refused_without_a_write(client, url, data, code, context):
    before = db_fingerprint()
    response = _post(client, url, data)
    assert response.status_code == code, (context, response.status_code, response.content)
    assert_unchanged(before, context)
    return response


# --- organs (GOV-8, GOV-9, GOV-10) ---


def _end_council_seats(gov):
    # the Council of 10 members has 2 elected seats and the fixture fills 5: end them first
    for seat in Seat.objects.filter(organ=gov.organs["council"]).order_by("pk"):
        services.seat_end(
            seat=seat, user=gov.office, on=dt.date(2025, 5, 31), reason="koniec kadencji"
        )


def test_gov_10_election_by_the_api_answers_each_candidates_outcome(gov, client_for):
    _end_council_seats(gov)
    board_person = gov.persons[gov.member(5).pk]
    services.seat_add(
        organ=gov.organs["board"], user=gov.office, person=board_person, starts=dt.date(2024, 1, 1)
    )
    clean = gov.persons[gov.member(7).pk]
    response = _post(
        client_for("office"),
        _url("api_governance_action"),
        {
            "action": "election",
            "organ": "council",
            "held_on": "2025-06-02",
            "candidates": [board_person.pk, clean.pk],
        },
    )
    assert response.status_code == 201, response.content
    outcomes = {c["person"]: c for c in response.json()["candidacies"]}
    assert outcomes[board_person.pk]["outcome"] == Candidacy.Outcome.REFUSED
    # the reason the page shows for the refusal (GOV-10), in the reader's language
    refusal = Candidacy.objects.get(person=board_person, outcome=Candidacy.Outcome.REFUSED)
    assert outcomes[board_person.pk]["reason"] == refusal.reason_words != ""
    assert outcomes[clean.pk]["outcome"] == Candidacy.Outcome.ELECTED
    assert Seat.objects.filter(organ=gov.organs["council"], person=clean).exists()


def test_gov_9_seat_relation_and_membership_end_by_the_api(gov, client_for):
    office = client_for("office")
    person = gov.persons[gov.member(6).pk]
    seat = _post(
        office,
        _url("api_governance_action"),
        {
            "action": "seat",
            "organ": "board",
            "person": person.pk,
            "kind": "elected",
            "starts": "2025-06-01",
            "chairs": True,
        },
    )
    assert seat.status_code == 201, seat.content
    assert seat.json()["detail"] == "Miejsce zapisane."
    assert Seat.objects.get(organ=gov.organs["board"], person=person).chairs
    seats = office.get(_url("api_seat_list")).json()
    assert any(s["person"] == person.pk and s["organ_kind"] == "board" for s in seats)
    relation = _post(
        office,
        _url("api_governance_action"),
        {
            "action": "relation",
            "person": person.pk,
            "other": gov.persons[gov.member(7).pk].pk,
            "kind": "marriage",
        },
    )
    assert relation.status_code == 201 and PersonRelation.objects.filter(person=person).exists()
    ended = _post(
        office,
        _url("api_governance_action"),
        {
            "action": "membership_end",
            "member": gov.member(2).pk,
            "kind": "resigned",
            "date": "2025-05-15",
        },
    )
    assert ended.status_code == 201
    gov.member(2).refresh_from_db()
    assert gov.member(2).status == "former"


def test_organs_api_bad_input_names_the_field_and_writes_nothing(gov, client_for):
    office = client_for("office")
    person = gov.persons[gov.member(6).pk]
    bad_date = _refused_without_a_write(
        office,
        _url("api_governance_action"),
        {"action": "seat", "organ": "board", "person": person.pk, "kind": "elected"},
        400,
        "seat without a start",
    )
    assert bad_date.json()["starts"] == ["To pole jest wymagane."]
    same = _refused_without_a_write(
        office,
        _url("api_governance_action"),
        {"action": "relation", "person": person.pk, "other": person.pk, "kind": "marriage"},
        400,
        "relation with oneself",
    )
    assert "sama ze sobą" in same.json()["other"][0]  # the service's refusal, on its field
    unknown = _refused_without_a_write(
        office, _url("api_governance_action"), {"action": "coup"}, 400, "unknown action"
    )
    assert unknown.json() == {"action": ["Nieznana czynność."]}


def test_only_the_office_acts_on_the_organs(gov, client_for):
    body = {
        "action": "membership_end",
        "member": gov.member(2).pk,
        "kind": "resigned",
        "date": "2025-05-15",
    }
    for persona, code in [("chair", 403), ("member", 403), ("outsider", 404)]:
        _refused_without_a_write(
            client_for(persona), _url("api_governance_action"), body, code, persona
        )
    # beta's office with its own slug and alfa's member: the form does not know the member
    refused = _refused_without_a_write(
        client_for("outsider"),
        _url("api_governance_action", slug="beta"),
        body,
        400,
        "beta, alfa's member",
    )
    assert "member" in refused.json()


# --- declarations (GOV-11) ---


def _declaration(person, **extra):
    return {
        "organ": "council",
        "person": person.pk,
        "kind": "conflict",
        "text": "Konflikt interesów w sprawie zakupu",
        "declared_on": "2025-06-02",
        **extra,
    }


def test_gov_11_declaration_by_the_api_goes_on_the_next_agenda(gov, client_for):
    office = client_for("office")
    person = gov.persons[gov.member(1).pk]
    response = _post(office, _url("api_declaration_list"), _declaration(person))
    assert response.status_code == 201, response.content
    body = response.json()
    declaration = Declaration.objects.get(pk=body["id"])
    assert declaration.agenda_item.meeting_id == gov.council.pk
    assert body["agenda_meeting"] == gov.council.pk  # the Council's next meeting
    assert [d["id"] for d in office.get(_url("api_declaration_list")).json()] == [declaration.pk]
    resent = _post(office, _url("api_declaration_resend", declaration_id=declaration.pk), {})
    assert resent.status_code == 200 and resent.json()["id"] == declaration.pk


def test_gov_11_a_representative_files_only_for_its_own_members_persons(gov, client_for):
    member = client_for("member")  # represents member A (gov.member(1))
    own = gov.persons[gov.member(1).pk]
    other = gov.persons[gov.member(2).pk]
    refused = _refused_without_a_write(
        member, _url("api_declaration_list"), _declaration(other), 400, "another member's person"
    )
    assert "person" in refused.json()  # not among the form's choices, as on the page
    filed = _post(member, _url("api_declaration_list"), _declaration(own))
    assert filed.status_code == 201, filed.content
    services.declaration_file(
        organ=gov.organs["council"],
        user=gov.office,
        person=gov.persons[gov.member(3).pk],
        kind="inability",
        text="x",
        declared_on=dt.date(2025, 6, 2),
    )
    seen = member.get(_url("api_declaration_list")).json()
    assert [d["person"] for d in seen] == [own.pk]  # only its own member's persons
    # the office resends; a representative may not
    _refused_without_a_write(
        member,
        _url("api_declaration_resend", declaration_id=filed.json()["id"]),
        {},
        403,
        "representative resends",
    )


def test_gov_11_a_declaration_of_a_person_without_a_seat_is_refused(gov, client_for):
    refused = _refused_without_a_write(
        client_for("office"),
        _url("api_declaration_list"),
        _declaration(gov.persons[gov.member(8).pk]),
        400,
        "no seat",
    )
    # the service's refusal, naming the person (its wording is the rules' own)
    assert gov.persons[gov.member(8).pk].name in " ".join(sum(refused.json().values(), []))


# --- extraordinary requests (GOV-7), mediation (GOV-13), contacts (GOV-15) ---


def test_gov_7_extraordinary_request_by_the_api(gov, client_for):
    office = client_for("office")
    response = _post(
        office,
        _url("api_extraordinary_requests"),
        {
            "source": "members",
            "received_on": "2025-06-02",
            "matters": "Zmiana statutu",
            "requesters": [gov.member(1).pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["threshold_met"] is False  # one requester is not 1/4 of the Partners
    assert body["requesters"] == [gov.member(1).pk]
    assert [
        r["id"] for r in client_for("chair").get(_url("api_extraordinary_requests")).json()
    ] == [body["id"]]
    bad = _refused_without_a_write(
        office,
        _url("api_extraordinary_requests"),
        {"source": "anyone", "received_on": "2025-06-02", "matters": "x"},
        400,
        "unknown source",
    )
    assert list(bad.json()) == ["source"]
    _refused_without_a_write(
        client_for("chair"),
        _url("api_extraordinary_requests"),
        {"source": "board", "received_on": "2025-06-02", "matters": "x"},
        403,
        "chair files",
    )
    assert ExtraordinaryRequest.objects.count() == 1


def test_gov_13_mediation_opened_and_resolved_by_the_api(gov, client_for):
    office = client_for("office")
    opened = _post(
        office,
        _url("api_mediation_list"),
        {"reported_on": "2025-06-02", "subject": "Spór o znak", "parties": [gov.member(1).pk]},
    )
    assert opened.status_code == 201, opened.content
    case = MediationCase.objects.get(pk=opened.json()["id"])
    assert opened.json()["deadline"] == "2025-07-02"  # 30 days from the written report
    early = _refused_without_a_write(
        office,
        _url("api_mediation_resolve", case_id=case.pk),
        {"resolved_on": "2025-05-01", "outcome": "Ugoda"},
        400,
        "resolved before reported",
    )
    assert "poprzedzać" in early.json()["resolved_on"][0]
    _refused_without_a_write(
        client_for("chair"),
        _url("api_mediation_resolve", case_id=case.pk),
        {"resolved_on": "2025-06-10", "outcome": "Ugoda"},
        403,
        "chair resolves",
    )
    resolved = _post(
        office,
        _url("api_mediation_resolve", case_id=case.pk),
        {"resolved_on": "2025-06-10", "outcome": "Ugoda"},
    )
    assert resolved.status_code == 200
    case.refresh_from_db()
    assert case.resolved_on == dt.date(2025, 6, 10) and case.outcome == "Ugoda"


def test_gov_15_contact_recorded_by_the_api(gov, client_for):
    office = client_for("office")
    response = _post(
        office, _url("api_contacts"), {"member": gov.member(1).pk, "met_on": "2025-06-01"}
    )
    assert response.status_code == 201, response.content
    assert IndividualMeeting.objects.filter(member=gov.member(1)).exists()
    bad = _refused_without_a_write(
        office, _url("api_contacts"), {"member": gov.member(1).pk}, 400, "no date"
    )
    assert list(bad.json()) == ["met_on"]
    beta_member = _refused_without_a_write(
        office,
        _url("api_contacts"),
        {"member": gov.world.member_beta.pk, "met_on": "2025-06-01"},
        400,
        "another cluster's member",
    )
    assert list(beta_member.json()) == ["member"]


# --- a meeting: agenda, summary (GOV-14), proxies by CSV (GOV-4) ---


def test_agenda_by_the_api_as_on_the_meeting_page(gov, client_for):
    url = _url("api_meeting_agenda", meeting_id=gov.ga.pk)
    added = _post(client_for("chair"), url, {"title": "Wolne wnioski"})  # the meeting's chair
    assert added.status_code == 201, added.content
    titles = [i["title"] for i in client_for("member").get(url).json()]
    assert titles[-1] == "Wolne wnioski" and "Sprawozdanie Zarządu" in titles
    empty = _refused_without_a_write(client_for("office"), url, {"title": " "}, 400, "no title")
    assert list(empty.json()) == ["title"]
    _refused_without_a_write(client_for("member"), url, {"title": "Obcy"}, 403, "member adds")
    assert AgendaItem.objects.filter(title="Obcy").count() == 0


def test_gov_14_summary_is_sent_only_after_the_meeting_closed(gov, client_for, smtp):
    url = _url("api_summary_send", meeting_id=gov.ga.pk)
    office = client_for("office")
    early = _refused_without_a_write(office, url, {}, 400, "open meeting")
    assert "po zamknięciu" in early.json()["non_field_errors"][0]
    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    services.meeting_close(meeting=gov.ga, user=gov.office)
    _refused_without_a_write(client_for("chair"), url, {}, 403, "the chair sends")
    sent = _post(office, url, {})
    assert sent.status_code == 201, sent.content
    outbox.deliver_due()
    assert sent.json()["sent_count"] == len(smtp.envelopes) > 0


def _csv(gov) -> bytes:
    return (
        "giver;holder;received_at\n"
        f"{gov.member(6).key};Jan Nowak;2025-06-20 12:00\n"
        "nieznany;Ewa Lis;2025-06-20 12:00\n"
    ).encode()


def test_gov_4_proxy_csv_by_the_api_says_why_each_row_was_refused(gov, client_for):
    url = _url("api_proxy_import", meeting_id=gov.ga.pk)
    response = client_for("office").post(
        url, {"file": SimpleUploadedFile("pelnomocnictwa.csv", _csv(gov))}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["accepted"] == 1
    rows = {r["giver"]: r for r in body["rows"]}
    assert rows[gov.member(6).key]["status"] == "accepted"
    assert "Nie znaleziono" in rows["nieznany"]["error"] or "nieznany" in rows["nieznany"]["error"]
    assert Proxy.objects.filter(meeting=gov.ga, status="accepted").count() == 1


def test_gov_4_proxy_csv_refusals(gov, client_for):
    url = _url("api_proxy_import", meeting_id=gov.ga.pk)
    office, chair = client_for("office"), client_for("chair")
    before = db_fingerprint()
    bad = office.post(url, {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x00" + b"\x00" * 9)})
    assert bad.status_code == 400 and list(bad.json()) == ["file"]
    no_columns = office.post(url, {"file": SimpleUploadedFile("x.csv", b"a;b\n1;2\n")})
    assert no_columns.status_code == 400
    assert "giver, holder, received_at" in no_columns.json()["non_field_errors"][0]
    refused = chair.post(url, {"file": SimpleUploadedFile("p.csv", _csv(gov))})
    assert refused.status_code == 403  # runs the meeting, but proxies are the office's (GOV-4)
    assert_unchanged(before, "refused proxy imports")
