"""Issue 9 point 6: the meeting page's actions in the REST API, with the page's access rules, its
forms (so the same messages) and the same services (GOV-2, GOV-3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.governance.models import AgendaItem, Attendance, Meeting, Vote
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.factories import VoteFactory
from tests.governance.conftest import at, check_in

pytestmark = pytest.mark.django_db

CONVENE = {
    "organ": "council",
    "kind": "ordinary",
    "title": "Rada Klastra lipiec 2025",
    "starts_at": "2025-07-20T10:00",
    "notice_sent_at": "2025-06-02T09:00",
    "agenda": "Budżet\nPlan",
}


def _list_url(slug="alfa"):
    return reverse("api_meeting_list", kwargs={"cluster_slug": slug})


def _action_url(meeting, slug="alfa"):
    return reverse("api_meeting_action", kwargs={"cluster_slug": slug, "meeting_id": meeting.pk})


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_gov_2_office_convenes_by_the_api_as_on_the_page(gov, client_for):
    office = client_for("office")
    response = _post(office, _list_url(), CONVENE)
    assert response.status_code == 201, response.content
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert meeting.title == CONVENE["title"] and meeting.organ.kind == "council"
    assert list(meeting.agenda_items.order_by("position").values_list("title", flat=True)) == [
        "Budżet",
        "Plan",
    ]
    listed = office.get(_list_url()).json()
    assert meeting.pk in {m["id"] for m in listed}


def test_convening_errors_are_the_pages_messages_by_field(gov, client_for):
    """The same form parses both: the API's 400 names the fields with the page's (Polish) text."""
    office = client_for("office")
    bad = {**CONVENE, "starts_at": "nie data", "title": ""}
    before = db_fingerprint()
    api = _post(office, _list_url(), bad)
    assert api.status_code == 400
    assert_unchanged(before, "api convene refused")
    page = office.post(
        reverse("meeting_create", kwargs={"slug": "alfa"}),
        data={k: v for k, v in bad.items()},
    )
    form = page.context["form"]
    errors = api.json()
    assert set(errors) == {"starts_at", "title"}
    for field in ("starts_at", "title"):
        assert errors[field] == [str(e) for e in form.errors[field]]
    assert "To pole jest wymagane." in errors["title"]


def test_only_the_office_convenes(gov, client_for):
    for persona, code in [("chair", 403), ("member", 403), ("forum", 403), ("outsider", 404)]:
        client = client_for(persona)  # logging in writes last_login: before the fingerprint
        before = db_fingerprint()
        assert _post(client, _list_url(), CONVENE).status_code == code, persona
        assert_unchanged(before, persona)


def test_gov_2_chair_runs_the_meeting_by_the_api(gov, client_for):
    check_in(gov, gov.members[:6])
    chair = client_for("chair")
    url = _action_url(gov.ga)
    assert _post(chair, url, {"action": "agenda", "title": "Wolne wnioski"}).status_code == 200
    assert AgendaItem.objects.filter(meeting=gov.ga, title="Wolne wnioski").exists()
    state = _post(chair, url, {"action": "open"}).json()
    assert state["status"] == "open"
    state = _post(chair, url, {"action": "vote_open", "title": "Plan działań"}).json()
    vote = Vote.objects.get(meeting=gov.ga, status=Vote.Status.OPEN)
    assert state["vote"]["id"] == vote.pk
    room = {str(m.pk): "for" for m in gov.members[:4]}
    assert _post(
        chair, url, {"action": "ballot", "vote": vote.pk, "choices": room}
    ).status_code == (200)
    state = _post(chair, url, {"action": "vote_close", "vote": vote.pk}).json()
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED and state["last_vote"]["title"] == "Plan działań"
    assert _post(chair, url, {"action": "close"}).json()["status"] == "closed"


def test_check_in_names_the_member_as_the_page_does(gov, client_for):
    office = client_for("office")
    url = _action_url(gov.ga)
    m = gov.members[5]
    response = _post(office, url, {"action": "check_in", "member": m.key, "mode": "in_person"})
    assert response.status_code == 200, response.content
    assert Attendance.objects.filter(meeting=gov.ga, member=m).exists()
    # another cluster's member is not found by this cluster's form
    before = db_fingerprint()
    refused = _post(
        office,
        url,
        {"action": "check_in", "member": gov.world.member_beta.key, "mode": "in_person"},
    )
    assert refused.status_code == 400 and "member" in refused.json()
    assert_unchanged(before, "foreign member")


def test_service_refusals_are_400_with_the_services_message(gov, client_for):
    """GOV-2: no vote opens without quorum -- the service's message, as the page shows it."""
    office = client_for("office")
    url = _action_url(gov.ga)
    _post(office, url, {"action": "open"})
    before = db_fingerprint()
    response = _post(office, url, {"action": "vote_open", "title": "Bez kworum"})
    assert response.status_code == 400
    messages = [m for ms in response.json().values() for m in ms]
    assert messages and all(isinstance(m, str) and m for m in messages)
    assert_unchanged(before, "no quorum")


def test_a_vote_of_another_meeting_is_not_found(gov, client_for):
    office = client_for("office")
    council_vote = VoteFactory(meeting=gov.council, title="Rada", opened_at=at(2), entitled=5)
    before = db_fingerprint()
    response = _post(office, _action_url(gov.ga), {"action": "vote_close", "vote": council_vote.pk})
    assert response.status_code == 404
    assert_unchanged(before, "vote of another meeting")


def test_a_member_does_not_run_meetings(gov, client_for):
    for persona, code in [("member", 403), ("proxy", 403), ("forum", 403), ("outsider", 404)]:
        client = client_for(persona)
        before = db_fingerprint()
        response = _post(client, _action_url(gov.ga), {"action": "close"})
        assert response.status_code == code, persona
        assert_unchanged(before, persona)


def test_meeting_list_query_count_is_fixed(gov, client_for, django_assert_max_num_queries):
    from klaster.governance import services

    office = client_for("office")
    office.get(_list_url())  # warm the session
    with django_assert_max_num_queries(12) as few:
        assert len(office.get(_list_url()).json()) == 2
    baseline = len(few.captured_queries)  # read now: every request clears the query log
    for i in range(15):
        services.meeting_convene(
            organ=gov.organs["council"],
            user=gov.office,
            title=f"Rada {i}",
            starts_at=at(1 + i, 12, month=8),
            notice_sent_at=at(2, 9),
        )
    with django_assert_max_num_queries(baseline):
        assert len(office.get(_list_url()).json()) == 17


def test_gov_4_office_records_a_proxy_by_the_api(gov, client_for):
    office = client_for("office")
    url = reverse("api_meeting_proxies", kwargs={"cluster_slug": "alfa", "meeting_id": gov.ga.pk})
    giver = gov.members[6]
    response = _post(
        office,
        url,
        {"giver": giver.pk, "holder_name": "Jan Pełnomocnik", "received_at": "2025-06-20T10:00"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["giver"] == giver.pk and body["status"] == "accepted", body
    listed = client_for("chair").get(url).json()
    assert [p["giver_name"] for p in listed] == [giver.name]
    # another cluster's member as the giver: the page's form does not find it
    before = db_fingerprint()
    foreign = {**{"holder_name": "X", "received_at": "2025-06-20T10:00"}}
    refused = _post(office, url, {**foreign, "giver": gov.world.member_beta.pk})
    assert refused.status_code == 400 and "giver" in refused.json()
    assert_unchanged(before, "foreign giver")


def test_gov_5_office_opens_an_admission_and_records_its_steps(gov, client_for):
    from tests.factories import MemberFactory

    office = client_for("office")
    candidate = MemberFactory(
        cluster=gov.world.alfa, name="Kandydat sp. z o.o.", status="candidate"
    )
    url = reverse("api_admission_list", kwargs={"cluster_slug": "alfa"})
    response = _post(
        office,
        url,
        {"candidate": candidate.pk, "category": "strategic_partner", "filed_on": "2025-06-02"},
    )
    assert response.status_code == 201, response.content
    admission_id = response.json()["id"]
    detail = reverse(
        "api_admission_detail", kwargs={"cluster_slug": "alfa", "admission_id": admission_id}
    )
    paid = _post(office, detail, {"action": "payment", "paid_on": "2025-06-03", "amount": "500"})
    assert paid.status_code == 200, paid.content
    # the service's refusal, in its words (Strategic Partners: the Council decides)
    wrong = _post(office, detail, {"action": "schedule", "meeting": gov.ga.pk})
    assert wrong.status_code == 400
    assert "Rada Klastra" in wrong.json()["non_field_errors"][0]
    scheduled = _post(office, detail, {"action": "schedule", "meeting": gov.council.pk})
    assert scheduled.status_code == 200, scheduled.content
    assert scheduled.json()["meeting"] == gov.council.pk
    assert [a["id"] for a in client_for("chair").get(url).json()] == [admission_id]
    # another cluster's member is no candidate here; the chair (an organ member) only reads
    before = db_fingerprint()
    foreign = {
        "candidate": gov.world.member_beta.pk,
        "category": "partner",
        "filed_on": "2025-06-02",
    }
    refused = _post(office, url, foreign)
    assert refused.status_code == 400 and "candidate" in refused.json()
    chair = client_for("chair")
    assert (
        _post(chair, detail, {"action": "schedule", "meeting": gov.council.pk}).status_code == 403
    )
    assert_unchanged(before, "refused admission writes")


def test_gov_5_a_representative_objects_for_its_own_member_only(gov, client_for):
    from klaster.governance import services
    from klaster.governance.models import Objection

    check_in(gov, gov.members[:6])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Plan działań")
    services.vote_close(vote=vote, user=gov.office)
    url = reverse("api_objection_file", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})
    member = client_for("member")  # represents member_a
    before = db_fingerprint()
    other = _post(member, url, {"member": gov.world.member_b.pk, "text": "Nie moja sprawa"})
    assert other.status_code == 400 and "member" in other.json()
    assert_unchanged(before, "objection for another member")
    early = _post(member, url, {"member": gov.world.member_a.pk, "text": "Sprzeciw"})
    assert early.status_code == 400  # the service's words: no summary sent yet (GOV-5)
    assert "Podsumowanie posiedzenia" in early.json()["non_field_errors"][0]
    assert_unchanged(before, "objection before the summary")
    Meeting.objects.filter(pk=gov.ga.pk).update(summary_sent_at=at(2, 12))
    own = _post(member, url, {"member": gov.world.member_a.pk, "text": "Sprzeciw"})
    assert own.status_code == 201, own.content
    body = own.json()
    assert body["member"] == gov.world.member_a.pk and body["reason"]
    assert Objection.objects.filter(vote=vote, member=gov.world.member_a).exists()
