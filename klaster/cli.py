"""The `klaster` console script.

`klaster kkk ...` runs the pure scoring engine without starting Django (it must be fast);
everything else hands off to Django's command runner, with hyphenated names mapped to
commands (`demo-data` → `demo_data`). DATABASE_URL selects the database for every command.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": "serve",
    "demo-data": "demo_data",
    "import": "import_dataset",
    "export": "export_dataset",
    "refresh-statuses": "refresh_statuses",
    "roles": "roles",
    "revoke-tokens": "revoke_tokens",
}

USAGE = """Użycie: klaster POLECENIE [argumenty]

  migrate                        utworzenie / aktualizacja bazy danych
  serve [ADRES:PORT]             uruchomienie aplikacji (domyślnie 127.0.0.1:8000)
  demo                           baza + klaster demonstracyjny + konta demonstracyjne
  import PLIK                    import klastra z pliku danych (YAML/JSON); wypisuje jego identyfikator
  export KLASTER PLIK            eksport klastra do pliku danych
  clusters                       identyfikatory klastrów, po jednym w wierszu
  roles list|grant|revoke        role w klastrach (--cluster SLUG --user LOGIN --role ROLA [--member KLUCZ])
  revoke-tokens LOGIN…|--expired|--all   unieważnienie tokenów API
  refresh-statuses               statusy członków wg zdarzeń datowanych do dziś (dla harmonogramu)
  demo-data --members N --out PLIK   duży syntetyczny klaster (do testów wydajności)
  kkk evaluate PLIK [--as-of RRRR-MM-DD] [--format json|text]   ocena wniosku KKK
"""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    if args[0] == "kkk":
        from klaster.rules.kkk.cli import main as kkk_main

        return kkk_main(args[1:], sys.stdout, sys.stderr)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
    from django.core.management import execute_from_command_line

    command = ALIASES.get(args[0], args[0])
    try:
        execute_from_command_line(["klaster", command, *args[1:]])
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
