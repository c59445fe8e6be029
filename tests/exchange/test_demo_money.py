"""Issue 10: the demo cluster's money. `klaster demo` bills dues for the last six months and
imports a statement closed yesterday: documents, payments, one transfer waiting for the office,
one member in credit, one a little late — and nobody more than 60 days overdue, so the voting
roll of the General Assembly sitting today (and of the one behind) is what it was without money.
The `czlonek` persona's member has something to show: documents, a payment, an open balance."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from klaster.core.models import Cluster
from klaster.exchange.demo.money import CREDIT, billing_start
from klaster.governance import hooks
from klaster.governance.models import Meeting
from klaster.governance.selectors import voting_roll_for
from klaster.members.models import Member
from klaster.money import selectors
from klaster.money.models import BankEntry, Document, Payment, Statement

pytestmark = pytest.mark.django_db


def _rolls(meetings: list[Meeting]) -> dict[int, set[str]]:
    return {m.pk: set(voting_roll_for(m).entitled_ids) for m in meetings}


def test_billing_starts_six_months_back_on_a_first_day():
    assert billing_start(dt.date(2026, 12, 4)) == dt.date(2026, 6, 1)
    assert billing_start(dt.date(2026, 6, 30)) == dt.date(2025, 12, 1)
    assert billing_start(dt.date(2027, 1, 1)) == dt.date(2026, 7, 1)


# a Friday; the first of a month (a document issued today); a leap day
@pytest.mark.parametrize("today", [dt.date(2026, 12, 4), dt.date(2027, 3, 1), dt.date(2028, 2, 29)])
def test_demo_money_shows_documents_payments_a_queue_and_a_credit_and_keeps_every_vote(today):
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 9, 0, tzinfo=dt.UTC)):
        assert timezone.localdate() == today
        call_command("demo", stdout=io.StringIO())
        cluster = Cluster.objects.get(slug="demo")

        docs = Document.objects.filter(cluster=cluster)
        assert docs.exists() and docs.filter(issued__lt=billing_start(today)).count() == 0
        assert docs.filter(issued__gt=today).count() == 0
        statement = Statement.objects.get(cluster=cluster)
        assert statement.date_to == today - dt.timedelta(days=1)
        entries = BankEntry.objects.filter(cluster=cluster)
        assert (
            entries.filter(state=BankEntry.State.MATCHED).count()
            == Payment.objects.filter(cluster=cluster).count()
        )
        assert Payment.objects.filter(cluster=cluster).count() > 0
        queued = entries.get(state=BankEntry.State.QUEUED)
        assert queued.title == "przelew" and queued.candidates
        assert not entries.filter(state=BankEntry.State.IGNORED).exists()

        rows = selectors.arrears(cluster, today)
        credits = [r for r in rows if r.credit > 0]
        assert [r.credit for r in credits] == [CREDIT]
        # nobody more than 60 days overdue today; one member (not the persona's) 20 to 60 days
        overdue = {
            r.member.pk: max(d.stage.days_overdue for d in r.documents) for r in rows if r.documents
        }
        assert max(overdue.values()) <= 60
        assert all(r.votes for r in rows)
        late = [mid for mid, days in overdue.items() if days > 20]
        assert len(late) == 1

        # the persona's portal: documents, a payment, an open balance
        member = Member.objects.get(representatives__user__username="czlonek")
        assert member.pk not in late
        assert docs.filter(member=member).exists()
        assert Payment.objects.filter(member=member).exists()
        book = selectors.cluster_ledger(cluster, on=today, member_ids=[member.pk])
        assert book.balance(str(member.pk)) > 0

        # the voting rolls of the GA sitting today and of the one behind are what they would
        # be without the money app's arrears
        gas = list(
            Meeting.objects.filter(cluster=cluster, organ__kind="ga", date__lte=today).order_by(
                "date"
            )
        )
        assert any(m.date == today for m in gas)
        with_money = _rolls(gas)
        provider = hooks.unregister_arrears("money")
        assert provider is not None
        try:
            without = _rolls(gas)
        finally:
            hooks.register_arrears("money", provider)
        assert with_money == without


def test_second_demo_adds_no_money():
    call_command("demo", stdout=io.StringIO())
    counts = (Document.objects.count(), Payment.objects.count(), BankEntry.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Document.objects.count(), Payment.objects.count(), BankEntry.objects.count()) == counts
