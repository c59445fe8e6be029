"""FIN-6 (entry fee, advance, waiver), FIN-8 (return) and FIN-7 (suspension)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from klaster.rules.governance import NotInStatute
from klaster.rules.message import say
from klaster.rules.money import (
    MoneyInputError,
    Period,
    check_suspension,
    entry_fee_terms,
    evoluma_tariff,
    on_refusal,
    return_fee,
    suspension_on,
)
from klaster.rules.statute import EVOLUMA, INFOTECH, SuspensionRule

d = dt.date
ANNUAL_SMALL = evoluma_tariff(d(2026, 1, 1)).annual_for("small")  # 5040.00


@pytest.mark.parametrize(
    ("distance", "fee", "deposit"),
    [
        (200, D("10080.00"), D("2520.00")),  # 2× annual dues
        (150, D("5040.00"), D("1260.00")),  # within 150 km: 1×
        (None, D("10080.00"), D("2520.00")),  # unknown: the full fee, with a reason
    ],
)
def test_fin6_entry_fee_and_its_25_percent_advance(distance, fee, deposit):
    t = entry_fee_terms(EVOLUMA, ANNUAL_SMALL, distance)
    assert (t.fee, t.payable, t.deposit, t.deposit_share) == (fee, fee, deposit, Fraction(1, 4))
    if distance is None:
        assert "nieznana" in say(t.message, "pl") or "unknown" in say(t.message, "en")


def test_fin6_waiver_in_part_or_whole():
    part = entry_fee_terms(EVOLUMA, ANNUAL_SMALL, 200, waived=D("4080.00"))
    assert (part.payable, part.deposit) == (D("6000.00"), D("1500.00"))
    whole = entry_fee_terms(EVOLUMA, ANNUAL_SMALL, 200, waived=D("10080.00"))
    assert (whole.payable, whole.deposit) == (D("0.00"), D("0.00"))
    with pytest.raises(MoneyInputError) as err:
        entry_fee_terms(EVOLUMA, ANNUAL_SMALL, 200, waived=D("10080.01"))
    assert err.value.field == "waived"


def test_fin6_advance_is_kept_on_refusal():
    r = on_refusal(D("2520.00"))
    assert (r.kept, r.refund) == (D("2520.00"), D("0.00"))


def test_fin6_no_entry_fee_in_a_profile_without_one():
    with pytest.raises(NotInStatute):
        entry_fee_terms(INFOTECH, ANNUAL_SMALL, 10)


@pytest.mark.parametrize(
    ("returns_on", "amount", "within"),
    [
        (d(2028, 3, 14), D("5040.00"), True),  # a day short of 2 years: half
        (d(2028, 3, 15), D("10080.00"), False),  # the second anniversary: the whole fee
    ],
)
def test_fin8_return_within_two_years_pays_half(returns_on, amount, within):
    r = return_fee(EVOLUMA, D("10080.00"), d(2026, 3, 15), returns_on)
    assert (r.amount, r.within, r.limit) == (amount, within, d(2028, 3, 15))


# --- FIN-7 ---------------------------------------------------------------------------------------


def test_fin7_at_most_12_months():
    ok = check_suspension(EVOLUMA, Period(d(2026, 3, 15), d(2027, 3, 14)))
    assert ok.allowed and ok.resumes == d(2027, 3, 15)
    long = check_suspension(EVOLUMA, Period(d(2026, 3, 15), d(2027, 3, 15)))
    assert (long.allowed, long.code, long.latest_end) == (False, "too_long", d(2027, 3, 14))
    assert "14.03.2027" in say(long.message, "pl")


def test_fin7_no_new_suspension_within_12_months_of_the_last_ones_end():
    last = [Period(d(2025, 1, 1), d(2025, 5, 31))]
    soon = check_suspension(EVOLUMA, Period(d(2026, 5, 31), d(2026, 8, 31)), last)
    assert (soon.allowed, soon.code) == (False, "too_soon")
    assert check_suspension(EVOLUMA, Period(d(2026, 6, 1), d(2026, 8, 31)), last).allowed


def test_fin7_an_extension_is_refused_and_open_ended_requests_too():
    current = [Period(d(2026, 1, 1), d(2026, 12, 31))]
    ext = check_suspension(EVOLUMA, Period(d(2026, 12, 1), d(2027, 2, 28)), current)
    assert ext.code == "overlap"
    assert check_suspension(EVOLUMA, Period(d(2026, 1, 1), None)).code == "open_ended"


def test_fin7_numbers_come_from_the_profile():
    profile = dataclasses.replace(EVOLUMA, suspension=SuspensionRule(max_months=6, gap_months=0))
    assert check_suspension(profile, Period(d(2026, 1, 1), d(2026, 7, 1))).code == "too_long"
    assert check_suspension(
        profile, Period(d(2026, 1, 2), d(2026, 3, 1)), [Period(d(2025, 6, 1), d(2026, 1, 1))]
    ).allowed


def test_fin7_resumes_by_itself_and_lists_commitments():
    s = [Period(d(2026, 1, 1), d(2026, 3, 31))]
    assert suspension_on(s, d(2026, 3, 31)).suspended
    after = suspension_on(s, d(2026, 4, 1))
    assert not after.suspended
    ok = check_suspension(EVOLUMA, s[0], commitments=["Projekt X (trwałość do 2028)"])
    assert ok.commitments == ("Projekt X (trwałość do 2028)",)
    assert "Projekt X" in say(ok.message, "pl")
