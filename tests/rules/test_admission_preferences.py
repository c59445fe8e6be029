"""MEM-10: admission preferences (000 §6.2, §7.3) — table-driven, no database; and the PKD
code helpers they rest on (MEM-1 specialisation codes)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.rules.admission_preferences import Candidate, admission_preferences
from klaster.rules.pkd import PkdError, in_branch, normalise_pkd

BRANCH = ("62.01.Z", "62.02.Z", "63.1")


def _by_key(result):
    return {p.key: p.met for p in result.items}


@pytest.mark.parametrize(
    ("candidate", "radius", "expected"),
    [
        # seat: the radius is inclusive ("do 150 km")
        (Candidate("small", 150, ("62.01.Z",), True), 150, {"seat": True, "branch": True}),
        (Candidate("small", 160, ("62.01.Z",), True), 150, {"seat": False, "branch": True}),
        (
            Candidate("small", Decimal("149.5"), ("62.01.Z",), True),
            150,
            {"seat": True, "branch": True},
        ),
        (Candidate("small", None, ("62.01.Z",), True), 150, {"seat": None, "branch": True}),
        # a statute with a smaller radius changes the answer, not the code
        (Candidate("small", 120, ("62.01.Z",), True), 100, {"seat": False, "branch": True}),
        # no seat preference in the statute: left out
        (Candidate("small", 400, ("62.01.Z",), True), None, {"branch": True}),
        # branch: a code of the branch *and* revenue from it
        (Candidate("small", 10, ("62.01.Z",), False), 150, {"seat": True, "branch": False}),
        (Candidate("small", 10, ("62.01.Z",), None), 150, {"seat": True, "branch": None}),
        (Candidate("small", 10, ("47.11.Z",), True), 150, {"seat": True, "branch": False}),
        (
            Candidate("small", 10, ("63.11.Z",), True),
            150,
            {"seat": True, "branch": True},
        ),  # group 63.1
        (Candidate("small", 10, (), True), 150, {"seat": True, "branch": False}),
        # science units: category A or A+ (000 §7.3.2)
        (
            Candidate("science", 10, ("72.19.Z",), None, "A+"),
            150,
            {"seat": True, "branch": False, "science": True},
        ),
        (
            Candidate("science", 10, (), None, "A"),
            150,
            {"seat": True, "branch": False, "science": True},
        ),
        (
            Candidate("science", 10, (), None, "B+"),
            150,
            {"seat": True, "branch": False, "science": False},
        ),
        (
            Candidate("science", 10, (), None, None),
            150,
            {"seat": True, "branch": False, "science": None},
        ),
        # the science category is not asked of an enterprise
        (Candidate("micro", 10, (), None, "A"), 150, {"seat": True, "branch": False}),
    ],
)
def test_mem_10_which_preferences_a_candidate_meets(candidate, radius, expected):
    result = admission_preferences(candidate, branch_codes=BRANCH, radius_km=radius)
    assert _by_key(result) == expected
    assert result.rule == "MEM-10"
    assert all(p.reason and p.source.startswith("000 §") for p in result.items)


def test_mem_10_reasons_name_the_figures_compared():
    result = admission_preferences(
        Candidate("small", 160, ("6201Z",), True), branch_codes=BRANCH, radius_km=150
    )
    seat, branch = result.items
    assert seat.reason == "siedziba 160 km od koordynatora > 150 km"
    assert "62.01.Z" in branch.reason
    assert [p.key for p in result.not_met] == ["seat"] and [p.key for p in result.met] == ["branch"]


def test_mem_10_cluster_without_pkd_branch_cannot_tell():
    result = admission_preferences(
        Candidate("small", 10, ("62.01.Z",), True), branch_codes=(), radius_km=150
    )
    assert _by_key(result)["branch"] is None
    assert [p.key for p in result.unknown] == ["branch"]


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("62", "62"),
        ("62.0", "62.0"),
        ("62.01", "62.01"),
        ("62.01.z", "62.01.Z"),
        (" 6201Z ", "62.01.Z"),
    ],
)
def test_mem_1_pkd_codes_are_normalised(typed, normal):
    assert normalise_pkd(typed) == normal


@pytest.mark.parametrize("bad", ["6", "62.0.Z", "abc", "62.011", "", "62-01-Z"])
def test_mem_1_malformed_pkd_codes_are_refused(bad):
    with pytest.raises(PkdError):
        normalise_pkd(bad)


@pytest.mark.parametrize(
    ("code", "branch", "inside"),
    [
        ("62.01.Z", "62", True),
        ("62.01.Z", "62.0", True),
        ("62.01.Z", "62.01", True),
        ("62.01.Z", "62.01.Z", True),
        ("62.02.Z", "62.01.Z", False),
        ("62.09.Z", "62.0", True),
        ("63.11.Z", "62", False),
        ("62.01", "62.01.Z", False),
    ],
)
def test_mem_10_pkd_code_within_a_branch(code, branch, inside):
    assert in_branch(code, [branch]) is inside


@given(
    st.integers(min_value=10, max_value=99),
    st.integers(0, 9),
    st.integers(0, 9),
    st.sampled_from("ZABC"),
)
def test_mem_10_every_subclass_is_within_its_own_division_group_and_class(
    division, group, cls, letter
):
    code = f"{division}.{group}{cls}.{letter}"
    for level in (f"{division}", f"{division}.{group}", f"{division}.{group}{cls}", code):
        assert in_branch(code, [level])
