"""The NBP reference rate the interest is computed from (FIN-4: "a dated, editable table shipped
with the product"): the office enters a change, this cluster's interest reads it from its day.
The Board's amount per meeting (FIN-9) is tested beside the Board's pay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.money import rates, selectors, services
from klaster.money.models import ReferenceRate
from klaster.rules import money as rules

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 6, 30)


def _interest(money) -> Decimal:
    row = next(r for r in selectors.arrears(money.cluster, AS_OF) if r.member == money.a)
    return row.documents[0].interest.amount


def test_fin_4_an_entered_reference_rate_changes_the_interest_from_its_day(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    shipped = _interest(money)
    office = money.world.users["office"]
    rates.reference_rate_add(
        cluster=money.cluster,
        valid_from=dt.date(2026, 5, 7),
        rate=Decimal("3.25"),
        source="Uchwała RPP z 6.05.2026",
        user=office,
    )
    table = rates.reference_rates(money.cluster)
    assert table[-1] == rules.RateChange(dt.date(2026, 5, 7), Decimal("3.25"))
    expected = rules.interest(Decimal("516.60"), dt.date(2026, 1, 15), AS_OF, rates=table).amount
    assert _interest(money) == expected < shipped  # 0.5 pp less from 7 May
    # the other cluster's interest reads only the shipped table
    assert rates.reference_rates(money.world.beta) == rules.reference_rates()
    assert AuditLog.objects.filter(model="money.ReferenceRate", action="create").count() == 1

    with pytest.raises(services.MoneyError) as twice:
        rates.reference_rate_add(
            cluster=money.cluster,
            valid_from=dt.date(2026, 5, 7),
            rate=Decimal("3.00"),
            source="x",
            user=office,
        )
    assert twice.value.field == "valid_from"
    with pytest.raises(services.MoneyError) as high:
        rates.reference_rate_add(
            cluster=money.cluster,
            valid_from=dt.date(2026, 6, 1),
            rate=Decimal("60"),
            source="x",
            user=office,
        )
    assert high.value.field == "rate"
    assert ReferenceRate.objects.count() == 1

    rates.reference_rate_remove(row=ReferenceRate.objects.get(), user=office)
    assert _interest(money) == shipped


def test_fin_4_the_rates_page_lists_shipped_and_entered_rows_and_enters_a_change(money, client_for):
    office = client_for("office")
    url = reverse("money_interest_rates", args=["alfa"])
    page = office.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "dostarczona z programem" in html
    refused = office.post(url, {"valid_from": "2026-11-05", "rate": "3,50", "source": ""})
    assert refused.status_code == 200 and not ReferenceRate.objects.exists()
    done = office.post(
        url, {"valid_from": "2026-11-05", "rate": "3.50", "source": "Uchwała RPP nr 9/2026"}
    )
    assert done.status_code == 302
    html = office.get(url).content.decode()
    assert "Uchwała RPP nr 9/2026" in html and "05.11.2026" in html
    row = ReferenceRate.objects.get()
    assert row.rate == Decimal("3.50") and row.cluster == money.cluster
    assert client_for("member").post(url, {}).status_code == 403
