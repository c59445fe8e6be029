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
    gen,
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
from klaster.rules.kkk.result import Criterion, Indicator, Value, WhatIf

Y = Fraction  # shorthand for band edges: Y(15, 100) is 15 %

# ---------------------------------------------------------------------------------------
# helpers


def _criterion(
    ctx: Context,
    id_: str,
    title: str,
    passed: bool,
    value: Value,
    required: str,
    basis: Iterable[str],
    note: str = "",
    needs: str = "",
) -> Criterion:
    return Criterion(
        id=id_,
        title=title,
        passed=passed,
        value=value,
        required=required,
        basis=tuple(basis),
        note=note,
        needs="" if passed else needs,
    )


def _indicator(
    number: str,
    title: str,
    points: int,
    max_: int,
    value: Value,
    basis: Iterable[str],
    band: str,
    what_if: Iterable[WhatIf] = (),
    notes: Iterable[str] = (),
    target: str = "",
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
    next_band = "; ".join(f"{w.action}: +{w.gain} pkt" for w in steps) if steps else target
    if points == max_:
        next_band = ""
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
        remarks=tuple(n for n in notes if n),
        what_if=steps,
    )


def _skipped(skipped: Iterable[str], what: str) -> str:
    ids = sorted(set(skipped))
    if not ids:
        return ""
    return f"pominięto {what} spoza członków na dzień D (byli członkowie lub nieznane id): {fmt_ids(ids)}"


def _year_ago_passed(joined: dt.date, strictly: bool) -> dt.date:
    """The first D on which a member who joined on `joined` has its year (S1-3 / S1-6)."""
    day = minus_years(joined, -1)  # a year later; 29 February → 28 February
    while not ((minus_years(day, 1) > joined) if strictly else (minus_years(day, 1) >= joined)):
        day += dt.timedelta(days=1)
    return day


def _share_indicator(
    number: str,
    title: str,
    max_: int,
    having: list[str],
    whole: int,
    bands: tuple[Band, ...],
    noun_gen: tuple[str, str],
    notes: Iterable[str] = (),
) -> Indicator:
    """A share-of-enterprises indicator with bands; next band counted among current enterprises."""
    value = share(len(having), whole)
    reached, following = band_for(value, bands)
    points = reached.points if reached else 0
    band = (
        f"{len(having)} z {gen(whole, 'przedsiębiorstwa', 'przedsiębiorstw')} = {pct(value)}; "
        + (
            f"próg ≥ {pct_threshold(reached.at_least)} daje {reached.points} pkt"
            if reached
            else f"poniżej progu {pct_threshold(bands[0].at_least)}"
        )
    )
    steps: list[WhatIf] = []
    target = (
        f"udział ≥ {pct_threshold(following.at_least)} daje {following.points} pkt"
        if following
        else ""
    )
    if following is not None:
        k = more_needed_fixed(len(having), whole, following.at_least)
        if k is not None:
            steps.append(
                WhatIf(
                    f"KKK-S2-{number}",
                    f"potrzeba jeszcze {gen(k, *noun_gen)} (spośród obecnych przedsiębiorstw) do progu ≥ {pct_threshold(following.at_least)}",
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


def s1_1(ctx: Context) -> Criterion:
    """KKK-S1-1: at least 51 members, the coordinator included (004 pt 7)."""
    ids = [m.id for m in ctx.members]
    n = len(ids)
    return _criterion(
        ctx,
        "KKK-S1-1",
        "Liczba członków klastra (wraz z koordynatorem)",
        n >= 51,
        n,
        ">= 51",
        ids,
        note="członkowie na dzień D: przystąpili najpóźniej w D i nie wystąpili do D (wystąpienie w dniu D wyłącza)",
        needs=f"potrzeba jeszcze {gen(51 - n, 'członka', 'członków')}",
    )


def s1_2(ctx: Context) -> Criterion:
    """KKK-S1-2: enterprises are at least 2/3 of members (3·E ≥ 2·N, exactly)."""
    n, ids = len(ctx.members), [m.id for m in ctx.enterprises]
    e = len(ids)
    k = more_needed_growing(e, n, Y(2, 3))
    return _criterion(
        ctx,
        "KKK-S1-2",
        "Udział przedsiębiorstw wśród członków",
        n > 0 and 3 * e >= 2 * n,
        pct(share(e, n)),
        ">= 2/3",
        ids,
        note=f"przedsiębiorstwa: {e} z {gen(n, 'członka', 'członków')}",
        needs=f"potrzeba jeszcze {gen(k or 0, 'przedsiębiorstwa', 'przedsiębiorstw')} jako nowych członków",
    )


def s1_3(ctx: Context) -> Criterion:
    """KKK-S1-3: members for more than a year ≥ 70 % — joined strictly before D minus one year."""
    n = len(ctx.members)
    senior = [m.id for m in ctx.members if m.joined is not None and m.joined < ctx.one_year_ago]
    undated = [m.id for m in ctx.members if m.joined is None]
    s = len(senior)
    passed = n > 0 and 10 * s >= 7 * n
    notes = [
        f"przystąpili przed {ctx.one_year_ago.isoformat()}: {s} z {gen(n, 'członka', 'członków')} (D minus rok; przystąpienie dokładnie w tym dniu nie wystarcza)"
    ]
    if undated:
        notes.append(
            f"bez daty przystąpienia (nie liczą się jako członkowie ponad rok): {fmt_ids(undated)}"
        )
    needs = ""
    if not passed and n:
        missing = math.ceil(Y(7, 10) * n) - s
        juniors = sorted(
            m.joined for m in ctx.members if m.joined is not None and m.joined >= ctx.one_year_ago
        )
        if missing <= len(juniors):
            when = _year_ago_passed(juniors[missing - 1], strictly=True)
            needs = f"przy obecnym składzie próg 70% zostanie osiągnięty {when.isoformat()}"
        else:
            needs = f"potrzeba jeszcze {gen(missing, 'członka', 'członków')} należących do klastra ponad rok"
    return _criterion(
        ctx,
        "KKK-S1-3",
        "Udział członków należących do klastra ponad rok",
        passed,
        pct(share(s, n)),
        ">= 70%",
        senior,
        "; ".join(notes),
        needs,
    )


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
        "Średnie i duże przedsiębiorstwa (≥ 3% członków i ≥ 5)",
        passed,
        ml,
        ">= 5 and >= 3%",
        ids,
        note=f"średnie i duże: {ml} z {gen(n, 'członka', 'członków')} = {pct(share(ml, n))}",
        needs=f"potrzeba jeszcze {gen(k, 'średniego lub dużego przedsiębiorstwa', 'średnich lub dużych przedsiębiorstw')}",
    )


def _count_type(
    ctx: Context, id_: str, title: str, type_: str, minimum: int, noun: tuple[str, str]
) -> Criterion:
    ids = [m.id for m in ctx.members if m.type == type_]
    return _criterion(
        ctx,
        id_,
        title,
        len(ids) >= minimum,
        len(ids),
        f">= {minimum}",
        ids,
        needs=f"potrzeba jeszcze {gen(minimum - len(ids), *noun)}",
    )


def s1_5(ctx: Context) -> Criterion:
    """KKK-S1-5: at least 3 science units (004 pt 7)."""
    return _count_type(
        ctx,
        "KKK-S1-5",
        "Liczba jednostek naukowych",
        "science",
        3,
        ("jednostki naukowej", "jednostek naukowych"),
    )


def s1_6(ctx: Context) -> Criterion:
    """KKK-S1-6: a science unit a member for at least a year (joined on or before D minus one year)."""
    science = [m for m in ctx.members if m.type == "science"]
    ids = [m.id for m in science if m.joined is not None and m.joined <= ctx.one_year_ago]
    needs = "potrzeba jednostki naukowej należącej do klastra co najmniej od roku"
    later = sorted(
        m.joined for m in science if m.joined is not None and m.joined > ctx.one_year_ago
    )
    if later:
        needs += f"; przy obecnym składzie spełnione od {_year_ago_passed(later[0], strictly=False).isoformat()}"
    return _criterion(
        ctx,
        "KKK-S1-6",
        "Jednostka naukowa w klastrze co najmniej od roku",
        bool(ids),
        len(ids),
        ">= 1",
        ids,
        note=f"przystąpienie najpóźniej {ctx.one_year_ago.isoformat()} (D minus rok, ten dzień wystarcza)",
        needs=needs,
    )


def s1_7(ctx: Context) -> Criterion:
    """KKK-S1-7: at least 3 business-support institutions (IOB)."""
    return _count_type(
        ctx, "KKK-S1-7", "Liczba instytucji otoczenia biznesu (IOB)", "iob", 3, ("IOB", "IOB")
    )


def s1_8(ctx: Context) -> Criterion:
    """KKK-S1-8: independent enterprises ≥ 75 % of enterprises (004 pt 4, Annex I 651/2014)."""
    e = len(ctx.enterprises)
    ids = [m.id for m in ctx.enterprises if m.independent is True]
    undeclared = [m.id for m in ctx.enterprises if m.independent is None]
    i = len(ids)
    notes = [f"samodzielne: {i} z {gen(e, 'przedsiębiorstwa', 'przedsiębiorstw')}"]
    if undeclared:
        notes.append(
            f"bez oznaczenia samodzielności (liczone jako niesamodzielne): {fmt_ids(undeclared)}"
        )
    k = more_needed_growing(i, e, Y(3, 4)) or 0
    return _criterion(
        ctx,
        "KKK-S1-8",
        "Udział przedsiębiorstw samodzielnych",
        e > 0 and 4 * i >= 3 * e,
        pct(share(i, e)),
        ">= 75%",
        ids,
        "; ".join(notes),
        f"potrzeba jeszcze {gen(k, 'samodzielnego przedsiębiorstwa', 'samodzielnych przedsiębiorstw')} (nowych członków) lub uzupełnienia oznaczeń",
    )


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
        "Zaangażowanie w kształcenie dualne",
        bool(refs),
        len(refs),
        ">= 1",
        refs,
        note="pozycje sekcji 26 z datą najpóźniej D lub bez daty",
        needs="potrzeba co najmniej 1 inicjatywy kształcenia dualnego (sekcja 26)",
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
        "Finansowanie działalności ze źródeł prywatnych",
        bool(basis),
        bool(basis),
        "true",
        basis,
        note="składki członkowskie lub wkład prywatny > 0 w projekcie rozpoczętym najpóźniej w D",
        needs="potrzeba składek członkowskich (cluster.coordinator.dues_revenue) lub wkładu prywatnego w projekt",
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
        missing.append(
            f"potrzeba jeszcze {gen(3 - len(joint), 'wspólnego projektu', 'wspólnych projektów')}"
        )
    if not intl:
        missing.append("potrzeba wspólnego projektu międzynarodowego")
    if not rd:
        missing.append("potrzeba wspólnego projektu B+R")
    notes = [
        f"wspólne: {fmt_ids(joint)}; międzynarodowe: {fmt_ids(intl)}; B+R: {fmt_ids(rd)}",
        "wspólny = udział koordynatora albo co najmniej 3 członków (koordynator liczy się wśród nich)",
        _skipped(skipped, "uczestników"),
    ]
    return _criterion(
        ctx,
        "KKK-S1-11",
        "Wspólne projekty (≥ 3, w tym międzynarodowy i B+R)",
        not missing,
        len(joint),
        ">= 3, >= 1 international, >= 1 R&D",
        joint,
        "; ".join(n for n in notes if n),
        "; ".join(missing),
    )


def s1_12(ctx: Context) -> Criterion:
    """KKK-S1-12: ≥ 10 members conduct R&D (expenditure in the last 3 fiscal years; science units count)."""
    ids = [m.id for m in ctx.members if m.type == "science" or ctx.facts[m.id].does_rd]
    years = ", ".join(str(y) for y in ctx.fiscal_years)
    return _criterion(
        ctx,
        "KKK-S1-12",
        "Członkowie prowadzący działalność B+R",
        len(ids) >= 10,
        len(ids),
        ">= 10",
        ids,
        note=f"wydatki B+R > 0 w latach {years}; jednostki naukowe liczone jako prowadzące B+R",
        needs=f"potrzeba jeszcze {gen(10 - len(ids), 'członka', 'członków')} prowadzących B+R",
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


def s1_13(ctx: Context) -> Criterion:
    """KKK-S1-13: member enterprises hold ≥ 2 patents, utility models, designs or trademarks in force on D."""
    held, undated = _ip_in_force(ctx)
    refs = [f"ip_rights[{i}]" for i, _ in held]
    note = "prawa przedsiębiorstw-członków, ochrona trwająca w D"
    if undated:
        note += f"; bez terminu ochrony (nie liczone): {fmt_ids(undated)}"
    return _criterion(
        ctx,
        "KKK-S1-13",
        "Patenty, wzory i znaki towarowe przedsiębiorstw",
        len(refs) >= 2,
        len(refs),
        ">= 2",
        refs,
        note,
        f"potrzeba jeszcze {gen(2 - len(refs), 'prawa ochronnego', 'praw ochronnych')}",
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
        "Udział w wydarzeniu branżowym, klastrowym lub targach za granicą",
        bool(refs),
        len(refs),
        ">= 1",
        refs,
        note=f"wydarzenia od {ctx.three_years_ago.isoformat()} do D z udziałem koordynatora lub członka",
        needs="potrzeba udziału w wydarzeniu branżowym, klastrowym lub targach za granicą w ostatnich 3 latach",
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


def s1_15(ctx: Context) -> Criterion:
    """KKK-S1-15: enterprises took part in missions or partner meetings in the last 3 years."""
    refs, ids = _mission_enterprises(ctx)
    return _criterion(
        ctx,
        "KKK-S1-15",
        "Przedsiębiorstwa w misjach i spotkaniach z partnerami",
        bool(ids),
        len(ids),
        ">= 1",
        refs + ids,
        note="wszystkie pozycje sekcji 32 (misje, matchmaking, targi, spotkania) od "
        + ctx.three_years_ago.isoformat(),
        needs="potrzeba udziału przedsiębiorstwa-członka w misji lub spotkaniu z partnerami w ostatnich 3 latach",
    )


def s1_16(ctx: Context) -> Criterion:
    """KKK-S1-16: some enterprises export (export revenue in the last 3 fiscal years)."""
    ids = [m.id for m in ctx.enterprises if ctx.facts[m.id].exports]
    return _criterion(
        ctx,
        "KKK-S1-16",
        "Przedsiębiorstwa eksportujące",
        bool(ids),
        len(ids),
        ">= 1",
        ids,
        note="przychody z eksportu > 0 w latach " + ", ".join(str(y) for y in ctx.fiscal_years),
        needs="potrzeba przedsiębiorstwa z przychodem z eksportu w ostatnich 3 latach obrotowych",
    )


def s1_17(ctx: Context) -> Criterion:
    """KKK-S1-17: more than 50 % of members within 200 km of the coordinator (2·W > N)."""
    n = len(ctx.members)
    ids = [m.id for m in ctx.members if m.id in ctx.within_200_km]
    w = len(ids)
    unplaced = [m.id for m in ctx.members if ctx.distance[m.id] is None]
    overrides = [m.id for m in ctx.members if ctx.distance_source[m.id] == "override"]
    notes = [
        f"w odległości ≤ 200 km (zaokrąglonej do 10 km): {w} z {gen(n, 'członka', 'członków')}"
    ]
    if overrides:
        notes.append(f"odległość wpisana ręcznie: {fmt_ids(overrides)}")
    if unplaced:
        notes.append(f"nie ustalono położenia (liczeni jako dalej niż 200 km): {fmt_ids(unplaced)}")
    k = n - 2 * w + 1
    needs = f"potrzeba jeszcze {gen(k, 'członka', 'członków')} w promieniu 200 km (nowych)"
    if unplaced:
        needs += " albo ustalenia położenia członków bez odległości"
    return _criterion(
        ctx,
        "KKK-S1-17",
        "Członkowie w promieniu 200 km od koordynatora",
        2 * w > n,
        pct(share(w, n)),
        "> 50%",
        ids,
        "; ".join(notes),
        needs,
    )


def s1_18(ctx: Context) -> Criterion:
    """KKK-S1-18: agreement signed ≥ 36 months before D, counted as year×12+month (004 pt 5)."""
    agreed = ctx.dataset.cluster.agreement_date
    if agreed is None:
        return _criterion(
            ctx,
            "KKK-S1-18",
            "Umowa klastra zawarta co najmniej 36 miesięcy przed D",
            False,
            None,
            ">= 36",
            [],
            needs="potrzeba daty zawarcia umowy klastra (3.7)",
        )
    months = months_between(agreed, ctx.d)
    index = agreed.year * 12 + agreed.month - 1 + 36
    from_ = dt.date(index // 12, index % 12 + 1, 1)
    return _criterion(
        ctx,
        "KKK-S1-18",
        "Umowa klastra zawarta co najmniej 36 miesięcy przed D",
        months >= 36,
        months,
        ">= 36",
        ["cluster.agreement_date"],
        note=f"umowa z {agreed.isoformat()}; miesiące liczone jako rok×12+miesiąc",
        needs=f"spełnione od {from_.isoformat()}",
    )


def s1_19(ctx: Context) -> Criterion:
    """KKK-S1-19: actual activity ≥ 3 years counted in years (D.year − start year ≥ 3)."""
    start = ctx.dataset.cluster.actual_start
    if start is None:
        return _criterion(
            ctx,
            "KKK-S1-19",
            "Faktyczna działalność co najmniej 3 lata",
            False,
            None,
            ">= 3",
            [],
            needs="potrzeba roku faktycznego rozpoczęcia działalności (3.8)",
        )
    years = ctx.d.year - start.year
    return _criterion(
        ctx,
        "KKK-S1-19",
        "Faktyczna działalność co najmniej 3 lata",
        years >= 3,
        years,
        ">= 3",
        ["cluster.actual_start"],
        note=f"rok rozpoczęcia {start.year}; liczone co do roku",
        needs=f"spełnione od roku {start.year + 3}",
    )


def s1_20(ctx: Context) -> Criterion:
    """KKK-S1-20: registered on the European Cluster Collaboration Platform (3.9)."""
    ok = ctx.dataset.cluster.eccp_registered
    return _criterion(
        ctx,
        "KKK-S1-20",
        "Rejestracja na European Cluster Collaboration Platform",
        ok,
        ok,
        "true",
        ["cluster.eccp_registered"],
        needs="potrzeba rejestracji na ECCP",
    )


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
    note = "strategia obowiązująca w D (od ≤ D ≤ do)"
    if open_ended:
        note += f"; bez daty końca obowiązywania (nie liczone, 004 pkt 6.3): {fmt_ids(open_ended)}"
    return _criterion(
        ctx,
        "KKK-S1-21",
        "Aktualna strategia rozwoju klastra",
        bool(valid),
        len(valid),
        ">= 1",
        valid,
        note,
        "potrzeba strategii obowiązującej w dniu D",
    )


# ---------------------------------------------------------------------------------------
# Stage II — 004 part D.II, pt 9–34 ("ocena merytoryczna parametryczna")


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
    ratio = f"{(Decimal(n) / staff_n).quantize(Decimal('0.01'))}" if staff_n else "brak pracowników"
    value = f"członków na pracownika: {ratio}; doświadczenie koordynatora: {experience if experience is not None else 'brak'} lat"
    steps: list[WhatIf] = []
    if not ratio_ok:
        more = math.ceil(Fraction(n, 30)) - staff_n if n else 1
        steps.append(
            WhatIf(
                "KKK-S2-9",
                f"potrzeba jeszcze {gen(max(more, 1), 'pracownika zatrudnionego', 'pracowników zatrudnionych')} od co najmniej 3 miesięcy",
                2,
            )
        )
    if not exp_ok:
        steps.append(
            WhatIf(
                "KKK-S2-9", "doświadczenie koordynatora w animowaniu klastra co najmniej 5 lat", 2
            )
        )
    if not mgmt:
        steps.append(
            WhatIf(
                "KKK-S2-9",
                "osoba zarządzająca z co najmniej 2-letnim doświadczeniem w zarządzaniu klastrem",
                1,
            )
        )
    if not intl:
        steps.append(
            WhatIf(
                "KKK-S2-9",
                "osoba zarządzająca z co najmniej 2-letnim doświadczeniem w projektach międzynarodowych",
                1,
            )
        )
    band = (
        f"członkowie ({n}) / pracownicy zatrudnieni od {ctx.three_months_ago.isoformat()} do D ({staff_n}) "
        f"{'≤' if ratio_ok else '>'} 30: {2 * ratio_ok} pkt; doświadczenie ≥ 5 lat: {2 * exp_ok} pkt; "
        f"zarządzanie klastrem ≥ 2 lata: {1 if mgmt else 0} pkt; projekty międzynarodowe ≥ 2 lata: {1 if intl else 0} pkt"
    )
    basis = [f"staff[{i}]" for i in sorted(set(throughout) | set(mgmt) | set(intl))] + [
        "cluster.coordinator.clustering_experience_years"
    ]
    return _indicator("9", "Kadra zarządzająca klastrem", points, 5, value, basis, band, steps)


_ESCA = {
    "esca_gold": (3, "ESCA Gold"),
    "esca_silver": (2, "ESCA Silver"),
    "esca_bronze": (1, "ESCA Bronze"),
}


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
    band = f"{best[1]}: {points} pkt" if best else "brak ważnego certyfikatu jakości zarządzania"
    steps = []
    if points < 3:
        nxt = {0: "ESCA Bronze", 1: "ESCA Silver", 2: "ESCA Gold"}[points]
        steps.append(WhatIf("KKK-S2-10", f"ważny w D certyfikat {nxt}", 1))
    notes = [f"bez daty ważności (nie liczone): {fmt_ids(undated)}" if undated else ""]
    return _indicator(
        "10",
        "Jakość zarządzania klastrem (certyfikat)",
        points,
        3,
        best[1] if best else None,
        [f"certificates[{best[0]}]"] if best else [],
        band,
        steps,
        notes,
    )


def s2_11(ctx: Context) -> Indicator:
    """KKK-S2-11: coordinator's platforms — 1 each: internal communication, purchasing, sales."""
    pl = ctx.dataset.cluster.coordinator.platforms
    have = {"communication": pl.communication, "purchasing": pl.purchasing, "sales": pl.sales}
    names = {
        "communication": "komunikacji wewnętrznej",
        "purchasing": "zakupowa",
        "sales": "sprzedażowa",
    }
    got = [k for k, v in have.items() if v]
    steps = [WhatIf("KKK-S2-11", f"platforma {names[k]}", 1) for k, v in have.items() if not v]
    return _indicator(
        "11",
        "Platformy udostępniane przez koordynatora",
        len(got),
        3,
        len(got),
        [f"cluster.coordinator.platforms.{k}" for k in got],
        f"platformy: {', '.join(names[k] for k in got) or 'brak'}",
        steps,
    )


_RESOURCE_KINDS = {
    "production": "produkcyjna",
    "laboratory": "laboratoryjna",
    "digital": "cyfrowa",
    "demonstration": "demonstracyjna",
}


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
        WhatIf("KKK-S2-12", f"udostępniona infrastruktura {label}", 1)
        for k, label in _RESOURCE_KINDS.items()
        if k not in kinds
    ]
    basis = [ref for refs in kinds.values() for ref in refs]
    band = f"rodzaje infrastruktury: {', '.join(_RESOURCE_KINDS[k] for k in _RESOURCE_KINDS if k in kinds) or 'brak'}"
    notes = [
        f"nie liczone (koordynator, brak równego dostępu lub inny rodzaj): {fmt_ids(excluded)}"
        if excluded
        else ""
    ]
    return _indicator(
        "12",
        "Zasoby udostępniane przez podmioty inne niż koordynator",
        len(kinds),
        4,
        len(kinds),
        basis,
        band,
        steps,
        notes,
    )


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
        [
            WhatIf(
                "KKK-S2-13",
                f"jeszcze {money(Decimal(more))} zł wkładu prywatnego we wspólne projekty",
                1,
            )
        ]
        if more is not None
        else []
    )
    return _indicator(
        "13",
        "Środki prywatne we wspólnych projektach (ostatnie 3 lata)",
        points,
        2,
        money(total),
        basis,
        f"{money(total)} zł: 1 pkt za każde pełne 1 000 000 zł",
        steps,
    )


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
    steps = (
        [
            WhatIf(
                "KKK-S2-14",
                f"potrzeba jeszcze {gen(int(more), 'wniosku', 'wniosków')} o dofinansowanie",
                1,
            )
        ]
        if more is not None
        else []
    )
    return _indicator(
        "14",
        "Wnioski o dofinansowanie projektów członków (ostatnie 3 lata)",
        points,
        2,
        len(refs),
        refs,
        f"wnioski złożone od {ctx.three_years_ago.isoformat()}: {len(refs)}; 1 pkt za każde 3",
        steps,
        [_skipped(skipped, "wnioskodawców")],
    )


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
        [WhatIf("KKK-S2-15", f"jeszcze {money(Decimal(more))} zł przychodów przedsiębiorstw", 1)]
        if more is not None
        else []
    )
    years = ", ".join(str(y) for y in ctx.fiscal_years)
    return _indicator(
        "15",
        "Przychody ze sprzedaży przedsiębiorstw (3 lata obrotowe)",
        points,
        3,
        money(total),
        basis,
        f"{money(total)} zł w latach {years}: 1 pkt za każde pełne 1 500 000 000 zł",
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


def s2_16(ctx: Context) -> Indicator:
    """KKK-S2-16: share of enterprises exporting in the last 3 fiscal years — ≥15 % 1, ≥25 % 3, ≥35 % 5."""
    having = [m.id for m in ctx.enterprises if ctx.facts[m.id].exports]
    return _share_indicator(
        "16",
        "Przedsiębiorstwa eksportujące (udział)",
        5,
        having,
        len(ctx.enterprises),
        EXPORT_SHARE,
        ("przedsiębiorstwa eksportującego", "przedsiębiorstw eksportujących"),
    )


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
    band = (
        f"średnia udziałów eksportu przedsiębiorstw eksportujących (liczba: {n}) = {pct(mean)}; "
        + (
            f"próg ≥ {pct_threshold(reached.at_least)} daje {reached.points} pkt"
            if reached
            else "poniżej progu 25%"
        )
    )
    steps = []
    if following is not None:
        # one more exporter with share r lifts the mean to (Σ + r)/(n + 1) ≥ t  ⇔  r ≥ t(n+1) − n·mean
        r = following.at_least * (n + 1) - mean * n
        if r <= 1:
            steps.append(
                WhatIf(
                    "KKK-S2-17",
                    f"jeszcze 1 przedsiębiorstwo eksportujące z udziałem eksportu ≥ {pct_up(max(r, Fraction(0)))}",
                    following.points - points,
                )
            )
    notes = [
        f"bez przychodów ze sprzedaży (pominięte w średniej): {fmt_ids(no_revenue)}"
        if no_revenue
        else "",
        f"eksport wyższy niż przychody (przyjęto 100%): {fmt_ids(capped)}" if capped else "",
    ]
    target = (
        f"średnia ≥ {pct_threshold(following.at_least)} daje {following.points} pkt"
        if following
        else ""
    )
    return _indicator(
        "17", "Intensywność eksportu", points, 5, pct(mean), basis, band, steps, notes, target
    )


def s2_18(ctx: Context) -> Indicator:
    """KKK-S2-18: international joint projects running in the last 3 years — 1 each."""
    ids = [
        p.id
        for p in ctx.dataset.projects
        if p.international and ctx.running_in_last_3_years(p.start, p.end) and _joint(ctx, p)[0]
    ]
    steps = [
        WhatIf(
            "KKK-S2-18",
            "jeszcze 1 wspólny projekt międzynarodowy (koordynator lub ≥ 3 członków)",
            1,
        )
    ]
    return _indicator(
        "18",
        "Wspólne projekty międzynarodowe (ostatnie 3 lata)",
        len(ids),
        3,
        len(ids),
        ids,
        f"projekty trwające od {ctx.three_years_ago.isoformat()}: {len(ids)}; 1 pkt za każdy",
        steps,
    )


def s2_19(ctx: Context) -> Indicator:
    """KKK-S2-19: share of enterprises with R&D expenditure in the last 3 fiscal years — bands 20…45 %."""
    having = [m.id for m in ctx.enterprises if ctx.facts[m.id].does_rd]
    return _share_indicator(
        "19",
        "Przedsiębiorstwa prowadzące B+R (udział)",
        5,
        having,
        len(ctx.enterprises),
        RD_SHARE,
        ("przedsiębiorstwa z wydatkami B+R", "przedsiębiorstw z wydatkami B+R"),
    )


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
    steps = [
        WhatIf(
            "KKK-S2-20",
            "jeszcze 1 wspólny projekt B+R (≥ 3 członków, w tym jednostka naukowa i przedsiębiorstwo)",
            1,
        )
    ]
    return _indicator(
        "20",
        "Wspólne projekty badawczo-rozwojowe (ostatnie 3 lata)",
        len(ids),
        3,
        len(ids),
        ids,
        f"projekty B+R trwające od {ctx.three_years_ago.isoformat()}: {len(ids)}; 1 pkt za każdy",
        steps,
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
    names = {
        "patent": ("patentu", "patentów"),
        "utility_model": ("wzoru użytkowego", "wzorów użytkowych"),
        "trademark": ("znaku towarowego", "znaków towarowych"),
        "industrial_design": ("wzoru przemysłowego", "wzorów przemysłowych"),
    }
    steps = [
        WhatIf("KKK-S2-21", f"potrzeba jeszcze {gen(per[k] - counts[k] % per[k], *names[k])}", 1)
        for k in counts
    ]
    value = f"patenty: {counts['patent']}; wzory użytkowe: {counts['utility_model']}; znaki towarowe: {counts['trademark']}; wzory przemysłowe: {counts['industrial_design']}"
    band = "1 pkt za patent, za każde 2 wzory użytkowe, 3 znaki towarowe, 3 wzory przemysłowe"
    return _indicator(
        "21",
        "Patenty, wzory i znaki towarowe przedsiębiorstw",
        points,
        4,
        value,
        [f"ip_rights[{i}]" for i, _ in held],
        band,
        steps,
        [f"bez terminu ochrony (nie liczone): {fmt_ids(undated)}" if undated else ""],
    )


def s2_22(ctx: Context) -> Indicator:
    """KKK-S2-22: innovations from R&D introduced by cluster entities (Reading: in the last 3 years)."""
    refs = [
        f"innovations[{i}]"
        for i, x in enumerate(ctx.dataset.innovations)
        if x.from_rd and ctx.in_last_3_years(x.introduced) and ctx.members_among(x.by)[0]
    ]
    return _indicator(
        "22",
        "Innowacje z prac B+R (ostatnie 3 lata)",
        len(refs),
        4,
        len(refs),
        refs,
        f"innowacje wprowadzone od {ctx.three_years_ago.isoformat()}: {len(refs)}; 1 pkt za każdą",
        [WhatIf("KKK-S2-22", "jeszcze 1 innowacja z prac B+R wprowadzona przez członka", 1)],
    )


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
        steps.append(
            WhatIf(
                "KKK-S2-23",
                f"potrzeba jeszcze {gen(3 - len(foreign), 'zagranicznego wydarzenia branżowego lub klastrowego', 'zagranicznych wydarzeń branżowych lub klastrowych')} z udziałem koordynatora lub ≥ 10% członków",
                1,
            )
        )
    if not fair_pl:
        steps.append(
            WhatIf("KKK-S2-23", "udział koordynatora lub ≥ 10% członków w targach w Polsce", 1)
        )
    if not fair_abroad:
        steps.append(
            WhatIf("KKK-S2-23", "udział koordynatora lub ≥ 10% członków w targach za granicą", 3)
        )
    value = f"zagraniczne wydarzenia: {len(foreign)}; targi w Polsce: {len(fair_pl)}; targi za granicą: {len(fair_abroad)}"
    band = f"≥ 3 zagraniczne wydarzenia: {1 if len(foreign) >= 3 else 0} pkt; targi w Polsce: {1 if fair_pl else 0} pkt; targi za granicą: {3 if fair_abroad else 0} pkt"
    notes = [
        f"bez udziału koordynatora i poniżej 10% członków (nie liczone): {fmt_ids(short)}"
        if short
        else "",
        f"bez miejsca (Polska/za granicą; nie liczone): {fmt_ids(unlocated)}" if unlocated else "",
    ]
    return _indicator(
        "23",
        "Udział w wydarzeniach branżowych, klastrowych i targach",
        points,
        5,
        value,
        foreign + fair_pl + fair_abroad,
        band,
        steps,
        notes,
    )


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
        WhatIf(
            "KKK-S2-24",
            f"potrzeba jeszcze {gen(2 - len(kt) % 2, 'innej usługi', 'innych usług')} transferu wiedzy dla ≥ 5 członków",
            1,
        ),
        WhatIf("KKK-S2-24", "jeszcze 1 działanie na rzecz ekosystemu branżowego", 1),
    ]
    value = f"usługi transferu wiedzy: {len(kt)}; działania ekosystemowe: {len(eco)}"
    band = (
        f"od {ctx.twelve_months_ago.isoformat()}: różne usługi dla ≥ 5 członków: {len(kt)} → {len(kt) // 2} pkt; "
        f"działania na rzecz ekosystemu: {len(eco)} → {len(eco)} pkt"
    )
    notes = [f"usługi dla mniej niż 5 członków (nie liczone): {fmt_ids(few)}" if few else ""]
    return _indicator(
        "24",
        "Usługi koordynatora (ostatnie 12 miesięcy)",
        points,
        7,
        value,
        list(kt.values()) + eco,
        band,
        steps,
        notes,
    )


def s2_25(ctx: Context) -> Indicator:
    """KKK-S2-25: national smart specialisation (≤ 3 listed): consistent 1, confirmed by projects 1."""
    listed = list(enumerate(ctx.dataset.kis))[:3]
    consistent = [f"kis[{i}]" for i, k in listed if k.consistent_with_specialisation]
    confirmed = [f"kis[{i}]" for i, k in listed if k.confirmed_by_projects]
    points = (1 if consistent else 0) + (1 if confirmed else 0)
    steps = []
    if not consistent:
        steps.append(WhatIf("KKK-S2-25", "KIS spójna ze specjalizacją klastra", 1))
    if not confirmed:
        steps.append(WhatIf("KKK-S2-25", "KIS potwierdzona projektami klastra", 1))
    notes = [
        f"wskazano {len(ctx.dataset.kis)} KIS; liczą się pierwsze 3"
        if len(ctx.dataset.kis) > 3
        else ""
    ]
    return _indicator(
        "25",
        "Krajowa Inteligentna Specjalizacja",
        points,
        2,
        points,
        sorted(set(consistent + confirmed)),
        f"spójna ze specjalizacją: {1 if consistent else 0} pkt; potwierdzona projektami: {1 if confirmed else 0} pkt",
        steps,
        notes,
    )


_DUAL = {
    "curricula": "programy kształcenia / współpraca ze szkołami",
    "student_internships": "praktyki i staże uczniów/studentów (ostatnie 3 lata)",
    "teacher_internships": "praktyki i staże kadry pedagogicznej (ostatnie 3 lata)",
    "vocational_teachers": "nauczyciele praktycznej nauki zawodu",
    "implementation_doctorate": "doktoraty wdrożeniowe",
}


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
    steps = [WhatIf("KKK-S2-26", label, 1) for k, label in _DUAL.items() if k not in got]
    return _indicator(
        "26",
        "Kształcenie dualne",
        len(got),
        5,
        len(got),
        list(got.values()),
        f"rodzaje: {', '.join(_DUAL[k] for k in _DUAL if k in got) or 'brak'}",
        steps,
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
    steps = [
        WhatIf("KKK-S2-27", "jeszcze 1 inicjatywa koordynatora upowszechniająca digitalizację", 1)
    ]
    if not i4:
        k = more_needed_fixed(len(users), e, Y(10, 100))
        if k is not None:
            steps.insert(
                0,
                WhatIf(
                    "KKK-S2-27",
                    f"potrzeba jeszcze {gen(k, 'przedsiębiorstwa', 'przedsiębiorstw')} stosujących Przemysł 4.0 (próg 10%)",
                    3,
                ),
            )
    value = (
        f"Przemysł 4.0: {pct(share(len(users), e))} przedsiębiorstw; inicjatywy: {len(initiatives)}"
    )
    band = (
        f"Przemysł 4.0: {len(users)} z {gen(e, 'przedsiębiorstwa', 'przedsiębiorstw')} ({'≥' if i4 else '<'} 10%) → {3 * i4} pkt; "
        f"inicjatywy koordynatora: {len(initiatives)} → {len(initiatives)} pkt"
    )
    return _indicator(
        "27", "Transformacja cyfrowa", points, 5, value, users + initiatives, band, steps
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
    notes = [
        f"bez programu akceleracyjnego lub podstawy współpracy (nie liczone): {fmt_ids(undocumented)}"
        if undocumented
        else ""
    ]
    return _indicator(
        "28",
        "Współpraca ze startupami technologicznymi",
        len(refs),
        4,
        len(refs),
        refs,
        f"udokumentowane współprace: {len(refs)}; 1 pkt za każdą",
        [
            WhatIf(
                "KKK-S2-28",
                "jeszcze 1 udokumentowana współpraca członka ze startupem w programie akceleracyjnym",
                1,
            )
        ],
        notes,
    )


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
                    f"{label}: potrzeba jeszcze {gen(minimum - have, 'podmiotu', 'podmiotów')}",
                    1,
                )
            )
    basis = [ref for kind, _ in got for ref in refs[kind]]
    band = f"spełnione: {', '.join(label for _, label in got) or 'brak'}"
    return _indicator(number, title, len(got), 3, len(got), basis, band, steps)


def s2_29(ctx: Context) -> Indicator:
    """KKK-S2-29: circular economy — 1 each kind with enough member entities (004 pt 29)."""
    return _practices(
        ctx,
        "29",
        "Gospodarka obiegu zamkniętego",
        "circular_economy",
        (
            ("material_recovery", 2, "odzysk materiałów (≥ 2 podmioty)"),
            ("waste_minimisation", 2, "minimalizacja odpadów (≥ 2 podmioty)"),
            ("life_extension", 2, "przedłużenie cyklu życia produktu (≥ 2 członków)"),
            ("training", 1, "szkolenia o GOZ"),
            ("eco_certificate", 2, "certyfikaty ETV/Ecolabel (≥ 2 członków)"),
        ),
    )


def s2_30(ctx: Context) -> Indicator:
    """KKK-S2-30: low-emission economy — 1 each kind with enough member entities (004 pt 30)."""
    return _practices(
        ctx,
        "30",
        "Gospodarka niskoemisyjna",
        "low_emission",
        (
            ("energy_audit", 2, "wdrożenia z audytu energetycznego (≥ 2 członków)"),
            ("rd", 1, "prace B+R w technologiach niskoemisyjnych"),
            ("renewables", 1, "własne wytwarzanie energii odnawialnej"),
            ("training", 1, "szkolenia lub projekty o gospodarce niskoemisyjnej"),
        ),
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
        "Wspólne produkty i usługi klastra (ostatnie 3 lata)",
        2 * len(refs),
        6,
        len(refs),
        refs,
        f"wspólne produkty z przychodem wprowadzone od {ctx.three_years_ago.isoformat()}: {len(refs)}; 2 pkt za każdy",
        [
            WhatIf(
                "KKK-S2-31",
                "jeszcze 1 wspólny produkt/usługa z przychodem ze sprzedaży poza klastrem",
                2,
            )
        ],
    )


def s2_32(ctx: Context) -> Indicator:
    """KKK-S2-32: share of enterprises in missions / partner meetings of the last 3 years."""
    refs, ids = _mission_enterprises(ctx)
    value = share(len(ids), len(ctx.enterprises))
    notes = []
    if Y(40, 100) <= value < Y(45, 100):
        notes.append("instrukcja nie określa progu 40–45%; przyjęto 2 pkt (SPEC KKK-S2-32)")
    indicator = _share_indicator(
        "32",
        "Udział przedsiębiorstw w misjach i spotkaniach z partnerami",
        4,
        ids,
        len(ctx.enterprises),
        MISSION_SHARE,
        ("przedsiębiorstwa", "przedsiębiorstw"),
        notes,
    )
    return replace(indicator, basis=tuple(refs) + indicator.basis)


_ICS = {
    "03": "ICS 03 (usługi, zarządzanie, jakość)",
    "35": "ICS 35 (IT)",
    "13": "ICS 13 (środowisko, zdrowie, bezpieczeństwo)",
}


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
                    f"potrzeba jeszcze {gen(k, 'przedsiębiorstwa', 'przedsiębiorstw')} z ISO (próg ≥ {pct_threshold(following.at_least)})",
                    following.points - points,
                )
            )
    if by_ics >= by_share:
        steps += [
            WhatIf("KKK-S2-33", f"certyfikat ISO w obszarze {label}", 1)
            for g, label in _ICS.items()
            if g not in ics
        ]
    band = (
        f"przedsiębiorstwa z ISO: {len(holders)} z {e} = {pct(value)} → {by_share} pkt; obszary ICS: "
        f"{', '.join(sorted(ics)) or 'brak'} → {by_ics} pkt; liczy się wyższa wartość"
    )
    basis = (
        holders
        if by_share >= by_ics
        else list(dict.fromkeys(i for ids in ics.values() for i in ids))
    )
    return _indicator(
        "33",
        "Certyfikacja jakości (ISO)",
        points,
        3,
        f"ISO: {pct(value)} przedsiębiorstw; ICS: {', '.join(sorted(ics)) or 'brak'}",
        basis,
        band,
        steps,
    )


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
    steps = [
        WhatIf(
            "KKK-S2-34",
            f"potrzeba jeszcze {gen(3 - best_short, 'członka', 'członków')} z tym samym certyfikatem branżowym",
            1,
        )
    ]
    basis = [i for k in common for i in holders[k]]
    return _indicator(
        "34",
        "Wspólne certyfikaty branżowe i specjalistyczne",
        len(common),
        2,
        len(common),
        basis,
        f"certyfikaty posiadane przez ≥ 3 członków: {', '.join(names[k] for k in common) or 'brak'}",
        steps,
    )


# ---------------------------------------------------------------------------------------

READINGS = (
    "D to data oceny wybrana na stronie (w wierszu poleceń: --as-of), a bez niej dzień, na który sporządzono zbiór danych.",
    "Członek na dzień D: przystąpił najpóźniej w D i nie wystąpił do D; wystąpienie z datą D oznacza, że w D nie jest już członkiem.",
    "„Ostatnie 3 lata” to okres od D minus 3 lata do D włącznie; „ostatnie 3 lata obrotowe” to 3 lata kalendarzowe przed rokiem D.",
    "Rok przed D dla 29 lutego to 28 lutego (art. 112 KC).",
    "KKK-S1-3: członek ponad rok, gdy przystąpił przed D minus rok; KKK-S1-6: jednostka naukowa przystąpiła najpóźniej w D minus rok.",
    "Rekordy (projekty, wydarzenia, misje…) liczą tylko członków z tabeli 4 na dzień D; inne identyfikatory są wymieniane w uwagach.",
    "Odległość: wartość wpisana ręcznie, a bez niej odległość po kole wielkim od siedziby koordynatora zaokrąglona do 10 km; członek bez położenia liczy się jako dalej niż 200 km.",
    "Udziały liczone dokładnie (ułamki); wartości procentowe podawane z obcięciem do 0,01%.",
    "KKK-S2-32: przedział 40–45% daje 2 pkt (instrukcja nie określa progu).",
    "KKK-S2-22: innowacje wprowadzone w ostatnich 3 latach.",
    "Wynik etapu II przy ocenach ekspertów: suma średnich ocen ekspertów dla wskaźników, zaokrąglona połówkowo w górę na końcu; w punktach wskaźników pozostaje propozycja produktu.",
)

EDITION = Edition(
    key="2021",
    title="Konkurs KKK 2021 (Instrukcja z 27 maja 2021 r.)",
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
        PanelArea("successes_strategy", "Sukcesy klastra i strategia rozwoju", 10),
        PanelArea("knowledge_transfer", "Formy transferu wiedzy", 10),
        PanelArea("public_policies", "Działania na rzecz polityk publicznych", 10),
        PanelArea("pandemic", "Zapobieganie skutkom pandemii COVID-19", 10),
    ),
    total_threshold=100,  # 004 "Ocena wniosku" 3: 140 at most, 100 to be granted
    readings=READINGS,
)
