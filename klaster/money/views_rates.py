"""The office's two dated tables of amounts (`klaster.money.rates`): the NBP reference rate for
interest (FIN-4), on its own page linked from arrears and settings, and the Board's amount per
meeting (FIN-9), on the Board pay page. The office writes; the books' readers see the rates."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from klaster.core.access import get_in_cluster
from klaster.core.feedback import attempt
from klaster.money import access, rates
from klaster.money.models import BoardRate, ReferenceRate
from klaster.money.services import MoneyError
from klaster.money.views_staff import access_staff
from klaster.rules import money as rules

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferenceRateForm(forms.Form):
    valid_from = forms.DateField(label=gettext_lazy("In force from"), widget=DATE)
    rate = forms.DecimalField(
        label=gettext_lazy("Reference rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=rates.MAX_RATE,
    )
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=200,
        help_text=gettext_lazy(
            "The Monetary Policy Council's resolution, e.g. “Uchwała RPP nr 7/2026 z 4.11.2026”."
        ),
    )


class BoardRateForm(forms.Form):
    valid_from = forms.DateField(label=gettext_lazy("In force from"), widget=DATE)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount per meeting (PLN gross)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
    )
    resolution = forms.CharField(label=gettext_lazy("General Assembly resolution"), max_length=200)


@login_required
def money_interest_rates_view(request, slug):
    """The reference rate table this cluster's interest reads: shipped rows and the office's
    entries, newest first, with the form to enter a change."""
    cluster, grants = access.access_books(request.user, slug, for_write=request.method == "POST")
    form = ReferenceRateForm()
    if request.method == "POST":
        form = ReferenceRateForm(request.POST)
        ok, _row = attempt(
            request,
            form,
            lambda d: rates.reference_rate_add(cluster=cluster, user=request.user, **d),
            _("The reference rate was entered."),
            refusals=(MoneyError,),
        )
        if ok:
            return redirect("money_interest_rates", slug=slug)
    entered = {r.valid_from: r for r in ReferenceRate.objects.filter(cluster=cluster)}
    shipped = {r.valid_from for r in rules.reference_rates()}
    table = [
        {
            "valid_from": r.valid_from,
            "rate": r.rate,
            "entry": entered.get(r.valid_from),
            "replaces": r.valid_from in shipped and r.valid_from in entered,
        }
        for r in reversed(rates.reference_rates(cluster))
    ]
    return render(
        request,
        "money/interest_rates.html",
        {"cluster": cluster, "grants": grants, "form": form, "table": table[:24]},
    )


@login_required
@require_POST
def money_interest_rate_remove_view(request, slug, rate_id):
    cluster, _grants = access.access_books(request.user, slug, for_write=True)
    row = get_in_cluster(ReferenceRate, cluster, pk=rate_id)
    rates.reference_rate_remove(row=row, user=request.user)
    from django.contrib import messages

    messages.success(request, _("The entered reference rate was removed."))
    return redirect("money_interest_rates", slug=slug)


@login_required
@require_POST
def money_board_rate_view(request, slug):
    cluster, _grants = access_staff(request.user, slug, for_write=True)
    form = BoardRateForm(request.POST, prefix="rate")
    attempt(
        request,
        form,
        lambda d: rates.board_rate_add(cluster=cluster, user=request.user, **d),
        _("The amount per meeting was entered."),
        refusals=(MoneyError,),
    )
    return redirect("money_board_pay", slug=slug)


@login_required
@require_POST
def money_board_rate_remove_view(request, slug, rate_id):
    cluster, _grants = access_staff(request.user, slug, for_write=True)
    row = get_in_cluster(BoardRate, cluster, pk=rate_id)
    rates.board_rate_remove(row=row, user=request.user)
    from django.contrib import messages

    messages.success(request, _("The amount per meeting was removed."))
    return redirect("money_board_pay", slug=slug)
