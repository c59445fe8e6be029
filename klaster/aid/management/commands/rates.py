"""`klaster rates update [--file NBP.csv] [--through RRRR-MM-DD] [--offline]` (AID-2).

Without --file: the NBP table A EUR rates from the day after the stored series' end (or the
shipped series' first day) to today, from NBP's API (KLASTER_NBP_URL). --file: NBP's archive
CSV or a date;number;mid file. --offline: only the series shipped with Klaster. Exit 2 with the
cause when NBP does not answer or the file is bad; nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def refuse(text: str) -> CommandError:
    return CommandError(text, returncode=2)


class Command(BaseCommand):
    help = "Kursy NBP (tabela A, EUR): klaster rates update [--file PLIK] [--through D] [--offline]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        update = sub.add_parser("update", help="uzupełnienie serii kursów EUR tabeli A NBP")
        update.add_argument(
            "--file", help="plik CSV NBP (archiwum_tab_a_RRRR.csv) lub data;numer;kurs"
        )
        update.add_argument(
            "--through", help="z --file: ostatni dzień, który plik obejmuje (RRRR-MM-DD)"
        )
        update.add_argument(
            "--offline", action="store_true", help="tylko seria dołączona do programu, bez sieci"
        )

    def handle(self, *args, **options):
        from django.utils import translation

        with translation.override("pl"):
            self._update(options)

    def _update(self, options):
        from klaster.aid import rates

        if options["through"] and not options["file"]:
            raise refuse("--through: tylko razem z --file (zakres z API wynika z odpowiedzi NBP).")
        if options["offline"] and options["file"]:
            raise refuse("--offline i --file: wybierz jedno.")
        try:
            if options["offline"]:
                done = rates.load_shipped()
            elif options["file"]:
                through = None
                if options["through"]:
                    try:
                        through = dt.date.fromisoformat(options["through"])
                    except ValueError:
                        raise refuse(
                            f"--through: data w postaci RRRR-MM-DD, nie „{options['through']}”."
                        ) from None
                path = Path(options["file"])
                try:
                    if path.stat().st_size > rates.MAX_BYTES:
                        raise refuse(
                            f"Plik „{path}” jest za duży (limit {rates.MAX_BYTES} bajtów)."
                        )
                    data = path.read_bytes()
                except OSError as e:
                    raise refuse(f"Nie można odczytać pliku „{path}”: {e.strerror}.") from None
                done = rates.load_file(data, name=path.name, through=through)
            else:
                done = rates.update_from_nbp()
        except rates.RatesError as e:
            raise refuse(str(e)) from None
        self.stdout.write(f"Dodano tabel: {done.added} (już zapisanych: {done.unchanged}).")
        if done.gap:
            self.stdout.write(
                f"Seria nie przesunięta: brak tabel z dni roboczych {done.gap[0]} – {done.gap[1]} "
                "między zapisaną serią a plikiem; wczytaj najpierw te dni."
            )
        end = done.complete_through.isoformat() if done.complete_through else "—"
        self.stdout.write(f"Seria kompletna do: {end}.")
        self.stdout.write(f"Źródło: {done.source or '—'}.")
