"""The KSeF outbox page (FIN-2, issue 10 point 3): the office sees which invoices wait for KSeF,
which were issued offline and until when they are tried again, which failed and why (in the
reader's language), which KSeF accepted with their KSeF numbers — and may send now."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from klaster.core.say import say
from klaster.money import access, outbox
from klaster.money.models import Document, KsefAttempt
from klaster.rules.message import Msg

W = Document.Ksef
SENT_SHOWN = 100
# a send from the page must not keep the office waiting long for an unreachable KSeF
PAGE_TIMEOUT_SECONDS = 10.0


def _last_attempts(documents: list[Document]) -> dict[int, KsefAttempt]:
    last: dict[int, KsefAttempt] = {}
    for attempt in KsefAttempt.objects.filter(document__in=documents).order_by("at", "id"):
        last[attempt.document_id] = attempt
    return last


@login_required
def money_ksef_view(request, slug):
    cluster, grants = access.access_books(request.user, slug)
    base = Document.objects.filter(cluster=cluster).select_related("member")
    order = ("issued", "series", "seq")
    waiting = list(base.filter(ksef_state=W.WAITING).order_by(*order))
    offline = list(base.filter(ksef_state=W.OFFLINE).order_by(*order))
    failed = list(base.filter(ksef_state=W.FAILED).order_by(*order))
    sent_all = base.filter(ksef_state=W.SENT)
    sent = list(sent_all.order_by("-issued", "-series", "-seq")[:SENT_SHOWN])
    last = _last_attempts(offline + failed)

    def reasons(d: Document) -> list[str]:
        attempt = last.get(d.pk)
        return [say(m) for m in outbox.attempt_messages(attempt)] if attempt else []

    problem = outbox.gateway_problem(cluster)
    return render(
        request,
        "money/ksef.html",
        {
            "cluster": cluster,
            "grants": grants,
            "waiting": waiting,
            "offline": [(d, outbox.last_retry_day(d), reasons(d)) for d in offline],
            "failed": [(d, reasons(d)) for d in failed],
            "sent": sent,
            "sent_count": sent_all.count(),
            "problem": say(problem) if problem is not None else "",
        },
    )


@login_required
@require_POST
def money_ksef_send_view(request, slug):
    cluster, grants = access.access_books(request.user, slug, for_write=True)
    report = outbox.send_configured(
        cluster, timezone.now(), user=request.user, timeout_seconds=PAGE_TIMEOUT_SECONDS
    )
    if isinstance(report, Msg):
        messages.error(request, say(report))
        return redirect("money_ksef", slug=slug)
    if not report.outcomes:
        messages.info(request, _("No invoice was waiting for KSeF."))
        return redirect("money_ksef", slug=slug)
    sent, offline, failed = (report.count(s) for s in (W.SENT, W.OFFLINE, W.FAILED))
    if sent:
        messages.success(
            request,
            ngettext(
                "%(n)s invoice was accepted by KSeF.",
                "%(n)s invoices were accepted by KSeF.",
                sent,
            )
            % {"n": sent},
        )
    if offline:
        messages.warning(
            request,
            ngettext(
                "%(n)s invoice could not reach KSeF and will be tried again.",
                "%(n)s invoices could not reach KSeF and will be tried again.",
                offline,
            )
            % {"n": offline},
        )
    if failed:
        messages.error(
            request,
            ngettext(
                "%(n)s invoice was not accepted: see the reasons below.",
                "%(n)s invoices were not accepted: see the reasons below.",
                failed,
            )
            % {"n": failed},
        )
    return redirect("money_ksef", slug=slug)
