"""Issue 9: "the member count is 79, 81 or 80 depending on the page". One definition of a
member (MEM-6: on the register now — active or suspended; candidates and former excluded),
`klaster.members.selectors.counted_members`, used by the home and the statistics page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from klaster.members.selectors import counted_members, member_counts_by_type
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(world):
    MemberFactory(cluster=world.alfa, name="Zawieszona", status="suspended", type="small")
    MemberFactory(cluster=world.alfa, name="Kandydat", status="candidate", type="small")
    MemberFactory(cluster=world.alfa, name="Były", status="former", type="medium")
    return world


def test_counted_members_is_active_and_suspended_only(mixed):
    names = set(counted_members(mixed.alfa).values_list("name", flat=True))
    assert names == {"Fundacja Koordynator", "Alfa-Tech sp. z o.o.", "Beta-Soft S.A.", "Zawieszona"}


def test_counts_by_type_in_type_order_and_sum_to_count(mixed):
    counts = dict(member_counts_by_type(mixed.alfa))
    assert sum(counts.values()) == counted_members(mixed.alfa).count() == 4
    # small: Alfa-Tech + Zawieszona (the candidate is not counted); medium: Beta-Soft only
    assert sorted(counts.values()) == [1, 1, 2]


def test_home_and_statistics_show_the_same_total(mixed, client_for):
    c = client_for("office")
    home = c.get(reverse("cluster_home", args=["alfa"]))
    stats = c.get(reverse("member_statistics", args=["alfa"]))
    assert home.status_code == stats.status_code == 200
    assert home.context["total"] == 4
    assert stats.context["members_total"] == 4
    # the chart on the statistics page draws one bar per counted type with its count
    bars = re.findall(r"class='chart-bar'[^>]*data-value='(\d+)'", stats.content.decode())
    assert sorted(int(b) for b in bars) == [1, 1, 2]


def test_member_list_says_the_same_member_count_as_home(mixed, client_for):
    """The register lists every status (6 entries here); beside that it says the member count
    the home and the statistics show (4), and only that one when filters narrow the list."""
    c = client_for("office")
    body = c.get(reverse("member_list", args=["alfa"])).content.decode()
    home_total = c.get(reverse("cluster_home", args=["alfa"])).context["total"]
    assert home_total == 4
    assert "6 wpisów w rejestrze" in body and f"{home_total} członków obecnie" in body
    filtered = c.get(reverse("member_list", args=["alfa"]), {"status": "candidate"})
    assert filtered.context["counted"] is None
    assert "członków obecnie" not in filtered.content.decode()


def test_members_at_year_ends_counts_by_the_reading_of_member_on_d():
    """Joined on D counts on D; left on D does not (the engine's "member on D"); no joining date
    is not counted; the current year is counted today, not on 31.12."""
    import datetime as dt

    from klaster.rules.membership import members_at_year_ends

    spans = [
        (dt.date(2023, 12, 31), None),  # joined on the last day: counted for 2023
        (dt.date(2022, 5, 1), dt.date(2024, 12, 31)),  # left on the last day of 2024
        (dt.date(2022, 5, 1), dt.date(2025, 1, 1)),  # left the day after
        (None, None),  # a candidate never admitted
        (dt.date(2026, 6, 1), None),  # joins later this year (after "today")
    ]
    today = dt.date(2026, 3, 1)
    assert members_at_year_ends(spans, range(2022, 2027), today) == [
        (2022, 2),
        (2023, 3),
        (2024, 2),
        (2025, 1),
        (2026, 1),
    ]


def test_statistics_draws_members_over_time(mixed, client_for):
    """Six points, the last six year-ends; a member who joined three years ago and left last year
    adds one to the ends of the two years it spanned, and nothing after."""
    import datetime as dt

    from django.utils import timezone

    def points():
        body = (
            client_for("office").get(reverse("member_statistics", args=["alfa"])).content.decode()
        )
        return [int(p) for p in re.findall(r"class='chart-point'[^>]*data-value='(\d+)'", body)]

    before = points()
    year = timezone.localdate().year
    MemberFactory(
        cluster=mixed.alfa,
        name="Dawna",
        joined=dt.date(year - 3, 1, 10),
        left=dt.date(year - 1, 6, 1),
    )
    after = points()
    assert len(before) == len(after) == 6
    assert [a - b for a, b in zip(after, before, strict=True)] == [0, 0, 1, 1, 0, 0]
