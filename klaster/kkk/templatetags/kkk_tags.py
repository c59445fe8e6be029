"""Template helpers for the KKK pages: values of the application as a Polish reader expects
them (T/N, 1 234 567,00 zł, 30.06.2026), anchors, and the width of a points bar."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import translation
from django.utils.translation import pgettext

from klaster.core.say import say, say_value
from klaster.core.templatetags.klaster_format import format_number
from klaster.rules import kkk_application as ka
from klaster.rules.message import Msg

register = template.Library()

NBSP = "\u00a0"


def polish_number(value: Any, places: int | None = None) -> str:
    """A number of the application in Polish (it is filled in Polish whatever the reader's
    language, 004 A.1): the design system's one formatter (`klaster_format.format_number`,
    grouped by thousands, rounded half up); what is not a number is shown as it is."""
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format_number(value, places, polish=True)


@register.filter
def kkk_value(value: Any, type_: str = "text") -> str:
    """One value of the application, as printed in the form."""
    if value is None:
        return "—"
    if value == ka.NIE_DOTYCZY:
        return ka.NIE_DOTYCZY
    if type_ == "bool" or isinstance(value, bool):
        return "T" if value else "N"
    if type_ == "money":
        return polish_number(value, 2) + NBSP + "zł"
    if type_ in ("dec", "int"):
        return polish_number(value)
    if type_ == "pct" and isinstance(value, str) and value.endswith("%"):
        return value[:-1].replace(".", ",") + NBSP + "%"
    if type_ == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    if type_ == "files" and isinstance(value, list):
        return (
            "; ".join(
                f"{f.get('name')} ({polish_number(round((f.get('size') or 0) / 1024))} KB)"
                for f in value
            )
            or "—"
        )
    if isinstance(value, list):
        return "; ".join(str(v) for v in value) or "—"
    return str(value)


def _polish_reader() -> bool:
    return (translation.get_language() or "pl").lower().startswith("pl")


@register.filter
def figure(value: Any) -> str:
    """An engine figure as the reader writes it: 30,64 %, 3 894 000,00, tak/nie in Polish (the
    engine writes "30.64%", "3894000.00", true/false for its JSON output); a figure in words
    (a message) in the reader's language."""
    if isinstance(value, bool):
        return say_value(value)
    if value is None:
        return "—"
    if isinstance(value, Msg):
        return say(value)
    text = str(value)
    if not _polish_reader():
        return text
    if re.fullmatch(r"-?\d+\.\d+%", text):
        return text[:-1].replace(".", ",") + NBSP + "%"
    if re.fullmatch(r"-?\d{4,}\.\d{2}", text):
        return polish_number(text, 2)
    return text


_REQUIRED_WORD = re.compile(r"\b(and|true|international)\b|R&D")


@register.filter
def requirement(text: str) -> str:
    """A criterion's requirement (">= 5 and >= 3%", the engine's JSON notation) in the reader's
    notation: "≥ 5 i ≥ 3 %" in Polish, "≥ 5 and ≥ 3%" in English."""
    words = {
        "and": pgettext("KKK requirement", "and"),
        "true": pgettext("KKK requirement", "yes"),
        "international": pgettext("KKK requirement", "international"),
        "R&D": pgettext("KKK requirement", "R&D"),
    }
    out = str(text).replace(">=", "≥").replace("<=", "≤")
    out = _REQUIRED_WORD.sub(lambda m: words[m.group()], out)
    if not _polish_reader():
        return out
    return re.sub(r"(\d)%", r"\1" + NBSP + "%", out)


@register.filter
def display_no(item_id: str) -> str:
    """The number printed before a field: "3.4" for "3.4.nip", "2" for "2.kody", "" for "Z"."""
    m = re.match(r"\d+[a-z]?(?:\.\d+)?", item_id)
    return m.group(0) if m else ""


@register.filter
def field_anchor(item_id: str) -> str:
    return ka.field_anchor(item_id)


@register.simple_tag
def row_anchor(item_id: str, ref: str) -> str:
    return ka.row_anchor(item_id, str(ref))


@register.filter
def cell(row: dict[str, Any], key: str) -> Any:
    return row.get(key)


@register.filter
def percent_of(points: int, maximum: int) -> int:
    """Width of a points bar, 0–100."""
    if not maximum:
        return 0
    return max(0, min(100, round(100 * points / maximum)))


@register.filter
def chars(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


_REF = re.compile(r"\b[a-z_]+\[\d+\]|\b[\w-]+\b")


@register.filter
def named(text: Msg | str | None, names: dict[str, str] | None) -> str:
    """Issue 9: an engine note (a message, rendered in the reader's language) with the records
    it names by id or dataset path ("m079", "shared_resources[3]") replaced by their names
    (``kkk.selectors.ref_names``)."""
    text = say(text)
    if not text or not names:
        return text
    return _REF.sub(lambda m: names.get(m.group(), m.group()), str(text))


@register.simple_tag
def stage2_chart(ev: Any) -> str:
    """Issue 9 point 9: stage II points per indicator against its maximum, as server-side SVG
    (klaster.core.charts) with a data table fallback; works in pages and in PDFs."""
    from django.utils.translation import gettext

    from klaster.core import charts

    points = [
        charts.Point(f"{i.number}. {say(i.title)}", i.points, i.max) for i in ev.stage2.indicators
    ]
    return charts.hbars(
        gettext("Stage II points per indicator against the maximum"),
        points,
        value_head=gettext("Points"),
        max_head=gettext("Maximum"),
    )
