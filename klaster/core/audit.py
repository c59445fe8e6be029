"""PLT-4 audit log: every change with who, what, old → new, when, from where.

Services call these inside their own ``transaction.atomic`` so the entry commits or rolls
back with the change itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from klaster.core.db import insert_instances
from klaster.core.middleware import current
from klaster.core.models import AuditLog, Cluster


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal | dt.date | dt.datetime):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited fields of an instance, as plain JSON-safe values."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in instance._meta.concrete_fields if not f.primary_key]
    )
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    cluster: Cluster | None,
    user: Any,
    action: str,
    instance: models.Model | None = None,
    model: str | None = None,
    object_id: str | None = None,
    object_repr: str | None = None,
    changes: Mapping[str, Any] | None = None,
    source: str | None = None,
) -> AuditLog:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the change's transaction")
    ctx = current.get()
    entry = AuditLog(
        cluster=cluster,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        model=model or (instance._meta.label if instance is not None else ""),
        object_id=object_id
        if object_id is not None
        else (str(instance.pk) if instance is not None else ""),
        object_repr=(
            object_repr
            if object_repr is not None
            else str(instance)
            if instance is not None
            else ""
        )[:300],
        changes=dict(changes or {}),
        ip=ctx.ip if ctx else None,
        source=source or (ctx.source if ctx else "cli"),
    )
    insert_instances([entry])  # one lean INSERT: every change writes one, a ballot included
    return entry
