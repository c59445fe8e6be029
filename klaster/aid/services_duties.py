"""Participants' duties under a lending contract (AID-7; 003 §6): the office asks for a report on
the product's use by a due day (the member's notification addresses are e-mailed), marks it
received, and records a change of the participant's status it was told of. No page calls these
yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction

from klaster.aid.models import Contract, Duty
from klaster.core.audit import audit_record


def request_usage_report(
    *, contract: Contract, due_on: dt.date, today: dt.date, user: Any = None
) -> tuple[Duty, str]:
    """A usage-report duty due on `due_on` and an e-mail asking for it; returns the duty and the
    reason nothing was queued ("" when the e-mail is in the outbox). A due day before today is
    refused and nothing is written."""
    from django.core.mail import EmailMessage

    from klaster.core.mailbox import CLUSTER_HEADER
    from klaster.core.outbox import outbox_enqueue
    from klaster.members.models import NotificationEmail

    if due_on < today:
        raise ValidationError({"due_on": "Termin sprawozdania nie może być w przeszłości."})
    member, cluster = contract.application.member, contract.cluster
    with transaction.atomic():
        duty = Duty(
            cluster=cluster,
            contract=contract,
            kind=Duty.Kind.USAGE_REPORT,
            requested_on=today,
            due_on=due_on,
        )
        duty.save()
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=duty,
            changes={"due_on": [None, str(due_on)], "contract": [None, contract.number]},
        )
    addresses = sorted(
        set(NotificationEmail.objects.filter(member=member).values_list("email", flat=True))
    )
    if not addresses:
        return duty, "Członek nie ma adresu do powiadomień."
    body = (
        f"Szanowni Państwo,\n\nzgodnie z umową {contract.number} prosimy o sprawozdanie z "
        f"wykorzystania udostępnionego produktu do dnia {due_on:%d.%m.%Y}.\n\n{cluster.name}\n"
    )
    message = EmailMessage(
        f"Prośba o sprawozdanie — umowa {contract.number} ({cluster.name})",
        body,
        django_settings.DEFAULT_FROM_EMAIL,
        addresses,
        headers={CLUSTER_HEADER: cluster.slug},
    )
    # queued: the worker's outbox sends and retries it (core.outbox)
    outbox_enqueue(
        cluster=cluster, messages=[message], source=f"aid:duty:{duty.pk}", statutory=True, user=user
    )
    return duty, ""


def mark_done(*, duty: Duty, day: dt.date, user: Any = None) -> Duty:
    """The report was received on `day` (not before it was asked for; once only)."""
    if day < duty.requested_on:
        raise ValidationError({"done_on": "Dzień otrzymania nie może być przed prośbą."})
    with transaction.atomic():
        done = Duty.objects.filter(pk=duty.pk, done_on__isnull=True).update(done_on=day)
        if not done:
            raise ValidationError("To zobowiązanie jest już wykonane.")
        duty.done_on = day
        audit_record(
            cluster=duty.cluster,
            user=user,
            action="update",
            instance=duty,
            changes={"done_on": [None, str(day)]},
        )
    return duty


def report_status_change(
    *, contract: Contract, description: str, day: dt.date, user: Any = None
) -> Duty:
    """A change of the participant's status it reported (003 §6), recorded as done on `day`."""
    text = (description or "").strip()
    if not text:
        raise ValidationError({"description": "Opisz zmianę statusu."})
    with transaction.atomic():
        duty = Duty(
            cluster=contract.cluster,
            contract=contract,
            kind=Duty.Kind.STATUS_CHANGE,
            description=text[:500],
            requested_on=day,
            done_on=day,
        )
        duty.save()
        audit_record(
            cluster=contract.cluster,
            user=user,
            action="create",
            instance=duty,
            changes={"description": [None, duty.description]},
        )
    return duty
