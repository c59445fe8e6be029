"""Fee types and the dated tariff (FIN-1).

001 fin. 2: the monthly dues depend on the partner's status; the amounts are net, "powiększone
o należny podatek VAT w wysokości obowiązującej w dacie wystawienia faktury" — VAT at the rate
in force on the invoice date. Other member types and strategic partners follow the cluster's
tariff: data, editable, dated (`Tariff.valid_from`); `tariff_in_force` picks the version.

Each fee type carries its VAT treatment as dated settings, because tax rulings on membership
dues go both ways and the cluster chooses: "taxable" (a faktura with VAT at the rate in force
on the issue date, from a dated rate table) or "outside_vat" (a debit note — nota
obciążeniowa — with no VAT, never a faktura).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from klaster.rules.message import Msg, define
from klaster.rules.money._common import (
    EMPTY,
    MISSING,
    MoneyInputError,
    amount,
    choice,
    non_negative,
    to_grosz,
)

SIZE_CLASSES = ("micro", "small", "medium", "large")
#: Fee types every cluster has; a cluster may add others (any key).
DUES = "dues"
ENTRY_FEE = "entry_fee"

Treatment = Literal["taxable", "outside_vat"]
TREATMENTS: tuple[Treatment, ...] = ("taxable", "outside_vat")
#: The document a treatment produces.
DOCUMENT_KIND: Mapping[str, str] = {"taxable": "invoice", "outside_vat": "debit_note"}

TAXABLE_MSG = define(
    "money.vat.taxable",
    "Taxable: VAT {rate} in force on {day}, the issue date (001 fin. 2); an invoice.",
)
OUTSIDE_MSG = define(
    "money.vat.outside",
    "Outside the scope of VAT by the cluster's setting of {since}: a debit note without VAT.",
)
NO_VAT_RATE = define("money.vat.no_rate", "no VAT rate is in force on {day}")
NO_TREATMENT = define("money.vat.no_treatment", "the fee type “{fee}” has no VAT setting on {day}")
NO_PRICE = define("money.tariff.no_price", "the tariff of {since} has no amount for “{category}”")


@dataclass(frozen=True)
class VatRate:
    """The basic VAT rate from `valid_from` (art. 41 ust. 1 with art. 146ef ustawy o VAT: 23 %)."""

    valid_from: dt.date
    rate: Fraction


#: Poland's basic rate: 23 % since 1 January 2011 (art. 146a, now art. 146ef ustawy o VAT).
VAT_RATES_PL: tuple[VatRate, ...] = (VatRate(dt.date(2011, 1, 1), Fraction(23, 100)),)


def vat_rate_on(day: dt.date, rates: Iterable[VatRate] = VAT_RATES_PL) -> Fraction:
    in_force = [r for r in rates if r.valid_from <= day]
    if not in_force:
        raise MoneyInputError(
            "vat_rates", Msg.of(MISSING, field="vat_rates", what=Msg.of(NO_VAT_RATE, day=day))
        )
    return max(in_force, key=lambda r: r.valid_from).rate


@dataclass(frozen=True)
class VatSetting:
    """From `valid_from` on, the fee type is `treatment` (a dated, editable setting)."""

    valid_from: dt.date
    treatment: Treatment

    def __post_init__(self) -> None:
        choice("treatment", self.treatment, TREATMENTS)


@dataclass(frozen=True)
class FeeType:
    """A kind of charge: monthly dues, the entry fee, or one the cluster adds.

    `interest_regime` is "statutory" (art. 481 KC, the default) or "commercial" (the
    commercial-transactions rate); `recovery_compensation` adds the EUR 40/70/100 (off by
    default) — see `interest.py`.
    """

    key: str
    vat: tuple[VatSetting, ...]
    interest_regime: Literal["statutory", "commercial"] = "statutory"
    recovery_compensation: bool = False

    def __post_init__(self) -> None:
        if not self.key:
            raise MoneyInputError("key", Msg.of(EMPTY, field="key"))
        choice("interest_regime", self.interest_regime, ("statutory", "commercial"))

    def setting_on(self, day: dt.date) -> VatSetting:
        in_force = [s for s in self.vat if s.valid_from <= day]
        if not in_force:
            raise MoneyInputError(
                "vat",
                Msg.of(MISSING, field="vat", what=Msg.of(NO_TREATMENT, fee=self.key, day=day)),
            )
        return max(in_force, key=lambda s: s.valid_from)


@dataclass(frozen=True)
class VatLine:
    """One document line: net, VAT (rounded half up to the grosz, once per line) and gross."""

    net: Decimal
    treatment: Treatment
    kind: str  # "invoice" or "debit_note"
    rate: Fraction | None  # None outside VAT
    vat: Decimal
    gross: Decimal
    message: Msg


def vat_line(
    fee: FeeType, net: Decimal, issued: dt.date, rates: Iterable[VatRate] = VAT_RATES_PL
) -> VatLine:
    """The VAT of a line of `net` for `fee` on a document issued on `issued`."""
    net = amount("net", net)
    setting = fee.setting_on(issued)
    if setting.treatment == "outside_vat":
        return VatLine(
            net=net,
            treatment="outside_vat",
            kind=DOCUMENT_KIND["outside_vat"],
            rate=None,
            vat=Decimal("0.00"),
            gross=to_grosz(net),
            message=Msg.of(OUTSIDE_MSG, since=setting.valid_from),
        )
    rate = vat_rate_on(issued, rates)
    vat = to_grosz(Fraction(net) * rate)
    return VatLine(
        net=net,
        treatment="taxable",
        kind=DOCUMENT_KIND["taxable"],
        rate=rate,
        vat=vat,
        gross=to_grosz(net) + vat,
        message=Msg.of(TAXABLE_MSG, rate=rate, day=issued),
    )


@dataclass(frozen=True)
class Tariff:
    """Monthly net amounts per category from `valid_from` (until the next version).

    Categories: the size classes "micro", "small", "medium", "large" for partners, and any key
    the cluster uses for other member types or strategic partner categories (e.g.
    "strategic_partner", "type:university"). An amount of 0 is a category without dues.
    """

    valid_from: dt.date
    monthly: Mapping[str, Decimal] = field(hash=False)

    def __post_init__(self) -> None:
        checked = {}
        for category, value in self.monthly.items():
            name = f"monthly[{category}]"
            checked[category] = non_negative(name, amount(name, value))
        object.__setattr__(self, "monthly", checked)

    def monthly_for(self, category: str) -> Decimal:
        if category not in self.monthly:
            raise MoneyInputError(
                "category",
                Msg.of(
                    MISSING,
                    field="category",
                    what=Msg.of(NO_PRICE, since=self.valid_from, category=category),
                ),
            )
        return self.monthly[category]

    def annual_for(self, category: str) -> Decimal:
        """The annual dues (12 months at this version's amount): the base of the entry fee."""
        return self.monthly_for(category) * 12


def tariff_in_force(versions: Iterable[Tariff], on: dt.date) -> Tariff | None:
    """The version with the latest `valid_from` not after `on`; None when none is in force."""
    in_force = [v for v in versions if v.valid_from <= on]
    if not in_force:
        return None
    return max(in_force, key=lambda v: v.valid_from)


#: 001 fin. 2 ("Finansowanie inicjatywy klastrowej"): monthly net dues by size, PLN.
EVOLUMA_MONTHLY: Mapping[str, Decimal] = {
    "micro": Decimal("180.00"),
    "small": Decimal("420.00"),
    "medium": Decimal("900.00"),
    "large": Decimal("1200.00"),
}


def evoluma_tariff(valid_from: dt.date, **others: Decimal) -> Tariff:
    """The evoluma preset (001 fin. 2), with amounts for other categories the cluster adds."""
    return Tariff(valid_from=valid_from, monthly={**EVOLUMA_MONTHLY, **others})


def default_fee_types(since: dt.date, treatment: Treatment = "taxable") -> tuple[FeeType, ...]:
    """Monthly dues and the entry fee, both with one VAT setting from `since`."""
    return (
        FeeType(DUES, (VatSetting(since, treatment),)),
        FeeType(ENTRY_FEE, (VatSetting(since, treatment),)),
    )
