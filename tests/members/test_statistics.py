"""MEM-12 (001 "Dane i informacje statystyczne" 2): the office sees every member's yearly
figures, a representative its own, everyone else in the cluster totals only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MemberFactory, MemberYearFactory

pytestmark = pytest.mark.django_db

D = Decimal


def shown(value: str) -> str:
    """A table cell as the page prints a figure (Polish: decimal comma, thousands grouped by a
    non-breaking space — issue 9's `|number:2`), delimited so that one number is never found
    inside another."""
    from klaster.core.templatetags.klaster_format import format_number

    return ">" + format_number(value, 2, polish=True) + "<"


def _year(member, year, revenue, export, rd, fte):
    return MemberYearFactory(
        member=member,
        year=year,
        revenue=D(revenue),
        export_revenue=D(export),
        rd_expenditure=D(rd),
        fte=D(fte),
    )


@pytest.fixture
def figures(world):
    _year(world.coordinator, 2024, "1000001.00", "0.00", "10000.00", "5.0")
    _year(world.member_a, 2024, "2345678.91", "456789.12", "34567.89", "12.5")
    _year(world.member_b, 2024, "7654321.09", "1234567.89", "98765.43", "40.0")
    _year(world.member_b, 2023, "7000000.00", "1000000.00", "90000.00", "38.0")  # one member only
    gone = MemberFactory(cluster=world.alfa, name="Były Członek", status="former")
    _year(
        gone, 2024, "999999999.00", "0.00", "0.00", "999.0"
    )  # not a member now: not in the totals
    _year(world.member_beta, 2024, "555.00", "0.00", "0.00", "1.0")  # another cluster
    return world


def test_mem_12_totals_per_year_over_current_members(figures, client_for):
    r = client_for("forum").get(reverse("member_statistics", kwargs={"slug": "alfa"}))
    assert r.status_code == 200
    by_year = {t.year: t for t in r.context["totals"]}
    t = by_year[2024]
    assert t.members == 3
    assert t.figures["revenue"].total == D("11000001.00")
    assert t.figures["export_revenue"].total == D("1691357.01")
    assert t.figures["rd_expenditure"].total == D("143333.32")
    assert t.figures["fte"].total == D("57.5")
    # 2023 has one member's figures only: a "total" would be that member's own numbers
    assert by_year[2023].figures["revenue"].hidden is True
    assert by_year[2023].figures["revenue"].total is None
    body = r.content.decode()
    assert shown("7000000.00") not in body and shown("11000001.00") in body
    assert r.context["rows"] is None  # no individual figures for a forum viewer


def test_mem_12_each_role_sees_what_it_may(figures, client_for):
    url = reverse("member_statistics", kwargs={"slug": "alfa"})
    chair = client_for("chair").get(url).content.decode()
    for secret in ("2345678.91", "7654321.09", "1000001.00"):
        assert shown(secret) not in chair
    own = client_for("member").get(url)
    assert [(y.member_id, y.year) for y in own.context["rows"]] == [(figures.member_a.pk, 2024)]
    body = own.content.decode()
    assert shown("2345678.91") in body and shown("7654321.09") not in body
    office = client_for("office").get(url + "?year=2024")
    assert {y.member_id for y in office.context["rows"]} == {
        figures.coordinator.pk,
        figures.member_a.pk,
        figures.member_b.pk,
    }
    # the office also sees the one-member total
    office_totals = {t.year: t for t in office.context["totals"]}
    assert office_totals[2023].figures["revenue"].total == D("7000000.00")


def test_mem_12_member_page_hides_other_members_figures(figures, client_for):
    url = reverse("member_detail", kwargs={"slug": "alfa", "member_id": figures.member_a.pk})
    chair = client_for("chair").get(url)
    assert chair.status_code == 200 and list(chair.context["years"]) == []
    assert shown("2345678.91") not in chair.content.decode()
    assert client_for("proxy").get(url).status_code == 403  # another member's representative
    own = client_for("member").get(url)
    assert shown("2345678.91") in own.content.decode()
    office = client_for("office").get(url)
    assert shown("2345678.91") in office.content.decode()


def test_mem_12_totals_page_query_count_does_not_grow_with_members(world, client_for):
    url = reverse("member_statistics", kwargs={"slug": "alfa"})
    c = client_for("forum")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    _year(world.member_a, 2024, "1.00", "0.00", "0.00", "1.0")
    few = count()
    for i in range(20):
        _year(
            MemberFactory(cluster=world.alfa, key=f"s{i:03d}"), 2024, "1.00", "0.00", "0.00", "1.0"
        )
    assert count() == few
