"""Communications in a person's data (MEM-12, issue 12 point 7): the person's address leaving
the newsletter (klaster.members.personal_data). The newsletters and invitations sent to it are in
the outbox's source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaster.comms.models import Unsubscribed
from klaster.core.models import Cluster
from klaster.members.personal_data import Addresses, Source, by_email, register


def _rows(cluster: Cluster, addresses: Addresses) -> Any:
    q = by_email(addresses)
    return Unsubscribed.objects.filter(q, cluster=cluster).order_by("id")


def _export(cluster: Cluster, addresses: Addresses) -> list[dict[str, Any]]:
    return [{"email": r.email, "since": r.at.isoformat()} for r in _rows(cluster, addresses)]


def _erase(cluster: Cluster, addresses: Addresses, today: dt.date) -> int:
    """The address is gone from the registry too (its notification address is replaced), so its
    record of leaving the newsletter is deleted."""
    deleted, _ = _rows(cluster, addresses).delete()
    return deleted


def register_sources() -> None:
    register(Source("newsletter_unsubscribed", _export, _erase))
