"""The certificate of de minimis aid as PDF (AID-6, AID-8), printed like money's documents: a
Django template rendered in Polish and turned into PDF by WeasyPrint, fonts local, nothing
fetched from the network. Every field comes from the certificate's ``fields``, frozen at issue,
so a later change of the settings or of the register never changes a certificate once issued."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from klaster.aid.models import Certificate


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads fonts and Pango on import

    return bytes(HTML(string=html).write_pdf())


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _amount(value: str) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def certificate_context(cert: Certificate) -> dict[str, Any]:
    f = cert.fields
    rate = f.get("rate") or {}
    return {
        "cert": cert,
        "f": f,
        "kind": f.get("kind", "original"),
        "issued_on": _day(f.get("issued_on", "")),
        "granted_on": _day(f.get("granted_on", "")),
        "amount_pln": _amount(f.get("amount_pln", "")),
        "amount_eur": _amount(f.get("amount_eur", "")),
        "rate_date": _day(rate.get("date", "")),
        "rate_table": rate.get("table", ""),
        "rate_mid": rate.get("mid", ""),
        "supersedes": f.get("supersedes"),
        "supersedes_on": _day((f.get("supersedes") or {}).get("issued_on", "")),
    }


def certificate_html(cert: Certificate) -> str:
    with translation.override("pl"):
        return render_to_string("aid/contracts/certificate_pdf.html", certificate_context(cert))


def certificate_pdf(cert: Certificate) -> bytes:
    """The certificate (or its correction or voiding) as PDF bytes."""
    return _pdf(certificate_html(cert))
