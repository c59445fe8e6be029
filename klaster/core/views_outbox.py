"""The outbox's pages (PLT-2): the office reads every message the product queued for its cluster,
what became of it (sent, to be retried, bounced, not sent) and sends again one that failed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klaster.core import outbox
from klaster.core.access import access_cluster
from klaster.core.models import OutboxMessage

PAGE = 50


@login_required
def outbox_view(request, slug):
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    rows = OutboxMessage.objects.filter(cluster=cluster).defer("raw")
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    if state in OutboxMessage.State.values:
        rows = rows.filter(state=state)
    if kind in OutboxMessage.Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("state", state), ("kind", kind)) if v})
    return render(
        request,
        "core/outbox.html",
        {
            "cluster": cluster,
            "grants": grants,
            "page": page,
            "query": query,
            "state": state,
            "kind": kind,
            "states": OutboxMessage.State.choices,
            "kinds": OutboxMessage.Kind.choices,
        },
    )


@login_required
def outbox_message_view(request, slug, message_id):
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    row = get_object_or_404(OutboxMessage, cluster=cluster, pk=message_id)
    return render(
        request,
        "core/outbox_message.html",
        {
            "cluster": cluster,
            "grants": grants,
            "m": row,
            "body": outbox.body_text(row),
            "files": outbox.attachments(row),
        },
    )


@login_required
@require_POST
def outbox_resend_view(request, slug, message_id):
    cluster, _grants = access_cluster(request.user, slug, for_write=True)
    row = get_object_or_404(OutboxMessage, cluster=cluster, pk=message_id)
    try:
        copy = outbox.outbox_resend(message=row, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("outbox_message", cluster.slug, row.pk)
    messages.success(request, _("The message is queued to be sent again."))
    return redirect("outbox_message", cluster.slug, copy.pk)
