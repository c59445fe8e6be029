"""`klaster arrears CLUSTER --as-of YYYY-MM-DD [--format json|text]` (MONEY-CLI.md)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from ._common import cluster_by_slug, day


class Command(BaseCommand):
    help = "Zaległości: dokumenty otwarte, etapy 60/90 dni, odsetki, prawo głosu."

    def add_arguments(self, parser):
        parser.add_argument("cluster")
        parser.add_argument("--as-of", dest="as_of", required=True)
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, **options):
        from klaster.money import selectors

        cluster = cluster_by_slug(options["cluster"])
        as_of = day(options["as_of"], "--as-of")
        data = selectors.arrears_json(as_of, selectors.arrears(cluster, as_of))
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"Zaległości na {data['as_of']}")
        for m in data["members"]:
            vote = "głosuje" if m["votes"] else "bez prawa głosu"
            self.stdout.write(f"{m['member']} {m['name']} — {vote}, nadpłata {m['credit']}")
            for d in m["documents"]:
                self.stdout.write(
                    f"  {d['number']} termin {d['due']}: otwarte {d['open']} z {d['gross']},"
                    f" {d['days_overdue']} dni po terminie, etap {d['stage']},"
                    f" odsetki {d['interest']} ({d['regime']})"
                )
