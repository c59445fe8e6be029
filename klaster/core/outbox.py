"""The outbox (PLT-2): every e-mail a module sends by itself or in bulk — newsletters, event
invitations, meeting notices — goes into :class:`~klaster.core.models.OutboxMessage` rows and is
delivered by the background worker through the configured SMTP server, never by the page that
asked for it. Each message is kept whole (the MIME bytes as sent), so the office can read what
went to whom, and when, afterwards.

Delivery (:func:`deliver_due`, at every tick of `klaster worker`):

- a batch of due rows is *claimed* with one UPDATE (queued/retry → sending, with the taker's
  random claim): of any number of workers — on several machines against PostgreSQL — only one
  gets a row, so a message is never sent twice;
- the batch goes out over one SMTP connection; the sent rows are marked in one UPDATE;
- a temporary refusal (4xx, a server away, a dropped connection) puts the row back with a
  growing pause (:func:`backoff`) until :data:`MAX_ATTEMPTS`; a permanent refusal of every
  recipient (5xx) is a **bounce**: recorded with the server's words and not retried;
- a row left "sending" by a worker killed mid-batch (:data:`STALE_AFTER`) may or may not have
  gone out: it is marked not sent with that explanation and is never sent again by itself (the
  office may send it again from its page).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage as MimeMessage
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from klaster.core.mailbox import CLUSTER_HEADER
from klaster.core.models import Cluster, OutboxMessage
from klaster.core.smtp import SMTP_BACKEND

log = logging.getLogger("klaster.outbox")

#: a message is tried at most this many times; then it stays "not sent" with the last error
MAX_ATTEMPTS = 6
#: the pause after the first failed attempt, doubled after each next one (1, 2, 4, 8, 16 min)
FIRST_PAUSE = dt.timedelta(minutes=1)
#: a row "being sent" this long was left by a worker that died mid-batch
STALE_AFTER = dt.timedelta(minutes=30)
#: one message, attachments included, is refused above this size before it is queued
MAX_MESSAGE_BYTES = 15 * 1024 * 1024
#: rows claimed and sent over one SMTP connection at a time
BATCH = 200


def backoff(attempts: int) -> dt.timedelta:
    return FIRST_PAUSE * 2 ** max(attempts - 1, 0)


def outbox_enqueue(
    *,
    cluster: Cluster,
    messages: Iterable[EmailMessage],
    kind: str = OutboxMessage.Kind.OTHER,
    source: str = "",
    statutory: bool = False,
    user: Any = None,
) -> list[OutboxMessage]:
    """Queue ``messages`` for the worker to send; returns the rows (in one bulk insert per
    :data:`BATCH`). Each message gets the cluster header (the demo mailbox files by it) and its
    Message-ID now, so the copy kept is the message as sent. A message above
    :data:`MAX_MESSAGE_BYTES` or without a recipient is refused and nothing is queued."""
    now = timezone.now()
    rows = []
    for message in messages:
        message.extra_headers.setdefault(CLUSTER_HEADER, cluster.slug)
        recipients = message.recipients()
        if not recipients:
            raise ValidationError(_("A message without a recipient cannot be sent."))
        mime = message.message()
        raw = mime.as_bytes(linesep="\r\n")
        message_id = str(mime["Message-ID"] or "").strip()
        if len(raw) > MAX_MESSAGE_BYTES:
            raise ValidationError(
                _("The message “%(subject)s” is larger than %(limit)s MB.")
                % {"subject": message.subject, "limit": MAX_MESSAGE_BYTES // (1024 * 1024)}
            )
        rows.append(
            OutboxMessage(
                cluster=cluster,
                kind=kind,
                statutory=statutory,
                source=source[:80],
                sender=message.from_email or settings.DEFAULT_FROM_EMAIL,
                to=recipients,
                subject=str(message.subject)[:300],
                raw=raw,
                message_id=message_id[:255],
                created_at=now,
                next_attempt_at=now,
                created_by=user if getattr(user, "pk", None) else None,
            )
        )
    with transaction.atomic():
        return OutboxMessage.objects.bulk_create(rows, batch_size=BATCH)


@dataclass
class Delivery:
    sent: int = 0
    retried: int = 0
    bounced: int = 0
    failed: int = 0
    stale: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        out = {
            "wysłane": self.sent,
            "do ponowienia": self.retried,
            "odbite": self.bounced,
            "niewysłane": self.failed,
        }
        return {k: v for k, v in out.items() if v}


def _claim(now: dt.datetime, token: str, limit: int) -> list[OutboxMessage]:
    due = OutboxMessage.objects.filter(
        state__in=(OutboxMessage.State.QUEUED, OutboxMessage.State.RETRY),
        next_attempt_at__lte=now,
    ).order_by("next_attempt_at", "id")
    ids = list(due.values_list("pk", flat=True)[:limit])
    if not ids:
        return []
    OutboxMessage.objects.filter(
        pk__in=ids, state__in=(OutboxMessage.State.QUEUED, OutboxMessage.State.RETRY)
    ).update(
        state=OutboxMessage.State.SENDING,
        claim=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return list(
        OutboxMessage.objects.filter(claim=token, state=OutboxMessage.State.SENDING)
        .only("pk", "sender", "to", "raw", "attempts")
        .order_by("id")
    )


def _connection() -> Any:
    return get_connection(
        SMTP_BACKEND,
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        username=settings.EMAIL_HOST_USER,
        password=settings.EMAIL_HOST_PASSWORD,
        use_tls=settings.EMAIL_USE_TLS,
        timeout=30,
        fail_silently=False,
    )


def _permanent(refused: dict[str, tuple[int, bytes]]) -> bool:
    return bool(refused) and all(500 <= code < 600 for code, _msg in refused.values())


def _words(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{addr}: {code} {msg.decode('utf-8', 'replace')}" for addr, (code, msg) in refused.items()
    )


def _later(row: OutboxMessage, error: str, now: dt.datetime, report: Delivery) -> None:
    """A temporary failure: back to the queue after a pause, or not sent after the last try."""
    if row.attempts < MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=row.pk).update(
            state=OutboxMessage.State.RETRY,
            claim="",
            error=error,
            next_attempt_at=now + backoff(row.attempts),
        )
        report.retried += 1
    else:
        OutboxMessage.objects.filter(pk=row.pk).update(
            state=OutboxMessage.State.FAILED, claim="", error=error
        )
        report.failed += 1


def _send_batch(rows: list[OutboxMessage], now: dt.datetime, report: Delivery) -> None:
    connection = _connection()
    try:
        connection.open()
    except OSError as exc:  # the server is away: the whole batch waits for its next attempt
        error = _("SMTP sending failed (%(server)s): %(error)s") % {
            "server": f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}",
            "error": exc,
        }
        for row in rows:
            _later(row, error, now, report)
        report.errors.append(error)
        return
    sent: list[int] = []
    try:
        for row in rows:
            try:
                refused = connection.connection.sendmail(row.sender, row.to, bytes(row.raw))
            except smtplib.SMTPRecipientsRefused as exc:
                if _permanent(exc.recipients):
                    OutboxMessage.objects.filter(pk=row.pk).update(
                        state=OutboxMessage.State.BOUNCED, claim="", error=_words(exc.recipients)
                    )
                    report.bounced += 1
                else:
                    _later(row, _words(exc.recipients), now, report)
                continue
            except smtplib.SMTPResponseException as exc:
                words = exc.smtp_error
                text = words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)
                error = f"{exc.smtp_code} {text}"
                if 500 <= exc.smtp_code < 600:
                    OutboxMessage.objects.filter(pk=row.pk).update(
                        state=OutboxMessage.State.BOUNCED, claim="", error=error
                    )
                    report.bounced += 1
                else:
                    _later(row, error, now, report)
                try:
                    connection.connection.rset()
                except (smtplib.SMTPException, OSError):
                    connection = _reopen(connection)
                continue
            except (smtplib.SMTPException, OSError) as exc:
                _later(row, f"{type(exc).__name__}: {exc}", now, report)
                connection = _reopen(connection)
                continue
            if refused:  # some recipients refused, the others took it: sent, with the refusals
                OutboxMessage.objects.filter(pk=row.pk).update(
                    state=OutboxMessage.State.SENT, claim="", sent_at=now, error=_words(refused)
                )
                report.sent += 1
            else:
                sent.append(row.pk)
    finally:
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(
                state=OutboxMessage.State.SENT, claim="", sent_at=timezone.now(), error=""
            )
            report.sent += len(sent)
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass


def _reopen(connection: Any) -> Any:
    try:
        connection.close()
    except (smtplib.SMTPException, OSError):
        pass
    fresh = _connection()
    try:
        fresh.open()
    except OSError:
        pass  # the next row's sendmail fails and is put back for later
    return fresh


def recover_stale(now: dt.datetime) -> int:
    """Rows left "being sent" by a worker that died: not sent again by themselves (they may
    have gone out), marked so that the office decides."""
    return OutboxMessage.objects.filter(
        state=OutboxMessage.State.SENDING, claimed_at__lt=now - STALE_AFTER
    ).update(
        state=OutboxMessage.State.FAILED,
        claim="",
        error=_(
            "Sending was interrupted (the worker stopped); the message may or may not have been "
            "delivered. Send it again if it is needed."
        ),
    )


def deliver_due(*, now: dt.datetime | None = None, limit: int | None = None) -> Delivery:
    """Send every due message (at most ``limit``), batch by batch; returns the counts."""
    report = Delivery()
    token = get_random_string(32)
    moment = now or timezone.now()
    report.stale = recover_stale(moment)
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        rows = _claim(moment, token, size)
        if not rows:
            break
        _send_batch(rows, moment, report)
        done += len(rows)
    return report


#: a delivery report (RFC 3464) is read only this far
MAX_REPORT_BYTES = 2 * 1024 * 1024


def bounce_record(raw: bytes) -> OutboxMessage | None:
    """A delivery status notification (RFC 3464) that came back after the server had accepted a
    message: the kept message it names (by Message-ID in the returned headers) is marked bounced
    with the report's status and diagnostic. Returns it, or None for a report that is not about
    a permanent failure of one of ours. Fed by `klaster bounce` (an MTA's pipe or a file)."""
    if len(raw) > MAX_REPORT_BYTES:
        raw = raw[:MAX_REPORT_BYTES]
    report = email.message_from_bytes(raw, policy=email.policy.default)
    status, diagnostic, original_id = "", "", ""
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload() or []:
                if hasattr(block, "get"):
                    if block.get("Action", "").strip().lower() == "failed":
                        status = str(block.get("Status", "")).strip()
                        diagnostic = str(block.get("Diagnostic-Code", "")).strip()
        elif kind in ("text/rfc822-headers", "message/rfc822"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is not None and hasattr(inner, "get"):
                original_id = str(inner.get("Message-ID", "")).strip()
            else:
                body = part.get_payload(decode=True)
                headers = email.message_from_bytes(
                    body if isinstance(body, bytes) else b"", policy=email.policy.default
                )
                original_id = str(headers.get("Message-ID", "")).strip()
    if not original_id or not status.startswith("5"):
        return None
    row = OutboxMessage.objects.filter(message_id=original_id).order_by("-id").first()
    if row is None:
        return None
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=OutboxMessage.State.BOUNCED, error=f"{status} {diagnostic}".strip()[:2000]
    )
    row.refresh_from_db()
    return row


def office_addresses(cluster: Cluster) -> list[str]:
    """The office's addresses: every office user's e-mail and the cluster's contact e-mail."""
    from klaster.core.models import ClusterRole, Role

    emails = set(
        ClusterRole.objects.filter(cluster=cluster, role=Role.OFFICE)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if cluster.contact_email:
        emails.add(cluster.contact_email)
    return sorted(emails)


def outbox_resend(*, message: OutboxMessage, user: Any) -> OutboxMessage:
    """The office sends a kept message again: a new row with the same bytes (the old one stays,
    so the record shows both)."""
    from klaster.core.audit import audit_record

    if message.state not in (OutboxMessage.State.FAILED, OutboxMessage.State.BOUNCED):
        raise ValidationError(_("Only a message that was not sent or bounced is sent again."))
    with transaction.atomic():
        copy = OutboxMessage.objects.create(
            cluster=message.cluster,
            kind=message.kind,
            statutory=message.statutory,
            source=message.source,
            sender=message.sender,
            to=message.to,
            subject=message.subject,
            raw=bytes(message.raw),
            created_by=user if getattr(user, "pk", None) else None,
        )
        audit_record(
            cluster=message.cluster,
            user=user,
            action="resend",
            instance=copy,
            object_repr=message.subject,
            changes={"to": [None, ", ".join(message.to)]},
        )
    return copy


def parsed(message: OutboxMessage) -> MimeMessage:
    """The kept message as an e-mail object (for the office's reading page)."""
    out = email.message_from_bytes(bytes(message.raw), policy=email.policy.default)
    assert isinstance(out, MimeMessage)
    return out


def body_text(message: OutboxMessage) -> str:
    part = parsed(message).get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def attachments(message: OutboxMessage) -> list[tuple[str, str, int]]:
    out = []
    for part in parsed(message).iter_attachments():
        payload = part.get_payload(decode=True) or b""
        out.append((part.get_filename() or "—", part.get_content_type(), len(payload)))
    return out
