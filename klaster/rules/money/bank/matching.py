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
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
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


_NOT_SQUASHED = re.compile(r"[^0-9A-Z]")
_NOT_DIGIT = re.compile(r"\D")


def _squash(text: str) -> str:
    return _NOT_SQUASHED.sub("", text.upper())


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


def _nips_in(text: str) -> set[str]:
    found = set()
    for m in re.finditer(
        r"(?<!\d)(\d{3}-?\d{3}-?\d{2}-?\d{2}|\d{3}-?\d{2}-?\d{2}-?\d{3})(?!\d)", text
    ):
        found.add(_digits(m.group(0)))
    return found


def _mention_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![0-9A-Za-z])" + re.escape(ref.strip()) + r"(?![0-9A-Za-z])", re.IGNORECASE
    )


def _mentions(title: str, ref: str) -> bool:
    """The title names the reference: it occurs bounded by non-alphanumerics, any case."""
    if not ref.strip():
        return False
    return _mention_pattern(ref).search(title) is not None


# A word is a run of the characters `[0-9A-Za-z]` matches under re.IGNORECASE (the bounds of
# `_mentions`): ASCII letters and digits and these four, each the same as an ASCII letter.
# tests/rules/money/test_matching_scale.py checks this against every code point.
_WORD = re.compile(r"[0-9A-Za-z]+", re.IGNORECASE)
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _words(text: str) -> list[str]:
    """The words of a text, each folded the way re.IGNORECASE compares them."""
    return [(w if w.isascii() else w.translate(_FOLD)).lower() for w in _WORD.findall(text)]


class _References:
    """Reference → members, found by the words of a text.

    A reference is mentioned only where each of its words is a whole word of the text (its
    words are bounded by its own non-word characters or by `_mentions`' look-arounds), so each
    reference is filed under one of its words (the rarest among all references) and a text
    looks up only its own words. A reference that is one word is mentioned exactly when the
    text has that word; any other is confirmed with `_mentions`' own pattern. A reference
    without a word (say "//") is tried on every text.
    """

    def __init__(self, members: Sequence[MemberFacts]) -> None:
        refs: list[tuple[int, str, list[str]]] = []
        counts: Counter[str] = Counter()
        for i, m in enumerate(members):
            for raw in m.references:
                ref = raw.strip()
                if not ref:
                    continue
                words = _words(ref)
                refs.append((i, ref, words))
                counts.update(set(words))
        self.by_word: dict[str, list[tuple[int, str, bool]]] = {}
        self.wordless: list[tuple[int, str]] = []
        for i, ref, words in refs:
            if not words:
                self.wordless.append((i, ref))
                continue
            key = min(words, key=lambda w: (counts[w], -len(w)))
            whole = _WORD.fullmatch(ref) is not None
            self.by_word.setdefault(key, []).append((i, ref, whole))
        self._patterns: dict[str, re.Pattern[str]] = {}

    def _search(self, ref: str, text: str) -> bool:
        pattern = self._patterns.get(ref)
        if pattern is None:
            pattern = self._patterns[ref] = _mention_pattern(ref)
        return pattern.search(text) is not None

    def members(self, text: str) -> list[int]:
        """Indexes (in `members`) of the members one of whose references the text mentions."""
        found: set[int] = set()
        for word in set(_words(text)):
            for i, ref, whole in self.by_word.get(word, ()):
                if i not in found and (whole or self._search(ref, text)):
                    found.add(i)
        for i, ref in self.wordless:
            if i not in found and self._search(ref, text):
                found.add(i)
        return sorted(found)


class _Payers:
    """Payer IBAN → members, NIP → members."""

    def __init__(self, members: Sequence[MemberFacts]) -> None:
        self.by_iban: dict[str, list[int]] = {}
        self.by_nip: dict[str, list[int]] = {}
        for i, m in enumerate(members):
            for iban in m.ibans:
                if key := normalize_account(iban):
                    self.by_iban.setdefault(key, []).append(i)
            for nip in m.nips:
                if key := _digits(nip):
                    self.by_nip.setdefault(key, []).append(i)

    def members(self, payer_iban: str, nips: set[str]) -> list[int]:
        found: set[int] = set(self.by_iban.get(payer_iban, ())) if payer_iban else set()
        for nip in nips:
            found.update(self.by_nip.get(nip, ()))
        return sorted(found)


class _Named:
    """Documents a title names: by KSeF number (found among the squashed title's substrings of
    each KSeF number length) and by document number (`numbers_in_text`), by dict look-ups."""

    def __init__(self, docs: Sequence[OpenDoc]) -> None:
        self.by_number = {_squash(d.number): d for d in docs}
        self.by_ksef: dict[str, list[tuple[int, OpenDoc]]] = {}
        for i, d in enumerate(docs):
            if d.ksef_number and (key := _squash(d.ksef_number)):
                self.by_ksef.setdefault(key, []).append((i, d))
        self.lengths = sorted({len(k) for k in self.by_ksef})
        self.count = len(docs)

    def __call__(self, title: str) -> list[OpenDoc]:
        """Open documents the title names, in order named (KSeF numbers first by place)."""
        squashed = _squash(title)
        size = len(squashed)
        # (place, then the order the documents were given in, KSeF hits before numbers)
        hits: list[tuple[int, int, OpenDoc]] = []
        for length in self.lengths:
            if length > size:
                break
            first: dict[str, int] = {}
            for place in range(size - length + 1):
                key = squashed[place : place + length]
                if key in self.by_ksef and key not in first:
                    first[key] = place  # == squashed.index(key)
            for key, place in first.items():
                hits.extend((place, i, d) for i, d in self.by_ksef[key])
        for pos, number in enumerate(numbers_in_text(title)):
            named = self.by_number.get(_squash(str(number)))
            if named is not None:
                hits.append((10_000_000 + pos, self.count + pos, named))
        out: list[OpenDoc] = []
        seen: set[int] = set()
        for _, _, d in sorted(hits, key=lambda h: (h[0], h[1])):
            if id(d) not in seen:
                seen.add(id(d))
                out.append(d)
        return out


class _Book:
    """Each member's open documents (open amount > 0) sorted by (due, number), their total,
    and open amount → members, total → members, kept up to date as payments are applied."""

    def __init__(self, docs: Iterable[OpenDoc], open_: dict[str, Decimal]) -> None:
        self.open_ = open_
        self.docs: dict[str, list[OpenDoc]] = {}
        for d in docs:
            if open_[d.number] > 0:
                self.docs.setdefault(d.member, []).append(d)
        self.by_open: dict[Decimal, Counter[str]] = {}
        self.by_total: dict[Decimal, set[str]] = {}
        self.total: dict[str, Decimal] = {}
        for member, opened in self.docs.items():
            opened.sort(key=lambda d: (d.due, d.number))
            for d in opened:
                self.by_open.setdefault(open_[d.number], Counter())[member] += 1
            self._set_total(member)

    def _set_total(self, member: str) -> None:
        opened = self.docs[member]
        total = sum((self.open_[d.number] for d in opened), ZERO)
        self.total[member] = total
        self.by_total.setdefault(total, set()).add(member)

    def open_docs(self, member: str) -> list[OpenDoc]:
        return self.docs.get(member, [])

    def fits(self, member: str, amount: Decimal) -> bool:
        opened = self.docs.get(member, [])
        if any(self.open_[d.number] == amount for d in opened):
            return True
        return bool(opened) and self.total[member] == amount

    def fitting(self, amount: Decimal) -> set[str]:
        """Members with an open document of the amount or open documents totalling it."""
        return set(self.by_open.get(amount, ())) | self.by_total.get(amount, set())

    def paid(self, member: str, before: list[tuple[OpenDoc, Decimal]]) -> None:
        """`before`: the member's documents a payment took from, with their open amounts."""
        for d, was in before:
            counter = self.by_open[was]
            counter[member] -= 1
            if counter[member] <= 0:
                del counter[member]
            if not counter:
                del self.by_open[was]
            now = self.open_[d.number]
            if now > 0:
                self.by_open.setdefault(now, Counter())[member] += 1
        total = self.total.pop(member)
        holders = self.by_total[total]
        holders.discard(member)
        if not holders:
            del self.by_total[total]
        self.docs[member] = [d for d in self.docs[member] if self.open_[d.number] > 0]
        if self.docs[member]:
            self._set_total(member)
        else:
            del self.docs[member]


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
    listed = {m.member for m in members}
    named_in = _Named(list(docs.values()))
    references = _References(members)
    payers = _Payers(members)
    book = _Book(docs.values(), open_)

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
        named_all = named_in(entry.title)

        def levels(
            entry: Entry = entry, text: str = text, named: list[OpenDoc] = named_all
        ) -> Iterator[tuple[str, list[str]]]:
            """Evidence levels, strongest first: each gives members (computed when reached)."""
            yield (
                VIRTUAL,
                [
                    virtual[a]
                    for a in (entry.account, entry.counterparty_iban)
                    if a and a in virtual
                ],
            )
            yield DOCUMENT, [d.member for d in named]
            yield REFERENCE, [members[i].member for i in references.members(text)]
            payer_iban = normalize_account(entry.counterparty_iban)
            yield PAYER, [members[i].member for i in payers.members(payer_iban, _nips_in(text))]

        decided: tuple[str, str] | None = None
        candidates: list[Candidate] = []
        for evidence, found in levels():
            unique = list(dict.fromkeys(found))
            if len(unique) == 1:
                decided = (unique[0], evidence)
                break
            if len(unique) > 1:
                narrowed = [m for m in unique if book.fits(m, entry.amount)]
                if len(narrowed) == 1:
                    decided = (narrowed[0], f"{evidence}+{AMOUNT}")
                    break
                ranked = sorted(unique, key=lambda m: (not book.fits(m, entry.amount), m))
                candidates = [
                    Candidate(m, tuple(d.number for d in book.open_docs(m)), evidence)
                    for m in ranked
                ]
                break
        if decided is None and not candidates:
            candidates = [
                Candidate(
                    m,
                    tuple(d.number for d in book.open_docs(m) if open_[d.number] == entry.amount)
                    or tuple(d.number for d in book.open_docs(m)),
                    AMOUNT,
                )
                for m in sorted(book.fitting(entry.amount) & listed)
            ]
        if decided is None:
            if candidates:
                queued.append(Queued(entry.line, entry.amount, tuple(candidates)))
            else:
                ignored.append(Ignored(entry.line, entry.amount, NOT_MEMBER))
            continue
        member, evidence = decided
        order = [d for d in named_all if d.member == member and open_[d.number] > 0]
        first = {id(d) for d in order}
        order += [d for d in book.open_docs(member) if id(d) not in first]
        left = entry.amount
        used: list[str] = []
        before: list[tuple[OpenDoc, Decimal]] = []
        for d in order:
            if left <= 0:
                break
            take = min(left, open_[d.number])
            if take <= 0:
                continue
            before.append((d, open_[d.number]))
            open_[d.number] -= take
            left -= take
            used.append(d.number)
        if before:
            book.paid(member, before)
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
