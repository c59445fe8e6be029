"""The dues run (FIN-1, FIN-2 and the Reading; MONEY-CLI `klaster dues run`)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import transaction

from klaster.money import services
from klaster.money.models import Document
from tests.factories import MemberBillingFactory
from tests.money.conftest import START, klaster

pytestmark = pytest.mark.django_db


def run(cluster, through):
    return services.dues_run(cluster=cluster, through=through)


def months(member):
    return sorted(m for d in Document.objects.filter(member=member) for m, _net in d.months)


def test_fin_1_fin_2_monthly_dues_by_size_with_vat_numbered_without_gaps(money):
    done = run(money.cluster, dt.date(2026, 3, 10))
    assert done.count == 6
    docs = list(Document.objects.filter(cluster=money.cluster).order_by("seq"))
    assert [d.number for d in docs] == [f"FV/2026/{i:04d}" for i in range(1, 7)]
    # issued on the period's first day, the older member first within a day (by dataset id)
    assert [(d.issued, d.member.key) for d in docs[:2]] == [
        (dt.date(2026, 1, 1), "m001"),
        (dt.date(2026, 1, 1), "m002"),
    ]
    a = docs[0]
    assert (a.net, a.vat, a.gross, a.vat_rate, a.kind) == (
        Decimal("420.00"),
        Decimal("96.60"),
        Decimal("516.60"),
        "23",
        "invoice",
    )
    assert a.due == dt.date(2026, 1, 15)
    assert docs[1].gross == Decimal("1107.00")  # medium: 900 net
    # the coordinator issues, it is not billed; another cluster's members are untouched
    assert not Document.objects.filter(member=money.world.coordinator).exists()
    assert not Document.objects.filter(cluster=money.world.beta).exists()


def test_fin_2_dues_run_is_idempotent(money):
    run(money.cluster, dt.date(2026, 2, 1))
    assert run(money.cluster, dt.date(2026, 2, 1)).count == 0
    assert run(money.cluster, dt.date(2026, 2, 28)).count == 0
    assert run(money.cluster, dt.date(2026, 3, 1)).count == 2
    assert Document.objects.count() == 6


def test_fin_2_billing_period_per_member_states_the_period(money):
    MemberBillingFactory(member=money.b, billing="quarter")
    run(money.cluster, dt.date(2026, 4, 1))
    q = list(Document.objects.filter(member=money.b).order_by("issued"))
    assert [(d.period_start, d.period_end, d.net) for d in q] == [
        (dt.date(2026, 1, 1), dt.date(2026, 3, 31), Decimal("2700.00")),
        (dt.date(2026, 4, 1), dt.date(2026, 6, 30), Decimal("2700.00")),
    ]
    assert Document.objects.filter(member=money.a).count() == 4  # monthly


def test_fin_5_exemption_from_the_first_frees_the_month(money):
    from tests.factories import VotingRestrictionFactory

    VotingRestrictionFactory(
        member=money.a, kind="dues_exempt", starts=dt.date(2026, 2, 1), ends=dt.date(2026, 3, 2)
    )
    run(money.cluster, dt.date(2026, 4, 30))
    # February is free (exempt on the 1st … all month); March is owed (2 March is exempt, but the
    # member bears dues from the 3rd), April too
    assert months(money.a) == ["2026-01-01", "2026-03-01", "2026-04-01"]


def test_fin_7_suspension_and_leaving_free_months_per_the_reading(money):
    from klaster.members.services import member_event_add

    office = money.world.users["office"]
    with transaction.atomic():
        member_event_add(member=money.a, kind="suspended", date=dt.date(2026, 2, 1), user=office)
        member_event_add(member=money.a, kind="resumed", date=dt.date(2026, 3, 15), user=office)
        member_event_add(member=money.b, kind="resigned", date=dt.date(2026, 3, 1), user=office)
    run(money.cluster, dt.date(2026, 4, 30))
    assert months(money.a) == ["2026-01-01", "2026-03-01", "2026-04-01"]
    assert months(money.b) == ["2026-01-01", "2026-02-01"]  # left on the 1st: March is free


def test_fin_2_no_tariff_in_force_refuses_and_writes_nothing(money):
    from klaster.money.models import TariffVersion

    TariffVersion.objects.all().delete()
    with pytest.raises(services.MoneyError) as e:
        run(money.cluster, dt.date(2026, 3, 1))
    assert e.value.field == "tariff"
    assert Document.objects.count() == 0


def test_fin_2_dues_run_command_prints_the_count_last(money, capsys):
    code = klaster(["dues", "run", "alfa", "--through", "2026-02-10"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert out[-1] == "Wystawiono dokumentów: 4"
    assert out[0].startswith("FV/2026/0001\tm001\t2026-01-01…2026-01-31")
    assert klaster(["dues", "run", "alfa", "--through", "2026-02-10"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "Wystawiono dokumentów: 0"


def test_fin_2_dues_run_command_exits_2_naming_the_missing_setting(money, capsys):
    code = klaster(["dues", "run", "beta", "--through", "2026-02-10"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "ustawie" in captured.err.lower()  # the money settings, named in Polish
    assert Document.objects.count() == 0


def _bears_dues_on(events, exempt, day):
    """Brute force, independent of the rules' spans: the member is active that day (the last
    event on or before it decides), and not exempted."""
    status = None
    for kind, when in sorted(events, key=lambda e: e[1]):
        if when <= day:
            status = {"admitted": "active", "resumed": "active", "suspended": "suspended"}.get(
                kind, "former" if kind == "resigned" else status
            )
    if status != "active":
        return False
    return not any(s <= day and (e is None or day <= e) for s, e in exempt)


@pytest.mark.parametrize("seed", range(6))
def test_fin_2_reading_months_owed_equal_months_of_dues_bearing_membership(money, seed):
    """Property: whatever the suspensions, exemptions and leaving, the months billed are exactly
    the months with at least one dues-bearing day."""
    from klaster.members.services import member_event_add
    from tests.factories import VotingRestrictionFactory

    rng = random.Random(seed)
    office = money.world.users["office"]
    events = [("admitted", dt.date(2016, 3, 1))]
    day = START + dt.timedelta(days=rng.randrange(0, 40))
    with transaction.atomic():
        for _ in range(rng.randrange(0, 3)):
            member_event_add(member=money.a, kind="suspended", date=day, user=office)
            events.append(("suspended", day))
            day += dt.timedelta(days=rng.randrange(1, 80))
            member_event_add(member=money.a, kind="resumed", date=day, user=office)
            events.append(("resumed", day))
            day += dt.timedelta(days=rng.randrange(1, 60))
    exempt = []
    if rng.random() < 0.6:
        s = START + dt.timedelta(days=rng.randrange(0, 300))
        e = s + dt.timedelta(days=rng.randrange(0, 90))
        VotingRestrictionFactory(member=money.a, kind="dues_exempt", starts=s, ends=e)
        exempt.append((s, e))
    through = dt.date(2026, 12, 31)
    run(money.cluster, through)
    expected = []
    month = START
    while month <= through:
        nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        days = [month + dt.timedelta(days=i) for i in range((nxt - month).days)]
        if any(_bears_dues_on(events, exempt, d) for d in days):
            expected.append(month.isoformat())
        month = nxt
    assert months(money.a) == expected


def test_fin_2_a_later_exemption_is_a_correcting_document_never_an_edit(money):
    from tests.factories import VotingRestrictionFactory

    run(money.cluster, dt.date(2026, 3, 1))
    original = Document.objects.get(member=money.a, period_start=dt.date(2026, 2, 1))
    VotingRestrictionFactory(
        member=money.a, kind="dues_exempt", starts=dt.date(2026, 2, 1), ends=dt.date(2026, 2, 28)
    )
    done = run(money.cluster, dt.date(2026, 3, 10))
    kor = Document.objects.get(kind="correction")
    assert [d.number for d in done.issued] == ["KOR/2026/0001"]
    assert (kor.corrects, kor.net, kor.vat, kor.gross) == (
        original,
        Decimal("-420.00"),
        Decimal("-96.60"),
        Decimal("-516.60"),
    )
    assert kor.months == [] and kor.issued == dt.date(2026, 3, 10)
    original.refresh_from_db()
    assert original.net == Decimal("420.00")  # the original is never edited
    from klaster.money import selectors

    book = selectors.cluster_ledger(money.cluster)
    assert book.open[original.number] == 0  # the correction settles it
    # idempotent, and an earlier date never "removes" later months
    assert run(money.cluster, dt.date(2026, 3, 10)).count == 0
    assert run(money.cluster, dt.date(2026, 1, 5)).count == 0


def test_fin_2_a_quarter_corrected_for_one_month_keeps_the_others(money):
    from klaster.members.services import member_event_add

    MemberBillingFactory(member=money.b, billing="quarter")
    run(money.cluster, dt.date(2026, 1, 1))
    with transaction.atomic():
        member_event_add(
            member=money.b,
            kind="resigned",
            date=dt.date(2026, 3, 1),
            user=money.world.users["office"],
        )
    done = run(money.cluster, dt.date(2026, 1, 20))  # earlier than the quarter's end
    kor = Document.objects.get(kind="correction")
    assert [d.number for d in done.issued] == ["KOR/2026/0001"]
    assert kor.net == Decimal("-900.00")  # March freed: left on the 1st
    assert [m for m, _ in kor.months] == ["2026-01-01", "2026-02-01"]

    later = run(money.cluster, dt.date(2026, 4, 1))
    assert {d.member_id for d in later.issued} == {money.a.pk}  # b, gone, is billed no more
