"""The demo mailbox's pages (klaster.core.mailbox): the office reads the mail its cluster sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from klaster.core import mailbox
from klaster.core.access import access_cluster


@login_required
def mailbox_view(request, slug):
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    return render(
        request,
        "core/mailbox.html",
        {
            "cluster": cluster,
            "grants": grants,
            "messages_caught": mailbox.messages_for(cluster.slug),
            "catcher_on": settings.DEMO_MAILBOX,
            "smtp": f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
        },
    )


@login_required
def mailbox_message_view(request, slug, message_id):
    cluster, grants = access_cluster(request.user, slug, for_write=True)  # office only
    stored = mailbox.message_for(cluster.slug, message_id)
    if stored is None:
        raise Http404
    return render(
        request,
        "core/mailbox_message.html",
        {"cluster": cluster, "grants": grants, "m": stored},
    )
