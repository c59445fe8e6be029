"""One identifier normaliser per kind on every door (issue 8 point 2; MEM-4, MEM-9).

A NIP, REGON, KRS or postal code enters through four doors — the member edit form, the
API, the spreadsheet import and the dataset import — and the one table of inputs below is
driven through each: what is valid (dashes, spaces, a ``PL`` prefix) is stored compact, the
same on every door; what is not is refused with a Polish message naming the field, and
nothing is stored. Lookups by NIP (member search, the chair's member reference, proxy CSV
files) compact what was typed the same way, so a ``PL`` prefix or dashes still find it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from klaster.exchange.dataset_io import cluster_import
from klaster.exchange.spreadsheet import ImportPlan
from klaster.members.models import Member
from klaster.members.selectors import member_list
from klaster.rules import identifiers
from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import load_text
from tests.forms import versioned

pytestmark = pytest.mark.django_db

NIP = "8887511644"  # valid; used by no factory


@dataclass(frozen=True)
class Case:
    field: str  # the Member field
    typed: str  # what a person (or a file) gives
    stored: str | None  # the compact value stored, or None when refused
    code: str = ""  # the refusal's catalogue code (klaster.rules.identifiers.MESSAGES)

    @property
    def label(self) -> str:
        return identifiers.field_label(self.field, "pl")

    @property
    def message(self) -> str:
        """The refusal as the form and the API show it: ``"NIP: nieprawidłowa cyfra kontrolna"``."""
        return f"{self.label}: {identifiers.message(self.code, 'pl')}"

    def __str__(self) -> str:
        return f"{self.field}={self.typed!r}"


# The one table of inputs (issue 8 point 2): every door below is driven with all of it.
TABLE = [
    Case("nip", NIP, NIP),
    Case("nip", "888-751-16-44", NIP),
    Case("nip", "PL 888 751 16 44", NIP),
    Case("nip", "pl888-751-16-44", NIP),
    Case("nip", "8887511645", None, "checksum"),
    Case("nip", "888-751-16-4", None, "length_nip"),
    Case("nip", "888751164A", None, "digits"),
    Case("regon", "192598184", "192598184"),
    Case("regon", "19-25-98-184", "192598184"),
    Case("regon", "192598185", None, "checksum"),
    Case("regon", "1925981", None, "length_regon"),
    Case("krs", "0000 012 345", "0000012345"),
    Case("krs", "0000-012345", "0000012345"),
    Case("krs", "000001234X", None, "digits"),
    Case("krs", "000001234567", None, "length_krs"),
    Case("postal_code", "00-950", "00-950"),
    Case("postal_code", "00950", "00-950"),
    Case("postal_code", "00 950", "00-950"),
    Case("postal_code", "0-0950", None, "format_postal_code"),
    Case("postal_code", "ab-cde", None, "format_postal_code"),
    Case("postal_code", "00-9500", None, "format_postal_code"),
]
VALID = [c for c in TABLE if c.stored is not None]
INVALID = [c for c in TABLE if c.stored is None]


def test_mem_4_mem_9_the_table_is_the_rule_itself():
    """The table agrees with the one normaliser (klaster.rules.identifiers.normalise)."""
    for case in VALID:
        assert identifiers.normalise(case.field, case.typed) == case.stored, case
    for case in INVALID:
        with pytest.raises(identifiers.IdentifierError) as caught:
            identifiers.normalise(case.field, case.typed)
        assert (caught.value.code, str(caught.value)) == (case.code, case.message), case


# ------------------------------------------------------------------ the member edit form


def _post_form(client, member: Member, case: Case):
    url = reverse("member_edit", kwargs={"slug": "alfa", "member_id": member.pk})
    data = {
        "name": member.name,
        "type": member.type,
        "nip": member.nip,
        "regon": member.regon,
        "krs": member.krs,
        "street": member.street,
        "postal_code": member.postal_code,
        "city": member.city,
        case.field: case.typed,
    }
    return client.post(url, versioned(client, url, data))


@pytest.mark.parametrize("case", TABLE, ids=str)
def test_mem_4_mem_9_member_form_door(world, client_for, case):
    """MEM-4 / MEM-9 on the member edit form: "888-751-16-44" and "PL 888 751 16 44" are taken
    (the field is no longer cut at the stored 10 characters), stored compact; a bad value is
    refused on its field, in Polish, naming it, and nothing changes."""
    office = client_for("office")
    member = world.member_a
    before = Member.objects.get(pk=member.pk)
    response = _post_form(office, member, case)
    after = Member.objects.get(pk=member.pk)
    if case.stored is not None:
        assert response.status_code == 302, response.context["form"].errors
        assert getattr(after, case.field) == case.stored
    else:
        assert response.status_code == 200
        assert response.context["form"].errors[case.field] == [case.message]
        assert getattr(after, case.field) == getattr(before, case.field)
        assert (
            after.distance_km == before.distance_km and after.location_note == before.location_note
        )


def test_mem_4_member_form_refusal_in_english(world, client_for):
    """The rule returns a code; the form renders it in the user's language."""
    office = client_for("office")
    office.cookies["django_language"] = "en"
    response = _post_form(office, world.member_a, Case("nip", "8887511645", None))
    assert response.context["form"].errors["nip"] == ["NIP: invalid check digit"]
    response = _post_form(office, world.member_a, Case("postal_code", "ab-cde", None))
    assert response.context["form"].errors["postal_code"] == [
        "Postal code: the format NN-NNN is required, e.g. 00-950"
    ]


# ------------------------------------------------------------------ the API


@pytest.mark.parametrize("case", TABLE, ids=str)
def test_mem_4_mem_9_api_door(world, client_for, case):
    """MEM-4 / MEM-9 on PATCH /api/…/members/<id>/: the same normaliser as the form."""
    office = client_for("office")
    url = reverse("api_member_detail", kwargs={"cluster_slug": "alfa", "pk": world.member_a.pk})
    before = Member.objects.get(pk=world.member_a.pk)
    etag = office.get(url)["ETag"]
    response = office.patch(
        url,
        data=json.dumps({case.field: case.typed}),
        content_type="application/json",
        headers={"If-Match": etag},
    )
    after = Member.objects.get(pk=world.member_a.pk)
    if case.stored is not None:
        assert response.status_code == 200, response.content
        assert response.json()[case.field] == case.stored
        assert getattr(after, case.field) == case.stored
    else:
        assert response.status_code == 400
        assert response.json()[case.field] == [case.message]
        assert getattr(after, case.field) == getattr(before, case.field)


def test_mem_4_api_blank_and_null_clear_an_identifier(world, client_for):
    office = client_for("office")
    url = reverse("api_member_detail", kwargs={"cluster_slug": "alfa", "pk": world.member_a.pk})
    for value in ("", None):
        etag = office.get(url)["ETag"]
        response = office.patch(
            url,
            data=json.dumps({"krs": value}),
            content_type="application/json",
            headers={"If-Match": etag},
        )
        assert response.status_code == 200 and response.json()["krs"] == ""


# ------------------------------------------------------------------ the spreadsheet import

_COLUMN = {"nip": "NIP", "regon": "REGON", "krs": "KRS", "postal_code": "Kod pocztowy"}


def _import_csv(client, case: Case):
    row = {"nip": "", "regon": "", "krs": "", "postal_code": "15-001", case.field: case.typed}
    text = (
        "Nazwa;NIP;REGON;KRS;Typ;Kategoria;Kod pocztowy;Miejscowość\r\n"
        f"Drzwi Importu sp. z o.o.;{row['nip']};{row['regon']};{row['krs']};mały;partner;"
        f"{row['postal_code']};Białystok\r\n"
    )
    response = client.post(
        reverse("member_import", kwargs={"slug": "alfa"}),
        {"file": SimpleUploadedFile("lista.csv", text.encode("utf-8"))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").split("/")[-1]
    return token, ImportPlan.from_dict(client.session["member_imports"][token])


@pytest.mark.parametrize("case", TABLE, ids=str)
def test_mem_4_mem_9_spreadsheet_import_door(world, client_for, case):
    """MEM-4 / MEM-9 in the Excel/CSV import: the same values stored, the same refusals —
    named by row and column, nothing imported."""
    office = client_for("office")
    token, plan = _import_csv(office, case)
    if case.stored is not None:
        assert not plan.errors()
        office.post(
            reverse("member_import_confirm", kwargs={"slug": "alfa", "token": token}),
            {"digest": plan.digest()},
        )
        created = Member.objects.get(cluster=world.alfa, name="Drzwi Importu sp. z o.o.")
        assert getattr(created, case.field) == case.stored
    else:
        reason = identifiers.message(case.code, "pl")
        if case.field == "postal_code":
            reason = f"nieprawidłowy kod pocztowy „{case.typed}” (oczekiwano NN-NNN)"
        assert plan.errors() == [f"Wiersz 2, kolumna {_COLUMN[case.field]}: {reason}"]
        assert not Member.objects.filter(name="Drzwi Importu sp. z o.o.").exists()


def test_mem_9_spreadsheet_postal_code_given_as_a_number():
    """Excel hands "00-950" over as the number 950: the zeros come back, then the same rule."""
    from klaster.exchange.spreadsheet import PARSERS, CellError

    assert PARSERS["postal_code"](950) == "00-950"
    assert PARSERS["postal_code"](15001.0) == "15-001"
    with pytest.raises(CellError, match="oczekiwano NN-NNN"):
        PARSERS["postal_code"](1234567)


# ------------------------------------------------------------------ the dataset import


def _dataset(case: Case) -> str:
    member = {
        "id": "m001",
        "name": "Drzwi Zbioru sp. z o.o.",
        "type": "small",
        "category": "partner",
        "address": {"postal_code": "15-001", "city": "Białystok"},
        "joined": "2015-01-01",
    }
    if case.field == "postal_code":
        member["address"]["postal_code"] = case.typed  # type: ignore[index]
    else:
        member[case.field] = case.typed
    return json.dumps(
        {
            "format": "klaster-dataset/1",
            "as_of": "2021-06-30",
            "cluster": {"name": "Klaster Drzwi", "coordinator": {"member": "m000"}},
            "members": [
                {
                    "id": "m000",
                    "name": "Koordynator",
                    "type": "iob",
                    "category": "partner",
                    "address": {"postal_code": "15-001", "city": "Białystok"},
                    "joined": "2015-01-01",
                },
                member,
            ],
        }
    )


def _dataset_door(case: Case) -> None:
    """The dataset file's way into the register: read (klaster.rules.dataset.load), then
    written (cluster_import); a refusal from either names the path and writes nothing."""
    before = Member.objects.count()
    if case.stored is not None:
        cluster = cluster_import(load_text(_dataset(case), "json"))
        assert getattr(Member.objects.get(cluster=cluster, key="m001"), case.field) == case.stored
    else:
        with pytest.raises(DatasetError) as caught:
            cluster_import(load_text(_dataset(case), "json"))
        path = (
            "members[1].address.postal_code"
            if case.field == "postal_code"
            else f"members[1].{case.field}"
        )
        # a postal code longer than the format's 6 characters is refused by the file's schema first
        reason = (
            "za długie"
            if case.field == "postal_code" and len(case.typed) > 6
            else identifiers.message(case.code, "pl")
        )
        assert f"{path}: " in str(caught.value) and reason in str(caught.value)
        assert Member.objects.count() == before


@pytest.mark.parametrize("case", [c for c in TABLE if c.field != "postal_code"], ids=str)
def test_mem_4_dataset_import_door(world, case):
    """MEM-4 in the dataset file import (klaster.rules.dataset.load → cluster_import)."""
    _dataset_door(case)


@pytest.mark.parametrize("case", [c for c in TABLE if c.field == "postal_code"], ids=str)
def test_mem_9_dataset_import_door_postal_code(world, case):
    """MEM-9 in the dataset file import: DATASET.md leaves the address free (the KKK engine
    only leaves an unreadable code unplaced), so the register's door, cluster_import, passes
    each postal code through the one normaliser — compacted, or the whole import refused."""
    _dataset_door(case)


# ------------------------------------------------------------------ lookups by NIP


@pytest.mark.parametrize(
    "typed", [NIP, "888-751-16-44", "PL 888 751 16 44", "pl888-751", "888 751"]
)
def test_mem_4_member_search_compacts_a_nip_as_the_form_stores_it(world, typed):
    Member.objects.filter(pk=world.member_a.pk).update(nip=NIP)
    assert [m.pk for m in member_list(world.alfa, q=typed)] == [world.member_a.pk]


def test_mem_4_member_search_by_name_still_works(world):
    assert world.member_a in member_list(world.alfa, q="Alfa-Tech")
    assert world.member_a in member_list(world.alfa, q="alfa-tech sp")


@pytest.mark.parametrize("typed", ["888-751-16-44", "PL 888 751 16 44", "PL8887511644"])
def test_mem_4_chair_member_reference_compacts_a_nip(world, typed):
    from klaster.governance.forms import MemberRefField

    Member.objects.filter(pk=world.member_a.pk).update(nip=NIP)
    field = MemberRefField(max_length=300)
    field.cluster = world.alfa
    assert field.clean(typed).pk == world.member_a.pk


def test_mem_4_proxy_csv_finds_the_giver_by_a_nip_with_pl_prefix(world):
    from klaster.governance.services.proxies import proxies_import_csv
    from tests.factories import MeetingFactory

    Member.objects.filter(pk=world.member_a.pk).update(nip=NIP)
    meeting = MeetingFactory(cluster=world.alfa)
    rows = proxies_import_csv(
        meeting=meeting,
        user=world.users["office"],
        content="giver;holder;received_at\nPL 888-751-16-44;Jan Nowak;2025-06-10 14:30\n",
    )
    assert "Nie znaleziono" not in rows[0].error, rows[0].error
    assert rows[0].proxy is None or rows[0].proxy.giver_id == world.member_a.pk


# ------------------------------------------------------------------ an unknown distance


def test_mem_9_kkk_s1_17_an_unplaceable_seat_has_no_distance_and_reads_unknown(world, client_for):
    """MEM-9 / KKK-S1-17: a seat that cannot be placed gets no distance — not 0, not an
    invented one — and the member's page and the list say "nieznana", the page with the reason."""
    from klaster.members import services

    office = world.users["office"]
    services.member_update(member=world.coordinator, user=office, data={})
    member = services.member_update(
        member=world.member_a,
        user=office,
        data={"postal_code": "", "city": "Xyzzyville", "street": ""},
    )
    assert member.distance_km is None and member.lat is None
    client = client_for("office")
    body = client.get(
        reverse("member_detail", kwargs={"slug": "alfa", "member_id": member.pk})
    ).content.decode()
    assert "nieznana" in body and "Xyzzyville" in body and "0 km" not in body
    row = next(
        line
        for line in client.get(reverse("member_list", kwargs={"slug": "alfa"}))
        .content.decode()
        .splitlines()
        if member.name in line
    )
    assert '<td class="num"><span class="muted">nieznana</span></td>' in row


def test_mem_9_a_refused_postal_code_leaves_the_distance_as_it_was(world):
    """Bad input changes nothing: the seat and its distance are not recomputed from it."""
    from django.core.exceptions import ValidationError

    from klaster.members import services

    office = world.users["office"]
    services.member_update(member=world.coordinator, user=office, data={})
    placed = services.member_update(member=world.member_b, user=office, data={})
    for bad in ("0-0950", "ab-cde"):
        with pytest.raises(ValidationError) as caught:
            services.member_update(member=placed, user=office, data={"postal_code": bad})
        assert caught.value.message_dict == {
            "postal_code": ["Kod pocztowy: wymagany format NN-NNN, np. 00-950"]
        }
        after = Member.objects.get(pk=placed.pk)
        assert (after.postal_code, after.distance_km, after.lat) == (
            placed.postal_code,
            placed.distance_km,
            placed.lat,
        )


def test_mem_9_kkk_table_4_shows_an_unknown_distance_as_unknown():
    """KKK-S1-17: in the application's table 4 an unknown distance reads "nieznana", not 0."""
    from django.template.loader import render_to_string
    from django.utils import translation

    table = {
        "id": "4",
        "label": "Tabela 4",
        "columns": [
            {"key": "name", "label": "Nazwa", "type": "text", "required": True, "max": None},
            {
                "key": "distance_km",
                "label": "Odległość",
                "type": "dec",
                "required": True,
                "max": None,
            },
        ],
        "rows": [
            {"ref": "m001", "name": "Firma", "distance_km": None},
            {"ref": "m000", "name": "Koordynator", "distance_km": "0"},
        ],
    }
    with translation.override("pl"):
        html = render_to_string(
            "kkk/_sections.html",
            {"sections": [{"no": "4", "title": "Członkowie", "items": [table]}]},
        )
    first, second = html.split("<tr id=")[1:3]
    assert ">nieznana</span>" in first and ">0<" not in first
    assert ">0<" in second
