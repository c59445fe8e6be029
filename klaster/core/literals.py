"""A string from the database or a form, narrowed to one of a literal type's values.

A model's CharField holds a plain ``str``; klaster.rules takes literal types (``Organ``,
``Literal["grant", "renewal"]``). ``one_of`` checks the value against the literal's members, so a
value outside them fails here, loudly, rather than deep inside a rule.
"""

from __future__ import annotations

from typing import TypeVar

_L = TypeVar("_L", bound=str)


def one_of(value: str, allowed: tuple[_L, ...], what: str) -> _L:
    """``value`` as the member of ``allowed`` it equals; ValueError when it equals none."""
    for item in allowed:
        if item == value:
            return item
    raise ValueError(f"{value!r} is not {what} ({', '.join(allowed)})")
