"""Sending an FA(3) document to KSeF, behind one small interface.

`KsefGateway` is what the money app's outbox talks to: `send(xml)` returns the KSeF number, the
UPO (urzędowe poświadczenie odbioru) and when KSeF took the invoice, or raises `KsefSendError`,
which says whether trying again can help (`retryable`: KSeF unreachable, overloaded, still
processing) or not (rejected, duplicate, bad credentials). A send that got as far as an invoice
reference carries it (`reference`), so the outbox resumes it with `resume(reference)` instead of
sending the document again (KSeF refuses a second invoice with the same seller, number and kind:
status 440, duplicate).

`ClientGateway` implements it over the maintained `ksef-client` package (KSeF API 2.0): a KSeF
token authenticates the cluster (challenge, token encrypted with KSeF's public key, status,
redeem), an online session is opened with an AES key encrypted for KSeF, the invoice is sent
encrypted, its status is polled until KSeF gives the number, and the UPO is fetched. The local
fake (`klaster.money.ksef.fake.FakeKsef`) speaks the same protocol over real HTTP for the tests.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from ksef_client import KsefClient, KsefClientOptions
from ksef_client import models as km
from ksef_client.exceptions import KsefHttpError
from ksef_client.services import AuthCoordinator, OnlineSessionWorkflow
from ksef_client.utils.datetime_parsing import try_parse_api_datetime

from klaster.rules.message import Msg

from . import messages as m
from .fa3 import FORM_CODE
from .interface import (
    ENVIRONMENTS,
    KsefConfig,
    KsefGateway,
    KsefSendError,
    SendReference,
    SendResult,
)
from .number import ksef_number_valid

__all__ = [
    "ENVIRONMENTS",
    "ClientGateway",
    "KsefConfig",
    "KsefGateway",
    "KsefSendError",
    "SendReference",
    "SendResult",
]

# KSeF's invoice status codes (API 2.0, "status faktury w sesji"): 100 accepted for processing,
# 150 processing, 200 success. 405 (session error) and 500/550 (KSeF's own failure, cancelled by
# the system) may pass on another try; 410, 415, 430, 435, 450 reject the document as it is and
# 440 says KSeF already has it.
_IN_PROGRESS = frozenset({100, 150})
_SUCCESS = 200
_DUPLICATE = 440
_RETRYABLE_INVOICE_CODES = frozenset({405, 500, 550})
_RETRYABLE_HTTP = frozenset({408, 425, 429, 500, 502, 503, 504})


def _detail(exc: KsefHttpError) -> str:
    body = exc.response_body
    if isinstance(body, dict):
        exception = body.get("exception")
        if isinstance(exception, dict):
            details = exception.get("exceptionDetailList") or []
            texts = [
                f"{d.get('exceptionCode', '')} {d.get('exceptionDescription', '')}".strip()
                for d in details
                if isinstance(d, dict)
            ]
            if texts:
                return "; ".join(texts)
        for key in ("detail", "title", "description"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return exc.message[:200]


def _from_http(exc: KsefHttpError, reference: SendReference | None) -> KsefSendError:
    status = exc.status_code
    if status == 0:  # no answer at all: DNS, refused connection, timeout
        return KsefSendError(
            Msg.of(m.SEND_UNREACHABLE, detail=exc.message[:200]),
            retryable=True,
            reference=reference,
            resumable=True,
        )
    if status in _RETRYABLE_HTTP:
        return KsefSendError(
            Msg.of(m.SEND_UNAVAILABLE, status=status, detail=_detail(exc)),
            retryable=True,
            status=status,
            reference=reference,
            resumable=True,
        )
    if status == 401 and reference is not None:
        # the access token ran out while waiting: resuming authenticates afresh
        return KsefSendError(
            Msg.of(m.SEND_AUTH, detail=_detail(exc)),
            retryable=True,
            status=status,
            reference=reference,
            resumable=True,
        )
    if status in (401, 403):
        return KsefSendError(
            Msg.of(m.SEND_AUTH, detail=_detail(exc)),
            retryable=False,
            status=status,
            reference=reference,
        )
    return KsefSendError(
        Msg.of(m.SEND_REJECTED, status=status, detail=_detail(exc)),
        retryable=False,
        status=status,
        reference=reference,
    )


@contextlib.contextmanager
def _translated(reference: SendReference | None = None) -> Iterator[None]:
    """The client library's failures as `KsefSendError`s (retryable or final)."""
    try:
        yield
    except KsefSendError:
        raise
    except KsefHttpError as exc:
        raise _from_http(exc, reference) from exc
    except TimeoutError as exc:  # authentication still pending after its polls
        raise KsefSendError(
            Msg.of(m.SEND_UNAVAILABLE, status=0, detail=str(exc)), retryable=True
        ) from exc
    except RuntimeError as exc:  # AuthCoordinator: "Authentication failed: 450 …"
        raise KsefSendError(Msg.of(m.SEND_AUTH, detail=str(exc)), retryable=False) from exc
    except (ValueError, TypeError, KeyError) as exc:  # an answer the library could not read
        raise KsefSendError(
            Msg.of(m.SEND_BAD_ANSWER, detail=str(exc)[:200]),
            retryable=True,
            reference=reference,
            resumable=True,
        ) from exc


class ClientGateway:
    """`KsefGateway` over ksef-client: one online session per document sent."""

    def __init__(
        self,
        config: KsefConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self._sleep = sleep

    def _client(self) -> KsefClient:
        options = KsefClientOptions(
            base_url=self.config.url(),
            base_qr_url="https://qr.invalid" if self.config.base_url else None,
            base_lighthouse_url="https://lighthouse.invalid" if self.config.base_url else None,
            timeout_seconds=self.config.timeout_seconds,
        )
        return KsefClient(options)

    def _authenticate(self, client: KsefClient) -> str:
        token_certificate = client.security.get_public_key_certificate_pem(
            km.PublicKeyCertificateUsage.KSEFTOKENENCRYPTION
        )
        result = AuthCoordinator(client.auth).authenticate_with_ksef_token(
            token=self.config.token,
            public_certificate=token_certificate,
            context_identifier_type="nip",
            context_identifier_value=self.config.nip,
            poll_interval_seconds=self.config.poll_interval_seconds,
            max_attempts=self.config.max_polls,
        )
        return result.access_token

    def send(self, xml: bytes, *, offline: bool = False) -> SendResult:
        with self._client() as client, _translated():
            access = self._authenticate(client)
            session_certificate = client.security.get_public_key_certificate_pem(
                km.PublicKeyCertificateUsage.SYMMETRICKEYENCRYPTION
            )
            session = OnlineSessionWorkflow(client.sessions).open_session(
                form_code=km.FormCode(
                    system_code=FORM_CODE[0], schema_version=FORM_CODE[1], value=FORM_CODE[2]
                ),
                public_certificate=session_certificate,
                access_token=access,
            )
            try:
                sent = session.send_invoice(
                    xml, offline_mode=True if offline else None, access_token=access
                )
                reference = SendReference(session.reference_number, sent.reference_number)
                return self._await(client, access, reference)
            finally:
                # Closing never cancels the invoice's processing; a failure to close is KSeF's
                # to clean up (sessions expire), never a reason to send the document again.
                with contextlib.suppress(Exception):
                    client.sessions.close_online_session(session.reference_number, access)

    def resume(self, reference: SendReference) -> SendResult:
        with self._client() as client, _translated(reference):
            access = self._authenticate(client)
            return self._await(client, access, reference)

    def _await(self, client: KsefClient, access: str, reference: SendReference) -> SendResult:
        with _translated(reference):
            for attempt in range(self.config.max_polls):
                status = client.sessions.get_session_invoice_status(
                    reference.session, reference.invoice, access_token=access
                )
                code = status.status.code
                if code == _SUCCESS:
                    return self._accepted(client, access, reference, status)
                if code not in _IN_PROGRESS:
                    self._refused(code, status.status, reference)
                if attempt + 1 < self.config.max_polls:
                    self._sleep(self.config.poll_interval_seconds)
        raise KsefSendError(
            Msg.of(m.SEND_PENDING, reference=reference.invoice),
            retryable=True,
            reference=reference,
            resumable=True,
        )

    def _accepted(
        self, client: KsefClient, access: str, reference: SendReference, status: Any
    ) -> SendResult:
        number = status.ksef_number or ""
        if not ksef_number_valid(number):
            raise KsefSendError(
                Msg.of(m.SEND_BAD_ANSWER, detail=f"KSeF number {number!r}"),
                retryable=True,
                reference=reference,
                resumable=True,
            )
        try:
            upo = client.sessions.get_session_invoice_upo_by_ref(
                reference.session, reference.invoice, access_token=access
            )
        except KsefHttpError as exc:
            # the invoice is in KSeF (it has its number); only its UPO is late: resume later
            raise KsefSendError(
                Msg.of(m.SEND_UPO_PENDING, ksef_number=number, detail=_detail(exc)),
                retryable=True,
                status=exc.status_code,
                reference=reference,
                resumable=True,
            ) from exc
        taken = try_parse_api_datetime(status.acquisition_date) or try_parse_api_datetime(
            status.invoicing_date
        )
        if taken is None:
            raise KsefSendError(
                Msg.of(m.SEND_BAD_ANSWER, detail="no acquisition date"),
                retryable=True,
                reference=reference,
                resumable=True,
            )
        return SendResult(ksef_number=number, upo_xml=upo, sent_at=taken, reference=reference)

    @staticmethod
    def _refused(code: int, info: Any, reference: SendReference) -> NoReturn:
        details = "; ".join(info.details or ()) or info.description or ""
        if code == _DUPLICATE:
            raise KsefSendError(
                Msg.of(m.SEND_DUPLICATE, detail=details),
                retryable=False,
                status=code,
                reference=reference,
            )
        raise KsefSendError(
            Msg.of(m.SEND_REJECTED, status=code, detail=details),
            retryable=code in _RETRYABLE_INVOICE_CODES,
            status=code,
            reference=reference,
        )
