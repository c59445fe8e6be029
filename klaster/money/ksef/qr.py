"""QR code I (KOD I) for an invoice's PDF: the link to verify it in KSeF, and the code itself.

The link is the ministry's (ksef-api, kody-qr.md): `{qr address}/invoice/{seller NIP}/{issue date
as DD-MM-YYYY}/{SHA-256 of the invoice file, Base64URL without padding}`. The date is `P_1`; the
hash is of the exact bytes sent to KSeF. ksef-client's `VerificationLinkService` builds it (and
knows each environment's QR address); the code is drawn locally as SVG with segno. Under the
code the PDF prints the KSeF number, or "OFFLINE" while the invoice has none yet (`qr_label`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io

import segno
from ksef_client import KsefClientOptions
from ksef_client.services.verification_link import VerificationLinkService

from .interface import ENVIRONMENTS

OFFLINE_LABEL = "OFFLINE"


def invoice_hash(xml: bytes) -> str:
    """SHA-256 of the invoice file, Base64URL without padding (43 characters)."""
    return base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).rstrip(b"=").decode("ascii")


def verification_url(*, seller_nip: str, issue_date: dt.date, xml: bytes, env: str = "prod") -> str:
    """KOD I's link for the invoice `xml` issued by `seller_nip` on `issue_date` (its P_1)."""
    if env not in ENVIRONMENTS:
        raise ValueError(f"unknown KSeF environment {env!r} (known: {', '.join(ENVIRONMENTS)})")
    links = VerificationLinkService(KsefClientOptions(base_url=ENVIRONMENTS[env]))
    return links.build_invoice_verification_url(seller_nip, issue_date, invoice_hash(xml))


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of `url` as an SVG document (ISO/IEC 18004, error correction M, quiet zone)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, dark="#000", light="#fff", xmldecl=False)
    return out.getvalue().decode("utf-8")


def qr_svg_data_uri(url: str, *, scale: int = 4) -> str:
    """The same code as a `data:` URI, for an <img> in the PDF's template."""
    code = segno.make(url, error="m", micro=False)
    uri: str = code.svg_data_uri(scale=scale, border=4, dark="#000", light="#fff")
    return uri


def qr_label(ksef_number: str | None) -> str:
    """What is printed under KOD I: the KSeF number, or OFFLINE while there is none."""
    return ksef_number or OFFLINE_LABEL
