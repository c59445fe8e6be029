"""Hypothesis properties of the KKK engine over random datasets (SPEC §6; STYLE "Tests")."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.dataset.model import (
    Certificate,
    Dataset,
    DualEducation,
    EntitiesPractice,
    Event,
    Expert,
    FundingApplication,
    Innovation,
    IpRight,
    Iso,
    JointProduct,
    Kis,
    Location,
    Member,
    MemberYear,
    Mission,
    Panel,
    Project,
    Service,
    SharedResource,
    Staff,
    StartupCooperation,
)
from klaster.rules.kkk import evaluate, to_json
from tests.rules.kkk.builders import cluster, exporter

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "klaster/rules/kkk/output.schema.json").read_text(
        encoding="utf-8"
    )
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
TYPES = ("micro", "small", "medium", "large", "iob", "science", "other")
FAR = Location(Decimal("50.0647"), Decimal("19.9450"))  # Kraków, ~390 km from Białystok
NEAR = Location(Decimal("53.1325"), Decimal("23.1688"))

dates = st.dates(dt.date(2014, 1, 1), dt.date(2023, 12, 31))
maybe_dates = st.none() | dates
# a few telling amounts (none, zero, small, a fraction, the S2-15 unit) generate much faster
# than arbitrary decimals, and the bands depend on which members have them, not on the digits
money = st.sampled_from(
    [
        None,
        Decimal(0),
        Decimal("0.01"),
        Decimal("1000.00"),
        Decimal("333333.33"),
        Decimal("1500000000"),
    ]
)
small = st.integers(0, 3)


@st.composite
def members(draw):
    n = draw(st.integers(0, 30))
    out = []
    for i in range(n):
        type_ = draw(st.sampled_from(TYPES))
        joined = draw(maybe_dates)
        left = draw(maybe_dates)
        if joined is not None and left is not None and left < joined:
            joined, left = left, joined  # the loader refuses leaving before joining
        ys = tuple(
            MemberYear(
                year=y, revenue=draw(money), export_revenue=draw(money), rd_expenditure=draw(money)
            )
            for y in sorted(draw(st.sets(st.integers(2016, 2022), max_size=4)))
        )
        out.append(
            Member(
                id=f"m{i + 1:03d}",
                name=f"M{i}",
                type=type_,
                joined=joined,
                left=left,
                independent=draw(st.none() | st.booleans()) if type_ in TYPES[:4] else None,
                location=draw(st.sampled_from([NEAR, FAR, None])),
                distance_km=draw(
                    st.sampled_from([None, None, Decimal(0), Decimal(200), Decimal(210)])
                ),
                years=ys,
                industry40=draw(st.booleans()),
                iso=tuple(
                    Iso("ISO", ics=c)
                    for c in draw(
                        st.lists(st.sampled_from(["03", "35", "13", "99", None]), max_size=2)
                    )
                ),
                certificates=tuple(
                    draw(st.lists(st.sampled_from(["A", "B", "C"]), max_size=2, unique=True))
                ),
            )
        )
    return out


@st.composite
def datasets(draw):
    ms = draw(members())
    ids = ["m000"] + [m.id for m in ms] + ["ghost"]
    ref = st.lists(st.sampled_from(ids), max_size=6)
    coord = Member(
        id="m000",
        name="K",
        type=draw(st.sampled_from(TYPES)),
        location=NEAR,
        joined=dt.date(2012, 1, 1),
    )
    return Dataset(
        cluster=cluster(mode=draw(st.sampled_from(["grant", "renewal"]))),
        members=(coord, *ms),
        as_of=draw(st.dates(dt.date(2019, 1, 1), dt.date(2023, 12, 31))),
        staff=tuple(
            Staff(
                name=str(i),
                manager=draw(st.booleans()),
                employed_from=draw(maybe_dates),
                employed_to=draw(maybe_dates),
                years_cluster_mgmt=Decimal(draw(small)),
                years_intl_projects=Decimal(draw(small)),
            )
            for i in range(draw(small))
        ),
        certificates=tuple(
            Certificate(
                kind=draw(st.sampled_from(["esca_gold", "esca_silver", "esca_bronze", "other"])),
                name="c",
                valid_until=draw(maybe_dates),
            )
            for _ in range(draw(small))
        ),
        shared_resources=tuple(
            SharedResource(
                name="r",
                kind=draw(
                    st.sampled_from(
                        ["production", "laboratory", "digital", "demonstration", "other"]
                    )
                ),
                provider=draw(st.sampled_from(ids)),
                equal_preferential_access=draw(st.booleans()),
            )
            for _ in range(draw(st.integers(0, 6)))
        ),
        projects=tuple(
            Project(
                id=f"p{i}",
                name="p",
                international=draw(st.booleans()),
                rd=draw(st.booleans()),
                coordinator_participates=draw(st.booleans()),
                participants=tuple(draw(ref)),
                private_contribution=draw(money),
                start=draw(maybe_dates),
                end=draw(maybe_dates),
            )
            for i in range(draw(st.integers(0, 8)))
        ),
        funding_applications=tuple(
            FundingApplication(name="f", submitted=draw(dates), applicants=tuple(draw(ref)))
            for _ in range(draw(st.integers(0, 8)))
        ),
        ip_rights=tuple(
            IpRight(
                kind=draw(
                    st.sampled_from(["patent", "utility_model", "industrial_design", "trademark"])
                ),
                holder=draw(st.sampled_from(ids)),
                protected_until=draw(maybe_dates),
            )
            for _ in range(draw(st.integers(0, 10)))
        ),
        innovations=tuple(
            Innovation(
                name="i", introduced=draw(dates), by=tuple(draw(ref)), from_rd=draw(st.booleans())
            )
            for _ in range(draw(st.integers(0, 6)))
        ),
        events=tuple(
            Event(
                name="e",
                kind=draw(st.sampled_from(["industry", "cluster", "fair"])),
                date=draw(dates),
                location=draw(st.sampled_from(["poland", "abroad", None])),
                coordinator_participated=draw(st.booleans()),
                participants=tuple(draw(ref)),
            )
            for _ in range(draw(st.integers(0, 8)))
        ),
        missions=tuple(
            Mission(name="m", kind="mission", date=draw(dates), participants=tuple(draw(ref)))
            for _ in range(draw(small))
        ),
        services=tuple(
            Service(
                name=draw(st.sampled_from("abcd")),
                kind=draw(st.sampled_from(["knowledge_transfer", "ecosystem"])),
                date=draw(dates),
                beneficiaries=tuple(draw(st.lists(st.sampled_from(ids), max_size=8))),
            )
            for _ in range(draw(st.integers(0, 12)))
        ),
        kis=tuple(
            Kis(
                number=i,
                consistent_with_specialisation=draw(st.booleans()),
                confirmed_by_projects=draw(st.booleans()),
            )
            for i in range(draw(small))
        ),
        dual_education=tuple(
            DualEducation(
                kind=draw(
                    st.sampled_from(
                        [
                            "curricula",
                            "student_internships",
                            "teacher_internships",
                            "vocational_teachers",
                            "implementation_doctorate",
                        ]
                    )
                ),
                date=draw(maybe_dates),
                entities=tuple(draw(ref)),
            )
            for _ in range(draw(st.integers(0, 6)))
        ),
        startup_cooperations=tuple(
            StartupCooperation(
                member=draw(st.sampled_from(ids)),
                startup="s",
                programme=draw(st.none() | st.just("P")),
                basis="umowa",
            )
            for _ in range(draw(st.integers(0, 6)))
        ),
        circular_economy=tuple(
            EntitiesPractice(
                kind=draw(
                    st.sampled_from(
                        [
                            "material_recovery",
                            "waste_minimisation",
                            "life_extension",
                            "training",
                            "eco_certificate",
                        ]
                    )
                ),
                entities=tuple(draw(ref)),
            )
            for _ in range(draw(st.integers(0, 6)))
        ),
        low_emission=tuple(
            EntitiesPractice(
                kind=draw(st.sampled_from(["energy_audit", "rd", "renewables", "training"])),
                entities=tuple(draw(ref)),
            )
            for _ in range(draw(st.integers(0, 6)))
        ),
        joint_products=tuple(
            JointProduct(
                name="j",
                introduced=draw(dates),
                offered_by=tuple(draw(ref)),
                by_coordinator=draw(st.booleans()),
                revenue=draw(st.booleans()),
            )
            for _ in range(draw(st.integers(0, 5)))
        ),
        panel=draw(st.none() | st.builds(Panel, *(st.integers(0, 10) for _ in range(4)))),
        experts=tuple(
            Expert(
                name=str(i),
                scores=tuple(
                    (str(n), draw(st.integers(0, 5))) for n in draw(st.sets(st.integers(9, 34)))
                ),
            )
            for i in range(draw(st.integers(0, 2)))
        ),
    )


@settings(max_examples=50, deadline=None)
@given(datasets())
def test_kkk_s2_every_indicator_within_0_and_max_and_stage2_at_most_100(ds):
    """KKK-S2-9…34: each indicator's points in 0..max; the proposal never exceeds 100;
    the output validates; what-if steps gain within the room left (KKK-EXPLAIN)."""
    ev = evaluate(ds)
    for ind in ev.stage2.indicators:
        assert 0 <= ind.points <= ind.max, ind.id
        for w in ind.what_if:
            assert 0 < w.gain <= ind.max - ind.points
    assert ev.stage2.proposal == sum(i.points for i in ev.stage2.indicators) <= 100
    if not ds.experts:
        assert ev.stage2.total == ev.stage2.proposal
    VALIDATOR.validate(to_json(ev))


@settings(max_examples=50, deadline=None)
@given(datasets())
def test_kkk_s1_shares_are_percentages_between_0_and_100(ds):
    """KKK-S1-2/3/8/17, KKK-S2-16/17/19/32: every share is between 0% and 100%."""
    ev = evaluate(ds)
    values = [c.value for c in ev.stage1.criteria] + [i.value for i in ev.stage2.indicators]
    for v in values:
        if isinstance(v, str) and v.endswith("%") and " " not in v:
            assert 0 <= Decimal(v[:-1]) <= 100


@settings(max_examples=50, deadline=None)
@given(datasets())
def test_kkk_s2_16_adding_an_exporting_enterprise_never_lowers_it(ds):
    """KKK-S2-16: (X+1)/(E+1) ≥ X/E — a new exporting enterprise never lowers the points."""
    before = next(i for i in evaluate(ds).stage2.indicators if i.id == "KKK-S2-16").points
    bigger = Dataset(
        **{**ds.__dict__, "members": (*ds.members, exporter("new", joined=dt.date(2010, 1, 1)))}
    )
    after = next(i for i in evaluate(bigger).stage2.indicators if i.id == "KKK-S2-16").points
    assert after >= before


@settings(max_examples=50, deadline=None)
@given(datasets(), st.data())
def test_kkk_s1_1_removing_a_member_never_raises_it(ds, data):
    """KKK-S1-1: removing a member never raises the count (nor turns a failure into a pass)."""
    before = next(c for c in evaluate(ds).stage1.criteria if c.id == "KKK-S1-1")
    index = data.draw(st.integers(0, len(ds.members) - 1))
    smaller = Dataset(**{**ds.__dict__, "members": ds.members[:index] + ds.members[index + 1 :]})
    after = next(c for c in evaluate(smaller).stage1.criteria if c.id == "KKK-S1-1")
    assert isinstance(after.value, int) and isinstance(before.value, int)
    assert after.value <= before.value
    assert before.passed or not after.passed
