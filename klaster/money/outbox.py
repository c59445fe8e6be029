"""The KSeF outbox (FIN-2, issue 10 point 3): the cluster's VAT invoices to VAT payers go to KSeF.

    mark_for_ksef(documents)              the dues run's new invoices that KSeF must get: "waiting"
    invoice_of(document) -> ksef.Invoice  what FA(3) says about a document
    send_waiting(cluster, gateway, now)   send what waits (or is offline within its window)
    configured_gateway(cluster)           the gateway of settings.KLASTER_KSEF, or None

A document's `ksef_state` moves waiting → sent, or waiting → offline → sent, or → failed:

* its FA(3) cannot be made (bad data, or the schema refuses it): failed at once, never sent;
* KSeF took it: sent, with its KSeF number and UPO;
* KSeF could not be reached (or is overloaded, or still processing): offline, tried again while
  the offline24 window is open (`klaster.money.ksef.offline24`: until the end of the business day
  after the document was made — its `created_at`, the FA(3) `DataWytworzeniaFa`), then failed;
* KSeF refused it for good (rejected, duplicate, credentials): failed.

Every try is a `KsefAttempt` (its messages stored as rule-message JSON, rendered in the reader's
language); every change of state is audited. Each document is sent in its own transaction with
its row locked (`select_for_update(skip_locked=True)` on PostgreSQL): a second sender skips a
document another is sending and, once that one commits, finds it no longer waiting — so no
document is sent twice. A document KSeF took but whose number or UPO was late carries the
invoice's reference on its attempt, and the next try resumes it instead of sending it again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.core.say import say
from klaster.money import ksef
from klaster.money.ksef import messages as ksef_messages
from klaster.money.models import Document, KsefAttempt, MemberBilling, MoneySettings
from klaster.rules.calendar import month_name_pl, warsaw_date
from klaster.rules.message import Msg, define, from_json, to_json

log = logging.getLogger("klaster.money.ksef")

NOT_BUILT = define(
    "money.ksef.not_built",
    "The invoice was not sent to KSeF: its FA(3) document cannot be made.",
)
NO_SELLER = define(
    "money.ksef.no_seller",
    "The cluster has no coordinator: the seller of its invoices is unknown.",
)
UNEXPECTED = define("money.ksef.unexpected", "Sending to KSeF failed unexpectedly: {detail}")
NOT_CONFIGURED = define(
    "money.ksef.not_configured",
    "KSeF is not configured (KLASTER_KSEF_ENV, KLASTER_KSEF_NIP, KLASTER_KSEF_TOKEN): "
    "nothing was sent.",
)
OTHER_NIP = define(
    "money.ksef.other_nip",
    "KSeF is configured for NIP {nip}, not for the cluster's coordinator ({coordinator}): "
    "nothing was sent.",
)

W = Document.Ksef
# Polish month names for the invoice's lines: the e-invoice is a Polish document whatever the
# language of the office that sends it (as the PDF of the document is).


# --- which documents go to KSeF -------------------------------------------------------------


def mark_for_ksef(documents: Iterable[Document], *, user: Any = None) -> int:
    """Mark the newly issued documents KSeF must get as "waiting" (in memory and in the
    database); returns how many. A VAT invoice to a member that is an active VAT payer
    (`MemberBilling.vat_payer`, True without a row) goes; a debit note, a correction and an
    invoice to a member that is not a VAT payer stay "" (a dues run marks the corrections of VAT
    invoices itself, `services._issue_corrections`). Called in the issuing transaction."""
    invoices = [d for d in documents if d.kind == Document.Kind.INVOICE and not d.ksef_state]
    if not invoices:
        return 0
    not_payers = set(
        MemberBilling.objects.filter(
            member_id__in={d.member_id for d in invoices}, vat_payer=False
        ).values_list("member_id", flat=True)
    )
    marked = [
        d
        for d in invoices
        if ksef.ksef_required(fee_taxable=True, buyer_vat_payer=d.member_id not in not_payers)
    ]
    if not marked:
        return 0
    for d in marked:
        d.ksef_state = W.WAITING
    with transaction.atomic():
        stored = [d.pk for d in marked if d.pk is not None]
        Document.objects.filter(pk__in=stored, ksef_state="").update(ksef_state=W.WAITING)
        cluster = marked[0].cluster
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            model="money.Document",
            object_repr=f"KSeF: {len(marked)} waiting",
            changes={"ksef_state": ["", W.WAITING], "documents": [len(marked)]},
            source="money",
        )
    return len(marked)


# --- the invoice ------------------------------------------------------------------------------


def _address(member: Any) -> ksef.Address:
    town = f"{member.postal_code} {member.city}".strip()
    if member.street:
        return ksef.Address(member.street, town)
    return ksef.Address(town)


def _party(member: Any) -> ksef.Party:
    return ksef.Party(member.name, member.nip or None, _address(member))


def _iban(account: str) -> str:
    return f"PL{account}" if account.isdigit() else account


def invoice_of(document: Document) -> ksef.Invoice:
    """The document as the KSeF adapter takes it: the coordinator sells, the member buys, one
    line a month of `document.months` (one line of the fee otherwise), the period billed, the
    due date and the cluster's account for dues. The totals are the document's own: FA(3) is
    refused if the lines compute others (`check_invoice`). Raises `ksef.InvoiceDataError`."""
    cluster = document.cluster
    coordinator = cluster.coordinator
    if coordinator is None:
        raise ksef.InvoiceDataError([ksef.Problem("seller", Msg.of(NO_SELLER))])
    rate = document.vat_rate or "23"
    fee = document.fee_type.name
    corrected = None
    reason = ""
    lines: list[ksef.Line] = []
    original = document.corrects if document.kind == Document.Kind.CORRECTION else None
    if original is not None:
        # FA(3) KOR: the lines as they stood (`StanPrzed`), then as they stand; totals are the
        # differences, which are the correction's own amounts
        lines += _lines(fee, _months_before(document, original), original.net, rate, before=True)
        if document.months:
            lines += _lines(fee, document.months, document.net, rate, before=False)
        corrected = ksef.CorrectedInvoice(
            original.number, original.issued, original.ksef_number or None
        )
        with translation.override("pl"):
            reason = say(from_json(document.explanation))[:256] if document.explanation else ""
    else:
        lines += _lines(fee, document.months or [], document.net, rate, before=False)
    settings_row = MoneySettings.objects.filter(cluster=cluster).first()
    account = settings_row.sub_account_iban if settings_row else ""
    payment = None
    if account and document.gross > 0:
        billing = MemberBilling.objects.filter(member_id=document.member_id).first()
        reference = (billing.reference if billing else "") or document.member.key
        payment = ksef.Payment(
            document.due, _iban(account), f"{document.number} {reference}".strip()
        )
    totals = ksef.Totals(
        by_rate=(ksef.RateTotal(rate, document.net, document.vat),),
        net=document.net,
        vat=document.vat,
        gross=document.gross,
    )
    return ksef.Invoice(
        number=document.number,
        issue_date=document.issued,
        created_at=document.created_at,
        seller=_party(coordinator),
        buyer=_party(document.member),
        lines=tuple(lines),
        period_from=document.period_start,
        period_to=document.period_end,
        payment=payment,
        totals=totals,
        place=coordinator.city,
        corrected=corrected,
        correction_reason=reason,
    )


def _lines(
    fee: str, months: list[list[str]], net: Decimal, rate: str, *, before: bool
) -> list[ksef.Line]:
    """One line a month billed, or one line of the fee's whole net without months."""
    out = [
        ksef.Line(
            f"{fee} — {month_name_pl(dt.date.fromisoformat(month))}",
            Decimal("1"),
            "mies.",
            Decimal(value),
            rate,
            before=before,
        )
        for month, value in months
    ]
    if not out:
        out.append(ksef.Line(fee, Decimal("1"), "szt.", net, rate, before=before))
    return out


def _months_before(document: Document, original: Document) -> list[list[str]]:
    """The months the corrected invoice billed just before this correction: the invoice's own,
    or those of the last correction of it issued before this one."""
    earlier = (
        Document.objects.filter(corrects=original)
        .filter(Q(issued__lt=document.issued) | Q(issued=document.issued, seq__lt=document.seq))
        .order_by("-issued", "-seq")
        .values_list("months", flat=True)
        .first()
    )
    return list(earlier if earlier is not None else original.months or [])


def build(document: Document) -> tuple[bytes | None, list[Msg]]:
    """FA(3) of the document checked against the official schema offline, or why it cannot be
    made (every problem)."""
    try:
        xml = ksef.build_fa3(invoice_of(document))
    except ksef.InvoiceDataError as exc:
        return None, list(exc.messages())
    except ksef.Fa3SchemaError as exc:
        return None, ksef.validation_messages(list(exc.problems))
    problems = ksef.validate_fa3(xml)
    if problems:
        return None, ksef.validation_messages(problems)
    return xml, []


# --- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of one document: its new state, KSeF number, and the messages of the try."""

    document_id: int
    number: str
    state: str
    ksef_number: str = ""
    messages: tuple[Msg, ...] = ()
    deadline: dt.datetime | None = None


@dataclass
class SendReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)

    @property
    def sent(self) -> int:
        return self.count(W.SENT)


def _store(messages: Sequence[Msg]) -> str:
    return json.dumps([to_json(m) for m in messages], ensure_ascii=False)


def attempt_messages(attempt: KsefAttempt) -> list[Msg]:
    """The messages stored on an attempt (an older plain text error becomes no message)."""
    if not attempt.error:
        return []
    try:
        data = json.loads(attempt.error)
    except ValueError:
        return []
    return [from_json(item) for item in data if isinstance(item, dict)]


def _reference_text(reference: ksef.SendReference) -> str:
    return f"{reference.session} {reference.invoice}"


def _reference_of(text: str) -> ksef.SendReference | None:
    session, _, invoice = text.partition(" ")
    return ksef.SendReference(session, invoice) if session and invoice else None


def offline_since(document: Document) -> dt.datetime:
    """When the document was made: the offline24 window counts from it."""
    return document.created_at


def retry_deadline(document: Document) -> dt.datetime:
    """The first instant the document may no longer be sent in offline24 mode."""
    return ksef.retry_deadline(offline_since(document))


def last_retry_day(document: Document) -> dt.date:
    """The last (Warsaw) day the document is tried again, as people say it."""
    return warsaw_date(retry_deadline(document) - dt.timedelta(microseconds=1))


def _lock(pk: int) -> Document | None:
    query = Document.objects.select_related("cluster__coordinator", "member", "fee_type")
    if connection.features.has_select_for_update_skip_locked:
        query = query.select_for_update(skip_locked=True, of=("self",))
    elif connection.features.has_select_for_update:
        query = query.select_for_update()
    return query.filter(pk=pk, ksef_state__in=(W.WAITING, W.OFFLINE)).first()


def _change(document: Document, state: str, user: Any, **fields: str) -> None:
    before = document.ksef_state
    document.ksef_state = state
    for name, value in fields.items():
        setattr(document, name, value)
    Document.objects.filter(pk=document.pk).update(ksef_state=state, **fields)
    changes: dict[str, list[str]] = {"ksef_state": [before, state]}
    if fields.get("ksef_number"):
        changes["ksef_number"] = ["", fields["ksef_number"]]
    audit_record(
        cluster=document.cluster,
        user=user,
        action="update",
        instance=document,
        changes=changes,
        source="money",
    )


def _send_one(pk: int, gateway: ksef.KsefGateway, now: dt.datetime, user: Any) -> Outcome | None:
    with transaction.atomic():
        document = _lock(pk)
        if document is None:  # another sender has it, or it is no longer waiting
            return None
        offline = document.ksef_state == W.OFFLINE
        waits = _waits_for_original(document)
        if waits is not None:  # FA(3) KOR names the KSeF number of what it corrects
            return Outcome(document.pk, document.number, document.ksef_state, messages=(waits,))
        if offline and not ksef.may_retry(offline_since(document), now):
            return _give_up(document, now, user)
        xml, problems = build(document)
        if xml is None:
            messages = [Msg.of(NOT_BUILT), *problems]
            KsefAttempt.objects.create(document=document, at=now, error=_store(messages))
            _change(document, W.FAILED, user)
            return Outcome(document.pk, document.number, W.FAILED, messages=tuple(messages))
        last = document.ksef_attempts.order_by("-at", "-id").first()
        resume = _reference_of(last.reference) if offline and last and not last.ok else None
        try:
            if resume is not None:
                result = gateway.resume(resume)
            else:
                result = gateway.send(xml, offline=offline)
        except ksef.KsefSendError as exc:
            return _failed(document, now, user, exc.message, exc.retryable, exc, offline)
        except Exception as exc:  # noqa: BLE001 — an unknown failure is a retryable one, logged
            log.exception("sending %s to KSeF failed", document.number)
            reason = Msg.of(UNEXPECTED, detail=f"{type(exc).__name__}: {exc}"[:200])
            return _failed(document, now, user, reason, True, None, offline)
        KsefAttempt.objects.create(
            document=document,
            at=now,
            ok=True,
            offline=offline,
            reference=_reference_text(result.reference)[:100],
        )
        _change(
            document,
            W.SENT,
            user,
            ksef_number=result.ksef_number,
            ksef_upo=result.upo_xml.decode("utf-8", errors="replace"),
        )
        return Outcome(document.pk, document.number, W.SENT, ksef_number=result.ksef_number)


WAITS_FOR_ORIGINAL = define(
    "money.ksef.waits_for_original",
    "The correction waits until KSeF accepts the invoice it corrects, {number}.",
)


def _waits_for_original(document: Document) -> Msg | None:
    """A correction of an invoice that should be in KSeF but has no KSeF number yet waits for
    it (a correction refers to the corrected invoice by its KSeF number); one of an invoice
    issued outside KSeF goes at once (`NrKSeFN`)."""
    original = document.corrects if document.kind == Document.Kind.CORRECTION else None
    if original is None or not original.ksef_state or original.ksef_state == W.SENT:
        return None
    return Msg.of(WAITS_FOR_ORIGINAL, number=original.number)


def _failed(
    document: Document,
    now: dt.datetime,
    user: Any,
    reason: Msg,
    retryable: bool,
    exc: ksef.KsefSendError | None,
    offline: bool,
) -> Outcome:
    step = ksef.after_failure(
        issued_at=offline_since(document), now=now, retryable=retryable, reason=reason
    )
    reference = ""
    if exc is not None and exc.resumable and exc.reference is not None:
        reference = _reference_text(exc.reference)[:100]
    KsefAttempt.objects.create(
        document=document,
        at=now,
        offline=offline,
        reference=reference,
        error=_store([step.message]),
    )
    state = W.OFFLINE if step.action == "retry" else W.FAILED
    if state != document.ksef_state:
        _change(document, state, user)
    deadline = step.deadline if state == W.OFFLINE else None
    return Outcome(document.pk, document.number, state, messages=(step.message,), deadline=deadline)


def _give_up(document: Document, now: dt.datetime, user: Any) -> Outcome:
    """An offline document whose window closed before this try: failed, with the last reason."""
    last = document.ksef_attempts.order_by("-at", "-id").first()
    reasons = attempt_messages(last) if last else []
    reason = reasons[0].kwargs.get("reason") if reasons else None
    if not isinstance(reason, Msg):
        reason = Msg.of(ksef_messages.SEND_UNREACHABLE, detail="—")
    step = ksef.after_failure(
        issued_at=offline_since(document), now=now, retryable=True, reason=reason
    )
    KsefAttempt.objects.create(
        document=document, at=now, offline=True, error=_store([step.message])
    )
    _change(document, W.FAILED, user)
    return Outcome(document.pk, document.number, W.FAILED, messages=(step.message,))


def send_waiting(
    cluster: Cluster, gateway: ksef.KsefGateway, now: dt.datetime, *, user: Any = None
) -> SendReport:
    """Send every document of the cluster that waits for KSeF, or is offline within its
    offline24 window (an offline one past it becomes failed). Idempotent: a sent or failed
    document is never tried again; one another sender holds is skipped."""
    ids = list(
        Document.objects.filter(cluster=cluster, ksef_state__in=(W.WAITING, W.OFFLINE))
        .order_by("issued", "series", "seq")
        .values_list("pk", flat=True)
    )
    report = SendReport()
    for pk in ids:
        outcome = _send_one(pk, gateway, now, user)
        if outcome is not None:
            report.outcomes.append(outcome)
    return report


# --- configuration --------------------------------------------------------------------------


_UNSET = object()


def ksef_settings() -> dict[str, str] | None:
    """settings.KLASTER_KSEF ({"env", "token", "nip"}, optionally "base_url"), or — when the
    settings do not name it — the KLASTER_KSEF_ENV, KLASTER_KSEF_TOKEN, KLASTER_KSEF_NIP (and
    KLASTER_KSEF_URL) environment variables. None: KSeF is not configured."""
    value: Any = getattr(settings, "KLASTER_KSEF", _UNSET)
    if value is _UNSET:
        value = {
            "env": os.environ.get("KLASTER_KSEF_ENV", ""),
            "token": os.environ.get("KLASTER_KSEF_TOKEN", ""),
            "nip": os.environ.get("KLASTER_KSEF_NIP", ""),
            "base_url": os.environ.get("KLASTER_KSEF_URL", ""),
        }
    if not value or not value.get("token") or not value.get("nip"):
        return None
    return {k: str(v) for k, v in value.items() if v}


def gateway_problem(cluster: Cluster) -> Msg | None:
    """Why the cluster cannot send to KSeF from here (None: it can)."""
    config = ksef_settings()
    if config is None:
        return Msg.of(NOT_CONFIGURED)
    coordinator = cluster.coordinator
    if coordinator is None:
        return Msg.of(NO_SELLER)
    if coordinator.nip != config["nip"]:
        return Msg.of(OTHER_NIP, nip=config["nip"], coordinator=coordinator.nip or "—")
    return None


def configured_gateway(cluster: Cluster, *, timeout_seconds: float = 30.0) -> Any:
    """The gateway of the configured KSeF for this cluster (its coordinator's NIP is the one
    configured), or None."""
    if gateway_problem(cluster) is not None:
        return None
    config = ksef_settings()
    assert config is not None
    return ksef.ClientGateway(
        ksef.KsefConfig(
            nip=config["nip"],
            token=config["token"],
            env=config.get("env", "test"),
            base_url=config.get("base_url") or None,
            timeout_seconds=timeout_seconds,
        )
    )


def send_configured(
    cluster: Cluster, now: dt.datetime, *, user: Any = None, timeout_seconds: float = 30.0
) -> SendReport | Msg:
    """send_waiting with the configured gateway, or why there is none (nothing changes)."""
    problem = gateway_problem(cluster)
    if problem is not None:
        return problem
    gateway = configured_gateway(cluster, timeout_seconds=timeout_seconds)
    return send_waiting(cluster, gateway, now, user=user)
