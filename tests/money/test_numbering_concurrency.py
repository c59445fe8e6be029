"""Document numbers without gaps under parallel issuers (FIN-2), on PostgreSQL: sixteen threads,
each with its own connection, issue at the same moment; some of their transactions roll back
after taking a number. The numbers that remain run 1…N with no gap and none twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 16
PER_THREAD = 6


@pytest.fixture
def pg():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the counter row's lock under parallel connections is what this "
            "proves; SQLite serialises every write transaction anyway. Run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        )


class Rollback(Exception):
    pass


def test_fin_2_parallel_issuers_leave_no_gap_and_no_number_twice(pg, money):
    from klaster.money.models import Document, FeeType
    from klaster.money.services import reserve_numbers
    from tests.factories import DocumentFactory

    cluster, member = money.cluster, money.a
    fee = FeeType.objects.get(cluster=cluster, key="dues")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def issue(thread: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                try:
                    with transaction.atomic():
                        seq = reserve_numbers(cluster, "FV", 2026, 1)
                        DocumentFactory(member=member, fee_type=fee, year=2026, seq=seq)
                        if (thread + i) % 4 == 0:
                            raise Rollback  # the number goes back with the transaction
                except Rollback:
                    pass
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors
    kept = sorted(Document.objects.values_list("seq", flat=True))
    rolled_back = sum(1 for t in range(THREADS) for i in range(PER_THREAD) if (t + i) % 4 == 0)
    assert len(kept) == THREADS * PER_THREAD - rolled_back
    assert kept == list(range(1, len(kept) + 1))
