"""FIN-11: the financial plan's totals, deviations, the execution report's readiness and the
dues income suggested from the ledger (klaster.rules.money.plan)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from klaster.rules.message import Msg, render
from klaster.rules.money import MoneyInputError
from klaster.rules.money import plan as rules
from klaster.rules.money.plan import PlanLine

D = Decimal


def en(message: Msg) -> str:
    return render(message, "en", lambda code, text: text)


def test_fin_11_threshold_is_ten_percent_or_a_thousand_whichever_is_larger():
    assert rules.THRESHOLD_SHARE == D("0.10")
    assert rules.THRESHOLD_AMOUNT == D("1000.00")
    assert rules.threshold(D("5000")) == D("1000.00")
    assert rules.threshold(D("10000")) == D("1000.00")
    assert rules.threshold(D("25000")) == D("2500.00")
    assert "10%" in en(rules.threshold_message())


def test_fin_11_totals_per_side_and_the_result():
    summary = rules.plan_summary(
        [
            PlanLine("income", "Składki", D("60000"), D("58000")),
            PlanLine("income", "Dotacja", D("20000"), D("20000")),
            PlanLine("cost", "Koordynator", D("50000"), D("51000")),
            PlanLine("cost", "Zarząd", D("12000")),
        ]
    )
    assert summary.planned == {"income": D("80000"), "cost": D("62000")}
    assert summary.executed == {"income": D("78000"), "cost": D("51000")}
    assert summary.planned_result == D("18000")
    assert summary.executed_result == D("27000")
    assert [r.line.name for r in summary.side("income")] == ["Składki", "Dotacja"]


def test_fin_11_deviation_amount_and_percent():
    r = rules.deviation(PlanLine("cost", "Biuro", D("8000"), D("9500.00")))
    assert r.deviation == D("1500.00")
    assert r.percent == D("18.8")
    assert r.needs_explanation  # 1500 > max(800, 1000)
    assert not r.explained and r.unexplained
    assert "18.8%" in en(r.message)
    small = rules.deviation(PlanLine("cost", "Biuro", D("8000"), D("8900")))
    assert small.deviation == D("900") and not small.needs_explanation
    big_base = rules.deviation(PlanLine("income", "Składki", D("60000"), D("55000")))
    assert big_base.percent == D("-8.3") and not big_base.needs_explanation  # 5000 < 6000
    exactly = rules.deviation(PlanLine("income", "Składki", D("60000"), D("54000")))
    assert not exactly.needs_explanation  # more than the threshold, not equal to it


def test_fin_11_nothing_planned_has_no_percent():
    r = rules.deviation(PlanLine("income", "Darowizna", D("0"), D("3000")))
    assert r.percent is None and r.needs_explanation
    assert "nothing planned" in en(r.message)


def test_fin_11_line_not_executed_has_no_deviation():
    r = rules.deviation(PlanLine("cost", "Biuro", D("8000")))
    assert r.deviation is None and r.message is None and not r.needs_explanation


def test_fin_11_report_ready_only_when_everything_is_filled_and_explained():
    lines = [
        PlanLine("income", "Składki", D("60000"), D("58000")),
        PlanLine("cost", "Biuro", D("8000"), D("12000")),
        PlanLine("cost", "Zarząd", D("12000")),
    ]
    summary = rules.plan_summary(lines)
    assert not summary.ready
    texts = [en(p) for p in summary.problems]
    assert len(texts) == 2
    assert "“Biuro” (cost) differs from the plan by PLN 4,000.00" in texts[0]
    assert "“Zarząd” (cost): the executed amount is not filled in" in texts[1]
    assert "2 things to complete" in en(summary.message)
    fixed = [
        lines[0],
        PlanLine("cost", "Biuro", D("8000"), D("12000"), "Nowe biuro od lipca"),
        PlanLine("cost", "Zarząd", D("12000"), D("12000")),
    ]
    done = rules.plan_summary(fixed)
    assert done.ready and done.problems == ()
    assert en(done.message) == (
        "The execution report is ready: 3 lines executed, 1 deviation explained."
    )


def test_fin_11_an_empty_plan_is_not_ready():
    summary = rules.plan_summary([])
    assert not summary.ready
    assert en(summary.problems[0]) == "The plan has no lines."


def test_fin_11_dues_suggestion_sums_the_years_documents_corrections_included():
    docs = [
        (dt.date(2026, 1, 10), D("420.00")),
        (dt.date(2026, 2, 10), D("420.00")),
        (dt.date(2026, 3, 1), D("-420.00")),  # a correction
        (dt.date(2025, 12, 10), D("420.00")),  # another year
    ]
    s = rules.dues_suggestion(docs, 2026)
    assert (s.count, s.amount) == (3, D("420.00"))
    assert "in 2026: 3 documents, PLN 420.00 net" in en(s.message)
    assert s.rule_id == "FIN-11"


def test_fin_11_bad_input_names_the_field():
    with pytest.raises(MoneyInputError) as exc:
        PlanLine("profit", "X", D("1"))
    assert exc.value.field == "side"
    with pytest.raises(MoneyInputError) as exc:
        PlanLine("cost", "  ", D("1"))
    assert exc.value.field == "name"
    with pytest.raises(MoneyInputError) as exc:
        PlanLine("cost", "X", 1.5)  # type: ignore[arg-type]
    assert exc.value.field == "planned"


def test_fin_11_polish_words():
    from klaster.rules.message import catalogue_translator

    summary = rules.plan_summary([PlanLine("cost", "Biuro", D("8000"))])
    text = render(summary.problems[0], "pl", catalogue_translator("pl"))
    assert "koszt" in text
