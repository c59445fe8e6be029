"""Money documents as PDF and the ledger / aging as XLSX (FIN-2, FIN-4; issue 10 point 8)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from klaster.money import exports, pdf, selectors, services
from klaster.money.models import Document, MoneySettings
from tests.factories import MemberBillingFactory
from tests.kkk.pdftext import pdf_text
from tests.money.conftest import mt940

pytestmark = pytest.mark.django_db

GROUPED = "PL61 1090 1014 0000 0712 1981 2874"


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return re.sub(r"\s+", " ", pdf_text(data).replace("\u00a0", " "))


def _first(money) -> Document:
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    return Document.objects.get(cluster=money.cluster, member=money.a, period_start__month=1)


def test_fin_2_invoice_pdf_prints_number_parties_amounts_account_and_title(money):
    doc = _first(money)
    text = _text(pdf.document_pdf(doc))
    assert "Faktura VAT" in text and doc.number in text
    assert money.a.name in text and "Fundacja Koordynator" in text
    assert "420,00" in text and "96,60" in text and "516,60" in text
    assert "23%" in text
    assert GROUPED in text
    assert f"{doc.number} {money.a.key}" in text  # no MemberBilling: the member's key
    assert "15.01.2026" in text  # due
    assert "Numer KSeF" not in text


def test_fin_2_payment_title_uses_the_members_reference(money):
    doc = _first(money)
    MemberBillingFactory(member=money.a, reference="ALFA-REF")
    assert pdf.payment_title(doc) == f"{doc.number} ALFA-REF"
    assert f"{doc.number} ALFA-REF" in _text(pdf.document_pdf(doc))


@pytest.mark.parametrize("value", ["", "PL61109010140000071219812875", "12345"])
def test_fin_2_document_pdf_refuses_a_missing_or_invalid_account(money, value):
    doc = _first(money)
    MoneySettings.objects.filter(cluster=money.cluster).update(sub_account_iban=value)
    with pytest.raises(ValueError, match="sub_account_iban"):
        pdf.document_pdf(doc)


def test_fin_2_debit_note_pdf_says_it_is_not_a_vat_invoice(money):
    doc = _first(money)
    Document.objects.filter(pk=doc.pk).update(
        kind=Document.Kind.DEBIT_NOTE, vat_rate="", vat=Decimal("0.00"), gross=doc.net
    )
    doc.refresh_from_db()
    text = _text(pdf.document_pdf(doc))
    assert "Nota obciążeniowa" in text
    assert "Dokument nie jest fakturą VAT — opłata poza zakresem VAT." in text


def test_fin_2_document_with_ksef_number_prints_it_and_qr_code(money):
    from klaster.money import ksef

    coordinator = money.cluster.coordinator
    if not coordinator.nip:
        coordinator.nip = "5260250274"
        coordinator.street = "ul. Lipowa 1"
        coordinator.save()
    doc = _first(money)
    number = ksef.make_ksef_number(coordinator.nip, doc.issued, "0123456789AB")
    Document.objects.filter(pk=doc.pk).update(ksef_number=number, ksef_state="sent")
    doc.refresh_from_db()
    html = pdf.document_html(doc)
    assert "<svg" in html
    text = _text(pdf.document_pdf(doc))
    assert f"Numer KSeF: {number}" in text


def test_fin_4_arrears_letter_lists_documents_interest_basis_and_consequences(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 1, 31))
    as_of = dt.date(2026, 3, 17)
    row = next(r for r in selectors.arrears(money.cluster, as_of) if r.member == money.a)
    d = row.documents[0]
    text = _text(pdf.arrears_letter_pdf(money.cluster, row, as_of, "60"))
    assert d.document.number in text and "516,60" in text and "61" in text
    assert "art. 481 KC" in text
    assert "głos" in text  # loses the vote until payment
    assert GROUPED in text
    text90 = _text(pdf.arrears_letter_pdf(money.cluster, row, as_of, "90"))
    assert "skreśl" in text90 and "ustawowe" in text90


def _paid_january(money):
    services.dues_run(cluster=money.cluster, through=dt.date(2026, 2, 28))
    services.import_statement(
        cluster=money.cluster,
        data=mt940([("100.00", "FV/2026/0001", "Alfa-Tech", "")], day=dt.date(2026, 2, 1)),
    )


def test_fin_2_ledger_xlsx_has_documents_payments_and_balances(money):
    _paid_january(money)
    wb = load_workbook(io.BytesIO(exports.ledger_xlsx(money.cluster)))
    assert wb.sheetnames == ["Dokumenty", "Wpłaty", "Salda"]
    docs = wb["Dokumenty"]
    header = [c.value for c in docs[1]]
    assert header[0] == "Numer" and len(header) == 13
    rows = {r[0]: r for r in docs.iter_rows(min_row=2, values_only=True)}
    first = rows["FV/2026/0001"]
    assert first[1] == "faktura VAT" or "faktura" in first[1].lower()
    assert first[2] == "m001"
    assert isinstance(first[4], dt.datetime) and first[4].date() == dt.date(2026, 1, 1)
    assert isinstance(first[8], int | float) and first[10] == pytest.approx(516.60)
    assert first[11] == pytest.approx(100.00) and first[12] == pytest.approx(416.60)
    assert docs.cell(row=2, column=9).number_format == "#,##0.00"
    pays = list(wb["Wpłaty"].iter_rows(min_row=2, values_only=True))
    assert len(pays) == 1
    day, key, _name, amount, went, _credit, statement, line, _note = pays[0]
    assert day.date() == dt.date(2026, 2, 1) and key == "m001" and amount == pytest.approx(100)
    assert "FV/2026/0001" in went and statement == "09/2026/M" and line == 1
    balances = {r[0]: r for r in wb["Salda"].iter_rows(min_row=2, values_only=True)}
    assert balances["m001"][2] == pytest.approx(416.60 + 516.60)
    assert balances["m001"][4] == pytest.approx(416.60 + 516.60)


def test_fin_4_aging_xlsx_buckets_open_amounts_by_days_overdue(money):
    _paid_january(money)
    # January (due 15.01) 100 paid, 416.60 open; February (due 15.02) 516.60 open
    wb = load_workbook(io.BytesIO(exports.aging_xlsx(money.cluster, dt.date(2026, 3, 20))))
    ws = wb.worksheets[0]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    a = rows["m001"]
    # 15.01 → 20.03: 64 days (61–90); 15.02 → 20.03: 33 days (31–60)
    assert a[2:7] == (0, 0, pytest.approx(516.60), pytest.approx(416.60), 0)
    assert a[7] == pytest.approx(933.20)
    assert a[8] == "Nie"  # more than 60 days overdue: no vote
    assert a[9] > 0
    b = rows["m002"]
    assert b[5] == pytest.approx(1107.00) and b[4] == pytest.approx(1107.00)
    totals = rows["Razem"]
    assert totals[7] == pytest.approx(933.20 + 2214.00)
    assert exports.bucket_of(0) == 0 and exports.bucket_of(30) == 1 and exports.bucket_of(91) == 4


def test_fin_2_xlsx_text_starting_with_equals_is_not_a_formula(money):
    money.a.name = '=HYPERLINK("http://x")'
    money.a.save()
    _paid_january(money)
    raw = exports.ledger_xlsx(money.cluster)
    wb = load_workbook(io.BytesIO(raw))
    cell = wb["Dokumenty"].cell(row=2, column=4)
    assert cell.value == money.a.name and cell.data_type == "s"
    ws = load_workbook(io.BytesIO(exports.aging_xlsx(money.cluster, dt.date(2026, 3, 20))))
    assert all(c.data_type != "f" for row in ws.worksheets[0].iter_rows() for c in row)
