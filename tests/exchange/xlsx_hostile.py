"""Hostile XLSX files built in memory (issue 7 point 2): a valid small workbook written by
openpyxl, then one part replaced or entries added with :mod:`zipfile`."""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Nazwa</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Typ</t></is></c></row>'
)


def base_parts(rows: list[list[object]] | None = None) -> dict[str, bytes]:
    """The parts of a small valid workbook, with a shared-strings part declared."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows or [["Nazwa", "Typ"], ["Firma Testowa", "mikro"]]:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    archive = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    parts = {name: archive.read(name) for name in archive.namelist()}
    types = parts["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        types = types.replace(
            "</Types>", f'<Override PartName="/{STRINGS}" ContentType="{_STRINGS_TYPE}"/></Types>'
        )
        parts["[Content_Types].xml"] = types.encode()
        parts[STRINGS] = f"<sst {NS}><si><t>x</t></si></sst>".encode()
    return parts


def pack(parts: dict[str, bytes], extra: list[tuple[str, bytes]] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


def sheet_xml(rows_xml: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>{rows_xml}'
        "</sheetData></worksheet>"
    ).encode()


def with_sheet(rows_xml: str) -> bytes:
    parts = base_parts()
    parts[SHEET] = sheet_xml(rows_xml)
    return pack(parts)


def member_row(r: int, name: str) -> str:
    return (
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{name}</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>mikro</t></is></c>'
    )


def shared_strings_bomb(uncompressed: int) -> bytes:
    """A sharedStrings.xml of ``uncompressed`` bytes that deflates to a few hundred KB."""
    parts = base_parts()
    item = "<si><t>" + "a" * 1000 + "</t></si>"
    count = uncompressed // len(item)
    parts[STRINGS] = (
        f'<sst {NS} count="{count}" uniqueCount="{count}">' + item * count + "</sst>"
    ).encode()
    return pack(parts)


def many_small_strings(count: int) -> bytes:
    parts = base_parts()
    parts[STRINGS] = (
        f"<sst {NS}>" + "".join(f"<si><t>{i}</t></si>" for i in range(count)) + "</sst>"
    ).encode()
    return pack(parts)


def styles_bomb(count: int) -> bytes:
    parts = base_parts()
    parts["xl/styles.xml"] = (
        f'<styleSheet {NS}><fonts count="1"><font/></fonts><fills><fill/></fills>'
        "<borders><border/></borders><cellXfs>" + "<xf/>" * count + "</cellXfs></styleSheet>"
    ).encode()
    return pack(parts)


def xfd_in_every_row(rows: int, *, value: bool = True) -> bytes:
    """A member list whose every row also has a cell in column XFD (16,384)."""
    cell = "<v>1</v>" if value else ""
    body = HEADER_ROW + "".join(
        member_row(r, f"Firma {r}") + f'<c r="XFD{r}" s="0">{cell}</c></row>'
        for r in range(2, rows + 2)
    )
    return with_sheet(body)


def wide_row(cells: int) -> bytes:
    """One row with ``cells`` empty cells (no coordinates: each one the next column)."""
    return with_sheet(
        HEADER_ROW + member_row(2, "Firma") + "</row>" + '<row r="3">' + "<c/>" * cells + "</row>"
    )


def many_entries(count: int) -> bytes:
    return pack(base_parts(), [(f"customXml/item{i}.xml", b"<a/>") for i in range(count)])


def lying_sizes(part: str = SHEET, real_rows: int = 3000) -> bytes:
    """A workbook whose ``part`` holds much more than its headers (local and central) declare."""
    parts = base_parts()
    parts[part] = sheet_xml(
        HEADER_ROW
        + "".join(member_row(r, f"Firma {r}") + "</row>" for r in range(2, real_rows + 2))
    )
    data = bytearray(pack(parts))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo(part)
    declared = 1000
    # local file header: uncompressed size at offset 22
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    # central directory entry: find it by its signature and name
    needle = b"PK\x01\x02"
    pos = data.find(needle)
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == part.encode():
            struct.pack_into("<I", data, pos + 24, declared)
            break
        pos = data.find(needle, pos + 4)
    return bytes(data)
