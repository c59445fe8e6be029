"""`klaster bounce [FILE]`: a delivery report that came back after sending (RFC 3464) marks the
kept message it names as bounced (klaster.core.outbox.bounce_record). Reads the report from FILE
or standard input — so that the mail server can pipe the bounce address's mail to it."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from klaster.core.outbox import MAX_REPORT_BYTES, bounce_record


class Command(BaseCommand):
    help = "Zapisuje zwrot (raport doręczenia RFC 3464) przy wysłanej wiadomości."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="plik .eml raportu; bez niego: stdin")

    def handle(self, *args, file: str | None, **options):
        if file:
            with open(file, "rb") as f:
                raw = f.read(MAX_REPORT_BYTES)
        else:
            raw = sys.stdin.buffer.read(MAX_REPORT_BYTES)
        row = bounce_record(raw)
        if row is None:
            self.stdout.write("To nie jest zwrot żadnej z naszych wiadomości: nic nie zmieniono.")
        else:
            self.stdout.write(f"Zwrot zapisany: {row.subject} → {', '.join(row.to)} ({row.error})")
