"""Experts, panel, status, editions, counts and explanations (SPEC §6 KKK-S2-EXP, KKK-S3,
KKK-TOTAL, KKK-5, KKK-1, KKK-EXPLAIN)."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import pytest

from klaster.rules.dataset.model import Address, Expert, Panel
from klaster.rules.kkk import EDITIONS, Edition, KkkError, PanelArea, evaluate
from klaster.rules.kkk import engine as engine_module
from klaster.rules.kkk import output as output_module
from klaster.rules.kkk import report as report_module
from klaster.rules.kkk import result as result_module
from klaster.rules.kkk.context import Context
from klaster.rules.kkk.editions import e2021
from klaster.rules.message import say
from tests.rules.kkk.builders import (
    baseline,
    cluster,
    dataset,
    experts_giving,
    exporter,
    member,
    members_of,
)

PANEL_28 = Panel(successes_strategy=8, knowledge_transfer=7, public_policies=6, pandemic=7)
ZEROS = tuple((str(n), 0) for n in range(9, 35))


# -- KKK-S2-EXP --------------------------------------------------------------------------------


def test_kkk_s2_exp_sum_of_means_rounded_half_up_once_at_the_end():
    """KKK-S2-EXP Reading: 4.5 + 2.5 = 7 (rounding each mean first would give 5 + 3 = 8)."""
    e1 = Expert("E1", (("9", 4), ("10", 2)) + ZEROS[2:])
    e2 = Expert("E2", (("9", 5), ("10", 3)) + ZEROS[2:])
    ev = evaluate(baseline(experts=(e1, e2)))
    assert ev.stage2.total == 7
    assert ev.stage2.experts_exact == Fraction(7)
    i9 = ev.stage2.indicators[0]
    assert i9.expert_scores == (4, 5) and i9.expert_mean == Fraction(9, 2)
    assert "eksperci: 4, 5 (średnia 4.5)" in say(
        i9.note
    ) and f"propozycja produktu {i9.points}" in say(i9.note)


@pytest.mark.parametrize(("a", "b", "total"), [(4, 5, 5), (4, 4, 4), (0, 1, 1)])
def test_kkk_s2_exp_half_rounds_up(a, b, total):
    """KKK-S2-EXP: a sum of 4.5 is 5; 0.5 is 1."""
    ev = evaluate(
        baseline(
            experts=(Expert("E1", (("9", a),) + ZEROS[1:]), Expert("E2", (("9", b),) + ZEROS[1:]))
        )
    )
    assert ev.stage2.total == total


def test_kkk_s2_exp_points_stay_the_products_proposal():
    """KKK-S2-EXP: per indicator `points` is the proposal; the experts' result is stage2.total."""
    plain = evaluate(baseline())
    with_experts = evaluate(baseline(experts=experts_giving(70)))
    assert [i.points for i in plain.stage2.indicators] == [
        i.points for i in with_experts.stage2.indicators
    ]
    assert with_experts.stage2.proposal == plain.stage2.total
    assert with_experts.stage2.total == 70 and with_experts.stage2.passed


def test_kkk_s2_exp_unscored_indicator_keeps_the_proposal():
    """KKK-S2-EXP: an indicator no expert scored enters the result with the product's points."""
    base = evaluate(baseline())
    only_9 = evaluate(baseline(experts=(Expert("E1", (("9", 0),)),)))
    i9 = base.stage2.indicators[0].points
    assert only_9.stage2.total == base.stage2.total - i9
    assert "brak ocen ekspertów" in say(only_9.stage2.indicators[1].note)


# -- KKK-S3 and KKK-TOTAL -------------------------------------------------------------------------


def test_kkk_s3_panel_four_areas_of_ten():
    """KKK-S3: four areas 0–10, max 40."""
    ev = evaluate(baseline(panel=PANEL_28))
    assert ev.stage3 is not None
    assert (ev.stage3.total, ev.stage3.max) == (28, 40)
    assert [a.key for a in ev.stage3.areas] == [
        "successes_strategy",
        "knowledge_transfer",
        "public_policies",
        "pandemic",
    ]


@pytest.mark.parametrize("bad", [11, -1])
def test_kkk_s3_panel_score_out_of_range_is_refused(bad):
    """KKK-S3: a score outside 0–10 cannot be evaluated."""
    with pytest.raises(KkkError, match="panel.pandemic"):
        evaluate(baseline(panel=replace(PANEL_28, pandemic=bad)))


@pytest.mark.parametrize(
    ("stage2", "panel", "eccp", "status", "total"),
    [
        (72, PANEL_28, True, "granted", 100),  # 72 + 28 = 100
        (71, PANEL_28, True, "not_granted", 99),
        (64, Panel(10, 10, 10, 10), True, "not_granted", 104),  # stage II below 65
        (65, Panel(10, 10, 10, 5), True, "granted", 100),
        (65, None, True, "stage3_pending", 65),
        (64, None, True, "not_granted", 64),
        (90, Panel(10, 10, 10, 10), False, "not_granted", 130),  # stage I failed
        (90, None, False, "not_granted", 90),
    ],
)
def test_kkk_total_status(stage2, panel, eccp, status, total):
    """KKK-TOTAL: granted iff stage I passed, stage II ≥ 65 and II + III ≥ 100; pending without a panel."""
    ds = baseline(
        experts=experts_giving(stage2), panel=panel, cluster=cluster(eccp_registered=eccp)
    )
    ev = evaluate(ds)
    assert (ev.status, ev.total) == (status, total)
    assert (ev.total_max, ev.total_threshold) == (140, 100)


def test_kkk_total_renewal_needs_stages_two_and_three_only():
    """KKK-TOTAL with KKK-4: a renewal with failing stage I data is still granted on II + III."""
    ds = baseline(
        experts=experts_giving(72),
        panel=PANEL_28,
        cluster=cluster(mode="renewal", eccp_registered=False),
    )
    assert evaluate(ds).status == "granted"


# -- KKK-5 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelWithFifth(Panel):
    green_transition: int = 0


def test_kkk_5_an_edition_scoring_150_with_a_fifth_panel_area(monkeypatch):
    """KKK-5: a new edition plugs in without touching the 2021 one; nothing assumes 100/140/40."""
    e2025 = Edition(
        key="2025",
        title="Edycja testowa",
        stage1=e2021.EDITION.stage1[:2],
        stage2=e2021.EDITION.stage2
        + (lambda ctx: replace(e2021.s2_11(ctx), id="KKK-S2-35", number="35"),),
        stage2_max=110,
        stage2_threshold=70,
        panel_areas=e2021.EDITION.panel_areas
        + (PanelArea("green_transition", "Zielona transformacja", 10),),
        total_threshold=110,
    )
    monkeypatch.setitem(EDITIONS, "2025", e2025)
    panel = PanelWithFifth(10, 10, 10, 10, green_transition=9)
    ev = evaluate(baseline(panel=panel, experts=experts_giving(72)), edition="2025")
    assert ev.edition == "2025"
    assert (ev.stage2.max, ev.stage2.threshold) == (110, 70)
    assert ev.stage3 is not None and (ev.stage3.total, ev.stage3.max) == (49, 50)
    assert (ev.total, ev.total_max, ev.total_threshold, ev.status) == (121, 160, 110, "granted")
    assert len(ev.stage1.criteria) == 2 and ev.stage2.indicators[-1].id == "KKK-S2-35"
    # the 2021 edition is untouched
    assert evaluate(baseline()).stage2.max == 100


def test_kkk_5_engine_and_result_types_hold_no_edition_numbers():
    """KKK-5: the generic code carries no 100/140/40/65 — those live in the edition."""
    for module in (engine_module, result_module, output_module, report_module):
        numbers = {
            node.value
            for node in ast.walk(ast.parse(inspect.getsource(module)))
            if isinstance(node, ast.Constant)
            and isinstance(node.value, int)
            and not isinstance(node.value, bool)
        }
        assert not numbers & {100, 140, 40, 65, 10, 4}, module.__name__
    ctx = Context(baseline(), dt.date(2021, 6, 30))
    assert sum(rule(ctx).max for rule in e2021.EDITION.stage2) == e2021.EDITION.stage2_max


def test_kkk_5_unknown_edition_is_refused():
    """KKK-5: editions are chosen by key."""
    with pytest.raises(KkkError, match="2019"):
        evaluate(baseline(), edition="2019")


def test_kkk_d_is_required():
    """SPEC §6: D is the as_of argument, else dataset.as_of; with neither nothing can be counted."""
    with pytest.raises(KkkError, match="--as-of"):
        evaluate(dataset(as_of=None))
    assert evaluate(dataset(as_of=None), as_of=dt.date(2021, 1, 1)).as_of == dt.date(2021, 1, 1)


# -- KKK-1 -----------------------------------------------------------------------------------------


def test_kkk_1_automatic_counts_of_table_4():
    """KKK-1: counts per type (all 7), enterprises, within 200 km — as the generator computes them."""
    ms = members_of({"micro": 3, "small": 2, "medium": 1, "science": 2})
    ms += [
        member("far", "large", distance_km=Decimal(300)),
        member("gone", "micro", left=dt.date(2020, 1, 1)),
        member("lost", "other", location=None, address=Address(city="?")),
    ]
    ev = evaluate(dataset(ms))
    assert ev.members.total == 11
    assert dict(ev.members.by_type) == {
        "micro": 3,
        "small": 2,
        "medium": 1,
        "large": 1,
        "iob": 1,
        "science": 2,
        "other": 1,
    }
    assert [t for t, _ in ev.members.by_type] == [
        "micro",
        "small",
        "medium",
        "large",
        "iob",
        "science",
        "other",
    ]
    assert ev.members.enterprises == 7
    assert ev.members.within_200_km == 9
    assert ev.members.unplaced == ("lost",)


def test_kkk_1_independent_share_and_export_intensity_as_generated():
    """KKK-1: the share of independent enterprises (S1-8) and export intensity (S2-17) are computed here."""
    ms = [exporter("a"), exporter("b", independent=False), member("c", "small")]
    ev = evaluate(dataset(ms))
    s1_8 = next(c for c in ev.stage1.criteria if c.id == "KKK-S1-8")
    s2_17 = next(i for i in ev.stage2.indicators if i.id == "KKK-S2-17")
    assert s1_8.value == "66.66%" and s2_17.value == "30.00%"


# -- KKK-EXPLAIN ------------------------------------------------------------------------------------


def test_kkk_explain_every_figure_names_its_records():
    """KKK-EXPLAIN: a criterion or indicator that counts something names what it counted."""
    ev = evaluate(baseline())
    for c in ev.stage1.criteria:
        if c.value not in (0, None, False, "0.00%"):
            assert c.basis, c.id
    for i in ev.stage2.indicators:
        if i.points:
            assert i.basis, i.id
        assert say(i.note).startswith(say(i.band))


def test_kkk_explain_what_if_sorted_by_points_gained_then_stage1_fixes():
    """KKK-EXPLAIN: stage II steps by gain (most first), then what each failed criterion needs."""
    ev = evaluate(baseline(cluster=cluster(eccp_registered=False)))
    gains = [w.gain for w in ev.what_if if not w.unlocks]
    assert (
        gains == sorted(gains, reverse=True) and gains[0] == 3
    )  # a fair abroad (S2-23) is worth 3…
    unlocks = [w for w in ev.what_if if w.unlocks]
    assert [(w.id, say(w.action)) for w in unlocks] == [
        ("KKK-S1-20", "potrzeba rejestracji na ECCP")
    ]
    assert ev.what_if[-1].unlocks
    for ind in ev.stage2.indicators:
        for w in ind.what_if:
            assert 0 < w.gain <= ind.max - ind.points


def test_kkk_explain_what_if_gain_is_real_for_indicator_16():
    """KKK-EXPLAIN: doing what the what-if says gives the points it promises (S2-16, S2-21)."""
    from tests.rules.kkk.builders import indicator

    for have in range(0, 20):
        ms = [exporter(f"x{i}") for i in range(have)] + [
            member(f"e{i}", "small") for i in range(20 - have)
        ]
        ind = indicator(dataset(ms), "KKK-S2-16")
        for w in ind.what_if:
            k = w.action.kwargs["n"]
            ms2 = [exporter(f"x{i}") for i in range(have + k)] + [
                member(f"e{i}", "small") for i in range(20 - have - k)
            ]
            assert indicator(dataset(ms2), "KKK-S2-16").points == ind.points + w.gain
            if k > 1:
                ms3 = [exporter(f"x{i}") for i in range(have + k - 1)] + [
                    member(f"e{i}", "small") for i in range(21 - have - k)
                ]
                assert (
                    indicator(dataset(ms3), "KKK-S2-16").points == ind.points
                )  # one fewer is not enough
