"""Errors of the dataset format: every problem names the path of the offending field.

A path reads as in DATASET.md: ``members[12].joined``, ``cluster.coordinator.member``,
``experts[0].scores.9``. An :class:`Issue` keeps a catalogue code and its parameters, so
the same problem renders in Polish (the default) or English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from klaster.rules import identifiers

Lang = Literal["pl", "en"]

ROOT = {"pl": "(dokument)", "en": "(document)"}
# Problems of the file as a whole carry their own location (line, column) or none.
_NO_PATH = frozenset({"syntax", "yaml_duplicate_key", "too_many", "depth", "aliases"})

# {placeholders} are filled from Issue.params, after show()/the type names below.
MESSAGES: dict[str, dict[str, str]] = {
    "unknown_key": {"pl": "nieznany klucz", "en": "unknown key"},
    "missing_key": {"pl": "brak wymaganego klucza", "en": "required key is missing"},
    "type": {
        "pl": "oczekiwano {expected}, jest {actual}: {value}",
        "en": "expected {expected}, got {actual}: {value}",
    },
    "type_quote": {
        "pl": "oczekiwano {expected}, jest {actual}: {value} (ujmij wartość w cudzysłów)",
        "en": "expected {expected}, got {actual}: {value} (put the value in quotes)",
    },
    "enum": {
        "pl": "niedozwolona wartość {value}; dozwolone: {allowed}",
        "en": "value {value} is not allowed; allowed: {allowed}",
    },
    "const": {
        "pl": "nieobsługiwana wartość {value}; oczekiwano {allowed}",
        "en": "unsupported value {value}; expected {allowed}",
    },
    "date": {"pl": "niepoprawna data: {value}", "en": "not a date: {value}"},
    "number": {"pl": "niepoprawna liczba: {value}", "en": "not a number: {value}"},
    "pattern": {"pl": "niepoprawna wartość: {value}", "en": "invalid value: {value}"},
    "minimum": {
        "pl": "wartość {value} jest mniejsza niż {limit}",
        "en": "value {value} is less than {limit}",
    },
    "maximum": {
        "pl": "wartość {value} jest większa niż {limit}",
        "en": "value {value} is greater than {limit}",
    },
    "min_length": {"pl": "pusta wartość", "en": "empty value"},
    "max_length": {
        "pl": "za długie: {length} znaków, dozwolone najwyżej {limit}",
        "en": "too long: {length} characters, at most {limit} allowed",
    },
    "max_items": {
        "pl": "za dużo pozycji: {length}, dozwolone najwyżej {limit}",
        "en": "too many entries: {length}, at most {limit} allowed",
    },
    "min_items": {
        "pl": "za mało pozycji: {length}, wymagane co najmniej {limit}",
        "en": "too few entries: {length}, at least {limit} required",
    },
    "key_pattern": {"pl": "niepoprawny klucz {value}", "en": "invalid key {value}"},
    "duplicate_key": {"pl": "powtórzony klucz {value}", "en": "duplicate key {value}"},
    "identifier": {"pl": "{reason}: {value}", "en": "{reason}: {value}"},
    "duplicate_id": {
        "pl": "powtórzony identyfikator {value} (pierwszy raz: {first})",
        "en": "duplicate id {value} (first at {first})",
    },
    "duplicate_year": {"pl": "rok {value} powtórzony", "en": "year {value} repeated"},
    "bank_account": {
        "pl": "niepoprawny numer rachunku (IBAN lub NRB, z cyframi kontrolnymi): {value}",
        "en": "not a valid account number (IBAN or NRB, with its check digits): {value}",
    },
    "duplicate_account": {
        "pl": "rachunek {value} powtórzony (pierwszy raz: {first})",
        "en": "account {value} repeated (first at {first})",
    },
    "duplicate_number": {"pl": "numer {value} powtórzony", "en": "number {value} repeated"},
    "unknown_member": {
        "pl": "nieznany członek {value} (brak w members[].id)",
        "en": "unknown member {value} (not in members[].id)",
    },
    "duplicate_member": {
        "pl": "członek {value} wymieniony więcej niż raz",
        "en": "member {value} is listed more than once",
    },
    "date_order": {
        "pl": "data {value} jest wcześniejsza niż {other_key} ({other})",
        "en": "date {value} is before {other_key} ({other})",
    },
    "science_only": {
        "pl": "dotyczy tylko jednostek naukowych (type: science), a typ to {value}",
        "en": "applies to science units only (type: science), but the type is {value}",
    },
    "file_type": {
        "pl": "nieobsługiwany rodzaj pliku {value}; dozwolone: .yaml, .yml, .json",
        "en": "unsupported file type {value}; allowed: .yaml, .yml, .json",
    },
    "file_read": {
        "pl": "nie można odczytać pliku: {reason}",
        "en": "cannot read the file: {reason}",
    },
    "encoding": {"pl": "plik nie jest zapisany w UTF-8", "en": "the file is not UTF-8 encoded"},
    "syntax": {
        "pl": "wiersz {line}, kolumna {column}: błąd składni {fmt}: {reason}",
        "en": "line {line}, column {column}: {fmt} syntax error: {reason}",
    },
    "yaml_duplicate_key": {
        "pl": "wiersz {line}, kolumna {column}: powtórzony klucz {value}",
        "en": "line {line}, column {column}: duplicate key {value}",
    },
    "too_many": {"pl": "przerwano po {limit} błędach", "en": "stopped after {limit} errors"},
    # bounds of the reader itself (issue 7): checked while parsing, before the schema
    "depth": {
        "pl": "zagnieżdżenie głębsze niż {limit} poziomów (wiersz {line}, kolumna {column})",
        "en": "nested deeper than {limit} levels (line {line}, column {column})",
    },
    "aliases": {
        "pl": "wiersz {line}, kolumna {column}: więcej niż {limit} odwołań do kotwic YAML (*nazwa)",
        "en": "line {line}, column {column}: more than {limit} references to YAML anchors (*name)",
    },
    "file_size": {
        "pl": "za duży plik: {size}, dozwolone najwyżej {limit}",
        "en": "file too large: {size}, at most {limit} allowed",
    },
}

TYPE_NAMES: dict[str, dict[str, str]] = {
    # expected (genitive in Polish: "oczekiwano napisu") / actual (nominative: "jest napis")
    "string": {"pl": "napisu", "en": "a string"},
    "number": {"pl": "liczby", "en": "a number"},
    "integer": {"pl": "liczby całkowitej", "en": "an integer"},
    "boolean": {"pl": "wartości logicznej (true/false)", "en": "a boolean (true/false)"},
    "object": {"pl": "obiektu (klucz: wartość)", "en": "an object (key: value)"},
    "array": {"pl": "listy", "en": "a list"},
    "null": {"pl": "null", "en": "null"},
}
ACTUAL_NAMES: dict[str, dict[str, str]] = {
    "string": {"pl": "napis", "en": "a string"},
    "number": {"pl": "liczba", "en": "a number"},
    "integer": {"pl": "liczba całkowita", "en": "an integer"},
    "boolean": {"pl": "wartość logiczna", "en": "a boolean"},
    "object": {"pl": "obiekt", "en": "an object"},
    "array": {"pl": "lista", "en": "a list"},
    "null": {"pl": "null", "en": "null"},
    "date": {"pl": "data", "en": "a date"},
    "other": {"pl": "wartość innego rodzaju", "en": "a value of another kind"},
}
_OR = {"pl": " lub ", "en": " or "}


def json_type(value: object) -> str:
    """The JSON type name of a loaded value (for messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dt.date):
        return "date"
    return "other"


def show(value: object) -> str:
    """A value as a message quotes it: 'text', 12.50, true, null; long ones shortened."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list | tuple):
        return "[…]"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "…" + text[-1]


@dataclass(frozen=True)
class Issue:
    """One problem: where (``path``), what (catalogue ``code``) and its details."""

    path: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: Lang = "pl") -> str:
        """``path: text`` in ``lang``."""
        texts = MESSAGES[self.code]
        template = texts.get(lang, texts["pl"])
        values: dict[str, str] = {}
        for key, val in self.params.items():
            if key == "expected" and isinstance(val, tuple):
                values[key] = _OR[lang].join(TYPE_NAMES[t][lang] for t in val)
            elif key == "actual" and isinstance(val, str):
                values[key] = ACTUAL_NAMES[val][lang]
            elif key == "reason" and self.code == "identifier" and isinstance(val, str):
                values[key] = identifiers.message(val, lang)
            elif key in ("value", "other"):
                values[key] = show(val)
            elif key == "allowed" and isinstance(val, tuple):
                values[key] = ", ".join(show(v) for v in val)
            else:
                values[key] = str(val)
        text = template.format(**values)
        if self.code in _NO_PATH and not self.path:
            return text
        return f"{self.path or ROOT[lang]}: {text}"


class DatasetError(ValueError):
    """A dataset could not be read. ``messages`` holds one Polish line per problem.

    ``issues`` keeps them as :class:`Issue` objects (path, code, parameters);
    ``render("en")`` gives the English lines. ``str(err)`` is all lines joined.
    """

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues: list[Issue] = list(issues)
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return self.render("pl")

    @property
    def errors(self) -> list[str]:
        """The same as ``messages`` (one Polish line per problem)."""
        return self.messages

    def render(self, lang: Lang = "pl") -> list[str]:
        return [issue.message(lang) for issue in self.issues]
