"""Member list import from XLSX/CSV (issue 2 point 6, "Excel in"): reading, column mapping,
cell checks (MEM-3, MEM-4), matching, preview → confirm, all-or-nothing apply with audit
rows (PLT-4), membership events (MEM-6) and seat placement (MEM-9)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.core.models import AuditLog
from klaster.exchange import import_services
from klaster.exchange.import_services import PlanOutdated, member_import_apply
from klaster.exchange.spreadsheet import (
    CATEGORIES,
    TYPES,
    ImportPlan,
    SpreadsheetError,
    fold,
    map_columns,
    parse_rows,
    plan_import,
    read_sheet,
)
from klaster.members.models import Member, MembershipEvent, MemberType, NotificationEmail
from tests.factories import MemberFactory, MembershipEventFactory, valid_nip

# Far above the factory's sequence, so a worker that made many members never collides.
NIP_1, NIP_2, NIP_3 = valid_nip(9_000_101), valid_nip(9_000_102), valid_nip(9_000_103)
REGON_9 = "123456785"
REGON_LEADING_ZERO = "012345675"


def bad_nip(nip: str) -> str:
    return nip[:-1] + str((int(nip[-1]) + 1) % 10)


def write_xlsx(path, rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path.read_bytes()


def write_csv(path, rows, *, delimiter: str, encoding: str) -> bytes:
    text = "\r\n".join(delimiter.join(str(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path.read_bytes()


def counts() -> dict[str, int]:
    return {
        "members": Member.objects.count(),
        "events": MembershipEvent.objects.count(),
        "audit": AuditLog.objects.count(),
        "emails": NotificationEmail.objects.count(),
    }


def upload(client, slug, name, data):
    return client.post(
        reverse("member_import", kwargs={"slug": slug}), {"file": SimpleUploadedFile(name, data)}
    )


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").split("/")[-1]


def stored_plan(client, token) -> ImportPlan:
    return ImportPlan.from_dict(client.session["member_imports"][token])


# ------------------------------------------------------------------ reading and mapping


def test_headers_fold_case_and_polish_diacritics():
    assert fold("Miejscowość") == "miejscowosc"
    assert fold("  WIELKOŚĆ ") == "wielkosc"
    assert fold("Data przystąpienia") == "data przystapienia"
    assert fold("E-mail") == "e mail"
    assert fold("Łódź") == "lodz"
    assert fold("NIP (bez kresek)") == "nip"


def test_mem_3_value_tables_cover_every_model_choice():
    assert set(TYPES.values()) == set(MemberType.values)
    assert set(CATEGORIES.values()) == {"partner", "strategic_partner"}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("mikro", "micro"),
        ("Mały", "small"),
        ("ŚREDNI", "medium"),
        ("średnie przedsiębiorstwo", "medium"),
        ("duży", "large"),
        ("IOB", "iob"),
        ("Jednostka naukowa", "science"),
        ("inny", "other"),
        ("micro", "micro"),
        ("large enterprise", "large"),
    ],
)
def test_mem_3_type_names_polish_and_english(cell, expected):
    assert TYPES[fold(cell)] == expected


def test_csv_cp1250_with_semicolons(tmp_path):
    """Polish Excel's "CSV (rozdzielany średnikami)": cp1250 and ';'."""
    data = write_csv(
        tmp_path / "lista.csv",
        [
            ["Lp.", "Nazwa podmiotu", "NIP", "Wielkość", "Kod pocztowy", "Miejscowość", "Uwagi"],
            [1, "Żółta Łódź sp. z o.o.", NIP_1, "średni", "90-001", "Łódź", "ważne"],
        ],
        delimiter=";",
        encoding="cp1250",
    )
    sheet = read_sheet(data, "lista.csv")
    assert (sheet.format, sheet.encoding, sheet.delimiter) == ("csv", "cp1250", ";")
    columns = map_columns(sheet)
    assert columns.unknown == ["Uwagi"] and columns.ignored == ["Lp."]
    [row] = parse_rows(sheet, columns)
    assert row.errors == []
    assert row.values == {
        "name": "Żółta Łódź sp. z o.o.",
        "nip": NIP_1,
        "type": "medium",
        "postal_code": "90-001",
        "city": "Łódź",
    }


def test_csv_utf8_bom_with_commas_and_english_headers(tmp_path):
    data = write_csv(
        tmp_path / "members.csv",
        [
            ["Name", "Tax ID", "Type", "Category", "Postal code", "City", "Joined", "Website"],
            [
                "Ąę Systems",
                NIP_2,
                "small",
                "Strategic partner",
                "31001",
                "Kraków",
                "2019-05-06",
                "www.ae.pl",
            ],
        ],
        delimiter=",",
        encoding="utf-8-sig",
    )
    sheet = read_sheet(data, "members.csv")
    assert (sheet.encoding, sheet.delimiter) == ("utf-8-sig", ",")
    [row] = parse_rows(sheet, map_columns(sheet))
    assert row.errors == []
    assert row.values == {
        "name": "Ąę Systems",
        "nip": NIP_2,
        "type": "small",
        "category": "strategic_partner",
        "postal_code": "31-001",
        "city": "Kraków",
        "joined": "2019-05-06",
        "website": "https://www.ae.pl",
    }


def test_xlsx_title_row_excel_dates_and_numbers(tmp_path):
    """A title above the headers; a date cell, a NIP and a KRS stored as numbers (zeros lost)."""
    data = write_xlsx(
        tmp_path / "czlonkowie.xlsx",
        [
            ["Lista członków klastra — stan na 2024"],
            [],
            [
                "NAZWA",
                "nip",
                "REGON",
                "KRS",
                "Typ",
                "Kategoria",
                "Ulica",
                "Kod pocztowy",
                "Miasto",
                "Data przystąpienia",
                "Kategoria naukowa",
                "E-mail",
                "Strona www",
            ],
            [
                "Politechnika Testowa",
                int(NIP_3),
                int(REGON_LEADING_ZERO),
                12345,
                "jednostka naukowa",
                "Partner Strategiczny",
                "ul. Długa 1",
                "15-950",
                "Białystok",
                dt.datetime(2016, 3, 1),
                "A+",
                "biuro@pt.edu.pl; rektor@pt.edu.pl",
                "https://pt.edu.pl",
            ],
            [
                "Druga firma",
                NIP_1,
                None,
                None,
                "mikro",
                None,
                None,
                None,
                None,
                "01.02.2017",
                None,
                None,
                None,
            ],
        ],
    )
    sheet = read_sheet(data, "czlonkowie.xlsx")
    assert sheet.format == "xlsx"
    columns = map_columns(sheet)
    assert columns.header_row == 3 and columns.unknown == []
    first, second = parse_rows(sheet, columns)
    assert (first.number, second.number) == (4, 5)
    assert first.errors == [] and second.errors == []
    assert first.values == {
        "name": "Politechnika Testowa",
        "nip": NIP_3,
        "regon": REGON_LEADING_ZERO,
        "krs": "0000012345",
        "type": "science",
        "category": "strategic_partner",
        "street": "ul. Długa 1",
        "postal_code": "15-950",
        "city": "Białystok",
        "joined": "2016-03-01",
        "science_category": "A+",
        "email": ["biuro@pt.edu.pl", "rektor@pt.edu.pl"],
        "website": "https://pt.edu.pl",
    }
    assert second.values == {
        "name": "Druga firma",
        "nip": NIP_1,
        "type": "micro",
        "joined": "2017-02-01",
    }


def test_file_without_a_name_column_is_refused(tmp_path):
    data = write_csv(
        tmp_path / "x.csv", [["NIP", "Miasto"], [NIP_1, "Łódź"]], delimiter=";", encoding="utf-8"
    )
    with pytest.raises(SpreadsheetError, match="Nazwa"):
        map_columns(read_sheet(data, "x.csv"))


def test_two_columns_for_one_field_are_refused(tmp_path):
    data = write_csv(
        tmp_path / "x.csv",
        [["Nazwa", "Miasto", "Miejscowość"], ["A", "B", "C"]],
        delimiter=";",
        encoding="utf-8",
    )
    with pytest.raises(SpreadsheetError, match="to samo pole"):
        map_columns(read_sheet(data, "x.csv"))


def test_old_xls_is_refused_with_advice():
    with pytest.raises(SpreadsheetError, match="XLSX lub CSV"):
        read_sheet(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "stary.xls")


# ------------------------------------------------------------------ cell errors (MEM-4)


def test_mem_4_invalid_nip_names_row_and_column(world, tmp_path):
    data = write_xlsx(
        tmp_path / "l.xlsx",
        [
            ["Nazwa", "NIP", "Typ"],
            ["Dobra firma", NIP_1, "mały"],
            ["Zła firma", bad_nip(NIP_2), "mały"],
        ],
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.xlsx")
    assert plan.errors() == ["Wiersz 3, kolumna NIP: nieprawidłowa cyfra kontrolna"]
    assert plan.counts() == {"new": 1, "changed": 0, "unchanged": 0, "error": 1}


def test_mem_4_every_cell_check_names_its_column(world, tmp_path):
    data = write_csv(
        tmp_path / "l.csv",
        [
            [
                "Nazwa",
                "Numer REGON",
                "KRS",
                "Typ",
                "Kategoria",
                "Kod pocztowy",
                "Data przystąpienia",
                "E-mail",
                "Kategoria naukowa",
            ],
            [
                "A",
                "123456789",
                "12a",
                "mała-średnia",
                "Honorowy",
                "1-23",
                "31.02.2020",
                "nie-adres",
                "",
            ],
            ["", "", "", "mały", "", "", "", "", ""],
            ["B", "", "", "mały", "", "", "", "", "A"],
        ],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert plan.errors() == [
        "Wiersz 2, kolumna Numer REGON: nieprawidłowa cyfra kontrolna",
        "Wiersz 2, kolumna KRS: dozwolone są tylko cyfry",
        "Wiersz 2, kolumna Typ: nieznana wartość „mała-średnia” "
        "(dozwolone: mikro, mały, średni, duży, IOB, jednostka naukowa, inny)",
        "Wiersz 2, kolumna Kategoria: nieznana wartość „Honorowy” (dozwolone: Partner, Partner Strategiczny)",
        "Wiersz 2, kolumna Kod pocztowy: nieprawidłowy kod pocztowy „1-23” (oczekiwano NN-NNN)",
        "Wiersz 2, kolumna Data przystąpienia: nieprawidłowa data „31.02.2020” "
        "(oczekiwano DD.MM.RRRR lub RRRR-MM-DD)",
        "Wiersz 2, kolumna E-mail: nieprawidłowy adres e-mail „nie-adres”",
        "Wiersz 3, kolumna Nazwa: brak nazwy podmiotu",
        "Wiersz 4, kolumna Kategoria naukowa: kategorię naukową ma tylko jednostka naukowa",
    ]


def test_mem_4_cell_errors_follow_the_readers_language(world, tmp_path):
    """Issue 9 point 4: the same file read by an office working in English: every error in
    English (the headers and values quoted are the file's own), no Polish word of ours."""
    import re

    from django.utils import translation

    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Name", "REGON", "Type", "Category", "Postal code", "Joined", "E-mail"],
            ["A", "123456789", "mid", "Honorary", "1-23", "31.02.2020", "not-an-address"],
            ["", "", "small", "", "", "", ""],
            ["New", "", "", "", "", "", ""],
        ],
        delimiter=",",
        encoding="utf-8",
    )
    with translation.override("en"):
        plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
        with pytest.raises(SpreadsheetError) as refused:
            read_sheet(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls")
    assert plan.errors() == [
        "Row 2, column REGON: invalid check digit",
        "Row 2, column Type: unknown value “mid” "
        "(allowed: micro, small, medium, large, IOB, science unit, other)",
        "Row 2, column Category: unknown value “Honorary” (allowed: Partner, Strategic Partner)",
        "Row 2, column Postal code: invalid postal code “1-23” (expected NN-NNN)",
        "Row 2, column Joined: invalid date “31.02.2020” (expected DD.MM.YYYY or YYYY-MM-DD)",
        "Row 2, column E-mail: invalid e-mail address “not-an-address”",
        "Row 3, column Name: no entity name",
        "Row 4, column Type: required for a new member "
        "(allowed: micro, small, medium, large, IOB, science unit, other)",
    ]
    polish = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
    assert not [e for e in plan.errors() + plan_warnings(plan) if polish.search(e)]
    assert "Row 4: no joining date" in " ".join(plan_warnings(plan))
    assert str(refused.value) == (
        "The old Excel format (.xls) is not supported — save the file as XLSX or CSV."
    )
    # the type hint an English reader is given is accepted as it is written
    for word in "micro, small, medium, large, IOB, science unit, other".split(", "):
        assert fold(word) in TYPES


def plan_warnings(plan) -> list[str]:
    return [w for r in plan.rows for w in r.warnings]


def test_new_member_needs_a_type(world, tmp_path):
    data = write_csv(
        tmp_path / "l.csv", [["Nazwa", "NIP"], ["Nowa", NIP_1]], delimiter=";", encoding="utf-8"
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert plan.errors() == [
        "Wiersz 2, kolumna Typ: wymagany dla nowego członka "
        "(dozwolone: mikro, mały, średni, duży, IOB, jednostka naukowa, inny)"
    ]


# ------------------------------------------------------------------ matching


def test_rows_match_by_nip_then_by_name(world, tmp_path):
    member_a, member_b = world.member_a, world.member_b
    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Nazwa", "NIP", "Typ", "Miejscowość"],
            ["Alfa-Tech Spółka z o.o.", member_a.nip, "", "Białystok"],  # by NIP: renamed
            [
                "  beta-soft   s.a. ",
                "",
                "",
                "Warszawa",
            ],  # by name, case and spaces ignored: unchanged
            ["Nowa Firma", NIP_1, "mikro", "Łódź"],  # new
            ["Nowa Firma bis", NIP_1, "mikro", "Łódź"],  # same NIP twice in the file
        ],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    actions = [(r.number, r.action, r.member_id) for r in plan.rows]
    assert actions == [
        (2, "changed", member_a.pk),
        (3, "unchanged", member_b.pk),
        (4, "new", None),
        (5, "error", None),
    ]
    assert plan.rows[0].changes == {"name": ["Alfa-Tech sp. z o.o.", "Alfa-Tech Spółka z o.o."]}
    assert plan.rows[3].errors == ["Wiersz 5, kolumna NIP: ten sam NIP co w wierszu 4"]


def test_name_match_with_another_nip_is_an_error_not_a_merge(world, tmp_path):
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Typ"], [world.member_b.name, NIP_1, "mały"]],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert plan.errors() == [
        f"Wiersz 2, kolumna NIP: podmiot o tej nazwie jest w rejestrze z innym NIP-em ({world.member_b.nip})"
    ]


def test_mem_1_rows_never_match_another_clusters_members(world, tmp_path):
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Typ"], [world.member_beta.name, world.member_beta.nip, "mały"]],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert [r.action for r in plan.rows] == ["new"]


def test_blank_cells_change_nothing(world, tmp_path):
    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Nazwa", "NIP", "Typ", "Kod pocztowy", "Miejscowość"],
            [world.member_b.name, world.member_b.nip, "", "", ""],
        ],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert [(r.action, r.changes) for r in plan.rows] == [("unchanged", {})]


# ------------------------------------------------------------------ preview → confirm


def test_mem_6_preview_writes_nothing_and_shows_old_to_new(world, client_for, tmp_path):
    office = client_for("office")
    data = write_xlsx(
        tmp_path / "l.xlsx",
        [
            ["Nazwa", "NIP", "Typ", "Kod pocztowy", "Miejscowość", "Data przystąpienia", "Uwagi"],
            [world.member_b.name, world.member_b.nip, "średni", "31-001", "Kraków", None, "x"],
            ["Nowa Firma", NIP_1, "mikro", "90-001", "Łódź", dt.datetime(2020, 5, 4), None],
        ],
    )
    before = counts()
    token = token_of(upload(office, "alfa", "l.xlsx", data))
    page = office.get(reverse("member_import_preview", kwargs={"slug": "alfa", "token": token}))
    assert page.status_code == 200
    body = page.content.decode()
    assert counts() == before
    assert "Warszawa</del> → <ins>Kraków" in body and "00-001</del> → <ins>31-001" in body
    assert "Nowa Firma" in body and "„Uwagi”" in body  # the unknown column is reported
    assert 'id="count-new">1<' in body and 'id="count-changed">1<' in body
    assert 'name="digest"' in body


def test_preview_lists_errors_and_offers_no_confirm(world, client_for, tmp_path):
    office = client_for("office")
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Typ"], ["Zła", bad_nip(NIP_1), "mały"]],
        delimiter=";",
        encoding="cp1250",
    )
    token = token_of(upload(office, "alfa", "l.csv", data))
    body = office.get(
        reverse("member_import_preview", kwargs={"slug": "alfa", "token": token})
    ).content.decode()
    assert "Wiersz 2, kolumna NIP: nieprawidłowa cyfra kontrolna" in body
    assert 'name="digest"' not in body


def test_unreadable_file_is_reported_on_the_upload_form(world, client_for):
    response = upload(client_for("office"), "alfa", "x.csv", "Miasto;Kod\nŁódź;90-001\n".encode())
    assert response.status_code == 200
    assert "Nie znaleziono wiersza nagłówków" in response.content.decode()


@time_machine.travel(dt.datetime(2024, 6, 3, 12, 0, tzinfo=dt.UTC), tick=False)
def test_mem_6_mem_9_confirm_creates_members_with_events_and_seats(world, client_for, tmp_path):
    office = client_for("office")
    world.alfa.coordinator.lat, world.alfa.coordinator.lon = 53.13451, 23.16807  # Białystok
    world.alfa.coordinator.save()
    data = write_csv(
        tmp_path / "l.csv",
        [
            [
                "Nazwa",
                "NIP",
                "Typ",
                "Kategoria",
                "Kod pocztowy",
                "Miejscowość",
                "Data przystąpienia",
                "E-mail",
            ],
            [
                "Przyjęta",
                NIP_1,
                "mały",
                "Partner Strategiczny",
                "90-001",
                "Łódź",
                "04.05.2020",
                "a@przyjeta.pl",
            ],
            ["Kandydat", NIP_2, "IOB", "", "", "Gdańsk", "", ""],
        ],
        delimiter=";",
        encoding="cp1250",
    )
    token = token_of(upload(office, "alfa", "l.csv", data))
    plan = stored_plan(office, token)
    response = office.post(
        reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
        {"digest": plan.digest()},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "member_list", kwargs={"slug": "alfa"}
    )
    admitted = Member.objects.get(cluster=world.alfa, nip=NIP_1)
    assert (admitted.status, admitted.joined, admitted.category) == (
        "active",
        dt.date(2020, 5, 4),
        "strategic_partner",
    )
    assert [(e.kind, e.date) for e in admitted.events.all()] == [("admitted", dt.date(2020, 5, 4))]
    assert [e.email for e in admitted.notification_emails.all()] == ["a@przyjeta.pl"]
    assert (
        admitted.distance_km is not None and admitted.distance_km % 10 == 0
    )  # MEM-9, Łódź–Białystok
    assert 250 <= admitted.distance_km <= 350
    candidate = Member.objects.get(cluster=world.alfa, nip=NIP_2)
    assert candidate.status == "candidate" and candidate.joined is None
    assert [(e.kind, e.date) for e in candidate.events.all()] == [
        ("candidate", dt.date(2024, 6, 3))
    ]
    assert candidate.lat is not None  # placed from the locality alone
    assert token not in office.session.get("member_imports", {})
    entry = AuditLog.objects.get(cluster=world.alfa, action="import")
    assert entry.changes["new"] == [None, 2] and entry.changes["sha256"][1] == plan.sha256
    assert set(
        AuditLog.objects.filter(cluster=world.alfa, object_id=str(admitted.pk)).values_list(
            "source", flat=True
        )
    ) == {"import"}


def test_plt_4_update_goes_through_member_update_with_audit_rows(world, client_for, tmp_path):
    office = client_for("office")
    member = world.member_b
    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Nazwa", "NIP", "REGON", "Miejscowość", "Kod pocztowy", "Strona www"],
            [member.name, member.nip, REGON_9, "Kraków", "31-001", "beta-soft.pl"],
        ],
        delimiter=",",
        encoding="utf-8-sig",
    )
    token = token_of(upload(office, "alfa", "l.csv", data))
    plan = stored_plan(office, token)
    assert plan.rows[0].changes == {
        "regon": [None, REGON_9],
        "city": ["Warszawa", "Kraków"],
        "postal_code": ["00-001", "31-001"],
        "website": [None, "https://beta-soft.pl"],
    }
    office.post(
        reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
        {"digest": plan.digest()},
    )
    member.refresh_from_db()
    assert (member.city, member.postal_code, member.regon) == ("Kraków", "31-001", REGON_9)
    assert "Kraków" in member.location_note  # re-placed by member_update (MEM-9)
    update = AuditLog.objects.get(cluster=world.alfa, action="update", object_id=str(member.pk))
    assert update.changes["city"] == ["Warszawa", "Kraków"]
    assert update.changes["regon"] == ["", REGON_9]
    assert update.user == world.users["office"] and update.source == "import"
    assert AuditLog.objects.filter(cluster=world.alfa, action="import").count() == 1


def test_mem_6_joining_date_is_added_to_history_never_overwritten(world, tmp_path):
    candidate = MemberFactory(
        cluster=world.alfa,
        key="c1",
        name="Kandydat sp. z o.o.",
        type="small",
        nip=NIP_3,
        status="candidate",
        joined=None,
        postal_code="",
        city="",
        independent=None,
    )
    MembershipEventFactory(member=candidate, kind="candidate", date=dt.date(2020, 1, 10))
    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Nazwa", "NIP", "Data przystąpienia"],
            [candidate.name, NIP_3, "2020-02-01"],
            [world.member_a.name, world.member_a.nip, "2019-01-01"],  # has 2016-03-01 already
        ],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert plan.rows[0].changes == {"joined": [None, "2020-02-01"]}
    assert plan.rows[1].action == "unchanged"
    assert "historii członkostwa nie nadpisuje się" in plan.rows[1].warnings[0]
    with time_machine.travel(dt.datetime(2024, 6, 3, 12, 0, tzinfo=dt.UTC), tick=False):
        member_import_apply(cluster=world.alfa, user=world.users["office"], plan=plan)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.joined) == ("active", dt.date(2020, 2, 1))
    assert [e.kind for e in candidate.events.all()] == ["candidate", "admitted"]
    world.member_a.refresh_from_db()
    assert world.member_a.joined == dt.date(2016, 3, 1)


# ------------------------------------------------------------------ all or nothing


def test_apply_refuses_a_plan_with_any_error_and_writes_nothing(world, tmp_path):
    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Nazwa", "NIP", "Typ", "Miejscowość"],
            ["Dobra", NIP_1, "mały", "Łódź"],
            [world.member_b.name, world.member_b.nip, "", "Kraków"],
            ["Zła", bad_nip(NIP_2), "mały", "Łódź"],
        ],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    before = counts()
    with pytest.raises(ValidationError, match="Nic nie zapisano"):
        member_import_apply(cluster=world.alfa, user=world.users["office"], plan=plan)
    assert counts() == before
    world.member_b.refresh_from_db()
    assert world.member_b.city == "Warszawa"


def test_apply_is_one_transaction_a_late_failure_undoes_every_row(world, tmp_path, monkeypatch):
    data = write_csv(
        tmp_path / "l.csv",
        [
            ["Nazwa", "NIP", "Typ", "Miejscowość", "Data przystąpienia", "E-mail"],
            [world.member_b.name, world.member_b.nip, "", "Kraków", "", ""],
            ["Pierwsza", NIP_1, "mały", "Łódź", "2020-01-01", "a@a.pl"],
            ["Druga", NIP_2, "mały", "Łódź", "2020-01-01", "b@b.pl"],
        ],
        delimiter=";",
        encoding="utf-8",
    )
    plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert not plan.has_errors
    real = import_services.notification_email_add

    def failing(*, member, user, email):
        if email == "b@b.pl":
            raise ValidationError({"email": "awaria"})
        return real(member=member, user=user, email=email)

    monkeypatch.setattr(import_services, "notification_email_add", failing)
    before = counts()
    with pytest.raises(ValidationError):
        member_import_apply(cluster=world.alfa, user=world.users["office"], plan=plan)
    assert counts() == before
    world.member_b.refresh_from_db()
    assert world.member_b.city == "Warszawa"


def test_register_changed_after_preview_is_reported_and_nothing_applied(
    world, client_for, tmp_path
):
    office = client_for("office")
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Miejscowość"], [world.member_b.name, world.member_b.nip, "Kraków"]],
        delimiter=";",
        encoding="utf-8",
    )
    token = token_of(upload(office, "alfa", "l.csv", data))
    plan = stored_plan(office, token)
    Member.objects.filter(pk=world.member_b.pk).update(
        city="Poznań"
    )  # someone edits the member meanwhile
    before = counts()
    response = office.post(
        reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
        {"digest": plan.digest()},
        follow=True,
    )
    assert counts() == before
    assert "Poznań</del> → <ins>Kraków" in response.content.decode()  # the fresh preview
    with pytest.raises(PlanOutdated):
        member_import_apply(cluster=world.alfa, user=world.users["office"], plan=plan)
    fresh = stored_plan(office, token)
    office.post(
        reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
        {"digest": fresh.digest()},
    )
    world.member_b.refresh_from_db()
    assert world.member_b.city == "Kraków"


def test_confirm_with_a_stale_digest_applies_nothing(world, client_for, tmp_path):
    office = client_for("office")
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Typ"], ["Nowa", NIP_1, "mały"]],
        delimiter=";",
        encoding="utf-8",
    )
    token = token_of(upload(office, "alfa", "l.csv", data))
    before = counts()
    response = office.post(
        reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
        {"digest": "0" * 64},
    )
    assert response.status_code == 302 and token in response["Location"]
    assert counts() == before


# ------------------------------------------------------------------ access


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office", 302),
        ("chair", 403),
        ("member", 403),
        ("proxy", 403),
        ("forum", 403),
        ("outsider", 404),
    ],
)
def test_mem_1_upload_and_confirm_as_every_persona(persona, expected, world, client_for, tmp_path):
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Typ"], ["Nowa", NIP_1, "mały"]],
        delimiter=";",
        encoding="utf-8",
    )
    client = client_for(persona)
    before = counts()
    response = upload(client, "alfa", "l.csv", data)
    assert response.status_code == expected
    assert counts() == before
    # the office's plan cannot be confirmed by anyone else
    office = client if persona == "office" else client_for("office")
    token = token_of(upload(office, "alfa", "l.csv", data))
    digest = stored_plan(office, token).digest()
    response = client.post(
        reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
        {"digest": digest},
    )
    if persona == "office":
        assert Member.objects.filter(cluster=world.alfa, nip=NIP_1).exists()
    else:
        assert response.status_code == expected
        assert counts() == before


def test_anonymous_upload_goes_to_login(world, client_for, tmp_path):
    data = write_csv(
        tmp_path / "l.csv", [["Nazwa", "NIP"], ["Nowa", NIP_1]], delimiter=";", encoding="utf-8"
    )
    response = upload(client_for("anonymous"), "alfa", "l.csv", data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_plan_for_one_cluster_is_unknown_under_another(world, client_for, tmp_path):
    """The office's preview of alfa, replayed under beta by beta's office: 404 before any lookup;
    and the plan is bound to its cluster, so even the service refuses it."""
    office = client_for("office")
    data = write_csv(
        tmp_path / "l.csv",
        [["Nazwa", "NIP", "Typ"], ["Nowa", NIP_1, "mały"]],
        delimiter=";",
        encoding="utf-8",
    )
    token = token_of(upload(office, "alfa", "l.csv", data))
    assert (
        office.get(
            reverse("member_import_preview", kwargs={"slug": "beta", "token": token})
        ).status_code
        == 404
    )
    with pytest.raises(ValidationError):
        member_import_apply(
            cluster=world.beta, user=world.users["outsider"], plan=stored_plan(office, token)
        )


def test_member_list_links_to_the_import_for_the_office_only(world, client_for):
    url = reverse("member_list", kwargs={"slug": "alfa"})
    link = reverse("member_import", kwargs={"slug": "alfa"})
    assert link in client_for("office").get(url).content.decode()
    assert link not in client_for("chair").get(url).content.decode()


def test_plan_reads_the_register_in_a_fixed_number_of_queries(
    world, tmp_path, django_assert_num_queries
):
    """Two queries (members with their event summary, their notification e-mails), whatever the rows."""
    rows = [["Nazwa", "NIP", "Typ", "E-mail"]]
    rows += [
        [f"Firma {n}", valid_nip(9_000_500 + n), "mały", f"biuro{n}@firma.pl"] for n in range(60)
    ]
    rows += [[world.member_a.name, world.member_a.nip, "", "nowy@alfa.pl"]]
    data = write_csv(tmp_path / "l.csv", rows, delimiter=";", encoding="utf-8")
    with django_assert_num_queries(2):
        plan = plan_import(cluster=world.alfa, data=data, filename="l.csv")
    assert plan.counts() == {"new": 60, "changed": 1, "unchanged": 0, "error": 0}


def test_a_token_caller_uploads_and_applies_in_one_call(world, tmp_path):
    """The API's spreadsheet import (POST /api/actions/…/members/import/ with ``apply``): no
    session to keep a preview in, no preview to read — the same plan, writes and refusals."""
    from django.test import Client

    from tests.core.dbstate import assert_unchanged, db_fingerprint
    from tests.factories import TokenFactory

    token = TokenFactory(user=world.users["office"]).key
    url = "/api/actions" + reverse("member_import", kwargs={"slug": "alfa"})
    header = ["Nazwa", "NIP", "Typ", "Kod pocztowy", "Miejscowość", "Data przystąpienia"]

    def post(rows, name):
        data = write_csv(tmp_path / name, [header, *rows], delimiter=";", encoding="utf-8")
        return Client().post(
            url,
            {"file": SimpleUploadedFile(name, data), "apply": "1"},
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    done = post([["Nowa Firma", NIP_1, "mały", "90-001", "Łódź", "04.05.2020"]], "a.csv")
    assert done.status_code == 200, done.content
    assert done.json()["detail"] == "Import zakończony: dodano 1, zmieniono 0, bez zmian 0."
    assert Member.objects.get(cluster=world.alfa, nip=NIP_1).name == "Nowa Firma"
    # a file with an error row: refused in words, nothing written
    before = db_fingerprint()
    refused = post([["Zła Firma", "123", "mały", "90-001", "Łódź", "04.05.2020"]], "b.csv")
    assert refused.status_code == 400
    assert refused.json()["non_field_errors"] == [
        "Plik zawiera błędy; popraw je i wczytaj plik ponownie. Nic nie zapisano."
    ]
    assert_unchanged(before, "an import with an error row")
