"""FIN-1: the dated tariff, the evoluma preset, VAT treatment per fee type (dated)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from fractions import Fraction

import pytest

from klaster.rules.message import say
from klaster.rules.money import (
    DUES,
    FeeType,
    MoneyInputError,
    Tariff,
    VatRate,
    VatSetting,
    evoluma_tariff,
    tariff_in_force,
    vat_line,
    vat_rate_on,
)

D2026 = dt.date(2026, 1, 1)


def test_fin1_evoluma_preset_amounts_are_001_fin2():
    t = evoluma_tariff(D2026, strategic_partner=D("0"))
    assert [t.monthly_for(c) for c in ("micro", "small", "medium", "large")] == [
        D("180.00"),
        D("420.00"),
        D("900.00"),
        D("1200.00"),
    ]
    assert t.monthly_for("strategic_partner") == 0
    assert t.annual_for("small") == D("5040.00")


def test_fin1_tariff_in_force_picks_the_latest_version_not_after_the_day():
    old = evoluma_tariff(dt.date(2025, 1, 1))
    new = Tariff(dt.date(2026, 7, 1), {"micro": D("200"), "small": D("450")})
    assert tariff_in_force([new, old], dt.date(2026, 6, 30)) is old
    assert tariff_in_force([new, old], dt.date(2026, 7, 1)) is new
    assert tariff_in_force([new, old], dt.date(2024, 12, 31)) is None


def test_fin1_a_category_missing_from_the_tariff_names_the_field():
    with pytest.raises(MoneyInputError) as err:
        evoluma_tariff(D2026).monthly_for("type:university")
    assert err.value.field == "category"
    assert "type:university" in say(err.value.message, "pl")


@pytest.mark.parametrize("bad", [1.5, "abc", D("-1")])
def test_fin1_tariff_amounts_must_be_exact_and_not_negative(bad):
    with pytest.raises(MoneyInputError) as err:
        Tariff(D2026, {"micro": bad})
    assert err.value.field == "monthly[micro]"


def test_fin1_taxable_fee_gets_vat_at_the_rate_in_force_on_the_issue_date():
    fee = FeeType(DUES, (VatSetting(dt.date(2020, 1, 1), "taxable"),))
    line = vat_line(fee, D("180.00"), dt.date(2026, 12, 1))
    assert (line.kind, line.rate, line.vat, line.gross) == (
        "invoice",
        Fraction(23, 100),
        D("41.40"),
        D("221.40"),
    )
    # a dated VAT-rate table: a change takes effect on the invoice date, not the period's
    rates = (
        VatRate(dt.date(2011, 1, 1), Fraction(23, 100)),
        VatRate(dt.date(2027, 1, 1), Fraction(22, 100)),
    )
    assert vat_rate_on(dt.date(2026, 12, 31), rates) == Fraction(23, 100)
    assert vat_line(fee, D("180.00"), dt.date(2027, 1, 1), rates).vat == D("39.60")


def test_fin1_vat_rounds_half_up_once_per_line():
    fee = FeeType(DUES, (VatSetting(D2026, "taxable"),))
    # 0.115 PLN VAT on 0.50 net → 0.12 (half up), gross 0.62
    assert vat_line(fee, D("0.50"), D2026).vat == D("0.12")
    assert vat_line(fee, D("0.50"), D2026).gross == D("0.62")


def test_fin1_outside_vat_is_a_debit_note_and_the_setting_is_dated():
    fee = FeeType(
        DUES,
        (
            VatSetting(dt.date(2020, 1, 1), "taxable"),
            VatSetting(dt.date(2026, 7, 1), "outside_vat"),
        ),
    )
    before = vat_line(fee, D("420.00"), dt.date(2026, 6, 1))
    after = vat_line(fee, D("420.00"), dt.date(2026, 7, 1))
    assert before.kind == "invoice" and before.gross == D("516.60")
    assert (after.kind, after.vat, after.gross, after.rate) == (
        "debit_note",
        D("0.00"),
        D("420.00"),
        None,
    )
    assert "nota" in say(after.message, "pl").lower() or "obciąż" in say(after.message, "pl")


def test_fin1_unknown_vat_treatment_is_refused_naming_the_field():
    with pytest.raises(MoneyInputError) as err:
        VatSetting(D2026, "exempt")  # type: ignore[arg-type]
    assert err.value.field == "treatment"


def test_fin1_no_vat_setting_yet_is_a_clear_error():
    fee = FeeType(DUES, (VatSetting(dt.date(2027, 1, 1), "taxable"),))
    with pytest.raises(MoneyInputError) as err:
        vat_line(fee, D("1"), D2026)
    assert err.value.field == "vat"
