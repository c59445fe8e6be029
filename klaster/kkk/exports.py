"""The application as PDF (WeasyPrint) and XLSX (openpyxl), and the confirmation letter (KKK-3).

The PDF is the same sections the page shows, printed from one template; the XLSX has the
fields on one sheet and every table (table 4 first) on a sheet of its own, with counts,
money and shares as numbers, dates as dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from klaster.core.exports import workbook_bytes
from klaster.kkk.models import Application
from klaster.rules import kkk_application as ka

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(application: Application, suffix: str) -> str:
    """The name an export is downloaded under (page and API alike): cluster, number, suffix."""
    stem = (
        application.number.replace("/", "-")
        if application.number
        else f"wniosek-projekt-{application.pk}"
    )
    return f"{application.cluster.slug}-{stem}.{suffix}"


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads fonts and Pango on import

    return HTML(string=html).write_pdf()


def application_pdf(application: Application, content: dict[str, Any]) -> bytes:
    with translation.override("pl"):  # the application is filled in Polish (004 A.1)
        html = render_to_string(
            "kkk/application_print.html",
            {
                "application": application,
                "content": content,
                "sections": content["sections"],
                "printed_at": timezone.localtime(),
                "print": True,
            },
        )
    return _pdf(html)


def letter_pdf(application: Application) -> bytes:
    """004 B.16: the letter confirming registration — applicant's name and address, the cluster,
    the registration date, the number, the ID and the checksum; to be signed and sent."""
    content = application.content or {}
    with translation.override("pl"):
        html = render_to_string(
            "kkk/letter.html",
            {
                "application": application,
                "content": content,
                "applicant": content.get("applicant", {}),
                "registered_at": timezone.localtime(application.registered_at)
                if application.registered_at
                else None,
            },
        )
    return _pdf(html)


# --- XLSX ----------------------------------------------------------------------------------------


def _cell(value: Any, type_: str) -> tuple[Any, str | None]:
    """A value of the application as a spreadsheet cell: (value, number format)."""
    if value is None:
        return None, None
    if value == ka.NIE_DOTYCZY:
        return value, None
    if type_ == "bool" or isinstance(value, bool):
        return ("T" if value else "N"), None
    if type_ in ("int", "year") and isinstance(value, int):
        return value, "0"
    if type_ in ("money", "dec", "int"):
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value), None
        return number, ("#,##0.00" if type_ == "money" else "#,##0.0##")
    if type_ == "pct" and isinstance(value, str) and value.endswith("%"):
        try:
            return Decimal(value[:-1]) / 100, "0.00%"
        except InvalidOperation:
            return value, None
    if type_ == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value), "yyyy-mm-dd"
        except ValueError:
            return value, None
    if type_ == "files" and isinstance(value, list):
        return "; ".join(str(f.get("name")) for f in value), None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value), None
    return str(value), None


def _put(ws: Any, row: int, col: int, value: Any, type_: str) -> None:
    v, fmt = _cell(value, type_)
    c = ws.cell(row=row, column=col, value=v)
    if fmt:
        c.number_format = fmt


def _sheet_title(item_id: str) -> str:
    return f"Tabela {item_id}"[:31].replace("/", "-")


def application_xlsx(application: Application, content: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Wniosek"
    bold = Font(bold=True)
    ws.append(["Wniosek o status Krajowego Klastra Kluczowego"])
    ws["A1"].font = Font(bold=True, size=13)
    meta = [
        ("Klaster", content.get("cluster"), "text"),
        (
            "Tryb",
            "nadanie statusu" if content.get("mode") == "grant" else "odnowienie statusu",
            "text",
        ),
        ("Edycja konkursu", content.get("edition_title"), "text"),
        ("Data złożenia (D)", content.get("as_of"), "date"),
        ("Numer wniosku", application.number or "projekt (niezarejestrowany)", "text"),
        ("ID wniosku", str(application.public_id) if application.public_id else None, "text"),
        ("Suma kontrolna (SHA-256)", application.checksum or None, "text"),
    ]
    r = 2
    for label, value, type_ in meta:
        ws.cell(row=r, column=1, value=label).font = bold
        _put(ws, r, 2, value, type_)
        r += 1
    r += 1
    for col, head in enumerate(
        ["Sekcja", "Pole", "Etykieta", "Wartość", "Obliczone automatycznie"], start=1
    ):
        ws.cell(row=r, column=col, value=head).font = bold
    r += 1
    tables: list[dict[str, Any]] = []
    for section, it in ka.items(content):
        if "columns" in it:
            tables.append(it)
            ws.cell(row=r, column=1, value=section["no"])
            ws.cell(row=r, column=2, value=it["id"])
            ws.cell(row=r, column=3, value=it["label"])
            ws.cell(
                row=r,
                column=4,
                value=it["value"]
                or f"arkusz „{_sheet_title(it['id'])}” ({len(it['rows'])} wierszy)",
            )
            ws.cell(row=r, column=5, value="T" if it.get("auto") else "N")
        else:
            ws.cell(row=r, column=1, value=section["no"])
            ws.cell(row=r, column=2, value=it["id"])
            ws.cell(row=r, column=3, value=it["label"])
            _put(ws, r, 4, it.get("value"), it.get("type", "text"))
            ws.cell(row=r, column=5, value="T" if it.get("auto") else "N")
        ws.cell(row=r, column=3).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    for letter, width in zip("ABCDE", (8, 16, 60, 60, 12), strict=True):
        ws.column_dimensions[letter].width = width

    for it in sorted(tables, key=lambda t: t["id"] != "4"):  # table 4 first
        sheet = wb.create_sheet(_sheet_title(it["id"]))
        sheet.append([it["label"]])
        sheet["A1"].font = bold
        columns = it["columns"]
        for col, c in enumerate(columns, start=1):
            sheet.cell(row=2, column=col, value=c["label"]).font = bold
            sheet.cell(row=2, column=col).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.column_dimensions[get_column_letter(col)].width = (
                14 if c["type"] in ("int", "dec", "money", "pct", "bool", "date") else 40
            )
        if not it["rows"]:
            sheet.cell(row=3, column=1, value=it.get("value") or ka.NIE_DOTYCZY)
        for n, row in enumerate(it["rows"], start=3):
            for col, c in enumerate(columns, start=1):
                _put(sheet, n, col, row.get(c["key"]), c["type"])
        sheet.freeze_panes = "A3"

    ev = content.get("evaluation") or {}
    score = wb.create_sheet("Punktacja")
    score.append(["Wskaźnik", "Punkty (propozycja)", "Maksimum", "Wartość"])
    for c in score[1]:
        c.font = bold
    for ind in (ev.get("stage2") or {}).get("indicators", []):
        value = ind.get("value")
        score.append(
            [
                ind["id"],
                ind["points"],
                ind["max"],
                value if isinstance(value, int | str) else str(value),
            ]
        )
    score.column_dimensions["A"].width = 14
    score.column_dimensions["D"].width = 60

    return workbook_bytes(wb)  # names and titles members typed stay text, never formulas
