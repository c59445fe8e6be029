"""Issue 7 point 2 and the CSV part of point 9: the member import reads hostile files within
fixed bounds and refuses them with a Polish message naming the limit; nothing is written.

An XLSX is a ZIP of XML parts: its entries, their uncompressed sizes, the compression ratio
and the worksheets' cells are checked before openpyxl parses anything (the tests below spy
on ``load_workbook`` to show it is never reached). Peak memory is not measured here: a
refusal before parsing is what keeps it low (``bin/bench`` shows the figures).
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.exchange import spreadsheet
from klaster.exchange.spreadsheet import (
    MAX_COLUMNS,
    MAX_XLSX_CELLS,
    MAX_XLSX_ELEMENTS,
    MAX_XLSX_ENTRIES,
    SpreadsheetError,
    plan_import,
    read_sheet,
)
from klaster.members.models import Member, MembershipEvent
from tests.exchange import xlsx_hostile as hx


@pytest.fixture
def no_openpyxl(monkeypatch):
    """Fail the test if openpyxl is asked to open the workbook."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl parsed a file that should have been refused before parsing")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", refuse)


def refused(data: bytes, name: str = "lista.xlsx") -> str:
    with pytest.raises(SpreadsheetError) as caught:
        read_sheet(data, name)
    return str(caught.value)


# ------------------------------------------------------------------ XLSX: the archive


def test_issue7_shared_strings_bomb_is_refused_before_parsing(no_openpyxl):
    data = hx.shared_strings_bomb(40 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # a small upload …
    message = refused(data)  # … that would unpack to 40 MB
    assert "po rozpakowaniu ma ponad" in message and "MB" in message


def test_issue7_a_zip_of_an_unknown_version_is_unreadable_not_a_500(no_openpyxl):
    """Found by the fuzz test: a central directory that asks for ZIP version 25.2 makes
    zipfile raise NotImplementedError; it is a file we cannot read, said in Polish."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buffer.getvalue())
    header = data.index(b"PK\x01\x02")
    data[header + 6 : header + 8] = (252).to_bytes(2, "little")  # version needed to extract: 25.2
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(io.BytesIO(bytes(data)))
    assert refused(bytes(data)) == spreadsheet._unreadable_xlsx()


def test_issue7_a_part_with_an_empty_name_is_unreadable_not_a_500(no_openpyxl):
    """Found by the fuzz test on a fresh clone: a central-directory entry whose name is empty
    made zipfile's own is_dir() raise IndexError; it is a file we cannot read."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("x", "<a/>")
    data = bytearray(buffer.getvalue())
    central = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)  # the second entry's
    data[central + 28 : central + 30] = (0).to_bytes(2, "little")  # its name's length: 0
    del data[central + 46 : central + 47]  # and the one-letter name itself
    end = data.index(b"PK\x05\x06")
    size = int.from_bytes(data[end + 12 : end + 16], "little") - 1
    data[end + 12 : end + 16] = size.to_bytes(
        4, "little"
    )  # the central directory is 1 byte shorter
    infos = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()
    assert [i.filename for i in infos] == ["xl/workbook.xml", ""]
    assert refused(bytes(data)) == spreadsheet._unreadable_xlsx()


def test_issue7_total_uncompressed_size_is_limited(no_openpyxl):
    # parts each under the per-part limit (and too small for the ratio check), together over the total
    chunk = b"<a>" + b"b" * (spreadsheet.XLSX_RATIO_FLOOR - 7) + b"</a>"
    count = spreadsheet.MAX_XLSX_BYTES // len(chunk) + 1
    data = hx.pack(hx.base_parts(), [(f"customXml/item{i}.xml", chunk) for i in range(count)])
    message = refused(data)
    assert f"Plik XLSX po rozpakowaniu ma ponad {spreadsheet.MAX_XLSX_BYTES // 2**20} MB" in message


def test_issue7_a_part_compressed_suspiciously_well_is_refused(no_openpyxl):
    size = 2 * spreadsheet.XLSX_RATIO_FLOOR  # under the size limits, but 1000:1
    data = hx.pack(hx.base_parts(), [("customXml/item1.xml", b"<a>" + b" " * size + b"</a>")])
    message = refused(data)
    assert f"ponad {spreadsheet.MAX_XLSX_RATIO}:1" in message


def test_issue7_thousands_of_entries_are_refused(no_openpyxl):
    message = refused(hx.many_entries(3000))
    assert f"więcej niż {MAX_XLSX_ENTRIES} części" in message


def test_issue7_sizes_that_lie_are_caught_while_reading(no_openpyxl):
    """The headers declare 1000 bytes for a worksheet that holds far more: the bounded reading
    stops at what was declared and refuses the file itself, before openpyxl is asked."""
    message = refused(hx.lying_sizes())
    assert "Nie można odczytać pliku XLSX" in message


def test_issue7_many_tiny_shared_strings_are_refused(no_openpyxl):
    message = refused(hx.many_small_strings(MAX_XLSX_ELEMENTS))
    assert "elementów" in message and f"{MAX_XLSX_ELEMENTS:,}".replace(",", " ") in message


def test_issue7_a_styles_part_with_millions_of_formats_is_refused(no_openpyxl):
    message = refused(hx.styles_bomb(MAX_XLSX_ELEMENTS + 10))
    assert "xl/styles.xml" in message


def test_issue7_a_dtd_is_refused(no_openpyxl):
    parts = hx.base_parts()
    parts[hx.SHEET] = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">]>'
        + hx.sheet_xml(hx.HEADER_ROW).split(b"?>", 1)[1]
    )
    assert "DTD" in refused(hx.pack(parts))


# ------------------------------------------------------------------ XLSX: the worksheet


def test_issue7_a_value_in_column_xfd_is_refused_naming_the_column_limit(no_openpyxl):
    message = refused(hx.xfd_in_every_row(50))
    assert f"więcej niż {MAX_COLUMNS} kolumn" in message and "XFD" in message


def test_issue7_empty_cells_far_right_do_not_make_rows_16384_wide():
    """A cell formatted in column XFD (no value) is harmless: the list is read, and no row
    carries more than MAX_COLUMNS values."""
    sheet = read_sheet(hx.xfd_in_every_row(300, value=False), "lista.xlsx")
    assert len(sheet.rows) == 301
    assert max(len(cells) for _, cells in sheet.rows) <= MAX_COLUMNS
    assert sheet.rows[1][1][:2] == ["Firma 2", "mikro"]


def test_issue7_a_row_of_a_million_cells_is_refused(no_openpyxl):
    message = refused(hx.wide_row(MAX_XLSX_CELLS + 1))
    assert f"więcej niż {MAX_XLSX_CELLS:,}".replace(",", " ") + " komórek" in message


def test_issue7_huge_cell_text_is_not_copied_into_every_message(world):
    """A header "NIP (…megabyte…)" is still the NIP column, but its text is shortened where
    errors quote it, so the plan kept in the session stays small."""
    long = "x" * 100_000
    rows = [["Nazwa", f"NIP ({long})"]] + [[f"Firma {i}", "123"] for i in range(50)]
    text = "\n".join(";".join(r) for r in rows).encode()
    plan = plan_import(cluster=world.alfa, data=text, filename="l.csv")
    assert all(len(error) < 400 for error in plan.errors())
    assert len(plan.errors()) == 50


# ------------------------------------------------------------------ CSV (point 9)


@pytest.mark.parametrize(
    "data",
    [
        "Nazwa;Typ\nFirma;mikro\n".encode("utf-16") + b"x",  # odd length: a byte missing
        b"\xff\xfe"
        + "Nazwa;Typ\n".encode("utf-16-le")
        + b"\x00\xd8"
        + "a".encode("utf-16-le"),  # lone surrogate
        b"\xfe\xff" + "Nazwa;Typ\n".encode("utf-16-be")[:-1],
    ],
    ids=["odd-length", "lone-surrogate", "big-endian-truncated"],
)
def test_issue7_broken_utf16_is_a_polish_message_not_an_exception(data):
    message = refused(data, "lista.csv")
    assert "UTF-16" in message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_issue7_utf16_without_bom_is_read(encoding):
    text = "Nazwa;Typ\nFirma Ąę;mikro\n"
    sheet = read_sheet(text.encode(encoding), "lista.csv")
    assert sheet.rows[:2] == [(1, ["Nazwa", "Typ"]), (2, ["Firma Ąę", "mikro"])]


def test_issue7_utf16_with_bom_and_a_second_bom_in_the_header_is_read():
    text = "\ufeff\ufeffNazwa\tTyp\r\nFirma\tmikro\r\n"
    sheet = read_sheet(text.encode("utf-16-le"), "lista.txt")
    assert sheet.rows[0][1] == ["Nazwa", "Typ"] and sheet.encoding == "utf-16"


def test_issue7_binary_file_with_nul_bytes_is_refused_as_not_a_csv():
    message = refused(b"%PDF-1.4\n\x00\x01\x02\x03binary\x00\x00\xff" * 50, "lista.csv")
    assert "nie jest plikiem CSV" in message


def test_issue7_a_csv_value_beyond_the_column_limit_is_refused():
    row = ["Nazwa", "Typ"] + [""] * (MAX_COLUMNS + 5) + ["x"]
    message = refused((";".join(row) + "\nFirma;mikro\n").encode(), "lista.csv")
    assert f"więcej niż {MAX_COLUMNS} kolumn" in message


def test_issue7_a_csv_field_over_the_csv_module_limit_is_a_polish_message():
    data = ('Nazwa;Typ\n"' + "a" * 200_000 + '";mikro\n').encode()
    message = refused(data, "lista.csv")
    assert "Wiersz 2" in message and "znaków" in message


# ------------------------------------------------------------------ through the page: nothing written


def _state():
    return (Member.objects.count(), MembershipEvent.objects.count(), AuditLog.objects.count())


HOSTILE = {
    "shared-strings-bomb": (
        "lista.xlsx",
        lambda: hx.shared_strings_bomb(40 * 1024 * 1024),
        "po rozpakowaniu",
    ),
    "xfd": ("lista.xlsx", lambda: hx.xfd_in_every_row(50), "kolumn"),
    "entries": ("lista.xlsx", lambda: hx.many_entries(3000), "części"),
    "wide-row": ("lista.xlsx", lambda: hx.wide_row(MAX_XLSX_CELLS + 1), "komórek"),
    "utf16-odd": (
        "lista.csv",
        lambda: "Nazwa;Typ\nFirma;mikro\n".encode("utf-16") + b"x",
        "UTF-16",
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_issue7_hostile_upload_is_refused_on_the_page_and_writes_nothing(case, world, client_for):
    name, build, words = HOSTILE[case]
    office = client_for("office")
    before = _state()
    response = office.post(
        reverse("member_import", kwargs={"slug": "alfa"}),
        {"file": SimpleUploadedFile(name, build())},
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert _state() == before
    assert not office.session.get("member_imports")
