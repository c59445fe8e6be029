"""Rule messages: a code and parameters, rendered in the reader's language (issue 9 point 4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import polib
import pytest

from klaster.rules import message
from klaster.rules.message import Money, Msg, Term, define, from_json, render, say, to_json

SAMPLE = define(
    "test.sample",
    "{who} cast {n} {n:vote|votes} on {day} for {amount} ({share}); {organ:loc}; {inner}",
)
INNER = define("test.inner", "inner {flag}")
define("test_organ.ga", "General Assembly")
define("test_organ.ga@loc", "the General Assembly")

POLISH = {
    "test.sample": "{who} oddał {n} {n:głos|głosy|głosów} dnia {day} za {amount} ({share}); "
    "w {organ:loc}; {inner}",
    "test.inner": "wewnątrz {flag}",
    "test_organ.ga": "Walne Zgromadzenie",
    "test_organ.ga@loc": "Walnym Zgromadzeniu",
    "yes_no.yes": "tak",
}


def polish(code: str, text: str) -> str:
    return POLISH.get(code, text)


def english(code: str, text: str) -> str:
    return text


def sample(n: int) -> Msg:
    return Msg.of(
        SAMPLE,
        who="Metalmet s.c.",
        n=n,
        day=dt.date(2026, 12, 4),
        amount=Money(Decimal("1080.5")),
        share=Fraction(2, 3),
        organ=Term("test_organ", "ga"),
        inner=Msg.of(INNER, flag=True),
    )


def test_the_same_message_reads_in_either_language():
    assert render(sample(2), "en", english) == (
        "Metalmet s.c. cast 2 votes on 4 December 2026 for PLN 1,080.50 (2/3); "
        "the General Assembly; inner yes"
    )
    assert render(sample(2), "pl", polish) == (
        "Metalmet s.c. oddał 2 głosy dnia 04.12.2026 za 1080,50 zł (2/3); "
        "w Walnym Zgromadzeniu; wewnątrz tak"
    )


@pytest.mark.parametrize(
    "n, pl, en",
    [
        (1, "głos", "vote"),
        (2, "głosy", "votes"),
        (5, "głosów", "votes"),
        (12, "głosów", "votes"),
        (22, "głosy", "votes"),
        (0, "głosów", "votes"),
    ],
)
def test_counts_take_the_noun_form_of_the_language(n, pl, en):
    assert f" {n} {pl} " in render(sample(n), "pl", polish)
    assert f" {n} {en} " in render(sample(n), "en", english)


def test_a_stored_message_is_language_free_and_reads_back_equal():
    m = sample(3)
    stored = to_json(m)
    import json

    assert from_json(json.loads(json.dumps(stored))) == m
    assert "głos" not in json.dumps(stored) and "votes" not in json.dumps(stored)


def test_an_undeclared_code_is_refused_and_a_code_cannot_change_its_words():
    with pytest.raises(KeyError):
        Msg.of("test.nowhere")
    with pytest.raises(ValueError):
        define("test.sample", "other words")


def test_the_cli_reads_the_compiled_catalogue_without_django():
    yes = Msg.of(INNER, flag=True)
    assert say(yes, "en") == "inner yes"
    # test.inner has no Polish entry: its English stands, the nested yes/no is Polish
    assert say(yes, "pl") == "inner tak"


def test_every_declared_code_of_the_rules_is_in_the_polish_catalogue():
    import importlib
    import pkgutil

    import klaster.rules

    for info in pkgutil.walk_packages(klaster.rules.__path__, "klaster.rules."):
        importlib.import_module(info.name)
    po = polib.pofile("klaster/locale/pl/LC_MESSAGES/django.po")
    translated = {(e.msgctxt, e.msgid) for e in po if e.msgctxt and e.translated()}
    missing = [
        code
        for code in message.codes()
        if not code.startswith(("test.", "test_"))
        and (code, message.english(code)) not in translated
    ]
    assert not missing, f"rule messages without Polish: {missing}"
