"""What a rule says, as a code and parameters; the words come at the edge (issue 9 point 4).

A rule returns a `Msg` — a stable code and typed parameters — never a sentence. The page, the
API, the CLI and the PDF render it in their reader's language with `render()`. What is stored
(a proxy's decision, a vote's quorum) is the `Msg` as JSON (`to_json`/`from_json`), so that a
record written in Polish reads in English and the other way round.

Each code is declared once, with its English template, next to the rule that uses it:

    NOBODY = define("quorum.nobody", "No quorum in {organ:loc}: nobody is entitled to vote.")
    ...
    return Quorum(..., message=Msg.of(NOBODY, organ=Term("organ", "ga")))

`define(code, english)` is extracted by `makemessages` as `pgettext(code, english)` (the code is
the context, so a template never shares a translation with a UI string that happens to read
the same), and the Polish lives in `klaster/locale/pl/LC_MESSAGES/django.po` with the rest.

Placeholders are `str.format` fields with a few specs of our own:
- a count with noun forms, the number not included: `{n} {n:vote|votes}` in English,
  `{n} {n:głos|głosy|głosów}` in Polish (one | few | many);
- a `Term` (a word from a closed vocabulary, e.g. an organ) in a grammatical case:
  `{organ}`, `{organ:gen}`, `{organ:loc}` — each case is a declared code of its own
  (`organ.ga`, `organ.ga@gen`, `organ.ga@loc`), so languages without cases translate it once;
- dates as `04.12.2026` (Polish) or `4 December 2026`; `Money` as `1080,00 zł` or
  `PLN 1,080.00`; a `Fraction` as `75%` or `2/3`; a nested `Msg` rendered in place; a tuple
  joined with commas.

Pure Python: the edge passes a `translate(context, msgid)` (Django's `pgettext`) and the
language code; the CLI, which runs without Django, reads the same compiled catalogue with the
standard library (`catalogue_translator`).
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

Translate = Callable[[str, str], str]

_CATALOGUE: dict[str, str] = {}


def define(code: str, english: str) -> str:
    """Declare a message code with its English template; returns the code."""
    known = _CATALOGUE.get(code)
    if known is not None and known != english:
        raise ValueError(f"message code {code!r} declared twice with different words")
    _CATALOGUE[code] = english
    return code


def english(code: str) -> str:
    """The English template of a declared code (KeyError for an unknown one)."""
    return _CATALOGUE[code]


def codes() -> frozenset[str]:
    return frozenset(_CATALOGUE)


@dataclass(frozen=True)
class Term:
    """A word from a closed vocabulary (`kind`), e.g. Term("organ", "ga"), rendered in a case."""

    kind: str
    key: str

    def code(self, case: str = "") -> str:
        return f"{self.kind}.{self.key}" + (f"@{case}" if case else "")


@dataclass(frozen=True)
class Money:
    """An amount of PLN (Decimal), rendered with two places and the currency."""

    amount: Decimal


Param = Union[str, int, bool, None, Decimal, Fraction, dt.date, Money, Term, "Msg", tuple[Any, ...]]


@dataclass(frozen=True)
class Msg:
    """A rule's words as a code and parameters (hashable, comparable, language-free)."""

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Any) -> Msg:
        if code not in _CATALOGUE:
            raise KeyError(f"undeclared message code {code!r}")
        return cls(code, tuple(sorted((k, _freeze(v)) for k, v in params.items())))

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


# --- rendering ---------------------------------------------------------------------------------


def _polish(lang: str) -> bool:
    return (lang or "pl").lower().startswith("pl")


def _plural(n: int, forms: list[str], lang: str) -> str:
    if _polish(lang) and len(forms) == 3:
        if n == 1:
            return forms[0]
        if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
            return forms[1]
        return forms[2]
    if len(forms) == 2:
        return forms[0] if n == 1 else forms[1]
    raise ValueError(f"plural spec needs 2 (English) or 3 (Polish) forms, got {forms!r}")


_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()


class _Formatter(string.Formatter):
    def __init__(self, lang: str, translate: Translate) -> None:
        self.lang, self.translate = lang, translate

    def format_field(self, value: Any, format_spec: str) -> str:
        return self.text(value, format_spec)

    def text(self, value: Any, spec: str = "") -> str:
        polish = _polish(self.lang)
        if isinstance(value, bool):
            return self.text(Term("yes_no", "yes" if value else "no"))
        if isinstance(value, int) and "|" in spec:
            return _plural(value, spec.split("|"), self.lang)
        if isinstance(value, Msg):
            return render(value, self.lang, self.translate)
        if isinstance(value, Term):
            code = value.code(spec)
            return self.translate(code, _CATALOGUE.get(code, value.key))
        if isinstance(value, Money):
            amount = f"{value.amount:.2f}"
            if polish:
                return amount.replace(".", ",") + " zł"
            return f"PLN {value.amount:,.2f}"
        if isinstance(value, Fraction):
            percent = value * 100
            if percent.denominator == 1:
                return f"{percent.numerator}%"
            return f"{value.numerator}/{value.denominator}"
        if isinstance(value, Decimal):
            return f"{value}".replace(".", ",") if polish else f"{value}"
        if isinstance(value, dt.datetime):
            if polish:
                return value.strftime("%d.%m.%Y %H:%M")
            return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}, {value:%H:%M}"
        if isinstance(value, dt.date):
            if polish:
                return value.strftime("%d.%m.%Y")
            return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
        if isinstance(value, tuple):
            return ", ".join(self.text(v, spec) for v in value)
        if value is None:
            return "—"
        return format(value, spec)


def render(message: Msg, lang: str, translate: Translate) -> str:
    """The message in `lang`, its template looked up with `translate(code, english)`."""
    template = translate(message.code, _CATALOGUE.get(message.code, message.code))
    return _Formatter(lang, translate).vformat(template, (), message.kwargs)


def render_value(value: Any, lang: str, translate: Translate, spec: str = "") -> str:
    """One parameter-like value (a Term, a date, Money …) on its own, as `render` would."""
    return _Formatter(lang, translate).text(value, spec)


# --- the compiled catalogue without Django ------------------------------------------------------

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@lru_cache(maxsize=4)
def catalogue_translator(lang: str = "pl") -> Translate:
    """`translate(code, english)` from the compiled catalogue (English: the template itself)."""
    if not _polish(lang):
        return lambda code, text: text
    try:
        catalogue = _gettext.translation("django", str(LOCALE), languages=[lang])
    except OSError:
        return lambda code, text: text
    return catalogue.pgettext


def say(message: Msg, lang: str = "pl") -> str:
    """The message rendered from the compiled catalogue, for the CLI and other Django-free edges."""
    return render(message, lang, catalogue_translator(lang))


# --- storing -----------------------------------------------------------------------------------


def to_json(message: Msg) -> dict[str, Any]:
    """A JSON-safe form of a message (`from_json` reads it back equal)."""
    return {"code": message.code, "params": {k: _encode(v) for k, v in message.params}}


def from_json(data: Mapping[str, Any]) -> Msg:
    params = data.get("params") or {}
    return Msg(str(data["code"]), tuple(sorted((k, _decode(v)) for k, v in params.items())))


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Msg):
        return {"msg": to_json(value)}
    if isinstance(value, Term):
        return {"term": [value.kind, value.key]}
    if isinstance(value, Money):
        return {"money": str(value.amount)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, Fraction):
        return {"fraction": [value.numerator, value.denominator]}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple):
        return {"list": [_encode(v) for v in value]}
    raise TypeError(f"cannot store a message parameter of type {type(value).__name__}")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, inner),) = value.items()
    if kind == "msg":
        return from_json(inner)
    if kind == "term":
        return Term(inner[0], inner[1])
    if kind == "money":
        return Money(Decimal(inner))
    if kind == "decimal":
        return Decimal(inner)
    if kind == "fraction":
        return Fraction(inner[0], inner[1])
    if kind == "datetime":
        return dt.datetime.fromisoformat(inner)
    if kind == "date":
        return dt.date.fromisoformat(inner)
    if kind == "list":
        return tuple(_decode(v) for v in inner)
    raise ValueError(f"unknown stored message parameter {kind!r}")


# Words every message may use.
define("yes_no.yes", "yes")
define("yes_no.no", "no")
