"""FIN-4: interest regimes from the shipped NBP table, the recovery compensation, arrears stages
and the vote (GOV-1 Reading)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from klaster.rules.message import say
from klaster.rules.money import (
    MoneyInputError,
    OpenDocument,
    RateChange,
    arrears_stage,
    compensation_rate_day,
    interest,
    member_votes,
    parse_rate_table,
    rate_on,
    recovery_compensation,
    reference_rates,
)
from klaster.rules.money.interest import DATA
from klaster.rules.statute import EVOLUMA, ArrearsRule

d = dt.date


def test_fin4_the_nbp_table_is_shipped_with_its_source():
    rows = reference_rates()
    assert rows[0] == RateChange(d(2015, 3, 5), D("1.50"))  # in force on 1 January 2016
    assert [r.valid_from for r in rows] == sorted(r.valid_from for r in rows)
    notice = DATA.with_name("nbp_reference_rate.NOTICE.txt").read_text(encoding="utf-8")
    assert "Narodowy Bank Polski" in notice and "art. 481" in notice


@pytest.mark.parametrize(
    ("day", "statutory"),
    [
        (d(2016, 1, 1), "7.00"),  # 1.50 + 5.5
        (d(2020, 3, 18), "6.50"),
        (d(2020, 5, 29), "5.60"),
        (d(2022, 9, 8), "12.25"),
        (d(2023, 10, 5), "11.25"),
        (d(2025, 12, 4), "9.50"),
        (d(2026, 3, 5), "9.25"),
    ],
)
def test_fin4_statutory_rate_changes_with_every_reference_rate_change(day, statutory):
    assert rate_on("statutory", day) == D(statutory)
    if day.year > 2016:
        assert rate_on("statutory", day - dt.timedelta(days=1)) != D(statutory)


def test_fin4_commercial_rate_is_fixed_per_half_year_from_1_january_and_1_july():
    # reference 4.00 on 1 January 2026, 3.75 from 5 March: the first half-year stays at 14 %
    assert rate_on("commercial", d(2026, 3, 10)) == D("14.00")
    assert rate_on("commercial", d(2026, 6, 30)) == D("14.00")
    assert rate_on("commercial", d(2026, 7, 1)) == D("13.75")
    # before 2020 the margin was 8 pp (1.50 + 8)
    assert rate_on("commercial", d(2019, 12, 31)) == D("9.50")
    assert rate_on("commercial", d(2020, 1, 1)) == D("11.50")


def test_fin4_interest_per_day_on_a_365_day_year_rounded_once_per_document():
    # MONEY-CLI's example: 221.40 due 15 Dec 2026, 100.00 paid on 15 Jan 2027, to 1 Mar 2027
    r = interest(
        D("221.40"), d(2026, 12, 15), d(2027, 3, 1), payments=[(d(2027, 1, 15), D("100.00"))]
    )
    assert [(p.start, p.end, p.base, p.rate, p.days) for p in r.pieces] == [
        (d(2026, 12, 16), d(2027, 1, 15), D("221.40"), D("9.25"), 31),
        (d(2027, 1, 16), d(2027, 3, 1), D("121.40"), D("9.25"), 45),
    ]
    exact = (
        Fraction("221.40") * Fraction("9.25") / 100 * 31 / 365
        + Fraction("121.40") * Fraction("9.25") / 100 * 45 / 365
    )
    assert r.exact == exact and r.amount == D("3.12")
    assert (r.regime, r.basis, r.rule_id) == ("statutory", "art. 481 KC", "FIN-4")
    assert "art. 481 KC" in say(r.message, "pl")


def test_fin4_interest_splits_exactly_at_a_rate_change_and_a_leap_year_still_divides_by_365():
    r = interest(D("10000.00"), d(2025, 12, 1), d(2025, 12, 10))
    # 2–3 Dec at 4.25 + 5.5 = 9.75 %, 4–10 Dec at 9.50 %
    assert [(p.rate, p.days) for p in r.pieces] == [(D("9.75"), 2), (D("9.50"), 7)]
    assert r.exact == Fraction(10000) * (Fraction("9.75") * 2 + Fraction("9.50") * 7) / 100 / 365
    leap = interest(D("365.00"), d(2024, 2, 27), d(2024, 3, 1))  # 3 days incl. 29 Feb
    assert leap.exact == Fraction(365) * Fraction("11.25") / 100 * 3 / 365


def test_fin4_no_interest_before_the_due_date_or_once_paid():
    assert interest(D("100"), d(2026, 12, 15), d(2026, 12, 15)).amount == 0
    paid = interest(
        D("100"), d(2026, 12, 15), d(2027, 3, 1), payments=[(d(2026, 12, 20), D("100"))]
    )
    assert paid.pieces[-1].end == d(2026, 12, 20)  # the day of payment bears interest


def test_fin4_an_edited_rate_table_is_used_when_given():
    table = parse_rate_table("valid_from,rate_percent\n2016-01-01,2.00\n2026-01-01,4.50\n")
    assert rate_on("statutory", d(2026, 5, 1), table) == D("10.0")
    with pytest.raises(MoneyInputError) as err:
        parse_rate_table("valid_from,rate_percent\n2026-13-01,x\n")
    assert err.value.field == "rates"


@pytest.mark.parametrize(
    ("gross", "eur"),
    [(D("5000.00"), 40), (D("5000.01"), 70), (D("49999.99"), 70), (D("50000.00"), 100)],
)
def test_fin4_recovery_compensation_bands(gross, eur):
    c = recovery_compensation(gross, d(2026, 12, 15), D("4.2270"))
    assert c.eur == eur and c.pln == (D("4.2270") * eur).quantize(D("0.01"))
    assert "art. 10" in c.basis


def test_fin4_compensation_rate_is_of_the_last_business_day_of_the_month_before_due():
    assert compensation_rate_day(d(2026, 12, 15)) == d(2026, 11, 30)  # a Monday
    assert compensation_rate_day(d(2026, 9, 10)) == d(2026, 8, 31)
    assert compensation_rate_day(d(2026, 6, 10)) == d(2026, 5, 29)  # 31 May is a Sunday


EV = EVOLUMA.arrears
assert EV is not None


@pytest.mark.parametrize(
    ("on", "days", "stage"),
    [
        (d(2026, 12, 15), 0, "none"),
        (d(2027, 2, 13), 60, "none"),
        (d(2027, 2, 14), 61, "60"),
        (d(2027, 3, 15), 90, "60"),
        (d(2027, 3, 16), 91, "90"),
    ],
)
def test_fin4_stages_follow_the_statute_numbers(on, days, stage):
    s = arrears_stage(OpenDocument("FV/2026/0001", d(2026, 12, 15), D("121.40")), on, EV)
    assert (s.days_overdue, s.stage) == (days, stage)


def test_fin4_stage_numbers_come_from_the_profile_rule_not_literals():
    rule = ArrearsRule(first_notice_days=30, second_notice_days=14)
    s = arrears_stage(OpenDocument("X", d(2026, 1, 1), D("1")), d(2026, 2, 15), rule)
    assert s.stage == "44" and s.level == 2


def test_fin4_paid_document_has_no_stage():
    s = arrears_stage(OpenDocument("X", d(2026, 1, 1), D("0")), d(2027, 1, 1), EV)
    assert (s.stage, s.days_overdue) == ("none", 0)


def test_fin4_gov1_member_with_a_document_over_60_days_overdue_does_not_vote_until_paid():
    docs = [
        OpenDocument("FV/2026/0001", d(2026, 12, 15), D("121.40")),
        OpenDocument("FV/2027/0001", d(2027, 1, 15), D("221.40")),
    ]
    assert member_votes(docs, d(2027, 2, 13), EV).votes
    no = member_votes(docs, d(2027, 2, 14), EV)
    assert not no.votes and no.blocking == ("FV/2026/0001",)
    assert "FV/2026/0001" in say(no.message, "pl")
    paid = [OpenDocument("FV/2026/0001", d(2026, 12, 15), D("0")), docs[1]]
    assert member_votes(paid, d(2027, 2, 14), EV).votes
