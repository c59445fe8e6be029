"""Issue 8 point 5: the ballot's hot path — the statements every ballot sends (`access_ballot`,
`_rights_locked`, the ballots' insert) go through `hot_cursor`: counted like any other statement,
at most 6 per ballot POST in all, and on PostgreSQL prepared once per connection (planned once,
not on every ballot) unless KLASTER_DB_PREPARED_BALLOTS is off. The raw statements store what the
ORM stored, and the API's answer saves no session."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.governance import services
from klaster.governance.access import access_ballot
from klaster.governance.models import Ballot
from tests.governance.conftest import build_gov, check_in

pytestmark = pytest.mark.django_db(transaction=True)  # real transactions, as in production


@pytest.fixture
def ballot_world(world, frozen):
    from tests.factories import TokenFactory

    gov = build_gov(world)
    check_in(gov, gov.members[:8])
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Gorąca ścieżka")
    voter = world.users["member"]  # represents member A
    return gov, vote, voter, TokenFactory(user=voter).key


def _post(vote, token, body):
    url = reverse("api_ballot_cast", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})
    with CaptureQueriesContext(connection) as ctx:
        response = Client().post(
            url,
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )
    sent = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")
    ]
    return response, sent


def _prepared() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cur.fetchall()]


def test_ballot_post_at_most_six_statements_counted_and_stored_as_the_orm_would(ballot_world):
    gov, vote, voter, token = ballot_world
    member_a = gov.world.member_a
    response, sent = _post(vote, token, {"choices": {str(member_a.pk): " For "}})
    assert response.status_code == 201, response.content
    assert len(sent) <= 6, "\n".join(q[:150] for q in sent)
    # on PostgreSQL the one statement of `ballot_statement` (WITH … INSERT INTO …), else the insert
    assert any("INSERT INTO" in q and "governance_ballot" in q for q in sent), sent
    assert "Set-Cookie" not in response.headers and not response.cookies  # no session saved
    ballot = Ballot.objects.get(vote=vote, member=member_a)
    assert (ballot.choice, ballot.via, ballot.cast_by_id, ballot.proxy_id) == (
        "for",
        "own",
        voter.pk,
        None,
    )
    assert ballot.cast_at is not None and ballot.cast_at.utcoffset() is not None
    assert response.json() == {"cast": [{"member": member_a.pk, "choice": "for", "via": "own"}]}
    # the insert sets each returned ballot's id, in order, several members at once
    three = services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={gov.member(3).pk: "against", gov.member(4).pk: "abstain", gov.member(5).pk: "for"},
    )
    assert [(b.pk, b.member_id, b.choice) for b in three] == list(
        Ballot.objects.filter(vote=vote, member__in=[gov.member(i) for i in (3, 4, 5)])
        .order_by("member_id")
        .values_list("pk", "member_id", "choice")
    )
    assert all(not b._state.adding for b in three)


def test_access_ballot_refuses_ids_beyond_the_column_as_unknown(ballot_world):
    gov, vote, voter, _ = ballot_world
    for vote_id in (2**63, 10**30, 0, -1, "x"):
        with pytest.raises(Http404):
            access_ballot(voter, "alfa", vote_id)
    assert access_ballot(voter, "alfa", str(vote.pk))[2].pk == vote.pk


@pytest.mark.postgres
def test_ballot_statements_prepared_once_per_connection_on_postgresql(ballot_world):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    gov, vote, _, _ = ballot_world
    from tests.factories import TokenFactory

    connection.close()  # a fresh connection: nothing prepared yet
    token = TokenFactory(user=gov.world.users["proxy"]).key
    body = {"choices": {str(gov.world.member_b.pk): "against"}}
    response, _ = _post(vote, token, body)
    assert response.status_code == 201, response.content
    # B's own ballot: the one statement (ballot_statement), prepared
    assert any(s.startswith("WITH target AS") for s in _prepared()), _prepared()
    # the repeat is refused by the full path, whose statements are prepared too
    again, _ = _post(vote, token, body)
    assert again.status_code == 400, again.content
    three = services.ballot_cast(
        vote=vote,
        user=gov.office,
        chair=True,
        choices={gov.member(3).pk: "against", gov.member(4).pk: "for"},
    )
    assert len(three) == 2
    prepared = _prepared()
    assert any("governance_vote" in s and "core_clusterrole" in s for s in prepared), (
        prepared
    )  # access_ballot
    assert any("governance_voteright" in s and "FOR UPDATE" in s for s in prepared), (
        prepared
    )  # _rights_locked
    assert any(s.startswith("INSERT INTO") and "governance_ballot" in s for s in prepared), prepared
    # Django's own queries stay unprepared (client-side binding)
    assert not any("authtoken_token" in s or "axes_accessattempt" in s for s in prepared), prepared


@pytest.mark.postgres
@override_settings(KLASTER_DB_PREPARED_BALLOTS=False)
def test_prepared_ballots_can_be_turned_off(ballot_world):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    gov, vote, _, token = ballot_world
    connection.close()
    response, sent = _post(vote, token, {"choices": {str(gov.world.member_a.pk): "for"}})
    assert response.status_code == 201, response.content
    assert len(sent) <= 6
    assert _prepared() == []
