"""Numbers and money as people read them (issue 9 point 2): `{% load klaster_format %}`.

    {{ amount|money }}     → "3 330 940,00 zł" (Polish) · "PLN 3,330,940.00" (English)
    {{ count|number }}     → "12 345" · "12,345"; `number:2` → "12 345,00" · "12,345.00"

Polish typography groups thousands with a non-breaking space (U+00A0, so an amount never wraps
across lines) and puts one before "zł" too. Arithmetic is Decimal throughout (a float is read
through its repr, never its binary value); an empty value shows as "—".
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import translation

register = template.Library()

NBSP = "\u00a0"
DASH = "—"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _polish() -> bool:
    return (translation.get_language() or "pl").lower().startswith("pl")


def format_number(value: Any, places: int | None = None, *, polish: bool | None = None) -> str:
    """`value` grouped by thousands, with `places` decimals (None: as many as the value has)."""
    d = _decimal(value)
    if d is None:
        return DASH
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    polish = _polish() if polish is None else polish
    sign = "-" if d < 0 else ""
    text = f"{abs(d):f}"
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    thousands, point = (NBSP, ",") if polish else (",", ".")
    # Polish style groups a four-digit number too ("1 234"), like Django's pl locale.
    out = thousands.join(groups)
    if fraction:
        out += point + fraction
    return sign + out


def format_money(value: Any, *, polish: bool | None = None) -> str:
    """An amount in złoty with two decimals: "3 330 940,00 zł" / "PLN 3,330,940.00"."""
    if _decimal(value) is None:
        return DASH
    polish = _polish() if polish is None else polish
    amount = format_number(value, 2, polish=polish)
    return f"{amount}{NBSP}zł" if polish else f"PLN{NBSP}{amount}"


@register.filter(is_safe=True)
def money(value: Any) -> str:
    return format_money(value)


@register.filter(is_safe=True)
def number(value: Any, places: Any = None) -> str:
    try:
        p = None if places in (None, "") else int(places)
    except (TypeError, ValueError):
        p = None
    return format_number(value, p)


@register.filter(name="say")
def say_filter(value: Any) -> str:
    """A rule message (or its stored JSON) in the reader's language (klaster/core/say.py)."""
    from klaster.core.say import say

    return say(value)
