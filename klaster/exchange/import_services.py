"""Applying a previewed spreadsheet import (issue 2 point 6, "Excel in").

``member_import_apply`` is all or nothing: one transaction, refused while any row has an
error, and refused when the register changed since the preview (the plan is matched again
inside the transaction and must come out the same — the office applies exactly what it saw).

New members: the joining date becomes an ``admitted`` event on that date (MEM-6: the date of
the accession document). A row without a joining date is recorded as a *candidate* on the
day of the import — inventing an admission date would falsify the history and the KKK
membership counts; the office admits the member later with the document's date.

Changed members go through ``member_update`` (identifiers re-checked, seat re-placed,
audit row with old → new, PLT-4); a joining date through ``member_event_add``; e-mails
through ``notification_email_add``. Every audit row of the import carries source "import",
and one more row records the import itself (file name, SHA-256, counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from klaster.core.audit import audit_record, diff, snapshot
from klaster.core.middleware import RequestContext, current
from klaster.core.models import Cluster
from klaster.exchange.spreadsheet import ImportPlan, replan
from klaster.members import geocoding
from klaster.members.models import Member, Status
from klaster.members.services import (
    MEMBER_FIELDS,
    member_event_add,
    member_update,
    notification_email_add,
)


class PlanOutdated(Exception):
    """The register changed since the preview; ``plan`` is the same file matched again."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("Rejestr członków zmienił się od podglądu importu.")
        self.plan = plan


@dataclass(frozen=True)
class ImportResult:
    created: list[int]
    updated: list[int]
    unchanged: int


def _next_key(taken: set[str]) -> str:
    n = len(taken) + 1
    while f"m{n:03d}" in taken:
        n += 1
    key = f"m{n:03d}"
    taken.add(key)
    return key


@transaction.atomic
def member_import_apply(*, cluster: Cluster, user: Any, plan: ImportPlan) -> ImportResult:
    if plan.cluster_id != cluster.pk:
        raise ValidationError(gettext("This import preview is of another cluster."))
    if plan.has_errors:
        raise ValidationError(
            gettext("The file has errors; correct them and upload it again. Nothing was saved.")
        )
    # One import at a time per cluster, and nobody's change slips in between the re-check
    # and the writes (SQLite takes the write lock at BEGIN IMMEDIATE anyway).
    cluster = Cluster.objects.select_for_update().get(pk=cluster.pk)
    fresh = replan(cluster, plan)
    if fresh.outcome() != plan.outcome():
        raise PlanOutdated(fresh)

    outer = current.get()
    token = current.set(RequestContext(ip=outer.ip if outer else None, source="import"))
    try:
        result = _apply(cluster, user, plan)
        counts = plan.counts()
        audit_record(
            cluster=cluster,
            user=user,
            action="import",
            model="members.Member",
            object_id="",
            object_repr=f"Import: {plan.filename}",
            changes={
                "file": [None, plan.filename],
                "sha256": [None, plan.sha256],
                "new": [None, counts["new"]],
                "changed": [None, counts["changed"]],
                "unchanged": [None, counts["unchanged"]],
            },
        )
    finally:
        current.reset(token)
    return result


def _apply(cluster: Cluster, user: Any, plan: ImportPlan) -> ImportResult:
    taken = set(Member.objects.filter(cluster=cluster).values_list("key", flat=True))
    created: list[int] = []
    updated: list[int] = []
    note = f"Import z pliku {plan.filename}"[:500]
    for row in plan.rows:
        if row.action == "new":
            created.append(_create(cluster, user, row.values, key=_next_key(taken), note=note).pk)
        elif row.action == "changed":
            assert row.member_id is not None  # match_rows sets it on every matched row
            member = Member.objects.get(cluster=cluster, pk=row.member_id)
            data = {f: new for f, (_old, new) in row.changes.items() if f in MEMBER_FIELDS}
            if data:
                member = member_update(member=member, user=user, data=data)
            if "joined" in row.changes:
                member_event_add(
                    member=member,
                    user=user,
                    kind="admitted",
                    date=dt.date.fromisoformat(row.changes["joined"][1]),
                    note=note,
                )
            if "email" in row.changes:
                old, new = row.changes["email"]
                for email in new[len(old or []) :]:
                    notification_email_add(member=member, user=user, email=email)
            updated.append(member.pk)
    return ImportResult(created=created, updated=updated, unchanged=plan.counts()["unchanged"])


def _create(cluster: Cluster, user: Any, values: dict[str, Any], *, key: str, note: str) -> Member:
    member = Member(
        cluster=cluster,
        key=key,
        status=Status.CANDIDATE,
        **{
            f: values[f]
            for f in (
                "name",
                "type",
                "category",
                "nip",
                "regon",
                "krs",
                "science_category",
                "street",
                "postal_code",
                "city",
                "website",
            )
            if f in values
        },
    )
    geocoding.place_member(member)  # MEM-9, offline gazetteer
    if cluster.coordinator_id is None:
        member.distance_km = None  # no coordinator's seat to measure from
    member.full_clean(exclude=["cluster"])
    member.save()
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=member,
        changes={
            k: pair
            for k, pair in diff({}, snapshot(member, MEMBER_FIELDS)).items()
            if pair[1] not in (None, "", [], False)
        },
    )
    if values.get("joined"):
        member_event_add(
            member=member,
            user=user,
            kind="admitted",
            date=dt.date.fromisoformat(values["joined"]),
            note=note,
        )
    else:
        member_event_add(
            member=member,
            user=user,
            kind="candidate",
            date=timezone.localdate(),
            note=f"{note}: brak daty przystąpienia"[:500],
        )
    for email in values.get("email") or []:
        notification_email_add(member=member, user=user, email=email)
    member.refresh_from_db()
    return member
