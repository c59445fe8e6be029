"""FIN-2, FIN-3: the ledger as a pure model — allocation oldest due first, credit carried
forward, corrections as documents; properties: the ledger balances, a payment is never
applied beyond its amount, nothing is paid twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.rules.money import LedgerDocument, LedgerPayment, MoneyInputError, interest, ledger

d = dt.date


def doc(number, due, gross, member="m003", issued=None, corrects=None):
    issued = issued or due - dt.timedelta(days=14)
    return LedgerDocument(number, member, issued, due, D(gross), corrects)


def pay(ref, day, value, member="m003", documents=()):
    return LedgerPayment(ref, member, day, D(value), tuple(documents))


DOCS = [
    doc("FV/2026/0001", d(2026, 10, 15), "221.40"),
    doc("FV/2026/0002", d(2026, 11, 15), "221.40"),
    doc("FV/2026/0003", d(2026, 12, 15), "221.40"),
]


def test_fin3_a_payment_goes_to_the_oldest_due_first_and_the_rest_is_credit():
    lg = ledger(DOCS, [pay("b1", d(2026, 12, 20), "500.00")])
    assert lg.open == {
        "FV/2026/0001": D("0.00"),
        "FV/2026/0002": D("0.00"),
        "FV/2026/0003": D("164.20"),
    }
    (p,) = lg.payments
    assert (p.documents, p.applied, p.credit) == (
        ("FV/2026/0001", "FV/2026/0002", "FV/2026/0003"),
        D("500.00"),
        D("0.00"),
    )
    assert lg.balance("m003") == D("164.20")


def test_fin3_overpayment_is_kept_as_credit_and_applied_to_the_next_document():
    lg = ledger(DOCS[:1], [pay("b1", d(2026, 10, 1), "300.00")])
    assert lg.credit["m003"] == D("78.60") and lg.balance("m003") == D("-78.60")
    lg2 = ledger(DOCS[:2], [pay("b1", d(2026, 10, 1), "300.00")])
    assert lg2.open["FV/2026/0002"] == D("142.80") and lg2.credit["m003"] == 0
    assert [(a.source, a.document, a.amount) for a in lg2.allocations][-1] == (
        "credit",
        "FV/2026/0002",
        D("78.60"),
    )


def test_fin3_a_document_named_in_the_title_is_paid_first():
    lg = ledger(DOCS, [pay("b1", d(2026, 12, 20), "221.40", documents=["FV/2026/0003"])])
    assert lg.open["FV/2026/0003"] == 0 and lg.open["FV/2026/0001"] == D("221.40")


def test_fin2_corrections_are_documents_never_edits():
    correction = doc(
        "KOR/2026/0001", d(2026, 11, 15), "-221.40", corrects="FV/2026/0002", issued=d(2026, 11, 20)
    )
    lg = ledger([*DOCS[:2], correction], [pay("b1", d(2026, 11, 30), "221.40")])
    assert lg.open["FV/2026/0002"] == 0 and lg.open["FV/2026/0001"] == 0
    # the corrected original was already paid in part → the excess is the member's credit
    paid_first = ledger([*DOCS[:2], correction], [pay("b0", d(2026, 11, 1), "400.00")])
    assert paid_first.credit["m003"] == D("178.60")
    assert paid_first.balance("m003") == D("-178.60")


def test_fin4_ledger_read_on_a_day_gives_the_open_amounts_and_the_payments_for_interest():
    payments = [pay("b1", d(2027, 1, 15), "100.00")]
    before = ledger(DOCS[2:], payments, on=d(2027, 1, 14))
    assert before.open["FV/2026/0003"] == D("221.40")
    lg = ledger(DOCS[2:], payments, on=d(2027, 3, 1))
    r = interest(
        D("221.40"), d(2026, 12, 15), d(2027, 3, 1), payments=lg.payments_of("FV/2026/0003")
    )
    assert r.amount == D("3.12")


def test_fin3_bad_ledger_input_is_refused_naming_the_field():
    with pytest.raises(MoneyInputError) as err:
        ledger([DOCS[0], DOCS[0]], [])
    assert err.value.field == "number"
    with pytest.raises(MoneyInputError) as err:
        ledger(DOCS, [pay("b1", d(2026, 1, 1), "0")])
    assert err.value.field == "amount"
    with pytest.raises(MoneyInputError) as err:
        ledger([doc("KOR/2026/0001", d(2026, 1, 1), "-1", corrects="FV/2026/0099")], [])
    assert err.value.field == "corrects"
    with pytest.raises(MoneyInputError) as err:
        ledger([doc("FV/2026/0009", d(2026, 1, 1), "-1")], [])
    assert err.value.field == "gross"


# --- properties ---------------------------------------------------------------------------------

MEMBERS = ["m1", "m2", "m3"]
days = st.dates(d(2026, 1, 1), d(2026, 12, 31))
money = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@st.composite
def books(draw):
    docs = []
    for i in range(draw(st.integers(0, 8))):
        issued = draw(days)
        docs.append(
            LedgerDocument(
                f"FV/2026/{i + 1:04d}",
                draw(st.sampled_from(MEMBERS)),
                issued,
                issued + dt.timedelta(days=draw(st.integers(0, 30))),
                draw(money),
            )
        )
    for j, original in enumerate(draw(st.lists(st.sampled_from(docs), max_size=3)) if docs else []):
        delta = draw(
            st.decimals(min_value=D("-5000"), max_value=D("500"), places=2).filter(lambda x: x != 0)
        )
        day = original.issued + dt.timedelta(days=draw(st.integers(0, 20)))
        docs.append(
            LedgerDocument(
                f"KOR/2026/{j + 1:04d}",
                original.member,
                day,
                day,
                delta,
                original.number,
                "correction",
            )
        )
    payments = [
        LedgerPayment(
            f"b{k}",
            draw(st.sampled_from(MEMBERS)),
            draw(days),
            draw(money),
            tuple(
                draw(
                    st.lists(
                        st.sampled_from([x.number for x in docs] or ["FV/2026/0001"]), max_size=2
                    )
                )
            ),
        )
        for k in range(draw(st.integers(0, 8)))
    ]
    return docs, payments, draw(st.one_of(st.none(), days))


@given(books())
def test_fin2_property_the_ledger_balances(book):
    docs, payments, on = book
    lg = ledger(docs, payments, on=on)
    seen = [x for x in docs if on is None or x.issued <= on]
    paid_in = [p for p in payments if on is None or p.day <= on]
    debits = sum((x.gross for x in seen if x.gross > 0), D(0))
    credits = sum((p.amount for p in paid_in), D(0)) + sum(
        (-x.gross for x in seen if x.gross < 0), D(0)
    )
    assert debits - credits == sum(lg.open.values(), D(0)) - sum(lg.credit.values(), D(0))
    assert all(v >= 0 for v in lg.open.values()) and all(v >= 0 for v in lg.credit.values())


@given(books())
def test_fin3_property_a_payment_is_never_applied_beyond_its_amount_nor_a_document_paid_twice(book):
    docs, payments, on = book
    lg = ledger(docs, payments, on=on)
    by_ref = {p.ref: p for p in payments}
    for result in lg.payments:
        applied = sum((a.amount for a in lg.allocations if a.source == result.ref), D(0))
        assert applied == result.applied <= by_ref[result.ref].amount
        assert result.applied + result.credit == by_ref[result.ref].amount
        # only the payer's own documents
        assert all(lg.documents[n].member == result.member for n in result.documents)
    gross = {x.number: x.gross for x in docs}
    for number, covered in lg.paid.items():
        if gross[number] > 0:
            assert covered + lg.open[number] == gross[number]
