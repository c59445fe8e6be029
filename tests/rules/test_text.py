"""Issue 9: one folding function for search — case and diacritics away, ł included."""

from __future__ import annotations

import pytest

from klaster.rules.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łódź", "lodz"),
        ("ŁÓDŹ", "lodz"),
        ("Żółć gęślą jaźń", "zolc gesla jazn"),
        ("Kędzierzyn-Koźle", "kedzierzyn-kozle"),
        ("Straße", "strasse"),
        ("Ørsted Đorđević", "orsted dordevic"),
        ("Alfa-Tech sp. z o.o.", "alfa-tech sp. z o.o."),
        ("PL 526-025-02-74", "pl 526-025-02-74"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_is_idempotent_and_keeps_ascii_letters_and_length_order():
    for text in ("Łódź", "Sp. z o.o. ŚWIĘTOKRZYSKIE", "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"):
        once = fold(text)
        assert fold(once) == once
        assert once.isascii()
