"""Cluster-level pages: the list of one's clusters, the audit log, statute versions, strategies.
The cluster's home and its own data (both show members) are ``klaster.members.cluster_views``."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core import services
from klaster.core.access import access_cluster, access_strategy, clusters_for
from klaster.core.concurrency import VERSION_FIELD, add_version_field
from klaster.core.feedback import apply_errors, save_versioned
from klaster.core.forms import StatuteVersionForm, StrategyForm
from klaster.core.models import AuditLog, Role, StatuteProfileVersion
from klaster.rules.governance import profile_rows
from klaster.rules.statute import PRESETS, profile_differences, profile_from_dict, profile_to_dict


@login_required
def home(request):
    clusters = list(clusters_for(request.user))
    if len(clusters) == 1:
        return redirect("cluster_home", slug=clusters[0].slug)
    return render(request, "core/home.html", {"clusters": clusters})


@login_required
def audit_view(request, slug):
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    qs = AuditLog.objects.filter(cluster=cluster).select_related("user")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"cluster": cluster, "grants": grants, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def statute_view(request, slug):
    """Statute profile versions: organ members read them — every number in words, what is still to be
    confirmed, which meetings were convened under each; the office adds a dated version, or a
    correction (the day's next revision) of one a meeting already used."""
    cluster, grants = access_cluster(request.user, slug)
    if not (grants.office or grants.organ_member):
        raise PermissionDenied
    form = StatuteVersionForm(request.POST or None) if grants.office else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.statute_profile_set(
                    cluster=cluster,
                    user=request.user,
                    valid_from=form.cleaned_data["valid_from"],
                    preset=form.cleaned_data["preset"] or None,
                    data=form.cleaned_data["data"],
                    note=form.cleaned_data["note"],
                    correction=bool(request.POST.get("correction")),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Statute profile version saved."))
                return redirect("statute", slug=slug)
    versions = list(
        StatuteProfileVersion.objects.filter(cluster=cluster).order_by("-valid_from", "-revision")
    )
    uses = services.statute_version_uses(versions)
    today = services.statute_version_on(cluster, timezone.localdate())
    latest: dict = {}
    for v in versions:
        latest.setdefault(v.valid_from, v.revision)
    cards = []
    for v in versions:
        try:
            rows, error = profile_rows(profile_from_dict(v.data)), ""
        except (ValueError, TypeError) as exc:
            rows, error = (), str(exc)
        cards.append(
            {
                "version": v,
                "rows": rows,
                "error": error,
                "uses": uses[v.pk],
                "json": json.dumps(v.data, ensure_ascii=False, indent=1),
                "to_confirm": sum(1 for r in rows if r.confirm),
                "in_force": today is not None and today.pk == v.pk,
                # the preset it was taken from has other numbers now (e.g. a corrected reading)
                "preset_changed": profile_differences(v.data, profile_to_dict(PRESETS[v.preset]))
                if v.preset in PRESETS
                else (),
                "corrected": latest[v.valid_from] != v.revision,
            }
        )
    return render(
        request,
        "core/statute.html",
        {
            "cluster": cluster,
            "grants": grants,
            "versions": versions,
            "cards": cards,
            "roles": Role,
            "form": form,
        },
    )


@login_required
@require_POST
def strategy_add_view(request, slug):
    cluster, grants = access_cluster(request.user, slug, for_write=True)
    form = StrategyForm(request.POST, prefix="s")
    if form.is_valid():
        try:
            services.strategy_add(cluster=cluster, user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Strategy added."))
    else:
        _form_error_messages(request, form)
    return redirect("cluster_edit", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit_view(request, slug, strategy_id):
    cluster, grants, strategy = access_strategy(request.user, slug, strategy_id, for_write=True)
    initial = {k: getattr(strategy, k) for k in services.STRATEGY_FIELDS}
    form = add_version_field(
        StrategyForm(request.POST or None, initial=initial), strategy, services.STRATEGY_FIELDS
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(VERSION_FIELD)

        def save(version: str) -> object:
            return services.strategy_update(
                strategy=strategy, user=request.user, data=data, expected_version=version
            )

        if save_versioned(request, form, save, _("Strategy saved.")):
            return redirect("cluster_edit", slug=slug)
    return render(
        request,
        "core/strategy_form.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "strategy": strategy,
        },
    )


@login_required
@require_POST
def strategy_remove_view(request, slug, strategy_id):
    cluster, grants, strategy = access_strategy(request.user, slug, strategy_id, for_write=True)
    services.strategy_remove(strategy=strategy, user=request.user)
    messages.success(request, _("Strategy removed."))
    return redirect("cluster_edit", slug=slug)


def _error_messages(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
        for error in errors:
            messages.error(request, error)


def _form_error_messages(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
