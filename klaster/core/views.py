"""Cluster-level pages: the list of one's clusters, the audit log, statute versions, strategies.
The cluster's home and its own data (both show members) are ``klaster.members.cluster_views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core import audit_text, services
from klaster.core.access import access_cluster, access_strategy, clusters_for
from klaster.core.concurrency import VERSION_FIELD, add_version_field
from klaster.core.feedback import apply_errors, save_versioned
from klaster.core.forms import AuditFilterForm, StatuteVersionForm, StrategyForm
from klaster.core.models import AuditLog, Role, StatuteProfileVersion
from klaster.core.statute_form import StatuteNumbersForm
from klaster.rules.governance import profile_rows
from klaster.rules.statute import (
    PRESETS,
    profile_differences,
    profile_from_dict,
    profile_to_dict,
    source_of,
)


@login_required
def home(request):
    clusters = list(clusters_for(request.user))
    if len(clusters) == 1:
        return redirect("cluster_home", slug=clusters[0].slug)
    return render(request, "core/home.html", {"clusters": clusters})


@login_required
def audit_view(request, slug):
    """PLT-4: the change log in plain words, filtered by person, kind of record, name and dates;
    a fixed number of queries per page (the related records named one query per kind)."""
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    qs = AuditLog.objects.filter(cluster=cluster).select_related("user")
    users = [
        (u.pk, audit_text.person_name(u))
        for u in get_user_model().objects.filter(auditlog__cluster=cluster).distinct()
    ]
    labels = qs.order_by().values_list("model", flat=True).distinct()
    form = AuditFilterForm(
        request.GET or None,
        users=sorted(users, key=lambda c: c[1]),
        models=audit_text.model_choices(labels),
    )
    if form.is_valid():
        f = form.cleaned_data
        if f["user"]:
            qs = qs.filter(user_id=f["user"])
        if f["model"]:
            qs = qs.filter(model=f["model"])
        if f["q"]:
            qs = qs.filter(object_repr__icontains=f["q"])
        if f["date_from"]:
            qs = qs.filter(at__date__gte=f["date_from"])
        if f["date_to"]:
            qs = qs.filter(at__date__lte=f["date_to"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "cluster": cluster,
            "grants": grants,
            "page": page,
            "entries": audit_text.entries(list(page)),
            "form": form,
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def statute_view(request, slug):
    """Statute profile versions: organ members read them — every number in words, what is still to be
    confirmed, which meetings were convened under each; the office adds a dated version, or a
    correction (the day's next revision) of one a meeting already used."""
    cluster, grants = access_cluster(request.user, slug)
    if not (grants.office or grants.organ_member):
        raise PermissionDenied
    if request.method == "POST" and not grants.office:
        raise PermissionDenied
    form = numbers = None
    if grants.office:
        source = request.POST if request.method == "POST" else request.GET
        start, base = _statute_start(cluster, source.get("start") or source.get("from") or "")
        # every save writes an audit row: the latest one tells whether the page is stale
        last_save = (
            AuditLog.objects.filter(cluster=cluster, model=StatuteProfileVersion._meta.label)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        seen = str(last_save or 0)
        form = StatuteVersionForm(
            request.POST or None,
            initial={"start": start, "seen": seen, "take": StatuteVersionForm.TAKE_NUMBERS},
        )
        numbers = StatuteNumbersForm(request.POST or None, base=base)
    if request.method == "POST" and form is not None and numbers is not None:
        if form.is_valid():
            stale = form.cleaned_data["seen"] not in ("", seen)
            taken = form.numbers_taken()
            if stale:
                form.add_error(
                    None,
                    _(
                        "The statute profile was changed by someone else since this page was "
                        "opened. Read the current versions below and enter the numbers again."
                    ),
                )
            elif not taken or numbers.is_valid():
                data = numbers.profile_data() if taken else None
                preset = form.cleaned_data["preset"] or None
                if taken:
                    # the numbers of a preset, unchanged, keep its name (its later changes are
                    # then flagged on the page); any edit makes them the cluster's own
                    preset = next(
                        (k for k, p in PRESETS.items() if data == profile_to_dict(p)), None
                    )
                try:
                    services.statute_profile_set(
                        cluster=cluster,
                        user=request.user,
                        valid_from=form.cleaned_data["valid_from"],
                        preset=preset,
                        data=data,
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
            profile = profile_from_dict(v.data)
            rows, error = profile_rows(profile), ""
            lines = [(r, source_of(profile, r.path)) for r in rows]
        except (ValueError, TypeError) as exc:
            rows, error, lines = (), str(exc), []
        cards.append(
            {
                "version": v,
                "rows": rows,
                "lines": lines,  # each row with the provision it comes from (issue 9 point 3)
                "error": error,
                "uses": uses[v.pk],
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
            "numbers": numbers,
            "presets": list(PRESETS),
        },
    )


def _statute_start(cluster, start: str) -> tuple[str, dict]:
    """What the statute form's numbers start from: a preset ("preset:evoluma"), one of the
    cluster's versions ("version:12"), else the version in force today, else the latest, else the
    first preset."""
    kind, _sep, key = start.partition(":")
    if kind == "preset" and key in PRESETS:
        return start, profile_to_dict(PRESETS[key])
    versions = StatuteProfileVersion.objects.filter(cluster=cluster)
    version = versions.filter(pk=key).first() if kind == "version" and key.isdigit() else None
    version = (
        version
        or services.statute_version_on(cluster, timezone.localdate())
        or versions.order_by("-valid_from", "-revision").first()
    )
    if version is not None:
        try:
            profile_from_dict(version.data)
        except (ValueError, TypeError):
            version = None
        else:
            return f"version:{version.pk}", dict(version.data)
    first = next(iter(PRESETS))
    return f"preset:{first}", profile_to_dict(PRESETS[first])


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
