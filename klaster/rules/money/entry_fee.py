"""Entry fee, its advance, waivers and the fee on return (FIN-6, FIN-8).

001 "Opłaty wpisowe" 1–2: twice the annual dues of the member's size; once the annual dues for
a candidate whose seat is within the radius of the coordinator (000 §6.2.1, 150 km) — the
amount itself is `klaster.rules.governance.admission.entry_fee` (one rule, one place); an
unknown distance gets the full fee, and the reason says so.
001 "Nowi członkowie" 2c: a share of it (25 %, `AdmissionRules.fee_deposit_share`) is paid
before the deciding meeting and is not refunded if admission is refused; 2d: the members with
a vote may waive the fee in part or whole on a documented request (the waived amount is an
input: the vote's outcome).
001 "Powrót" 1–2: a return "w terminie krótszym niż 2 lata" from the resignation pays half the
entry fee (`return_within_share`), a later one the whole (`return_later_share`); two years
from the resignation day are counted as calendar years (KC art. 112): a return on the second
anniversary is no longer "shorter than 2 years".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from klaster.rules.calendar import add_months
from klaster.rules.governance.admission import entry_fee
from klaster.rules.message import Money, Msg, define
from klaster.rules.money._common import (
    MoneyInputError,
    NotInStatute,
    amount,
    check_order,
    non_negative,
    to_grosz,
)
from klaster.rules.statute import StatuteProfile

TERMS = define(
    "money.entry_fee.terms",
    "{fee} Waived by the members' vote: {waived}; to pay {payable}, of which {deposit} "
    "({share}) before the deciding meeting, not refunded if admission is refused.",
)
TERMS_NO_DEPOSIT = define(
    "money.entry_fee.terms_no_deposit",
    "{fee} Waived by the members' vote: {waived}; to pay {payable}.",
)
WAIVER_TOO_BIG = define(
    "money.entry_fee.waiver_too_big", "The waiver {waived} is more than the entry fee {fee}."
)
REFUSED = define(
    "money.entry_fee.refused",
    "Admission refused: the advance paid, {paid}, is kept (001 “New members” 2c); nothing is "
    "refunded.",
)
RETURN_WITHIN = define(
    "money.entry_fee.return_within",
    "Return on {on}, less than {years} {years:year|years} after the resignation of {resigned} "
    "(until {limit}): {share} of the entry fee {fee} = {amount} (001 “Return” 1).",
)
RETURN_LATER = define(
    "money.entry_fee.return_later",
    "Return on {on}, {years} {years:year|years} or more after the resignation of {resigned} "
    "(from {limit}): {share} of the entry fee {fee} = {amount} (001 “Return” 2).",
)
ENTRY_FEE_WORDS = define("money.entry_fee.what", "an entry fee")


@dataclass(frozen=True)
class EntryFeeTerms:
    fee: Decimal  # before any waiver
    waived: Decimal
    payable: Decimal
    deposit: Decimal  # due before the deciding meeting; kept on refusal
    deposit_share: Fraction | None
    multiplier: int
    message: Msg
    rule_id: str = "FIN-6"


def entry_fee_terms(
    profile: StatuteProfile,
    annual_dues: Decimal,
    distance_km: Decimal | int | None,
    waived: Decimal = Decimal("0.00"),
) -> EntryFeeTerms:
    """The candidate's entry fee, the waiver voted, what is left to pay and the advance."""
    annual_dues = non_negative("annual_dues", amount("annual_dues", annual_dues))
    waived = non_negative("waived", amount("waived", waived))
    base = entry_fee(profile, annual_dues, distance_km)
    if waived > base.amount:
        raise MoneyInputError(
            "waived", Msg.of(WAIVER_TOO_BIG, waived=Money(waived), fee=Money(base.amount))
        )
    payable = base.amount - waived
    share = profile.admission.fee_deposit_share if profile.admission is not None else None
    deposit = to_grosz(Fraction(payable) * share) if share is not None else Decimal("0.00")
    if share is None:
        message = Msg.of(
            TERMS_NO_DEPOSIT, fee=base.message, waived=Money(waived), payable=Money(payable)
        )
    else:
        message = Msg.of(
            TERMS,
            fee=base.message,
            waived=Money(waived),
            payable=Money(payable),
            deposit=Money(deposit),
            share=share,
        )
    return EntryFeeTerms(
        fee=base.amount,
        waived=waived,
        payable=payable,
        deposit=deposit,
        deposit_share=share,
        multiplier=base.multiplier,
        message=message,
    )


@dataclass(frozen=True)
class Refusal:
    kept: Decimal
    refund: Decimal
    message: Msg
    rule_id: str = "FIN-6"


def on_refusal(deposit_paid: Decimal) -> Refusal:
    """Admission refused: the advance paid is kept, nothing refunded (001 "Nowi członkowie" 2c)."""
    paid = non_negative("deposit_paid", amount("deposit_paid", deposit_paid))
    return Refusal(kept=paid, refund=Decimal("0.00"), message=Msg.of(REFUSED, paid=Money(paid)))


@dataclass(frozen=True)
class ReturnFee:
    amount: Decimal
    share: Fraction
    within: bool
    limit: dt.date  # the first day the full fee applies
    message: Msg
    rule_id: str = "FIN-8"


def return_fee(
    profile: StatuteProfile, fee: Decimal, resigned: dt.date, returns_on: dt.date
) -> ReturnFee:
    """The entry fee on return after a resignation (`fee`: the entry fee due to the member
    today, `entry_fee_terms(...).fee`)."""
    rule = profile.entry_fee
    if rule is None:
        raise NotInStatute(profile, Msg.of(ENTRY_FEE_WORDS), "FIN-8")
    fee = non_negative("fee", amount("fee", fee))
    check_order("returns_on", resigned, returns_on)
    limit = add_months(resigned, 12 * rule.return_within_years)
    within = returns_on < limit
    share = rule.return_within_share if within else rule.return_later_share
    result = to_grosz(Fraction(fee) * share)
    return ReturnFee(
        amount=result,
        share=share,
        within=within,
        limit=limit,
        message=Msg.of(
            RETURN_WITHIN if within else RETURN_LATER,
            on=returns_on,
            years=rule.return_within_years,
            resigned=resigned,
            limit=limit,
            share=share,
            fee=Money(fee),
            amount=Money(result),
        ),
    )
