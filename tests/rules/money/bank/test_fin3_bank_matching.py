"""FIN-3: matching bank entries to members and documents, and the `klaster bank import` JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from klaster.rules.money.bank import (
    Entry,
    MemberFacts,
    OpenDoc,
    Statement,
    detect_and_parse,
    import_report,
    match_statement,
)

SAMPLES = Path(__file__).parent / "samples"
ACCOUNT = "61109010140000071219812874"
DAY = dt.date(2026, 12, 1)
D = Decimal

MEMBERS = (
    MemberFacts(
        "m003", virtual_accounts=("PL27 1090 1014 0000 0712 1980 0003",), references=("M003",)
    ),
    MemberFacts("m004", ibans=("PL42114020040000340276543210",), references=("M004",)),
    MemberFacts(
        "m007", ibans=("PL56249000050000400012345678",), references=("M007",), nips=("5250001234",)
    ),
    MemberFacts("m009", references=("M009",)),
)


def docs() -> list[OpenDoc]:
    return [
        OpenDoc(
            "FV/2026/0001",
            "m003",
            D("221.40"),
            dt.date(2026, 12, 15),
            "5250001234-20261201-ABCDEF123456-01",
        ),
        OpenDoc("FV/2026/0002", "m004", D("200.00"), dt.date(2026, 11, 15)),
        OpenDoc("FV/2026/0003", "m004", D("100.00"), dt.date(2026, 10, 15)),
        OpenDoc("FV/2026/0004", "m004", D("516.60"), dt.date(2026, 12, 15)),
        OpenDoc("FV/2026/0009", "m007", D("516.60"), dt.date(2026, 12, 15)),
        OpenDoc("FV/2026/0010", "m009", D("80.00"), dt.date(2026, 12, 15)),
    ]


def entry(
    line: int,
    amount: str,
    title: str = "",
    iban: str = "",
    account: str = "",
    ref: str = "",
    name: str = "",
) -> Entry:
    return Entry(
        line, DAY, DAY, D(amount), "PLN", ref or f"R{line}", name, iban, title, "", account
    )


def stmt(*entries: Entry) -> Statement:
    return Statement(
        ACCOUNT,
        "09/2026/M",
        DAY,
        DAY,
        D("0"),
        sum((e.amount for e in entries), D("0")),
        entries=entries,
    )


def test_fin3_virtual_account_decides_first() -> None:
    # the title names m004's document, but the money came to m003's virtual sub-account
    r = match_statement(
        stmt(entry(1, "221.40", "FV/2026/0002", account="27109010140000071219800003")),
        MEMBERS,
        docs(),
    )
    (m,) = r.matched
    assert (m.member, m.documents, m.applied, m.credit) == (
        "m003",
        ("FV/2026/0001",),
        D("221.40"),
        D("0.00"),
    )
    assert m.evidence == "virtual_account"


def test_fin3_document_number_split_payment_in_named_order() -> None:
    r = match_statement(
        stmt(entry(1, "300.00", "Składka FV/2026/0002 i FV/2026/0003")), MEMBERS, docs()
    )
    (m,) = r.matched
    assert m.member == "m004" and m.documents == ("FV/2026/0002", "FV/2026/0003")
    assert m.applied == D("300.00") and m.credit == D("0")


def test_fin3_ksef_number_in_title() -> None:
    r = match_statement(
        stmt(entry(1, "221.40", "KSeF 5250001234-20261201-ABCDEF123456-01")), MEMBERS, docs()
    )
    assert r.matched[0].member == "m003" and r.matched[0].documents == ("FV/2026/0001",)


def test_fin3_reference_then_oldest_due_first_and_partial() -> None:
    r = match_statement(stmt(entry(1, "150.00", "składka M004")), MEMBERS, docs())
    (m,) = r.matched
    assert m.member == "m004" and m.evidence == "reference"
    assert m.documents == ("FV/2026/0003", "FV/2026/0002")  # oldest due first
    assert r.open_after["FV/2026/0003"] == D("0.00") and r.open_after["FV/2026/0002"] == D("150.00")


def test_fin3_payer_iban_and_nip() -> None:
    r = match_statement(
        stmt(entry(1, "516.60", iban="PL56 2490 0005 0000 4000 1234 5678")), MEMBERS, docs()
    )
    assert r.matched[0].member == "m007" and r.matched[0].evidence == "payer"
    r = match_statement(stmt(entry(1, "516.60", "NIP 525-000-12-34")), MEMBERS, docs())
    assert r.matched[0].member == "m007"


def test_fin3_overpayment_is_credit() -> None:
    r = match_statement(stmt(entry(1, "100.00", "M009")), MEMBERS, docs())
    (m,) = r.matched
    assert (m.applied, m.credit, m.documents) == (D("80.00"), D("20.00"), ("FV/2026/0010",))


def test_fin3_amount_alone_never_decides_queued_ranked() -> None:
    r = match_statement(stmt(entry(1, "516.60", "za grudzień")), MEMBERS, docs())
    assert not r.matched
    (q,) = r.queued
    assert [c.member for c in q.candidates] == ["m004", "m007"]
    assert q.candidates[0].documents == ("FV/2026/0004",)
    # even a single fitting member is only a guess: queued, not matched
    r = match_statement(stmt(entry(1, "80.00", "za grudzień")), MEMBERS, docs())
    assert not r.matched and [c.member for c in r.queued[0].candidates] == ["m009"]


def test_fin3_amount_breaks_a_tie_between_references() -> None:
    r = match_statement(stmt(entry(1, "80.00", "M004 M009")), MEMBERS, docs())
    assert r.matched[0].member == "m009" and r.matched[0].evidence == "reference+amount"
    r = match_statement(stmt(entry(1, "55.00", "M004 M009")), MEMBERS, docs())
    assert not r.matched and {c.member for c in r.queued[0].candidates} == {"m004", "m009"}


def test_fin3_debits_and_unknown_ignored() -> None:
    r = match_statement(
        stmt(entry(1, "-12.00", "Opłata"), entry(2, "33.33", "darowizna")), MEMBERS, docs()
    )
    assert [(i.line, i.reason) for i in r.ignored] == [(1, "debit"), (2, "not_member")]


def test_fin3_duplicates_change_nothing() -> None:
    s = stmt(entry(1, "221.40", "FV/2026/0001"), entry(2, "516.60"), entry(3, "-1.00"))
    first = match_statement(s, MEMBERS, docs())
    again = match_statement(s, MEMBERS, docs(), already_imported=first.imported)
    assert again.duplicates == 3 and not again.matched and not again.queued and not again.ignored
    assert again.open_after == {d.number: d.open for d in docs()}


def test_fin3_pko_sample_report_shape() -> None:
    s = detect_and_parse((SAMPLES / "pko_cp852.sta").read_bytes())
    report = import_report(match_statement(s, MEMBERS, docs()))
    assert report == {
        "statement": {
            "account": "PL61109010140000071219812874",
            "number": "09/2026/M",
            "from": "2026-12-01",
            "to": "2026-12-01",
            "opening": "0.00",
            "closing": "726.00",
        },
        "lines": 3,
        "matched": [
            {
                "line": 1,
                "amount": "221.40",
                "documents": ["FV/2026/0001"],
                "member": "m003",
                "applied": "221.40",
                "credit": "0.00",
            },
            {
                "line": 2,
                "amount": "516.60",
                "documents": ["FV/2026/0003", "FV/2026/0002", "FV/2026/0004"],
                "member": "m004",
                "applied": "516.60",
                "credit": "0.00",
            },
        ],
        "queued": [],
        "ignored": [{"line": 3, "amount": "-12.00", "reason": "debit"}],
        "duplicates": 0,
    }


_amounts = st.decimals(min_value=D("-500"), max_value=D("1000"), places=2)
_titles = st.sampled_from(
    ["", "FV/2026/0001", "FV/2026/0002 FV/2026/0003", "M004", "M004 M009", "M007", "x"]
)
_ibans = st.sampled_from(["", "42114020040000340276543210", "56249000050000400012345678"])
_accounts = st.sampled_from(["", "27109010140000071219800003"])


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    rows = draw(st.lists(st.tuples(_amounts, _titles, _ibans, _accounts), max_size=12))
    entries = tuple(
        Entry(i, DAY, DAY, a, "PLN", f"R{i}", "", iban, t, "", acc)
        for i, (a, t, iban, acc) in enumerate(rows, 1)
    )
    return stmt(*entries)


@settings(max_examples=150, deadline=None)
@given(statements())
def test_fin3_property_never_twice_applied_plus_credit_idempotent(s: Statement) -> None:
    r = match_statement(s, MEMBERS, docs())
    lines = [m.line for m in r.matched] + [q.line for q in r.queued] + [i.line for i in r.ignored]
    assert sorted(lines) == [e.line for e in s.entries]  # every entry decided once
    for m in r.matched:
        assert m.applied + m.credit == m.amount and m.applied >= 0 and m.credit >= 0
    originals = {d.number: d.open for d in docs()}
    assert all(D("0") <= r.open_after[n] <= originals[n] for n in originals)
    applied = sum((m.applied for m in r.matched), D("0"))
    assert applied == sum(originals.values()) - sum(r.open_after.values())
    again = match_statement(s, MEMBERS, docs(), already_imported=r.imported)
    assert (again.matched, again.queued, again.ignored) == ((), (), ())
    assert again.duplicates == len(s.entries)
    assert again.open_after == originals


def test_fin3_same_bank_reference_twice_in_one_file_is_a_duplicate() -> None:
    e = entry(1, "221.40", "FV/2026/0001", ref="X1")
    r = match_statement(stmt(e, entry(2, "221.40", "FV/2026/0001", ref="X1")), MEMBERS, docs())
    assert len(r.matched) == 1 and r.duplicates == 1 and r.duplicate_lines == (2,)


def test_fin3_pekao_sample_split_payment() -> None:
    s = detect_and_parse((SAMPLES / "pekao_iso8859_2.sta").read_bytes())
    (m,) = match_statement(s, MEMBERS, docs()).matched
    assert (m.member, m.documents, m.credit) == (
        "m004",
        ("FV/2026/0002", "FV/2026/0003"),
        D("0.00"),
    )
