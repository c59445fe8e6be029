"""FIN-3 at scale: the indexed `match_statement` decides exactly as the plain one it replaced.

The plain implementation (a loop over every member for every entry) is kept here, and only
here, as the reference: random small statements — members sharing references, IBANs and NIPs,
amounts fitting several members, documents and KSeF numbers named in titles, duplicates — must
give an equal `MatchResult` (candidates in order, evidence, queued/ignored, duplicates,
open_after). The timing is benchmarks/bench_matching_pure.py's, never a test's.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections.abc import Iterable
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.money.bank.matching import (
    _FOLD,
    _WORD,
    AMOUNT,
    CURRENCY,
    DEBIT,
    DOCUMENT,
    NOT_MEMBER,
    PAYER,
    REFERENCE,
    VIRTUAL,
    ZERO,
    ZERO_AMOUNT,
    Candidate,
    EntryKey,
    Ignored,
    Matched,
    MatchResult,
    MemberFacts,
    OpenDoc,
    Queued,
    _References,
    entry_key,
    match_statement,
)
from klaster.rules.money.bank.model import Entry, Statement, normalize_account
from klaster.rules.money.numbering import numbers_in_text

D = Decimal
ACCOUNT = "61109010140000071219812874"

# --- the reference: match_statement as it was before indexing (do not edit) -----------------


def _ref_squash(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def _ref_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _ref_nips_in(text: str) -> set[str]:
    found = set()
    for m in re.finditer(
        r"(?<!\d)(\d{3}-?\d{3}-?\d{2}-?\d{2}|\d{3}-?\d{2}-?\d{2}-?\d{3})(?!\d)", text
    ):
        found.add(_ref_digits(m.group(0)))
    return found


def _ref_doc_numbers_in(title: str, docs: Iterable[OpenDoc]) -> list[OpenDoc]:
    """Open documents the title names by KSeF number or document number, in order named."""
    squashed = _ref_squash(title)
    by_number = {_ref_squash(d.number): d for d in docs}
    out: list[OpenDoc] = []
    hits: list[tuple[int, OpenDoc]] = []
    for d in docs:
        if d.ksef_number and _ref_squash(d.ksef_number) and _ref_squash(d.ksef_number) in squashed:
            hits.append((squashed.index(_ref_squash(d.ksef_number)), d))
    for pos, number in enumerate(numbers_in_text(title)):
        named = by_number.get(_ref_squash(str(number)))
        if named is not None:
            hits.append((10_000_000 + pos, named))
    for _, d in sorted(hits, key=lambda h: h[0]):
        if d not in out:
            out.append(d)
    return out


def _ref_mentions(title: str, ref: str) -> bool:
    ref = ref.strip()
    if not ref:
        return False
    return (
        re.search(r"(?<![0-9A-Za-z])" + re.escape(ref) + r"(?![0-9A-Za-z])", title, re.I)
        is not None
    )


def reference_match_statement(
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
        named_all = _ref_doc_numbers_in(entry.title, [d for d in docs.values()])
        # evidence levels, strongest first: each gives a set of members
        levels: list[tuple[str, list[str]]] = []
        own = [virtual[a] for a in (entry.account, entry.counterparty_iban) if a and a in virtual]
        levels.append((VIRTUAL, own))
        levels.append((DOCUMENT, [d.member for d in named_all]))
        levels.append(
            (
                REFERENCE,
                [m.member for m in members if any(_ref_mentions(text, r) for r in m.references)],
            )
        )
        payer_iban = normalize_account(entry.counterparty_iban)
        nips = _ref_nips_in(text)
        levels.append(
            (
                PAYER,
                [
                    m.member
                    for m in members
                    if (payer_iban and payer_iban in {normalize_account(i) for i in m.ibans})
                    or (nips & {_ref_digits(n) for n in m.nips})
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


# --- the word class `_References` relies on ------------------------------------------------


def test_fin3_word_class_and_fold_match_re_ignorecase_on_every_code_point() -> None:
    bound = re.compile(r"[0-9A-Za-z]", re.IGNORECASE)
    chars = [chr(c) for c in range(sys.maxunicode + 1)]
    words = [c for c in chars if bound.match(c)]
    # `_WORD` is the very class of `_mentions`' look-arounds; `_FOLD` covers its non-ASCII part
    assert {c for c in words if not c.isascii()} == {chr(k) for k in _FOLD}
    assert all(_WORD.fullmatch(c) for c in words)

    def fold(c: str) -> str:
        return c.translate(_FOLD).lower()

    # two word characters are the same under re.IGNORECASE exactly when they fold alike
    for x in words:
        for y in words:
            assert bool(re.fullmatch(re.escape(x), y, re.IGNORECASE)) == (fold(x) == fold(y))
    # and no other character is the same as a word character, either way round
    others = "".join(c for c in chars if not bound.match(c))
    for y in words:
        assert re.search(re.escape(y), others, re.IGNORECASE) is None
    cased = [c for c in others if c.lower() != c or c.upper() != c or c.casefold() != c]
    text = "".join(words)
    for x in cased:
        assert re.search(re.escape(x), text, re.IGNORECASE) is None


_REF_ALPHABET = "aAmM01-/ .ſKıİkKsSé_"
_refs = st.one_of(
    st.sampled_from(
        ["M1", "m1", "M-1", "A/7", "KL 12", "x", "ſ1", "K2", "ı", "//", "-7-", " M1 ", "  ", ""]
    ),
    st.text(alphabet=_REF_ALPHABET, max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(_refs, max_size=3), max_size=6),
    st.lists(st.one_of(_refs, st.text(alphabet=_REF_ALPHABET + "xyz9", max_size=8)), max_size=6),
)
def test_fin3_references_index_equals_mentions(refs: list[list[str]], pieces: list[str]) -> None:
    members = tuple(MemberFacts(f"m{i}", references=tuple(r)) for i, r in enumerate(refs))
    text = " ".join(pieces) if len(pieces) % 2 else "".join(pieces)
    expected = [
        i for i, m in enumerate(members) if any(_ref_mentions(text, r) for r in m.references)
    ]
    assert _References(members).members(text) == expected


# --- old and new agree on random statements ----------------------------------------------

NAMES = ["m1", "m2", "m3", "m4", "m5"]
DAYS = [dt.date(2026, 10, 15), dt.date(2026, 11, 15), dt.date(2026, 12, 15)]
NUMBERS = [
    "FV/2026/0001",
    "FV/2026/0002",
    "FV/2026/0003",
    "FV/2026/0004",
    "NO/2026/0001",
    "KOR/2026/0002",
    "FV-2026-0001",
]
KSEF = [
    "",
    "5250001234-20261201-ABCDEF123456-01",
    "5250001234-20261201-ABCDEF123456-02",
    "1234563218-20261202-0100001AF629-AF",
    "ABCDEF1234",
    "DEF1",
]
IBANS = ["", "PL42114020040000340276543210", "42 1140 2004 0000 3402 7654 3210", "5624900005"]
NIPS = ["", "5250001234", "525-000-12-34", "1234563218"]
VIRTUAL_ACCOUNTS = ["27109010140000071219800003", "PL27 1090 1014 0000 0712 1980 0003", "77"]
AMOUNTS = [D("10.00"), D("20.00"), D("30"), D("50.00"), D("0.00"), D("-5.00"), D("60.00")]
ENTRY_AMOUNTS = [*AMOUNTS, *AMOUNTS[:4], D("40.00"), D("80.00"), D("100.00"), D("15.00")]
TITLE_PIECES = [
    "FV/2026/0001",
    "fv 2026 2",
    "FV/2026/3",
    "NO 2026/1",
    "KOR/2026/0002",
    "FV/2026/0009",
    "5250001234-20261201-ABCDEF123456-01",
    "5250001234 20261201 ABCDEF12345602",
    "1234563218-20261202-0100001AF629-AF",
    "ABCDEF1234",
    "xDEF1",
    "NIP 525-000-12-34",
    "1234563218",
    "składka",
    "za grudzień",
]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Statement, list[MemberFacts], list[OpenDoc], set[EntryKey]]:
    members = [
        MemberFacts(
            draw(st.sampled_from(NAMES)),
            virtual_accounts=tuple(draw(st.lists(st.sampled_from(VIRTUAL_ACCOUNTS), max_size=1))),
            references=tuple(draw(st.lists(_refs, max_size=2))),
            ibans=tuple(draw(st.lists(st.sampled_from(IBANS), max_size=2))),
            nips=tuple(draw(st.lists(st.sampled_from(NIPS), max_size=1))),
        )
        for _ in range(draw(st.integers(1, 5)))
    ]
    docs = [
        OpenDoc(
            draw(st.sampled_from(NUMBERS)),
            draw(st.sampled_from([*NAMES, "m9"])),
            draw(st.sampled_from(AMOUNTS)),
            draw(st.sampled_from(DAYS)),
            draw(st.sampled_from(KSEF)),
        )
        for _ in range(draw(st.integers(0, 10)))
    ]
    title_pieces = st.one_of(st.sampled_from([*TITLE_PIECES, "M1", "m-1", "KL 12", "A/7"]), _refs)
    entries = []
    for line in range(1, draw(st.integers(0, 10)) + 1):
        title = " ".join(draw(st.lists(title_pieces, max_size=4)))
        entries.append(
            Entry(
                line,
                draw(st.sampled_from(DAYS[1:])),
                DAYS[2],
                draw(st.sampled_from(ENTRY_AMOUNTS)),
                draw(st.sampled_from(["PLN", "PLN", "PLN", "PLN", "", "EUR"])),
                draw(st.sampled_from(["", "R1", " R1 ", f"R{line}", f"R{line}", f"R{line}"])),
                draw(st.sampled_from(["", "Jan Kowalski", "M1 sp. z o.o.", "KL 12"])),
                draw(st.sampled_from(["", "", *IBANS])),
                title,
                "",
                draw(st.sampled_from(["", "", "", "", *VIRTUAL_ACCOUNTS])),
            )
        )
    statement = Statement(ACCOUNT, "1", DAYS[1], DAYS[2], D("0"), D("0"), entries=tuple(entries))
    earlier = draw(st.lists(st.sampled_from(entries), max_size=2)) if entries else []
    return statement, members, docs, {entry_key(ACCOUNT, e) for e in earlier}


@settings(max_examples=400, deadline=None)
@given(cases())
def test_fin3_indexed_matching_equals_the_reference(
    case: tuple[Statement, list[MemberFacts], list[OpenDoc], set[EntryKey]],
) -> None:
    statement, members, docs, earlier = case
    expected = reference_match_statement(statement, members, docs, earlier)
    assert match_statement(statement, members, docs, earlier) == expected


def test_fin3_indexed_matching_equals_the_reference_on_a_bigger_cluster() -> None:
    rnd = random.Random(10)
    names = [f"m{i:03d}" for i in range(40)]
    members = [
        MemberFacts(
            name,
            virtual_accounts=(f"2710901014000007121980{i:04d}",) if i % 7 == 0 else (),
            references=(f"M{i:03d}",) + (("KL-7",) if i % 10 == 3 else ()),
            ibans=(f"PL4211402004000034027654{i % 30:04d}",),
            nips=(f"52500012{i % 25:02d}",) if i % 3 == 0 else (),
        )
        for i, name in enumerate(names)
    ]
    docs = []
    for n in range(200):
        docs.append(
            OpenDoc(
                f"FV/2026/{n + 1:04d}",
                rnd.choice(names),
                D(rnd.choice(["100.00", "221.40", "516.60", "80.00"])),
                rnd.choice(DAYS),
                f"52500012{n % 25:02d}-20261201-ABCDEF{n:06d}-01" if n % 4 == 0 else "",
            )
        )
    entries = []
    for line in range(1, 301):
        kind = rnd.random()
        doc = rnd.choice(docs)
        i = rnd.randrange(len(members))
        title, iban, account = "wpłata", "", ""
        if kind < 0.3:
            title = f"Faktura {doc.number} i {rnd.choice(docs).number}"
        elif kind < 0.4 and doc.ksef_number:
            title = f"KSeF {doc.ksef_number}"
        elif kind < 0.6:
            title = f"składka {members[i].references[-1]} {rnd.choice(['', 'KL-7'])}"
        elif kind < 0.75:
            iban = members[i].ibans[0]
        elif kind < 0.8:
            account = f"2710901014000007121980{7 * rnd.randrange(6):04d}"
        elif kind < 0.85:
            title = f"NIP 525-000-12-{rnd.randrange(25):02d}"
        amount = D(rnd.choice(["100.00", "221.40", "516.60", "80.00", "180.00", "-3.00", "7.77"]))
        entries.append(
            Entry(
                line,
                DAYS[2],
                DAYS[2],
                amount,
                "PLN",
                f"B{line % 290}",
                "",
                iban,
                title,
                "",
                account,
            )
        )
    statement = Statement(ACCOUNT, "1", DAYS[2], DAYS[2], D("0"), D("0"), entries=tuple(entries))
    expected = reference_match_statement(statement, members, docs)
    got = match_statement(statement, members, docs)
    assert got == expected
    assert got.matched and got.queued and got.ignored and got.duplicates  # every outcome seen
