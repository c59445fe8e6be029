"""Small factories for KKK test datasets, built in code (no loader, no database).

`baseline()` is a 60-member cluster evaluated at D = 2021-06-30 that passes every stage I
criterion; tests change one thing and look at one criterion or indicator. Everything is
located at the coordinator's seat unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from klaster.rules.dataset.model import (
    ActualStart,
    Cluster,
    Coordinator,
    Dataset,
    DualEducation,
    Event,
    Expert,
    IpRight,
    Location,
    Member,
    MemberYear,
    Mission,
    Project,
    Strategy,
)
from klaster.rules.kkk import Criterion, Evaluation, Indicator, evaluate

D = dt.date(2021, 6, 30)
FISCAL = (2018, 2019, 2020)
SEAT = Location(Decimal("53.1325"), Decimal("23.1688"))  # Białystok
LONG_AGO = dt.date(2015, 1, 1)


def member(
    id_: str,
    type_: str = "micro",
    *,
    joined: dt.date | None = LONG_AGO,
    left: dt.date | None = None,
    location: Location | None = SEAT,
    independent: bool | None = None,
    **kw: Any,
) -> Member:
    if independent is None and type_ in ("micro", "small", "medium", "large"):
        independent = True
    return Member(
        id=id_,
        name=f"Podmiot {id_}",
        type=type_,
        joined=joined,
        left=left,
        location=location,
        independent=independent,
        **kw,
    )


def years(
    revenue: str | int | None = 1_000_000,
    export: str | int | None = None,
    rd: str | int | None = None,
    span: Iterable[int] = FISCAL,
) -> tuple[MemberYear, ...]:
    """The same figures in every year of `span` (money as Decimal)."""

    def dec(v: str | int | None) -> Decimal | None:
        return None if v is None else Decimal(v)

    return tuple(
        MemberYear(year=y, revenue=dec(revenue), export_revenue=dec(export), rd_expenditure=dec(rd))
        for y in span
    )


def exporter(id_: str, type_: str = "small", **kw: Any) -> Member:
    return member(id_, type_, years=years(1_000_000, 300_000), **kw)


def members_of(counts: dict[str, int], start: int = 1, **kw: Any) -> list[Member]:
    """Members by type, ids m001, m002, … (the coordinator is m000, added by `dataset`)."""
    out = []
    n = start
    for type_, count in counts.items():
        for _ in range(count):
            out.append(member(f"m{n:03d}", type_, **kw))
            n += 1
    return out


def coordinator(**kw: Any) -> Member:
    return member("m000", "iob", **kw)


def cluster(**kw: Any) -> Cluster:
    defaults: dict[str, Any] = dict(
        name="Klaster Testowy",
        coordinator=Coordinator(
            member="m000", clustering_experience_years=Decimal(9), dues_revenue=True
        ),
        agreement_date=dt.date(2012, 1, 23),
        actual_start=ActualStart(year=2012),
        eccp_registered=True,
        strategies=(
            Strategy(
                name="Strategia",
                adopted=dt.date(2020, 3, 1),
                valid_from=dt.date(2020, 3, 1),
                valid_to=dt.date(2025, 12, 31),
            ),
        ),
    )
    defaults.update(kw)
    return Cluster(**defaults)


def dataset(members: Iterable[Member] = (), *, with_coordinator: bool = True, **kw: Any) -> Dataset:
    """A dataset as of D; the coordinator m000 (an IOB at SEAT) comes first unless told not to."""
    ms = tuple(members)
    if with_coordinator and not any(m.id == "m000" for m in ms):
        ms = (coordinator(), *ms)
    kw.setdefault("cluster", cluster())
    kw.setdefault("as_of", D)
    return Dataset(members=ms, **kw)


def project(id_: str, participants: Iterable[str] = (), **kw: Any) -> Project:
    kw.setdefault("start", dt.date(2019, 1, 1))
    return Project(id=id_, name=f"Projekt {id_}", participants=tuple(participants), **kw)


def baseline(**kw: Any) -> Dataset:
    """60 members (41 enterprises) that pass every stage I criterion as of D."""
    ms = members_of(
        {"iob": 2, "science": 4, "medium": 4, "large": 2, "micro": 20, "small": 15, "other": 12}
    )
    # ten R&D performers (the 4 science units count too) and some exporters
    ms = [
        replace(m, years=years(2_000_000, 500_000, 100_000)) if m.type in ("medium", "large") else m
        for m in ms
    ]
    defaults: dict[str, Any] = dict(
        projects=(
            project(
                "p1",
                ["m001", "m003", "m007"],
                international=True,
                private_contribution=Decimal("400000"),
            ),
            project("p2", ["m003", "m007", "m008"], rd=True, type="research"),
            project("p3", [], coordinator_participates=True),
        ),
        dual_education=(
            DualEducation(kind="curricula", date=dt.date(2020, 9, 1), entities=("m007",)),
        ),
        ip_rights=(
            IpRight(kind="patent", holder="m007", protected_until=dt.date(2030, 1, 1)),
            IpRight(kind="trademark", holder="m008", protected_until=dt.date(2030, 1, 1)),
        ),
        events=(
            Event(
                name="Hannover Messe",
                kind="fair",
                location="abroad",
                date=dt.date(2019, 4, 1),
                coordinator_participated=True,
            ),
        ),
        missions=(
            Mission(
                name="Misja", kind="mission", date=dt.date(2020, 2, 10), participants=("m007",)
            ),
        ),
    )
    defaults.update(kw)
    return dataset(ms, **defaults)


def experts_giving(total: int) -> tuple[Expert, Expert]:
    """Two experts who agree: `total` points on indicator 9 and 0 on every other one (2021)."""
    scores = (("9", total),) + tuple((str(n), 0) for n in range(10, 35))
    return (Expert("E1", scores), Expert("E2", scores))


def result(ds: Dataset, **kw: Any) -> Evaluation:
    return evaluate(ds, **kw)


def criterion(ds: Dataset, id_: str, **kw: Any) -> Criterion:
    return next(c for c in evaluate(ds, **kw).stage1.criteria if c.id == id_)


def indicator(ds: Dataset, id_: str, **kw: Any) -> Indicator:
    return next(i for i in evaluate(ds, **kw).stage2.indicators if i.id == id_)
