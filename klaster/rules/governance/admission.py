"""Admission of a new member: the checklist, the deciding organ and its majority (GOV-12),
and the entry fee it rests on (FIN-6 arithmetic from the profile).

Checklist (000 §6.1, §7.1; 001 "Nowi członkowie" 2): signed declaration, acceptance of the
rules, KKK monitoring data, recommendations from at least 2 current members, a presentation
sent at least 5 business days before the deciding meeting and put on its agenda, and 25% of
the entry fee paid before that meeting.

Readings:
- "sent at least 5 business days before the meeting": sent on or before the fifth business
  day counted back from the meeting's day (the meeting's day not counted). For a meeting on
  Monday 16.06.2025 the presentation must be sent by Monday 09.06.2025.
- "paid before the meeting": payments dated before the meeting's day (bank statements carry
  dates, not hours). The 25% is taken of the fee due after any waiver already granted, and is
  rounded up to the grosz so that a full quarter is paid.
- recommenders count once each, must be members on the meeting's day, and the candidate
  cannot recommend itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from typing import Literal

from klaster.rules.calendar import add_business_days
from klaster.rules.governance._common import Explained, NotInStatute, organ, sentences
from klaster.rules.governance.majority import rule_message
from klaster.rules.message import Money, Msg, define
from klaster.rules.statute import (
    DECISION_ADMIT_PARTNER,
    DECISION_ADMIT_STRATEGIC_PARTNER,
    Category,
    MajorityRule,
    Organ,
    StatuteProfile,
)

RULE_ID = "GOV-12"
GROSZ = Decimal("0.01")

DECIDES_PARTNER = define(
    "admission.decides_partner", "{organ} decides on admitting a Partner: {rule}."
)
DECIDES_STRATEGIC = define(
    "admission.decides_strategic_partner",
    "{organ} decides on admitting a Strategic Partner: {rule}.",
)
NO_DECLARATION = define("admission.declaration", "No signed membership declaration.")
NO_RULES_ACCEPTANCE = define(
    "admission.rules_acceptance", "The cluster's rules have not been accepted."
)
NO_MONITORING_DATA = define(
    "admission.monitoring_data", "No data for monitoring the KKK indicators."
)
RECOMMENDATIONS = define(
    "admission.recommendations",
    "Recommendations from current members: {n}, at least {required} required.",
)
PRESENTATION_MISSING = define(
    "admission.presentation_missing", "The presentation has not been sent (deadline: {deadline})."
)
PRESENTATION_LATE = define(
    "admission.presentation_late",
    "The presentation was sent on {sent}, but was due by {deadline} ({days} business days "
    "before the meeting on {meeting}).",
)
PRESENTATION_NOT_ON_AGENDA = define(
    "admission.presentation_not_on_agenda", "The presentation is not on the meeting's agenda."
)
FEE_DEPOSIT = define(
    "admission.fee_deposit",
    "Paid before the meeting: {paid} of the {required} required (part of the entry fee, not "
    "refunded if admission is refused).",
)
READY = define("admission.ready", "The candidate may be put to the vote on {meeting}. {deciding}")
NOT_READY = define("admission.not_ready", "The candidate cannot be put to the vote: {missing}")
PRESENTATION_AGENDA = define("admission.presentation_agenda", "001 “New members” 2b (GOV-12).")
NO_ENTRY_FEE = define("admission.no_entry_fee", "an entry fee")
DISTANCE_UNKNOWN = define(
    "entry_fee.distance_unknown", "the distance of the seat from the Coordinator is unknown"
)
NEAR = define(
    "entry_fee.near", "seat {distance} km from the Coordinator, not further than {radius} km"
)
FAR = define("entry_fee.far", "seat {distance} km from the Coordinator, further than {radius} km")
ENTRY_FEE = define(
    "entry_fee.amount", "Entry fee {amount} = {multiplier} × annual dues {dues} ({why})."
)

MissingCode = Literal[
    "declaration",
    "rules_acceptance",
    "monitoring_data",
    "recommendations",
    "presentation_missing",
    "presentation_late",
    "presentation_not_on_agenda",
    "fee_deposit",
]


@dataclass(frozen=True)
class FeePayment:
    paid_on: dt.date
    amount: Decimal


@dataclass(frozen=True)
class AdmissionCase:
    candidate_id: str
    category: Category
    declaration_signed: bool
    rules_accepted: bool
    monitoring_data_provided: bool
    recommender_ids: tuple[str, ...] = ()
    presentation_sent_on: dt.date | None = None
    presentation_on_agenda: bool = False
    #: The entry fee due, after any waiver the voting members granted (FIN-6).
    entry_fee_due: Decimal = Decimal(0)
    fee_payments: tuple[FeePayment, ...] = ()


@dataclass(frozen=True)
class MissingItem:
    code: MissingCode
    message: Msg


@dataclass(frozen=True, kw_only=True)
class DecidingOrgan(Explained):
    category: Category
    organ: Organ
    decision: str
    majority: MajorityRule
    majority_message: Msg


@dataclass(frozen=True, kw_only=True)
class AdmissionReadiness(Explained):
    candidate_id: str
    meeting_date: dt.date
    ready: bool
    missing: tuple[MissingItem, ...]
    deciding: DecidingOrgan
    valid_recommenders: tuple[str, ...]
    presentation_deadline: dt.date | None
    deposit_required: Decimal
    deposit_paid: Decimal


def deciding_organ(profile: StatuteProfile, category: Category) -> DecidingOrgan:
    """Partners by the Board (000 §6.3), Strategic Partners by the Council (000 §7.3.3)."""
    rules = profile.admission
    if category == "partner":
        key, decision, code = rules.partner_organ, DECISION_ADMIT_PARTNER, DECIDES_PARTNER
    else:
        key, decision = rules.strategic_partner_organ, DECISION_ADMIT_STRATEGIC_PARTNER
        code = DECIDES_STRATEGIC
    majority = profile.organ(key).majority_for(decision)
    words = rule_message(majority)
    return DecidingOrgan(
        rule_id=RULE_ID,
        message=Msg.of(code, organ=organ(key), rule=words),
        category=category,
        organ=key,
        decision=decision,
        majority=majority,
        majority_message=words,
    )


def fee_deposit(profile: StatuteProfile, entry_fee_due: Decimal) -> Decimal:
    share = profile.admission.fee_deposit_share
    if share is None:
        return Decimal(0)
    exact = entry_fee_due * share.numerator / share.denominator
    return exact.quantize(GROSZ, rounding=ROUND_UP)


def admission_readiness(
    profile: StatuteProfile,
    case: AdmissionCase,
    meeting_date: dt.date,
    current_member_ids: Collection[str],
) -> AdmissionReadiness:
    """Every condition still missing before the candidate may be put to the vote."""
    rules = profile.admission
    missing: list[MissingItem] = []

    def lack(code: MissingCode, message: Msg) -> None:
        missing.append(MissingItem(code, message))

    if rules.requires_declaration and not case.declaration_signed:
        lack("declaration", Msg.of(NO_DECLARATION))
    if rules.requires_rules_acceptance and not case.rules_accepted:
        lack("rules_acceptance", Msg.of(NO_RULES_ACCEPTANCE))
    if rules.requires_monitoring_data and not case.monitoring_data_provided:
        lack("monitoring_data", Msg.of(NO_MONITORING_DATA))

    valid: list[str] = []
    for r in case.recommender_ids:
        if r != case.candidate_id and r in current_member_ids and r not in valid:
            valid.append(r)
    if len(valid) < rules.min_recommendations:
        lack(
            "recommendations",
            Msg.of(RECOMMENDATIONS, n=len(valid), required=rules.min_recommendations),
        )

    deadline = None
    if rules.presentation_business_days is not None:
        deadline = add_business_days(meeting_date, -rules.presentation_business_days)
        if case.presentation_sent_on is None:
            lack("presentation_missing", Msg.of(PRESENTATION_MISSING, deadline=deadline))
        elif case.presentation_sent_on > deadline:
            lack(
                "presentation_late",
                Msg.of(
                    PRESENTATION_LATE,
                    sent=case.presentation_sent_on,
                    deadline=deadline,
                    days=rules.presentation_business_days,
                    meeting=meeting_date,
                ),
            )
    if rules.presentation_on_agenda and not case.presentation_on_agenda:
        lack("presentation_not_on_agenda", Msg.of(PRESENTATION_NOT_ON_AGENDA))

    required = fee_deposit(profile, case.entry_fee_due)
    paid = sum((p.amount for p in case.fee_payments if p.paid_on < meeting_date), Decimal(0))
    if paid < required:
        lack("fee_deposit", Msg.of(FEE_DEPOSIT, paid=Money(paid), required=Money(required)))

    deciding = deciding_organ(profile, case.category)
    ready = not missing
    message = (
        Msg.of(READY, meeting=meeting_date, deciding=deciding.message)
        if ready
        else Msg.of(NOT_READY, missing=sentences(*(m.message for m in missing)))
    )
    return AdmissionReadiness(
        rule_id=RULE_ID,
        message=message,
        candidate_id=case.candidate_id,
        meeting_date=meeting_date,
        ready=ready,
        missing=tuple(missing),
        deciding=deciding,
        valid_recommenders=tuple(valid),
        presentation_deadline=deadline,
        deposit_required=required,
        deposit_paid=paid,
    )


@dataclass(frozen=True, kw_only=True)
class EntryFee(Explained):
    annual_dues: Decimal
    distance_km: Decimal | None
    multiplier: int
    amount: Decimal


def entry_fee(
    profile: StatuteProfile, annual_dues: Decimal, distance_km: Decimal | int | None
) -> EntryFee:
    """001 "Opłaty wpisowe": twice the annual dues; once within 150 km of the coordinator.

    An unknown distance gets the full multiplier, and the reason says why.
    """
    rule = profile.entry_fee
    if rule is None:
        raise NotInStatute(profile, Msg.of(NO_ENTRY_FEE), "FIN-6")
    distance = Decimal(distance_km) if distance_km is not None else None
    near = distance is not None and distance <= rule.near_radius_km
    multiplier = rule.near_multiplier if near else rule.annual_dues_multiplier
    amount = (annual_dues * multiplier).quantize(GROSZ)
    if distance is None:
        why = Msg.of(DISTANCE_UNKNOWN)
    else:
        why = Msg.of(NEAR if near else FAR, distance=distance, radius=rule.near_radius_km)
    return EntryFee(
        rule_id="FIN-6",
        message=Msg.of(
            ENTRY_FEE,
            amount=Money(amount),
            multiplier=multiplier,
            dues=Money(annual_dues),
            why=why,
        ),
        annual_dues=annual_dues,
        distance_km=distance,
        multiplier=multiplier,
        amount=amount,
    )
