"""The participants' duties (AID-7, 003 §6): the office asks a participant for a report on the
product's use by a day (an e-mail to the member's notification addresses), marks it received,
and records status changes; a member's representatives see their own member's duties and report
a change of its status."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from klaster.aid import services_duties as services
from klaster.aid.access import access_aid, access_member_aid
from klaster.aid.models import Contract, Duty
from klaster.core.access import get_in_cluster
from klaster.core.feedback import run_form

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(forms.Form):
    contract = forms.IntegerField(widget=forms.HiddenInput)
    due_on = forms.DateField(label=gettext_lazy("Report due on"), widget=DATE)


class DoneForm(forms.Form):
    duty = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=gettext_lazy("Received on"), widget=DATE)


class StatusForm(forms.Form):
    contract = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(label=gettext_lazy("What changed"), max_length=500)


def _contracts(cluster, member=None):
    rows = Contract.objects.filter(cluster=cluster, status=Contract.Status.SIGNED).select_related(
        "application__member", "application__equipment"
    )
    if member is not None:
        rows = rows.filter(application__member=member)
    return rows.order_by("-signed_on", "-pk")


def _duties(cluster, member=None):
    rows = Duty.objects.filter(cluster=cluster).select_related(
        "contract__application__member", "contract__application__equipment"
    )
    if member is not None:
        rows = rows.filter(contract__application__member=member)
    return rows.order_by("done_on", "due_on", "-pk")


@login_required
@require_http_methods(["GET", "POST"])
def aid_duties_view(request, slug):
    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    today = timezone.localdate()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "request":
            form: forms.Form = RequestForm(request.POST)
            run_form(
                request,
                form,
                lambda d: services.request_usage_report(
                    contract=get_in_cluster(Contract, cluster, pk=d["contract"]),
                    due_on=d["due_on"],
                    today=today,
                    user=request.user,
                ),
                _("The report was asked for."),
            )
        elif action == "done":
            form = DoneForm(request.POST)
            run_form(
                request,
                form,
                lambda d: services.mark_done(
                    duty=get_in_cluster(Duty, cluster, pk=d["duty"]),
                    day=d["done_on"],
                    user=request.user,
                ),
                _("The report was marked received."),
            )
        else:
            form = StatusForm(request.POST)
            run_form(
                request,
                form,
                lambda d: services.report_status_change(
                    contract=get_in_cluster(Contract, cluster, pk=d["contract"]),
                    description=d["description"],
                    day=today,
                    user=request.user,
                ),
                _("The change of status was recorded."),
            )
        return redirect("aid_duties", slug=slug)
    return render(
        request,
        "aid/duties/list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "contracts": _contracts(cluster),
            "duties": _duties(cluster),
            "today": today,
            "due_default": today + dt.timedelta(days=14),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def aid_my_duties_view(request, slug, member_id):
    cluster, grants, member = access_member_aid(request.user, slug, member_id)
    today = timezone.localdate()
    if request.method == "POST":
        form = StatusForm(request.POST)

        def report(d):
            contract = get_in_cluster(Contract, cluster, pk=d["contract"])
            if contract.application.member_id != member.pk:
                raise PermissionDenied
            return services.report_status_change(
                contract=contract, description=d["description"], day=today, user=request.user
            )

        run_form(request, form, report, _("The change of status was recorded."))
        return redirect("aid_my_duties", slug=slug, member_id=member.pk)
    return render(
        request,
        "aid/duties/my.html",
        {
            "cluster": cluster,
            "grants": grants,
            "member": member,
            "contracts": _contracts(cluster, member),
            "duties": _duties(cluster, member),
            "today": today,
        },
    )
