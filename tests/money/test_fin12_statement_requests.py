"""FIN-12: a member's written request for the sub-account statements — at least the last closed
quarter, provided within 5 business days (Polish holidays skipped); the statements in the
member's portal, for its own representatives and the office only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.money.services import MoneyError
from tests.factories import PaymentFactory


@pytest.fixture
def paid(money):

    for day, amount, note in (
        (dt.date(2026, 3, 31), "516.60", "składka marzec"),
        (dt.date(2026, 1, 10), "516.60", "składka styczeń"),
        (dt.date(2026, 4, 1), "100.00", "po okresie"),
    ):
        PaymentFactory(
            cluster=money.cluster, member=money.a, day=day, amount=Decimal(amount), note=note
        )
    PaymentFactory(
        cluster=money.cluster,
        member=money.b,
        day=dt.date(2026, 2, 1),
        amount=Decimal("1107.00"),
        note="inny członek",
    )
    return money


def record(money, requested_on, member=None, **kw):
    from klaster.money import staff_services as services

    return services.record_request(
        cluster=money.cluster,
        user=money.world.users["office"],
        member=member or money.a,
        requested_on=requested_on,
        **kw,
    )


def test_fin_12_period_defaults_to_last_closed_quarter(money):
    req = record(money, dt.date(2026, 4, 29))
    assert (req.period_start, req.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def test_fin_12_deadline_skips_polish_holidays_and_overdue(money):
    from klaster.money.staff_selectors import request_rows, statement_requests_due

    # Wednesday 29 April 2026: 30 Apr, (1 May holiday), 4, (3 May Sunday) 5, 6, 7 May → 7 May
    req = record(money, dt.date(2026, 4, 29))
    (row,) = request_rows(money.cluster, dt.date(2026, 5, 7))
    assert row.deadline == dt.date(2026, 5, 7) and not row.overdue
    (due,) = statement_requests_due(money.cluster, dt.date(2026, 5, 8))
    assert due.request == req and due.overdue
    from klaster.money import staff_services as services

    services.provide_request(
        request=req, user=money.world.users["office"], provided_on=dt.date(2026, 5, 8)
    )
    assert statement_requests_due(money.cluster, dt.date(2026, 5, 8)) == []


def test_fin_12_refusals_name_the_field(money):
    from klaster.money import staff_services as services

    with pytest.raises(MoneyError) as exc:
        record(
            money,
            dt.date(2026, 4, 29),
            period_start=dt.date(2026, 3, 1),
            period_end=dt.date(2026, 2, 1),
        )
    assert exc.value.field == "period_end"
    with pytest.raises(MoneyError) as exc:
        record(money, dt.date(2026, 4, 29), member=money.world.member_beta)
    assert exc.value.field == "member"
    req = record(money, dt.date(2026, 4, 29))
    with pytest.raises(MoneyError) as exc:
        services.provide_request(request=req, user=None, provided_on=dt.date(2026, 4, 28))
    assert exc.value.field == "provided_on"


def test_fin_12_statement_lists_the_members_payments_in_the_period(paid):
    from klaster.money.staff_selectors import statement_lines
    from klaster.money.views_staff import statement_html

    req = record(paid, dt.date(2026, 4, 29))
    lines = statement_lines(req)
    assert [(line.day, line.title) for line in lines] == [
        (dt.date(2026, 1, 10), "składka styczeń"),
        (dt.date(2026, 3, 31), "składka marzec"),
    ]
    html = statement_html(req)
    assert "składka marzec" in html and "inny członek" not in html and "po okresie" not in html


def test_fin_12_office_pages_and_the_members_portal(paid, client_for):
    from klaster.money.models import StatementRequest

    office = client_for("office")
    url = reverse("money_requests", args=["alfa"])
    r = office.post(url, {"member": paid.a.pk, "requested_on": "2026-04-29"})
    assert r.status_code == 302
    req = StatementRequest.objects.get(member=paid.a)
    assert req.period_end == dt.date(2026, 3, 31)
    page = office.get(url)
    assert page.status_code == 200 and paid.a.name in page.content.decode()
    pdf_url = reverse("money_statement_pdf", args=["alfa", req.pk])
    mine = reverse("money_my_statements", args=["alfa", paid.a.pk])
    member = client_for("member")
    # not provided yet: the member sees the request, not a statement
    assert pdf_url not in member.get(mine).content.decode()
    assert member.get(pdf_url).status_code == 403
    r = office.post(
        reverse("money_request_provide", args=["alfa", req.pk]), {"provided_on": "2026-05-04"}
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.provided_on == dt.date(2026, 5, 4)
    page = member.get(mine)
    assert page.status_code == 200 and pdf_url in page.content.decode()
    pdf = member.get(pdf_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # another member's representatives see neither the list nor the statement
    proxy = client_for("proxy")
    assert proxy.get(mine).status_code == 403
    assert proxy.get(pdf_url).status_code == 403
    assert client_for("chair").get(pdf_url).status_code == 403
    assert client_for("outsider").get(pdf_url).status_code == 404
    assert client_for("member").get(url).status_code == 403
