"""Reads of communications (PLT-2): who a message reaches, the newsletters a member reads in the
portal, and where the cluster stands with its monthly newsletter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from klaster.comms.models import Newsletter, PortalReading, Unsubscribed
from klaster.core.models import Cluster
from klaster.members.models import Member, NotificationEmail, Status
from klaster.rules.newsletter import Cadence, newsletter_cadence

#: members a newsletter or an invitation reaches: members, suspended ones included
REACHED = (Status.ACTIVE, Status.SUSPENDED)


@dataclass(frozen=True)
class Recipients:
    #: notification addresses, one per message, each once
    emails: list[str]
    #: members reached, by id, with their addresses (for messages that name the member)
    by_member: dict[int, list[str]]
    #: members left out because they read in the portal
    portal_members: int


def recipients(
    cluster: Cluster, *, newsletter: bool = False, statutory: bool = False
) -> Recipients:
    """Every current member's notification addresses (MEM-7). A newsletter leaves out the
    addresses that left it; anything not statutory leaves out the members reading in the portal
    (001 Kom. 3). Two queries."""
    portal = set(
        PortalReading.objects.filter(member__cluster=cluster).values_list("member_id", flat=True)
    )
    gone: set[str] = set()
    if newsletter:
        gone = set(Unsubscribed.objects.filter(cluster=cluster).values_list("email", flat=True))
    by_member: dict[int, list[str]] = {}
    seen: set[str] = set()
    skipped: set[int] = set()
    rows = NotificationEmail.objects.filter(
        member__cluster=cluster, member__status__in=REACHED
    ).values_list("member_id", "email")
    for member_id, email in rows.order_by("member__name", "member_id", "id"):
        if not statutory and member_id in portal:
            skipped.add(member_id)
            continue
        key = email.lower()
        if key in gone or key in seen:
            continue
        seen.add(key)
        by_member.setdefault(member_id, []).append(email)
    emails = [e for addresses in by_member.values() for e in addresses]
    return Recipients(emails, by_member, len(skipped))


def sent_newsletters(cluster: Cluster) -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(cluster=cluster, status=Newsletter.Status.SENT).order_by(
        "-sent_at", "-id"
    )


def cadence(cluster: Cluster, today: dt.date | None = None) -> Cadence:
    """PLT-2: this month's newsletter, or the warning. One query."""
    days = [
        timezone.localtime(at).date()
        for at in sent_newsletters(cluster).values_list("sent_at", flat=True)[:24]
    ]
    return newsletter_cadence(days, today or timezone.localdate())


def reads_in_portal(member: Member) -> bool:
    return PortalReading.objects.filter(member=member).exists()
