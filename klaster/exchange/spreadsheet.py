"""A coordinator's member list from Excel (XLSX) or CSV: read, map the columns, check every
cell, and match the rows to the register — a *plan* of what an import would add or change.
Nothing here writes; ``klaster.exchange.import_services.member_import_apply`` applies a plan.

Readings taken (shown to the office on the upload page):

- A blank cell means "not given", never "clear the field": a file cannot erase data.
- A row is matched to an existing member by NIP; without a NIP (or when no member has it)
  by the exact name (case and repeated spaces ignored), and only to a member without a NIP
  of its own — a name match with a different NIP is an error, not a silent merge. A name
  differing only in case or spacing is not a rename.
- Identifiers are checked by their check digits (MEM-4, ``klaster.rules.identifiers``).
  Excel drops leading zeros of numbers, so a KRS shorter than 10 digits is zero-padded and
  an 8- or 13-digit REGON gets its one leading zero back; the check digit still decides.
- The joining date becomes an ``admitted`` event (MEM-6). History is never overwritten:
  a member who already has another joining date keeps it and the row carries a warning.
- Notification e-mails (MEM-7) are only added, never removed; several may share one cell.

Error texts are in the reader's language (gettext, issue 9 point 4) and name the spreadsheet
row and the column as headed in the file: ``Row 7, column NIP: …`` (``Wiersz 7, kolumna NIP:
nieprawidłowa cyfra kontrolna`` in Polish).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Count, Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from klaster.core.say import say
from klaster.core.uploads import megabytes as _mb
from klaster.members.models import Category, Member, MemberType, ScienceCategory
from klaster.rules import identifiers
from klaster.rules.membership import check_transition

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _History(TypedDict):
    n_events: int
    last_event: dt.date | None


MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # a cluster has tens to hundreds of members; the plan lives in the session
HEADER_SEARCH_ROWS = 10  # a title or a blank line above the header row is common
MAX_EMAILS = 5  # 001 "Komunikacja" 1 (MEM-7)

# Bounds of what is read (issue 7): a member list is at most MAX_ROWS rows of a few dozen
# columns, so everything below leaves room of an order of magnitude and still keeps one
# upload to well under a second and a few hundred MB whatever the file holds.
MAX_COLUMNS = 200  # a value further right is refused; rows are never read wider than this
MAX_CELL_CHARS = 2000  # longer cell text is refused without being quoted back
QUOTE_CHARS = 60  # how much of a cell or header an error message quotes
# An XLSX is a ZIP of XML parts; a 600 KB upload can unpack to gigabytes. Checked from the
# ZIP's directory and again while each part is streamed through expat, before openpyxl
# parses anything (openpyxl builds an object per XML element: 2 million style records in a
# 10 MB styles.xml take 19 s and 1 GB).
MAX_XLSX_ENTRIES = 500  # Excel writes 10-30 parts; a few hundred with images and sheets
MAX_XLSX_PART_BYTES = 10 * 1024 * 1024  # one part unpacked (a 2,000-row sheet is ~3 MB)
MAX_XLSX_BYTES = 20 * 1024 * 1024  # all parts unpacked together
MAX_XLSX_RATIO = 100  # unpacked : packed, for a part over XLSX_RATIO_FLOOR (XML packs 5-20:1)
XLSX_RATIO_FLOOR = 1024 * 1024
MAX_XLSX_CELLS = 200_000  # <c> elements of one worksheet (MAX_ROWS x 100 columns)
# XML elements of the whole file other than a worksheet's rows, cells and their values
# (styles, shared strings, rich-text runs, column records …): openpyxl makes objects of them
MAX_XLSX_ELEMENTS = 400_000
_CELL_ELEMENTS = frozenset({"row", "c", "v", "f", "is", "t"})

# What each column fills, in the order the preview shows them; the label is how the
# column is named in an error when the file has no such column.
FIELD_LABELS_PL = {
    "name": "Nazwa",
    "nip": "NIP",
    "regon": "REGON",
    "krs": "KRS",
    "type": "Typ",
    "category": "Kategoria",
    "science_category": "Kategoria naukowa",
    "street": "Ulica",
    "postal_code": "Kod pocztowy",
    "city": "Miejscowość",
    "joined": "Data przystąpienia",
    "email": "E-mail",
    "website": "Strona www",
}
FIELDS = list(FIELD_LABELS_PL)
# The same names in the reader's language, for an error about a column the file does not have.
COLUMN_NAMES = {
    "name": pgettext_lazy("spreadsheet column", "Name"),
    "nip": "NIP",
    "regon": "REGON",
    "krs": "KRS",
    "type": pgettext_lazy("spreadsheet column", "Type"),
    "category": pgettext_lazy("spreadsheet column", "Category"),
    "science_category": pgettext_lazy("spreadsheet column", "Scientific category"),
    "street": pgettext_lazy("spreadsheet column", "Street"),
    "postal_code": pgettext_lazy("spreadsheet column", "Postal code"),
    "city": pgettext_lazy("spreadsheet column", "City"),
    "joined": pgettext_lazy("spreadsheet column", "Joining date"),
    "email": pgettext_lazy("spreadsheet column", "E-mail"),
    "website": pgettext_lazy("spreadsheet column", "Website"),
}
# Fields stored on Member itself (changed through member_update); joined and email are
# kept elsewhere (membership events, notification addresses).
MEMBER_COLUMNS = [
    "name",
    "nip",
    "regon",
    "krs",
    "type",
    "category",
    "science_category",
    "street",
    "postal_code",
    "city",
    "website",
]

HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "nazwa",
        "nazwa podmiotu",
        "nazwa czlonka",
        "nazwa firmy",
        "pelna nazwa",
        "nazwa pelna",
        "nazwa przedsiebiorstwa",
        "nazwa instytucji",
        "firma",
        "podmiot",
        "name",
        "legal name",
        "company",
        "company name",
        "member",
        "member name",
        "organisation",
        "organization",
    ),
    "nip": ("nip", "numer nip", "nr nip", "nip pl", "tax id", "vat id", "vat number"),
    "regon": ("regon", "numer regon", "nr regon"),
    "krs": ("krs", "numer krs", "nr krs"),
    "type": (
        "typ",
        "typ podmiotu",
        "typ czlonka",
        "wielkosc",
        "wielkosc przedsiebiorstwa",
        "wielkosc podmiotu",
        "rodzaj podmiotu",
        "type",
        "member type",
        "size",
        "enterprise size",
    ),
    "category": (
        "kategoria",
        "kategoria czlonkostwa",
        "kategoria czlonka",
        "rodzaj czlonkostwa",
        "category",
        "membership category",
    ),
    "science_category": ("kategoria naukowa", "science category", "scientific category"),
    "street": (
        "ulica",
        "ulica i numer",
        "adres",
        "adres siedziby",
        "street",
        "address",
        "street address",
    ),
    "postal_code": (
        "kod pocztowy",
        "kod",
        "postal code",
        "post code",
        "postcode",
        "zip",
        "zip code",
    ),
    "city": ("miejscowosc", "miasto", "city", "town", "locality"),
    "joined": (
        "data przystapienia",
        "data przystapienia do klastra",
        "data przyjecia",
        "data dolaczenia",
        "data wstapienia",
        "przystapienie",
        "czlonek od",
        "joined",
        "date joined",
        "joining date",
        "admission date",
        "accession date",
        "member since",
    ),
    "email": (
        "e mail",
        "email",
        "adres e mail",
        "adres email",
        "mail",
        "e mail do powiadomien",
        "email do powiadomien",
        "adres do powiadomien",
        "notification e mail",
        "notification email",
    ),
    "website": (
        "strona www",
        "strona internetowa",
        "www",
        "adres www",
        "strona",
        "website",
        "web site",
        "web",
        "url",
    ),
}
# Row ordinals ("Lp.") are recognised and skipped rather than reported as unknown.
IGNORED_HEADERS = frozenset({"lp", "l p", "nr", "no", "nr porzadkowy", "liczba porzadkowa"})

TYPE_VALUES: dict[str, tuple[str, ...]] = {
    "micro": (
        "mikro",
        "mikroprzedsiebiorstwo",
        "mikro przedsiebiorstwo",
        "mikroprzedsiebiorca",
        "mikro przedsiebiorca",
        "micro",
        "micro enterprise",
    ),
    "small": (
        "maly",
        "male",
        "mala",
        "male przedsiebiorstwo",
        "maly przedsiebiorca",
        "small",
        "small enterprise",
    ),
    "medium": (
        "sredni",
        "srednie",
        "srednia",
        "srednie przedsiebiorstwo",
        "sredni przedsiebiorca",
        "medium",
        "medium enterprise",
    ),
    "large": (
        "duzy",
        "duze",
        "duza",
        "duze przedsiebiorstwo",
        "duzy przedsiebiorca",
        "large",
        "large enterprise",
    ),
    "iob": (
        "iob",
        "instytucja otoczenia biznesu",
        "business support institution",
        "business support institution iob",
    ),
    "science": ("jednostka naukowa", "jn", "uczelnia", "science", "science unit", "research unit"),
    "other": ("inny", "inne", "inna", "other"),
}
CATEGORY_VALUES: dict[str, tuple[str, ...]] = {
    "partner": ("partner", "partner zwykly", "czlonek", "member"),
    "strategic_partner": (
        "partner strategiczny",
        "strategiczny",
        "strategic partner",
        "strategic",
        "strategic_partner",
    ),
}
# What the office may write, in its language (each word is one of the values above).
TYPE_HINT = pgettext_lazy(
    "member types a spreadsheet may give", "micro, small, medium, large, IOB, science unit, other"
)
CATEGORY_HINT = pgettext_lazy(
    "membership categories a spreadsheet may give", "Partner, Strategic Partner"
)

DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%y")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class SpreadsheetError(ValueError):
    """The file as a whole cannot be used (unreadable, no header row, too large …)."""


def fold(text: Any) -> str:
    """Case- and diacritics-insensitive form of a header or a value: "Wielkość" → "wielkosc"."""
    text = re.sub(r"\([^)]*\)", " ", str(text))  # "NIP (bez kresek)" → "NIP"
    text = text.replace("ł", "l").replace("Ł", "L")  # ł has no decomposition
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", text.casefold()).strip()


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(alias): key for key, aliases in table.items() for alias in aliases}


HEADERS = _lookup(HEADER_ALIASES)
TYPES = _lookup(TYPE_VALUES)
CATEGORIES = _lookup(CATEGORY_VALUES)


# ----------------------------------------------------------------------------- reading


@dataclass
class Sheet:
    """The raw table: header cells and data rows with their spreadsheet row numbers."""

    format: str  # "xlsx" | "csv"
    rows: list[tuple[int, list[Any]]]
    encoding: str = ""
    delimiter: str = ""


def read_sheet(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> Sheet:
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": _mb(max_bytes)}
        )
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or filename.lower().endswith(".xls"):
        raise SpreadsheetError(
            _("The old Excel format (.xls) is not supported — save the file as XLSX or CSV.")
        )
    return read_csv(data)


def _count(n: int) -> str:
    """200000 → "200 000" in Polish, "200,000" in English."""
    grouped = f"{n:,}"
    return grouped.replace(",", " ") if _polish() else grouped


def _polish() -> bool:
    return (translation.get_language() or "pl").startswith("pl")


def _short(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _save_as() -> str:
    return _("save the member list in a new workbook (one sheet only) or as CSV")


def _unreadable_xlsx() -> str:
    return _("The XLSX file cannot be read (damaged or unusual file); %(save_as)s.") % {
        "save_as": _save_as()
    }


def _column_number(ref: str) -> int:
    """ "XFD17" → 16384; 0 when the reference has no letters."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


def _column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _PartScan:
    """What a streaming pass over one XML part of an XLSX found so far."""

    root: str = ""  # the root element's local name ("worksheet", "sst", "styleSheet" …)
    elements: int = 0
    cells: int = 0
    row_cells: int = 0  # cells so far in the current row (their column when without a reference)
    cell_column: int = 0
    depth: int = 0


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> None:
    """Stream one part through expat, counting as it goes; refuse at the first bound crossed.

    Reading is bounded twice: ``zipfile`` never returns more than the size the directory
    declares (a lying header ends in a CRC error), and the loop below stops at the part
    limit whatever the directory says. A DTD is refused outright (no entity expansion).
    """
    from xml.parsers import expat

    scan = _PartScan()  # budget[0]: elements left for the whole file
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def doctype(*_args: Any) -> None:
        raise _Refused(
            _(
                "Part “%(part)s” of the XLSX file contains a DTD declaration; such files are not "
                "read — %(save_as)s."
            )
            % {"part": _short(info.filename), "save_as": _save_as()}
        )

    def start(name: str, attrs: dict[str, str]) -> None:
        scan.elements += 1
        scan.depth += 1
        local = name.rpartition(" ")[2]
        if scan.elements == 1:
            scan.root = local
        if scan.root != "worksheet" or local not in _CELL_ELEMENTS:
            budget[0] -= 1
            if budget[0] < 0:
                raise _Refused(
                    _(
                        "The XLSX file has more than %(limit)s XML elements outside the sheet's "
                        "cells (exceeded in part “%(part)s”) — %(save_as)s."
                    )
                    % {
                        "limit": _count(MAX_XLSX_ELEMENTS),
                        "part": _short(info.filename),
                        "save_as": _save_as(),
                    }
                )
        if scan.root == "worksheet":
            if local == "row":
                scan.row_cells = 0
            elif local == "c" and scan.depth == 4:  # worksheet/sheetData/row/c
                scan.cells += 1
                if scan.cells > MAX_XLSX_CELLS:
                    raise _Refused(
                        _("The sheet has more than %(limit)s cells — %(save_as)s.")
                        % {"limit": _count(MAX_XLSX_CELLS), "save_as": _save_as()}
                    )
                ref = attrs.get("r")
                scan.row_cells = _column_number(ref) if ref else scan.row_cells + 1
                scan.cell_column = scan.row_cells
            elif scan.depth == 5 and local in ("v", "is", "f"):  # the cell has a value
                if scan.cell_column > MAX_COLUMNS:
                    raise _Refused(
                        _(
                            "The sheet has data in column %(column)s — more than %(limit)s "
                            "columns (%(last)s at the farthest); delete the further columns or "
                            "%(save_as)s."
                        )
                        % {
                            "column": _column_letters(scan.cell_column),
                            "limit": MAX_COLUMNS,
                            "last": _column_letters(MAX_COLUMNS),
                            "save_as": _save_as(),
                        }
                    )

    def end(_name: str) -> None:
        scan.depth -= 1

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    # an image or a printer's settings is not XML: skipped (openpyxl reads such a part only if
    # it must, and then fails); a damaged XML part is refused, as its counts would be incomplete
    xml_part = info.filename.lower().endswith((".xml", ".rels"))
    read = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(64 * 1024):
                read += len(chunk)
                if read > MAX_XLSX_PART_BYTES:
                    raise _Refused(_part_too_large(info))
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        if xml_part:
            raise _Refused(_unreadable_xlsx()) from exc


def _part_too_large(info: zipfile.ZipInfo) -> str:
    return _("Part “%(part)s” of the XLSX file is over %(mb)s MB unpacked — %(save_as)s.") % {
        "part": _short(info.filename),
        "mb": _mb(MAX_XLSX_PART_BYTES),
        "save_as": _save_as(),
    }


def check_xlsx(data: bytes) -> None:
    """Refuse an XLSX whose archive or worksheets exceed the bounds above (SpreadsheetError).

    Looks at the ZIP's central directory first (entries, declared sizes, ratios), then
    streams every part through expat: a worksheet's cells and the column of each value, and
    the number of XML elements of every other part. Nothing is kept but counters.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        ValueError,
        EOFError,
    ) as exc:
        raise SpreadsheetError(_unreadable_xlsx()) from exc
    if len(infos) > MAX_XLSX_ENTRIES:
        raise SpreadsheetError(
            _(
                "The XLSX file has more than %(limit)s parts (it has %(count)s) — this is not an "
                "ordinary sheet; %(save_as)s."
            )
            % {"limit": MAX_XLSX_ENTRIES, "count": _count(len(infos)), "save_as": _save_as()}
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise SpreadsheetError(
                _("The XLSX file is encrypted (password-protected) — save it without a password.")
            )
        if not info.filename:  # a part with no name: no spreadsheet program writes one
            raise SpreadsheetError(_unreadable_xlsx())
        if info.file_size > MAX_XLSX_PART_BYTES:
            raise SpreadsheetError(_part_too_large(info))
        total += info.file_size
        if total > MAX_XLSX_BYTES:
            raise SpreadsheetError(
                _("The XLSX file is over %(mb)s MB unpacked — %(save_as)s.")
                % {"mb": _mb(MAX_XLSX_BYTES), "save_as": _save_as()}
            )
        if info.file_size > XLSX_RATIO_FLOOR and info.file_size > MAX_XLSX_RATIO * max(
            info.compress_size, 1
        ):
            raise SpreadsheetError(
                _(
                    "Part “%(part)s” of the XLSX file is packed unusually tightly (over "
                    "%(ratio)s:1) — such files are not read; %(save_as)s."
                )
                % {"part": _short(info.filename), "ratio": MAX_XLSX_RATIO, "save_as": _save_as()}
            )
    budget = [MAX_XLSX_ELEMENTS]
    for info in infos:
        if info.is_dir():
            continue
        try:
            _scan_part(archive, info, budget)
        except _Refused as exc:
            raise SpreadsheetError(exc.message) from None
        except (
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            OSError,
            EOFError,
            ValueError,
        ) as exc:
            # a CRC or length mismatch (a header that lies), an unknown compression method,
            # an encrypted entry
            raise SpreadsheetError(_unreadable_xlsx()) from exc


def _too_many_rows() -> str:
    return _("The file has more than %(limit)s rows.") % {"limit": MAX_ROWS}


def read_xlsx(data: bytes) -> Sheet:
    check_xlsx(data)
    from openpyxl import load_workbook

    rows: list[tuple[int, list[Any]]] = []
    # openpyxl raises whatever its parsers meet in a damaged file (KeyError, TypeError,
    # ParseError, BadZipFile …): every such failure of the third-party reader on an upload
    # is the same "cannot read" for the office, never a 500.
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001
        raise SpreadsheetError(_unreadable_xlsx()) from exc
    try:
        if not wb.worksheets:
            raise SpreadsheetError(_("The XLSX file has no sheet with data."))
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # some writers record wrong dimensions; read what is there
        for number, values in enumerate(
            ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            cells = list(values)
            while cells and cells[-1] is None:
                cells.pop()
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise SpreadsheetError(_too_many_rows())
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001 — as above
        raise SpreadsheetError(_unreadable_xlsx()) from exc
    finally:
        wb.close()
    return Sheet(format="xlsx", rows=rows)


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when every other byte of the start is zero (Latin text saved
    as UTF-16 without a byte-order mark), else None."""
    head = data[:4000]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text") or without it,
    else cp1250 (what Polish Excel writes for "CSV (rozdzielany średnikami)").

    Raises SpreadsheetError for broken UTF-16 and for binary data (NUL bytes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    utf16 = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                _(
                    "The UTF-16 CSV file is damaged (byte %(byte)s: %(reason)s) — save it again as "
                    "“CSV UTF-8” or XLSX."
                )
                % {"byte": exc.start + 1, "reason": exc.reason}
            ) from exc
        return text.lstrip("\ufeff"), "utf-16"
    if b"\x00" in data:
        raise SpreadsheetError(
            _("The file is not a CSV file (it contains binary data) — choose an XLSX or CSV file.")
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="replace"), "cp1250"


def sniff_delimiter(text: str) -> str:
    """The separator the header line uses most: ';' (Polish Excel), ',' or a tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def read_csv(data: bytes) -> Sheet:
    text, encoding = decode_csv(data)
    lines = text.splitlines(keepends=True)
    offset = 0
    if lines and lines[0].strip().lower().startswith("sep="):
        delimiter = lines[0].strip(" \r\n")[4:5]  # Excel's own "sep=;" hint line
        if delimiter in ("", '"') or (delimiter.isspace() and delimiter != "\t"):
            delimiter = ","
        text = "".join(lines[1:])
        offset = 1
    else:
        delimiter = sniff_delimiter(text)
    if "\x00" in text:
        raise SpreadsheetError(
            _(
                "The file is not a CSV file (it contains NUL characters) — choose an XLSX or CSV "
                "file."
            )
        )
    rows: list[tuple[int, list[Any]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1 + offset):
            if len(values) > MAX_COLUMNS:
                if any(v.strip() for v in values[MAX_COLUMNS:]):
                    raise SpreadsheetError(
                        _(
                            "Row %(row)s has data in a column beyond %(limit)s — more than "
                            "%(limit)s columns; delete the further columns."
                        )
                        % {"row": number, "limit": MAX_COLUMNS}
                    )
                del values[MAX_COLUMNS:]
            rows.append((number, values))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise SpreadsheetError(_too_many_rows())
    except csv.Error as exc:
        where = offset + len(rows) + 1
        if "field larger than field limit" in str(exc):
            raise SpreadsheetError(
                _("Row %(row)s: a cell has over %(limit)s characters.")
                % {"row": where, "limit": _count(csv.field_size_limit())}
            ) from exc
        raise SpreadsheetError(
            _("Row %(row)s: the CSV file cannot be read (an invalid quotation mark or character).")
            % {"row": where}
        ) from exc
    return Sheet(format="csv", rows=rows, encoding=encoding, delimiter=delimiter)


# ----------------------------------------------------------------------------- columns


@dataclass
class Columns:
    header_row: int
    fields: dict[int, str]  # column index → field
    headers: dict[str, str]  # field → the header as written in the file
    unknown: list[str]
    ignored: list[str]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def map_columns(sheet: Sheet) -> Columns:
    """Find the header row (the first of the top rows naming the member's name and one more
    known column) and map each header to a field."""
    header: tuple[int, list[Any], dict[int, str]] | None = None
    for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        found = {
            i: HEADERS[fold(c)] for i, c in enumerate(cells) if not _blank(c) and fold(c) in HEADERS
        }
        if "name" in found.values() and len(found) >= 2:
            header = (number, cells, found)
            break
    if header is None:
        raise SpreadsheetError(
            _(
                "No header row found: a column with the entity's name (e.g. “%(name)s”) and at "
                "least one other known column (e.g. “NIP”) are needed."
            )
            % {"name": COLUMN_NAMES["name"]}
        )
    number, cells, found = header
    headers: dict[str, str] = {}
    unknown: list[str] = []
    ignored: list[str] = []
    for i, cell in enumerate(cells):
        if _blank(cell):
            continue
        text = _short(str(cell).strip())  # quoted in every row's errors: keep it short
        if i not in found:
            (ignored if fold(text) in IGNORED_HEADERS else unknown).append(text)
            continue
        f = found[i]
        if f in headers:
            raise SpreadsheetError(
                _("Columns “%(first)s” and “%(second)s” mean the same field (%(field)s); keep one.")
                % {"first": headers[f], "second": text, "field": COLUMN_NAMES[f]}
            )
        headers[f] = text
    return Columns(
        header_row=number, fields=found, headers=headers, unknown=unknown, ignored=ignored
    )


# ----------------------------------------------------------------------------- cells


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]  # JSON-safe: text, ISO dates, lists of e-mails; blanks left out
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class CellError(ValueError):
    pass


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value).replace("\xa0", " ")).strip()


def _digits_cell(value: Any) -> str:
    """An identifier as text; Excel may hand it over as a number (5260250274 or 5.26e9)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)


def _identifier(kind: str, text: str) -> str:
    """The one normaliser every door uses (klaster.rules.identifiers.normalise), MEM-4/MEM-9."""
    try:
        return identifiers.normalise(kind, text)
    except identifiers.IdentifierError as exc:
        # the column already names the field; the reason in the reader's language
        lang: identifiers.Lang = "pl" if _polish() else "en"
        reason = identifiers.message(exc.code, lang) if exc.code in identifiers.MESSAGES else None
        raise CellError(reason or exc.message) from exc


def _nip(value: Any) -> str:
    return _identifier("nip", _digits_cell(value))


def _regon(value: Any) -> str:
    text = _digits_cell(value)
    compact = text.replace(" ", "").replace("-", "")
    if compact.isdigit() and len(compact) in (8, 13):
        text = "0" + compact  # Excel dropped the leading zero of a number
    return _identifier("regon", text)


def _krs(value: Any) -> str:
    text = _digits_cell(value)
    compact = text.replace(" ", "").replace("-", "")
    if compact.isdigit() and len(compact) < 10:
        text = compact.zfill(10)  # KRS is printed with leading zeros; Excel drops them
    return _identifier("krs", text)


def _choice(table: dict[str, str], hint: Any) -> Any:
    def parse(value: Any) -> str:
        key = fold(_text(value))
        if key not in table:
            raise CellError(
                _("unknown value “%(value)s” (allowed: %(allowed)s)")
                % {"value": _short(_text(value)), "allowed": hint}
            )
        return table[key]

    return parse


def _science_category(value: Any) -> str:
    text = _text(value).upper().replace(" ", "").replace("PLUS", "+")
    if text not in ScienceCategory.values:
        raise CellError(
            _("unknown category “%(value)s” (allowed: A+, A, B+, B, C)")
            % {"value": _short(_text(value))}
        )
    return text


def _postal_code(value: Any) -> str:
    if (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer()
    ):
        text = (
            f"{int(value):05d}" if 0 <= value < 100000 else str(int(value))
        )  # "00-950" came out as 950
    else:
        text = _text(value)
    try:
        return identifiers.normalise("postal_code", text)
    except identifiers.IdentifierError as exc:
        raise CellError(
            _("invalid postal code “%(value)s” (expected NN-NNN)") % {"value": _short(_text(value))}
        ) from exc


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        # a date cell without a date format: Excel's serial day number (1954–2119; a bare
        # year such as 2016 is refused rather than read as a day in 1905)
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 — a calendar date
        except ValueError:
            continue
    raise CellError(
        _("invalid date “%(value)s” (expected DD.MM.YYYY or YYYY-MM-DD)") % {"value": _short(text)}
    )


def _emails(value: Any) -> list[str]:
    out: list[str] = []
    for part in re.split(r"[;,\s]+", _text(value)):
        if not part:
            continue
        part = part.removeprefix("mailto:")
        try:
            validate_email(part)
        except ValidationError as exc:
            raise CellError(
                _("invalid e-mail address “%(value)s”") % {"value": _short(part)}
            ) from exc
        if part.lower() not in {e.lower() for e in out}:
            out.append(part)
    if len(out) > MAX_EMAILS:
        raise CellError(_("at most %(limit)s notification addresses") % {"limit": MAX_EMAILS})
    return out


def _website(value: Any) -> str:
    text = _text(value)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = "https://" + text
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError as exc:
        raise CellError(
            _("invalid website address “%(value)s”") % {"value": _short(_text(value))}
        ) from exc
    if len(text) > 200:
        raise CellError(_("the website address is too long (at most 200 characters)"))
    return text


def _name(value: Any) -> str:
    text = _text(value)
    if len(text) > 300:
        raise CellError(_("the name is too long (at most 300 characters)"))
    return text


def _limited(limit: int) -> Any:
    def parse(value: Any) -> str:
        text = _text(value)
        if len(text) > limit:
            raise CellError(
                _("the text is too long (at most %(limit)s characters)") % {"limit": limit}
            )
        return text

    return parse


PARSERS = {
    "name": _name,
    "nip": _nip,
    "regon": _regon,
    "krs": _krs,
    "type": _choice(TYPES, TYPE_HINT),
    "category": _choice(CATEGORIES, CATEGORY_HINT),
    "science_category": _science_category,
    "street": _limited(200),
    "postal_code": _postal_code,
    "city": _limited(120),
    "joined": _date,
    "email": _emails,
    "website": _website,
}


def cell_error(number: int, column: Any, message: str) -> str:
    return _("Row %(row)s, column %(column)s: %(message)s") % {
        "row": number,
        "column": column,
        "message": message,
    }


def parse_rows(sheet: Sheet, columns: Columns) -> list[ParsedRow]:
    out: list[ParsedRow] = []
    for number, cells in sheet.rows:
        if number <= columns.header_row or all(_blank(c) for c in cells):
            continue
        row = ParsedRow(number=number, values={})
        failed: set[str] = set()
        for i, f in columns.fields.items():
            raw = cells[i] if i < len(cells) else None
            if _blank(raw):
                continue
            if isinstance(raw, str) and len(raw) > MAX_CELL_CHARS:
                failed.add(f)
                row.errors.append(
                    cell_error(
                        number,
                        columns.headers[f],
                        _("the cell has over %(limit)s characters")
                        % {"limit": _count(MAX_CELL_CHARS)},
                    )
                )
                continue
            try:
                row.values[f] = PARSERS[f](raw)
            except CellError as exc:
                failed.add(f)
                row.errors.append(cell_error(number, columns.headers[f], str(exc)))
        if "name" not in row.values and "name" not in failed:
            row.errors.append(cell_error(number, columns.headers["name"], _("no entity name")))
        kind, sci = row.values.get("type"), row.values.get("science_category")
        if sci and kind and kind != "science":
            row.errors.append(
                cell_error(
                    number,
                    columns.headers["science_category"],
                    _("only a science unit has a scientific category"),
                )
            )
        out.append(row)
    if len(out) > MAX_ROWS:
        raise SpreadsheetError(_too_many_rows())
    if not out:
        raise SpreadsheetError(_("The file has no data row under the headers."))
    return out


# ----------------------------------------------------------------------------- the plan


@dataclass
class RowPlan:
    number: int
    action: str  # "new" | "changed" | "unchanged" | "error"
    name: str
    values: dict[str, Any]
    member_id: int | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)  # field → [old, new]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    cluster_id: int
    filename: str
    sha256: str
    format: str
    encoding: str
    delimiter: str
    header_row: int
    headers: dict[str, str]  # field → header as written
    unknown_columns: list[str]
    ignored_columns: list[str]
    parsed: list[ParsedRow]
    rows: list[RowPlan]

    @property
    def has_errors(self) -> bool:
        return any(r.errors for r in self.rows)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("new", "changed", "unchanged", "error"), 0)
        for r in self.rows:
            out[r.action] += 1
        return out

    def errors(self) -> list[str]:
        return [e for r in self.rows for e in r.errors]

    def outcome(self) -> list[Any]:
        """What applying would do; a re-check compares this and nothing else."""
        return [[r.number, r.action, r.member_id, r.changes, r.errors] for r in self.rows]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportPlan:
        data = dict(data)
        data["parsed"] = [ParsedRow(**r) for r in data["parsed"]]
        data["rows"] = [RowPlan(**r) for r in data["rows"]]
        return cls(**data)

    def digest(self) -> str:
        """Fingerprint of the whole plan: the confirm form carries it so that the office
        applies exactly the preview it saw."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def plan_import(
    *, cluster: Any, data: bytes, filename: str, max_bytes: int = MAX_BYTES
) -> ImportPlan:
    """Read, map and check a file and match it to ``cluster``'s register. Writes nothing.

    Raises SpreadsheetError (a Polish message) for a file that cannot be used as a whole."""
    sheet = read_sheet(data, filename, max_bytes=max_bytes)
    columns = map_columns(sheet)
    parsed = parse_rows(sheet, columns)
    plan = ImportPlan(
        cluster_id=cluster.pk,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        format=sheet.format,
        encoding=sheet.encoding,
        delimiter=sheet.delimiter,
        header_row=columns.header_row,
        headers=columns.headers,
        unknown_columns=columns.unknown,
        ignored_columns=columns.ignored,
        parsed=parsed,
        rows=[],
    )
    plan.rows = match_rows(cluster, parsed, columns.headers)
    return plan


def replan(cluster: Any, plan: ImportPlan) -> ImportPlan:
    """The same file's rows matched again against the register as it is now."""
    fresh = ImportPlan.from_dict(plan.to_dict())
    fresh.rows = match_rows(cluster, fresh.parsed, fresh.headers)
    return fresh


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _same(field_name: str, old: Any, new: Any) -> bool:
    if field_name == "name":  # "SP. Z O.O." in a file does not rename "sp. z o.o." in the register
        return name_key(old or "") == name_key(new or "")
    if field_name == "website":
        return (old or "").rstrip("/").casefold() == (new or "").rstrip("/").casefold()
    return (old or "") == (new or "")


def match_rows(cluster: Any, parsed: list[ParsedRow], headers: dict[str, str]) -> list[RowPlan]:
    members = list(
        Member.objects.filter(cluster=cluster)
        .annotate(n_events=Count("events"), last_event=Max("events__date"))
        .prefetch_related("notification_emails")
    )
    by_nip: dict[str, list[WithAnnotations[Member, _History]]] = defaultdict(list)
    by_name: dict[str, list[WithAnnotations[Member, _History]]] = defaultdict(list)
    for m in members:
        if m.nip:
            by_nip[m.nip].append(m)
        by_name[name_key(m.name)].append(m)

    seen_nip: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    seen_member: dict[int, int] = {}
    out: list[RowPlan] = []
    for row in parsed:
        v = row.values
        plan = RowPlan(
            number=row.number,
            action="error",
            name=v.get("name", ""),
            values=v,
            errors=list(row.errors),
            warnings=list(row.warnings),
        )
        out.append(plan)

        def err(f: str, message: str, plan: RowPlan = plan) -> None:
            plan.errors.append(cell_error(plan.number, headers.get(f, COLUMN_NAMES[f]), message))

        if plan.errors:
            continue
        nip, key = v.get("nip"), name_key(v["name"])
        if nip:
            if nip in seen_nip:
                err("nip", _("the same NIP as in row %(row)s") % {"row": seen_nip[nip]})
                continue
            seen_nip[nip] = row.number
        elif key in seen_name:
            err(
                "name",
                _("the same name as in row %(row)s (give the NIP to tell them apart)")
                % {"row": seen_name[key]},
            )
            continue
        seen_name.setdefault(key, row.number)

        member: WithAnnotations[Member, _History] | None = None
        if nip and by_nip.get(nip):
            if len(by_nip[nip]) > 1:
                err(
                    "nip",
                    _(
                        "the register has several members with this NIP; correct the register "
                        "before the import"
                    ),
                )
                continue
            member = by_nip[nip][0]
        elif by_name.get(key):
            named = by_name[key]
            if len(named) > 1:
                err("name", _("the register has several members with this name; give the NIP"))
                continue
            if nip and named[0].nip and named[0].nip != nip:
                err(
                    "nip",
                    _("an entity with this name is in the register with another NIP (%(nip)s)")
                    % {"nip": named[0].nip},
                )
                continue
            member = named[0]
        if member is not None:
            if member.pk in seen_member:
                err(
                    "name", _("the same member as in row %(row)s") % {"row": seen_member[member.pk]}
                )
                continue
            seen_member[member.pk] = row.number
            _plan_update(plan, member, err)
        else:
            _plan_new(plan, err)
    return out


def _plan_new(plan: RowPlan, err: Any) -> None:
    v = plan.values
    if not v.get("type"):
        err("type", _("required for a new member (allowed: %(allowed)s)") % {"allowed": TYPE_HINT})
    if v.get("type") == "science" and not v.get("science_category"):
        plan.warnings.append(
            _(
                "Row %(row)s: a science unit without a scientific category — fill it in on the "
                "member's page."
            )
            % {"row": plan.number}
        )
    if not v.get("joined"):
        plan.warnings.append(
            _(
                "Row %(row)s: no joining date — the entity will be recorded as a candidate; "
                "record the admission with the date of the accession document on the member's "
                "page."
            )
            % {"row": plan.number}
        )
    plan.action = "error" if plan.errors else "new"


def _plan_update(plan: RowPlan, member: WithAnnotations[Member, _History], err: Any) -> None:
    v = plan.values
    plan.member_id = member.pk
    for f in MEMBER_COLUMNS:
        if f in v and not _same(f, getattr(member, f), v[f]):
            plan.changes[f] = [getattr(member, f) or None, v[f]]
    kind = v.get("type", member.type)
    sci = v.get("science_category", member.science_category)
    if sci and kind != "science" and ("science_category" in v or "type" in v):
        err(
            "science_category" if "science_category" in v else "type",
            _("only a science unit has a scientific category"),
        )

    joined = v.get("joined")
    if joined:
        date = dt.date.fromisoformat(joined)
        if member.joined == date:
            pass
        elif member.joined is not None:
            plan.warnings.append(
                _(
                    "Row %(row)s: the member's history has the joining date %(date)s; the "
                    "membership history is not overwritten — record the change on the member's "
                    "page."
                )
                % {"row": plan.number, "date": f"{member.joined:%d.%m.%Y}"}
            )
        else:
            problem = check_transition(member.status if member.n_events else None, "admitted")
            if problem or (member.last_event and member.last_event > date):
                plan.warnings.append(
                    _(
                        "Row %(row)s: the joining date cannot be added to the member's history "
                        "(%(problem)s) — skipped."
                    )
                    % {
                        "row": plan.number,
                        "problem": say(problem) if problem else _("the history has later events"),
                    }
                )
            else:
                plan.changes["joined"] = [None, joined]

    emails = v.get("email") or []
    have = [e.email for e in member.notification_emails.all()]
    add = [e for e in emails if e.lower() not in {h.lower() for h in have}]
    if add:
        if len(have) + len(add) > MAX_EMAILS:
            err(
                "email",
                _(
                    "the member already has %(count)s notification addresses; together there "
                    "would be more than %(limit)s"
                )
                % {"count": len(have), "limit": MAX_EMAILS},
            )
        else:
            plan.changes["email"] = [have or None, have + add]
    if plan.errors:
        plan.action, plan.changes = "error", {}
    else:
        plan.action = "changed" if plan.changes else "unchanged"


def display_value(field_name: str, value: Any) -> str:
    """A plan value as the preview shows it (choices by their label, dates as DD.MM.YYYY)."""
    if value in (None, "", []):
        return "—"
    if field_name == "type":
        return str(dict(MemberType.choices).get(value, value))
    if field_name == "category":
        return str(dict(Category.choices).get(value, value))
    if field_name == "joined":
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
