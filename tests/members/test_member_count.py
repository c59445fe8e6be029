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
