"""Matching bank entries to members and documents (FIN-3), pure.

Order of evidence, strongest first: the member's virtual sub-account (the account the bank
writes for the entry, statement side or counterparty side) → a KSeF or document number in the
title → the member's reference in the title → the payer's IBAN or NIP → the amount, only as a
tie-breaker between members the earlier evidence left, never alone when it fits more than one
member (an amount fitting exactly one member still goes to the queue: it is a guess).

A matched credit is applied like the ledger does (`klaster.rules.money.ledger`): documents
named in the title first, in the order named, then the member's other open documents, oldest
due first; the rest is the member's credit (overpayment). Entries already imported (same
account, booking date, amount, bank reference) are duplicates and change nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from klaster.rules.money.bank.model import Entry, Statement, normalize_account
from klaster.rules.money.numbering import numbers_in_text

RULE_ID = "FIN-3"
ZERO = Decimal("0.00")

# reason codes of ignored entries
DEBIT = "debit"
CURRENCY = "currency"
NOT_MEMBER = "not_member"
ZERO_AMOUNT = "zero"

# evidence kinds, strongest first
VIRTUAL = "virtual_account"
DOCUMENT = "document_number"
REFERENCE = "reference"
PAYER = "payer"
AMOUNT = "amount"


@dataclass(frozen=True)
class MemberFacts:
    member: str
    virtual_accounts: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    ibans: tuple[str, ...] = ()
    nips: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenDoc:
    number: str
    member: str
    open: Decimal
    due: dt.date
    ksef_number: str = ""


EntryKey = tuple[str, dt.date, Decimal, str]


def entry_key(account: str, entry: Entry) -> EntryKey:
    return (
        normalize_account(account),
        entry.booking_date,
        entry.amount,
        entry.bank_reference.strip(),
    )


@dataclass(frozen=True)
class Matched:
    line: int
    amount: Decimal
    member: str
    documents: tuple[str, ...]
    applied: Decimal
    credit: Decimal
    evidence: str
    rule_id: str = RULE_ID


@dataclass(frozen=True)
class Candidate:
    member: str
    documents: tuple[str, ...]
    evidence: str


@dataclass(frozen=True)
class Queued:
    line: int
    amount: Decimal
    candidates: tuple[Candidate, ...]
    rule_id: str = RULE_ID


@dataclass(frozen=True)
class Ignored:
    line: int
    amount: Decimal
    reason: str
    rule_id: str = RULE_ID


@dataclass(frozen=True)
class MatchResult:
    statement: Statement
    matched: tuple[Matched, ...]
    queued: tuple[Queued, ...]
    ignored: tuple[Ignored, ...]
    duplicates: int
    duplicate_lines: tuple[int, ...]
    imported: frozenset[EntryKey]  # keys of the entries this import took in (all but duplicates)
    open_after: Mapping[str, Decimal] = field(default_factory=dict)  # per document number
    rule_id: str = RULE_ID


def _squash(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _nips_in(text: str) -> set[str]:
    found = set()
    for m in re.finditer(
        r"(?<!\d)(\d{3}-?\d{3}-?\d{2}-?\d{2}|\d{3}-?\d{2}-?\d{2}-?\d{3})(?!\d)", text
    ):
        found.add(_digits(m.group(0)))
    return found


def _doc_numbers_in(title: str, docs: Iterable[OpenDoc]) -> list[OpenDoc]:
    """Open documents the title names by KSeF number or document number, in order named."""
    squashed = _squash(title)
    by_number = {_squash(d.number): d for d in docs}
    out: list[OpenDoc] = []
    hits: list[tuple[int, OpenDoc]] = []
    for d in docs:
        if d.ksef_number and _squash(d.ksef_number) and _squash(d.ksef_number) in squashed:
            hits.append((squashed.index(_squash(d.ksef_number)), d))
    for pos, number in enumerate(numbers_in_text(title)):
        named = by_number.get(_squash(str(number)))
        if named is not None:
            hits.append((10_000_000 + pos, named))
    for _, d in sorted(hits, key=lambda h: h[0]):
        if d not in out:
            out.append(d)
    return out


def _mentions(title: str, ref: str) -> bool:
    ref = ref.strip()
    if not ref:
        return False
    return (
        re.search(r"(?<![0-9A-Za-z])" + re.escape(ref) + r"(?![0-9A-Za-z])", title, re.I)
        is not None
    )


def match_statement(
    statement: Statement,
    members: Iterable[MemberFacts],
    documents: Iterable[OpenDoc],
    already_imported: Iterable[EntryKey] = (),
    currency: str = "PLN",
) -> MatchResult:
    members = tuple(members)
    open_: dict[str, Decimal] = {}
    docs: dict[str, OpenDoc] = {}
    for d in documents:
        docs[d.number] = d
        open_[d.number] = d.open
    known = set(already_imported)
    imported: set[EntryKey] = set()
    matched: list[Matched] = []
    queued: list[Queued] = []
    ignored: list[Ignored] = []
    dup_lines: list[int] = []

    virtual = {normalize_account(a): m.member for m in members for a in m.virtual_accounts}

    def member_open(member: str) -> list[OpenDoc]:
        return sorted(
            (d for d in docs.values() if d.member == member and open_[d.number] > 0),
            key=lambda d: (d.due, d.number),
        )

    def fits(member: str, amount: Decimal) -> bool:
        opened = member_open(member)
        if any(open_[d.number] == amount for d in opened):
            return True
        return bool(opened) and sum((open_[d.number] for d in opened), ZERO) == amount

    for entry in statement.entries:
        key = entry_key(statement.account, entry)
        if key in known or (entry.bank_reference.strip() and key in imported):
            dup_lines.append(entry.line)
            continue
        imported.add(key)
        if entry.amount < 0:
            ignored.append(Ignored(entry.line, entry.amount, DEBIT))
            continue
        if entry.amount == 0:
            ignored.append(Ignored(entry.line, entry.amount, ZERO_AMOUNT))
            continue
        if entry.currency and entry.currency != currency:
            ignored.append(Ignored(entry.line, entry.amount, CURRENCY))
            continue
        text = f"{entry.title} {entry.counterparty_name}"
        named_all = _doc_numbers_in(entry.title, [d for d in docs.values()])
        # evidence levels, strongest first: each gives a set of members
        levels: list[tuple[str, list[str]]] = []
        own = [virtual[a] for a in (entry.account, entry.counterparty_iban) if a and a in virtual]
        levels.append((VIRTUAL, own))
        levels.append((DOCUMENT, [d.member for d in named_all]))
        levels.append(
            (
                REFERENCE,
                [m.member for m in members if any(_mentions(text, r) for r in m.references)],
            )
        )
        payer_iban = normalize_account(entry.counterparty_iban)
        nips = _nips_in(text)
        levels.append(
            (
                PAYER,
                [
                    m.member
                    for m in members
                    if (payer_iban and payer_iban in {normalize_account(i) for i in m.ibans})
                    or (nips & {_digits(n) for n in m.nips})
                ],
            )
        )
        decided: tuple[str, str] | None = None
        candidates: list[Candidate] = []
        for evidence, found in levels:
            unique = list(dict.fromkeys(found))
            if len(unique) == 1:
                decided = (unique[0], evidence)
                break
            if len(unique) > 1:
                narrowed = [m for m in unique if fits(m, entry.amount)]
                if len(narrowed) == 1:
                    decided = (narrowed[0], f"{evidence}+{AMOUNT}")
                    break
                ranked = sorted(unique, key=lambda m: (not fits(m, entry.amount), m))
                candidates = [
                    Candidate(m, tuple(d.number for d in member_open(m)), evidence) for m in ranked
                ]
                break
        if decided is None and not candidates:
            by_amount = [m.member for m in members if fits(m.member, entry.amount)]
            candidates = [
                Candidate(
                    m,
                    tuple(d.number for d in member_open(m) if open_[d.number] == entry.amount)
                    or tuple(d.number for d in member_open(m)),
                    AMOUNT,
                )
                for m in sorted(dict.fromkeys(by_amount))
            ]
        if decided is None:
            if candidates:
                queued.append(Queued(entry.line, entry.amount, tuple(candidates)))
            else:
                ignored.append(Ignored(entry.line, entry.amount, NOT_MEMBER))
            continue
        member, evidence = decided
        order = [d for d in named_all if d.member == member and open_[d.number] > 0]
        order += [d for d in member_open(member) if d not in order]
        left = entry.amount
        used: list[str] = []
        for d in order:
            if left <= 0:
                break
            take = min(left, open_[d.number])
            if take <= 0:
                continue
            open_[d.number] -= take
            left -= take
            used.append(d.number)
        matched.append(
            Matched(
                entry.line, entry.amount, member, tuple(used), entry.amount - left, left, evidence
            )
        )
    return MatchResult(
        statement=statement,
        matched=tuple(matched),
        queued=tuple(queued),
        ignored=tuple(ignored),
        duplicates=len(dup_lines),
        duplicate_lines=tuple(dup_lines),
        imported=frozenset(imported),
        open_after=dict(open_),
    )


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def import_report(result: MatchResult) -> dict[str, object]:
    """The JSON shape of `klaster bank import` (MONEY-CLI.md); the CLI adds member ids."""
    s = result.statement
    return {
        "statement": {
            "account": "PL" + s.account
            if s.account.isdigit() and len(s.account) == 26
            else s.account,
            "number": s.number,
            "from": s.date_from.isoformat() if s.date_from else None,
            "to": s.date_to.isoformat() if s.date_to else None,
            "opening": _money(s.opening),
            "closing": _money(s.closing),
        },
        "lines": len(s.entries),
        "matched": [
            {
                "line": m.line,
                "amount": _money(m.amount),
                "documents": list(m.documents),
                "member": m.member,
                "applied": _money(m.applied),
                "credit": _money(m.credit),
            }
            for m in result.matched
        ],
        "queued": [
            {
                "line": q.line,
                "amount": _money(q.amount),
                "candidates": [
                    {"member": c.member, "documents": list(c.documents)} for c in q.candidates
                ],
            }
            for q in result.queued
        ],
        "ignored": [
            {"line": i.line, "amount": _money(i.amount), "reason": i.reason} for i in result.ignored
        ],
        "duplicates": result.duplicates,
    }
