"""Issue 8 point 5, GOV-1: a member's own ballot in one PostgreSQL statement
(`klaster.governance.services.ballot_statement`). It writes exactly the ballot and the audit row
the full path (`access_ballot` → `ballot_cast`) writes, accepts nothing the full path refuses —
each refusal answers None and writes nothing, so the full path words it — and never doubles a
member's ballot under concurrent casts."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.governance import services
from klaster.governance.models import Ballot, Meeting, Vote
from klaster.governance.services.ballot_statement import AlreadyVoted, ballot_cast_statement
from tests.governance.test_ballot_hot_path import ballot_world  # noqa: F401 — the fixture

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement ballot is PostgreSQL's; SQLite takes the full path")


def _audit(vote, member_id):
    return AuditLog.objects.filter(
        action="ballot", model="governance.Vote", object_id=str(vote.pk)
    ).get(changes__has_key=str(member_id))


def test_gov_1_one_statement_writes_what_the_full_path_writes(ballot_world):  # noqa: F811
    gov, vote, voter, _ = ballot_world
    a, b = gov.world.member_a, gov.world.member_b
    done = ballot_cast_statement(user=voter, slug="alfa", vote_id=vote.pk, choices={a.pk: "for"})
    assert done is not None and done.pk == Ballot.objects.get(vote=vote, member=a).pk
    # the same member's ballot by the full path, for member B by its own representative
    (full,) = services.ballot_cast(
        vote=Vote.objects.get(pk=vote.pk), user=gov.world.users["proxy"], choices={b.pk: "for"}
    )
    fast_row = Ballot.objects.get(vote=vote, member=a)
    full_row = Ballot.objects.get(pk=full.pk)
    fields = ("choice", "via", "proxy_id")
    assert [getattr(fast_row, f) for f in fields] == [getattr(full_row, f) for f in fields]
    assert (fast_row.cast_by_id, fast_row.cast_by_name) == (voter.pk, voter.get_username())
    assert fast_row.cast_at == done.cast_at
    fast_log, full_log = _audit(vote, a.pk), _audit(vote, b.pk)
    assert fast_log.object_repr == full_log.object_repr == f"{vote.meeting}: {vote}"
    assert (fast_log.cluster_id, fast_log.user_id) == (gov.world.alfa.pk, voter.pk)
    assert fast_log.changes == {str(a.pk): [None, "for (own)"]}
    assert full_log.changes == {str(b.pk): [None, "for (own)"]}
    assert fast_log.at == done.cast_at


def test_gov_1_what_the_full_path_refuses_the_statement_leaves_to_it(ballot_world):  # noqa: F811
    gov, vote, voter, _ = ballot_world
    a = gov.world.member_a
    absent = gov.member(9)  # not checked in: no right in the vote

    def nothing(**kwargs):
        before = (Ballot.objects.count(), AuditLog.objects.count())
        args = {"user": voter, "slug": "alfa", "vote_id": vote.pk, "choices": {a.pk: "for"}}
        assert ballot_cast_statement(**{**args, **kwargs}) is None, kwargs
        assert (Ballot.objects.count(), AuditLog.objects.count()) == before, kwargs

    nothing(slug="beta")  # the vote is not that cluster's
    nothing(user=gov.world.users["proxy"])  # a representative of B, not of A
    nothing(user=gov.office)  # the office records through the chair's door
    nothing(choices={absent.pk: "for"})  # no right in the vote
    nothing(choices={a.pk: "for", gov.world.member_b.pk: "for"})  # several: the full path
    nothing(vote_id=2**63)  # beyond the column
    Meeting.objects.filter(pk=vote.meeting_id).update(organ=gov.organs["council"])
    nothing()  # a Council vote: whether A sits in it is the full path's question
    Meeting.objects.filter(pk=vote.meeting_id).update(organ=gov.organs["ga"])
    assert ballot_cast_statement(user=voter, slug="alfa", vote_id=vote.pk, choices={a.pk: "for"})
    before = (Ballot.objects.count(), AuditLog.objects.count())
    with pytest.raises(AlreadyVoted):  # one member, one vote: refused here, in the same words
        ballot_cast_statement(user=voter, slug="alfa", vote_id=vote.pk, choices={a.pk: "against"})
    assert (Ballot.objects.count(), AuditLog.objects.count()) == before
    Vote.objects.filter(pk=vote.pk).update(status=Vote.Status.CLOSED)
    nothing(choices={gov.member(3).pk: "for"})  # closed


def test_gov_1_the_api_casts_in_one_statement_and_refuses_the_repeat_in_words(
    ballot_world,  # noqa: F811
):
    gov, vote, voter, token = ballot_world
    a = gov.world.member_a
    url = reverse("api_ballot_cast", kwargs={"cluster_slug": "alfa", "vote_id": vote.pk})

    def post():
        with CaptureQueriesContext(connection) as ctx:
            response = Client().post(
                url,
                json.dumps({"choices": {str(a.pk): "against"}}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {token}",
            )
        return response, [q["sql"] for q in ctx.captured_queries]

    first, sent = post()
    assert first.status_code == 201, first.content
    assert first.json() == {"cast": [{"member": a.pk, "choice": "against", "via": "own"}]}
    ballot_statements = [q for q in sent if "governance_" in q]
    assert len(ballot_statements) == 1 and ballot_statements[0].startswith("WITH target AS")
    again, sent = post()
    assert again.status_code == 400
    assert again.json() == {
        "detail": [f"Podmiot {a.pk} już głosował: jeden podmiot, jeden głos (GOV-1)."]
    }
    assert len([q for q in sent if "governance_" in q]) == 1  # refused by the same statement
    assert Ballot.objects.filter(vote=vote, member=a).count() == 1


def test_gov_1_concurrent_casts_of_one_member_write_one_ballot(ballot_world):  # noqa: F811
    gov, vote, voter, _ = ballot_world
    a = gov.world.member_a
    results: list = []
    start = threading.Barrier(6)

    def cast(choice):
        try:
            start.wait()
            results.append(
                ballot_cast_statement(
                    user=voter, slug="alfa", vote_id=vote.pk, choices={a.pk: choice}
                )
            )
        except AlreadyVoted:
            results.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=(c,)) for c in ("for", "against", "abstain") * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, Ballot) for r in results) == 1
    assert results.count("already") == 5
    assert Ballot.objects.filter(vote=vote, member=a).count() == 1
    assert (
        AuditLog.objects.filter(action="ballot", object_id=str(vote.pk))
        .filter(changes__has_key=str(a.pk))
        .count()
        == 1
    )
