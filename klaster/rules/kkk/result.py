"""What an evaluation returns: plain frozen dataclasses that explain themselves.

Nothing here knows an edition's numbers (100 points, 140, four panel areas): every maximum
and threshold travels with the result, because editions change them (SPEC KKK-5: a later
round scored out of 150 with a fifth panel area).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from klaster.rules.message import Msg, define

# What a criterion or indicator reports as its value: a count, a share or money as text
# ("27.50%", "1500000.00"), a yes/no, nothing when there is nothing to measure, or a few
# figures in words (a `Msg`, rendered at the edge).
Value = int | str | bool | Msg | None

# The pieces a note is made of, joined (issue 9 point 4: words come at the edge). The JSON's
# Polish note is "band. następny próg: step: +N pkt; step: +N pkt. remark".
JOIN = define("kkk.join", "{first}; {rest}")
SENTENCES = define("kkk.sentences", "{first}. {rest}")
NEXT_BAND = define("kkk.next_band", "next band: {steps}")
STEP_GAIN = define("kkk.step_gain", "{action}: +{gain} pt")


def joined(parts: Iterable[Msg | None], code: str = JOIN) -> Msg | None:
    """The parts (None left out) joined by `code` ("a; b; c"); None when none is left."""
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    out = kept[-1]
    for part in reversed(kept[:-1]):
        out = Msg.of(code, first=part, rest=out)
    return out


Status = Literal["granted", "not_granted", "stage3_pending"]


@dataclass(frozen=True)
class WhatIf:
    """One step that would raise the result: what to add, and what it gains.

    `gain` is stage II points; for a stage I criterion it is 0 and `unlocks` says the
    criterion would pass.
    """

    id: str  # the rule id, e.g. "KKK-S2-16"
    action: Msg  # "2 more exporting enterprises needed (from the present ones)"
    gain: int
    unlocks: bool = False


@dataclass(frozen=True)
class Criterion:
    """A stage I criterion: passed or not, on what value, against what requirement."""

    id: str
    title: Msg
    passed: bool
    value: Value
    # the requirement in the JSON's notation (">= 51", ">= 5 and >= 3%"); pages and the text
    # report write it in their reader's notation
    required: str
    basis: tuple[str, ...]
    note: Msg | None = None
    # what is missing for it to pass (None when it passes)
    needs: Msg | None = None
    # True when the value was measured but the verdict is the applicant's statement (KKK-4).
    statement: bool = False


@dataclass(frozen=True)
class Indicator:
    """A stage II indicator: the product's proposal, with the band reached and the next one."""

    id: str
    number: str  # the indicator's number in the application form, e.g. "16"
    title: Msg
    points: int  # the product's proposal, capped at `max`
    max: int
    value: Value
    basis: tuple[str, ...]
    band: Msg  # the band or rule that gave `points`
    next_band: Msg | None  # what the next band needs (None at the maximum or when none applies)
    remarks: tuple[Msg, ...] = ()  # records left out and why, readings applied, experts
    what_if: tuple[WhatIf, ...] = ()
    # KKK-S2-EXP: the experts' scores for this indicator, in dataset order, and their mean.
    expert_scores: tuple[int, ...] = ()
    expert_mean: Fraction | None = None

    @property
    def note(self) -> Msg:
        """The band reached, what the next one needs, and the remarks, as one sentence chain."""
        next_band = Msg.of(NEXT_BAND, steps=self.next_band) if self.next_band else None
        note = joined((self.band, next_band, *self.remarks), SENTENCES)
        assert note is not None  # the band is always there
        return note


@dataclass(frozen=True)
class MemberCounts:
    """KKK-1: the counts of members on D (table 4)."""

    total: int
    by_type: tuple[tuple[str, int], ...]  # every member type, in MEMBER_TYPES order
    enterprises: int
    within_200_km: int
    unplaced: tuple[str, ...]  # member ids whose distance could not be established


@dataclass(frozen=True)
class Stage1:
    """Stage I: its criteria and whether all passed."""

    passed: bool
    criteria: tuple[Criterion, ...]
    statement: bool  # renewal mode: stage I is the applicant's signed statement (KKK-4)


@dataclass(frozen=True)
class Stage2:
    """Stage II: its indicators, points and the experts' result."""

    total: int  # the result that counts: the experts' when they scored, else the proposal
    passed: bool
    indicators: tuple[Indicator, ...]
    max: int
    threshold: int
    proposal: int  # the product's own sum of indicator points
    experts: tuple[str, ...] = ()  # names of the experts whose scores were recorded
    experts_exact: Fraction | None = None  # sum of the means before rounding


@dataclass(frozen=True)
class PanelScore:
    """Stage III: the panel's points in one area."""

    key: str
    title: Msg
    points: int
    max: int


@dataclass(frozen=True)
class Stage3:
    """Stage III: the panel's areas and their sum."""

    total: int
    max: int
    areas: tuple[PanelScore, ...]


@dataclass(frozen=True)
class Evaluation:
    """What `evaluate` returns: the stages, the total and the status."""

    edition: str
    edition_title: Msg
    cluster: str
    as_of: dt.date
    mode: str  # grant | renewal
    members: MemberCounts
    stage1: Stage1
    stage2: Stage2
    stage3: Stage3 | None
    total: int
    total_max: int
    total_threshold: int
    status: Status
    # Stage II steps sorted by points gained (most first), then stage I steps that unlock a
    # failed criterion.
    what_if: tuple[WhatIf, ...]
    readings: tuple[Msg, ...]  # the readings this edition takes, for the report
