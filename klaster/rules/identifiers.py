"""Polish identifiers: NIP, REGON, KRS, IBAN/NRB (SPEC MEM-4).

Each ``validate_*`` function takes what a person typed (spaces, dashes, a ``PL``
prefix are fine), checks length, characters and check digits, and returns the compact
normalised value, or raises :class:`IdentifierError` whose message names the field:
``NIP: nieprawidłowa cyfra kontrolna``. Messages live in one catalogue below, Polish
first and English second (``lang="en"``).

Check digits come from python-stdnum (``stdnum.pl.nip``, ``stdnum.pl.regon``,
``stdnum.iban``). KRS has no check digit: it is checked for its format only
(10 digits, as the register prints it, e.g. ``0000012345``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from stdnum.exceptions import ValidationError
from stdnum.pl import nip as _nip
from stdnum.pl import regon as _regon

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
}


def message(code: str, lang: Lang = "pl") -> str:
    """The catalogue text for ``code`` in ``lang`` (Polish when the language is unknown)."""
    texts = MESSAGES[code]
    return texts.get(lang, texts["pl"])


class IdentifierError(ValueError):
    """An identifier was refused. ``str(err)`` is ``"<FIELD>: <reason>"``.

    ``field`` is the identifier's name as users know it (NIP, REGON, KRS, IBAN, NRB),
    ``message`` the reason in the requested language, ``code`` the catalogue key
    (so that a caller can render it in another language with :func:`message`).
    """

    def __init__(self, field: str, message: str, *, code: str = "", value: object = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code
        self.value = value


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
    compact = _compact("NIP", value, lang, _nip.compact)
    if len(compact) != 10:
        raise _fail("NIP", "length_nip", value, lang)
    if compact == "0000000000":
        raise _fail("NIP", "zero", value, lang)
    if _nip.checksum(compact) != 0:
        raise _fail("NIP", "checksum", value, lang)
    return compact


def validate_regon(value: str, *, lang: Lang = "pl") -> str:
    """REGON (statistical id): 9 digits, or 14 for a local unit (both check digits)."""
    compact = _compact("REGON", value, lang, _regon.compact)
    if len(compact) not in (9, 14):
        raise _fail("REGON", "length_regon", value, lang)
    if set(compact) == {"0"}:
        raise _fail("REGON", "zero", value, lang)
    # a 14-digit REGON is the 9-digit one of its parent plus 5 digits: both are checked
    if compact[-1] != _regon.calc_check_digit(compact[:-1]) or (
        len(compact) == 14 and compact[8] != _regon.calc_check_digit(compact[:8])
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
