from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from klaster.members.dataset_io import cluster_import
from klaster.rules.dataset.load import DatasetError, load_path


class Command(BaseCommand):
    help = "Importuje klaster z pliku danych (YAML lub JSON) — wszystko albo nic. Ostatni wiersz: identyfikator klastra."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="identyfikator nowego klastra (domyślnie z nazwy)")

    def handle(self, *args, file: str, slug: str | None, **options):
        try:
            ds = load_path(file)
        except DatasetError as exc:
            raise CommandError(f"Plik {file} nie został zaimportowany:\n" + "\n".join(exc.errors)) from exc
        except OSError as exc:
            raise CommandError(f"Nie można odczytać pliku {file}: {exc.strerror}") from exc
        if slug:
            from klaster.core.models import Cluster

            if Cluster.objects.filter(slug=slug).exists():
                raise CommandError(f"slug: klaster „{slug}” już istnieje")
        cluster = cluster_import(ds, slug=slug, source="cli")
        self.stdout.write(f"Zaimportowano {len(ds.members)} członków klastra „{cluster.name}”.")
        self.stdout.write(cluster.slug)
