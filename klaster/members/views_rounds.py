"""The annual statistics round's pages (MEM-12, issue 12 point 5): the office opens a round for a
fiscal year with a deadline, follows who has given complete figures, and closes it; members fill
their figures on their portal page, where the open round is announced."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core.access import access_cluster, get_in_cluster
from klaster.core.feedback import apply_errors, messages_from
from klaster.members import selectors, services
from klaster.members.models import StatisticsRound


class RoundForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Fiscal year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=gettext_lazy("Deadline for the members"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def statistics_round_view(request, slug):
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None, initial={"year": today.year - 1, "deadline": today.replace(day=1)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.statistics_round_open(
                cluster=cluster, user=request.user, today=today, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The round is open: members see it on their portal page and are reminded "
                    "by e-mail before the deadline."
                ),
            )
            return redirect("statistics_round", cluster.slug)
    current = selectors.open_statistics_round(cluster)
    labels = selectors.round_field_labels()
    progress = selectors.statistics_round_progress(current) if current else None
    rows = (
        [
            {"row": r, "missing": [labels[f] for f in r.missing]}
            for r in sorted(progress.rows, key=lambda r: (r.state == "complete", r.name))
        ]
        if progress
        else []
    )
    return render(
        request,
        "members/statistics_round.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "current": current,
            "progress": progress,
            "rows": rows,
            "past": StatisticsRound.objects.filter(cluster=cluster, closed_at__isnull=False),
        },
    )


@login_required
@require_POST
def statistics_round_close_view(request, slug, round_id):
    cluster, _grants = access_cluster(request.user, slug, for_write=True)
    row = get_in_cluster(StatisticsRound, cluster, pk=round_id)
    try:
        services.statistics_round_close(round_=row, user=request.user)
    except ValidationError as exc:
        messages_from(request, exc)
    else:
        messages.success(request, _("The round is closed; reminders stop."))
    return redirect("statistics_round", cluster.slug)
