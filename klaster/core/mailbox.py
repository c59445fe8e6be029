"""The demo mailbox (issue 9): a local SMTP catcher and the messages it keeps.

In the demo (`bin/run`, or any install started with ``KLASTER_DEMO_MAILBOX=true``) `klaster serve`
starts `klaster mailbox` beside gunicorn and the worker (klaster/gunicorn_conf.py): a tiny SMTP
server (aiosmtpd) listening where the product sends its mail (``KLASTER_SMTP_HOST``/``PORT``,
127.0.0.1:1025 by default). Each message it receives is kept whole, as an ``.eml`` file under
``var/mailbox/``, and the cluster office reads it in the product ("Poczta demonstracyjna"). A
real deployment leaves the switch off and points KLASTER_SMTP_* at its SMTP server (docs/deploy.md).

Every message the product sends names its cluster in the ``X-Klaster-Cluster`` header (the
cluster's slug); the office of a cluster sees only its own cluster's messages, and a message
without the header is shown to no one.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from django.conf import settings

CLUSTER_HEADER = "X-Klaster-Cluster"
_ID = re.compile(r"^[0-9]{8}T[0-9]{12}-[0-9a-f]{32}$")


def directory() -> Path:
    return Path(settings.DEMO_MAILBOX_DIR)


def store(data: bytes, *, folder: Path | None = None) -> str:
    """Keep one received message; returns its id (sortable by arrival)."""
    folder = folder or directory()
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    message_id = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}"
    tmp = folder / f".{message_id}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, folder / f"{message_id}.eml")  # readers never see half a message
    return message_id


@dataclass(frozen=True)
class Stored:
    id: str
    cluster: str
    to: str
    sender: str
    subject: str
    date: dt.datetime | None
    message: EmailMessage

    def body(self) -> str:
        part = self.message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""

    def attachments(self) -> list[tuple[str, str, int]]:
        """(file name, content type, size in bytes) of each attachment."""
        out = []
        for part in self.message.iter_attachments():
            payload = part.get_payload(decode=True) or b""
            out.append((part.get_filename() or "—", part.get_content_type(), len(payload)))
        return out


def _read(path: Path) -> Stored:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    try:
        date = message["Date"].datetime if message["Date"] else None
    except (AttributeError, TypeError, ValueError):
        date = None
    return Stored(
        id=path.stem,
        cluster=str(message.get(CLUSTER_HEADER, "")).strip(),
        to=", ".join(str(a) for a in (message.get_all("To") or [])),
        sender=str(message.get("From", "")),
        subject=" ".join(str(message.get("Subject", "")).split()),
        date=date,
        message=message,
    )


def messages_for(slug: str) -> list[Stored]:
    """The cluster's messages, newest first."""
    folder = directory()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"), reverse=True):
        if not _ID.match(path.stem):
            continue
        stored = _read(path)
        if stored.cluster == slug:
            found.append(stored)
    return found


def message_for(slug: str, message_id: str) -> Stored | None:
    if not _ID.match(message_id):
        return None
    path = directory() / f"{message_id}.eml"
    if not path.is_file():
        return None
    stored = _read(path)
    return stored if stored.cluster == slug else None


class Handler:
    """aiosmtpd's handler: every message accepted and kept as it came."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 — aiosmtpd's name
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        store(data, folder=self.folder)
        return "250 Message accepted for delivery"


def catcher(host: str, port: int, folder: Path) -> Any:
    """A started aiosmtpd controller (``.stop()`` ends it)."""
    from aiosmtpd.controller import Controller

    controller = Controller(Handler(folder), hostname=host, port=port)
    controller.start()
    return controller
