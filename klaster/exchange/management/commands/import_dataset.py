from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import DataError, IntegrityError, OperationalError

from klaster.core import uploads
from klaster.core.locks import LockTimeout, exclusive
from klaster.exchange.dataset_io import cluster_import
from klaster.rules.dataset.load import DatasetError, load_path


class Command(BaseCommand):
    help = "Importuje klaster z pliku danych (YAML lub JSON) — wszystko albo nic. Ostatni wiersz: identyfikator klastra."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--slug", help="identyfikator nowego klastra (domyślnie z nazwy)")

    def handle(self, *args, file: str, slug: str | None, **options):
        from klaster.core.models import Cluster

        if slug:
            limit = Cluster._meta.get_field("slug").max_length
            assert limit is not None  # a SlugField with its max_length
            try:
                validate_slug(slug)
            except ValidationError as exc:
                raise CommandError(
                    f"slug: „{slug[:80]}” — dozwolone są litery, cyfry, „-” i „_”"
                ) from exc
            if len(slug) > limit:
                raise CommandError(f"slug: {len(slug)} znaków, dozwolone najwyżej {limit}")
        try:
            # the size is checked before the file is read (issue 7): KLASTER_UPLOAD_LIMITS["dataset"]
            ds = load_path(file, max_bytes=uploads.limit("dataset"))
        except DatasetError as exc:
            raise CommandError(
                f"Plik {file} nie został zaimportowany:\n" + "\n".join(exc.errors)
            ) from exc
        except OSError as exc:
            raise CommandError(f"Nie można odczytać pliku {file}: {exc.strerror}") from exc
        failed = f"Plik {file} nie został zaimportowany (nic nie zapisano): "
        wait = settings.KLASTER_IMPORT_WAIT_SECONDS
        try:
            # one import at a time (klaster.core.locks): a second one queues, up to the wait limit
            with exclusive("dataset-import", wait_seconds=wait):
                if slug and Cluster.objects.filter(slug=slug).exists():
                    raise CommandError(f"slug: klaster „{slug}” już istnieje")
                cluster = cluster_import(ds, slug=slug, source="cli")
        except DatasetError as exc:  # what the register refuses though the file format allows it
            raise CommandError(
                f"Plik {file} nie został zaimportowany (nic nie zapisano):\n"
                + "\n".join(exc.errors)
            ) from exc
        except LockTimeout as exc:
            raise CommandError(
                failed + f"inny import trwa dłużej niż {wait} s (KLASTER_IMPORT_WAIT_SECONDS); "
                "spróbuj ponownie, gdy się skończy."
            ) from exc
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            timeout = settings.DATABASES["default"].get("OPTIONS", {}).get("timeout")
            raise CommandError(
                failed + f"baza danych była zajęta przez inny zapis dłużej niż {timeout} s "
                "(KLASTER_SQLITE_TIMEOUT); spróbuj ponownie."
            ) from exc
        except (DataError, IntegrityError) as exc:
            # schema.json bounds every value by its column (issue 7), so this is a bug, not a bad
            # file; still one transaction rolled back, said in a sentence, not a traceback
            raise CommandError(failed + f"baza danych odrzuciła dane: {exc}") from exc
        self.stdout.write(f"Zaimportowano {len(ds.members)} członków klastra „{cluster.name}”.")
        self.stdout.write(cluster.slug)
