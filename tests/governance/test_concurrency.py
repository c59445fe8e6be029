"""Many parallel voters on PostgreSQL (GOV-1: one entity, one vote): threads with their own
database connections cast — each twice at the same moment — while the chair closes the vote.
Every ballot is counted exactly once; none is lost, none doubled."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.governance.conftest import build_gov, check_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VOTERS = 60


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: row locks (SELECT … FOR UPDATE / FOR SHARE) are what this proves; "
            "SQLite serialises every write transaction anyway. Run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        )


THREADS = 16  # each with its own connection; the server's max_connections is shared with others


def _run_threads(targets):
    """Run the targets on THREADS threads started together; neighbouring targets (the two attempts
    of one voter) land on different threads and run at the same moment."""
    barrier = threading.Barrier(min(THREADS, len(targets)))
    errors: list[BaseException] = []

    def worker(start):
        def run():
            try:
                barrier.wait()
                for fn in targets[start::THREADS]:
                    try:
                        fn()
                    except BaseException as exc:  # noqa: BLE001 — reported below
                        errors.append(exc)
            finally:
                connections.close_all()

        return run

    threads = [threading.Thread(target=worker(i)) for i in range(min(THREADS, len(targets)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a voter hung: lock order broken?"
    return errors


def test_gov_1_parallel_voters_each_counted_exactly_once(pg, world, frozen):
    from klaster.governance import services
    from klaster.governance.models import Ballot, Vote
    from tests.factories import UserFactory, grant

    gov = build_gov(world, extra=VOTERS - 3)
    users = {}
    for m in gov.members:
        users[m.pk] = UserFactory(username=f"voter{m.pk}")
        grant(users[m.pk], world.alfa, "representative", m)
    check_in(gov, gov.members)
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Równoległe głosowanie")
    outcomes: dict[str, list] = {"ok": [], "refused": []}
    lock = threading.Lock()

    def voter(member_id, choice):
        def cast():
            try:
                services.ballot_cast(vote=vote, user=users[member_id], choices={member_id: choice})
                with lock:
                    outcomes["ok"].append(member_id)
            except ValidationError as exc:
                assert "już głosował" in " ".join(exc.messages), exc.messages
                with lock:
                    outcomes["refused"].append(member_id)

        return cast

    # each voter twice, at once (a double click from two devices)
    targets = [t for m in gov.members for t in (voter(m.pk, "for"), voter(m.pk, "against"))]
    errors = _run_threads(targets)
    assert not errors, errors[:3]
    assert sorted(outcomes["ok"]) == sorted(m.pk for m in gov.members)
    assert len(outcomes["refused"]) == VOTERS
    assert Ballot.objects.filter(vote=vote).count() == VOTERS
    resolution = services.vote_close(vote=Vote.objects.get(pk=vote.pk), user=gov.office)
    vote.refresh_from_db()
    assert vote.for_count + vote.against_count + vote.abstain_count == VOTERS
    assert resolution.tally_words.startswith(f"za {vote.for_count}, przeciw {vote.against_count}")


def test_gov_1_closing_while_voters_cast_loses_nothing(pg, world, frozen):
    from klaster.governance import services
    from klaster.governance.models import Ballot, Vote

    gov = build_gov(world, extra=VOTERS - 3)
    check_in(gov, gov.members)
    services.meeting_open(meeting=gov.ga, user=gov.office)
    vote = services.vote_open(meeting=gov.ga, user=gov.office, title="Zamknięcie w trakcie")

    def voter(member_id):
        def cast():
            try:
                services.ballot_cast(
                    vote=vote, user=gov.office, chair=True, choices={member_id: "for"}
                )
            except ValidationError as exc:
                assert "zamknięte" in " ".join(exc.messages), exc.messages

        return cast

    def closer():
        services.vote_close(vote=Vote.objects.get(pk=vote.pk), user=gov.office)

    errors = _run_threads(
        [voter(m.pk) for m in gov.members[: VOTERS // 2]]
        + [closer]
        + [voter(m.pk) for m in gov.members[VOTERS // 2 :]]
    )
    assert not Vote.objects.filter(pk=vote.pk, status="open").exists()
    assert not errors, errors[:3]
    vote.refresh_from_db()
    # whatever got in before the close is counted; nothing got in after it
    assert vote.status == "closed" and vote.for_count == Ballot.objects.filter(vote=vote).count()
