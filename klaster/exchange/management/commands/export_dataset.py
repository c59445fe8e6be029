from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from klaster.core.models import Cluster
from klaster.exchange.dataset_io import cluster_export
from klaster.rules.dataset.dump import dump_path


class Command(BaseCommand):
    help = "Eksportuje klaster do pliku danych (YAML lub JSON, wg rozszerzenia)."

    def add_arguments(self, parser):
        parser.add_argument("cluster", help="identyfikator klastra (slug)")
        parser.add_argument("file")

    def handle(self, *args, cluster: str, file: str, **options):
        try:
            obj = Cluster.objects.get(slug=cluster)
        except Cluster.DoesNotExist:
            raise CommandError(f"Nie ma klastra „{cluster}”. Dostępne: klaster clusters") from None
        if not file.endswith((".yaml", ".yml", ".json")):
            raise CommandError("FILE: rozszerzenie pliku musi być .yaml, .yml lub .json")
        try:
            dump_path(cluster_export(obj), file)
        except OSError as exc:
            raise CommandError(f"Nie można zapisać pliku {file}: {exc.strerror}") from exc
        self.stdout.write(f"Zapisano {file}")
