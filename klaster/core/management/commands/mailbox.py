"""`klaster mailbox`: the demo's local SMTP catcher (klaster.core.mailbox), until stopped.

`klaster serve` starts it beside gunicorn when KLASTER_DEMO_MAILBOX is on (klaster/gunicorn_conf.py),
listening where the product sends its mail (KLASTER_SMTP_HOST/PORT)."""

from __future__ import annotations

import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from klaster.core import mailbox


class Command(BaseCommand):
    help = (
        "Lokalna skrzynka demonstracyjna: serwer SMTP, który zachowuje każdą otrzymaną "
        "wiadomość (var/mailbox), do odczytu przez biuro klastra w aplikacji."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None, help="adres (domyślnie KLASTER_SMTP_HOST)")
        parser.add_argument("--port", type=int, default=None, help="port (KLASTER_SMTP_PORT)")
        parser.add_argument(
            "--parent",
            type=int,
            default=None,
            help="kończy pracę, gdy zniknie ten proces (serwer, który go uruchomił)",
        )

    def handle(self, *args, host: str | None, port: int | None, parent: int | None, **options):
        host = host or settings.EMAIL_HOST
        port = port or settings.EMAIL_PORT
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        controller = mailbox.catcher(host, port, mailbox.directory())
        self.stdout.write(f"Skrzynka demonstracyjna: SMTP {host}:{port} → {mailbox.directory()}")
        self.stdout.flush()
        try:
            while not stop.wait(2.0):
                if parent is not None and os.getppid() != parent:
                    break
        finally:
            controller.stop()
