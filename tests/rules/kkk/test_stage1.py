"""Stage I (SPEC §6 KKK-S1-1 … KKK-S1-21): both sides of every threshold, as of D = 2021-06-30."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from klaster.rules.dataset.model import (
    ActualStart,
    Address,
    DualEducation,
    Event,
    IpRight,
    Location,
    Mission,
    Strategy,
)
from klaster.rules.kkk import evaluate, to_json
from klaster.rules.message import say
from tests.rules.kkk.builders import (
    D,
    baseline,
    cluster,
    coordinator,
    criterion,
    dataset,
    exporter,
    member,
    members_of,
    project,
    years,
)

DAY = dt.timedelta(days=1)


# -- KKK-S1-1 and who is a member on D ---------------------------------------------------


@pytest.mark.parametrize(("others", "passed"), [(49, False), (50, True), (51, True)])
def test_kkk_s1_1_at_least_51_members_with_the_coordinator(others, passed):
    """KKK-S1-1: 50 members plus the coordinator is 51 and passes; 49 + 1 fails."""
    c = criterion(dataset(members_of({"micro": others})), "KKK-S1-1")
    assert (c.value, c.passed) == (others + 1, passed)
    assert c.basis[0] == "m000"  # the coordinator is a member (MEM-2)
    if not passed:
        assert say(c.needs) == "potrzeba jeszcze 1 członka"


@pytest.mark.parametrize(
    ("joined", "left", "counted"),
    [
        (D, None, True),  # joined on D: the accession document is dated D
        (D + DAY, None, False),  # joins after D
        (dt.date(2015, 1, 1), D, False),  # left on D: membership ended that day
        (dt.date(2015, 1, 1), D + DAY, True),  # leaves after D
        (dt.date(2015, 1, 1), D - DAY, False),
        (None, None, True),  # no join date: on the register, counted
    ],
)
def test_kkk_s1_1_membership_on_d_edges(joined, left, counted):
    """KKK-S1-1: a member on D joined on or before D and had not left by D (left == D is out)."""
    ds = dataset([member("x", joined=joined, left=left)])
    c = criterion(ds, "KKK-S1-1")
    assert ("x" in c.basis) is counted
    assert c.value == 1 + counted


def test_kkk_s1_1_as_of_argument_overrides_dataset_date():
    """KKK-S1-1: D is the as_of argument, else dataset.as_of."""
    ds = dataset([member("x", joined=dt.date(2021, 7, 1))])
    assert criterion(ds, "KKK-S1-1").value == 1
    assert criterion(ds, "KKK-S1-1", as_of=dt.date(2021, 7, 1)).value == 2


# -- KKK-S1-2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("enterprises", "passed"), [(39, False), (40, True)])
def test_kkk_s1_2_enterprises_two_thirds_exactly(enterprises, passed):
    """KKK-S1-2: 40 of 60 is exactly 2/3 and passes; 39 of 60 (65%) fails."""
    ds = dataset(members_of({"micro": enterprises, "other": 59 - enterprises}))
    c = criterion(ds, "KKK-S1-2")
    assert c.passed is passed
    assert c.value == ("66.66%" if passed else "65.00%")  # shown rounded down, decided exactly
    if not passed:
        # (39 + k) / (60 + k) >= 2/3  ->  k = 3
        assert say(c.needs) == "potrzeba jeszcze 3 przedsiębiorstw jako nowych członków"


# -- KKK-S1-3 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("senior", "passed"), [(6, False), (7, True)])
def test_kkk_s1_3_seventy_percent_of_members_for_more_than_a_year(senior, passed):
    """KKK-S1-3: 7 of 10 members for more than a year is exactly 70% and passes."""
    ms = members_of({"micro": senior - 1}) + members_of(
        {"small": 10 - senior}, start=50, joined=dt.date(2021, 1, 1)
    )
    c = criterion(dataset(ms), "KKK-S1-3")
    assert c.passed is passed


@pytest.mark.parametrize(
    ("joined", "senior"),
    [
        (dt.date(2020, 6, 29), True),  # before D minus one year
        (dt.date(2020, 6, 30), False),  # exactly one year before D: not "more than one year"
        (dt.date(2020, 7, 1), False),
    ],
)
def test_kkk_s1_3_member_who_joined_exactly_one_year_before_d(joined, senior):
    """KKK-S1-3 Reading: joined strictly before D minus one year."""
    c = criterion(dataset([member("x", joined=joined)]), "KKK-S1-3")
    assert ("x" in c.basis) is senior


def test_kkk_s1_3_leap_day_one_year_back_is_28_february():
    """KKK-S1-3: D = 29 Feb 2024 looks back to 28 Feb 2023 (KC art. 112)."""
    ds = dataset(
        [member("a", joined=dt.date(2023, 2, 27)), member("b", joined=dt.date(2023, 2, 28))],
        as_of=dt.date(2024, 2, 29),
    )
    c = criterion(ds, "KKK-S1-3")
    assert "a" in c.basis and "b" not in c.basis


def test_kkk_s1_3_says_when_the_current_members_reach_70_percent():
    """KKK-S1-3 / KKK-EXPLAIN: with 5 seniors of 10, the 2nd junior's anniversary decides."""
    juniors = [member(f"j{i}", joined=dt.date(2020, 9, i + 1)) for i in range(5)]
    c = criterion(dataset(members_of({"micro": 4}) + juniors), "KKK-S1-3")
    assert not c.passed
    # needs 7 seniors: two more; j1 joined 2020-09-02 becomes senior on 2021-09-03
    assert say(c.needs) == "przy obecnym składzie próg 70% zostanie osiągnięty 2021-09-03"
    assert not criterion(
        dataset(members_of({"micro": 4}) + juniors, as_of=dt.date(2021, 9, 2)), "KKK-S1-3"
    ).passed
    assert criterion(
        dataset(members_of({"micro": 4}) + juniors, as_of=dt.date(2021, 9, 3)), "KKK-S1-3"
    ).passed


def test_kkk_s1_3_member_without_join_date_is_not_senior():
    """KKK-S1-3: no join date — counted as a member, never as one for more than a year."""
    c = criterion(dataset([member("x", joined=None)]), "KKK-S1-3")
    assert "x" not in c.basis and "bez daty przystąpienia" in say(c.note)


# -- KKK-S1-4 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("medium_large", "total", "passed"),
    [
        (5, 166, True),  # 5/166 = 3.01%
        (5, 167, False),  # 5/167 = 2.99%
        (4, 60, False),  # 6.67% but fewer than 5
        (5, 60, True),
    ],
)
def test_kkk_s1_4_medium_and_large_three_percent_and_five(medium_large, total, passed):
    """KKK-S1-4: medium+large ≥ 3% of members and ≥ 5."""
    ms = members_of({"medium": medium_large, "micro": total - 1 - medium_large})
    c = criterion(dataset(ms), "KKK-S1-4")
    assert c.passed is passed and c.value == medium_large


# -- KKK-S1-5, S1-6, S1-7 --------------------------------------------------------------------


@pytest.mark.parametrize(("n", "passed"), [(2, False), (3, True)])
def test_kkk_s1_5_three_science_units(n, passed):
    """KKK-S1-5: at least 3 science units."""
    assert criterion(dataset(members_of({"science": n})), "KKK-S1-5").passed is passed


@pytest.mark.parametrize(
    ("joined", "passed"),
    [(dt.date(2020, 6, 30), True), (dt.date(2020, 7, 1), False)],
)
def test_kkk_s1_6_science_unit_member_for_at_least_a_year(joined, passed):
    """KKK-S1-6: joined on or before D minus one year (exactly one year is enough)."""
    c = criterion(dataset([member("s", "science", joined=joined)]), "KKK-S1-6")
    assert c.passed is passed
    if not passed:
        assert say(c.needs).endswith("spełnione od 2021-07-01")


@pytest.mark.parametrize(("n", "passed"), [(1, False), (2, True)])
def test_kkk_s1_7_three_iob_the_coordinator_included(n, passed):
    """KKK-S1-7: at least 3 IOB; the coordinator (an IOB here) counts."""
    assert criterion(dataset(members_of({"iob": n})), "KKK-S1-7").passed is passed


# -- KKK-S1-8 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("independent", "passed"), [(14, False), (15, True)])
def test_kkk_s1_8_independent_enterprises_75_percent(independent, passed):
    """KKK-S1-8: 15 of 20 enterprises independent is exactly 75%."""
    ms = members_of({"micro": independent}) + members_of(
        {"small": 20 - independent}, start=100, independent=False
    )
    assert criterion(dataset(ms), "KKK-S1-8").passed is passed


def test_kkk_s1_8_undeclared_independence_counts_as_not_independent():
    """KKK-S1-8: an enterprise without the T/N mark is not counted as independent, and is named."""
    ms = [member("a", "micro"), replace(member("b", "micro"), independent=None)]
    c = criterion(dataset(ms), "KKK-S1-8")
    assert c.value == "50.00%" and "b" in say(c.note)


# -- KKK-S1-9, S1-10 --------------------------------------------------------------------------


def test_kkk_s1_9_dual_education_entry_dated_by_d():
    """KKK-S1-9: at least one entry of section 26; one dated after D does not count."""
    later = DualEducation(kind="curricula", date=D + DAY)
    assert not criterion(dataset(dual_education=(later,)), "KKK-S1-9").passed
    c = criterion(
        dataset(dual_education=(later, DualEducation(kind="curricula", date=D))), "KKK-S1-9"
    )
    assert c.passed and c.basis == ("dual_education[1]",)


def test_kkk_s1_10_private_sources_dues_or_private_contribution():
    """KKK-S1-10: members' dues or private money in a project."""
    no_dues = cluster(coordinator=replace(cluster().coordinator, dues_revenue=False))
    assert not criterion(dataset(cluster=no_dues), "KKK-S1-10").passed
    c = criterion(
        dataset(cluster=no_dues, projects=(project("p", private_contribution=Decimal("0.01")),)),
        "KKK-S1-10",
    )
    assert c.passed and c.basis == ("p",)
    assert criterion(dataset(), "KKK-S1-10").basis == ("cluster.coordinator.dues_revenue",)


# -- KKK-S1-11 -----------------------------------------------------------------------------


def _s1_11(*projects):
    ms = members_of({"micro": 3, "science": 1})
    return criterion(dataset(ms, projects=projects), "KKK-S1-11")


def test_kkk_s1_11_joint_means_coordinator_or_three_members():
    """KKK-S1-11: joint = the coordinator or ≥ 3 members; the coordinator counts among the 3."""
    c = _s1_11(
        project("three", ["m001", "m002", "m003"]),
        project("coord_flag", ["m001"], coordinator_participates=True),
        project("coord_listed", ["m000", "m001", "m002"]),  # 2 members + the coordinator's id
        project("two", ["m001", "m002"]),
        project("two_and_former", ["m001", "m002", "gone"]),  # an unknown id does not count
    )
    assert c.basis == ("three", "coord_flag", "coord_listed")
    assert "gone" in say(c.note)


def test_kkk_s1_11_needs_international_and_rd_and_started_by_d():
    """KKK-S1-11: ≥ 3 joint projects started by D, ≥ 1 international, ≥ 1 joint R&D."""
    three = ["m001", "m002", "m003"]
    base = [project("a", three), project("b", three), project("c", three)]
    c = _s1_11(*base)
    assert not c.passed and "międzynarodowego" in say(c.needs) and "B+R" in say(c.needs)
    c = _s1_11(project("i", three, international=True, rd=True), *base[:2])
    assert c.passed
    c = _s1_11(project("i", three, international=True, rd=True, start=D + DAY), *base)
    assert not c.passed  # not started by D
    c = _s1_11(project("i", three, international=True, rd=True, start=D), *base[:2])
    assert c.passed  # started on D


# -- KKK-S1-12, S1-13 -----------------------------------------------------------------------------


@pytest.mark.parametrize(("rd_enterprises", "passed"), [(6, False), (7, True)])
def test_kkk_s1_12_ten_members_conduct_rd_science_units_count(rd_enterprises, passed):
    """KKK-S1-12: R&D expenditure in 2018–2020; the 3 science units count as conducting R&D."""
    ms = [member(f"e{i}", years=years(rd=1)) for i in range(rd_enterprises)] + members_of(
        {"science": 3}
    )
    ms.append(member("old", years=years(rd=1, span=(2017, 2021))))  # outside the 3 fiscal years
    c = criterion(dataset(ms), "KKK-S1-12")
    assert c.passed is passed and "old" not in c.basis


def test_kkk_s1_13_two_ip_rights_in_force_on_d_held_by_enterprises():
    """KKK-S1-13: protection lasting until D counts; until D−1 or held by a non-enterprise does not."""
    ms = [member("e", "small"), member("s", "science")]
    rights = (
        IpRight(kind="patent", holder="e", protected_until=D),
        IpRight(kind="trademark", holder="e", protected_until=D - DAY),
        IpRight(kind="patent", holder="s", protected_until=dt.date(2030, 1, 1)),
        IpRight(kind="utility_model", holder="e", protected_until=None),
    )
    c = criterion(dataset(ms, ip_rights=rights), "KKK-S1-13")
    assert c.value == 1 and not c.passed and c.basis == ("ip_rights[0]",)
    assert "ip_rights[3]" in say(c.note)
    rights += (IpRight(kind="industrial_design", holder="e", protected_until=dt.date(2022, 1, 1)),)
    assert criterion(dataset(ms, ip_rights=rights), "KKK-S1-13").passed


# -- KKK-S1-14, S1-15, S1-16 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "location", "day", "passed"),
    [
        ("industry", "poland", dt.date(2018, 6, 30), True),  # D minus 3 years: inside
        ("industry", "poland", dt.date(2018, 6, 29), False),
        ("cluster", "abroad", D, True),
        ("fair", "abroad", dt.date(2020, 1, 1), True),
        ("fair", "poland", dt.date(2020, 1, 1), False),  # a fair counts only abroad
        ("industry", "poland", D + DAY, False),
    ],
)
def test_kkk_s1_14_industry_cluster_event_or_fair_abroad_in_last_3_years(
    kind, location, day, passed
):
    """KKK-S1-14: ≥ 1 industry event, cluster event or fair abroad in [D − 3 years, D]."""
    ev = Event(name="E", kind=kind, location=location, date=day, participants=("m001",))
    assert criterion(dataset(members_of({"micro": 1}), events=(ev,)), "KKK-S1-14").passed is passed


def test_kkk_s1_14_someone_from_the_cluster_must_take_part():
    """KKK-S1-14: an event nobody from the cluster attended does not count."""
    ev = Event(
        name="E",
        kind="industry",
        location="poland",
        date=dt.date(2020, 1, 1),
        participants=("outsider",),
    )
    assert not criterion(dataset(events=(ev,)), "KKK-S1-14").passed


def test_kkk_s1_15_enterprises_in_missions_last_3_years():
    """KKK-S1-15: an enterprise in a mission or partner meeting in the last 3 years."""
    ms = [member("e", "small"), member("s", "science")]
    by_science = Mission(name="M", kind="mission", date=dt.date(2020, 1, 1), participants=("s",))
    too_old = Mission(name="M", kind="matchmaking", date=dt.date(2018, 6, 29), participants=("e",))
    assert not criterion(dataset(ms, missions=(by_science, too_old)), "KKK-S1-15").passed
    ok = Mission(name="M", kind="matchmaking", date=dt.date(2018, 6, 30), participants=("e",))
    c = criterion(dataset(ms, missions=(by_science, ok)), "KKK-S1-15")
    assert c.passed and c.basis == ("missions[1]", "e")


def test_kkk_s1_16_enterprise_export_in_last_3_fiscal_years():
    """KKK-S1-16: export revenue > 0 in 2018–2020; 2021 does not count at D = 2021-06-30."""
    late = member("late", years=years(1, 1, span=(2021,)))
    assert not criterion(dataset([late]), "KKK-S1-16").passed
    assert criterion(dataset([late, exporter("x")]), "KKK-S1-16").basis == ("x",)


# -- KKK-S1-17 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("near", "passed"), [(5, False), (6, True)])
def test_kkk_s1_17_more_than_half_within_200_km(near, passed):
    """KKK-S1-17: strictly more than 50% — 6 of 12 fails, 7 of 12 passes (the coordinator is near)."""
    ms = [member(f"n{i}") for i in range(near)] + [
        member(f"f{i}", distance_km=Decimal(500)) for i in range(11 - near)
    ]
    assert criterion(dataset(ms), "KKK-S1-17").passed is passed


@pytest.mark.parametrize(
    ("override", "within"),
    [(Decimal(200), True), (Decimal("200.5"), False), (Decimal(210), False), (Decimal(0), True)],
)
def test_kkk_s1_17_manual_override_taken_as_entered(override, within):
    """KKK-S1-17 / MEM-9: the override is the distance, shown as such."""
    c = criterion(dataset([member("x", distance_km=override, location=None)]), "KKK-S1-17")
    assert ("x" in c.basis) is within
    assert "odległość wpisana ręcznie: x" in say(c.note)


@pytest.mark.parametrize(
    ("km", "within"),
    [(204.9, True), (205.1, False), (195.0, True)],
)
def test_kkk_s1_17_great_circle_rounded_to_10_km(km, within):
    """KKK-S1-17: 204.9 km rounds to 200 (within), 205.1 km to 210 (not)."""
    # a point due north of the seat: 1 degree of latitude = 6371.0088·π/180 km
    dlat = km / (6371.0088 * 3.141592653589793 / 180)
    far = Location(Decimal(str(53.1325 + dlat)), Decimal("23.1688"))
    c = criterion(dataset([member("x", location=far)]), "KKK-S1-17")
    assert ("x" in c.basis) is within


def test_kkk_s1_17_unplaceable_members_are_outside_and_named():
    """KKK-S1-17: no location, no override, no gazetteer — not within 200 km, named in the note."""
    ms = [member("x", location=None, address=Address(city="Nibylandia"))]
    ev = evaluate(dataset(ms))
    c = next(c for c in ev.stage1.criteria if c.id == "KKK-S1-17")
    assert "x" not in c.basis and "nie ustalono położenia" in say(c.note) and "x" in say(c.note)
    assert ev.members.unplaced == ("x",)


def test_kkk_s1_17_injected_locate_places_addresses_once_per_address():
    """KKK-S1-17: the engine asks the injected gazetteer for members without location."""
    calls = []

    def locate(address):
        calls.append(address)
        return {"Suwałki": (54.1118, 22.9309), "Kraków": (50.0647, 19.9450)}.get(address.city)

    ms = [
        member("a", location=None, address=Address(city="Suwałki")),
        member("b", location=None, address=Address(city="Suwałki")),
        member("c", location=None, address=Address(city="Kraków")),
        member("d", location=None, address=Address(city="Nibylandia")),
    ]
    ev = evaluate(dataset(ms), locate=locate)
    c = next(c for c in ev.stage1.criteria if c.id == "KKK-S1-17")
    assert c.basis == ("m000", "a", "b")  # Suwałki ~110 km, Kraków ~390 km
    assert ev.members.unplaced == ("d",)
    assert len(calls) == 3  # Suwałki asked once


def test_kkk_s1_17_coordinator_without_location_is_at_distance_zero():
    """KKK-S1-17: the coordinator's own seat is 0 km away, even when it cannot be placed;
    the others then cannot be placed either (no origin)."""
    ds = dataset([coordinator(location=None), member("x")])
    c = criterion(ds, "KKK-S1-17")
    assert c.basis == ("m000",)


# -- KKK-S1-18, S1-19, S1-20, S1-21 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("agreed", "months", "passed"),
    [
        (dt.date(2018, 6, 30), 36, True),
        (dt.date(2018, 6, 1), 36, True),
        (dt.date(2018, 7, 1), 35, False),  # 35 months by year×12+month
        (dt.date(2018, 5, 31), 37, True),
    ],
)
def test_kkk_s1_18_agreement_36_months_counted_in_calendar_months(agreed, months, passed):
    """KKK-S1-18: (D.year×12 + D.month) − (A.year×12 + A.month) ≥ 36."""
    c = criterion(dataset(cluster=cluster(agreement_date=agreed)), "KKK-S1-18")
    assert (c.value, c.passed) == (months, passed)
    if not passed:
        assert say(c.needs) == "spełnione od 2021-07-01"


def test_kkk_s1_18_missing_agreement_date_fails():
    """KKK-S1-18: without 3.7 there is nothing to count."""
    assert not criterion(dataset(cluster=cluster(agreement_date=None)), "KKK-S1-18").passed


@pytest.mark.parametrize(("year", "passed"), [(2018, True), (2019, False)])
def test_kkk_s1_19_actual_activity_three_years_counted_in_years(year, passed):
    """KKK-S1-19: D.year − start year ≥ 3 (2021 − 2018 = 3)."""
    c = criterion(dataset(cluster=cluster(actual_start=ActualStart(year=year))), "KKK-S1-19")
    assert c.passed is passed


def test_kkk_s1_20_eccp_registration():
    """KKK-S1-20: registered on the European Cluster Collaboration Platform."""
    assert criterion(dataset(), "KKK-S1-20").passed
    assert not criterion(dataset(cluster=cluster(eccp_registered=False)), "KKK-S1-20").passed


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "passed"),
    [
        (dt.date(2020, 1, 1), D, True),  # valid through D
        (dt.date(2020, 1, 1), D - DAY, False),
        (D, dt.date(2025, 1, 1), True),
        (D + DAY, dt.date(2025, 1, 1), False),
        (dt.date(2020, 1, 1), None, False),  # the period must be stated (004 pt 6.3)
    ],
)
def test_kkk_s1_21_strategy_valid_on_d(valid_from, valid_to, passed):
    """KKK-S1-21: a strategy valid on D."""
    st = Strategy(name="S", valid_from=valid_from, valid_to=valid_to)
    assert criterion(dataset(cluster=cluster(strategies=(st,))), "KKK-S1-21").passed is passed


# -- the whole stage ------------------------------------------------------------------------


def test_kkk_s1_baseline_passes_and_one_failure_fails_the_stage():
    """KKK-S1-1…21: all must pass."""
    assert evaluate(baseline()).stage1.passed
    bad = baseline(cluster=cluster(eccp_registered=False))
    ev = evaluate(bad)
    assert not ev.stage1.passed
    assert [c.id for c in ev.stage1.criteria if not c.passed] == ["KKK-S1-20"]


def test_kkk_4_renewal_stage1_is_a_statement():
    """KKK-4: in renewal mode every criterion is passed with note "statement", whatever the data."""
    ds = dataset(cluster=cluster(mode="renewal", eccp_registered=False))
    ev = evaluate(ds)
    assert ev.stage1.passed and ev.stage1.statement
    assert all(
        c.passed and c.statement and c.note is None and c.needs is None for c in ev.stage1.criteria
    )
    assert all(c["note"] == "statement" for c in to_json(ev)["stage1"]["criteria"])
    assert [c.id for c in ev.stage1.criteria] == [f"KKK-S1-{i}" for i in range(1, 22)]
    # the measured value is kept for information
    assert next(c for c in ev.stage1.criteria if c.id == "KKK-S1-1").value == 1
