"""The financial plan's writes (FIN-11): a plan per year, its lines, the General Assembly's
approval and the approval of the execution report. One transaction each, audited.

Once the GA has approved the plan, what was planned is frozen: no line is added, removed or
renamed and no planned amount changes; the executed amounts and the explanations of deviations
are filled in until the execution report is approved, after which nothing changes.

A line form carries the plan's `updated_at` as it was shown (`version`); every write to a plan
or its lines touches the plan, so a form shown before somebody else's save is refused
(`StaleEdit`) instead of silently undoing it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from klaster.core.audit import audit_record
from klaster.core.concurrency import StaleEdit
from klaster.core.models import Cluster
from klaster.money.models import Document, FinancialPlan, PlanLine
from klaster.money.services import MoneyError
from klaster.rules.message import Msg, define
from klaster.rules.money import plan as rules
from klaster.rules.money.tariff import DUES

FIRST_YEAR, LAST_YEAR = 2000, 2100

BAD_YEAR = define("money.plan.bad_year", "The fiscal year must be between {first} and {last}.")
PLAN_EXISTS = define("money.plan.exists", "The cluster already has a financial plan for {year}.")
PLAN_FROZEN = define(
    "money.plan.frozen",
    "The General Assembly approved this plan on {day}: its lines and planned amounts cannot "
    "change; only the executed amounts and the explanations can.",
)
REPORT_DONE = define(
    "money.plan.report_done",
    "The execution report was approved on {day}: the plan cannot change any more.",
)
NOT_APPROVED = define(
    "money.plan.not_approved",
    "The General Assembly has not approved the plan yet: record its approval first.",
)
ALREADY_APPROVED = define(
    "money.plan.already_approved", "The General Assembly already approved this plan on {day}."
)
NEED_RESOLUTION = define(
    "money.plan.need_resolution", "Name the General Assembly's resolution approving the plan."
)
APPROVED_BEFORE_YEAR = define(
    "money.plan.report_early",
    "The execution report of {year} can be approved only after the year ends, not on {day}.",
)
REPORT_NOT_READY = define(
    "money.plan.report_not_ready", "The execution report cannot be approved yet: {problems}"
)
NO_LINE = define("money.plan.no_line", "This line is not in the plan.")
NEGATIVE = define("money.plan.negative", "“{field}” cannot be negative.")

PLAN_FIELDS = ("approved_on", "approval", "report_approved_on", "note")
LINE_FIELDS = ("side", "name", "planned", "executed", "explanation", "order")


def version_of(plan: FinancialPlan) -> str:
    """What a form shown now carries: the plan's last change."""
    return plan.updated_at.isoformat()


def _lock(plan: FinancialPlan, expected_version: str | None) -> FinancialPlan:
    locked = FinancialPlan.objects.select_for_update().get(pk=plan.pk)
    if expected_version is not None and expected_version != version_of(locked):
        raise StaleEdit([], version_of(locked))
    return locked


def _touch(plan: FinancialPlan) -> None:
    plan.save(update_fields=["updated_at"])


def _check_open(plan: FinancialPlan, *, planned: bool) -> None:
    if plan.report_approved_on is not None:
        raise MoneyError("plan", Msg.of(REPORT_DONE, day=plan.report_approved_on))
    if planned and plan.approved_on is not None:
        raise MoneyError("planned", Msg.of(PLAN_FROZEN, day=plan.approved_on))


def _amount(field: str, value: Decimal | None) -> Decimal | None:
    if value is not None and value < 0:
        raise MoneyError(field, Msg.of(NEGATIVE, field=field))
    return value


def create_plan(*, cluster: Cluster, user, year: int, note: str = "") -> FinancialPlan:
    """A plan for `year`; its lines start as the previous year's plan (the latest before it):
    names and planned amounts copied, executed and explanations empty."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MoneyError("year", Msg.of(BAD_YEAR, first=str(FIRST_YEAR), last=str(LAST_YEAR)))
    with transaction.atomic():
        if FinancialPlan.objects.filter(cluster=cluster, year=year).exists():
            raise MoneyError("year", Msg.of(PLAN_EXISTS, year=str(year)))
        plan = FinancialPlan.objects.create(cluster=cluster, year=year, note=note)
        audit_record(cluster=cluster, user=user, action="create", instance=plan, source="money")
        previous = (
            FinancialPlan.objects.filter(cluster=cluster, year__lt=year).order_by("-year").first()
        )
        if previous is not None:
            for old in previous.lines.all():
                line = PlanLine.objects.create(
                    plan=plan, side=old.side, name=old.name, planned=old.planned, order=old.order
                )
                audit_record(
                    cluster=cluster, user=user, action="create", instance=line, source="money"
                )
    return plan


def save_line(
    *,
    plan: FinancialPlan,
    user,
    expected_version: str | None,
    line_id: int | None = None,
    side: str,
    name: str,
    planned: Decimal,
    executed: Decimal | None = None,
    explanation: str = "",
) -> PlanLine:
    """Add a line (`line_id` None) or change one. After the GA's approval only the executed
    amount and the explanation of a line may change."""
    _amount("planned", planned)
    _amount("executed", executed)
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        _check_open(locked, planned=False)
        if line_id is None:
            _check_open(locked, planned=True)
            order = (
                locked.lines.filter(side=side)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
                or 0
            ) + 1
            line = PlanLine.objects.create(
                plan=locked,
                side=side,
                name=name,
                planned=planned,
                executed=executed,
                explanation=explanation,
                order=order,
            )
            action = "create"
        else:
            found = PlanLine.objects.select_for_update().filter(plan=locked, pk=line_id).first()
            if found is None:
                raise MoneyError("line", Msg.of(NO_LINE))
            line = found
            if locked.approved_on is not None and (
                side != line.side or name != line.name or planned != line.planned
            ):
                _check_open(locked, planned=True)
            line.side, line.name, line.planned = side, name, planned
            line.executed, line.explanation = executed, explanation
            line.save()
            action = "update"
        _touch(locked)
        audit_record(
            cluster=locked.cluster, user=user, action=action, instance=line, source="money"
        )
    plan.updated_at = locked.updated_at
    return line


def delete_line(*, plan: FinancialPlan, user, expected_version: str | None, line_id: int) -> None:
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        _check_open(locked, planned=True)
        line = PlanLine.objects.filter(plan=locked, pk=line_id).first()
        if line is None:
            raise MoneyError("line", Msg.of(NO_LINE))
        audit_record(
            cluster=locked.cluster, user=user, action="delete", instance=line, source="money"
        )
        line.delete()
        _touch(locked)
    plan.updated_at = locked.updated_at


def approve_plan(
    *,
    plan: FinancialPlan,
    user,
    approved_on: dt.date,
    approval: str,
    expected_version: str | None = None,
) -> FinancialPlan:
    """The General Assembly's approval (000 §8.2.3): its date and resolution; the planned
    amounts are frozen from now on."""
    if not approval.strip():
        raise MoneyError("approval", Msg.of(NEED_RESOLUTION))
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        _check_open(locked, planned=False)
        if locked.approved_on is not None:
            raise MoneyError("approved_on", Msg.of(ALREADY_APPROVED, day=locked.approved_on))
        locked.approved_on, locked.approval = approved_on, approval.strip()
        locked.save(update_fields=["approved_on", "approval", "updated_at"])
        audit_record(
            cluster=locked.cluster, user=user, action="update", instance=locked, source="money"
        )
    return locked


def approve_report(
    *,
    plan: FinancialPlan,
    user,
    approved_on: dt.date,
    expected_version: str | None = None,
) -> FinancialPlan:
    """The execution report approved (000 §15.3.11): only for an approved plan, after its
    year, with every executed amount filled in and every deviation above the threshold
    explained. Nothing of the plan changes afterwards."""
    with transaction.atomic():
        locked = _lock(plan, expected_version)
        _check_open(locked, planned=False)
        if locked.approved_on is None:
            raise MoneyError("report_approved_on", Msg.of(NOT_APPROVED))
        if approved_on.year <= locked.year:
            raise MoneyError(
                "report_approved_on",
                Msg.of(APPROVED_BEFORE_YEAR, year=str(locked.year), day=approved_on),
            )
        summary = rules.plan_summary(rule_lines(locked))
        if not summary.ready:
            raise MoneyError(
                "report_approved_on", Msg.of(REPORT_NOT_READY, problems=summary.problems)
            )
        locked.report_approved_on = approved_on
        locked.save(update_fields=["report_approved_on", "updated_at"])
        audit_record(
            cluster=locked.cluster, user=user, action="update", instance=locked, source="money"
        )
    return locked


# --- reads the pages and the report share --------------------------------------------------------


def rule_lines(plan: FinancialPlan) -> list[rules.PlanLine]:
    return [
        rules.PlanLine(
            side=line.side,  # type: ignore[arg-type]
            name=line.name,
            planned=line.planned,
            executed=line.executed,
            explanation=line.explanation,
            key=line.pk,
        )
        for line in plan.lines.order_by("side", "order", "id")
    ]


def dues_suggestion(plan: FinancialPlan) -> rules.DuesSuggestion:
    """The dues income of the plan's year as the ledger has it (a suggestion, FIN-11)."""
    documents = Document.objects.filter(
        cluster=plan.cluster, fee_type__key=DUES, issued__year=plan.year
    ).values_list("issued", "net")
    return rules.dues_suggestion(documents, plan.year)
