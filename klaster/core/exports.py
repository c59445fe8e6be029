"""Exports write text as text (issue 7 point 3).

A spreadsheet program opening a CSV treats a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``); names, e-mails and
titles that members type reach our exports. OWASP's advice for CSV: prefix such a value with a
single quote, which the spreadsheet shows as text and does not evaluate. In XLSX a cell is a
formula only when it is stored as one: openpyxl stores every ``str`` starting with ``=`` as a
formula, so every workbook goes through `workbook_bytes`, which stores all such cells as strings.
Klaster never writes a formula on purpose.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text: strings starting like a formula get a
    leading apostrophe; numbers, dates and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every string cell goes through `csv_text`."""

    def __init__(self, out: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_text(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **kwargs: Any) -> SafeWriter:
    return SafeWriter(out, **kwargs)


def neutralise_workbook(wb: Any) -> int:
    """Store every formula-looking cell of an openpyxl workbook as text; returns how many."""
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed += 1
    return changed


def workbook_bytes(wb: Any) -> bytes:
    """Save an openpyxl workbook to bytes after `neutralise_workbook`."""
    neutralise_workbook(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
