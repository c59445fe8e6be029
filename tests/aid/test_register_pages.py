"""The register's pages and services (AID-1, AID-3; issue 11 points 2 and 3): undertakings and
dated links, corrections and voidings as new grants, certificates imported from CSV or XLSX with
a preview and all or nothing, a member's used aid and headroom on a day with its graph and
timeline — each from the engine's one path."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook

from klaster.aid import register
from klaster.aid.models import ControlLink, Grant, ImportBatch, RateSeries, Undertaking
from tests.factories import (
    ControlLinkFactory,
    GrantFactory,
    KlasterFactory,
    RateTableFactory,
    UndertakingFactory,
    valid_nip,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 16)


class RateSeriesFactory(KlasterFactory):
    class Meta:
        model = RateSeries

    complete_through = DAY


@pytest.fixture
def rates():
    RateTableFactory(date=dt.date(2021, 1, 4), mid=Decimal("4.0000"))
    RateTableFactory(date=DAY, mid=Decimal("4.2500"))
    RateSeriesFactory()


HEADER = "NIP beneficjenta;Nazwa beneficjenta;Organ udzielający;NIP organu;Rozporządzenie;Dzień udzielenia;Wartość brutto PLN;Wartość EUR;Numer zaświadczenia"


def csv_bytes(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_aid_1_a_link_overlapping_another_between_the_same_two_is_refused(world):
    office = world.users["office"]
    a = UndertakingFactory(cluster=world.alfa)
    b = UndertakingFactory(cluster=world.alfa)
    register.link_add(
        cluster=world.alfa,
        user=office,
        parent=a,
        child=b,
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 12, 31),
        basis="a",
    )
    with pytest.raises(ValidationError) as refused:
        register.link_add(
            cluster=world.alfa,
            user=office,
            parent=a,
            child=b,
            start=dt.date(2021, 12, 31),
            end=None,
            basis="b",
        )
    assert "start" in refused.value.message_dict
    register.link_add(
        cluster=world.alfa,
        user=office,
        parent=a,
        child=b,
        start=dt.date(2022, 1, 1),
        end=None,
        basis="b",
    )
    with pytest.raises(ValidationError):
        register.link_add(
            cluster=world.alfa, user=office, parent=a, child=a, start=DAY, end=None, basis="a"
        )
    with pytest.raises(ValidationError):
        register.link_add(
            cluster=world.alfa,
            user=office,
            parent=b,
            child=a,
            start=DAY,
            end=DAY - dt.timedelta(1),
            basis="a",
        )
    assert ControlLink.objects.filter(cluster=world.alfa).count() == 2


def test_aid_3_a_correction_and_a_voiding_are_new_rows_and_the_old_stays(world):
    office = world.users["office"]
    g = GrantFactory(
        undertaking=UndertakingFactory(cluster=world.alfa), amount_eur=Decimal("5000.00")
    )
    with pytest.raises(ValidationError):
        register.grant_supersede(grant=g, user=office, reason=" ", amount_eur=Decimal("1.00"))
    c = register.grant_supersede(
        grant=g, user=office, reason="Błąd w kwocie", amount_pln=None, amount_eur=Decimal("6000.00")
    )
    g.refresh_from_db()
    assert g.amount_eur == Decimal("5000.00") and c.supersedes_id == g.pk and c.kind == "correction"
    with pytest.raises(ValidationError):
        register.grant_supersede(
            grant=g, user=office, reason="Drugi raz", amount_eur=Decimal("1.00")
        )
    v = register.grant_supersede(
        grant=c, user=office, reason="Zaświadczenie unieważnione", void=True
    )
    assert v.kind == "void" and Grant.objects.filter(undertaking=g.undertaking).count() == 3


def test_aid_1_certificates_import_previews_then_writes_all_or_nothing(world, client_for, rates):
    member_nip = world.member_a.nip
    other = valid_nip(777001)
    good = csv_bytes(
        f"{member_nip};Alfa-Tech sp. z o.o.;Powiatowy Urząd Pracy;;2023/2831;2024-05-22;10000,00;;PUP/1/2024",
        f"PL{other[:3]}-{other[3:6]}-{other[6:8]}-{other[8:]};Obca sp. z o.o.;Gmina Zgierz;;1407/2013;01.03.2022;;2500.50;G/7",
    )
    client = client_for("office")
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(
        reverse("aid_import", args=["alfa"]), {"file": SimpleUploadedFile("z.csv", good)}
    )
    html = preview.content.decode()
    assert preview.status_code == 200 and "Obca sp. z o.o." in html
    assert not Grant.objects.exists()  # the preview writes nothing
    digest = register.parse_certificates(world.alfa, good, "z.csv").digest
    payload = {
        "confirm": "1",
        "payload": base64.b64encode(good).decode(),
        "filename": "z.csv",
        "digest": digest,
    }
    client.post(reverse("aid_import", args=["alfa"]), payload)
    assert Grant.objects.filter(cluster=world.alfa).count() == 2
    assert Undertaking.objects.get(cluster=world.alfa, nip=member_nip).member == world.member_a
    assert Undertaking.objects.filter(cluster=world.alfa, nip=other).exists()
    # the same file again, and a stale preview, change nothing
    client.post(reverse("aid_import", args=["alfa"]), payload)
    client.post(reverse("aid_import", args=["alfa"]), {**payload, "digest": "0" * 64})
    assert Grant.objects.count() == 2 and ImportBatch.objects.count() == 1


def test_aid_1_an_import_with_one_bad_row_names_it_and_writes_nothing(world):
    bad = csv_bytes(
        f"{world.member_a.nip};A;PUP;;2023/2831;2024-05-22;100,00;;",
        "1234567890;B;PUP;;2023/2831;2024-13-01;-5;;",
        f"{world.member_b.nip};C;PUP;;717/2099;2024-05-22;;;",
    )
    parsed = register.parse_certificates(world.alfa, bad, "bad.csv")
    text = " ".join(parsed.errors)
    assert "Wiersz 3" in text or "Row 3" in text
    assert "NIP beneficjenta" in text and "Dzień udzielenia" in text and "Rozporządzenie" in text
    with pytest.raises(ValidationError):
        register.import_certificates(
            cluster=world.alfa,
            user=world.users["office"],
            data=bad,
            filename="bad.csv",
            digest=parsed.digest,
        )
    assert not Grant.objects.exists() and not Undertaking.objects.exists()


def test_aid_1_an_xlsx_of_certificates_is_read_like_a_csv(world):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    ws.append(
        [
            world.member_a.nip,
            "Alfa",
            "PUP",
            None,
            "2023/2831",
            dt.date(2024, 5, 22),
            1000.5,
            None,
            "X/1",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    parsed = register.parse_certificates(world.alfa, out.getvalue(), "c.xlsx")
    assert parsed.errors == [] and parsed.rows[0]["date"] == dt.date(2024, 5, 22)
    assert parsed.rows[0]["pln"] == Decimal("1000.5")


def test_aid_3_the_member_page_shows_headroom_in_eur_and_pln_the_graph_and_the_window(
    world, client_for, rates
):
    u = UndertakingFactory(member=world.member_a)
    parent = UndertakingFactory(cluster=world.alfa, name="Holding Alfa S.A.")
    ControlLinkFactory(parent=parent, child=u, start=dt.date(2020, 1, 1))
    GrantFactory(
        undertaking=parent, amount_eur=Decimal("100000.00"), granted_on=dt.date(2024, 5, 1)
    )
    url = reverse("aid_member", args=["alfa", world.member_a.pk]) + f"?on={DAY}"
    html = client_for("member").get(url).content.decode()
    assert "Holding Alfa S.A." in html and "<svg" in html
    assert "100000,00 EUR" in html or "100000.00 EUR" in html
    assert "200000,00 EUR" in html  # headroom under 2023/2831
    assert re.search(r"850\s000,00", html)  # × 4.25, in PLN (spaces may be non-breaking)
    assert client_for("proxy").get(url).status_code == 403


def test_aid_2_the_member_page_says_why_there_is_no_answer_without_a_rate(world, client_for):
    UndertakingFactory(member=world.member_a)
    url = reverse("aid_member", args=["alfa", world.member_a.pk]) + f"?on={DAY}"
    html = client_for("office").get(url).content.decode()
    assert "NBP" in html and "zł" not in html.split("Rozporządzenie 2023/2831")[-1][:200]


def test_the_register_list_reads_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("office")
    UndertakingFactory(cluster=world.alfa)
    client.get(reverse("aid_home", args=["alfa"]))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("aid_home", args=["alfa"]))
    for _n in range(15):
        GrantFactory(undertaking=UndertakingFactory(cluster=world.alfa))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("aid_home", args=["alfa"]))


def test_aid_1_certificates_import_through_the_api_with_the_files_digest(world, client_for, rates):
    """The API's import of certificates: the file in base64 and its SHA-256 (what the preview
    page carries), JSON — the same all-or-nothing write."""
    import hashlib
    import json

    good = csv_bytes(
        f"{world.member_a.nip};Alfa-Tech sp. z o.o.;Powiatowy Urząd Pracy;;2023/2831;2024-05-22;10000,00;;PUP/1/2024",
    )
    body = {
        "confirm": "1",
        "payload": base64.b64encode(good).decode(),
        "filename": "z.csv",
        "digest": hashlib.sha256(good).hexdigest(),
    }
    url = "/api/actions" + reverse("aid_import", args=["alfa"])
    office = client_for("office")
    done = office.post(url, data=json.dumps(body), content_type="application/json")
    assert done.status_code == 200, done.content
    assert done.json()["detail"] == "Zaimportowano pozycje pomocy: 1."
    assert Grant.objects.filter(cluster=world.alfa).count() == 1
    stale = office.post(
        url, data=json.dumps({**body, "digest": "0" * 64}), content_type="application/json"
    )
    assert stale.status_code == 400 and Grant.objects.count() == 1
