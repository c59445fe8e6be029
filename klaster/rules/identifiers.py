"""Polish identifiers: NIP, REGON, KRS, IBAN/NRB (SPEC MEM-4) and the postal code (MEM-9).

Each ``validate_*`` function takes what a person typed (spaces, dashes, a ``PL``
prefix are fine), checks length, characters and check digits, and returns the compact
normalised value, or raises :class:`IdentifierError` whose message names the field:
``NIP: nieprawidłowa cyfra kontrolna``. Messages live in one catalogue below, Polish
first and English second (``lang="en"``).

Check digits follow python-stdnum (``stdnum.pl.nip``, ``stdnum.pl.regon``,
``stdnum.iban``). NIP and REGON check digits are computed here with stdnum's weights (a test
compares them with stdnum's on many numbers), so that the common path — already compact digits,
10,000 members on every dataset load — does not import stdnum (~20 ms: ``stdnum.util``
imports ``ssl`` and ``pydoc``); stdnum is imported only to compact a value with separators or a
prefix, and for IBAN/NRB. KRS has no check digit: it is checked for its format only
(10 digits, as the register prints it, e.g. ``0000012345``).

One normaliser per kind, used by every door (the member form, the API, the spreadsheet and
the dataset imports): :func:`normalise` (``""`` for a blank value, else the compact valid
value, else :class:`IdentifierError`). Lookups by NIP (member search, a member reference
typed by a chair, proxy CSV files) compact what was typed the same way with
:func:`lookup_nip`, so ``PL 526-025-02-74`` finds what the form stored as ``5260250274``.
The postal code is ``NN-NNN`` (``12345`` → ``12-345``); anything else is refused, never
stored: a bad code would place the seat elsewhere and change its distance (MEM-9).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import mul
from typing import Literal

Lang = Literal["pl", "en"]

# Why a code and not just a text: callers (the dataset loader, Django forms) render the
# reason in their own language and may put the field's path in front of it.
MESSAGES: dict[str, dict[str, str]] = {
    "empty": {"pl": "pusta wartość", "en": "empty value"},
    "not_text": {"pl": "oczekiwano napisu", "en": "a text value is expected"},
    "digits": {"pl": "dozwolone są tylko cyfry", "en": "only digits are allowed"},
    "length_nip": {"pl": "wymagane 10 cyfr", "en": "10 digits are required"},
    "length_regon": {"pl": "wymagane 9 lub 14 cyfr", "en": "9 or 14 digits are required"},
    "length_krs": {"pl": "wymagane 10 cyfr", "en": "10 digits are required"},
    "length_account": {
        "pl": "wymagane 26 cyfr (z prefiksem PL lub bez)",
        "en": "26 digits are required (with or without the PL prefix)",
    },
    "checksum": {"pl": "nieprawidłowa cyfra kontrolna", "en": "invalid check digit"},
    "checksum_account": {"pl": "nieprawidłowe cyfry kontrolne", "en": "invalid check digits"},
    "zero": {
        "pl": "numer nie może składać się z samych zer",
        "en": "the number cannot be all zeros",
    },
    "country": {
        "pl": "dozwolony jest tylko polski numer rachunku (PL)",
        "en": "only a Polish account number (PL) is allowed",
    },
    "format_postal_code": {
        "pl": "wymagany format NN-NNN, np. 00-950",
        "en": "the format NN-NNN is required, e.g. 00-950",
    },
}

# The field's name as users know it, put in front of the reason ("NIP: …", "Kod pocztowy: …").
FIELD_LABELS: dict[str, dict[str, str]] = {
    "nip": {"pl": "NIP", "en": "NIP"},
    "regon": {"pl": "REGON", "en": "REGON"},
    "krs": {"pl": "KRS", "en": "KRS"},
    "iban": {"pl": "IBAN", "en": "IBAN"},
    "nrb": {"pl": "NRB", "en": "NRB"},
    "postal_code": {"pl": "Kod pocztowy", "en": "Postal code"},
}


def message(code: str, lang: Lang = "pl") -> str:
    """The catalogue text for ``code`` in ``lang`` (Polish when the language is unknown)."""
    texts = MESSAGES[code]
    return texts.get(lang, texts["pl"])


def field_label(kind: str, lang: Lang = "pl") -> str:
    """The field's name for ``kind`` (``"postal_code"`` → ``"Kod pocztowy"``) in ``lang``."""
    texts = FIELD_LABELS[kind]
    return texts.get(lang, texts["pl"])


class IdentifierError(ValueError):
    """An identifier was refused. ``str(err)`` is ``"<FIELD>: <reason>"``.

    ``field`` is the identifier's name as users know it (NIP, REGON, KRS, IBAN, NRB),
    ``message`` the reason in the requested language, ``code`` the catalogue key
    (so that a caller can render it in another language with :func:`message`).
    """

    def __init__(
        self, field: str, message: str, *, code: str = "", value: object = None, kind: str = ""
    ) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.value = value
        self.kind = kind or _KIND_OF_FIELD.get(field, "")

    def render(self, lang: Lang = "pl") -> str:
        """``"<field>: <reason>"`` in ``lang`` — for an edge that knows the user's language."""
        if not self.code or self.code not in MESSAGES:
            return str(self)
        label = field_label(self.kind, lang) if self.kind in FIELD_LABELS else self.field
        return f"{label}: {message(self.code, lang)}"


_KIND_OF_FIELD = {"NIP": "nip", "REGON": "regon", "KRS": "krs", "IBAN": "iban", "NRB": "nrb"}


def _fail(field: str, code: str, value: object, lang: Lang) -> IdentifierError:
    return IdentifierError(field, message(code, lang), code=code, value=value)


def _text(field: str, value: object, lang: Lang) -> str:
    if not isinstance(value, str):
        raise _fail(field, "not_text", value, lang)
    if not value.strip():
        raise _fail(field, "empty", value, lang)
    return value


def _digits_only(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _nip_compact(text: str) -> str:
    from stdnum.pl import nip  # only for a value with separators or a prefix (see above)

    return nip.compact(text)


def _regon_compact(text: str) -> str:
    from stdnum.pl import regon

    return regon.compact(text)


# stdnum.pl.nip.checksum: sum(weight * digit) % 11 == 0 for a valid NIP (the last weight -1).
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7, -1)
# stdnum.pl.regon.calc_check_digit: sum(weight * digit) % 11 % 10 for the 8 or 13 leading digits.
_REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def _weighted_sum(weights: tuple[int, ...], digits: str) -> int:
    """sum(w * int(d)) for as many ASCII ``digits`` as ``weights``: their byte codes less
    ord("0") each, in C (map over bytes) rather than a Python-level int() per digit."""
    total: int = sum(map(mul, weights, digits.encode("ascii")))
    return total - ord("0") * sum(weights)


def _nip_checksum(compact: str) -> int:
    """As ``stdnum.pl.nip.checksum`` for 10 ASCII digits: 0 for a valid NIP."""
    return _weighted_sum(_NIP_WEIGHTS, compact) % 11


def _regon_check_digit(number: str) -> str:
    """As ``stdnum.pl.regon.calc_check_digit``: the check digit after ``number``, the 8 leading
    ASCII digits of a REGON of 9 or the 13 of a REGON of 14."""
    weights = _REGON9_WEIGHTS if len(number) == 8 else _REGON14_WEIGHTS
    return str(_weighted_sum(weights, number) % 11 % 10)


def _compact(field: str, value: object, lang: Lang, compact: Callable[[str], str]) -> str:
    # Fast path: most values are already compact (10,000 members are checked on every
    # dataset load); stdnum's compact() is only needed for spaces, dashes, a prefix.
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value
    text = _text(field, value, lang)
    result = compact(text)
    if not _digits_only(result):
        raise _fail(field, "digits", value, lang)
    return result


def validate_nip(value: str, *, lang: Lang = "pl") -> str:
    """NIP (tax id): 10 digits, weighted check digit; ``PL`` prefix and dashes allowed."""
    compact = _compact("NIP", value, lang, _nip_compact)
    if len(compact) != 10:
        raise _fail("NIP", "length_nip", value, lang)
    if compact == "0000000000":
        raise _fail("NIP", "zero", value, lang)
    if _nip_checksum(compact) != 0:
        raise _fail("NIP", "checksum", value, lang)
    return compact


def validate_regon(value: str, *, lang: Lang = "pl") -> str:
    """REGON (statistical id): 9 digits, or 14 for a local unit (both check digits)."""
    compact = _compact("REGON", value, lang, _regon_compact)
    if len(compact) not in (9, 14):
        raise _fail("REGON", "length_regon", value, lang)
    if not compact.strip("0"):  # all zeros (the length is 9 or 14)
        raise _fail("REGON", "zero", value, lang)
    # a 14-digit REGON is the 9-digit one of its parent plus 5 digits: both are checked
    if compact[-1] != _regon_check_digit(compact[:-1]) or (
        len(compact) == 14 and compact[8] != _regon_check_digit(compact[:8])
    ):
        raise _fail("REGON", "checksum", value, lang)
    return compact


def _krs_compact(text: str) -> str:
    return "".join(text.split()).replace("-", "")


def validate_krs(value: str, *, lang: Lang = "pl") -> str:
    """KRS (National Court Register) number: exactly 10 digits, leading zeros kept."""
    compact = _compact("KRS", value, lang, _krs_compact)
    if len(compact) != 10:
        raise _fail("KRS", "length_krs", value, lang)
    if compact == "0000000000":
        raise _fail("KRS", "zero", value, lang)
    return compact


def _polish_account(field: str, value: str, lang: Lang) -> str:
    """A Polish account as an IBAN ("PL" + 26 digits), from an IBAN or an NRB."""
    from stdnum import iban as _iban  # its country table is read on import: only when needed
    from stdnum.exceptions import ValidationError

    text = _text(field, value, lang)
    compact = _iban.compact(text)
    if compact[:2].isalpha():
        if compact[:2] != "PL":
            raise _fail(field, "country", value, lang)
        digits = compact[2:]
    else:
        digits = compact
    if not _digits_only(digits):
        raise _fail(field, "digits", value, lang)
    if len(digits) != 26:
        raise _fail(field, "length_account", value, lang)
    try:
        return str(_iban.validate("PL" + digits))
    except ValidationError as exc:
        raise _fail(field, "checksum_account", value, lang) from exc


def validate_iban(value: str, *, lang: Lang = "pl") -> str:
    """A Polish IBAN; returns ``"PL"`` followed by the 26 digits (the NRB)."""
    return _polish_account("IBAN", value, lang)


def validate_nrb(value: str, *, lang: Lang = "pl") -> str:
    """A Polish NRB (26 digits, IBAN check digits first); ``PL`` and spaces allowed.

    Returns the 26 digits without the country code.
    """
    return _polish_account("NRB", value, lang)[2:]


_POSTAL_RE = re.compile(r"([0-9]{2})[-\u2013]?([0-9]{3})")  # a dash or an en dash


def validate_postal_code(value: str, *, lang: Lang = "pl") -> str:
    """A Polish postal code: ``NN-NNN``; ``12345`` and ``12 345`` → ``12-345`` (MEM-9).

    Anything else (``0-0950``, ``ab-cde``, six digits) is refused with a message naming the
    field: ``Kod pocztowy: wymagany format NN-NNN, np. 00-950``.
    """
    if (  # fast path: already NN-NNN
        isinstance(value, str)
        and len(value) == 6
        and value[2] == "-"
        and value.isascii()
        and value[:2].isdigit()
        and value[3:].isdigit()
    ):
        return value
    label = field_label("postal_code", lang)
    if not isinstance(value, str):
        raise IdentifierError(
            label, message("not_text", lang), code="not_text", value=value, kind="postal_code"
        )
    if not value.strip():
        raise IdentifierError(
            label, message("empty", lang), code="empty", value=value, kind="postal_code"
        )
    m = _POSTAL_RE.fullmatch("".join(value.split()))
    if m is None:
        raise IdentifierError(
            label,
            message("format_postal_code", lang),
            code="format_postal_code",
            value=value,
            kind="postal_code",
        )
    return f"{m.group(1)}-{m.group(2)}"


VALIDATORS: dict[str, Callable[..., str]] = {
    "nip": validate_nip,
    "regon": validate_regon,
    "krs": validate_krs,
    "iban": validate_iban,
    "nrb": validate_nrb,
    "postal_code": validate_postal_code,
}


def normalise(kind: str, value: object, *, lang: Lang = "pl") -> str:
    """The one normaliser of ``kind`` (a key of :data:`VALIDATORS`) that every door uses.

    A blank value (``None``, ``""``, spaces) is ``""`` — the field is simply not given;
    anything else is returned compact and valid, or refused with :class:`IdentifierError`.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, str):
        value = value.strip()
    return VALIDATORS[kind](value, lang=lang)


def lookup_nip(value: str) -> str | None:
    """What was typed to find a member by NIP, compacted as :func:`validate_nip` compacts it
    (spaces, dashes, a ``PL`` prefix dropped), or None when it cannot be (a part of) a NIP.

    ``"PL 526-025-02-74"`` → ``"5260250274"``; ``"526-025"`` → ``"526025"`` (a prefix, for
    search); ``"Alfa-Tech"`` → None. No check digit is checked: this only looks up.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return text if len(text) <= 10 else None
    compact = _nip_compact(text) if text else ""
    return compact if compact and _digits_only(compact) and len(compact) <= 10 else None
