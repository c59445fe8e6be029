"""FA(3) from a dues invoice, checked offline against the official schema (FIN-1, FIN-2)."""

from __future__ import annotations

import datetime as dt
import socket
from decimal import Decimal

import pytest
from ksef_client.documents.fa3 import parse_invoice_xml
from lxml import etree

from klaster.money.ksef import (
    Address,
    InvoiceDataError,
    Line,
    Party,
    Totals,
    build_fa3,
    compute_totals,
    ksef_required,
    validate_fa3,
    validation_messages,
)
from klaster.money.ksef import fa3 as fa3_module
from klaster.money.ksef import messages as m
from klaster.rules.message import say

from .conftest import BUYER_NIP, SELLER_NIP, dues_invoice

NS = {"f": fa3_module.FA3_NAMESPACE}


def _tree(xml: bytes):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def text(xml: bytes, path: str) -> str | None:
    return _tree(xml).findtext(path, namespaces=NS)


def test_fin_2_dues_invoice_is_valid_fa3_with_its_period(invoice):
    xml = build_fa3(invoice)
    assert validate_fa3(xml) == []
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert text(xml, "f:Fa/f:OkresFa/f:P_6_Od") == "2026-07-01"
    assert text(xml, "f:Fa/f:OkresFa/f:P_6_Do") == "2026-07-31"
    assert text(xml, "f:Podmiot1/f:DaneIdentyfikacyjne/f:NIP") == SELLER_NIP
    assert text(xml, "f:Podmiot2/f:DaneIdentyfikacyjne/f:NIP") == BUYER_NIP
    assert text(xml, "f:Fa/f:P_1") == "2026-07-01"
    assert text(xml, "f:Fa/f:P_2") == "FV/2026/07/0001"
    assert text(xml, "f:Fa/f:RodzajFaktury") == "VAT"
    assert text(xml, "f:Naglowek/f:DataWytworzeniaFa") == "2026-07-01T08:00:00Z"
    assert text(xml, "f:Fa/f:Platnosc/f:TerminPlatnosci/f:Termin") == "2026-07-15"
    assert text(xml, "f:Fa/f:Platnosc/f:RachunekBankowy/f:NrRB") == "61109010140000071219812874"
    assert text(xml, "f:Fa/f:DodatkowyOpis/f:Wartosc") == "FV/2026/07/0001 M-0007"


def test_fin_1_dues_net_plus_vat_at_23_percent(invoice):
    xml = build_fa3(invoice)
    assert text(xml, "f:Fa/f:P_13_1") == "180.00"
    assert text(xml, "f:Fa/f:P_14_1") == "41.40"
    assert text(xml, "f:Fa/f:P_15") == "221.40"
    assert text(xml, "f:Fa/f:FaWiersz/f:P_11") == "180.00"
    assert text(xml, "f:Fa/f:FaWiersz/f:P_12") == "23"


def test_fin_2_ksef_clients_own_reader_agrees_with_the_document(invoice):
    """An independent reader (ksef-client's FA(3) parser) finds the same totals and lines."""
    parsed = parse_invoice_xml(build_fa3(invoice))
    assert parsed.invoice_number == "FV/2026/07/0001"
    assert parsed.total_net == Decimal("180.00")
    assert parsed.total_vat == Decimal("41.40")
    assert parsed.total_gross == Decimal("221.40")
    assert parsed.period_from == dt.date(2026, 7, 1)
    assert parsed.period_to == dt.date(2026, 7, 31)
    assert [line.description for line in parsed.lines] == ["Składka członkowska za lipiec 2026"]


def test_a_quarter_with_several_rates_sums_per_rate():
    lines = (
        Line("Składka – lipiec", Decimal("1"), "mies.", Decimal("420.00"), "23"),
        Line("Składka – sierpień", Decimal("1"), "mies.", Decimal("420.00"), "23"),
        Line("Publikacja", Decimal("3"), "szt.", Decimal("33.333"), "8"),
        Line("Szkolenie", Decimal("2"), "h", Decimal("150"), "zw"),
    )
    totals = compute_totals(lines)
    assert [(r.rate, r.net, r.vat) for r in totals.by_rate] == [
        ("23", Decimal("840.00"), Decimal("193.20")),
        ("8", Decimal("100.00"), Decimal("8.00")),  # 3 × 33.333 = 99.999 → 100.00
        ("zw", Decimal("300.00"), Decimal("0.00")),
    ]
    assert totals.gross == Decimal("1441.20")
    invoice = dues_invoice(
        lines=lines, exemption_basis="art. 43 ust. 1 pkt 29 lit. c ustawy o VAT", totals=totals
    )
    xml = build_fa3(invoice)
    assert validate_fa3(xml) == []
    assert text(xml, "f:Fa/f:P_13_2") == "100.00"
    assert text(xml, "f:Fa/f:P_13_7") == "300.00"
    assert text(xml, "f:Fa/f:Adnotacje/f:Zwolnienie/f:P_19A").startswith("art. 43")
    assert text(xml, "f:Fa/f:P_15") == "1441.20"
    assert [e.text for e in _tree(xml).iterfind("f:Fa/f:FaWiersz/f:P_9A", NS)] == [
        "420.00",
        "420.00",
        "33.333",
        "150.00",
    ]


def test_vat_is_rounded_half_up_to_the_grosz():
    # 0.05 × 23 % = 0.0115 → 0.01; 0.15 × 23 % = 0.0345 → 0.03; 2.50 × 23 % = 0.575 → 0.58
    for net, vat in (("0.05", "0.01"), ("0.15", "0.03"), ("2.50", "0.58")):
        totals = compute_totals([Line("x", Decimal("1"), "szt.", Decimal(net), "23")])
        assert totals.vat == Decimal(vat)


def test_a_buyer_without_nip_is_marked_brakid():
    buyer = Party("Jan Kowalski", None, Address("ul. Długa 3", "00-001 Warszawa"))
    xml = build_fa3(dues_invoice(buyer=buyer))
    assert validate_fa3(xml) == []
    assert text(xml, "f:Podmiot2/f:DaneIdentyfikacyjne/f:BrakID") == "1"


def test_an_invoice_without_period_or_payment_is_still_valid():
    xml = build_fa3(dues_invoice(period_from=None, period_to=None, payment=None))
    assert validate_fa3(xml) == []
    assert text(xml, "f:Fa/f:OkresFa/f:P_6_Od") is None
    assert text(xml, "f:Fa/f:Platnosc/f:FormaPlatnosci") is None


def test_the_same_invoice_gives_the_same_bytes(invoice):
    # the QR code's hash and the UPO refer to these exact bytes
    assert build_fa3(invoice) == build_fa3(dues_invoice())


# --- bad data: every problem named, nothing built ------------------------------------------------


def codes(error: InvoiceDataError) -> list[tuple[str, str]]:
    return [(p.field, p.message.code) for p in error.problems]


def test_bad_data_is_refused_naming_every_field():
    invoice = dues_invoice(
        number=" ",
        seller=Party("Klaster", "5260250275", Address("ul. Prosta 1")),  # bad check digit
        lines=(
            Line("", Decimal("0"), "mies.", Decimal("-1"), "22"),
            Line("Składka", Decimal("1.0000001"), "", Decimal("1.123456789"), "23"),
        ),
        period_from=dt.date(2026, 7, 31),
        period_to=dt.date(2026, 7, 1),
        payment=dues_invoice().payment.__class__(dt.date(2026, 6, 30), "PL00 1234", ""),
    )
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(invoice)
    assert codes(caught.value) == [
        (m.FIELD_NUMBER, m.INPUT_REQUIRED),
        (m.FIELD_PERIOD, m.INPUT_PERIOD),
        (m.FIELD_SELLER_NIP, m.INPUT_NIP),
        (m.FIELD_LINE_DESCRIPTION, m.INPUT_REQUIRED),
        (m.FIELD_LINE_QUANTITY, m.INPUT_POSITIVE),
        (m.FIELD_LINE_PRICE, m.INPUT_NOT_NEGATIVE),
        (m.FIELD_LINE_RATE, m.INPUT_RATE),
        (m.FIELD_LINE_UNIT, m.INPUT_REQUIRED),
        (m.FIELD_LINE_QUANTITY, m.INPUT_PRECISION),
        (m.FIELD_LINE_PRICE, m.INPUT_PRECISION),
        (m.FIELD_PAYMENT_DUE, m.INPUT_DUE_BEFORE_ISSUE),
        (m.FIELD_PAYMENT_IBAN, m.INPUT_IBAN),
    ]


def test_bad_data_is_told_in_polish_and_in_english():
    invoice = dues_invoice(lines=(Line("Składka", Decimal("1"), "mies.", Decimal("1"), "22"),))
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(invoice)
    (message,) = caught.value.messages()
    assert say(message, "en") == "line 1: VAT rate: unknown rate 22 (allowed: 23, 8, 5, 0, zw)."
    assert say(message, "pl") == (
        "pozycja 1: stawka VAT: nieznana stawka 22 (dozwolone: 23, 8, 5, 0, zw)."
    )
    assert str(caught.value) == say(message, "pl")


def test_totals_that_differ_from_the_lines_are_refused(invoice):
    wrong = Totals(by_rate=(), net=Decimal("180.00"), vat=Decimal("41.39"), gross=Decimal("221.39"))
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(dues_invoice(totals=wrong))
    assert codes(caught.value) == [(m.FIELD_TOTALS, m.INPUT_TOTALS)]
    assert build_fa3(dues_invoice(totals=compute_totals(invoice.lines)))


def test_an_exempt_line_needs_its_legal_basis():
    lines = (Line("Szkolenie", Decimal("1"), "h", Decimal("100"), "zw"),)
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(dues_invoice(lines=lines))
    assert codes(caught.value) == [(m.FIELD_EXEMPTION, m.INPUT_REQUIRED)]


def test_naive_creation_time_and_half_a_period_are_refused():
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(
            dues_invoice(created_at=dt.datetime(2026, 7, 1, 8, 0), period_to=None)  # noqa: DTZ001
        )
    assert codes(caught.value) == [
        (m.FIELD_CREATED_AT, m.INPUT_NAIVE),
        (m.FIELD_PERIOD, m.INPUT_PERIOD_HALF),
    ]


# --- validation --------------------------------------------------------------------------------


def test_fin_2_schema_breaks_are_found_with_their_place(invoice):
    xml = build_fa3(invoice)
    broken = xml.replace(b"<P_15>221.40</P_15>", b"<P_15>221,40</P_15>")
    (problem,) = validate_fa3(broken)
    assert problem.path == "/Faktura/Fa/P_15"
    assert "TKwotowy" in problem.detail
    missing = xml.replace(b"<RodzajFaktury>VAT</RodzajFaktury>", b"")
    assert [p.path for p in validate_fa3(missing)] == ["/Faktura/Fa/DodatkowyOpis"]
    (message,) = validation_messages(validate_fa3(broken))
    assert message.code == m.SCHEMA_INVALID


def test_not_xml_is_a_problem_not_an_exception():
    (problem,) = validate_fa3(b"<Faktura>")
    assert validation_messages([problem])[0].code == m.SCHEMA_NOT_XML


def test_entities_and_doctypes_are_never_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE Faktura [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<Faktura xmlns="{fa3_module.FA3_NAMESPACE}">&x;</Faktura>'
    ).encode()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>'
    )
    for document in (xxe, laughs):
        problems = validate_fa3(document)
        assert [p.detail for p in problems] == ["DOCTYPE"]
        assert validation_messages(problems)[0].code == m.SCHEMA_DOCTYPE
        assert all("TOP SECRET" not in p.detail for p in problems)


def test_fin_2_validation_works_offline(invoice, monkeypatch):
    """The schemas import each other by crd.gov.pl URLs; none is ever fetched."""

    def no_network(*args, **kwargs):
        raise AssertionError("FA(3) validation tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    fa3_module._build_schema.cache_clear()
    try:
        assert validate_fa3(build_fa3(invoice)) == []
    finally:
        fa3_module._build_schema.cache_clear()


def test_the_schemas_used_are_the_ones_ksef_client_ships():
    directory = fa3_module.schema_directory()
    assert directory.parts[-4:] == ("ksef_client", "documents", "fa3", "schemas")
    assert sorted(p.name for p in directory.glob("*.xsd")) == sorted(fa3_module._BUNDLED_SCHEMAS)


# --- which documents go to KSeF ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("taxable", "vat_payer", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_fin_2_only_taxable_fees_to_vat_payers_go_to_ksef(taxable, vat_payer, expected):
    assert ksef_required(fee_taxable=taxable, buyer_vat_payer=vat_payer) is expected


def test_fin_2_a_correcting_invoice_is_kor_with_the_state_before_and_the_differences():
    from klaster.money.ksef import CorrectedInvoice, make_ksef_number

    number = make_ksef_number(SELLER_NIP, dt.date(2026, 4, 2), "0123456789AB")
    lines = tuple(
        Line(f"Składka — {month}", Decimal("1"), "mies.", Decimal("420"), "23", before=True)
        for month in ("kwiecień", "maj", "czerwiec")
    ) + tuple(
        Line(f"Składka — {month}", Decimal("1"), "mies.", Decimal("420"), "23")
        for month in ("kwiecień", "maj")
    )
    kor = dues_invoice(
        number="KOR/2026/0001",
        lines=lines,
        totals=None,
        corrected=CorrectedInvoice("FV/2026/0004", dt.date(2026, 4, 1), number),
        correction_reason="Zwolnienie ze składek od czerwca",
    )
    totals = compute_totals(kor.lines)
    assert (totals.net, totals.vat, totals.gross) == (
        Decimal("-420.00"),
        Decimal("-96.60"),
        Decimal("-516.60"),
    )
    xml = build_fa3(kor)
    assert validate_fa3(xml) == []
    assert text(xml, "f:Fa/f:RodzajFaktury") == "KOR"
    assert text(xml, "f:Fa/f:PrzyczynaKorekty") == "Zwolnienie ze składek od czerwca"
    assert text(xml, "f:Fa/f:DaneFaKorygowanej/f:NrKSeFFaKorygowanej") == number
    assert text(xml, "f:Fa/f:P_13_1") == "-420.00" and text(xml, "f:Fa/f:P_15") == "-516.60"
    assert [r.findtext("{*}StanPrzed") for r in _tree(xml).iter("{*}FaWiersz")] == [
        "1", "1", "1", None, None,
    ]  # fmt: skip


def test_fin_2_correction_data_is_checked_before_anything_is_built():
    from klaster.money.ksef import CorrectedInvoice

    before = (Line("Składka", Decimal("1"), "mies.", Decimal("420"), "23", before=True),)
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(dues_invoice(lines=before, totals=None))
    assert codes(caught.value) == [(m.FIELD_LINE_DESCRIPTION, m.INPUT_BEFORE_NOT_CORRECTION)]
    wrong = CorrectedInvoice("", dt.date(2027, 1, 1), "5265877635-20260402-0123456789AB-00")
    with pytest.raises(InvoiceDataError) as caught:
        build_fa3(dues_invoice(lines=before, totals=None, corrected=wrong))
    assert codes(caught.value) == [
        (m.FIELD_CORRECTED_NUMBER, m.INPUT_REQUIRED),
        (m.FIELD_CORRECTED_DATE, m.INPUT_DATE_RANGE),
        (m.FIELD_CORRECTED_KSEF, m.INPUT_KSEF_NUMBER),
    ]
