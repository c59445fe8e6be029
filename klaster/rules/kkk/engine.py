"""evaluate(): runs an edition over a dataset as of D and puts the stages together.

Edition-agnostic: stage I in grant or renewal mode (KKK-4), stage II with the experts'
result beside the product's proposal (KKK-S2-EXP), stage III from the panel (KKK-S3), and
the status (KKK-TOTAL). Every number here comes from the edition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

from klaster.rules.dataset.model import ENTERPRISE_TYPES, MEMBER_TYPES, Dataset
from klaster.rules.kkk.context import Context, KkkError, Locate
from klaster.rules.kkk.edition import Edition
from klaster.rules.kkk.editions import DEFAULT_EDITION, EDITIONS
from klaster.rules.kkk.result import (
    Criterion,
    Evaluation,
    Indicator,
    MemberCounts,
    PanelScore,
    Stage1,
    Stage2,
    Stage3,
    Status,
    WhatIf,
)
from klaster.rules.message import Msg, define

EXPERTS_REMARK = define(
    "kkk.experts.remark",
    "experts: {scores} (mean {mean}); product's proposal {points}; difference {difference}",
)
NO_EXPERTS = define(
    "kkk.experts.none", "no experts' scores: the stage II result takes the product's proposal"
)
NO_DATE = define("kkk.error.no_date", "no date of evaluation: give --as-of or as_of in the dataset")
UNKNOWN_EDITION = define(
    "kkk.error.edition", "unknown KKK competition edition: {edition} (available: {known})"
)
PANEL_OUT_OF_RANGE = define(
    "kkk.error.panel",
    "panel.{field}: the panel's score must be a whole number 0–{max}, it is {value}",
)


def round_half_up(value: Fraction) -> int:
    """Round to a whole point, halves up (004 "Ocena wniosku" 2: "zaokrąglana do pełnego punktu")."""
    return int((value + Fraction(1, 2)) // 1)


def evaluate(
    dataset: Dataset,
    as_of: dt.date | None = None,
    edition: str = DEFAULT_EDITION,
    locate: Locate | None = None,
) -> Evaluation:
    """Score `dataset` as of D = `as_of`, else `dataset.as_of`, under `edition`.

    `locate` places a member's address (lat, lon) when it has neither a location nor a
    distance override; without it such members count as farther than 200 km (KKK-S1-17).
    Raises KkkError when there is no D, the edition is unknown, or a panel score is out of
    range.
    """
    day = as_of if as_of is not None else dataset.as_of
    if day is None:
        raise KkkError(Msg.of(NO_DATE))
    if edition not in EDITIONS:
        raise KkkError(
            Msg.of(UNKNOWN_EDITION, edition=repr(edition), known=tuple(sorted(EDITIONS)))
        )
    rules = EDITIONS[edition]
    ctx = Context(dataset, day, locate)

    members = _count_members(ctx)
    stage1 = _stage1(ctx, rules)
    stage2 = _stage2(ctx, rules)
    stage3 = _stage3(dataset, rules)

    total = stage2.total + (stage3.total if stage3 is not None else 0)
    status: Status
    # KKK-TOTAL: granted with stage I passed, stage II at its pass mark and the sum at the
    # total pass mark; without a panel the result waits for stage III if I and II passed.
    if stage1.passed and stage2.passed and stage3 is None:
        status = "stage3_pending"
    elif stage1.passed and stage2.passed and total >= rules.total_threshold:
        status = "granted"
    else:
        status = "not_granted"

    return Evaluation(
        edition=rules.key,
        edition_title=rules.title,
        cluster=dataset.cluster.name,
        as_of=day,
        mode=dataset.cluster.mode,
        members=members,
        stage1=stage1,
        stage2=stage2,
        stage3=stage3,
        total=total,
        total_max=rules.total_max,
        total_threshold=rules.total_threshold,
        status=status,
        what_if=_what_if(stage1, stage2),
        readings=rules.readings,
    )


def _count_members(ctx: Context) -> MemberCounts:
    """KKK-1: the generator's automatic counts of table 4."""
    by_type = dict.fromkeys(MEMBER_TYPES, 0)
    for m in ctx.members:
        if m.type in by_type:
            by_type[m.type] += 1
    return MemberCounts(
        total=len(ctx.members),
        by_type=tuple(by_type.items()),
        enterprises=sum(by_type[t] for t in MEMBER_TYPES if t in ENTERPRISE_TYPES),
        within_200_km=len(ctx.within_200_km),
        unplaced=tuple(m.id for m in ctx.members if ctx.distance[m.id] is None),
    )


def _stage1(ctx: Context, rules: Edition) -> Stage1:
    criteria = tuple(rule(ctx) for rule in rules.stage1)
    if ctx.dataset.cluster.mode == "renewal":
        # KKK-4, 004 "Ocena wniosku" 1: in renewal stage I is the applicant's signed statement
        # that every criterion is still met; the measured value stays for information.
        criteria = tuple(
            replace(c, passed=True, note=None, needs=None, statement=True) for c in criteria
        )
        return Stage1(passed=True, criteria=criteria, statement=True)
    return Stage1(passed=all(c.passed for c in criteria), criteria=criteria, statement=False)


def _stage2(ctx: Context, rules: Edition) -> Stage2:
    indicators = tuple(rule(ctx) for rule in rules.stage2)
    proposal = sum(i.points for i in indicators)
    experts = ctx.dataset.experts
    if not experts:
        return Stage2(
            total=proposal,
            passed=proposal >= rules.stage2_threshold,
            indicators=indicators,
            max=rules.stage2_max,
            threshold=rules.stage2_threshold,
            proposal=proposal,
        )

    # KKK-S2-EXP: the result is the sum over indicators of the experts' mean, rounded half up
    # once, at the end (SPEC Reading). An indicator no expert scored keeps the proposal.
    scores: dict[str, list[int]] = {i.number: [] for i in indicators}
    for expert in experts:
        for number, points in expert.scores:
            if number in scores:
                scores[number].append(points)
    exact = Fraction(0)
    with_experts: list[Indicator] = []
    for ind in indicators:
        given = scores[ind.number]
        if given:
            mean = Fraction(sum(given), len(given))
            exact += mean
            diff = mean - ind.points
            remark = Msg.of(
                EXPERTS_REMARK,
                scores=", ".join(str(g) for g in given),
                mean=_num(mean),
                points=ind.points,
                difference=f"{'+' if diff > 0 else ''}{_num(diff)}",
            )
            with_experts.append(
                replace(
                    ind,
                    remarks=(*ind.remarks, remark),
                    expert_scores=tuple(given),
                    expert_mean=mean,
                )
            )
        else:
            exact += ind.points
            remark = Msg.of(NO_EXPERTS)
            with_experts.append(replace(ind, remarks=(*ind.remarks, remark)))
    total = round_half_up(exact)
    return Stage2(
        total=total,
        passed=total >= rules.stage2_threshold,
        indicators=tuple(with_experts),
        max=rules.stage2_max,
        threshold=rules.stage2_threshold,
        proposal=proposal,
        experts=tuple(e.name for e in experts),
        experts_exact=exact,
    )


def _stage3(dataset: Dataset, rules: Edition) -> Stage3 | None:
    """KKK-S3: the expert panel's scores, one per area of the edition."""
    if dataset.panel is None:
        return None
    areas = []
    for area in rules.panel_areas:
        points = getattr(dataset.panel, area.field, None)
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= area.max:
            raise KkkError(
                Msg.of(PANEL_OUT_OF_RANGE, field=area.field, max=area.max, value=repr(points))
            )
        areas.append(PanelScore(area.field, area.title, points, area.max))
    return Stage3(total=sum(a.points for a in areas), max=rules.stage3_max, areas=tuple(areas))


def _what_if(stage1: Stage1, stage2: Stage2) -> tuple[WhatIf, ...]:
    """KKK-EXPLAIN: stage II steps by points gained (most first, then form order), then the
    steps that would make each failed stage I criterion pass."""
    order = {ind.id: n for n, ind in enumerate(stage2.indicators)}
    steps = sorted(
        (w for ind in stage2.indicators for w in ind.what_if),
        key=lambda w: (-w.gain, order[w.id]),
    )
    unlock = [
        WhatIf(c.id, c.needs, 0, unlocks=True) for c in stage1.criteria if not c.passed and c.needs
    ]
    return tuple(steps) + tuple(unlock)


def _num(value: Fraction) -> str:
    """A mean of expert scores for a note: 4, 4.5, 4.33."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


__all__ = ["Criterion", "Evaluation", "Indicator", "KkkError", "evaluate", "round_half_up"]
