"""The lending queue's pages (AID-4, AID-5): what the office and the representatives see and do,
refusals that change nothing, and bounded queries on the lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from klaster.aid.models import Application, ApplicationDocument, Contract, Equipment, Ranking
from tests.aid.test_lending import ContractFactory, complete_app, paper_set
from tests.factories import (
    AidApplicationFactory,
    EquipmentFactory,
    NotificationEmailFactory,
    PriceListFactory,
)
from tests.governance.conftest import smtp  # noqa: F401 — the real local SMTP server fixture

W = ZoneInfo("Europe/Warsaw")
D = dt.date
NOW = dt.datetime(2026, 12, 4, 9, 41, 37, tzinfo=W)


@pytest.fixture
def mail(request):
    from tests.governance.conftest import Delivered

    return Delivered(request.getfixturevalue("smtp"))  # notices go through the outbox


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def printer(world):
    eq = EquipmentFactory(cluster=world.alfa, name="Drukarka 3D Ultimaker S5")
    PriceListFactory(equipment=eq, valid_from=D(2026, 1, 1))
    return eq


def url(name, **kw):
    from django.urls import reverse

    return reverse(name, kwargs={"slug": "alfa", **kw})


def text(response) -> str:
    return response.content.decode()


# -- AID-4: filing and the checklist ------------------------------------------------------------


def test_aid_4_a_representative_files_for_its_member_stamped_to_the_minute(
    world, printer, now, client_for
):
    member = client_for("member")
    page = member.post(
        url("aid_application_new"),
        {
            "member": world.member_a.pk,
            "equipment": printer.pk,
            "start": "2027-01-11",
            "end": "2027-01-22",
            "purpose": "Prototyp obudowy",
            # a representative cannot set its own arrival: ignored
            "arrived_at": "2026-01-01T08:00",
        },
        follow=True,
    )
    app = Application.objects.get()
    assert app.member == world.member_a and app.arrived_at == NOW
    body = text(page)
    assert "04.12.2026 09:41" in body
    assert "Zarejestrowano wniosek z datą wpływu 04.12.2026 09:41." in body
    # the checklist shows what is missing, in Polish
    assert "Podpisany regulamin z oświadczeniem o akceptacji: nie wpłynął." in body


def test_aid_4_a_representative_cannot_file_for_another_member(world, printer, now, client_for):
    page = client_for("member").post(
        url("aid_application_new"),
        {
            "member": world.member_b.pk,
            "equipment": printer.pk,
            "start": "2027-01-11",
            "end": "2027-01-22",
        },
    )
    assert page.status_code == 200 and Application.objects.count() == 0
    assert "errorlist" in text(page)


def test_aid_4_the_office_registers_a_paper_application_with_the_moment_it_came(
    world, printer, now, client_for
):
    office = client_for("office")
    office.post(
        url("aid_application_new"),
        {
            "member": world.member_b.pk,
            "equipment": printer.pk,
            "start": "2027-01-11",
            "end": "2027-01-22",
            "arrived_at": "2026-12-03T15:05",
        },
    )
    app = Application.objects.get()
    assert app.arrived_at == dt.datetime(2026, 12, 3, 15, 5, tzinfo=W)
    # a bad period: the field named, nothing written
    page = office.post(
        url("aid_application_new"),
        {
            "member": world.member_b.pk,
            "equipment": printer.pk,
            "start": "2027-01-22",
            "end": "2027-01-11",
            "arrived_at": "2026-12-03T15:05",
        },
    )
    assert "Okres korzystania kończy się przed swoim początkiem." in text(page)
    assert Application.objects.count() == 1


def test_aid_4_the_office_records_documents_and_the_checklist_says_why(
    world, printer, now, client_for
):
    app = AidApplicationFactory(
        member=world.member_a, equipment=printer, arrived_at=dt.datetime(2026, 12, 1, 9, tzinfo=W)
    )
    office = client_for("office")
    page = office.post(
        url("aid_document_add", application_id=app.pk),
        {"kind": "annex1", "form": "electronic", "received_on": "2026-12-02"},
        follow=True,
    )
    assert "wyłącznie drogą elektroniczną" in text(page)
    # the extract without its day of issue: refused naming the field, nothing written
    page = office.post(
        url("aid_document_add", application_id=app.pk),
        {"kind": "extract", "form": "printout", "received_on": "2026-12-02"},
        follow=True,
    )
    assert "Data wydania (odpis): Podaj datę wydania odpisu." in text(page)
    assert app.documents.count() == 1
    # an old extract: the cut-off day shown
    page = office.post(
        url("aid_document_add", application_id=app.pk),
        {
            "kind": "extract",
            "form": "printout",
            "received_on": "2026-12-02",
            "issued_on": "2026-08-31",
        },
        follow=True,
    )
    assert "wydany 01.09.2026 lub później" in text(page)
    paper_set(app)
    doc = app.documents.filter(form="electronic").get()
    office.post(url("aid_document_remove", application_id=app.pk, document_id=doc.pk))
    office.post(
        url("aid_document_add", application_id=app.pk),
        {"kind": "rules", "form": "paper", "received_on": "2026-12-03"},
    )
    app.refresh_from_db()
    assert app.status == "complete"
    assert not ApplicationDocument.objects.filter(pk=doc.pk).exists()


def test_aid_4_the_office_tells_the_result_by_e_mail(world, printer, now, client_for, mail):
    NotificationEmailFactory(member=world.member_a, email="biuro@alfa-tech.example.pl")
    app = AidApplicationFactory(member=world.member_a, equipment=printer)
    page = client_for("office").post(
        url("aid_application_notify", application_id=app.pk), follow=True
    )
    assert "Wnioskodawcę poinformowano e-mailem na adres: biuro@alfa-tech.example.pl." in text(page)
    (envelope,) = mail.envelopes
    assert envelope.rcpt_tos == ["biuro@alfa-tech.example.pl"]
    app.refresh_from_db()
    assert app.result_sent_at == NOW
    assert "wysłano e-mailem do: biuro@alfa-tech.example.pl" in text(page)


# -- what a representative sees -------------------------------------------------------------------


def test_aid_4_a_representative_sees_other_members_only_as_days_taken(
    world, printer, now, client_for
):
    other = complete_app(
        world, world.member_b, D(2027, 2, 1), D(2027, 2, 10), NOW, equipment=printer
    )
    other.status = "chosen"
    other.save()
    received = AidApplicationFactory(member=world.member_b, equipment=printer)
    own = AidApplicationFactory(member=world.member_a, equipment=printer)
    member = client_for("member")
    body = text(member.get(url("aid_lending")))
    assert world.member_b.name not in body
    assert "zajęte 01.02.2027–10.02.2027" in body
    assert url("aid_application", application_id=own.pk) in body
    assert url("aid_application", application_id=received.pk) not in body
    assert member.get(url("aid_application", application_id=other.pk)).status_code == 403
    # the office sees every name
    assert world.member_b.name in text(client_for("office").get(url("aid_lending")))


# -- AID-5: ranking and return through the pages -------------------------------------------------


def test_aid_5_ranking_list_through_the_pages(world, printer, now, client_for, mail):
    NotificationEmailFactory(member=world.member_a, email="biuro@alfa-tech.example.pl")
    NotificationEmailFactory(member=world.member_b, email="biuro@beta-soft.example.pl")
    a = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 12, 1, 9, tzinfo=W),
        equipment=printer,
    )
    b = complete_app(
        world,
        world.member_b,
        D(2027, 1, 15),
        D(2027, 1, 30),
        dt.datetime(2026, 12, 1, 10, tzinfo=W),
        equipment=printer,
    )
    office = client_for("office")
    # choosing one directly is refused: they compete
    page = office.post(url("aid_application_decide", application_id=a.pk), follow=True)
    assert "sporządź dla niego listę rankingową" in text(page)
    page = office.post(
        url("aid_ranking_new"),
        {"equipment": printer.pk, "start": "2027-01-01", "end": "2027-01-31"},
        follow=True,
    )
    ranking = Ranking.objects.get()
    assert "nieocenionych: 2" in text(page)
    office.post(
        url("aid_ranking_scores", ranking_id=ranking.pk), {f"a{a.pk}": "60", f"a{b.pk}": "75,5"}
    )
    page = office.get(url("aid_ranking", ranking_id=ranking.pk))
    body = text(page)
    assert body.index(world.member_b.name) < body.index(world.member_a.name)
    a.refresh_from_db()
    assert a.status == "complete" and a.score == Decimal("60")
    # approval without the resolution: refused naming the field, nothing changed
    page = office.post(
        url("aid_ranking_approve", ranking_id=ranking.pk),
        {"approved_on": "2026-12-04", "approved_by": "Zarząd"},
        follow=True,
    )
    assert "Uchwała zarządu" in text(page)
    ranking.refresh_from_db()
    assert ranking.approved_on is None
    page = office.post(
        url("aid_ranking_approve", ranking_id=ranking.pk),
        {
            "approved_on": "2026-12-04",
            "approved_by": "Zarząd Instytutu",
            "approval_ref": "U/7/2026",
        },
        follow=True,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.status, a.status) == ("chosen", "waiting")
    assert len(mail.envelopes) == 2
    assert "U/7/2026" in text(page)


def test_aid_5_a_return_hands_the_product_to_the_next_in_line(
    world, printer, now, client_for, mail
):
    NotificationEmailFactory(member=world.member_b, email="biuro@beta-soft.example.pl")
    lent = complete_app(
        world,
        world.member_a,
        D(2027, 1, 11),
        D(2027, 1, 22),
        dt.datetime(2026, 11, 1, 9, tzinfo=W),
        equipment=printer,
    )
    lent.status = "contracted"
    lent.save()
    contract = ContractFactory(application=lent, signed_on=D(2026, 12, 1))
    waiting = complete_app(
        world,
        world.member_b,
        D(2027, 1, 15),
        D(2027, 1, 20),
        dt.datetime(2026, 12, 2, 9, tzinfo=W),
        equipment=printer,
    )
    office = client_for("office")
    office.post(url("aid_application_decide", application_id=waiting.pk))
    waiting.refresh_from_db()
    assert waiting.status == "waiting"
    mail.envelopes.clear()
    # a return dated before the signing: refused naming the field
    page = office.post(
        url("aid_return", contract_id=contract.pk),
        {f"r{contract.pk}-returned_on": "2026-11-30", "next": "equipment"},
        follow=True,
    )
    assert "Data zwrotu: Produktu nie można zwrócić przed podpisaniem umowy." in text(page)
    page = office.post(
        url("aid_return", contract_id=contract.pk),
        {f"r{contract.pk}-returned_on": "2026-12-04", "next": "equipment"},
        follow=True,
    )
    contract.refresh_from_db()
    waiting.refresh_from_db()
    assert contract.status == Contract.Status.RETURNED
    assert waiting.status == "chosen"
    assert "Następny w kolejce po zwrocie 04.12.2026" in text(page)
    (envelope,) = mail.envelopes
    assert envelope.rcpt_tos == ["biuro@beta-soft.example.pl"]


# -- the catalogue ---------------------------------------------------------------------------------


def test_aid_4_the_office_adds_a_product_and_a_stale_edit_is_refused(world, now, client_for):
    office = client_for("office")
    office.post(url("aid_equipment_new"), {"name": "Skaner 3D", "active": "on"})
    eq = Equipment.objects.get(name="Skaner 3D")
    form = office.get(url("aid_equipment_edit", equipment_id=eq.pk))
    import re

    version = re.search(r'name="version" value="([^"]+)"', text(form)).group(1)
    office.post(
        url("aid_equipment_edit", equipment_id=eq.pk),
        {"name": "Skaner 3D Artec", "active": "on", "version": version},
    )
    page = office.post(
        url("aid_equipment_edit", equipment_id=eq.pk),
        {"name": "Skaner Einscan", "active": "on", "version": version},
    )
    assert "nic nie zapisano" in text(page).lower()
    eq.refresh_from_db()
    assert eq.name == "Skaner 3D Artec"


def test_aid_6_a_price_list_before_a_signed_contract_is_refused_on_the_page(
    world, printer, now, client_for
):
    lent = AidApplicationFactory(member=world.member_a, equipment=printer, status="contracted")
    ContractFactory(application=lent, signed_on=D(2026, 12, 1))
    office = client_for("office")
    page = office.post(
        url("aid_price_new", equipment_id=printer.pk),
        {
            "valid_from": "2026-11-01",
            "upkeep_fee_per_day": "25,00",
            "lending_fee_per_day": "35,00",
            "aid_per_day": "420,00",
        },
        follow=True,
    )
    assert "Umowę na ten produkt podpisano 01.12.2026 według obowiązującego wtedy cennika" in (
        text(page)
    )
    assert printer.prices.count() == 1


# -- query counts ----------------------------------------------------------------------------------


def _fill(world, products: int, per_product: int, first: int = 0) -> list[Equipment]:
    out = []
    for i in range(first, first + products):
        eq = EquipmentFactory(cluster=world.alfa, name=f"Produkt {i}")
        PriceListFactory(equipment=eq, valid_from=D(2026, 1, 1))
        for j in range(per_product):
            AidApplicationFactory(
                member=world.member_a if j % 2 else world.member_b,
                equipment=eq,
                start=D(2027, 1, 1) + dt.timedelta(days=10 * j),
                end=D(2027, 1, 5) + dt.timedelta(days=10 * j),
                status="chosen" if j % 3 == 0 else "received",
            )
        out.append(eq)
    return out


@pytest.mark.parametrize("persona", ["office", "member"])
def test_aid_4_the_catalogue_reads_in_a_fixed_number_of_queries(
    world, now, client_for, django_assert_max_num_queries, persona
):
    _fill(world, 2, 2)
    client = client_for(persona)
    client.get(url("aid_lending"))
    with django_assert_max_num_queries(12):
        small = client.get(url("aid_lending"))
    _fill(world, 6, 8, first=2)
    with django_assert_max_num_queries(12):
        big = client.get(url("aid_lending"))
    assert small.status_code == big.status_code == 200
    assert "Produkt 7" in text(big)


def test_aid_4_a_products_queue_and_an_application_read_in_few_queries(
    world, now, client_for, django_assert_max_num_queries
):
    (eq,) = _fill(world, 1, 12)
    app = eq.applications.filter(member=world.member_a).first()
    paper_set(app)
    office = client_for("office")
    office.get(url("aid_equipment", equipment_id=eq.pk))
    with django_assert_max_num_queries(14):
        assert office.get(url("aid_equipment", equipment_id=eq.pk)).status_code == 200
    with django_assert_max_num_queries(16):
        assert office.get(url("aid_application", application_id=app.pk)).status_code == 200


def test_aid_5_a_ranking_list_reads_in_a_fixed_number_of_queries(
    world, printer, now, client_for, django_assert_max_num_queries
):
    from klaster.aid import services_lending as services
    from tests.factories import MemberFactory

    members = [MemberFactory(cluster=world.alfa) for _ in range(8)]
    apps = [
        complete_app(
            world,
            m,
            D(2027, 1, 1 + i),
            D(2027, 1, 10 + i),
            NOW - dt.timedelta(hours=i),
            equipment=printer,
        )
        for i, m in enumerate(members)
    ]
    ranking = services.ranking_create(
        cluster=world.alfa, equipment=printer, start=D(2027, 1, 1), end=D(2027, 1, 31), user=None
    )
    services.ranking_scores(
        ranking=ranking, scores={a.pk: Decimal(i) for i, a in enumerate(apps)}, user=None
    )
    office = client_for("office")
    with django_assert_max_num_queries(14):
        page = office.get(url("aid_ranking", ranking_id=ranking.pk))
    assert page.status_code == 200 and members[7].name in text(page)


def test_aid_5_a_chosen_application_links_to_the_contract_signing(world, printer, now, client_for):
    from django.urls import NoReverseMatch

    app = complete_app(
        world, world.member_a, D(2027, 1, 11), D(2027, 1, 22), NOW, equipment=printer
    )
    client_for("office").post(url("aid_application_decide", application_id=app.pk))
    body = text(client_for("office").get(url("aid_application", application_id=app.pk)))
    try:
        signing = url("aid_contract_new", application_id=app.pk)
    except NoReverseMatch:  # the contracts' pages not there: no link
        assert "Podpisz umowę" not in body
    else:
        assert f'href="{signing}"' in body
    # the representative sees its application chosen, but no office buttons
    own = text(client_for("member").get(url("aid_application", application_id=app.pk)))
    assert "wybrany" in own.lower() and "Podpisz umowę" not in own
