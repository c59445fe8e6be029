"""Hypothesis strategies: valid cluster datasets (everything the loader accepts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from stdnum.pl import regon as stdnum_regon

from klaster.rules.dataset.model import (
    FORMAT,
    MEMBER_TYPES,
    ActualStart,
    Address,
    Certificate,
    Cluster,
    Contact,
    Coordinator,
    Dataset,
    DigitalInitiative,
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
    Platforms,
    Project,
    Service,
    SharedResource,
    Specialisation,
    Staff,
    StartupCooperation,
    Strategy,
)

Draw = Any

texts = st.text(max_size=12)
names = st.text(min_size=1, max_size=12)
opt_texts = st.none() | texts
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
opt_dates = st.none() | dates
money = (
    st.none()
    | st.decimals(min_value=0, max_value=10**12, places=2)
    | st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False)
)
# within the schema's bounds, which are the database columns' (issue 7): years below 10,000
quantities = st.none() | st.decimals(min_value=0, max_value=9_999, places=1)
postal_codes = st.none() | st.text(max_size=6)
small = {"max_size": 3}


def _nip(draw: Draw) -> str:
    first9 = draw(
        st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda s: s != "0" * 9)
    )
    check = sum(w * int(n) for w, n in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), first9, strict=True)) % 11
    if check == 10:
        first9 = "526025027"  # a base with a valid check digit (5260250274)
        check = 4
    return first9 + str(check)


def _regon(draw: Draw) -> str:
    first8 = draw(st.text(alphabet="123456789", min_size=8, max_size=8))
    nine = first8 + stdnum_regon.calc_check_digit(first8)
    if draw(st.booleans()):
        return nine
    first13 = nine + draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    return first13 + stdnum_regon.calc_check_digit(first13)


def _ordered(draw: Draw) -> tuple[dt.date | None, dt.date | None]:
    a, b = draw(opt_dates), draw(opt_dates)
    if a is not None and b is not None and b < a:
        a, b = b, a
    return a, b


@st.composite
def members(draw: Draw, member_id: str) -> Member:
    mtype = draw(st.sampled_from(MEMBER_TYPES))
    joined, left = _ordered(draw)
    years = draw(st.lists(st.integers(1990, 2030), unique=True, **small))
    return Member(
        id=member_id,
        name=draw(names),
        type=mtype,
        category=draw(st.sampled_from(["partner", "strategic_partner"])),
        nip=draw(st.none() | st.just(_nip(draw))),
        regon=draw(st.none() | st.just(_regon(draw))),
        krs=draw(st.none() | st.integers(1, 10**10 - 1).map(lambda n: f"{n:010d}")),
        address=draw(
            st.none()
            | st.builds(Address, street=opt_texts, postal_code=postal_codes, city=opt_texts)
        ),
        location=draw(
            st.none()
            | st.builds(
                Location,
                lat=st.decimals(min_value=-90, max_value=90, places=4),
                lon=st.decimals(min_value=-180, max_value=180, places=4),
            )
        ),
        distance_km=draw(quantities),
        joined=joined,
        left=left,
        independent=draw(st.none() | st.booleans()),
        science_category=draw(st.none() | st.sampled_from(["A+", "A", "B+", "B", "C"]))
        if mtype == "science"
        else None,
        years=tuple(
            MemberYear(
                year=y,
                revenue=draw(money),
                export_revenue=draw(money),
                rd_expenditure=draw(money),
                fte=draw(quantities),
            )
            for y in years
        ),
        industry40=draw(st.booleans()),
        iso=tuple(draw(st.lists(st.builds(Iso, standard=names, ics=opt_texts), **small))),
        certificates=tuple(draw(st.lists(texts, **small))),
    )


@st.composite
def datasets(draw: Draw) -> Dataset:
    ids = draw(
        st.lists(
            st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    ref = st.sampled_from(ids)
    refs = st.lists(ref, unique=True, max_size=3).map(tuple)

    def strategy() -> Strategy:
        start, end = _ordered(draw)
        return Strategy(name=draw(names), adopted=draw(opt_dates), valid_from=start, valid_to=end)

    def staff() -> Staff:
        start, end = _ordered(draw)
        return Staff(
            name=draw(names),
            email=draw(opt_texts),
            role=draw(opt_texts),
            manager=draw(st.booleans()),
            contract=draw(opt_texts),
            employed_from=start,
            employed_to=end,
            years_private_mgmt=draw(quantities),
            years_cluster_mgmt=draw(quantities),
            years_intl_projects=draw(quantities),
        )

    def project(pid: str) -> Project:
        start, end = _ordered(draw)
        return Project(
            id=pid,
            name=draw(names),
            type=draw(
                st.sampled_from(["investment", "research", "promotion", "training", "other"])
            ),
            international=draw(st.booleans()),
            rd=draw(st.booleans()),
            coordinator_participates=draw(st.booleans()),
            participants=draw(refs),
            value=draw(money),
            private_contribution=draw(money),
            funding_source=draw(opt_texts),
            start=start,
            end=end,
        )

    def startup() -> StartupCooperation:
        start, end = _ordered(draw)
        return StartupCooperation(
            member=draw(ref),
            startup=draw(names),
            programme=draw(opt_texts),
            basis=draw(opt_texts),
            from_=start,
            to=end,
        )

    def n(k: int = 2) -> range:
        return range(draw(st.integers(0, k)))

    project_ids = draw(
        st.lists(st.from_regex(r"p[0-9]{1,3}", fullmatch=True), unique=True, **small)
    )
    cluster = Cluster(
        name=draw(names),
        coordinator=Coordinator(
            member=draw(ref),
            clustering_experience_years=draw(quantities),
            platforms=draw(st.builds(Platforms, st.booleans(), st.booleans(), st.booleans())),
            dues_revenue=draw(st.booleans()),
        ),
        website=draw(opt_texts),
        specialisation=draw(
            st.none()
            | st.builds(
                Specialisation,
                classification=st.sampled_from(["PKD", "EKD", "description"]),
                codes=st.lists(texts, **small).map(tuple),
                description=st.none() | st.text(max_size=150),
            )
        ),
        agreement_date=draw(opt_dates),
        actual_start=draw(
            st.none()
            | st.builds(
                ActualStart,
                year=st.integers(1990, 2030),
                kinds=st.lists(
                    st.sampled_from(
                        [
                            "joint_project",
                            "strategic_document",
                            "international_network",
                            "esca",
                            "other",
                        ]
                    ),
                    **small,
                ).map(tuple),
                description=opt_texts,
            )
        ),
        eccp_registered=draw(st.booleans()),
        mode=draw(st.sampled_from(["grant", "renewal"])),
        strategies=tuple(strategy() for _ in n()),
        contact=draw(
            st.none()
            | st.builds(
                Contact,
                name=names,
                position=opt_texts,
                email=opt_texts,
                phone=opt_texts,
                address=opt_texts,
            )
        ),
    )
    return Dataset(
        cluster=cluster,
        members=tuple(draw(members(i)) for i in ids),
        format=FORMAT,
        as_of=draw(opt_dates),
        staff=tuple(staff() for _ in n()),
        certificates=tuple(
            draw(
                st.lists(
                    st.builds(
                        Certificate,
                        kind=st.sampled_from(["esca_gold", "esca_silver", "esca_bronze", "other"]),
                        name=names,
                        valid_until=opt_dates,
                    ),
                    **small,
                )
            )
        ),
        shared_resources=tuple(
            SharedResource(
                name=draw(names),
                kind=draw(
                    st.sampled_from(
                        ["production", "laboratory", "digital", "demonstration", "other"]
                    )
                ),
                provider=draw(st.none() | ref),
                equal_preferential_access=draw(st.booleans()),
            )
            for _ in n()
        ),
        projects=tuple(project(p) for p in project_ids),
        funding_applications=tuple(
            FundingApplication(
                name=draw(names),
                submitted=draw(dates),
                programme=draw(opt_texts),
                funded=draw(st.none() | st.booleans()),
                applicants=draw(refs),
            )
            for _ in n()
        ),
        ip_rights=tuple(
            IpRight(
                kind=draw(
                    st.sampled_from(["patent", "utility_model", "industrial_design", "trademark"])
                ),
                holder=draw(ref),
                number=draw(opt_texts),
                title=draw(opt_texts),
                protected_until=draw(opt_dates),
                mode=draw(st.none() | st.sampled_from(["polish", "foreign"])),
            )
            for _ in n()
        ),
        innovations=tuple(
            Innovation(
                name=draw(names), introduced=draw(dates), by=draw(refs), from_rd=draw(st.booleans())
            )
            for _ in n()
        ),
        events=tuple(
            Event(
                name=draw(names),
                kind=draw(st.sampled_from(["industry", "cluster", "fair"])),
                date=draw(dates),
                location=draw(st.none() | st.sampled_from(["poland", "abroad"])),
                online=draw(st.booleans()),
                coordinator_participated=draw(st.booleans()),
                participants=draw(refs),
            )
            for _ in n()
        ),
        missions=tuple(
            Mission(
                name=draw(names),
                kind=draw(st.sampled_from(["mission", "matchmaking", "fair", "meeting"])),
                date=draw(dates),
                participants=draw(refs),
            )
            for _ in n()
        ),
        services=tuple(
            Service(
                name=draw(names),
                kind=draw(st.sampled_from(["knowledge_transfer", "ecosystem"])),
                date=draw(dates),
                beneficiaries=draw(refs),
            )
            for _ in n()
        ),
        kis=tuple(
            Kis(
                number=k,
                justification=draw(opt_texts),
                consistent_with_specialisation=draw(st.booleans()),
                confirmed_by_projects=draw(st.booleans()),
            )
            for k in draw(st.lists(st.integers(1, 30), unique=True, max_size=3))
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
                name=draw(opt_texts),
                date=draw(opt_dates),
                entities=draw(refs),
            )
            for _ in n()
        ),
        digital_initiatives=tuple(
            DigitalInitiative(name=draw(names), date=draw(opt_dates)) for _ in n()
        ),
        startup_cooperations=tuple(startup() for _ in n()),
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
                entities=draw(refs),
            )
            for _ in n()
        ),
        low_emission=tuple(
            EntitiesPractice(
                kind=draw(st.sampled_from(["energy_audit", "rd", "renewables", "training"])),
                entities=draw(refs),
            )
            for _ in n()
        ),
        joint_products=tuple(
            JointProduct(
                name=draw(names),
                introduced=draw(dates),
                offered_by=draw(refs),
                by_coordinator=draw(st.booleans()),
                revenue=draw(st.booleans()),
            )
            for _ in n()
        ),
        panel=draw(st.none() | st.builds(Panel, *[st.integers(0, 10)] * 4)),
        experts=tuple(
            Expert(
                name=draw(names),
                scores=tuple(
                    (str(k), draw(st.integers(0, 7)))
                    for k in draw(st.lists(st.integers(9, 34), unique=True, max_size=4))
                ),
            )
            for _ in n()
        ),
    )
