"""The money app's periodic work (klaster.core.jobs), run by `klaster worker`."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from klaster.core.jobs import daily

log = logging.getLogger("klaster.worker")


@daily("ksef-outbox")
def ksef_outbox(today: dt.date) -> dict[str, dict[str, int]] | str:
    """FIN-2 (issue 10 point 3): the invoices waiting for KSeF, and the offline ones within their
    offline24 window, sent with the configured KSeF (settings.KLASTER_KSEF) in every cluster
    whose coordinator's NIP is the one configured. Without a configuration it sends nothing and
    says so. Returns {cluster slug: {state: documents}}."""
    from klaster.core.models import Cluster
    from klaster.money import outbox
    from klaster.money.models import Document

    config = outbox.ksef_settings()
    if config is None:
        log.info("ksef-outbox: KSeF is not configured (KLASTER_KSEF): nothing sent")
        return "KSeF not configured: nothing sent"
    clusters = Cluster.objects.filter(
        coordinator__nip=config["nip"],
        money_documents__ksef_state__in=(Document.Ksef.WAITING, Document.Ksef.OFFLINE),
    ).distinct()
    result: dict[str, dict[str, int]] = {}
    for cluster in clusters.order_by("slug"):
        gateway = outbox.configured_gateway(cluster)
        if gateway is None:
            continue
        report = outbox.send_waiting(cluster, gateway, timezone.now())
        counts: dict[str, int] = {}
        for outcome in report.outcomes:
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
        result[cluster.slug] = counts
    return result
