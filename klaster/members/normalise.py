"""The identifier normaliser (klaster.rules.identifiers) at Django's doors: one per kind, the
same for the member form, the API, the spreadsheet import and the service under them (MEM-4,
MEM-9). The rule returns a code; the reason is rendered here in the user's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from klaster.rules import identifiers

# A member's identifiers and its postal code, as the Member model names them.
MEMBER_KINDS = ("nip", "regon", "krs", "postal_code")
# What a person may type for each of them before it is compacted ("PL 526-025-02-74",
# "0000 012 345", "00 950"): the model's column is the compact width, a form field is not.
TYPED_MAX_LENGTH = 40


def user_lang() -> identifiers.Lang:
    """The active language as the rules name it: English when it is English, else Polish."""
    return "en" if (get_language() or "").lower().startswith("en") else "pl"


def error_text(exc: identifiers.IdentifierError) -> str:
    """``"NIP: nieprawidłowa cyfra kontrolna"`` — or its English text for an English user."""
    return exc.render(user_lang())


def clean(kind: str, value: Any) -> str:
    """``identifiers.normalise`` with the refusal as Django's ValidationError in the user's language."""
    try:
        return identifiers.normalise(kind, value)
    except identifiers.IdentifierError as exc:
        raise ValidationError(error_text(exc), code=exc.code or "invalid") from exc


def clean_fields(data: Mapping[str, Any]) -> dict[str, str]:
    """Every identifier of ``MEMBER_KINDS`` present in ``data``, normalised; all refusals at
    once, by field (``ValidationError({"nip": …, "postal_code": …})``)."""
    out: dict[str, str] = {}
    errors: dict[str, str] = {}
    for kind in MEMBER_KINDS:
        if kind not in data:
            continue
        try:
            out[kind] = identifiers.normalise(kind, data[kind])
        except identifiers.IdentifierError as exc:
            errors[kind] = error_text(exc)
    if errors:
        raise ValidationError(errors)
    return out
