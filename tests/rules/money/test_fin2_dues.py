"""FIN-1, FIN-2 and the Reading: months owed, billing periods, documents, corrections, numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.rules.membership import MembershipEvent, state_on
from klaster.rules.message import Msg, say
from klaster.rules.money import (
    DUES,
    DUES_READING,
    FeeType,
    MemberDues,
    MoneyInputError,
    Period,
    Tariff,
    VatSetting,
    dues_bearing_on,
    dues_correction,
    dues_documents,
    evoluma_tariff,
    format_number,
    months_owed,
    numbers_in_text,
    parse_number,
    period_of,
)

d = dt.date
TAXABLE = FeeType(DUES, (VatSetting(d(2020, 1, 1), "taxable"),))
OUTSIDE = FeeType(DUES, (VatSetting(d(2020, 1, 1), "outside_vat"),))
TARIFFS = [evoluma_tariff(d(2020, 1, 1))]


def member(*events, billing="month", category="micro", suspensions=(), exemptions=()):
    return MemberDues(
        "m001",
        category,
        tuple(MembershipEvent(kind, day) for kind, day in events),
        suspensions=tuple(suspensions),
        exemptions=tuple(exemptions),
        billing=billing,
    )


def months(*pairs):
    return [d(y, m, 1) for y, m in pairs]


def test_fin2_reading_joining_on_the_last_day_owes_that_month():
    m = member(("admitted", d(2026, 3, 31)))
    assert months_owed(m, d(2026, 1, 1), d(2026, 4, 30)) == months((2026, 3), (2026, 4))


def test_fin2_reading_leaving_on_the_first_frees_that_month_on_the_second_does_not():
    on_first = member(("admitted", d(2026, 1, 10)), ("resigned", d(2026, 3, 1)))
    on_second = member(("admitted", d(2026, 1, 10)), ("resigned", d(2026, 3, 2)))
    assert months_owed(on_first, d(2026, 1, 1), d(2026, 12, 31)) == months((2026, 1), (2026, 2))
    assert months_owed(on_second, d(2026, 1, 1), d(2026, 12, 31)) == months(
        (2026, 1), (2026, 2), (2026, 3)
    )


def test_fin2_fin7_fin5_suspension_and_exemption_from_the_first_free_whole_months():
    m = member(
        ("admitted", d(2025, 1, 1)),
        suspensions=[Period(d(2026, 2, 1), d(2026, 3, 31))],  # FIN-7: Feb and Mar free
        exemptions=[Period(d(2026, 6, 2), None)],  # FIN-5 from 2 June: June still owed
    )
    assert months_owed(m, d(2026, 1, 1), d(2026, 8, 31)) == months(
        (2026, 1), (2026, 4), (2026, 5), (2026, 6)
    )
    assert not dues_bearing_on(m, d(2026, 2, 15))
    assert dues_bearing_on(m, d(2026, 6, 1)) and not dues_bearing_on(m, d(2026, 6, 2))


def test_fin7_suspension_as_membership_events_reads_the_same():
    m = member(
        ("admitted", d(2025, 1, 1)), ("suspended", d(2026, 2, 1)), ("resumed", d(2026, 4, 1))
    )
    assert months_owed(m, d(2026, 1, 1), d(2026, 4, 30)) == months((2026, 1), (2026, 4))


def test_fin2_reading_is_a_message_to_show_where_dues_are_shown():
    assert "co najmniej jeden dzień tego miesiąca" in say(Msg.of(DUES_READING), "pl")


@pytest.mark.parametrize(
    ("billing", "day", "expected"),
    [
        ("month", d(2026, 2, 14), (d(2026, 2, 1), d(2026, 2, 28))),
        ("quarter", d(2026, 5, 14), (d(2026, 4, 1), d(2026, 6, 30))),
        ("half_year", d(2026, 8, 1), (d(2026, 7, 1), d(2026, 12, 31))),
        ("year", d(2026, 8, 1), (d(2026, 1, 1), d(2026, 12, 31))),
    ],
)
def test_fin2_billing_periods_are_calendar_aligned(billing, day, expected):
    assert period_of(billing, day) == expected


def test_fin2_monthly_documents_through_a_date_with_issue_and_due_dates():
    m = member(("admitted", d(2026, 10, 15)))
    docs = dues_documents(
        m, TARIFFS, TAXABLE, start=d(2026, 1, 1), through=d(2026, 12, 1), payment_term_days=14
    )
    assert [(x.period_start, x.issued, x.due, x.net, x.vat, x.gross) for x in docs] == [
        # joined mid-month: the month is owed, the document is dated from the joining day
        (d(2026, 10, 1), d(2026, 10, 15), d(2026, 10, 29), D("180.00"), D("41.40"), D("221.40")),
        (d(2026, 11, 1), d(2026, 11, 1), d(2026, 11, 15), D("180.00"), D("41.40"), D("221.40")),
        (d(2026, 12, 1), d(2026, 12, 1), d(2026, 12, 15), D("180.00"), D("41.40"), D("221.40")),
    ]
    assert all(x.kind == "invoice" and x.rule_id == "FIN-2" for x in docs)


def test_fin2_quarterly_document_splits_a_tariff_change_by_month():
    tariffs = [evoluma_tariff(d(2020, 1, 1)), Tariff(d(2026, 5, 1), {"small": D("450.00")})]
    m = member(("admitted", d(2025, 1, 1)), billing="quarter", category="small")
    (q2,) = dues_documents(
        m, tariffs, OUTSIDE, start=d(2026, 4, 1), through=d(2026, 4, 1), payment_term_days=30
    )
    assert [c.net for c in q2.months] == [D("420.00"), D("450.00"), D("450.00")]
    assert (q2.net, q2.vat, q2.gross, q2.kind) == (
        D("1320.00"),
        D("0.00"),
        D("1320.00"),
        "debit_note",
    )
    assert q2.due == d(2026, 5, 1)
    assert "1320,00 zł" in say(q2.message, "pl")


def test_fin2_a_period_with_no_owed_month_gets_no_document_and_the_run_is_repeatable():
    m = member(
        ("admitted", d(2025, 1, 1)),
        billing="quarter",
        exemptions=[Period(d(2026, 4, 1), d(2026, 6, 30))],
    )
    args = dict(start=d(2026, 1, 1), through=d(2026, 12, 31), payment_term_days=14)
    docs = dues_documents(m, TARIFFS, TAXABLE, **args)
    assert [x.period_start for x in docs] == [d(2026, 1, 1), d(2026, 7, 1), d(2026, 10, 1)]
    assert dues_documents(m, TARIFFS, TAXABLE, **args) == docs


def test_fin2_year_billing_for_a_member_leaving_mid_year_corrects_by_a_correcting_document():
    stay = member(("admitted", d(2025, 1, 1)), billing="year")
    (issued,) = dues_documents(
        stay, TARIFFS, TAXABLE, start=d(2026, 1, 1), through=d(2026, 1, 1), payment_term_days=14
    )
    assert issued.net == D("2160.00")
    left = member(("admitted", d(2025, 1, 1)), ("resigned", d(2026, 7, 1)), billing="year")
    (now,) = dues_documents(
        left, TARIFFS, TAXABLE, start=d(2026, 1, 1), through=d(2026, 1, 1), payment_term_days=14
    )
    corr = dues_correction("FV/2026/0001", issued, now)
    assert corr is not None and corr.net_difference == D("-1080.00")
    assert corr.months_removed == tuple(d(2026, m, 1) for m in range(7, 13))
    assert dues_correction("FV/2026/0001", issued, issued) is None


def test_fin2_no_tariff_in_force_names_the_setting():
    m = member(("admitted", d(2015, 1, 1)))
    with pytest.raises(MoneyInputError) as err:
        dues_documents(
            m, TARIFFS, TAXABLE, start=d(2019, 12, 1), through=d(2019, 12, 31), payment_term_days=14
        )
    assert err.value.field == "tariff"


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_fin2_payment_term_must_be_whole_days(bad):
    with pytest.raises(MoneyInputError) as err:
        dues_documents(
            member(("admitted", d(2026, 1, 1))),
            TARIFFS,
            TAXABLE,
            start=d(2026, 1, 1),
            through=d(2026, 1, 1),
            payment_term_days=bad,
        )
    assert err.value.field == "payment_term_days"


# --- property: months owed = months with at least one dues-bearing day ---------------------------

KINDS = ["admitted", "suspended", "resumed", "resigned", "returned", "struck_off"]
days_2026 = st.dates(d(2025, 11, 1), d(2027, 2, 28))


@st.composite
def histories(draw):
    events = draw(st.lists(st.tuples(st.sampled_from(KINDS), days_2026), max_size=6))
    periods = st.builds(
        lambda a, n: Period(a, None if n is None else a + dt.timedelta(days=n)),
        days_2026,
        st.one_of(st.none(), st.integers(0, 120)),
    )
    return MemberDues(
        "m",
        "micro",
        tuple(MembershipEvent(k, day, seq=i) for i, (k, day) in enumerate(events)),
        suspensions=tuple(draw(st.lists(periods, max_size=2))),
        exemptions=tuple(draw(st.lists(periods, max_size=2))),
    )


def _bearing_by_days(m: MemberDues, day: dt.date) -> bool:
    return (
        state_on(m.events, day).status == "active"
        and not any(p.covers(day) for p in m.suspensions)
        and not any(p.covers(day) for p in m.exemptions)
    )


@given(histories())
def test_fin2_property_months_owed_equal_months_of_dues_bearing_membership(m):
    first, last = d(2026, 1, 1), d(2026, 12, 31)
    expected = []
    for month in range(1, 13):
        day = d(2026, month, 1)
        while day.month == month:
            if _bearing_by_days(m, day):
                expected.append(d(2026, month, 1))
                break
            day += dt.timedelta(days=1)
    assert months_owed(m, first, last) == expected


@given(histories(), st.sampled_from(["month", "quarter", "half_year", "year"]))
def test_fin2_property_documents_bill_each_owed_month_once(m, billing):
    m = MemberDues(m.member_id, m.category, m.events, m.suspensions, m.exemptions, billing)
    docs = dues_documents(
        m, TARIFFS, TAXABLE, start=d(2026, 1, 1), through=d(2026, 12, 31), payment_term_days=7
    )
    billed = [c.month for x in docs for c in x.months]
    assert billed == months_owed(m, d(2026, 1, 1), d(2026, 12, 31))
    assert all(x.period_start <= x.issued <= x.period_end for x in docs)


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "year", "seq", "text"),
    [
        ("FV", 2026, 1, "FV/2026/0001"),
        ("NO", 2026, 12, "NO/2026/0012"),
        ("KOR", 2027, 12345, "KOR/2027/12345"),
    ],
)
def test_fin2_numbers_format_and_parse_back(series, year, seq, text):
    assert format_number(series, year, seq) == text
    number = parse_number(text)
    assert (number.series, number.year, number.seq, str(number)) == (series, year, seq, text)


@pytest.mark.parametrize("bad", ["FV/2026/1", "fv/2026/0001", "FV-2026-0001", "FV/26/0001", ""])
def test_fin2_bad_numbers_are_refused(bad):
    with pytest.raises(MoneyInputError):
        parse_number(bad)


def test_fin2_numbers_in_a_transfer_title():
    found = numbers_in_text("Skladka FV 2026/1 oraz fv/2026/0002, FV/2026/0001; PO/2026/3")
    assert [str(n) for n in found] == ["FV/2026/0001", "FV/2026/0002"]


def test_fin2_sequence_starts_at_one():
    with pytest.raises(MoneyInputError) as err:
        format_number("FV", 2026, 0)
    assert err.value.field == "seq"


def test_fin1_a_size_class_change_applies_from_the_month_it_is_in_force():
    m = MemberDues(
        "m001",
        "micro",
        (MembershipEvent("admitted", d(2025, 1, 1)),),
        billing="quarter",
        category_changes=((d(2026, 2, 1), "small"),),
    )
    (q1,) = dues_documents(
        m, TARIFFS, TAXABLE, start=d(2026, 1, 1), through=d(2026, 1, 1), payment_term_days=14
    )
    assert [c.net for c in q1.months] == [D("180.00"), D("420.00"), D("420.00")]
