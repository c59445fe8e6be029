"""Folding text for search (issue 9): one function, so that what is stored and what is typed
are compared in the same form. Pure Python."""

from __future__ import annotations

import unicodedata

# Letters Unicode does not decompose into a base letter and a combining mark (NFKD leaves them
# whole): Polish ł first, and a few more met in names from neighbouring countries.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Łódź' → 'lodz', 'ŻÓŁĆ' → 'zolc', 'Straße' → 'strasse'.
    Everything else (digits, punctuation, spaces) is kept as it is."""
    if text.isascii():
        return text.lower()
    text = text.casefold().translate(_UNDECOMPOSED)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
