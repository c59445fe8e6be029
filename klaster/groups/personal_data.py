"""Working groups in a person's data (MEM-12, issue 12 point 7): the contacts the office added to
a group's list by the person's address (GZW-5; klaster.members.personal_data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaster.core.models import Cluster
from klaster.groups.models import GroupContact
from klaster.members.personal_data import (
    ERASED,
    Addresses,
    Source,
    by_email,
    placeholder,
    register,
)


def _rows(cluster: Cluster, addresses: Addresses) -> Any:
    q = by_email(addresses)
    return GroupContact.objects.filter(q, group__cluster=cluster).select_related("group")


def _export(cluster: Cluster, addresses: Addresses) -> list[dict[str, Any]]:
    return [
        {"group": r.group.name, "name": r.name, "email": r.email, "role": r.role}
        for r in _rows(cluster, addresses).order_by("id")
    ]


def _erase(cluster: Cluster, addresses: Addresses, today: dt.date) -> int:
    rows = list(_rows(cluster, addresses))
    for r in rows:
        GroupContact.objects.filter(pk=r.pk).update(
            name=ERASED, email=placeholder(f"g{r.pk}"), role=""
        )
    return len(rows)


def register_sources() -> None:
    register(Source("group_contacts", _export, _erase))
