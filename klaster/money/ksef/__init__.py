"""KSeF e-invoices for the money app, behind an adapter (issue 10, point 3). Django-free.

    build_fa3(invoice) -> bytes            FA(3) XML from an `Invoice` (model.py), schema-checked
    validate_fa3(xml) -> [SchemaProblem]   the official FA(3) schema, offline
    ksef_number_valid(s) -> bool           35 characters, CRC-8 (number.py)
    KsefGateway / ClientGateway            send(xml) -> SendResult, resume(reference)
    FakeKsef (fake.py)                     a local KSeF on 127.0.0.1 for tests
    retry_deadline / after_failure         the offline24 window (offline24.py)
    verification_url / qr_svg              QR code I for the PDF (qr.py)
    check_environment(env)                 what `klaster ksef check --env test` calls
    ksef_required(...)                     which documents go to KSeF at all

The pure parts load at once; those built on the ksef-client library (ClientGateway,
check_environment, the QR helpers) load on first use, so importing this package stays cheap
for the money app's models and commands.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .fa3 import (
    Fa3SchemaError,
    InvoiceDataError,
    Problem,
    SchemaProblem,
    build_fa3,
    check_invoice,
    validate_fa3,
    validation_messages,
)
from .interface import (
    ENVIRONMENTS,
    KsefConfig,
    KsefGateway,
    KsefSendError,
    SendReference,
    SendResult,
)
from .model import (
    VAT_RATES,
    Address,
    CorrectedInvoice,
    Invoice,
    Line,
    Party,
    Payment,
    RateTotal,
    Totals,
    compute_totals,
)
from .number import ksef_checksum, ksef_number_valid, make_ksef_number
from .offline24 import AfterFailure, after_failure, may_retry, retry_deadline
from .policy import ksef_required

if TYPE_CHECKING:
    from .check import EnvironmentCheck, UnknownEnvironmentError, check_environment
    from .gateway import ClientGateway
    from .qr import (
        OFFLINE_LABEL,
        invoice_hash,
        qr_label,
        qr_svg,
        qr_svg_data_uri,
        verification_url,
    )

_LAZY = {
    "ClientGateway": "gateway",
    "EnvironmentCheck": "check",
    "UnknownEnvironmentError": "check",
    "check_environment": "check",
    "OFFLINE_LABEL": "qr",
    "invoice_hash": "qr",
    "qr_label": "qr",
    "qr_svg": "qr",
    "qr_svg_data_uri": "qr",
    "verification_url": "qr",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ENVIRONMENTS",
    "OFFLINE_LABEL",
    "VAT_RATES",
    "Address",
    "AfterFailure",
    "ClientGateway",
    "EnvironmentCheck",
    "Fa3SchemaError",
    "CorrectedInvoice",
    "Invoice",
    "InvoiceDataError",
    "KsefConfig",
    "KsefGateway",
    "KsefSendError",
    "Line",
    "Party",
    "Payment",
    "Problem",
    "RateTotal",
    "SchemaProblem",
    "SendReference",
    "SendResult",
    "Totals",
    "UnknownEnvironmentError",
    "after_failure",
    "build_fa3",
    "check_environment",
    "check_invoice",
    "compute_totals",
    "invoice_hash",
    "ksef_checksum",
    "ksef_number_valid",
    "ksef_required",
    "make_ksef_number",
    "may_retry",
    "qr_label",
    "qr_svg",
    "qr_svg_data_uri",
    "retry_deadline",
    "validate_fa3",
    "validation_messages",
    "verification_url",
]
