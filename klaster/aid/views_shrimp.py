"""SHRIMP reporting of the cluster's own grants (AID-8): the list of what is due and overdue,
the data sheet of one grant in SHRIMP's form's order, the "reported" form and the XLSX of the
grants still to report. SHRIMP has no import: the office types each grant into SHRIMP's form.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from klaster.aid import forms_shrimp as forms
from klaster.aid import selectors_shrimp as selectors
from klaster.aid.access import access_aid
from klaster.aid.models import AidSettings, Application, Contract, Grant
from klaster.core.access import get_in_cluster
from klaster.core.audit import audit_record
from klaster.core.exports import workbook_bytes
from klaster.core.feedback import form_messages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> dt.date:
    return timezone.localdate()


def needs_access_reminder(cluster) -> bool:
    """The SHRIMP-access reminder: a chosen application or a contract exists and no access date."""
    if AidSettings.objects.filter(cluster=cluster, shrimp_access_since__isnull=False).exists():
        return False
    return (
        Contract.objects.filter(cluster=cluster).exists()
        or Application.objects.filter(cluster=cluster, status=Application.Status.CHOSEN).exists()
    )


@login_required
def aid_shrimp_view(request, slug):
    """AID-8: own grants to report (overdue first), then those reported."""
    cluster, grants = access_aid(request.user, slug)
    today = _today()
    rows = selectors.rows(cluster, today)
    return render(
        request,
        "aid/shrimp/list.html",
        {
            "cluster": cluster,
            "grants": grants,
            "today": today,
            "open": [r for r in rows if r.state != selectors.REPORTED],
            "reported": [r for r in rows if r.state == selectors.REPORTED],
            "reminder": needs_access_reminder(cluster),
        },
    )


@login_required
def aid_shrimp_export_view(request, slug):
    """AID-8: the grants still to report as XLSX, one row per grant in SHRIMP's order."""
    cluster, grants = access_aid(request.user, slug)
    today = _today()
    wb = Workbook()
    ws = wb.active
    ws.title = _("To report")
    rows = selectors.unreported(cluster, today)
    header_done = False
    for r in rows:
        fields = selectors.sheet(r.grant)
        if not header_done:
            ws.append([_("Report by"), *[f"{sec}: {name}" for sec, name, _v in fields]])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            header_done = True
        ws.append([r.deadline, *[v for _s, _n, v in fields]])
        ws.cell(row=ws.max_row, column=1).number_format = "yyyy-mm-dd"
    if not header_done:
        ws.append([_("Nothing to report.")])
    response = HttpResponse(workbook_bytes(wb), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="shrimp-{cluster.slug}-{today}.xlsx"'
    return response


def _grant(request, slug, grant_id, *, for_write: bool = False):
    cluster, grants = access_aid(request.user, slug, for_write=for_write)
    grant = get_in_cluster(
        Grant.objects.select_related("undertaking", "supersedes", "cluster"),
        cluster,
        pk=grant_id,
        source=Grant.Source.CONTRACT,
    )
    return cluster, grants, grant


@login_required
def aid_shrimp_sheet_view(request, slug, grant_id):
    """AID-8: one grant's data sheet in SHRIMP's form's order and the "reported" form."""
    cluster, grants, grant = _grant(request, slug, grant_id)
    today = _today()
    return render(
        request,
        "aid/shrimp/sheet.html",
        {
            "cluster": cluster,
            "grants": grants,
            "grant": grant,
            "fields": selectors.sheet(grant),
            "deadline": selectors.deadline(grant.granted_on),
            "state": selectors.state(grant, today),
            "form": forms.ReportedForm(initial={"reported_on": today}),
        },
    )


@login_required
@require_POST
def aid_shrimp_reported_view(request, slug, grant_id):
    """AID-8: the grant was reported to SHRIMP on a day with a reference. Only these two fields
    of a grant are ever set after it (they are not part of what counts); a day before the grant
    or in the future is refused, and so is reporting a grant twice."""
    cluster, grants, grant = _grant(request, slug, grant_id, for_write=True)
    today = _today()
    form = forms.ReportedForm(request.POST)
    if not form.is_valid():
        form_messages(request, form)
        return redirect("aid_shrimp_sheet", slug=slug, grant_id=grant.pk)
    day = form.cleaned_data["reported_on"]
    ref = form.cleaned_data["reported_ref"].strip()
    if grant.reported_on is not None:
        messages.error(request, _("This grant has already been reported to SHRIMP."))
    elif day < grant.granted_on:
        messages.error(
            request, _("Reported to SHRIMP on: the day cannot be before the day of grant.")
        )
    elif day > today:
        messages.error(request, _("Reported to SHRIMP on: the day cannot be in the future."))
    else:
        with transaction.atomic():
            done = Grant.objects.filter(pk=grant.pk, reported_on__isnull=True).update(
                reported_on=day, reported_ref=ref
            )
            if done:
                audit_record(
                    cluster=cluster,
                    user=request.user,
                    action="update",
                    instance=grant,
                    object_repr=str(grant),
                    changes={"reported_on": [None, str(day)], "reported_ref": [None, ref]},
                )
        if done:
            messages.success(request, _("The grant is marked as reported to SHRIMP."))
        else:
            messages.error(request, _("This grant has already been reported to SHRIMP."))
    return redirect("aid_shrimp_sheet", slug=slug, grant_id=grant.pk)


@login_required
@require_http_methods(["GET", "POST"])
def aid_settings_view(request, slug):
    """AID-6, AID-8: the granting body's data, legal basis, signatory and SHRIMP access date; a
    form shown before another change is refused with what changed."""
    from klaster.core.concurrency import (
        StaleEdit,
        add_version_field,
        ensure_fresh,
        posted_version,
        show_stale,
    )

    cluster, grants = access_aid(request.user, slug, for_write=request.method == "POST")
    row = AidSettings.objects.filter(cluster=cluster).first()

    def versioned(form):
        return form if row is None else add_version_field(form, row, forms.SETTINGS_FIELDS)

    form = versioned(forms.AidSettingsForm(instance=row))
    if request.method == "POST":
        form = versioned(
            forms.AidSettingsForm(request.POST, instance=row or AidSettings(cluster=cluster))
        )
        if not form.is_valid():
            form_messages(request, form)
        else:
            try:
                with transaction.atomic():
                    if row is not None:
                        locked = AidSettings.objects.select_for_update().get(pk=row.pk)
                        ensure_fresh(locked, forms.SETTINGS_FIELDS, posted_version(form))
                        before = {f: getattr(locked, f) for f in forms.SETTINGS_FIELDS}
                    else:
                        before = {f: None for f in forms.SETTINGS_FIELDS}
                    saved = form.save()
                    changes = {
                        f: [
                            str(before[f]) if before[f] is not None else None,
                            str(getattr(saved, f)),
                        ]
                        for f in forms.SETTINGS_FIELDS
                        if before[f] != getattr(saved, f)
                    }
                    audit_record(
                        cluster=cluster,
                        user=request.user,
                        action="update" if row is not None else "create",
                        instance=saved,
                        object_repr=saved.grantor_name,
                        changes=changes,
                    )
            except StaleEdit as exc:
                show_stale(form, exc)
            else:
                messages.success(request, _("The de minimis settings were saved."))
                return redirect("aid_settings", slug=slug)
    return render(
        request,
        "aid/shrimp/settings.html",
        {"cluster": cluster, "grants": grants, "form": form},
    )
