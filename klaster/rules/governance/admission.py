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
from klaster.rules.governance._common import (
    Explained,
    NotInStatute,
    date_text,
    money_text,
    organ_name,
)
from klaster.rules.governance.majority import rule_text
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
    reason: str


@dataclass(frozen=True, kw_only=True)
class DecidingOrgan(Explained):
    category: Category
    organ: Organ
    decision: str
    majority: MajorityRule
    majority_text: str


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
        organ, decision = rules.partner_organ, DECISION_ADMIT_PARTNER
        who = "Partnera"
    else:
        organ, decision = rules.strategic_partner_organ, DECISION_ADMIT_STRATEGIC_PARTNER
        who = "Partnera Strategicznego"
    majority = profile.organ(organ).majority_for(decision)
    words = rule_text(majority)
    return DecidingOrgan(
        rule_id=RULE_ID,
        reason=f"O przyjęciu {who} decyduje {organ_name(organ)}: {words}.",
        category=category,
        organ=organ,
        decision=decision,
        majority=majority,
        majority_text=words,
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

    def lack(code: MissingCode, reason: str) -> None:
        missing.append(MissingItem(code, reason))

    if rules.requires_declaration and not case.declaration_signed:
        lack("declaration", "Brak podpisanej deklaracji członkowskiej.")
    if rules.requires_rules_acceptance and not case.rules_accepted:
        lack("rules_acceptance", "Brak akceptacji regulaminu klastra.")
    if rules.requires_monitoring_data and not case.monitoring_data_provided:
        lack("monitoring_data", "Brak danych do monitorowania wskaźników KKK.")

    valid: list[str] = []
    for r in case.recommender_ids:
        if r != case.candidate_id and r in current_member_ids and r not in valid:
            valid.append(r)
    if len(valid) < rules.min_recommendations:
        lack(
            "recommendations",
            f"Rekomendacje od obecnych członków: {len(valid)}, wymagane co najmniej "
            f"{rules.min_recommendations}.",
        )

    deadline = None
    if rules.presentation_business_days is not None:
        deadline = add_business_days(meeting_date, -rules.presentation_business_days)
        if case.presentation_sent_on is None:
            lack(
                "presentation_missing",
                f"Prezentacja nie została przesłana (termin: {date_text(deadline)}).",
            )
        elif case.presentation_sent_on > deadline:
            lack(
                "presentation_late",
                f"Prezentację przesłano {date_text(case.presentation_sent_on)}, a należało "
                f"najpóźniej {date_text(deadline)} ({rules.presentation_business_days} dni "
                f"roboczych przed posiedzeniem {date_text(meeting_date)}).",
            )
    if rules.presentation_on_agenda and not case.presentation_on_agenda:
        lack("presentation_not_on_agenda", "Prezentacja nie jest ujęta w porządku posiedzenia.")

    required = fee_deposit(profile, case.entry_fee_due)
    paid = sum((p.amount for p in case.fee_payments if p.paid_on < meeting_date), Decimal(0))
    if paid < required:
        lack(
            "fee_deposit",
            f"Przed posiedzeniem wpłacono {money_text(paid)} z wymaganych {money_text(required)} "
            "(część opłaty wpisowej, bezzwrotna w razie odmowy).",
        )

    deciding = deciding_organ(profile, case.category)
    ready = not missing
    reason = (
        f"Kandydat może zostać poddany pod głosowanie {date_text(meeting_date)}. {deciding.reason}"
        if ready
        else "Kandydata nie można poddać pod głosowanie: " + " ".join(m.reason for m in missing)
    )
    return AdmissionReadiness(
        rule_id=RULE_ID,
        reason=reason,
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
        raise NotInStatute(profile, "opłaty wpisowej", "FIN-6")
    distance = Decimal(distance_km) if distance_km is not None else None
    near = distance is not None and distance <= rule.near_radius_km
    multiplier = rule.near_multiplier if near else rule.annual_dues_multiplier
    amount = (annual_dues * multiplier).quantize(GROSZ)
    if distance is None:
        why = "odległość siedziby od Koordynatora nieznana"
    elif near:
        why = f"siedziba {distance} km od Koordynatora, nie dalej niż {rule.near_radius_km} km"
    else:
        why = f"siedziba {distance} km od Koordynatora, dalej niż {rule.near_radius_km} km"
    return EntryFee(
        rule_id="FIN-6",
        reason=(
            f"Opłata wpisowa {money_text(amount)} = {multiplier} × składka roczna "
            f"{money_text(annual_dues)} ({why})."
        ),
        annual_dues=annual_dues,
        distance_km=distance,
        multiplier=multiplier,
        amount=amount,
    )
