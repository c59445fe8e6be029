"""The EUR 40/70/100 compensation for recovery costs (FIN-4, art. 10 ust. 1 of the late-payment
act): off by default per fee type; when on, each overdue document carries it, converted at the
NBP mean EUR rate of the last business day of the month before it fell due — read from the
series the `aid` app keeps (AID-2) through `klaster.core.eur_rates`; a missing rate stops the
amount with the reason, never an older rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.core import eur_rates
from klaster.money import pdf, selectors, services
from klaster.money.models import ArrearsStep, FeeType
from tests.aid.test_contracts import RateSeriesFactory
from tests.factories import RateTableFactory
from tests.kkk.pdftext import pdf_text

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 17)  # FV/2026/0001 (516.60, due 15 January) is 61 days late


def _compensating(money) -> None:
    FeeType.objects.filter(cluster=money.cluster).update(recovery_compensation=True)


def _series(through=dt.date(2026, 3, 31)) -> None:
    # the rate of 31.12.2025 (the last business day before January, when January's dues fell
    # due) and a later one that must not be used
    RateTableFactory(date=dt.date(2025, 12, 31), number="251/A/NBP/2025", mid=Decimal("4.2150"))
    RateTableFactory(date=dt.date(2026, 1, 2), number="001/A/NBP/2026", mid=Decimal("4.3000"))
    RateSeriesFactory(complete_through=through)


def _alfa(money, day=AS_OF):
    return next(r for r in selectors.arrears(money.cluster, day) if r.member == money.a)


def test_fin_4_compensation_is_off_by_default(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    _series()
    doc = _alfa(money).documents[0]
    assert doc.compensation is None and doc.compensation_missing is None
    assert selectors.compensation_lines(_alfa(money).documents) == []


def test_fin_4_compensation_40_eur_at_the_rate_of_the_last_business_day_before_the_month(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    _compensating(money)
    _series()
    doc = _alfa(money).documents[0]
    c = doc.compensation
    assert (c.eur, c.rate, c.rate_day) == (40, Decimal("4.2150"), dt.date(2025, 12, 31))
    assert c.pln == Decimal("168.60")  # 40 × 4.2150
    assert c.basis.startswith("art. 10 ust. 1")
    # not yet overdue on the due day itself: no compensation
    assert _alfa(money, dt.date(2026, 1, 15)).documents[0].compensation is None


def test_fin_4_a_missing_rate_stops_the_amount_with_its_reason(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    _compensating(money)
    RateTableFactory(date=dt.date(2026, 1, 2), number="001/A/NBP/2026", mid=Decimal("4.3000"))
    RateSeriesFactory(complete_through=dt.date(2026, 3, 31))
    # the series starts after the day the compensation needs: no older or later rate is taken
    doc = _alfa(money).documents[0]
    assert doc.compensation is None and doc.compensation_missing is not None
    (line,) = selectors.compensation_lines(_alfa(money).documents)
    assert line.pln is None and "31.12.2025" in line.text


def test_fin_4_without_a_series_the_port_says_so(monkeypatch):
    monkeypatch.setattr(eur_rates, "_source", None)
    with pytest.raises(eur_rates.RateMissing) as refused:
        eur_rates.rate_on(dt.date(2025, 12, 31))
    assert refused.value.message.code == "core.eur_rates.no_source"


def test_fin_4_letter_page_and_step_carry_the_compensation(money, client_for, smtp):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    _compensating(money)
    _series()
    row = _alfa(money)
    text = pdf_text(pdf.arrears_letter_pdf(money.cluster, row, AS_OF, "60"))
    assert "Rekompensata za koszty odzyskiwania" in text
    assert "168,60" in text and "40 euro" in text and "31.12.2025" in text
    office = client_for("office")
    page = office.get(
        reverse("money_arrears", kwargs={"slug": money.cluster.slug}), {"as_of": "2026-03-17"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Rekompensata za koszty odzyskiwania" in body
    assert "168,60" in body
    office.post(
        reverse("money_arrears_step", kwargs={"slug": money.cluster.slug, "member_id": money.a.pk}),
        {
            f"m{money.a.pk}-member": money.a.pk,
            f"m{money.a.pk}-kind": "notice",
            f"m{money.a.pk}-day": "2026-03-17",
        },
    )
    step = ArrearsStep.objects.get(member=money.a)
    assert step.compensation == Decimal("168.60")
