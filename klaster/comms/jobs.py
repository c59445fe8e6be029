"""Communications' periodic work (run by `klaster worker`, klaster.core.jobs): the monthly
newsletter reminder (PLT-2)."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from klaster.comms.selectors import cadence
from klaster.core.jobs import daily, once
from klaster.core.models import Cluster, OutboxMessage
from klaster.core.outbox import office_addresses, outbox_enqueue
from klaster.core.say import say

NEWSLETTER_REMINDER = "newsletter-reminder"
#: the office is reminded this many days before the month's end, and on its last day
REMIND_DAYS_LEFT = (5, 1)


def _remind(cluster: Cluster, words: str) -> str:
    to = office_addresses(cluster)
    if not to:
        return "brak adresu biura: nic nie wysłano"
    message = EmailMessage(
        f"Newsletter klastra {cluster.name}: przypomnienie",
        f"{words}\n\nWiadomość wysłana automatycznie przez Klaster.\n",
        settings.DEFAULT_FROM_EMAIL,
        to,
    )
    outbox_enqueue(cluster=cluster, messages=[message], kind=OutboxMessage.Kind.REMINDER)
    return f"przypomnienie do {len(to)} adr."


@daily(NEWSLETTER_REMINDER)
def newsletter_reminder(today: dt.date) -> dict[str, str]:
    """PLT-2: a cluster with no newsletter yet this month has its office reminded five days before
    the month's end and on its last day (once each: a retried job sends nothing twice)."""
    out: dict[str, str] = {}
    with translation.override("pl"):
        for cluster in Cluster.objects.order_by("slug"):
            state = cadence(cluster, today)
            if not state.warn or state.days_left not in REMIND_DAYS_LEFT:
                continue
            step = functools.partial(_remind, cluster, say(state.message))
            out[cluster.slug] = (
                once(NEWSLETTER_REMINDER, today, cluster, step) or "wysłane wcześniej"
            )
    return out
