"""Rule messages (klaster/rules/message.py) in the reader's language, at the Django edge.

    say(result.message)            → the sentence in the active language
    {{ result.message|say }}       → the same in a template ({% load klaster_format %})

A stored message (JSON, `message.to_json`) is read back with `message.from_json` first; `say`
accepts either form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

from klaster.rules import message as rule_message
from klaster.rules.message import Msg


def say(value: Msg | Mapping[str, Any] | str | None) -> str:
    """A message (or its stored JSON) rendered in the active language; text passes through."""
    if value is None or value == "" or value == {}:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, Msg):
        value = rule_message.from_json(value)
    return rule_message.render(value, translation.get_language() or "pl", translation.pgettext)


def say_value(value: Any, spec: str = "") -> str:
    """One Term, date, Money … on its own in the active language."""
    return rule_message.render_value(
        value, translation.get_language() or "pl", translation.pgettext, spec
    )
