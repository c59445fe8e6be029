"""Issue 7: a fuzz run of the member import in CI, for a fixed budget. Whatever the bytes —
random, random CSV text in any of the encodings read, odd but well-formed workbooks written by
openpyxl, or such workbooks with bytes flipped — ``plan_import`` returns a plan the session
can store (JSON) or raises SpreadsheetError with a Polish message. Nothing else escapes.

CI sets CI=true: Hypothesis then derandomises (tests/conftest.py), so a run is repeatable.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaster.exchange.spreadsheet import HEADER_ALIASES, SpreadsheetError, plan_import

pytestmark = [
    pytest.mark.django_db,
    # openpyxl warns about a date cell out of range; the cell is read as an error value
    pytest.mark.filterwarnings("ignore::UserWarning:openpyxl"),
]

FUZZ = settings(
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ]
)

HEADER = st.sampled_from(
    [alias for aliases in HEADER_ALIASES.values() for alias in aliases[:3]]
    + ["Lp.", "Uwagi", "", "NIP (bez kresek)"]
)


# plausible values per field, so that many rows get through to matching and planning
GOOD = {
    "name": st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
    "nip": st.sampled_from(
        ["5260250274", "526-025-02-74", "PL5260250274", "7740001454", 5260250274]
    ),
    "regon": st.sampled_from(["123456785", 12345675, "12345678512347"]),
    "krs": st.sampled_from(["0000012345", 12345, "12345"]),
    "type": st.sampled_from(
        ["mikro", "mały", "średni", "duży", "IOB", "jednostka naukowa", "inny", "micro"]
    ),
    "category": st.sampled_from(["Partner", "Partner Strategiczny", "strategic"]),
    "science_category": st.sampled_from(["A+", "A", "B plus", "C"]),
    "street": st.sampled_from(["ul. Długa 1", "Rynek 5/7"]),
    "postal_code": st.sampled_from(["15-001", "15001", 15001, 950, "00 950"]),
    "city": st.sampled_from(["Białystok", "Łódź"]),
    "joined": st.sampled_from(["01.02.2020", "2019-12-31", 43831, "31/12/2019", "1.2.20"])
    | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
    "email": st.sampled_from(
        ["a@example.com", "a@example.com; b@example.com", "mailto:c@example.com"]
    ),
    "website": st.sampled_from(["www.example.org", "https://example.org/x", "example.org"]),
}


@st.composite
def sheets(draw, cells) -> list[list[object]]:
    """A header row and data rows: mostly a usable header (the name and other known fields,
    each once) over plausible values, sometimes anything."""
    if draw(st.integers(0, 4)) == 0:
        header: list[object] = list(draw(st.lists(HEADER, min_size=1, max_size=6)))
        return [header, *draw(st.lists(st.lists(cells, max_size=9), max_size=8))]
    fields = draw(st.lists(st.sampled_from(sorted(GOOD)), unique=True, max_size=8))
    fields = draw(st.permutations(["name", *[f for f in fields if f != "name"]]))
    header = [draw(st.sampled_from(HEADER_ALIASES[f])) for f in fields]
    noise = draw(st.sampled_from([0, 0, 8, 3]))  # one random cell in `noise`, or none
    rows = [
        [
            draw(cells) if noise and not draw(st.integers(0, noise - 1)) else draw(GOOD[f])
            for f in fields
        ]
        for _ in range(draw(st.integers(0, 8)))
    ]
    return [header, *rows]


CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
CELLS = st.one_of(
    CELL_TEXT,
    st.sampled_from(
        [
            "mikro",
            "IOB",
            "Partner Strategiczny",
            "15-001",
            "5260250274",
            "0000012345",
            "01.02.2020",
            "2020-02-30",
            "a@b.pl; c@d.pl",
            "www.example.org",
            "A+",
            "=1+1",
            "#N/A",
            "-",
            "  ",
            "\u00a0",
        ]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
XLSX_CELLS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
)


@pytest.fixture
def cluster(db):
    from tests.factories import ClusterFactory, MemberFactory

    cluster = ClusterFactory(slug="fuzz")
    MemberFactory(cluster=cluster, name="Firma", nip="5260250274")
    return cluster


def _check(cluster, data: bytes, name: str) -> None:
    try:
        plan = plan_import(cluster=cluster, data=data, filename=name)
    except SpreadsheetError as exc:
        assert str(exc)  # a message for the upload form
        return
    json.dumps(plan.to_dict())  # what the session stores
    plan.digest()


RANDOM_BYTES = st.builds(
    lambda prefix, data, name: (prefix + data, name),
    st.sampled_from(
        [
            b"",
            b"PK\x03\x04",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
            b"sep=;\n",
            b"\xd0\xcf\x11\xe0",
        ]
    ),
    st.binary(max_size=3000),
    st.sampled_from(["lista.csv", "lista.xlsx", "lista.xls", "lista"]),
)


@st.composite
def csv_files(draw) -> tuple[bytes, str]:
    table = draw(sheets(CELLS))
    delimiter = draw(st.sampled_from([";", ",", "\t", "|"]))
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8-sig", "cp1250", "utf-16", "utf-16-le", "utf-16-be"])
    )
    quote = draw(st.booleans())

    def cell(value) -> str:
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if quote else text

    lines = ["Lista członków"] if draw(st.booleans()) else []
    lines += [delimiter.join(cell(v) for v in row) for row in table]
    data = "\r\n".join(lines).encode(encoding, errors="replace")
    cut = draw(st.none() | st.integers(0, 10**6))  # a file cut short (a byte of UTF-16 missing …)
    return (data if cut is None else data[: cut % (len(data) + 1)]), "lista.csv"


def _workbook(table, extra_cells, second_sheet, merged) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in table:
        ws.append(row)
    for (r, c), value in extra_cells:
        ws.cell(row=r, column=c, value=value)
    if merged:
        ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=2)
    if second_sheet:
        wb.create_sheet("Inne").append(["x", 1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@st.composite
def workbooks(draw) -> tuple[bytes, str]:
    """Odd but well-formed workbooks written by openpyxl; some with bytes flipped or cut."""
    data = bytearray(
        draw(
            st.builds(
                _workbook,
                table=sheets(XLSX_CELLS),
                extra_cells=st.lists(
                    st.tuples(
                        st.tuples(
                            st.integers(1, 30) | st.integers(1, 3000),
                            st.integers(1, 20) | st.integers(1, 300),
                        ),
                        XLSX_CELLS,
                    ),
                    max_size=3,
                ),
                second_sheet=st.booleans(),
                merged=st.booleans(),
            )
        )
    )
    for position, value in draw(
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6)
    ):
        data[position % len(data)] = value
    # as a share of the length: openpyxl stamps the time in the file, so lengths may vary
    cut = draw(st.none() | st.integers(0, 10**6))
    return bytes(data if cut is None else data[: cut % (len(data) + 1)]), "lista.xlsx"


@settings(FUZZ, max_examples=500)
@given(upload=st.one_of(RANDOM_BYTES, csv_files(), workbooks()))
def test_issue7_fuzz_member_import(cluster, upload):
    data, name = upload
    _check(cluster, data, name)
