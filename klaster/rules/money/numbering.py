"""Document numbers per series and year (FIN-2): "FV/2026/0001", "NO/2026/0001", "KOR/2026/0001".

Pure formatting and parsing. Allocation without gaps, under concurrent issuing, is the Django
side's (a row lock on the series' counter); this module only says what a number looks like and
reads one back (bank titles carry it, FIN-3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from klaster.rules.message import Msg, define
from klaster.rules.money._common import MoneyInputError

#: The default series per document kind: VAT invoices, debit notes (outside VAT), corrections.
SERIES: Mapping[str, str] = {"invoice": "FV", "debit_note": "NO", "correction": "KOR"}
WIDTH = 4

BAD_SERIES = define(
    "money.number.series",
    "A series is 1–10 capital letters or digits, starting with a letter; got {value}.",
)
BAD_NUMBER = define(
    "money.number.bad", "Not a document number of the form SERIES/YEAR/NNNN: {value}."
)
BAD_SEQ = define("money.number.seq", "A document's sequence number starts at 1; got {value}.")

_SERIES = re.compile(r"[A-Z][A-Z0-9]{0,9}")
_NUMBER = re.compile(
    r"(?P<series>[A-Z][A-Z0-9]{0,9})/(?P<year>\d{4})/(?P<seq>\d{4,})"
)  # WIDTH digits
#: A number inside free text (a bank transfer's title): separators may be spaces or missing.
_IN_TEXT = re.compile(
    r"(?<![A-Z0-9])(?P<series>[A-Z][A-Z0-9]{0,9})\s*[/\\\-_ ]\s*(?P<year>20\d{2})\s*[/\\\-_ ]\s*(?P<seq>\d{1,6})(?!\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class DocumentNumber:
    series: str
    year: int
    seq: int

    def __str__(self) -> str:
        return format_number(self.series, self.year, self.seq)


def format_number(series: str, year: int, seq: int, width: int = WIDTH) -> str:
    """`format_number("FV", 2026, 1)` → "FV/2026/0001" (wider when the year runs past 9999)."""
    if not _SERIES.fullmatch(series):
        raise MoneyInputError("series", Msg.of(BAD_SERIES, value=series))
    if seq < 1:
        raise MoneyInputError("seq", Msg.of(BAD_SEQ, value=seq))
    return f"{series}/{year:04d}/{seq:0{width}d}"


def parse_number(text: str) -> DocumentNumber:
    """Read back a number `format_number` wrote (exactly; spaces around it are ignored)."""
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        raise MoneyInputError("number", Msg.of(BAD_NUMBER, value=text))
    return DocumentNumber(match["series"], int(match["year"]), int(match["seq"]))


def numbers_in_text(
    text: str, series: tuple[str, ...] = tuple(SERIES.values())
) -> list[DocumentNumber]:
    """The document numbers of the given series a free text names ("Faktura FV 2026/1"),
    in order of appearance, without repeats."""
    wanted = {s.upper() for s in series}
    found: list[DocumentNumber] = []
    for m in _IN_TEXT.finditer(text):
        if m["series"].upper() not in wanted:
            continue
        number = DocumentNumber(m["series"].upper(), int(m["year"]), int(m["seq"]))
        if number.seq >= 1 and number not in found:
            found.append(number)
    return found
