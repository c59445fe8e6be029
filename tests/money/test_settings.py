"""The office's money settings (FIN-1 … FIN-3): a bad account is refused naming the field, a
stale form is refused, a tariff never changes months already billed, the bank's CSV columns make
its CSV export readable."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from klaster.money import selectors, services
from klaster.money.models import ClusterAccount, MoneySettings, TariffVersion
from tests.factories import ClusterAccountFactory

pytestmark = pytest.mark.django_db

URL = "/c/alfa/money/settings/"
A_IBAN = "PL27114020040000300201355387"


def form_of(client):
    page = client.get(URL)
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    data["_version"] = form.initial.get("_version", "")
    for name in form.fields:
        if name.startswith("_"):
            data[name] = form[name].value()
    return data


def test_fin_3_settings_save_accounts_and_refuse_a_bad_iban_naming_the_field(money, client_for):
    office = client_for("office")
    data = form_of(office)
    data["accounts"] = f"{data['accounts']}\n{A_IBAN}"
    data["payment_term_days"] = 21
    assert office.post(URL, data).status_code == 302
    assert MoneySettings.objects.get().payment_term_days == 21
    assert sorted(ClusterAccount.objects.values_list("account", flat=True)) == [
        "27114020040000300201355387",
        "61109010140000071219812874",
    ]
    bad = form_of(office)
    bad["sub_account_iban"] = "PL00 1234"
    page = office.post(URL, bad)
    assert page.status_code == 200
    assert "sub_account_iban" in page.context["form"].errors
    assert "nie jest poprawnym numerem rachunku" in page.content.decode()
    assert MoneySettings.objects.get().sub_account_iban == "61109010140000071219812874"


def test_fin_1_a_stale_settings_form_is_refused(money, client_for):
    office = client_for("office")
    first = form_of(office)
    second = form_of(office)
    first["payment_term_days"] = 30
    assert office.post(URL, first).status_code == 302
    second["payment_term_days"] = 7
    page = office.post(URL, second)
    assert page.status_code == 200
    assert MoneySettings.objects.get().payment_term_days == 30


def test_fin_1_a_tariff_never_changes_months_already_billed(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 3, 1))
    monthly = {"micro": "200", "small": "450", "medium": "950", "large": "1300", "iob": "200"}
    with pytest.raises(services.MoneyError) as e:
        services.tariff_save(
            cluster=money.cluster, user=None, valid_from=dt.date(2026, 3, 1), monthly=monthly
        )
    assert e.value.field == "valid_from"
    services.tariff_save(
        cluster=money.cluster, user=None, valid_from=dt.date(2026, 4, 1), monthly=monthly
    )
    assert TariffVersion.objects.count() == 2
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 4, 1))
    april = money.a.money_documents.get(period_start=dt.date(2026, 4, 1))
    assert april.net == Decimal("450.00")
    assert money.a.money_documents.get(period_start=dt.date(2026, 3, 1)).net == Decimal("420.00")


def test_fin_3_the_banks_csv_columns_make_its_export_readable(money, client_for):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    office = client_for("office")
    data = form_of(office)
    data.update(
        csv_delimiter=";",
        csv_date="Data",
        csv_date_format="%d.%m.%Y",
        csv_amount="Kwota",
        csv_title="Tytuł",
        csv_payer="Nadawca",
    )
    assert office.post(URL, data).status_code == 302
    assert selectors.csv_mapping_of(money.cluster).amount == "Kwota"
    # the statement's account: CSV exports rarely carry it, so the mapping's own is used
    MoneySettings.objects.filter(pk=MoneySettings.objects.get().pk).update(
        csv_mapping={**MoneySettings.objects.get().csv_mapping, "account": A_IBAN}
    )
    ClusterAccountFactory(cluster=money.cluster, account=A_IBAN[2:])
    csv = "Data;Kwota;Tytuł;Nadawca\n02.02.2026;516,60;FV/2026/0001;Alfa-Tech\n".encode("cp1250")
    report = services.import_statement(cluster=money.cluster, data=csv).report
    assert report["matched"][0]["documents"] == ["FV/2026/0001"]
    assert reverse("money_settings", kwargs={"slug": "alfa"}) == URL


def test_fin_1_fin_4_a_fee_types_vat_treatment_is_dated_and_its_interest_chosen(money, client_for):
    from klaster.money.models import FeeType

    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 1))
    office = client_for("office")
    dues = FeeType.objects.get(cluster=money.cluster, key="dues")
    p = f"f{dues.pk}"
    body = {
        "action": "fee",
        "fee": dues.pk,
        f"{p}-treatment": "outside_vat",
        f"{p}-valid_from": "2026-02-01",  # February's invoices are issued already
        f"{p}-basis": "interpretacja indywidualna 0114-KDIP1-2.4012.1.2026",
        f"{p}-interest_regime": "commercial",
    }
    page = office.post(URL, body)
    assert page.status_code == 200 and "valid_from" in page.context["fee_forms"][0][1].errors
    body[f"{p}-valid_from"] = "2026-03-01"
    assert office.post(URL, body).status_code == 302
    done = services.dues_run(cluster=money.cluster, through=dt.date(2026, 3, 1))
    assert {d.kind for d in done.issued} == {"debit_note"}
    assert {d.number for d in done.issued} == {"NO/2026/0001", "NO/2026/0002"}
    assert all(d.vat == 0 and d.ksef_state == "" for d in done.issued)
    rows = selectors.arrears(money.cluster, dt.date(2026, 6, 1))
    assert rows[0].documents[0].interest.regime == "commercial"
