"""Suspension (FIN-7): at most 12 months, none within 12 months of the last one's end, resumes by
itself, no dues meanwhile; a refusal names its reason and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from klaster.members.models import MembershipEvent
from klaster.money import services
from klaster.money.suspension import suspension_record, suspensions_of

pytestmark = pytest.mark.django_db


def record(money, start, end, commitments=()):
    return suspension_record(
        member=money.a,
        start=start,
        end=end,
        reasons="Przestój",
        commitments=list(commitments),
        user=money.world.users["office"],
    )


def test_fin_7_suspension_resumes_by_itself_and_frees_its_months(money):
    decision = record(money, dt.date(2026, 2, 1), dt.date(2026, 3, 31), ["Projekt X do 2027"])
    assert decision.allowed and decision.resumes == dt.date(2026, 4, 1)
    assert decision.message.kwargs["commitments"].kwargs["items"] == ("Projekt X do 2027",)
    kinds = list(money.a.events.order_by("date").values_list("kind", "date"))
    assert kinds[-2:] == [("suspended", dt.date(2026, 2, 1)), ("resumed", dt.date(2026, 4, 1))]
    assert suspensions_of(money.a) == [
        services.rules.Period(dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    ]
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 4, 30))
    months = sorted(m for d in money.a.money_documents.all() for m, _ in d.months)
    assert months == ["2026-01-01", "2026-04-01"]


def test_fin_7_too_long_or_too_soon_is_refused_and_nothing_written(money):
    before = MembershipEvent.objects.count()
    with pytest.raises(services.MoneyError) as e:
        record(money, dt.date(2026, 2, 1), dt.date(2027, 2, 1))  # 12 months + 1 day
    assert e.value.field == "end" and e.value.message.code == "money.suspension.too_long"
    record(money, dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    with pytest.raises(services.MoneyError) as e:
        record(money, dt.date(2027, 3, 31), dt.date(2027, 4, 30))  # within 12 months of 31.03
    assert e.value.message.code == "money.suspension.too_soon"
    assert MembershipEvent.objects.count() == before + 2
