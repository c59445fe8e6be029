"""A local stand-in for KSeF (API 2.0) on 127.0.0.1, for tests and the demo.

It speaks the part of the protocol `ClientGateway` (ksef-client) uses, over real HTTP:

    GET  /v2/security/public-key-certificates     its own RSA certificate, for both usages
    POST /v2/auth/challenge                        a challenge and its timestamp
    POST /v2/auth/ksef-token                       the token, RSA-OAEP encrypted as "token|ms"
    GET  /v2/auth/{ref}                            200 when token, timestamp and NIP match, else 450
    POST /v2/auth/token/redeem                     the access token
    POST /v2/sessions/online                       the session's AES key, RSA-OAEP encrypted
    POST /v2/sessions/online/{ref}/invoices        the invoice, AES-256-CBC encrypted, with hashes
    GET  /v2/sessions/{ref}/invoices/{inv}         its status; 200 carries the KSeF number
    GET  /v2/sessions/{ref}/invoices/{inv}/upo     the UPO (unsigned, in the shape of UPO v3-1)
    POST /v2/sessions/online/{ref}/close           204

Like KSeF it decrypts what it gets, checks the sizes and SHA-256 hashes, validates the invoice
against the FA(3) schema (status 450 with the schema's words when it breaks it), refuses an
invoice whose seller is not the authenticated NIP (410) and a second invoice with the same
seller, number and kind (440), and gives each accepted one a well-formed KSeF number (35
characters, CRC-8). `fail_next(status, path=regex)` makes the next matching request(s) answer an HTTP error;
`processing_polls` keeps an invoice "in processing" (150) for that many status reads.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from xml.sax.saxutils import escape

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.padding import PKCS7
from cryptography.x509.oid import NameOID
from lxml import etree

from klaster.rules.calendar import warsaw_date

from .fa3 import FA3_NAMESPACE, validate_fa3
from .number import make_ksef_number

_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def _reference(kind: str, now: dt.datetime) -> str:
    """A reference number in KSeF's shape: 20250901-SO-47FA636000-5960B49115-9D."""
    return f"{now:%Y%m%d}-{kind}-{secrets.token_hex(5).upper()}-{secrets.token_hex(5).upper()}-{secrets.token_hex(1).upper()}"


@dataclass
class _Auth:
    challenge: str
    timestamp_ms: int
    reference: str = ""
    authentication_token: str = ""
    ok: bool = False
    detail: str = ""


@dataclass
class _Invoice:
    reference: str
    ordinal: int
    invoice_hash: str
    received_at: dt.datetime
    offline: bool
    code: int
    description: str
    details: list[str] = field(default_factory=list)
    xml: bytes = b""
    number: str = ""
    ksef_number: str | None = None
    polls_left: int = 0


@dataclass
class _Session:
    reference: str
    key: bytes
    iv: bytes
    open: bool = True
    invoices: dict[str, _Invoice] = field(default_factory=dict)


@dataclass(frozen=True)
class AcceptedInvoice:
    ksef_number: str
    number: str
    xml: bytes
    offline: bool


class _HttpError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class FakeKsef:
    """The fake KSeF server. Use as a context manager; `url` is its base address."""

    def __init__(
        self,
        *,
        nip: str,
        token: str,
        clock: Callable[[], dt.datetime] = _utc_now,
        processing_polls: int = 0,
    ) -> None:
        self.nip = nip
        self.token = token
        self.clock = clock
        self.processing_polls = processing_polls
        self.accepted: list[AcceptedInvoice] = []
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._failures: list[tuple[str, int]] = []
        self._auths: dict[str, _Auth] = {}  # by challenge
        self._auth_tokens: dict[str, _Auth] = {}  # by authentication token
        self._access_tokens: set[str] = set()
        self._sessions: dict[str, _Session] = {}
        self._seen: set[tuple[str, str, str]] = set()  # (seller NIP, P_2, RodzajFaktury)
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._certificate = self._self_signed()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def __enter__(self) -> FakeKsef:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeKsef is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, status: int, *, count: int = 1, path: str = "") -> None:
        """The next `count` requests whose path (after /v2) matches the regex `path` answer
        `status` (e.g. `path="^/sessions/online$"`, `path="/upo$"`)."""
        with self._lock:
            self._failures.extend([(path, status)] * count)

    # --- the certificate ------------------------------------------------------------------------

    def _self_signed(self) -> x509.Certificate:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fake KSeF (Klaster tests)")])
        return (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
            .sign(self._key, hashes.SHA256())
        )

    def _decrypt_rsa(self, text: str) -> bytes:
        return self._key.decrypt(base64.b64decode(text, validate=True), _OAEP)

    # --- dispatch -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, str, bytes]:
        """(status, content type, body) for one request."""
        path = path.split("?", 1)[0]
        route = path[3:] if path.startswith("/v2/") else path
        with self._lock:
            self.requests.append((method, route))
            for i, (prefix, status) in enumerate(self._failures):
                if re.search(prefix, route):
                    del self._failures[i]
                    return _problem(status, "injected failure")
        bearer = str(headers.get("Authorization", ""))
        token = bearer[7:] if bearer.startswith("Bearer ") else ""
        try:
            payload = json.loads(body) if body else {}
            return self._route(method, route, token, payload)
        except _HttpError as exc:
            return _problem(exc.status, exc.detail)
        except (ValueError, KeyError, TypeError) as exc:
            return _problem(400, f"bad request: {exc}")

    def _route(self, method: str, route: str, token: str, payload: Any) -> tuple[int, str, bytes]:
        if method == "GET" and route == "/security/public-key-certificates":
            return self._certificates()
        if method == "POST" and route == "/auth/challenge":
            return self._challenge()
        if method == "POST" and route == "/auth/ksef-token":
            return self._ksef_token(payload)
        if method == "POST" and route == "/auth/token/redeem":
            return self._redeem(token)
        if method == "POST" and route == "/sessions/online":
            return self._open_session(token, payload)
        match = re.fullmatch(r"/sessions/online/([^/]+)/invoices", route)
        if method == "POST" and match:
            return self._send_invoice(token, match.group(1), payload)
        match = re.fullmatch(r"/sessions/online/([^/]+)/close", route)
        if method == "POST" and match:
            self._require_access(token)
            self._session(match.group(1)).open = False
            return 204, "application/json", b""
        match = re.fullmatch(r"/sessions/([^/]+)/invoices/([^/]+)/upo", route)
        if method == "GET" and match:
            return self._upo(token, match.group(1), match.group(2))
        match = re.fullmatch(r"/sessions/([^/]+)/invoices/([^/]+)", route)
        if method == "GET" and match:
            return self._invoice_status(token, match.group(1), match.group(2))
        match = re.fullmatch(r"/auth/([^/]+)", route)
        if method == "GET" and match:
            return self._auth_status(token, match.group(1))
        raise _HttpError(404, f"no such endpoint in the fake KSeF: {method} {route}")

    # --- security and authentication --------------------------------------------------------------

    def _certificates(self) -> tuple[int, str, bytes]:
        der = self._certificate.public_bytes(serialization.Encoding.DER)
        item = {
            "certificate": base64.b64encode(der).decode("ascii"),
            "certificateId": "fake-1",
            "publicKeyId": "fake-1",
            "usage": ["KsefTokenEncryption", "SymmetricKeyEncryption"],
            "validFrom": "2020-01-01T00:00:00Z",
            "validTo": "2099-01-01T00:00:00Z",
        }
        return _json(200, [item])

    def _challenge(self) -> tuple[int, str, bytes]:
        now = self.clock()
        auth = _Auth(challenge=_reference("CR", now), timestamp_ms=int(now.timestamp() * 1000))
        with self._lock:
            self._auths[auth.challenge] = auth
        return _json(
            200,
            {
                "challenge": auth.challenge,
                "timestamp": _iso(now),
                "timestampMs": auth.timestamp_ms,
                "clientIp": "127.0.0.1",
            },
        )

    def _ksef_token(self, payload: dict[str, Any]) -> tuple[int, str, bytes]:
        with self._lock:
            auth = self._auths.pop(str(payload["challenge"]), None)
        if auth is None:
            raise _HttpError(400, "unknown or used challenge")
        context = payload["contextIdentifier"]
        try:
            plain = self._decrypt_rsa(str(payload["encryptedToken"])).decode("utf-8")
        except ValueError:
            plain = ""
        token, _, stamp = plain.rpartition("|")
        if token != self.token or stamp != str(auth.timestamp_ms):
            auth.detail = "Nieprawidłowy token"
        elif context.get("type") != "Nip" or context.get("value") != self.nip:
            auth.detail = "Brak uprawnień w kontekście"
        else:
            auth.ok = True
        now = self.clock()
        auth.reference = _reference("AU", now)
        auth.authentication_token = secrets.token_urlsafe(24)
        with self._lock:
            self._auth_tokens[auth.authentication_token] = auth
        return _json(
            202,
            {
                "referenceNumber": auth.reference,
                "authenticationToken": {
                    "token": auth.authentication_token,
                    "validUntil": _iso(now + dt.timedelta(minutes=10)),
                },
            },
        )

    def _auth_status(self, token: str, reference: str) -> tuple[int, str, bytes]:
        auth = self._auth_tokens.get(token)
        if auth is None or auth.reference != reference:
            raise _HttpError(401, "unknown authentication token")
        status = (
            {"code": 200, "description": "Uwierzytelnianie zakończone sukcesem"}
            if auth.ok
            else {
                "code": 450,
                "description": "Uwierzytelnianie zakończone niepowodzeniem",
                "details": [auth.detail],
            }
        )
        return _json(
            200,
            {
                "startDate": _iso(self.clock()),
                "authenticationMethod": "Token",
                "authenticationMethodInfo": {
                    "category": "Token",
                    "code": "token.ksef",
                    "displayName": "Token KSeF",
                },
                "status": status,
            },
        )

    def _redeem(self, token: str) -> tuple[int, str, bytes]:
        with self._lock:
            auth = self._auth_tokens.pop(token, None)
        if auth is None or not auth.ok:
            raise _HttpError(401, "authentication not completed")
        access = secrets.token_urlsafe(24)
        with self._lock:
            self._access_tokens.add(access)
        until = _iso(self.clock() + dt.timedelta(minutes=15))
        return _json(
            200,
            {
                "accessToken": {"token": access, "validUntil": until},
                "refreshToken": {"token": secrets.token_urlsafe(24), "validUntil": until},
            },
        )

    def _require_access(self, token: str) -> None:
        if token not in self._access_tokens:
            raise _HttpError(401, "missing or unknown access token")

    # --- sessions and invoices ------------------------------------------------------------------

    def _session(self, reference: str) -> _Session:
        session = self._sessions.get(reference)
        if session is None:
            raise _HttpError(404, f"no session {reference}")
        return session

    def _open_session(self, token: str, payload: dict[str, Any]) -> tuple[int, str, bytes]:
        self._require_access(token)
        form = payload["formCode"]
        if (form.get("systemCode"), form.get("schemaVersion"), form.get("value")) != (
            "FA (3)",
            "1-0E",
            "FA",
        ):
            raise _HttpError(400, f"unsupported form code {form!r}")
        encryption = payload["encryption"]
        try:
            key = self._decrypt_rsa(str(encryption["encryptedSymmetricKey"]))
        except ValueError as exc:
            raise _HttpError(400, "the session key cannot be decrypted") from exc
        iv = base64.b64decode(str(encryption["initializationVector"]), validate=True)
        if len(key) != 32 or len(iv) != 16:
            raise _HttpError(400, "AES-256 key and 16-byte IV expected")
        now = self.clock()
        session = _Session(reference=_reference("SO", now), key=key, iv=iv)
        with self._lock:
            self._sessions[session.reference] = session
        return _json(
            201,
            {
                "referenceNumber": session.reference,
                "validUntil": _iso(now + dt.timedelta(hours=12)),
            },
        )

    def _send_invoice(
        self, token: str, reference: str, payload: dict[str, Any]
    ) -> tuple[int, str, bytes]:
        self._require_access(token)
        session = self._session(reference)
        if not session.open:
            raise _HttpError(400, "the session is closed")
        encrypted = base64.b64decode(str(payload["encryptedInvoiceContent"]), validate=True)
        if (
            len(encrypted) != int(payload["encryptedInvoiceSize"])
            or _sha256_b64(encrypted) != payload["encryptedInvoiceHash"]
        ):
            raise _HttpError(400, "encrypted invoice size or hash do not match")
        now = self.clock()
        invoice = _Invoice(
            reference=_reference("EE", now),
            ordinal=len(session.invoices) + 1,
            invoice_hash=str(payload["invoiceHash"]),
            received_at=now,
            offline=bool(payload.get("offlineMode")),
            code=150,
            description="Trwa przetwarzanie",
            polls_left=self.processing_polls,
        )
        try:
            xml = _aes_decrypt(encrypted, session.key, session.iv)
        except ValueError:
            self._finish(invoice, 435, "Błąd odszyfrowania pliku")
        else:
            invoice.xml = xml
            if len(xml) != int(payload["invoiceSize"]) or _sha256_b64(xml) != invoice.invoice_hash:
                self._finish(invoice, 430, "Błąd weryfikacji pliku faktury", ["hash or size"])
            else:
                self._process(invoice, xml, now)
        with self._lock:
            session.invoices[invoice.reference] = invoice
        return _json(202, {"referenceNumber": invoice.reference})

    @staticmethod
    def _finish(
        invoice: _Invoice, code: int, description: str, details: list[str] | None = None
    ) -> None:
        invoice.code, invoice.description, invoice.details = code, description, details or []

    def _process(self, invoice: _Invoice, xml: bytes, now: dt.datetime) -> None:
        problems = validate_fa3(xml)
        if problems:
            details = [f"{p.path or 'line ' + str(p.line)}: {p.detail}" for p in problems[:5]]
            self._finish(invoice, 450, "Błąd weryfikacji semantyki dokumentu faktury", details)
            return
        root = etree.fromstring(xml, _SAFE)
        ns = {"f": FA3_NAMESPACE}
        seller = root.findtext("f:Podmiot1/f:DaneIdentyfikacyjne/f:NIP", namespaces=ns) or ""
        number = root.findtext("f:Fa/f:P_2", namespaces=ns) or ""
        kind = root.findtext("f:Fa/f:RodzajFaktury", namespaces=ns) or ""
        invoice.number = number
        if seller != self.nip:
            self._finish(invoice, 410, "Nieprawidłowy zakres uprawnień", [f"NIP {seller}"])
            return
        with self._lock:
            if (seller, number, kind) in self._seen:
                self._finish(invoice, 440, "Duplikat faktury", [f"{number}"])
                return
            self._seen.add((seller, number, kind))
        technical = secrets.token_hex(6).upper()
        invoice.ksef_number = make_ksef_number(seller, warsaw_date(now), technical)
        if invoice.polls_left <= 0:
            self._accept(invoice)

    def _accept(self, invoice: _Invoice) -> None:
        assert invoice.ksef_number is not None
        self._finish(invoice, 200, "Sukces")
        with self._lock:
            self.accepted.append(
                AcceptedInvoice(invoice.ksef_number, invoice.number, invoice.xml, invoice.offline)
            )

    def _find(self, token: str, session: str, reference: str) -> _Invoice:
        self._require_access(token)
        invoice = self._session(session).invoices.get(reference)
        if invoice is None:
            raise _HttpError(404, f"no invoice {reference} in session {session}")
        return invoice

    def _invoice_status(self, token: str, session: str, reference: str) -> tuple[int, str, bytes]:
        invoice = self._find(token, session, reference)
        if invoice.code == 150 and invoice.ksef_number is not None:
            if invoice.polls_left > 0:
                invoice.polls_left -= 1
            else:
                self._accept(invoice)
        status: dict[str, Any] = {"code": invoice.code, "description": invoice.description}
        if invoice.details:
            status["details"] = invoice.details
        body: dict[str, Any] = {
            "ordinalNumber": invoice.ordinal,
            "referenceNumber": invoice.reference,
            "invoiceHash": invoice.invoice_hash,
            "invoicingDate": _iso(invoice.received_at),
            "invoicingMode": "Offline" if invoice.offline else "Online",
            "status": status,
        }
        if invoice.number:
            body["invoiceNumber"] = invoice.number
        if invoice.code == 200:
            body["ksefNumber"] = invoice.ksef_number
            body["acquisitionDate"] = _iso(invoice.received_at)
        return _json(200, body)

    def _upo(self, token: str, session: str, reference: str) -> tuple[int, str, bytes]:
        invoice = self._find(token, session, reference)
        if invoice.code != 200 or invoice.ksef_number is None:
            raise _HttpError(404, "no UPO: the invoice is not accepted")
        issue = etree.fromstring(invoice.xml, _SAFE).findtext(
            "f:Fa/f:P_1", namespaces={"f": FA3_NAMESPACE}
        )
        upo = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v3-1">'
            "<NazwaPodmiotuPrzyjmujacego>Fake KSeF (Klaster tests)</NazwaPodmiotuPrzyjmujacego>"
            f"<NumerReferencyjnySesji>{escape(session)}</NumerReferencyjnySesji>"
            f"<Uwierzytelnienie><IdKontekstu><Nip>{escape(self.nip)}</Nip></IdKontekstu>"
            "</Uwierzytelnienie>"
            "<NazwaStrukturyLogicznej>1-0E</NazwaStrukturyLogicznej>"
            "<KodFormularza>FA (3)</KodFormularza>"
            f"<Dokument><NipSprzedawcy>{escape(self.nip)}</NipSprzedawcy>"
            f"<NumerKSeFDokumentu>{invoice.ksef_number}</NumerKSeFDokumentu>"
            f"<NumerFaktury>{escape(invoice.number)}</NumerFaktury>"
            f"<DataWystawieniaFaktury>{escape(issue or '')}</DataWystawieniaFaktury>"
            f"<DataNadaniaNumeruKSeF>{_iso(invoice.received_at)}</DataNadaniaNumeruKSeF>"
            f"<SkrotDokumentu>{invoice.invoice_hash}</SkrotDokumentu></Dokument>"
            "</Potwierdzenie>"
        )
        return 200, "application/xml", upo.encode("utf-8")


def _aes_decrypt(data: bytes, key: bytes, iv: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    unpadder = PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def _json(status: int, data: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data).encode("utf-8")


def _problem(status: int, detail: str) -> tuple[int, str, bytes]:
    return _json(
        status,
        {"title": "Fake KSeF error", "status": status, "detail": detail, "instance": "fake"},
    )


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeKsef
    protocol_version = "HTTP/1.1"
    # one write per answer, sent at once (headers and body apart wait on delayed ACKs)
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, content_type, data = self.server_fake.handle(
            self.command, self.path, self.headers, body
        )
        self.send_response(status)
        if data or status != 204:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    do_GET = _serve
    do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        """Quiet: the tests read `FakeKsef.requests` instead."""
