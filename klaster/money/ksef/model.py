"""An invoice as the KSeF adapter takes it: plain frozen dataclasses, no Django.

The money app fills these from its documents; `build_fa3` turns one into FA(3) XML. Amounts are
`Decimal` (never float) in PLN; dates are Warsaw calendar days; `created_at` is an aware instant.

Totals (FA(3) `P_13_x`/`P_14_x`/`P_15`) are computed here, once, the way art. 106e ust. 10 of
the VAT Act allows: each line's net value is quantity × net unit price rounded to the grosz; the
VAT of each rate is computed on the sum of that rate's net values and rounded to the grosz.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

GROSZ = Decimal("0.01")

# The rates a cluster's fees can carry, as FA(3) writes them in `P_12`, with their percentage
# (None for the exempt "zw"). 0 % is the domestic zero rate ("0 KR" in FA(3)).
VAT_RATES: Mapping[str, Decimal | None] = {
    "23": Decimal("23"),
    "8": Decimal("8"),
    "5": Decimal("5"),
    "0": Decimal("0"),
    "zw": None,
}


def to_grosz(amount: Decimal) -> Decimal:
    """Round half up to the grosz (0.005 → 0.01), the way Polish invoices round."""
    return amount.quantize(GROSZ, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Address:
    """A postal address in FA(3)'s two free lines: street and number, then postal code and town."""

    line1: str
    line2: str = ""
    country: str = "PL"


@dataclass(frozen=True)
class Party:
    """Seller or buyer. `nip` None: a buyer without a Polish NIP (FA(3) `BrakID`)."""

    name: str
    nip: str | None
    address: Address


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit: str
    unit_net_price: Decimal
    vat_rate: str  # a key of VAT_RATES
    #: a correcting invoice's line as it stood before the correction (FA(3) `StanPrzed`): it
    #: counts negatively in the totals, which are the differences
    before: bool = False

    @property
    def net(self) -> Decimal:
        return to_grosz(self.quantity * self.unit_net_price)


@dataclass(frozen=True)
class Payment:
    """Transfer to the cluster's (sub-)account by `due`; `title` is what the payer should write."""

    due: dt.date
    iban: str
    title: str = ""


@dataclass(frozen=True)
class RateTotal:
    rate: str
    net: Decimal
    vat: Decimal


@dataclass(frozen=True)
class Totals:
    by_rate: tuple[RateTotal, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal


def compute_totals(lines: tuple[Line, ...] | list[Line]) -> Totals:
    """The invoice's totals per rate and overall (see the module docstring for the rounding)."""
    nets: dict[str, Decimal] = {}
    for line in lines:
        net = -line.net if line.before else line.net
        nets[line.vat_rate] = nets.get(line.vat_rate, Decimal("0.00")) + net
    by_rate = []
    for rate, percent in VAT_RATES.items():  # a fixed order: the order of P_13_x in FA(3)
        if rate not in nets:
            continue
        net = to_grosz(nets[rate])
        vat = to_grosz(net * percent / 100) if percent is not None else Decimal("0.00")
        by_rate.append(RateTotal(rate=rate, net=net, vat=vat))
    net_total = sum((r.net for r in by_rate), Decimal("0.00"))
    vat_total = sum((r.vat for r in by_rate), Decimal("0.00"))
    return Totals(by_rate=tuple(by_rate), net=net_total, vat=vat_total, gross=net_total + vat_total)


@dataclass(frozen=True)
class CorrectedInvoice:
    """The invoice a correcting invoice corrects (FA(3) `DaneFaKorygowanej`): its number, issue
    date and KSeF number (None: it was issued outside KSeF, `NrKSeFN`)."""

    number: str
    issue_date: dt.date
    ksef_number: str | None


@dataclass(frozen=True)
class Invoice:
    """One VAT invoice (FA(3) `RodzajFaktury` VAT) for a cluster's fee.

    `period_from`/`period_to` is the billing period the dues cover (FA(3) `OkresFa`); both or
    neither. `totals`, when given, must equal what the lines compute (a guard against a ledger
    that rounded differently). `exemption_basis` is required when a line is exempt ("zw").
    """

    number: str
    issue_date: dt.date
    created_at: dt.datetime
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    payment: Payment | None = None
    totals: Totals | None = None
    place: str = ""
    exemption_basis: str = ""
    currency: str = "PLN"
    system_info: str = field(default="Klaster")
    #: a correcting invoice (FA(3) `RodzajFaktury` KOR): what it corrects and why; its lines
    #: are the state before (`Line.before`) and after, its totals the differences
    corrected: CorrectedInvoice | None = None
    correction_reason: str = ""

    def computed_totals(self) -> Totals:
        return compute_totals(self.lines)
