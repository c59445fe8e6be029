"""`klaster backup FILE`: the database and the uploads in one archive (klaster.core.backup)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from klaster.core.backup import BackupError, backup_make


class Command(BaseCommand):
    help = "Kopia zapasowa: baza danych i przesłane pliki w jednym archiwum .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("file", help="plik archiwum do zapisania, np. kopia.tar.gz")

    def handle(self, *args, file: str, **options):
        try:
            made = backup_make(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Zapisano {made.path}: {made.files} plików, {made.bytes} bajtów.")
