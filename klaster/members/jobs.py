"""The members' periodic work (klaster.core.jobs), run by `klaster worker`."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from klaster.core.jobs import daily
from klaster.core.models import Cluster
from klaster.members.services import statuses_bring_up_to_date


@daily("member-statuses")
def member_statuses(today: dt.date) -> dict[str, int]:
    """MEM-6: membership events dated up to today take effect on members' cached status (a
    resignation effective at the year's end, a suspension from the 1st), in every cluster not
    yet brought up to date today. Returns {cluster slug: members changed}."""
    behind = Cluster.objects.exclude(statuses_as_of__gte=today).order_by("slug")
    return {cluster.slug: statuses_bring_up_to_date(cluster, today) for cluster in behind}


STATISTICS_REMINDERS = "statistics-reminders"
#: reminders go out this many days before the deadline …
REMIND_BEFORE = (14, 7, 1)
#: … and every this many days after it, while the round is open
REMIND_EVERY_AFTER = 7


def _round_reminder_due(deadline: dt.date, today: dt.date) -> bool:
    left = (deadline - today).days
    return left in REMIND_BEFORE or (left < 0 and -left % REMIND_EVERY_AFTER == 0)


def _remind_round(round_: Any) -> str:
    """One message per member still missing figures, to its notification addresses."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    from klaster.core.models import OutboxMessage
    from klaster.core.outbox import outbox_enqueue
    from klaster.members.models import NotificationEmail
    from klaster.members.selectors import round_field_labels, statistics_round_progress

    waiting = statistics_round_progress(round_).waiting
    labels = round_field_labels()
    addresses: dict[int, list[str]] = {}
    for member_id, email in NotificationEmail.objects.filter(
        member_id__in=[r.member_id for r in waiting]
    ).values_list("member_id", "email"):
        addresses.setdefault(member_id, []).append(email)
    messages = []
    for row in waiting:
        to = addresses.get(row.member_id)
        if not to:
            continue
        body = (
            f"Biuro klastra {round_.cluster.name} prosi o dane statystyczne za rok {round_.year} "
            f"do {round_.deadline:%d.%m.%Y} (monitoring Krajowego Klastra Kluczowego).\n\n"
            f"{row.name}: brakuje — {', '.join(labels[f] for f in row.missing)}.\n\n"
            "Dane wpisuje się na stronie członka w portalu klastra (Dane roczne).\n"
        )
        messages.append(
            EmailMessage(
                f"Dane statystyczne za {round_.year}: przypomnienie",
                body,
                settings.DEFAULT_FROM_EMAIL,
                to,
            )
        )
    if messages:
        outbox_enqueue(
            cluster=round_.cluster,
            messages=messages,
            kind=OutboxMessage.Kind.REMINDER,
            source=f"statistics:{round_.pk}",
        )
    return f"przypomnienia: {len(messages)}"


@daily(STATISTICS_REMINDERS)
def statistics_reminders(today: dt.date) -> dict[str, str]:
    """MEM-12: an open statistics round reminds the members still missing figures 14, 7 and 1
    days before its deadline and every week after it — once a day at most (a retried job sends
    nothing twice). Returns {cluster slug: what was sent}."""
    from klaster.core.jobs import once
    from klaster.members.models import StatisticsRound

    out: dict[str, str] = {}
    rounds = StatisticsRound.objects.filter(closed_at__isnull=True).select_related("cluster")
    for round_ in rounds.order_by("cluster__slug"):
        if not _round_reminder_due(round_.deadline, today):
            continue
        step = functools.partial(_remind_round, round_)
        out[round_.cluster.slug] = (
            once(STATISTICS_REMINDERS, today, round_.cluster, step) or "wysłane wcześniej"
        )
    return out
