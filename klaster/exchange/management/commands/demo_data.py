from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from klaster.rules.dataset.dump import dump_path
from klaster.rules.dataset.synthetic import synthetic_cluster


class Command(BaseCommand):
    help = "Zapisuje duży syntetyczny klaster w formacie pliku danych (do testów wydajności)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True)
        parser.add_argument("--projects", type=int, default=2000)
        parser.add_argument("--events", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True)

    def handle(
        self, *args, members: int, projects: int, events: int, seed: int, out: str, **options
    ):
        if members < 1:
            raise CommandError("--members: liczba członków musi być dodatnia")
        ds = synthetic_cluster(members, projects=projects, events=events, seed=seed)
        dump_path(ds, out)
        self.stdout.write(out)
