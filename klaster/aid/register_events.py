"""Mergers and splits entered by hand (AID-3; issue 11 point 2): the office records that
undertakings merged, or that one split, on a date; the engine then reassigns the history —
every grant keeps its date and recipient and, from the event on, counts for whoever holds it
(Art. 3(8) and 3(9) of Reg. 2023/2831, the same in 1407/2013). The file import
(`klaster aid import`) writes the same rows; these are the office's door for one event at a
time.

Each write is atomic, audited, and takes a row lock on every undertaking the event names (in
id order), so a contract signed at the same moment for one of them waits for the event and
counts with it. Refusals name the field, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.aid.models import (
    Grant,
    Merger,
    Split,
    SplitAssignment,
    SplitSuccessor,
    Undertaking,
)
from klaster.core.audit import audit_record
from klaster.core.models import Cluster


def _lock(ids: Sequence[int]) -> None:
    list(
        Undertaking.objects.select_for_update()
        .filter(pk__in=sorted(set(ids)))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def ceased_on(cluster_id: int, undertaking_id: int) -> dt.date | None:
    """The day the undertaking stopped existing in the register: absorbed by a merger, or split
    without being one of its own successors. None while it exists."""
    days = list(
        Merger.objects.filter(cluster_id=cluster_id, absorbed=undertaking_id).values_list(
            "date", flat=True
        )
    )
    for split in Split.objects.filter(
        cluster_id=cluster_id, undertaking_id=undertaking_id
    ).prefetch_related("successors"):
        if all(s.undertaking_id != undertaking_id for s in split.successors.all()):
            days.append(split.date)
    return min(days) if days else None


def _not_ceased(cluster: Cluster, u: Undertaking, day: dt.date, field: str) -> None:
    gone = ceased_on(cluster.pk, u.pk)
    if gone is not None and gone <= day:
        raise ValidationError(
            {
                field: _("%(name)s no longer exists in the register since %(date)s.")
                % {"name": u.name, "date": gone.strftime("%d.%m.%Y")}
            }
        )


def _not_future(day: dt.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {"date": _("Record a merger or a split once it has taken place, not in advance.")}
        )


def merger_record(
    *,
    cluster: Cluster,
    user,
    into: Undertaking,
    absorbed: Sequence[Undertaking],
    date: dt.date,
    note: str = "",
) -> Merger:
    """AID-3: ``absorbed`` merged into ``into`` on ``date``; they cease on that day and their
    grants count for ``into`` from then on (each keeping its own date)."""
    if not absorbed:
        raise ValidationError({"absorbed": _("Name at least one undertaking that was absorbed.")})
    ids = [u.pk for u in absorbed]
    if len(set(ids)) != len(ids):
        raise ValidationError({"absorbed": _("An undertaking is named twice.")})
    if into.pk in ids:
        raise ValidationError({"absorbed": _("An undertaking cannot absorb itself.")})
    if any(u.cluster_id != cluster.pk for u in [into, *absorbed]) or into.cluster_id != cluster.pk:
        raise ValidationError({"absorbed": _("Not an undertaking of this register.")})
    _not_future(date)
    with transaction.atomic():
        _lock([into.pk, *ids])
        _not_ceased(cluster, into, date, "into")
        for u in absorbed:
            _not_ceased(cluster, u, date, "absorbed")
        row = Merger.objects.create(cluster=cluster, date=date, into=into, note=note.strip())
        row.absorbed.add(*ids)
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            object_repr=_("Merger into %(name)s") % {"name": into.name},
            changes={
                "date": [None, date.isoformat()],
                "absorbed": [None, ", ".join(u.name for u in absorbed)],
            },
        )
    return row


def split_record(
    *,
    cluster: Cluster,
    user,
    undertaking: Undertaking,
    date: dt.date,
    successors: Sequence[tuple[Undertaking, Decimal]],
    assignments: Sequence[tuple[Grant, Undertaking]] = (),
    note: str = "",
) -> Split:
    """AID-3: ``undertaking`` split on ``date`` into ``successors`` (each with its equity in PLN
    at the split). A grant for an activity one successor took over goes to it whole
    (``assignments``); any other is shared pro rata by equity. The split undertaking goes on
    only if it is one of its successors."""
    if len(successors) < 2:
        raise ValidationError(
            {"successors": _("A split has at least two successors (the undertaking may be one).")}
        )
    ids = [u.pk for u, _equity in successors]
    if len(set(ids)) != len(ids):
        raise ValidationError({"successors": _("An undertaking is named twice.")})
    if any(u.cluster_id != cluster.pk for u, _e in successors) or (
        undertaking.cluster_id != cluster.pk
    ):
        raise ValidationError({"successors": _("Not an undertaking of this register.")})
    for _u, equity in successors:
        if equity < 0 or equity != equity.quantize(Decimal("0.01")):
            raise ValidationError(
                {"successors": _("Equity: zero or more, with at most two decimals.")}
            )
    if sum((e for _u, e in successors), Decimal(0)) <= 0:
        raise ValidationError(
            {"successors": _("The successors' equity cannot all be zero: it shares the grants.")}
        )
    seen: set[int] = set()
    for grant, to in assignments:
        if grant.undertaking_id != undertaking.pk or grant.cluster_id != cluster.pk:
            raise ValidationError(
                {"assignments": _("Only a grant of the undertaking that split can be assigned.")}
            )
        if grant.granted_on > date:
            raise ValidationError(
                {"assignments": _("A grant given after the split cannot be assigned by it.")}
            )
        if to.pk not in ids:
            raise ValidationError(
                {"assignments": _("A grant can be assigned only to one of the successors.")}
            )
        if grant.pk in seen:
            raise ValidationError({"assignments": _("A grant is assigned twice.")})
        seen.add(grant.pk)
    _not_future(date)
    with transaction.atomic():
        _lock([undertaking.pk, *ids])
        _not_ceased(cluster, undertaking, date, "undertaking")
        for u, _e in successors:
            if u.pk != undertaking.pk:
                _not_ceased(cluster, u, date, "successors")
        if Split.objects.filter(cluster=cluster, undertaking=undertaking, date=date).exists():
            raise ValidationError({"date": _("This split is already recorded for that day.")})
        row = Split.objects.create(
            cluster=cluster, date=date, undertaking=undertaking, note=note.strip()
        )
        SplitSuccessor.objects.bulk_create(
            SplitSuccessor(split=row, undertaking=u, equity_pln=equity, position=k)
            for k, (u, equity) in enumerate(successors)
        )
        SplitAssignment.objects.bulk_create(
            SplitAssignment(split=row, grant=grant, to=to) for grant, to in assignments
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            object_repr=_("Split of %(name)s") % {"name": undertaking.name},
            changes={
                "date": [None, date.isoformat()],
                "successors": [None, ", ".join(f"{u.name} ({e} PLN)" for u, e in successors)],
                "assignments": [None, len(assignments)],
            },
        )
    return row


def events_of(undertaking: Undertaking) -> tuple[list[Merger], list[Split]]:
    """The mergers and splits that name the undertaking, oldest first (for its page)."""
    mergers = list(
        Merger.objects.filter(Q(into=undertaking) | Q(absorbed=undertaking))
        .distinct()
        .select_related("into")
        .prefetch_related("absorbed")
        .order_by("date", "pk")
    )
    splits = list(
        Split.objects.filter(Q(undertaking=undertaking) | Q(successors__undertaking=undertaking))
        .distinct()
        .select_related("undertaking")
        .prefetch_related("successors__undertaking", "assignments__grant", "assignments__to")
        .order_by("date", "pk")
    )
    return mergers, splits
