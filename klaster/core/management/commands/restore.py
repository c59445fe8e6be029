"""`klaster restore FILE --yes`: the database and the uploads put back from an archive of
`klaster backup` (klaster.core.backup) — checked whole before anything changes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from klaster.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Odtworzenie z kopii zapasowej: ZASTĘPUJE bazę danych i przesłane pliki zawartością "
        "archiwum (wymaga --yes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="archiwum zapisane przez `klaster backup`")
        parser.add_argument(
            "--yes", action="store_true", help="potwierdzenie: obecna baza zostanie zastąpiona"
        )

    def handle(self, *args, file: str, yes: bool, **options):
        if not yes:
            raise CommandError(
                "Odtworzenie zastępuje obecną bazę danych i pliki. Zatrzymaj serwer i proces w "
                "tle, zrób kopię obecnego stanu, potem uruchom ponownie z --yes."
            )
        try:
            done = backup_restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Odtworzono kopię z {done.manifest.get('created_at')}.")
        for kept in done.kept:
            self.stdout.write(f"Dotychczasowe pliki zachowano w {kept}.")
        if done.behind:
            # an archive of an older version: the code's later migrations are still to be applied
            self.stdout.write(
                f"Kopia jest starsza niż program ({len(done.behind)} migracji do wykonania): "
                "uruchom teraz `klaster migrate`."
            )
