"""Writes of the lending queue (AID-4, AID-5; 003 §4–§5): the catalogue and its dated price lists,
applications stamped on arrival, the checklist documents, the result told to the applicant, the
ranking list approved by the coordinator's management, and the waitlist served on a return.

Each write is one transaction with its audit row; the queue of one product is serialised by a
row lock on the product (select_for_update), so two decisions on one product never both give it
for the same days. The words of the rules (what is missing, who is chosen) come from
`klaster.rules.aid.lending`; the e-mails go after the change is committed, through the real SMTP
server as the money's arrears letters go, and what was sent (or why not) is kept in the audit
log beside the application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klaster.aid.models import (
    Application,
    ApplicationDocument,
    Contract,
    Equipment,
    PriceList,
    Ranking,
    RankingEntry,
)
from klaster.core.audit import audit_record, snapshot
from klaster.core.concurrency import ensure_fresh
from klaster.core.models import AuditLog, Cluster
from klaster.members.models import Member
from klaster.rules.aid import lending as rules
from klaster.rules.calendar import warsaw_date

S = Application.Status
#: statuses in which the checklist still decides between complete and incomplete
OPEN = (S.RECEIVED, S.COMPLETE, S.INCOMPLETE)
EQUIPMENT_FIELDS = ("name", "inventory_no", "description", "active")
NOTICE = "notify"


# -- reading the rows into the rules ------------------------------------------------------------


def document_of(row: ApplicationDocument) -> rules.Document:
    return rules.Document(row.kind, row.form, row.received_on, row.issued_on)


def checklist_of(
    application: Application, documents: list[ApplicationDocument] | None = None
) -> rules.Checklist:
    """AID-4: the application's checklist on the documents received (pass them when read)."""
    docs = documents if documents is not None else list(application.documents.all())
    return rules.checklist([document_of(d) for d in docs], warsaw_date(application.arrived_at))


def request_of(application: Application, position: int | None = None) -> rules.Request:
    return rules.Request(
        application.pk,
        application.start,
        application.end,
        application.arrived_at,
        application.score,
        position,
    )


def taken_periods(equipment: Equipment, *, without: Collection[int] = ()) -> list[rules.Period]:
    """The days the product is given already: applications chosen (contract not yet signed) and
    signed contracts not yet returned; ``without``: application ids left out."""
    periods = [
        rules.Period(s, e)
        for s, e in Application.objects.filter(equipment=equipment, status=S.CHOSEN)
        .exclude(pk__in=without)
        .values_list("start", "end")
    ]
    periods += [
        rules.Period(s, e)
        for s, e in Contract.objects.filter(
            application__equipment=equipment, status=Contract.Status.SIGNED
        )
        .exclude(application_id__in=without)
        .values_list("start", "end")
    ]
    return periods


def competitors(application: Application) -> list[Application]:
    """Other complete applications for the same product whose periods overlap this one's."""
    return list(
        Application.objects.filter(
            equipment_id=application.equipment_id,
            status=S.COMPLETE,
            start__lte=application.end,
            end__gte=application.start,
        )
        .exclude(pk=application.pk)
        .order_by("arrived_at", "pk")
    )


def _lock_equipment(equipment_id: int) -> Equipment:
    return Equipment.objects.select_for_update().get(pk=equipment_id)


# -- the catalogue --------------------------------------------------------------------------------


def equipment_save(
    *,
    cluster: Cluster,
    user: Any,
    name: str,
    inventory_no: str = "",
    description: str = "",
    active: bool = True,
    equipment: Equipment | None = None,
    expected_version: str | None = None,
) -> Equipment:
    """Add a product to the catalogue, or change one (a stale form is refused)."""
    values = {
        "name": name.strip(),
        "inventory_no": inventory_no.strip(),
        "description": description.strip(),
        "active": active,
    }
    if not values["name"]:
        raise ValidationError({"name": _("Give the product's name.")})
    with transaction.atomic():
        if equipment is None:
            row = Equipment(cluster=cluster, **values)
            row.save()
            audit_record(
                cluster=cluster,
                user=user,
                action="create",
                instance=row,
                changes={k: [None, v] for k, v in snapshot(row, EQUIPMENT_FIELDS).items()},
            )
            return row
        row = Equipment.objects.select_for_update().get(pk=equipment.pk, cluster=cluster)
        ensure_fresh(row, EQUIPMENT_FIELDS, expected_version)
        before = snapshot(row, EQUIPMENT_FIELDS)
        for k, v in values.items():
            setattr(row, k, v)
        row.save(update_fields=[*EQUIPMENT_FIELDS])
        after = snapshot(row, EQUIPMENT_FIELDS)
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=row,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
        return row


def price_list_add(
    *,
    equipment: Equipment,
    user: Any,
    valid_from: dt.date,
    upkeep_fee_per_day: Decimal,
    lending_fee_per_day: Decimal,
    aid_per_day: Decimal,
) -> PriceList:
    """A new dated price list (AID-6, 003 §5.5). A price list is never edited: a change is a new
    one from its day. It may not start on or before the day a contract for the product was
    signed — that contract was signed on the price list then in force."""
    for field, value in (
        ("upkeep_fee_per_day", upkeep_fee_per_day),
        ("lending_fee_per_day", lending_fee_per_day),
        ("aid_per_day", aid_per_day),
    ):
        if value < 0:
            raise ValidationError({field: _("The amount cannot be negative.")})
    with transaction.atomic():
        row = _lock_equipment(equipment.pk)
        if PriceList.objects.filter(equipment=row, valid_from=valid_from).exists():
            raise ValidationError(
                {"valid_from": _("The product already has a price list from this day.")}
            )
        last_signed = (
            Contract.objects.filter(application__equipment=row)
            .order_by("-signed_on")
            .values_list("signed_on", flat=True)
            .first()
        )
        if last_signed is not None and valid_from <= last_signed:
            raise ValidationError(
                {
                    "valid_from": _(
                        "A contract for this product was signed on %(day)s on the price list "
                        "then in force; a new price list must start after that day."
                    )
                    % {"day": f"{last_signed:%d.%m.%Y}"}
                }
            )
        prices = PriceList(
            equipment=row,
            valid_from=valid_from,
            upkeep_fee_per_day=upkeep_fee_per_day,
            lending_fee_per_day=lending_fee_per_day,
            aid_per_day=aid_per_day,
        )
        prices.save()
        audit_record(
            cluster=row.cluster,
            user=user,
            action="create",
            instance=prices,
            object_repr=f"{row.name}: {valid_from:%d.%m.%Y}",
            changes={
                k: [None, str(v)]
                for k, v in snapshot(
                    prices,
                    ("valid_from", "upkeep_fee_per_day", "lending_fee_per_day", "aid_per_day"),
                ).items()
            },
        )
        return prices


def price_on(equipment: Equipment, day: dt.date) -> PriceList | None:
    """The price list in force on ``day``."""
    return (
        PriceList.objects.filter(equipment=equipment, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


# -- AID-4: applications and their documents ------------------------------------------------------


def application_file(
    *,
    cluster: Cluster,
    member: Member,
    equipment: Equipment,
    start: dt.date,
    end: dt.date,
    purpose: str = "",
    user: Any,
    arrived_at: dt.datetime | None = None,
) -> Application:
    """AID-4 (003 §4.2): an application registered with its arrival: now, stamped by the server
    (a representative filing online), or the moment a paper one came (the office registering
    it). An arrival in the future is refused."""
    now = timezone.now()
    if member.cluster_id != cluster.pk or equipment.cluster_id != cluster.pk:
        raise ValidationError(_("The member or the product is not of this cluster."))
    if not equipment.active:
        raise ValidationError({"equipment": _("This product is not lent at present.")})
    if end < start:
        raise ValidationError({"end": _("The period of use ends before it begins.")})
    if arrived_at is None:
        arrived_at = now
    elif arrived_at > now:
        raise ValidationError({"arrived_at": _("The application cannot arrive in the future.")})
    with transaction.atomic():
        row = Application(
            cluster=cluster,
            member=member,
            equipment=equipment,
            start=start,
            end=end,
            purpose=purpose.strip(),
            arrived_at=arrived_at.replace(microsecond=0),
            status=S.RECEIVED,
        )
        row.save()
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            object_repr=f"{member.name}: {equipment.name}",
            changes={
                "member": [None, member.name],
                "equipment": [None, equipment.name],
                "start": [None, str(start)],
                "end": [None, str(end)],
                "arrived_at": [None, row.arrived_at.isoformat()],
            },
        )
        return row


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _refresh_status(row: Application, user: Any) -> rules.Checklist:
    """Set complete/incomplete from the checklist (only while the application is open)."""
    result = checklist_of(row)
    if row.status in OPEN:
        new = S.COMPLETE if result.complete else S.INCOMPLETE
        if new != row.status:
            audit_record(
                cluster=row.cluster,
                user=user,
                action="update",
                instance=row,
                object_repr=_repr(row),
                changes={"status": [row.status, new]},
            )
            row.status = new
            row.save(update_fields=["status", "updated_at"])
    return result


def _repr(row: Application) -> str:
    return f"{row.member.name}: {row.equipment.name}"


def document_add(
    *,
    application: Application,
    user: Any,
    kind: str,
    form: str,
    received_on: dt.date,
    issued_on: dt.date | None = None,
) -> rules.Checklist:
    """AID-4 (003 §4.4–§4.6): a document of the checklist received; the application becomes
    complete or incomplete by the rule."""
    if kind not in ApplicationDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the document.")})
    if form not in ApplicationDocument.Form.values:
        raise ValidationError({"form": _("Choose the form in which it came.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The day received cannot be in the future.")})
    if kind == ApplicationDocument.Kind.EXTRACT and issued_on is None:
        raise ValidationError({"issued_on": _("Give the day the extract was issued.")})
    if issued_on is not None and issued_on > received_on:
        raise ValidationError(
            {"issued_on": _("A document cannot be issued after the day it was received.")}
        )
    with transaction.atomic():
        row = _lock_application(application)
        if row.status not in OPEN:
            raise ValidationError(
                _("The application is decided already; its documents are not changed.")
            )
        doc = ApplicationDocument(
            application=row,
            kind=kind,
            form=form,
            received_on=received_on,
            issued_on=issued_on if kind == ApplicationDocument.Kind.EXTRACT else None,
        )
        doc.save()
        audit_record(
            cluster=row.cluster,
            user=user,
            action="create",
            instance=doc,
            object_repr=f"{_repr(row)}: {doc.get_kind_display()}",
            changes={
                "kind": [None, kind],
                "form": [None, form],
                "received_on": [None, str(received_on)],
                "issued_on": [None, str(doc.issued_on) if doc.issued_on else None],
            },
        )
        return _refresh_status(row, user)


def document_remove(*, document: ApplicationDocument, user: Any) -> rules.Checklist:
    """A document recorded by mistake is taken off the checklist (audited)."""
    with transaction.atomic():
        row = _lock_application(document.application)
        if row.status not in OPEN:
            raise ValidationError(
                _("The application is decided already; its documents are not changed.")
            )
        audit_record(
            cluster=row.cluster,
            user=user,
            action="delete",
            instance=document,
            object_repr=f"{_repr(row)}: {document.get_kind_display()}",
            changes={"kind": [document.kind, None], "form": [document.form, None]},
        )
        document.delete()
        return _refresh_status(row, user)


def application_withdraw(
    *, application: Application, user: Any
) -> tuple[Application, Application | None, Notice | None]:
    """The applicant withdraws (or the office records the withdrawal) before a contract. A chosen
    one frees its days: the next waiting application in line whose days are now free gets the
    product, as on a return (003 §5.4), and is told."""
    with transaction.atomic():
        equipment = _lock_equipment(application.equipment_id)
        row = _lock_application(application)
        if row.status not in (*OPEN, S.CHOSEN, S.WAITING):
            raise ValidationError(_("This application can no longer be withdrawn."))
        was_chosen = row.status == S.CHOSEN
        _set_status(row, S.WITHDRAWN, user)
        chosen = None
        if was_chosen:
            _hand, chosen = _hand_over(
                equipment, timezone.localdate(), user, after_withdrawal_of=row.pk
            )
    notice = notify(application=chosen, kind="freed", user=user) if chosen else None
    return row, chosen, notice


# -- notices ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """What was e-mailed to the applicant, or why it was not."""

    application_id: int
    emailed_to: tuple[str, ...]
    error: str

    @property
    def sent(self) -> bool:
        return bool(self.emailed_to) and not self.error


def _period(row: Application) -> str:
    return f"{row.start:%d.%m.%Y} – {row.end:%d.%m.%Y}"


def _letter(row: Application, kind: str, detail: list[str]) -> tuple[str, str]:
    """The subject and body of a notice, in Polish (the cluster's language)."""
    from klaster.core.say import say

    with translation.override("pl"):
        words = {
            "verified": (
                _("Your application for %(product)s: verified"),
                _(
                    "your application of %(arrived)s to use %(product)s for %(period)s has been "
                    "verified."
                ),
            ),
            "chosen": (
                _("Your application for %(product)s: chosen"),
                _(
                    "your application of %(arrived)s to use %(product)s for %(period)s has been "
                    "chosen. The office will contact you to sign the paid lending contract."
                ),
            ),
            "waiting": (
                _("Your application for %(product)s: on the waiting list"),
                _(
                    "your application of %(arrived)s to use %(product)s for %(period)s was not "
                    "chosen this time, as another member's use overlaps it. It stays on the "
                    "waiting list: you get the product when it is returned (§ 5 pt 4 of the "
                    "rules of de minimis aid)."
                ),
            ),
            "freed": (
                _("Your application for %(product)s: chosen from the waiting list"),
                _(
                    "another member withdrew and your application of %(arrived)s, first on the "
                    "waiting list, has been chosen for %(period)s. The office will contact you "
                    "to sign the paid lending contract."
                ),
            ),
            "returned": (
                _("Your application for %(product)s: chosen after a return"),
                _(
                    "%(product)s has been returned and your application of %(arrived)s, first "
                    "on the waiting list, has been chosen for %(period)s. The office will "
                    "contact you to sign the paid lending contract."
                ),
            ),
        }[kind]
        params = {
            "product": row.equipment.name,
            "arrived": f"{timezone.localtime(row.arrived_at):%d.%m.%Y %H:%M}",
            "period": _period(row),
        }
        lines = [_("Dear Sir or Madam,"), "", words[1] % params]
        if kind == "verified":
            result = checklist_of(row)
            if result.complete:
                lines.append(_("The documents are complete; the application will be considered."))
            else:
                lines.append(
                    _(
                        "The documents are not complete yet; only complete applications are "
                        "considered. Missing:"
                    )
                )
                lines += [f"- {say(m)}" for m in result.missing]
        lines += detail
        lines += ["", row.cluster.name]
        return f"{words[0] % params} ({row.cluster.name})", "\n".join(lines) + "\n"


def notify(*, application: Application, kind: str, user: Any = None) -> Notice:
    """E-mail a notice to the member's notification addresses: queued in the outbox
    (`core.outbox`: the worker sends and retries it; "Sent mail" shows when it left) in the
    same transaction as the audit entry naming the addresses, or the reason nothing could be
    sent, and ``result_sent_at``. Call it after the change it tells of has been committed."""
    from django.conf import settings as django_settings
    from django.core.mail import EmailMessage

    from klaster.core.mailbox import CLUSTER_HEADER
    from klaster.core.outbox import outbox_enqueue
    from klaster.members.models import NotificationEmail

    row = Application.objects.select_related("member", "equipment", "cluster").get(
        pk=application.pk
    )
    addresses = sorted(
        set(NotificationEmail.objects.filter(member=row.member).values_list("email", flat=True))
    )
    error = ""
    if not addresses:
        with translation.override("pl"):
            error = _("The member has no notification address.")
    else:
        subject, body = _letter(row, kind, [])
        message = EmailMessage(
            subject,
            body,
            django_settings.DEFAULT_FROM_EMAIL,
            addresses,
            headers={CLUSTER_HEADER: row.cluster.slug},
        )
    now = timezone.now()
    with transaction.atomic():
        if not error:
            outbox_enqueue(
                cluster=row.cluster,
                messages=[message],
                source=f"aid:{kind}:{row.pk}",
                statutory=True,
                user=user,
            )
        changes: dict[str, Any] = {
            "notice": kind,
            "emailed_to": addresses if not error else [],
            "send_error": error,
        }
        if not error:
            changes["result_sent_at"] = [
                row.result_sent_at.isoformat() if row.result_sent_at else None,
                now.isoformat(),
            ]
            Application.objects.filter(pk=row.pk).update(result_sent_at=now)
        audit_record(
            cluster=row.cluster,
            user=user,
            action=NOTICE,
            instance=row,
            object_repr=_repr(row),
            changes=changes,
        )
    return Notice(row.pk, tuple(addresses) if not error else (), error)


def notices_of(application: Application) -> list[AuditLog]:
    """The notices told to the applicant, newest first."""
    return list(
        AuditLog.objects.filter(
            model=Application._meta.label, object_id=str(application.pk), action=NOTICE
        ).order_by("-at", "-id")
    )


def application_notify(*, application: Application, user: Any) -> Notice:
    """AID-4 (003 §4.3): the applicant is told the result of the verification — complete, or
    what is missing. Only an application still being verified."""
    if application.status not in OPEN:
        raise ValidationError(_("The application is decided already; its result was sent then."))
    return notify(application=application, kind="verified", user=user)


# -- AID-5: choosing, the ranking list, the return ------------------------------------------------


def _set_status(row: Application, status: str, user: Any, **extra: Any) -> None:
    audit_record(
        cluster=row.cluster,
        user=user,
        action="update",
        instance=row,
        object_repr=_repr(row),
        changes={"status": [row.status, status], **extra},
    )
    row.status = status
    row.save(update_fields=["status", "updated_at"])


def open_ranking_of(application: Application) -> Ranking | None:
    return (
        Ranking.objects.filter(entries__application=application, approved_on__isnull=True)
        .distinct()
        .first()
    )


def application_decide(*, application: Application, user: Any) -> tuple[Application, Notice]:
    """A complete application no other complete one competes with (003 §5.3 needs a ranking list
    only when several want the product at the same time): chosen when its period is free, else
    it waits for the return (003 §5.4). The applicant is told."""
    with transaction.atomic():
        _lock_equipment(application.equipment_id)
        row = _lock_application(application)
        if row.status != S.COMPLETE:
            raise ValidationError(_("Only a complete application can be chosen."))
        if competitors(row):
            raise ValidationError(
                _(
                    "Other complete applications want this product at the same time: make a "
                    "ranking list for it."
                )
            )
        if open_ranking_of(row) is not None:
            raise ValidationError(_("The application is on a ranking list not yet approved."))
        free = not any(row_period(row).overlaps(p) for p in taken_periods(row.equipment))
        _set_status(row, S.CHOSEN if free else S.WAITING, user)
    return row, notify(application=row, kind="chosen" if free else "waiting", user=user)


def row_period(row: Application) -> rules.Period:
    return rules.Period(row.start, row.end)


def ranking_create(
    *, cluster: Cluster, equipment: Equipment, start: dt.date, end: dt.date, user: Any
) -> Ranking:
    """AID-5 (003 §5.3): a ranking list of the complete applications for the product whose
    periods overlap ``start``–``end``; more than one must compete."""
    if end < start:
        raise ValidationError({"end": _("The period ends before it begins.")})
    with transaction.atomic():
        row = _lock_equipment(equipment.pk)
        if row.cluster_id != cluster.pk:
            raise ValidationError(_("The product is not of this cluster."))
        apps = list(
            Application.objects.filter(
                equipment=row, status=S.COMPLETE, start__lte=end, end__gte=start
            ).order_by("arrived_at", "pk")
        )
        busy = {
            e.application_id
            for e in RankingEntry.objects.filter(
                application__in=apps, ranking__approved_on__isnull=True
            )
        }
        apps = [a for a in apps if a.pk not in busy]
        if len(apps) < 2:
            raise ValidationError(
                _(
                    "A ranking list is made when at least two complete applications want the "
                    "product for overlapping days; in this period there are %(n)s."
                )
                % {"n": len(apps)}
            )
        ranking = Ranking(cluster=cluster, equipment=row, start=start, end=end)
        ranking.save()
        RankingEntry.objects.bulk_create(
            [
                RankingEntry(ranking=ranking, application=a, position=i)
                for i, a in enumerate(apps, 1)
            ]
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=ranking,
            object_repr=f"{row.name}: {start:%d.%m.%Y} – {end:%d.%m.%Y}",
            changes={"applications": [None, [a.pk for a in apps]]},
        )
        return ranking


def ranking_order(ranking: Ranking, entries: list[RankingEntry] | None = None) -> rules.Ranked:
    """The list's order by the rule (the evaluation, then arrival) and who fits."""
    entries = (
        entries if entries is not None else list(ranking.entries.select_related("application"))
    )
    ids = {e.application_id for e in entries}
    return rules.rank(
        [request_of(e.application) for e in entries],
        taken=taken_periods(ranking.equipment, without=ids),
    )


def ranking_scores(*, ranking: Ranking, scores: dict[int, Decimal | None], user: Any) -> None:
    """The evaluations of the applications on a list not yet approved."""
    with transaction.atomic():
        locked = Ranking.objects.select_for_update().get(pk=ranking.pk)
        if locked.approved_on is not None:
            raise ValidationError(_("The ranking list is approved; its evaluations are final."))
        for entry in locked.entries.select_related("application"):
            if entry.application_id not in scores:
                continue
            value = scores[entry.application_id]
            app = entry.application
            if value is not None and not (Decimal("0") <= value <= Decimal("999.99")):
                raise ValidationError(_("An evaluation is a number from 0 to 999.99."))
            if app.score != value:
                audit_record(
                    cluster=locked.cluster,
                    user=user,
                    action="update",
                    instance=app,
                    object_repr=_repr(app),
                    changes={
                        "score": [
                            str(app.score) if app.score is not None else None,
                            str(value) if value is not None else None,
                        ]
                    },
                )
                Application.objects.filter(pk=app.pk).update(score=value)


def ranking_approve(
    *,
    ranking: Ranking,
    approved_on: dt.date,
    approved_by: str,
    approval_ref: str,
    user: Any,
) -> tuple[Ranking, list[Notice]]:
    """AID-5 (003 §5.3): the list approved by the coordinator's management: the order by the
    rule is fixed on the list, the ones who fit are chosen and the rest wait (003 §5.4); each
    applicant is told."""
    if not approved_by.strip():
        raise ValidationError({"approved_by": _("Say who approved the list.")})
    if not approval_ref.strip():
        raise ValidationError({"approval_ref": _("Give the management's resolution.")})
    if approved_on > timezone.localdate():
        raise ValidationError({"approved_on": _("The approval cannot be dated in the future.")})
    with transaction.atomic():
        _lock_equipment(ranking.equipment_id)
        locked = Ranking.objects.select_for_update().get(pk=ranking.pk)
        if locked.approved_on is not None:
            raise ValidationError(_("The ranking list is approved already."))
        entries = list(
            locked.entries.select_related("application__member", "application__equipment")
        )
        stale = [e for e in entries if e.application.status != S.COMPLETE]
        if stale:
            raise ValidationError(
                _(
                    "An application on the list is no longer complete or was decided "
                    "(%(names)s); make a new ranking list."
                )
                % {"names": ", ".join(e.application.member.name for e in stale)}
            )
        ranked = ranking_order(locked, entries)
        if ranked.refusal is not None:
            from klaster.core.say import say

            raise ValidationError(say(ranked.refusal))
        by_app = {e.application_id: e for e in entries}
        for place in ranked.places:
            entry = by_app[place.request.id]
            entry.position, entry.chosen = place.position, place.chosen
        RankingEntry.objects.bulk_update(entries, ["position", "chosen"])
        locked.approved_on = approved_on
        locked.approved_by = approved_by.strip()
        locked.approval_ref = approval_ref.strip()
        locked.save(update_fields=["approved_on", "approved_by", "approval_ref"])
        audit_record(
            cluster=locked.cluster,
            user=user,
            action="update",
            instance=locked,
            object_repr=f"{locked.equipment.name}: {locked.start:%d.%m.%Y} – {locked.end:%d.%m.%Y}",
            changes={
                "approved_on": [None, str(approved_on)],
                "approved_by": ["", locked.approved_by],
                "approval_ref": ["", locked.approval_ref],
                "order": [None, [p.request.id for p in ranked.places]],
            },
        )
        decided = []
        for place in ranked.places:
            app = by_app[place.request.id].application
            _set_status(app, S.CHOSEN if place.chosen else S.WAITING, user)
            decided.append((app, place.chosen))
    notices = [
        notify(application=app, kind="chosen" if chosen else "waiting", user=user)
        for app, chosen in decided
    ]
    return locked, notices


def _hand_over(equipment: Equipment, day, user, **why: Any):
    """AID-5 (003 §5.4): the product freed on ``day`` goes to the next in line, if any — chosen
    and its status change audited with ``why``; returns (the rule's answer, the application)."""
    hand = rules.next_in_line(_waiting_requests(equipment), day, taken=taken_periods(equipment))
    if hand.chosen is None:
        return hand, None
    chosen = Application.objects.select_related("member", "equipment", "cluster").get(
        pk=hand.chosen.id
    )
    _set_status(chosen, S.CHOSEN, user, **why)
    return hand, chosen


def _waiting_requests(equipment: Equipment) -> list[rules.Request]:
    """The applications waiting for the product, with their places on approved lists."""
    rows = list(Application.objects.filter(equipment=equipment, status=S.WAITING))
    positions: dict[int, int] = {}
    for app_id, position in RankingEntry.objects.filter(
        application__in=rows, ranking__approved_on__isnull=False
    ).values_list("application_id", "position"):
        positions[app_id] = min(position, positions.get(app_id, position))
    return [request_of(a, positions.get(a.pk)) for a in rows]


def contract_return(
    *, contract: Contract, returned_on: dt.date, user: Any
) -> tuple[Contract, rules.HandOver, Notice | None]:
    """003 §5.4: the product of a contract is returned; the next waiting application in line
    (first on its approved ranking list, then by arrival) whose days are free is chosen and told."""
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The return cannot be dated in the future.")})
    with transaction.atomic():
        equipment = _lock_equipment(contract.application.equipment_id)
        row = Contract.objects.select_for_update().select_related("application").get(pk=contract.pk)
        if row.status != Contract.Status.SIGNED:
            raise ValidationError(_("The product of this contract is not out on loan."))
        if returned_on < row.signed_on:
            raise ValidationError(
                {"returned_on": _("The product cannot be returned before the contract was signed.")}
            )
        audit_record(
            cluster=row.cluster,
            user=user,
            action="update",
            instance=row,
            object_repr=f"{row.number}",
            changes={
                "status": [row.status, Contract.Status.RETURNED],
                "returned_on": [None, str(returned_on)],
            },
        )
        row.status = Contract.Status.RETURNED
        row.returned_on = returned_on
        row.save(update_fields=["status", "returned_on"])
        app = row.application
        if app.status == S.CONTRACTED:
            _set_status(app, S.RETURNED, user)
        hand, chosen = _hand_over(equipment, returned_on, user, after_return_of=row.number)
    notice = notify(application=chosen, kind="returned", user=user) if chosen else None
    return row, hand, notice
