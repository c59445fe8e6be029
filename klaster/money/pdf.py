"""Money documents and arrears letters as PDF (FIN-2, FIN-4; issue 10 point 8).

Printed like the minutes (klaster.governance.services.minutes): a Django template rendered in
Polish and turned into PDF by WeasyPrint, fonts local, nothing fetched from the network. The
labels are English msgids with their Polish translation; the document is always printed in
Polish (a Polish legal document).

`document_pdf` prints an invoice, a debit note or a correcting document: seller (the cluster's
coordinator), buyer (the member), a line a month billed, totals, the cluster's sub-account for
dues (refused when missing or not a valid IBAN) and the payment title; with its KSeF number,
QR code I. `arrears_letter_pdf` prints the notice / registered letter of FIN-4 for a member's
arrears (`selectors.arrears`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from stdnum import iban as stdnum_iban

from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.money import selectors
from klaster.money.models import Document, MemberBilling, MoneySettings
from klaster.rules.calendar import month_name_pl

ZERO = Decimal("0.00")


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads fonts and Pango on import

    return bytes(HTML(string=html).write_pdf())


def account_iban(cluster: Cluster) -> str:
    """The cluster's sub-account for dues as "PL" + 26 digits, checked (FIN-2); ValueError
    with a message naming the field when it is missing or not a valid IBAN."""
    row = MoneySettings.objects.filter(cluster=cluster).first()
    raw = (row.sub_account_iban if row else "") or ""
    compact = "".join(raw.split()).upper()
    if not compact:
        with translation.override("pl"):
            raise ValueError(
                _(
                    "The field “account for dues on documents” (sub_account_iban) of the money "
                    "settings is empty: a document cannot be printed without the account to pay to."
                )
            )
    if compact.isdigit():
        compact = "PL" + compact
    if not stdnum_iban.is_valid(compact):
        with translation.override("pl"):
            raise ValueError(
                _(
                    "The field “account for dues on documents” (sub_account_iban) of the money "
                    "settings is not a valid IBAN: %(value)s."
                )
                % {"value": raw}
            )
    return compact


def group_iban(compact: str) -> str:
    """ "PL61109010140000071219812874" → "PL61 1090 1014 0000 0712 1981 2874"."""
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def payment_reference(document: Document) -> str:
    billing = MemberBilling.objects.filter(member_id=document.member_id).first()
    return (billing.reference if billing else "") or document.member.key


def payment_title(document: Document) -> str:
    return f"{document.number} {payment_reference(document)}"


def _vat_rate_label(document: Document) -> str:
    if document.kind == Document.Kind.DEBIT_NOTE:
        return "—"
    return f"{document.vat_rate}%" if document.vat_rate else "np."


def _lines(document: Document) -> list[dict[str, Any]]:
    """One line a month billed (net, VAT, gross), or one line of the whole document."""
    rate = Decimal(document.vat_rate) if document.vat_rate else None
    months = list(document.months or ())
    lines: list[dict[str, Any]] = []
    if months:
        for month, net_text in months:
            day = dt.date.fromisoformat(month)
            net = Decimal(net_text)
            vat = (net * rate / 100).quantize(Decimal("0.01")) if rate is not None else ZERO
            lines.append(
                {
                    "name": f"{document.fee_type.name} — {month_name_pl(day)}",
                    "net": net,
                    "vat": vat,
                    "gross": net + vat,
                }
            )
        # the document's own totals are the law; a rounding cent goes to the last line
        diff = document.vat - sum((x["vat"] for x in lines), ZERO)
        if diff and document.kind != Document.Kind.DEBIT_NOTE:
            lines[-1]["vat"] += diff
            lines[-1]["gross"] += diff
    else:
        name = document.fee_type.name
        if document.period_start and document.period_end:
            name = _("Membership dues for the period %(start)s – %(end)s") % {
                "start": f"{document.period_start:%d.%m.%Y}",
                "end": f"{document.period_end:%d.%m.%Y}",
            }
        lines.append(
            {"name": name, "net": document.net, "vat": document.vat, "gross": document.gross}
        )
    return lines


def _title(document: Document) -> str:
    if document.kind == Document.Kind.DEBIT_NOTE:
        return pgettext("document title", "Debit note")
    if document.kind == Document.Kind.CORRECTION:
        if document.corrects is not None and document.corrects.kind == Document.Kind.DEBIT_NOTE:
            return pgettext("document title", "Correcting debit note")
        return pgettext("document title", "Correcting VAT invoice")
    return pgettext("document title", "VAT invoice")


def _ksef_qr(document: Document) -> str:
    """QR code I of a document with a KSeF number: the verification link of its FA(3) file."""
    from klaster.money import ksef, outbox

    coordinator = document.cluster.coordinator
    xml, _problems = outbox.build(document)
    if xml is None or coordinator is None or not coordinator.nip:
        return ""
    url = ksef.verification_url(seller_nip=coordinator.nip, issue_date=document.issued, xml=xml)
    return str(ksef.qr_svg(url))


def document_context(document: Document) -> dict[str, Any]:
    iban = account_iban(document.cluster)
    qr = _ksef_qr(document) if document.ksef_number else ""
    return {
        "document": document,
        "title": _title(document),
        "debit_note": document.kind == Document.Kind.DEBIT_NOTE
        or (
            document.kind == Document.Kind.CORRECTION
            and document.corrects is not None
            and document.corrects.kind == Document.Kind.DEBIT_NOTE
        ),
        "seller": document.cluster.coordinator,
        "buyer": document.member,
        "lines": _lines(document),
        "vat_rate": _vat_rate_label(document),
        "iban": group_iban(iban),
        "payment_title": payment_title(document),
        "qr_svg": mark_safe(qr),  # noqa: S308 — segno's own SVG, no user text in it
        "generated_at": timezone.localtime(),
    }


def document_html(document: Document) -> str:
    with translation.override("pl"):
        return render_to_string("money/document_pdf.html", document_context(document))


def document_pdf(document: Document) -> bytes:
    """The document as PDF bytes (FIN-2); ValueError when the cluster's account is missing or
    invalid."""
    return _pdf(document_html(document))


# --- the arrears letter (FIN-4) -------------------------------------------------------------


def arrears_context(
    cluster: Cluster, member_arrears: selectors.MemberArrears, as_of: dt.date, stage: str
) -> dict[str, Any]:
    iban = account_iban(cluster)
    docs = member_arrears.documents
    regimes = [
        {"number": d.document.number, "basis": d.interest.basis, "text": say(d.interest.message)}
        for d in docs
    ]
    compensation = selectors.compensation_lines(docs)
    billing = MemberBilling.objects.filter(member_id=member_arrears.member.pk).first()
    reference = (billing.reference if billing else "") or member_arrears.member.key
    return {
        "cluster": cluster,
        "coordinator": cluster.coordinator,
        "member": member_arrears.member,
        "as_of": as_of,
        "stage": stage,
        "documents": docs,
        "total_open": sum((d.open for d in docs), ZERO),
        "total_interest": sum((d.interest.amount for d in docs), ZERO),
        "regimes": regimes,
        "compensation": compensation,
        "total_compensation": sum((c.pln for c in compensation if c.pln is not None), ZERO),
        "iban": group_iban(iban),
        "payment_title": " ".join([*(d.document.number for d in docs), reference]),
        "generated_at": timezone.localtime(),
    }


def arrears_letter_html(
    cluster: Cluster, member_arrears: selectors.MemberArrears, as_of: dt.date, stage: str
) -> str:
    with translation.override("pl"):
        return render_to_string(
            "money/arrears_letter_pdf.html", arrears_context(cluster, member_arrears, as_of, stage)
        )


def arrears_letter_pdf(
    cluster: Cluster, member_arrears: selectors.MemberArrears, as_of: dt.date, stage: str
) -> bytes:
    """The notice ("60") or registered letter ("90") about a member's arrears (FIN-4) as PDF."""
    return _pdf(arrears_letter_html(cluster, member_arrears, as_of, stage))
