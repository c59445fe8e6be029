"""Indicator sets (FOR-1, issue 13 point 3): what a forum compares, as versioned data.

A set names its indicators, each with the area it belongs to (for the radar), how it is read
from a cluster's KKK evaluation and whether more is better. The KKK 2021 edition is the first
set: its stage II indicators (the points of each, out of its maximum), stage I figures that are
numbers (counts and shares) and the membership by type. Room is left for ESCA's and PARP's sets:
a set is a value of :class:`IndicatorSet`, not code.

:func:`figures` reads one cluster's figures from its evaluation (``klaster.rules.kkk.result``):
``{indicator key: Decimal}``; what cannot be read as a number (a yes/no, words) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from klaster.rules.message import Msg, define

AREA_MEMBERS = define("forum.area.members", "Membership")
AREA_POTENTIAL = define("forum.area.potential", "Potential and management")
AREA_COOPERATION = define("forum.area.cooperation", "Cooperation and services")
AREA_INNOVATION = define("forum.area.innovation", "Research and innovation")
AREA_MARKETS = define("forum.area.markets", "Markets and internationalisation")
AREA_POLICIES = define("forum.area.policies", "Public policies and sustainability")
AREA_STAGE1 = define("forum.area.stage1", "Stage I figures")
AREA_SUMMARY = define("forum.area.summary", "Stage II in all")

SET_KKK_2021 = define("forum.set.kkk_2021", "Key National Cluster competition, 2021 edition")
MEMBERS_TOTAL = define("forum.ind.members_total", "Members (the coordinator included)")
TYPE_TITLES = {
    "micro": define("forum.ind.members_micro", "Micro enterprises"),
    "small": define("forum.ind.members_small", "Small enterprises"),
    "medium": define("forum.ind.members_medium", "Medium enterprises"),
    "large": define("forum.ind.members_large", "Large enterprises"),
    "iob": define("forum.ind.members_iob", "Business-support institutions"),
    "science": define("forum.ind.members_science", "Science units"),
    "other": define("forum.ind.members_other", "Other members"),
}
STAGE2_POINTS = define("forum.ind.stage2", "Stage II indicator {number}: points")
STAGE2_TOTAL = define("forum.ind.stage2_total", "Stage II: points in all")
STAGE1_FIGURE = define("forum.ind.stage1", "Stage I criterion {number}: figure")

KIND_POINTS = "points"
KIND_COUNT = "count"
KIND_SHARE = "share"


@dataclass(frozen=True)
class Indicator:
    key: str  # stable within the set: "s2.16", "s1.2", "members.total"
    title: Msg
    area: str  # an area key of the set
    kind: str  # points | count | share
    maximum: Decimal | None = None  # points out of this (stage II)
    #: where the figure is read from: ("stage2", rule id) | ("stage1", rule id) |
    #: ("members", "total" or a member type) | ("stage2_total", "")
    source: tuple[str, str] = ("", "")
    higher_is_better: bool = True
    #: the rule whose figure it is (a "podstawa" note on the page), e.g. "KKK-S2-16"
    basis: str = ""


@dataclass(frozen=True)
class Area:
    key: str
    title: Msg


@dataclass(frozen=True)
class IndicatorSet:
    code: str  # "kkk-2021"
    version: int
    title: Msg
    areas: tuple[Area, ...]
    indicators: tuple[Indicator, ...]

    def indicator(self, key: str) -> Indicator | None:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators)


# KKK 2021, stage II: indicator number → (maximum points, area). The maxima are the edition's
# (klaster.rules.kkk.edition); the areas group the application form's sections 9–34.
_S2: dict[int, tuple[int, str]] = {
    9: (5, "potential"),
    10: (3, "potential"),
    11: (3, "cooperation"),
    12: (4, "cooperation"),
    13: (2, "potential"),
    14: (2, "cooperation"),
    15: (3, "markets"),
    16: (5, "markets"),
    17: (5, "markets"),
    18: (3, "markets"),
    19: (5, "innovation"),
    20: (3, "innovation"),
    21: (4, "innovation"),
    22: (4, "innovation"),
    23: (5, "cooperation"),
    24: (7, "cooperation"),
    25: (2, "policies"),
    26: (5, "policies"),
    27: (5, "policies"),
    28: (4, "innovation"),
    29: (3, "policies"),
    30: (3, "policies"),
    31: (6, "cooperation"),
    32: (4, "markets"),
    33: (3, "potential"),
    34: (2, "potential"),
}
# stage I criteria whose figure is a count or a share: number → kind
_S1: dict[int, str] = {
    1: KIND_COUNT,
    2: KIND_SHARE,
    3: KIND_SHARE,
    5: KIND_COUNT,
    7: KIND_COUNT,
    8: KIND_SHARE,
    16: KIND_SHARE,
    17: KIND_SHARE,
}
MEMBER_TYPES = ("micro", "small", "medium", "large", "iob", "science", "other")


def _kkk_2021() -> IndicatorSet:
    areas = (
        Area("members", Msg.of(AREA_MEMBERS)),
        Area("potential", Msg.of(AREA_POTENTIAL)),
        Area("cooperation", Msg.of(AREA_COOPERATION)),
        Area("innovation", Msg.of(AREA_INNOVATION)),
        Area("markets", Msg.of(AREA_MARKETS)),
        Area("policies", Msg.of(AREA_POLICIES)),
        Area("stage1", Msg.of(AREA_STAGE1)),
        Area("summary", Msg.of(AREA_SUMMARY)),
    )
    inds: list[Indicator] = [
        Indicator(
            "members.total",
            Msg.of(MEMBERS_TOTAL),
            "members",
            KIND_COUNT,
            source=("members", "total"),
            basis="KKK-S1-1",
        )
    ]
    inds += [
        Indicator(
            f"members.{t}",
            Msg.of(TYPE_TITLES[t]),
            "members",
            KIND_COUNT,
            source=("members", t),
            basis="MEM-3",
        )
        for t in MEMBER_TYPES
    ]
    inds.append(
        Indicator(
            "s2.total",
            Msg.of(STAGE2_TOTAL),
            "summary",
            KIND_POINTS,
            Decimal(100),
            ("stage2_total", ""),
            basis="KKK-S2",
        )
    )
    inds += [
        Indicator(
            f"s2.{n}",
            Msg.of(STAGE2_POINTS, number=n),
            area,
            KIND_POINTS,
            Decimal(maximum),
            ("stage2", f"KKK-S2-{n}"),
            basis=f"KKK-S2-{n}",
        )
        for n, (maximum, area) in _S2.items()
    ]
    inds += [
        Indicator(
            f"s1.{n}",
            Msg.of(STAGE1_FIGURE, number=n),
            "stage1",
            kind,
            source=("stage1", f"KKK-S1-{n}"),
            basis=f"KKK-S1-{n}",
        )
        for n, kind in _S1.items()
    ]
    return IndicatorSet("kkk-2021", 1, Msg.of(SET_KKK_2021), areas, tuple(inds))


KKK_2021 = _kkk_2021()
SETS: Mapping[str, IndicatorSet] = {KKK_2021.code: KKK_2021}
#: the areas drawn on the radar: those of stage II indicators (points out of a maximum)
RADAR_AREAS = ("potential", "cooperation", "innovation", "markets", "policies")


def number(value: Any) -> Decimal | None:
    """A criterion's or indicator's value as a number: an int, or text like "27.50%" or
    "1500000.00"; None for a yes/no, words or nothing."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        text = value.strip().removesuffix("%")
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


def figures(indicator_set: IndicatorSet, evaluation: Any) -> dict[str, Decimal]:
    """One cluster's figures for the set, read from its KKK evaluation."""
    stage2 = {i.id: i for i in evaluation.stage2.indicators}
    stage1 = {c.id: c for c in evaluation.stage1.criteria}
    by_type = dict(evaluation.members.by_type)
    out: dict[str, Decimal] = {}
    for ind in indicator_set.indicators:
        kind, ref = ind.source
        value: Decimal | None = None
        if kind == "members":
            value = Decimal(evaluation.members.total if ref == "total" else by_type.get(ref, 0))
        elif kind == "stage2_total":
            value = Decimal(evaluation.stage2.proposal)
        elif kind == "stage2" and ref in stage2:
            value = Decimal(stage2[ref].points)
        elif kind == "stage1" and ref in stage1:
            value = number(stage1[ref].value)
        if value is not None:
            out[ind.key] = value
    return out
