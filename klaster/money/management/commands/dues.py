"""`klaster dues run CLUSTER --through YYYY-MM-DD` (MONEY-CLI.md): accrue and issue dues."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ._common import cluster_by_slug, day, refuse, say


class Command(BaseCommand):
    help = "Składki: naliczenie i wystawienie dokumentów (klaster dues run KLASTER --through DATA)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="wystawia dokumenty za okresy rozpoczęte do daty")
        run.add_argument("cluster")
        run.add_argument("--through", required=True)

    def handle(self, *args, **options):
        from klaster.money import services

        cluster = cluster_by_slug(options["cluster"])
        through = day(options["through"], "--through")
        try:
            run = services.dues_run(cluster=cluster, through=through)
        except services.MoneyError as e:
            raise refuse(say(e.message)) from None
        keys = {}
        if run.issued:
            from klaster.members.models import Member

            keys = dict(Member.objects.filter(cluster=cluster).values_list("pk", "key"))
        for d in run.issued:
            period = f"{d.period_start:%Y-%m-%d}…{d.period_end:%Y-%m-%d}" if d.period_start else ""
            self.stdout.write(
                f"{d.number}\t{keys.get(d.member_id, d.member_id)}\t{period}\t"
                f"netto {d.net}\tbrutto {d.gross}\ttermin {d.due:%Y-%m-%d}"
            )
        self.stdout.write(f"Wystawiono dokumentów: {run.count}")
