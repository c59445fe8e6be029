"""SHRIMP reporting of the cluster's own grants (AID-8; issue 11 point 7): due within 7 calendar
days of the day of grant (art. 32 ust. 1 ustawy o postępowaniu w sprawach dotyczących pomocy
publicznej), corrections and voidings as their own records, the data sheet, the "reported" form,
the XLSX of the grants to report and the reminder to apply for SHRIMP access."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import factory
import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from klaster.aid import selectors_shrimp as selectors
from klaster.aid import views_shrimp
from klaster.aid.models import Contract, Grant
from tests.factories import (
    AidApplicationFactory,
    AidSettingsFactory,
    ClusterFactory,
    GrantFactory,
    MemberFactory,
    UndertakingFactory,
    UserFactory,
    grant,
)

pytestmark = pytest.mark.django_db

D = dt.date
DAY = D(2026, 12, 1)


class ContractFactory(factory.django.DjangoModelFactory):
    """A signed lending contract over an application and its own grant (AID-6)."""

    class Meta:
        model = Contract

    application = factory.SubFactory(AidApplicationFactory, status="chosen")
    cluster = factory.LazyAttribute(lambda o: o.application.cluster)
    number = factory.Sequence(lambda n: f"UM/{n + 1}/2026")
    signed_on = DAY
    start = D(2027, 1, 11)
    end = D(2027, 1, 22)
    upkeep_fee = Decimal("100.00")
    lending_fee = Decimal("0.00")
    aid_pln = Decimal("4250.00")
    grant = factory.LazyAttribute(
        lambda o: GrantFactory(
            undertaking=UndertakingFactory(member=o.application.member),
            source="contract",
            granted_on=o.signed_on,
            amount_pln=o.aid_pln,
            amount_eur=Decimal("1000.00"),
            certificate_no="ZDM/1/2026",
        )
    )


@pytest.fixture
def cluster():
    return ClusterFactory(slug="alfa")


@pytest.fixture
def office(cluster, client):
    user = UserFactory(username="biuro")
    grant(user, cluster, "office")
    client.force_login(user)
    return client


def own(cluster, day=DAY, **kw) -> Contract:
    member = MemberFactory(cluster=cluster)
    return ContractFactory(application__member=member, signed_on=day, **kw)


def at(monkeypatch, day):
    monkeypatch.setattr(views_shrimp, "_today", lambda: day)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 1), "due"),  # the day of grant
        (D(2026, 12, 7), "due"),  # day 6
        (D(2026, 12, 8), "due"),  # day 7: the last day
        (D(2026, 12, 9), "overdue"),  # day 8
        (D(2027, 1, 15), "overdue"),
    ],
)
def test_aid_8_seven_day_boundary(cluster, today, expected):
    c = own(cluster)
    assert selectors.deadline(c.grant.granted_on) == D(2026, 12, 8)
    (row,) = selectors.rows(cluster, today)
    assert row.state == expected
    assert row.days_left == (D(2026, 12, 8) - today).days


def test_aid_8_a_reported_grant_is_no_longer_due_even_late(cluster):
    c = own(cluster)
    Grant.objects.filter(pk=c.grant.pk).update(reported_on=D(2026, 12, 20), reported_ref="X")
    (row,) = selectors.rows(cluster, D(2027, 1, 1))
    assert row.state == "reported"
    assert selectors.unreported(cluster, D(2027, 1, 1)) == []


def test_aid_8_only_own_grants_are_listed_overdue_first(cluster):
    late = own(cluster, D(2026, 11, 2))
    fresh = own(cluster, D(2026, 12, 3))
    GrantFactory(undertaking=UndertakingFactory(cluster=cluster))  # another body's, imported
    other = ClusterFactory(slug="beta")
    own(other)
    got = [r.grant.pk for r in selectors.rows(cluster, D(2026, 12, 4))]
    assert got == [late.grant.pk, fresh.grant.pk]


def test_aid_8_a_correction_is_its_own_record_to_report(cluster):
    c = own(cluster)
    Grant.objects.filter(pk=c.grant.pk).update(reported_on=D(2026, 12, 2), reported_ref="A")
    fix = GrantFactory(
        undertaking=c.grant.undertaking,
        source="contract",
        kind="correction",
        supersedes=c.grant,
        granted_on=D(2026, 12, 3),
        certificate_no="ZDM/2/2026",
    )
    rows = selectors.rows(cluster, D(2026, 12, 4))
    assert [(r.grant.pk, r.state) for r in rows] == [(fix.pk, "due"), (c.grant.pk, "reported")]
    with translation.override("en"):
        fields = {name: value for _s, name, value in selectors.sheet(fix)}
    assert fields["Corrects"] == "ZDM/1/2026"
    assert fields["Day of grant"] == "03.12.2026"


def test_aid_8_the_sheet_shows_the_beneficiary_and_values(cluster, office, monkeypatch):
    AidSettingsFactory(cluster=cluster)
    c = own(cluster)
    at(monkeypatch, D(2026, 12, 4))
    page = office.get(reverse("aid_shrimp_sheet", kwargs={"slug": "alfa", "grant_id": c.grant.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert c.grant.undertaking.nip in body and c.grant.undertaking.name in body
    assert "4 250,00" in body and "Instytut Doradztwa" in body
    assert "08.12.2026" in body


def _report(office, g, day, ref="SHRIMP/2026/1"):
    return office.post(
        reverse("aid_shrimp_reported", kwargs={"slug": "alfa", "grant_id": g.pk}),
        {"reported_on": day, "reported_ref": ref},
    )


def test_aid_8_reporting_sets_the_day_and_reference_once(cluster, office, monkeypatch):
    c = own(cluster)
    at(monkeypatch, D(2026, 12, 4))
    assert _report(office, c.grant, "2026-12-03").status_code == 302
    c.grant.refresh_from_db()
    assert (c.grant.reported_on, c.grant.reported_ref) == (D(2026, 12, 3), "SHRIMP/2026/1")
    _report(office, c.grant, "2026-12-04", "INNE")
    c.grant.refresh_from_db()
    assert (c.grant.reported_on, c.grant.reported_ref) == (D(2026, 12, 3), "SHRIMP/2026/1")


@pytest.mark.parametrize(
    ("day", "ref"), [("2026-11-30", "R"), ("2026-12-05", "R"), ("", "R"), ("2026-12-02", "")]
)
def test_aid_8_a_bad_report_changes_nothing(cluster, office, monkeypatch, day, ref):
    c = own(cluster)
    at(monkeypatch, D(2026, 12, 4))
    response = _report(office, c.grant, day, ref)
    c.grant.refresh_from_db()
    assert c.grant.reported_on is None and c.grant.reported_ref == ""
    page = office.get(response["Location"])
    assert any(m.level_tag == "error" for m in page.context["messages"])


def test_aid_8_an_imported_grant_has_no_sheet(cluster, office):
    g = GrantFactory(undertaking=UndertakingFactory(cluster=cluster))
    url = reverse("aid_shrimp_sheet", kwargs={"slug": "alfa", "grant_id": g.pk})
    assert office.get(url).status_code == 404


def test_aid_8_another_clusters_grant_is_not_found(cluster, office):
    c = own(ClusterFactory(slug="beta"))
    url = reverse("aid_shrimp_sheet", kwargs={"slug": "alfa", "grant_id": c.grant.pk})
    assert office.get(url).status_code == 404
    assert _report(office, c.grant, "2026-12-02").status_code == 404


def test_aid_8_export_opens_with_the_grants_to_report(cluster, office, monkeypatch):
    a = own(cluster)
    b = own(cluster, D(2026, 12, 2))
    Grant.objects.filter(pk=b.grant.pk).update(reported_on=D(2026, 12, 3), reported_ref="R")
    at(monkeypatch, D(2026, 12, 4))
    response = office.get(reverse("aid_shrimp_export", kwargs={"slug": "alfa"}))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert len(values) == 2  # the header and the one unreported grant
    assert a.grant.undertaking.nip in values[1]
    assert b.grant.undertaking.nip not in values[1]


@pytest.mark.parametrize(
    ("access_since", "with_contract", "shown"),
    [(None, True, True), (D(2026, 1, 5), True, False), (None, False, False)],
)
def test_aid_8_reminder_to_apply_for_shrimp_access(
    cluster, office, access_since, with_contract, shown
):
    AidSettingsFactory(cluster=cluster, shrimp_access_since=access_since)
    if with_contract:
        own(cluster)
    page = office.get(reverse("aid_shrimp", kwargs={"slug": "alfa"}))
    assert page.context["reminder"] is shown


def test_aid_8_reminder_for_a_chosen_application_before_any_contract(cluster):
    AidApplicationFactory(member=MemberFactory(cluster=cluster), status="chosen")
    assert views_shrimp.needs_access_reminder(cluster)


def test_aid_8_the_list_reads_a_bounded_number_of_queries(
    cluster, office, monkeypatch, django_assert_max_num_queries
):
    for i in range(8):
        c = own(cluster, D(2026, 11, 20 + i))
        if i % 3 == 0:
            Grant.objects.filter(pk=c.grant.pk).update(reported_on=D(2026, 12, 1))
    at(monkeypatch, D(2026, 12, 4))
    with django_assert_max_num_queries(14):
        page = office.get(reverse("aid_shrimp", kwargs={"slug": "alfa"}))
    assert len(page.context["open"]) == 5 and len(page.context["reported"]) == 3


# -- settings (AID-6, AID-8) ---------------------------------------------------------------------

SETTINGS = {
    "grantor_name": "Klaster Alfa sp. z o.o.",
    "grantor_nip": "6793994090",
    "grantor_address": "ul. Rynek 1, 31-001 Kraków",
    "legal_basis": "Regulamin, § 3",
    "project": "",
    "signatory_name": "Anna Nowak",
    "signatory_role": "Prezes",
    "shrimp_access_since": "2026-11-02",
}


def _settings_url():
    return reverse("aid_settings", kwargs={"slug": "alfa"})


def test_aid_8_settings_are_created_then_edited_with_the_shown_version(cluster, office):
    from klaster.aid.models import AidSettings

    assert office.post(_settings_url(), SETTINGS).status_code == 302
    row = AidSettings.objects.get(cluster=cluster)
    assert row.shrimp_access_since == D(2026, 11, 2)
    page = office.get(_settings_url())
    version = page.context["form"].initial["version"]
    changed = {**SETTINGS, "signatory_name": "Jan Kowalski", "version": version}
    assert office.post(_settings_url(), changed).status_code == 302
    row.refresh_from_db()
    assert row.signatory_name == "Jan Kowalski"


def test_aid_8_settings_refuse_a_bad_nip_and_change_nothing(cluster, office):
    from klaster.aid.models import AidSettings

    page = office.post(_settings_url(), {**SETTINGS, "grantor_nip": "1234567890"})
    assert page.status_code == 200
    assert "grantor_nip" in page.context["form"].errors
    assert not AidSettings.objects.filter(cluster=cluster).exists()


def test_aid_8_settings_refuse_a_stale_form(cluster, office):
    row = AidSettingsFactory(cluster=cluster)
    version = office.get(_settings_url()).context["form"].initial["version"]
    from klaster.aid.models import AidSettings

    AidSettings.objects.filter(pk=row.pk).update(signatory_name="Ktoś Inny")
    stale = {**SETTINGS, "signatory_name": "Jan Kowalski", "version": version}
    page = office.post(_settings_url(), stale)
    assert page.status_code == 200
    assert page.context["form"].non_field_errors()
    row.refresh_from_db()
    assert row.signatory_name == "Ktoś Inny"


def test_aid_8_the_sheet_gives_the_members_size_class_and_pkd(
    cluster, django_assert_max_num_queries
):
    """SHRIMP asks the beneficiary's size and the PKD class of the activity: the register gives
    the member's size class (MEM-1) and its main PKD class as the office's starting point."""
    small = own(cluster)
    member = small.grant.undertaking.member
    type(member).objects.filter(pk=member.pk).update(type="small", pkd_codes=["62.01.Z", "70.22.Z"])
    institution = own(cluster, D(2026, 12, 2))
    m2 = institution.grant.undertaking.member
    type(m2).objects.filter(pk=m2.pk).update(type="iob", pkd_codes=[])
    with translation.override("pl"):
        rows = selectors.rows(cluster, D(2026, 12, 4))
        with django_assert_max_num_queries(2):  # the rows' members come with them
            sheets = {r.grant.pk: {n: v for _s, n, v in selectors.sheet(r.grant)} for r in rows}
    first, second = sheets[small.grant.pk], sheets[institution.grant.pk]
    assert first["Wielkość przedsiębiorcy"] == "mały przedsiębiorca"
    assert first["PKD działalności"] == "62.01"
    assert second["Wielkość przedsiębiorcy"] == "" and second["PKD działalności"] == ""
