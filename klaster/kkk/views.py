"""KKK pages: readiness dashboard, applications (assembled, checked, registered, exported),
the records behind sections 9–34, experts and panel. Thin: parse → access → service → render."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core import charts
from klaster.core.concurrency import (
    VERSION_FIELD,
    add_version_field,
    posted_version,
)
from klaster.core.feedback import apply_errors, save_versioned
from klaster.core.feedback import messages_from as _messages_from
from klaster.kkk import exports, hooks, selectors, services
from klaster.kkk.access import (
    access_activity_record,
    access_application,
    access_attachment,
    access_kkk_dashboard,
    access_kkk_office,
    access_record_kind,
)
from klaster.kkk.forms import (
    ApplicationCreateForm,
    ApplicationForm,
    AsOfForm,
    AttachmentForm,
    CoordinatorForm,
    ExpertScoresForm,
    PanelForm,
    expert_indicators,
    panel_areas,
    record_form_class,
    scoring_basis,
)
from klaster.kkk.models import Application, ExpertScore, PanelScore
from klaster.kkk.records import RECORD_KINDS
from klaster.rules import kkk_application as ka


def fraction_text(value: Fraction, *, signed: bool = False) -> str:
    """A mean of expert scores as a Pole writes it: 4, 4,5, 70,33."""
    text = (
        str(value.numerator)
        if value.denominator == 1
        else f"{float(value):.2f}".rstrip("0").rstrip(".")
    )
    text = text.replace(".", ",")
    return f"+{text}" if signed and value > 0 else text


# --- readiness dashboard (point 4) ---------------------------------------------------------


@login_required
def kkk_dashboard_view(request, slug):
    """Stage I checklist, stage II bars against the maximum, the what-if list, as of a chosen D."""
    cluster, grants = access_kkk_dashboard(request.user, slug)
    form = AsOfForm(request.GET or None)
    as_of = mode = None
    if form.is_valid():
        as_of = form.cleaned_data.get("as_of")
        mode = form.cleaned_data.get("mode") or None
    scored = selectors.cluster_evaluation(cluster, as_of=as_of, mode=mode)
    ev = scored.evaluation
    if not form.is_bound:
        form = AsOfForm(initial={"as_of": ev.as_of, "mode": ev.mode})
    return render(
        request,
        "kkk/dashboard.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "ev": ev,
            "failed": [c for c in ev.stage1.criteria if not c.passed],
            "what_if": [w for w in ev.what_if if w.gain > 0],
            "unlocks": [w for w in ev.what_if if w.unlocks],
            "counting": selectors.counting_application(cluster) if grants.office else None,
            "refs": selectors.ref_names(cluster, scored.dataset),
            "history_chart": _stage2_history_chart(selectors.stage2_history(scored)),
            "panels": hooks.panels(cluster, grants),
            "statistics": _statistics_round(cluster) if grants.office else None,
        },
    )


def _statistics_round(cluster):
    """MEM-12 on the KKK dashboard: the open statistics round's progress and who still owes
    figures (the office's view). Three queries; None without an open round."""
    from klaster.members.selectors import open_statistics_round, statistics_round_progress

    current = open_statistics_round(cluster)
    if current is None:
        return None
    progress = statistics_round_progress(current)
    return {"round": current, "progress": progress, "waiting": progress.waiting[:10]}


def _stage2_history_chart(history: list[selectors.YearPoint]) -> str:
    """Stage II over the years (issue 9 point 9), the maximum and the threshold in the table."""
    last = history[-1]
    return charts.line(
        _("Stage II points on the same day of the past years (maximum %(max)s, threshold %(min)s)")
        % {"max": last.maximum, "min": last.threshold},
        [charts.Point(f"{p.as_of:%d.%m.%Y}", p.points) for p in history],
        value_head=_("Points"),
    )


# --- applications (point 3) -------------------------------------------------------------------


@login_required
def kkk_application_list_view(request, slug):
    cluster, grants = access_kkk_office(request.user, slug)
    counting = selectors.counting_application(cluster)
    return render(
        request,
        "kkk/application_list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "applications": selectors.applications_of(cluster),
            "counting": counting,
            "form": ApplicationCreateForm(
                initial={
                    "as_of": selectors.default_as_of(cluster),
                    "mode": cluster.mode,
                    "edition": "2021",
                }
            ),
        },
    )


@login_required
@require_POST
def kkk_application_create_view(request, slug):
    cluster, grants = access_kkk_office(request.user, slug)
    form = ApplicationCreateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label}: {error}" if field in form.fields else str(error),
                )
        return redirect("kkk_application_list", slug=slug)
    application = services.application_create(
        cluster=cluster, user=request.user, **form.cleaned_data
    )
    messages.success(request, _("Draft application created."))
    return redirect("kkk_application_detail", slug=slug, application_id=application.pk)


def _edit_url(
    cluster, application: Application, edit: str, ids: dict[str, list[int]], members: dict[str, int]
) -> str | None:
    slug = cluster.slug
    if not edit or not application.is_draft:
        return None
    if edit == "cluster" or edit == "strategies":
        return reverse("cluster_edit", kwargs={"slug": slug})
    if edit == "coordinator":
        return reverse("kkk_coordinator", kwargs={"slug": slug})
    if edit == "coordinator_member":
        return (
            reverse("member_edit", kwargs={"slug": slug, "member_id": cluster.coordinator_id})
            if cluster.coordinator_id
            else None
        )
    if edit == "application":
        return reverse(
            "kkk_application_edit", kwargs={"slug": slug, "application_id": application.pk}
        )
    if edit == "attachments":
        return (
            reverse(
                "kkk_application_detail", kwargs={"slug": slug, "application_id": application.pk}
            )
            + "#attachments"
        )
    if edit == "members":
        return reverse("member_list", kwargs={"slug": slug})
    kind, _, rest = edit.partition(":")
    if kind == "member":
        pk = members.get(rest)
        return reverse("member_edit", kwargs={"slug": slug, "member_id": pk}) if pk else None
    if kind == "records" and rest in RECORD_KINDS:
        return reverse("kkk_record_list", kwargs={"slug": slug, "kind": rest})
    if kind == "record":
        name, _, index = rest.partition(":")
        pks = ids.get(name, [])
        if index.isdigit() and int(index) < len(pks):
            return reverse(
                "kkk_record_edit", kwargs={"slug": slug, "kind": name, "record_id": pks[int(index)]}
            )
        if name in RECORD_KINDS:
            return reverse("kkk_record_list", kwargs={"slug": slug, "kind": name})
    return None


def _links(cluster, application: Application, edits: list[str]) -> dict[str, str | None]:
    kinds = {e.split(":")[1] for e in edits if e.startswith("record:")}
    keys = {e.split(":", 1)[1] for e in edits if e.startswith("member:")}
    ids = selectors.record_ids(cluster, kinds) if kinds and application.is_draft else {}
    members = selectors.member_ids(cluster, keys) if keys and application.is_draft else {}
    return {e: _edit_url(cluster, application, e, ids, members) for e in set(edits)}


def _decorated_sections(
    cluster, application: Application, content: dict[str, Any]
) -> list[dict[str, Any]]:
    """The sections with each item's edit link (drafts only); the content itself is untouched."""
    edits = [it.get("edit") or "" for _s, it in ka.items(content)]
    links = _links(cluster, application, edits)
    out = []
    for section in content["sections"]:
        out.append(
            {
                **section,
                "items": [
                    {**it, "edit_url": links.get(it.get("edit") or "")} for it in section["items"]
                ],
            }
        )
    return out


@login_required
def kkk_application_detail_view(request, slug, application_id):
    cluster, grants, application = access_application(request.user, slug, application_id)
    content, problems = selectors.application_check(application)
    counting = selectors.counting_application(cluster)
    ev = content.get("evaluation") or {}
    return render(
        request,
        "kkk/application_detail.html",
        {
            "cluster": cluster,
            "grants": grants,
            "application": application,
            "content": content,
            "sections": _decorated_sections(cluster, application, content),
            "problems": problems,
            "counting": counting,
            "stage1": ev.get("stage1") or {},
            "stage2": ev.get("stage2") or {},
            "attachments": application.attachments.all(),
            "attachment_form": AttachmentForm(prefix="a"),
        },
    )


@login_required
def kkk_application_check_view(request, slug, application_id):
    """ "Sprawdź wniosek" (KKK-2): every problem, each naming its field, with links to fix it."""
    cluster, grants, application = access_application(request.user, slug, application_id)
    content, problems = selectors.application_check(application)
    links = _links(cluster, application, [p.edit for p in problems])
    detail = reverse(
        "kkk_application_detail", kwargs={"slug": slug, "application_id": application.pk}
    )
    names = selectors.content_ref_names(cluster, content)
    rows = [
        {
            "problem": p,
            "anchor_url": f"{detail}#{p.anchor}",
            "edit_url": links.get(p.edit),
            # attachments and statements say their number in the message; a record or member is
            # named (issue 9: its name, never its dataset path)
            "show_ref": bool(p.ref and ":" not in p.ref and p.ref in names),
            "ref_name": names.get(p.ref or "", ""),
        }
        for p in problems
    ]
    return render(
        request,
        "kkk/application_check.html",
        {
            "cluster": cluster,
            "grants": grants,
            "application": application,
            "rows": rows,
            "content": content,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kkk_application_edit_view(request, slug, application_id):
    cluster, grants, application = access_application(
        request.user, slug, application_id, for_write=True
    )
    if not application.is_draft:
        messages.error(request, _("A registered application cannot be changed; create a new one."))
        return redirect("kkk_application_detail", slug=slug, application_id=application.pk)
    form = add_version_field(
        ApplicationForm(request.POST or None, initial=ApplicationForm.initial_for(application)),
        application,
        services.APPLICATION_FIELDS,
    )
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        data.pop(VERSION_FIELD, None)

        def save(version: str) -> object:
            return services.application_update(
                application=application, user=request.user, data=data, expected_version=version
            )

        if save_versioned(request, form, save, _("Application saved.")):
            return redirect("kkk_application_detail", slug=slug, application_id=application.pk)
    return render(
        request,
        "kkk/application_form.html",
        {
            "cluster": cluster,
            "grants": grants,
            "application": application,
            "form": form,
        },
    )


@login_required
@require_POST
def kkk_application_register_view(request, slug, application_id):
    cluster, grants, application = access_application(
        request.user, slug, application_id, for_write=True
    )
    try:
        application = services.application_register(application=application, user=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
        return redirect("kkk_application_check", slug=slug, application_id=application.pk)
    # 004 B.11: "Wniosek został zarejestrowany"
    messages.success(
        request,
        _("The application has been registered: number %(number)s.")
        % {"number": application.number},
    )
    return redirect("kkk_application_detail", slug=slug, application_id=application.pk)


@login_required
def kkk_application_pdf_view(request, slug, application_id):
    cluster, grants, application = access_application(request.user, slug, application_id)
    pdf = exports.application_pdf(application, selectors.application_content(application))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(application, "pdf")}"'
    )
    return response


@login_required
def kkk_application_xlsx_view(request, slug, application_id):
    cluster, grants, application = access_application(request.user, slug, application_id)
    data = exports.application_xlsx(application, selectors.application_content(application))
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(application, "xlsx")}"'
    )
    return response


@login_required
def kkk_application_letter_view(request, slug, application_id):
    """004 B.16: the letter confirming registration, as PDF (registered applications only)."""
    cluster, grants, application = access_application(request.user, slug, application_id)
    if application.is_draft:
        raise Http404
    response = HttpResponse(exports.letter_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(application, "pismo.pdf")}"'
    )
    return response


@login_required
@require_POST
def kkk_attachment_add_view(request, slug, application_id):
    cluster, grants, application = access_application(
        request.user, slug, application_id, for_write=True
    )
    form = AttachmentForm(request.POST, request.FILES, prefix="a")
    if form.is_valid():
        try:
            services.application_attachment_add(
                application=application,
                user=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("Attachment added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label}: {error}" if field in form.fields else str(error),
                )
    url = reverse("kkk_application_detail", kwargs={"slug": slug, "application_id": application.pk})
    return redirect(f"{url}#attachments")


@login_required
@require_POST
def kkk_attachment_remove_view(request, slug, attachment_id):
    cluster, grants, attachment = access_attachment(
        request.user, slug, attachment_id, for_write=True
    )
    application_id = attachment.application_id
    try:
        services.application_attachment_remove(attachment=attachment, user=request.user)
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("Attachment removed."))
    url = reverse("kkk_application_detail", kwargs={"slug": slug, "application_id": application_id})
    return redirect(f"{url}#attachments")


@login_required
def kkk_attachment_download_view(request, slug, attachment_id):
    cluster, grants, attachment = access_attachment(request.user, slug, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type="application/pdf"
    )


# --- records behind sections 9–34 ------------------------------------------------------------


@login_required
def kkk_record_index_view(request, slug):
    cluster, grants = access_kkk_office(request.user, slug)
    from django.db.models import Count

    counts = {}
    for key, spec in RECORD_KINDS.items():
        counts[key] = spec.queryset(cluster).aggregate(n=Count("id"))["n"]
    kinds = [{"key": key, "spec": spec, "count": counts[key]} for key, spec in RECORD_KINDS.items()]
    return render(
        request, "kkk/record_index.html", {"cluster": cluster, "grants": grants, "kinds": kinds}
    )


@login_required
def kkk_record_list_view(request, slug, kind):
    cluster, grants, spec = access_record_kind(request.user, slug, kind)
    rows = spec.queryset(cluster).select_related(*spec.member_fks)
    columns = [(name, spec.label(name)) for name in spec.list_fields]
    choices = {name: dict(c) for name, c in spec.choices.items()}
    table = []
    for index, record in enumerate(rows):
        cells = []
        for name, _label in columns:
            value = getattr(record, name)
            if name in choices:
                value = choices[name].get(value, value)
            cells.append(value)
        table.append({"record": record, "ref": f"{kind}[{index}]", "cells": cells})
    return render(
        request,
        "kkk/record_list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "spec": spec,
            "kind": kind,
            "columns": columns,
            "table": table,
            "full": spec.max_count is not None and len(table) >= spec.max_count,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kkk_record_add_view(request, slug, kind):
    cluster, grants, spec = access_record_kind(request.user, slug, kind)
    form = record_form_class(spec, cluster)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_record_create(
                cluster=cluster, kind=kind, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Record added."))
            return redirect("kkk_record_list", slug=slug, kind=kind)
    return render(
        request,
        "kkk/record_form.html",
        {
            "cluster": cluster,
            "grants": grants,
            "spec": spec,
            "kind": kind,
            "form": form,
            "record": None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kkk_record_edit_view(request, slug, kind, record_id):
    cluster, grants, spec, record = access_activity_record(
        request.user, slug, kind, record_id, for_write=True
    )
    form = add_version_field(
        record_form_class(spec, cluster)(request.POST or None, instance=record),
        lambda: services.activity_record_tracked(record, kind),
    )
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name != VERSION_FIELD
        }

        def save(version: str) -> object:
            return services.activity_record_update(
                record=record, kind=kind, user=request.user, data=data, expected_version=version
            )

        if save_versioned(request, form, save, _("Changes saved.")):
            return redirect("kkk_record_list", slug=slug, kind=kind)
    return render(
        request,
        "kkk/record_form.html",
        {
            "cluster": cluster,
            "grants": grants,
            "spec": spec,
            "kind": kind,
            "form": form,
            "record": record,
        },
    )


@login_required
@require_POST
def kkk_record_remove_view(request, slug, kind, record_id):
    cluster, grants, spec, record = access_activity_record(
        request.user, slug, kind, record_id, for_write=True
    )
    services.activity_record_remove(record=record, kind=kind, user=request.user)
    messages.success(request, _("Record removed."))
    return redirect("kkk_record_list", slug=slug, kind=kind)


@login_required
@require_http_methods(["GET", "POST"])
def kkk_coordinator_view(request, slug):
    cluster, grants = access_kkk_office(request.user, slug)
    initial = {name: getattr(cluster, name) for name in services.COORDINATOR_FIELDS}
    form = add_version_field(
        CoordinatorForm(request.POST or None, initial=initial), cluster, services.COORDINATOR_FIELDS
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop(VERSION_FIELD)

        def save(version: str) -> object:
            return services.coordinator_facts_update(
                cluster=cluster, user=request.user, data=data, expected_version=version
            )

        if save_versioned(request, form, save, _("Changes saved.")):
            return redirect("kkk_coordinator", slug=slug)
    return render(
        request, "kkk/coordinator_form.html", {"cluster": cluster, "grants": grants, "form": form}
    )


# --- experts and panel (point 5) --------------------------------------------------------------


def _scoring_basis(cluster, request) -> tuple[dt.date | None, str | None, str, Application | None]:
    """The experts score the application that counts (the last registered); without one, the
    cluster as of its D. `?as_of=` overrides the date."""
    return scoring_basis(cluster, request.GET)


def _expert_initial(cluster) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for n, expert in enumerate(
        ExpertScore.objects.filter(cluster=cluster).order_by("position", "id")[:2], start=1
    ):
        initial[f"e{n}_name"] = expert.name
        for number, points in expert.scores:
            initial[f"e{n}_{number}"] = points
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def kkk_experts_view(request, slug):
    """KKK-S2-EXP, KKK-S3, KKK-TOTAL: experts' and panel's scores beside the product's proposal."""
    cluster, grants = access_kkk_office(request.user, slug)
    ev, counting, indicators = expert_indicators(cluster, request.GET)
    maxima = {number: maximum for number, _t, maximum in indicators}
    form = add_version_field(
        ExpertScoresForm(
            request.POST or None, indicators=indicators, initial=_expert_initial(cluster)
        ),
        lambda: services.expert_scores_tracked(cluster),
    )
    if request.method == "POST" and form.is_valid():

        def save(version: str) -> object:
            return services.expert_scores_set(
                cluster=cluster,
                user=request.user,
                experts=form.experts(),
                maxima=maxima,
                expected_version=version,
            )

        if save_versioned(request, form, save, _("Expert scores saved.")):
            return redirect(request.get_full_path())
    areas = panel_areas(ev.edition)
    panel = PanelScore.objects.filter(cluster=cluster).first()
    panel_form = add_version_field(
        PanelForm(
            areas=areas,
            prefix="p",
            initial={k: getattr(panel, k) for k, _t, _m in areas} if panel else {},
        ),
        services.panel_tracked(cluster, panel),
    )
    given = [
        dict((str(k), int(v)) for k, v in e.scores)
        for e in ExpertScore.objects.filter(cluster=cluster).order_by("position", "id")[:2]
    ]
    given += [{}] * (2 - len(given))
    rows = []
    for ind in ev.stage2.indicators:
        mean = ind.expert_mean
        e1, e2 = given[0].get(ind.number), given[1].get(ind.number)
        rows.append(
            {
                "ind": ind,
                "e1": form[f"e1_{ind.number}"],
                "e2": form[f"e2_{ind.number}"],
                "e1_differs": e1 is not None and e1 != ind.points,
                "e2_differs": e2 is not None and e2 != ind.points,
                "mean": None if mean is None else fraction_text(mean),
                "diff": None
                if mean is None or mean == ind.points
                else fraction_text(mean - ind.points, signed=True),
                "disagree": e1 is not None and e2 is not None and e1 != e2,
            }
        )
    return render(
        request,
        "kkk/experts.html",
        {
            "cluster": cluster,
            "grants": grants,
            "ev": ev,
            "form": form,
            "panel_form": panel_form,
            "rows": rows,
            "counting": counting,
            "result": selectors.assessed_application(counting, ev),
            "exact": None
            if ev.stage2.experts_exact is None
            else fraction_text(ev.stage2.experts_exact),
            "differences": sum(
                1 for r in rows if r["diff"] is not None or r["e1_differs"] or r["e2_differs"]
            ),
        },
    )


@login_required
@require_POST
def kkk_panel_view(request, slug):
    cluster, grants = access_kkk_office(request.user, slug)
    _as_of, _mode, edition, _counting = _scoring_basis(cluster, request)
    areas = panel_areas(edition)
    form = add_version_field(
        PanelForm(request.POST, areas=areas, prefix="p"), lambda: services.panel_tracked(cluster)
    )
    try:
        if not form.is_valid():
            raise ValidationError(
                [
                    f"{form.fields[f].label}: {e}" if form.fields[f].label else str(e)
                    for f, errs in form.errors.items()
                    for e in errs
                ]
            )
        services.panel_score_set(
            cluster=cluster,
            user=request.user,
            scores=form.scores(),
            maxima={k: m for k, _t, m in areas},
            expected_version=posted_version(form),
        )
    except ValidationError as exc:
        _messages_from(request, exc)
    else:
        messages.success(request, _("Panel scores saved."))
    return redirect("kkk_experts", slug=slug)
