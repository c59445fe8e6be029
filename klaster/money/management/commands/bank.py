"""`klaster bank import CLUSTER FILE [--format json|text]` (MONEY-CLI.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from ._common import cluster_by_slug, refuse, say


class Command(BaseCommand):
    help = "Wyciągi bankowe: import i dopasowanie wpłat (klaster bank import KLASTER PLIK)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import wyciągu (MT940, camt.053, CSV)")
        imp.add_argument("cluster")
        imp.add_argument("file")
        imp.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        from klaster.money import services
        from klaster.rules.money.bank.model import MAX_BYTES

        cluster = cluster_by_slug(options["cluster"])
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise refuse(f"Plik „{path}” jest za duży (limit {MAX_BYTES} bajtów).")
            data = path.read_bytes()
        except OSError as e:
            raise refuse(f"Nie można odczytać pliku „{path}”: {e.strerror}.") from None
        try:
            done = services.import_statement(cluster=cluster, data=data)
        except services.StatementError as e:
            raise refuse(say(e.message)) from None
        except services.MoneyError as e:
            raise refuse(say(e.message)) from None
        report = done.report
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=1))
            return
        s = report["statement"]
        self.stdout.write(
            f"Wyciąg {s['number']} rachunku {s['account']} ({s['from']} – {s['to']}): "
            f"saldo {s['opening']} → {s['closing']}"
        )
        for m in report["matched"]:
            docs = ", ".join(m["documents"]) or "—"
            self.stdout.write(
                f"  poz. {m['line']}: {m['amount']} od {m['member']} → {docs}"
                f" (zaliczono {m['applied']}, nadpłata {m['credit']})"
            )
        for q in report["queued"]:
            names = ", ".join(c["member"] for c in q["candidates"])
            self.stdout.write(f"  poz. {q['line']}: {q['amount']} czeka na biuro ({names})")
        for i in report["ignored"]:
            self.stdout.write(f"  poz. {i['line']}: {i['amount']} pominięta ({i['reason']})")
        self.stdout.write(
            f"Pozycji: {report['lines']}, dopasowanych: {len(report['matched'])}, "
            f"w kolejce: {len(report['queued'])}, już zaimportowanych: {report['duplicates']}"
        )
