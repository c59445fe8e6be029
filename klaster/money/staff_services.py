"""Writes of the money app's staff part: a person's hours in a month and the Board's hourly rates
(FIN-10), members' statement requests and their provision (FIN-12). One transaction each,
audited; refusals raise `MoneyError(field, message)` naming the field.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from django.db import transaction

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.money.models import HourlyRate, StaffTime, StatementRequest
from klaster.money.services import MoneyError
from klaster.rules.message import Msg, define
from klaster.rules.money._common import BAD_DATES, EMPTY, NEGATIVE
from klaster.rules.money.statements import last_closed_quarter

TOO_MANY_HOURS = define(
    "money.staff.too_many_hours",
    "“{field}”: {value} h is more than {month} has ({days} days × 24 h = {bound} h).",
)
GZW_ABOVE_HOURS = define(
    "money.staff.gzw_above",
    "“{field}”: {value} h in working groups is more than the {hours} h worked in the month.",
)
NOT_OWN_MEMBER = define("money.request.member", "“{field}”: not a member of this cluster.")
PROVIDED_BEFORE = define(
    "money.request.provided_before",
    "“{field}”: the statements cannot be provided on {provided}, before the request of "
    "{requested}.",
)
ALREADY_PROVIDED = define(
    "money.request.already_provided", "“{field}”: the statements were provided on {provided}."
)


def month_bound(month: dt.date) -> tuple[int, Decimal]:
    days = calendar.monthrange(month.year, month.month)[1]
    return days, Decimal(days * 24)


def _hours(field: str, label: str, value: Decimal, month: dt.date) -> Decimal:
    if value < 0:
        raise MoneyError(field, Msg.of(NEGATIVE, field=label, value=value))
    days, bound = month_bound(month)
    if value > bound:
        raise MoneyError(
            field,
            Msg.of(
                TOO_MANY_HOURS,
                field=label,
                value=value,
                month=f"{month:%m.%Y}",
                days=days,
                bound=bound,
            ),
        )
    return value


def save_staff_time(
    *,
    cluster: Cluster,
    user,
    person: str,
    month: dt.date,
    hours: Decimal,
    role: str = "",
    gzw_hours: Decimal = Decimal(0),
    labels: dict[str, str] | None = None,
) -> StaffTime:
    """Record (or correct) a person's hours in a month; `month` is any day of it."""
    labels = labels or {}
    month = month.replace(day=1)
    person = person.strip()
    if not person:
        raise MoneyError("person", Msg.of(EMPTY, field=labels.get("person", "person")))
    hours = _hours("hours", labels.get("hours", "hours"), hours, month)
    gzw_hours = _hours("gzw_hours", labels.get("gzw_hours", "gzw_hours"), gzw_hours, month)
    if gzw_hours > hours:
        raise MoneyError(
            "gzw_hours",
            Msg.of(
                GZW_ABOVE_HOURS,
                field=labels.get("gzw_hours", "gzw_hours"),
                value=gzw_hours,
                hours=hours,
            ),
        )
    with transaction.atomic():
        row, created = StaffTime.objects.select_for_update().get_or_create(
            cluster=cluster,
            person=person,
            month=month,
            defaults={"hours": hours, "gzw_hours": gzw_hours, "role": role.strip()},
        )
        if not created:
            row.hours, row.gzw_hours, row.role = hours, gzw_hours, role.strip()
            row.save(update_fields=["hours", "gzw_hours", "role"])
        audit_record(
            cluster=cluster,
            user=user,
            action="create" if created else "update",
            instance=row,
            changes={
                "person": person,
                "month": month.isoformat(),
                "hours": str(hours),
                "gzw_hours": str(gzw_hours),
                "role": row.role,
            },
            source="money",
        )
    return row


def set_rate(
    *,
    cluster: Cluster,
    user,
    year: int,
    role: str,
    rate: Decimal,
    resolution: str = "",
    labels: dict[str, str] | None = None,
) -> HourlyRate:
    """The Board's hourly rate for a role in a year (set or changed)."""
    labels = labels or {}
    role = role.strip()
    if not role:
        raise MoneyError("role", Msg.of(EMPTY, field=labels.get("role", "role")))
    if rate < 0:
        raise MoneyError("rate", Msg.of(NEGATIVE, field=labels.get("rate", "rate"), value=rate))
    with transaction.atomic():
        row, created = HourlyRate.objects.select_for_update().get_or_create(
            cluster=cluster,
            year=year,
            role=role,
            defaults={"rate": rate, "resolution": resolution.strip()},
        )
        if not created:
            row.rate, row.resolution = rate, resolution.strip()
            row.save(update_fields=["rate", "resolution"])
        audit_record(
            cluster=cluster,
            user=user,
            action="create" if created else "update",
            instance=row,
            changes={"year": year, "role": role, "rate": str(rate), "resolution": row.resolution},
            source="money",
        )
    return row


def record_request(
    *,
    cluster: Cluster,
    user,
    member: Member,
    requested_on: dt.date,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    note: str = "",
    labels: dict[str, str] | None = None,
) -> StatementRequest:
    """A member's written request for the sub-account statements; the period defaults to the
    last quarter closed before the request (001 fin. 7: at least that one)."""
    labels = labels or {}
    if member.cluster_id != cluster.pk:
        raise MoneyError("member", Msg.of(NOT_OWN_MEMBER, field=labels.get("member", "member")))
    default_start, default_end = last_closed_quarter(requested_on)
    start = period_start or default_start
    end = period_end or default_end
    if end < start:
        raise MoneyError(
            "period_end",
            Msg.of(BAD_DATES, field=labels.get("period_end", "period_end"), start=start, end=end),
        )
    with transaction.atomic():
        row = StatementRequest.objects.create(
            cluster=cluster,
            member=member,
            requested_on=requested_on,
            period_start=start,
            period_end=end,
            note=note.strip(),
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            changes={
                "member": member.pk,
                "requested_on": requested_on.isoformat(),
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
            },
            source="money",
        )
    return row


def provide_request(
    *,
    request: StatementRequest,
    user,
    provided_on: dt.date,
    labels: dict[str, str] | None = None,
) -> StatementRequest:
    """Mark the statements provided on a day; from then on the member's representatives find
    them in the portal."""
    labels = labels or {}
    label = labels.get("provided_on", "provided_on")
    with transaction.atomic():
        row = StatementRequest.objects.select_for_update().get(pk=request.pk)
        if row.provided_on is not None:
            raise MoneyError(
                "provided_on", Msg.of(ALREADY_PROVIDED, field=label, provided=row.provided_on)
            )
        if provided_on < row.requested_on:
            raise MoneyError(
                "provided_on",
                Msg.of(
                    PROVIDED_BEFORE, field=label, provided=provided_on, requested=row.requested_on
                ),
            )
        row.provided_on = provided_on
        row.save(update_fields=["provided_on"])
        audit_record(
            cluster=row.cluster,
            user=user,
            action="update",
            instance=row,
            changes={"provided_on": provided_on.isoformat()},
            source="money",
        )
    return row
