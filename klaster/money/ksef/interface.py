"""The KSeF adapter's interface: what the outbox sees, without the client library behind it.

`KsefGateway.send(xml)` returns a `SendResult` (KSeF number, UPO, when KSeF took it) or raises
`KsefSendError`, retryable or final (see `klaster.money.ksef.gateway` for the implementation over
ksef-client and `klaster.money.ksef.fake` for the local stand-in). Importing this module is cheap:
the client library is imported only with the gateway that uses it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from klaster.rules.message import Msg, say

from . import messages as m

# The API's addresses (ksef-client's KsefEnvironment; a test checks they are the same).
ENVIRONMENTS: dict[str, str] = {
    "test": "https://api-test.ksef.mf.gov.pl",
    "demo": "https://api-demo.ksef.mf.gov.pl",
    "prod": "https://api.ksef.mf.gov.pl",
}


@dataclass(frozen=True)
class SendReference:
    """KSeF's reference numbers of the online session and of the invoice sent in it."""

    session: str
    invoice: str


@dataclass(frozen=True)
class SendResult:
    ksef_number: str
    upo_xml: bytes
    sent_at: dt.datetime  # when KSeF took the invoice for processing (aware, UTC)
    reference: SendReference


class KsefSendError(Exception):
    """Sending failed.

    `retryable`: trying later may succeed. `resumable`: KSeF already took the document
    (`reference`), so the next try is `resume(reference)`, never a second `send` — which KSeF
    would refuse as a duplicate once the first is accepted. A retryable error that is not
    resumable means the document was not taken: send it again.
    """

    def __init__(
        self,
        message: Msg,
        *,
        retryable: bool,
        status: int | None = None,
        reference: SendReference | None = None,
        resumable: bool = False,
    ) -> None:
        super().__init__(say(message, "en"))
        self.message = message
        self.retryable = retryable
        self.status = status
        self.reference = reference
        self.resumable = resumable and retryable and reference is not None


class KsefGateway(Protocol):
    def send(self, xml: bytes, *, offline: bool = False) -> SendResult:
        """Send one FA(3) document; `offline` declares it issued in an offline mode (offline24)."""
        ...

    def resume(self, reference: SendReference) -> SendResult:
        """Wait again for a document KSeF already took (a `retryable` error's `reference`)."""
        ...


@dataclass(frozen=True)
class KsefConfig:
    """How the cluster reaches KSeF: its NIP, its KSeF token and the environment.

    `base_url` overrides the environment's address (the local fake in tests).
    """

    nip: str
    token: str = field(repr=False)
    env: str = "test"
    base_url: str | None = None
    timeout_seconds: float = 30.0
    poll_interval_seconds: float = 1.0
    max_polls: int = 30

    def url(self) -> str:
        if self.base_url:
            return self.base_url
        try:
            return ENVIRONMENTS[self.env]
        except KeyError:
            raise ValueError(
                say(Msg.of(m.CHECK_UNKNOWN_ENV, env=self.env, known=tuple(ENVIRONMENTS)), "en")
            ) from None
