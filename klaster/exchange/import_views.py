"""Import of a member list from XLSX/CSV (issue 2 point 6): upload → preview → confirm.

Office only (``access_registry(..., for_write=True)``): other roles get 403, users of other
clusters 404. The preview writes nothing. The parsed plan is kept in the user's session
(JSON, under a random token, with the file's SHA-256); the confirm form carries the plan's
digest, so a preview replaced in another tab is never applied blindly, and the service
re-matches the plan inside its transaction, so a register changed meanwhile is reported
with a fresh preview instead of being overwritten.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from klaster.core import uploads
from klaster.exchange.forms import ImportUploadForm
from klaster.exchange.import_services import PlanOutdated, member_import_apply
from klaster.exchange.spreadsheet import (
    FIELD_LABELS_PL,
    FIELDS,
    HEADER_ALIASES,
    MAX_ROWS,
    ImportPlan,
    SpreadsheetError,
    display_value,
    plan_import,
)
from klaster.members.access import access_registry

SESSION_KEY = "member_imports"
KEEP_PLANS = 3  # a few previews side by side (tabs); older ones are dropped

FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "nip": "NIP",
    "regon": "REGON",
    "krs": "KRS",
    "type": gettext_lazy("Type"),
    "category": gettext_lazy("Category"),
    "science_category": gettext_lazy("Scientific category"),
    "street": gettext_lazy("Street"),
    "postal_code": gettext_lazy("Postal code"),
    "city": gettext_lazy("City"),
    "joined": gettext_lazy("Joining date"),
    "email": gettext_lazy("Notification e-mail"),
    "website": gettext_lazy("Website"),
}


def _store(request, plan: ImportPlan, token: str | None = None) -> str:
    token = token or secrets.token_urlsafe(16)
    plans = dict(request.session.get(SESSION_KEY, {}))
    plans.pop(token, None)
    plans[token] = plan.to_dict()
    while len(plans) > KEEP_PLANS:
        plans.pop(next(iter(plans)))
    request.session[SESSION_KEY] = plans
    return token


def _load(request, cluster, token: str) -> ImportPlan | None:
    data = request.session.get(SESSION_KEY, {}).get(token)
    if not data or data.get("cluster_id") != cluster.pk:
        return None
    try:
        return ImportPlan.from_dict(data)
    except (TypeError, KeyError):  # a plan stored by an older version of this code
        return None


def _drop(request, token: str) -> None:
    plans = dict(request.session.get(SESSION_KEY, {}))
    if plans.pop(token, None) is not None:
        request.session[SESSION_KEY] = plans


@login_required
@require_http_methods(["GET", "POST"])
def member_import_view(request, slug):
    cluster, grants = access_registry(request.user, slug, for_write=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    max_bytes = uploads.limit("member_import")
    if (
        request.method == "POST" and form.is_valid()
    ):  # the form refuses a file over the limit unread
        upload = form.cleaned_data["file"]
        try:
            plan = plan_import(
                cluster=cluster, data=upload.read(), filename=upload.name, max_bytes=max_bytes
            )
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            token = _store(request, plan)
            if request.POST.get("apply"):
                # the upload and its confirmation in one call (the API's way, where no one
                # reads the preview): the same writes and refusals as the preview's button
                return _apply(request, slug, cluster, plan, token)
            return redirect("member_import_preview", slug=slug, token=token)
    columns = [(FIELD_LABELS_PL[f], FIELD_LABELS[f], ", ".join(HEADER_ALIASES[f])) for f in FIELDS]
    return render(
        request,
        "exchange/import_upload.html",
        {
            "cluster": cluster,
            "grants": grants,
            "form": form,
            "columns": columns,
            "max_rows": MAX_ROWS,
            "max_mb": uploads.megabytes(max_bytes),
        },
    )


def _rows_for_display(plan: ImportPlan) -> dict[str, list]:
    out: dict[str, list] = {"new": [], "changed": [], "unchanged": [], "error": []}
    for row in plan.rows:
        item = {
            "number": row.number,
            "name": row.name,
            "member_id": row.member_id,
            "errors": row.errors,
            "warnings": row.warnings,
        }
        if row.action == "new":
            item["fields"] = [
                (FIELD_LABELS[f], display_value(f, row.values[f]))
                for f in FIELDS
                if f in row.values and f != "name"
            ]
        elif row.action == "changed":
            item["fields"] = [
                (FIELD_LABELS[f], display_value(f, old), display_value(f, new))
                for f, (old, new) in row.changes.items()
            ]
        out[row.action].append(item)
    return out


@login_required
def member_import_preview_view(request, slug, token):
    cluster, grants = access_registry(request.user, slug, for_write=True)
    plan = _load(request, cluster, token)
    if plan is None:
        messages.warning(
            request, _("This import preview is no longer available; upload the file again.")
        )
        return redirect("member_import", slug=slug)
    rows = _rows_for_display(plan)
    return render(
        request,
        "exchange/import_preview.html",
        {
            "cluster": cluster,
            "grants": grants,
            "plan": plan,
            "token": token,
            "digest": plan.digest(),
            "counts": plan.counts(),
            "rows": rows,
            "delimiter": "TAB" if plan.delimiter == "\t" else plan.delimiter,
            "warnings": [w for r in plan.rows for w in r.warnings],
            "columns": [(header, FIELD_LABELS[f]) for f, header in plan.headers.items()],
        },
    )


@login_required
@require_POST
def member_import_confirm_view(request, slug, token):
    cluster, grants = access_registry(request.user, slug, for_write=True)
    plan = _load(request, cluster, token)
    if plan is None:
        messages.warning(
            request, _("This import preview is no longer available; upload the file again.")
        )
        return redirect("member_import", slug=slug)
    if request.POST.get("digest") != plan.digest():
        messages.error(
            request,
            _(
                "The preview was replaced meanwhile (another window?). Check it and confirm "
                "again; nothing was saved."
            ),
        )
        return redirect("member_import_preview", slug=slug, token=token)
    return _apply(request, slug, cluster, plan, token)


def _apply(request, slug, cluster, plan: ImportPlan, token: str):
    """Write a previewed plan (all or nothing) and say what happened; back to the preview when
    it was refused."""
    try:
        result = member_import_apply(cluster=cluster, user=request.user, plan=plan)
    except PlanOutdated as exc:
        _store(request, exc.plan, token)
        messages.warning(
            request,
            _(
                "The member register changed after the preview. Nothing was saved; "
                "here is the preview against the register as it is now — check it and "
                "confirm again."
            ),
        )
        return redirect("member_import_preview", slug=slug, token=token)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("member_import_preview", slug=slug, token=token)
    _drop(request, token)
    messages.success(
        request,
        _("Import done: %(new)s added, %(changed)s changed, %(unchanged)s unchanged.")
        % {
            "new": len(result.created),
            "changed": len(result.updated),
            "unchanged": result.unchanged,
        },
    )
    return redirect("member_list", slug=slug)
