"""Stage II (SPEC §6 KKK-S2-9 … KKK-S2-34): bands, caps, and both sides of every edge."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest

from klaster.rules.dataset.model import (
    Certificate,
    Coordinator,
    DigitalInitiative,
    DualEducation,
    EntitiesPractice,
    Event,
    FundingApplication,
    Innovation,
    IpRight,
    Iso,
    JointProduct,
    Kis,
    Mission,
    Platforms,
    Service,
    SharedResource,
    Staff,
    StartupCooperation,
)
from klaster.rules.kkk.editions.e2021 import EXPORT_SHARE
from klaster.rules.kkk.measure import Band, band_for, pct
from klaster.rules.message import say
from tests.rules.kkk.builders import (
    D,
    cluster,
    dataset,
    exporter,
    indicator,
    member,
    members_of,
    project,
    years,
)

DAY = dt.timedelta(days=1)
Y = Fraction


def enterprises(having: int, total: int, make=None):
    """`total` enterprises of which the first `having` are built by `make`."""
    make = make or (lambda i: exporter(f"x{i}"))
    return [make(i) for i in range(having)] + [
        member(f"e{i}", "small") for i in range(total - having)
    ]


# -- KKK-S2-9 -------------------------------------------------------------------------------


def _staff(n, employed_from=dt.date(2020, 1, 1), **kw):
    return tuple(Staff(name=f"S{i}", employed_from=employed_from, **kw) for i in range(n))


@pytest.mark.parametrize(("members", "points"), [(59, 2), (60, 2), (61, 0)])
def test_kkk_s2_9_members_per_staff_29_30_31(members, points):
    """KKK-S2-9: 2 staff; 59 members (29.5), 60 (30) → 2 pts; 61 (30.5) → 0."""
    ds = dataset(
        members_of({"micro": members - 1}),
        staff=_staff(2),
        cluster=cluster(coordinator=Coordinator(member="m000")),
    )
    assert indicator(ds, "KKK-S2-9").points == points


@pytest.mark.parametrize(
    ("employed_from", "employed_to", "counted"),
    [
        (dt.date(2021, 3, 30), None, True),  # exactly D minus 3 months
        (dt.date(2021, 3, 31), None, False),
        (None, None, False),  # unknown start: 3 months not shown
        (dt.date(2020, 1, 1), D, True),  # employed through D
        (dt.date(2020, 1, 1), D - DAY, False),
    ],
)
def test_kkk_s2_9_staff_employed_throughout_three_months_before_d(
    employed_from, employed_to, counted
):
    """KKK-S2-9: staff employed throughout D − 3 months … D (004 pt 9.2)."""
    ds = dataset(
        members_of({"micro": 9}),
        staff=_staff(1, employed_from, employed_to=employed_to),
        cluster=cluster(coordinator=Coordinator(member="m000")),
    )
    assert indicator(ds, "KKK-S2-9").points == (2 if counted else 0)


def test_kkk_s2_9_experience_of_coordinator_and_managers():
    """KKK-S2-9: 2 for ≥ 5 years of animation; 1 each for a manager's ≥ 2 years."""
    coord = Coordinator(member="m000", clustering_experience_years=Decimal("4.9"))
    managers = (
        Staff(
            name="A",
            manager=True,
            employed_from=dt.date(2020, 1, 1),
            years_cluster_mgmt=Decimal(2),
            years_intl_projects=Decimal("1.9"),
        ),
    )
    ind = indicator(dataset(cluster=cluster(coordinator=coord), staff=managers), "KKK-S2-9")
    assert ind.points == 2 + 0 + 1 + 0
    actions = [say(w.action) for w in ind.what_if]
    assert any("5 lat" in a for a in actions) and any("międzynarodowych" in a for a in actions)
    coord5 = replace(coord, clustering_experience_years=Decimal(5))
    managers += (Staff(name="B", manager=True, years_intl_projects=Decimal(2)),)
    assert (
        indicator(dataset(cluster=cluster(coordinator=coord5), staff=managers), "KKK-S2-9").points
        == 5
    )


# -- KKK-S2-10, 11, 12 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("certs", "points"),
    [
        ((("esca_gold", D),), 3),
        ((("esca_silver", D), ("esca_bronze", D)), 2),  # the best one counts
        ((("esca_bronze", D), ("other", D)), 1),
        ((("other", D),), 1),
        ((("esca_gold", D - DAY), ("other", D)), 1),  # expired gold: "no ESCA label"
        ((("esca_gold", D - DAY),), 0),
        ((("esca_gold", None),), 0),
    ],
)
def test_kkk_s2_10_management_certificate_valid_on_d(certs, points):
    """KKK-S2-10: ESCA Gold 3, Silver 2, Bronze 1; with no valid ESCA label, another certificate 1."""
    cs = tuple(Certificate(kind=k, name=k, valid_until=v) for k, v in certs)
    assert indicator(dataset(certificates=cs), "KKK-S2-10").points == points


def test_kkk_s2_11_coordinator_platforms_one_each():
    """KKK-S2-11: 1 each for communication, purchasing, sales platforms."""
    coord = Coordinator(member="m000", platforms=Platforms(communication=True, sales=True))
    ind = indicator(dataset(cluster=cluster(coordinator=coord)), "KKK-S2-11")
    assert ind.points == 2 and [say(w.action) for w in ind.what_if] == ["platforma zakupowa"]


def test_kkk_s2_12_shared_resources_by_others_with_equal_access():
    """KKK-S2-12: 1 per kind; the coordinator's own or without equal access do not count."""
    rs = (
        SharedResource(
            name="Lab", kind="laboratory", provider="m001", equal_preferential_access=True
        ),
        SharedResource(
            name="Lab2", kind="laboratory", provider="m002", equal_preferential_access=True
        ),
        SharedResource(
            name="Cloud", kind="digital", provider="m000", equal_preferential_access=True
        ),
        SharedResource(
            name="Hall", kind="production", provider="m001", equal_preferential_access=False
        ),
        SharedResource(
            name="Demo", kind="demonstration", provider=None, equal_preferential_access=True
        ),
        SharedResource(name="Other", kind="other", provider="m001", equal_preferential_access=True),
    )
    ind = indicator(dataset(members_of({"micro": 2}), shared_resources=rs), "KKK-S2-12")
    assert ind.points == 2  # laboratory, demonstration
    assert "shared_resources[2]" in say(ind.note) and "shared_resources[3]" in say(ind.note)


# -- KKK-S2-13, 14, 15 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "points"),
    [("999999.99", 0), ("1000000.00", 1), ("1999999.99", 1), ("2000000", 2), ("5000000", 2)],
)
def test_kkk_s2_13_private_money_one_point_per_full_million(amount, points):
    """KKK-S2-13: 1 per full 1,000,000 PLN in joint projects of the last 3 years, max 2."""
    three = ["m001", "m002", "m003"]
    half = Decimal(amount) / 2
    ps = (
        project("a", three, private_contribution=half),
        project(
            "b", three, private_contribution=Decimal(amount) - half, end=dt.date(2018, 6, 30)
        ),  # ends on D−3y: in
        project(
            "old", three, private_contribution=Decimal(9_000_000), end=dt.date(2018, 6, 29)
        ),  # ended before
        project("solo", ["m001"], private_contribution=Decimal(9_000_000)),  # not joint
    )
    ind = indicator(dataset(members_of({"micro": 3}), projects=ps), "KKK-S2-13")
    assert ind.points == points and "old" not in ind.basis and "solo" not in ind.basis


@pytest.mark.parametrize(("n", "points"), [(2, 0), (3, 1), (5, 1), (6, 2), (9, 2)])
def test_kkk_s2_14_one_point_per_three_funding_applications(n, points):
    """KKK-S2-14: 1 per 3 applications submitted in the last 3 years, max 2."""
    apps = tuple(
        FundingApplication(name=f"W{i}", submitted=dt.date(2019, 1, 1), applicants=("m001",))
        for i in range(n)
    )
    apps += (FundingApplication(name="old", submitted=dt.date(2018, 6, 29), applicants=("m001",)),)
    apps += (
        FundingApplication(name="nobody", submitted=dt.date(2019, 1, 1), applicants=("gone",)),
    )
    assert (
        indicator(dataset(members_of({"micro": 1}), funding_applications=apps), "KKK-S2-14").points
        == points
    )


@pytest.mark.parametrize(
    ("per_year", "points"),
    [
        ("499999999.99", 0),
        ("500000000", 1),
        ("1000000000", 2),
        ("1500000000", 3),
        ("9000000000", 3),
    ],
)
def test_kkk_s2_15_sales_revenue_one_point_per_full_1_5_billion(per_year, points):
    """KKK-S2-15: enterprises' revenue 2018–2020 summed; 1 per full 1.5 bn PLN, max 3."""
    ms = [
        member("e", "large", years=years(per_year)),
        member("s", "science", years=years("9000000000")),
        member("late", "large", years=years("9000000000", span=(2017, 2021))),
    ]
    assert indicator(dataset(ms), "KKK-S2-15").points == points


# -- KKK-S2-16, 17 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exporters", "total", "points", "shown"),
    [
        (2, 20, 0, "10.00%"),
        (3, 20, 1, "15.00%"),  # exactly 15 %
        (1499, 10000, 0, "14.99%"),  # 14.99 %
        (5, 20, 3, "25.00%"),
        (34, 100, 3, "34.00%"),
        (7, 20, 5, "35.00%"),
        (20, 20, 5, "100.00%"),
    ],
)
def test_kkk_s2_16_export_share_bands(exporters, total, points, shown):
    """KKK-S2-16: ≥ 15% 1, ≥ 25% 3, ≥ 35% 5 — ≥, exactly."""
    ind = indicator(dataset(enterprises(exporters, total)), "KKK-S2-16")
    assert (ind.points, ind.value) == (points, shown)


def test_kkk_s2_16_band_edges_are_exact_fractions():
    """KKK-S2-16: 14.99% is below, 15% at the edge — no float rounding."""
    assert band_for(Fraction(1499, 10000), EXPORT_SHARE)[0] is None
    assert band_for(Fraction(15, 100), EXPORT_SHARE)[0] == Band(Y(15, 100), 1)
    assert band_for(Fraction(3, 20), EXPORT_SHARE)[0] == Band(Y(15, 100), 1)
    assert pct(Fraction(14999, 100000)) == "14.99%"  # shown rounded down


def test_kkk_s2_16_what_if_names_the_exporters_needed():
    """KKK-S2-16 / KKK-EXPLAIN: 8 of 40 (20%) → 2 more reach 25%: +2 points."""
    ind = indicator(dataset(enterprises(8, 40)), "KKK-S2-16")
    assert ind.points == 1
    (step,) = ind.what_if
    assert step.gain == 2 and "potrzeba jeszcze 2 przedsiębiorstw eksportujących" in say(
        step.action
    )
    # and doing it gives exactly that
    ind2 = indicator(dataset(enterprises(10, 40)), "KKK-S2-16")
    assert ind2.points == ind.points + step.gain


def test_kkk_s2_16_only_enterprises_and_the_last_3_fiscal_years():
    """KKK-S2-16: the share is of enterprises; a science unit's export does not count."""
    ms = [
        exporter("x", "small"),
        member("e", "small"),
        member("s", "science", years=years(1, 1)),
        member("y2021", "small", years=years(1, 1, span=(2021,))),
    ]
    ind = indicator(dataset(ms), "KKK-S2-16")
    assert ind.value == "33.33%" and ind.basis == ("x",)


@pytest.mark.parametrize(
    ("shares", "points"),
    [
        ((25, 25), 1),
        ((24, 25), 0),  # mean 24.5 %
        ((35, 35), 3),
        ((44, 45), 3),
        ((45, 45), 5),
        ((90, 0), 5),  # no export: not an exporter, so the mean is over the one exporter (90 %)
    ],
)
def test_kkk_s2_17_export_intensity_mean_of_shares(shares, points):
    """KKK-S2-17: mean over exporters of export ÷ revenue (3 years summed): ≥25 1, ≥35 3, ≥45 5."""
    ms = [
        member(f"x{i}", "small", years=years(1000, s * 10 if s else None))
        for i, s in enumerate(shares)
    ]
    assert indicator(dataset(ms), "KKK-S2-17").points == points


def test_kkk_s2_17_sums_three_years_before_dividing():
    """KKK-S2-17: each enterprise's 3 years summed, then divided — not a mean of yearly shares."""
    from klaster.rules.dataset.model import MemberYear

    ys = (
        MemberYear(2018, Decimal(100), Decimal(90)),
        MemberYear(2019, Decimal(900), Decimal(10)),
        MemberYear(2020, Decimal(0), Decimal(0)),
    )
    ind = indicator(dataset([member("x", "small", years=ys)]), "KKK-S2-17")
    assert ind.value == "10.00%" and ind.points == 0  # 100/1000, not (90% + 1.1%)/2


def test_kkk_s2_17_exporter_without_revenue_is_left_out_and_named():
    """KKK-S2-17: export without sales revenue cannot give a share: left out of the mean, named."""
    ms = [
        member("x", "small", years=years(None, 100)),
        member("y", "small", years=years(1000, 300)),
    ]
    ind = indicator(dataset(ms), "KKK-S2-17")
    assert ind.value == "30.00%" and ind.basis == ("y",) and "x" in say(ind.note)


# -- KKK-S2-18, 20 ---------------------------------------------------------------------------------


def test_kkk_s2_18_international_joint_projects_running_in_last_3_years():
    """KKK-S2-18: 1 per international joint project running in the last 3 years, max 3."""
    three = ["m001", "m002", "m003"]
    ps = (
        project("a", three, international=True, end=dt.date(2018, 6, 30)),
        project("b", [], international=True, coordinator_participates=True, start=D),
        project("c", ["m001", "m002"], international=True),  # two members, no coordinator
        project("d", three, international=True, end=dt.date(2018, 6, 29)),
        project("e", three, international=True, start=D + DAY),
        project("f", three, international=False),
    )
    ind = indicator(dataset(members_of({"micro": 3}), projects=ps), "KKK-S2-18")
    assert ind.basis == ("a", "b") and ind.points == 2
    more = ps + tuple(project(f"z{i}", three, international=True) for i in range(5))
    assert indicator(dataset(members_of({"micro": 3}), projects=more), "KKK-S2-18").points == 3


def test_kkk_s2_20_joint_rd_needs_three_members_a_science_unit_and_an_enterprise():
    """KKK-S2-20: ≥ 3 members, of them ≥ 1 science unit and ≥ 1 enterprise."""
    ms = [
        member("e1", "small"),
        member("e2", "micro"),
        member("s1", "science"),
        member("o1", "other"),
    ]
    ps = (
        project("ok", ["e1", "e2", "s1"], rd=True),
        project("no_science", ["e1", "e2", "o1"], rd=True),
        project("two", ["e1", "s1"], rd=True),
        project(
            "coord", ["e1", "s1"], rd=True, coordinator_participates=True
        ),  # coordinator is the third
        project("not_rd", ["e1", "e2", "s1"]),
    )
    assert indicator(dataset(ms, projects=ps), "KKK-S2-20").basis == ("ok", "coord")


# -- KKK-S2-19 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        (19, 0),
        (20, 1),
        (29, 1),
        (30, 2),
        (34, 2),
        (35, 3),
        (39, 3),
        (40, 4),
        (44, 4),
        (45, 5),
        (100, 5),
    ],
)
def test_kkk_s2_19_rd_share_bands(rd, points):
    """KKK-S2-19: ≥20 1, ≥30 2, ≥35 3, ≥40 4, ≥45 5 (share of 100 enterprises)."""
    ms = enterprises(rd, 100, lambda i: member(f"r{i}", "micro", years=years(rd=1)))
    assert indicator(dataset(ms), "KKK-S2-19").points == points


# -- KKK-S2-21, 22 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "points"),
    [
        ({"patent": 1}, 1),
        ({"utility_model": 1}, 0),
        ({"utility_model": 2}, 1),
        ({"trademark": 2}, 0),
        ({"trademark": 3}, 1),
        ({"industrial_design": 3}, 1),
        (
            {"patent": 2, "utility_model": 1, "trademark": 5, "industrial_design": 2},
            3,
        ),  # 2 + 0 + 1 + 0
        ({"patent": 9}, 4),
    ],
)
def test_kkk_s2_21_ip_points_per_kind(kinds, points):
    """KKK-S2-21: 1 per patent, per 2 utility models, per 3 trademarks, per 3 designs; max 4."""
    rights = tuple(
        IpRight(kind=k, holder="e", protected_until=D) for k, n in kinds.items() for _ in range(n)
    )
    rights += (IpRight(kind="patent", holder="e", protected_until=D - DAY),)
    assert (
        indicator(dataset([member("e", "small")], ip_rights=rights), "KKK-S2-21").points == points
    )


def test_kkk_s2_22_innovations_from_rd_in_last_3_years():
    """KKK-S2-22 Reading: introduced in the last 3 years, from R&D, by a member; max 4."""
    ins = (
        Innovation(name="a", introduced=dt.date(2018, 6, 30), by=("m001",), from_rd=True),
        Innovation(name="b", introduced=dt.date(2018, 6, 29), by=("m001",), from_rd=True),
        Innovation(name="c", introduced=D, by=("m001",), from_rd=False),
        Innovation(name="d", introduced=D, by=("outsider",), from_rd=True),
    )
    ind = indicator(dataset(members_of({"micro": 1}), innovations=ins), "KKK-S2-22")
    assert ind.basis == ("innovations[0]",)
    many = tuple(
        Innovation(name=str(i), introduced=D, by=("m001",), from_rd=True) for i in range(6)
    )
    assert indicator(dataset(members_of({"micro": 1}), innovations=many), "KKK-S2-22").points == 4


# -- KKK-S2-23 ---------------------------------------------------------------------------------


def _ev(kind, location, participants=(), coordinator=False, day=dt.date(2020, 1, 1)):
    return Event(
        name=kind,
        kind=kind,
        location=location,
        date=day,
        participants=tuple(participants),
        coordinator_participated=coordinator,
    )


def test_kkk_s2_23_event_qualifies_with_coordinator_or_ten_percent_of_members():
    """KKK-S2-23: 60 members — 6 participants (10%) qualify, 5 do not."""
    ms = members_of({"micro": 59})
    six = [f"m{i:03d}" for i in range(1, 7)]
    assert indicator(dataset(ms, events=(_ev("fair", "poland", six),)), "KKK-S2-23").points == 1
    assert indicator(dataset(ms, events=(_ev("fair", "poland", six[:5]),)), "KKK-S2-23").points == 0
    assert (
        indicator(
            dataset(ms, events=(_ev("fair", "poland", [], coordinator=True),)), "KKK-S2-23"
        ).points
        == 1
    )
    assert (
        indicator(dataset(ms, events=(_ev("fair", "poland", ["m000"]),)), "KKK-S2-23").points == 1
    )


@pytest.mark.parametrize(
    ("events", "points"),
    [
        ([("industry", "abroad")] * 2, 0),
        ([("industry", "abroad")] * 2 + [("cluster", "abroad")], 1),
        ([("industry", "poland")] * 3, 0),  # not foreign
        ([("fair", "poland")], 1),
        ([("fair", "abroad")], 3),
        ([("industry", "abroad")] * 3 + [("fair", "poland"), ("fair", "abroad")], 5),
        ([("fair", None)], 0),  # no location: cannot be placed in a band
    ],
)
def test_kkk_s2_23_event_bands(events, points):
    """KKK-S2-23: 1 for ≥ 3 foreign industry/cluster events, 1 for a fair in Poland, 3 for a fair abroad."""
    evs = tuple(_ev(k, loc, coordinator=True) for k, loc in events)
    evs += (_ev("fair", "abroad", coordinator=True, day=dt.date(2018, 6, 29)),)  # too old
    assert indicator(dataset(events=evs), "KKK-S2-23").points == points


# -- KKK-S2-24 ---------------------------------------------------------------------------------


def test_kkk_s2_24_services_in_last_12_months():
    """KKK-S2-24: 1 per 2 different knowledge-transfer services for ≥ 5 members; 1 per ecosystem action."""
    five = tuple(f"m{i:03d}" for i in range(1, 6))
    ss = (
        Service(
            name="Audyt", kind="knowledge_transfer", date=dt.date(2020, 6, 30), beneficiaries=five
        ),  # D − 12 months: in
        Service(
            name="audyt ", kind="knowledge_transfer", date=D, beneficiaries=five
        ),  # same service again
        Service(name="Szkolenie", kind="knowledge_transfer", date=D, beneficiaries=five),
        Service(
            name="Mentoring", kind="knowledge_transfer", date=D, beneficiaries=five[:4]
        ),  # 4 members
        Service(
            name="Stary", kind="knowledge_transfer", date=dt.date(2020, 6, 29), beneficiaries=five
        ),
        Service(name="Mapa", kind="ecosystem", date=D),
    )
    ind = indicator(dataset(members_of({"micro": 5}), services=ss), "KKK-S2-24")
    assert ind.points == 1 + 1  # Audyt + Szkolenie → 1; Mapa → 1
    assert "services[3]" in say(ind.note)
    eco = tuple(Service(name=str(i), kind="ecosystem", date=D) for i in range(9))
    assert indicator(dataset(services=eco), "KKK-S2-24").points == 7


# -- KKK-S2-25, 26, 27, 28 ----------------------------------------------------------------------------


def test_kkk_s2_25_smart_specialisation_first_three_listed():
    """KKK-S2-25: 1 if consistent, 1 if confirmed by projects; only 3 KIS may be listed."""
    k = (
        Kis(1),
        Kis(2),
        Kis(3, consistent_with_specialisation=True),
        Kis(4, confirmed_by_projects=True),
    )
    ind = indicator(dataset(kis=k), "KKK-S2-25")
    assert ind.points == 1 and "pierwsze 3" in say(ind.note)


def test_kkk_s2_26_dual_education_kinds():
    """KKK-S2-26: 1 per kind; internships in the last 3 years in member enterprises."""
    ms = [member("e", "small"), member("s", "science")]
    de = (
        DualEducation(kind="curricula", date=dt.date(2010, 1, 1), entities=("s",)),
        DualEducation(
            kind="student_internships", date=dt.date(2018, 6, 29), entities=("e",)
        ),  # too old
        DualEducation(
            kind="teacher_internships", date=dt.date(2020, 1, 1), entities=("s",)
        ),  # not an enterprise
        DualEducation(kind="vocational_teachers", entities=("s",)),
        DualEducation(
            kind="implementation_doctorate", date=dt.date(2020, 1, 1), entities=("e", "s")
        ),
    )
    assert indicator(dataset(ms, dual_education=de), "KKK-S2-26").points == 3
    de += (DualEducation(kind="student_internships", date=dt.date(2018, 6, 30), entities=("e",)),)
    assert indicator(dataset(ms, dual_education=de), "KKK-S2-26").points == 4


@pytest.mark.parametrize(("users", "points"), [(9, 1), (10, 4)])
def test_kkk_s2_27_industry_40_ten_percent_of_enterprises(users, points):
    """KKK-S2-27: 3 if ≥ 10% of enterprises (10 of 100) use Industry 4.0; +1 per initiative."""
    ms = enterprises(users, 100, lambda i: member(f"i{i}", "small", industry40=True))
    ds = dataset(
        ms,
        digital_initiatives=(
            DigitalInitiative(name="Webinar", date=D),
            DigitalInitiative(name="Później", date=D + DAY),
        ),
    )
    assert indicator(ds, "KKK-S2-27").points == points


def test_kkk_s2_28_documented_startup_cooperation():
    """KKK-S2-28: 1 per documented cooperation in an acceleration programme, max 4."""
    sc = (
        StartupCooperation(member="m001", startup="A", programme="Scale-Up", basis="umowa"),
        StartupCooperation(member="m001", startup="B", programme=None, basis="umowa"),
        StartupCooperation(member="gone", startup="C", programme="P", basis="umowa"),
    )
    ind = indicator(dataset(members_of({"micro": 1}), startup_cooperations=sc), "KKK-S2-28")
    assert ind.basis == ("startup_cooperations[0]",) and "startup_cooperations[1]" in say(ind.note)
    many = sc[:1] * 6
    assert (
        indicator(dataset(members_of({"micro": 1}), startup_cooperations=many), "KKK-S2-28").points
        == 4
    )


# -- KKK-S2-29, 30 -----------------------------------------------------------------------------


def test_kkk_s2_29_circular_economy_entity_thresholds():
    """KKK-S2-29: material recovery needs ≥ 2 entities (across entries); training one; max 3."""
    ms = members_of({"micro": 3})
    ce = (
        EntitiesPractice(kind="material_recovery", entities=("m001",)),
        EntitiesPractice(kind="material_recovery", entities=("m002",)),
        EntitiesPractice(kind="waste_minimisation", entities=("m001", "gone")),
        EntitiesPractice(kind="training", entities=("m003",)),
    )
    assert indicator(dataset(ms, circular_economy=ce), "KKK-S2-29").points == 2
    ce += (
        EntitiesPractice(kind="life_extension", entities=("m001", "m002")),
        EntitiesPractice(kind="eco_certificate", entities=("m001", "m002")),
    )
    assert indicator(dataset(ms, circular_economy=ce), "KKK-S2-29").points == 3


def test_kkk_s2_30_low_emission_entity_thresholds():
    """KKK-S2-30: energy audit needs ≥ 2 members; R&D, renewables, training one each; max 3."""
    ms = members_of({"micro": 2})
    le = (
        EntitiesPractice(kind="energy_audit", entities=("m001",)),
        EntitiesPractice(kind="renewables", entities=("m002",)),
    )
    assert indicator(dataset(ms, low_emission=le), "KKK-S2-30").points == 1
    le += (
        EntitiesPractice(kind="energy_audit", entities=("m002",)),
        EntitiesPractice(kind="rd", entities=("m001",)),
        EntitiesPractice(kind="training", entities=("m001",)),
    )
    assert indicator(dataset(ms, low_emission=le), "KKK-S2-30").points == 3


# -- KKK-S2-31 ----------------------------------------------------------------------------------


def test_kkk_s2_31_joint_products_two_points_each():
    """KKK-S2-31: 2 per product introduced in the last 3 years by ≥ 2 member enterprises or the coordinator, with revenue; max 6."""
    ms = [member("e1", "small"), member("e2", "small"), member("s", "science")]
    jp = (
        JointProduct(
            name="a", introduced=dt.date(2018, 6, 30), offered_by=("e1", "e2"), revenue=True
        ),
        JointProduct(
            name="b", introduced=D, offered_by=("e1", "s"), revenue=True
        ),  # one enterprise
        JointProduct(name="c", introduced=D, by_coordinator=True, revenue=True),
        JointProduct(name="d", introduced=D, offered_by=("e1", "e2"), revenue=False),
        JointProduct(
            name="e", introduced=dt.date(2018, 6, 29), offered_by=("e1", "e2"), revenue=True
        ),
    )
    ind = indicator(dataset(ms, joint_products=jp), "KKK-S2-31")
    assert ind.points == 4 and ind.basis == ("joint_products[0]", "joint_products[2]")
    assert indicator(dataset(ms, joint_products=jp[:1] * 5), "KKK-S2-31").points == 6


# -- KKK-S2-32 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "points"),
    [
        (19, 0),
        (20, 1),
        (34, 1),
        (35, 2),
        (39, 2),
        (40, 2),
        (44, 2),
        (45, 3),
        (54, 3),
        (55, 4),
        (100, 4),
    ],
)
def test_kkk_s2_32_mission_share_bands_with_the_40_45_reading(share, points):
    """KKK-S2-32: ≥20 1, ≥35 2, ≥45 3, ≥55 4; Reading: 40–45% gives 2, and the note says so."""
    ms = enterprises(share, 100, lambda i: member(f"p{i}", "micro"))
    mission = Mission(
        name="M",
        kind="mission",
        date=dt.date(2020, 1, 1),
        participants=tuple(f"p{i}" for i in range(share)),
    )
    ind = indicator(dataset(ms, missions=(mission,)), "KKK-S2-32")
    assert ind.points == points
    assert ("40–45%" in say(ind.note)) is (40 <= share < 45)


# -- KKK-S2-33, 34 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holders", "ics", "points"),
    [
        (39, (), 0),
        (40, (), 1),
        (55, (), 2),
        (70, (), 3),
        (0, ("03", "35"), 2),
        (40, ("03", "35"), 2),  # the higher of 1 and 2
        (55, ("13",), 2),
        (0, ("03.120.10", "35", "13", "99"), 3),
    ],
)
def test_kkk_s2_33_iso_share_or_ics_areas_the_higher(holders, ics, points):
    """KKK-S2-33: the higher of ISO share bands (≥40 1, ≥55 2, ≥70 3) or 1 per ICS 03/35/13."""
    ms = enterprises(holders, 100, lambda i: member(f"i{i}", "small", iso=(Iso("ISO 9001:2015"),)))
    ms += [member(f"c{n}", "science", iso=(Iso("ISO", ics=code),)) for n, code in enumerate(ics)]
    assert indicator(dataset(ms), "KKK-S2-33").points == points


def test_kkk_s2_34_certificates_held_by_three_members():
    """KKK-S2-34: 1 per certificate held by ≥ 3 members (however spelt), max 2."""
    ms = [
        member("a", certificates=("TÜV Functional Safety", "X")),
        member("b", certificates=("tüv  functional safety", "X", "Y")),
        member("c", certificates=("TÜV Functional Safety ",)),
        member("d", certificates=("Y",)),
    ]
    ind = indicator(dataset(ms), "KKK-S2-34")
    assert ind.points == 1 and set(ind.basis) == {"a", "b", "c"}
    ms += [
        member("e", certificates=("X", "Y", "Z")),
        member("f", certificates=("Z",)),
        member("g", certificates=("Z",)),
    ]
    assert indicator(dataset(ms), "KKK-S2-34").points == 2  # three qualify, capped at 2


def test_kkk_s2_17_mean_exactly_on_the_edge_is_decided_exactly():
    """KKK-S2-17: shares 1/3 and 1/6 average exactly 25% — a rounded sum (0.2499…) would miss the band."""
    ms = [
        member("a", "small", years=years(3, 1, span=(2020,))),
        member("b", "small", years=years(6, 1, span=(2020,))),
    ]
    ind = indicator(dataset(ms), "KKK-S2-17")
    assert (ind.points, ind.value) == (1, "25.00%")
    ms.append(
        member("c", "small", years=years(1_000_000_000_000, 249_999_999_999, span=(2020,)))
    )  # 24.9999999999 %
    assert indicator(dataset(ms), "KKK-S2-17").value == "24.99%"


def test_kkk_s2_17_many_exporters_with_unrelated_revenues():
    """KKK-S2-17: thousands of exporters with unrelated revenues — exact where it matters, and
    away from a band edge without the exact sum of 5,000 unrelated fractions (a denominator of
    tens of thousands of digits): the mean is a 60-digit Decimal's fraction. How long it takes is
    printed by benchmarks/bench_rules_timings.py, never asserted here."""
    import random

    from klaster.rules.kkk.measure import mean_of_ratios

    rnd = random.Random(7)
    pairs = [
        (Decimal(rnd.randint(0, 10**8)) / 100, Decimal(rnd.randint(10**8, 10**10)) / 100)
        for _ in range(5000)
    ]
    mean = mean_of_ratios(pairs, (Y(25, 100), Y(35, 100), Y(45, 100)))
    assert isinstance(mean, Fraction)
    assert mean.denominator.bit_length() < 1000  # a Decimal's, not the exact sum's (> 10,000 bits)
    assert abs(float(mean) - sum(float(a / b) for a, b in pairs) / len(pairs)) < 1e-9
