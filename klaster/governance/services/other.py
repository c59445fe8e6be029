"""Dispute mediation cases (GOV-13) and the coordinator's individual meetings (GOV-15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.governance.models import IndividualMeeting, MediationCase
from klaster.members.models import DelegatedPerson, Member


@transaction.atomic
def mediation_open(
    *,
    cluster: Cluster,
    user: Any,
    reported_on: dt.date,
    subject: str,
    description: str = "",
    parties: list[Member] | None = None,
    involved_persons: list[DelegatedPerson] | None = None,
) -> MediationCase:
    case = MediationCase.objects.create(
        cluster=cluster, reported_on=reported_on, subject=subject, description=description
    )
    case.parties.set([m for m in parties or [] if m.cluster_id == cluster.pk])
    case.involved_persons.set(
        [p for p in involved_persons or [] if p.member.cluster_id == cluster.pk]
    )
    audit_record(cluster=cluster, user=user, action="create", instance=case, object_repr=subject)
    return case


@transaction.atomic
def mediation_resolve(
    *, case: MediationCase, user: Any, resolved_on: dt.date, outcome: str
) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    if resolved_on < case.reported_on:
        raise ValidationError({"resolved_on": _("The resolution cannot come before the report.")})
    case.resolved_on, case.outcome = resolved_on, outcome
    case.save(update_fields=["resolved_on", "outcome"])
    audit_record(
        cluster=case.cluster,
        user=user,
        action="resolve",
        instance=case,
        object_repr=case.subject,
        changes={"resolved_on": [None, resolved_on.isoformat()]},
    )
    return case


@transaction.atomic
def individual_meeting_add(
    *, cluster: Cluster, user: Any, member: Member, met_on: dt.date, note: str = ""
) -> IndividualMeeting:
    if member.cluster_id != cluster.pk:
        raise ValidationError({"member": _("The member does not belong to the cluster.")})
    row = IndividualMeeting.objects.create(cluster=cluster, member=member, met_on=met_on, note=note)
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=row,
        object_repr=f"Spotkanie z {member} {met_on.isoformat()}",
    )
    return row
