"""QR code I for the PDF: the KSeF verification link and its code, made locally."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest
import segno
from lxml import etree

from klaster.money.ksef import (
    OFFLINE_LABEL,
    build_fa3,
    invoice_hash,
    qr_label,
    qr_svg,
    qr_svg_data_uri,
    verification_url,
)

from .conftest import SELLER_NIP


def test_fin_2_kod_i_link_has_nip_date_and_hash_of_the_file(invoice):
    xml = build_fa3(invoice)
    digest = base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip("=")
    url = verification_url(seller_nip=SELLER_NIP, issue_date=invoice.issue_date, xml=xml)
    assert url == f"https://qr.ksef.mf.gov.pl/invoice/{SELLER_NIP}/01-07-2026/{digest}"
    assert invoice_hash(xml) == digest
    assert len(digest) == 43
    assert "=" not in url and "+" not in url and "/" not in digest


def test_the_test_environment_has_its_own_qr_address():
    url = verification_url(
        seller_nip=SELLER_NIP, issue_date=dt.date(2026, 2, 1), xml=b"<x/>", env="test"
    )
    assert url.startswith(f"https://qr-test.ksef.mf.gov.pl/invoice/{SELLER_NIP}/01-02-2026/")
    with pytest.raises(ValueError, match="unknown KSeF environment"):
        verification_url(seller_nip=SELLER_NIP, issue_date=dt.date(2026, 2, 1), xml=b"", env="x")


def test_a_changed_file_changes_the_link(invoice):
    xml = build_fa3(invoice)
    other = xml.replace(b"221.40", b"221.41")
    kwargs = {"seller_nip": SELLER_NIP, "issue_date": invoice.issue_date}
    assert verification_url(xml=xml, **kwargs) != verification_url(xml=other, **kwargs)


def test_the_qr_code_is_an_svg_of_the_link(invoice):
    url = verification_url(
        seller_nip=SELLER_NIP, issue_date=invoice.issue_date, xml=build_fa3(invoice)
    )
    svg = qr_svg(url)
    root = etree.fromstring(svg.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    code = segno.make(url, error="m", micro=False)
    side = (code.symbol_size(scale=4, border=4))[0]
    assert root.get("width") == str(side)
    assert qr_svg(url) == svg  # made locally and deterministically
    assert qr_svg(url + "x") != svg
    assert qr_svg_data_uri(url).startswith("data:image/svg+xml")


def test_the_label_is_the_ksef_number_or_offline():
    assert qr_label("5265877635-20250826-0100001AF629-AF") == "5265877635-20250826-0100001AF629-AF"
    assert qr_label(None) == OFFLINE_LABEL == "OFFLINE"
