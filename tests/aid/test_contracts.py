"""Lending contracts, grants at signing and certificates (AID-2, AID-3, AID-6, AID-8; issue 11
point 6): the price list in force gives fees and aid, the day of signing is the day of grant with
the NBP rate of that day, the grant only when the engine's verdict allows it (refused whole),
numbers without gaps, corrections and voidings as new records, the certificate as PDF."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import factory
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.aid import engine, pdf
from klaster.aid import services_contracts as services
from klaster.aid.models import (
    Application,
    Certificate,
    Contract,
    Counter,
    Grant,
    RateSeries,
    Undertaking,
)
from klaster.core.say import say
from klaster.rules.aid.check import AidRefused, to_eur
from tests.factories import (
    AidApplicationFactory,
    AidSettingsFactory,
    ClusterFactory,
    ControlLinkFactory,
    EquipmentFactory,
    GrantFactory,
    MemberFactory,
    PriceListFactory,
    RateTableFactory,
    UndertakingFactory,
)
from tests.kkk.pdftext import pdf_text

pytestmark = pytest.mark.django_db

D = dt.date
SIGN = D(2026, 12, 2)
MID = Decimal("4.2500")


class RateSeriesFactory(factory.django.DjangoModelFactory):
    """The one row saying through which day the stored NBP series is complete (AID-2)."""

    class Meta:
        model = RateSeries

    complete_through = dt.date(2026, 12, 3)
    source = "test"


class Setup:
    def __init__(self, cluster, member, equipment, application, settings):
        self.cluster = cluster
        self.member = member
        self.equipment = equipment
        self.application = application
        self.settings = settings


THROUGH = D(2026, 12, 3)
START, END = D(2027, 1, 11), D(2027, 1, 22)


def rates(through=THROUGH):
    RateTableFactory(date=D(2026, 12, 1), number="232/A/NBP/2026", mid=MID)
    RateSeriesFactory(complete_through=through)


def chosen(member, equipment, start=START, end=END) -> Application:
    return AidApplicationFactory(
        member=member, equipment=equipment, start=start, end=end, status="chosen"
    )


@pytest.fixture
def s() -> Setup:
    cluster = ClusterFactory(slug="alfa")
    settings = AidSettingsFactory(cluster=cluster)
    member = MemberFactory(cluster=cluster, name="Alfa-Tech sp. z o.o.", street="ul. Lipowa 3")
    equipment = EquipmentFactory(cluster=cluster, name="Drukarka 3D")
    PriceListFactory(equipment=equipment, valid_from=D(2024, 1, 1))
    rates()
    return Setup(cluster, member, equipment, chosen(member, equipment), settings)


def sign(s, day=SIGN, **kw) -> Contract:
    return services.sign_contract(application=s.application, signed_on=day, user=None, **kw)


def counts():
    return (
        Contract.objects.count(),
        Grant.objects.count(),
        Certificate.objects.count(),
        Undertaking.objects.count(),
        list(Counter.objects.values_list("series", "last")),
    )


# -- AID-6, AID-2: signing -----------------------------------------------------------------------


def test_aid_6_contract_carries_the_price_list_and_the_aid_and_issues_the_certificate(s):
    """AID-6: fees and aid per day × days of use (12 days, both ends), the grant of the day of
    signing (AID-2) with its EUR value at the NBP rate stored, and the certificate's fields."""
    contract = sign(s)
    assert contract.number == "UM/2026/1"
    assert (contract.upkeep_fee, contract.lending_fee, contract.aid_pln) == (
        Decimal("240.00"),
        Decimal("360.00"),
        Decimal("4800.00"),
    )
    grant = contract.grant
    assert grant.granted_on == SIGN == contract.signed_on
    assert grant.source == "contract" and grant.kind == "original"
    assert grant.regulation == "2023/2831"
    assert grant.body_name == s.settings.grantor_name and grant.body_nip == s.settings.grantor_nip
    assert grant.amount_pln == Decimal("4800.00")
    assert grant.amount_eur == to_eur(Decimal("4800.00"), MID) == Decimal("1129.41")
    # AID-2 Reading: no table on the 2nd, the last one before it, its number and date stored
    assert (grant.rate_table, grant.rate_date, grant.rate_mid) == (
        "232/A/NBP/2026",
        D(2026, 12, 1),
        MID,
    )
    assert grant.legal_basis == s.settings.legal_basis
    cert = grant.certificate
    assert cert.number == "ZDM/2026/1" == grant.certificate_no
    assert cert.issued_on == SIGN
    f = cert.fields
    assert f["grantor"] == {
        "name": s.settings.grantor_name,
        "address": s.settings.grantor_address,
        "nip": s.settings.grantor_nip,
    }
    assert f["beneficiary"]["nip"] == s.member.nip and f["beneficiary"]["name"] == s.member.name
    assert "Lipowa 3" in f["beneficiary"]["address"]
    assert (f["granted_on"], f["amount_pln"], f["amount_eur"]) == (
        "2026-12-02",
        "4800.00",
        "1129.41",
    )
    assert f["regulation"] == "2023/2831" and "2023/2831" in f["regulation_oj"]
    assert f["signatory"] == {"name": "Anna Nowak", "position": "Prezes Zarządu"}
    assert f["legal_basis"] == s.settings.legal_basis
    s.application.refresh_from_db()
    assert s.application.status == "contracted"


def test_aid_2_the_rate_of_the_signing_day_is_used_when_it_has_a_table(s):
    RateTableFactory(date=SIGN, number="233/A/NBP/2026", mid=Decimal("4.0000"))
    grant = sign(s).grant
    assert grant.rate_table == "233/A/NBP/2026"
    assert grant.amount_eur == Decimal("1200.00")


def test_aid_2_a_missing_rate_stops_the_signing_and_changes_nothing(s):
    RateSeries.objects.update(complete_through=D(2026, 12, 1))
    before = counts()
    with pytest.raises(AidRefused) as caught:
        sign(s)
    assert caught.value.rule_id == "AID-2"
    assert "2026-12-01" in say(caught.value.message) or "01.12.2026" in say(caught.value.message)
    assert counts() == before
    s.application.refresh_from_db()
    assert s.application.status == "chosen"


def test_aid_3_a_grant_over_the_ceiling_is_refused_whole_with_the_headroom(s):
    """AID-3: refused whole (never trimmed), the message gives the headroom in EUR and PLN."""
    u = UndertakingFactory(member=s.member)
    GrantFactory(undertaking=u, granted_on=D(2025, 3, 1), amount_eur=Decimal("299500.00"))
    before = counts()
    with pytest.raises(AidRefused) as caught:
        sign(s)
    text = say(caught.value.message)
    assert caught.value.rule_id == "AID-3"
    assert "500" in text and "2125" in text.replace(" ", "").replace("\xa0", "")  # 500 EUR × 4.25
    assert counts() == before


def test_aid_1_aid_of_the_whole_single_undertaking_counts(s):
    """AID-1: the parent firm's grant counts for the member it controls."""
    u = UndertakingFactory(member=s.member)
    parent = UndertakingFactory(cluster=s.cluster, name="Holding S.A.")
    ControlLinkFactory(parent=parent, child=u)
    GrantFactory(undertaking=parent, granted_on=D(2025, 3, 1), amount_eur=Decimal("299000.00"))
    with pytest.raises(AidRefused):
        sign(s)
    assert not Contract.objects.exists()


def test_aid_6_the_members_undertaking_is_created_from_its_data_when_missing(s):
    assert not Undertaking.objects.exists()
    contract = sign(s)
    u = contract.grant.undertaking
    assert (u.nip, u.name, u.member_id) == (s.member.nip, s.member.name, s.member.pk)


def test_aid_6_an_undertaking_with_the_members_nip_is_used_as_it_is(s):
    u = UndertakingFactory(cluster=s.cluster, nip=s.member.nip, name="Nazwa z rejestru")
    assert sign(s).grant.undertaking == u
    u.refresh_from_db()
    assert u.name == "Nazwa z rejestru" and u.member_id is None


def test_aid_6_a_member_without_a_nip_is_refused_and_nothing_is_created(s):
    s.member.nip = ""
    s.member.save()
    before = counts()
    with pytest.raises(ValidationError, match="NIP"):
        sign(s)
    assert counts() == before


def test_aid_6_without_settings_the_signing_is_refused(s):
    s.settings.delete()
    with pytest.raises(ValidationError, match="(?i)settings|ustawienia"):
        sign(s)
    assert not Contract.objects.exists()


@pytest.mark.parametrize("status", ["complete", "waiting", "refused"])
def test_aid_6_only_a_chosen_application_gets_a_contract(s, status):
    Application.objects.filter(pk=s.application.pk).update(status=status)
    with pytest.raises(ValidationError):
        sign(s)
    assert not Contract.objects.exists()


def test_aid_6_a_second_contract_for_one_application_is_refused(s):
    sign(s)
    Application.objects.filter(pk=s.application.pk).update(status="chosen")
    with pytest.raises(ValidationError):
        sign(s)
    assert Contract.objects.count() == 1


def test_aid_6_no_price_list_on_the_day_is_refused(s):
    s.equipment.prices.all().delete()
    PriceListFactory(equipment=s.equipment, valid_from=D(2026, 12, 3))
    with pytest.raises(ValidationError) as caught:
        sign(s)
    assert "signed_on" in caught.value.message_dict


def test_aid_6_a_future_day_of_signing_is_refused(s):
    with pytest.raises(ValidationError) as caught:
        sign(s, day=services.today() + dt.timedelta(days=1))
    assert "signed_on" in caught.value.message_dict


def test_aid_6_the_price_list_in_force_on_the_day_is_used(s):
    PriceListFactory(equipment=s.equipment, valid_from=D(2026, 12, 2), aid_per_day=Decimal("100"))
    assert sign(s).aid_pln == Decimal("1200.00")


def test_aid_6_numbers_run_without_gaps_a_refusal_takes_none(s):
    """Contracts UM/<year>/<seq>, certificates ZDM/<year>/<seq>; a refused signing gives its
    numbers back with its transaction."""
    first = sign(s)
    other = MemberFactory(cluster=s.cluster, nip="")
    refused = chosen(other, s.equipment, D(2027, 2, 1), D(2027, 2, 2))
    with pytest.raises(ValidationError):
        services.sign_contract(application=refused, signed_on=SIGN, user=None)
    third = MemberFactory(cluster=s.cluster)
    app = chosen(third, s.equipment, D(2027, 3, 1), D(2027, 3, 2))
    second = services.sign_contract(application=app, signed_on=SIGN, user=None)
    assert (first.number, second.number) == ("UM/2026/1", "UM/2026/2")
    assert (first.grant.certificate.number, second.grant.certificate.number) == (
        "ZDM/2026/1",
        "ZDM/2026/2",
    )


def test_aid_6_an_own_number_is_kept_and_a_taken_one_refused(s):
    assert sign(s, number="12/2026").number == "12/2026"
    other = chosen(MemberFactory(cluster=s.cluster), s.equipment, D(2027, 3, 1), D(2027, 3, 2))
    with pytest.raises(ValidationError) as caught:
        services.sign_contract(application=other, signed_on=SIGN, user=None, number="12/2026")
    assert "number" in caught.value.message_dict


def test_aid_6_a_stale_preview_is_refused(s):
    """The verdict shown must still hold at the POST: a changed price list refuses the signing."""
    seen = services.preview(s.application, SIGN).digest
    PriceListFactory(equipment=s.equipment, valid_from=D(2026, 12, 1), aid_per_day=Decimal("90"))
    before = counts()
    with pytest.raises(ValidationError, match="changed|zmieni"):
        sign(s, expected=seen)
    assert counts() == before
    fresh = services.preview(s.application, SIGN).digest
    assert sign(s, expected=fresh).aid_pln == Decimal("1080.00")


def test_aid_3_preview_shows_the_verdict_without_writing(s):
    before = counts()
    shown = services.preview(s.application, SIGN)
    assert shown.allowed and shown.verdict.amount_eur == Decimal("1129.41")
    assert shown.undertaking is None
    assert counts() == before


# -- AID-8: corrections and voidings -------------------------------------------------------------


def test_aid_8_a_correction_is_a_new_grant_and_certificate_nothing_edited(s):
    contract = sign(s)
    old = contract.grant.certificate
    old_fields = dict(old.fields)
    new = services.correct_certificate(
        certificate=old, amount_pln=Decimal("4250.00"), reason="błąd w liczbie dni", user=None
    )
    old.refresh_from_db()
    assert old.fields == old_fields and old.grant.amount_pln == Decimal("4800.00")
    assert new.supersedes == old and new.number == "ZDM/2026/2"
    assert new.grant.kind == "correction" and new.grant.supersedes == old.grant
    assert new.grant.amount_eur == Decimal("1000.00")
    assert new.fields["supersedes"]["number"] == old.number
    assert new.fields["reason"] == "błąd w liczbie dni"
    # the corrected value counts, the old one no more
    v = engine.verdict(s.cluster.pk, s.member.nip, SIGN)
    assert v.used_eur == Decimal("1000.00")
    assert services.chain(contract) == [old, new]
    with pytest.raises(ValidationError):  # only the latest one can be corrected
        services.correct_certificate(
            certificate=old, amount_pln=Decimal("1.00"), reason="x", user=None
        )


def test_aid_8_a_correction_over_the_ceiling_is_refused_whole(s):
    contract = sign(s)
    u = contract.grant.undertaking
    GrantFactory(undertaking=u, granted_on=D(2025, 3, 1), amount_eur=Decimal("298000.00"))
    before = counts()
    with pytest.raises(AidRefused) as caught:
        services.correct_certificate(
            certificate=contract.grant.certificate,
            amount_pln=Decimal("9000.00"),
            reason="wyższa wartość",
            user=None,
        )
    assert caught.value.rule_id == "AID-3"
    assert "2117" in say(caught.value.message).replace(" ", "").replace("\xa0", "")
    assert counts() == before


def test_aid_3_aid_8_a_correction_is_checked_on_the_days_of_later_grants_too(s, monkeypatch):
    """The corrected grant counts in the windows of grants given after it: it fits on its own
    day, but with a later grant to the same undertaking it would go over the ceiling then."""
    monkeypatch.setattr(services, "today", lambda: D(2026, 12, 4))
    contract = sign(s)
    u = contract.grant.undertaking
    GrantFactory(
        undertaking=u,
        granted_on=D(2026, 12, 3),
        amount_eur=Decimal("298500.00"),
        regulation="2023/2831",
    )
    before = counts()
    with pytest.raises(AidRefused) as caught:
        services.correct_certificate(
            certificate=contract.grant.certificate,
            amount_pln=Decimal("9000.00"),  # EUR 2117.65: fits on 2 December alone
            reason="wyższa wartość",
            user=None,
        )
    assert caught.value.message.code == "aid.contract.correction_later_refused"
    assert "03.12.2026" in say(caught.value.message)
    assert counts() == before
    # a correction that still fits on the later day passes
    done = services.correct_certificate(
        certificate=contract.grant.certificate,
        amount_pln=Decimal("5000.00"),  # EUR 1176.47: 299,676.47 on 3 December
        reason="wyższa wartość",
        user=None,
    )
    assert done.grant.amount_eur == Decimal("1176.47")


def test_aid_8_a_correction_needs_a_reason(s):
    contract = sign(s)
    with pytest.raises(ValidationError) as caught:
        services.correct_certificate(
            certificate=contract.grant.certificate,
            amount_pln=Decimal("1.00"),
            reason=" ",
            user=None,
        )
    assert "reason" in caught.value.message_dict


def test_aid_8_voiding_is_a_void_grant_and_a_voiding_certificate(s):
    contract = sign(s)
    cert = contract.grant.certificate
    voiding = services.void_contract(contract=contract, reason="umowa rozwiązana", user=None)
    contract.refresh_from_db()
    assert contract.status == "void"
    assert voiding.grant.kind == "void" and voiding.grant.supersedes == contract.grant
    assert voiding.supersedes == cert and voiding.fields["kind"] == "void"
    assert Grant.objects.get(pk=contract.grant.pk).amount_pln == Decimal("4800.00")
    assert engine.verdict(s.cluster.pk, s.member.nip, SIGN).used_eur == Decimal("0.00")
    with pytest.raises(ValidationError):
        services.void_contract(contract=contract, reason="again", user=None)


def test_aid_8_a_corrected_contract_is_voided_from_its_latest_certificate(s):
    contract = sign(s)
    fixed = services.correct_certificate(
        certificate=contract.grant.certificate, amount_pln=Decimal("4000"), reason="x", user=None
    )
    voiding = services.void_contract(contract=contract, reason="y", user=None)
    assert voiding.supersedes == fixed and voiding.grant.supersedes == fixed.grant
    assert engine.verdict(s.cluster.pk, s.member.nip, SIGN).used_eur == Decimal("0.00")


# -- AID-6: the PDF ------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " "))


def test_aid_6_the_certificate_pdf_prints_every_field(s):
    cert = sign(s).grant.certificate
    text = _text(pdf.certificate_pdf(cert))
    flat = text.replace(" ", "")
    assert "Zaświadczenie o pomocy de minimis" in text and cert.number in text
    assert s.settings.grantor_nip in text and s.member.nip in text
    assert s.settings.grantor_name in text and s.member.name in text
    assert "02.12.2026" in text  # the day of grant and of issue
    assert "4800,00" in flat and "1129,41" in flat
    assert "2023/2831" in text and "Anna Nowak" in text and "Prezes Zarządu" in text
    assert "Regulamin udostępniania" in text


def test_aid_8_a_correcting_certificate_pdf_names_the_one_it_corrects(s):
    cert = sign(s).grant.certificate
    new = services.correct_certificate(
        certificate=cert, amount_pln=Decimal("4000"), reason="błąd rachunkowy", user=None
    )
    text = _text(pdf.certificate_pdf(new))
    assert "korygujące" in text.lower() and cert.number in text and "błąd rachunkowy" in text
    void = services.void_contract(contract=cert.grant.contract, reason="rozwiązanie", user=None)
    assert new.number in _text(pdf.certificate_pdf(void))


# -- pages ---------------------------------------------------------------------------------------


@pytest.fixture
def office(s, client):
    from tests.factories import UserFactory, grant

    user = UserFactory(username="biuro")
    grant(user, s.cluster, "office")
    client.force_login(user)
    return client


def test_aid_6_the_signing_page_shows_the_figures_and_signs(s, office):
    url = reverse("aid_contract_new", kwargs={"slug": "alfa", "application_id": s.application.pk})
    page = office.get(url + "?signed_on=2026-12-02")
    assert page.status_code == 200
    body = page.content.decode().replace("\xa0", " ")
    assert "1129,41" in body.replace(" ", "") and "232/A/NBP/2026" in body
    seen = page.context["form"]["seen"].value()
    response = office.post(url, {"signed_on": "2026-12-02", "seen": seen, "number": ""})
    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{contract.pk}/")


def test_aid_6_the_signing_page_refuses_a_stale_form(s, office):
    url = reverse("aid_contract_new", kwargs={"slug": "alfa", "application_id": s.application.pk})
    seen = office.get(url + "?signed_on=2026-12-02").context["form"]["seen"].value()
    PriceListFactory(equipment=s.equipment, valid_from=D(2026, 12, 1), aid_per_day=Decimal("90"))
    response = office.post(url, {"signed_on": "2026-12-02", "seen": seen})
    assert response.status_code == 200 and not Contract.objects.exists()
    assert response.context["form"].non_field_errors()


def test_aid_6_the_signing_page_shows_the_refusal_over_the_ceiling(s, office):
    u = UndertakingFactory(member=s.member)
    GrantFactory(undertaking=u, granted_on=D(2025, 3, 1), amount_eur=Decimal("299500.00"))
    url = reverse("aid_contract_new", kwargs={"slug": "alfa", "application_id": s.application.pk})
    page = office.get(url + "?signed_on=2026-12-02")
    assert page.status_code == 200 and not page.context["shown"].allowed
    response = office.post(url, {"signed_on": "2026-12-02"})
    assert response.status_code == 200 and not Contract.objects.exists()


def test_aid_8_correct_and_void_pages(s, office):
    contract = sign(s)
    kw = {"slug": "alfa", "contract_id": contract.pk}
    r = office.post(
        reverse("aid_certificate_correct", kwargs=kw),
        {"amount_pln": "4000,00", "granted_on": "2026-12-02", "reason": "błąd"},
    )
    assert r.status_code == 302 and Certificate.objects.count() == 2
    r = office.post(reverse("aid_certificate_correct", kwargs=kw), {"amount_pln": "x"})
    assert r.status_code == 302 and Certificate.objects.count() == 2
    r = office.post(reverse("aid_contract_void", kwargs=kw), {"reason": "rozwiązanie"})
    assert r.status_code == 302 and Contract.objects.get().status == "void"
    page = office.get(reverse("aid_contract", kwargs=kw))
    assert page.status_code == 200 and page.context["void_form"] is None


def test_aid_6_the_members_representatives_read_their_contract_and_pdf(s, client):
    from tests.factories import UserFactory, grant

    contract = sign(s)
    own, other = UserFactory(username="wlasny"), UserFactory(username="obcy")
    grant(own, s.cluster, "representative", s.member)
    grant(other, s.cluster, "representative", MemberFactory(cluster=s.cluster))
    detail = reverse("aid_contract", kwargs={"slug": "alfa", "contract_id": contract.pk})
    cert = contract.grant.certificate
    pdf_url = reverse("aid_certificate_pdf", kwargs={"slug": "alfa", "certificate_id": cert.pk})
    client.force_login(own)
    assert client.get(detail).status_code == 200
    r = client.get(pdf_url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get(reverse("aid_contracts", kwargs={"slug": "alfa"})).status_code == 403
    client.force_login(other)
    assert client.get(detail).status_code == 403
    assert client.get(pdf_url).status_code == 403


def test_aid_6_the_contract_list_reads_a_bounded_number_of_queries(
    s, office, django_assert_max_num_queries
):
    sign(s)
    for i in range(6):
        m = MemberFactory(cluster=s.cluster)
        app = chosen(m, s.equipment, D(2027, 4, 1 + 2 * i), D(2027, 4, 2 + 2 * i))
        if i % 2:
            services.sign_contract(application=app, signed_on=SIGN, user=None)
    url = reverse("aid_contracts", kwargs={"slug": "alfa"})
    with django_assert_max_num_queries(14):
        page = office.get(url)
    assert page.status_code == 200
    assert len(page.context["contracts"]) == 4 and len(page.context["waiting"]) == 3


def test_aid_6_another_clusters_ids_are_not_found(s, office):
    other = ClusterFactory(slug="beta")
    app = chosen(MemberFactory(cluster=other), EquipmentFactory(cluster=other))
    url = reverse("aid_contract_new", kwargs={"slug": "alfa", "application_id": app.pk})
    assert office.get(url).status_code == 404


def test_aid_8_a_certificate_keeps_the_fields_of_its_issue(s):
    """The printed fields are frozen at issue: a later change of the settings leaves an issued
    certificate as it was."""
    cert = sign(s).grant.certificate
    s.settings.grantor_name = "Nowa Nazwa Koordynatora"
    s.settings.signatory_name = "Jan Kowalski"
    s.settings.save()
    text = _text(pdf.certificate_pdf(Certificate.objects.get(pk=cert.pk)))
    assert "Instytut Doradztwa" in text and "Anna Nowak" in text
    assert "Nowa Nazwa" not in text and "Jan Kowalski" not in text
