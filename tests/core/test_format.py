"""Issue 9 point 2: one number and money format — `3 330 940,00 zł` in Polish, `PLN 3,330,940.00`
in English; Decimal throughout."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from klaster.core.templatetags.klaster_format import NBSP, format_money, format_number


def _plain(text: str) -> str:
    """Compare with ordinary spaces; the page uses non-breaking ones."""
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("value", "pl", "en"),
    [
        (Decimal("3330940"), "3 330 940,00 zł", "PLN 3,330,940.00"),
        (Decimal("3330940.005"), "3 330 940,01 zł", "PLN 3,330,940.01"),  # half up, not banker's
        (Decimal("999.99"), "999,99 zł", "PLN 999.99"),
        (Decimal("1000"), "1 000,00 zł", "PLN 1,000.00"),
        (Decimal("-1234.5"), "-1 234,50 zł", "PLN -1,234.50"),
        (0, "0,00 zł", "PLN 0.00"),
        ("12345.678", "12 345,68 zł", "PLN 12,345.68"),
        (0.1, "0,10 zł", "PLN 0.10"),
    ],
)
def test_money(value, pl, en):
    assert _plain(format_money(value, polish=True)) == pl
    assert _plain(format_money(value, polish=False)) == en


def test_money_never_breaks_inside_an_amount():
    text = format_money(Decimal("3330940"), polish=True)
    assert " " not in text and text.count(NBSP) == 3


@pytest.mark.parametrize("empty", [None, "", "abc", float("nan"), True])
def test_empty_or_not_a_number_is_a_dash(empty):
    assert format_money(empty) == "—"
    assert format_number(empty) == "—"


@pytest.mark.parametrize(
    ("value", "places", "pl", "en"),
    [
        (12345, None, "12 345", "12,345"),
        (Decimal("12.5"), None, "12,5", "12.5"),
        (Decimal("12.5"), 2, "12,50", "12.50"),
        (Decimal("1234567.891"), 0, "1 234 568", "1,234,568"),
        (7, 2, "7,00", "7.00"),
    ],
)
def test_number(value, places, pl, en):
    assert _plain(format_number(value, places, polish=True)) == pl
    assert _plain(format_number(value, places, polish=False)) == en


def test_filters_follow_the_active_language():
    t = Template("{% load klaster_format %}{{ v|money }}|{{ v|number:1 }}")
    with translation.override("pl"):
        assert _plain(t.render(Context({"v": Decimal("3330940")}))) == "3 330 940,00 zł|3 330 940,0"
    with translation.override("en"):
        assert (
            _plain(t.render(Context({"v": Decimal("3330940")}))) == "PLN 3,330,940.00|3,330,940.0"
        )


def test_the_kkk_application_prints_numbers_with_the_same_formatter_half_up():
    """Issue 9 point 2: one number formatter — the KKK application's Polish numbers are the design
    system's, rounded half up (0,125 → 0,13, not the banker's 0,12)."""
    from decimal import Decimal

    from klaster.kkk.templatetags.kkk_tags import kkk_value, polish_number

    assert polish_number(Decimal("0.125"), 2) == "0,13"
    assert polish_number("2.5", 0) == "3"
    assert polish_number(Decimal("3330940"), 2) == "3\u00a0330\u00a0940,00"
    assert kkk_value("1234.005", "money") == "1\u00a0234,01\u00a0zł"
    assert polish_number("nie dotyczy") == "nie dotyczy"
