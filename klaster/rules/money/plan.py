"""The financial plan and the report of its execution (FIN-11).

000 §8.2.3: the General Assembly approves the financial plan for the calendar year, prepared by
the Board; §11.4: the Board prepares it with the coordinator; §15.3.9–11: the coordinator
presents it and, at the end of the fiscal year, reports its execution "i uzasadnienia
ewentualnych odstępstw od jego realizacji" — with the deviations explained.

Which deviation needs an explanation is a product setting, not the statute's: a line whose
executed amount differs from the planned one by more than 10 % of the planned amount or by more
than PLN 1,000, whichever is larger (`THRESHOLD_SHARE`, `THRESHOLD_AMOUNT`). Smaller differences
are shown but need no words.

Dues income executed may be read from the ledger (`dues_suggestion`: the dues documents issued
in the year, net, corrections included) — a suggestion the office takes or leaves, never filled
in by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from klaster.rules.message import Money, Msg, Term, define
from klaster.rules.money._common import EMPTY as _EMPTY
from klaster.rules.money._common import MoneyInputError, amount, choice, to_grosz

RULE_ID = "FIN-11"
THRESHOLD_SHARE = Decimal("0.10")  # product setting: 10 % of the planned amount …
THRESHOLD_AMOUNT = Decimal("1000.00")  # … or PLN 1,000, whichever is larger
ZERO = Decimal("0.00")

Side = Literal["income", "cost"]
SIDES: tuple[Side, ...] = ("income", "cost")

define("plan_side.income", "income")
define("plan_side.cost", "cost")

THRESHOLD = define(
    "money.plan.threshold",
    "A deviation needs an explanation when it is more than {share}% of the planned amount or "
    "more than {amount}, whichever is larger (the product's setting).",
)
DEVIATION = define(
    "money.plan.deviation",
    "“{name}” ({side}): executed {executed} against {planned} planned, a deviation of "
    "{deviation} ({percent}%).",
)
DEVIATION_NO_BASE = define(
    "money.plan.deviation_no_base",
    "“{name}” ({side}): executed {executed} against nothing planned.",
)
NEEDS_EXPLANATION = define(
    "money.plan.needs_explanation",
    "“{name}” ({side}) differs from the plan by {deviation}, more than {threshold}: explain "
    "the deviation.",
)
NOT_EXECUTED = define(
    "money.plan.not_executed", "“{name}” ({side}): the executed amount is not filled in."
)
NO_LINES = define("money.plan.no_lines", "The plan has no lines.")
READY = define(
    "money.plan.ready",
    "The execution report is ready: {lines} {lines:line|lines} executed, {explained} "
    "{explained:deviation|deviations} explained.",
)
NOT_READY = define(
    "money.plan.not_ready",
    "The execution report is not ready: {problems} {problems:thing|things} to complete.",
)
DUES_SUGGESTION = define(
    "money.plan.dues_suggestion",
    "Dues documents issued in {year}: {count} {count:document|documents}, {amount} net "
    "(corrections included). A suggestion only: enter it as the dues income executed if it "
    "is right.",
)

__all__ = [
    "RULE_ID",
    "SIDES",
    "THRESHOLD_AMOUNT",
    "THRESHOLD_SHARE",
    "DuesSuggestion",
    "LineResult",
    "PlanLine",
    "PlanSummary",
    "deviation",
    "dues_suggestion",
    "plan_summary",
    "threshold",
    "threshold_message",
]


@dataclass(frozen=True)
class PlanLine:
    """One line as the rules see it; `key` is the caller's handle (a row id), passed through."""

    side: Side
    name: str
    planned: Decimal
    executed: Decimal | None = None
    explanation: str = ""
    key: object = None

    def __post_init__(self) -> None:
        choice("side", self.side, SIDES)
        if not self.name.strip():
            raise MoneyInputError("name", Msg.of(_EMPTY, field="name"))
        object.__setattr__(self, "planned", amount("planned", self.planned))
        if self.executed is not None:
            object.__setattr__(self, "executed", amount("executed", self.executed))


@dataclass(frozen=True)
class LineResult:
    line: PlanLine
    deviation: Decimal | None  # executed − planned; None until executed is filled in
    percent: Decimal | None  # of the planned amount, one decimal; None when nothing planned
    threshold: Decimal
    needs_explanation: bool
    explained: bool
    message: Msg | None
    rule_id: str = RULE_ID

    @property
    def unexplained(self) -> bool:
        return self.needs_explanation and not self.explained


@dataclass(frozen=True)
class PlanSummary:
    lines: tuple[LineResult, ...]
    planned: dict[str, Decimal]  # per side
    executed: dict[str, Decimal]  # per side, lines filled in so far
    planned_result: Decimal  # income − cost
    executed_result: Decimal
    ready: bool
    problems: tuple[Msg, ...]
    message: Msg
    rule_id: str = RULE_ID

    def side(self, side: str) -> list[LineResult]:
        return [r for r in self.lines if r.line.side == side]


@dataclass(frozen=True)
class DuesSuggestion:
    year: int
    count: int
    amount: Decimal
    message: Msg
    rule_id: str = RULE_ID


def threshold(planned: Decimal) -> Decimal:
    """The deviation allowed without words: 10 % of the planned amount or PLN 1,000."""
    return max(to_grosz(abs(planned) * THRESHOLD_SHARE), THRESHOLD_AMOUNT)


def threshold_message() -> Msg:
    return Msg.of(THRESHOLD, share=int(THRESHOLD_SHARE * 100), amount=Money(THRESHOLD_AMOUNT))


def _side(side: str) -> Term:
    return Term("plan_side", side)


def deviation(line: PlanLine) -> LineResult:
    limit = threshold(line.planned)
    if line.executed is None:
        return LineResult(line, None, None, limit, False, False, None)
    diff = line.executed - line.planned
    percent = (
        (diff * 100 / line.planned).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if line.planned
        else None
    )
    needs = abs(diff) > limit
    explained = bool(line.explanation.strip())
    if percent is None:
        message = Msg.of(
            DEVIATION_NO_BASE, name=line.name, side=_side(line.side), executed=Money(line.executed)
        )
    else:
        message = Msg.of(
            DEVIATION,
            name=line.name,
            side=_side(line.side),
            executed=Money(line.executed),
            planned=Money(line.planned),
            deviation=Money(diff),
            percent=percent,
        )
    return LineResult(line, diff, percent, limit, needs, explained, message)


def plan_summary(lines: Iterable[PlanLine]) -> PlanSummary:
    """Totals per side, the result (income − cost), each line's deviation, and whether the
    execution report is ready: every executed amount filled in, every deviation above the
    threshold explained; what is missing as messages, in the plan's order."""
    results = tuple(deviation(line) for line in lines)
    planned: dict[str, Decimal] = {
        s: sum((r.line.planned for r in results if r.line.side == s), ZERO) for s in SIDES
    }
    executed: dict[str, Decimal] = {
        s: sum(
            (r.line.executed for r in results if r.line.side == s and r.line.executed is not None),
            ZERO,
        )
        for s in SIDES
    }
    problems: list[Msg] = []
    if not results:
        problems.append(Msg.of(NO_LINES))
    for r in results:
        side = _side(r.line.side)
        if r.line.executed is None:
            problems.append(Msg.of(NOT_EXECUTED, name=r.line.name, side=side))
        elif r.unexplained:
            assert r.deviation is not None
            problems.append(
                Msg.of(
                    NEEDS_EXPLANATION,
                    name=r.line.name,
                    side=side,
                    deviation=Money(r.deviation),
                    threshold=Money(r.threshold),
                )
            )
    ready = not problems
    if ready:
        message = Msg.of(
            READY, lines=len(results), explained=sum(1 for r in results if r.needs_explanation)
        )
    else:
        message = Msg.of(NOT_READY, problems=len(problems))
    return PlanSummary(
        lines=results,
        planned=planned,
        executed=executed,
        planned_result=planned["income"] - planned["cost"],
        executed_result=executed["income"] - executed["cost"],
        ready=ready,
        problems=tuple(problems),
        message=message,
    )


def dues_suggestion(documents: Iterable[tuple[dt.date, Decimal]], year: int) -> DuesSuggestion:
    """The dues income of `year` as the ledger has it: the net of the dues documents issued in
    the year (a correction's negative net included). `documents` are (issued, net) pairs."""
    count, total = 0, ZERO
    for issued, net in documents:
        if issued.year != year:
            continue
        count += 1
        total += amount("net", net)
    return DuesSuggestion(
        year,
        count,
        total,
        Msg.of(DUES_SUGGESTION, year=str(year), count=count, amount=Money(total)),
    )
