"""A person's data across every module (MEM-12, RODO art. 15, 17, 20; issue 12 point 7).

The registry of members (klaster.members.selectors.person_data) finds a person's records —
every DelegatedPerson record that is theirs (the record itself, the same e-mail in the cluster)
— and their e-mail addresses. Each module that keeps something else about a person by those
addresses registers a :class:`Source` here, from its ``AppConfig.ready`` (apps above members;
members registers core's outbox itself): what its export holds, and how its erasure replaces the
data. ``person_data_export`` puts every source's rows in the file under the source's key;
``person_data_erase`` runs every source's eraser in the same transaction, after the legal-hold
check, so a refused erasure changes nothing anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from klaster.core.models import Cluster, OutboxMessage

#: what stands where a person's data was erased (the name, a contact's name, an audit label)
ERASED = "[dane usunięte]"

#: the person's e-mail addresses, casefolded (never empty when a source is called)
Addresses = frozenset[str]


@dataclass(frozen=True)
class Source:
    #: the key in the export file ("outbox_messages")
    name: str
    #: the rows of this module about the person, as plain JSON values
    export: Callable[[Cluster, Addresses], list[dict[str, Any]]]
    #: replaces the person's data in this module; returns how many rows it changed
    erase: Callable[[Cluster, Addresses, dt.date], int]


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.name] = source


def export_all(cluster: Cluster, addresses: Addresses) -> dict[str, list[dict[str, Any]]]:
    if not addresses:
        return {name: [] for name in sorted(SOURCES)}
    return {name: SOURCES[name].export(cluster, addresses) for name in sorted(SOURCES)}


def erase_all(cluster: Cluster, addresses: Addresses, today: dt.date) -> dict[str, int]:
    if not addresses:
        return {}
    return {name: SOURCES[name].erase(cluster, addresses, today) for name in sorted(SOURCES)}


def by_email(addresses: Addresses, field: str = "email") -> Q:
    """Rows whose ``field`` is one of the person's addresses, in any letter case."""
    q = Q(pk__in=[])
    for a in addresses:
        q |= Q(**{f"{field}__iexact": a})
    return q


def placeholder(row_id: object) -> str:
    """An address that never routes (RFC 2606), unique per row."""
    return f"usunieto-{row_id}@rodo.invalid"


# --- core's outbox: the messages sent to the person ---------------------------------------------


def _outbox_rows(cluster: Cluster, addresses: Addresses) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(cluster=cluster).defer("raw").order_by("id")
    return [r for r in rows.iterator(chunk_size=2000) if {a.casefold() for a in r.to} & addresses]


def _outbox_export(cluster: Cluster, addresses: Addresses) -> list[dict[str, Any]]:
    return [
        {
            "queued": r.created_at.isoformat(),
            "sent": r.sent_at.isoformat() if r.sent_at else None,
            "kind": r.kind,
            "subject": r.subject,
            "to": [a for a in r.to if a.casefold() in addresses],
            "state": r.state,
        }
        for r in _outbox_rows(cluster, addresses)
    ]


def _outbox_erase(cluster: Cluster, addresses: Addresses, today: dt.date) -> int:
    """The message's text goes (a note says when and why), the person's address is replaced;
    the subject, kind and dates stay as the record that something was sent."""
    rows = _outbox_rows(cluster, addresses)
    for r in rows:
        to = [placeholder(r.pk) if a.casefold() in addresses else a for a in r.to]
        stub = (
            f"Subject: {r.subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Treść usunięta na żądanie osoby (RODO art. 17) {today:%d.%m.%Y}.\r\n"
        )
        OutboxMessage.objects.filter(pk=r.pk).update(to=to, raw=stub.encode("utf-8"))
    return len(rows)


register(Source("outbox_messages", _outbox_export, _outbox_erase))
