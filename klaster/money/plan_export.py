"""The execution report of a financial plan as XLSX (FIN-11, 000 §15.3.11): each line with what
was planned and executed, the deviation (amount and percent), whether it needs an explanation
and the explanation; totals per side and the result. Amounts are numbers (Decimal), text cells
go through `workbook_bytes`, so a line named "=HYPERLINK(…)" stays text."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from klaster.core.exports import workbook_bytes
from klaster.core.say import say
from klaster.money import plan_services as services
from klaster.money.models import FinancialPlan
from klaster.rules.money import plan as rules

MONEY_FORMAT = "#,##0.00"


def report_xlsx(plan: FinancialPlan) -> bytes:
    summary = rules.plan_summary(services.rule_lines(plan))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = str(plan.year)
    bold = Font(bold=True)
    ws.append([_("Financial plan %(year)s: execution report") % {"year": plan.year}])
    ws["A1"].font = bold
    ws.append([str(plan.cluster)])
    approved = plan.approved_on.strftime("%d.%m.%Y") if plan.approved_on else "—"
    ws.append([_("Approved by the General Assembly"), approved, plan.approval])
    report = plan.report_approved_on.strftime("%d.%m.%Y") if plan.report_approved_on else "—"
    ws.append([_("Execution report approved"), report])
    ws.append([say(rules.threshold_message())])
    ws.append([])
    head = [
        _("Side"),
        _("Item"),
        _("Planned"),
        _("Executed"),
        _("Deviation"),
        _("Deviation (%)"),
        _("Needs an explanation"),
        _("Deviation explained"),
    ]
    ws.append(head)
    for cell in ws[ws.max_row]:
        cell.font = bold
    side_names = {"income": _("Income"), "cost": _("Costs")}
    for side in rules.SIDES:
        for r in summary.side(side):
            row: list[Any] = [
                side_names[side],
                r.line.name,
                r.line.planned,
                r.line.executed,
                r.deviation,
                float(r.percent) if r.percent is not None else None,
                _("yes") if r.needs_explanation else _("no"),
                r.line.explanation,
            ]
            ws.append(row)
        ws.append(
            [
                side_names[side],
                _("Total"),
                summary.planned[side],
                summary.executed[side],
                summary.executed[side] - summary.planned[side],
            ]
        )
        for cell in ws[ws.max_row]:
            cell.font = bold
    ws.append(
        [
            "",
            _("Result (income − costs)"),
            summary.planned_result,
            summary.executed_result,
            summary.executed_result - summary.planned_result,
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = bold
    ws.append([])
    ws.append([say(summary.message)])
    for problem in summary.problems:
        ws.append([say(problem)])
    for row in ws.iter_rows(min_row=8, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for column, width in zip("ABCDEFGH", (10, 40, 14, 14, 14, 12, 12, 60), strict=True):
        ws.column_dimensions[column].width = width
    return workbook_bytes(wb)
