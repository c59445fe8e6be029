"""The cluster's home and its own data (MEM-1, MEM-2): pages of the cluster as a whole that show
its members — member totals, the user's own organisations, the coordinator (a member) — so they
live with the members, above core. Thin: parse → access check → service → render/redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from klaster.core.access import access_cluster
from klaster.core.concurrency import VERSION_FIELD, add_version_field
from klaster.core.feedback import save_versioned
from klaster.core.forms import StrategyForm
from klaster.members import services
from klaster.members.cluster_forms import ClusterForm
from klaster.members.models import Member
from klaster.members.selectors import delegate_link_end_reminders, member_counts_by_type


def home_context(cluster, grants) -> dict:
    """What the cluster's home shows of the register (the office home, `klaster.office`, adds
    the to-do list on top): totals by type (`member_counts_by_type`, the one definition of a
    member), the user's own organisations, the cluster's data."""
    counts = None
    if grants.office or grants.organ_member or grants.forum_viewer:
        # Totals only: every role with a view of the cluster may see them (MEM-12 "only totals").
        counts = dict(member_counts_by_type(cluster))
    own = list(Member.objects.filter(pk__in=grants.member_ids)) if grants.member_ids else []
    overdue = None
    if grants.office:
        overdue = sum(r.overdue for r in delegate_link_end_reminders(cluster, timezone.localdate()))
    return {
        "cluster": cluster,
        "grants": grants,
        "counts": counts,
        "total": sum((counts or {}).values()),
        "own_members": own,
        "strategies": cluster.strategies.all(),
        "coordinator": cluster.coordinator,
        "overdue_link_ends": overdue,
    }


@login_required
def cluster_home(request, slug):
    cluster, grants = access_cluster(request.user, slug)
    return render(request, "members/cluster_home.html", home_context(cluster, grants))


@login_required
@require_http_methods(["GET", "POST"])
def cluster_edit_view(request, slug):
    """MEM-1 / MEM-2: the office edits the cluster's own data and its strategies."""
    cluster, grants = access_cluster(request.user, slug, for_write=True)
    form = add_version_field(
        ClusterForm(request.POST or None, cluster=cluster), cluster, services.CLUSTER_FIELDS
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(VERSION_FIELD)

        def save(version: str) -> object:
            return services.cluster_update(
                cluster=cluster, user=request.user, data=data, expected_version=version
            )

        if save_versioned(request, form, save, _("Cluster data saved.")):
            return redirect("cluster_edit", slug=slug)
    if request.method == "POST":
        messages.error(request, _("The form has errors; nothing was saved."))
    return render(
        request,
        "members/cluster_form.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "strategies": cluster.strategies.all(),
            "strategy_form": StrategyForm(prefix="s"),
        },
    )
