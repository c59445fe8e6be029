"""Admission (GOV-12) and the end of membership (resignation, exclusion, striking off) as membership
events through `klaster.members.services.member_event_add` (MEM-6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record, snapshot
from klaster.core.concurrency import Tracked
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.core.updates import audited_update
from klaster.governance import hooks, literals
from klaster.governance.models import Admission, AgendaItem, FeePayment, Meeting, Seat
from klaster.governance.selectors import _standings, meeting_profile
from klaster.members.models import Member
from klaster.members.services import member_event_add
from klaster.rules import governance as rules
from klaster.rules.governance.admission import PRESENTATION_AGENDA
from klaster.rules.message import Msg, to_json

ADMISSION_FIELDS = [
    "category",
    "declaration_signed_on",
    "rules_accepted_on",
    "monitoring_data_provided",
    "presentation_sent_on",
    "entry_fee_due",
    "meeting_id",
    "decision",
]
# what the candidate's form changes; the meeting and the decision come from scheduling and the vote
ADMISSION_EDITABLE = [f for f in ADMISSION_FIELDS if f not in ("decision", "meeting_id")]


def fee_paid(admission: Admission) -> list[tuple[dt.date, Decimal]]:
    """GOV-12 / FIN-6: the payments towards the entry fee — from the ledger when the money app
    issued the fee as a document (its hook), else the ones the office recorded on the file."""
    from_ledger = hooks.fee_payments(admission)
    if from_ledger is not None:
        return from_ledger
    return [(p.paid_on, p.amount) for p in admission.payments.all()]


def readiness(admission: Admission, meeting: Meeting | None = None) -> rules.AdmissionReadiness:
    """GOV-12: what is still missing before the candidate may be put to the vote at `meeting`."""
    meeting = meeting or admission.meeting
    if meeting is None:
        raise ValidationError(
            "Kandydat nie ma wyznaczonego posiedzenia, na którym organ ma o nim zdecydować."
        )
    profile = meeting_profile(meeting)  # the deciding meeting's own statute version
    current = [
        s.member_id for s in _standings(admission.cluster, meeting.date, None) if s.left is None
    ]
    on_agenda = AgendaItem.objects.filter(
        meeting=meeting, kind=AgendaItem.Kind.PRESENTATION, title__contains=admission.candidate.name
    ).exists()
    case = rules.AdmissionCase(
        candidate_id=str(admission.candidate_id),
        category=literals.category(admission.category),
        declaration_signed=admission.declaration_signed_on is not None,
        rules_accepted=admission.rules_accepted_on is not None,
        monitoring_data_provided=admission.monitoring_data_provided,
        recommender_ids=tuple(str(m) for m in admission.recommenders.values_list("id", flat=True)),
        presentation_sent_on=admission.presentation_sent_on,
        presentation_on_agenda=on_agenda,
        entry_fee_due=Decimal(str(admission.entry_fee_due)),
        fee_payments=tuple(rules.FeePayment(day, amount) for day, amount in fee_paid(admission)),
    )
    others = [c for c in current if c != str(admission.candidate_id)]
    return rules.admission_readiness(profile, case, meeting.date, others)


@transaction.atomic
def admission_open(
    *, cluster: Cluster, user: Any, candidate: Member, category: str, filed_on: dt.date
) -> Admission:
    """Open a candidate's file; the candidate becomes a "candidate" membership event (MEM-6)."""
    if candidate.cluster_id != cluster.pk:
        raise ValidationError({"candidate": "Kandydat musi być zapisany w rejestrze tego klastra."})
    if not candidate.events.exists():
        member_event_add(member=candidate, user=user, kind="candidate", date=filed_on)
    admission = Admission.objects.create(cluster=cluster, candidate=candidate, category=category)
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=admission,
        object_repr=f"Kandydatura: {candidate}",
    )
    return admission


def admission_tracked(admission: Admission) -> Tracked:
    """What the candidate's form shows: its conditions and recommenders (klaster.core.concurrency)."""
    values = snapshot(admission, ADMISSION_FIELDS)
    values["recommenders"] = sorted(admission.recommenders.values_list("name", flat=True))
    return Tracked(admission._meta.label, str(admission.pk), values, Admission)


@transaction.atomic
def admission_update(
    *,
    admission: Admission,
    user: Any,
    data: dict[str, Any],
    recommenders: list[Member] | None = None,
    expected_version: str | None = None,
) -> Admission:
    def refuse_decided(locked: Admission) -> None:
        if locked.decision != Admission.Decision.PENDING:
            raise ValidationError(_("The candidate has already been decided on."))

    def set_recommenders(saved: Admission) -> dict[str, Any] | None:
        if recommenders is None:
            return None
        own = [
            m
            for m in recommenders
            if m.cluster_id == saved.cluster_id and m.pk != saved.candidate_id
        ]
        old = sorted(saved.recommenders.values_list("name", flat=True))
        saved.recommenders.set(own)
        return {"recommenders": [old, sorted(m.name for m in own)]}

    return audited_update(
        admission,
        fields=ADMISSION_FIELDS,
        editable=ADMISSION_EDITABLE,
        changes=data,
        expected_version=expected_version,
        tracked=admission_tracked,
        apply=refuse_decided,
        after_save=set_recommenders,
        object_repr=lambda a: f"Kandydatura: {a.candidate}",
        actor=user,
        audit_unchanged=True,
    ).obj


@transaction.atomic
def fee_payment_add(
    *, admission: Admission, user: Any, paid_on: dt.date, amount: Decimal
) -> FeePayment:
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    payment = FeePayment.objects.create(admission=admission, paid_on=paid_on, amount=amount)
    audit_record(
        cluster=admission.cluster,
        user=user,
        action="create",
        instance=payment,
        object_repr=f"Wpisowe: {admission.candidate}",
        changes={"amount": [None, str(amount)]},
    )
    return payment


@transaction.atomic
def admission_schedule(*, admission: Admission, user: Any, meeting: Meeting) -> Admission:
    """Put the candidate before the organ that decides (Partners: the Board; Strategic Partners: the
    Council): the presentation and the decision go on that meeting's agenda."""
    admission = (
        Admission.objects.select_for_update().select_related("candidate").get(pk=admission.pk)
    )
    profile = meeting_profile(meeting)
    deciding = rules.deciding_organ(profile, literals.category(admission.category))
    if meeting.organ.kind != deciding.organ:
        raise ValidationError(say(deciding.message))
    if meeting.status == Meeting.Status.CLOSED:
        raise ValidationError(_("The meeting is closed."))
    last = meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0
    name = admission.candidate.name
    AgendaItem.objects.create(
        organ=meeting.organ,
        meeting=meeting,
        position=last + 1,
        kind=AgendaItem.Kind.PRESENTATION,
        title=f"Prezentacja kandydata: {name}"[:500],
        reason_msg=to_json(Msg.of(PRESENTATION_AGENDA)),
    )
    AgendaItem.objects.create(
        organ=meeting.organ,
        meeting=meeting,
        position=last + 2,
        kind=AgendaItem.Kind.ADMISSION,
        title=f"Przyjęcie w poczet członków: {name}"[:500],
        reason_msg=to_json(deciding.message),
    )
    before = admission.meeting_id
    admission.meeting = meeting
    admission.save(update_fields=["meeting"])
    audit_record(
        cluster=admission.cluster,
        user=user,
        action="schedule",
        instance=admission,
        object_repr=f"Kandydatura: {name}",
        changes={"meeting_id": [before, meeting.pk]},
    )
    return admission


@transaction.atomic
def admission_decide(*, admission: Admission, user: Any, admitted: bool, on: dt.date) -> Admission:
    """The organ's vote decided: an admitted candidate gets the "admitted" event dated that day; a
    refused one keeps its deposit (001 „Nowi członkowie” 2c)."""
    admission = (
        Admission.objects.select_for_update().select_related("candidate").get(pk=admission.pk)
    )
    if admission.decision != Admission.Decision.PENDING:
        raise ValidationError(_("The candidate has already been decided on."))
    admission.decision = Admission.Decision.ADMITTED if admitted else Admission.Decision.REFUSED
    admission.decided_on = on
    admission.save(update_fields=["decision", "decided_on"])
    if admitted:
        member_event_add(
            member=admission.candidate,
            user=user,
            kind="admitted",
            date=on,
            note="Uchwała organu o przyjęciu (GOV-12).",
        )
    audit_record(
        cluster=admission.cluster,
        user=user,
        action="decide",
        instance=admission,
        object_repr=f"Kandydatura: {admission.candidate}",
        changes={"decision": ["pending", admission.decision]},
    )
    return admission


@transaction.atomic
def membership_end(
    *, member: Member, user: Any, kind: str, date: dt.date, note: str = "", document: str = ""
) -> None:
    """Resignation (effective the day the statement reaches the coordinator, 000 §6.3), exclusion or
    striking off: a membership event, and the member's persons leave their seats that day."""
    if kind not in ("resigned", "excluded", "struck_off"):
        raise ValidationError(
            {"kind": "Koniec członkostwa: rezygnacja, wykluczenie albo skreślenie."}
        )
    member_event_add(member=member, user=user, kind=kind, date=date, note=note, document=document)
    from klaster.governance.services.organs import seat_end

    for seat in Seat.objects.filter(member=member, ended_on__isnull=True).order_by("pk"):
        seat_end(seat=seat, user=user, on=date, reason=f"Koniec członkostwa podmiotu ({kind}).")
