"""The financial plan's pages (FIN-11): the plans by year, one plan with its execution, its
lines, the approvals and the execution report as XLSX.

The office writes; organ members read (the Board prepares the plan with the coordinator,
000 §11.4), everybody else is refused. Every write goes through klaster.money.plan_services and
comes back to the plan's page with what happened.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klaster.core import charts
from klaster.core.access import Grants, access_cluster
from klaster.core.concurrency import StaleEdit
from klaster.core.feedback import form_messages
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.money import plan_services as services
from klaster.money.models import FinancialPlan, PlanLine
from klaster.money.plan_forms import PlanApproveForm, PlanCreateForm, PlanLineForm
from klaster.money.services import MoneyError
from klaster.rules.money import plan as rules


def access_plans(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The plans: the office reads and writes, organ members read; others are refused (403),
    another cluster's people do not see this one (404, access_cluster)."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not (grants.office or (grants.organ_member and not for_write)):
        raise PermissionDenied
    return cluster, grants


def _plan(cluster: Cluster, year: int) -> FinancialPlan:
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise Http404
    plan = FinancialPlan.objects.filter(cluster=cluster, year=year).first()
    if plan is None:
        raise Http404
    return plan


def _refused(request, exc: Exception) -> None:
    if isinstance(exc, MoneyError):
        messages.error(request, say(exc.message))
    elif isinstance(exc, StaleEdit):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc))


@login_required
@require_http_methods(["GET", "POST"])
def money_plans_view(request, slug):
    """The plans by year; the office starts a new year's plan here."""
    cluster, grants = access_plans(request.user, slug, for_write=request.method == "POST")
    form = PlanCreateForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST":
        if not form.is_valid():
            form_messages(request, form)
            return redirect("money_plans", slug=slug)
        year = form.cleaned_data["year"]
        try:
            services.create_plan(cluster=cluster, user=request.user, year=year)
        except MoneyError as exc:
            _refused(request, exc)
            return redirect("money_plans", slug=slug)
        messages.success(request, _("The plan for %(year)s was created.") % {"year": year})
        return redirect("money_plan", slug=slug, year=year)
    plans = []
    for plan in FinancialPlan.objects.filter(cluster=cluster).order_by("-year"):
        summary = rules.plan_summary(services.rule_lines(plan))
        plans.append((plan, summary))
    return render(
        request,
        "money/plans.html",
        {"cluster": cluster, "grants": grants, "plans": plans, "form": form},
    )


def _chart(summary: rules.PlanSummary, side: str, title: str):
    points = [
        charts.Point(r.line.name, float(r.line.executed or 0), float(r.line.planned))
        for r in summary.side(side)
    ]
    if not points:
        return None
    return charts.hbars(title, points, value_head=_("Executed"), max_head=_("Planned"))


def _line_form(plan: FinancialPlan, line: PlanLine | None, data=None) -> PlanLineForm:
    version = services.version_of(plan)
    initial: dict[str, Any] = {"version": version, "side": PlanLine.Side.INCOME}
    if line is not None:
        initial.update(
            line=line.pk,
            side=line.side,
            name=line.name,
            planned=line.planned,
            executed=line.executed,
            explanation=line.explanation,
        )
    prefix = f"l{line.pk}" if line is not None else "new"
    return PlanLineForm(
        data, initial=initial, prefix=prefix, frozen=line is not None and bool(plan.approved_on)
    )


@login_required
@require_GET
def money_plan_view(request, slug, year):
    """A plan: lines by side with planned, executed and the deviation; totals and the result;
    the deviations that need an explanation marked; a chart of planned against executed."""
    cluster, grants = access_plans(request.user, slug)
    plan = _plan(cluster, year)
    lines = {line.pk: line for line in plan.lines.all()}
    summary = rules.plan_summary(services.rule_lines(plan))
    office = grants.office
    open_ = office and plan.report_approved_on is None
    editing = None
    edit_form = add_form = approve_form = None
    if open_:
        wanted = request.GET.get("line", "")
        if wanted.isdigit() and int(wanted) in lines:
            editing = lines[int(wanted)]
            edit_form = _line_form(plan, editing)
        if plan.approved_on is None:
            add_form = _line_form(plan, None)
        what = "plan" if plan.approved_on is None else "report"
        approve_form = PlanApproveForm(
            initial={"version": services.version_of(plan), "what": what},
            report=what == "report",
        )
    sides = [
        (
            "income",
            _("Income"),
            summary.side("income"),
            summary.planned["income"],
            summary.executed["income"],
        ),
        (
            "cost",
            _("Costs"),
            summary.side("cost"),
            summary.planned["cost"],
            summary.executed["cost"],
        ),
    ]
    return render(
        request,
        "money/plan.html",
        {
            "cluster": cluster,
            "grants": grants,
            "plan": plan,
            "summary": summary,
            "sides": sides,
            "office": office,
            "open": open_,
            "frozen": plan.approved_on is not None,
            "version": services.version_of(plan),
            "editing": editing,
            "edit_form": edit_form,
            "add_form": add_form,
            "approve_form": approve_form,
            "threshold": rules.threshold_message(),
            "suggestion": services.dues_suggestion(plan) if office else None,
            "chart_income": _chart(summary, "income", _("Income: executed against planned")),
            "chart_cost": _chart(summary, "cost", _("Costs: executed against planned")),
        },
    )


@login_required
@require_POST
def money_plan_line_view(request, slug, year):
    """Add a line, change one (`<prefix>-line`), or delete one (`delete` = its id)."""
    cluster, grants = access_plans(request.user, slug, for_write=True)
    plan = _plan(cluster, year)
    back = redirect("money_plan", slug=slug, year=year)
    delete = request.POST.get("delete", "")
    if delete:
        if not delete.isdigit():
            raise Http404
        try:
            services.delete_line(
                plan=plan,
                user=request.user,
                expected_version=request.POST.get("version", ""),
                line_id=int(delete),
            )
        except (MoneyError, StaleEdit) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The line was deleted."))
        return back
    prefix = request.POST.get("prefix", "new")
    line = None
    if prefix != "new":
        if not (prefix.startswith("l") and prefix[1:].isdigit()):
            raise Http404
        line = plan.lines.filter(pk=int(prefix[1:])).first()
        if line is None:
            raise Http404
    form = _line_form(plan, line, request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect(f"{back.url}?line={line.pk}" if line else back.url)
    data = form.cleaned_data
    try:
        services.save_line(
            plan=plan,
            user=request.user,
            expected_version=data["version"],
            line_id=line.pk if line is not None else None,
            side=data["side"],
            name=data["name"],
            planned=data["planned"],
            executed=data["executed"],
            explanation=data["explanation"],
        )
    except (MoneyError, StaleEdit) as exc:
        _refused(request, exc)
        return redirect(f"{back.url}?line={line.pk}" if line else back.url)
    messages.success(request, _("The line was saved."))
    return back


@login_required
@require_POST
def money_plan_approve_view(request, slug, year):
    """Record the General Assembly's approval of the plan, or the execution report's."""
    cluster, grants = access_plans(request.user, slug, for_write=True)
    plan = _plan(cluster, year)
    what = request.POST.get("what", "plan")
    form = PlanApproveForm(request.POST, report=what == "report")
    back = redirect("money_plan", slug=slug, year=year)
    if not form.is_valid():
        form_messages(request, form)
        return back
    data = form.cleaned_data
    try:
        if what == "report":
            services.approve_report(
                plan=plan,
                user=request.user,
                approved_on=data["day"],
                expected_version=data["version"],
            )
        else:
            services.approve_plan(
                plan=plan,
                user=request.user,
                approved_on=data["day"],
                approval=data["approval"],
                expected_version=data["version"],
            )
    except (MoneyError, StaleEdit) as exc:
        _refused(request, exc)
        return back
    if what == "report":
        messages.success(request, _("The execution report's approval was recorded."))
    else:
        messages.success(request, _("The General Assembly's approval was recorded."))
    return back


@login_required
@require_GET
def money_plan_report_xlsx_view(request, slug, year):
    """The execution report as XLSX: lines by side, planned, executed, deviation, explanation."""
    cluster, grants = access_plans(request.user, slug)
    plan = _plan(cluster, year)
    from klaster.money.plan_export import report_xlsx

    data = report_xlsx(plan)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"plan-wykonanie-{cluster.slug}-{plan.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
