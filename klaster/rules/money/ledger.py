"""The members' ledger as a pure model (FIN-2, FIN-3).

Debits are documents (invoices, debit notes, and correcting documents); credits are payments
and negative corrections. Nothing is ever edited: a correction is a correcting document of its
own (`corrects` names the original) whose gross is the difference — negative lowers the
original's open amount (what exceeds it becomes the member's credit), positive is a new debt.

A payment goes first to the documents its title names (in that order, the member's own only),
then to the member's other open documents, oldest due first (then issue date, then number);
what is left is kept as the member's credit and applied to its next documents as they are
issued. Events are taken in date order, on one day the documents before the payments, so a
payment on the issue day can pay the document. `ledger(..., on=day)` reads the ledger as it
stood at the end of that day (arrears, the vote on a meeting's day).

Invariants (tested as properties): Σ debits − Σ credits = Σ open − Σ credit balances; no
payment is applied beyond its amount; no document is paid beyond its gross.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from klaster.rules.message import Msg, define
from klaster.rules.money._common import MoneyInputError, amount

RULE_ID = "FIN-2"
ZERO = Decimal("0.00")

DUPLICATE = define("money.ledger.duplicate", "The number {number} is used twice.")
UNKNOWN = define(
    "money.ledger.unknown", "{number} corrects {original}, which is not in the ledger."
)
OTHER_MEMBER = define(
    "money.ledger.other_member", "{number} corrects {original} of another member."
)
NOT_POSITIVE = define(
    "money.ledger.not_positive", "The payment {ref} must be more than 0, not {value}."
)
NEGATIVE_DOCUMENT = define(
    "money.ledger.negative_document",
    "{number}: only a correcting document may have a negative amount ({value}).",
)


@dataclass(frozen=True)
class LedgerDocument:
    number: str
    member: str
    issued: dt.date
    due: dt.date
    gross: Decimal  # negative only for a correcting document
    corrects: str | None = None
    kind: str = "invoice"  # "invoice", "debit_note", "correction"


@dataclass(frozen=True)
class LedgerPayment:
    ref: str  # unique: the bank entry's id, or the office's receipt
    member: str
    day: dt.date
    amount: Decimal  # > 0
    documents: tuple[str, ...] = ()  # named in the title: applied to first


@dataclass(frozen=True)
class Allocation:
    """`amount` of `source` (a payment's ref, "credit", or a correction's number) went to
    `document` on `day`."""

    source: str
    document: str
    amount: Decimal
    day: dt.date


@dataclass
class _Member:
    open: dict[str, Decimal] = field(default_factory=dict)
    credit: Decimal = ZERO


@dataclass(frozen=True)
class PaymentResult:
    ref: str
    member: str
    amount: Decimal
    documents: tuple[str, ...]  # the documents it was applied to, in order
    applied: Decimal
    credit: Decimal  # the rest, kept on the member's account


@dataclass(frozen=True)
class Ledger:
    documents: Mapping[str, LedgerDocument]
    open: Mapping[str, Decimal]  # per document (corrections: 0)
    paid: Mapping[str, Decimal]  # per document: what payments, credit and corrections covered
    credit: Mapping[str, Decimal]  # per member
    allocations: tuple[Allocation, ...]
    payments: tuple[PaymentResult, ...]
    on: dt.date | None
    rule_id: str = RULE_ID

    def open_documents(self, member: str) -> list[LedgerDocument]:
        """The member's documents with an open amount, oldest due first."""
        docs = [
            d for d in self.documents.values() if d.member == member and self.open[d.number] > 0
        ]
        return sorted(docs, key=_order)

    def balance(self, member: str) -> Decimal:
        """What the member owes (positive) or has in credit (negative)."""
        owed = sum((v for n, v in self.open.items() if self.documents[n].member == member), ZERO)
        return owed - self.credit.get(member, ZERO)

    def payments_of(self, number: str) -> list[tuple[dt.date, Decimal]]:
        """(day, amount) of everything that lowered the document's open amount: for interest."""
        return [(a.day, a.amount) for a in self.allocations if a.document == number]


def _order(d: LedgerDocument) -> tuple[dt.date, dt.date, str]:
    return (d.due, d.issued, d.number)


def ledger(
    documents: Iterable[LedgerDocument],
    payments: Iterable[LedgerPayment],
    on: dt.date | None = None,
) -> Ledger:
    docs: dict[str, LedgerDocument] = {}
    for d in documents:
        if d.number in docs:
            raise MoneyInputError("number", Msg.of(DUPLICATE, number=d.number))
        gross = amount("gross", d.gross)
        if gross < 0 and d.corrects is None:
            raise MoneyInputError(
                "gross", Msg.of(NEGATIVE_DOCUMENT, number=d.number, value=str(gross))
            )
        docs[d.number] = d
    for d in docs.values():
        if d.corrects is not None:
            original = docs.get(d.corrects)
            if original is None:
                raise MoneyInputError(
                    "corrects", Msg.of(UNKNOWN, number=d.number, original=d.corrects)
                )
            if original.member != d.member:
                raise MoneyInputError(
                    "corrects", Msg.of(OTHER_MEMBER, number=d.number, original=d.corrects)
                )
    pays: list[LedgerPayment] = []
    refs: set[str] = set()
    for p in payments:
        if p.ref in refs:
            raise MoneyInputError("ref", Msg.of(DUPLICATE, number=p.ref))
        refs.add(p.ref)
        value = amount("amount", p.amount)
        if value <= 0:
            raise MoneyInputError("amount", Msg.of(NOT_POSITIVE, ref=p.ref, value=str(value)))
        pays.append(p)

    events: list[tuple[dt.date, int, str, LedgerDocument | LedgerPayment]] = []
    for d in docs.values():
        if on is None or d.issued <= on:
            events.append((d.issued, 0, d.number, d))
    for p in pays:
        if on is None or p.day <= on:
            events.append((p.day, 1, p.ref, p))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    members: dict[str, _Member] = {}
    open_: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    allocations: list[Allocation] = []
    results: list[PaymentResult] = []

    def apply(m: _Member, source: str, number: str, value: Decimal, day: dt.date) -> Decimal:
        take = min(value, m.open[number])
        if take > 0:
            m.open[number] -= take
            open_[number] = m.open[number]
            paid[number] = paid.get(number, ZERO) + take
            allocations.append(Allocation(source, number, take, day))
        return take

    for day, _, _, item in events:
        if isinstance(item, LedgerDocument):
            m = members.setdefault(item.member, _Member())
            gross = Decimal(item.gross)
            open_[item.number] = ZERO
            paid.setdefault(item.number, ZERO)
            if gross < 0:
                # a negative correction lowers the original; the excess becomes credit
                rest = -gross
                if item.corrects in m.open:
                    rest -= apply(m, item.number, item.corrects, rest, day)
                m.credit += rest
                continue
            m.open[item.number] = gross
            open_[item.number] = gross
            if m.credit > 0:
                m.credit -= apply(m, "credit", item.number, m.credit, day)
        else:
            m = members.setdefault(item.member, _Member())
            rest = Decimal(item.amount)
            used: list[str] = []
            named = [n for n in item.documents if m.open.get(n, ZERO) > 0]
            others = sorted(
                (docs[n] for n, v in m.open.items() if v > 0 and n not in named), key=_order
            )
            for number in [*named, *(d.number for d in others)]:
                if rest <= 0:
                    break
                take = apply(m, item.ref, number, rest, day)
                if take > 0:
                    used.append(number)
                    rest -= take
            m.credit += rest
            results.append(
                PaymentResult(
                    item.ref,
                    item.member,
                    Decimal(item.amount),
                    tuple(used),
                    Decimal(item.amount) - rest,
                    rest,
                )
            )
    shown = {n: d for n, d in docs.items() if n in open_}
    return Ledger(
        documents=shown,
        open=open_,
        paid=paid,
        credit={k: v.credit for k, v in members.items()},
        allocations=tuple(allocations),
        payments=tuple(results),
        on=on,
    )
