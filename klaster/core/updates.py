"""One audited change of one row (issue 8 point 3): lock it, check the edit version the form saw,
take what the audit log shows of it, change it, validate, save, and write the audit row of what
changed — in that order, the one the services used to write out each time.

The caller's transaction holds it all (``transaction.atomic`` around the service): the audit row
commits or rolls back with the change (klaster.core.audit), and the row lock lasts until then. This
helper opens no transaction of its own, so it adds no savepoint and no query to the service's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.concurrency import Tracked, ensure_current
from klaster.core.models import AuditLog, Cluster

M = TypeVar("M", bound=models.Model)

#: Refusal of a key in ``changes`` that the service does not let change.
NOT_EDITABLE = "Tego pola nie można zmienić."


class _FromRow:
    def __repr__(self) -> str:
        return "<the row's own cluster>"


FROM_ROW: Any = _FromRow()


@dataclass(frozen=True)
class Updated(Generic[M]):
    """The row as saved (the locked copy), what the audit row says changed (its ``changes``:
    field → [old, new], plus what ``after_save`` added), and the audit row (None: none written)."""

    obj: M
    changes: dict[str, Any]
    entry: AuditLog | None


def lock_row(target: M | type[M] | models.QuerySet[M], pk: Any = None) -> M:
    """The row under ``select_for_update``: an instance (its own pk), a model and a pk, or a
    queryset and a pk (its filters and ``select_related`` kept: an id outside it is DoesNotExist)."""
    if isinstance(target, models.Model):
        qs = type(target)._default_manager.all()
        pk = target.pk if pk is None else pk
    elif isinstance(target, models.QuerySet):
        qs = target
    else:
        qs = target._default_manager.all()
    return qs.select_for_update().get(pk=pk)


def audited_update(
    target: M | type[M] | models.QuerySet[M],
    pk: Any = None,
    *,
    fields: Sequence[str],
    actor: Any,
    action: str = "update",
    changes: Mapping[str, Any] | None = None,
    editable: Collection[str] | None = None,
    apply: Callable[[M], None] | None = None,
    expected_version: str | None = None,
    tracked: Callable[[M], Tracked] | None = None,
    clean_exclude: Sequence[str] | None = None,
    validate: Callable[[M], None] | None = None,
    update_fields: Sequence[str] | None = None,
    after_save: Callable[[M], Mapping[str, Any] | None] | None = None,
    values: Callable[[M], dict[str, Any]] | None = None,
    cluster: Cluster | None | Callable[[M], Cluster | None] = FROM_ROW,
    object_repr: str | Callable[[M], str] | None = None,
    audit_unchanged: bool = False,
    lock: bool = True,
) -> Updated[M]:
    """Change one row and write its audit row; run inside the service's ``transaction.atomic``.

    In order:

    1. the row: ``target`` locked with ``select_for_update`` (an instance is locked again by its
       pk; a model or a queryset needs ``pk``); ``lock=False``: ``target`` is an instance the
       caller has already locked, used as it is;
    2. ``expected_version`` (None: no check, as for imports and the services' own follow-up
       writes): compared with the row's ``fields`` as they are now, or with ``tracked(row)`` where
       the form's version covers more than plain fields — a stale one raises
       :class:`klaster.core.concurrency.StaleEdit` before anything is changed;
    3. what the audit log shows before: ``snapshot(row, fields)``, or ``values(row)``;
    4. ``apply(row)``: refusals that depend on the row as it is, and changes beyond plain values;
    5. ``changes`` set on the row, each key one of ``editable`` (default ``fields``) — another key
       is refused, ``{key: "Tego pola nie można zmienić."}``;
    6. ``row.full_clean(exclude=clean_exclude)`` when ``clean_exclude`` is given, then
       ``validate(row)``;
    7. ``row.save()``, or ``row.save(update_fields=update_fields)``;
    8. ``after_save(row)``: writes that need the row saved (many-to-many links); what it returns is
       added to the audit row's changes (e.g. ``{"recommenders": [old, new]}``);
    9. one audit row (``action``, by ``actor``) with ``diff(before, after)`` — only when something
       changed, unless ``audit_unchanged``. Its cluster: ``cluster`` (a value, or a function of the
       row), by default the row's own (``row.cluster``; a Cluster row is its own); its label:
       ``object_repr`` (a value, or a function of the saved row), by default ``str(row)``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audited_update must run inside the service's transaction")
    if lock:
        row = lock_row(target, pk)
    elif isinstance(target, models.Model):
        row = target
    else:
        raise TypeError("audited_update(lock=False) takes the locked instance itself")
    if expected_version is not None:
        ensure_current(
            tracked(row) if tracked is not None else Tracked.of(row, fields), expected_version
        )
    take = values if values is not None else (lambda r: snapshot(r, fields))
    before = take(row)
    if apply is not None:
        apply(row)
    if changes:
        allowed = fields if editable is None else editable
        for key, value in changes.items():
            if key not in allowed:
                raise ValidationError({key: NOT_EDITABLE})
            setattr(row, key, value)
    if clean_exclude is not None:
        row.full_clean(exclude=list(clean_exclude))
    if validate is not None:
        validate(row)
    if update_fields is not None:
        row.save(update_fields=list(update_fields))
    else:
        row.save()
    extra = after_save(row) if after_save is not None else None
    changed: dict[str, Any] = diff(before, take(row))
    if extra:
        changed.update(extra)
    entry = None
    if changed or audit_unchanged:
        if cluster is FROM_ROW:
            where = row if isinstance(row, Cluster) else row.cluster  # type: ignore[attr-defined]
        elif callable(cluster):
            where = cluster(row)
        else:
            where = cluster
        label = object_repr(row) if callable(object_repr) else object_repr
        entry = audit_record(
            cluster=where,
            user=actor,
            action=action,
            instance=row,
            object_repr=label,
            changes=changed,
        )
    return Updated(row, changed, entry)
