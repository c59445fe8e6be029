"""The 2021 edition of the KKK competition: instruction of 27 May 2021 (seed 004), SPEC §6.

Stage I: KKK-S1-1 … S1-21 (all must pass). Stage II: KKK-S2-9 … S2-34, 100 points, 65 to
pass. Stage III: four panel areas of 0–10. Granted at 100 of 140.

Every function takes the evaluation context and returns one Criterion or Indicator that
names the records it rests on (member and project ids, or `events[3]` for records without
an id), its value, the band reached, and what the next band needs (KKK-EXPLAIN).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from klaster.rules.dataset.model import Event, Project
from klaster.rules.kkk.context import Context
from klaster.rules.kkk.edition import Edition, PanelArea
from klaster.rules.kkk.measure import (
    Band,
    band_for,
    fmt_ids,
    mean_of_ratios,
    minus_years,
    money,
    months_between,
    more_needed_fixed,
    more_needed_growing,
    pct,
    pct_threshold,
    pct_up,
    per_unit,
    share,
)
from klaster.rules.kkk.result import STEP_GAIN, Criterion, Indicator, Value, WhatIf, joined
from klaster.rules.message import Msg, Term, define

Y = Fraction  # shorthand for band edges: Y(15, 100) is 15 %
M = Msg.of

# Words several rules share. Dates, shares ("27.50%") and amounts ("1500000.00") are passed
# as the engine prints them, so that the JSON of `klaster kkk evaluate` keeps its figures.
NONE = define("kkk.none", "none")
SKIPPED_PARTICIPANTS = define(
    "kkk.skipped.participants",
    "participants outside the members on D left out (former members or unknown ids): {ids}",
)
SKIPPED_APPLICANTS = define(
    "kkk.skipped.applicants",
    "applicants outside the members on D left out (former members or unknown ids): {ids}",
)
BAND_REACHED = define("kkk.band.reached", "band ≥ {at_least} gives {points} pt")
BAND_BELOW = define("kkk.band.below", "below the {at_least} band")
SHARE_BAND = define(
    "kkk.share.band", "{having} of {whole} {whole:enterprise|enterprises} = {share}; {reached}"
)
SHARE_TARGET = define("kkk.share.target", "share ≥ {at_least} gives {points} pt")
IP_UNDATED = define("kkk.ip.undated", "no end of protection (not counted): {ids}")

# ---------------------------------------------------------------------------------------
# helpers


def _criterion(
    ctx: Context,
    id_: str,
    title: Msg,
    passed: bool,
    value: Value,
    required: str,
    basis: Iterable[str],
    note: Msg | None = None,
    needs: Msg | None = None,
) -> Criterion:
    return Criterion(
        id=id_,
        title=title,
        passed=passed,
        value=value,
        required=required,
        basis=tuple(basis),
        note=note,
        needs=None if passed else needs,
    )


def _indicator(
    number: str,
    title: Msg,
    points: int,
    max_: int,
    value: Value,
    basis: Iterable[str],
    band: Msg,
    what_if: Iterable[WhatIf] = (),
    notes: Iterable[Msg | None] = (),
    target: Msg | None = None,
) -> Indicator:
    """An indicator capped at its maximum.

    `next_band` lists the single steps of `what_if` that gain points; when no single step
    reaches the next band, `target` says what that band is.
    """
    points = max(0, min(points, max_))
    room = max_ - points
    steps = tuple(
        WhatIf(w.id, w.action, min(w.gain, room)) for w in what_if if room > 0 and w.gain > 0
    )
    next_band = (
        joined(M(STEP_GAIN, action=w.action, gain=w.gain) for w in steps) if steps else target
    )
    if points == max_:
        next_band = None
    return Indicator(
        id=f"KKK-S2-{number}",
        number=number,
        title=title,
        points=points,
        max=max_,
        value=value,
        basis=tuple(basis),
        band=band,
        next_band=next_band,
        remarks=tuple(n for n in notes if n is not None),
        what_if=steps,
    )


def _skipped(skipped: Iterable[str], code: str) -> Msg | None:
    ids = sorted(set(skipped))
    if not ids:
        return None
    return M(code, ids=fmt_ids(ids))


def _year_ago_passed(joined: dt.date, strictly: bool) -> dt.date:
    """The first D on which a member who joined on `joined` has its year (S1-3 / S1-6)."""
    day = minus_years(joined, -1)  # a year later; 29 February → 28 February
    while not ((minus_years(day, 1) > joined) if strictly else (minus_years(day, 1) >= joined)):
        day += dt.timedelta(days=1)
    return day


def _reached(reached: Band | None, bands: tuple[Band, ...]) -> Msg:
    """The band reached ("band ≥ 25% gives 3 pt"), or the first band not reached."""
    if reached is not None:
        return M(BAND_REACHED, at_least=pct_threshold(reached.at_least), points=reached.points)
    return M(BAND_BELOW, at_least=pct_threshold(bands[0].at_least))


def _share_indicator(
    number: str,
    title: Msg,
    max_: int,
    having: list[str],
    whole: int,
    bands: tuple[Band, ...],
    step_code: str,
    notes: Iterable[Msg | None] = (),
) -> Indicator:
    """A share-of-enterprises indicator with bands; next band counted among current enterprises.

    `step_code` says what one more is ("{n} more exporting enterprises … to reach ≥ {at_least}").
    """
    value = share(len(having), whole)
    reached, following = band_for(value, bands)
    points = reached.points if reached else 0
    band = M(
        SHARE_BAND,
        having=len(having),
        whole=whole,
        share=pct(value),
        reached=_reached(reached, bands),
    )
    steps: list[WhatIf] = []
    target = (
        M(SHARE_TARGET, at_least=pct_threshold(following.at_least), points=following.points)
        if following
        else None
    )
    if following is not None:
        k = more_needed_fixed(len(having), whole, following.at_least)
        if k is not None:
            steps.append(
                WhatIf(
                    f"KKK-S2-{number}",
                    M(step_code, n=k, at_least=pct_threshold(following.at_least)),
                    following.points - points,
                )
            )
    return _indicator(number, title, points, max_, pct(value), having, band, steps, notes, target)


def _joint(ctx: Context, project: Project) -> tuple[bool, list[str], list[str]]:
    """004 pt 3.8 / 18: a joint project has the coordinator or at least 3 cluster members.

    The coordinator is a member, so when it takes part it also counts among the three
    (SPEC KKK-S1-11). Returns (joint, member participants on D, skipped references).
    Four indicators ask about each project: the answer is kept in the context.
    """
    memo = ctx.memo.setdefault("joint", {})
    key = id(project)
    if key not in memo:
        memo[key] = _joint_uncached(ctx, project)
    found: tuple[bool, list[str], list[str]] = memo[key]
    return found


def _joint_uncached(ctx: Context, project: Project) -> tuple[bool, list[str], list[str]]:
    found, skipped = ctx.members_among(project.participants)
    coordinator = ctx.coordinator_takes_part(project.coordinator_participates, project.participants)
    if coordinator and ctx.coordinator is not None and ctx.coordinator_id not in found:
        found.append(ctx.coordinator_id)
    return coordinator or len(found) >= 3, found, skipped


def _event_members(ctx: Context, event: Event) -> list[str]:
    """The event's participants who are members on D. Two rules ask about each of thousands
    of events (S1-14, S2-23): the answer is kept in the context. Not to be modified."""
    memo = ctx.memo.setdefault("event_members", {})
    key = id(event)  # the dataset keeps its events alive for the whole evaluation
    found: list[str] | None = memo.get(key)
    if found is None:
        found = memo[key] = ctx.members_among(event.participants)[0]
    return found


def _started(ctx: Context, project: Project) -> bool:
    # 004 pt 18/20: a project starts on the signing of its contract or the positive decision;
    # one without a start date has not been shown to have started.
    return project.start is not None and project.start <= ctx.d


# ---------------------------------------------------------------------------------------
# Stage I — 004 part D.I, pt 4–8 ("ocena merytoryczna wstępna")


S1_1 = define("kkk.s1_1.title", "Number of cluster members (the coordinator included)")
S1_1_NOTE = define(
    "kkk.s1_1.note",
    "members on D: joined on D at the latest and not left by D (leaving on D excludes)",
)
S1_1_NEEDS = define("kkk.s1_1.needs", "{n} more {n:member|members} needed")


def s1_1(ctx: Context) -> Criterion:
    """KKK-S1-1: at least 51 members, the coordinator included (004 pt 7)."""
    ids = [m.id for m in ctx.members]
    n = len(ids)
    return _criterion(
        ctx,
        "KKK-S1-1",
        M(S1_1),
        n >= 51,
        n,
        ">= 51",
        ids,
        note=M(S1_1_NOTE),
        needs=M(S1_1_NEEDS, n=51 - n),
    )


S1_2 = define("kkk.s1_2.title", "Share of enterprises among members")
S1_2_NOTE = define("kkk.s1_2.note", "enterprises: {e} of {n} {n:member|members}")
S1_2_NEEDS = define("kkk.s1_2.needs", "{n} more {n:enterprise|enterprises} needed as new members")


def s1_2(ctx: Context) -> Criterion:
    """KKK-S1-2: enterprises are at least 2/3 of members (3·E ≥ 2·N, exactly)."""
    n, ids = len(ctx.members), [m.id for m in ctx.enterprises]
    e = len(ids)
    k = more_needed_growing(e, n, Y(2, 3))
    return _criterion(
        ctx,
        "KKK-S1-2",
        M(S1_2),
        n > 0 and 3 * e >= 2 * n,
        pct(share(e, n)),
        ">= 2/3",
        ids,
        note=M(S1_2_NOTE, e=e, n=n),
        needs=M(S1_2_NEEDS, n=k or 0),
    )


S1_3 = define("kkk.s1_3.title", "Share of members in the cluster for over a year")
S1_3_NOTE = define(
    "kkk.s1_3.note",
    "joined before {day}: {s} of {n} {n:member|members} (D minus a year; joining on that very "
    "day is not enough)",
)
S1_3_UNDATED = define(
    "kkk.s1_3.undated", "no joining date (not counted as members for over a year): {ids}"
)
S1_3_WHEN = define("kkk.s1_3.when", "with the present members the 70% mark is reached on {day}")
S1_3_NEEDS = define(
    "kkk.s1_3.needs", "{n} more {n:member|members} in the cluster for over a year needed"
)


def s1_3(ctx: Context) -> Criterion:
    """KKK-S1-3: members for more than a year ≥ 70 % — joined strictly before D minus one year."""
    n = len(ctx.members)
    senior = [m.id for m in ctx.members if m.joined is not None and m.joined < ctx.one_year_ago]
    undated = [m.id for m in ctx.members if m.joined is None]
    s = len(senior)
    passed = n > 0 and 10 * s >= 7 * n
    notes = [M(S1_3_NOTE, day=ctx.one_year_ago.isoformat(), s=s, n=n)]
    if undated:
        notes.append(M(S1_3_UNDATED, ids=fmt_ids(undated)))
    needs = None
    if not passed and n:
        missing = math.ceil(Y(7, 10) * n) - s
        juniors = sorted(
            m.joined for m in ctx.members if m.joined is not None and m.joined >= ctx.one_year_ago
        )
        if missing <= len(juniors):
            when = _year_ago_passed(juniors[missing - 1], strictly=True)
            needs = M(S1_3_WHEN, day=when.isoformat())
        else:
            needs = M(S1_3_NEEDS, n=missing)
    return _criterion(
        ctx,
        "KKK-S1-3",
        M(S1_3),
        passed,
        pct(share(s, n)),
        ">= 70%",
        senior,
        joined(notes),
        needs,
    )


S1_4 = define("kkk.s1_4.title", "Medium and large enterprises (≥ 3% of members and ≥ 5)")
S1_4_NOTE = define("kkk.s1_4.note", "medium and large: {ml} of {n} {n:member|members} = {share}")
S1_4_NEEDS = define("kkk.s1_4.needs", "{n} more medium or large {n:enterprise|enterprises} needed")


def s1_4(ctx: Context) -> Criterion:
    """KKK-S1-4: medium and large enterprises ≥ 3 % of members and at least 5."""
    n = len(ctx.members)
    ids = [m.id for m in ctx.members if m.type in ("medium", "large")]
    ml = len(ids)
    passed = ml >= 5 and 100 * ml >= 3 * n
    k = max(5 - ml, more_needed_growing(ml, n, Y(3, 100)) or 0)
    return _criterion(
        ctx,
        "KKK-S1-4",
        M(S1_4),
        passed,
        ml,
        ">= 5 and >= 3%",
        ids,
        note=M(S1_4_NOTE, ml=ml, n=n, share=pct(share(ml, n))),
        needs=M(S1_4_NEEDS, n=k),
    )


def _count_type(
    ctx: Context, id_: str, title: str, type_: str, minimum: int, needs: str
) -> Criterion:
    ids = [m.id for m in ctx.members if m.type == type_]
    return _criterion(
        ctx,
        id_,
        M(title),
        len(ids) >= minimum,
        len(ids),
        f">= {minimum}",
        ids,
        needs=M(needs, n=minimum - len(ids)),
    )


S1_5 = define("kkk.s1_5.title", "Number of science units")
S1_5_NEEDS = define("kkk.s1_5.needs", "{n} more science {n:unit|units} needed")


def s1_5(ctx: Context) -> Criterion:
    """KKK-S1-5: at least 3 science units (004 pt 7)."""
    return _count_type(ctx, "KKK-S1-5", S1_5, "science", 3, S1_5_NEEDS)


S1_6 = define("kkk.s1_6.title", "A science unit in the cluster for at least a year")
S1_6_NOTE = define(
    "kkk.s1_6.note", "joined on {day} at the latest (D minus a year, that day is enough)"
)
S1_6_NEEDS = define("kkk.s1_6.needs", "a science unit in the cluster for at least a year needed")
S1_6_WHEN = define("kkk.s1_6.when", "with the present members met from {day}")


def s1_6(ctx: Context) -> Criterion:
    """KKK-S1-6: a science unit a member for at least a year (joined on or before D minus one year)."""
    science = [m for m in ctx.members if m.type == "science"]
    ids = [m.id for m in science if m.joined is not None and m.joined <= ctx.one_year_ago]
    needs = [M(S1_6_NEEDS)]
    later = sorted(
        m.joined for m in science if m.joined is not None and m.joined > ctx.one_year_ago
    )
    if later:
        when = _year_ago_passed(later[0], strictly=False)
        needs.append(M(S1_6_WHEN, day=when.isoformat()))
    return _criterion(
        ctx,
        "KKK-S1-6",
        M(S1_6),
        bool(ids),
        len(ids),
        ">= 1",
        ids,
        note=M(S1_6_NOTE, day=ctx.one_year_ago.isoformat()),
        needs=joined(needs),
    )


S1_7 = define("kkk.s1_7.title", "Number of business-support institutions (IOB)")
S1_7_NEEDS = define("kkk.s1_7.needs", "{n} more {n:IOB|IOBs} needed")


def s1_7(ctx: Context) -> Criterion:
    """KKK-S1-7: at least 3 business-support institutions (IOB)."""
    return _count_type(ctx, "KKK-S1-7", S1_7, "iob", 3, S1_7_NEEDS)


S1_8 = define("kkk.s1_8.title", "Share of independent enterprises")
S1_8_NOTE = define("kkk.s1_8.note", "independent: {i} of {e} {e:enterprise|enterprises}")
S1_8_UNMARKED = define(
    "kkk.s1_8.unmarked", "independence not marked (counted as not independent): {ids}"
)
S1_8_NEEDS = define(
    "kkk.s1_8.needs",
    "{n} more independent {n:enterprise|enterprises} (new members) or the missing marks needed",
)


def s1_8(ctx: Context) -> Criterion:
    """KKK-S1-8: independent enterprises ≥ 75 % of enterprises (004 pt 4, Annex I 651/2014)."""
    e = len(ctx.enterprises)
    ids = [m.id for m in ctx.enterprises if m.independent is True]
    undeclared = [m.id for m in ctx.enterprises if m.independent is None]
    i = len(ids)
    notes = [M(S1_8_NOTE, i=i, e=e)]
    if undeclared:
        notes.append(M(S1_8_UNMARKED, ids=fmt_ids(undeclared)))
    k = more_needed_growing(i, e, Y(3, 4)) or 0
    return _criterion(
        ctx,
        "KKK-S1-8",
        M(S1_8),
        e > 0 and 4 * i >= 3 * e,
        pct(share(i, e)),
        ">= 75%",
        ids,
        joined(notes),
        M(S1_8_NEEDS, n=k),
    )


S1_9 = define("kkk.s1_9.title", "Engagement in dual education")
S1_9_NOTE = define("kkk.s1_9.note", "section 26 entries dated D at the latest or undated")
S1_9_NEEDS = define("kkk.s1_9.needs", "at least 1 dual-education initiative needed (section 26)")


def s1_9(ctx: Context) -> Criterion:
    """KKK-S1-9: engaged in dual education — at least one entry of section 26 dated by D."""
    refs = [
        f"dual_education[{i}]"
        for i, x in enumerate(ctx.dataset.dual_education)
        if x.date is None or x.date <= ctx.d
    ]
    return _criterion(
        ctx,
        "KKK-S1-9",
        M(S1_9),
        bool(refs),
        len(refs),
        ">= 1",
        refs,
        note=M(S1_9_NOTE),
        needs=M(S1_9_NEEDS),
    )


S1_10 = define("kkk.s1_10.title", "Activity financed from private sources")
S1_10_NOTE = define(
    "kkk.s1_10.note", "membership dues or a private contribution > 0 in a project started by D"
)
S1_10_NEEDS = define(
    "kkk.s1_10.needs",
    "membership dues (cluster.coordinator.dues_revenue) or a private contribution to a project "
    "needed",
)


def s1_10(ctx: Context) -> Criterion:
    """KKK-S1-10: financed at least partly from private sources (dues or private contributions > 0)."""
    basis: list[str] = []
    if ctx.dataset.cluster.coordinator.dues_revenue:
        basis.append("cluster.coordinator.dues_revenue")
    basis += [
        p.id
        for p in ctx.dataset.projects
        if _started(ctx, p) and p.private_contribution is not None and p.private_contribution > 0
    ]
    return _criterion(
        ctx,
        "KKK-S1-10",
        M(S1_10),
        bool(basis),
        bool(basis),
        "true",
        basis,
        note=M(S1_10_NOTE),
        needs=M(S1_10_NEEDS),
    )


S1_11 = define(
    "kkk.s1_11.title", "Joint projects (≥ 3, an international and an R&D one among them)"
)
S1_11_MORE = define("kkk.s1_11.more", "{n} more joint {n:project|projects} needed")
S1_11_INTL = define("kkk.s1_11.international", "a joint international project needed")
S1_11_RD = define("kkk.s1_11.rd", "a joint R&D project needed")
S1_11_NOTE = define("kkk.s1_11.note", "joint: {joint}; international: {intl}; R&D: {rd}")
S1_11_JOINT = define(
    "kkk.s1_11.joint",
    "joint = the coordinator or at least 3 members take part (the coordinator counts among them)",
)


def s1_11(ctx: Context) -> Criterion:
    """KKK-S1-11: ≥ 3 joint projects started by D, of them ≥ 1 international and ≥ 1 joint R&D."""
    joint: list[str] = []
    intl: list[str] = []
    rd: list[str] = []
    skipped: list[str] = []
    for p in ctx.dataset.projects:
        if not _started(ctx, p):
            continue
        ok, _, skip = _joint(ctx, p)
        skipped += skip
        if ok:
            joint.append(p.id)
            if p.international:
                intl.append(p.id)
            if p.rd:
                rd.append(p.id)
    missing = []
    if len(joint) < 3:
        missing.append(M(S1_11_MORE, n=3 - len(joint)))
    if not intl:
        missing.append(M(S1_11_INTL))
    if not rd:
        missing.append(M(S1_11_RD))
    notes = [
        M(S1_11_NOTE, joint=fmt_ids(joint), intl=fmt_ids(intl), rd=fmt_ids(rd)),
        M(S1_11_JOINT),
        _skipped(skipped, SKIPPED_PARTICIPANTS),
    ]
    return _criterion(
        ctx,
        "KKK-S1-11",
        M(S1_11),
        not missing,
        len(joint),
        ">= 3, >= 1 international, >= 1 R&D",
        joint,
        joined(notes),
        joined(missing),
    )


S1_12 = define("kkk.s1_12.title", "Members conducting R&D")
S1_12_NOTE = define(
    "kkk.s1_12.note",
    "R&D expenditure > 0 in {years}; science units counted as conducting R&D",
)
S1_12_NEEDS = define("kkk.s1_12.needs", "{n} more {n:member|members} conducting R&D needed")


def s1_12(ctx: Context) -> Criterion:
    """KKK-S1-12: ≥ 10 members conduct R&D (expenditure in the last 3 fiscal years; science units count)."""
    ids = [m.id for m in ctx.members if m.type == "science" or ctx.facts[m.id].does_rd]
    years = ", ".join(str(y) for y in ctx.fiscal_years)
    return _criterion(
        ctx,
        "KKK-S1-12",
        M(S1_12),
        len(ids) >= 10,
        len(ids),
        ">= 10",
        ids,
        note=M(S1_12_NOTE, years=years),
        needs=M(S1_12_NEEDS, n=10 - len(ids)),
    )


def _ip_in_force(ctx: Context) -> tuple[list[tuple[int, str]], list[str]]:
    """IP rights in force on D held by member enterprises (004 pt 21), and undated ones."""
    held: list[tuple[int, str]] = []
    undated: list[str] = []
    for i, right in enumerate(ctx.dataset.ip_rights):
        holder = ctx.by_id.get(right.holder)
        if holder is None or not holder.is_enterprise:
            continue
        if right.protected_until is None:
            undated.append(f"ip_rights[{i}]")
        elif right.protected_until >= ctx.d:
            held.append((i, right.kind))
    return held, undated


S1_13 = define("kkk.s1_13.title", "Patents, designs and trademarks of enterprises")
S1_13_NOTE = define("kkk.s1_13.note", "rights of member enterprises, protected on D")
S1_13_NEEDS = define("kkk.s1_13.needs", "{n} more protection {n:right|rights} needed")


def s1_13(ctx: Context) -> Criterion:
    """KKK-S1-13: member enterprises hold ≥ 2 patents, utility models, designs or trademarks in force on D."""
    held, undated = _ip_in_force(ctx)
    refs = [f"ip_rights[{i}]" for i, _ in held]
    notes = [M(S1_13_NOTE), M(IP_UNDATED, ids=fmt_ids(undated)) if undated else None]
    return _criterion(
        ctx,
        "KKK-S1-13",
        M(S1_13),
        len(refs) >= 2,
        len(refs),
        ">= 2",
        refs,
        joined(notes),
        M(S1_13_NEEDS, n=2 - len(refs)),
    )


S1_14 = define("kkk.s1_14.title", "Taking part in an industry or cluster event or a fair abroad")
S1_14_NOTE = define(
    "kkk.s1_14.note", "events from {day} to D with the coordinator or a member taking part"
)
S1_14_NEEDS = define(
    "kkk.s1_14.needs",
    "taking part in an industry or cluster event or a fair abroad in the last 3 years needed",
)


def s1_14(ctx: Context) -> Criterion:
    """KKK-S1-14: ≥ 1 industry event, cluster-dedicated event or fair abroad in the last 3 years."""
    refs = []
    for i, ev in enumerate(ctx.dataset.events):
        if not ctx.in_last_3_years(ev.date):
            continue
        if ev.kind in ("industry", "cluster") or (ev.kind == "fair" and ev.location == "abroad"):
            # the coordinator or a member on D took part (the members kept for S2-23)
            if ctx.coordinator_takes_part(
                ev.coordinator_participated, ev.participants
            ) or _event_members(ctx, ev):
                refs.append(f"events[{i}]")
    return _criterion(
        ctx,
        "KKK-S1-14",
        M(S1_14),
        bool(refs),
        len(refs),
        ">= 1",
        refs,
        note=M(S1_14_NOTE, day=ctx.three_years_ago.isoformat()),
        needs=M(S1_14_NEEDS),
    )


def _mission_enterprises(ctx: Context) -> tuple[list[str], list[str]]:
    """Missions of the last 3 years with enterprise participants; distinct enterprise ids."""
    refs: list[str] = []
    seen: dict[str, None] = {}
    for i, mission in enumerate(ctx.dataset.missions):
        if not ctx.in_last_3_years(mission.date):
            continue
        found = ctx.enterprises_among(mission.participants)
        if found:
            refs.append(f"missions[{i}]")
            seen.update(dict.fromkeys(found))
    return refs, list(seen)


S1_15 = define("kkk.s1_15.title", "Enterprises in missions and meetings with partners")
S1_15_NOTE = define(
    "kkk.s1_15.note",
    "all entries of section 32 (missions, matchmaking, fairs, meetings) since {day}",
)
S1_15_NEEDS = define(
    "kkk.s1_15.needs",
    "a member enterprise taking part in a mission or a meeting with partners in the last 3 "
    "years needed",
)


def s1_15(ctx: Context) -> Criterion:
    """KKK-S1-15: enterprises took part in missions or partner meetings in the last 3 years."""
    refs, ids = _mission_enterprises(ctx)
    return _criterion(
        ctx,
        "KKK-S1-15",
        M(S1_15),
        bool(ids),
        len(ids),
        ">= 1",
        refs + ids,
        note=M(S1_15_NOTE, day=ctx.three_years_ago.isoformat()),
        needs=M(S1_15_NEEDS),
    )


S1_16 = define("kkk.s1_16.title", "Exporting enterprises")
S1_16_NOTE = define("kkk.s1_16.note", "export revenue > 0 in {years}")
S1_16_NEEDS = define(
    "kkk.s1_16.needs", "an enterprise with export revenue in the last 3 fiscal years needed"
)


def s1_16(ctx: Context) -> Criterion:
    """KKK-S1-16: some enterprises export (export revenue in the last 3 fiscal years)."""
    ids = [m.id for m in ctx.enterprises if ctx.facts[m.id].exports]
    return _criterion(
        ctx,
        "KKK-S1-16",
        M(S1_16),
        bool(ids),
        len(ids),
        ">= 1",
        ids,
        note=M(S1_16_NOTE, years=", ".join(str(y) for y in ctx.fiscal_years)),
        needs=M(S1_16_NEEDS),
    )


S1_17 = define("kkk.s1_17.title", "Members within 200 km of the coordinator")
S1_17_NOTE = define(
    "kkk.s1_17.note", "within ≤ 200 km (rounded to 10 km): {w} of {n} {n:member|members}"
)
S1_17_OVERRIDES = define("kkk.s1_17.overrides", "distance entered by hand: {ids}")
S1_17_UNPLACED = define(
    "kkk.s1_17.unplaced", "position not established (counted as farther than 200 km): {ids}"
)
S1_17_NEEDS = define(
    "kkk.s1_17.needs", "{n} more {n:member|members} within 200 km needed (new ones)"
)
S1_17_NEEDS_OR_PLACE = define(
    "kkk.s1_17.needs_or_place",
    "{n} more {n:member|members} within 200 km needed (new ones) or the position of the "
    "members without a distance",
)


def s1_17(ctx: Context) -> Criterion:
    """KKK-S1-17: more than 50 % of members within 200 km of the coordinator (2·W > N)."""
    n = len(ctx.members)
    ids = [m.id for m in ctx.members if m.id in ctx.within_200_km]
    w = len(ids)
    unplaced = [m.id for m in ctx.members if ctx.distance[m.id] is None]
    overrides = [m.id for m in ctx.members if ctx.distance_source[m.id] == "override"]
    notes = [M(S1_17_NOTE, w=w, n=n)]
    if overrides:
        notes.append(M(S1_17_OVERRIDES, ids=fmt_ids(overrides)))
    if unplaced:
        notes.append(M(S1_17_UNPLACED, ids=fmt_ids(unplaced)))
    k = n - 2 * w + 1
    needs = M(S1_17_NEEDS_OR_PLACE if unplaced else S1_17_NEEDS, n=k)
    return _criterion(
        ctx,
        "KKK-S1-17",
        M(S1_17),
        2 * w > n,
        pct(share(w, n)),
        "> 50%",
        ids,
        joined(notes),
        needs,
    )


S1_18 = define("kkk.s1_18.title", "Cluster agreement made at least 36 months before D")
S1_18_NO_DATE = define("kkk.s1_18.no_date", "the date of the cluster agreement needed (3.7)")
S1_18_NOTE = define("kkk.s1_18.note", "agreement of {day}; months counted as year×12+month")
MET_FROM = define("kkk.met_from", "met from {day}")


def s1_18(ctx: Context) -> Criterion:
    """KKK-S1-18: agreement signed ≥ 36 months before D, counted as year×12+month (004 pt 5)."""
    agreed = ctx.dataset.cluster.agreement_date
    if agreed is None:
        return _criterion(
            ctx,
            "KKK-S1-18",
            M(S1_18),
            False,
            None,
            ">= 36",
            [],
            needs=M(S1_18_NO_DATE),
        )
    months = months_between(agreed, ctx.d)
    index = agreed.year * 12 + agreed.month - 1 + 36
    from_ = dt.date(index // 12, index % 12 + 1, 1)
    return _criterion(
        ctx,
        "KKK-S1-18",
        M(S1_18),
        months >= 36,
        months,
        ">= 36",
        ["cluster.agreement_date"],
        note=M(S1_18_NOTE, day=agreed.isoformat()),
        needs=M(MET_FROM, day=from_.isoformat()),
    )


S1_19 = define("kkk.s1_19.title", "Actual activity for at least 3 years")
S1_19_NO_START = define("kkk.s1_19.no_start", "the year actual activity began needed (3.8)")
S1_19_NOTE = define("kkk.s1_19.note", "began in {year}; counted in years")
S1_19_NEEDS = define("kkk.s1_19.needs", "met from the year {year}")


def s1_19(ctx: Context) -> Criterion:
    """KKK-S1-19: actual activity ≥ 3 years counted in years (D.year − start year ≥ 3)."""
    start = ctx.dataset.cluster.actual_start
    if start is None:
        return _criterion(
            ctx,
            "KKK-S1-19",
            M(S1_19),
            False,
            None,
            ">= 3",
            [],
            needs=M(S1_19_NO_START),
        )
    years = ctx.d.year - start.year
    return _criterion(
        ctx,
        "KKK-S1-19",
        M(S1_19),
        years >= 3,
        years,
        ">= 3",
        ["cluster.actual_start"],
        note=M(S1_19_NOTE, year=str(start.year)),
        needs=M(S1_19_NEEDS, year=str(start.year + 3)),
    )


S1_20 = define("kkk.s1_20.title", "Registered on the European Cluster Collaboration Platform")
S1_20_NEEDS = define("kkk.s1_20.needs", "registration on the ECCP needed")


def s1_20(ctx: Context) -> Criterion:
    """KKK-S1-20: registered on the European Cluster Collaboration Platform (3.9)."""
    ok = ctx.dataset.cluster.eccp_registered
    return _criterion(
        ctx,
        "KKK-S1-20",
        M(S1_20),
        ok,
        ok,
        "true",
        ["cluster.eccp_registered"],
        needs=M(S1_20_NEEDS),
    )


S1_21 = define("kkk.s1_21.title", "A current cluster development strategy")
S1_21_NOTE = define("kkk.s1_21.note", "strategy in force on D (from ≤ D ≤ to)")
S1_21_OPEN = define("kkk.s1_21.open_ended", "no end of validity (not counted, 004 pt 6.3): {ids}")
S1_21_NEEDS = define("kkk.s1_21.needs", "a strategy in force on D needed")


def s1_21(ctx: Context) -> Criterion:
    """KKK-S1-21: a development strategy valid on D (004 pt 6: the period must be stated)."""
    valid: list[str] = []
    open_ended: list[str] = []
    for i, s in enumerate(ctx.dataset.cluster.strategies):
        begins = s.valid_from or s.adopted
        if begins is not None and begins > ctx.d:
            continue
        if s.valid_to is None:
            open_ended.append(f"cluster.strategies[{i}]")
        elif ctx.d <= s.valid_to:
            valid.append(f"cluster.strategies[{i}]")
    notes = [M(S1_21_NOTE), M(S1_21_OPEN, ids=fmt_ids(open_ended)) if open_ended else None]
    return _criterion(
        ctx,
        "KKK-S1-21",
        M(S1_21),
        bool(valid),
        len(valid),
        ">= 1",
        valid,
        joined(notes),
        M(S1_21_NEEDS),
    )


# ---------------------------------------------------------------------------------------
# Stage II — 004 part D.II, pt 9–34 ("ocena merytoryczna parametryczna")


S2_9 = define("kkk.s2_9.title", "Cluster management staff")
S2_9_VALUE = define(
    "kkk.s2_9.value", "members per employee: {ratio}; coordinator's experience: {years} years"
)
S2_9_NO_STAFF = define("kkk.s2_9.no_staff", "no staff")
S2_9_MORE_STAFF = define(
    "kkk.s2_9.more_staff",
    "{n} more {n:employee|employees} employed for at least 3 months needed",
)
S2_9_EXPERIENCE = define(
    "kkk.s2_9.experience", "the coordinator's experience in running a cluster of at least 5 years"
)
S2_9_MANAGEMENT = define(
    "kkk.s2_9.management", "a manager with at least 2 years' experience in managing a cluster"
)
S2_9_INTERNATIONAL = define(
    "kkk.s2_9.international",
    "a manager with at least 2 years' experience in international projects",
)
S2_9_BAND = define(
    "kkk.s2_9.band",
    "members ({n}) / staff employed from {day} to D ({staff}) {compare} 30: {ratio_points} pt; "
    "experience ≥ 5 years: {experience_points} pt; cluster management ≥ 2 years: "
    "{management_points} pt; international projects ≥ 2 years: {international_points} pt",
)


def s2_9(ctx: Context) -> Indicator:
    """KKK-S2-9: coordinator team — members per staff ≤ 30, experience of coordinator and managers."""
    n = len(ctx.members)
    d = ctx.d
    # 004 pt 9.2: staff employed for at least 3 months before submission and on the day itself.
    throughout = [
        i
        for i, s in enumerate(ctx.dataset.staff)
        if s.employed_from is not None
        and s.employed_from <= ctx.three_months_ago
        and (s.employed_to is None or s.employed_to >= d)
    ]
    managers = [
        (i, s)
        for i, s in enumerate(ctx.dataset.staff)
        if s.manager
        and (s.employed_from is None or s.employed_from <= d)
        and (s.employed_to is None or s.employed_to >= d)
    ]
    staff_n = len(throughout)
    ratio_ok = staff_n > 0 and n <= 30 * staff_n
    experience = ctx.dataset.cluster.coordinator.clustering_experience_years
    exp_ok = experience is not None and experience >= 5
    mgmt = [
        i for i, s in managers if s.years_cluster_mgmt is not None and s.years_cluster_mgmt >= 2
    ]
    intl = [
        i for i, s in managers if s.years_intl_projects is not None and s.years_intl_projects >= 2
    ]
    points = 2 * ratio_ok + 2 * exp_ok + (1 if mgmt else 0) + (1 if intl else 0)
    ratio: str | Msg = (
        f"{(Decimal(n) / staff_n).quantize(Decimal('0.01'))}" if staff_n else M(S2_9_NO_STAFF)
    )
    value = M(
        S2_9_VALUE,
        ratio=ratio,
        years=str(experience) if experience is not None else M(NONE),
    )
    steps: list[WhatIf] = []
    if not ratio_ok:
        more = math.ceil(Fraction(n, 30)) - staff_n if n else 1
        steps.append(WhatIf("KKK-S2-9", M(S2_9_MORE_STAFF, n=max(more, 1)), 2))
    if not exp_ok:
        steps.append(WhatIf("KKK-S2-9", M(S2_9_EXPERIENCE), 2))
    if not mgmt:
        steps.append(WhatIf("KKK-S2-9", M(S2_9_MANAGEMENT), 1))
    if not intl:
        steps.append(WhatIf("KKK-S2-9", M(S2_9_INTERNATIONAL), 1))
    band = M(
        S2_9_BAND,
        n=n,
        day=ctx.three_months_ago.isoformat(),
        staff=staff_n,
        compare="≤" if ratio_ok else ">",
        ratio_points=2 * int(ratio_ok),
        experience_points=2 * int(exp_ok),
        management_points=1 if mgmt else 0,
        international_points=1 if intl else 0,
    )
    basis = [f"staff[{i}]" for i in sorted(set(throughout) | set(mgmt) | set(intl))] + [
        "cluster.coordinator.clustering_experience_years"
    ]
    return _indicator("9", M(S2_9), points, 5, value, basis, band, steps)


_ESCA = {
    "esca_gold": (3, "ESCA Gold"),
    "esca_silver": (2, "ESCA Silver"),
    "esca_bronze": (1, "ESCA Bronze"),
}


S2_10 = define("kkk.s2_10.title", "Quality of cluster management (certificate)")
S2_10_BAND = define("kkk.s2_10.band", "{certificate}: {points} pt")
S2_10_NONE = define("kkk.s2_10.none", "no valid management-quality certificate")
S2_10_STEP = define("kkk.s2_10.step", "a {certificate} certificate valid on D")
S2_10_UNDATED = define("kkk.s2_10.undated", "no validity date (not counted): {ids}")


def s2_10(ctx: Context) -> Indicator:
    """KKK-S2-10: management certificate valid on D — ESCA Gold 3, Silver 2, Bronze 1; else other 1."""
    valid = [
        (i, c)
        for i, c in enumerate(ctx.dataset.certificates)
        if c.valid_until is not None and c.valid_until >= ctx.d
    ]
    undated = [
        f"certificates[{i}]"
        for i, c in enumerate(ctx.dataset.certificates)
        if c.valid_until is None
    ]
    esca = [(i, c) for i, c in valid if c.kind in _ESCA]
    best: tuple[int, str] | None = None
    if esca:
        i, c = max(esca, key=lambda ic: _ESCA[ic[1].kind][0])
        points, label = _ESCA[c.kind]
        best = (i, label)
    else:
        other = [(i, c) for i, c in valid if c.kind == "other"]
        points = 1 if other else 0
        if other:
            best = (other[0][0], other[0][1].name)
    band = M(S2_10_BAND, certificate=best[1], points=points) if best else M(S2_10_NONE)
    steps = []
    if points < 3:
        nxt = {0: "ESCA Bronze", 1: "ESCA Silver", 2: "ESCA Gold"}[points]
        steps.append(WhatIf("KKK-S2-10", M(S2_10_STEP, certificate=nxt), 1))
    notes = [M(S2_10_UNDATED, ids=fmt_ids(undated)) if undated else None]
    return _indicator(
        "10",
        M(S2_10),
        points,
        3,
        best[1] if best else None,
        [f"certificates[{best[0]}]"] if best else [],
        band,
        steps,
        notes,
    )


S2_11 = define("kkk.s2_11.title", "Platforms the coordinator provides")
S2_11_STEP = define("kkk.s2_11.step", "{platform} platform")
S2_11_BAND = define("kkk.s2_11.band", "platforms: {platforms}")
define("kkk_platform.communication", "internal communication")
define("kkk_platform.purchasing", "purchasing")
define("kkk_platform.sales", "sales")


def _listed(terms: list[Term]) -> tuple[Term, ...] | Msg:
    """Words joined by commas, or "none"."""
    return tuple(terms) if terms else M(NONE)


def s2_11(ctx: Context) -> Indicator:
    """KKK-S2-11: coordinator's platforms — 1 each: internal communication, purchasing, sales."""
    pl = ctx.dataset.cluster.coordinator.platforms
    have = {"communication": pl.communication, "purchasing": pl.purchasing, "sales": pl.sales}
    got = [k for k, v in have.items() if v]
    steps = [
        WhatIf("KKK-S2-11", M(S2_11_STEP, platform=Term("kkk_platform", k)), 1)
        for k, v in have.items()
        if not v
    ]
    return _indicator(
        "11",
        M(S2_11),
        len(got),
        3,
        len(got),
        [f"cluster.coordinator.platforms.{k}" for k in got],
        M(S2_11_BAND, platforms=_listed([Term("kkk_platform", k) for k in got])),
        steps,
    )


_RESOURCE_KINDS = ("production", "laboratory", "digital", "demonstration")
define("kkk_resource.production", "production")
define("kkk_resource.laboratory", "laboratory")
define("kkk_resource.digital", "digital")
define("kkk_resource.demonstration", "demonstration")
S2_12 = define("kkk.s2_12.title", "Resources shared by entities other than the coordinator")
S2_12_STEP = define("kkk.s2_12.step", "shared {kind} infrastructure")
S2_12_BAND = define("kkk.s2_12.band", "kinds of infrastructure: {kinds}")
S2_12_EXCLUDED = define(
    "kkk.s2_12.excluded",
    "not counted (the coordinator's, no equal access or another kind): {ids}",
)


def s2_12(ctx: Context) -> Indicator:
    """KKK-S2-12: resources shared by entities other than the coordinator with equal, preferential access."""
    kinds: dict[str, list[str]] = {}
    excluded: list[str] = []
    for i, r in enumerate(ctx.dataset.shared_resources):
        ref = f"shared_resources[{i}]"
        # 004 pt 12: only resources all members reach equally, on preferential terms, and not
        # the coordinator's own (those are pt 11).
        if (
            r.provider == ctx.coordinator_id
            or not r.equal_preferential_access
            or r.kind not in _RESOURCE_KINDS
        ):
            excluded.append(ref)
            continue
        kinds.setdefault(r.kind, []).append(ref)
    steps = [
        WhatIf("KKK-S2-12", M(S2_12_STEP, kind=Term("kkk_resource", k)), 1)
        for k in _RESOURCE_KINDS
        if k not in kinds
    ]
    basis = [ref for refs in kinds.values() for ref in refs]
    band = M(
        S2_12_BAND,
        kinds=_listed([Term("kkk_resource", k) for k in _RESOURCE_KINDS if k in kinds]),
    )
    notes = [M(S2_12_EXCLUDED, ids=fmt_ids(excluded)) if excluded else None]
    return _indicator(
        "12",
        M(S2_12),
        len(kinds),
        4,
        len(kinds),
        basis,
        band,
        steps,
        notes,
    )


S2_13 = define("kkk.s2_13.title", "Private money in joint projects (last 3 years)")
S2_13_STEP = define("kkk.s2_13.step", "PLN {amount} more of private contribution to joint projects")
S2_13_BAND = define("kkk.s2_13.band", "PLN {amount}: 1 pt per full PLN 1,000,000")


def s2_13(ctx: Context) -> Indicator:
    """KKK-S2-13: private money in joint projects of the last 3 years — 1 per full 1,000,000 PLN."""
    total = Decimal(0)
    basis = []
    for p in ctx.dataset.projects:
        if (
            ctx.running_in_last_3_years(p.start, p.end)
            and p.private_contribution
            and p.private_contribution > 0
            and _joint(ctx, p)[0]
        ):
            total += p.private_contribution
            basis.append(p.id)
    unit = Decimal(1_000_000)
    points, more = per_unit(total, unit, 2)
    steps = (
        [WhatIf("KKK-S2-13", M(S2_13_STEP, amount=money(Decimal(more))), 1)]
        if more is not None
        else []
    )
    return _indicator(
        "13",
        M(S2_13),
        points,
        2,
        money(total),
        basis,
        M(S2_13_BAND, amount=money(total)),
        steps,
    )


S2_14 = define("kkk.s2_14.title", "Funding applications for members' projects (last 3 years)")
S2_14_STEP = define("kkk.s2_14.step", "{n} more funding {n:application|applications} needed")
S2_14_BAND = define("kkk.s2_14.band", "applications submitted since {day}: {n}; 1 pt per 3")


def s2_14(ctx: Context) -> Indicator:
    """KKK-S2-14: funding applications for members' projects in the last 3 years — 1 per 3."""
    refs = []
    skipped: list[str] = []
    for i, a in enumerate(ctx.dataset.funding_applications):
        if not ctx.in_last_3_years(a.submitted):
            continue
        found, skip = ctx.members_among(a.applicants)
        skipped += skip
        if found:
            refs.append(f"funding_applications[{i}]")
    points, more = per_unit(len(refs), 3, 2)
    steps = [WhatIf("KKK-S2-14", M(S2_14_STEP, n=int(more)), 1)] if more is not None else []
    return _indicator(
        "14",
        M(S2_14),
        points,
        2,
        len(refs),
        refs,
        M(S2_14_BAND, day=ctx.three_years_ago.isoformat(), n=len(refs)),
        steps,
        [_skipped(skipped, SKIPPED_APPLICANTS)],
    )


S2_15 = define("kkk.s2_15.title", "Enterprises' sales revenue (3 fiscal years)")
S2_15_STEP = define("kkk.s2_15.step", "PLN {amount} more of enterprises' revenue")
S2_15_BAND = define("kkk.s2_15.band", "PLN {amount} in {years}: 1 pt per full PLN 1,500,000,000")


def s2_15(ctx: Context) -> Indicator:
    """KKK-S2-15: enterprises' sales revenue over the last 3 fiscal years — 1 per full 1.5 bn PLN."""
    total = Decimal(0)
    basis = []
    for m in ctx.enterprises:
        revenue = ctx.facts[m.id].revenue
        if revenue:
            total += revenue
            basis.append(m.id)
    points, more = per_unit(total, Decimal(1_500_000_000), 3)
    steps = (
        [WhatIf("KKK-S2-15", M(S2_15_STEP, amount=money(Decimal(more))), 1)]
        if more is not None
        else []
    )
    years = ", ".join(str(y) for y in ctx.fiscal_years)
    return _indicator(
        "15",
        M(S2_15),
        points,
        3,
        money(total),
        basis,
        M(S2_15_BAND, amount=money(total), years=years),
        steps,
    )


EXPORT_SHARE = (Band(Y(15, 100), 1), Band(Y(25, 100), 3), Band(Y(35, 100), 5))
EXPORT_INTENSITY = (Band(Y(25, 100), 1), Band(Y(35, 100), 3), Band(Y(45, 100), 5))
RD_SHARE = (
    Band(Y(20, 100), 1),
    Band(Y(30, 100), 2),
    Band(Y(35, 100), 3),
    Band(Y(40, 100), 4),
    Band(Y(45, 100), 5),
)
# SPEC KKK-S2-32 Reading: the source leaves 40–45 % without a band; the product gives 2 there,
# which is what ≥ 35 % → 2 up to the 45 % band does.
MISSION_SHARE = (Band(Y(20, 100), 1), Band(Y(35, 100), 2), Band(Y(45, 100), 3), Band(Y(55, 100), 4))
ISO_SHARE = (Band(Y(40, 100), 1), Band(Y(55, 100), 2), Band(Y(70, 100), 3))


S2_16 = define("kkk.s2_16.title", "Exporting enterprises (share)")
S2_16_STEP = define(
    "kkk.s2_16.step",
    "{n} more exporting {n:enterprise|enterprises} needed (from the present enterprises) to "
    "reach ≥ {at_least}",
)


def s2_16(ctx: Context) -> Indicator:
    """KKK-S2-16: share of enterprises exporting in the last 3 fiscal years — ≥15 % 1, ≥25 % 3, ≥35 % 5."""
    having = [m.id for m in ctx.enterprises if ctx.facts[m.id].exports]
    return _share_indicator(
        "16",
        M(S2_16),
        5,
        having,
        len(ctx.enterprises),
        EXPORT_SHARE,
        S2_16_STEP,
    )


S2_17 = define("kkk.s2_17.title", "Export intensity")
S2_17_BAND = define(
    "kkk.s2_17.band",
    "mean export share of the exporting enterprises (number: {n}) = {mean}; {reached}",
)
S2_17_STEP = define("kkk.s2_17.step", "1 more exporting enterprise with an export share ≥ {share}")
S2_17_NO_REVENUE = define("kkk.s2_17.no_revenue", "no sales revenue (left out of the mean): {ids}")
S2_17_CAPPED = define("kkk.s2_17.capped", "export above the revenue (taken as 100%): {ids}")
S2_17_TARGET = define("kkk.s2_17.target", "mean ≥ {at_least} gives {points} pt")


def s2_17(ctx: Context) -> Indicator:
    """KKK-S2-17: export intensity — mean over exporters of export ÷ sales revenue (3 years summed)."""
    pairs: list[tuple[Decimal, Decimal]] = []
    basis: list[str] = []
    no_revenue: list[str] = []
    capped: list[str] = []
    for m in ctx.enterprises:
        f = ctx.facts[m.id]
        if not f.exports or f.export_revenue is None:
            continue
        if f.revenue is None or f.revenue <= 0:
            # 004 pt 17: the share of export in total sales is needed for every exporter; without
            # sales revenue it cannot be had, so the exporter is left out of the mean (and said so).
            no_revenue.append(m.id)
            continue
        if f.export_revenue > f.revenue:
            capped.append(m.id)  # export revenue is part of sales revenue: never above 100 %
            pairs.append((f.revenue, f.revenue))
        else:
            pairs.append((f.export_revenue, f.revenue))
        basis.append(m.id)
    n = len(pairs)
    mean = mean_of_ratios(pairs, (b.at_least for b in EXPORT_INTENSITY))
    reached, following = band_for(mean, EXPORT_INTENSITY)
    points = reached.points if reached else 0
    band = M(S2_17_BAND, n=n, mean=pct(mean), reached=_reached(reached, EXPORT_INTENSITY))
    steps = []
    if following is not None:
        # one more exporter with share r lifts the mean to (Σ + r)/(n + 1) ≥ t  ⇔  r ≥ t(n+1) − n·mean
        r = following.at_least * (n + 1) - mean * n
        if r <= 1:
            steps.append(
                WhatIf(
                    "KKK-S2-17",
                    M(S2_17_STEP, share=pct_up(max(r, Fraction(0)))),
                    following.points - points,
                )
            )
    notes = [
        M(S2_17_NO_REVENUE, ids=fmt_ids(no_revenue)) if no_revenue else None,
        M(S2_17_CAPPED, ids=fmt_ids(capped)) if capped else None,
    ]
    target = (
        M(S2_17_TARGET, at_least=pct_threshold(following.at_least), points=following.points)
        if following
        else None
    )
    return _indicator("17", M(S2_17), points, 5, pct(mean), basis, band, steps, notes, target)


S2_18 = define("kkk.s2_18.title", "Joint international projects (last 3 years)")
S2_18_STEP = define(
    "kkk.s2_18.step", "1 more joint international project (the coordinator or ≥ 3 members)"
)
S2_18_BAND = define("kkk.s2_18.band", "projects running since {day}: {n}; 1 pt each")


def s2_18(ctx: Context) -> Indicator:
    """KKK-S2-18: international joint projects running in the last 3 years — 1 each."""
    ids = [
        p.id
        for p in ctx.dataset.projects
        if p.international and ctx.running_in_last_3_years(p.start, p.end) and _joint(ctx, p)[0]
    ]
    steps = [WhatIf("KKK-S2-18", M(S2_18_STEP), 1)]
    return _indicator(
        "18",
        M(S2_18),
        len(ids),
        3,
        len(ids),
        ids,
        M(S2_18_BAND, day=ctx.three_years_ago.isoformat(), n=len(ids)),
        steps,
    )


S2_19 = define("kkk.s2_19.title", "Enterprises conducting R&D (share)")
S2_19_STEP = define(
    "kkk.s2_19.step",
    "{n} more {n:enterprise|enterprises} with R&D expenditure needed (from the present "
    "enterprises) to reach ≥ {at_least}",
)


def s2_19(ctx: Context) -> Indicator:
    """KKK-S2-19: share of enterprises with R&D expenditure in the last 3 fiscal years — bands 20…45 %."""
    having = [m.id for m in ctx.enterprises if ctx.facts[m.id].does_rd]
    return _share_indicator(
        "19",
        M(S2_19),
        5,
        having,
        len(ctx.enterprises),
        RD_SHARE,
        S2_19_STEP,
    )


S2_20 = define("kkk.s2_20.title", "Joint research and development projects (last 3 years)")
S2_20_STEP = define(
    "kkk.s2_20.step",
    "1 more joint R&D project (≥ 3 members, a science unit and an enterprise among them)",
)
S2_20_BAND = define("kkk.s2_20.band", "R&D projects running since {day}: {n}; 1 pt each")


def s2_20(ctx: Context) -> Indicator:
    """KKK-S2-20: joint R&D projects running in the last 3 years with ≥ 3 members, a science unit and an enterprise."""
    ids = []
    for p in ctx.dataset.projects:
        if not p.rd or not ctx.running_in_last_3_years(p.start, p.end):
            continue
        _, found, _ = _joint(ctx, p)
        types = {ctx.by_id[i].type for i in found}
        if len(found) >= 3 and "science" in types and types & {"micro", "small", "medium", "large"}:
            ids.append(p.id)
    steps = [WhatIf("KKK-S2-20", M(S2_20_STEP), 1)]
    return _indicator(
        "20",
        M(S2_20),
        len(ids),
        3,
        len(ids),
        ids,
        M(S2_20_BAND, day=ctx.three_years_ago.isoformat(), n=len(ids)),
        steps,
    )


S2_21 = define("kkk.s2_21.title", "Patents, designs and trademarks of enterprises")
S2_21_MORE = {
    "patent": define("kkk.s2_21.more_patent", "{n} more {n:patent|patents} needed"),
    "utility_model": define(
        "kkk.s2_21.more_utility_model", "{n} more utility {n:model|models} needed"
    ),
    "trademark": define("kkk.s2_21.more_trademark", "{n} more {n:trademark|trademarks} needed"),
    "industrial_design": define(
        "kkk.s2_21.more_industrial_design", "{n} more industrial {n:design|designs} needed"
    ),
}
S2_21_VALUE = define(
    "kkk.s2_21.value",
    "patents: {patent}; utility models: {utility_model}; trademarks: {trademark}; industrial "
    "designs: {industrial_design}",
)
S2_21_BAND = define(
    "kkk.s2_21.band",
    "1 pt per patent, per 2 utility models, 3 trademarks, 3 industrial designs",
)


def s2_21(ctx: Context) -> Indicator:
    """KKK-S2-21: IP of member enterprises in force on D — 1/patent, 1/2 utility models, 1/3 trademarks, 1/3 designs."""
    held, undated = _ip_in_force(ctx)
    counts = {"patent": 0, "utility_model": 0, "trademark": 0, "industrial_design": 0}
    for _, kind in held:
        if kind in counts:
            counts[kind] += 1
    per = {"patent": 1, "utility_model": 2, "trademark": 3, "industrial_design": 3}
    points = sum(counts[k] // per[k] for k in counts)
    steps = [
        WhatIf("KKK-S2-21", M(S2_21_MORE[k], n=per[k] - counts[k] % per[k]), 1) for k in counts
    ]
    return _indicator(
        "21",
        M(S2_21),
        points,
        4,
        M(S2_21_VALUE, **counts),
        [f"ip_rights[{i}]" for i, _ in held],
        M(S2_21_BAND),
        steps,
        [M(IP_UNDATED, ids=fmt_ids(undated)) if undated else None],
    )


S2_22 = define("kkk.s2_22.title", "Innovations from R&D work (last 3 years)")
S2_22_BAND = define("kkk.s2_22.band", "innovations introduced since {day}: {n}; 1 pt each")
S2_22_STEP = define("kkk.s2_22.step", "1 more innovation from R&D work introduced by a member")


def s2_22(ctx: Context) -> Indicator:
    """KKK-S2-22: innovations from R&D introduced by cluster entities (Reading: in the last 3 years)."""
    refs = [
        f"innovations[{i}]"
        for i, x in enumerate(ctx.dataset.innovations)
        if x.from_rd and ctx.in_last_3_years(x.introduced) and ctx.members_among(x.by)[0]
    ]
    return _indicator(
        "22",
        M(S2_22),
        len(refs),
        4,
        len(refs),
        refs,
        M(S2_22_BAND, day=ctx.three_years_ago.isoformat(), n=len(refs)),
        [WhatIf("KKK-S2-22", M(S2_22_STEP), 1)],
    )


S2_23 = define("kkk.s2_23.title", "Taking part in industry and cluster events and fairs")
S2_23_FOREIGN = define(
    "kkk.s2_23.foreign",
    "{n} more industry or cluster {n:event|events} abroad with the coordinator or ≥ 10% of "
    "members taking part needed",
)
S2_23_FAIR_PL = define(
    "kkk.s2_23.fair_poland", "the coordinator or ≥ 10% of members at a fair in Poland"
)
S2_23_FAIR_ABROAD = define(
    "kkk.s2_23.fair_abroad", "the coordinator or ≥ 10% of members at a fair abroad"
)
S2_23_VALUE = define(
    "kkk.s2_23.value",
    "events abroad: {foreign}; fairs in Poland: {fair_pl}; fairs abroad: {fair_abroad}",
)
S2_23_BAND = define(
    "kkk.s2_23.band",
    "≥ 3 events abroad: {foreign_points} pt; fairs in Poland: {fair_pl_points} pt; fairs "
    "abroad: {fair_abroad_points} pt",
)
S2_23_SHORT = define(
    "kkk.s2_23.short",
    "without the coordinator and below 10% of members (not counted): {ids}",
)
S2_23_UNLOCATED = define("kkk.s2_23.unlocated", "no place (Poland/abroad; not counted): {ids}")


def s2_23(ctx: Context) -> Indicator:
    """KKK-S2-23: events of the last 3 years where the coordinator or ≥ 10 % of members took part."""
    n = len(ctx.members)
    foreign: list[str] = []
    fair_pl: list[str] = []
    fair_abroad: list[str] = []
    short: list[str] = []
    unlocated: list[str] = []
    for i, ev in enumerate(ctx.dataset.events):
        if not ctx.in_last_3_years(ev.date):
            continue
        ref = f"events[{i}]"
        found = _event_members(ctx, ev)
        # 004 pt 23: "udział Koordynatora lub co najmniej 10% członków" — 10·P ≥ N, exactly.
        if not (
            ctx.coordinator_takes_part(ev.coordinator_participated, ev.participants)
            or (n and 10 * len(found) >= n)
        ):
            short.append(ref)
            continue
        if ev.location not in ("poland", "abroad"):
            unlocated.append(ref)
        elif ev.kind in ("industry", "cluster") and ev.location == "abroad":
            foreign.append(ref)
        elif ev.kind == "fair":
            (fair_pl if ev.location == "poland" else fair_abroad).append(ref)
    points = (1 if len(foreign) >= 3 else 0) + (1 if fair_pl else 0) + (3 if fair_abroad else 0)
    steps = []
    if len(foreign) < 3:
        steps.append(WhatIf("KKK-S2-23", M(S2_23_FOREIGN, n=3 - len(foreign)), 1))
    if not fair_pl:
        steps.append(WhatIf("KKK-S2-23", M(S2_23_FAIR_PL), 1))
    if not fair_abroad:
        steps.append(WhatIf("KKK-S2-23", M(S2_23_FAIR_ABROAD), 3))
    value = M(S2_23_VALUE, foreign=len(foreign), fair_pl=len(fair_pl), fair_abroad=len(fair_abroad))
    band = M(
        S2_23_BAND,
        foreign_points=1 if len(foreign) >= 3 else 0,
        fair_pl_points=1 if fair_pl else 0,
        fair_abroad_points=3 if fair_abroad else 0,
    )
    notes = [
        M(S2_23_SHORT, ids=fmt_ids(short)) if short else None,
        M(S2_23_UNLOCATED, ids=fmt_ids(unlocated)) if unlocated else None,
    ]
    return _indicator(
        "23",
        M(S2_23),
        points,
        5,
        value,
        foreign + fair_pl + fair_abroad,
        band,
        steps,
        notes,
    )


S2_24 = define("kkk.s2_24.title", "Coordinator's services (last 12 months)")
S2_24_MORE = define(
    "kkk.s2_24.more",
    "{n} more different knowledge-transfer {n:service|services} for ≥ 5 members needed",
)
S2_24_ECO = define("kkk.s2_24.ecosystem", "1 more action for the industry ecosystem")
S2_24_VALUE = define(
    "kkk.s2_24.value", "knowledge-transfer services: {kt}; ecosystem actions: {eco}"
)
S2_24_BAND = define(
    "kkk.s2_24.band",
    "since {day}: different services for ≥ 5 members: {kt} → {kt_points} pt; actions for the "
    "ecosystem: {eco} → {eco} pt",
)
S2_24_FEW = define("kkk.s2_24.few", "services for fewer than 5 members (not counted): {ids}")


def s2_24(ctx: Context) -> Indicator:
    """KKK-S2-24: coordinator's services in the last 12 months — 1 per 2 different knowledge-transfer
    services each for ≥ 5 members; 1 per ecosystem action."""
    kt: dict[str, str] = {}
    eco: list[str] = []
    few: list[str] = []
    for i, s in enumerate(ctx.dataset.services):
        if not ctx.twelve_months_ago <= s.date <= ctx.d:
            continue
        ref = f"services[{i}]"
        if s.kind == "ecosystem":
            eco.append(ref)
        elif s.kind == "knowledge_transfer":
            if len(ctx.members_among(s.beneficiaries)[0]) >= 5:
                kt.setdefault(s.name.strip().casefold(), ref)  # "różne usługi": one per name
            else:
                few.append(ref)
    points = len(kt) // 2 + len(eco)
    steps = [
        WhatIf("KKK-S2-24", M(S2_24_MORE, n=2 - len(kt) % 2), 1),
        WhatIf("KKK-S2-24", M(S2_24_ECO), 1),
    ]
    value = M(S2_24_VALUE, kt=len(kt), eco=len(eco))
    band = M(
        S2_24_BAND,
        day=ctx.twelve_months_ago.isoformat(),
        kt=len(kt),
        kt_points=len(kt) // 2,
        eco=len(eco),
    )
    notes = [M(S2_24_FEW, ids=fmt_ids(few)) if few else None]
    return _indicator(
        "24",
        M(S2_24),
        points,
        7,
        value,
        list(kt.values()) + eco,
        band,
        steps,
        notes,
    )


S2_25 = define("kkk.s2_25.title", "National Smart Specialisation")
S2_25_CONSISTENT = define(
    "kkk.s2_25.consistent", "a KIS consistent with the cluster's specialisation"
)
S2_25_CONFIRMED = define("kkk.s2_25.confirmed", "a KIS confirmed by the cluster's projects")
S2_25_TOO_MANY = define("kkk.s2_25.too_many", "{n} KIS given; the first 3 count")
S2_25_BAND = define(
    "kkk.s2_25.band",
    "consistent with the specialisation: {consistent} pt; confirmed by projects: {confirmed} pt",
)


def s2_25(ctx: Context) -> Indicator:
    """KKK-S2-25: national smart specialisation (≤ 3 listed): consistent 1, confirmed by projects 1."""
    listed = list(enumerate(ctx.dataset.kis))[:3]
    consistent = [f"kis[{i}]" for i, k in listed if k.consistent_with_specialisation]
    confirmed = [f"kis[{i}]" for i, k in listed if k.confirmed_by_projects]
    points = (1 if consistent else 0) + (1 if confirmed else 0)
    steps = []
    if not consistent:
        steps.append(WhatIf("KKK-S2-25", M(S2_25_CONSISTENT), 1))
    if not confirmed:
        steps.append(WhatIf("KKK-S2-25", M(S2_25_CONFIRMED), 1))
    notes = [M(S2_25_TOO_MANY, n=len(ctx.dataset.kis)) if len(ctx.dataset.kis) > 3 else None]
    return _indicator(
        "25",
        M(S2_25),
        points,
        2,
        points,
        sorted(set(consistent + confirmed)),
        M(
            S2_25_BAND,
            consistent=1 if consistent else 0,
            confirmed=1 if confirmed else 0,
        ),
        steps,
        notes,
    )


_DUAL = {
    "curricula": define("kkk.s2_26.curricula", "curricula / cooperation with schools"),
    "student_internships": define(
        "kkk.s2_26.student_internships", "internships of pupils/students (last 3 years)"
    ),
    "teacher_internships": define(
        "kkk.s2_26.teacher_internships", "internships of teaching staff (last 3 years)"
    ),
    "vocational_teachers": define(
        "kkk.s2_26.vocational_teachers", "teachers of practical vocational training"
    ),
    "implementation_doctorate": define(
        "kkk.s2_26.implementation_doctorate", "implementation doctorates"
    ),
}
S2_26 = define("kkk.s2_26.title", "Dual education")
S2_26_BAND = define("kkk.s2_26.band", "kinds: {kinds}")


def s2_26(ctx: Context) -> Indicator:
    """KKK-S2-26: dual education — 1 each kind (internships in the last 3 years, in member enterprises)."""
    got: dict[str, str] = {}
    for i, x in enumerate(ctx.dataset.dual_education):
        if x.kind not in _DUAL or (x.date is not None and x.date > ctx.d):
            continue
        if x.kind in ("student_internships", "teacher_internships"):
            # 004 pt 26: internships "w przedsiębiorstwach wchodzących w skład Klastra" in the last 3 years
            if not ctx.in_last_3_years(x.date) or not ctx.enterprises_among(x.entities):
                continue
        if x.kind == "implementation_doctorate" and not ctx.enterprises_among(x.entities):
            continue  # "min. jednego przedsiębiorstwa wchodzącego w skład Klastra"
        got.setdefault(x.kind, f"dual_education[{i}]")
    steps = [WhatIf("KKK-S2-26", M(code), 1) for k, code in _DUAL.items() if k not in got]
    kinds = tuple(M(code) for k, code in _DUAL.items() if k in got)
    return _indicator(
        "26",
        M(S2_26),
        len(got),
        5,
        len(got),
        list(got.values()),
        M(S2_26_BAND, kinds=kinds or M(NONE)),
        steps,
    )


S2_27 = define("kkk.s2_27.title", "Digital transformation")
S2_27_INITIATIVE = define(
    "kkk.s2_27.initiative", "1 more coordinator's initiative spreading digitalisation"
)
S2_27_MORE = define(
    "kkk.s2_27.more", "{n} more {n:enterprise|enterprises} using Industry 4.0 needed (10% mark)"
)
S2_27_VALUE = define(
    "kkk.s2_27.value", "Industry 4.0: {share} of enterprises; initiatives: {initiatives}"
)
S2_27_BAND = define(
    "kkk.s2_27.band",
    "Industry 4.0: {users} of {e} {e:enterprise|enterprises} ({compare} 10%) → {i4_points} pt; "
    "coordinator's initiatives: {initiatives} → {initiatives} pt",
)


def s2_27(ctx: Context) -> Indicator:
    """KKK-S2-27: digital transformation — 3 if ≥ 10 % of enterprises use Industry 4.0; 1 per initiative."""
    e = len(ctx.enterprises)
    users = [m.id for m in ctx.enterprises if m.industry40]
    initiatives = [
        f"digital_initiatives[{i}]"
        for i, x in enumerate(ctx.dataset.digital_initiatives)
        if x.date is None or x.date <= ctx.d
    ]
    i4 = e > 0 and 10 * len(users) >= e
    points = 3 * i4 + len(initiatives)
    steps = [WhatIf("KKK-S2-27", M(S2_27_INITIATIVE), 1)]
    if not i4:
        k = more_needed_fixed(len(users), e, Y(10, 100))
        if k is not None:
            steps.insert(0, WhatIf("KKK-S2-27", M(S2_27_MORE, n=k), 3))
    value = M(S2_27_VALUE, share=pct(share(len(users), e)), initiatives=len(initiatives))
    band = M(
        S2_27_BAND,
        users=len(users),
        e=e,
        compare="≥" if i4 else "<",
        i4_points=3 * int(i4),
        initiatives=len(initiatives),
    )
    return _indicator("27", M(S2_27), points, 5, value, users + initiatives, band, steps)


S2_28 = define("kkk.s2_28.title", "Cooperation with tech start-ups")
S2_28_BAND = define("kkk.s2_28.band", "documented cooperations: {n}; 1 pt each")
S2_28_STEP = define(
    "kkk.s2_28.step",
    "1 more documented cooperation of a member with a start-up in an acceleration programme",
)
S2_28_UNDOCUMENTED = define(
    "kkk.s2_28.undocumented",
    "no acceleration programme or basis of cooperation (not counted): {ids}",
)


def s2_28(ctx: Context) -> Indicator:
    """KKK-S2-28: documented cooperation of a member with a tech startup in an acceleration programme."""
    refs = []
    undocumented = []
    for i, x in enumerate(ctx.dataset.startup_cooperations):
        if x.member not in ctx.by_id or (x.from_ is not None and x.from_ > ctx.d):
            continue
        # 004 pt 28: in an acceleration programme, documented by a contract or agreement
        if not x.programme or not x.basis:
            undocumented.append(f"startup_cooperations[{i}]")
            continue
        refs.append(f"startup_cooperations[{i}]")
    notes = [M(S2_28_UNDOCUMENTED, ids=fmt_ids(undocumented)) if undocumented else None]
    return _indicator(
        "28",
        M(S2_28),
        len(refs),
        4,
        len(refs),
        refs,
        M(S2_28_BAND, n=len(refs)),
        [WhatIf("KKK-S2-28", M(S2_28_STEP), 1)],
        notes,
    )


PRACTICE_STEP = define("kkk.practice.step", "{practice}: {n} more {n:entity|entities} needed")
PRACTICE_BAND = define("kkk.practice.band", "met: {practices}")


def _practices(
    ctx: Context, number: str, title: str, section: str, entries: tuple[tuple[str, int, str], ...]
) -> Indicator:
    """Indicators 29 and 30: 1 point per kind of practice applied by enough member entities."""
    records = (
        ctx.dataset.circular_economy if section == "circular_economy" else ctx.dataset.low_emission
    )
    entities: dict[str, dict[str, None]] = defaultdict(dict)
    refs: dict[str, list[str]] = defaultdict(list)
    for i, x in enumerate(records):
        found = ctx.members_among(x.entities)[0]
        if found:
            entities[x.kind].update(dict.fromkeys(found))
            refs[x.kind].append(f"{section}[{i}]")
    got = [(kind, label) for kind, minimum, label in entries if len(entities[kind]) >= minimum]
    steps = []
    for kind, minimum, label in entries:
        have = len(entities[kind])
        if have < minimum:
            steps.append(
                WhatIf(
                    f"KKK-S2-{number}",
                    M(PRACTICE_STEP, practice=M(label), n=minimum - have),
                    1,
                )
            )
    basis = [ref for kind, _ in got for ref in refs[kind]]
    band = M(PRACTICE_BAND, practices=tuple(M(label) for _, label in got) or M(NONE))
    return _indicator(number, M(title), len(got), 3, len(got), basis, band, steps)


S2_29 = define("kkk.s2_29.title", "Circular economy")
S2_29_PRACTICES = (
    (
        "material_recovery",
        2,
        define("kkk.s2_29.material_recovery", "material recovery (≥ 2 entities)"),
    ),
    (
        "waste_minimisation",
        2,
        define("kkk.s2_29.waste_minimisation", "waste minimisation (≥ 2 entities)"),
    ),
    ("life_extension", 2, define("kkk.s2_29.life_extension", "longer product life (≥ 2 members)")),
    ("training", 1, define("kkk.s2_29.training", "training on the circular economy")),
    (
        "eco_certificate",
        2,
        define("kkk.s2_29.eco_certificate", "ETV/Ecolabel certificates (≥ 2 members)"),
    ),
)


def s2_29(ctx: Context) -> Indicator:
    """KKK-S2-29: circular economy — 1 each kind with enough member entities (004 pt 29)."""
    return _practices(ctx, "29", S2_29, "circular_economy", S2_29_PRACTICES)


S2_30 = define("kkk.s2_30.title", "Low-emission economy")
S2_30_PRACTICES = (
    (
        "energy_audit",
        2,
        define("kkk.s2_30.energy_audit", "measures from an energy audit (≥ 2 members)"),
    ),
    ("rd", 1, define("kkk.s2_30.rd", "R&D work in low-emission technologies")),
    ("renewables", 1, define("kkk.s2_30.renewables", "own generation of renewable energy")),
    (
        "training",
        1,
        define("kkk.s2_30.training", "training or projects on the low-emission economy"),
    ),
)


def s2_30(ctx: Context) -> Indicator:
    """KKK-S2-30: low-emission economy — 1 each kind with enough member entities (004 pt 30)."""
    return _practices(ctx, "30", S2_30, "low_emission", S2_30_PRACTICES)


S2_31 = define("kkk.s2_31.title", "Joint products and services of the cluster (last 3 years)")
S2_31_BAND = define(
    "kkk.s2_31.band", "joint products with revenue introduced since {day}: {n}; 2 pt each"
)
S2_31_STEP = define(
    "kkk.s2_31.step",
    "1 more joint product/service with revenue from sales outside the cluster",
)


def s2_31(ctx: Context) -> Indicator:
    """KKK-S2-31: joint products introduced in the last 3 years, offered by ≥ 2 member enterprises or
    the coordinator, sold outside the cluster with revenue — 2 each."""
    refs = []
    for i, x in enumerate(ctx.dataset.joint_products):
        if not x.revenue or not ctx.in_last_3_years(x.introduced):
            continue
        if (
            ctx.coordinator_takes_part(x.by_coordinator, x.offered_by)
            or len(ctx.enterprises_among(x.offered_by)) >= 2
        ):
            refs.append(f"joint_products[{i}]")
    return _indicator(
        "31",
        M(S2_31),
        2 * len(refs),
        6,
        len(refs),
        refs,
        M(S2_31_BAND, day=ctx.three_years_ago.isoformat(), n=len(refs)),
        [WhatIf("KKK-S2-31", M(S2_31_STEP), 2)],
    )


S2_32 = define("kkk.s2_32.title", "Enterprises' share in missions and meetings with partners")
S2_32_READING = define(
    "kkk.s2_32.reading", "the instruction sets no band for 40–45%; 2 pt taken (SPEC KKK-S2-32)"
)
S2_32_STEP = define(
    "kkk.s2_32.step",
    "{n} more {n:enterprise|enterprises} needed (from the present enterprises) to reach ≥ "
    "{at_least}",
)


def s2_32(ctx: Context) -> Indicator:
    """KKK-S2-32: share of enterprises in missions / partner meetings of the last 3 years."""
    refs, ids = _mission_enterprises(ctx)
    value = share(len(ids), len(ctx.enterprises))
    notes = []
    if Y(40, 100) <= value < Y(45, 100):
        notes.append(M(S2_32_READING))
    indicator = _share_indicator(
        "32",
        M(S2_32),
        4,
        ids,
        len(ctx.enterprises),
        MISSION_SHARE,
        S2_32_STEP,
        notes,
    )
    return replace(indicator, basis=tuple(refs) + indicator.basis)


_ICS = {
    "03": define("kkk.s2_33.ics_03", "ICS 03 (services, management, quality)"),
    "35": define("kkk.s2_33.ics_35", "ICS 35 (IT)"),
    "13": define("kkk.s2_33.ics_13", "ICS 13 (environment, health, safety)"),
}
S2_33 = define("kkk.s2_33.title", "Quality certification (ISO)")
S2_33_MORE = define(
    "kkk.s2_33.more", "{n} more {n:enterprise|enterprises} with ISO needed (≥ {at_least} mark)"
)
S2_33_AREA = define("kkk.s2_33.area", "an ISO certificate in {area}")
S2_33_BAND = define(
    "kkk.s2_33.band",
    "enterprises with ISO: {holders} of {e} = {share} → {share_points} pt; ICS areas: {ics} → "
    "{ics_points} pt; the higher counts",
)
S2_33_VALUE = define("kkk.s2_33.value", "ISO: {share} of enterprises; ICS: {ics}")


def s2_33(ctx: Context) -> Indicator:
    """KKK-S2-33: ISO — the higher of the ISO share of enterprises (≥40 % 1, ≥55 % 2, ≥70 % 3)
    or 1 each for ISO certificates in ICS 03, 35, 13."""
    e = len(ctx.enterprises)
    holders = [m.id for m in ctx.enterprises if m.iso]
    ics: dict[str, list[str]] = {}
    for m in ctx.members:
        for iso in m.iso:
            group = (iso.ics or "").strip().split(".")[0]
            if group in _ICS:
                ics.setdefault(group, []).append(m.id)
    value = share(len(holders), e)
    reached, following = band_for(value, ISO_SHARE)
    by_share = reached.points if reached else 0
    by_ics = len(ics)
    points = max(by_share, by_ics)
    steps = []
    if following is not None:
        k = more_needed_fixed(len(holders), e, following.at_least)
        if k is not None and following.points > points:
            steps.append(
                WhatIf(
                    "KKK-S2-33",
                    M(S2_33_MORE, n=k, at_least=pct_threshold(following.at_least)),
                    following.points - points,
                )
            )
    if by_ics >= by_share:
        steps += [
            WhatIf("KKK-S2-33", M(S2_33_AREA, area=M(label)), 1)
            for g, label in _ICS.items()
            if g not in ics
        ]
    areas: str | Msg = ", ".join(sorted(ics)) or M(NONE)
    band = M(
        S2_33_BAND,
        holders=len(holders),
        e=e,
        share=pct(value),
        share_points=by_share,
        ics=areas,
        ics_points=by_ics,
    )
    basis = (
        holders
        if by_share >= by_ics
        else list(dict.fromkeys(i for ids in ics.values() for i in ids))
    )
    return _indicator(
        "33",
        M(S2_33),
        points,
        3,
        M(S2_33_VALUE, share=pct(value), ics=areas),
        basis,
        band,
        steps,
    )


S2_34 = define("kkk.s2_34.title", "Common industry and specialist certificates")
S2_34_STEP = define(
    "kkk.s2_34.step", "{n} more {n:member|members} with the same industry certificate needed"
)
S2_34_BAND = define("kkk.s2_34.band", "certificates held by ≥ 3 members: {names}")


def s2_34(ctx: Context) -> Indicator:
    """KKK-S2-34: branch/specialist certificates held by ≥ 3 members — 1 each."""
    holders: dict[str, dict[str, None]] = defaultdict(dict)
    names: dict[str, str] = {}
    for m in ctx.members:
        for cert in m.certificates:
            key = " ".join(cert.split()).casefold()  # the same certificate however it is spelt
            names.setdefault(key, cert.strip())
            holders[key][m.id] = None
    common = sorted(k for k, ids in holders.items() if len(ids) >= 3)
    best_short = max((len(ids) for k, ids in holders.items() if len(ids) < 3), default=0)
    steps = [WhatIf("KKK-S2-34", M(S2_34_STEP, n=3 - best_short), 1)]
    basis = [i for k in common for i in holders[k]]
    return _indicator(
        "34",
        M(S2_34),
        len(common),
        2,
        len(common),
        basis,
        M(S2_34_BAND, names=", ".join(names[k] for k in common) or M(NONE)),
        steps,
    )


# ---------------------------------------------------------------------------------------

READINGS = tuple(
    M(code)
    for code in (
        define(
            "kkk.e2021.reading.as_of",
            "D is the evaluation date chosen on the page (on the command line: --as-of), and "
            "without it the day the dataset was drawn up for.",
        ),
        define(
            "kkk.e2021.reading.member_on_d",
            "A member on D: joined on D at the latest and had not left by D; leaving dated D "
            "means it is no longer a member on D.",
        ),
        define(
            "kkk.e2021.reading.last_3_years",
            "“The last 3 years” is the period from D minus 3 years to D inclusive; “the last 3 "
            "fiscal years” are the 3 calendar years before D's year.",
        ),
        define(
            "kkk.e2021.reading.29_february",
            "A year before D for 29 February is 28 February (art. 112 of the Civil Code).",
        ),
        define(
            "kkk.e2021.reading.a_year",
            "KKK-S1-3: a member for over a year when it joined before D minus a year; "
            "KKK-S1-6: the science unit joined on D minus a year at the latest.",
        ),
        define(
            "kkk.e2021.reading.table_4",
            "Records (projects, events, missions…) count only the members of table 4 on D; "
            "other ids are listed in the remarks.",
        ),
        define(
            "kkk.e2021.reading.distance",
            "Distance: the value entered by hand, and without it the great-circle distance from "
            "the coordinator's seat rounded to 10 km; a member without a position counts as "
            "farther than 200 km.",
        ),
        define(
            "kkk.e2021.reading.shares",
            "Shares computed exactly (fractions); percentages shown cut down to 0.01%.",
        ),
        define(
            "kkk.e2021.reading.s2_32",
            "KKK-S2-32: the 40–45% range gives 2 pt (the instruction sets no band).",
        ),
        define("kkk.e2021.reading.s2_22", "KKK-S2-22: innovations introduced in the last 3 years."),
        define(
            "kkk.e2021.reading.experts",
            "Stage II result with experts' scores: the sum of the experts' mean scores for the "
            "indicators, rounded half up at the end; the indicators' points stay the product's "
            "proposal.",
        ),
    )
)

EDITION = Edition(
    key="2021",
    title=M(define("kkk.e2021.title", "KKK competition 2021 (Instruction of 27 May 2021)")),
    stage1=(
        s1_1,
        s1_2,
        s1_3,
        s1_4,
        s1_5,
        s1_6,
        s1_7,
        s1_8,
        s1_9,
        s1_10,
        s1_11,
        s1_12,
        s1_13,
        s1_14,
        s1_15,
        s1_16,
        s1_17,
        s1_18,
        s1_19,
        s1_20,
        s1_21,
    ),
    stage2=(
        s2_9,
        s2_10,
        s2_11,
        s2_12,
        s2_13,
        s2_14,
        s2_15,
        s2_16,
        s2_17,
        s2_18,
        s2_19,
        s2_20,
        s2_21,
        s2_22,
        s2_23,
        s2_24,
        s2_25,
        s2_26,
        s2_27,
        s2_28,
        s2_29,
        s2_30,
        s2_31,
        s2_32,
        s2_33,
        s2_34,
    ),
    stage2_max=100,
    stage2_threshold=65,  # 004 "Ocena wniosku" 2: minimum 65 points to reach the panel
    panel_areas=(
        PanelArea(
            "successes_strategy",
            M(
                define(
                    "kkk.e2021.panel.successes_strategy",
                    "The cluster's successes and development strategy",
                )
            ),
            10,
        ),
        PanelArea(
            "knowledge_transfer",
            M(define("kkk.e2021.panel.knowledge_transfer", "Forms of knowledge transfer")),
            10,
        ),
        PanelArea(
            "public_policies",
            M(define("kkk.e2021.panel.public_policies", "Action for public policies")),
            10,
        ),
        PanelArea(
            "pandemic",
            M(
                define(
                    "kkk.e2021.panel.pandemic",
                    "Countering the effects of the COVID-19 pandemic",
                )
            ),
            10,
        ),
    ),
    total_threshold=100,  # 004 "Ocena wniosku" 3: 140 at most, 100 to be granted
    readings=READINGS,
)
