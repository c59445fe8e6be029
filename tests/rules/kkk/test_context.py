"""Context computes what the criteria share once per evaluation; its fast paths give what the
plain definitions give (MEM-9 distances, the last-3-fiscal-years facts, members on D)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.dataset.model import Address, Location, MemberYear
from klaster.rules.kkk.context import Context, Facts, great_circle_km, is_member_on, round_to_10_km
from tests.rules.kkk.builders import FISCAL, SEAT, D, coordinator, dataset, member

LATITUDES = st.decimals(min_value=-90, max_value=90, places=4)
LONGITUDES = st.decimals(min_value=-180, max_value=180, places=4)


@settings(max_examples=300)
@given(st.lists(st.tuples(LATITUDES, LONGITUDES), min_size=1, max_size=8), LATITUDES, LONGITUDES)
def test_mem_9_distances_are_great_circle_km_rounded_to_10_km(points, lat, lon):
    seat = Location(lat, lon)
    others = [member(f"m{i}", location=Location(a, b)) for i, (a, b) in enumerate(points)]
    ctx = Context(dataset([coordinator(location=seat), *others]), D)
    for m in others:
        km = great_circle_km(float(lat), float(lon), float(m.location.lat), float(m.location.lon))
        assert ctx.distance[m.id] == round_to_10_km(km)
        assert str(ctx.distance[m.id]) == str(round_to_10_km(km))
        assert ctx.distance_source[m.id] == "location"


def test_mem_9_an_address_is_placed_once_for_equal_addresses():
    asked: list[Address] = []

    def locate(address: Address) -> tuple[float, float] | None:
        asked.append(address)
        return (53.0, 23.0) if address.postal_code == "15-001" else None

    here = Address(street="ul. A 1", postal_code="15-001", city="Białystok")
    nowhere = Address(postal_code="00-000", city="?")
    ms = [
        member("a", location=None, address=here),
        member("b", location=None, address=Address(**vars(here))),
        member("c", location=None, address=nowhere),
    ]
    ctx = Context(dataset(ms), D, locate)
    assert asked == [here, nowhere]
    assert (ctx.distance_source["a"], ctx.distance_source["b"], ctx.distance_source["c"]) == (
        "address",
        "address",
        "unplaced",
    )
    assert (
        ctx.distance["a"]
        == ctx.distance["b"]
        == round_to_10_km(great_circle_km(float(SEAT.lat), float(SEAT.lon), 53.0, 23.0))
    )
    assert ctx.distance["c"] is None


AMOUNTS = st.sampled_from([None, Decimal("0"), Decimal("10.50"), Decimal("-1"), Decimal("3")])


@given(
    st.lists(
        st.tuples(st.integers(2015, 2021), AMOUNTS, AMOUNTS, AMOUNTS),
        max_size=6,
        unique_by=lambda t: t[0],
    )
)
def test_facts_sum_the_last_three_fiscal_years(rows):
    fy = tuple(
        MemberYear(year=y, revenue=r, export_revenue=e, rd_expenditure=rd) for y, r, e, rd in rows
    )
    ctx = Context(dataset([member("x", years=fy)]), D)
    window = [y for y in fy if FISCAL[0] <= y.year <= FISCAL[-1]]

    def total(values):
        present = [v for v in values if v is not None]
        return sum(present[1:], present[0]) if present else None

    revenue = total(y.revenue for y in window)
    export = total(y.export_revenue for y in window)
    rd = total(y.rd_expenditure for y in window)
    want = Facts(revenue, export, rd, export is not None and export > 0, rd is not None and rd > 0)
    assert ctx.facts["x"] == want


def test_members_on_d_are_those_is_member_on_counts():
    ms = [
        member("a", joined=D),
        member("b", left=D),
        member("c", joined=None),
        member("d", joined=D.replace(day=29)),
    ]
    ctx = Context(dataset(ms), D)
    assert [m.id for m in ctx.members] == [m.id for m in ctx.dataset.members if is_member_on(m, D)]


def test_members_among_keeps_order_drops_repeats_and_reports_strangers():
    ctx = Context(dataset([member("a"), member("b", left=D)]), D)
    assert ctx.members_among(["a", "m000", "a"]) == (["a", "m000"], [])
    assert ctx.members_among(["b", "a", "zz", "b"]) == (["a"], ["b", "zz"])


def test_minus_months_clamps_to_the_last_day_as_calendar_does() -> None:
    """minus_months() knows each month's length without importing calendar (KC art. 112)."""
    import calendar
    import datetime as dt

    from klaster.rules.kkk.measure import _days_in_month, minus_months

    for year in range(1, 10_000):
        for month in range(1, 13):
            assert _days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)
    assert minus_months(dt.date(2024, 5, 31), 3) == dt.date(2024, 2, 29)
    assert minus_months(dt.date(2023, 5, 31), 3) == dt.date(2023, 2, 28)
    assert minus_months(dt.date(2100, 3, 31), 1) == dt.date(2100, 2, 28)
    assert minus_months(dt.date(2000, 3, 31), 1) == dt.date(2000, 2, 29)
    assert minus_months(dt.date(2025, 1, 31), 12) == dt.date(2024, 1, 31)
